"""peewee is imported without the PostgreSQL driver (lamha_desktop/__init__.py): a school on its SQLite file
never loads psycopg, libpq and OpenSSL at start; opening a server loads them and tells peewee."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECK = """
import sys
import lamha_desktop.app, lamha_desktop.storage.repo, lamha_desktop.operations, peewee
assert "psycopg" not in sys.modules, "psycopg loaded with peewee"
assert peewee.psycopg is None
import psycopg  # anyone else may still import it
from lamha_desktop.storage import server
server.load_driver()
assert peewee.psycopg is psycopg
db = server.ServerDatabase("lamha", host="127.0.0.1")
assert type(db._adapter).__name__ == "Psycopg3Adapter", type(db._adapter)
assert db._adapter.txn_status is not None and peewee.Psycopg3Adapter.txn_idle is not None
print("ok")
"""


def test_peewee_comes_without_psycopg_until_a_server_is_opened() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_smoke_test_start_loads_no_postgresql_driver(tmp_path: Path) -> None:
    # (app.main: what ``python -m lamha_desktop`` runs before ``app.leave`` ends the process)
    code = ("import sys\nfrom lamha_desktop import app\n"
            "assert app.main(['--smoke-test', '--data-dir', sys.argv[1]]) == 0\n"
            "assert 'psycopg' not in sys.modules, 'psycopg loaded at start'\nprint('no driver')")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("no driver")

"""Headless commands on an encrypted database: ``--password-env VAR`` (the password never on the command line)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lamha_desktop.storage import db, encryption
from lamha_desktop.storage.models import Organisation

pytestmark = pytest.mark.skipif(not db.encryption_available(), reason="sqlcipher3 is not installed")

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mật khẩu dòng lệnh"


def run(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("LAMHA_PW", None)
    if password is not None:
        env["LAMHA_PW"] = password
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    path = folder / db.DB_FILENAME
    db.open_database(path)
    Organisation.create(code="A", school_name="Trường A", name="Chi bộ A")
    encryption.change_password(path, PASSWORD)
    db.close_database()
    db.forget_passphrase()
    return folder


def test_backup_and_restore_with_password_env(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "a.sqlite3"
    out.parent.mkdir()
    refused = run("backup", "--data-dir", str(data), "--out", str(out))
    assert refused.returncode == 1
    assert "--password-env" in refused.stderr
    assert not out.exists()
    wrong = run("backup", "--data-dir", str(data), "--out", str(out), "--password-env", "LAMHA_PW", password="sai")
    assert wrong.returncode == 1
    assert "Mật khẩu không đúng" in wrong.stderr
    assert "ERROR CORE" not in wrong.stderr  # SQLCipher's own log lines stay quiet
    missing = run("backup", "--data-dir", str(data), "--out", str(out), "--password-env", "LAMHA_PW")
    assert missing.returncode == 1
    assert "LAMHA_PW" in missing.stderr
    done = run("backup", "--data-dir", str(data), "--out", str(out), "--password-env", "LAMHA_PW", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert "1 tổ chức đảng" in done.stdout
    assert db.is_encrypted(out)
    assert PASSWORD not in done.stdout + done.stderr
    restored = run("restore", "--data-dir", str(data), str(out), "--password-env", "LAMHA_PW", password=PASSWORD)
    assert restored.returncode == 0, restored.stderr
    assert db.is_encrypted(data / db.DB_FILENAME)


def test_smoke_test_with_password_env(data: Path) -> None:
    done = run("--data-dir", str(data), "--smoke-test", "--password-env", "LAMHA_PW", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert "smoke test ok" in done.stdout
    refused = run("--data-dir", str(data), "--smoke-test")
    assert refused.returncode == 2
    assert "mật khẩu" in refused.stderr

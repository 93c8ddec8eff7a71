"""The shared server from the command line: server-init, clerks, migrate-to-server (twice: nothing doubled),
the demo's return from the server equal to the file's, backups with pg_dump, an unreachable server in one line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import psycopg
import pytest
from conftest import _admin_execute, drop_pg_database
from docx_checks import flat, read

from lamha_desktop.storage import db

pytestmark = pytest.mark.postgresql


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *map(str, args)], capture_output=True, text=True,
                          env=base | (env or {}), timeout=180, check=False, stdin=subprocess.DEVNULL)


@pytest.fixture
def empty_server(pg_cluster: Any, tmp_path: Path) -> Iterator[str]:
    name = f"cli_{os.getpid()}_{tmp_path.name[-12:]}".replace("-", "_").lower()
    _admin_execute(pg_cluster, f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        drop_pg_database(pg_cluster, name)


def _figures(path: Path) -> list[list[Any]]:
    """Every cell of the visible sheets (the hidden payload sheet holds the moment of the export)."""
    wb = openpyxl.load_workbook(path)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(sheets) >= 2
    return [[c.value for c in row] for ws in sheets for row in ws.iter_rows()]


def test_migrate_the_demo_then_the_return_from_the_server_equals_the_files(
        pg_cluster: Any, empty_server: str, demo_db_template: Path, tmp_path: Path) -> None:
    url = pg_cluster.url(empty_server)
    data = tmp_path / "school"
    data.mkdir()
    shutil.copy(demo_db_template, data / db.DB_FILENAME)
    con = sqlite3.connect(data / db.DB_FILENAME)
    with con:  # a number the school already gave (the counters move with the school's data)
        con.execute("INSERT INTO document_counter (organisation_id, series, year, last) "
                    "SELECT id, 'BB/CB', 2024, 3 FROM organisation WHERE code = 'LQD'")
    con.close()
    # Not prepared yet: said so, nothing written.
    r = _run("migrate-to-server", "--data-dir", data, "--database", url)
    assert r.returncode == 1
    assert "chưa được chuẩn bị" in r.stderr
    r = _run("server-init", "--database", url)
    assert r.returncode == 0, r.stderr
    assert "Đã chuẩn bị cơ sở dữ liệu" in r.stdout
    assert "kết nối cục bộ" in r.stdout  # how the connection is secured is shown
    first = _run("migrate-to-server", "--data-dir", data, "--database", url)
    assert first.returncode == 0, first.stderr
    assert "5 tổ chức đảng" in first.stdout
    again = _run("migrate-to-server", "--data-dir", data, "--database", url)
    assert again.returncode == 0, again.stderr
    assert "mới thêm 0 quần chúng và 0 bước" in again.stdout  # idempotent: nothing doubled
    from_file, from_server = tmp_path / "file.xlsx", tmp_path / "server.xlsx"
    r = _run("export-return", "--data-dir", data, "--period", "2024-H1", "--out", from_file)
    assert r.returncode == 0, r.stderr
    r = _run("export-return", "--database", url, "--period", "2024-H1", "--out", from_server)
    assert r.returncode == 0, r.stderr
    totals = openpyxl.load_workbook(from_server)["Tổng hợp"]
    total_row = next(row for row in totals.iter_rows() if row[0].value == "Tổng cộng")
    assert (total_row[7].value, total_row[12].value) == (14, 18)
    assert _figures(from_server) == _figures(from_file)
    # A document from the server reads as the one from the file; a number given there moves the server's counter.
    con = sqlite3.connect(data / db.DB_FILENAME)
    try:
        pid = con.execute("SELECT c.personal_id FROM candidate c JOIN organisation o ON o.id = c.organisation_id "
                          "WHERE c.stage = 40 AND o.code = 'LQD' ORDER BY c.id").fetchone()[0]
    finally:
        con.close()
    doc_file, doc_server = tmp_path / "file.docx", tmp_path / "server.docx"
    r = _run("document", "nq-chi-bo", "--data-dir", data, "--candidate", pid, "--out", doc_file)
    assert r.returncode == 0, r.stderr
    r = _run("document", "nq-chi-bo", "--database", url, "--candidate", pid, "--out", doc_server)
    assert r.returncode == 0, r.stderr
    assert flat(read(doc_server.read_bytes())) == flat(read(doc_file.read_bytes()))
    r = _run("document", "nq-chi-bo", "--database", url, "--candidate", pid, "--number", "auto", "--out", doc_server)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "Số văn bản: 01-NQ/CB."
    assert "Số 01-NQ/CB" in flat(read(doc_server.read_bytes()))
    with psycopg.connect(url) as pg:
        assert pg.execute("SELECT o.code, series, year, last FROM document_counter d JOIN organisation o ON "
                          "o.id = d.organisation_id ORDER BY series").fetchall() == [("LQD", "BB/CB", 2024, 3),
                                                                                   ("LQD", "NQ/CB", 2026, 1)]


def test_clerks_backups_and_an_unreachable_server(pg_cluster: Any, empty_server: str, demo_db_template: Path,
                                                  tmp_path: Path) -> None:
    url = pg_cluster.url(empty_server)
    data = tmp_path / "school"
    data.mkdir()
    shutil.copy(demo_db_template, data / db.DB_FILENAME)
    assert _run("server-init", "--database", url).returncode == 0
    assert _run("migrate-to-server", "--data-dir", data, "--database", url).returncode == 0
    role = f"{empty_server}_tl"
    r = _run("server-add-clerk", "--database", url, "--role", role, "--org", "TL", "--clerk-password-env", "NEWPW",
             env={"NEWPW": "Mật khẩu 123"})
    assert r.returncode == 0, r.stderr
    clerk_url = pg_cluster.url(empty_server, user=role)
    # Without a password (no terminal to ask on): one line saying so.
    r = _run("export-return", "--database", clerk_url, "--period", "2024-H1", "--out", tmp_path / "x.xlsx")
    assert (r.returncode, r.stderr.count("\n")) == (1, 1)
    assert "cần mật khẩu" in r.stderr
    copies = tmp_path / "copies"
    env = {"PW": "Mật khẩu 123", "LAMHA_SERVER_COPIES": str(copies)}
    out = tmp_path / "tl.xlsx"
    r = _run("export-return", "--database", clerk_url, "--password-env", "PW", "--period", "2024-H1", "--out", out,
             env=env)
    assert r.returncode == 0, r.stderr
    totals = openpyxl.load_workbook(out)["Tổng hợp"]
    assert [row[0].value for row in totals.iter_rows() if row[1].value == "Chi bộ Trường THPT Thăng Long"]
    assert not [row for row in totals.iter_rows() if row[1].value == "Chi bộ Trường THPT Lê Quý Đôn"]
    # backup: the local copy (what this clerk may read) and a pg_dump.
    dump = tmp_path / "server.dump"
    r = _run("backup", "--database", clerk_url, "--password-env", "PW", "--out", dump, env=env)
    if shutil.which("pg_dump"):
        assert r.returncode == 0, r.stderr
        assert dump.read_bytes()[:5] == b"PGDMP"
    else:
        assert r.returncode == 1
        assert "pg_dump" in r.stderr
    copy_dir = next(copies.iterdir())
    r = _run("export-return", "--data-dir", copy_dir, "--period", "2024-H1", "--out", tmp_path / "copy.xlsx")
    assert r.returncode == 0, r.stderr
    # The server out of reach: one line with the host and the reason, and the local copy to open instead.
    gone = f"postgresql://{role}@127.0.0.1:9/{empty_server}"
    r = _run("export-return", "--database", gone, "--password-env", "PW", "--period", "2024-H1", "--out",
             tmp_path / "y.xlsx", env=env)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1, r.stderr
    assert "Không kết nối được máy chủ 127.0.0.1:9" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "y.xlsx").exists()


def test_server_init_by_an_owner_who_is_not_a_superuser(pg_cluster: Any, empty_server: str, tmp_path: Path) -> None:
    """The documented set-up: an owner with CREATEROLE only, its own database; it prepares it and adds a clerk."""
    owner = f"{empty_server}_owner"
    _admin_execute(pg_cluster, f"CREATE ROLE \"{owner}\" LOGIN CREATEROLE PASSWORD 'Chủ 1'")
    _admin_execute(pg_cluster, f'ALTER DATABASE "{empty_server}" OWNER TO "{owner}"')
    _admin_execute(pg_cluster, f'ALTER SCHEMA public OWNER TO "{owner}"', empty_server)
    try:
        url = pg_cluster.url(empty_server, user=owner)
        env = {"PW": "Chủ 1", "NEWPW": "Văn thư 2"}
        r = _run("server-init", "--database", url, "--password-env", "PW", env=env)
        assert r.returncode == 0, r.stderr
        r = _run("server-add-clerk", "--database", url, "--password-env", "PW", "--role", f"{empty_server}_btc",
                 "--board", "--clerk-password-env", "NEWPW", env=env)
        assert r.returncode == 0, r.stderr
        assert "Ban Tổ chức" in r.stdout
        board = pg_cluster.url(empty_server, user=f"{empty_server}_btc")
        out = tmp_path / "empty.xlsx"
        r = _run("export-return", "--database", board, "--password-env", "NEWPW", "--period", "2024", "--out", out,
                 env=env)
        assert r.returncode == 0, r.stderr
    finally:
        drop_pg_database(pg_cluster, empty_server)
        _admin_execute(pg_cluster, f'DROP ROLE IF EXISTS "{empty_server}_btc"')
        _admin_execute(pg_cluster, f'DROP ROLE IF EXISTS "{owner}"')

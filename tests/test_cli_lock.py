"""Every writer holds the data-folder lock, GUI and headless alike: a second writer waits a few seconds, then
gives up in one line with exit code 3; nothing is replaced under a writer that is running."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lamha_desktop import cli
from lamha_desktop.operations import organisations
from lamha_desktop.storage import db

ROOT = Path(__file__).resolve().parents[1]
HOLD = ("import sys, time\nfrom pathlib import Path\nfrom lamha_desktop.storage import lock\n"
        "lock.acquire(Path(sys.argv[1]), purpose=sys.argv[2])\nprint('locked', flush=True)\n"
        "time.sleep(float(sys.argv[3]))\n")


def make_data(folder: Path, code: str) -> Path:
    path = folder / db.DB_FILENAME
    db.open_database(path)
    organisations.create({"code": code, "school_name": f"Trường {code}", "name": f"Chi bộ {code}",
                          "official_members": 9})
    db.close_database()
    return path


def codes(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT code FROM organisation ORDER BY code")]
    finally:
        con.close()


def hold(folder: Path, purpose: str, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), purpose, str(seconds)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def finish(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "LOCK_WAIT_SECONDS", 0.5)


@pytest.mark.usefixtures("short_wait")
def test_restore_refuses_while_an_import_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    path = make_data(data, "A")
    other = make_data(tmp_path / "other", "Q")
    importer = hold(data, "import-students", 60)
    try:
        assert cli.main(["restore", "--data-dir", str(data), str(other)]) == cli.EXIT_BUSY
    finally:
        finish(importer)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "đang được lệnh nhập danh sách học sinh dùng" in err[0]
    assert f"tiến trình {importer.pid}" in err[0]
    assert codes(path) == ["A"]  # nothing was replaced under the import
    assert not list((data / "backups").glob("pre-restore-*"))


@pytest.mark.usefixtures("short_wait")
def test_an_import_refuses_while_the_window_is_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    make_data(data, "A")
    sheet = tmp_path / "lop.csv"
    sheet.write_text("Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số định danh cá nhân\n"
                     "Lê Thị Hoa,02/04/2008,Nữ,Kinh,068308000011\n", encoding="utf-8")
    window = hold(data, "app", 60)
    try:
        assert cli.main(["import-students", "--data-dir", str(data), "--org", "A", str(sheet)]) == cli.EXIT_BUSY
    finally:
        finish(window)
    assert "đang được cửa sổ phần mềm dùng" in capsys.readouterr().err
    # a dry run only reads: it does not need the lock
    window = hold(data, "app", 60)
    try:
        assert cli.main(["import-students", "--data-dir", str(data), "--org", "A", "--dry-run", str(sheet)]) == 0
    finally:
        finish(window)


def test_a_writer_waits_for_a_short_one_to_finish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    make_data(data, "A")
    other = make_data(tmp_path / "other", "Q")
    monkeypatch.setattr(cli, "LOCK_WAIT_SECONDS", 20.0)
    holder = hold(data, "import-return", 1.0)
    started = time.monotonic()
    try:
        assert cli.main(["restore", "--data-dir", str(data), str(other)]) == cli.EXIT_OK
    finally:
        finish(holder)
    assert time.monotonic() - started < 20.0
    assert codes(data / db.DB_FILENAME) == ["Q"]


def test_operations_in_this_process_take_the_lock_too(tmp_path: Path) -> None:
    """A write from a program that did not take the lock itself still takes it for its transaction."""
    data = tmp_path / "data"
    make_data(data, "A")
    db.open_database(data / db.DB_FILENAME)
    window = hold(data, "app", 60)
    try:
        from lamha_desktop.operations import core
        from lamha_desktop.storage import lock

        original = core.LOCK_WAIT_SECONDS
        core.LOCK_WAIT_SECONDS = 0.3
        try:
            with pytest.raises(lock.LockBusy):
                organisations.create({"code": "B", "school_name": "Trường B", "name": "Chi bộ B",
                                      "official_members": 5})
        finally:
            core.LOCK_WAIT_SECONDS = original
    finally:
        finish(window)
        db.close_database()
    assert codes(data / db.DB_FILENAME) == ["A"]

"""Headless backup and restore: `python -m lamha_desktop backup|restore --data-dir DIR ...`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lamha_desktop import cli
from lamha_desktop.storage import db
from lamha_desktop.storage.models import Organisation

ROOT = Path(__file__).resolve().parents[1]


def make_data(data_dir: Path, codes: list[str]) -> Path:
    path = data_dir / db.DB_FILENAME
    db.open_database(path)
    for code in codes:
        Organisation.create(code=code, school_name=f"Trường {code}", name=f"Chi bộ {code}")
    db.close_database()
    return path


def org_codes(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT code FROM organisation ORDER BY code")]
    finally:
        con.close()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)


def test_backup_and_restore_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data, ["A"])
    out = tmp_path / "usb" / "a.sqlite3"
    out.parent.mkdir()
    done = run("backup", "--data-dir", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    assert "1 tổ chức đảng" in done.stdout
    db.open_database(path)
    Organisation.create(code="B", school_name="Trường B", name="Chi bộ B")
    db.close_database()
    restored = run("restore", "--data-dir", str(data), str(out))
    assert restored.returncode == 0, restored.stderr
    assert "Đã khôi phục" in restored.stdout
    assert org_codes(path) == ["A"]
    kept = list((data / "backups").glob("pre-restore-*.sqlite3"))
    assert len(kept) == 1
    assert org_codes(kept[0]) == ["A", "B"]


def test_backup_into_the_backups_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_data(tmp_path, ["A", "B"])
    assert cli.main(["backup", "--data-dir", str(tmp_path)]) == 0
    files = list((tmp_path / "backups").glob("manual-*.sqlite3"))
    assert len(files) == 1
    assert org_codes(files[0]) == ["A", "B"]
    assert str(files[0]) in capsys.readouterr().out


def test_backup_without_a_database_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["backup", "--data-dir", str(tmp_path / "empty")]) == 1
    err = capsys.readouterr().err
    assert "Chưa có cơ sở dữ liệu" in err
    assert "Traceback" not in err


def test_restore_refuses_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_data(tmp_path / "data", ["A"])
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    before = path.read_bytes()
    assert cli.main(["restore", "--data-dir", str(tmp_path / "data"), str(bad)]) == 1
    assert "không bị thay đổi" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_restore_onto_an_empty_folder(tmp_path: Path) -> None:
    src = make_data(tmp_path / "old", ["Z"])
    target = tmp_path / "new"
    assert cli.main(["restore", "--data-dir", str(target), str(src)]) == 0
    assert org_codes(target / db.DB_FILENAME) == ["Z"]


def test_restore_is_refused_while_the_application_holds_the_folder(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    path = make_data(data, ["A"])
    src = make_data(tmp_path / "other", ["Q"])
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\nfrom lamha_desktop.app import acquire_instance_lock\n"
         "lock = acquire_instance_lock(Path(sys.argv[1]))\nprint('locked', flush=True)\ntime.sleep(60)\n",
         str(data)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        assert cli.main(["restore", "--data-dir", str(data), str(src)]) == cli.EXIT_BUSY
        err = capsys.readouterr().err
        assert "đang được cửa sổ phần mềm dùng" in err
        assert len(err.strip().splitlines()) == 1
        assert org_codes(path) == ["A"]
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    time.sleep(0.05)
    assert cli.main(["restore", "--data-dir", str(data), str(src)]) == 0  # the dead holder's lock is recovered
    assert org_codes(path) == ["Q"]

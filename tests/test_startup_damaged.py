"""Start-up on damaged storage: a 0-byte, overwritten or cut database is named and offered its newest good
backup, never re-created empty or taken for a password; a full disk is "disk full"; leftovers are cleaned;
a database smaller than its backup is reported; crash reports stay in the data folder with names masked."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop import app
from lamha_desktop.storage import backup, db
from lamha_desktop.storage.models import Candidate, Organisation

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, qt_settings: None) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # build() installs ours; put the old one back
    yield
    db.close_database()
    app.release_instance_lock()
    from lamha_desktop.ui import errors

    errors.set_crash_dir(None)


def build(data: Path, *extra: str) -> app.Started:
    return app.build(["--data-dir", str(data), *extra])


def close(started: app.Started) -> None:
    started.window.close()  # type: ignore[attr-defined]
    started.window.deleteLater()  # type: ignore[attr-defined]
    db.close_database()
    app.release_instance_lock()


def make_data(data: Path, n: int = 300) -> Path:
    path = data / db.DB_FILENAME
    db.open_database(path)
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    with db.database.atomic():
        for i in range(n):
            Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                             sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")
    db.close_database()
    return path


def yesterdays_backup(path: Path) -> Path:
    return backup.backup_now(path, kind="daily", now=dt.datetime.now() - dt.timedelta(days=1))


def no_password_prompt(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    from lamha_desktop.ui.safety.password import PasswordDialog

    asked: list[Any] = []
    monkeypatch.setattr(PasswordDialog, "ask", classmethod(lambda cls, **kw: asked.append(kw)))
    return asked


# ---------------------------------------------------------------- a 0-byte database


def test_a_zero_byte_database_is_not_recreated_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    good = yesterdays_backup(path)
    path.write_bytes(b"")
    for _start in range(10):  # every later start stops the same way: nothing rotates the good backup away
        with pytest.raises(app.StartupFailed) as info:
            build(data, "--no-err-windows")
        message = str(info.value)
        assert "rỗng (0 byte)" in message
        assert good.name in message
        assert "300 quần chúng" in message
    assert path.stat().st_size == 0
    assert sorted(backup.backups_dir(path).iterdir()) == [good]


def test_a_zero_byte_database_is_restored_when_the_user_agrees(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.ui.safety.dialogs import RecoverDialog

    data = tmp_path / "data"
    path = make_data(data)
    good = yesterdays_backup(path)
    path.write_bytes(b"")
    asked: list[dict[str, Any]] = []

    def ask(cls: type, **kw: Any) -> bool:
        asked.append(kw)
        return True

    monkeypatch.setattr(RecoverDialog, "ask", classmethod(ask))
    started = build(data)
    try:
        assert asked[0]["backup"].path == good
        assert "rỗng (0 byte)" in asked[0]["detail"]
        assert Candidate.select().count() == 300
        aside = [p for p in data.glob(f"{db.DB_FILENAME}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
        assert len(aside) == 1
        assert aside[0].stat().st_size == 0  # kept, as found
    finally:
        close(started)


def test_the_settings_remember_that_data_lived_there(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = build(data, "--no-err-windows")  # a first start: a new database, remembered
    close(started)
    path = data / db.DB_FILENAME
    assert app.data_known(path)
    for old in backup.backups_dir(path).iterdir():
        old.unlink()  # no backups to tell: the settings do
    path.write_bytes(b"")
    with pytest.raises(app.StartupFailed, match=r"rỗng \(0 byte\)"):
        build(data, "--no-err-windows")
    assert path.stat().st_size == 0


def test_random_bytes_are_not_taken_for_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    good = yesterdays_backup(path)
    path.write_bytes(os.urandom(path.stat().st_size))
    asked = no_password_prompt(monkeypatch)
    from lamha_desktop.ui.safety.dialogs import RecoverDialog

    offered: list[Any] = []
    monkeypatch.setattr(RecoverDialog, "ask", classmethod(lambda cls, **kw: offered.append(kw) or False))
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.critical", lambda *a, **k: None)
    assert app.main(["--data-dir", str(data)]) == 2
    assert asked == []
    assert [o["backup"].path for o in offered] == [good]
    assert "ghi đè" in offered[0]["detail"]


def test_a_cut_database_names_its_size_and_the_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    good = yesterdays_backup(path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(app.StartupFailed) as info:
        build(data, "--no-err-windows")
    assert "cắt cụt" in str(info.value)
    assert good.name in str(info.value)


# ---------------------------------------------------------------- the environment


def test_a_full_disk_at_start_is_disk_full(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    code = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from lamha_desktop.app import main
        sys.exit(main(["--data-dir", {str(data)!r}, "--smoke-test"]))
    """)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Ổ đĩa" in result.stderr
    assert "đã đầy" in result.stderr
    assert "lamha.lock" not in result.stderr
    assert "chỉ đọc" not in result.stderr
    assert not (data / db.DB_FILENAME).exists()


def test_leftovers_of_a_killed_copy_go_at_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    close(build(data, "--no-err-windows"))  # today's daily backup is made: the next start makes none
    folder = backup.backups_dir(path)
    part = folder / "daily-20250101-080000.sqlite3.part"
    staged = folder / ".restore-20250101-080000-99.sqlite3.part"
    rekey = data / f".{db.DB_FILENAME}.rekey-99.part"
    for p in (part, staged, rekey):
        p.write_bytes(b"\0" * 4096)
        old = (dt.datetime.now() - dt.timedelta(hours=2)).timestamp()
        os.utime(p, (old, old))
    started = build(data, "--no-err-windows")
    try:
        assert not part.exists()
        assert not staged.exists()
        assert not rekey.exists()
    finally:
        close(started)


def test_starts_on_an_unchanged_database_add_no_generation(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_data(data)
    folder = data / "backups"
    for day in range(1, 5):  # four days, the application opened and closed each day, nothing recorded
        close(build(data, "--no-err-windows"))
        for made in folder.glob(f"daily-{dt.date.today():%Y%m%d}-*.sqlite3"):
            made.rename(folder / f"daily-2025010{day}-080000.sqlite3")  # made on an earlier day
    # the first start stores a cache of the holidays after its backup; from then on nothing changes
    names = sorted(p.name for p in folder.glob("daily-*.sqlite3"))
    assert names[0] == "daily-20250101-080000.sqlite3"
    assert "daily-20250103-080000.sqlite3" not in names
    assert "daily-20250104-080000.sqlite3" not in names


def test_a_database_smaller_than_its_backup_is_reported_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    good = yesterdays_backup(path)
    db.open_database(path)
    Candidate.delete().execute()
    db.close_database()
    started = build(data, "--no-err-windows")
    try:
        shrunk = [params for code, params in started.notices if code == "backup.data_shrunk"]
        assert shrunk
        assert shrunk[0]["backup"] == str(good)
        assert (shrunk[0]["current"], shrunk[0]["candidates"]) == (0, 300)
        assert good.exists()
    finally:
        close(started)


# ---------------------------------------------------------------- crash reports


def test_crash_reports_live_in_the_data_folder_with_names_masked(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    from lamha_desktop.ui import errors

    data = tmp_path / "data"
    make_data(data, n=0)
    db.open_database(data / db.DB_FILENAME)
    org = Organisation.get()
    Candidate.create(organisation=org, full_name="Le Van Tam", search_key="le van tam", sort_key="x",
                     gender="nam", birth="2008-01-01", personal_id="068308001234")
    db.close_database()
    started = build(data, "--no-err-windows")
    try:
        assert errors.crash_dir() == data / "crash-reports"
        try:
            raise RuntimeError("cannot save Nguyễn Thị Hồng Nhung (068308001234) and Le Van Tam")
        except RuntimeError as exc:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(RuntimeError, exc, exc.__traceback__)
        reports = list((data / "crash-reports").glob("crash-*.txt"))
        assert len(reports) == 1
        text = reports[0].read_text(encoding="utf-8")
        for secret in ("Nguyễn Thị Hồng Nhung", "068308001234", "Le Van Tam"):
            assert secret not in text
            assert secret not in caplog.text
        assert "N***** T** H*** N****" in text
        assert "L* V** T**" in text
        assert "RuntimeError" in text  # the rest of the report is intact
    finally:
        close(started)


def test_masking_leaves_code_and_english_alone() -> None:
    from lamha_desktop.ui import errors

    line = 'File "lamha_desktop/ui/Main Window.py", line 3, in Save Data: ValueError Bad Value'
    assert errors.mask_names(line) == line
    assert errors.mask_names("Học sinh Trần Văn Bình lớp 12A1") == "Học sinh T*** V** B*** lớp 12A1"

"""Start-up safety: one instance per data folder, the daily backup, a damaged database offered its newest good
backup (the damaged file kept), network-share and read-only warnings, environment errors worded, IDs masked."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import tempfile
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


def build(data: Path, *extra: str) -> app.Started:
    return app.build(["--data-dir", str(data), *extra])


def close(started: app.Started) -> None:
    started.window.close()  # type: ignore[attr-defined]
    started.window.deleteLater()  # type: ignore[attr-defined]
    db.close_database()
    app.release_instance_lock()


def make_data(data: Path, n_candidates: int = 400) -> Path:
    path = data / db.DB_FILENAME
    db.open_database(path)
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    for i in range(n_candidates):
        Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                         sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")
    db.close_database()
    return path


def corrupt(path: Path) -> None:
    with path.open("r+b") as f:
        f.seek(4096 * 5)
        f.write(b"\x5a" * 4096)


def hold_lock(data: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\nfrom lamha_desktop.app import acquire_instance_lock\n"
         "lock = acquire_instance_lock(Path(sys.argv[1]))\nprint('locked', flush=True)\ntime.sleep(60)\n",
         str(data)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def try_lock_elsewhere(data: Path) -> str:
    """What another process meets when it asks for the data-folder lock: "free" or the refusal's code."""
    code = ("import sys\nfrom pathlib import Path\nfrom lamha_desktop.storage import lock, db\n"
            "try:\n    lock.acquire(Path(sys.argv[1]), purpose='import-students')\n    print('free')\n"
            "except db.StorageError as exc:\n    print(exc.code)\n")
    out = subprocess.run([sys.executable, "-c", code, str(data)], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    return out.stdout.strip()


def stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


# ---------------------------------------------------------------- one instance


def test_start_takes_the_daily_backup_and_the_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = build(data, "--no-err-windows")
    try:
        assert started.notices == []
        assert len(list((data / "backups").glob("daily-*.sqlite3"))) == 1
        assert try_lock_elsewhere(data) == "data.busy"
    finally:
        close(started)
    assert try_lock_elsewhere(data) == "free"  # released on close


def test_a_second_instance_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    holder = hold_lock(data)
    try:
        with pytest.raises(app.StartupFailed, match="đang được cửa sổ phần mềm dùng"):
            build(data, "--no-err-windows")
        assert not (data / db.DB_FILENAME).exists()
    finally:
        stop(holder)


def test_a_lock_left_by_a_killed_instance_is_recovered(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    stop(hold_lock(data))
    assert (data / app.LOCK_FILENAME).exists()
    started = build(data, "--no-err-windows")
    close(started)


def test_main_refuses_a_second_instance_with_exit_code_2(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    holder = hold_lock(data)
    try:
        assert app.main(["--data-dir", str(data), "--no-err-windows"]) == 2
        assert "đang mở" in capsys.readouterr().err
    finally:
        stop(holder)


# ---------------------------------------------------------------- damaged database


def test_damaged_database_without_dialogs_names_the_good_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    good = backup.backup_now(path, kind="daily")
    corrupt(path)
    before = path.read_bytes()
    with pytest.raises(app.StartupFailed) as info:
        build(data, "--no-err-windows")
    assert "bị hỏng" in str(info.value)
    assert good.name in str(info.value)
    assert path.read_bytes() == before


def test_damaged_database_is_restored_from_the_newest_good_backup(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.ui.safety.dialogs import RecoverDialog

    data = tmp_path / "data"
    path = make_data(data)
    older = backup.backup_now(path, kind="daily")
    db.open_database(path)
    Organisation.create(code="NEW", school_name="Trường mới", name="Chi bộ mới")
    db.close_database()
    newest = backup.backup_now(path, kind="manual")
    broken = data / "backups" / "daily-29990101-000000.sqlite3"  # newer still, but unusable
    broken.write_bytes(b"broken" * 1000)
    assert older != newest
    corrupt(path)
    damaged = path.read_bytes()
    asked: list[Any] = []

    def ask(cls: type, *, damaged: Path, backup: backup.BackupInfo, detail: str, parent: Any = None) -> bool:
        asked.append(backup)
        return True

    monkeypatch.setattr(RecoverDialog, "ask", classmethod(ask))
    started = build(data)
    try:
        assert [b.path for b in asked] == [newest]
        assert asked[0].organisations == 2
        assert Organisation.select().count() == 2
        assert Candidate.select().count() == 400
        aside = list(data.glob(f"{db.DB_FILENAME}.damaged-*"))
        assert len(aside) == 1
        assert aside[0].read_bytes() == damaged  # never overwritten
    finally:
        close(started)


def test_declining_the_restore_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.ui.safety.dialogs import RecoverDialog

    data = tmp_path / "data"
    path = make_data(data)
    backup.backup_now(path)
    corrupt(path)
    before = path.read_bytes()
    monkeypatch.setattr(RecoverDialog, "ask", classmethod(lambda cls, **kw: False))
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.critical", lambda *a, **k: None)
    assert app.main(["--data-dir", str(data)]) == 2
    assert path.read_bytes() == before
    assert not list(data.glob("*.damaged-*"))


def test_damaged_database_without_backups(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    corrupt(path)
    with pytest.raises(app.StartupFailed, match="bị hỏng"):
        build(data, "--no-err-windows")


# ---------------------------------------------------------------- environment


def test_network_share_and_failed_backup_are_reported_not_blocking(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "backups").write_text("a file where the backups folder should be")
    monkeypatch.setattr(backup, "network_filesystem", lambda path: "cifs")
    started = build(data, "--no-err-windows")
    try:
        codes = [code for code, _ in started.notices]
        assert codes == ["db.network_share", "backup.failed_at_start"]
        from lamha_desktop.ui.safety import show_notices

        show_notices(started.window, started.notices, dialogs=False)  # type: ignore[arg-type]
        message = started.window.statusBar().currentMessage()  # type: ignore[attr-defined]
        assert "sao lưu tự động" in message
    finally:
        close(started)


def test_read_only_folder_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(app.StartupFailed, match="chỉ đọc"):
        build(data, "--no-err-windows")
    assert not (data / db.DB_FILENAME).exists()


def test_full_disk_during_a_write_is_worded_and_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    import peewee

    from lamha_desktop.ui import errors

    monkeypatch.setattr(errors, "crash_dir", lambda: tmp_path / "crash")
    data = tmp_path / "data"
    started = build(data, "--no-err-windows")
    try:
        problem = errors.environment_problem(peewee.OperationalError("database or disk is full"))
        assert problem is not None
        assert problem[0] == "db.disk_full"
        from lamha_desktop.ui import messages

        assert "Ổ đĩa" in messages.text(*problem)
        assert errors.environment_problem(sqlite3.OperationalError("attempt to write a readonly database"))[0] \
            == "db.read_only"  # type: ignore[index]
        assert errors.environment_problem(ValueError("x")) is None
        with caplog.at_level(logging.WARNING):
            sys.excepthook(peewee.OperationalError, peewee.OperationalError("database or disk is full"), None)
        assert "db.disk_full" in caplog.text
        assert not (tmp_path / "crash").exists()  # the environment's error, not ours: no crash report
    finally:
        close(started)


def test_unexpected_error_report_masks_personal_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    from lamha_desktop.ui import errors

    monkeypatch.setattr(errors, "crash_dir", lambda: tmp_path / "crash")
    started = build(tmp_path / "data", "--no-err-windows")
    try:
        try:
            raise RuntimeError("cannot save 068308001234")
        except RuntimeError as exc:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(RuntimeError, exc, exc.__traceback__)
        reports = list((tmp_path / "crash").glob("crash-*.txt"))
        assert len(reports) == 1
        text = reports[0].read_text(encoding="utf-8")
        assert "********1234" in text
        assert "068308001234" not in text
        assert "068308001234" not in caplog.text
        assert "********1234" in caplog.text
    finally:
        close(started)

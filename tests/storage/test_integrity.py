"""When the database file is checked: at once after an unclean exit or without a recorded check, in the
background once a day (every write waits for it), never twice a day after clean closes."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop import app
from lamha_desktop.operations import organisations
from lamha_desktop.storage import db, integrity
from lamha_desktop.storage.models import Candidate, Organisation

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, qt_settings: None) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # build() installs ours; put the old one back
    yield
    db.close_database()
    app.release_instance_lock()


def make_data(data: Path, n: int = 400) -> Path:
    path = data / db.DB_FILENAME
    db.open_database(path)
    with db.database.atomic():
        org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
        for i in range(n):
            Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                             sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")
    db.close_database()
    return path


def corrupt(path: Path) -> None:
    """Overwrite one page in the middle: the file still opens, ``quick_check`` finds the damage."""
    with path.open("r+b") as f:
        f.seek(4096 * 5)
        f.write(b"\x5a" * 4096)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every check run at open (the synchronous one of ``db.open_database``)."""
    seen: list[Path] = []
    real = db.quick_check

    def counting(database: Any = db.database) -> str | None:
        seen.append(Path(database.database))
        return real(database)

    monkeypatch.setattr(db, "quick_check", counting)
    return seen


def test_policy(tmp_path: Path) -> None:
    path = make_data(tmp_path)
    assert integrity.policy(path, today=TODAY) == integrity.NOW  # never checked
    integrity.record_check(path, TODAY - dt.timedelta(days=1))
    assert integrity.policy(path, today=TODAY) == integrity.BACKGROUND
    integrity.record_check(path, TODAY)
    assert integrity.policy(path, today=TODAY) == integrity.SKIP
    integrity.begin_session(path)  # left behind by a crash
    assert integrity.policy(path, today=TODAY) == integrity.NOW
    integrity.end_session(path)
    integrity.checked_stamp(path).write_text("rubbish", encoding="ascii")
    assert integrity.policy(path, today=TODAY) == integrity.NOW


def test_a_clean_close_spares_the_next_start_its_check(tmp_path: Path, checks: list[Path]) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    started = app.build(["--data-dir", str(data), "--no-err-windows"])
    assert len(checks) == 1  # no check recorded yet: checked at once
    assert integrity.session_marker(path).exists()
    started.window.close()  # type: ignore[attr-defined]
    app.close_store(path)
    assert not integrity.session_marker(path).exists()
    assert integrity.last_checked(path) == TODAY
    started = app.build(["--data-dir", str(data), "--no-err-windows"])
    assert len(checks) == 1  # clean close, checked today: no check
    assert not integrity.running()
    started.window.close()  # type: ignore[attr-defined]
    app.close_store(path)


def test_an_unclean_exit_is_checked_at_once(tmp_path: Path, checks: list[Path]) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    integrity.record_check(path, TODAY)
    integrity.begin_session(path)  # what a killed window leaves
    corrupt(path)
    before = path.read_bytes()
    with pytest.raises(app.StartupFailed, match="bị hỏng"):
        app.build(["--data-dir", str(data), "--no-err-windows"])
    assert len(checks) == 1
    assert path.read_bytes() == before


def test_the_daily_check_runs_in_the_background_and_passes(tmp_path: Path, checks: list[Path]) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    integrity.record_check(path, TODAY - dt.timedelta(days=3))
    assert integrity.open_checked(path, today=TODAY) == integrity.BACKGROUND
    assert checks == []  # not on the way to the window
    integrity.require_sound()  # waits for it
    assert integrity.background_problem() is None
    assert integrity.last_checked(path) == TODAY
    organisations.create({"code": "TH", "school_name": "Trường THPT Tân Hà", "name": "Chi bộ Tân Hà"})
    assert Organisation.select().count() == 2


def test_damage_found_in_the_background_refuses_every_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    integrity.record_check(path, TODAY - dt.timedelta(days=1))
    corrupt(path)
    assert integrity.open_checked(path, today=TODAY) == integrity.BACKGROUND
    with pytest.raises(db.StorageError) as info:
        organisations.create({"code": "TH", "school_name": "Trường THPT Tân Hà", "name": "Chi bộ Tân Hà"})
    assert info.value.code == "db.damaged_in_background"
    assert integrity.background_problem()
    assert integrity.last_checked(path) == TODAY - dt.timedelta(days=1)  # not recorded as passed
    db.close_database()
    assert integrity.policy(path, today=TODAY) == integrity.BACKGROUND


def test_the_window_says_what_the_background_check_found(tmp_path: Path, qtbot: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QWidget

    data = tmp_path / "data"
    path = make_data(data)
    integrity.record_check(path, TODAY - dt.timedelta(days=1))
    corrupt(path)
    integrity.open_checked(path, today=TODAY)
    window = QWidget()
    window.db_path = path  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    shown: list[Any] = []
    monkeypatch.setattr("lamha_desktop.ui.safety.show_notices",
                        lambda w, notices, dialogs: shown.extend(notices))
    timer = app.watch_background_check(window, dialogs=False)
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=10_000)
    assert [code for code, _ in shown] == ["db.damaged_in_background"]
    assert shown[0][1]["path"] == str(path)


def test_closing_stops_a_running_check(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_data(data)
    integrity.record_check(path, TODAY - dt.timedelta(days=1))
    integrity.open_checked(path, today=TODAY)
    db.close_database()  # interrupts the check (or finds it done) and forgets it
    assert not integrity.running()
    integrity.require_sound()  # nothing left to wait for

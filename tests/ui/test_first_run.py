"""The first-run setup: filled and saved, skipped, or the demo tried instead; and its hook in app.main."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from lamha_desktop import app
from lamha_desktop.operations import OpChanges
from lamha_desktop.storage import db, repo, settings, writers
from lamha_desktop.ui import first_run
from lamha_desktop.ui.first_run import NEW_COMMITTEE, FirstRunDialog, Outcome


def _dialog(qtbot: Any, org_id: int | None = None) -> FirstRunDialog:
    dlg = FirstRunDialog(org_id)
    qtbot.addWidget(dlg)
    return dlg


def _fill_school(dlg: FirstRunDialog) -> None:
    dlg.school_name.setText("Trường THPT Tân Hà")
    dlg.code.setText("tanha")
    dlg.code.textEdited.emit("tanha")
    dlg.kind.setCurrentIndex(dlg.kind.findData("dang_bo"))
    dlg.members.setValue(34)
    dlg.secretary.setText("Trần Thị Minh Tâm")
    dlg.target.setValue(3)


def _save(dlg: FirstRunDialog) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_an_empty_database_needs_the_setup(db_path: Path, qapp: Any) -> None:
    assert first_run.needed()
    settings.set_value("first_run_done", True)
    assert not first_run.needed()


def test_filling_the_setup_creates_the_committee_and_the_organisation(db_path: Path, qtbot: Any) -> None:
    dlg = _dialog(qtbot)
    # Huyện ủy Lâm Hà ended on 30/06/2025: the dialog proposes adding the committee in force now.
    assert dlg.committee.currentData() == NEW_COMMITTEE
    assert dlg.committee_from.date() == dt.date(2025, 7, 1)
    assert dlg.place.text() == ""  # never a district name the user did not type
    dlg.committee_name.setText("Đảng ủy xã Lâm Hà")
    _fill_school(dlg)
    assert dlg.name.text() == "Đảng bộ Trường THPT Tân Hà"  # suggested from the school and the kind
    dlg.place.setText("Tân Hà")
    _save(dlg)
    assert dlg.outcome == Outcome.SAVED
    (org,) = repo.list_organisations()
    assert (org.code, org.school_name, org.name, org.kind, org.official_members, org.annual_target, org.place) == (
        "TANHA", "Trường THPT Tân Hà", "Đảng bộ Trường THPT Tân Hà", "dang_bo", 34, 3, "Tân Hà")
    committees = {c.name: c for c in repo.list_committees()}
    assert committees["Đảng ủy xã Lâm Hà"].place == ""  # the place is the organisation's, asked once
    assert set(committees) == {"Huyện ủy Lâm Hà", "Đảng ủy xã Lâm Hà"}
    assert committees["Đảng ủy xã Lâm Hà"].valid_from == dt.date(2025, 7, 1)
    assert org.upper_committee_id == committees["Đảng ủy xã Lâm Hà"].id
    assert settings.get("first_run_done") is True
    assert not first_run.needed()


def test_choosing_and_editing_the_existing_committee(db_path: Path, qtbot: Any) -> None:
    dlg = _dialog(qtbot)
    huyen = repo.list_committees()[0]
    dlg.committee.setCurrentIndex(dlg.committee.findData(huyen.id))
    assert dlg.committee_name.text() == "Huyện ủy Lâm Hà"
    assert dlg.committee_to.date() == dt.date(2025, 6, 30)
    dlg.committee_to.setText("31/07/2025")
    _fill_school(dlg)
    dlg.name.setText("Đảng bộ THPT Tân Hà")
    dlg.name.textEdited.emit(dlg.name.text())  # as typed by the user (QTest cannot type "Đ"): kept
    dlg.school_name.setText("Trường THPT Tân Hà (Lâm Hà)")
    _save(dlg)
    (committee,) = repo.list_committees()
    assert committee.valid_to == dt.date(2025, 7, 31)
    assert committee.place == "Lâm Hà"  # the committee's own place, untouched (the fallback of its schools)
    (org,) = repo.list_organisations()
    assert org.name == "Đảng bộ THPT Tân Hà"
    assert org.upper_committee_id == committee.id


def test_problems_are_shown_beside_their_fields_and_nothing_is_saved(db_path: Path, qtbot: Any) -> None:
    dlg = _dialog(qtbot)
    dlg.committee_name.setText("Đảng ủy xã Lâm Hà")
    dlg.committee_from.setText("31/02/2025")
    _save(dlg)
    assert dlg.error_text("committee_from")
    dlg.committee_from.setText("01/07/2025")
    _save(dlg)  # the school is still empty
    assert dlg.error_text("code") == "Chưa nhập mã viết tắt."
    assert dlg.error_text("committee_from") == ""
    assert dlg.error_text("school_name")
    assert dlg.result() == 0
    assert repo.list_organisations() == []
    assert [c.name for c in repo.list_committees()] == ["Huyện ủy Lâm Hà"]  # rolled back with the organisation
    assert settings.get("first_run_done") is False


def test_later_skips_and_remembers(db_path: Path, qtbot: Any) -> None:
    dlg = _dialog(qtbot)
    dlg.later_button.click()
    assert dlg.outcome == Outcome.LATER
    assert repo.list_organisations() == []
    assert settings.get("first_run_done") is True
    assert not first_run.needed()


def test_the_demo_starts_in_a_new_process_and_the_setup_is_asked_again_next_time(
        db_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(first_run, "launch_demo", lambda: started.append(True) or True)
    dlg = _dialog(qtbot)
    assert dlg.demo_button.text() == "Mở dữ liệu &mẫu"
    dlg.demo_button.click()
    assert started == [True]
    assert dlg.outcome == Outcome.DEMO
    assert settings.get("first_run_done") is False


def test_demo_command_frozen_and_not(monkeypatch: pytest.MonkeyPatch) -> None:
    assert first_run.demo_command() == (sys.executable, ["-m", "lamha_desktop", "--demo"])
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/lamha/lamha-desktop")
    assert first_run.demo_command() == ("/opt/lamha/lamha-desktop", ["--demo"])


def test_reopened_from_the_settings_it_edits_the_only_organisation(db_path: Path, qtbot: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    org_id = writers.save_organisation({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn",
                                     "name": "Chi bộ Trường THPT Lê Quý Đôn", "official_members": 18})
    seen: list[FirstRunDialog] = []

    def exec_(self: FirstRunDialog) -> int:
        seen.append(self)
        assert self.code.text() == "LQD"
        self.target.setValue(2)
        _save(self)
        return int(self.result())

    monkeypatch.setattr(FirstRunDialog, "exec", exec_)
    from lamha_desktop.ui.changes import hub

    announced: list[OpChanges] = []
    hub().changed.connect(announced.append)
    window = QWidget()
    qtbot.addWidget(window)
    try:
        assert first_run.open_first_run(window) == Outcome.SAVED
    finally:
        hub().changed.disconnect(announced.append)
    assert seen[0].org_id == org_id
    assert repo.get_organisation(org_id).annual_target == 2
    assert len(repo.list_organisations()) == 1
    assert [(c.action, c.organisations) for c in announced] == [("setup.first_run", True)]


def _main_without_event_loop(monkeypatch: pytest.MonkeyPatch, outcome: Outcome | None) -> list[str]:
    calls: list[str] = []

    def run(_cls: type, parent: Any, org_id: int | None = None) -> Outcome:
        calls.append("setup")
        assert parent.isVisible()  # shown over the main window
        return outcome or Outcome.LATER

    monkeypatch.setattr(FirstRunDialog, "run", classmethod(run))
    monkeypatch.setattr(QApplication, "exec", lambda *_a: calls.append("exec") or 0)
    return calls


def test_main_shows_the_setup_on_an_empty_database_once(tmp_path: Path, qt_settings: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _main_without_event_loop(monkeypatch, Outcome.LATER)
    data = tmp_path / "data"
    assert app.main(["--data-dir", str(data), "--no-err-windows"]) == 0
    assert calls == ["setup", "exec"]
    db.open_database(data / db.DB_FILENAME)
    assert settings.get("first_run_done") is False  # the fake dialog did not mark it: mark it as the real one does
    settings.set_value("first_run_done", True)
    db.close_database()
    calls.clear()
    assert app.main(["--data-dir", str(data), "--no-err-windows"]) == 0
    assert calls == ["exec"]


def test_main_quits_when_the_demo_was_opened_instead(tmp_path: Path, qt_settings: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _main_without_event_loop(monkeypatch, Outcome.DEMO)
    assert app.main(["--data-dir", str(tmp_path / "data"), "--no-err-windows"]) == 0
    assert calls == ["setup"]


def test_no_setup_for_the_demo_or_the_smoke_test(tmp_path: Path, qt_settings: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _main_without_event_loop(monkeypatch, Outcome.LATER)
    assert app.main(["--smoke-test", "--data-dir", str(tmp_path / "a")]) == 0
    assert app.main(["--demo", "--data-dir", str(tmp_path / "b"), "--no-err-windows"]) == 0
    assert calls == ["exec"]

"""The real main window, offscreen, driven with qtbot through its dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog

from lamha_desktop import app
from lamha_desktop.domain import pipeline
from lamha_desktop.operations import ACCEPT_ALL, candidates, ceremonies, organisations, steps
from lamha_desktop.storage import db, repo, writers
from lamha_desktop.ui.candidates.dialogs import CandidateDialog
from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog
from lamha_desktop.ui.organisations.dialogs import OrganisationDialog


@pytest.fixture
def window(tmp_path: Path, qtbot: Any, qt_settings: None) -> Iterator[Any]:
    started = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
    w = started.window
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    db.close_database()


def _drive(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Any) -> list[QDialog]:
    """Replace ``cls.ask`` by a version that fills the real dialog and presses Save."""
    shown: list[QDialog] = []

    def ask(_cls: type, parent: Any, *args: Any, **kwargs: Any) -> int | None:
        dlg = cls(*args, parent=parent, **kwargs)
        shown.append(dlg)
        fill(dlg)
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
        return dlg.saved_id if dlg.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(cls, "ask", classmethod(ask))
    return shown


def _fill_org(dlg: OrganisationDialog) -> None:
    dlg.code.setText("LQD")
    dlg.school_name.setText("Trường THPT Lê Quý Đôn")
    dlg.name.setText("Chi bộ Trường THPT Lê Quý Đôn")
    dlg.members.setValue(18)
    dlg.secretary.setText("Nguyễn Văn Hòa")


def _fill_candidate(dlg: CandidateDialog, *, pid: str = "068308001234", birth: str = "15/11/2008") -> None:
    dlg.full_name.setText("  Nguyễn   Thị Ánh ")
    dlg.gender.setCurrentIndex(dlg.gender.findData("nu"))
    dlg.birth.setText(birth)
    dlg.ethnic.setEditText("K'Ho")
    dlg.personal_id.setText(pid)
    dlg.class_name.setText("12A1")


def record_history(cid: int) -> None:
    """Source list to decision, through the operations, for a student born 15/11/2008."""
    kinds = pipeline.EventKind
    steps.record(cid, kinds.SOURCE, dt.date(2026, 1, 5))
    steps.record(cid, kinds.CLASS, dt.date(2026, 4, 9), {"cert_no": "12/GCN"})
    for item in ("don", "ly_lich", "tham_tra", "nq_doan", "nx_noi_cu_tru", "nx_doan_the"):
        steps.record(cid, kinds.DOSSIER, dt.date(2026, 10, 1), {"item": item})
    steps.record(cid, kinds.DOSSIER, dt.date(2026, 10, 1), {"item": "gioi_thieu", "member": "Lê Văn Tám",
                                                        "together_since": "2025-09-05"})
    steps.record(cid, kinds.VOTE, dt.date(2026, 11, 5), {"agree": 16, "disagree": 2}, accept=ACCEPT_ALL)
    steps.record(cid, kinds.DECISION, dt.date(2026, 11, 20), {"number": "123-QĐ/HU", "received": "2026-11-23"})


def test_tabs_and_shortcuts(window: Any) -> None:
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names == ["Tổ chức đảng", "Quần chúng", "Lễ kết nạp", "Việc cần làm", "Tổng quan"]
    assert window.act_new.shortcut().toString() == "Ctrl+N"
    assert window.act_find.shortcut().toString() == "Ctrl+F"
    assert window.act_refresh.shortcut().toString() == "F5"


def test_add_organisation_candidate_and_ceremony(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    window.tabs.setCurrentWidget(window.organisations)
    _drive(monkeypatch, OrganisationDialog, _fill_org)
    window.act_new.trigger()
    org_model = window.organisations.model
    assert org_model.rowCount() == 1
    assert org_model.data(org_model.index(0, 0)) == "LQD"
    assert org_model.data(org_model.index(0, 3)) == "Chi bộ cơ sở"

    window.tabs.setCurrentWidget(window.candidates)
    _drive(monkeypatch, CandidateDialog, _fill_candidate)
    window.act_new.trigger()
    cand = window.candidates.model
    assert cand.rowCount() == 1
    assert cand.data(cand.index(0, 0)) == "Nguyễn Thị Ánh"
    assert cand.data(cand.index(0, 3)) == "Cơ-ho"
    assert cand.data(cand.index(0, 6)) == "Học sinh"  # no step yet: not on the source list
    assert cand.data(cand.index(0, 7)) == "11/2026"  # 18 by month from November 2026

    window.tabs.setCurrentWidget(window.ceremonies)
    cid = cand.id_at(0)

    def fill_ceremony(dlg: CeremonyDialog) -> None:
        dlg.on.setText("01/12/2026")
        dlg.place.setText("Hội trường nhà trường")
        dlg.decision_no.setText("123-QĐ/HU")
        dlg.decision_date.setText("20/11/2026")
        dlg.decision_received.setText("23/11/2026")
        dlg.set_checked([cid])  # ticked although greyed: the operation still refuses her
        assert "TRỄ HẠN" not in dlg.deadline.text()

    shown = _drive(monkeypatch, CeremonyDialog, fill_ceremony)
    window.act_new.trigger()
    cer = window.ceremonies.model
    assert cer.rowCount() == 0  # no class, no vote, no decision of her own: not admitted
    assert "Chưa có bước quyết định kết nạp" in shown[0].error_text("candidates")
    assert cand.data(cand.index(0, 6)) == "Học sinh"

    # With her history recorded, the same ceremony admits her.
    record_history(cid)
    shown = _drive(monkeypatch, CeremonyDialog, fill_ceremony)
    window.act_new.trigger()
    assert cer.rowCount() == 1
    assert cer.data(cer.index(0, 0)) == "01/12/2026"
    assert cer.data(cer.index(0, 9)) == "Nguyễn Thị Ánh"
    # The other tabs follow: the candidate is now a probationary member.
    assert cand.data(cand.index(0, 6)) == "Đảng viên dự bị"
    window.grab().save(str(tmp_path / "ceremonies.png"))


def test_invalid_candidate_is_refused_with_messages(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    writers.save_organisation({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ"})
    window.refresh_all()
    window.tabs.setCurrentWidget(window.candidates)

    def bad(dlg: CandidateDialog) -> None:
        _fill_candidate(dlg, pid="12345", birth="31/02/2008")

    shown = _drive(monkeypatch, CandidateDialog, bad)
    window.act_new.trigger()
    dlg = shown[0]
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "ngày/tháng/năm" in dlg.error_text("birth")
    assert "12 chữ số" in dlg.error_text("personal_id")  # every problem at once, not only the unreadable date
    assert "Chưa nhập ngày sinh" not in dlg.error_text("birth")
    assert window.candidates.model.rowCount() == 0

    def duplicate(dlg: CandidateDialog) -> None:
        _fill_candidate(dlg, pid="068308001234")

    _drive(monkeypatch, CandidateDialog, duplicate)
    window.act_new.trigger()
    shown = _drive(monkeypatch, CandidateDialog, duplicate)
    window.act_new.trigger()
    assert "đã có trong dữ liệu" in shown[0].error_text("personal_id")
    too_young = _drive(monkeypatch, CandidateDialog, lambda d: _fill_candidate(d, pid="068315000001",
                                                                                birth="01/01/2015"))
    window.act_new.trigger()
    assert "chưa đủ 14 tuổi" in too_young[0].error_text("birth")
    assert window.candidates.model.rowCount() == 1


def test_search_as_you_type(window: Any, qtbot: Any) -> None:
    org = writers.save_organisation({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ"})
    for i, name in enumerate(["Nguyễn Thị Ánh", "Đặng Văn Dũng", "Lê Thu Hà"]):
        writers.save_candidate({"organisation_id": org, "full_name": name, "gender": "nu", "birth": dt.date(2008, 1, 1),
                             "ethnic": "01", "religion": "00", "personal_id": f"06830800000{i}"})
    window.refresh_all()
    tab = window.candidates
    assert tab.model.rowCount() == 3
    window.act_find.trigger()
    qtbot.keyClicks(tab.search, "dang")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=2000)
    assert tab.model.data(tab.model.index(0, 0)) == "Đặng Văn Dũng"
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=2000)
    # Sorting by birth date descending goes through the query.
    tab.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [tab.model.data(tab.model.index(r, 0)) for r in range(3)] == ["Lê Thu Hà", "Đặng Văn Dũng",
                                                                          "Nguyễn Thị Ánh"]


def test_models_pass_the_model_tester(demo_db: Path, qtmodeltester: Any, qt_settings: None) -> None:
    from lamha_desktop.ui.candidates.tab import CandidatesTab
    from lamha_desktop.ui.ceremonies.tab import CeremoniesTab
    from lamha_desktop.ui.due.tab import DueTab
    from lamha_desktop.ui.organisations.tab import OrganisationsTab
    from lamha_desktop.ui.overview.tab import OverviewTab

    tabs = [OrganisationsTab(), CandidatesTab(), CeremoniesTab(), DueTab(today=dt.date(2026, 11, 26)), OverviewTab()]
    tabs[-1].year.setValue(2024)
    tabs[3].load()
    for tab in tabs:
        assert tab.model.rowCount() > 0
        qtmodeltester.check(tab.model)


def test_a_font_is_installed(qapp: Any) -> None:
    families = QFontDatabase.families()
    assert families, "no font installed: every glyph would be a box"


def drag_border(header: Any, section: int, width: int) -> None:
    """Drag the right border of ``section`` with the mouse until it is ``width`` pixels wide."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    port = header.viewport()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) - 1
    y = header.height() // 2
    to = x + width - header.sectionSize(section)
    QTest.mousePress(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
    QTest.mouseMove(port, QPoint(to, y))
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(to, y))
    assert header.sectionSize(section) == width


def test_window_layout_is_remembered(tmp_path: Path, qtbot: Any, qt_settings: None) -> None:
    first = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"]).window
    qtbot.addWidget(first)
    first.show()
    first.resize(1000, 650)
    drag_border(first.candidates.view.horizontalHeader(), 0, 333)  # by hand: kept from now on
    first.tabs.setCurrentWidget(first.organisations)
    drag_border(first.organisations.view.horizontalHeader(), 1, 251)
    first.tabs.setCurrentWidget(first.candidates)
    org = writers.save_organisation({"code": "TH", "school_name": "Trường THPT Tân Hà", "name": "Đảng bộ"})
    for i, (name, born) in enumerate([("Lê An", dt.date(2008, 1, 1)), ("Lê Bình", dt.date(2009, 1, 1))]):
        writers.save_candidate({"organisation_id": org, "full_name": name, "gender": "nam", "birth": born,
                             "ethnic": "01", "religion": "00", "personal_id": f"06820800000{i}"})
    first.candidates.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # by date of birth, youngest first
    geometry = first.saveGeometry()
    first.close()
    db.close_database()
    from PySide6.QtCore import QSettings

    assert QSettings().value("main_window/geometry") == geometry
    second = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"]).window
    qtbot.addWidget(second)
    assert second.candidates.view.horizontalHeader().sectionSize(0) == 333
    assert [second.candidates.model.data(second.candidates.model.index(r, 0)) for r in range(2)] == [
        "Lê Bình", "Lê An"]
    writers.save_organisation({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ"})
    second.refresh_all()  # new rows do not undo the user's widths
    assert second.organisations.view.horizontalHeader().sectionSize(1) == 251
    assert second.height() == 650  # the offscreen screen is 800 pixels wide: Qt keeps windows on screen
    second.close()
    db.close_database()


def test_deleting_a_candidate_can_be_undone(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from lamha_desktop.domain import pipeline

    org = organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ",
                                "official_members": 18}).created_id
    cid = candidates.create({"organisation_id": org, "full_name": "Nguyễn Thị Ánh", "gender": "nu",
                             "birth": dt.date(2008, 11, 15), "ethnic": "01", "religion": "00",
                             "personal_id": "068308000001"}).created_id
    assert cid is not None
    record_history(cid)
    cer = ceremonies.hold({"organisation_id": org, "on": dt.date(2026, 12, 1), "decision_date": dt.date(2026, 11, 20),
                           "decision_received": dt.date(2026, 11, 23)}, [cid]).created_id
    assert cer is not None
    steps_before = [e.kind for e in repo.list_events(cid)]
    window.refresh_all()
    window.tabs.setCurrentWidget(window.candidates)
    window.candidates.view.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.act_delete.trigger()
    assert window.candidates.model.rowCount() == 0
    assert repo.get_ceremony(cer).candidate_ids == ()
    assert window.act_undo.isEnabled()
    window.act_undo.trigger()
    assert window.candidates.model.id_at(0) == cid
    assert [e.kind for e in repo.list_events(cid)] == steps_before
    assert repo.get_ceremony(cer).candidate_ids == (cid,)
    assert repo.candidate_rows([cid])[cid].status.stage == pipeline.Stage.PROBATION
    window.act_redo.trigger()
    assert window.candidates.model.rowCount() == 0
    assert [a.action for a in repo.audit_rows("candidate", cid)] == ["create", "delete", "create", "delete"]

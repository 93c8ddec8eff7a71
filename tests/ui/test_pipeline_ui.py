"""The pipeline rules as a user meets them: steps recorded through the real dialogs, refused or warned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lamha_desktop.domain import pipeline
from lamha_desktop.storage import repo, writers
from lamha_desktop.ui.candidates.detail import CandidateDetailDialog
from lamha_desktop.ui.candidates.steps import StepDialog

D = dt.date
K = pipeline.EventKind
DOSSIER = ("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the")


@pytest.fixture
def org(db_path: Path, qt_settings: None) -> int:
    return writers.save_organisation({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn",
                                   "name": "Chi bộ Trường THPT Lê Quý Đôn", "official_members": 9})


def _candidate(org: int, birth: dt.date, *, dossier: tuple[str, ...] = DOSSIER) -> int:
    cid = writers.save_candidate({"organisation_id": org, "full_name": "Nguyễn Thị Ánh", "gender": "nu", "birth": birth,
                               "ethnic": "01", "religion": "00", "personal_id": "068308001234"},
                              today=D(2026, 11, 26))
    writers.add_event(cid, K.CLASS, D(2026, 3, 5), {"cert_no": "15/GCN", "class_name": "Lớp 2026"})
    for i, item in enumerate(dossier):
        data: dict[str, Any] = {"item": item}
        if item == "gioi_thieu":
            data |= {"member": "Vũ Thị Thanh Hà", "together_since": "2024-09-05"}
        writers.add_event(cid, K.DOSSIER, D(2026, 4, 1) + dt.timedelta(days=i), data)
    return cid


def _vote(qtbot: Any, cid: int, on: str, *, agree: int = 8, reason: str = "") -> StepDialog:
    dlg = StepDialog(cid, K.VOTE)
    qtbot.addWidget(dlg)
    dlg.date_field("on").setText(on)
    dlg.int_field("agree").setValue(agree)
    dlg.int_field("disagree").setValue(9 - agree)
    dlg.text_field("override_reason").setText(reason)
    return dlg


def _save(dlg: StepDialog) -> None:
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()


def _kinds(cid: int) -> list[str]:
    return [e.kind for e in repo.list_events(cid)]


def test_a_vote_before_18_is_refused(org: int, qtbot: Any) -> None:
    cid = _candidate(org, D(2008, 11, 15))
    dlg = _vote(qtbot, cid, "20/10/2026")
    _save(dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "Chưa đủ 18 tuổi" in dlg.general_error.text()
    assert "01/11/2026" in dlg.general_error.text()
    assert K.VOTE not in _kinds(cid)


def test_a_vote_in_the_birth_month_warns_then_saves(org: int, qtbot: Any) -> None:
    cid = _candidate(org, D(2008, 11, 15))
    dlg = _vote(qtbot, cid, "05/11/2026")
    assert "ĐẠT" in dlg.vote_result.text()
    _save(dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "trong tháng sinh" in dlg.warning_text()
    assert dlg.buttons.button(dlg.buttons.StandardButton.Ok).text() == "&Vẫn lưu"
    _save(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert vote.data["passed"] is True
    assert vote.data["warnings"] == ["vote.birth_month_warning"]
    status = repo.candidate_rows([cid], today=D(2026, 11, 26))[cid].status
    assert status.stage == pipeline.Stage.VOTED
    assert status.next_action == "decision"


def test_missing_dossier_needs_a_reason_which_is_kept(org: int, qtbot: Any) -> None:
    cid = _candidate(org, D(2007, 5, 2), dossier=("don", "ly_lich", "nq_doan", "gioi_thieu", "nx_noi_cu_tru",
                                                  "nx_doan_the"))
    dlg = _vote(qtbot, cid, "02/11/2026")
    _save(dlg)
    assert "Hồ sơ còn thiếu" in dlg.general_error.text()
    assert "Thẩm tra lý lịch" in dlg.general_error.text()
    assert K.VOTE not in _kinds(cid)
    dlg.text_field("override_reason").setText("Đã có kết quả thẩm tra, chờ văn bản")
    _save(dlg)
    assert "đã ghi nhận lý do" in dlg.warning_text()
    _save(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert vote.data["override_reason"] == "Đã có kết quả thẩm tra, chờ văn bản"


def test_a_failed_vote_is_recorded_as_failed(org: int, qtbot: Any) -> None:
    cid = _candidate(org, D(2007, 5, 2))
    dlg = _vote(qtbot, cid, "02/11/2026", agree=5)
    assert "KHÔNG ĐẠT" in dlg.vote_result.text()
    _save(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    status = repo.candidate_rows([cid], today=D(2026, 11, 26))[cid].status
    assert status.failed_vote
    assert status.stage < pipeline.Stage.VOTED


def test_dates_out_of_order_are_refused(org: int, qtbot: Any) -> None:
    cid = _candidate(org, D(2007, 5, 2))
    writers.add_event(cid, K.VOTE, D(2026, 10, 5), {"members": 9, "agree": 8, "disagree": 1, "passed": True})
    dlg = StepDialog(cid, K.DECISION)
    qtbot.addWidget(dlg)
    dlg.text_field("number").setText("123-QĐ/HU")
    dlg.date_field("on").setText("01/10/2026")
    _save(dlg)
    assert "trước ngày chi bộ biểu quyết (05/10/2026)" in dlg.general_error.text()
    assert K.DECISION not in _kinds(cid)
    dlg.date_field("on").setText("20/10/2026")
    dlg.date_field("received").setText("15/10/2026")
    _save(dlg)
    assert "nhận quyết định" in dlg.general_error.text()
    dlg.date_field("received").setText("26/10/2026")
    _save(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    decision = next(e for e in repo.list_events(cid) if e.kind == K.DECISION)
    # The issuer defaults to the committee in force on the decision date; none is configured after 30/06/2025.
    assert decision.data["received"] == "2026-10-26"


def test_the_issuer_is_the_committee_in_force(org: int, qtbot: Any) -> None:
    writers.save_committee({"name": "Tỉnh ủy Lâm Đồng", "valid_from": D(2025, 7, 1), "place": "Lâm Đồng"})
    cid = _candidate(org, D(2007, 5, 2))
    dlg = StepDialog(cid, K.DECISION)
    qtbot.addWidget(dlg)
    dlg.date_field("on").setText("20/03/2025")
    assert dlg.text_field("issuer").text() == "Ban Thường vụ Huyện ủy Lâm Hà"
    dlg.date_field("on").setText("20/10/2026")
    assert dlg.text_field("issuer").text() == "Ban Thường vụ Tỉnh ủy Lâm Đồng"


def test_detail_view_shows_timeline_dossier_and_history(org: int, qtbot: Any, tmp_path: Path) -> None:
    cid = _candidate(org, D(2007, 5, 2), dossier=("don", "ly_lich"))
    dlg = CandidateDetailDialog(cid, today=D(2026, 11, 26))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.timeline.rowCount() == 3
    assert dlg.timeline.data(dlg.timeline.index(0, 1)) == "Lớp bồi dưỡng nhận thức về Đảng"
    assert "✘ Thẩm tra lý lịch" in dlg.dossier.text()
    assert "✔ Đơn" in dlg.dossier.text()
    assert "✔ Đơn xin vào Đảng (01/" in dlg.dossier.toolTip()  # each paper in full, with its date
    assert "Đang làm hồ sơ" in dlg.stage.text()
    assert dlg.history.rowCount() == 4  # the person and three steps
    # Deleting a step from the view updates the stage at once.
    dlg.view.selectRow(0)
    qtbot.waitUntil(lambda: dlg.selected() is not None)
    from PySide6.QtWidgets import QMessageBox

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        dlg.delete_step()
    assert dlg.timeline.rowCount() == 2
    assert dlg.changed
    dlg.grab().save(str(tmp_path / "detail.png"))


def test_enter_in_the_candidates_table_opens_the_detail_view(org: int, qtbot: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.ui.candidates.tab import CandidatesTab

    cid = _candidate(org, D(2007, 5, 2))
    opened: list[int] = []
    monkeypatch.setattr(CandidateDetailDialog, "ask",
                        classmethod(lambda cls, parent, c, **_kw: opened.append(c) or True))
    tab = CandidatesTab()
    qtbot.addWidget(tab)
    tab.show()
    tab.view.selectRow(0)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert opened == [cid]


def test_dialog_models_pass_the_model_tester(org: int, qtbot: Any, qtmodeltester: Any) -> None:
    from lamha_desktop.ui.organisations.dialogs import CommitteesDialog
    from lamha_desktop.ui.settings.dialog import SettingsDialog

    writers.save_settings({}, [repo.DayOffRow(D(2026, 12, 28), False, "Nghỉ bù")])
    cid = _candidate(org, D(2007, 5, 2))
    detail = CandidateDetailDialog(cid)
    committees = CommitteesDialog()
    settings_dialog = SettingsDialog()
    for dlg in (detail, committees, settings_dialog):
        qtbot.addWidget(dlg)
    for model in (detail.timeline, detail.history, committees.model, settings_dialog.days):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_deleting_a_step_can_be_undone(org: int, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMessageBox, QWidget

    cid = _candidate(org, D(2007, 5, 2), dossier=("don",))
    holder = QWidget()
    stack = QUndoStack(holder)
    qtbot.addWidget(holder)
    dlg = CandidateDetailDialog(cid, holder, undo_stack=stack)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dlg.view.selectRow(1)
    dlg.delete_step()
    assert [e.kind for e in repo.list_events(cid)] == [K.CLASS]
    assert dlg.timeline.rowCount() == 1
    stack.undo()
    assert [e.kind for e in repo.list_events(cid)] == [K.CLASS, K.DOSSIER]
    assert dlg.timeline.rowCount() == 2
    assert "Đang làm hồ sơ" in dlg.stage.text()


def test_organisation_and_ceremony_dialogs_show_their_history(org: int, qtbot: Any) -> None:
    from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog
    from lamha_desktop.ui.organisations.dialogs import OrganisationDialog

    writers.save_organisation({**repo.get_organisation(org).__dict__, "upper_committee_id": None,
                            "official_members": 11}, org)
    dlg = OrganisationDialog(org)
    qtbot.addWidget(dlg)
    history = dlg.show_history("organisation", org)
    qtbot.addWidget(history)
    model = history.audit_view.model
    assert model.rowCount() == 2  # created, then the members changed
    cer = writers.save_ceremony({"organisation_id": org, "on": D(2026, 5, 20)}, [])
    cdlg = CeremonyDialog(cer)
    qtbot.addWidget(cdlg)
    buttons = [b.text() for b in cdlg.buttons.buttons()]
    assert "Lịch sử &thay đổi…" in buttons
    assert cdlg.show_history("ceremony", cer).audit_view.model.rowCount() == 1


def test_the_number_of_official_members_is_not_a_free_field(org: int, qtbot: Any) -> None:
    """Typing 6 instead of the organisation's 9, then 5 in favour, used to be recorded as passed."""
    cid = _candidate(org, D(2006, 11, 15))
    dlg = _vote(qtbot, cid, "05/11/2026", agree=5)
    members = dlg.int_field("members")
    assert members.value() == 9
    assert members.isReadOnly()
    members.setValue(6)  # what a keyboard cannot do any more, a test can: it is still not what is stored
    assert not dlg.members_reason.isEnabled()
    _save(dlg)
    _save(dlg)  # past the warnings, if any
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert (vote.data["members"], vote.data["agree"], vote.data["passed"]) == (9, 5, False)


def test_a_correction_of_the_members_needs_its_reason(org: int, qtbot: Any) -> None:
    cid = _candidate(org, D(2006, 11, 15))
    dlg = _vote(qtbot, cid, "05/11/2026", agree=5)
    dlg.members_fix.setChecked(True)
    assert not dlg.int_field("members").isReadOnly()
    dlg.int_field("members").setValue(6)
    dlg.int_field("disagree").setValue(1)
    _save(dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "phải đính chính và ghi rõ lý do" in dlg.general_error.text()
    dlg.members_reason.setText("3 đồng chí chuyển sinh hoạt tạm thời")
    _save(dlg)
    assert "đính chính" in dlg.warning_text()
    _save(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert (vote.data["members"], vote.data["passed"]) == (6, True)
    assert vote.data["members_reason"] == "3 đồng chí chuyển sinh hoạt tạm thời"

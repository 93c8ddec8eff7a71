"""Leading the clerk, as a clerk meets it: "Bước tiếp theo" in the record, the numbered step menu, the dossier
checklist, the next-step column and the age-window filter of the candidates tab, and the due list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from lamha_desktop.domain import guide, pipeline
from lamha_desktop.operations import candidates, organisations, steps
from lamha_desktop.storage import audit, repo
from lamha_desktop.ui.candidates.detail import CandidateDetailDialog
from lamha_desktop.ui.candidates.dossier import DossierDialog
from lamha_desktop.ui.candidates.steps import StepDialog
from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog

D = dt.date
K = pipeline.EventKind
TODAY = dt.date.today()
ITEMS = ("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the")


@pytest.fixture
def org(db_path: Path, qt_settings: None) -> int:
    created = organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn",
                                    "name": "Chi bộ Trường THPT Lê Quý Đôn", "official_members": 9,
                                    "secretary": "Nguyễn Văn Hòa"})
    assert created.created_id is not None
    return created.created_id


def new_student(org: int, *, birth: dt.date, pid: str = "068207001234", name: str = "Lê Thị Mai",
                graduation_year: int | None = None) -> int:
    created = candidates.create({"organisation_id": org, "full_name": name, "gender": "nu", "birth": birth,
                                 "ethnic": "01", "religion": "00", "personal_id": pid, "class_name": "12A1",
                                 "graduation_year": graduation_year})
    assert created.created_id is not None
    return created.created_id


def press_ok(dlg: Any) -> None:
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    if dlg.result() != QDialog.DialogCode.Accepted and ok.text() == "&Vẫn lưu":
        ok.click()  # the warnings were shown; the clerk records anyway


def drive(monkeypatch: pytest.MonkeyPatch, fillers: dict[type, Callable[[Any], None]]) -> list[QDialog]:
    """Every dialog the record opens is filled by its filler and saved; a message box fails the test.
    Returns the dialogs in the order they were opened."""
    opened: list[QDialog] = []

    def run(self: Any) -> int:
        opened.append(self)
        fillers[type(self)](self)
        press_ok(self)
        assert self.result() == QDialog.DialogCode.Accepted, self.general_error.text()
        return int(self.result())

    for cls in fillers:
        monkeypatch.setattr(cls, "exec", run)
    for name in ("question", "warning", "information", "critical"):  # a message box would be a dialog too
        monkeypatch.setattr(QMessageBox, name, lambda *a, n=name, **k: pytest.fail(f"unexpected message box {n}"))
    return opened


def fill_step(dlg: StepDialog) -> None:
    if dlg.kind == K.SOURCE:
        dlg.text_field("helper").setText("Trần Văn Lộc")
    elif dlg.kind == K.CLASS:
        dlg.text_field("cert_no").setText("15/GCN-TTCT")
        dlg.text_field("class_name").setText("Lớp bồi dưỡng nhận thức về Đảng")
    elif dlg.kind == K.VOTE:
        dlg.int_field("agree").setValue(8)
        dlg.int_field("disagree").setValue(1)
    elif dlg.kind == K.DECISION:
        dlg.text_field("number").setText("123-QĐ/ĐU")
        dlg.date_field("received").set_date(dlg.date_field("on").date())


def fill_dossier(dlg: DossierDialog) -> None:
    # Opened from "Bước tiếp theo": every missing item is ticked already, on the suggested date.
    assert dlg.checked() == list(ITEMS)
    dlg.row("gioi_thieu").member.setText("Vũ Thị Thanh Hà")
    dlg.row("gioi_thieu").together.set_date(TODAY - dt.timedelta(days=500))


def fill_ceremony(dlg: CeremonyDialog) -> None:
    assert dlg.on.date() == TODAY  # the suggested date
    dlg.place.setText("Hội trường nhà trường")


def test_a_new_student_walks_from_the_source_list_to_admitted_through_next_steps(
        org: int, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only "Bước tiếp theo" and the dialogs its buttons open: six dialogs (the issue allows eight)."""
    cid = new_student(org, birth=D(TODAY.year - 18, 1, 15), graduation_year=TODAY.year + 1)
    opened = drive(monkeypatch, {StepDialog: fill_step, DossierDialog: fill_dossier, CeremonyDialog: fill_ceremony})
    detail = CandidateDetailDialog(cid, today=TODAY)
    qtbot.addWidget(detail)
    detail.show()
    walked: list[str] = []
    for _ in range(12):
        if repo.candidate_rows([cid], today=TODAY)[cid].status.stage >= pipeline.Stage.PROBATION:
            break
        step = detail.next_step()
        assert step is not None
        key = "dossier" if step.kind == K.DOSSIER else step.kind
        button = detail.next_buttons[key]
        assert button.isEnabled(), button.toolTip()
        walked.append(f"{step.number.split('.')[0]} {step.kind}")
        button.click()
    status = repo.candidate_rows([cid], today=TODAY)[cid].status
    assert status.stage == pipeline.Stage.PROBATION
    assert status.admitted_on == TODAY
    assert walked == ["1 source", "2 class", "3 dossier", "4 vote", "5 decision", "6 ceremony"]
    assert [type(d).__name__ for d in opened] == ["StepDialog", "StepDialog", "DossierDialog", "StepDialog",
                                                  "StepDialog", "CeremonyDialog"]
    assert len(opened) <= 8
    # The dossier went in as one change: seven steps, recorded together.
    kinds = [e.kind for e in repo.list_events(cid)]
    assert kinds.count(K.DOSSIER) == 7
    # After admission the record leads on to the recognition.
    assert detail.next_step() is not None
    assert detail.next_step().kind == K.RECOGNITION  # type: ignore[union-attr]
    assert not detail.next_buttons[K.RECOGNITION].isEnabled()  # not before the end of probation


def test_the_panel_says_what_each_step_needs_when_and_what_blocks_it(org: int, qtbot: Any, tmp_path: Path) -> None:
    cid = new_student(org, birth=D(2009, 11, 15), graduation_year=2027)  # 18 from 01/11/2027, after graduating
    steps.record(cid, K.SOURCE, D(2026, 9, 1), {"helper": "Trần Văn Lộc"}, today=D(2026, 12, 1))
    steps.record(cid, K.CLASS, D(2026, 10, 1), {"cert_no": "1/GCN"}, today=D(2026, 12, 1))
    detail = CandidateDetailDialog(cid, today=D(2026, 12, 1))
    qtbot.addWidget(detail)
    detail.show()
    joined = " ".join(detail.next_texts())
    assert "3. Hồ sơ — còn 7 giấy tờ" in joined
    assert "4. Chi bộ biểu quyết" in joined
    assert "sớm nhất 01/11/2027 (đủ 18 tuổi)" in joined
    assert "muộn nhất 31/05/2027 (tốt nghiệp)" in joined
    assert "Cần ít nhất 6/9 đảng viên chính thức tán thành" in joined
    assert "Chưa đủ 18 tuổi vào ngày chi bộ biểu quyết" in joined  # the blocker, in words
    assert "đề nghị bàn giao" in joined  # no window: the way out
    assert not detail.next_buttons[K.VOTE].isEnabled()
    assert "Chưa đủ 18 tuổi" in detail.next_buttons[K.VOTE].toolTip()
    assert detail.next_buttons["dossier"].isEnabled()
    # The age-window planner in the record.
    window = detail.window_label.text()
    assert "Không kịp đủ 18 tuổi trước khi tốt nghiệp" in window
    assert "Bàn giao cho tổ chức đảng" in window
    assert "giấy chứng nhận (60 tháng)" in window
    detail.grab().save(str(tmp_path / "record.png"))


def test_the_step_menu_is_numbered_in_procedure_order_and_greyed_with_reasons(org: int, qtbot: Any) -> None:
    cid = new_student(org, birth=D(2007, 1, 15))
    detail = CandidateDetailDialog(cid, today=TODAY)
    qtbot.addWidget(detail)
    actions = [a for a in detail.step_menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == [
        "&1. Đưa vào danh sách nguồn", "&2. Lớp bồi dưỡng nhận thức về Đảng", "&3. Hồ sơ…",
        "&4. Chi bộ biểu quyết đề nghị kết nạp", "&5. Quyết định kết nạp", "&6. Lễ kết nạp",
        "&7. Công nhận đảng viên chính thức", "Chuyển sinh hoạt đảng", "Không kết nạp", "Xóa tên khỏi danh sách"]
    assert detail.step_menu.toolTipsVisible()
    decision = detail.step_actions[K.DECISION]
    assert not decision.isEnabled()
    assert decision.toolTip() == "Chưa có bước chi bộ biểu quyết nên chưa ghi được bước quyết định kết nạp."
    assert detail.step_actions[K.SOURCE].isEnabled()
    assert detail.step_actions[K.DOSSIER].isEnabled()
    assert not detail.step_actions[K.CEREMONY].isEnabled()
    # A đảng bộ cơ sở numbers the đảng ủy step and shifts the rest.
    organisations.edit(org, {**repo.get_organisation(org).__dict__, "kind": "dang_bo",
                             "upper_committee_id": None})
    detail.reload()
    texts = [a.text() for a in detail.step_menu.actions() if not a.isSeparator()]
    assert texts[4:7] == ["&5. Đảng ủy cơ sở xét", "&6. Quyết định kết nạp", "&7. Lễ kết nạp"]


def test_the_dossier_checklist_records_several_items_at_once(org: int, qtbot: Any) -> None:
    cid = new_student(org, birth=D(2007, 1, 15))
    steps.record(cid, K.DOSSIER, TODAY, {"item": "don"})
    dlg = DossierDialog(cid, suggested=TODAY, items=["ly_lich", "tham_tra"])
    qtbot.addWidget(dlg)
    assert dlg.checked() == ["ly_lich", "tham_tra"]
    assert dlg.row("don").state.text() == f"đã ghi {TODAY:%d/%m/%Y}"
    assert dlg.row("ly_lich").on.date() == TODAY
    dlg.tick("nx_doan_the", TODAY - dt.timedelta(days=2), number="15-NQ/ĐTN")
    dlg.row("tham_tra").on.setText("31/02/2026")
    press_ok(dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error_text("item:tham_tra") == "Ngày không hợp lệ (nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2008)."
    assert [e.data["item"] for e in repo.list_events(cid)] == ["don"]  # nothing written
    dlg.row("tham_tra").on.set_date(TODAY + dt.timedelta(days=3))
    press_ok(dlg)
    assert "sau ngày hôm nay" in dlg.error_text("item:tham_tra")
    assert len(repo.list_events(cid)) == 1  # one bad item refuses the batch
    dlg.row("tham_tra").on.set_date(TODAY)
    press_ok(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    recorded = {e.data["item"]: e for e in repo.list_events(cid)}
    assert set(recorded) == {"don", "ly_lich", "tham_tra", "nx_doan_the"}
    assert recorded["nx_doan_the"].data["number"] == "15-NQ/ĐTN"
    assert len(dlg.saved_ids) == 3
    entries = audit.all_entries(audit.AuditFilter(candidate_id=cid))
    assert sum(1 for e in entries if e.table == "event") == 4


def test_the_candidates_tab_shows_the_next_step_and_filters_by_age_window(org: int, qtbot: Any,
                                                                         qtmodeltester: Any) -> None:
    from lamha_desktop.ui.candidates.tab import CandidatesTab

    ok = new_student(org, birth=D(2007, 1, 15), pid="068207000001", name="An Văn Ok", graduation_year=2026)
    late = new_student(org, birth=D(2008, 7, 2), pid="068208000002", name="Bùi Thị Muộn", graduation_year=2026)
    short = new_student(org, birth=D(2008, 4, 9), pid="068208000003", name="Cao Văn Sát", graduation_year=2026)
    unknown = new_student(org, birth=D(2008, 7, 2), pid="068208000004", name="Đỗ Văn Chưa")
    steps.record(ok, K.SOURCE, D(2025, 9, 1), today=D(2025, 12, 1))
    tab = CandidatesTab(today=D(2025, 12, 1))
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model)
    column = [c.header for c in tab.model.columns].index("Bước tiếp theo")
    by_id = {tab.model.id_at(r): tab.model.data(tab.model.index(r, column)) for r in range(tab.model.rowCount())}
    assert by_id[ok] == "2. Lớp bồi dưỡng nhận thức về Đảng — trước 31/05/2026"
    assert by_id[late].startswith("1. Đưa vào danh sách nguồn")
    tab.window_filter.setCurrentIndex(tab.window_filter.findData(repo.WINDOW_NONE))
    assert [tab.model.id_at(r) for r in range(tab.model.rowCount())] == [late]
    tab.window_filter.setCurrentIndex(tab.window_filter.findData(repo.WINDOW_SHORT))
    assert [tab.model.id_at(r) for r in range(tab.model.rowCount())] == [short]
    # The query agrees with the domain's planner for every student.
    for cid in (ok, late, short, unknown):
        c = repo.get_candidate(cid)
        grad = guide.graduation_date(c["graduation_year"]) if c["graduation_year"] else None
        window = guide.age_window(birth=c["birth"], graduation=grad)
        flt_none = repo.candidate_ids(repo.CandidateFilter(window=repo.WINDOW_NONE))
        flt_short = repo.candidate_ids(repo.CandidateFilter(window=repo.WINDOW_SHORT))
        assert (cid in flt_none) == (grad is not None and window.no_window)
        assert (cid in flt_short) == (grad is not None and window.short)


def test_the_due_list_carries_the_next_step_and_opens_its_dialog(org: int, qtbot: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.storage import due
    from lamha_desktop.ui.due.tab import DueTab

    today = D(2026, 3, 2)
    cid = new_student(org, birth=D(2007, 9, 9), graduation_year=2026)  # eligible since 09/2025, leaves 31/05
    steps.record(cid, K.SOURCE, D(2025, 9, 1), today=today)
    steps.record(cid, K.CLASS, D(2025, 10, 1), {"cert_no": "1/GCN"}, today=today)
    rows = due.list_due(today)
    (row,) = [r for r in rows if r.candidate_id == cid]
    assert (row.kind, row.due) == ("vote_by_graduation", D(2026, 5, 31))
    assert row.next_steps[0].kind == K.DOSSIER
    tab = DueTab(today=today)
    qtbot.addWidget(tab)
    tab.show()
    column = [c.header for c in tab.model.columns].index("Bước tiếp theo")
    assert tab.model.data(tab.model.index(0, column)) == "3. Hồ sơ (còn 7 giấy tờ) — trước 31/05/2026"
    assert tab.model.data(tab.model.index(0, 2)) == "Chi bộ biểu quyết trước khi học sinh tốt nghiệp"
    opened = []

    def fill(dlg: DossierDialog) -> None:
        opened.append(dlg.checked())
        for code in dlg.checked():
            dlg.row(code).on.set_date(D(2026, 3, 1))
        dlg.row("gioi_thieu").member.setText("Vũ Thị Thanh Hà")

    monkeypatch.setattr(DossierDialog, "exec", lambda self: fill(self) or press_ok(self) or int(self.result()))
    tab.view.selectRow(0)
    tab.record_next()
    assert opened == [list(ITEMS)]
    assert sum(1 for e in repo.list_events(cid) if e.kind == K.DOSSIER) == 7


def test_a_vote_keeps_its_meeting_and_a_correction_keeps_the_documents_number(org: int, qtbot: Any) -> None:
    cid = new_student(org, birth=D(2007, 1, 15))
    steps.record(cid, K.CLASS, D(2025, 3, 1), {"cert_no": "1/GCN"})
    steps.record_dossier(cid, [{"item": i, "on": D(2025, 9, 1), **({"member": "Hà", "together_since": "2024-01-01"}
                                                                   if i == "gioi_thieu" else {})} for i in ITEMS])
    dlg = StepDialog(cid, K.VOTE, suggested=D(2025, 10, 6))
    qtbot.addWidget(dlg)
    assert dlg.date_field("on").date() == D(2025, 10, 6)
    assert dlg.text_field("chair").text() == "Nguyễn Văn Hòa"  # the secretary, shown
    dlg.int_field("agree").setValue(8)
    dlg.text_field("secretary").setText("Ngô Thị Huệ")
    dlg.int_field("official_present").setValue(7)  # fewer than the 8 votes
    dlg.int_field("probationary").setValue(0)
    dlg.text_field("start").setText("14h")
    press_ok(dlg)
    assert "vượt số đảng viên chính thức có mặt (7)" in dlg.general_error.text()
    dlg.int_field("official_present").setValue(9)
    press_ok(dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert {k: vote.data[k] for k in ("chair", "secretary", "official_present", "probationary", "start")} == {
        "chair": "Nguyễn Văn Hòa", "secretary": "Ngô Thị Huệ", "official_present": 9, "probationary": 0,
        "start": "14:00"}
    assert "probationary_present" not in vote.data  # left "(chưa ghi)"
    from lamha_desktop.operations import documents

    assert documents.save_facts(cid, "nq-chi-bo", {}, number="").result == "01-NQ/CB"
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    edit = StepDialog(cid, K.VOTE, event=vote)
    qtbot.addWidget(edit)
    assert edit.int_field("official_present").value() == 9
    edit.int_field("agree").setValue(9)
    edit.int_field("disagree").setValue(0)
    press_ok(edit)
    assert edit.result() == QDialog.DialogCode.Accepted
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert vote.data["agree"] == 9
    assert vote.data["number"] == "01-NQ/CB"  # the correction kept the resolution's number


def test_each_step_dialog_is_titled_as_its_step_is_named_in_the_lists(org: int, qtbot: Any) -> None:
    """The next-step column and the record name a step by ``guide_view.step_title`` (kept apart from the
    dialogs so that the column does not load them): each dialog's title is that name."""
    from lamha_desktop.ui.candidates import guide_view
    from lamha_desktop.ui.candidates.steps import RECORDABLE

    cid = new_student(org, birth=D(2008, 1, 5))
    for kind in RECORDABLE:
        dialog = StepDialog(cid, kind)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == guide_view.step_title(kind), kind
    assert guide_view.step_title(K.CEREMONY) == "Lễ kết nạp"
    assert guide_view.step_title("not_a_step") == "Not_a_step"


@pytest.mark.parametrize("text", ["a < b & c > d", "&amp; đã <b>in</b>", 'ngoặc "kép" và \'đơn\'', ""])
def test_guide_text_is_escaped_as_html_escape_does(text: str) -> None:
    import html

    from lamha_desktop.ui.candidates import guide_view

    assert guide_view.escape(text) == html.escape(text, quote=False)


def test_a_member_admitted_after_graduating_is_told_to_transfer_from_the_ceremony(
        demo_db: Path, qt_settings: None, qtbot: Any) -> None:
    # In the demo, K'Dòng Lan graduated in 05/2023 and was admitted at the ceremony of 29/05/2024.
    cid = repo.candidate_ids(repo.CandidateFilter(text="K'Dòng Lan"))[0]
    detail = CandidateDetailDialog(cid, today=D(2026, 12, 3))
    qtbot.addWidget(detail)
    detail.resize(768, 736)
    detail.show()
    joined = " ".join(detail.next_texts())
    assert "sớm nhất 29/05/2024 (lễ kết nạp sau khi tốt nghiệp)" in joined
    assert "muộn nhất 21/08/2024 (60 ngày làm việc kể từ lễ kết nạp)" in joined
    assert detail.deadline.text() == "21/08/2024 (60 ngày làm việc kể từ lễ kết nạp)"
    # A long reason wraps in its own column: the next steps keep their share of the window (3 of 5).
    detail.deadline.setText("21/08/2024 (" + "một lý do rất dài, " * 12 + ")")
    qtbot.waitUntil(lambda: detail.next_box.width() >= 0.5 * detail.width())

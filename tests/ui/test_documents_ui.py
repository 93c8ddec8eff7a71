"""'Soạn văn bản…' from a student's record and from a ceremony, "Mở bằng Word", the user's template folder and
"Kiểm tra mẫu" in the settings."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx_checks import assert_clean_document, flat, read
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from lamha_desktop.domain import pipeline
from lamha_desktop.operations import ACCEPT_ALL, candidates, ceremonies, organisations, steps
from lamha_desktop.reports import documents as d
from lamha_desktop.storage import document_data, repo
from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog
from lamha_desktop.ui.documents import DocumentDialog, TemplateCheckDialog
from lamha_desktop.ui.documents import dialogs as document_dialogs

D = dt.date
K = pipeline.EventKind
HOSTILE = "Đoàn & Hội <THPT> \"q\" 'a'"
ITEMS = ("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the")


@pytest.fixture
def voted(db_path: Path, qt_settings: None) -> tuple[int, int]:
    org = organisations.create({"code": "NB", "school_name": "Trường THPT Nam Ban",
                                "name": "Chi bộ Trường THPT Nam Ban", "official_members": 9,
                                "secretary": "Đỗ Văn Sơn"}).created_id
    organisations.save_committee({"name": "Đảng ủy xã Nam Ban", "valid_from": D(2025, 7, 1), "place": "Nam Ban"})
    assert org is not None
    cid = candidates.create({"organisation_id": org, "full_name": "Hoàng Thị Lan", "gender": "nu",
                             "birth": D(2007, 2, 3), "ethnic": "02", "religion": "00",
                             "personal_id": "068307000123"}).created_id
    assert cid is not None
    steps.record(cid, K.SOURCE, D(2025, 8, 1), {"helper": "Vũ Thị Hạnh"})
    steps.record(cid, K.CLASS, D(2025, 9, 1), {"cert_no": "7/GCN"})
    steps.record_dossier(cid, [{"item": i, "on": D(2025, 10, 1), **({"member": "Vũ Thị Hạnh",
                                                                     "together_since": "2024-01-01"}
                                                                    if i == "gioi_thieu" else {})} for i in ITEMS])
    steps.record(cid, K.VOTE, D(2025, 10, 6), {"agree": 8, "disagree": 1}, accept=ACCEPT_ALL)
    return org, cid


def save_to(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    asked: list[str] = []

    def choose(self: DocumentDialog, name: str) -> Path:
        asked.append(name)
        return folder / name

    monkeypatch.setattr(DocumentDialog, "choose_path", choose)
    return asked


def press(dlg: Any) -> None:
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    if ok.text() == "&Vẫn lưu":
        ok.click()


def test_a_resolution_asks_for_what_it_lacks_stores_it_numbers_and_saves(
        voted: tuple[int, int], qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    org, cid = voted
    asked = save_to(monkeypatch, tmp_path)
    opened: list[QUrl] = []
    monkeypatch.setattr(document_dialogs.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dlg = DocumentDialog(candidate_id=cid, kind="nq-chi-bo")
    qtbot.addWidget(dlg)
    assert dlg.choice().kind == "nq-chi-bo"
    assert dlg.number.text() == "01-NQ/CB"  # the next of its series, not given yet
    assert "Chi bộ biểu quyết" in dlg.home.text()
    chair = dlg.fields["vote.chair"]
    assert chair.label.styleSheet() == document_dialogs._MISSING_STYLE  # missing facts are marked
    assert dlg.fields["vote.absent_reasons"].label.styleSheet() == ""  # optional: not marked
    dlg.set_fact("vote.chair", HOSTILE)
    dlg.set_fact("vote.secretary", "Vũ Thị Hạnh")
    dlg.set_fact("vote.official_present", 5)  # fewer than the votes: refused beside its field
    dlg.set_fact("vote.probationary", 0)
    press(dlg)
    assert "vượt số đảng viên chính thức có mặt" in dlg.error_text("vote.official_present")
    assert dlg.saved_path is None
    assert document_data.next_number(org, "NQ/CB", 2025) == 1  # nothing stored, no number taken
    dlg.set_fact("vote.official_present", 9)
    press(dlg)
    assert dlg.saved_path == tmp_path / "nq-chi-bo-hoang-thi-lan.docx"
    assert asked == ["nq-chi-bo-hoang-thi-lan.docx"]
    text = flat(assert_clean_document(dlg.saved_path.read_bytes()))
    assert f"Chủ trì hội nghị: đồng chí {HOSTILE}" in text
    assert "Số 01-NQ/CB" in text
    assert "Đã lưu văn bản" in dlg.status.text()
    assert dlg.last is not None
    assert dlg.last.missing == ()
    vote = next(e for e in repo.list_events(cid) if e.kind == K.VOTE)
    assert (vote.data["chair"], vote.data["number"]) == (HOSTILE, "01-NQ/CB")
    assert dlg.number.text() == "01-NQ/CB"  # now the number given
    assert dlg.open_button.isEnabled()
    assert dlg.open_in_word()
    assert opened == [QUrl.fromLocalFile(str(dlg.saved_path))]
    # The same document again keeps its number; the counter stays.
    press(dlg)
    assert document_data.next_number(org, "NQ/CB", 2025) == 2


def test_facts_of_a_step_not_recorded_yet_cannot_be_stored(voted: tuple[int, int], qtbot: Any,
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _org, cid = voted
    save_to(monkeypatch, tmp_path)
    dlg = DocumentDialog(candidate_id=cid, kind="nq-cong-nhan")
    qtbot.addWidget(dlg)
    assert "Chưa ghi bước" in dlg.home.text()
    assert not dlg.fields["recognition.chair"].widget.isEnabled()
    assert not dlg.number.isEnabled()
    press(dlg)
    assert dlg.last is not None
    assert {m.path for m in dlg.last.missing} >= {"admitted_on", "meeting.on", "vote"}
    assert "Còn để trống" in dlg.status.text()
    assert_clean_document(dlg.last.data)


def test_the_introducer_s_letter_and_the_class_letter(voted: tuple[int, int], qtbot: Any,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    org, cid = voted
    save_to(monkeypatch, tmp_path)
    dlg = DocumentDialog(candidate_id=cid, kind="giay-gioi-thieu")
    qtbot.addWidget(dlg)
    assert not dlg.number.isEnabled()
    dlg.set_fact("gioi_thieu.member_admitted_on", D(2005, 3, 4))
    dlg.set_fact("gioi_thieu.member_official_on", D(2006, 3, 4))
    dlg.set_fact("gioi_thieu.member_birth", D(1980, 1, 2))
    press(dlg)
    assert dlg.last is not None
    assert dlg.last.missing == ()  # assigned by the chi bộ when listed: the source step's helper is the introducer
    assert "từ ngày 01/08/2025" in flat(read(dlg.last.data))
    # A student on the source list: the class letter proposes them (and may add others of the organisation).
    fresh = candidates.create({"organisation_id": org, "full_name": "Lê Văn Tâm", "gender": "nam",
                               "birth": D(2008, 3, 3), "ethnic": "01", "religion": "00",
                               "personal_id": "068208000124"}).created_id
    assert fresh is not None
    steps.record(fresh, K.SOURCE, D(2025, 8, 1))
    dlg = DocumentDialog(candidate_id=fresh, kind="de-nghi-hoc-lop")
    qtbot.addWidget(dlg)
    assert dlg.letter_box.isVisibleTo(dlg)
    assert dlg.checked_students() == [fresh]
    assert dlg.students_model.rowCount() == 1  # the voted student is past the class
    assert dlg.recipient.text() == "Ban Thường vụ Đảng ủy xã Nam Ban"
    dlg.signed_on.set_date(D(2025, 8, 20))
    dlg.course.setText("khóa 3 năm 2025")
    press(dlg)
    assert dlg.saved_path == tmp_path / "de-nghi-hoc-lop-nb.docx"
    letter = flat(assert_clean_document(dlg.saved_path.read_bytes()))
    assert "Số 01-CV/CB" in letter
    assert "Lê Văn Tâm" in letter
    assert "khóa 3 năm 2025" in letter
    assert document_data.next_number(org, "CV/CB", 2025) == 2


def test_the_ceremony_keeps_its_programme_facts_and_writes_the_programme(
        voted: tuple[int, int], qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    org, cid = voted
    steps.record(cid, K.DECISION, D(2025, 11, 3), {"number": "12-QĐ/ĐU", "issuer": "Ban Thường vụ Đảng ủy xã Nam Ban",
                                                   "received": "2025-11-05"})
    save_to(monkeypatch, tmp_path)
    composed: list[DocumentDialog] = []

    def run(self: DocumentDialog) -> int:
        composed.append(self)
        self.set_fact("ceremony.upper_guest", "Ban Thường vụ Đảng ủy xã Nam Ban")
        press(self)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(DocumentDialog, "exec", run)
    dlg = CeremonyDialog(parent=None, candidate_id=cid, suggested=D(2025, 11, 20))
    qtbot.addWidget(dlg)
    assert dlg.on.date() == D(2025, 11, 20)
    assert dlg.chair.text() == "Đỗ Văn Sơn"
    assert dlg.candidates_model.item(0, 1).text() == "Vũ Thị Hạnh"  # the helper assigned when listed, shown
    dlg.place.setText("Hội trường")
    dlg.start.setText("8h")
    dlg.set_helper(cid, "Trần Văn Lộc")
    dlg.compose_button.click()  # saves the ceremony first, then writes its programme
    assert dlg.ceremony_id is not None
    assert len(composed) == 1
    saved = composed[0].saved_path
    assert saved is not None
    text = flat(assert_clean_document(saved.read_bytes()))
    assert "Thời gian: 08 giờ 00, ngày 20 tháng 11 năm 2025." in text
    assert "Điều hành buổi lễ: đồng chí Đỗ Văn Sơn." in text
    assert "công bố đồng chí Trần Văn Lộc được phân công giúp đỡ đảng viên dự bị Hoàng Thị Lan" in text
    assert "4. Đại diện Ban Thường vụ Đảng ủy xã Nam Ban phát biểu ý kiến." in text
    assert document_data.ceremony_source(dlg.ceremony_id).data == {
        "start": "08:00", "chair": "Đỗ Văn Sơn", "helpers": {str(cid): "Trần Văn Lộc"},
        "upper_guest": "Ban Thường vụ Đảng ủy xã Nam Ban"}
    assert repo.candidate_rows([cid])[cid].status.stage == pipeline.Stage.PROBATION
    # Reopened, the dialog shows what was kept; saving again edits the same ceremony.
    again = CeremonyDialog(dlg.ceremony_id)
    qtbot.addWidget(again)
    assert (again.start.text(), again.chair.text()) == ("08:00", "Đỗ Văn Sơn")
    assert again.helpers() == {str(cid): "Trần Văn Lộc"}
    ceremonies.set_details(dlg.ceremony_id, {})
    assert len(repo.list_ceremonies(organisation_id=org)) == 1


def test_a_user_template_is_checked_and_falls_back(voted: tuple[int, int], qtbot: Any,
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   qtmodeltester: Any) -> None:
    from lamha_desktop.ui.documents import copy_builtin_templates
    from lamha_desktop.ui.settings.dialog import SettingsDialog

    _org, cid = voted
    folder = tmp_path / "mau"
    copied = copy_builtin_templates(folder)
    assert len(copied) == len(d.KINDS)
    assert copy_builtin_templates(folder) == []  # never replaces a file
    # A clerk's edit that misspells a variable and one that is not a Word document at all.
    broken = folder / "nq-chi-bo.docx"
    with zipfile.ZipFile(d.KINDS["nq-chi-bo"].builtin) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ person.full_name }}", b"{{ person.ful_name }}", 1)
            dst.writestr(item, data)
    (folder / "tong-hop-y-kien.docx").write_bytes(b"not a word file")
    settings = SettingsDialog()
    qtbot.addWidget(settings)
    settings.templates.setText(str(folder))
    settings.margins[2].setValue(35)
    checked: list[TemplateCheckDialog] = []
    monkeypatch.setattr(TemplateCheckDialog, "exec", lambda self: checked.append(self) or 0)
    settings.check_templates()
    model = checked[0].model
    qtmodeltester.check(model)
    verdicts = {r.kind: model.data(model.index(i, 2)) for i, r in enumerate(model.rows)}
    assert "person.ful_name" in verdicts["nq-chi-bo"]
    assert "dùng mẫu có sẵn thay thế" in verdicts["nq-chi-bo"]
    assert "không phải tệp Word" in verdicts["tong-hop-y-kien"]
    assert verdicts["nq-cong-nhan"] == f"Mẫu {folder / 'nq-cong-nhan.docx'} hợp lệ."
    press(settings)
    assert document_data.template_folder() == folder
    assert document_data.margins() == (20, 20, 35, 15)
    # The document falls back to the built-in template and says why.
    save_to(monkeypatch, tmp_path)
    dlg = DocumentDialog(candidate_id=cid, kind="nq-chi-bo")
    qtbot.addWidget(dlg)
    press(dlg)
    assert dlg.last is not None
    assert dlg.last.fallback is not None
    assert "đã dùng mẫu có sẵn" in dlg.status.text()
    section = read(dlg.last.data).sections[0]
    assert round(section.left_margin.mm) == 35


def test_the_record_opens_the_documents_of_a_next_step(voted: tuple[int, int], qtbot: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.ui.candidates.detail import CandidateDetailDialog

    _org, cid = voted
    opened: list[tuple[int | None, str | None]] = []
    monkeypatch.setattr(DocumentDialog, "ask", classmethod(
        lambda cls, parent, **kw: opened.append((kw.get("candidate_id"), kw.get("kind")))))
    detail = CandidateDetailDialog(cid, today=D(2025, 12, 1))
    qtbot.addWidget(detail)
    assert detail.next_step() is not None
    assert detail.next_step().kind == K.DECISION  # type: ignore[union-attr]
    detail.documents.click()
    assert opened == [(cid, None)]
    # Before the vote, the vote's step offers its resolution.
    other = candidates.create({"organisation_id": repo.get_candidate(cid)["organisation_id"],
                               "full_name": "Lê Văn Tâm", "gender": "nam", "birth": D(2007, 3, 3), "ethnic": "01",
                               "religion": "00", "personal_id": "068207000124"}).created_id
    assert other is not None
    detail2 = CandidateDetailDialog(other, today=D(2025, 12, 1))
    qtbot.addWidget(detail2)
    detail2.next_buttons["vote_documents"].click()
    assert opened[-1] == (other, "nq-chi-bo")

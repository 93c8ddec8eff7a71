"""The admission paperwork: every kind rendered and read back with python-docx (layout, fonts, texts, leftovers),
missing facts, prompts for the signer, hostile text, user templates and their fallback, numbers and formats."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import zipfile
from datetime import date, time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx_checks import all_paragraphs, assert_clean_document, flat, read, text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamha_desktop import catalogue
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.reports import documents as d
from lamha_desktop.reports.documents import fmt

ROOT = Path(__file__).resolve().parents[2]
TNR = "Times New Roman"
D = date
HOSTILE = " & <THPT> \"q\" 'a'"
MARKS = re.compile("[\ue000-\ue003]")


# ------------------------------------------------------------------------------------------------ contexts

ORG = d.Organisation(name="Chi bộ Trường THPT Nam Ban", upper_body="Đảng bộ xã Nam Ban", place="Nam Ban",
                     upper_committee="Ban Thường vụ Đảng ủy xã Nam Ban", secretary="Đỗ Văn Sơn")
DU = dataclasses.replace(ORG, name="Đảng ủy Trường THPT Nam Ban", kind=OrgKind.DANG_BO)
PERSON = d.Person(full_name="Hoàng Thị Lan", birth=D(2008, 2, 3), gender="nu", ethnic="Tày", religion="Không")
MEETING = d.Meeting(on=D(2026, 4, 2), chair="Đỗ Văn Sơn", secretary="Vũ Thị Hạnh",
                    attendance=d.Attendance(official=5, probationary=0, official_present=5, probationary_present=0))
VOTE = d.Vote(agree=4, members=5)


def minimal(code: str) -> d.DocumentContext:
    """Every required fact, and no optional one."""
    timed = dataclasses.replace(MEETING, start=time(7, 30), end=time(9, 0), place="Phòng họp")
    contexts: dict[str, d.DocumentContext] = {
        "nq-chi-bo": d.ChiBoResolution(ORG, PERSON, MEETING, VOTE, number="01-NQ/CB", signed_on=D(2026, 4, 2)),
        "bien-ban-chi-bo": d.MeetingMinutes(ORG, PERSON, timed, dataclasses.replace(VOTE, method="hands"),
                                            certificate=d.Certificate("7/GCN", D(2025, 11, 2)),
                                            signed_on=D(2026, 4, 2)),
        "nq-dang-uy": d.DangUyResolution(DU, PERSON, d.ResolutionRef("01-NQ/CB", D(2026, 4, 2), ORG.name), MEETING,
                                         d.CommitteeAttendance(members=5, present=5), d.Vote(agree=5, members=5),
                                         number="02-NQ/ĐU", signed_on=D(2026, 4, 9)),
        "tong-hop-y-kien": d.OpinionsSummary(ORG, PERSON, d.OpinionGroup("Chi đoàn 12A3", 30, 30, 30),
                                             d.OpinionGroup("Chi bộ thôn 4", 12, 10, 9, 1), signed_on=D(2026, 3, 2)),
        "giay-gioi-thieu": d.Introduction(ORG, PERSON, d.Introducer("Vũ Thị Hạnh", D(1980, 1, 2), D(2005, 3, 4),
                                                                      D(2006, 3, 4), chi_bo=ORG.name,
                                                                      assigned_on=D(2025, 9, 1)),
                                          signed_on=D(2026, 3, 1)),
        "de-nghi-hoc-lop": d.ClassProposal(ORG, "Ban Thường vụ Đảng ủy xã Nam Ban", (PERSON,), number="04-CV/CB",
                                           signed_on=D(2025, 9, 1)),
        "chuong-trinh-le": d.CeremonyProgramme(ORG, D(2026, 6, 1), (d.CeremonyStudent(
            PERSON, "9-QĐ/ĐU", D(2026, 5, 20), "Ban Thường vụ Đảng ủy xã Nam Ban", "Vũ Thị Hạnh"),),
            start=time(8, 0), place="Hội trường"),
        "nq-cong-nhan": d.RecognitionResolution(ORG, dataclasses.replace(PERSON, admitted=True), D(2026, 6, 1),
                                                D(2027, 6, 1), MEETING, VOTE, number="03-NQ/CB",
                                                signed_on=D(2027, 6, 5)),
    }
    return contexts[code]


LITERAL_FIELDS = {"kind", "gender", "method"}


def hostile(value: Any) -> Any:
    """Every free text of a context with ``& < > " '`` appended."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in LITERAL_FIELDS:
                continue
            changes[f.name] = hostile(getattr(value, f.name))
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(hostile(v) for v in value)
    if isinstance(value, str) and value:
        return value + HOSTILE
    return value


EXPECTED: dict[str, list[str]] = {
    "nq-chi-bo": ["ĐẢNG BỘ XÃ MẪU SƠN", "CHI BỘ TRƯỜNG THPT MẪU SƠN", "Số 05-NQ/CB", "ĐẢNG CỘNG SẢN VIỆT NAM",
                  "Mẫu Sơn, ngày 05 tháng 4 năm 2026", "NGHỊ QUYẾT", "Căn cứ Điều 4 Điều lệ Đảng",
                  "đề nghị kết nạp quần chúng Nguyễn Thị Mẫu vào Đảng",
                  "Tổng số đảng viên của chi bộ: 14 đồng chí, trong đó chính thức 12 đồng chí, dự bị 2 đồng chí.",
                  "Có mặt: 13 đồng chí, trong đó chính thức 11 đồng chí, dự bị 2 đồng chí.",
                  "Vắng mặt: 1 đồng chí, trong đó chính thức 1 đồng chí, dự bị 0 đồng chí; lý do: 1 đồng chí đi",
                  "tán thành: 11/12 đồng chí, đạt 91,7% so với tổng số đảng viên chính thức",
                  "không tán thành: 1 đồng chí, chiếm 8,3% (lý do: Chưa tích cực tham gia)",
                  "Đề nghị Ban Thường vụ Đảng ủy xã Mẫu Sơn xem xét", "T/M CHI BỘ", "BÍ THƯ", "Phạm Văn Bí",
                  "Nơi nhận:", "- Ban Thường vụ Đảng ủy xã Mẫu Sơn;", "- Lưu chi bộ.", "Ưu điểm (ví dụ)."],
    "bien-ban-chi-bo": ["BIÊN BẢN", "Số 02-BB/CB", "vào lúc 14 giờ 00, ngày 03 tháng 4 năm 2026",
                        "tại Phòng họp nhà trường", "Khách mời: Đại diện Ban Chấp hành Đoàn trường.",
                        "số 123/GCN, cấp ngày 20/10/2025 (Trung tâm Chính trị)", "- Đơn xin vào Đảng, ngày 01/02/2026;",
                        "- Đồng chí Lê Thị Thư: Ý kiến (ví dụ).", "bằng hình thức bỏ phiếu kín",
                        "11/12 đảng viên chính thức tán thành, đạt 91,7%", "đạt từ hai phần ba trở lên",
                        "kết thúc lúc 16 giờ 30", "THƯ KÝ", "CHỦ TRÌ", "Lê Thị Thư"],
    "nq-dang-uy": ["ĐẢNG ỦY TRƯỜNG THPT MẪU SƠN", "Số 07-NQ/ĐU", "Căn cứ Nghị quyết số 05-NQ/CB ngày 05/04/2026 của "
                   "Chi bộ Trường THPT Mẫu Sơn", "Tổng số cấp ủy viên: 7 đồng chí; có mặt: 6 đồng chí; vắng mặt: 1 "
                   "đồng chí (lý do: 1 đồng chí ốm).", "6/7 đồng chí, đạt 85,7% so với tổng số cấp ủy viên",
                   "T/M ĐẢNG ỦY", "- Lưu văn phòng đảng ủy."],
    "tong-hop-y-kien": ["TỔNG HỢP Ý KIẾN NHẬN XÉT", "Họ và tên người xin vào Đảng: Nguyễn Thị Mẫu.",
                        "đoàn thể nơi học tập: Chi đoàn 12A1", "Tổng số: 38; số được hỏi ý kiến: 38; tán thành: 37, "
                        "đạt 97,4%; không tán thành: 1, chiếm 2,6% (lý do: Chưa gương mẫu).",
                        "chi ủy nơi cư trú: Chi bộ thôn 1", "tán thành: 18, đạt 100%", "T/M CHI BỘ"],
    "giay-gioi-thieu": ["GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG", "Kính gửi: Chi bộ Trường THPT Mẫu Sơn",
                        "Tôi là: Trần Văn Giới, sinh ngày 01/06/1985.",
                        "Vào Đảng ngày 19/05/2010; chính thức ngày 19/05/2011.",
                        "giúp đỡ quần chúng Nguyễn Thị Mẫu phấn đấu vào Đảng từ ngày 10/09/2024",
                        "Tôi xin chịu trách nhiệm trước Đảng về sự giới thiệu của mình.",
                        "Mẫu Sơn, ngày 01 tháng 3 năm 2026", "ĐẢNG VIÊN GIỚI THIỆU"],
    "de-nghi-hoc-lop": ["Số 03-CV/CB", "V/v đề nghị cử quần chúng học lớp bồi dưỡng nhận thức về Đảng",
                        "Kính gửi: Ban Thường vụ Đảng ủy xã Mẫu Sơn", "cử 2 quần chúng ưu tú là học sinh Trường THPT "
                        "Mẫu Sơn tham gia lớp bồi dưỡng nhận thức về Đảng khóa 2 năm 2025", "- Như trên;",
                        "- Ban Tổ chức Đảng ủy xã Mẫu Sơn;", "- Lưu.", "DANH SÁCH QUẦN CHÚNG ĐỀ NGHỊ HỌC LỚP",
                        "(Kèm theo Công văn số 03-CV/CB ngày 15 tháng 9 năm 2025 của Chi bộ Trường THPT Mẫu Sơn)",
                        "Danh sách có 2 quần chúng."],
    "chuong-trinh-le": ["CHƯƠNG TRÌNH", "Thời gian: 08 giờ 00, ngày 12 tháng 6 năm 2026.",
                        "Địa điểm: Hội trường nhà trường.", "Điều hành buổi lễ: đồng chí Phạm Văn Bí.",
                        "1. Chào cờ (hát Quốc ca, Quốc tế ca).", "2. Tuyên bố lý do, giới thiệu đại biểu.",
                        "3.1. Quần chúng Nguyễn Thị Mẫu", "3.2. Quần chúng K' Mẫu Ha",
                        "Đọc Quyết định số 145-QĐ/ĐU ngày 25/05/2026 của Ban Thường vụ Đảng ủy xã Mẫu Sơn",
                        "Đảng viên mới K' Mẫu Ha đọc lời tuyên thệ.",
                        "công bố đồng chí Trần Văn Giới được phân công giúp đỡ đảng viên dự bị Nguyễn Thị Mẫu",
                        "4. Đại diện Ban Thường vụ Đảng ủy xã Mẫu Sơn phát biểu ý kiến.", "5. Bế mạc (chào cờ)."],
    "nq-cong-nhan": ["Số 09-NQ/CB", "đề nghị công nhận đảng viên chính thức", "Căn cứ Điều 5 Điều lệ Đảng",
                     "đề nghị công nhận đảng viên dự bị Nguyễn Thị Mẫu, được kết nạp vào Đảng ngày 12/06/2026",
                     "công nhận đồng chí Nguyễn Thị Mẫu là đảng viên chính thức kể từ ngày 12/06/2027",
                     "đạt 91,7%"],
}


# ------------------------------------------------------------------------------------------------ every kind


def test_the_kinds_are_the_documents_of_the_issue() -> None:
    assert list(d.KINDS) == ["nq-chi-bo", "bien-ban-chi-bo", "nq-dang-uy", "tong-hop-y-kien", "giay-gioi-thieu",
                             "de-nghi-hoc-lop", "chuong-trinh-le", "nq-cong-nhan"]
    assert set(catalogue.DOCUMENT_NAMES) == set(d.KINDS) == set(EXPECTED)
    assert d.KINDS["nq-chi-bo"].form == "Mẫu 6-KNĐ"  # data (resources/codelists/documents.json)
    assert d.KINDS["nq-cong-nhan"].form == "Mẫu 13-KNĐ"
    assert d.KINDS["bien-ban-chi-bo"].form is None
    assert {k: v.number_type for k, v in d.KINDS.items()} == {
        "nq-chi-bo": "NQ", "bien-ban-chi-bo": "BB", "nq-dang-uy": "NQ", "tong-hop-y-kien": None,
        "giay-gioi-thieu": None, "de-nghi-hoc-lop": "CV", "chuong-trinh-le": None, "nq-cong-nhan": "NQ"}
    for kind in d.KINDS.values():
        assert kind.builtin.is_file()
        assert isinstance(d.example(kind.code), kind.context)


@pytest.mark.parametrize("code", list(d.KINDS))
def test_every_kind_renders_from_full_data(code: str) -> None:
    rendered = d.render(code, d.example(code))
    assert rendered.missing == ()
    assert rendered.fallback is None
    assert rendered.template == d.KINDS[code].builtin
    doc = assert_clean_document(rendered.data)
    text = flat(doc)
    for expected in EXPECTED[code]:
        assert expected in text, expected
    assert doc.core_properties.title == catalogue.DOCUMENT_NAMES[code]


@pytest.mark.parametrize("code", list(d.KINDS))
def test_every_kind_renders_from_data_without_the_optional_facts(code: str) -> None:
    rendered = d.render(code, minimal(code))
    assert rendered.missing == ()
    text = flat(assert_clean_document(rendered.data))
    assert "lý do:" not in text
    assert "(lý do" not in text
    assert "Khách mời" not in text
    assert "học sinh lớp" not in text
    assert "Hoàng Thị Lan" in text


@pytest.mark.parametrize("code", list(d.KINDS))
def test_every_kind_keeps_ampersands_angle_brackets_and_quotes(code: str) -> None:
    context = hostile(d.example(code))
    rendered = d.render(code, context)
    assert rendered.missing == ()
    text = flat(assert_clean_document(rendered.data))
    name = f"Trường THPT Mẫu Sơn{HOSTILE}"
    assert name in text or name.upper() in text  # the issuing body, in the header or in "Kính gửi"
    assert text.count(HOSTILE) >= 3


def test_doan_and_hoi_survive_the_template() -> None:
    org = dataclasses.replace(ORG, name="Chi bộ Đoàn & Hội <THPT>")
    text = flat(read(d.render("nq-chi-bo", dataclasses.replace(minimal("nq-chi-bo"), org=org)).data))
    assert "Chi bộ Đoàn & Hội <THPT> đã họp" in text
    assert "CHI BỘ ĐOÀN & HỘI <THPT>" in text


def test_control_characters_and_marks_in_typed_text_are_dropped_and_line_ends_kept() -> None:
    typed = d.Assessment(strengths="Chăm chỉ\x0b\x01\ue000 học tập\r\nTích cực", weaknesses="Còn rụt rè\ue003")
    context = dataclasses.replace(minimal("nq-chi-bo"), assessment=typed)
    doc = assert_clean_document(d.render("nq-chi-bo", context).data)
    text = text_of(doc)
    assert "Chăm chỉ học tập\nTích cực" in text  # the line end is a line break (w:br) in the same paragraph
    assert "Còn rụt rè" in text
    assert [t for t, _ in highlighted(doc)] == [catalogue.documents.WRITE_PROMPTS[k]
                                                for k in ("background", "understanding")]


# ------------------------------------------------------------------------------------------------ layout


def test_the_header_is_a_borderless_two_column_table() -> None:
    doc = read(d.render("nq-chi-bo", d.example("nq-chi-bo")).data)
    header = doc.tables[0]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ XÃ MẪU SƠN", "CHI BỘ TRƯỜNG THPT MẪU SƠN", "*",
                                                 "Số 05-NQ/CB"]
    assert left.paragraphs[1].runs[0].bold
    assert not left.paragraphs[0].runs[0].bold
    party = right.paragraphs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.runs[0].bold
    assert party.runs[0].font.size.pt == 15
    rule = right.paragraphs[1]
    assert rule._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:top')}") is not None
    dated = right.paragraphs[2]
    assert dated.text == "Mẫu Sơn, ngày 05 tháng 4 năm 2026"
    assert dated.runs[0].italic


def test_margins_default_to_36_hd_and_follow_the_setting() -> None:
    doc = read(d.render("nq-chi-bo", d.example("nq-chi-bo")).data)
    s = doc.sections[0]
    assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [20, 20, 30, 15]
    doc = read(d.render("de-nghi-hoc-lop", d.example("de-nghi-hoc-lop"),
                        margins=d.Margins(top=25, bottom=25, left=35, right=15)).data)
    for s in doc.sections:
        assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == \
            [25, 25, 35, 15]


def test_page_numbers_start_on_page_two() -> None:
    doc = read(d.render("nq-chi-bo", d.example("nq-chi-bo")).data)
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" not in section.first_page_header._element.xml
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml
    assert 'w:fldCharType="begin"' in header_xml


def test_recipients_are_at_12_points_under_an_underlined_heading() -> None:
    doc = read(d.render("nq-chi-bo", d.example("nq-chi-bo")).data)
    cell = doc.tables[-1].rows[0].cells[0]
    heading, *lines = [p for p in cell.paragraphs if p.text]
    assert heading.text == "Nơi nhận:"
    assert heading.runs[0].underline
    assert heading.runs[0].font.size.pt == 14
    assert [p.text for p in lines] == ["- Ban Thường vụ Đảng ủy xã Mẫu Sơn;", "- Lưu chi bộ."]
    assert {r.font.size.pt for p in lines for r in p.runs} == {12}


def test_the_class_list_is_sorted_by_given_name_on_a_landscape_page() -> None:
    doc = read(d.render("de-nghi-hoc-lop", d.example("de-nghi-hoc-lop")).data)
    landscape = doc.sections[1]
    assert landscape.page_width > landscape.page_height
    table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert [r[:3] for r in rows[1:]] == [["1", "K' Mẫu Ha", "20/01/2008"], ["2", "Nguyễn Thị Mẫu", "09/03/2008"]]
    assert rows[1][3:9] == ["Nam", "Cơ-ho", "Công giáo", "xã Mẫu Sơn, tỉnh Lâm Đồng", "12A2", "26/03/2023"]


def test_before_admission_quan_chung_after_it_dong_chi() -> None:
    before = flat(read(d.render("nq-chi-bo", d.example("nq-chi-bo")).data))
    assert "Quần chúng Nguyễn Thị Mẫu, sinh ngày 09/03/2008" in before
    after = flat(read(d.render("nq-cong-nhan", d.example("nq-cong-nhan")).data))
    assert "quần chúng" not in after.lower()
    assert "đồng chí Nguyễn Thị Mẫu" in after


def test_a_failed_vote_is_concluded_as_such_in_the_minutes() -> None:
    failed = dataclasses.replace(d.example("bien-ban-chi-bo"), vote=d.Vote(agree=7, members=12, disagree=5,
                                                                            method="hands"))
    text = flat(read(d.render("bien-ban-chi-bo", failed).data))
    assert "chưa đạt hai phần ba" in text
    assert "7/12 đảng viên chính thức tán thành, đạt 58,3%" in text
    assert "bằng hình thức giơ tay" in text


# ------------------------------------------------------------------------------------------------ what a person writes


def highlighted(doc: DocxDocument) -> list[tuple[str, bool]]:
    return [(r.text, bool(r.italic)) for p in all_paragraphs(doc) for r in p.runs
            if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]


def test_evaluative_text_is_never_generated_but_left_highlighted_for_the_signer() -> None:
    rendered = d.render("nq-chi-bo", minimal("nq-chi-bo"))
    marked = highlighted(read(rendered.data))
    assert [t for t, _ in marked] == [catalogue.documents.WRITE_PROMPTS[k]
                                      for k in ("background", "strengths", "weaknesses", "understanding")]
    assert all(italic for _, italic in marked)
    written = dataclasses.replace(minimal("nq-chi-bo"), assessment=d.Assessment(strengths="Gương mẫu & chăm chỉ"))
    doc = read(d.render("nq-chi-bo", written).data)
    assert "Gương mẫu & chăm chỉ" in flat(doc)
    assert len(highlighted(doc)) == 3


def test_missing_facts_are_returned_and_left_as_highlighted_blanks() -> None:
    bare = d.ChiBoResolution(org=d.Organisation(name="Chi bộ X", upper_body="Đảng bộ Y"),
                             person=d.Person(full_name="Lý Văn Tâm"), meeting=d.Meeting(on=None), vote=None)
    rendered = d.render("nq-chi-bo", bare)
    paths = [m.path for m in rendered.missing]
    assert paths == ["org.place", "number", "signed_on", "org.upper_committee", "org.secretary", "person.birth",
                     "person.gender", "person.ethnic", "person.religion", "meeting.on", "meeting.chair",
                     "meeting.secretary", "meeting.attendance", "vote"]
    doc = assert_clean_document(rendered.data)
    blanks = [t for t, italic in highlighted(doc) if not italic]
    assert blanks
    assert all(set(t) == {"…"} for t in blanks)
    header = doc.tables[0].rows[0].cells
    assert header[0].paragraphs[3].text == "Số ……-NQ/CB"
    assert header[1].paragraphs[2].text == "…………, ngày …… tháng …… năm ……"


@pytest.mark.parametrize("code", list(d.KINDS))
def test_every_missing_fact_has_a_name(code: str) -> None:
    empty_org = d.Organisation(name="", upper_body="", kind=OrgKind.CHI_BO)
    empty_person = d.Person(full_name="")
    empty_meeting = d.Meeting(on=None)
    contexts: dict[str, d.DocumentContext] = {
        "nq-chi-bo": d.ChiBoResolution(empty_org, empty_person, empty_meeting, None),
        "bien-ban-chi-bo": d.MeetingMinutes(empty_org, empty_person, empty_meeting, None),
        "nq-dang-uy": d.DangUyResolution(empty_org, empty_person, d.ResolutionRef("", None), empty_meeting, None,
                                         None),
        "tong-hop-y-kien": d.OpinionsSummary(empty_org, empty_person, d.OpinionGroup(""), d.OpinionGroup("")),
        "giay-gioi-thieu": d.Introduction(empty_org, empty_person, d.Introducer("")),
        "de-nghi-hoc-lop": d.ClassProposal(empty_org, "", (empty_person,)),
        "chuong-trinh-le": d.CeremonyProgramme(empty_org, None, (d.CeremonyStudent(d.Person("Mai Lan")),)),
        "nq-cong-nhan": d.RecognitionResolution(empty_org, empty_person, None, None, empty_meeting, None),
    }
    rendered = d.render(code, contexts[code])
    assert rendered.missing
    assert {m.path for m in rendered.missing} <= set(catalogue.FACT_NAMES)
    assert_clean_document(rendered.data)


def test_a_fact_missing_for_one_student_of_a_ceremony_says_which() -> None:
    programme = dataclasses.replace(d.example("chuong-trinh-le"), students=(
        d.CeremonyStudent(d.Person("Mai Lan"), "1-QĐ/ĐU", D(2026, 5, 2), "BTV", helper=""),))
    assert d.render("chuong-trinh-le", programme).missing == (d.MissingFact("students.helper", 0, "Mai Lan"),)


def test_impossible_counts_and_wrong_contexts_are_refused() -> None:
    bad = dataclasses.replace(minimal("nq-chi-bo"), vote=d.Vote(agree=6, members=5))
    with pytest.raises(d.DocumentError) as info:
        d.render("nq-chi-bo", bad)
    assert (info.value.code, info.value.params) == ("document.counts_invalid", {"what": "vote"})
    with pytest.raises(d.DocumentError) as info:
        d.render("nq-chi-bo", minimal("nq-cong-nhan"))
    assert info.value.code == "document.context_mismatch"
    with pytest.raises(d.DocumentError) as info:
        d.render("nq-chi-bo-2", minimal("nq-chi-bo"))
    assert info.value.code == "document.unknown_kind"
    assert "nq-chi-bo" in catalogue.text(info.value.code, info.value.params)


# ------------------------------------------------------------------------------------------------ user templates


def copy_with(tmp_path: Path, code: str, old: str, new: str) -> Path:
    """A user's copy of the built-in template with ``old`` replaced by ``new`` in its body XML."""
    source = d.KINDS[code].builtin
    target = tmp_path / "mau" / source.name
    target.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            dst.writestr(item, data)
    return target


def test_the_built_in_templates_pass_the_check() -> None:
    for code, kind in d.KINDS.items():
        check = d.check_template(kind.builtin, code)
        assert check.ok, check
        assert check.problems() == [("document.template_ok", {"path": str(kind.builtin)})]


def test_a_user_template_that_passes_the_check_is_used(tmp_path: Path) -> None:
    copy_with(tmp_path, "nq-chi-bo", "NGHỊ QUYẾT", "NGHỊ QUYẾT (MẪU RIÊNG)")
    rendered = d.render("nq-chi-bo", d.example("nq-chi-bo"), override_dir=tmp_path / "mau")
    assert rendered.template == tmp_path / "mau" / "nq-chi-bo.docx"
    assert rendered.fallback is None
    assert "NGHỊ QUYẾT (MẪU RIÊNG)" in flat(read(rendered.data))


def test_an_unknown_variable_fails_the_check_and_the_built_in_template_is_used(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "nq-chi-bo", "vote.agree_percent", "vote.agre_percent")
    check = d.check_template(path, "nq-chi-bo")
    assert check.unknown == ("vote.agre_percent",)
    assert check.missing == ("vote.agree_percent",)
    assert not check.ok
    assert [code for code, _ in check.problems()] == ["document.template_unknown", "document.template_missing"]
    rendered = d.render("nq-chi-bo", d.example("nq-chi-bo"), override_dir=tmp_path / "mau")
    assert rendered.template == d.KINDS["nq-chi-bo"].builtin
    assert rendered.fallback == check
    assert "91,7%" in flat(read(rendered.data))
    message = catalogue.text("document.template_fallback", {"path": path, "reason": catalogue.text(
        *check.problems()[0])})
    assert "vote.agre_percent" in message


def test_loop_variables_are_checked_against_the_items_of_their_list(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "chuong-trinh-le", "s.helper", "s.helpr")
    assert d.check_template(path, "chuong-trinh-le").unknown == ("students[].helpr",)
    assert "students[].helper" in d.known_variables("chuong-trinh-le")


def test_a_syntax_error_or_a_broken_file_fails_the_check(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "nq-chi-bo", "{{ vote.agree_percent }}", "{{ vote.agree_percent }")
    check = d.check_template(path, "nq-chi-bo")
    assert check.error == "document.template_syntax"
    assert check.line is not None
    assert d.render("nq-chi-bo", d.example("nq-chi-bo"), override_dir=tmp_path / "mau").fallback == check
    broken = tmp_path / "mau" / "nq-chi-bo.docx"
    broken.write_bytes(b"not a zip")
    check = d.check_template(broken, "nq-chi-bo")
    assert check.error == "document.template_unreadable"
    assert "{" not in catalogue.text(*check.problems()[0])


def test_a_template_failing_while_rendering_falls_back(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "nq-chi-bo", "{{ attendance.total }}", "{{ (attendance.total|int) // 0 }}")
    assert d.check_template(path, "nq-chi-bo").ok
    rendered = d.render("nq-chi-bo", d.example("nq-chi-bo"), override_dir=tmp_path / "mau")
    assert rendered.fallback is not None
    assert rendered.fallback.error == "document.template_render"
    assert "ZeroDivisionError" in rendered.fallback.detail
    assert rendered.template == d.KINDS["nq-chi-bo"].builtin


def test_an_override_folder_without_the_kind_uses_the_built_in_template(tmp_path: Path) -> None:
    rendered = d.render("nq-chi-bo", d.example("nq-chi-bo"), override_dir=tmp_path)
    assert (rendered.template, rendered.fallback) == (d.KINDS["nq-chi-bo"].builtin, None)


# ------------------------------------------------------------------------------------------------ formats, numbers


@pytest.mark.parametrize(("part", "whole", "text"), [
    (2, 3, "66,7%"), (14, 15, "93,3%"), (12, 12, "100%"), (0, 7, "0%"), (1, 8, "12,5%"), (1, 16, "6,3%"),
    (11, 12, "91,7%"), (1, 3, "33,3%"), (4, 5, "80%"),
])
def test_percentages_are_written_the_vietnamese_way(part: int, whole: int, text: str) -> None:
    assert fmt.percent(part, whole) == text


def test_a_percentage_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        fmt.percent(1, 0)


@pytest.mark.parametrize(("day", "text"), [
    (D(2026, 4, 5), "ngày 05 tháng 4 năm 2026"), (D(2026, 2, 15), "ngày 15 tháng 02 năm 2026"),
    (D(2026, 1, 9), "ngày 09 tháng 01 năm 2026"), (D(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    (D(2026, 10, 1), "ngày 01 tháng 10 năm 2026"),
])
def test_dates_in_words_take_leading_zeros_for_days_below_10_and_months_1_and_2(day: date, text: str) -> None:
    assert fmt.date_words(day) == text
    assert fmt.place_date("Nam Ban", day) == f"Nam Ban, {text}"


@pytest.mark.parametrize(("counter", "doc_type", "issuer", "text"), [
    (5, "NQ", "CB", "05-NQ/CB"), (12, "cv", "cb", "12-CV/CB"), (1, "NQ", "ĐU", "01-NQ/ĐU"),
    (123, "BB", "CB", "123-BB/CB"),
])
def test_document_numbers(counter: int, doc_type: str, issuer: str, text: str) -> None:
    assert d.document_number(counter, doc_type, issuer) == text
    parsed = d.parse_document_number(text)
    assert parsed is not None
    assert str(parsed) == text


@pytest.mark.parametrize("bad", [(0, "NQ", "CB"), (1, "", "CB"), (1, "N Q", "CB"), (1, "NQ", "C/B")])
def test_impossible_document_numbers_are_refused(bad: tuple[int, str, str]) -> None:
    with pytest.raises(ValueError, match=r"counter|invalid"):
        d.document_number(*bad)


@pytest.mark.parametrize(("typed", "parts"), [
    ("Số 5 - NQ/ĐU", (5, "NQ", "ĐU")), ("Số: 12-CV/CB", (12, "CV", "CB")), ("05-nq/cb", (5, "NQ", "CB")),
    ("05NQ/CB", None), ("0-NQ/CB", None), ("", None),
])
def test_numbers_typed_by_hand_are_read_back(typed: str, parts: tuple[int, str, str] | None) -> None:
    parsed = d.parse_document_number(typed)
    assert (None if parsed is None else (parsed.counter, parsed.doc_type, parsed.issuer)) == parts


def test_issuer_abbreviations() -> None:
    assert d.issuer_abbreviation("chi_bo") == "CB"
    assert d.issuer_abbreviation("dang_bo") == "ĐU"
    with pytest.raises(ValueError, match="unknown"):
        d.issuer_abbreviation("to_dang")


# ------------------------------------------------------------------------------------------------ the templates


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_document_templates",
                                                  ROOT / "build_scripts" / "make_document_templates.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_templates_are_what_the_script_makes_byte_for_byte(tmp_path: Path) -> None:
    written = _builder().make(tmp_path / "a")
    again = _builder().make(tmp_path / "b")
    assert [p.name for p in written] == [f"{code}.docx" for code in d.KINDS]
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes()
        assert first.read_bytes() == (d.templates_dir() / first.name).read_bytes(), \
            f"{first.name} is stale: run build_scripts/make_document_templates.py"


def test_the_templates_are_clean_word_files() -> None:
    for code, kind in d.KINDS.items():
        data = kind.builtin.read_bytes()
        doc = read(data)
        assert doc.core_properties.author == ""
        assert doc.core_properties.title == catalogue.DOCUMENT_NAMES[code]
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "docProps/thumbnail.jpeg" not in names
        assert not any("customXml" in n for n in names)


def test_every_code_of_the_documents_feature_has_a_text() -> None:
    raised = set(re.findall(r'"(document\.[a-z_]+)"', (ROOT / "lamha_desktop" / "reports" / "documents" /
                                                       "render.py").read_text(encoding="utf-8")))
    raised |= set(re.findall(r'"(document\.[a-z_]+)"', (ROOT / "lamha_desktop" / "reports" / "documents" /
                                                        "variables.py").read_text(encoding="utf-8")))
    assert {"document.template_syntax", "document.template_unreadable", "document.template_render",
            "document.template_unknown", "document.template_missing", "document.template_ok",
            "document.counts_invalid", "document.unknown_kind", "document.context_mismatch"} <= raised
    assert raised <= set(catalogue.MESSAGES)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=40), reasons=st.text(max_size=40))
def test_any_text_survives_the_template(name: str, reasons: str) -> None:
    context = dataclasses.replace(minimal("nq-chi-bo"), person=dataclasses.replace(PERSON, full_name=name),
                                  vote=d.Vote(agree=4, members=5, disagree=1, against_reasons=reasons))
    rendered = d.render("nq-chi-bo", context)
    doc = assert_clean_document(rendered.data, typed=(name, reasons))
    clean = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ue000-\ue003]", "", name.replace("\r", "\n"))
    if clean.strip():
        assert rendered.missing == ()
        assert clean.strip() in text_of(doc)
    else:
        assert [m.path for m in rendered.missing] == ["person.full_name"]

"""Reading class lists of every shape: real files written here, read back through readers.class_list."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from pathlib import Path

import pytest
from classlist_files import (
    SIMPLE_HEADER,
    simple_row,
    student,
    write_csv,
    write_xls,
    write_xlsx,
)

from lamha_desktop import catalogue
from lamha_desktop.domain import legacy
from lamha_desktop.readers import class_list as cl

TODAY = dt.date(2025, 9, 1)


def read(path: Path) -> tuple[list[cl.HeaderMatch], list[cl.ParsedRow]]:
    table = cl.read_table(path)
    matches = cl.detect_all(table)
    return matches, cl.parse_rows(table, matches, today=TODAY)


def codes(row: cl.ParsedRow) -> list[str]:
    return [p.code for p in row.problems]


TITLE = [["SỞ GIÁO DỤC VÀ ĐÀO TẠO LÂM ĐỒNG"], ["TRƯỜNG THPT TÂN HÀ"], [],
         ["DANH SÁCH HỌC SINH LỚP 12A1 — NĂM HỌC 2024-2025"], []]


# ---------------------------------------------------------------- finding the header


def test_title_rows_are_skipped_and_simple_header_found(tmp_path: Path) -> None:
    rows = [*TITLE, list(SIMPLE_HEADER), simple_row(student(0)), simple_row(student(1))]
    matches, parsed = read(write_xlsx(tmp_path / "a.xlsx", rows))
    (m,) = matches
    assert m.header_rows == (5,)
    assert m.first_data_row == 6
    assert m.fields == {"stt": 0, "full_name": 1, "birth": 2, "gender": 3, "ethnic": 4, "religion": 5,
                        "class_name": 6, "personal_id": 7, "residence": 8}
    assert m.missing == ()
    assert m.confidence == 1.0
    assert m.default_class == "12A1"  # from the title "DANH SÁCH HỌC SINH LỚP 12A1"
    assert [r.row for r in parsed] == [7, 8]
    first = parsed[0]
    s = student(0)
    assert first.values == {
        "full_name": s["full_name"], "birth": s["birth"], "gender": "nam", "personal_id": s["personal_id"],
        "ethnic": s["ethnic"], "religion": "", "class_name": s["class_name"], "residence": s["residence"],
    }
    assert first.problems == []
    assert first.warnings == []
    assert parsed[1].values["gender"] == "nu"


def test_merged_two_row_header_with_split_name_date_and_gender_marks(tmp_path: Path) -> None:
    rows = [
        ["DANH SÁCH HỌC SINH"],
        [],
        ["STT", "Họ và tên", None, "Ngày sinh", None, None, "Giới tính", None, "Dân tộc", "Số CCCD"],
        [None, "Họ đệm", "Tên", "Ngày", "Tháng", "Năm", "Nam", "Nữ", None, None],
        [1, "Nguyễn Thị", "Ánh", 5, 9, 2008, None, "x", "Kinh", "068308001234"],
        [2, "Trần Văn", "Bình", "1", "12", "07", "x", None, "Mạ", "068207001235"],
    ]
    merges = ["A3:A4", "B3:C3", "D3:F3", "G3:H3", "I3:I4", "J3:J4"]
    matches, parsed = read(write_xlsx(tmp_path / "m.xlsx", rows, merges=merges))
    (m,) = matches
    assert m.header_rows == (2, 3)
    assert m.fields == {"stt": 0, "family_middle": 1, "given_name": 2, "birth_day": 3, "birth_month": 4,
                        "birth_year": 5, "male": 6, "female": 7, "ethnic": 8, "personal_id": 9}
    assert m.labels[3] == "Ngày sinh / Ngày"
    a, b = parsed
    assert (a.values["full_name"], a.values["birth"], a.values["gender"]) == ("Nguyễn Thị Ánh", dt.date(2008, 9, 5),
                                                                             "nu")
    assert (b.values["full_name"], b.values["birth"], b.values["gender"]) == ("Trần Văn Bình", dt.date(2007, 12, 1),
                                                                             "nam")
    assert a.columns["full_name"] == "B"
    assert a.columns["birth"] == "D"


def test_header_split_over_two_rows_without_merge_information_csv(tmp_path: Path) -> None:
    # A CSV saved from a merged header keeps the group title over its first sub-column only.
    rows = [
        ["STT", "Họ và tên", "", "Ngày sinh", "", "", "Nữ", "Dân tộc", "Mã định danh"],
        ["", "Họ đệm", "Tên", "Ngày", "Tháng", "Năm", "", "", ""],
        ["1", "Lê Thị", "Hà", "3", "4", "2008", "x", "Kinh", "068308000001"],
        ["2", "Lê Văn", "Nam", "3", "4", "2008", "", "Kinh", "068208000002"],
    ]
    matches, parsed = read(write_csv(tmp_path / "split.csv", rows))
    assert matches[0].fields["birth_month"] == 4
    assert matches[0].fields["given_name"] == 2
    assert [(r.values["full_name"], r.values["birth"], r.values["gender"]) for r in parsed] == [
        ("Lê Thị Hà", dt.date(2008, 4, 3), "nu"), ("Lê Văn Nam", dt.date(2008, 4, 3), "nam")]


@pytest.mark.parametrize(("header", "field"), [
    ("Ho va ten", "full_name"), ("HỌ VÀ TÊN HỌC SINH", "full_name"), ("Họ tên", "full_name"),
    ("Ngay sinh", "birth"), ("Ngày, tháng, năm sinh", "birth"), ("Ngày sinh\n(dd/mm/yyyy)", "birth"),
    ("Gioi tinh", "gender"), ("Nữ", "female"), ("Dan toc", "ethnic"), ("Tôn giáo", "religion"), ("Lớp", "class_name"),
    ("Mã định danh", "personal_id"), ("Số CCCD", "personal_id"), ("Số ĐDCN", "personal_id"),
    ("Số định danh cá nhân", "personal_id"), ("Đoàn viên", "union_member"), ("Ngày vào Đoàn", "union_since"),
    ("Địa chỉ", "residence"), ("Nơi ở hiện nay", "residence"), ("STT", "stt"), ("Họ đệm", "family_middle"),
    ("Tên", "given_name"), ("Nơi sinh", None), ("Dân tộc thiểu số", None), ("Ghi chú", None),
])
def test_header_variants(header: str, field: str | None) -> None:
    assert cl.classify_header(header) == field
    nfd = unicodedata.normalize("NFD", header)
    assert cl.classify_header(nfd) == field


def test_student_code_is_the_id_only_when_there_is_no_id_column(tmp_path: Path) -> None:
    only_code = [["Họ và tên", "Ngày sinh", "Mã học sinh"], ["Lê Hà", "01/01/2008", "068308000001"]]
    m = read(write_xlsx(tmp_path / "a.xlsx", only_code))[0][0]
    assert m.fields["personal_id"] == 2
    both = [["Họ và tên", "Mã học sinh", "Ngày sinh", "Số CCCD"], ["Lê Hà", "2000123456", "01/01/2008", "068308000001"]]
    m = read(write_xlsx(tmp_path / "b.xlsx", both))[0][0]
    assert m.fields["personal_id"] == 3


def test_signature_is_the_shape_not_the_title_or_data(tmp_path: Path) -> None:
    a = write_xlsx(tmp_path / "a.xlsx", [*TITLE, list(SIMPLE_HEADER), simple_row(student(0))])
    b = write_xlsx(tmp_path / "b.xlsx", [["Lớp 10A2"], list(SIMPLE_HEADER), simple_row(student(5))])
    nodia = [cl.header_key(h).upper() for h in SIMPLE_HEADER]  # same headers typed without diacritics
    c = write_xlsx(tmp_path / "c.xlsx", [nodia, simple_row(student(5))])
    other = write_xlsx(tmp_path / "d.xlsx", [list(SIMPLE_HEADER[:5]), simple_row(student(5))[:5]])
    sig = [read(p)[0][0].signature for p in (a, b, c, other)]
    assert sig[0] == sig[1] == sig[2]
    assert sig[3] != sig[0]


def test_user_correction_replaces_the_mapping(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Ngày sinh", "Cột lạ", "Giới tính"], ["Lê Hà", "01/01/2008", "Kinh", "Nữ"]]
    table = cl.read_table(write_xlsx(tmp_path / "a.xlsx", rows))
    (m,) = cl.detect_all(table)
    assert "ethnic" not in m.fields
    assert "ethnic" in m.missing_optional
    assert m.missing == ()
    fixed = m.with_fields({**m.fields, "ethnic": 2, "nonsense": 1, "religion": 99})
    assert fixed.fields["ethnic"] == 2
    assert "nonsense" not in fixed.fields
    assert "religion" not in fixed.fields
    assert fixed.signature == m.signature
    (row,) = cl.parse_rows(table, [fixed], today=TODAY)
    assert row.values["ethnic"] == "Kinh"


def test_one_sheet_per_class_takes_the_class_from_the_sheet_name(tmp_path: Path) -> None:
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Mã định danh"]
    path = write_xlsx(tmp_path / "k.xlsx", [header, ["Lê Hà", "01/01/2008", "Nữ", "068308000001"]], sheet="10A1",
                      extra_sheets={"Lớp 10A2": [header, ["Lê Nam", "01/02/2008", "Nam", "068208000002"]],
                                    "Ghi chú": [["Danh sách do giáo viên chủ nhiệm lập"]]})
    matches, parsed = read(path)
    assert [m.sheet for m in matches] == ["10A1", "Lớp 10A2"]
    assert [(r.sheet, r.row, r.values["class_name"]) for r in parsed] == [("10A1", 2, "10A1"),
                                                                          ("Lớp 10A2", 2, "10A2")]


# ---------------------------------------------------------------- reading values


def test_dates_in_every_form(tmp_path: Path) -> None:
    forms = [dt.date(2008, 9, 5), dt.datetime(2008, 9, 5), "05/09/2008", "5/9/08", "2008-09-05", "05-09-2008",
             "5.9.2008", 39696, "05/09/2008 00:00:00"]
    rows = [["Họ và tên", "Ngày sinh", "Giới tính"]] + [[f"Học sinh {chr(65 + i)}", f, "Nam"]
                                                        for i, f in enumerate(forms)]
    _, parsed = read(write_xlsx(tmp_path / "d.xlsx", rows))
    assert [r.values["birth"] for r in parsed] == [dt.date(2008, 9, 5)] * len(forms)
    assert all(r.ok for r in parsed)


def test_bad_dates_name_the_cell(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Giới tính", "Ngày sinh"], ["Lê Hà", "Nữ", "31/02/2008"], ["Lê Nam", "Nam", 2008],
            ["Lê Vy", "Nữ", "mùng 5"], ["Lê An", "Nam", None]]
    _, parsed = read(write_xlsx(tmp_path / "d.xlsx", rows, sheet="Lớp 12"))
    assert [(p.sheet, p.row, p.column, p.code) for r in parsed for p in r.problems] == [
        ("Lớp 12", 2, "C", "import.date_unreadable"),
        ("Lớp 12", 3, "C", "import.date_incomplete"),
        ("Lớp 12", 4, "C", "import.date_unreadable"),
    ]
    assert parsed[0].problems[0].params == {"value": "31/02/2008", "field": "birth"}
    assert parsed[3].ok
    assert parsed[3].values["birth"] is None


def test_personal_ids_as_text_and_as_numbers(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Số CCCD"],
            ["A", "068308001234"],    # text: kept as is
            ["B", 68308001234],       # a number that lost its leading zero: restored and marked
            ["C", 1308001234],        # lost two zeros (province 001)
            ["D", "068 308 001 235"],  # spaces removed
            ["E", 12345],             # a number that cannot be an ID: left for validation (pid.format)
            ["F", "68308001236"],     # text with 11 digits: a number that lost its zero, then became text
            ["G", 68308001237.0],     # a float from a formula
            ["H", "0683080012"]]      # text starting with its zero: too short, left for validation
    _, parsed = read(write_xlsx(tmp_path / "p.xlsx", rows))
    got = [(r.values["personal_id"], r.pid_restored) for r in parsed]
    assert got == [("068308001234", False), ("068308001234", True), ("001308001234", True), ("068308001235", False),
                   ("12345", False), ("068308001236", True), ("068308001237", True), ("0683080012", False)]
    w = parsed[1].warnings[0]
    assert (w.code, w.column, w.row, w.params) == ("import.pid_restored", "B", 3,
                                                   {"value": "68308001234", "pid": "068308001234", "length": 11})
    # The text held ID is offered its zero like the numbers are, with its own words (it was not a number).
    w = parsed[5].warnings[0]
    assert (w.code, w.params) == ("import.pid_restored_text",
                                  {"value": "68308001236", "pid": "068308001236", "length": 11})
    assert "68308001236 → 068308001236" in catalogue.text(w.code, w.params)


def test_csv_numbers_that_lost_their_zero_are_restored(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [["Họ và tên", "CCCD"], ["A", "68308001234"], ["B", "068308001235"]])
    _, parsed = read(path)
    assert [(r.values["personal_id"], r.pid_restored) for r in parsed] == [("068308001234", True),
                                                                           ("068308001235", False)]


@pytest.mark.parametrize(("written", "expected"), [("Nam", "nam"), ("Nữ", "nu"), ("nam", "nam"), ("NỮ", "nu"),
                                                    ("nu", "nu"), ("x", "x"), ("", "")])
def test_gender_variants(tmp_path: Path, written: str, expected: str) -> None:
    _, parsed = read(write_xlsx(tmp_path / "g.xlsx", [["Họ và tên", "Giới tính"], ["Lê Hà", written or None]]))
    assert parsed[0].values["gender"] == expected  # "x" / "" left for validation to report


def test_female_column_marked_with_x(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Nữ"], ["Lê Hà", "x"], ["Lê Nam", None], ["Lê Vy", "X"], ["Lê An", "?"]]
    _, parsed = read(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [r.values["gender"] for r in parsed] == ["nu", "nam", "nu", ""]
    assert parsed[3].problems[0][:4] == ("Sheet1", 5, "B", "import.mark_unknown")


def test_names_normalised_nfd_and_spaces(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Thị\u00a0Ánh ")
    _, parsed = read(write_xlsx(tmp_path / "n.xlsx", [["Họ và tên", "Dân tộc"], [nfd, "Kinh"]]))
    assert parsed[0].values["full_name"] == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", parsed[0].values["full_name"])


def test_tcvn3_and_vni_text_converted_by_font(tmp_path: Path) -> None:
    rows = [
        [legacy.from_unicode("Họ và tên", "tcvn3"), legacy.from_unicode("Giới tính", "tcvn3"),
         legacy.from_unicode("Dân tộc", "tcvn3")],
        [legacy.from_unicode("Trần Thị Hoàng", "tcvn3"), legacy.from_unicode("Nữ", "tcvn3"), "Kinh"],
        [legacy.from_unicode("Trần Thị Hoàng", "vni"), legacy.from_unicode("Nữ", "vni"),
         legacy.from_unicode("Cơ-ho", "vni")],
        ["Trần Thị Hoàng", "Nữ", "Kinh"],  # real Unicode in a .VnTime cell: left alone
        ["HOµNG V¡N §øC", "Nam", "Kinh"],
    ]
    fonts = {(1, 1): ".VnTime", (1, 2): ".VnTime", (1, 3): ".VnTime", (2, 1): ".VnTime", (2, 2): ".VnTime",
             (3, 1): "VNI-Times", (3, 2): "VNI-Times", (3, 3): "VNI-Helve", (4, 1): ".VnTime",
             (5, 1): ".VnTimeH"}
    matches, parsed = read(write_xlsx(tmp_path / "legacy.xlsx", rows, fonts=fonts))
    assert matches[0].fields == {"full_name": 0, "gender": 1, "ethnic": 2}
    assert [r.values["full_name"] for r in parsed] == ["Trần Thị Hoàng"] * 3 + ["HOÀNG VĂN ĐỨC"]
    assert [r.values["gender"] for r in parsed] == ["nu", "nu", "nu", "nam"]
    assert parsed[1].values["ethnic"] == "Cơ-ho"


def test_legacy_text_without_font_converted_only_on_clear_evidence(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Giới tính"], ["TrÇn ThÞ Hoµng", "Nữ"], ["Hoàng Thị Lê", "Nữ"]]
    _, parsed = read(write_csv(tmp_path / "l.csv", rows))
    assert [r.values["full_name"] for r in parsed] == ["Trần Thị Hoàng", "Hoàng Thị Lê"]


def test_formula_looking_text_is_read_as_text(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Giới tính", "Ghi chú"], ["=Lê Hà", "Nữ", "+84 263"], ["Lê Nam", "Nam", "@x"]]
    path = write_xlsx(tmp_path / "f.xlsx", rows, text_cells=[(2, 1)])
    _, parsed = read(path)
    assert parsed[0].values["full_name"] == "=Lê Hà"  # validation will refuse it; it is never evaluated
    assert parsed[0].raw[0] == "=Lê Hà"


def test_empty_total_numbering_footer_and_repeated_header_rows_skipped(tmp_path: Path) -> None:
    rows = [
        list(SIMPLE_HEADER),
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"],
        simple_row(student(0)),
        [],
        [None, None, None, None, None, None, None, None, None],
        simple_row(student(1)),
        [None, "Cộng: 2 học sinh"],
        list(SIMPLE_HEADER),
        simple_row(student(2)),
        ["Tổng cộng", None, None, None, None, None, None, None, None],
        [None, None, None, None, None, None, "Lâm Hà, ngày 05 tháng 9 năm 2024"],
        [None, None, None, None, None, None, "Người lập biểu"],
    ]
    _, parsed = read(write_xlsx(tmp_path / "skip.xlsx", rows))
    assert [r.row for r in parsed] == [3, 6, 9]
    assert all(r.ok for r in parsed)


def test_duplicate_ids_inside_the_file(tmp_path: Path) -> None:
    s0, s1 = student(0), student(1)
    rows = [list(SIMPLE_HEADER), simple_row(s0), simple_row(s1), simple_row(s0),
            simple_row({**s1, "full_name": "Người Khác", "stt": 9})]
    _, parsed = read(write_xlsx(tmp_path / "dup.xlsx", rows))
    assert codes(parsed[0]) == []
    assert codes(parsed[2]) == ["import.duplicate_row"]
    assert parsed[2].problems[0].params == {"other": "Sheet1!2"}
    assert codes(parsed[1]) == ["import.pid_conflict"] == codes(parsed[3])
    assert parsed[1].problems[0].params["others"] == "Sheet1!5"
    assert parsed[1].problems[0].column == "H"


def test_union_member_marks_and_dates(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Đoàn viên", "Ngày vào Đoàn"], ["A", "x", "26/03/2023"], ["B", "x", None],
            ["C", "26/03/2024", None], ["D", None, None], ["E", "có lẽ", None]]
    _, parsed = read(write_xlsx(tmp_path / "u.xlsx", rows))
    assert [r.values["union_since"] for r in parsed] == [dt.date(2023, 3, 26), None, dt.date(2024, 3, 26), None, None]
    assert [w.code for w in parsed[1].warnings] == ["import.union_no_date"]
    assert codes(parsed[4]) == ["import.mark_unknown"]


def test_old_xls_with_merged_header_fonts_and_dates(tmp_path: Path) -> None:
    pytest.importorskip("xlwt", reason="xlwt (a test dependency) writes the .xls fixture")
    rows = [
        ["DANH SÁCH HỌC SINH LỚP 11B3"],
        [],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Mã định danh"],
        [None, None, None, None, None, None, None],
        [1, legacy.from_unicode("Phạm Thị Thùy", "vni"), dt.date(2008, 2, 29), "Nữ", "K'Ho", "Thiên chúa giáo",
         68308001234],
        [2, "Hồ Văn Đạt", "15/10/2008", "Nam", "01", "", "068208001235"],
    ]
    merges = [(2, 3, c, c) for c in range(7)]
    path = write_xls(tmp_path / "old.xls", rows, merges=merges, fonts={(4, 1): "VNI-Times"})
    table = cl.read_table(path)
    assert table.kind == "xls"
    matches, parsed = read(path)
    assert matches[0].header_rows == (2,)
    assert matches[0].first_data_row == 4
    assert matches[0].default_class == "11B3"
    a, b = parsed
    assert a.values == {"full_name": "Phạm Thị Thùy", "birth": dt.date(2008, 2, 29), "gender": "nu",
                        "personal_id": "068308001234", "ethnic": "K'Ho", "religion": "Thiên chúa giáo",
                        "class_name": "11B3"}
    assert a.pid_restored
    assert b.values["birth"] == dt.date(2008, 10, 15)
    assert b.values["ethnic"] == "01"


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_utf8_with_or_without_bom(tmp_path: Path, bom: bool, delimiter: str) -> None:
    rows = [list(SIMPLE_HEADER), simple_row(student(3)), simple_row(student(4))]
    matches, parsed = read(write_csv(tmp_path / "c.csv", rows, bom=bom, delimiter=delimiter))
    assert matches[0].fields["stt"] == 0  # the BOM is not part of the first header
    assert [r.values["full_name"] for r in parsed] == [student(3)["full_name"], student(4)["full_name"]]
    assert parsed[0].values["birth"] == student(3)["birth"]


@pytest.mark.parametrize(("encoding", "bom", "name"), [
    ("utf-16-le", b"\xff\xfe", "unicode.txt"),  # Excel's "Unicode Text"
    ("utf-16-be", b"\xfe\xff", "unicode.txt"),
    ("utf-16-le", b"", "khong_bom.csv"),  # written by a tool without a BOM
    ("utf-16-be", b"", "khong_bom.csv"),
])
def test_utf16_text_with_tabs_is_read(tmp_path: Path, encoding: str, bom: bytes, name: str) -> None:
    rows = [list(SIMPLE_HEADER), simple_row(student(3)), simple_row(student(4))]
    text = "".join("\t".join(v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else str(v) for v in r) + "\r\n"
                   for r in rows)
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    matches, parsed = read(path)
    assert matches[0].fields["stt"] == 0
    assert [r.values["full_name"] for r in parsed] == [student(3)["full_name"], student(4)["full_name"]]
    assert parsed[1].values["personal_id"] == student(4)["personal_id"]
    assert parsed[0].values["birth"] == student(3)["birth"]


def test_utf16_with_a_broken_pair_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "hong.txt"
    path.write_bytes(b"\xff\xfe" + "Họ và tên\t".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate at the end
    with pytest.raises(cl.ImportFileError, match=r"import\.csv_encoding"):
        cl.read_table(path)


def test_texts_past_their_limit_are_row_problems(tmp_path: Path) -> None:
    rows = [list(SIMPLE_HEADER), simple_row({**student(0), "class_name": "12A1" * 30}),
            simple_row({**student(1), "residence": "Thôn 1 " * 300}), simple_row(student(2))]
    _matches, parsed = read(write_xlsx(tmp_path / "dai.xlsx", rows))
    assert [(p.column, p.code, p.params["limit"]) for p in parsed[0].problems] == [("G", "text.too_long", 100)]
    assert [(p.column, p.code, p.params["limit"]) for p in parsed[1].problems] == [("I", "text.too_long", 2_000)]
    assert parsed[2].ok


# ---------------------------------------------------------------- files that cannot be read


def test_corrupt_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [list(SIMPLE_HEADER), simple_row(student(0))])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])  # truncated download
    with pytest.raises(cl.ImportFileError) as exc:
        cl.read_table(bad)
    assert exc.value.code == "file.invalid"  # the zip's directory is gone with the second half
    assert exc.value.params["path"] == str(bad)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(cl.ImportFileError, match=r"file\.no_workbook"):
        cl.read_table(path)


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(cl.ImportFileError, match=r"import\.unreadable"):
        cl.read_table(path)


def test_corrupt_xls(tmp_path: Path) -> None:
    path = tmp_path / "r.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(cl.ImportFileError, match=r"import\.unreadable"):
        cl.read_table(path)


def test_password_protected_workbook(tmp_path: Path) -> None:
    # Excel wraps an encrypted .xlsx in an OLE compound file holding "EncryptionInfo" and "EncryptedPackage".
    path = tmp_path / "secret.xlsx"
    names = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + names + b"\x00" * 1024)
    with pytest.raises(cl.ImportFileError, match=r"import\.encrypted"):
        cl.read_table(path)


def test_empty_workbook_and_empty_csv(tmp_path: Path) -> None:
    with pytest.raises(cl.ImportFileError, match=r"import\.empty"):
        cl.read_table(write_xlsx(tmp_path / "e.xlsx", []))
    (tmp_path / "e.csv").write_bytes(b"\xef\xbb\xbf\r\n,,\r\n")
    with pytest.raises(cl.ImportFileError, match=r"import\.empty"):
        cl.read_table(tmp_path / "e.csv")


def test_no_header(tmp_path: Path) -> None:
    table = cl.read_table(write_xlsx(tmp_path / "n.xlsx", [["Báo cáo"], ["Số liệu", 1, 2, 3], ["Khác", 4, 5, 6]]))
    with pytest.raises(cl.ImportFileError) as exc:
        cl.detect_all(table)
    assert exc.value.code == "import.no_header"


def test_web_page_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "vnedu.xls"
    path.write_text("<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(cl.ImportFileError, match=r"import\.html_xls"):
        cl.read_table(path)


def test_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes("Ho va ten,Ngay sinh\nLê Hà,01/01/2008\n".encode("latin-1"))  # an old Windows code page
    with pytest.raises(cl.ImportFileError, match=r"import\.csv_encoding"):
        cl.read_table(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(cl.ImportFileError, match=r"import\.unreadable"):
        cl.read_table(tmp_path / "nowhere.xlsx")


def test_column_letters() -> None:
    assert [cl.column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]

"""The Excel return read back from its bytes with openpyxl: values, types, layout, print settings, guard."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lamha_desktop.catalogue import text
from lamha_desktop.domain import people
from lamha_desktop.reports import excel_return
from lamha_desktop.reports.excel_return import DATA_SHEET, ExportError, build, write_atomic
from lamha_desktop.storage import fileops, report_data
from lamha_desktop.storage.report_data import AdmittedStudent, DocumentHeader, OrgFigures, ReturnData

D = dt.date


@pytest.fixture
def demo_return(demo_db: Path) -> tuple[ReturnData, openpyxl.Workbook]:
    data = report_data.collect(report_data.period_from_settings("2024-H1"), report_date=D(2024, 7, 3))
    return data, openpyxl.load_workbook(io.BytesIO(build(data)))


def test_sheets_and_the_hidden_protected_data_sheet(demo_return: tuple[ReturnData, openpyxl.Workbook]) -> None:
    _data, wb = demo_return
    assert wb.sheetnames == ["Tổng hợp", "Danh sách", DATA_SHEET]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible", "visible", "veryHidden"]
    assert wb[DATA_SHEET].protection.sheet is True
    assert wb.active.title == "Tổng hợp"


def test_document_header_and_title(demo_return: tuple[ReturnData, openpyxl.Workbook]) -> None:
    _data, wb = demo_return
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "HUYỆN ỦY LÂM HÀ"
    assert ws["A1"].font.sz == 14
    assert ws["A2"].value == "BAN TỔ CHỨC"
    assert ws["A2"].font.b
    assert ws["A3"].value == "*"
    assert ws["A4"].value == "Số 01-BC/CB"
    assert ws["I1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert ws["I1"].font.b
    assert ws["I1"].font.sz == 15
    assert ws["M2"].border.top.style == "thin"  # the rule under it (centred: see the template test below)
    assert ws["I3"].value == "Lâm Hà, ngày 03 tháng 7 năm 2024"
    assert ws["I3"].font.i
    assert ws["A6"].value == "BÁO CÁO"
    assert ws["A6"].font.b
    assert ws["A7"].value.endswith("6 tháng đầu năm 2024")
    # The cumulative total states its basis: the plan's number and date (settings).
    assert ws["A9"].value == ("(Từ ngày 01/01/2024 đến ngày 30/06/2024; lũy kế từ ngày 14/06/2023 theo Kế hoạch số "
                              "88-KH/HU ngày 14/06/2023)")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:F1", "I1:Q1", "A6:Q6", "A11:A12", "B11:B12", "H11:L11", "Q11:Q12"} <= merged


def test_totals_table_values_types_and_the_moved_total_row(
        demo_return: tuple[ReturnData, openpyxl.Workbook]) -> None:
    data, wb = demo_return
    ws = wb["Tổng hợp"]
    first, n = 14, len(data.organisations)
    assert n == 5
    rows = [[c.value for c in ws[r]][:17] for r in range(first, first + n)]
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[1] for r in rows] == [o.name for o in data.organisations]
    for r in rows:
        assert all(isinstance(v, int) for v in r[2:15]), r
        assert r[15] in ("Đạt", "Chưa đạt")
    total = [c.value for c in ws[first + n]][:17]
    assert total[0] == "Tổng cộng"
    assert total[7] == 14
    assert isinstance(total[7], int)
    assert total[12] == 18  # cumulative since 14/06/2023
    assert total[15] == "5/5"
    assert sum(r[7] for r in rows) == 14
    assert f"A{first + n}:B{first + n}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(first, 3).font.name == "Times New Roman"
    # the signature block moved down with the table
    values = {c.value for row in ws.iter_rows(min_row=first + n + 1) for c in row}
    assert "T/M CHI ỦY\nBÍ THƯ" in values
    assert "Nguyễn Văn Hòa" in values
    # no personal names on the totals sheet
    names = {s.full_name for s in data.students}
    assert not names & {c.value for row in ws.iter_rows() for c in row}


def test_student_list_order_dates_and_formats(demo_return: tuple[ReturnData, openpyxl.Workbook]) -> None:
    data, wb = demo_return
    ws = wb["Danh sách"]
    assert ws["A4"].value == "STT"
    assert ws["I4"].value == "Quyết định kết nạp"
    assert ws["I5"].value == "Số"
    assert {"I4:J4", "A4:A5", "L4:L5"} <= {str(r) for r in ws.merged_cells.ranges}
    rows = [[c.value for c in row][:12] for row in ws.iter_rows(min_row=6, max_row=19)]
    assert [r[0] for r in rows] == list(range(1, 15))
    names = [r[1] for r in rows]
    assert names == sorted(names, key=people.sort_key) == [s.full_name for s in data.students]
    for col in (2, 9, 10, 11):  # birth, decision date, ceremony, probation end
        assert all(isinstance(r[col], dt.datetime) for r in rows)
        assert ws.cell(6, col + 1).number_format == "DD/MM/YYYY"
    assert all(r[3] in ("Nam", "Nữ") for r in rows)
    first = data.students[0]
    assert rows[0][10].date() == first.ceremony_date
    assert rows[0][11].date() == first.probation_end
    assert ws.cell(20, 1).value is None
    assert ws.cell(21, 1).value == "Danh sách có 14 học sinh."


def test_print_settings(demo_return: tuple[ReturnData, openpyxl.Workbook]) -> None:
    _data, wb = demo_return
    for name, titles in (("Tổng hợp", "$11:$13"), ("Danh sách", "$4:$5")):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == titles
        assert "&P" in ws.oddFooter.center.text
        assert "&N" in ws.oddFooter.center.text
        assert ws.oddFooter.center.font.startswith("Times New Roman")


def test_hidden_sheet_payload(demo_return: tuple[ReturnData, openpyxl.Workbook]) -> None:
    data, wb = demo_return
    rows = list(wb[DATA_SHEET].iter_rows(values_only=True))
    assert rows[0][:6] == ("format", "lamha-return", "version", 1, "period", "2024-H1")
    kinds = [r[0] for r in rows[1:]]
    assert kinds.count("organisation") == 5
    assert kinds.count("student") == 14
    students = [json.loads(r[1]) for r in rows[1:] if r[0] == "student"]
    assert {s["uid"] for s in students} == {s.uid for s in data.students}
    assert all(len(s["personal_id"]) == 12 and s["personal_id"].startswith("068") for s in students)


def _org(name: str, **figures: int) -> OrgFigures:
    return OrgFigures(1, "u1", "X", name, name, **figures)


def _student(name: str, class_name: str = "12A1") -> AdmittedStudent:
    return AdmittedStudent(1, "s1", name, D(2006, 1, 2), "nu", "Nữ", "01", "Kinh", "00", "Không", class_name, "X",
                           "=org", "+1-QĐ/HU", D(2024, 3, 1), D(2024, 3, 20), D(2025, 3, 20))


def _data(orgs: list[OrgFigures], students: list[AdmittedStudent]) -> ReturnData:
    header = DocumentHeader("=UPPER()", "@ISSUER", "Số 01-BC/CB", "Lâm Hà", D(2024, 2, 5), "BÍ THƯ", "-Tên",
                            D(2023, 6, 14))
    return ReturnData(report_data.parse_period("2024-H1"), header, orgs, _org("Tổng cộng"), students)


def test_formula_guard_keeps_user_text_as_text(tmp_path: Path) -> None:
    content = build(_data([_org("=1+1", admitted=1)], [_student("=HYPERLINK(\"x\")", "+84"),
                                                     _student("@SUM(A1)", "-5"), _student("{{issuer}}")]))
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "=UPPER()"
    assert ws["A1"].data_type == "s"
    assert ws["A2"].value == "@ISSUER"
    assert ws["B14"].value == "=1+1"
    assert ws["B14"].data_type == "s"
    assert ws["I3"].value == "Lâm Hà, ngày 05 tháng 02 năm 2024"  # months 1–2 with a leading zero
    lst = wb["Danh sách"]
    assert [lst.cell(r, 2).value for r in (6, 7, 8)] == ["=HYPERLINK(\"x\")", "@SUM(A1)", "{{issuer}}"]
    assert [lst.cell(r, 7).value for r in (6, 7)] == ["+84", "-5"]
    assert all(lst.cell(r, c).data_type == "s" for r in (6, 7) for c in (2, 7, 8, 9))
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_empty_period_says_so(db_path: Path) -> None:
    data = report_data.collect(report_data.parse_period("2030-H1"))
    wb = openpyxl.load_workbook(io.BytesIO(build(data)))
    lst = wb["Danh sách"]
    assert lst["B6"].value == "Không có học sinh được kết nạp trong kỳ."
    assert lst["A6"].value is None
    assert wb["Tổng hợp"]["B14"].value == "Không có tổ chức đảng nào."


def test_a_replacement_template_with_its_own_layout(tmp_path: Path) -> None:
    tpl = openpyxl.Workbook()
    ws = tpl.active
    ws["A1"] = "Báo cáo {{period_title}} — {{issuer}}"
    ws["A3"] = "{{table:totals}}"
    ws["B3"] = "{{name}}"
    ws["C3"] = "{{admitted}}"
    ws["A4"] = "Cộng"
    ws["C4"] = "{{total.admitted}}"
    ws.merge_cells("A4:B4")
    path = tmp_path / "district.xlsx"
    tpl.save(path)
    data = _data([_org("Chi bộ A", admitted=2), _org("Chi bộ B", admitted=3)], [])
    out = openpyxl.load_workbook(io.BytesIO(build(data, path)))
    ws = out.worksheets[0]
    assert ws["A1"].value == "Báo cáo 6 tháng đầu năm 2024 — @ISSUER"
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=4, max_col=3)] == [
        [1, "Chi bộ A", 2], [2, "Chi bộ B", 3]]
    assert ws["A5"].value == "Cộng"
    assert "A5:B5" in {str(r) for r in ws.merged_cells.ranges}
    ws["D1"] = "{{no_such_field}}"
    out.save(path)
    with pytest.raises(ExportError) as info:
        build(data, path)
    assert info.value.code == "template.unknown_placeholder"
    assert info.value.params["name"] == "no_such_field"


def test_bad_template_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ExportError) as info:
        build(_data([], []), bad)
    assert info.value.code == "template.unreadable"


def test_shipped_template_is_what_the_script_makes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_template", Path(__file__).resolve().parents[2] / "build_scripts" / "make_template.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = openpyxl.load_workbook(module.make(tmp_path / "t.xlsx"))
    shipped = openpyxl.load_workbook(excel_return.default_template())
    for a, b in zip(fresh.worksheets, shipped.worksheets, strict=True):
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}


# ------------------------------------------------------------------------------------------ writing


def test_write_atomic_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["out.xlsx"]


@pytest.mark.posix_only  # file modes honoured by a child without root's override
def test_read_only_target_is_refused_and_left_untouched(tmp_path: Path) -> None:
    from conftest import run_without_permission_override

    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o444)
    code = run_without_permission_override(
        "from pathlib import Path\n"
        "from lamha_desktop.reports.excel_return import ExportError, write_atomic\n"
        "try:\n"
        f"    write_atomic(Path({str(target)!r}), b'new')\n"
        "except ExportError as exc:\n"
        "    print(exc.code)\n")
    assert code == "export.read_only"  # not "open in Excel": nothing holds it, it is read-only
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def _windows_error(winerror: int, text: str) -> PermissionError:
    """The PermissionError Windows raises for a held file: ``winerror`` 32 (sharing violation: the file is open
    in another program) or 5 (access denied: antivirus scanning it, or read-only)."""
    exc = PermissionError(13, text)
    exc.winerror = winerror  # type: ignore[attr-defined]  # set by Windows only
    return exc


def test_a_rename_held_by_antivirus_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Antivirus opens the new file for a moment: the rename fails twice, then succeeds."""
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    real_replace = fileops.os.replace
    calls: list[str] = []

    def held_twice(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) <= 2:
            raise _windows_error(5, "Access is denied")
        real_replace(src, dst)

    monkeypatch.setattr(fileops.os, "replace", held_twice)
    monkeypatch.setattr(fileops, "REPLACE_DELAYS", (0.0, 0.0, 0.0))
    write_atomic(target, b"new")
    assert len(calls) == 3
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_a_rename_held_too_long_blames_no_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def held(_src: object, _dst: object) -> None:
        raise _windows_error(32, "The process cannot access the file because it is being used")

    monkeypatch.setattr(fileops.os, "replace", held)
    monkeypatch.setattr(fileops, "REPLACE_DELAYS", (0.0, 0.0))
    with pytest.raises(ExportError) as info:
        write_atomic(target, b"new")
    assert info.value.code == "export.busy"
    message = text(info.value.code, info.value.params)
    assert "diệt virus" in message
    assert "Excel" not in message
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_a_target_open_in_excel_is_named_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel opens a workbook without sharing: opening the target for writing fails with winerror 32."""
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    real_open = Path.open

    def open_in_excel(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self == target and mode != "rb":
            raise _windows_error(32, "The process cannot access the file because it is being used")
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_in_excel)
    with pytest.raises(ExportError) as info:
        write_atomic(target, b"new")
    assert info.value.code == "export.locked"
    assert "Excel" in text(info.value.code, info.value.params)
    assert target.read_bytes() == b"old"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as info:
        write_atomic(tmp_path / "no" / "out.xlsx", b"x")
    assert info.value.code == "export.not_writable"
    with pytest.raises(ExportError) as info:
        write_atomic(tmp_path, b"x")
    assert info.value.code == "export.not_writable"


# ------------------------------------------------------------------------------------------ cell limit


def _longest_cell(content: bytes) -> int:
    """The longest text of any cell of any sheet, hidden ones included, as Excel counts it."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return max((excel_return.excel_length(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str)), default=0)


def test_nothing_exported_passes_excel_s_cell_limit(demo_db: Path, tmp_path: Path) -> None:
    from lamha_desktop.readers import return_reader
    from lamha_desktop.storage.models import Candidate

    period = report_data.period_from_settings("2024-H1")
    first = report_data.collect(period, report_date=D(2024, 7, 3)).students[0]
    # Stored before text limits existed (or written by another program): 40,000 characters, and an emoji
    # beyond U+FFFF that Excel counts twice.
    long_name = "Nguyễn Thị " + "Ánh" * 13_330 + "\U0001F600" * 3
    Candidate.update(full_name=long_name).where(Candidate.id == first.candidate_id).execute()
    data = report_data.collect(period, report_date=D(2024, 7, 3))
    content = build(data)
    assert _longest_cell(content) == excel_return.CELL_CHARS
    wb = openpyxl.load_workbook(io.BytesIO(content))
    shown = [c.value for row in wb["Danh sách"].iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith("Nguyễn Thị Ánh")]
    assert len(shown) == 1
    assert shown[0].endswith("…")
    record = next(r for r in wb[DATA_SHEET].iter_rows(values_only=True) if r[0] == "student"
                  and first.uid in "".join(str(v) for v in r[1:] if v))
    pieces = [v for v in record[1:] if v is not None]
    assert len(pieces) == 2  # the record over two cells, joined back by the reader
    assert json.loads("".join(pieces))["full_name"] == long_name
    path = tmp_path / "r.xlsx"
    write_atomic(path, content)
    with pytest.raises(return_reader.ReadError) as info:
        return_reader.read_return(path)  # read whole, then refused by the text limits, in one line
    assert info.value.code == "return.text_too_long"
    assert info.value.params["field"] == "họ và tên"


def test_a_long_record_within_the_text_limits_round_trips(demo_db: Path, tmp_path: Path) -> None:
    from lamha_desktop.readers import return_reader

    data = report_data.collect(report_data.period_from_settings("2024-H1"), report_date=D(2024, 7, 3))
    event = dict(data.payload.events[0])
    event["data"] = {**event["data"], **{f"note_{i}": "Ghi chú " + "x" * 1_900 for i in range(20)}}
    data.payload.events[0] = event
    content = build(data)
    assert _longest_cell(content) <= excel_return.CELL_CHARS
    path = tmp_path / "r.xlsx"
    write_atomic(path, content)
    back = return_reader.read_return(path)
    assert back.events[0] == json.loads(json.dumps(event))


def test_clip_and_split_count_as_excel_does() -> None:
    assert excel_return.clip("abc", 3) == "abc"
    assert excel_return.clip("abcd", 3) == "ab…"
    assert excel_return.clip("a\U0001F600b", 3) == "a\U0001F600b"[:1] + "…"  # the emoji needs two units
    assert excel_return.split_cells("abcdefg", 3) == ["abc", "def", "g"]
    assert excel_return.split_cells("ab\U0001F600c", 3) == ["ab", "\U0001F600c"]
    assert "".join(excel_return.split_cells("x" * 70_000)) == "x" * 70_000


def test_a_piece_of_a_record_starting_with_a_formula_sign_stays_text(tmp_path: Path) -> None:
    from lamha_desktop.storage.consolidation import ReturnPayload

    data = _data([_org("X")], [])
    text = "a" * (excel_return.CELL_CHARS - len('{"k": "')) + "=SUM(A1)"
    payload = ReturnPayload("2024-H1", "2024-07-01T00:00:00", events=[{"k": text}])
    content = build(dataclasses.replace(data, payload=payload))
    wb = openpyxl.load_workbook(io.BytesIO(content))
    row = next(wb[DATA_SHEET].iter_rows(min_row=2))
    assert row[2].value.startswith("=SUM")
    assert row[2].data_type == "s"


# ------------------------------------------------------------------------------------------ totals only


def test_totals_only_return_carries_no_personal_data(demo_db: Path) -> None:
    from lamha_desktop.storage.models import Candidate

    period = report_data.period_from_settings("2024-H1")
    full = report_data.collect(period, report_date=D(2024, 7, 3))
    content = build(report_data.collect(period, report_date=D(2024, 7, 3), with_payload=False), totals_only=True)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Tổng hợp"]  # no named list, no hidden data sheet
    full_wb = openpyxl.load_workbook(io.BytesIO(build(full)))
    for r in range(14, 20):  # the same figures as the full return
        assert [c.value for c in wb["Tổng hợp"][r]] == [c.value for c in full_wb["Tổng hợp"][r]]
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        text = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
    people_ = list(Candidate.select())
    assert len(people_) > 14
    for c in people_:
        assert c.personal_id is None or c.personal_id not in text  # None: not known yet (a plain class list)
        assert c.full_name not in text
    assert "lamha-return" not in text


def test_totals_only_with_both_tables_on_one_sheet_shows_a_note(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws["A1"] = "{{table:totals}}"
    ws["B1"] = "{{name}}"
    ws["A3"] = "{{table:students}}"
    ws["B3"] = "{{full_name}}"
    template = tmp_path / "t.xlsx"
    wb.save(template)
    data = _data([_org("Chi bộ A", admitted=1)], [_student("Nguyễn Thị Ánh")])
    out = openpyxl.load_workbook(io.BytesIO(build(data, template, totals_only=True)))
    assert out.sheetnames == ["Báo cáo"]
    values = [c.value for row in out["Báo cáo"].iter_rows() for c in row if c.value is not None]
    assert "Chi bộ A" in values
    assert "Nguyễn Thị Ánh" not in values
    assert excel_return.TOTALS_ONLY_NOTE in values


def test_the_template_s_rules_are_centred_under_their_lines() -> None:
    """The short rules under ĐẢNG CỘNG SẢN VIỆT NAM (row 2, under I..Q) and under the subject (row 8, under
    A..Q) sit in the middle of the merged lines above them, as 36-HD/VPTW draws them: within two characters."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    ws = openpyxl.load_workbook(excel_return.default_template()).worksheets[0]

    def span(first: int, last: int) -> tuple[float, float]:
        left = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, first))
        width = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1))
        return left, left + width

    for row, line in ((2, ("I", "Q")), (8, ("A", "Q"))):
        ruled = [c.column for c in ws[row] if c.border.top is not None and c.border.top.style]
        assert ruled, row
        assert ruled == list(range(ruled[0], ruled[-1] + 1))  # one unbroken rule
        rule_left, rule_right = span(ruled[0], ruled[-1])
        line_left, line_right = span(*(column_index_from_string(c) for c in line))
        assert abs((rule_left + rule_right) / 2 - (line_left + line_right) / 2) <= 2, row
        assert rule_right - rule_left < (line_right - line_left) / 2  # a short rule, not an underline

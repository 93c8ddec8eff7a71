"""The two .xlsx readers of class lists give the same table: calamine (fast, values only) and openpyxl (fonts).

``readers.class_list`` reads a workbook with calamine unless its fonts matter (a TCVN3/VNI font in its styles),
its package is one openpyxl would refuse, or its sheets span too many cells; these tests read workbooks of
every shape the tests use both ways and compare what a user would see of each cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from classlist_files import SIMPLE_HEADER, big_xlsx, simple_row, student, write_xlsx

from lamha_desktop.readers import class_list as cl
from lamha_desktop.readers.limits import LIMITS, check_package


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dt.date | dt.time):
        return "date"
    if isinstance(value, int | float):
        return "number"
    return "text"


def _seen(table: cl.Table) -> list[tuple[str, list[list[tuple[str, str]]], list[tuple[int, int, int, int]]]]:
    """Each sheet as a user sees it: (text, kind) of each cell, without trailing empty cells and rows."""
    out = []
    for sheet in table.sheets:
        rows = [[(cl.cell_text(c), _kind(c.value)) for c in row] for row in sheet.rows]
        for row in rows:
            while row and row[-1] == ("", "empty"):
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
        out.append((sheet.name, rows, sorted(sheet.merged)))
    return out


def both(path: Path) -> tuple[cl.Table, cl.Table]:
    package = check_package(path, LIMITS, cl.ImportFileError)
    fast = cl._read_xlsx_values(path, package, None, LIMITS)
    assert fast is not None, "calamine could not read it"
    return fast, cl._read_xlsx_openpyxl(path, package, None, LIMITS)


def _shapes(tmp: Path) -> dict[str, Path]:
    rows = [simple_row(student(i)) for i in range(30)]
    return {
        "title rows, simple header": write_xlsx(
            tmp / "a.xlsx",
            [["SỞ GIÁO DỤC VÀ ĐÀO TẠO LÂM ĐỒNG"], ["DANH SÁCH HỌC SINH"], [], list(SIMPLE_HEADER), *rows],
            merges=["A1:I1", "A2:I2"]),
        "two-row merged header, sheets, gaps": write_xlsx(
            tmp / "b.xlsx",
            [["STT", "Họ và tên", None, "Ngày sinh", None, None, "Giới tính", None],
             [None, "Họ đệm", "Tên", "Ngày", "Tháng", "Năm", "Nam", "Nữ"],
             [1, "Nguyễn Văn", "An", 3, 5, 2008, "x", None],
             [],
             [2, "Lê Thị", "Bình", 14, 11, 2007, None, "x"],
             [None] * 12 + ["xa bên phải"]],
            merges=["A1:A2", "B1:C1", "D1:F1", "G1:H1"],
            extra_sheets={"12A1": [list(SIMPLE_HEADER), *rows[:5]], "Trống": []}),
        "dates, numbers, ids, formula-looking text": write_xlsx(
            tmp / "c.xlsx",
            [list(SIMPLE_HEADER),
             [1, "Phạm Minh Châu", dt.date(2008, 2, 29), "Nam", "Kinh", "", "12A1", 68318000099, "Lâm Hà"],
             [2, "Đỗ Thu Hà", dt.datetime(2007, 12, 31, 0, 0), "Nữ", "K'Ho", "Công giáo", "12A2", "068318000100", ""],
             [3, "Trần Văn Ánh", "03/05/2008", "Nam", "Kinh", "", "12A3", 68318000101.0, "=SUM(A1:A2)"],
             [4, "Ka Nhi", 39500, "Nữ", "Cơ Ho", "", 12.5, "0683180", True],
             [5, "Y Sơn", dt.datetime(2008, 1, 2, 13, 45), "Nam", "Mạ", "", "12A4", -3, False]],
            text_cells=[(4, 9)], date_format="dd/mm/yyyy"),
        "a vnEdu-like export": big_xlsx(tmp / "d.xlsx", 300),
        "a chart sheet and a hidden sheet": _with_chart_sheet(tmp / "e.xlsx", rows[:3]),
        "number formats": _with_formats(tmp / "f.xlsx"),
    }


# Dates with a locale, quoted separators, a text suffix; numbers, percentages, text; durations and times.
FORMATS = ('[$-42A]dd/mm/yyyy', 'dd"/"mm"/"yyyy', '[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy', 'yyyy-mm-dd', 'd/m/yy;@',
           'm/d/yyyy', 'yyyy', '0', '@', '#,##0', '0.00%', '[Red]0.00', 'General', '[h]:mm:ss', 'mm:ss',
           'dd/mm/yyyy hh:mm')


def _with_formats(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh"])
    for i, number_format in enumerate(FORMATS, start=2):
        ws.cell(i, 1, i - 1)
        ws.cell(i, 2, number_format)
        timed = "h" in number_format or "ss" in number_format
        ws.cell(i, 3, 39500.25 if timed else 39500).number_format = number_format
    wb.save(path)
    return path


def _with_chart_sheet(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DanhSach"
    for row in [list(SIMPLE_HEADER), *rows]:
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=len(rows) + 1))
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    hidden = wb.create_sheet("Ẩn")
    hidden.append(["ghi chú"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_calamine_and_openpyxl_give_the_same_table(tmp_path: Path) -> None:
    for about, path in _shapes(tmp_path).items():
        fast, slow = both(path)
        assert _seen(fast) == _seen(slow), about
        assert [s.name for s in fast.sheets] == [s.name for s in slow.sheets], about


def test_read_table_parses_the_same_rows_either_way(tmp_path: Path) -> None:
    path = _shapes(tmp_path)["dates, numbers, ids, formula-looking text"]
    fast, slow = both(path)
    today = dt.date(2026, 12, 3)
    parsed = [[(r.row, r.values, [p.code for p in r.problems]) for r in
               cl.parse_rows(t, cl.detect_all(t), today=today)] for t in (fast, slow)]
    assert parsed[0] == parsed[1]
    assert parsed[0][0][1]["birth"] == dt.date(2008, 2, 29)
    assert parsed[0][0][1]["personal_id"] == "068318000099"  # the number lost its zero: restored


def test_the_fast_reader_is_chosen_only_where_it_gives_the_same_table(tmp_path: Path) -> None:
    rows = [list(SIMPLE_HEADER), simple_row(student(1))]
    plain = check_package(write_xlsx(tmp_path / "plain.xlsx", rows), LIMITS, cl.ImportFileError)
    assert cl._fast_readable(plain)
    assert plain.extents == {"xl/worksheets/sheet1.xml": (2, 9)}
    # A TCVN3 font in the styles: the font says how the text is encoded; only openpyxl gives fonts.
    legacy = check_package(write_xlsx(tmp_path / "tcvn3.xlsx", rows, fonts={(2, 2): ".VnTime"}), LIMITS,
                           cl.ImportFileError)
    assert ".VnTime" in legacy.fonts
    assert not cl._fast_readable(legacy)
    table = cl.read_table(tmp_path / "tcvn3.xlsx")
    assert table.sheets[0].rows[1][1].font == ".VnTime"
    # One stray cell far away: the sheet would be held as a rectangle of 40,000 x 100 cells.
    wb = openpyxl.load_workbook(tmp_path / "plain.xlsx")
    wb.active.cell(40_000, 100, "lạc")
    wb.save(tmp_path / "stray.xlsx")
    stray = check_package(tmp_path / "stray.xlsx", LIMITS, cl.ImportFileError)
    assert stray.extents == {"xl/worksheets/sheet1.xml": (40_000, 100)}
    assert stray.cells_spanned() > cl.FAST_READ_CELLS
    assert not cl._fast_readable(stray)
    read = cl.read_table(tmp_path / "stray.xlsx")
    assert cl.cell_text(read.sheets[0].cell(39_999, 99)) == "lạc"
    assert cl.cell_text(read.sheets[0].cell(1, 1)) == student(1)["full_name"]


def test_cells_without_references_are_counted(tmp_path: Path) -> None:
    """A writer may leave out each cell's reference (the spec allows it): the extent counts the cells."""
    from data import make_hostile as mh

    parts = mh.class_list_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    import re

    bare = re.sub(rb' r="[A-Z]+\d+"', b"", sheet)
    assert bare != sheet
    path = mh.write_zip(tmp_path / "bare.xlsx", {**parts, "xl/worksheets/sheet1.xml": bare})
    package = check_package(path, LIMITS, cl.ImportFileError)
    rows, columns = package.extents["xl/worksheets/sheet1.xml"]
    assert columns == max(len(r) for r in cl._read_xlsx_openpyxl(path, package, None, LIMITS).sheets[0].rows)
    assert rows >= 2
    fast, slow = both(path)
    assert _seen(fast) == _seen(slow)


@pytest.mark.parametrize("cancel_after", [1, 3])
def test_progress_can_cancel_the_fast_reader(tmp_path: Path, cancel_after: int) -> None:
    path = big_xlsx(tmp_path / "big.xlsx", 2_000)
    calls: list[int] = []

    def progress(n: int) -> bool:
        calls.append(n)
        return len(calls) < cancel_after

    with pytest.raises(cl.ReadCancelled):
        cl.read_table(path, progress=progress)
    assert calls == [500 * (i + 1) for i in range(cancel_after)]


def test_error_values_are_read_by_openpyxl(tmp_path: Path) -> None:
    """calamine reads an error cell as empty: a "#N/A" left by a formula must reach the user as written."""
    from data import make_hostile as mh

    parts = mh.class_list_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    at = sheet.index(b"</sheetData>")
    row = (b'<row r="9"><c r="A9" t="e"><v>#N/A</v></c><c r="B9" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
           b'<c r="C9" t="b"><v>1</v></c></row>')
    path = mh.write_zip(tmp_path / "errors.xlsx", {**parts, "xl/worksheets/sheet1.xml": sheet[:at] + row + sheet[at:]})
    package = check_package(path, LIMITS, cl.ImportFileError)
    assert package.error_cells == 2
    assert not cl._fast_readable(package)
    table = cl.read_table(path)
    assert [c.value for c in table.sheets[0].rows[8]] == ["#N/A", "#DIV/0!", True]


def test_rich_text_is_read_by_openpyxl(tmp_path: Path) -> None:
    """A name typed in two formats is two runs; a writer that leaves out xml:space="preserve" on "Nguyễn " would
    lose the space between them in calamine."""
    from data import make_hostile as mh

    parts = mh.class_list_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    at = sheet.index(b"</sheetData>")
    row = ('<row r="9"><c r="B9" t="inlineStr"><is><r><t>Nguyễn </t></r><r><rPr><b/></rPr><t>Văn A</t></r></is>'
           "</c></row>").encode()
    path = mh.write_zip(tmp_path / "rich.xlsx", {**parts, "xl/worksheets/sheet1.xml": sheet[:at] + row + sheet[at:]})
    package = check_package(path, LIMITS, cl.ImportFileError)
    assert package.rich_runs == 2
    assert not cl._fast_readable(package)
    assert cl.cell_text(cl.read_table(path).sheets[0].cell(8, 1)) == "Nguyễn Văn A"

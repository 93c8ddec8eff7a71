"""Generate resources/templates/bao_cao_ket_nap.xlsx, the layout of the Excel return.

Run from the repository root: ``.venv/bin/python build_scripts/make_template.py``. The generated file is
committed; the district may replace it with its own layout using the same placeholders (docs/reports.md).

Sheet "Tổng hợp": the 36-HD/VPTW document header, title and subject, the totals table (anchor
``{{table:totals}}``, then the total row) and the signature block. Sheet "Danh sách": the students admitted
in the period (anchor ``{{table:students}}``). Both A4 landscape, fit to width, header rows repeated,
page numbers in the footer, Times New Roman.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "templates" / "bao_cao_ket_nap.xlsx"

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
DATE = "DD/MM/YYYY"


def font(size: float = 12, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def put(ws: Worksheet, ref: str, value: str, *, size: float = 12, bold: bool = False, italic: bool = False,
        align: Alignment = CENTER, merge_to: str | None = None) -> None:
    ws[ref] = value
    ws[ref].font = font(size, bold=bold, italic=italic)
    ws[ref].alignment = align
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")


def rule(ws: Worksheet, row: int, under: tuple[str, str], length: float) -> None:
    """A short horizontal rule centred under the columns ``under`` (as 36-HD/VPTW draws it under the party's name
    and under the subject): the top border of the run of whole columns of an otherwise empty row whose middle is
    nearest theirs, about ``length`` characters wide. The columns' widths must be set first."""
    first, last = (column_index_from_string(c) for c in under)
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1)]
    edges = list(itertools.accumulate(widths, initial=0.0))
    middle = edges[-1] / 2

    def cost(run: tuple[int, int]) -> float:
        a, b = run
        return 2 * abs((edges[a] + edges[b + 1]) / 2 - middle) + abs(edges[b + 1] - edges[a] - length)

    a, b = min(((a, b) for a in range(len(widths)) for b in range(a, len(widths))), key=cost)
    for col in range(first + a, first + b + 1):
        ws.cell(row, col).border = Border(top=THIN)


def print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = 0.6
    ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = 11
    ws.evenFooter.center.text = "Trang &P/&N"
    ws.evenFooter.center.font = f"{FONT},Regular"
    ws.evenFooter.center.size = 11
    ws.sheet_view.showGridLines = False


def document_header(ws: Worksheet, last_col: str, right_from: str, left_to: str) -> None:
    """Rows 1–4: upper body, issuer, "*", number (left); ĐẢNG CỘNG SẢN VIỆT NAM, rule, place and date."""
    put(ws, "A1", "{{upper_body}}", size=14, merge_to=f"{left_to}1")
    put(ws, "A2", "{{issuer}}", size=13, bold=True, merge_to=f"{left_to}2")
    put(ws, "A3", "*", size=13, merge_to=f"{left_to}3")
    put(ws, "A4", "{{doc_number}}", size=13, merge_to=f"{left_to}4")
    put(ws, f"{right_from}1", "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, merge_to=f"{last_col}1")
    put(ws, f"{right_from}3", "{{place_date}}", size=13, italic=True, merge_to=f"{last_col}3")
    for r in (1, 2, 3, 4):
        ws.row_dimensions[r].height = 20


def header_cell(ws: Worksheet, ref: str, text: str, merge_to: str | None = None) -> None:
    put(ws, ref, text, size=11, bold=True, merge_to=merge_to)
    if merge_to:
        for row in ws[f"{ref}:{merge_to}"]:
            for cell in row:
                cell.border = BOX
    else:
        ws[ref].border = BOX


def data_cell(ws: Worksheet, ref: str, value: str, *, align: Alignment = CENTER, number_format: str | None = None,
              bold: bool = False) -> None:
    ws[ref] = value
    ws[ref].font = font(12, bold=bold)
    ws[ref].alignment = align
    ws[ref].border = BOX
    if number_format:
        ws[ref].number_format = number_format


TOTALS = [  # column, header (row 11), sub-header (row 12) or None, field
    ("A", "STT", None, "table:totals"),
    ("B", "Tổ chức cơ sở đảng", None, "name"),
    ("C", "Chỉ tiêu kết nạp trong năm", None, "annual_target"),
    ("D", "Quần chúng đang bồi dưỡng (nguồn)", None, "in_training"),
    ("E", "Cử đi học lớp nhận thức về Đảng trong kỳ", None, "sent_to_class"),
    ("F", "Có nghị quyết chi bộ đề nghị kết nạp", None, "with_resolution"),
    ("G", "Có quyết định, chờ tổ chức lễ kết nạp", None, "awaiting_ceremony"),
    ("H", "Kết nạp trong kỳ", "Tổng số", "admitted"),
    ("I", None, "Nữ", "admitted_women"),
    ("J", None, "Dân tộc thiểu số", "admitted_minority"),
    ("K", None, "Có tôn giáo", "admitted_religion"),
    ("L", None, "Đoàn viên", "admitted_union"),
    ("M", "Lũy kế kết nạp từ đầu kế hoạch", None, "cumulative"),
    ("N", "Công nhận đảng viên chính thức", None, "recognised"),
    ("O", "Chuyển sinh hoạt đảng đi", None, "transferred"),
    ("P", "Đạt chỉ tiêu năm", None, "target_met"),
    ("Q", "Ghi chú", None, "notes"),
]
TOTALS_WIDTHS = {"A": 5, "B": 34, "C": 9, "D": 11, "E": 11, "F": 11, "G": 11, "H": 8, "I": 7, "J": 8, "K": 8,
                 "L": 8, "M": 10, "N": 10, "O": 10, "P": 9, "Q": 16}


def totals_sheet(ws: Worksheet) -> None:
    ws.title = "Tổng hợp"
    for col, width in TOTALS_WIDTHS.items():
        ws.column_dimensions[col].width = width
    document_header(ws, "Q", right_from="I", left_to="F")
    rule(ws, 2, ("I", "Q"), 36)  # under ĐẢNG CỘNG SẢN VIỆT NAM
    put(ws, "A6", "BÁO CÁO", size=14, bold=True, merge_to="Q6")
    put(ws, "A7", "Kết quả kết nạp đảng viên là học sinh trung học phổ thông {{period_title}}", size=13,
        bold=True, merge_to="Q7")
    rule(ws, 8, ("A", "Q"), 24)  # the short rule under the subject
    put(ws, "A9", "(Từ ngày {{period_start}} đến ngày {{period_end}}; {{cumulative_basis}})",
        size=12, italic=True, merge_to="Q9")
    ws.row_dimensions[6].height = 22
    ws.row_dimensions[7].height = 26  # room under the subject before its rule (row 8's top border)
    # table header: rows 11-12, with "Kết nạp trong kỳ" over its five sub-columns
    for col, head, sub, _field in TOTALS:
        if head and sub is None:
            header_cell(ws, f"{col}11", head, merge_to=f"{col}12")
        elif head and sub:
            header_cell(ws, f"{col}11", head, merge_to="L11")
            header_cell(ws, f"{col}12", sub)
        else:
            header_cell(ws, f"{col}12", sub or "")
    ws.row_dimensions[11].height = 30
    ws.row_dimensions[12].height = 62
    for i, (col, *_rest) in enumerate(TOTALS, start=1):
        put(ws, f"{col}13", f"({i})", size=10, italic=True)
        ws[f"{col}13"].border = BOX
    # the repeated row, then the total row
    for col, _head, _sub, field in TOTALS:
        align = LEFT if field in ("name", "notes") else CENTER
        data_cell(ws, f"{col}14", f"{{{{{field}}}}}", align=align, number_format="0" if col not in "BPQ" else None)
    ws.row_dimensions[14].height = 20
    data_cell(ws, "A15", "Tổng cộng", bold=True)
    data_cell(ws, "B15", "")
    ws.merge_cells("A15:B15")
    for col, _head, _sub, field in TOTALS[2:-1]:
        data_cell(ws, f"{col}15", f"{{{{total.{field}}}}}", bold=True, number_format="0" if col != "P" else None)
    data_cell(ws, "Q15", "", bold=True)
    ws.row_dimensions[15].height = 20
    # recipients and signature
    put(ws, "A17", "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, merge_to="F17")
    put(ws, "A18", "- Ban Tổ chức cấp ủy cấp trên;", size=11, align=LEFT, merge_to="F18")
    put(ws, "A19", "- Lưu.", size=11, align=LEFT, merge_to="F19")
    put(ws, "K17", "{{signer_role}}", size=13, bold=True, merge_to="Q18")
    put(ws, "K22", "{{signer_name}}", size=13, bold=True, merge_to="Q22")
    print_setup(ws, "11:13")


STUDENTS = [  # column, header (row 6), sub-header (row 7) or None, field, width, date?
    ("A", "STT", None, "table:students", 5, False),
    ("B", "Họ và tên", None, "full_name", 26, False),
    ("C", "Ngày sinh", None, "birth", 12, True),
    ("D", "Giới tính", None, "gender_name", 8, False),
    ("E", "Dân tộc", None, "ethnic_name", 10, False),
    ("F", "Tôn giáo", None, "religion_name", 11, False),
    ("G", "Lớp", None, "class_name", 7, False),
    ("H", "Tổ chức cơ sở đảng", None, "org_name", 30, False),
    ("I", "Quyết định kết nạp", "Số", "decision_no", 12, False),
    ("J", None, "Ngày", "decision_date", 12, True),
    ("K", "Ngày kết nạp", None, "ceremony_date", 12, True),
    ("L", "Ngày hết dự bị", None, "probation_end", 12, True),
]


def students_sheet(ws: Worksheet) -> None:
    ws.title = "Danh sách"
    for col, *_r, width, _d in STUDENTS:
        ws.column_dimensions[col].width = width
    put(ws, "A1", "DANH SÁCH HỌC SINH ĐƯỢC KẾT NẠP VÀO ĐẢNG {{period_title_upper}}", size=14, bold=True,
        merge_to="L1")
    put(ws, "A2", "(Kèm theo Báo cáo số {{report_number}} ngày {{report_date}} của {{issuer}})", size=12,
        italic=True, merge_to="L2")
    ws.row_dimensions[1].height = 22
    for col, head, sub, _field, _w, _d in STUDENTS:
        if head and sub is None:
            header_cell(ws, f"{col}4", head, merge_to=f"{col}5")
        elif head and sub:
            header_cell(ws, f"{col}4", head, merge_to="J4")
            header_cell(ws, f"{col}5", sub)
        else:
            header_cell(ws, f"{col}5", sub or "")
    ws.row_dimensions[4].height = 22
    ws.row_dimensions[5].height = 22
    for col, _head, _sub, field, _w, is_date in STUDENTS:
        align = LEFT if field in ("full_name", "org_name") else CENTER
        data_cell(ws, f"{col}6", f"{{{{{field}}}}}", align=align, number_format=DATE if is_date else None)
    ws.row_dimensions[6].height = 20
    put(ws, "A8", "Danh sách có {{student_count}} học sinh.", size=12, italic=True, align=LEFT, merge_to="L8")
    print_setup(ws, "4:5")


def make(out: Path = OUT) -> Path:
    wb = Workbook()
    totals_sheet(wb.active)
    students_sheet(wb.create_sheet())
    wb.properties.creator = "lamha_desktop"
    wb.properties.title = "Mẫu báo cáo kết quả kết nạp đảng viên là học sinh THPT"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


if __name__ == "__main__":
    print(make(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))

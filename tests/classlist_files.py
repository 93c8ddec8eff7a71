"""Builders of class-list files for the import tests and the benchmark: real .xlsx, .xls and .csv files.

Not a test module (no ``test_`` prefix); the tests import it from the ``tests`` folder, which pytest puts
on ``sys.path`` for the root conftest.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "K'", "Ka", "Ma")
MIDDLE = ("Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức", "Thùy")
GIVEN = ("Ánh", "Bình", "Châu", "Dũng", "Đạt", "Hà", "Hoàng", "Hương", "Khoa", "Linh", "Mỹ", "Nam", "Oanh", "Phúc",
         "Quyên", "Sơn", "Thảo", "Uyên", "Vy", "Yến")
ETHNIC = ("Kinh", "Kinh", "Kinh", "Cơ-ho", "K'Ho", "Mạ", "Tày", "Nùng", "HMông", "Chu-ru")
RELIGION = ("", "", "Phật giáo", "Công giáo", "Thiên chúa giáo", "Tin lành", "Không")
CLASSES = ("10A1", "10A2", "11A1", "11B3", "12A1", "12C2")


def pid(i: int) -> str:
    """A well-formed 12-digit ID (Lâm Đồng = 068), unique per ``i``."""
    return f"0683{(i % 2)}8{i:06d}"


def student(i: int) -> dict[str, Any]:
    family = FAMILY[i % len(FAMILY)]
    middle = MIDDLE[(i // 3) % len(MIDDLE)]
    given = GIVEN[(i // 7) % len(GIVEN)]
    return {
        "stt": i + 1,
        "full_name": f"{family} {middle} {given}",
        "family_middle": f"{family} {middle}",
        "given_name": given,
        "birth": dt.date(2007 + i % 2, 1 + i % 12, 1 + i % 28),
        "gender": "Nữ" if i % 2 else "Nam",
        "ethnic": ETHNIC[i % len(ETHNIC)],
        "religion": RELIGION[i % len(RELIGION)],
        "class_name": CLASSES[i % len(CLASSES)],
        "personal_id": pid(i),
        "residence": f"Thôn {1 + i % 9}, xã Tân Hà, Lâm Đồng",
    }


SIMPLE_HEADER = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Lớp", "Mã định danh",
                 "Nơi ở hiện nay")


def simple_row(s: Mapping[str, Any], *, birth: Any = None) -> list[Any]:
    return [s["stt"], s["full_name"], s["birth"] if birth is None else birth, s["gender"], s["ethnic"],
            s["religion"], s["class_name"], s["personal_id"], s["residence"]]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1",
               merges: Iterable[str] = (), fonts: Mapping[tuple[int, int], str] | None = None,
               date_format: str = "DD/MM/YYYY", extra_sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
               text_cells: Iterable[tuple[int, int]] = ()) -> Path:
    """Write rows (1-based cell positions in ``fonts``/``text_cells``) with openpyxl in normal mode.

    ``text_cells`` are forced to the string type (so "=..." is stored as text, as a user typing '=... would).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    _fill(ws, rows, date_format)
    for rng in merges:
        ws.merge_cells(rng)
    for (r, c), name in (fonts or {}).items():
        ws.cell(r, c).font = Font(name=name)
    for r, c in text_cells:
        ws.cell(r, c).data_type = "s"
    for name, more in (extra_sheets or {}).items():
        _fill(wb.create_sheet(name), more, date_format)
    wb.save(path)
    return path


def _fill(ws: Any, rows: Sequence[Sequence[Any]], date_format: str) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, dt.date):
                cell.number_format = date_format


def write_xls(path: Path, rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1",
              merges: Iterable[tuple[int, int, int, int]] = (), fonts: Mapping[tuple[int, int], str] | None = None
              ) -> Path:
    """Write an old-format .xls with xlwt. ``merges``: 0-based (r1, r2, c1, c2) inclusive; ``fonts``: 0-based."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    styles: dict[str, Any] = {}
    merged_tops = {(r1, c1): (r1, r2, c1, c2) for r1, r2, c1, c2 in merges}
    covered = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered and (r, c) not in merged_tops:
                continue
            font_name = (fonts or {}).get((r, c))
            if isinstance(value, dt.date):
                style = date_style
            elif font_name:
                if font_name not in styles:
                    style = xlwt.XFStyle()
                    f = xlwt.Font()
                    f.name = font_name
                    style.font = f
                    styles[font_name] = style
                style = styles[font_name]
            else:
                style = xlwt.Style.default_style
            if (r, c) in merged_tops:
                r1, r2, c1, c2 = merged_tops[(r, c)]
                ws.write_merge(r1, r2, c1, c2, value, style)
            elif value is not None:
                ws.write(r, c, value, style)
    wb.save(str(path))
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, bom: bool = True, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        for row in rows:
            w.writerow(["" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v) for v in row])
    return path


def big_xlsx(path: Path, n: int, *, as_excel: bool = False) -> Path:
    """A vnEdu-like export of ``n`` students: three title rows, then the header, then the rows (write-only mode:
    inline strings, no <dimension>). ``as_excel``: written in normal mode, with shared strings and a
    <dimension>, as Excel writes a workbook."""
    wb = openpyxl.Workbook(write_only=not as_excel)
    if as_excel:
        ws = wb.active
        ws.title = "DanhSach"
    else:
        ws = wb.create_sheet("DanhSach")
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO LÂM ĐỒNG"])
    ws.append(["DANH SÁCH HỌC SINH NĂM HỌC 2024-2025"])
    ws.append([])
    ws.append(list(SIMPLE_HEADER))
    for i in range(n):
        ws.append(simple_row(student(i)))
    wb.save(path)
    return path

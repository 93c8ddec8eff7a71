"""Reading a school's past admissions: one row per student with the dates of their steps (``import-history``).

The file is a spreadsheet (.xlsx, .xls or .csv, read by :func:`class_list.read_table`) whose header row names
the columns of :data:`COLUMNS` (accents and case do not matter; the order does not either). An empty cell means
"not yet". Each row becomes a :class:`HistoryRow` with its values read and typed; a cell that cannot be read is a
problem of that row (the operation refuses the row with every reason). A file without the identifying columns
is refused as a whole (``history.no_header``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from lamha_desktop.domain import people
from lamha_desktop.readers import class_list
from lamha_desktop.readers.class_list import Cell, ImportFileError, Problem

__all__ = ["COLUMNS", "REQUIRED", "HistoryRow", "read_history"]

# (key, the header the template writes) in the template's order.
COLUMNS: Final = (
    ("full_name", "Họ và tên"),
    ("birth", "Ngày sinh"),
    ("gender", "Giới tính"),
    ("ethnic", "Dân tộc"),
    ("personal_id", "Số định danh cá nhân"),
    ("class_name", "Lớp"),
    ("certificate_on", "Ngày cấp giấy chứng nhận lớp nhận thức"),
    ("certificate_no", "Số giấy chứng nhận"),
    ("vote_on", "Ngày chi bộ biểu quyết"),
    ("members", "Số đảng viên chính thức"),
    ("agree", "Số tán thành"),
    ("decision_no", "Số quyết định kết nạp"),
    ("decision_on", "Ngày quyết định"),
    ("received_on", "Ngày nhận quyết định"),
    ("ceremony_on", "Ngày lễ kết nạp"),
    ("recognition_on", "Ngày công nhận chính thức"),
)
REQUIRED: Final = ("full_name", "birth", "gender", "personal_id")
DATES: Final = frozenset({"birth", "certificate_on", "vote_on", "decision_on", "received_on", "ceremony_on",
                          "recognition_on"})
NUMBERS: Final = frozenset({"members", "agree"})
HEADER_ROWS_SEARCHED: Final = 40
_KEYS: Final = {people.search_key(text): key for key, text in COLUMNS}


@dataclass
class HistoryRow:
    """One student's row: ``values`` by the keys of :data:`COLUMNS` (dates as ``date``, counts as ``int``,
    texts as ``str``; an empty cell is absent), and the problems of its cells."""

    sheet: str
    row: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.values.get("full_name") or "")


def _header(sheet: class_list.Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row of ``sheet`` and the column of each key, when it has every required column."""
    for r in range(min(HEADER_ROWS_SEARCHED, len(sheet.rows))):
        found: dict[str, int] = {}
        for c in range(sheet.width):
            key = _KEYS.get(people.search_key(class_list.cell_text(sheet.cell(r, c))))
            if key is not None and key not in found:
                found[key] = c
        if all(k in found for k in REQUIRED):
            return r, found
    return None


def _number(cell: Cell) -> tuple[int | None, bool]:
    v = cell.value
    if v is None or v == "":
        return None, True
    if isinstance(v, bool):
        return None, False
    if isinstance(v, float) and v.is_integer():
        return int(v), True
    if isinstance(v, int):
        return v, True
    text = class_list.cell_text(cell).strip()
    return (int(text), True) if text.isdigit() else (None, False)


def _read_row(sheet: str, row_no: int, cells: Sequence[Cell], columns: dict[str, int], *, today: dt.date,
              from_csv: bool) -> HistoryRow | None:
    out = HistoryRow(sheet, row_no, {}, columns={k: class_list.column_letter(c) for k, c in columns.items()})

    def cell(key: str) -> Cell:
        c = columns[key]
        return cells[c] if c < len(cells) else Cell(None)

    if not any(class_list.cell_text(cell(k)) for k in columns):
        return None  # an empty row
    for key in columns:
        if key in DATES:
            day, problem = class_list._to_date(cell(key), today=today)
            if problem is not None:
                out.problems.append(Problem(sheet, row_no, out.columns[key], problem,
                                            {"field": key, "value": class_list.cell_text(cell(key))}))
            elif day is not None:
                out.values[key] = day
        elif key in NUMBERS:
            number, ok = _number(cell(key))
            if not ok:
                out.problems.append(Problem(sheet, row_no, out.columns[key], "history.number_unreadable",
                                            {"field": key, "value": class_list.cell_text(cell(key))}))
            elif number is not None:
                out.values[key] = number
        elif key == "personal_id":
            pid, _restored = class_list._personal_id(cell(key), from_csv=from_csv)
            if pid:
                out.values[key] = pid
        else:
            text = people.normalize_text(class_list.cell_text(cell(key)))
            if text:
                out.values[key] = text
    return out


def read_history(path: Path | str, *, today: dt.date | None = None,
                 progress: Callable[[int], bool] | None = None) -> list[HistoryRow]:
    """Every student row of the file at ``path``; raises ImportFileError (``import.*`` for a file that cannot
    be read at all, ``history.no_header`` when no sheet has the required columns)."""
    today = today or dt.date.today()
    table = class_list.read_table(path, progress=progress)
    rows: list[HistoryRow] = []
    found_header = False
    for sheet in table.sheets:
        header = _header(sheet)
        if header is None:
            continue
        found_header = True
        header_row, columns = header
        for r in range(header_row + 1, len(sheet.rows)):
            row = _read_row(sheet.name, r + 1, sheet.rows[r], columns, today=today, from_csv=table.kind == "csv")
            if row is not None:
                rows.append(row)
    if not found_header:
        raise ImportFileError("history.no_header", path=str(path),
                              columns=", ".join(text for key, text in COLUMNS if key in REQUIRED))
    return rows


def template() -> bytes:
    """An empty history file: the header row of :data:`COLUMNS`, date columns formatted DD/MM/YYYY, the ID
    column as text (its leading zero kept)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Lịch sử kết nạp"
    for c, (key, text) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = 26 if key == "full_name" else 16
        for r in range(2, 202):
            if key in DATES:
                ws.cell(row=r, column=c).number_format = "DD/MM/YYYY"
            elif key == "personal_id":
                ws.cell(row=r, column=c).number_format = "@"
    ws.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

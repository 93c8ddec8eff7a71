"""The error report of an import: the rejected rows as they were, with the reasons, as ``.xlsx`` bytes.

It is meant to be sent back to whoever made the file: one sheet per source sheet, the original row number,
the reasons (already worded by the caller, with the cell), then the row's cells under the source's headers.
Text is always written as text, never as a formula (a cell holding ``=HYPERLINK(...)`` stays that text);
dates are real dates shown as DD/MM/YYYY; long numbers (IDs that lost their leading zero) are written as
text so Excel does not show them as 6.8E+10. Once corrected, the file can be imported again: the header
row is found under the title and the two added columns are ignored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

__all__ = ["RejectedRow", "build", "sheet_title"]

DATE_FORMAT = "DD/MM/YYYY"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="FFE0E0")


@dataclass(frozen=True)
class RejectedRow:
    """One rejected row: where it was, why (one worded reason per problem) and its cells as stored."""

    sheet: str
    row: int
    reasons: Sequence[str]
    cells: Sequence[Any]


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (at most 31 characters, none of ``[]:*?/\\``)."""
    base = _BAD_TITLE.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def _text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def _put(cell: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date | dt.datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT if not isinstance(value, dt.datetime) else "DD/MM/YYYY HH:MM"
        return
    if isinstance(value, bool):
        cell.value = value
        return
    if isinstance(value, int) and abs(value) >= 10**9:
        value = str(value)
    if isinstance(value, int | float):
        cell.value = value
        return
    # Assign, then force the string type: openpyxl would otherwise store "=..." as a formula.
    cell.value = _text(str(value))
    cell.data_type = "s"


def build(rows: Sequence[RejectedRow], *, headers: Mapping[str, Sequence[str]] | None = None,
          title: str = "", row_label: str = "Dòng", reason_label: str = "Lý do") -> bytes:
    """The report as ``.xlsx`` bytes.

    Args:
        rows: the rejected rows, in file order.
        headers: the header texts of each source sheet (by sheet name) to put over the cells.
        title: a line above the table (e.g. the source file's name); none when empty.
        row_label, reason_label: the headers of the two added columns.
    """
    headers = headers or {}
    wb = Workbook()
    default_sheet = wb.active  # a new workbook holds one empty sheet
    assert default_sheet is not None
    wb.remove(default_sheet)
    by_sheet: dict[str, list[RejectedRow]] = {}
    for r in rows:
        by_sheet.setdefault(r.sheet, []).append(r)
    if not by_sheet:
        by_sheet[""] = []
    taken: set[str] = set()
    for source, items in by_sheet.items():
        ws = wb.create_sheet(sheet_title(source or "Sheet", taken))
        top = 1
        if title:
            _put(ws.cell(1, 1), title)
            ws.cell(1, 1).font = Font(bold=True, size=12)
            top = 3
        width = max([len(headers.get(source, ()))] + [len(r.cells) for r in items])
        names = list(headers.get(source, ()))
        names += [get_column_letter(c + 1) for c in range(len(names), width)]
        for col, name in enumerate([row_label, reason_label, *names], start=1):
            cell = ws.cell(top, col)
            _put(cell, name)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for i, r in enumerate(items, start=top + 1):
            ws.cell(i, 1).value = r.row
            reason = ws.cell(i, 2)
            _put(reason, "\n".join(r.reasons))
            reason.alignment = Alignment(wrap_text=True, vertical="top")
            for col, value in enumerate(r.cells, start=3):
                _put(ws.cell(i, col), value)
        ws.freeze_panes = ws.cell(top + 1, 3)
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 60
        for col in range(3, width + 3):
            ws.column_dimensions[get_column_letter(col)].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""The return (.xlsx) in the district's layout: a template filled with the figures of a ``ReturnData``.

The layout lives in ``resources/templates/bao_cao_ket_nap.xlsx`` (made by ``build_scripts/make_template.py``),
which the district may replace without touching code. The template language (see docs/reports.md):

* ``{{name}}`` anywhere in a text cell is replaced; a cell holding exactly one placeholder takes the value's
  own type (numbers stay numbers, dates become real dates shown dd/mm/yyyy);
* a cell ``{{table:totals}}`` or ``{{table:students}}`` marks a table's row: that row is repeated once per
  organisation / student (its styles copied), the marker cell takes the row number (STT) and the other
  cells of the row name fields of the row (``{{admitted}}``, ``{{full_name}}``...). Rows below move down
  with their merged cells and heights;
* the totals row uses ``{{total.admitted}}`` etc.

Every text value is written as text: a name starting with ``=``, ``+``, ``-`` or ``@`` never becomes a
formula, and no cell holds more than Excel's 32,767 characters (a longer text is cut with "…"). A very
hidden, protected sheet ``_lamha_data`` carries the machine-readable payload used for district
consolidation (one record per row: type, then the JSON text over as many cells as it needs, each at most
32,767 characters); it is never printed or shown. It carries every listed student's personal ID.

A **totals-only** return (``totals_only=True``) is for sending anywhere else: the figures per organisation,
no named list (a sheet holding only the students' table is left out, a shared sheet shows a note instead of
the list) and no hidden data sheet, so no personal data at all.

:func:`build` returns bytes; :func:`write_atomic` puts them on disk (temporary file + ``os.replace``).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import errno
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lamha_desktop.paths import resources_dir
from lamha_desktop.reports.files import ExportError, write_atomic
from lamha_desktop.storage.report_data import AdmittedStudent, OrgFigures, ReturnData

if TYPE_CHECKING:
    from openpyxl.styles.cell_style import StyleArray

    class _Cell(Cell):
        """openpyxl's Cell with the private slots written directly below (types-openpyxl leaves them out)."""

        _value: Any
        _style: StyleArray
else:
    _Cell = Cell

__all__ = [
    "CELL_CHARS",
    "DATA_SHEET",
    "DATE_FORMAT",
    "ExportError",
    "build",
    "default_template",
    "safe_text",
    "write_atomic",
]

DATA_SHEET: Final = "_lamha_data"
DATE_FORMAT: Final = "DD/MM/YYYY"
TEMPLATE_NAME: Final = "bao_cao_ket_nap.xlsx"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.:]+)\s*\}\}")
_FORMULA_START = ("=", "+", "-", "@")
CELL_CHARS: Final = 32_767
"""The most an Excel cell holds, counted in UTF-16 code units as Excel counts them."""
TOTALS_ONLY_NOTE: Final = "Bản báo cáo chỉ có số liệu tổng hợp, không kèm danh sách học sinh."

Progress = Callable[[int, int], None]


def default_template() -> Path:
    return resources_dir() / "templates" / TEMPLATE_NAME


# ------------------------------------------------------------------------------------------ cell values


def excel_length(text: str) -> int:
    """The length Excel sees: UTF-16 code units (a character beyond U+FFFF counts twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)


def clip(text: str, limit: int = CELL_CHARS) -> str:
    """``text`` cut to fit one cell, ending with "…" when it was cut."""
    if len(text) <= limit // 2 or excel_length(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


def split_cells(text: str, limit: int = CELL_CHARS) -> list[str]:
    """``text`` in pieces that each fit one cell (joined back, they are ``text``)."""
    if excel_length(text) <= limit:
        return [text]
    pieces: list[str] = []
    start = used = 0
    for i, ch in enumerate(text):
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit:
            pieces.append(text[start:i])
            start, used = i, 0
        used += size
    pieces.append(text[start:])
    return pieces


def safe_text(cell: Cell, text: str) -> None:
    """Write ``text`` as a text cell: never a formula, no characters XML cannot hold, never past Excel's limit."""
    text = clip(ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.value = text
    if cell.data_type != "s" or text.startswith(_FORMULA_START):
        cell.data_type = "s"


def _fmt(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Đạt" if value else "Chưa đạt"
    return str(value)


def _put(cell: Cell, value: Any) -> None:
    """A typed value: numbers as numbers, dates as dates with DD/MM/YYYY, the rest as text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        safe_text(cell, _fmt(value))
    elif isinstance(value, int | float):
        cell.value = value
    elif isinstance(value, dt.date):
        cell.value = value
        if cell.number_format in ("General", "@"):
            cell.number_format = DATE_FORMAT
    else:
        safe_text(cell, str(value))


def _put_fast(cell: _Cell, value: Any) -> None:
    """:func:`_put` for a new cell of a table row (same result, without the generic value setter)."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value) if value and not value.isprintable() else value
        cell._value, cell.data_type = clip(text), "s"
    elif isinstance(value, int) and not isinstance(value, bool):
        cell._value, cell.data_type = value, "n"
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell._value, cell.data_type = value, "d"
        if cell.number_format in ("General", "@"):
            cell.number_format = DATE_FORMAT
    else:
        _put(cell, value)


def _fill_text(cell: Cell, context: Mapping[str, Any]) -> None:
    """Replace the placeholders of one template cell from ``context``."""
    text = cell.value
    if not isinstance(text, str) or "{{" not in text:
        return
    whole = _PLACEHOLDER.fullmatch(text.strip())
    if whole:
        key = whole.group(1)
        if key not in context:
            raise ExportError("template.unknown_placeholder", name=key, cell=cell.coordinate)
        _put(cell, context[key])
        return

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in context:
            raise ExportError("template.unknown_placeholder", name=m.group(1), cell=cell.coordinate)
        return _fmt(context[m.group(1)])

    safe_text(cell, _PLACEHOLDER.sub(sub, text))


# ------------------------------------------------------------------------------------------ tables


def _find_anchor(ws: Worksheet, name: str) -> Cell | None:
    marker = f"{{{{table:{name}}}}}"
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == marker:
                return cell
    return None


def _row_cell(ws: Worksheet, row: int, column: int) -> _Cell:
    """``ws.cell(row, column)`` in a table row, typed with the private slots ``_fill_table`` copies."""
    return cast("_Cell", ws.cell(row, column))


def _insert_rows(ws: Worksheet, after: int, n: int) -> None:
    """Insert ``n`` rows after row ``after``, moving merged cells and row heights below with them."""
    if n <= 0:
        return
    moved = [r for r in ws.merged_cells.ranges if r.min_row > after]
    for rng in moved:
        ws.merged_cells.remove(rng)
    heights = {i: d.height for i, d in ws.row_dimensions.items() if i > after and d.height is not None}
    ws.insert_rows(after + 1, n)
    for i in sorted(heights, reverse=True):
        ws.row_dimensions[i + n].height = heights[i]
        ws.row_dimensions[i].height = None
    for rng in moved:
        rng.shift(row_shift=n)
        ws.merge_cells(rng.coord)


def _fill_table(ws: Worksheet, name: str, rows: Sequence[Mapping[str, Any]], *, empty_text: str,
                progress: Progress | None = None, context: Mapping[str, Any] | None = None) -> int:
    """Repeat the anchor row of table ``name`` once per item of ``rows``; return the number of rows."""
    anchor = _find_anchor(ws, name)
    if anchor is None:
        raise ExportError("template.no_anchor", table=name, sheet=ws.title)
    r0 = anchor.row
    last_col = ws.max_column
    template: list[tuple[int, Any, Any]] = []  # (column, field name or None, style)
    for col in range(1, last_col + 1):
        cell = _row_cell(ws, r0, col)
        key: Any = None
        if col == anchor.column:
            key = "#"
        elif isinstance(cell.value, str) and "{{" in cell.value:
            m = _PLACEHOLDER.fullmatch(cell.value.strip())
            if not m:
                raise ExportError("template.table_cell", table=name, cell=cell.coordinate)
            key = m.group(1)
        elif cell.value is not None:
            key = ("const", cell.value)
        template.append((col, key, copy.copy(cell._style)))
    height = ws.row_dimensions[r0].height
    _insert_rows(ws, r0, max(len(rows), 1) - 1)
    if not rows:
        for col, _key, style in template:
            cell = _row_cell(ws, r0, col)
            cell._style = copy.copy(style)
            cell.value = None
        first_text = next((c for c, k, _s in template if k not in ("#", None)), anchor.column)
        safe_text(_row_cell(ws, r0, first_text), empty_text)
        return 0
    total = len(rows)
    step = max(1, total // 50)
    cells = ws._cells  # direct: ws.cell() costs more than the value itself on long lists
    for i, item in enumerate(rows):
        r = r0 + i
        if height is not None:
            ws.row_dimensions[r].height = height
        for col, key, style in template:
            cell = _Cell(ws, row=r, column=col)
            cells[(r, col)] = cell
            cell._style = copy.copy(style)
            if key is None:
                continue
            if key == "#":
                cell._value, cell.data_type = i + 1, "n"
                continue
            if isinstance(key, tuple):
                value = key[1]
            elif key in item:
                value = item[key]
            elif context is not None and key in context:
                value = context[key]
            else:
                raise ExportError("template.unknown_placeholder", name=key, cell=cell.coordinate)
            _put_fast(cell, value)
        if progress is not None and (i % step == 0 or i == total - 1):
            progress(i + 1, total)
    return total


# ------------------------------------------------------------------------------------------ context


def _org_row(o: OrgFigures) -> dict[str, Any]:
    row = {f.name: getattr(o, f.name) for f in dataclasses.fields(o)}
    row["target_met"] = "Đạt" if o.target_met else "Chưa đạt"
    return row


def _student_row(s: AdmittedStudent) -> dict[str, Any]:
    return dict(s.__dict__)  # flat dataclass: a shallow copy is enough (asdict deep-copies, slowly)


def _context(data: ReturnData) -> dict[str, Any]:
    h = data.header
    p = data.period
    ctx: dict[str, Any] = {
        "upper_body": h.upper_body,
        "issuer": h.issuer,
        "doc_number": h.doc_number,
        "report_number": h.doc_number.removeprefix("Số ").strip(),
        "place_date": h.place_date,
        "place": h.place,
        "report_date": h.report_date,
        "signer_role": h.signer_role,
        "signer_name": h.signer_name,
        "plan_start": h.plan_start,
        "plan_number": h.plan_number,
        "cumulative_basis": h.cumulative_basis,
        "summary_kind": p.summary_kind,
        "period_title": p.title,
        "period_title_upper": p.title.upper(),
        "period_code": p.code,
        "period_start": p.start,
        "period_end": p.end,
        "year": p.year,
        "organisation_count": len(data.organisations),
        "student_count": len(data.students),
        "targets_met": data.targets_met,
    }
    for key, value in _org_row(data.total).items():
        ctx[f"total.{key}"] = value
    n = len(data.organisations)
    ctx["total.target_met"] = f"{data.targets_met}/{n}"
    ctx["total.name"] = "Tổng cộng"
    return ctx


def _fill_sheet_text(ws: Worksheet, context: Mapping[str, Any], skip_rows: Iterable[int] = ()) -> None:
    skip = set(skip_rows)
    for row in ws.iter_rows():
        for cell in row:
            if cell.row not in skip and isinstance(cell.value, str) and "{{" in cell.value:
                _fill_text(cell, context)


def _data_sheet(wb: openpyxl.Workbook, data: ReturnData) -> None:
    payload = data.payload
    ws = wb.create_sheet(DATA_SHEET)
    if payload is not None:
        head = ["format", payload.format, "version", payload.version, "period", payload.period,
                "exported_at", payload.exported_at]
        ws.append(head)
        for cell in ws[1]:
            if isinstance(cell.value, str):
                safe_text(cell, cell.value)
        # Each record is one JSON object over as many cells as it needs (json.dumps escapes control
        # characters, so nothing needs cleaning); every piece is written as text, never as a formula.
        for kind, records in (("organisation", payload.organisations), ("ceremony", payload.ceremonies),
                              ("student", payload.students), ("event", payload.events)):
            for rec in records:
                pieces = split_cells(json.dumps(rec, ensure_ascii=False, sort_keys=True, default=str))
                ws.append([kind, *pieces])
                if len(pieces) > 1:
                    for cell in ws[ws.max_row][2:]:
                        cell.data_type = "s"
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    ws.protection.enable()


def build(data: ReturnData, template_path: Path | None = None, *, progress: Progress | None = None,
          totals_only: bool = False) -> bytes:
    """The return as .xlsx bytes, laid out by ``template_path`` (default: the bundled template).

    ``totals_only``: the figures without any personal data (no named list, no hidden data sheet).

    Raises ExportError: "template.unreadable", "template.no_anchor", "template.unknown_placeholder",
    "template.table_cell".
    """
    path = template_path or default_template()
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as exc:  # zip, XML or format errors of a bad template
        raise ExportError("template.unreadable", path=str(path), detail=str(exc)) from exc
    if DATA_SHEET in wb.sheetnames:
        del wb[DATA_SHEET]
    context = _context(data)
    tables = {
        "totals": ([_org_row(o) for o in data.organisations], "Không có tổ chức đảng nào."),
        "students": ([_student_row(s) for s in data.students], "Không có học sinh được kết nạp trong kỳ."),
    }
    if totals_only:
        tables["students"] = ([], TOTALS_ONLY_NOTE)
        for ws in list(wb.worksheets):
            if _find_anchor(ws, "students") is not None and _find_anchor(ws, "totals") is None:
                wb.remove(ws)  # the named list's own sheet
    found: set[str] = set()
    for ws in wb.worksheets:
        # Fixed text first, tables second: a value coming from a user is never read as a placeholder.
        anchors = {name: cell.row for name in tables if (cell := _find_anchor(ws, name)) is not None}
        _fill_sheet_text(ws, context, skip_rows=anchors.values())
        # bottom table first: its rows then move down with the upper table's
        for name in sorted(anchors, key=lambda n: -anchors[n]):
            rows, empty = tables[name]
            found.add(name)
            _fill_table(ws, name, rows, empty_text=empty, context=context,
                        progress=progress if name == "students" else None)
    if "totals" not in found:
        raise ExportError("template.no_anchor", table="totals", sheet="")
    if not totals_only:
        _data_sheet(wb, data)
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.worksheets[0]
    wb.properties.creator = "lamha_desktop"
    wb.properties.title = f"Báo cáo kết nạp đảng viên {data.period.title}"
    out = io.BytesIO()
    try:
        wb.save(out)  # openpyxl writes each sheet through a file in the system's temporary folder first
    except OSError as exc:
        code = "export.disk_full" if exc.errno in _NO_SPACE else "export.failed"
        raise ExportError(code, path=tempfile.gettempdir(), detail=str(exc)) from exc
    except Exception as exc:
        if type(exc).__name__ == "SerialisationError" and "IO_" in str(exc):  # lxml: the same, in its words
            raise ExportError("export.disk_full", path=tempfile.gettempdir(), detail=str(exc)) from exc
        raise
    return out.getvalue()


_NO_SPACE = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})


def column_letters(n: int) -> list[str]:
    return [get_column_letter(i) for i in range(1, n + 1)]


# ------------------------------------------------------------------------------------------ writing



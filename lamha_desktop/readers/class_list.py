"""Reading class lists (.xlsx, .xls, .csv) whatever shape the school's system gives them.

Three steps, all pure (no Qt, no database):

1. :func:`read_table` reads every sheet of a file into :class:`Sheet` objects: cell values with the name
   of the cell's font (the hint for old TCVN3/VNI text) and the merged ranges of the header region.
   A file that cannot be read raises :class:`ImportFileError` with a code (``import.unreadable``,
   ``import.encrypted``, ``import.empty``, ``import.html_xls``, ``import.csv_encoding``).
2. :func:`detect_header` finds the header row(s) under any title rows and maps columns to fields
   (:data:`FIELDS`); :func:`detect_all` does it for every sheet and raises ``import.no_header`` when no
   sheet has one. A :class:`HeaderMatch` carries a shape :attr:`~HeaderMatch.signature` so a mapping
   corrected by the user can be remembered for files of the same shape.
3. :func:`parse_rows` turns the data rows into :class:`ParsedRow` objects: normalised values, and
   problems as codes with parameters and the cell (sheet, row, column letter) they come from.

Validation of the person (name, age, ID format, ethnic group...) is not done here: the storage
importer runs the same checks as the candidate form. Here only what is about *reading* is reported:
unreadable dates, marks that are not marks, the same ID twice in the file.

Problem codes (params):

===========================  =======================================================================
import.date_unreadable       a date cell that is no date; value, field
import.date_incomplete       a year alone, or day/month/year columns with a part missing; value, field
import.mark_unknown          a "Nữ"/"Nam"/"Đoàn viên" mark column holding something else; value, field
import.gender_conflict       both the "Nam" and the "Nữ" column are marked
import.duplicate_row         the same person again (same ID, same data); other (sheet!row)
import.pid_conflict          the same ID on rows with different data; pid, others
===========================  =======================================================================

Warnings (the row is still imported): ``import.pid_restored`` (value, pid) for an ID read as a number
that lost its leading zeros, ``import.pid_restored_text`` (value, pid, length) for one held as text with 10
or 11 digits (a number converted to text after it lost them); ``import.union_no_date`` for a union member
mark without a date.

A teacher's plain class list has no personal ID and no ethnic group column: those are optional
(:data:`OPTIONAL_GROUPS`; the student is imported with an incomplete record), and a file without them is
said once for the file (:attr:`HeaderMatch.missing_optional`), never once per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from lamha_desktop.domain import legacy, people, validation
from lamha_desktop.readers.limits import (
    LIMITS,
    FileRefused,
    Limits,
    PackageScan,
    RowGuard,
    check_lines,
    check_package,
    check_size,
    number_text,
    one_line,
    open_workbook,
)

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell

__all__ = [
    "FIELDS",
    "OPTIONAL_GROUPS",
    "REQUIRED_GROUPS",
    "Cell",
    "HeaderMatch",
    "ImportFileError",
    "ParsedRow",
    "Problem",
    "Sheet",
    "Table",
    "column_letter",
    "detect_all",
    "detect_header",
    "parse_rows",
    "read_table",
]

# ---------------------------------------------------------------------------------------------- types

FIELDS: tuple[str, ...] = (
    "stt",
    "full_name",
    "family_middle",
    "given_name",
    "birth",
    "birth_day",
    "birth_month",
    "birth_year",
    "gender",
    "female",
    "male",
    "ethnic",
    "religion",
    "class_name",
    "personal_id",
    "union_member",
    "union_since",
    "residence",
)
"""The fields a column can be mapped to (the UI names them; ``""`` or a missing key means "ignore")."""

# Groups of fields that stand for one piece of information; used to score header candidates and to say
# what is missing. The first three are what a student's record cannot do without; the next two it may lack
# until a step needs them (validation.OPTIONAL_FACTS).
_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("full_name", "given_name", "family_middle"),
    "birth": ("birth", "birth_day", "birth_month", "birth_year"),
    "gender": ("gender", "female", "male"),
    "personal_id": ("personal_id",),
    "ethnic": ("ethnic",),
    "religion": ("religion",),
    "class_name": ("class_name",),
    "union": ("union_member", "union_since"),
    "residence": ("residence",),
}
REQUIRED_GROUPS: tuple[str, ...] = ("name", "birth", "gender")
OPTIONAL_GROUPS: tuple[str, ...] = ("personal_id", "ethnic")
_GROUP_OF = {f: g for g, fs in _GROUPS.items() for f in fs}

HEADER_SCAN_ROWS = 40
"""Title rows above the header are skipped; the header must start within this many rows."""


class ReadCancelled(Exception):
    """The user stopped reading a long file (``progress`` returned False)."""


Progress = Callable[[int], bool]  # rows read so far -> go on?
PROGRESS_EVERY = 500


class ImportFileError(Exception):
    """The file cannot be read at all; ``code`` is mapped to a message by the UI and the CLI."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class Cell(NamedTuple):
    """One cell as stored: the value (str, int, float, bool, datetime, or None) and its font's name."""

    value: Any
    font: str | None = None


@dataclass
class Sheet:
    """One sheet of a file. ``rows[i]`` is spreadsheet row ``i + 1``; rows may differ in length."""

    name: str
    rows: list[tuple[Cell, ...]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as 0-based inclusive (first row, first column, last row, last column)."""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> Cell:
        r = self.rows[row] if 0 <= row < len(self.rows) else ()
        return r[col] if 0 <= col < len(r) else _EMPTY


@dataclass
class Table:
    """A whole file: its sheets in workbook order, and what kind of file it was."""

    path: Path
    kind: str  # "xlsx" | "xls" | "csv"
    sheets: list[Sheet]


class Problem(NamedTuple):
    """Something wrong with one cell (or one row when ``column`` is empty).

    ``row`` is the spreadsheet row number (1-based) and ``column`` the column letter, as a user sees them.
    """

    sheet: str
    row: int
    column: str
    code: str
    params: Mapping[str, Any]


@dataclass
class ParsedRow:
    """One data row, read and normalised.

    ``values`` keys: full_name, gender ("nam"/"nu" when recognised, else the text as written), birth
    (date or None), personal_id (str), ethnic, religion, class_name, residence (str, "" when empty),
    union_since (date or None). Only the keys of mapped columns are present, except full_name, gender
    and personal_id, which are always there. ``columns`` gives the letter of the column each value
    came from (for messages); ``raw`` the row's cells as stored (for the error report).
    """

    sheet: str
    row: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pid_restored: bool = False
    columns: dict[str, str] = field(default_factory=dict)
    raw: tuple[Any, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


_EMPTY = Cell(None, None)

# ---------------------------------------------------------------------------------------------- reading

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_table(path: Path | str, *, progress: Progress | None = None, limits: Limits = LIMITS) -> Table:
    """Read every sheet of an ``.xlsx``, ``.xls`` or ``.csv`` file (the content decides, not the name).

    The file is checked against ``limits`` (see :mod:`lamha_desktop.readers.limits`) before it is parsed,
    wherever the format allows, and while it is read.

    Raises:
        ImportFileError: ``import.unreadable`` (missing, not a spreadsheet, corrupt), ``import.encrypted``
            (password-protected), ``import.html_xls`` (a web page saved as .xls), ``import.csv_encoding``
            (a CSV that is neither UTF-8 nor UTF-16), ``import.empty`` (no cell has a value), ``file.damaged``
            (a damaged part inside an .xlsx), ``file.no_workbook`` (a zip that holds no .xlsx workbook), and
            the ``limit.*`` codes of a file past a limit.
        ReadCancelled: ``progress`` (called every 500 rows of an .xlsx with the rows read) returned False.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError("import.unreadable", path=str(p), detail=exc.strerror or str(exc)) from exc
    try:
        if head.startswith(_ZIP_MAGIC):
            table = _read_xlsx(p, progress, limits)
        elif head.startswith(_OLE_MAGIC):
            table = _read_xls(p, limits)
        elif head.startswith(_UTF16_BOMS):
            table = _read_csv(p, limits)
        elif p.suffix.lower() in (".xlsx", ".xlsm", ".xls") and not _looks_like_html(p):
            raise ImportFileError("import.unreadable", path=str(p), detail="nội dung không phải bảng tính")
        elif _looks_like_html(p):
            raise ImportFileError("import.html_xls", path=str(p))
        else:
            table = _read_csv(p, limits)
    except FileRefused as exc:
        raise ImportFileError(exc.code, **exc.params) from exc
    except MemoryError as exc:
        raise ImportFileError("limit.memory", path=str(p)) from exc
    if not any(c.value not in (None, "") for s in table.sheets for r in s.rows for c in r):
        raise ImportFileError("import.empty", path=str(p))
    return table


def _looks_like_html(p: Path) -> bool:
    with p.open("rb") as fh:
        head = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in head


# The most cells (from A1 to each sheet's last cell) a workbook may span for the fast reader, which holds each
# sheet as a rectangle (about 32 bytes a cell on its side): far above a class list, far below a risk.
FAST_READ_CELLS = 2_000_000


def _read_xlsx(p: Path, progress: Progress | None, limits: Limits) -> Table:
    """An .xlsx, after its package passed the limits: read by calamine (a compiled reader, ten times faster than
    openpyxl) when the fonts do not matter, otherwise, or when calamine cannot read it, by openpyxl.

    The fonts matter only when the styles name a TCVN3 or VNI font (the cell's font then says how its text is
    encoded): calamine gives values without fonts. Both readers give the same table (a test reads workbooks of
    every shape both ways), except that calamine decodes the escapes Excel writes for control characters
    ("_x000D_" for a carriage return), which openpyxl leaves in the text as written."""
    package = check_package(p, limits, ImportFileError)
    if _fast_readable(package):
        table = _read_xlsx_values(p, package, progress, limits)
        if table is not None:
            return table
    return _read_xlsx_openpyxl(p, package, progress, limits)


# The content types of a workbook's main part that openpyxl reads (.xlsx, .xlsm, .xltx, .xltm).
_WORKBOOK_TYPES = frozenset(f"application/vnd.{kind}.main+xml" for kind in (
    "openxmlformats-officedocument.spreadsheetml.sheet", "ms-excel.sheet.macroEnabled",
    "openxmlformats-officedocument.spreadsheetml.template", "ms-excel.template.macroEnabled"))


def _fast_readable(package: PackageScan) -> bool:
    """Whether calamine may read the workbook for the same table openpyxl would give: the fonts do not matter,
    no cell holds an error value (calamine gives none: "#N/A" would read as an empty cell) or rich text (calamine
    drops the space at the end of a run written without ``xml:space="preserve"``: "Nguyễn " + "Văn A" would read
    "NguyễnVăn A"), the package is one openpyxl accepts (its workbook part declared as a workbook, every sheet
    part well-formed XML that passed the scan), and its sheets span few enough cells to be held as rectangles.
    Anything else goes to openpyxl, which reads it or says what is wrong with it."""
    return (not any(legacy.encoding_for_font(name) for name in package.fonts)
            and not package.error_cells and not package.rich_runs
            and package.content_types.get("xl/workbook.xml") in _WORKBOOK_TYPES
            and bool(package.sheets) and all(part in package.xml_parts for part in package.sheets)
            and package.cells_spanned() <= FAST_READ_CELLS)


def _calamine_value(v: Any) -> Any:
    """A calamine value as openpyxl gives it: no value is None, a whole number is an int."""
    if v == "":
        return None
    if type(v) is float and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    return v


def _read_xlsx_values(p: Path, package: PackageScan, progress: Progress | None, limits: Limits) -> Table | None:
    """The values of every worksheet through calamine; None when calamine cannot read the workbook."""
    from python_calamine import CalamineWorkbook

    guard = RowGuard(p, limits)
    merged = _xlsx_merged_ranges(package)
    sheets: list[Sheet] = []
    try:
        book = CalamineWorkbook.from_path(str(p))
    except MemoryError:
        raise
    except Exception:  # calamine's own errors: openpyxl reads it, or words what is wrong
        return None
    try:
        if not book.sheet_names:  # (calamine takes a package without its workbook part for an empty one)
            return None
        # Worksheets only, as openpyxl gives them: calamine lists a chart sheet as an empty sheet.
        worksheets = {name for part, name in package.sheets.items() if part.lower().startswith("xl/worksheets/")}
        for name in book.sheet_names:
            if name not in worksheets:
                continue
            try:
                values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except MemoryError:
                raise
            except Exception:
                return None
            rows: list[tuple[Cell, ...]] = []
            for raw_row in values:
                cells = [_EMPTY if (value := _calamine_value(v)) is None else Cell(value) for v in raw_row]
                while cells and cells[-1] is _EMPTY:
                    cells.pop()
                number = len(rows) + 1
                guard.row(name, number, len(cells))
                for column, cell in enumerate(cells):
                    if isinstance(cell.value, str):
                        guard.text(name, number, column, cell.value)
                rows.append(tuple(cells))
                if progress is not None and len(rows) % PROGRESS_EVERY == 0 \
                        and not progress(sum(len(s.rows) for s in sheets) + len(rows)):
                    raise ReadCancelled
            while rows and not rows[-1]:
                rows.pop()
            sheets.append(Sheet(name, rows, merged.get(name, [])))
    finally:
        book.close()
    return Table(p, "xlsx", sheets)


def _read_xlsx_openpyxl(p: Path, package: PackageScan, progress: Progress | None, limits: Limits) -> Table:
    with open_workbook(p, limits, ImportFileError, package) as (package, wb):
        guard = RowGuard(p, limits)
        reading: Any = None
        try:
            merged = _xlsx_merged_ranges(package)
            sheets: list[Sheet] = []
            for ws in wb.worksheets:
                if not hasattr(ws, "iter_rows"):  # chartsheets
                    continue
                ws.reset_dimensions()  # some writers declare a wrong <dimension>; read what is there
                rows: list[tuple[Cell, ...]] = []
                fonts: dict[Any, str | None] = {}
                title = ws.title
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    reading = ws.iter_rows()
                    for row in reading:
                        guard.row(title, len(rows) + 1, len(row))
                        cells: list[Cell] = []
                        for c in row:
                            v = c.value
                            if v is None:
                                cells.append(_EMPTY)
                            elif isinstance(v, str):
                                guard.text(title, len(rows) + 1, len(cells), v)
                                # The font only matters for text; resolve it once per style. A read-only
                                # workbook's cells are ReadOnlyCell (types-openpyxl types every sheet's as Cell).
                                ro_cell = cast("ReadOnlyCell", c)
                                style = ro_cell.style_array
                                font = fonts.get(style.fontId, _EMPTY)
                                if font is _EMPTY:
                                    font = fonts[style.fontId] = ro_cell.font.name
                                cells.append(Cell(v, font))  # type: ignore[arg-type]
                            else:
                                cells.append(Cell(v, None))
                        rows.append(tuple(cells))
                        if progress is not None and len(rows) % PROGRESS_EVERY == 0 \
                                and not progress(sum(len(s.rows) for s in sheets) + len(rows)):
                            raise ReadCancelled
                sheets.append(Sheet(title, rows, merged.get(title, [])))
        except (FileRefused, ReadCancelled, MemoryError):
            raise
        except Exception as exc:  # a sheet part openpyxl cannot make sense of
            raise ImportFileError("file.invalid", path=str(p), detail=one_line(exc)) from exc
        finally:
            if reading is not None:
                reading.close()  # the sheet's part is open while its rows are read
    return Table(p, "xlsx", sheets)


_MERGE_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")


def _xlsx_merged_ranges(package: PackageScan) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges by sheet name, as the package scan saw them (read-only worksheets do not expose them).

    Only ranges starting in the header scan region are kept: merges further down do not matter.
    """
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    for part, refs in package.merges.items():
        ranges = []
        for ref in refs:
            m = _MERGE_REF.match(ref)
            if m is None:
                continue
            r1, r2 = int(m.group(2)) - 1, int(m.group(4)) - 1
            if r1 < HEADER_SCAN_ROWS + 2:
                ranges.append((r1, _col_index(m.group(1)), r2, _col_index(m.group(3))))
        if part in package.sheets:
            out[package.sheets[part]] = ranges
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> "A", 27 -> "AB")."""
    s = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def _read_xls(p: Path, limits: Limits) -> Table:
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - xlrd is a dependency
        raise ImportFileError("import.unreadable", path=str(p), detail="thiếu thư viện xlrd") from exc
    check_size(p, limits.xls_bytes)  # xlrd reads the whole file into memory
    data = p.read_bytes()
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
        # An encrypted .xlsx is wrapped in an OLE container (whatever its name says).
        raise ImportFileError("import.encrypted", path=str(p))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # ragged_rows: a row keeps its own length; otherwise one cell at IV65536 pads every row to 256 cells.
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False,
                                      ragged_rows=True, logfile=io.StringIO())
    except MemoryError:
        raise
    except Exception as exc:  # xlrd raises bare XLRDError, AssertionError, struct.error... on bad input
        if "encrypt" in str(exc).lower():
            raise ImportFileError("import.encrypted", path=str(p)) from exc
        raise ImportFileError("import.unreadable", path=str(p), detail=one_line(exc)) from exc
    del data
    guard = RowGuard(p, limits)
    sheets: list[Sheet] = []
    fonts = [f.name for f in book.font_list]
    xf_font = [xf.font_index for xf in book.xf_list]
    try:
        for sh in book.sheets():
            rows: list[tuple[Cell, ...]] = []
            for r in range(sh.nrows):
                width = sh.row_len(r)
                guard.row(sh.name, r + 1, width)
                cells: list[Cell] = []
                for c in range(width):
                    ctype = sh.cell_type(r, c)
                    v = sh.cell_value(r, c)
                    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        cells.append(_EMPTY)
                    elif ctype == xlrd.XL_CELL_TEXT:
                        guard.text(sh.name, r + 1, c, v)
                        xf = sh.cell_xf_index(r, c)
                        fi = xf_font[xf] if 0 <= xf < len(xf_font) else -1
                        cells.append(Cell(v, fonts[fi] if 0 <= fi < len(fonts) else None))
                    elif ctype == xlrd.XL_CELL_DATE:
                        try:
                            cells.append(Cell(xlrd.xldate_as_datetime(v, book.datemode)))
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            cells.append(Cell(v))
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        cells.append(Cell(bool(v)))
                    else:
                        cells.append(Cell(int(v) if isinstance(v, float) and v.is_integer() else v))
                rows.append(tuple(cells))
            merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sh.merged_cells if r1 < HEADER_SCAN_ROWS + 2]
            sheets.append(Sheet(sh.name, rows, merged))
    except (FileRefused, MemoryError):
        raise
    except Exception as exc:  # a record xlrd accepted but cannot give back
        raise ImportFileError("import.unreadable", path=str(p), detail=one_line(exc)) from exc
    finally:
        book.release_resources()
    return Table(p, "xls", sheets)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" when the text looks like UTF-16 written without a BOM: mostly Latin text,
    so one byte of each pair is zero."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    odd_zero = sum(1 for b in head[1:2 * pairs:2] if b == 0)
    even_zero = sum(1 for b in head[0:2 * pairs:2] if b == 0)
    if odd_zero >= 0.6 * pairs and even_zero == 0:
        return "utf-16-le"
    if even_zero >= 0.6 * pairs and odd_zero == 0:
        return "utf-16-be"
    return None


def _decode_text(raw: bytes, p: Path) -> str:
    """A text file's content: UTF-8 (with or without BOM), or UTF-16 (Excel's "Unicode Text", with its BOM;
    without one when the bytes show it)."""
    encoding = "utf-16" if raw.startswith(_UTF16_BOMS) else _utf16_without_bom(raw[:4096])
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportFileError("import.csv_encoding", path=str(p)) from exc
    if b"\x00" in raw[:4096]:
        raise ImportFileError("import.unreadable", path=str(p), detail="tệp nhị phân không rõ loại")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("import.csv_encoding", path=str(p)) from exc


_SNIFF_CHARS = 8192


def _read_csv(p: Path, limits: Limits) -> Table:
    check_size(p, limits.text_bytes)
    text = _decode_text(p.read_bytes(), p)
    check_lines(text, path=p, limits=limits)
    sample = text[:_SNIFF_CHARS]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    sheet = p.stem[:31] or "CSV"
    guard = RowGuard(p, limits)
    rows: list[tuple[Cell, ...]] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for r in reader:
            guard.row(sheet, len(rows) + 1, len(r))
            for c, v in enumerate(r):
                guard.text(sheet, len(rows) + 1, c, v)
            rows.append(tuple(Cell(v if v.strip() else None) for v in r))
    except csv.Error as exc:
        if "field limit" in str(exc):  # a quoted field running over many lines, past the csv module's limit
            raise ImportFileError("limit.csv_field", path=str(p), line=number_text(reader.line_num),
                                  limit=number_text(limits.cell_chars)) from exc
        raise ImportFileError("import.unreadable", path=str(p), detail=one_line(exc)) from exc
    return Table(p, "csv", [Sheet(sheet, rows)])

# ---------------------------------------------------------------------------------------------- text


@functools.lru_cache(maxsize=256)
def _font_hint(font: str | None) -> tuple[str | None, bool]:
    return legacy.encoding_for_font(font), legacy.is_capitals_font(font)


@functools.lru_cache(maxsize=65536)
def _unicode_text(value: str, font: str | None) -> str:
    """A stored text as NFC Unicode: converted from TCVN3/VNI when the font says so, or on clear evidence."""
    encoding, capitals = _font_hint(font)
    if encoding is not None and not any(ord(ch) > 0xFF for ch in value):
        # Legacy text is all Latin-1; a character beyond that means the cell was typed in Unicode.
        value = legacy.to_unicode(value, encoding=encoding, capitals=capitals)
    elif not value.isascii():
        value = legacy.to_unicode(value)
    return people.normalize_text(value)


def cell_text(cell: Cell) -> str:
    """The text a user reads in a cell: NFC Unicode, whitespace collapsed; numbers without ".0"."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, str):
        return _unicode_text(v, cell.font)
    if isinstance(v, bool):
        return "x" if v else ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y") if v.time() == dt.time() else v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


_NONWORD = re.compile(r"[^0-9a-z]+")
_COLUMN_NUMBER = re.compile(r"\(\s*\d{1,2}\s*\)|\[\s*\d{1,2}\s*\]")


@functools.lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """A header text reduced for matching: no diacritics, lowercase, words of letters and digits only."""
    key = people.search_key(_COLUMN_NUMBER.sub(" ", text))
    return " ".join(_NONWORD.sub(" ", key).split())


# ---------------------------------------------------------------------------------------------- header

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((f, re.compile(p)) for f, p in (
    ("stt", r"^(stt|tt|so tt|so thu tu|thu tu)$"),
    ("family_middle", r"^(ho|ho dem|ho lot|ho va dem|ho va ten dem|ho va chu dem|ho chu dem|ho va ten lot)$"),
    ("full_name", r"^(ho (va )?(chu dem (va )?)?ten|ho ten)\b|^(ten hoc sinh|hoc sinh|ten hs|ho ten hs)$"),
    ("given_name", r"^(ten|ten goi)$"),
    ("birth", r"^((ngay|thang|nam|ngay thang nam|ngay thang)\s)?sinh\b|^sinh ngay\b|^ns$|^dob$"),
    ("gender", r"^(gioi tinh|gioi|phai|gt|nam nu|nam hoac nu)\b"),
    ("female", r"^(nu|gioi tinh nu|la nu)$"),
    ("union_since", r"\b(ngay|nam|thoi gian) (vao|ket nap|ket nap vao) doan\b|^(vao|ket nap) doan\b"
                    r"|^doan vien ngay (vao|ket nap)\b|^ngay vao doan"),
    ("union_member", r"^(doan vien|dv|la doan vien|doan vien tncs( hcm)?|dtn)$"),
    ("ethnic", r"^(dan toc|dt|toc)$|^dan toc (?!thieu)"),
    ("religion", r"^(ton giao|tg|dao|ton giao tin nguong)\b"),
    ("class_name", r"^(ten )?lop( hoc)?$|^lop\b(?! (boi|nhan))"),
    ("personal_id", r"dinh danh|\bcccd\b|\bddcn\b|\bcan cuoc\b|\bcmnd\b|\bcmtnd\b|^so cc\b"),
    ("residence", r"^(dia chi|noi o|cho o|noi cu tru|cu tru|thuong tru|tam tru|ho khau|tru quan|"
                  r"noi thuong tru|dia chi thuong tru|dia chi lien he|dia chi cu tru)\b"),
))
# Weaker spellings, used only when no column has the strong meaning (a student code is not the ID,
# but schools put the ID in it).
_WEAK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("personal_id", re.compile(r"^(ma hoc sinh|ma hs|ma so hoc sinh|ma so hs|ma so)$")),
)
_DAY, _MONTH, _YEAR = frozenset({"ngay", "d", "dd"}), frozenset({"thang", "m", "mm"}), frozenset({"nam", "y", "yyyy"})


def classify_header(text: str) -> str | None:
    """The field a single header text means, or None (``"Họ và tên"`` -> ``"full_name"``)."""
    key = header_key(text)
    if not key:
        return None
    for name, pattern in _PATTERNS:
        if pattern.search(key):
            return name
    return None


def _weak(text: str) -> str | None:
    key = header_key(text)
    for name, pattern in _WEAK_PATTERNS:
        if pattern.search(key):
            return name
    return None


def _classify_pair(top: str, sub: str) -> str | None:
    """The field of a column whose header spans two rows: a group title above, a sub-title below."""
    tk, sk = header_key(top), header_key(sub)
    if not sk or sk == tk:
        return classify_header(top)
    if not tk:
        return classify_header(sub)
    parent = classify_header(top)
    if parent == "birth":
        if sk in _DAY:
            return "birth_day"
        if sk in _MONTH:
            return "birth_month"
        if sk in _YEAR:
            return "birth_year"
    if parent in ("gender", "female"):
        if sk == "nu":
            return "female"
        if sk == "nam":
            return "male"
    if parent in ("union_member", "union_since") and re.match(r"^(ngay|nam|thoi gian)\b", sk):
        return "union_since"
    own = classify_header(sub)
    if own is not None:
        return own
    joined = classify_header(f"{top} {sub}")
    return joined if joined is not None else parent


@dataclass(frozen=True)
class HeaderMatch:
    """Where a sheet's header is and what each column means.

    Attributes:
        sheet: the sheet's name.
        header_rows: 0-based indices of the header row(s) (two when the header is split over two rows).
        first_data_row: 0-based index of the first row under the header.
        labels: the header text of each column ("Ngày sinh / Tháng" for a two-row header), "" if none.
        fields: field -> 0-based column index.
        default_class: a class name found in the title rows ("DANH SÁCH LỚP 12A1") or the sheet name.
    """

    sheet: str
    header_rows: tuple[int, ...]
    first_data_row: int
    labels: tuple[str, ...]
    fields: Mapping[str, int]
    default_class: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        """Required groups (see :data:`REQUIRED_GROUPS`) that no column was mapped to."""
        found = {_GROUP_OF[f] for f in self.fields if f in _GROUP_OF}
        return tuple(g for g in REQUIRED_GROUPS if g not in found)

    @property
    def missing_optional(self) -> tuple[str, ...]:
        """Optional groups (:data:`OPTIONAL_GROUPS`) that no column was mapped to: the students of this sheet
        are imported with incomplete records."""
        found = {_GROUP_OF[f] for f in self.fields if f in _GROUP_OF}
        return tuple(g for g in OPTIONAL_GROUPS if g not in found)

    @property
    def confidence(self) -> float:
        """Share of the required groups found, 0..1."""
        return 1 - len(self.missing) / len(REQUIRED_GROUPS)

    @property
    def shape(self) -> str:
        """The normalised header texts, the identity of a file's shape."""
        keys = [header_key(lbl) for lbl in self.labels]
        while keys and not keys[-1]:
            keys.pop()
        return "|".join(keys)

    @property
    def signature(self) -> str:
        """A short stable digest of :attr:`shape` (used as the key of a remembered mapping)."""
        return hashlib.sha1(self.shape.encode("utf-8")).hexdigest()[:16]

    def with_fields(self, fields: Mapping[str, int]) -> HeaderMatch:
        """The same header with another mapping (a user's correction); unknown fields are dropped."""
        width = len(self.labels)
        clean = {f: int(c) for f, c in fields.items() if f in FIELDS and 0 <= int(c) < width}
        return replace(self, fields=clean)

    def field_of_column(self) -> dict[int, str]:
        return {c: f for f, c in self.fields.items()}


def _header_texts(sheet: Sheet, row: int, merged_fill: Mapping[tuple[int, int], str], width: int) -> list[str]:
    out = []
    for c in range(width):
        text = merged_fill.get((row, c))
        out.append(text if text is not None else cell_text(sheet.cell(row, c)))
    return out


def _merged_fill(sheet: Sheet) -> dict[tuple[int, int], str]:
    """Text of every cell covered by a merged range (the value sits in its top-left cell only)."""
    fill: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in sheet.merged:
        text = cell_text(sheet.cell(r1, c1))
        for r in range(r1, min(r2, r1 + 3) + 1):
            for c in range(c1, min(c2, c1 + 30) + 1):
                fill[(r, c)] = text
    return fill


def _assign(columns: Iterable[tuple[int, str | None]]) -> dict[str, int]:
    fields: dict[str, int] = {}
    for col, f in columns:
        if f is not None and f not in fields:
            fields[f] = col
    if "full_name" in fields and "given_name" not in fields:
        fields.pop("family_middle", None)  # a lone "Họ" column next to "Họ và tên" adds nothing
    if "gender" in fields and ("female" in fields or "male" in fields) and fields["gender"] in (
            fields.get("female"), fields.get("male")):
        fields.pop("gender")
    return fields


def _score(fields: Mapping[str, int]) -> int:
    return len({_GROUP_OF[f] for f in fields if f in _GROUP_OF})


_CLASS_IN_TITLE = re.compile(r"\bl[ớo]p\s*:?\s*(1[0-2]\s*[A-Za-zĐđ]{1,3}\s*\d{0,2})\b", re.IGNORECASE)
_CLASS_NAME = re.compile(r"^(?:l[ớo]p\s*)?(1[0-2]\s*[A-Za-zĐđ]{1,3}\s*\d{0,2})$", re.IGNORECASE)


def _default_class(sheet: Sheet, header_row: int) -> str:
    for r in range(min(header_row, HEADER_SCAN_ROWS)):
        for c in sheet.rows[r]:
            m = _CLASS_IN_TITLE.search(cell_text(c))
            if m:
                return "".join(m.group(1).split()).upper()
    m = _CLASS_NAME.match(people.normalize_text(sheet.name))
    return "".join(m.group(1).split()).upper() if m else ""


def detect_header(sheet: Sheet) -> HeaderMatch | None:
    """Find the header under any title rows and map its columns to :data:`FIELDS`.

    Each of the first :data:`HEADER_SCAN_ROWS` rows is tried alone and together with the row below it
    (headers merged or split over two rows: "Ngày sinh" over "Ngày | Tháng | Năm", "Họ và tên" over
    "Họ đệm | Tên", "Giới tính" over "Nam | Nữ"). The candidate recognising the most kinds of information
    wins; a header needs a name column and at least one other recognised column. Returns None when the
    sheet has no such row.
    """
    width = sheet.width
    if width == 0:
        return None
    fill = _merged_fill(sheet)
    best: tuple[tuple[int, int, int], HeaderMatch] | None = None
    scan = min(len(sheet.rows), HEADER_SCAN_ROWS)
    for r in range(scan):
        top = _header_texts(sheet, r, fill, width)
        if sum(1 for t in top if t) < 2:
            continue
        single = _assign((c, classify_header(t)) for c, t in enumerate(top))
        candidates: list[tuple[tuple[int, ...], dict[str, int], list[str]]] = [((r,), single, top)]
        if r + 1 < len(sheet.rows) and _may_be_subheader(sheet, r + 1, fill):
            sub = _header_texts(sheet, r + 1, fill, width)
            carried = _carry_group_titles(top, sub, fill, r)
            double = _assign((c, _classify_pair(carried[c], sub[c])) for c in range(width))
            labels = [f"{t} / {s}" if t and s and header_key(t) != header_key(s) else (t or s)
                      for t, s in zip(carried, sub, strict=True)]
            candidates.append(((r, r + 1), double, labels))
        for rows_, fields, labels in candidates:
            fields = _add_weak(fields, labels)
            score = _score(fields)
            if score < 2 or not any(_GROUP_OF.get(f) == "name" for f in fields):
                continue
            # Prefer more kinds of information, then more columns understood, then one row, then the earliest.
            rank = (score, len(fields), -len(rows_))
            if best is None or rank > best[0]:
                best = (rank, HeaderMatch(sheet.name, rows_, rows_[-1] + 1, tuple(labels), fields))
    if best is None:
        return None
    match = best[1]
    # A header merged down over the row below it (each title spanning two rows) ends after the merge.
    last = max([match.header_rows[-1]] + [r2 for r1, _c1, r2, _c2 in sheet.merged if r1 in match.header_rows])
    return replace(match, first_data_row=min(last, match.header_rows[-1] + 2) + 1,
                   default_class=_default_class(sheet, match.header_rows[0]))


def _may_be_subheader(sheet: Sheet, row: int, fill: Mapping[tuple[int, int], str]) -> bool:
    """A second header row holds only words: no numbers, dates or ID-like text (those are data)."""
    for c, cell in enumerate(sheet.rows[row]):
        if (row, c) in fill or cell.value is None:
            continue
        if not isinstance(cell.value, str):
            return False
        text = cell_text(cell)
        if text.isdigit() or validation.normalize_pid(text).isdigit():
            return False
        try:
            validation.parse_date_vn(text)
        except ValueError:
            continue
        return False
    return True


def _carry_group_titles(top: list[str], sub: list[str], fill: Mapping[tuple[int, int], str], r: int) -> list[str]:
    """Without merge information (CSV), a group title sits over its first sub-column only: carry it right
    over the empty cells that have a sub-title, as long as the title's own column has one too."""
    out = list(top)
    current = ""
    for c in range(len(top)):
        if top[c]:
            current = top[c] if sub[c] else ""
        elif sub[c] and current and (r, c) not in fill:
            out[c] = current
        else:
            current = ""
    return out


def _add_weak(fields: dict[str, int], labels: Sequence[str]) -> dict[str, int]:
    used = set(fields.values())
    out = dict(fields)
    for c, text in enumerate(labels):
        if c in used:
            continue
        f = _weak(text.split(" / ")[-1]) or _weak(text)
        if f is not None and f not in out:
            out[f] = c
    return out


def detect_all(table: Table) -> list[HeaderMatch]:
    """The header of every sheet that has one, in workbook order.

    Raises:
        ImportFileError: ``import.no_header`` when no sheet has a recognisable header.
    """
    matches = [m for m in (detect_header(s) for s in table.sheets) if m is not None]
    if not matches:
        raise ImportFileError("import.no_header", path=str(table.path), rows=HEADER_SCAN_ROWS)
    return matches


# ---------------------------------------------------------------------------------------------- values

_MARKS_YES = frozenset({"x", "v", "1", "co", "yes", "true", "nu", "nam", "dv", "doan vien", "\u2713", "\u2714",
                        "\u2611", "\u00d7"})
_MARKS_NO = frozenset({"", "0", "khong", "no", "false", "-"})
_TOTAL_RE = re.compile(r"^(tong cong|tong so|tong|cong|danh sach (nay )?(co|gom)|co \d+ hoc sinh)\b")
_FOOTER_RE = re.compile(r"^(nguoi lap( bieu| danh sach)?|hieu truong|pho hieu truong|giao vien chu nhiem|gvcn|"
                        r"xac nhan|ky ten|ghi chu|bi thu|t m |tm )\b|\bngay \d* ?thang \d* ?nam \d*$")
_SERIAL_RE = re.compile(r"^\(?\[?\d{1,2}\]?\)?$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_DATE_FIELDS_LABEL = {"birth": "birth", "union_since": "union_since", "union_member": "union_since"}


def _is_mark(text: str) -> bool | None:
    key = people.search_key(text)
    if key in _MARKS_YES:
        return True
    if key in _MARKS_NO:
        return False
    return None


def _to_date(cell: Cell, *, today: dt.date) -> tuple[dt.date | None, str | None]:
    """(date, None), (None, None) for an empty cell, or (None, code) for something that is no date."""
    v = cell.value
    if v is None or v == "":
        return None, None
    if isinstance(v, dt.datetime):
        return v.date(), None
    if isinstance(v, dt.date):
        return v, None
    if isinstance(v, bool):
        return None, "import.date_unreadable"
    if isinstance(v, int | float):
        if float(v).is_integer() and validation.MIN_YEAR <= v <= validation.MAX_YEAR:
            return None, "import.date_incomplete"  # a year alone
        if 1 <= v < 73051:  # an Excel serial date that lost its date format (1900-01-01 .. 2099-12-31)
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(v)), None
        return None, "import.date_unreadable"
    text = _TIME_SUFFIX.sub("", cell_text(cell))
    try:
        return validation.parse_date_vn(text, today=today), None
    except ValueError:
        key = text.strip()
        if key.isdigit() and len(key) == 4:
            return None, "import.date_incomplete"
        return None, "import.date_unreadable"


def _date_parts(cells: Sequence[Cell], *, today: dt.date) -> tuple[dt.date | None, str | None]:
    texts = [cell_text(c) for c in cells]
    if not any(texts):
        return None, None
    if not all(texts):
        return None, "import.date_incomplete"
    try:
        return validation.parse_date_vn("/".join(texts), today=today), None
    except ValueError:
        return None, "import.date_unreadable"


_PID_SEPARATORS = str.maketrans("", "", " .-'\u2019\u00a0")


def _personal_id(cell: Cell, *, from_csv: bool) -> tuple[str, str]:
    """(ID text, how it was restored): a number that lost its leading zeros gets them back (12 digits), and so
    does text of 10 or 11 digits without a leading zero. ``""`` when nothing was restored, else the warning
    code (``import.pid_restored``, or ``import.pid_restored_text`` for text in a typed spreadsheet)."""
    v = cell.value
    if v is None:
        return "", ""
    if isinstance(v, bool):
        return str(v), ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        digits = str(v)
        if 10 <= len(digits) < validation.PID_LENGTH:
            # Province codes run 001..096, so a real ID always starts with "0" and a number can lose
            # one or two zeros; fewer than 10 digits cannot be an ID that lost its zeros.
            return digits.zfill(validation.PID_LENGTH), "import.pid_restored"
        return digits, ""
    text = validation.normalize_pid(cell_text(cell)).translate(_PID_SEPARATORS)
    if (text.isascii() and text.isdigit() and 10 <= len(text) < validation.PID_LENGTH
            and not text.startswith("0")):
        # A CSV has no types: one saved by Excel writes a number column without its leading zeros. In a typed
        # spreadsheet such text is a number that lost them before it was turned into text ("=TEXT(A2)",
        # a copy from another program): the same ID, offered with its zeros back.
        return text.zfill(validation.PID_LENGTH), "import.pid_restored" if from_csv else "import.pid_restored_text"
    return text, ""


def _gender(fields: Mapping[str, int], cells: Sequence[Cell], row: int,
            problem: Callable[..., None]) -> str:
    if "gender" in fields:
        text = cell_text(cells[fields["gender"]])
        key = people.search_key(text)
        if key in ("nam", "trai"):
            return "nam"
        if key in ("nu", "gai"):
            return "nu"
        return text  # validation reports it (empty: gender.required; other: gender.invalid)
    female = _is_mark(cell_text(cells[fields["female"]])) if "female" in fields else None
    male = _is_mark(cell_text(cells[fields["male"]])) if "male" in fields else None
    for name, mark in (("female", female), ("male", male)):
        if name in fields and mark is None:
            problem(name, "import.mark_unknown", value=cell_text(cells[fields[name]]), field="gender")
            return ""
    if female and male:
        problem("female", "import.gender_conflict", field="gender")
        return ""
    if female:
        return "nu"
    if male:
        return "nam"
    if "female" in fields and "male" not in fields:
        return "nam"  # a "Nữ" column left empty: a boy
    if "male" in fields and "female" not in fields:
        return "nu"
    return ""


def _row_kind(cells: Sequence[Cell], fields: Mapping[str, int], name_cols: Sequence[int],
              header_keys: frozenset[str]) -> str:
    """ "data", or why the row is skipped: "empty", "total", "footer", "numbering", "header"."""
    data_cols = [c for f, c in fields.items() if f != "stt"]
    texts = [cell_text(cells[c]) if c < len(cells) else "" for c in range(len(cells))]
    if not any(texts[c] for c in data_cols if c < len(texts)):
        return "empty"
    nonempty = [t for t in texts if t]
    first_key = header_key(nonempty[0])
    name_text = " ".join(texts[c] for c in name_cols if c < len(texts) and texts[c])
    name_key = header_key(name_text)
    if _TOTAL_RE.match(first_key) or _TOTAL_RE.match(name_key):
        return "total"
    if len(nonempty) <= 2 and any(_FOOTER_RE.search(header_key(t)) for t in nonempty):
        return "footer"
    if all(_SERIAL_RE.match(t) for t in nonempty) and len(nonempty) >= 2:
        return "numbering"  # the "(1) (2) (3)…" row under a header
    if name_key and name_key in header_keys:
        return "header"  # the header repeated (printed pages, one block per class)
    return "data"


def parse_rows(table: Table, matches: Sequence[HeaderMatch], *, today: dt.date | None = None) -> list[ParsedRow]:
    """Read the data rows of every matched sheet, skipping empty, total, footer and repeated-header rows.

    Rows of the same ID are checked across the whole file: an exact repeat is reported on the later rows
    (``import.duplicate_row``), different people with one ID on all of them (``import.pid_conflict``).
    """
    today = today or dt.date.today()
    sheets = {s.name: s for s in table.sheets}
    out: list[ParsedRow] = []
    for match in matches:
        sheet = sheets[match.sheet]
        out.extend(_parse_sheet(sheet, match, today=today, from_csv=table.kind == "csv"))
    _check_duplicates(out)
    return out


def iter_parse(table: Table, match: HeaderMatch, *, today: dt.date | None = None) -> Iterator[ParsedRow]:
    """The rows of one sheet, without the file-wide duplicate check (see :func:`parse_rows`)."""
    sheet = next(s for s in table.sheets if s.name == match.sheet)
    yield from _parse_sheet(sheet, match, today=today or dt.date.today(), from_csv=table.kind == "csv")


def _parse_sheet(sheet: Sheet, match: HeaderMatch, *, today: dt.date, from_csv: bool) -> Iterator[ParsedRow]:
    fields = dict(match.fields)
    width = max(sheet.width, len(match.labels))
    letters = [column_letter(c) for c in range(width)]
    name_cols = [fields[f] for f in ("full_name", "family_middle", "given_name") if f in fields]
    pad = (_EMPTY,) * width
    # The keys of the name columns' header texts: a data row whose name reads like them is the header again.
    header_keys = frozenset(header_key(part) for c in name_cols if c < len(match.labels)
                            for part in (match.labels[c], *match.labels[c].split(" / ")))
    for index in range(match.first_data_row, len(sheet.rows)):
        cells = sheet.rows[index]
        if len(cells) < width:
            cells = cells + pad[len(cells):]
        if _row_kind(cells, fields, name_cols, header_keys) != "data":
            continue
        yield _parse_row(sheet.name, index + 1, cells, fields, letters, match.default_class,
                         today=today, from_csv=from_csv)


def _parse_row(sheet_name: str, row_no: int, cells: Sequence[Cell], fields: Mapping[str, int],
               letters: Sequence[str], default_class: str, *, today: dt.date, from_csv: bool) -> ParsedRow:
    parsed = ParsedRow(sheet_name, row_no, {}, raw=tuple(c.value for c in cells))
    values = parsed.values
    columns = parsed.columns

    def problem(f: str, code: str, **params: Any) -> None:
        col = letters[fields[f]] if f in fields else ""
        parsed.problems.append(Problem(sheet_name, row_no, col, code, params))

    def warn(f: str, code: str, **params: Any) -> None:
        col = letters[fields[f]] if f in fields else ""
        parsed.warnings.append(Problem(sheet_name, row_no, col, code, params))

    def text(f: str) -> str:
        return cell_text(cells[fields[f]]) if f in fields else ""

    # name
    if "full_name" in fields:
        values["full_name"] = text("full_name")
        columns["full_name"] = letters[fields["full_name"]]
    else:
        values["full_name"] = people.normalize_text(f"{text('family_middle')} {text('given_name')}")
        for f in ("family_middle", "given_name"):
            if f in fields:
                columns["full_name"] = letters[fields[f]]
                break

    # birth
    if "birth" in fields:
        columns["birth"] = letters[fields["birth"]]
        birth, code = _to_date(cells[fields["birth"]], today=today)
        if code:
            problem("birth", code, value=text("birth"), field="birth")
        values["birth"] = birth
    elif any(f in fields for f in ("birth_day", "birth_month", "birth_year")):
        parts = [f for f in ("birth_day", "birth_month", "birth_year") if f in fields]
        columns["birth"] = letters[fields[parts[0]]]
        if len(parts) < 3:
            birth, code = None, "import.date_incomplete"
            if not any(text(f) for f in parts):
                code = None
        else:
            birth, code = _date_parts([cells[fields[f]] for f in parts], today=today)
        if code:
            problem(parts[0], code, value="/".join(text(f) for f in parts), field="birth")
        values["birth"] = birth
    else:
        values["birth"] = None

    # gender
    g_field = next((f for f in ("gender", "female", "male") if f in fields), None)
    if g_field:
        columns["gender"] = letters[fields[g_field]]
    values["gender"] = _gender(fields, cells, row_no, problem)

    # personal ID
    if "personal_id" in fields:
        columns["personal_id"] = letters[fields["personal_id"]]
        pid, restored = _personal_id(cells[fields["personal_id"]], from_csv=from_csv)
        values["personal_id"] = pid
        if restored:
            parsed.pid_restored = True
            value = cell_text(cells[fields["personal_id"]])
            length = len(validation.normalize_pid(value).translate(_PID_SEPARATORS))
            warn("personal_id", restored, value=value, pid=pid, length=length)
    else:
        values["personal_id"] = ""

    for f in ("ethnic", "religion", "class_name", "residence"):
        if f in fields:
            columns[f] = letters[fields[f]]
            values[f] = text(f)
    if not values.get("class_name") and default_class:
        values["class_name"] = default_class

    # union
    union_since: dt.date | None = None
    if "union_since" in fields:
        columns["union_since"] = letters[fields["union_since"]]
        union_since, code = _to_date(cells[fields["union_since"]], today=today)
        if code:
            problem("union_since", code, value=text("union_since"), field="union_since")
    if "union_member" in fields:
        cell = cells[fields["union_member"]]
        columns.setdefault("union_since", letters[fields["union_member"]])
        if isinstance(cell.value, dt.date) or (isinstance(cell.value, str) and re.search(r"\d", cell.value)):
            member_date, code = _to_date(cell, today=today)
            if code:
                problem("union_member", code, value=text("union_member"), field="union_since")
            union_since = union_since or member_date
        else:
            mark = _is_mark(text("union_member"))
            if mark is None:
                problem("union_member", "import.mark_unknown", value=text("union_member"), field="union_since")
            elif mark and union_since is None:
                warn("union_member", "import.union_no_date")
    if "union_since" in fields or "union_member" in fields:
        values["union_since"] = union_since
    # Texts no other check reads (the name, ethnic group and religion are the candidate checks' own).
    for issue in validation.check_text_lengths({f: values[f] for f in ("class_name", "residence") if f in values}):
        problem(issue.field, issue.code, field=issue.field, **issue.params)
    return parsed


def _row_identity(r: ParsedRow) -> tuple[Any, ...]:
    v = r.values
    return (people.search_key(v.get("full_name", "")), v.get("birth"), v.get("gender"),
            people.search_key(str(v.get("ethnic", ""))), people.search_key(str(v.get("religion", ""))),
            people.search_key(str(v.get("class_name", ""))))


def _check_duplicates(rows: Sequence[ParsedRow]) -> None:
    by_pid: dict[str, list[ParsedRow]] = {}
    without_pid: dict[tuple[Any, ...], list[ParsedRow]] = {}
    for r in rows:
        pid = r.values.get("personal_id", "")
        if pid:
            by_pid.setdefault(pid, []).append(r)
        elif r.values.get("full_name"):
            without_pid.setdefault(_row_identity(r), []).append(r)
    for group in without_pid.values():  # a student listed twice (no ID to tell them apart): imported once
        for r in group[1:]:
            r.problems.append(Problem(r.sheet, r.row, r.columns.get("full_name", ""), "import.duplicate_row",
                                      {"other": f"{group[0].sheet}!{group[0].row}"}))
    for pid, group in by_pid.items():
        if len(group) < 2:
            continue
        where = [f"{r.sheet}!{r.row}" for r in group]
        same = len({_row_identity(r) for r in group}) == 1
        for i, r in enumerate(group):
            col = r.columns.get("personal_id", "")
            if same:
                if i:
                    r.problems.append(Problem(r.sheet, r.row, col, "import.duplicate_row", {"other": where[0]}))
            else:
                others = ", ".join(w for j, w in enumerate(where) if j != i)
                r.problems.append(Problem(r.sheet, r.row, col, "import.pid_conflict", {"pid": pid, "others": others}))

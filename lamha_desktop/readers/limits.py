"""Limits on every file the readers open, in one place, and the checks that enforce them.

A class list or a return comes from outside (a school's system, a USB stick, an e-mail) and may be damaged or
built to hurt: a zip bomb, a billion-laughs XML part, three million rows, a four-megabyte "name". Every reader
checks the file against :data:`LIMITS` **before** handing it to a parser wherever the format allows, and again
while it reads, so a refused file costs seconds and a bounded amount of memory, never the whole machine.

The defaults are far above any real class list (a school of 3,000 students fills about 60,000 cells) and far
below what would slow the application down. Each refusal is a :class:`FileRefused` with a code (worded in
``catalogue/limits.py``) whose parameters say which limit and by how much; ``docs/safety.md`` lists them for users.

=======================  ===================  =====================================================================
limit                    default              checked
=======================  ===================  =====================================================================
``file_bytes``           50 MB                size on disk of an .xlsx (before opening it)
``xls_bytes``            20 MB                size on disk of an .xls (xlrd reads the whole file)
``text_bytes``           20 MB                size on disk of a .csv / .txt
``zip_parts``            1,000                parts of an .xlsx, from the zip's end record (before its directory)
``unpacked_bytes``       200 MB               total uncompressed size of all parts, from the zip's directory
``ratio``                250                  uncompressed / compressed size of a part over ``ratio_from_bytes``
``ratio_from_bytes``     1 MB                 (parts smaller than this may compress as well as they like)
``xml_elements``         1,000,000            XML elements in all parts (cells, rows, styles...), counted by expat
``rows``                 100,000              rows of a file (all sheets), in the XML count and while reading
``columns``              256                  columns of a row (the last cell of a row)
``cell_chars``           32,767               characters in one cell (Excel's own limit)
``part_text_chars``      1,000,000            characters in one text node of a part that holds no cells
``text_chars``           50,000,000           characters of text in all parts together
``line_chars``           100,000              characters in one line of a .csv / .txt
=======================  ===================  =====================================================================

Besides the numbers: an XML part that declares a DTD (``<!DOCTYPE``, the carrier of entity expansion and
external entities) is refused — Excel never writes one — and openpyxl parses with ``defusedxml`` (a
dependency; where lxml is installed, openpyxl reads whole parts with lxml, entities unresolved and expansion
capped by libxml2), so a part that slipped past the scan still cannot expand entities.
"""

from __future__ import annotations

import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Final
from xml.parsers import expat

__all__ = [
    "LIMITS",
    "FileRefused",
    "Limits",
    "PackageScan",
    "RowGuard",
    "check_lines",
    "check_package",
    "check_size",
    "scan_package",
    "size_text",
]

MB: Final = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits of one read; tests pass smaller ones, the application uses :data:`LIMITS`."""

    file_bytes: int = 50 * MB
    xls_bytes: int = 20 * MB
    text_bytes: int = 20 * MB
    zip_parts: int = 1_000
    unpacked_bytes: int = 200 * MB
    ratio: int = 250
    ratio_from_bytes: int = 1 * MB
    xml_elements: int = 1_000_000
    rows: int = 100_000
    columns: int = 256
    cell_chars: int = 32_767
    part_text_chars: int = 1_000_000
    text_chars: int = 50_000_000
    line_chars: int = 100_000


LIMITS: Final = Limits()


class FileRefused(Exception):
    """A file past a limit, or damaged inside; ``code`` and ``params`` word it (catalogue/limits.py)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


# ---------------------------------------------------------------------------------------------- wording


def number_text(n: int) -> str:
    """A count the Vietnamese way: 100000 -> "100.000"."""
    return f"{n:,}".replace(",", ".")


def size_text(n: int) -> str:
    """A size in bytes for a message: "1,2 GB", "200 MB", "512 KB", "17 byte"."""
    for unit, scale in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else str(round(value))
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} byte"


def one_line(detail: object, width: int = 160) -> str:
    """An exception's text for a one-line message: whitespace collapsed, cut at ``width`` characters."""
    text = " ".join(str(detail).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------------------------- any file


def check_size(path: Path, limit: int) -> int:
    """The size of ``path``; FileRefused("limit.file_size") when it is over ``limit`` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise FileRefused("limit.file_size", path=str(path), size=size_text(size), limit=size_text(limit))
    return size


def check_lines(text: str, *, path: Path, limits: Limits = LIMITS) -> None:
    """Lines of a text file: none longer than ``line_chars``, no more than ``rows`` of them.

    Lines end with LF or CRLF; a file with CR alone (old Mac Excel) is counted by its CRs.
    """
    start, lines, end_of_text = 0, 0, len(text)
    newline = "\n" if "\n" in text or "\r" not in text else "\r"
    while start < end_of_text:
        end = text.find(newline, start)
        if end < 0:
            end = end_of_text
        lines += 1
        if end - start > limits.line_chars:
            raise FileRefused("limit.line_chars", path=str(path), line=number_text(lines),
                              length=number_text(end - start), limit=number_text(limits.line_chars))
        if lines > limits.rows:
            raise FileRefused("limit.rows", path=str(path), sheet=path.stem, limit=number_text(limits.rows))
        start = end + 1


class RowGuard:
    """Rows, columns and cell lengths while a sheet is read, for every format (a second line behind the scan).

    Call :meth:`row` with each row's 1-based number and its cells' length (the last cell, empty or not) before
    looking at the cells, and :meth:`text` with each text value.
    """

    def __init__(self, path: Path, limits: Limits = LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.rows = 0

    def row(self, sheet: str, number: int, width: int) -> None:
        self.rows += 1
        if number > self.limits.rows or self.rows > self.limits.rows:
            raise FileRefused("limit.rows", path=str(self.path), sheet=sheet, limit=number_text(self.limits.rows))
        if width > self.limits.columns:
            raise FileRefused("limit.columns", path=str(self.path), sheet=sheet, row=number_text(number),
                              columns=number_text(width), limit=number_text(self.limits.columns))

    def text(self, sheet: str, number: int, column: int, value: str) -> None:
        if len(value) > self.limits.cell_chars:
            raise FileRefused("limit.cell_chars", path=str(self.path), sheet=sheet,
                              cell=f"{_column_letter(column)}{number}", length=number_text(len(value)),
                              limit=number_text(self.limits.cell_chars))


def _column_number(letters: str) -> int:
    """ "A" -> 1, "AB" -> 28."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column_letter(index: int) -> str:
    s, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


# ---------------------------------------------------------------------------------------------- .xlsx

_EOCD: Final = b"PK\x05\x06"
_EOCD64_LOCATOR: Final = b"PK\x06\x07"
_EOCD64: Final = b"PK\x06\x06"
_DIRECTORY_BYTES_PER_PART: Final = 4096  # a part's directory entry: 46 bytes, its name, extra fields, comment
_CELL_PARTS: Final = ("xl/worksheets/", "xl/sharedstrings.xml")
_SHEET_PARTS: Final = "xl/worksheets/"
_STYLES_SUFFIX: Final = "styles.xml"
_CHUNK: Final = 256 * 1024
# Elements whose text belongs to the cell (or shared string) around them: the run of text goes on through them.
_CELL_TEXT: Final = frozenset({"v", "f", "is", "t", "r"})


_WORKBOOK: Final = "xl/workbook.xml"
_WORKBOOK_RELS: Final = "xl/_rels/workbook.xml.rels"
_CONTENT_TYPES: Final = "[Content_Types].xml"
_INDEXED: Final = (_WORKBOOK, _WORKBOOK_RELS, _CONTENT_TYPES)


@dataclass
class PackageScan:
    """What the scan of an .xlsx saw: its parts, the sheet name of each worksheet part, and the merged ranges
    of each worksheet part (as written, "A1:H1")."""

    parts: list[str]
    sheets: dict[str, str] = field(default_factory=dict)
    merges: dict[str, list[str]] = field(default_factory=dict)
    elements: int = 0
    rows: int = 0
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Each worksheet part's last row number and last column number (1-based) holding a cell, as written."""
    fonts: set[str] = field(default_factory=set)
    """The font names of the styles part (the fonts cells may be formatted with)."""
    error_cells: int = 0
    """Cells holding an error value ("#N/A", "#DIV/0!")."""
    rich_runs: int = 0
    """Runs of rich text (a cell's or a shared string's text in parts formatted apart)."""
    xml_parts: set[str] = field(default_factory=set)
    """The parts read as XML by the scan (well-formed, within the limits)."""
    content_types: dict[str, str] = field(default_factory=dict)
    """Part name (as in the package, no leading "/") -> the content type ``[Content_Types].xml`` declares."""

    def cells_spanned(self) -> int:
        """The cells of the rectangles from A1 to each sheet's last row and column: what a reader that holds a
        sheet as a rectangle allocates."""
        return sum(rows * columns for rows, columns in self.extents.values())


def _entry_count(fh: BinaryIO, path: Path) -> tuple[int, int]:
    """(parts, directory size) from the zip's end record, read without reading the directory."""
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise FileRefused("file.invalid", path=str(path), detail="không có mục lục của tệp nén")
    _sig, _disk, _cd_disk, _here, total, cd_size, _cd_offset, _comment = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if total == 0xFFFF or cd_size == 0xFFFFFFFF:
        # zip64: the real counts are in the zip64 end record the locator points to
        locator = tail[at - 20:at] if at >= 20 else b""
        if len(locator) == 20 and locator.startswith(_EOCD64_LOCATOR):
            _s, _d, offset, _disks = struct.unpack("<4sLQL", locator)
            if 0 <= offset <= size - 56:
                fh.seek(offset)
                record = fh.read(56)
                if record.startswith(_EOCD64):
                    values = struct.unpack("<4sQ2H2L4Q", record)
                    total, cd_size = values[7], values[8]
    return total, cd_size


class _PartScan:
    """Expat over one XML part: refuses a DTD, counts elements and rows, measures text, notes merged cells."""

    def __init__(self, scan: _Scan, name: str) -> None:
        self.scan = scan
        self.name = name
        self.cells = name.lower().startswith(_CELL_PARTS)
        self.text_limit = scan.limits.cell_chars if self.cells else scan.limits.part_text_chars
        self.run = 0  # text of the current cell (sheet) or string (shared strings), or of the current element
        self.merges: list[str] = []
        self.found: list[dict[str, str]] = []  # <sheet> of the workbook, <Relationship> of its relations
        self.elements = self.rows = 0
        self.sheet = name.lower().startswith(_SHEET_PARTS)
        self.styles = name.lower().endswith(_STYLES_SUFFIX)
        self.fonts: list[str] = []
        # Where the cells reach (a worksheet part): the row being read, its cells, its last cell's attributes.
        self.row_number = self.row_cells = self.last_row = self.last_column = self.error_cells = self.rich_runs = 0
        self.last_cell: list[str] | None = None
        self.budget = scan.limits.xml_elements - scan.elements  # what the parts before left of each limit
        self.row_budget = scan.limits.rows - scan.rows
        p = expat.ParserCreate()
        p.buffer_text = True
        p.ordered_attributes = True
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.StartElementHandler = self._start if name not in _INDEXED else self._start_indexed
        p.CharacterDataHandler = self._text
        self.parser = p

    def _doctype(self, *_args: object) -> None:
        raise FileRefused("limit.xml_dtd", path=str(self.scan.path), part=self.name)

    _entity = _doctype

    def _start(self, name: str, attrs: list[str]) -> None:
        # Called for every element (a million for a big sheet): kept as short as it can be.
        self.elements += 1
        if self.elements > self.budget:
            raise FileRefused("limit.xml_elements", path=str(self.scan.path),
                              limit=number_text(self.scan.limits.xml_elements))
        if ":" in name:
            name = name[name.index(":") + 1:]
        if name not in _CELL_TEXT:
            self.run = 0
            if name == "c":
                self.row_cells += 1
                self.last_cell = attrs
                if "e" in attrs:  # t="e": an error value ("#N/A"), the only attribute value "e" can be
                    self.error_cells += 1
            elif name == "row":
                self.rows += 1
                if self.rows > self.row_budget:
                    raise FileRefused("limit.rows", path=str(self.scan.path), sheet=self.scan.sheet_name(self.name),
                                      limit=number_text(self.scan.limits.rows))
                if self.sheet:
                    self._end_row()
                    number = _attributes(attrs).get("r", "")
                    self.row_number = int(number) if number.isdigit() else self.row_number + 1
            elif name == "mergeCell" and self.cells:
                self.merges.append(_attributes(attrs).get("ref", ""))
            elif name == "name" and self.styles:
                self.fonts.append(_attributes(attrs).get("val", ""))
        elif name == "r" and self.cells:  # a run of rich text (part of a cell's text formatted apart)
            self.rich_runs += 1

    def _end_row(self) -> None:
        """Where the row just read ends: its number, and its last cell's column (by its reference, or by counting
        when the cells carry none)."""
        if self.row_cells:
            ref = _attributes(self.last_cell or []).get("r", "")
            letters = ref[:len(ref) - len(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))]
            column = _column_number(letters) if letters else 0
            self.last_column = max(self.last_column, column, self.row_cells)
            self.last_row = max(self.last_row, self.row_number)
        self.row_cells = 0

    def _start_indexed(self, name: str, attrs: list[str]) -> None:
        self._start(name, attrs)
        if name.endswith(("sheet", "Relationship", "Override")):
            self.found.append({k[k.find(":") + 1:]: v for k, v in _attributes(attrs).items()})

    def _text(self, data: str) -> None:
        self.run += len(data)
        scan = self.scan
        scan.text += len(data)
        if self.run > self.text_limit:
            raise FileRefused("limit.text_run", path=str(scan.path), part=self.name,
                              limit=number_text(self.text_limit))
        if scan.text > scan.limits.text_chars:
            raise FileRefused("limit.text_chars", path=str(scan.path), limit=number_text(scan.limits.text_chars))

    def feed(self, chunks: Iterator[bytes]) -> None:
        try:
            for chunk in chunks:
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise FileRefused("file.damaged", path=str(self.scan.path), part=self.name,
                              detail=one_line(expat.ErrorString(exc.code) if exc.code else exc)) from exc
        except (LookupError, ValueError) as exc:  # an encoding expat does not know, text it cannot decode
            raise FileRefused("file.damaged", path=str(self.scan.path), part=self.name, detail=one_line(exc)) from exc
        self.scan.elements += self.elements
        self.scan.rows += self.rows
        if self.sheet:
            self._end_row()


def _attributes(attrs: list[str]) -> dict[str, str]:
    return dict(zip(attrs[::2], attrs[1::2], strict=False))


@dataclass
class _Scan:
    path: Path
    limits: Limits
    elements: int = 0
    rows: int = 0
    text: int = 0
    sheets: dict[str, str] = field(default_factory=dict)  # worksheet part -> sheet name

    def sheet_name(self, part: str) -> str:
        return self.sheets.get(part) or PurePosixPath(part).stem

    def index(self, workbook: list[dict[str, str]], relations: list[dict[str, str]]) -> None:
        """Which part holds which sheet, from the workbook's <sheet> elements and its relations."""
        targets = {r.get("Id", ""): r.get("Target", "") for r in relations}
        for sheet in workbook:
            target = targets.get(sheet.get("id", ""), "")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            self.sheets[part] = sheet.get("name", "")


def _is_xml(name: str, head: bytes) -> bool:
    """A part the parsers will read as XML: anything that starts like XML, except legacy VML drawings
    (never parsed by the readers, and often not well-formed)."""
    if name.lower().endswith(".vml"):
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def scan_package(path: Path, limits: Limits = LIMITS) -> PackageScan:
    """Check an .xlsx (a zip of XML parts) against ``limits`` before any parser builds anything from it.

    In order: the size on disk; the number of parts from the zip's end record, before the directory is read;
    the total uncompressed size and the compression ratio of each part, from the directory; then every XML
    part is streamed through expat (never more than its declared size: Python's zipfile stops there), which
    refuses a DTD and counts elements, rows and text. Truncated parts, bad compressed data and XML that is
    not well-formed are reported as ``file.damaged`` with the part's name.

    Raises:
        FileRefused: the code of the first limit passed, or ``file.damaged``.
    """
    check_size(path, limits.file_bytes)
    with path.open("rb") as fh:
        parts, directory = _entry_count(fh, path)
    if parts > limits.zip_parts or directory > limits.zip_parts * _DIRECTORY_BYTES_PER_PART:
        raise FileRefused("limit.zip_parts", path=str(path), count=number_text(parts),
                          limit=number_text(limits.zip_parts))
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, struct.error, NotImplementedError,
            RuntimeError, EOFError, zlib.error, KeyError) as exc:  # what zipfile raises on a damaged directory
        raise FileRefused("file.invalid", path=str(path), detail=one_line(exc)) from exc
    with z:
        infos = z.infolist()
        if len(infos) > limits.zip_parts:
            raise FileRefused("limit.zip_parts", path=str(path), count=number_text(len(infos)),
                              limit=number_text(limits.zip_parts))
        total = sum(i.file_size for i in infos)
        if total > limits.unpacked_bytes:
            raise FileRefused("limit.unpacked_bytes", path=str(path), size=size_text(total),
                              limit=size_text(limits.unpacked_bytes))
        for info in infos:
            if info.file_size >= limits.ratio_from_bytes and info.file_size > limits.ratio * max(info.compress_size, 1):
                raise FileRefused("limit.ratio", path=str(path), part=info.filename,
                                  ratio=number_text(info.file_size // max(info.compress_size, 1)),
                                  limit=number_text(limits.ratio))
        scan = _Scan(path, limits)
        result = PackageScan([i.filename for i in infos])
        found: dict[str, list[dict[str, str]]] = {}
        # The workbook and its relations first: they name the sheets the messages speak of.
        for info in sorted(infos, key=lambda i: i.filename not in (_WORKBOOK, _WORKBOOK_RELS)):
            if not info.filename:
                raise FileRefused("file.invalid", path=str(path), detail="một phần không có tên")
            if info.filename.endswith("/"):  # a folder entry
                continue
            if info.filename not in (_WORKBOOK, _WORKBOOK_RELS) and not scan.sheets:
                scan.index(found.get(_WORKBOOK, []), found.get(_WORKBOOK_RELS, []))
            part = _scan_part(z, info, scan)
            if part is None:
                continue
            if part.found:
                found[info.filename] = part.found
            result.xml_parts.add(info.filename)
            if info.filename == _CONTENT_TYPES:
                result.content_types = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
                                        for o in part.found}
            if part.merges:
                result.merges[info.filename] = part.merges
            if part.sheet and part.last_row:
                result.extents[info.filename] = (part.last_row, part.last_column)
            result.fonts.update(f for f in part.fonts if f)
            result.error_cells += part.error_cells
            result.rich_runs += part.rich_runs
        result.elements, result.rows, result.sheets = scan.elements, scan.rows, scan.sheets
    return result


def check_package(path: Path, limits: Limits, error: Callable[..., Exception]) -> PackageScan:
    """:func:`scan_package`, and a package that holds no workbook refused as ``error("file.no_workbook")``."""
    package = scan_package(path, limits)
    if not any(name.startswith("xl/") and name.endswith(".xml") for name in package.parts):
        raise error("file.no_workbook", path=str(path))
    return package


@contextmanager
def open_workbook(path: Path, limits: Limits, error: Callable[..., Exception],
                  package: PackageScan | None = None) -> Iterator[tuple[PackageScan, Any]]:
    """``path`` opened by openpyxl (read-only, values), only after its package passed :func:`scan_package`; the
    scan and the workbook, closed on leaving. A file that is no workbook, or that openpyxl cannot parse, raises
    ``error("file.no_workbook" | "file.invalid", path=…)`` (each reader its own exception class)."""
    if package is None:  # (a caller that has just scanned the package passes its scan)
        package = check_package(path, limits, error)  # before openpyxl sees a byte of it
    import openpyxl

    # openpyxl reads from our handle: closed here whatever happens (openpyxl leaves its own file open when
    # loading fails half-way).
    with path.open("rb") as fh:
        try:
            with warnings.catch_warnings():
                # Real-world files carry extensions openpyxl does not support (data validation, slicers...);
                # their warnings are about formatting we do not need.
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except MemoryError:
            raise
        except Exception as exc:  # openpyxl raises whatever its parsing meets in a damaged package
            raise error("file.invalid", path=str(path), detail=one_line(exc)) from exc
        try:
            yield package, wb
        finally:
            wb.close()


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> _PartScan | None:
    """Read one part to its end through its checksum; an XML part through expat. None for other parts."""
    try:
        with z.open(info) as member:
            head = member.read(_CHUNK)
            if not _is_xml(info.filename, head):
                while member.read(_CHUNK):
                    pass
                return None
            part = _PartScan(scan, info.filename)

            def chunks() -> Iterator[bytes]:
                yield head
                while chunk := member.read(_CHUNK):
                    yield chunk

            part.feed(chunks())
            return part
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise FileRefused("file.damaged", path=str(scan.path), part=info.filename, detail=one_line(exc)) from exc

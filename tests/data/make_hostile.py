"""A corpus of hostile and damaged files for the readers: zip bombs, billion laughs, truncated parts, wrong
content types, UTF-16 text, odd dates, names of four megabytes.

``python tests/data/make_hostile.py`` writes the small cases (each under 1 MB) into ``tests/data/hostile/``,
where they are committed; the big ones (zip bombs, millions of rows) are written by the tests into a
temporary folder with :func:`write`. Every case says what ``import-students`` and ``import-return`` must
answer: the exit code and, for a refusal, the message code.

The packages are written part by part (no openpyxl), so each part is exactly what the case needs, and the
output does not depend on the date: the committed files can be made again byte for byte with the same zlib.
"""

from __future__ import annotations

import json
import random
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "hostile"
SMALL = 1024 * 1024  # no committed file is larger

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DATE = (2024, 7, 1, 8, 0, 0)

Part = bytes | Callable[[], Iterable[bytes]]  # the bytes of a part, or a maker of its chunks (big parts)


# ---------------------------------------------------------------------------------------------- packages


def write_zip(path: Path, parts: Mapping[str, Part], *, level: int = 9) -> Path:
    """The parts, deflated, in order, with a fixed date."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if isinstance(data, bytes):
                z.writestr(info, data, compresslevel=level)
            else:
                with z.open(info, "w", force_zip64=True) as fh:
                    for chunk in data():
                        fh.write(chunk)
    return path


def _content_types(sheets: int, *, workbook_type: str = f"{CT_MAIN}.sheet.main+xml") -> bytes:
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_MAIN}.worksheet+xml"/>'
                        for i in range(1, sheets + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{workbook_type}"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_MAIN}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{CT_MAIN}.styles+xml"/></Types>').encode()


ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()

STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {NS}>'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Times New Roman"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>').encode()


def _workbook(sheets: list[tuple[str, str]]) -> bytes:
    items = "".join(f'<sheet name="{escape(name)}" sheetId="{i}"{f" state={chr(34)}{state}{chr(34)}" if state else ""}'
                    f' r:id="rId{i}"/>' for i, (name, state) in enumerate(sheets, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS} {NS_R}>'
            f'<sheets>{items}</sheets></workbook>').encode()


def _workbook_rels(sheets: int) -> bytes:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, sheets + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{sheets + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId{sheets + 2}" Type="{REL}/styles" Target="styles.xml"/></Relationships>').encode()


def _col(index: int) -> str:
    s, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


class Strings:
    """A shared-strings table being built: index of each text."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def __call__(self, text: str) -> int:
        self.items.append(text)
        return len(self.items) - 1

    def xml(self) -> bytes:
        body = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.items)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} count="{len(self.items)}" '
                f'uniqueCount="{len(self.items)}">{body}</sst>').encode()


def _cell(ref: str, value: object, strings: Strings) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):  # ("date", serial) / ("raw", xml)
        kind, v = value
        return f'<c r="{ref}" s="1"><v>{v}</v></c>' if kind == "date" else str(v)
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="s"><v>{strings(str(value))}</v></c>'


def _sheet(rows: list[list[object]], strings: Strings, *, extra: str = "") -> bytes:
    body = "".join(f'<row r="{r}">' + "".join(_cell(f"{_col(c)}{r}", v, strings) for c, v in enumerate(row))
                   + "</row>" for r, row in enumerate(rows, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {NS_R}>'
            f'<sheetData>{body}</sheetData>{extra}</worksheet>').encode()


HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Lớp", "Mã định danh"]
STUDENTS = [
    [1, "Nguyễn Thị Ánh", ("date", 39337), "Nữ", "Kinh", "Không", "12A1", "068308001234"],
    [2, "K' Brơi", ("date", 39500), "Nam", "Cơ-ho", "Công giáo", "12A1", "068208005678"],
]


def class_list_parts(rows: list[list[object]] | None = None, *, title: str = "DANH SÁCH HỌC SINH LỚP 12A1"
                     ) -> dict[str, Part]:
    """A small, valid class list: a title row, the header, two students."""
    strings = Strings()
    sheet = _sheet([[title], HEADER, *(rows if rows is not None else STUDENTS)], strings,
                   extra='<mergeCells count="1"><mergeCell ref="A1:H1"/></mergeCells>')
    return {
        "[Content_Types].xml": _content_types(1),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": _workbook([("12A1", "")]),
        "xl/_rels/workbook.xml.rels": _workbook_rels(1),
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings.xml(),
    }


# Another school than the one of the database the tests import into: the good return lands without a conflict.
ORGANISATION = {"uid": "7d3c1c9e-0000-4000-8000-000000000001", "code": "LQD", "school_name": "THPT Lê Quý Đôn",
                "name": "Chi bộ THPT Lê Quý Đôn", "kind": "chi_bo", "official_members": 6,
                "secretary": "Lê Văn Bình", "annual_target": 1}
STUDENT = {"uid": "7d3c1c9e-0000-4000-8000-000000000002", "org_uid": ORGANISATION["uid"],
           "full_name": "Nguyễn Thị Ánh", "gender": "nu", "birth": "2007-09-12", "ethnic": "01", "religion": "00",
           "personal_id": "068307001234", "class_name": "12A1", "union_since": None, "graduation_year": 2025,
           "ceremony_uid": None}


def return_parts(records: Iterable[tuple[str, object]] | None = None, *, raw_rows: str = "") -> dict[str, Part]:
    """A small, valid return as this application writes it: a visible sheet and the very hidden ``_lamha_data``."""
    strings = Strings()
    visible = _sheet([["BÁO CÁO KẾT QUẢ KẾT NẠP ĐẢNG VIÊN 6 THÁNG ĐẦU NĂM 2024"], ["Tổ chức", "Kết nạp"],
                      ["Chi bộ THPT Lê Quý Đôn", 1]], strings)
    rows: list[list[object]] = [["format", "lamha-return", "version", 1, "period", "2024-H1", "exported_at",
                                 "2024-07-01T08:00:00"]]
    for kind, record in records if records is not None else [("organisation", ORGANISATION), ("student", STUDENT)]:
        text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False, sort_keys=True)
        rows.append([kind, *[text[i:i + 32767] for i in range(0, max(len(text), 1), 32767)]])
    data = _sheet(rows, strings)
    if raw_rows:
        data = data.replace(b"</sheetData>", raw_rows.encode() + b"</sheetData>")
    return {
        "[Content_Types].xml": _content_types(2),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": _workbook([("Báo cáo", ""), ("_lamha_data", "veryHidden")]),
        "xl/_rels/workbook.xml.rels": _workbook_rels(2),
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": visible,
        "xl/worksheets/sheet2.xml": data,
        "xl/sharedStrings.xml": strings.xml(),
    }


def cut(parts: dict[str, Part], name: str) -> dict[str, Part]:
    """The package with part ``name`` cut in the middle (a download or a copy that stopped)."""
    data = parts[name]
    assert isinstance(data, bytes)
    return {**parts, name: data[: len(data) // 2]}


# ---------------------------------------------------------------------------------------------- big parts


def _bomb(path: Path, *, total: int) -> Path:
    """A class list whose shared strings are one string of ``total`` bytes of "A" (deflate packs about 1,000
    to one). The deflate stream is made of one compressed 4 MB block repeated: after a full flush the
    compressor starts afresh, so every block compresses to the same bytes, and the file takes a second to
    write instead of compressing a gigabyte."""
    import struct
    import zlib

    block = b"A" * (4 * 1024 * 1024)
    count = total // len(block)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {NS}><si><t>'.encode()
    tail = b"</t></si></sst>"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * len(block) + len(tail)

    entries: list[tuple[str, int, int, int, list[bytes]]] = []  # name, crc, size, compressed size, chunks
    for name, data in class_list_parts().items():
        if name == "xl/sharedStrings.xml":
            entries.append((name, crc, size, len(start) + count * len(piece) + len(end), [start, piece, end]))
            continue
        assert isinstance(data, bytes)
        z = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = z.compress(data) + z.flush()
        entries.append((name, zlib.crc32(data), len(data), len(packed), [packed]))
    dos_time = (DATE[3] << 11) | (DATE[4] << 5) | (DATE[5] // 2)
    dos_date = ((DATE[0] - 1980) << 9) | (DATE[1] << 5) | DATE[2]
    directory = b""
    with path.open("wb") as fh:
        for name, e_crc, e_size, e_packed, chunks in entries:
            offset = fh.tell()
            raw = name.encode()
            fh.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, dos_time, dos_date, e_crc, e_packed, e_size,
                                 len(raw), 0) + raw)
            if len(chunks) == 3:
                fh.write(chunks[0])
                for _ in range(count):
                    fh.write(chunks[1])
                fh.write(chunks[2])
            else:
                fh.write(chunks[0])
            directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, dos_time, dos_date, e_crc, e_packed,
                                     e_size, len(raw), 0, 0, 0, 0, 0o600 << 16, offset) + raw
        at = fh.tell()
        fh.write(directory)
        fh.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), at, 0))
    return path


def _sst_bomb(total: int) -> Callable[[], Iterator[bytes]]:
    """One shared string of ``total`` bytes of "A", as chunks for :func:`write_zip`."""
    def chunks() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {NS}><si><t>'.encode()
        block = b"A" * (4 * 1024 * 1024)
        for _ in range(total // len(block)):
            yield block
        yield b"</t></si></sst>"
    return chunks


def _rows_sheet(rows: int, *, cells: int = 1, numbered: bool = True) -> Callable[[], Iterator[bytes]]:
    """``rows`` rows of ``cells`` cells each (shared string 0), written as an ordinary writer would."""
    def chunks() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet {NS}><sheetData>'.encode()
        batch: list[str] = []
        letters = [_col(c) for c in range(cells)]
        for r in range(1, rows + 1):
            if numbered:
                batch.append(f'<row r="{r}">' + "".join([f'<c r="{x}{r}" t="s"><v>0</v></c>' for x in letters])
                             + "</row>")
            else:
                batch.append("<row>" + '<c t="s"><v>0</v></c>' * cells + "</row>")
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()
        yield b"</sheetData></worksheet>"
    return chunks


def _text_file(path: Path, lines: Iterable[str], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        for line in lines:
            fh.write(line)
    return path


# ---------------------------------------------------------------------------------------------- the cases

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@dataclass(frozen=True)
class Expect:
    """What a command answers: exit code, and the message code of a refusal (None: not a refusal)."""

    exit: int
    code: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]
    students: Expect
    return_: Expect
    big: bool = False
    about: str = ""


def _xlsx(parts: Callable[[], Mapping[str, Part]], *, level: int = 9) -> Callable[[Path], Path]:
    return lambda path: write_zip(path, parts(), level=level)


def _with_dtd(part: str, old: bytes, new: str, *, dtd: str = LAUGHS,
              base: Callable[[], dict[str, Part]] = lambda: class_list_parts()) -> Callable[[], dict[str, Part]]:
    """``base`` with a DTD before the root of ``part`` and the first ``old`` there replaced by ``new``."""
    def parts() -> dict[str, Part]:
        p = base()
        data = p[part]
        assert isinstance(data, bytes)
        assert old in data
        body = data.split(b"?>", 1)[1].lstrip().replace(old, new.encode(), 1)
        return {**p, part: dtd.encode() + body}
    return parts


def _corrupt_deflate(path: Path) -> Path:
    """A valid class list whose sheet's compressed bytes are overwritten in the middle (a bad sector)."""
    write_zip(path, class_list_parts())
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode())
    for i in range(start + 10, start + min(60, info.compress_size - 4)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def _truncated_file(path: Path) -> Path:
    write_zip(path, class_list_parts())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _many_parts(path: Path) -> Path:
    parts = class_list_parts()
    for i in range(5_000):
        parts[f"customXml/item{i}.xml"] = b"<a/>"
    return write_zip(path, parts)


def _xls(path: Path, *, cut_half: bool = False) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("12A1")
    for r, row in enumerate([HEADER, *[[v if not isinstance(v, tuple) else "12/09/2007" for v in s]
                                       for s in STUDENTS]]):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.save(str(path))
    if cut_half:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    return path


def _ole_garbage(path: Path) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    path.write_bytes(header)
    return path


def _big_ole(path: Path) -> Path:
    with path.open("wb") as fh:
        fh.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        fh.write(b"\0" * (21 * 1024 * 1024))
    return path


def _unicode_text(path: Path) -> Path:
    """Excel's "Unicode Text": UTF-16 little endian with a BOM, tab-separated, CRLF."""
    rows = [HEADER, *[[str(v) if not isinstance(v, tuple) else ("12/09/2007" if v[1] == 39337 else "22/02/2008")
                       for v in s] for s in STUDENTS]]
    text = "".join("\t".join(map(str, r)) + "\r\n" for r in rows)
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return path


def _csv(rows: Iterable[str], *, encoding: str = "utf-8-sig") -> Callable[[Path], Path]:
    return lambda path: _text_file(path, rows, encoding=encoding)


def _csv_rows(n: int) -> Iterator[str]:
    yield ",".join(HEADER) + "\n"
    for i in range(n):
        yield f"{i + 1},Nguyễn Văn {i},12/09/2007,Nam,Kinh,Không,12A1,0683070{i:05d}\n"


def _csv_quoted_field() -> Iterator[str]:
    yield ",".join(HEADER) + "\n"
    yield '1,"Nguyễn Văn A' + ("\n" + "x" * 99) * 2_000 + '",12/09/2007,Nam,Kinh,Không,12A1,068307001234\n'


def _long_name(length: int) -> str:
    """A name of ``length`` characters that compresses like text (letters drawn with a fixed seed)."""
    rng = random.Random(4)
    return "".join(rng.choices("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạầẩẫấậềểễếệ ", k=length))


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return make


def _name_row(name: str) -> list[list[object]]:
    return [[1, name, ("date", 39337), "Nữ", "Kinh", "Không", "12A1", "068308001234"], *STUDENTS[1:]]


ODD_DATES: list[list[object]] = [
    [1, "Ngày Quá Lớn", ("date", 2958466), "Nữ", "Kinh", "Không", "12A1", "068308000001"],
    [2, "Ngày Âm", ("date", -5), "Nam", "Kinh", "Không", "12A1", "068308000002"],
    [3, "Ngày Khổng Lồ", ("date", "1e308"), "Nam", "Kinh", "Không", "12A1", "068308000003"],
    [4, "Ba Mươi Mốt Tháng Hai", "31/02/2008", "Nữ", "Kinh", "Không", "12A1", "068308000004"],
    [5, "Không Không", "00/00/0000", "Nữ", "Kinh", "Không", "12A1", "068308000005"],
    [6, "Hai Chín Tháng Hai", "29/02/2007", "Nam", "Kinh", "Không", "12A1", "068308000006"],
    [7, "Tháng Mười Ba", "2008-13-01", "Nam", "Kinh", "Không", "12A1", "068308000007"],
    [8, "Năm Một Chữ Số", "1/1/8", "Nam", "Kinh", "Không", "12A1", "068308000008"],
    [9, "Chuỗi Ngày Dài", "12/09/2007 " + "9" * 300, "Nữ", "Kinh", "Không", "12A1", "068308000009"],
    [10, "Ngày Đúng", ("date", 39337), "Nữ", "Kinh", "Không", "12A1", "068308000010"],
]

N = Expect  # short names for the table below
REFUSED_RETURN_NOT_ZIP = Expect(1, "return.unreadable")
NOT_A_RETURN = Expect(1, "return.not_a_return")
NO_HEADER = Expect(1, "import.no_header")

CASES: tuple[Case, ...] = (
    # controls: the corpus's own bases are read
    Case("good_class_list.xlsx", _xlsx(class_list_parts), N(0), NOT_A_RETURN, about="the base of the class-list cases"),
    Case("good_return.xlsx", _xlsx(return_parts), NO_HEADER, N(0), about="the base of the return cases"),
    Case("unicode_text.txt", _unicode_text, N(0), REFUSED_RETURN_NOT_ZIP,
         about="Excel's Unicode Text: UTF-16 LE with BOM, tabs"),
    Case("odd_dates.xlsx", _xlsx(lambda: class_list_parts(ODD_DATES)), N(2), NOT_A_RETURN,
         about="dates past 9999, negative, 1e308, 31/02, 00/00/0000, month 13: rows rejected, one good"),
    Case("name_610.xlsx", _xlsx(lambda: class_list_parts(_name_row("Nguyễn Thị" + " Ánh" * 150))), N(2), NOT_A_RETURN,
         about="a name of 610 characters: its row is rejected (text.too_long), the other imported"),
    # zip bombs and oversized packages
    Case("shared_strings_bomb.xlsx", lambda path: _bomb(path, total=1200 * 1024 * 1024),
         N(1, "limit.unpacked_bytes"), N(1, "limit.unpacked_bytes"), big=True,
         about="1 MB whose shared strings expand to 1.2 GB"),
    Case("ratio_bomb.xlsx", _xlsx(lambda: {**class_list_parts(), "xl/sharedStrings.xml": _sst_bomb(96 * 1024 * 1024)}),
         N(1, "limit.ratio"), N(1, "limit.ratio"), about="100 KB whose shared strings expand to 96 MB"),
    Case("three_million_rows.xlsx", _xlsx(lambda: {**class_list_parts(),
                                                   "xl/worksheets/sheet1.xml": _rows_sheet(3_000_000)}, level=1),
         N(1, "limit.rows"), N(1, "limit.rows"), big=True, about="a sheet of 3 million rows"),
    Case("many_cells.xlsx", _xlsx(lambda: {**class_list_parts(),
                                           "xl/worksheets/sheet1.xml": _rows_sheet(60_000, cells=10)}, level=6),
         N(1, "limit.xml_elements"), N(1, "limit.xml_elements"), big=True, about="600,000 cells in 60,000 rows"),
    Case("row_1048576.xlsx", _xlsx(lambda: {**class_list_parts(), "xl/worksheets/sheet1.xml": _sheet(
        [], Strings(), extra="").replace(b"<sheetData>", b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                                         b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')}),
         N(1, "limit.rows"), NOT_A_RETURN, about="one cell on the last row of a sheet"),
    Case("return_row_1048576.xlsx", _xlsx(lambda: return_parts(
        raw_rows='<row r="1048576"><c r="A1048576"><v>1</v></c></row>')),
         N(1, "limit.rows"), N(1, "limit.rows"), about="a return whose data sheet reaches the last row"),
    Case("cell_xfd.xlsx", _xlsx(lambda: {**class_list_parts(), "xl/worksheets/sheet1.xml": _sheet(
        [], Strings()).replace(b"<sheetData>", b'<sheetData><row r="1"><c r="A1"><v>1</v></c>'
                               b'<c r="XFD1"><v>1</v></c></row>')}),
         N(1, "limit.columns"), NOT_A_RETURN, about="a cell in column XFD (16,384)"),
    Case("many_parts.xlsx", _many_parts, N(1, "limit.zip_parts"), N(1, "limit.zip_parts"),
         about="5,000 parts in the zip"),
    # entity expansion
    Case("billion_laughs_strings.xlsx", _xlsx(_with_dtd("xl/sharedStrings.xml", b"Nguy", "&lol9;Nguy")),
         N(1, "limit.xml_dtd"), N(1, "limit.xml_dtd"), about="billion laughs in the shared strings"),
    Case("billion_laughs_workbook.xlsx", _xlsx(_with_dtd("xl/workbook.xml", b'name="12A1"', 'name="&lol9;"')),
         N(1, "limit.xml_dtd"), N(1, "limit.xml_dtd"), about="billion laughs in workbook.xml"),
    Case("billion_laughs_return.xlsx", _xlsx(_with_dtd("xl/worksheets/sheet2.xml", b"<v>", "<v>&lol9;",
                                                       base=lambda: return_parts())),
         N(1, "limit.xml_dtd"), N(1, "limit.xml_dtd"), about="billion laughs in a return's data sheet"),
    Case("external_entity_styles.xlsx", _xlsx(_with_dtd("xl/styles.xml", b'val="Times New Roman"', 'val="&xxe;"',
                                                        dtd=XXE)),
         N(1, "limit.xml_dtd"), N(1, "limit.xml_dtd"), about="an external entity (file:///etc/passwd) in styles.xml"),
    # damaged parts, of a class list and of a return
    *(Case(f"cut_{short}.xlsx", _xlsx(lambda part=part: cut(class_list_parts(), part)),
           N(1, "file.damaged"), N(1, "file.damaged"), about=f"{part} cut in the middle")
      for short, part in (("workbook", "xl/workbook.xml"), ("styles", "xl/styles.xml"),
                          ("content_types", "[Content_Types].xml"), ("workbook_rels", "xl/_rels/workbook.xml.rels"),
                          ("root_rels", "_rels/.rels"), ("sheet", "xl/worksheets/sheet1.xml"),
                          ("shared_strings", "xl/sharedStrings.xml"))),
    *(Case(f"return_cut_{short}.xlsx", _xlsx(lambda part=part: cut(return_parts(), part)),
           N(1, "file.damaged"), N(1, "file.damaged"), about=f"a return with {part} cut in the middle")
      for short, part in (("workbook", "xl/workbook.xml"), ("styles", "xl/styles.xml"),
                          ("content_types", "[Content_Types].xml"), ("workbook_rels", "xl/_rels/workbook.xml.rels"),
                          ("data_sheet", "xl/worksheets/sheet2.xml"))),
    Case("missing_workbook.xlsx", _xlsx(lambda: {k: v for k, v in class_list_parts().items()
                                                 if k != "xl/workbook.xml"}),
         N(1, "file.invalid"), N(1, "file.invalid"), about="no xl/workbook.xml at all"),
    Case("wrong_content_types.xlsx", _xlsx(lambda: {**class_list_parts(), "[Content_Types].xml": _content_types(
        1, workbook_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")}),
         N(1, "file.invalid"), N(1, "file.invalid"), about="the workbook declared as a Word document"),
    Case("docx_renamed.xlsx", _xlsx(lambda: {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
         N(1, "file.no_workbook"), N(1, "file.no_workbook"), about="a Word document renamed .xlsx"),
    Case("truncated_file.xlsx", _truncated_file, N(1, "file.invalid"), N(1, "file.invalid"),
         about="the file cut in half (no zip directory)"),
    Case("bad_deflate.xlsx", _corrupt_deflate, N(1, "file.damaged"), N(1, "file.damaged"),
         about="compressed bytes of the sheet overwritten"),
    # long texts
    Case("name_4mb.xlsx", _xlsx(lambda: class_list_parts(_name_row(_long_name(4_194_304)))),
         N(1, "limit.text_run"), N(1, "limit.text_run"), big=True, about="a name of 4,194,304 characters"),
    Case("name_40000.xlsx", _xlsx(lambda: class_list_parts(_name_row("Nguyễn Thị " + "Á" * 40_000))),
         N(1, "limit.text_run"), N(1, "limit.text_run"), about="a name of 40,000 characters (past Excel's cell)"),
    Case("return_long_name.xlsx", _xlsx(lambda: return_parts([("organisation", ORGANISATION),
                                                              ("student", {**STUDENT, "full_name": "Á" * 40_000})])),
         NO_HEADER, N(1, "return.text_too_long"), about="a return whose student has a 40,000-character name"),
    Case("return_nested_json.xlsx", _xlsx(lambda: return_parts([("organisation", ORGANISATION),
                                                                ("student", "[" * 30_000 + "]" * 30_000)])),
         NO_HEADER, N(1, "return.record_invalid"), about="a record nested 30,000 deep"),
    Case("return_many_rows.xlsx", _xlsx(lambda: {**return_parts(), "xl/worksheets/sheet2.xml": _rows_sheet(150_000)},
                                        level=6),
         N(1, "limit.rows"), N(1, "limit.rows"), big=True, about="a hidden sheet of 150,000 rows"),
    # text files
    Case("long_line.csv", _csv([",".join(HEADER) + "\n", "1," + "x" * 200_000 + "\n"]),
         N(1, "limit.line_chars"), REFUSED_RETURN_NOT_ZIP, about="a line of 200,000 characters"),
    Case("field_40000.csv", _csv([",".join(HEADER) + "\n", "1,Nguyễn " + "A" * 40_000 + ",12/09/2007,Nam\n"]),
         N(1, "limit.cell_chars"), REFUSED_RETURN_NOT_ZIP, about="a 40,000-character name in a CSV"),
    Case("quoted_field.csv", _csv(_csv_quoted_field()), N(1, "limit.csv_field"), REFUSED_RETURN_NOT_ZIP,
         about="a quoted field running over 2,000 lines"),
    Case("name_4mb.csv", _csv([",".join(HEADER) + "\n", "1,Nguyễn " + "A" * 4_194_304 + "\n"]),
         N(1, "limit.line_chars"), REFUSED_RETURN_NOT_ZIP, big=True, about="a 4 MB name in a CSV"),
    Case("rows_150000.csv", _csv(_csv_rows(150_000)), N(1, "limit.rows"), REFUSED_RETURN_NOT_ZIP, big=True,
         about="150,000 lines"),
    Case("too_big.csv", _csv(_csv_rows(330_000)), N(1, "limit.file_size"), REFUSED_RETURN_NOT_ZIP, big=True,
         about="a CSV of 23 MB"),
    Case("binary.csv", _bytes(b"STT,H\x00\x00\x01\x02" * 100),
         N(1, "import.unreadable"), REFUSED_RETURN_NOT_ZIP, about="NUL bytes: no text"),
    Case("latin1.csv", _bytes(b"STT,Ho va ten,Ngay sinh,Gioi tinh\n1,L\xea \xc1nh,12/09/2007,Nam\n"),
         N(1, "import.csv_encoding"), REFUSED_RETURN_NOT_ZIP, about="a CSV in Latin-1, not UTF-8"),
    # .xls
    Case("cut.xls", lambda p: _xls(p, cut_half=True), N(1, "import.unreadable"), REFUSED_RETURN_NOT_ZIP,
         about="an .xls cut in half"),
    Case("ole_garbage.xls", _ole_garbage, N(1, "import.unreadable"), REFUSED_RETURN_NOT_ZIP,
         about="an OLE header followed by garbage"),
    Case("too_big.xls", _big_ole, N(1, "limit.file_size"), REFUSED_RETURN_NOT_ZIP, big=True,
         about="a 21 MB .xls"),
    Case("web_page.xls", _bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
         N(1, "import.html_xls"), REFUSED_RETURN_NOT_ZIP,
         about="a web page saved as .xls"),
)


def case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def write(case_: Case, folder: Path) -> Path:
    """Write one case into ``folder``; the path of the file."""
    folder.mkdir(parents=True, exist_ok=True)
    return case_.make(folder / case_.name)


def main(argv: list[str]) -> int:
    """Write every small case into tests/data/hostile/ (or the folder given)."""
    folder = Path(argv[1]) if len(argv) > 1 else CORPUS
    for c in CASES:
        if c.big:
            continue
        path = write(c, folder)
        size = path.stat().st_size
        if size > SMALL:
            raise SystemExit(f"{c.name} is {size} bytes: mark it big")
        print(f"{size:>9}  {c.name}  {c.about}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

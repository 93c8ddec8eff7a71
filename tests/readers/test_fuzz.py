"""Fuzzing the readers: whatever bytes arrive, a reader returns what it read or refuses with a code.

Property-based (hypothesis) over the class list (.xlsx, .xls, CSV and UTF-16 text), the school's return and
the legacy encodings as the readers meet them (text in a .VnTime or VNI-Times cell). No other exception may
escape: the headless commands and the import wizard turn a code into one line, anything else into a traceback.
"""

from __future__ import annotations

import io
import json
import tempfile
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from classlist_files import SIMPLE_HEADER, simple_row, student, write_xls
from hostile import make_hostile as mh
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font
from openpyxl.utils.exceptions import IllegalCharacterError

from lamha_desktop import catalogue
from lamha_desktop.domain import legacy
from lamha_desktop.readers import class_list as cl
from lamha_desktop.readers import return_reader

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàằầèềìòồờùừỳảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹáắấéếíóốớúứýạặậẹệịọộợụựỵ"
viet_name = st.lists(st.text(alphabet=VIET, min_size=1, max_size=7), min_size=2, max_size=4).map(
    lambda ws: " ".join(w.capitalize() for w in ws))


def _write(data: bytes, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / f"f{suffix}"
    path.write_bytes(data)
    return path


def read_class_list(path: Path) -> cl.Table | None:
    """The table, or None when refused with a code (anything else fails the test)."""
    refusal = None
    try:
        table = cl.read_table(path)
    except cl.ImportFileError as exc:
        refusal = exc.code
    if refusal is not None:
        assert refusal in catalogue.MESSAGES
        return None
    try:
        matches = cl.detect_all(table)
    except cl.ImportFileError:
        return table
    cl.parse_rows(table, matches)  # every row is parsed without an exception, whatever the cells hold
    return table


def read_return(path: Path) -> object | None:
    refusal = None
    try:
        return return_reader.read_return(path)
    except return_reader.ReadError as exc:
        refusal = exc.code
    assert refusal in catalogue.MESSAGES
    return None


def _zip(parts: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


CLASS_LIST = {k: v for k, v in mh.class_list_parts().items() if isinstance(v, bytes)}
RETURN = {k: v for k, v in mh.return_parts().items() if isinstance(v, bytes)}
CLASS_LIST_BYTES = _zip(CLASS_LIST)
RETURN_BYTES = _zip(RETURN)


def _mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for at, value in flips:
        buf[at % len(buf)] = value
    return bytes(buf[:cut] if cut is not None else buf)


_TONES = set("\u0300\u0301\u0303\u0309\u0323")
flips = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=8)
cuts = st.none() | st.integers(min_value=0, max_value=4000)


# ---------------------------------------------------------------------------------------------- .xlsx


@SETTINGS
@given(flips, cuts)
@example([], None)
def test_a_damaged_class_list_xlsx_is_read_or_refused(changes: list[tuple[int, int]], cut: int | None) -> None:
    read_class_list(_write(_mutate(CLASS_LIST_BYTES, changes, cut), ".xlsx"))


@SETTINGS
@given(st.sampled_from(sorted(CLASS_LIST)), flips, cuts)
def test_a_damaged_part_inside_a_class_list_is_read_or_refused(part: str, changes: list[tuple[int, int]],
                                                               cut: int | None) -> None:
    parts = {**CLASS_LIST, part: _mutate(CLASS_LIST[part], changes, cut)}
    read_class_list(_write(_zip(parts), ".xlsx"))


cell_values = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**12, 10**12),
                        st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                        st.dates(), st.datetimes())


@SETTINGS
@given(st.lists(st.lists(cell_values, max_size=10), max_size=12))
def test_any_cells_under_a_real_header_are_read(rows: list[list[Any]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(SIMPLE_HEADER))
    for row in rows:
        try:
            ws.append(row)
        except IllegalCharacterError:  # openpyxl refuses control characters itself
            continue
    out = io.BytesIO()
    wb.save(out)
    read_class_list(_write(out.getvalue(), ".xlsx"))


# ---------------------------------------------------------------------------------------------- text, .xls


@SETTINGS
@given(st.binary(max_size=3000))
@example(b"\xff\xfe")
@example(b"\xfe\xff\x00")
@example(b"\xef\xbb\xbf")
def test_any_bytes_as_csv_are_read_or_refused(data: bytes) -> None:
    read_class_list(_write(data, ".csv"))


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=30), max_size=10), max_size=15), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_text_table_is_read(rows: list[list[str]], delimiter: str, encoding: str) -> None:
    import csv

    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(SIMPLE_HEADER)
    writer.writerows(rows)
    try:
        data = text.getvalue().encode(encoding)
    except UnicodeEncodeError:  # lone surrogates cannot be written by anybody
        return
    table = read_class_list(_write(data, ".txt"))
    if table is not None:
        assert all(c.value is None or isinstance(c.value, str) for r in table.sheets[0].rows for c in r)


@SETTINGS
@given(flips, cuts)
def test_a_damaged_xls_is_read_or_refused(changes: list[tuple[int, int]], cut: int | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    good = write_xls(folder / "a.xls", [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(3)]])
    read_class_list(_write(_mutate(good.read_bytes(), changes, cut), ".xls"))


# ---------------------------------------------------------------------------------------------- returns


@SETTINGS
@given(flips, cuts)
def test_a_damaged_return_is_read_or_refused(changes: list[tuple[int, int]], cut: int | None) -> None:
    read_return(_write(_mutate(RETURN_BYTES, changes, cut), ".xlsx"))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=4),
                           max_leaves=12)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["organisation", "ceremony", "student", "event", "later_kind"]),
                          json_values | st.text(max_size=50)), max_size=8))
def test_any_records_in_a_return_are_read_or_refused(records: list[tuple[str, Any]]) -> None:
    parts = {k: v for k, v in mh.return_parts(
        [(kind, value if isinstance(value, str) else json.dumps(value)) for kind, value in records]).items()
        if isinstance(v, bytes)}
    payload = read_return(_write(_zip(parts), ".xlsx"))
    if payload is not None:
        assert all(isinstance(r, dict) for r in payload.students + payload.events)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------- legacy text


@SETTINGS
@given(st.lists(viet_name, min_size=1, max_size=6), st.sampled_from([("tcvn3", ".VnTime"), ("vni", "VNI-Times")]))
def test_legacy_encoded_names_in_a_file_read_back_as_unicode(names: list[str],
                                                             encoding_font: tuple[str, str]) -> None:
    encoding, font = encoding_font
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Giới tính"])
    for r, name in enumerate(names, start=2):
        cell = ws.cell(r, 1, legacy.from_unicode(name, encoding))
        cell.font = Font(name=font)
        ws.cell(r, 2, "Nam")
    out = io.BytesIO()
    wb.save(out)
    table = cl.read_table(_write(out.getvalue(), ".xlsx"))
    read = [cl.cell_text(row[0]) for row in table.sheets[0].rows[1:]]
    expected = [unicodedata.normalize("NFC", n) for n in names]
    if encoding == "tcvn3":  # TCVN3 has no toned capitals: .VnTime shows them in lowercase (see legacy.py)
        expected = ["".join(ch.lower() if ch.isupper() and _TONES & set(unicodedata.normalize("NFD", ch)) else ch
                            for ch in n) for n in expected]
    assert read == expected


@SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40),
       st.sampled_from([".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman", None]))
def test_any_latin_text_in_any_font_is_read_as_text(text: str, font: str | None) -> None:
    value = cl.cell_text(cl.Cell(text, font))
    assert isinstance(value, str)
    assert unicodedata.is_normalized("NFC", value)

"""Every limit of readers/limits.py: a file at the limit is read, one past it is refused with the limit's code.

Small limits stand in for the real ones (the same checks, without writing hundreds of megabytes); the
hostile corpus (test_hostile_corpus.py) runs the real limits against real bombs.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from classlist_files import SIMPLE_HEADER, simple_row, student, write_csv, write_xls, write_xlsx

from lamha_desktop import catalogue
from lamha_desktop.readers import class_list as cl
from lamha_desktop.readers import limits as lim
from lamha_desktop.readers import return_reader

SMALL = lim.Limits(file_bytes=200_000, xls_bytes=200_000, text_bytes=20_000, zip_parts=20, unpacked_bytes=300_000,
                   ratio=50, ratio_from_bytes=20_000, xml_elements=5_000, rows=100, columns=12, cell_chars=200,
                   part_text_chars=5_000, text_chars=100_000, line_chars=1_000)


def refused(path: Path, limits: lim.Limits = SMALL) -> cl.ImportFileError:
    with pytest.raises(cl.ImportFileError) as exc:
        cl.read_table(path, limits=limits)
    return exc.value


def class_list(tmp_path: Path, n: int, *, name: str = "lop.xlsx", extra: list[list[Any]] | None = None) -> Path:
    rows = [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(n)], *(extra or [])]
    return write_xlsx(tmp_path / name, rows)


def one_line_naming(error: cl.ImportFileError, *numbers: str) -> str:
    text = catalogue.text(error.code, error.params)
    assert "\n" not in text
    assert "{" not in text
    assert error.code in catalogue.MESSAGES
    for n in numbers:
        assert n in text
    return text


# ---------------------------------------------------------------------------------------------- defaults


def test_the_defaults_are_the_documented_ones() -> None:
    d = lim.LIMITS
    assert (d.file_bytes, d.unpacked_bytes, d.rows, d.cell_chars) == (50 * lim.MB, 200 * lim.MB, 100_000, 32_767)
    assert (d.zip_parts, d.ratio, d.xml_elements, d.columns, d.line_chars) == (1_000, 250, 1_000_000, 256, 100_000)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "safety.md").read_text(encoding="utf-8")
    for f in dataclasses.fields(lim.Limits):
        assert f"`{f.name}`" in doc, f"docs/safety.md does not list {f.name}"
        assert f"``{f.name}``" in lim.__doc__, f"the module docstring does not list {f.name}"


def test_openpyxl_parses_with_defusedxml() -> None:
    import defusedxml  # noqa: F401  (a dependency of the application, not only of the tests)
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


def test_numbers_and_sizes_are_written_the_vietnamese_way() -> None:
    assert lim.number_text(100_000) == "100.000"
    assert lim.size_text(200 * lim.MB) == "200 MB"
    assert lim.size_text(1_258_291_332) == "1,2 GB"
    assert lim.size_text(512) == "512 byte"
    assert lim.one_line("a\n  b\tc" + "x" * 300, 20) == "a b c" + "x" * 14 + "…"


# ---------------------------------------------------------------------------------------------- .xlsx


def test_a_normal_class_list_passes_the_small_limits(tmp_path: Path) -> None:
    table = cl.read_table(class_list(tmp_path, 20), limits=SMALL)
    assert len(table.sheets[0].rows) == 21


def test_file_size(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2)
    size = path.stat().st_size
    assert cl.read_table(path, limits=dataclasses.replace(SMALL, file_bytes=size))
    err = refused(path, dataclasses.replace(SMALL, file_bytes=size - 1))
    assert err.code == "limit.file_size"
    one_line_naming(err, str(path))


def test_number_of_parts_read_from_the_end_record(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2)
    with zipfile.ZipFile(path) as z:
        parts = len(z.infolist())
    assert cl.read_table(path, limits=dataclasses.replace(SMALL, zip_parts=parts))
    err = refused(path, dataclasses.replace(SMALL, zip_parts=parts - 1))
    assert err.code == "limit.zip_parts"
    one_line_naming(err, str(parts))


def test_number_of_parts_is_known_before_the_directory_is_read(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = class_list(tmp_path, 2)
    opened: list[object] = []
    monkeypatch.setattr(lim.zipfile, "ZipFile", lambda *a, **k: opened.append(a))
    assert refused(path, dataclasses.replace(SMALL, zip_parts=3)).code == "limit.zip_parts"
    assert opened == []  # refused from the end record alone


def test_a_directory_too_large_for_its_parts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long_names.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(5):
            z.writestr("x" * 5000 + str(i), b"")
    assert refused(path, dataclasses.replace(SMALL, zip_parts=5)).code == "limit.zip_parts"


def test_total_uncompressed_size(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2)
    with zipfile.ZipFile(path) as z:
        total = sum(i.file_size for i in z.infolist())
    assert cl.read_table(path, limits=dataclasses.replace(SMALL, unpacked_bytes=total))
    err = refused(path, dataclasses.replace(SMALL, unpacked_bytes=total - 1))
    assert err.code == "limit.unpacked_bytes"


def _with_part(src: Path, dest: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            b.writestr(info, a.read(info))
        b.writestr(name, data)
    return dest


def test_compression_ratio_of_a_large_part(tmp_path: Path) -> None:
    base = class_list(tmp_path, 2)
    dense = _with_part(base, tmp_path / "dense.xlsx", "customXml/item1.xml", b"<a>" + b"x" * 60_000 + b"</a>")
    err = refused(dense, dataclasses.replace(SMALL, part_text_chars=100_000))
    assert err.code == "limit.ratio"
    assert err.params["part"] == "customXml/item1.xml"
    # the same ratio in a part under ratio_from_bytes is nobody's business
    small = _with_part(base, tmp_path / "small.xlsx", "customXml/item1.xml", b"<a>" + b"x" * 15_000 + b"</a>")
    assert cl.read_table(small, limits=dataclasses.replace(SMALL, part_text_chars=100_000))


@pytest.mark.parametrize(("part", "old", "new"), [
    ("xl/workbook.xml", b"<workbook", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><workbook'),
    ("xl/styles.xml", b"<styleSheet", b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><styleSheet'),
    ("[Content_Types].xml", b"<Types", b"<!DOCTYPE t><Types"),
])
def test_any_dtd_is_refused(tmp_path: Path, part: str, old: bytes, new: bytes) -> None:
    src = class_list(tmp_path, 2)
    dest = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dest, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            b.writestr(info, data.replace(old, new, 1) if info.filename == part else data)
    err = refused(dest, lim.LIMITS)
    assert err.code == "limit.xml_dtd"
    assert err.params["part"] == part


def test_xml_elements(tmp_path: Path) -> None:
    path = class_list(tmp_path, 60)
    scan = lim.scan_package(path, SMALL)
    assert lim.scan_package(path, dataclasses.replace(SMALL, xml_elements=scan.elements)).elements == scan.elements
    err = refused(path, dataclasses.replace(SMALL, xml_elements=scan.elements - 1))
    assert err.code == "limit.xml_elements"


def test_rows_counted_in_the_xml_before_parsing(tmp_path: Path) -> None:
    path = class_list(tmp_path, 99)  # the header and 99 students: 100 rows
    assert len(cl.read_table(path, limits=SMALL).sheets[0].rows) == 100
    err = refused(class_list(tmp_path, 100, name="b.xlsx"))
    assert err.code == "limit.rows"
    assert err.params["sheet"] == "Sheet1"  # the sheet's name, not its part's
    one_line_naming(err, "100", "Sheet1")


def test_rows_counted_while_reading_a_sheet_with_a_gap(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(SIMPLE_HEADER))
    ws.cell(150, 1, "x")  # two row elements, the second on row 150
    path = tmp_path / "gap.xlsx"
    wb.save(path)
    assert lim.scan_package(path, SMALL).rows == 2
    err = refused(path)
    assert err.code == "limit.rows"


def test_columns(tmp_path: Path) -> None:
    assert cl.read_table(class_list(tmp_path, 2, extra=[[None] * 11 + ["x"]]), limits=SMALL)
    err = refused(class_list(tmp_path, 2, name="b.xlsx", extra=[[None] * 12 + ["x"]]))
    assert err.code == "limit.columns"
    one_line_naming(err, "13", "12")


def test_cell_length_in_the_scan_and_while_reading(tmp_path: Path) -> None:
    at_limit = class_list(tmp_path, 2, extra=[[3, "A" * 200]])
    assert cl.read_table(at_limit, limits=SMALL)
    # in the shared strings: the scan sees it
    err = refused(class_list(tmp_path, 2, name="b.xlsx", extra=[[3, "A" * 201]]))
    assert err.code == "limit.text_run"
    # a rich-text string split in runs under the limit each: the reader sees the whole
    wb = openpyxl.Workbook()
    wb.active.append(list(SIMPLE_HEADER))
    path = tmp_path / "runs.xlsx"
    wb.save(path)
    runs = "".join(f"<r><t>{'B' * 150}</t></r>" for _ in range(2))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", f'<row r="2"><c r="B2" t="inlineStr"><is>{runs}</is></c></row></sheetData>'.encode())
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    err = refused(path, dataclasses.replace(SMALL, cell_chars=250))
    assert err.code in ("limit.text_run", "limit.cell_chars")


def test_text_of_a_part_without_cells(tmp_path: Path) -> None:
    base = class_list(tmp_path, 2)
    path = _with_part(base, tmp_path / "c.xlsx", "docProps/custom.xml", b"<p>" + b"x" * 5_001 + b"</p>")
    err = refused(path, dataclasses.replace(SMALL, ratio=10_000))
    assert err.code == "limit.text_run"
    assert err.params["part"] == "docProps/custom.xml"


def test_total_text(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2, extra=[[i, f"{i} " + "y" * 150] for i in range(40)])
    err = refused(path, dataclasses.replace(SMALL, text_chars=5_000))
    assert err.code == "limit.text_chars"


def test_xml_that_is_not_well_formed_names_the_part(tmp_path: Path) -> None:
    src = class_list(tmp_path, 2)
    dest = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dest, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            b.writestr(info, data[: len(data) - 40] if info.filename == "xl/styles.xml" else data)
    err = refused(dest)
    assert err.code == "file.damaged"
    assert err.params["part"] == "xl/styles.xml"
    one_line_naming(err, "xl/styles.xml")


# ---------------------------------------------------------------------------------------------- .xls, .csv


def test_xls_size_rows_columns_and_cells(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "a.xls", [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(5)]])
    assert cl.read_table(path, limits=SMALL)
    assert refused(path, dataclasses.replace(SMALL, xls_bytes=path.stat().st_size - 1)).code == "limit.file_size"
    assert refused(path, dataclasses.replace(SMALL, rows=5)).code == "limit.rows"
    assert refused(path, dataclasses.replace(SMALL, columns=8)).code == "limit.columns"
    err = refused(path, dataclasses.replace(SMALL, cell_chars=20))
    assert err.code == "limit.cell_chars"
    assert err.params["cell"] == "I2"  # the first address, the first text longer than 20 characters


def test_xls_one_cell_far_away_does_not_pad_every_row(tmp_path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for c, v in enumerate(SIMPLE_HEADER):
        ws.write(0, c, v)
    ws.write(60_000, 255, "x")
    path = tmp_path / "far.xls"
    wb.save(str(path))
    rows = cl.read_table(path).sheets[0].rows
    assert len(rows) == 60_001
    assert (len(rows[0]), len(rows[1]), len(rows[60_000])) == (len(SIMPLE_HEADER), 0, 256)
    assert refused(path, dataclasses.replace(SMALL, columns=255)).code == "limit.rows"  # rows come first
    assert refused(path, dataclasses.replace(SMALL, rows=100_000, columns=255)).code == "limit.columns"


def test_csv_size_lines_rows_columns_and_fields(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(5)]])
    assert cl.read_table(path, limits=SMALL)
    assert refused(path, dataclasses.replace(SMALL, text_bytes=path.stat().st_size - 1)).code == "limit.file_size"
    assert refused(path, dataclasses.replace(SMALL, rows=5)).code == "limit.rows"
    assert refused(path, dataclasses.replace(SMALL, columns=8)).code == "limit.columns"
    err = refused(path, dataclasses.replace(SMALL, line_chars=50))
    assert err.code == "limit.line_chars"
    one_line_naming(err, "50")
    err = refused(path, dataclasses.replace(SMALL, cell_chars=20))
    assert (err.code, err.params["cell"]) == ("limit.cell_chars", "I2")


def test_csv_field_over_many_lines(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(",".join(SIMPLE_HEADER) + '\n1,"' + ("x" * 90 + "\n") * 2_000 + '",a\n', encoding="utf-8")
    err = refused(path, dataclasses.replace(SMALL, text_bytes=1_000_000, line_chars=1_000, rows=100_000))
    assert err.code == "limit.csv_field"
    assert csv.field_size_limit() == 131_072  # the module's limit is left as it is


# ---------------------------------------------------------------------------------------------- returns


def test_the_return_reader_checks_the_same_limits(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2)
    with pytest.raises(return_reader.ReadError) as exc:
        return_reader.read_return(path, limits=dataclasses.replace(SMALL, unpacked_bytes=100))
    assert exc.value.code == "limit.unpacked_bytes"
    with pytest.raises(return_reader.ReadError) as exc:
        return_reader.read_return(path)
    assert exc.value.code == "return.not_a_return"


def test_row_guard_counts_rows_over_sheets() -> None:
    guard = lim.RowGuard(Path("x.xlsx"), dataclasses.replace(SMALL, rows=3))
    for n in (1, 2):
        guard.row("A", n, 1)
    guard.row("B", 1, 1)
    with pytest.raises(lim.FileRefused) as exc:
        guard.row("B", 2, 1)
    assert exc.value.params["sheet"] == "B"


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_a_memory_error_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     reader: str) -> None:
    import python_calamine

    def out_of_memory(*_a: object, **_k: object) -> None:
        raise MemoryError

    def unreadable(*_a: object, **_k: object) -> None:
        raise python_calamine.CalamineError("test")

    # The fast reader runs out of memory; or it cannot read the file and openpyxl, which then reads it, does.
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path",
                        out_of_memory if reader == "calamine" else unreadable)
    if reader == "openpyxl":
        monkeypatch.setattr(openpyxl, "load_workbook", out_of_memory)
    err = refused(class_list(tmp_path, 2), lim.LIMITS)
    assert err.code == "limit.memory"


def test_check_lines_counts_cr_only_lines_of_old_mac_files() -> None:
    lim.check_lines("a\r" * 500 + "b", path=Path("x.csv"), limits=dataclasses.replace(SMALL, rows=501))
    with pytest.raises(lim.FileRefused):
        lim.check_lines("a\r" * 501 + "b", path=Path("x.csv"), limits=dataclasses.replace(SMALL, rows=501))


def test_check_lines_counts_the_last_line_without_newline() -> None:
    lim.check_lines("a\nb", path=Path("x.csv"), limits=dataclasses.replace(SMALL, rows=2))
    with pytest.raises(lim.FileRefused):
        lim.check_lines("a\nb\nc", path=Path("x.csv"), limits=dataclasses.replace(SMALL, rows=2))
    with pytest.raises(lim.FileRefused):
        lim.check_lines("ab\n" + "c" * 1_001, path=Path("x.csv"), limits=SMALL)
    lim.check_lines(io.StringIO("x" * 1_000).getvalue(), path=Path("x.csv"), limits=SMALL)


def test_a_part_declaring_an_unknown_encoding_is_damaged(tmp_path: Path) -> None:
    src = class_list(tmp_path, 2)
    dest = tmp_path / "enc.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dest, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<?xml version="1.0" encoding="U-F-8"?>' + data.split(b"?>", 1)[-1]
            b.writestr(info, data)
    err = refused(dest, lim.LIMITS)
    assert (err.code, err.params["part"]) == ("file.damaged", "xl/workbook.xml")


def test_a_zip_needing_a_newer_zip_version_is_invalid(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")  # the first entry of the directory: "version needed to extract"
    data[at + 6] = 64
    path.write_bytes(bytes(data))
    err = refused(path, lim.LIMITS)
    assert err.code == "file.invalid"
    assert "6.4" in err.params["detail"]


@pytest.mark.parametrize("name", ["billion_laughs_workbook.xlsx", "billion_laughs_strings.xlsx"])
def test_openpyxl_alone_refuses_a_billion_laughs_part(name: str) -> None:
    """The second line of defence: a part the scan never saw still cannot expand entities in openpyxl.

    openpyxl streams sheets and shared strings through defusedxml's iterparse; other parts go through
    defusedxml's fromstring, or lxml's with entities unresolved when lxml is installed (python-docx brings it),
    whose parser stops the expansion itself.
    """
    import time

    from defusedxml import EntitiesForbidden
    from hostile import make_hostile

    refusals: tuple[type[BaseException], ...] = (EntitiesForbidden,)
    try:
        from lxml.etree import XMLSyntaxError

        refusals += (XMLSyntaxError,)
    except ImportError:  # pragma: no cover - lxml is optional for openpyxl
        pass
    start = time.monotonic()
    with pytest.raises((ValueError, *refusals)) as exc:  # workbook and shared strings are read on loading
        openpyxl.load_workbook(make_hostile.CORPUS / name, read_only=True)
    # openpyxl wraps what defusedxml raises in a ValueError ("invalid XML"); lxml's error comes as it is
    cause = exc.value if isinstance(exc.value, refusals) else exc.value.__cause__
    assert isinstance(cause, refusals), repr(exc.value)
    assert "entit" in str(cause).lower() or isinstance(cause, EntitiesForbidden)
    assert time.monotonic() - start < 10


def test_a_part_without_a_name_is_invalid(tmp_path: Path) -> None:
    path = class_list(tmp_path, 2)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")  # the first entry of the directory: its name's length, then the name
    length = int.from_bytes(data[at + 28:at + 30], "little")
    data[at + 28:at + 30] = (0).to_bytes(2, "little")
    del data[at + 46:at + 46 + length]
    end = data.find(b"PK\x05\x06")
    size = int.from_bytes(data[end + 12:end + 16], "little")
    data[end + 12:end + 16] = (size - length).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    err = refused(path, lim.LIMITS)
    assert err.code == "file.invalid"


@pytest.mark.parametrize(("read", "error"), [(cl.read_table, cl.ImportFileError),
                                             (return_reader.read_return, return_reader.ReadError)])
def test_a_workbook_openpyxl_cannot_load_leaves_no_file_open(tmp_path: Path, read: Any, error: Any) -> None:
    """A sheet part that does not start like XML passes the scan (only XML is scanned) and makes openpyxl fail
    half-way through loading, which leaves openpyxl's own file open: the readers hand it their own handle."""
    import gc
    import warnings

    from hostile import make_hostile

    parts = make_hostile.class_list_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    path = make_hostile.write_zip(tmp_path / "f.xlsx", {**parts, "xl/worksheets/sheet1.xml": sheet[1:]})

    def refusal() -> str:  # the code only: a kept traceback would keep openpyxl's objects (and file) alive
        try:
            read(path)
        except error as exc:
            return str(exc.code)
        return "read"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = refusal()
        gc.collect()
    assert code == "file.invalid"
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []

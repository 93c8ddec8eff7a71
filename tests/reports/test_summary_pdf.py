"""The printed summary: HTML from the reports layer, a real A4 PDF from ui/printing, checked with poppler."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop.reports import summary_html
from lamha_desktop.storage import report_data

D = dt.date
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def demo_data(demo_db: Path) -> report_data.ReturnData:
    return report_data.collect(report_data.period_from_settings("2024-H1"), report_date=D(2024, 7, 3),
                               with_payload=False)


def _pages(out: Path) -> list[str]:
    """The text of each page of a PDF, as poppler lays it out."""
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", str(out), "-"],
                           capture_output=True, text=True, check=True).stdout for p in range(1, count + 1)]


def test_user_text_is_escaped_in_html_and_printed_as_written_in_the_list(
        demo_data: report_data.ReturnData, tmp_path: Path, qapp: Any) -> None:
    import dataclasses

    from lamha_desktop.reports.printable import Rows
    from lamha_desktop.ui import printing

    org = dataclasses.replace(demo_data.organisations[0], name="<i>Chi bộ</i> & Co")
    student = dataclasses.replace(demo_data.students[0], full_name="<b>Tên</b> & Co")
    summary = summary_html.build(dataclasses.replace(demo_data, organisations=[org, *demo_data.organisations[1:]],
                                                     students=[student]))
    html = "".join(b for b in summary.blocks if isinstance(b, str))
    assert "&lt;i&gt;Chi bộ&lt;/i&gt; &amp; Co" in html
    assert "<i>Chi bộ</i>" not in html
    (rows,) = [b for b in summary.blocks if isinstance(b, Rows)]
    assert rows.rows[0][1] == "<b>Tên</b> & Co"  # list cells are plain text, never read as HTML
    out = tmp_path / "s.pdf"
    printing.write_pdf(summary, out)
    flat = " ".join(" ".join(_pages(out)).split())
    assert "<b>Tên</b> & Co" in flat
    assert "<i>Chi bộ</i> & Co" in flat


def test_pdf_text_is_extractable_vietnamese(demo_data: report_data.ReturnData, tmp_path: Path, qapp: Any) -> None:
    from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

    from lamha_desktop.ui import printing

    assert QFontDatabase.families(), "no font installed: every glyph would be a box"
    assert QFontInfo(QFont(printing.FONT_FAMILY)).family() in ("Times New Roman", "Liberation Serif")
    out = tmp_path / "summary.pdf"
    printing.write_pdf(summary_html.build(demo_data), out, title="Báo cáo sơ kết")
    assert out.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "595 x 842 pts (A4)" in info  # portrait
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for expected in ("HUYỆN ỦY LÂM HÀ", "ĐẢNG CỘNG SẢN VIỆT NAM", "Lâm Hà, ngày 03 tháng 7 năm 2024", "BÁO CÁO",
                     "6 tháng đầu năm 2024", "I. Kết quả chung", "II. Thực hiện chỉ tiêu kết nạp năm 2024",
                     "5/5 tổ chức đạt chỉ tiêu", "Biểu đồ", "III. Danh sách học sinh", "(14 học sinh)",
                     "Nguyễn Văn Hòa", "BÍ THƯ", f"Trang 1/{pages}", f"Trang {pages}/{pages}"):
        assert expected in flat, expected
    for s in demo_data.students:
        assert s.full_name in flat, s.full_name
    # page 1 as an image, for a person to look at (tests/reports output is kept in tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 20_000


def test_render_paints_on_a_printer(demo_data: report_data.ReturnData, tmp_path: Path, qapp: Any) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from lamha_desktop.ui import printing

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    pages = printing.render(summary_html.build(demo_data), printer)
    assert pages >= 2
    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def _pdf_words(html: str, out: Path) -> list[str]:
    """The words of a PDF written by the application, each as poppler finds it on the page."""
    import re
    from html import unescape

    from lamha_desktop.ui import printing

    printing.write_pdf(html, out, title="t")
    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return [unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", boxes)]


def test_column_headers_never_break_inside_a_word(demo_data: report_data.ReturnData, tmp_path: Path,
                                                  qapp: Any) -> None:
    """Each word of every header is printed whole ("Nguồn", never "Nguồ" then "n")."""
    words = _pdf_words(summary_html.build(demo_data), tmp_path / "s.pdf")
    labels = [w for _key, lines in summary_html._TOTAL_COLUMNS for line in lines for w in line.split()]
    labels += ["Tổ", "chức", "cơ", "sở", "đảng", "Kết", "nạp", "trong", "kỳ", "Đã", "kết", "nạp", "Giới", "tính",
               "Dân", "tộc", "Quyết", "định", "Ngày"]
    missing = sorted({w for w in labels if w not in words})
    assert missing == []
    assert "Nguồ" not in words


@pytest.mark.parametrize(("period", "title"), [
    ("2024-H1", "Sơ kết kết nạp đảng viên là học sinh trung học phổ thông 6 tháng đầu năm 2024"),
    ("2024-H2", "Kết quả kết nạp đảng viên là học sinh trung học phổ thông 6 tháng cuối năm 2024"),
    ("2024", "Tổng kết kết nạp đảng viên là học sinh trung học phổ thông năm 2024"),
])
def test_the_title_says_what_the_period_is_and_the_total_its_basis(demo_db: Path, tmp_path: Path, qapp: Any,
                                                                   period: str, title: str) -> None:
    data = report_data.collect(report_data.period_from_settings(period), report_date=D(2025, 1, 5),
                               with_payload=False)
    text = " ".join(_pdf_words(summary_html.build(data), tmp_path / "s.pdf"))
    assert title in text
    assert "Sơ kết" not in text or period.endswith("H1")
    assert "lũy kế từ ngày 14/06/2023 theo Kế hoạch số 88-KH/HU ngày 14/06/2023" in text


def test_a_long_list_repeats_its_header_keeps_rows_whole_and_fills_its_pages(
        demo_data: report_data.ReturnData, tmp_path: Path, qapp: Any) -> None:
    """250 students: each page of the list starts with its header, each row (name, decision number, decision
    date) on one page, every student once and in order, the pages full but the last, numbered through."""
    import dataclasses

    from lamha_desktop.ui import printing

    model = demo_data.students[0]
    students = [dataclasses.replace(model, candidate_id=i, full_name=f"Học Sinh Số {i:03d}", decision_no=f"{i}-QĐ/HU",
                                    decision_date=D(2023, 1, 1) + dt.timedelta(days=i)) for i in range(1, 251)]
    out = tmp_path / "long.pdf"
    printing.write_pdf(summary_html.build(dataclasses.replace(demo_data, students=students)), out)
    texts = _pages(out)
    pages = len(texts)
    flat = " ".join(" ".join(t.split()) for t in texts)
    positions = [flat.index(f"Học Sinh Số {i:03d}") for i in range(1, 251)]
    assert positions == sorted(positions)
    assert all(flat.count(f"Học Sinh Số {i:03d}") == 1 for i in range(1, 251))
    on_page = {i: next(p for p, t in enumerate(texts) if f"Học Sinh Số {i:03d}" in t) for i in range(1, 251)}
    for i, p in on_page.items():  # the whole row on the page of the name, the number on the name's line
        line = next(line for line in texts[p].splitlines() if f"Học Sinh Số {i:03d}" in line)
        assert f"{i}-QĐ/HU" in line.split()
        assert (D(2023, 1, 1) + dt.timedelta(days=i)).strftime("%d/%m/%Y") in texts[p]
    list_pages = sorted(set(on_page.values()))
    assert list_pages == list(range(list_pages[0], list_pages[-1] + 1))
    for p in list_pages:  # the header above the rows of every page of the list
        lines = [line for line in texts[p].splitlines() if line.strip()]
        first_row = next(k for k, line in enumerate(lines) if "Học Sinh Số" in line)
        header = " ".join(" ".join(lines[:first_row]).split())
        for word in ("TT", "Họ và tên", "Ngày sinh", "Tổ chức cơ sở đảng", "Quyết định"):
            assert word in header, (p, word)
    counts = [sum(1 for i in on_page if on_page[i] == p) for p in list_pages]
    assert all(n >= 20 for n in counts[1:-1]), counts  # two-line rows: no half-empty page in the middle
    for p, t in enumerate(texts, start=1):
        assert f"Trang {p}/{pages}" in " ".join(t.split())
    assert "BÍ THƯ" in " ".join(texts[-1].split())  # the signature after the list


def test_an_empty_list_says_so_under_its_header(demo_data: report_data.ReturnData, tmp_path: Path,
                                                qapp: Any) -> None:
    import dataclasses

    from lamha_desktop.ui import printing

    out = tmp_path / "empty.pdf"
    printing.write_pdf(summary_html.build(dataclasses.replace(demo_data, students=[])), out)
    flat = " ".join(" ".join(_pages(out)).split())
    assert "(0 học sinh)" in flat
    assert flat.index("Họ và tên") < flat.index("Không có học sinh được kết nạp trong kỳ.") < flat.index("BÍ THƯ")


def test_a_word_longer_than_its_cell_is_broken_inside_the_cell(demo_data: report_data.ReturnData,
                                                               tmp_path: Path, qapp: Any) -> None:
    """A decision number with nowhere to break (no space, no hyphen), wider than its column: printed whole, in
    pieces that stay left of the next column (as Qt's own tables break it), never over the admission date."""
    import dataclasses

    long_no = "QĐ0123456789BTCHU2024KN"
    student = dataclasses.replace(demo_data.students[0], decision_no=long_no, decision_date=None)
    summary = summary_html.build(dataclasses.replace(demo_data, students=[student]))
    from lamha_desktop.ui import printing

    out = tmp_path / "long_word.pdf"
    printing.write_pdf(summary, out)
    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout
    import re
    from html import unescape

    words = [(float(x0), float(x1), unescape(w)) for x0, x1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)]
    start = next(k for k, (_a, _b, w) in enumerate(words) if long_no.startswith(w) and len(w) > 3)
    pieces, joined = [], ""
    for x0, x1, w in words[start:]:
        if not long_no.startswith(joined + w):
            continue
        pieces.append((x0, x1))
        joined += w
        if joined == long_no:
            break
    assert joined == long_no
    assert len(pieces) > 1  # broken over lines
    ceremony = student.ceremony_date.strftime("%d/%m/%Y")
    date_left = next(x0 for x0, _x1, w in words if w == ceremony)
    assert max(x1 for _x0, x1 in pieces) < date_left


def test_a_document_is_laid_out_once_and_paints_as_set_html_does(demo_data: report_data.ReturnData,
                                                                  qapp: Any) -> None:
    """make_document inserts its HTML into a laid-out empty document (one layout instead of two); what it paints
    is what QTextDocument.setHtml gives, pixel for pixel, with tables taller than the 2,000 pixels after which
    Qt's lazy layout starts over (80 organisations: three tables of 80 rows)."""
    import dataclasses

    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextDocument

    from lamha_desktop.ui import printing

    model = demo_data.organisations[0]
    orgs = [dataclasses.replace(model, org_id=i, name=f"Chi bộ Trường {i}", school_name=f"Trường {i}")
            for i in range(1, 81)]
    html = summary_html.build(dataclasses.replace(demo_data, organisations=orgs)).blocks[0]
    body = QSizeF(640, 960)
    made = printing.make_document(html, body)
    plain = QTextDocument()
    plain.setDocumentMargin(0)
    plain.setDefaultFont(QFont(printing.FONT_FAMILY, 12))
    device = printing._layout_device()
    plain.documentLayout().setPaintDevice(device)
    plain.setPageSize(body)
    plain.setHtml(html)
    assert made.pageCount() == plain.pageCount() >= 5
    assert made.toPlainText() == plain.toPlainText()

    def image(doc: QTextDocument) -> QImage:
        out = QImage(640, int(doc.size().height()) + 1, QImage.Format.Format_RGB32)
        out.fill(QColor("white"))
        painter = QPainter(out)
        doc.drawContents(painter)
        painter.end()
        return out

    assert image(made) == image(plain)


def test_the_widths_of_a_list_add_up_to_the_page() -> None:
    from lamha_desktop.reports.printable import Column, Rows

    assert sum(c.width for c in summary_html.STUDENT_COLUMNS) == 100
    with pytest.raises(ValueError, match="100"):
        Rows((Column(("A",), 50), Column(("B",), 40)), [])

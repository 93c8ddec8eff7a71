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


def test_html_escapes_user_text(demo_data: report_data.ReturnData) -> None:
    import dataclasses

    student = dataclasses.replace(demo_data.students[0], full_name="<b>Tên</b> & Co")
    html = summary_html.build(dataclasses.replace(demo_data, students=[student]))
    assert "&lt;b&gt;Tên&lt;/b&gt; &amp; Co" in html
    assert "<b>Tên</b>" not in html


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


def test_a_long_list_is_printed_in_parts_each_on_new_pages(demo_data: report_data.ReturnData, tmp_path: Path,
                                                           qapp: Any) -> None:
    """250 students: three parts of the named list (100, 100, 50), each starting on a new page with the
    list's header; every student printed once, in order, numbered 1..250; pages numbered through."""
    import dataclasses

    from lamha_desktop.ui import printing

    model = demo_data.students[0]
    students = [dataclasses.replace(model, candidate_id=i, full_name=f"Học Sinh Số {i:03d}") for i in range(1, 251)]
    html = summary_html.build(dataclasses.replace(demo_data, students=students))
    assert html.count(summary_html.NEW_PAGE) == 2
    assert summary_html.NEW_PAGE == printing.NEW_PAGE
    out = tmp_path / "long.pdf"
    printing.write_pdf(html, out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", str(out), "-"],
                            capture_output=True, text=True, check=True).stdout for p in range(1, pages + 1)]
    flat = " ".join(" ".join(t.split()) for t in texts)
    positions = [flat.index(f"Học Sinh Số {i:03d}") for i in range(1, 251)]
    assert positions == sorted(positions)
    assert all(flat.count(f"Học Sinh Số {i:03d}") == 1 for i in range(1, 251))
    starts = [p for p, t in enumerate(texts) if "Học Sinh Số 101" in t or "Học Sinh Số 201" in t]
    assert len(starts) == 2
    for p in starts:  # a part starts at the top of its page, under the list's header
        lines = [line for line in texts[p].splitlines() if line.strip()]
        assert "Họ và tên" in lines[0] or "Họ và tên" in lines[1]
    for p, t in enumerate(texts, start=1):
        assert f"Trang {p}/{pages}" in " ".join(t.split())
    assert "BÍ THƯ" in " ".join(texts[-1].split())  # the signature after the last part

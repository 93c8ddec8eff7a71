"""How ui/printing lays a Printable out on A4 pages, checked on real PDFs with poppler (word positions)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop.reports.printable import Column, Printable, Rows

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

COLUMNS = (Column(("Số",), 10, centred=True), Column(("Họ và tên",), 40), Column(("Ghi chú", "dài"), 50))


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def _words(pdf: Path) -> list[list[Word]]:
    """The words of each page with their boxes (points from the top left), as poppler finds them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([Word(unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def _html(body: str) -> str:
    return f'<html><body style="font-family: \'Times New Roman\'; font-size: 12pt;">{body}</body></html>'


def _write(doc: Printable, out: Path) -> list[list[Word]]:
    from lamha_desktop.ui import printing

    printing.write_pdf(doc, out)
    return _words(out)


def _rows(n: int) -> list[tuple[str, ...]]:
    """Rows of one to four lines (a long note wraps), so that page breaks fall at different heights."""
    return [(str(i), f"Người Thứ {i}", " ".join(["ghi chú"] * (1 + (i * 7) % 23))) for i in range(1, n + 1)]


def test_rows_fill_each_page_down_to_the_footer_but_never_into_it(tmp_path: Path, qapp: Any) -> None:
    pages = _write(Printable((Rows(COLUMNS, _rows(300), title=_html("<p><b>Danh sách</b></p>")),)),
                   tmp_path / "rows.pdf")
    assert len(pages) >= 5
    seen: list[int] = []
    for number, words in enumerate(pages, start=1):
        footer = [w for w in words if w.text == "Trang"]
        assert len(footer) == 1
        assert f"{number}/{len(pages)}" in [w.text for w in words]
        body = [w for w in words if w.y0 < footer[0].y0 - 1]
        assert max(w.y1 for w in body) < footer[0].y0  # nothing printed over the page number
        names = [w for w in body if w.text == "Người"]
        head = [w for w in body if w.text == "Họ"]
        assert len(head) == 1
        assert head[0].y1 < min(w.y0 for w in names)  # the header above the first row of every page
        seen += [int(w.text) for w in body if w.text.isdigit() and w.x1 < min(w.x0 for w in names)]
        if number < len(pages):  # full: the next row would not have fitted
            assert footer[0].y0 - max(w.y1 for w in body) < 80
    assert seen == list(range(1, 301))  # each row once, in order, none cut between two pages


def test_a_list_title_is_never_left_alone_at_the_bottom_of_a_page(tmp_path: Path, qapp: Any) -> None:
    """A page filled by HTML down to a few lines above its end: the list's title goes to the next page with the
    header and the first row; a signature that fits under the list follows it on the same page."""
    from PySide6.QtCore import QSizeF

    from lamha_desktop.ui import printing

    layout = printing.a4_layout().paintRect(printing.QPageLayout.Unit.Millimeter)
    body = QSizeF(layout.width() * 96 / 25.4, (layout.height() - printing.FOOTER_MM) * 96 / 25.4)
    lines = 1
    while printing.make_document(_html('<p style="margin:0;">dòng</p>' * (lines + 1)), body).size().height() \
            < body.height() - 30:
        lines += 1
    front = _html('<p style="margin:0;">dòng</p>' * lines)
    assert printing.make_document(front, body).pageCount() == 1
    doc = Printable((front, Rows(COLUMNS, _rows(3), title=_html("<p><b>Danh sách kèm theo</b></p>")),
                     _html("<p>Người ký tên</p>")))
    pages = _write(doc, tmp_path / "title.pdf")
    assert len(pages) == 2
    texts = [" ".join(w.text for w in words) for words in pages]
    assert "Danh sách kèm theo" not in texts[0]
    assert texts[1].index("Danh sách kèm theo") < texts[1].index("Họ và tên") < texts[1].index("Người Thứ 1")
    assert texts[1].index("Người Thứ 3") < texts[1].index("Người ký tên")


def test_html_that_does_not_fit_under_a_list_starts_a_new_page(tmp_path: Path, qapp: Any) -> None:
    tall = _html("".join(f'<p style="margin:0;">Đoạn {i}</p>' for i in range(40)))
    pages = _write(Printable((Rows(COLUMNS, _rows(40)), tall)), tmp_path / "tall.pdf")
    texts = [" ".join(w.text for w in words) for words in pages]
    starts = [p for p, t in enumerate(texts) if "Đoạn 0" in t]
    assert len(starts) == 1
    assert "Người Thứ 40" in texts[starts[0] - 1]
    assert "Người Thứ" not in texts[starts[0]]
    flat = " ".join(texts)
    assert all(f"Đoạn {i} " in flat + " " for i in range(40))


def test_the_preview_printer_lays_the_list_out_too(tmp_path: Path, qapp: Any) -> None:
    """The preview's QPrinter (another resolution than the PDF writer's): the same rows, whole, numbered."""
    from PySide6.QtPrintSupport import QPrinter

    from lamha_desktop.ui import printing

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    count = printing.render(Printable((Rows(COLUMNS, _rows(120)),)), printer)
    pages = _words(tmp_path / "p.pdf")
    assert len(pages) == count >= 2
    numbers = []
    for words in pages:
        head = next(w for w in words if w.text == "Họ")
        left = min(w.x0 for w in words if w.text == "Người")
        numbers += [int(w.text) for w in words if w.text.isdigit() and w.x1 < left and w.y0 > head.y1]
    assert numbers == list(range(1, 121))

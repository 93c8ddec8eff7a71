"""Printing HTML documents: A4 pages through QTextDocument, to a PDF file or a printer, with a preview.

The document is laid out at 96 dpi on the page's printable area (minus a footer line for the page number)
and painted page by page, scaled to the device, so the same code feeds a ``QPdfWriter`` and the preview's
``QPrinter``. Text stays text in the PDF (extractable); Times New Roman is asked for, and on Linux
fontconfig gives its metric twin Liberation Serif (fonts-liberation2), which carries the Vietnamese letters.

Only QtGui is needed to write a PDF (no widgets), so the headless ``summary-pdf`` command can use it with a
QGuiApplication on the offscreen platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from lamha_desktop.reports.files import write_atomic

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

__all__ = ["a4_layout", "make_document", "pdf_bytes", "preview_dialog", "render", "write_pdf"]

LAYOUT_DPI = 96.0
MARGINS_MM = QMarginsF(25, 18, 15, 15)  # left, top, right, bottom (36-HD/VPTW: left margin the widest)
FOOTER_MM = 8.0
FONT_FAMILY = "Times New Roman"


def a4_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


def _layout_device() -> QImage:
    """A 96-dpi paint device for the text layout, independent of the screen."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    dpm = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    return image


def make_document(html: str, body: QSizeF) -> QTextDocument:
    """``html`` laid out on pages of ``body`` (in 96-dpi units)."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(QFont(FONT_FAMILY, 12))
    # The device and the page size before the text: set after it, each laid the whole text out again (three
    # layouts of every part of a long summary instead of one).
    device = _layout_device()
    doc.documentLayout().setPaintDevice(device)
    doc._layout_device = device  # type: ignore[attr-defined]
    doc.setPageSize(body)
    doc.setHtml(html)
    return doc


# Where a document made of several parts starts a new part on a new page (reports.summary_html.NEW_PAGE).
NEW_PAGE = "<!-- new page -->"


def render(html: str, device: QPagedPaintDevice, *, set_layout: bool = True) -> int:
    """Paint ``html`` on ``device`` (a QPdfWriter or QPrinter) as A4 portrait pages; return the page count.

    ``html`` may hold several documents joined by :data:`NEW_PAGE`: each is laid out by itself and starts on
    a new page, so a long report costs each page once instead of the whole document again for every page."""
    if set_layout:
        device.setPageLayout(a4_layout())
    layout = device.pageLayout()
    paint_mm = layout.paintRect(QPageLayout.Unit.Millimeter)
    to_layout = LAYOUT_DPI / 25.4
    body = QSizeF(paint_mm.width() * to_layout, (paint_mm.height() - FOOTER_MM) * to_layout)
    docs = [make_document(part, body) for part in html.split(NEW_PAGE)]
    sheets = [(doc, page) for doc in docs for page in range(max(1, doc.pageCount()))]
    pages = len(sheets)
    sx = device.logicalDpiX() / LAYOUT_DPI
    sy = device.logicalDpiY() / LAYOUT_DPI
    painter = QPainter(device)
    try:
        footer_font = QFont(FONT_FAMILY, 10)
        for number, (doc, page) in enumerate(sheets):
            if number:
                device.newPage()
            painter.save()
            painter.scale(sx, sy)
            painter.translate(0, -page * body.height())
            doc.drawContents(painter, QRectF(0, page * body.height(), body.width(), body.height()))
            painter.restore()
            painter.save()
            painter.setFont(footer_font)
            footer = QRectF(0, body.height() * sy, body.width() * sx, FOOTER_MM * to_layout * sy)
            painter.drawText(footer, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"Trang {number + 1}/{pages}")
            painter.restore()
    finally:
        painter.end()
    return pages


def pdf_bytes(html: str, *, title: str = "") -> bytes:
    """The PDF of ``html`` as bytes (A4 portrait)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(600)
    writer.setCreator("lamha_desktop")
    if title:
        writer.setTitle(title)
    render(html, writer)
    del writer
    buffer.close()
    return bytes(data.data())


def write_pdf(html: str, path: Path, *, title: str = "") -> None:
    """Write the PDF of ``html`` to ``path`` atomically (raises excel_return.ExportError)."""
    write_atomic(Path(path), pdf_bytes(html, title=title))


def preview_dialog(html: str, parent: QWidget | None = None, *, title: str = "") -> QPrintPreviewDialog:
    """A print preview of ``html`` (A4 portrait). The dialog keeps its printer alive (``dialog.printer``)."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(a4_layout())
    if title:
        printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer = printer  # type: ignore[attr-defined]  # a temporary QPrinter would crash the preview
    dialog.setWindowTitle(title or "Xem trước khi in")

    def paint(p: QPrinter) -> None:
        render(html, p, set_layout=False)

    dialog.paintRequested.connect(paint)
    dialog.resize(1000, 800)
    return dialog

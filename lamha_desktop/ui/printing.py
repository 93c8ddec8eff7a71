"""Printing reports: A4 pages through QTextDocument and QPainter, to a PDF file or a printer, with a preview.

A report is a ``reports.printable.Printable``: HTML blocks and long lists (``Rows``) one after the other. HTML is
laid out at 96 dpi on the page's printable area (minus a footer line for the page number) and painted page by
page, scaled to the device, so the same code feeds a ``QPdfWriter`` and the preview's ``QPrinter``. A list is
laid out here, row by row (``_List``): Qt's layout of a table of thousands of rows, and the painting of its
collapsed borders, took most of a province's summary (``docs/performance.md``). Text stays text in the PDF
(extractable); Times New Roman is asked for, and on Linux fontconfig gives its metric twin Liberation Serif
(fonts-liberation2), which carries the Vietnamese letters.

Only QtGui is needed to write a PDF (no widgets), so the headless ``summary-pdf`` command can use it with a
QGuiApplication on the offscreen platform.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCursor,
    QTextDocument,
)

from lamha_desktop.reports.files import write_atomic
from lamha_desktop.reports.printable import Printable, Rows

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

__all__ = ["a4_layout", "make_document", "pdf_bytes", "preview_dialog", "render", "write_pdf"]

LAYOUT_DPI = 96.0
MARGINS_MM = QMarginsF(25, 18, 15, 15)  # left, top, right, bottom (36-HD/VPTW: left margin the widest)
FOOTER_MM = 8.0
FONT_FAMILY = "Times New Roman"
# A list is ruled as Qt rules an HTML table with border="1" and collapsed borders: light grey rules, a darker
# one under the header row, the header on a light grey ground.
GRID_COLOUR = QColor("#c0c0c0")
HEAD_RULE_COLOUR = QColor("#808080")
HEAD_FILL = QColor("#eeeeee")


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
    """``html`` laid out on pages of ``body`` (in 96-dpi units), once."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(QFont(FONT_FAMILY, 12))
    # The device and the page size before the text: set after it, each laid the whole text out again.
    device = _layout_device()
    doc.documentLayout().setPaintDevice(device)
    doc._layout_device = device  # type: ignore[attr-defined]
    doc.setPageSize(body)
    # The text goes into a document that is laid out already (empty): setHtml() on a new document lays it out
    # lazily, and after a table taller than 2,000 pixels Qt stops, then lays the whole document out again when
    # the page count is asked (QTextDocumentLayout's check points): two layouts of every table. An insertion
    # into a laid-out document is laid out at once, and prints the same (compared pixel for pixel).
    doc.pageCount()
    QTextCursor(doc).insertHtml(html)
    return doc


class _Pages:
    """The pages being filled: what to paint on each (in order), and how far down the last one is filled."""

    def __init__(self, body: QSizeF, sx: float, sy: float) -> None:
        self.body = body
        self.sx = sx  # device units per 96-dpi unit
        self.sy = sy
        self.sheets: list[list[Callable[[QPainter], None]]] = [[]]
        self.y = 0.0  # 96-dpi units from the top of the last page's body

    def new_page(self) -> None:
        self.sheets.append([])
        self.y = 0.0

    def paint(self, op: Callable[[QPainter], None]) -> None:
        self.sheets[-1].append(op)

    def html(self, doc: QTextDocument, page: int, top: float) -> None:
        """Paint page ``page`` of ``doc`` at ``top`` of the current page."""
        width, height = self.body.width(), self.body.height()

        def op(painter: QPainter) -> None:
            painter.save()
            painter.scale(self.sx, self.sy)
            painter.translate(0, top - page * height)
            doc.drawContents(painter, QRectF(0, page * height, width, height - top))
            painter.restore()

        self.paint(op)


# The space above an HTML block that follows another block on the same page (18 pt at 96 dpi: the signature's
# margin, which Qt does not apply at the top of a document).
BLOCK_GAP = 24.0


def _place_html(pages: _Pages, html: str) -> None:
    """An HTML block: where the current page has room for all of it, else from the top of a new page."""
    doc = make_document(html, pages.body)
    count = max(1, doc.pageCount())
    height = doc.size().height()
    if pages.y > 0 and count == 1 and pages.y + BLOCK_GAP + height <= pages.body.height():
        pages.html(doc, 0, pages.y + BLOCK_GAP)
        pages.y += BLOCK_GAP + height
        return
    if pages.y > 0:
        pages.new_page()
    for page in range(count):
        if page:
            pages.new_page()
        pages.html(doc, page, 0.0)
    pages.y = height - (count - 1) * pages.body.height()


class _List:
    """A :class:`Rows` block laid out by hand: every cell measured with the device's own font metrics (so the
    painted text wraps exactly as measured), rows kept whole, the header row at the top of each page, ruled as
    Qt rules an HTML table with collapsed 1-pixel borders (light grey, a darker rule under the header)."""

    RULE = 1.0  # width of a rule, 96-dpi units

    def __init__(self, block: Rows, pages: _Pages, device: QPaintDevice) -> None:
        self.block = block
        self.pages = pages
        sx, sy = pages.sx, pages.sy
        self.font = QFont(FONT_FAMILY)
        self.font.setPointSizeF(block.font_pt)
        self.head_font = QFont(FONT_FAMILY)
        self.head_font.setPointSizeF(block.head_pt)
        self.head_font.setBold(True)
        self.empty_font = QFont(self.font)
        self.empty_font.setItalic(True)
        rule, pad = self.RULE, block.padding
        half = rule / 2
        inner = pages.body.width() - rule
        # the centres of the vertical rules, inside the body
        self.edges = [half]
        share = 0.0
        for column in block.columns:
            share += column.width
            self.edges.append(half + inner * share / 100)
        # each cell's text box, in device units: x and width
        self.boxes = [((left + half + pad) * sx, (right - left - rule - 2 * pad) * sx)
                      for left, right in itertools.pairwise(self.edges)]
        # drawText flags of each column's cells: wrapped at spaces, or anywhere for a word longer than its cell
        # (as QTextDocument breaks it)
        self.flags = [(int(align | Qt.TextFlag.TextWordWrap), int(align | Qt.TextFlag.TextWrapAnywhere))
                      for align in (Qt.AlignmentFlag.AlignTop | (Qt.AlignmentFlag.AlignHCenter if c.centred
                                                                 else Qt.AlignmentFlag.AlignLeft)
                                    for c in block.columns)]
        self.metrics = QFontMetricsF(self.font, device)
        # (column, text) -> (height of the text in device units, drawText flags): names, dates, classes and
        # organisations repeat through a long list
        self.measured: dict[tuple[int, str], tuple[float, int]] = {}
        heads = QFontMetricsF(self.head_font, device)
        head_text = max(heads.boundingRect(QRectF(0, 0, width, 1e6), int(Qt.AlignmentFlag.AlignHCenter),
                                           "\n".join(column.head)).height()
                        for (_x, width), column in zip(self.boxes, block.columns, strict=True))
        self.head_inner = head_text / sy + 2 * pad
        self.head_height = rule + self.head_inner + rule  # the rules above and under the header
        self.heights = [self._row_height(row) for row in block.rows]
        empty = QFontMetricsF(self.empty_font, device).boundingRect(
            QRectF(0, 0, inner * sx, 1e6), int(Qt.TextFlag.TextWordWrap), block.empty).height()
        self.empty_height = empty / sy + 2 * pad + rule

    def _cell(self, column: int, text: str) -> tuple[float, int]:
        found = self.measured.get((column, text))
        if found is None:
            _x, width = self.boxes[column]
            at_spaces, anywhere = self.flags[column]
            box = self.metrics.boundingRect(QRectF(0, 0, width, 1e6), at_spaces, text)
            flags = at_spaces
            if box.width() > width + 0.01:  # a word longer than its cell
                flags = anywhere
                box = self.metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text)
            found = self.measured[(column, text)] = (box.height(), flags)
        return found

    def _row_height(self, row: tuple[str, ...]) -> float:
        text = max(self._cell(k, cell)[0] for k, cell in enumerate(row))
        return text / self.pages.sy + 2 * self.block.padding + self.RULE

    def place(self) -> None:
        """Lay the list out from where the pages are: its title, header and first row together (on a new page if
        they do not fit on the current one), then as many rows as fit on each page under the header."""
        pages, block = self.pages, self.block
        full = pages.body.height()
        title = make_document(block.title, pages.body) if block.title else None
        title_height = title.size().height() if title is not None else 0.0
        first = self.heights[0] if self.heights else self.empty_height
        if pages.y > 0 and pages.y + title_height + self.head_height + first > full:
            pages.new_page()
        if title is not None:
            pages.html(title, 0, pages.y)
            pages.y += title_height
        start = 0
        while True:
            top = pages.y
            y = top + self.head_height
            end = start
            while end < len(self.heights) and (end == start or y + self.heights[end] <= full):
                y += self.heights[end]
                end += 1
            if not self.heights:
                y += self.empty_height
            pages.paint(functools.partial(self._paint, top, start, end))
            pages.y = y
            start = end
            if start >= len(self.heights):
                return
            pages.new_page()

    def _paint(self, top: float, start: int, end: int, painter: QPainter) -> None:
        """The header at ``top`` (96-dpi units), then rows ``start:end``; the painter is in device units."""
        block, sx, sy = self.block, self.pages.sx, self.pages.sy
        rule, pad = self.RULE, block.padding
        half = rule / 2
        left, right = self.edges[0] * sx, self.edges[-1] * sx
        painter.save()
        head_top = top + rule
        painter.fillRect(QRectF(left, head_top * sy, right - left, self.head_inner * sy), HEAD_FILL)
        painter.setPen(QColor(Qt.GlobalColor.black))
        painter.setFont(self.head_font)
        centre = int(Qt.AlignmentFlag.AlignCenter)
        for (x, width), column in zip(self.boxes, block.columns, strict=True):
            painter.drawText(QRectF(x, (head_top + pad) * sy, width, (self.head_inner - 2 * pad) * sy), centre,
                             "\n".join(column.head))
        y = top + self.head_height
        rules = [top + half]  # the centres of the horizontal rules, 96-dpi units
        head_rule = y - half
        if start == end:  # no rows: one line across the table
            painter.setFont(self.empty_font)
            painter.drawText(QRectF(left + (half + pad) * sx, (y + pad) * sy, right - left - (rule + 2 * pad) * sx,
                                    (self.empty_height - rule - 2 * pad) * sy),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), block.empty)
            y += self.empty_height
            rules.append(y - half)
        else:
            painter.setFont(self.font)
            measured, boxes = self.measured, self.boxes
            for r in range(start, end):
                text_top = (y + pad) * sy
                for k, text in enumerate(block.rows[r]):
                    if text:
                        height, flags = measured[(k, text)]
                        x, width = boxes[k]
                        painter.drawText(QRectF(x, text_top, width, height), flags, text)
                y += self.heights[r]
                rules.append(y - half)
        bottom = y - half
        lines = [QLineF(left, r * sy, right, r * sy) for r in rules]
        inner_bottom = head_rule if start == end else bottom
        lines += [QLineF(e * sx, (top + half) * sy, e * sx, inner_bottom * sy) for e in self.edges[1:-1]]
        lines += [QLineF(e * sx, (top + half) * sy, e * sx, bottom * sy) for e in (self.edges[0], self.edges[-1])]
        pen = QPen(GRID_COLOUR, rule * sx, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap)
        painter.setPen(pen)
        painter.drawLines(lines)
        pen.setColor(HEAD_RULE_COLOUR)
        painter.setPen(pen)
        painter.drawLine(QLineF(left, head_rule * sy, right, head_rule * sy))
        painter.restore()


def render(doc: Printable, device: QPagedPaintDevice, *, set_layout: bool = True) -> int:
    """Paint ``doc`` on ``device`` (a QPdfWriter or QPrinter) as A4 portrait pages numbered "Trang i/N";
    return the page count.

    Everything is laid out before the first page is painted (the page count goes into every footer); a list's
    rows are measured then, and painted straight from their text."""
    if set_layout:
        device.setPageLayout(a4_layout())
    layout = device.pageLayout()
    paint_mm = layout.paintRect(QPageLayout.Unit.Millimeter)
    to_layout = LAYOUT_DPI / 25.4
    body = QSizeF(paint_mm.width() * to_layout, (paint_mm.height() - FOOTER_MM) * to_layout)
    sx = device.logicalDpiX() / LAYOUT_DPI
    sy = device.logicalDpiY() / LAYOUT_DPI
    pages = _Pages(body, sx, sy)
    for block in doc.blocks:
        if isinstance(block, Rows):
            _List(block, pages, device).place()
        else:
            _place_html(pages, block)
    count = len(pages.sheets)
    painter = QPainter(device)
    try:
        footer_font = QFont(FONT_FAMILY, 10)
        for number, ops in enumerate(pages.sheets):
            if number:
                device.newPage()
            for op in ops:
                op(painter)
            painter.save()
            painter.setFont(footer_font)
            footer = QRectF(0, body.height() * sy, body.width() * sx, FOOTER_MM * to_layout * sy)
            painter.drawText(footer, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"Trang {number + 1}/{count}")
            painter.restore()
    finally:
        painter.end()
    return count


def pdf_bytes(doc: Printable, *, title: str = "") -> bytes:
    """The PDF of ``doc`` as bytes (A4 portrait)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(600)
    writer.setCreator("lamha_desktop")
    if title:
        writer.setTitle(title)
    render(doc, writer)
    del writer
    buffer.close()
    return bytes(data.data())


def write_pdf(doc: Printable, path: Path, *, title: str = "") -> None:
    """Write the PDF of ``doc`` to ``path`` atomically (raises excel_return.ExportError)."""
    write_atomic(Path(path), pdf_bytes(doc, title=title))


def preview_dialog(doc: Printable, parent: QWidget | None = None, *,
                   title: str = "") -> QPrintPreviewDialog:
    """A print preview of ``doc`` (A4 portrait). The dialog keeps its printer alive (``dialog.printer``)."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(a4_layout())
    if title:
        printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer = printer  # type: ignore[attr-defined]  # a temporary QPrinter would crash the preview
    dialog.setWindowTitle(title or "Xem trước khi in")

    def paint(p: QPrinter) -> None:
        render(doc, p, set_layout=False)

    dialog.paintRequested.connect(paint)
    dialog.resize(1000, 800)
    return dialog

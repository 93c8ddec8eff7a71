"""Draw the application icon with QPainter: PNGs in several sizes and a multi-size Windows .ico.

The emblem: a red disc with a golden rim, a five-pointed golden star and an open book (the students) under it.
Re-run after changing the drawing; the outputs are committed::

    .venv/bin/python build_scripts/make_icon.py

Writes ``resources/icons/lamha-<size>.png`` for every size in ``SIZES`` and ``resources/icons/lamha.ico``.
The drawing depends only on the size, so the files are the same on every run with the same Qt.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen, QRadialGradient

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows reads at most 256 x 256
OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"

RED = QColor("#c8102e")
DARK_RED = QColor("#8c0b20")
GOLD = QColor("#ffd200")
PAPER = QColor("#fff8dc")


def star_path(cx: float, cy: float, r_outer: float, r_inner: float) -> QPainterPath:
    path = QPainterPath()
    for i in range(10):
        r = r_outer if i % 2 == 0 else r_inner
        a = -math.pi / 2 + i * math.pi / 5
        p = QPointF(cx + r * math.cos(a), cy + r * math.sin(a))
        if i == 0:
            path.moveTo(p)
        else:
            path.lineTo(p)
    path.closeSubpath()
    return path


def book_path(cx: float, top: float, half_width: float, height: float) -> QPainterPath:
    """Two pages of an open book, meeting at the spine."""
    path = QPainterPath()
    sag = height * 0.18
    for side in (-1, 1):
        outer = cx + side * half_width
        path.moveTo(cx, top + sag)
        path.cubicTo(cx + side * half_width * 0.35, top - sag * 0.4, cx + side * half_width * 0.7, top - sag * 0.4,
                     outer, top)
        path.lineTo(outer, top + height)
        path.cubicTo(cx + side * half_width * 0.7, top + height - sag * 0.4,
                     cx + side * half_width * 0.35, top + height - sag * 0.4, cx, top + height + sag)
        path.closeSubpath()
    return path


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    margin = max(0.5, s * 0.03)
    disc = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    grad = QRadialGradient(QPointF(s * 0.4, s * 0.35), s * 0.7)
    grad.setColorAt(0.0, RED.lighter(115))
    grad.setColorAt(1.0, DARK_RED)
    p.setBrush(QBrush(grad))
    p.setPen(QPen(GOLD, max(1.0, s * 0.045)))
    p.drawEllipse(disc)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(GOLD)
    p.drawPath(star_path(s * 0.5, s * 0.42, s * 0.27, s * 0.108))
    if size >= 24:  # the book is unreadable below 24 px: the star alone
        p.setBrush(PAPER)
        p.setPen(QPen(GOLD, max(0.8, s * 0.015)))
        p.drawPath(book_path(s * 0.5, s * 0.66, s * 0.24, s * 0.11))
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A .ico holding one PNG-compressed image per size (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    offset = 6 + 16 * len(images)
    body = b""
    for size, png in sorted(images.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        body += png
    return header + entries + body


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, bytes] = {}
    for size in SIZES:
        pngs[size] = png_bytes(draw(size))
        (OUT / f"lamha-{size}.png").write_bytes(pngs[size])
    (OUT / "lamha.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    print(f"wrote {len(SIZES)} PNGs and lamha.ico to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

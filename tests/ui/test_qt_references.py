"""The Qt binding keeps Python's reference counts: a method returning nothing must not take a reference from
None. PySide6 6.12.0 did on Python 3.11, and every long report or long session aborted with "deallocating
None" (a 20,000-student summary: after the PDF was written). Python 3.12+ makes None immortal, so the check
holds there whatever the binding does."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qapp: Any) -> None:
    label = QLabel()
    doc = QTextDocument()
    doc.setHtml("<p>Nguyễn Thị Ánh</p>")
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(500):
            label.setText("Lê Quý Đôn")
            painter.save()
            doc.drawContents(painter, QRectF(0, 0, 64, 64))
            painter.restore()
        after = sys.getrefcount(None)
    finally:
        painter.end()
    assert after - before > -100, f"None lost {before - after} references in 2,000 calls"

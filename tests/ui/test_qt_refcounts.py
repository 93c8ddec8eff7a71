"""The Qt binding must not release Python's None: PySide6 6.12.0 on Python 3.11 releases it once per call of a
method that returns nothing (``setText``, ``setEnabled``, ``QMenu.clear``…), so a session of a few thousand such
calls crashes the interpreter ("none_dealloc: deallocating None"). pyproject.toml keeps PySide6 below 6.12."""

from __future__ import annotations

import gc
import sys
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu


def test_calls_that_return_nothing_keep_none_alive(qtbot: Any) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    menu = QMenu()
    action = QAction("x")
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(250):
        label.setText("x")
        label.setEnabled(True)
        action.setToolTip("y")
        menu.clear()
    gc.collect()
    assert sys.getrefcount(None) >= before - 50  # 1000 calls: a binding that releases None loses 1000

"""Where the data-safety and data-password actions go: ``window.file_menu``, before "Thoát"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow


def add_to_file_menu(window: MainWindow, groups: Sequence[Sequence[QAction]]) -> QAction:
    """Add each group of actions followed by a separator, before ``window.act_quit``; returns that action."""
    menu = window.file_menu
    before = window.act_quit
    for group in groups:
        for act in group:
            menu.insertAction(before, act)
        menu.insertSeparator(before)
    return before

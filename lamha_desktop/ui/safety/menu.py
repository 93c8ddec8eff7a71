"""Where the data-safety and data-password actions go: ``window.file_menu``, before "Thoát" when it is there."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow


def add_to_file_menu(window: QMainWindow, groups: Sequence[Sequence[QAction]]) -> QAction | None:
    """Add each group of actions followed by a separator, before ``window.act_quit`` when the menu has it
    (else at the end). Returns that "Thoát" action, or None when the groups went at the end."""
    menu = window.file_menu  # type: ignore[attr-defined]
    quit_action = getattr(window, "act_quit", None)
    before = quit_action if quit_action in menu.actions() else None
    for group in groups:
        for act in group:
            if before is not None:
                menu.insertAction(before, act)
            else:
                menu.addAction(act)
        if before is not None:
            menu.insertSeparator(before)
        else:
            menu.addSeparator()
    return before

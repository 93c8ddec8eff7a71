"""Importing class lists: the wizard (file -> column mapping -> preview -> import) and its menu entry.

:func:`install` adds "Nhập danh sách học sinh…" (Ctrl+I) to the File menu and lets a spreadsheet be dropped
on the candidates tab. The widgets are imported on first use, so the CLI can use :mod:`.messages` alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    """Add the import action to ``window.file_menu`` and file drops to ``window.candidates``."""
    from lamha_desktop.ui.importing import history
    from lamha_desktop.ui.importing.wizard import install as _install

    _install(window)
    history.install(window)

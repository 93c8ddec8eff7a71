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
    from lamha_desktop.ui.importing.menu import install as _install

    _install(window)
    _install_history(window)


def _install_history(window: MainWindow) -> None:
    """"Nhập lịch sử kết nạp…" in the File menu, after "Nhập danh sách học sinh…". Its window (and the file
    readers it needs, 20 ms) is loaded when first opened, not at start-up."""
    from PySide6.QtGui import QAction

    from lamha_desktop.ui.messages import tr

    def open_window() -> None:
        from lamha_desktop.ui.importing.history import HistoryImportDialog

        HistoryImportDialog(window, organisation_id=window.candidates.org_filter.currentData()).exec()

    act = QAction(tr("Nhập &lịch sử kết nạp…"), window)
    act.setStatusTip(tr("Nhập các học sinh đã kết nạp trước đây, mỗi dòng một học sinh với ngày của từng bước"))
    act.triggered.connect(open_window)
    window.addAction(act)
    menu = window.file_menu
    actions = menu.actions()
    anchor = actions[1] if len(actions) > 1 else None
    if anchor is not None:
        menu.insertAction(anchor, act)
    else:
        menu.addAction(act)
    window.act_import_history = act

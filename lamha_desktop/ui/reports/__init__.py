"""Reports in the GUI: export the return, print the semiannual summary, import a school's return.

``install(window)`` adds the actions to the main window's file menu and toolbar. The package imports no Qt
at module level; the texts of its codes are in :mod:`lamha_desktop.catalogue.reports`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow

__all__ = ["install"]


def install(window: MainWindow) -> None:
    """Add "Xuất báo cáo…" (Ctrl+E), "In báo cáo sơ kết, tổng kết…" (Ctrl+P), "Lưu báo cáo … ra PDF…" and
    "Nhập báo cáo của trường…" to ``window.file_menu``; export and print to ``window.toolbar``."""
    from lamha_desktop.ui.reports.actions import install as _install

    _install(window)

"""Help menu: the Vietnamese user guide (F1) and "Giới thiệu" (version, data folder, database path).

``install(window)`` puts "Hướng dẫn sử dụng" (F1) at the top of ``window.help_menu`` and replaces the plain
"Giới thiệu" there by :class:`~lamha_desktop.ui.help.dialogs.AboutDialog`. The dialogs' module (the guide's
parser, ``html``, ``platform``) is imported when one is first opened, not with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from lamha_desktop.ui.messages import tr

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow

__all__ = ["install", "show_about", "show_guide"]


def install(window: MainWindow) -> None:
    """Add "Hướng dẫn sử dụng" (F1) and the new "Giới thiệu" to ``window.help_menu``."""
    if window.act_help is not None:
        return  # installed already
    menu = window.help_menu
    act_guide = QAction(tr("&Hướng dẫn sử dụng"), window)
    act_guide.setObjectName("act_help")
    act_guide.setShortcut(QKeySequence("F1"))
    act_guide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    act_guide.setStatusTip(tr("Hướng dẫn ghi kết nạp, xuất và in báo cáo, nhập danh sách, sao lưu"))
    act_guide.triggered.connect(lambda: show_guide(window))
    act_about = QAction(tr("&Giới thiệu"), window)
    act_about.setObjectName("act_about")
    act_about.setStatusTip(tr("Phiên bản, thư mục dữ liệu và đường dẫn cơ sở dữ liệu"))
    act_about.triggered.connect(lambda: show_about(window))
    first = menu.actions()[0] if menu.actions() else None
    menu.insertAction(first, act_guide)
    if first is not None:
        menu.insertSeparator(first)
    menu.addAction(act_about)
    window.addAction(act_guide)
    window.act_help = act_guide
    window.act_about = act_about


def show_guide(window: MainWindow, anchor: str = "") -> Any:
    from lamha_desktop.ui.help.dialogs import show_guide as _show

    return _show(window, anchor)


def show_about(window: MainWindow) -> None:
    from lamha_desktop.ui.help.dialogs import AboutDialog

    AboutDialog(window.db_path, window).exec()

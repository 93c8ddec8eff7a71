"""Help menu: the Vietnamese user guide (F1) and "Giới thiệu" (version, data folder, database path).

``install(window)`` puts "Hướng dẫn sử dụng" (F1) at the top of ``window.help_menu`` and replaces the plain
"Giới thiệu" there by :class:`~lamha_desktop.ui.help.dialogs.AboutDialog`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow

__all__ = ["install", "show_about", "show_guide"]


def install(window: MainWindow) -> None:
    from lamha_desktop.ui.help.dialogs import install as _install

    _install(window)


def show_guide(window: MainWindow, anchor: str = "") -> Any:
    from lamha_desktop.ui.help.dialogs import show_guide as _show

    return _show(window, anchor)


def show_about(window: MainWindow) -> None:
    from lamha_desktop.ui.help.dialogs import AboutDialog

    AboutDialog(window.db_path, window).exec()

"""The import's place in the main window: "Nhập danh sách học sinh…" (Ctrl+I) and spreadsheets dropped on the
students' tab. The wizard (and the readers and the import code behind it) is loaded when first used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence

from lamha_desktop.ui.messages import tr

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def spreadsheet_paths(urls: Sequence[QUrl]) -> list[str]:
    return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(SPREADSHEET_SUFFIXES)]


class _DropFilter(QObject):
    """Accepts spreadsheets dropped on the candidates tab and starts an import with them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDragEnterEvent | QDropEvent):
            if spreadsheet_paths(event.mimeData().urls()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = spreadsheet_paths(event.mimeData().urls())
            if paths:
                event.acceptProposedAction()
                # Not inside the drop handler: the drag must finish before a modal dialog opens.
                QTimer.singleShot(0, lambda: start_import(self.window, paths[0]))
                return True
        return super().eventFilter(watched, event)


def start_import(window: MainWindow, path: str | None = None) -> dict[str, int] | None:
    """Run the wizard over the main window (the import announces its changes to every tab)."""
    from lamha_desktop.ui.importing.wizard import ImportDialog

    org_id = window.candidates.org_filter.currentData()
    result = ImportDialog.ask(window, path=path, organisation_id=org_id)
    if result is not None:
        window.statusBar().showMessage(tr("Đã nhập danh sách: {new} mới, {updated} cập nhật.").format(**result), 8000)
    return result


def install(window: MainWindow) -> None:
    act = QAction(tr("&Nhập danh sách học sinh…"), window)
    act.setShortcut(QKeySequence("Ctrl+I"))
    act.setStatusTip(tr("Nhập danh sách học sinh từ tệp Excel (.xlsx, .xls) hoặc CSV"))
    act.triggered.connect(lambda: start_import(window))
    window.addAction(act)
    menu = window.file_menu
    actions = menu.actions()
    if actions:
        menu.insertAction(actions[0], act)
        menu.insertSeparator(actions[0])
    else:
        menu.addAction(act)
    window.act_import_students = act
    tab = window.candidates
    tab.setAcceptDrops(True)
    drop_filter = _DropFilter(window)
    tab.installEventFilter(drop_filter)
    window._import_drop_filter = drop_filter

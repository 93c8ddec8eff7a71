"""What every tab shares: a table view with a button row, and the actions the main window dispatches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.ui.table_fit import ColumnFitter

if TYPE_CHECKING:
    from lamha_desktop.operations import OpChanges


class TableTab(QWidget):
    """A tab with a row of controls above a table; subclasses implement add/edit/remove/refresh.

    Every tab listens to the application's "data changed" signal (``ui.changes.hub``) and refreshes when
    :meth:`wants` says the change touches what it shows."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from lamha_desktop.ui.changes import hub

        hub().changed.connect(self._data_changed)
        self.undo_stack: QUndoStack | None = None  # the main window's, for deletions that can be undone
        self.columns_fitted = False  # True once sized to the contents or restored from the user's layout
        self.layout_ = QVBoxLayout(self)
        self.controls = QHBoxLayout()
        self.layout_.addLayout(self.controls)
        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setResizeContentsPrecision(100)  # fit columns to the first rows, not all
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.layout_.addWidget(self.view, 1)
        # Columns sized to their content within the width, text columns stretched and elided (ui.table_fit).
        self.fitter = ColumnFitter(self.view)

    def add_button(self, text: str, slot: object, *, tooltip: str = "") -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        if tooltip:
            b.setToolTip(tooltip)
        self.controls.addWidget(b)
        return b

    def keyPressEvent(self, event: object) -> None:  # Enter opens the selected row
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def fit_columns(self) -> None:
        """Size the columns to their contents within the width (until the user sizes them by hand)."""
        if self.view.model() is not None and not self.fitter.user_sized:
            self.fitter.fit()
            self.columns_fitted = True

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def add(self) -> None: ...
    def edit(self) -> None: ...
    def remove(self) -> None: ...
    def refresh(self) -> None: ...
    def select_id(self, ident: int) -> None: ...

    def wants(self, changes: OpChanges) -> bool:
        """Whether a change touches what this tab shows (every change, unless a tab says otherwise)."""
        return True

    def _data_changed(self, changes: OpChanges) -> None:
        if self.wants(changes):
            self.refresh()

    def show_added(self, new_id: int | None, message: str) -> None:
        """After an "add" dialog (``new_id`` None: cancelled): select the new row (the operation's change has
        refreshed every tab already) and say so in the status bar."""
        if new_id is None:
            return
        self.select_id(new_id)
        self.status_message.emit(message)

    def focus_search(self) -> None:
        self.view.setFocus()

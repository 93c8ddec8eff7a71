"""The audit trail on screen: a lazily fetched table model, a view a detail dialog can embed
(``AuditView(base=AuditFilter(candidate_id=...))``) and the window-level "Nhật ký thay đổi" dialog."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.storage import audit
from lamha_desktop.storage.audit import AuditEntry, AuditFilter
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.audit_export import describe
from lamha_desktop.ui.safety.messages import AUDIT_ACTION_NAMES, AUDIT_TABLE_NAMES
from lamha_desktop.ui.table_models import Column, LazyRowsModel


class AuditTableModel(LazyRowsModel[AuditEntry]):
    """Ids from the query (newest first) plus a cache of rows fetched a page at a time."""

    HEADERS = ("Thời gian", "Người dùng", "Đối tượng", "Số dòng", "Thao tác", "Thay đổi")
    PAGE = 200
    row_numbers = False

    def __init__(self, flt: AuditFilter | None = None, parent: QWidget | None = None) -> None:
        getters: tuple[Callable[[AuditEntry], object], ...] = (
            lambda e: e.at.strftime("%d/%m/%Y %H:%M:%S"),
            lambda e: e.user,
            lambda e: tr(AUDIT_TABLE_NAMES.get(e.table, e.table)),
            lambda e: str(e.row_id),
            lambda e: tr(AUDIT_ACTION_NAMES.get(e.action, e.action)),
            describe,
        )
        columns = [Column(tr(h), get) for h, get in zip(self.HEADERS, getters, strict=True)]
        columns[-1] = dataclasses.replace(columns[-1], tooltip=lambda e: describe(e).replace("; ", "\n"))
        super().__init__(columns, lambda ids: audit.audit_entries(ids), parent)
        self._filter = flt or AuditFilter()
        self.reload()

    @property
    def filter(self) -> AuditFilter:
        return self._filter

    def set_filter(self, flt: AuditFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self.set_ids(audit.audit_ids(self._filter))

    def entry(self, row: int) -> AuditEntry:
        e = self.row_at(row)
        if e is None:
            raise IndexError(row)
        return e


class AuditView(QWidget):
    """The audit rows under a base filter, with a choice of object kind and an export button."""

    export_requested = Signal()

    def __init__(self, base: AuditFilter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = base = base or AuditFilter()
        self.model = AuditTableModel(base, self)
        self.kind = QComboBox()
        self.kind.addItem(tr("Tất cả"), None)
        for key, label in AUDIT_TABLE_NAMES.items():
            self.kind.addItem(tr(label), key)
        if base.table is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(base.table)))
            self.kind.setEnabled(False)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.export_button = QPushButton(tr("Xuất nhật ký ra &Excel…"))
        self.export_button.clicked.connect(self.export_requested)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((140, 90, 110, 60, 60)):
            self.view.setColumnWidth(col, width)
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Đối tượng:")))
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._update_count()

    def current_filter(self) -> AuditFilter:
        return self.model.filter

    def _on_kind(self) -> None:
        self.model.set_filter(dataclasses.replace(self.base, table=self.kind.currentData()))
        self._update_count()

    def refresh(self) -> None:
        self.model.reload()
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(tr("{n} thay đổi").format(n=self.model.rowCount()))


class AuditDialog(QDialog):
    """Non-modal window with the whole audit trail."""

    def __init__(self, base: AuditFilter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Nhật ký thay đổi"))
        self.audit_view = AuditView(base, self)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.audit_view)
        layout.addLayout(bottom)
        self.resize(980, 560)

"""Dialogs of the data-safety feature: choosing a backup to restore, and the offer to recover a damaged
database at start. Each exposes ``ask()`` returning plain values, so tests monkeypatch it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.storage.backup import BackupInfo
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.messages import BACKUP_KIND_NAMES, text
from lamha_desktop.ui.table_models import Column, Index, RowsModel


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def _locked(b: BackupInfo) -> bool:
    """Another password made it: counts unknown until it is given."""
    return b.encrypted and b.organisations is None


def _count(n: int | None, b: BackupInfo) -> str:
    if _locked(b):
        return tr("mã hóa")
    return "" if n is None else str(n)


def _backup_tooltip(b: BackupInfo) -> str:
    if b.readable and _locked(b):
        return tr("{path}\nBản sao lưu được mã hóa bằng một mật khẩu khác; khi khôi phục sẽ hỏi mật khẩu "
                  "đó.").format(path=str(b.path))
    return str(b.path) if b.readable else tr("Không đọc được: {e}").format(e=b.error)


class BackupTableModel(RowsModel[BackupInfo]):
    """The backups beside the database: date, kind, counts of organisations and candidates, schema, size, file."""

    HEADERS = ("Ngày giờ", "Loại", "Tổ chức đảng", "Quần chúng", "Lược đồ", "Dung lượng", "Tệp")
    row_numbers = False

    def __init__(self, infos: list[BackupInfo] | None = None, parent: QWidget | None = None) -> None:
        getters: tuple[Callable[[BackupInfo], object], ...] = (
            lambda b: b.created.strftime("%d/%m/%Y %H:%M:%S"),
            lambda b: tr(BACKUP_KIND_NAMES.get(b.kind, b.kind)),
            lambda b: _count(b.organisations, b),
            lambda b: _count(b.candidates, b),
            lambda b: "" if b.schema_version is None else str(b.schema_version),
            lambda b: _size(b.size),
            lambda b: b.path.name,
        )
        super().__init__([Column(tr(h), get, align_right=i in (2, 3, 4, 5), tooltip=_backup_tooltip,
                                 user_data=lambda b: str(b.path))
                          for i, (h, get) in enumerate(zip(self.HEADERS, getters, strict=True))], parent)
        self.rows = list(infos or [])

    def set_backups(self, infos: list[BackupInfo]) -> None:
        self.set_rows(infos)

    def info(self, row: int) -> BackupInfo:
        return self.rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        b = self.row_at(index.row()) if index.isValid() else None
        if b is None or not b.readable:
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)


class RestoreDialog(QDialog):
    """Pick a backup (or another file) to restore; says the current data is kept as a backup first."""

    def __init__(self, infos: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Khôi phục dữ liệu"))
        self.chosen: Path | None = None
        self.model = BackupTableModel(infos, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setVisible(False)
        self.view.doubleClicked.connect(lambda _i: self._accept_selected())
        note = QLabel(tr("Chọn bản sao lưu cần khôi phục. Tệp được kiểm tra trước khi thay thế; dữ liệu hiện tại "
                         "được giữ lại thành một bản sao lưu «Trước khi khôi phục»."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(tr("&Khôi phục"))
        self.other_button = QPushButton(tr("Chọn &tệp khác…"))
        close = QPushButton(tr("Đóng"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._accept_selected)
        self.other_button.clicked.connect(self._choose_file)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(820, 420)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        if self.model.rowCount() and self.model.info(0).readable:
            self.view.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.view.selectionModel().selectedRows()))

    def _accept_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.chosen = self.model.info(rows[0].row()).path
            self.accept()

    def _choose_file(self) -> None:
        path = ask_backup_source(self)
        if path is not None:
            self.chosen = path
            self.accept()

    @classmethod
    def ask(cls, infos: list[BackupInfo], parent: QWidget | None = None) -> Path | None:
        dlg = cls(infos, parent)
        return dlg.chosen if dlg.exec() == QDialog.DialogCode.Accepted else None


class RecoverDialog:
    """At start, the database is damaged (``detail``: what was found, worded): offer the newest good backup."""

    @classmethod
    def ask(cls, *, damaged: Path, backup: BackupInfo, detail: str, parent: QWidget | None = None) -> bool:
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Dữ liệu bị hỏng"), text("db.damaged_question", {
            "path": str(damaged), "problem": detail, "backup": backup.path.name, "date": backup.created,
            "organisations": backup.organisations, "candidates": backup.candidates}), parent=parent)
        yes = box.addButton(tr("Khôi phục"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Thoát"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes


def ask_backup_source(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, tr("Chọn tệp sao lưu"), "",
                                          tr("Cơ sở dữ liệu (*.sqlite3 *.sqlite *.db);;Mọi tệp (*)"))
    return Path(name) if name else None


def ask_backup_target(parent: QWidget | None, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, tr("Sao lưu ra…"), suggested,
                                          tr("Cơ sở dữ liệu (*.sqlite3)"))
    return Path(name) if name else None


def ask_export_target(parent: QWidget | None, suggested: str, *, note: str = "") -> Path | None:
    dlg = QFileDialog(parent, tr("Xuất nhật ký ra Excel"), suggested, tr("Sổ tính Excel (*.xlsx)"))
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setDefaultSuffix("xlsx")
    dlg.selectFile(suggested)
    if note:
        dlg.setLabelText(QFileDialog.DialogLabel.Accept, tr("Xuất"))
        dlg.setWindowTitle(f"{tr('Xuất nhật ký ra Excel')} — {note}")
    if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.selectedFiles():
        return None
    return Path(dlg.selectedFiles()[0])

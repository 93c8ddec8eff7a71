"""Data safety in the window: "Sao lưu ngay", "Sao lưu ra…", "Khôi phục…", the audit trail and its export.

``install(window)`` adds the actions to ``window.file_menu`` (before "Thoát") and keeps a
``SafetyController`` as ``window.safety``; ``show_notices`` shows what start-up found (network share,
failed automatic backup).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from lamha_desktop.lazy import lazy_import
from lamha_desktop.operations import OpChanges
from lamha_desktop.reports.files import ExportError, write_atomic
from lamha_desktop.storage import db
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui.changes import announce
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.menu import add_to_file_menu
from lamha_desktop.ui.safety.messages import text

__all__ = ["SafetyController", "export_audit", "install", "show_notices", "write_atomic"]

if TYPE_CHECKING:
    from lamha_desktop.storage.audit import AuditFilter
    from lamha_desktop.ui.main_window import MainWindow

# What the actions open, loaded when one is first used: every start reads this module (its menu and notices).
dialogs = lazy_import("lamha_desktop.ui.safety.dialogs")
backup = lazy_import("lamha_desktop.storage.backup")
audit_store = lazy_import("lamha_desktop.storage.audit")
safety_ops = lazy_import("lamha_desktop.operations.safety")


def _warn(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, tr("Không thực hiện được"), message)


def _status(window: QWidget, message: str) -> None:
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, 10000)


def show_notices(window: QWidget, notices: Sequence[tuple[str, dict[str, Any]]], *, dialogs: bool) -> None:
    for code, params in notices:
        message = text(code, params)
        _status(window, message)
        if dialogs:
            QMessageBox.warning(window, tr("Lưu ý về dữ liệu"), message)


class SafetyController(QObject):
    """The slots behind the data-safety actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.audit_dialog: Any = None
        self.act_backup_now = self._action(tr("Sao lưu &ngay"), "Ctrl+Shift+B", self.backup_now,
                                           tr("Sao lưu cơ sở dữ liệu vào thư mục backups cạnh dữ liệu"))
        self.act_backup_to = self._action(tr("Sao lưu &ra…"), None, self.backup_to,
                                          tr("Sao lưu ra một tệp, ví dụ trên ổ USB"))
        self.act_restore = self._action(tr("&Khôi phục…"), None, self.restore,
                                        tr("Khôi phục dữ liệu từ một bản sao lưu"))
        self.act_audit = self._action(tr("&Nhật ký thay đổi…"), None, self.show_audit,
                                      tr("Xem ai đã thêm, sửa, xóa gì và khi nào"))
        self.act_export_audit = self._action(tr("Xuất nhật ký ra &Excel…"), None, self.export_audit,
                                             tr("Xuất nhật ký thay đổi ra tệp .xlsx"))

    def _action(self, label: str, shortcut: str | None, slot: Any, tip: str) -> QAction:
        act = QAction(label, self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.setStatusTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        return act

    @property
    def actions(self) -> list[QAction]:
        return [self.act_backup_now, self.act_backup_to, self.act_restore, self.act_audit, self.act_export_audit]

    @property
    def db_path(self) -> Path:
        return Path(self.window.db_path)

    # ------------------------------------------------------------ backups

    def backup_now(self) -> Path | None:
        try:
            path = safety_ops.backup_now(self.db_path, kind="manual").result
        except StorageError as exc:
            _warn(self.window, text(exc.code, exc.params))
            return None
        _status(self.window, text("backup.done", {"path": str(path)}))
        return path

    def backup_to(self) -> Path | None:
        suggested = str(Path.home() / f"lamha-sao-luu-{dt.datetime.now():%Y%m%d-%H%M}.sqlite3")
        target = dialogs.ask_backup_target(self.window, suggested)
        if target is None:
            return None
        try:
            path = safety_ops.backup_now(self.db_path, dest=target).result
        except StorageError as exc:
            _warn(self.window, text(exc.code, exc.params))
            return None
        _status(self.window, text("backup.done", {"path": str(path)}))
        return path

    def restore(self) -> backup.RestoreResult | None:
        src = dialogs.RestoreDialog.ask(backup.list_backups(self.db_path), self.window)
        if src is None:
            return None
        try:
            result = self._restore(src)
            if result is None:
                return None
        except StorageError as exc:
            if db.database.is_closed() and self.db_path.exists():
                db.open_database(self.db_path)
            _warn(self.window, text(exc.code, exc.params))
            return None
        announce(OpChanges("backup.restore", everything=True))
        if self.audit_dialog is not None:
            self.audit_dialog.audit_view.refresh()
        kept = result.safety_backup or result.moved_aside
        _status(self.window, text("restore.done", {
            "path": str(src), "organisations": result.restored.organisations,
            "candidates": result.restored.candidates, "kept": str(kept) if kept else "—"}))
        return result

    def _restore(self, src: Path) -> backup.RestoreResult | None:
        """``backup.restore``; an encrypted backup made under another password asks for that password
        (three tries). None when the user cancels."""
        from lamha_desktop.ui.safety.password import TRIES, PasswordDialog

        source_key: str | None = None
        error = ""
        for _attempt in range(TRIES + 1):
            try:
                result: backup.RestoreResult = safety_ops.restore(self.db_path, src, reopen=True,
                                                                  source_passphrase=source_key).result
                return result
            except StorageError as exc:
                if exc.code not in ("backup.password_required", "backup.wrong_password") or _attempt == TRIES:
                    raise
                error = text(exc.code, exc.params) if source_key is not None else ""
            after = (tr("dữ liệu khôi phục sẽ dùng mật khẩu hiện tại.") if db.session_passphrase()
                     else tr("dữ liệu khôi phục sẽ không mã hóa, như dữ liệu hiện tại."))
            source_key = PasswordDialog.ask(
                title=tr("Bản sao lưu có mật khẩu"),
                prompt=tr("Bản sao lưu {name} được mã hóa bằng một mật khẩu khác. Nhập mật khẩu đã dùng khi tạo "
                          "bản sao lưu này; {after}").format(name=src.name, after=after),
                error=error, parent=self.window)
            if source_key is None:
                return None
        return None  # pragma: no cover - the loop returns or raises

    # ------------------------------------------------------------ audit trail

    def show_audit(self) -> Any:
        from lamha_desktop.ui.safety.audit import AuditDialog

        if self.audit_dialog is None:
            self.audit_dialog = AuditDialog(parent=self.window)
            self.audit_dialog.audit_view.export_requested.connect(
                lambda: self.export_audit(self.audit_dialog.audit_view.current_filter()))
        else:
            self.audit_dialog.audit_view.refresh()
        self.audit_dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # offscreen warns that it cannot raise()
            self.audit_dialog.raise_()
        return self.audit_dialog

    def export_audit(self, flt: AuditFilter | None = None) -> Path | None:
        return export_audit(self.window, flt)


def export_audit(parent: QWidget, flt: AuditFilter | None = None) -> Path | None:
    """Ask for a file and write the audit trail (``flt``: the part shown) to it as .xlsx."""
    from lamha_desktop.ui.safety import audit_export

    suggested = str(Path.home() / f"nhat-ky-thay-doi-{dt.date.today():%Y%m%d}.xlsx")
    target = dialogs.ask_export_target(parent, suggested)
    if target is None:
        return None
    entries = audit_store.all_entries(flt or audit_store.AuditFilter())
    try:
        write_atomic(target, audit_export.build(entries))
    except ExportError as exc:
        _warn(parent, text("export.failed", {"path": str(target), "detail": exc.params.get("detail", "")}))
        return None
    _status(parent.window(), text("audit.exported", {"count": len(entries), "path": str(target)}))
    return target


def install(window: MainWindow) -> SafetyController:
    """Add the data-safety actions to ``window.file_menu``, before "Thoát" (once)."""
    if window.safety is not None:
        return window.safety
    controller = SafetyController(window)
    menu = window.file_menu
    add_to_file_menu(window, [controller.actions[:3], controller.actions[3:]])
    if menu.actions().index(controller.act_backup_now) > 0:
        menu.insertSeparator(controller.act_backup_now)
    window.safety = controller
    return controller

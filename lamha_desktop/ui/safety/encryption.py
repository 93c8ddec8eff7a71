"""The data password in the window: "Đặt mật khẩu dữ liệu…", "Đổi mật khẩu…", "Bỏ mật khẩu…".

``install(window)`` adds the actions to ``window.file_menu`` (before "Thoát" when it is there) and keeps an
``EncryptionController`` as ``window.encryption``. Only the actions that apply are visible: "Đặt" for a
plaintext database, "Đổi"/"Bỏ" for an encrypted one. Without SQLCipher on the machine, "Đặt" says why it is
unavailable instead of failing. The work itself is ``storage.encryption.change_password``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox

from lamha_desktop.lazy import lazy_import
from lamha_desktop.storage import db
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui.changes import announce
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.menu import add_to_file_menu
from lamha_desktop.ui.safety.messages import text

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow

__all__ = ["EncryptionController", "install"]

SET_PROMPT = ("Mật khẩu mã hóa cơ sở dữ liệu và các bản sao lưu trong thư mục backups; mỗi lần mở phần mềm cần "
              "nhập mật khẩu. Mật khẩu không được lưu ở đâu cả: nếu quên, không ai khôi phục được dữ liệu. "
              "Hãy ghi lại và cất ở nơi an toàn.\n\nTệp xuất ra (Excel, PDF) không được mã hóa.")
CURRENT_PROMPT = "Nhập mật khẩu hiện tại của dữ liệu."
REMOVE_PROMPT = ("Nhập mật khẩu hiện tại để bỏ mật khẩu. Sau đó cơ sở dữ liệu và các bản sao lưu trong thư mục "
                 "backups không còn được mã hóa: ai dùng máy này cũng đọc được.")


# What the actions run, loaded when one is first used (the menu is made at every start).
safety_ops = lazy_import("lamha_desktop.operations.safety")
encryption = lazy_import("lamha_desktop.storage.encryption")
password = lazy_import("lamha_desktop.ui.safety.password")


def _warn(parent: QMainWindow, message: str) -> None:
    QMessageBox.warning(parent, tr("Không thực hiện được"), message)


def _inform(parent: QMainWindow, message: str) -> None:
    QMessageBox.information(parent, tr("Mật khẩu dữ liệu"), message)


class EncryptionController(QObject):
    """The slots behind the data-password actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.act_set = self._action(tr("Đặt &mật khẩu dữ liệu…"), self.set_password,
                                    tr("Mã hóa cơ sở dữ liệu và các bản sao lưu bằng mật khẩu"))
        self.act_change = self._action(tr("Đổi mật &khẩu…"), self.change_password,
                                       tr("Đổi mật khẩu mã hóa dữ liệu"))
        self.act_remove = self._action(tr("&Bỏ mật khẩu…"), self.remove_password,
                                       tr("Bỏ mã hóa: dữ liệu và bản sao lưu không còn cần mật khẩu"))
        self.update_actions()

    def _action(self, label: str, slot: Any, tip: str) -> QAction:
        act = QAction(label, self.window)
        act.setStatusTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        return act

    @property
    def actions(self) -> list[QAction]:
        return [self.act_set, self.act_change, self.act_remove]

    @property
    def db_path(self) -> Path:
        return Path(self.window.db_path)  # type: ignore[attr-defined]

    def update_actions(self) -> None:
        encrypted = db.is_encrypted(self.db_path)
        self.act_set.setVisible(not encrypted)
        self.act_change.setVisible(encrypted)
        self.act_remove.setVisible(encrypted)
        if not db.encryption_available():
            self.act_set.setText(tr("Đặt mật khẩu dữ liệu (không khả dụng trên máy này)…"))
            self.act_set.setStatusTip(text("db.encryption_unavailable"))

    # ------------------------------------------------------------ slots

    def set_password(self) -> encryption.PasswordChange | None:
        if not db.encryption_available():
            _inform(self.window, text("db.encryption_unavailable"))
            return None
        new = password.PasswordDialog.ask(title=tr("Đặt mật khẩu dữ liệu"), prompt=tr(SET_PROMPT), confirm=True,
                                          parent=self.window)
        if new is None:
            return None
        return self._run(new, current=None, done="db.password_set")

    def change_password(self) -> encryption.PasswordChange | None:
        current = password.PasswordDialog.ask(title=tr("Đổi mật khẩu"), prompt=tr(CURRENT_PROMPT), parent=self.window)
        if current is None:
            return None
        try:
            db.check_passphrase(self.db_path, current)
        except StorageError as exc:
            _warn(self.window, text(exc.code, {"path": str(self.db_path), **exc.params}))
            return None
        new = password.PasswordDialog.ask(title=tr("Đổi mật khẩu"), prompt=tr(SET_PROMPT), confirm=True,
                                          parent=self.window)
        if new is None:
            return None
        return self._run(new, current=current, done="db.password_changed")

    def remove_password(self) -> encryption.PasswordChange | None:
        current = password.PasswordDialog.ask(title=tr("Bỏ mật khẩu"), prompt=tr(REMOVE_PROMPT),
                                              ok_text=tr("&Bỏ mật khẩu"), parent=self.window)
        if current is None:
            return None
        return self._run(None, current=current, done="db.password_removed")

    # ------------------------------------------------------------ work

    def _run(self, new: str | None, *, current: str | None, done: str) -> encryption.PasswordChange | None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            changes = safety_ops.change_password(self.db_path, new, current=current)
        except StorageError as exc:
            QGuiApplication.restoreOverrideCursor()
            _warn(self.window, text(exc.code, exc.params))
            return None
        QGuiApplication.restoreOverrideCursor()
        result: encryption.PasswordChange = changes.result
        self.update_actions()
        announce(changes)
        message = text(done, {"count": len(result.converted)})
        if result.left:
            message += "\n\n" + text("db.backups_left", {"count": len(result.left)})
        if isinstance(self.window, QMainWindow):
            self.window.statusBar().showMessage(message.split("\n")[0], 10000)
        _inform(self.window, message)
        return result


def install(window: MainWindow) -> EncryptionController:
    """Add the data-password actions to ``window.file_menu``, before "Thoát" (once)."""
    if window.encryption is not None:
        return window.encryption
    controller = EncryptionController(window)
    add_to_file_menu(window, [controller.actions])
    window.file_menu.aboutToShow.connect(controller.update_actions)
    window.encryption = controller
    return controller

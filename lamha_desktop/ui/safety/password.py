"""The password of an encrypted database: the dialog that asks for it, and unlocking the file at start.

``PasswordDialog.ask(...)`` returns the typed password or None (tests monkeypatch it). ``unlock_at_start``
runs before the store is opened: nothing happens for a plaintext file; an encrypted one is opened with the
password from ``--password-env VAR`` (headless) or asked up to three times. The password stays in memory
(``db.remember_passphrase``) and is never written anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from lamha_desktop.storage import db, encryption
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.messages import text
from lamha_desktop.ui.widgets import FormDialog

TRIES = 3


class PasswordDialog(FormDialog):
    """One password (to open), or a new one typed twice (``confirm``), with an optional error shown first."""

    def __init__(self, *, title: str, prompt: str, confirm: bool = False, error: str = "",
                 ok_text: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.confirm = confirm
        intro = QLabel(prompt)
        intro.setWordWrap(True)
        intro.setObjectName("prompt")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, intro)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("password", tr("&Mật khẩu mới:") if confirm else tr("&Mật khẩu:"), self.password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if confirm:
            self.add_field("again", tr("&Nhập lại:"), self.again)
        self.show_text = QCheckBox(tr("&Hiện mật khẩu"))
        self.show_text.toggled.connect(self._toggle_echo)
        self.form.addRow(self.show_text)
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        ok.setText(ok_text or tr("&Đồng ý"))
        ok.setToolTip("")
        if error:
            self.general_error.setText(error)
            self.general_error.show()
        self.password.setFocus()
        self.setMinimumWidth(480)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)
        self.again.setEchoMode(mode)

    def value(self) -> str | None:
        """The password, or None after showing what is wrong with it."""
        self.clear_errors()
        typed = self.password.text()
        if not typed:
            self.show_errors([("password", tr("Chưa nhập mật khẩu."))])
            return None
        if self.confirm:
            if len(db.normalize_passphrase(typed)) < encryption.MIN_LENGTH:
                self.show_errors([("password", text("db.password_short", {"minimum": encryption.MIN_LENGTH}))])
                return None
            if db.normalize_passphrase(typed) != db.normalize_passphrase(self.again.text()):
                self.show_errors([("again", text("db.password_mismatch"))])
                return None
        return typed

    def accept(self) -> None:
        if self.value() is not None:
            super().accept()

    @classmethod
    def ask(cls, *, title: str, prompt: str, confirm: bool = False, error: str = "", ok_text: str | None = None,
            parent: QWidget | None = None) -> str | None:
        dlg = cls(title=title, prompt=prompt, confirm=confirm, error=error, ok_text=ok_text, parent=parent)
        return dlg.value() if dlg.exec() == FormDialog.DialogCode.Accepted else None


def unlock_at_start(db_path: Path, *, env_var: str | None, interactive: bool,
                    parent: QWidget | None = None) -> bool:
    """Make the password of an encrypted ``db_path`` known for this session before it is opened.

    True when the file can be opened (a plaintext file: at once), False when the user cancelled. Raises
    StorageError: db.encryption_unavailable, db.password_env_missing, db.password_required (headless
    without ``--password-env``), db.wrong_password (after three wrong tries, or a wrong one from the
    environment).
    """
    db_path = Path(db_path)
    if not db.needs_password(db_path):
        return True
    db.sqlcipher_module()
    if env_var:
        value = os.environ.get(env_var)
        if not value:
            raise StorageError("db.password_env_missing", name=env_var)
        db.check_passphrase(db_path, value)
        db.remember_passphrase(value)
        return True
    if not interactive:
        raise StorageError("db.password_required", path=str(db_path))
    error = ""
    for attempt in range(1, TRIES + 1):
        typed = PasswordDialog.ask(
            title=tr("Mở dữ liệu có mật khẩu"),
            prompt=tr("Dữ liệu {path} đã được mã hóa. Nhập mật khẩu để mở.").format(path=str(db_path)),
            error=error, ok_text=tr("&Mở"), parent=parent)
        if typed is None:
            return False
        try:
            db.check_passphrase(db_path, typed)
        except StorageError as exc:
            if exc.code != "db.wrong_password":
                raise
            error = tr("Mật khẩu không đúng (còn {n} lần thử). Kiểm tra chữ hoa, chữ thường, dấu tiếng Việt "
                       "và bộ gõ.").format(n=TRIES - attempt)
            continue
        db.remember_passphrase(typed)
        return True
    raise StorageError("db.wrong_password", path=str(db_path))

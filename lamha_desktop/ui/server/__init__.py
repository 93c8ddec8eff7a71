"""The shared server in the window: "Kết nối máy chủ…", the password asked at start, the offline fallback and
the refresh when another clerk changes data.

* :class:`ServerDialog` edits the address (host, port, database, user, TLS mode) and keeps it in the settings
  (``server/url``, without any password); the next start connects to it. Choosing "this computer's data" clears it.
* :class:`PasswordDialog` asks for the password each time (it is never stored).
* :func:`connect_at_start` connects, asks again after a wrong password, and when the server cannot be reached says
  so in one line (host and reason) and offers the last local copy of the data, opened read-only.
* :class:`ChangePoller` polls the server's change counter every few seconds; when another clerk committed a
  change, every view reloads (``OpChanges(everything=True)`` through ``ui.changes.announce``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.operations import OpChanges
from lamha_desktop.storage import db, repo, server, settings
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui import changes, messages
from lamha_desktop.ui.messages import tr

__all__ = ["ChangePoller", "PasswordDialog", "ServerDialog", "connect_at_start", "install", "saved_url"]

log = logging.getLogger(__name__)

URL_KEY = "server/url"
POLL_MS = 3000
SSL_MODES = ("verify-full", "verify-ca", "require", "prefer", "disable")
PASSWORD_TRIES = 3


def saved_url() -> str:
    """The server address chosen in "Kết nối máy chủ…" ("" for this computer's own data)."""
    return str(QSettings().value(URL_KEY, "") or "")


def _ok_cancel(box: QDialogButtonBox) -> None:
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    if ok is not None:
        ok.setText(tr("Đồng ý"))
    if cancel is not None:
        cancel.setText(tr("Hủy"))


class ServerDialog(QDialog):
    """Where the shared server is; how the connection is secured is said under the TLS choice."""

    def __init__(self, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Kết nối máy chủ"))
        current = server.ServerAddress.parse(url) if url else None
        self.host = QLineEdit(current.host if current else "")
        self.host.setPlaceholderText("may-chu.bantochuc.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(current.port or 5432 if current else 5432)
        self.dbname = QLineEdit(current.dbname if current else "lamha")
        self.user = QLineEdit(current.user if current else "")
        self.sslmode = QComboBox()
        for mode in SSL_MODES:
            self.sslmode.addItem(server.TLS_TEXTS[mode], mode)
        self.sslmode.setCurrentIndex(SSL_MODES.index(current.sslmode) if current and current.sslmode in SSL_MODES
                                     else 0)
        form = QFormLayout()
        form.addRow(tr("Máy chủ:"), self.host)
        form.addRow(tr("Cổng:"), self.port)
        form.addRow(tr("Tên cơ sở dữ liệu:"), self.dbname)
        form.addRow(tr("Tên đăng nhập:"), self.user)
        form.addRow(tr("Bảo mật đường truyền:"), self.sslmode)
        note = QLabel(tr("Mật khẩu được hỏi mỗi lần mở phần mềm và không được lưu lại. Để trống máy chủ để dùng dữ "
                         "liệu trên chính máy này. Thay đổi có hiệu lực khi mở lại phần mềm."))
        note.setWordWrap(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        _ok_cancel(box)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(box)

    def url(self) -> str:
        host = self.host.text().strip()
        if not host:
            return ""
        user = self.user.text().strip()
        where = f"{user}@{host}" if user else host
        return f"postgresql://{where}:{self.port.value()}/{self.dbname.text().strip()}?sslmode={self.sslmode.currentData()}"

    @classmethod
    def ask(cls, parent: QWidget | None = None, url: str = "") -> str | None:
        """The new address ("" for this computer's data), or None when cancelled; kept in the settings."""
        dialog = cls(url or saved_url(), parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.url()
        QSettings().setValue(URL_KEY, chosen)
        return chosen


class PasswordDialog(QDialog):
    def __init__(self, address: server.ServerAddress, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Mật khẩu máy chủ"))
        layout = QVBoxLayout(self)
        label = QLabel(tr("Máy chủ: {server}\nBảo mật: {tls}").format(server=address.display(),
                                                                      tls=address.tls_text()))
        label.setWordWrap(True)
        layout.addWidget(label)
        if problem:
            warning = QLabel(problem)
            warning.setWordWrap(True)
            layout.addWidget(warning)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("Mật khẩu:"), self.password)
        layout.addLayout(form)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        _ok_cancel(box)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    @classmethod
    def ask(cls, address: server.ServerAddress, problem: str = "", parent: QWidget | None = None) -> str | None:
        dialog = cls(address, problem, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.password.text()


def offer_local_copy(address: server.ServerAddress, line: str) -> bool:
    """The server cannot be reached: say so (one line) and offer the last local copy; True to open it."""
    copy = server.local_copy_path(address)
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Không kết nối được máy chủ"), line)
    if copy.is_file():
        at = dt.datetime.fromtimestamp(copy.stat().st_mtime).strftime("%H:%M ngày %d/%m/%Y")
        box.setInformativeText(tr("Có thể mở bản sao gần nhất trên máy này (lúc {at}) để xem, không sửa được.")
                               .format(at=at))
        open_copy = box.addButton(tr("Mở bản sao (chỉ đọc)"), QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(messages.text("server.no_offline_copy", {}))
        open_copy = None
    box.addButton(tr("Thoát"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return open_copy is not None and box.clickedButton() is open_copy


def connect_at_start(url: str, *, password: str | None, interactive: bool,
                     ask_password: Callable[..., str | None] | None = None,
                     offer_copy: Callable[[server.ServerAddress, str], bool] | None = None) -> Path | None:
    """Connect to the server at ``url`` for the window. Returns None when connected; the path of the local copy
    when the server could not be reached and the user chose to open it (read-only, already open); raises
    StorageError otherwise (SystemExit(0) when the user cancelled the password)."""
    address = server.ServerAddress.parse(url)
    ask = ask_password or PasswordDialog.ask
    offer = offer_copy or offer_local_copy
    given, asked = password, 0
    while True:
        try:
            server.open_server(url, password=given)
            return None
        except StorageError as exc:
            line = messages.text(exc.code, exc.params)
            wants_password = exc.code in ("server.auth_failed", "server.password_required")
            if wants_password and interactive and password is None and asked < PASSWORD_TRIES:
                # No password yet (the server may trust this computer), or a wrong one: ask, saying why.
                given = ask(address, line if exc.code == "server.auth_failed" else "")
                asked += 1
                if given is None:
                    raise SystemExit(0) from exc
                continue
            if exc.code == "server.unreachable" and interactive and offer(address, line):
                copy = server.local_copy_path(address)
                db.open_database(copy, create=False, read_only=True)
                return copy
            raise


class ChangePoller(QObject):
    """Polls the server's change counter; another clerk's commit makes every view reload."""

    def __init__(self, window: QWidget, interval_ms: int = POLL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.seen = server.change_counter()
        self.failed = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> bool:
        """Check once; True when another clerk's changes were announced."""
        if server.current() is None:
            self.timer.stop()
            return False
        try:
            now = server.change_counter()
        except Exception as exc:  # the connection dropped: say so once, keep trying
            if not self.failed:
                self.failed = True
                log.warning("change counter: %s", exc)
                status = getattr(self.window, "statusBar", None)
                if callable(status):
                    status().showMessage(tr("Mất kết nối với máy chủ; đang thử lại…"), 10000)
            _reset_connection()
            return False
        self.failed = False
        if now == self.seen:
            return False
        others = server.changed_by_others(self.seen, now)
        self.seen = now
        if others:
            settings.forget_cache()
            repo.forget_days_off()
            changes.announce(OpChanges("server.changed", everything=True))
        return others


def _reset_connection() -> None:
    """A dropped connection is reopened by the next query (peewee reconnects a closed database)."""
    target = server.current()
    if target is not None and not target.is_closed():
        try:
            target.close()
        except Exception as exc:  # the socket is gone already
            log.debug("closing a dropped connection: %s", exc)


def install(window: Any) -> None:
    """Add "Kết nối máy chủ…" to the File menu; on a server, show where the window is connected, start the
    poller, and turn off what only a data file has (its backups, restore, password: the server's are pg_dump's
    and its accounts')."""
    act = QAction(tr("&Kết nối máy chủ…"), window)
    act.setStatusTip(tr("Dùng chung một cơ sở dữ liệu trên máy chủ PostgreSQL với các văn thư khác"))
    act.triggered.connect(lambda: _choose(window))
    menu = getattr(window, "file_menu", None)
    quit_action = getattr(window, "act_quit", None)
    if menu is not None:
        if quit_action is not None:
            menu.insertAction(quit_action, act)
        else:
            menu.addAction(act)
    window.act_server = act
    target = server.current()
    if target is None:
        return
    label = getattr(window, "db_label", None)
    if label is not None:
        label.setText(tr("Máy chủ: {server} ({tls})").format(server=target.address.display(),
                                                              tls=target.address.tls_text()))
    window.server_poller = ChangePoller(window)
    for holder, names in (("safety", ("act_backup_now", "act_backup_to", "act_restore")),
                          ("encryption", ("act_set", "act_change", "act_remove"))):
        controller = getattr(window, holder, None)
        for name in names:
            action = getattr(controller, name, None)
            if isinstance(action, QAction):
                action.setEnabled(False)
                action.setToolTip(tr("Dữ liệu trên máy chủ được sao lưu bằng pg_dump (xem hướng dẫn máy chủ)."))


def _choose(window: QWidget) -> None:
    chosen = ServerDialog.ask(window)
    if chosen is None:
        return
    text = (tr("Lần mở sau phần mềm sẽ kết nối {server}.").format(server=server.ServerAddress.parse(chosen).display())
            if chosen else tr("Lần mở sau phần mềm sẽ dùng dữ liệu trên máy này."))
    QMessageBox.information(window, tr("Kết nối máy chủ"), text)

"""Our own errors: one excepthook, a local crash report, and a Vietnamese dialog with "copy details"."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

_PID = re.compile(r"(?<!\d)(\d{9})(\d{3})(?!\d)")


def mask_ids(text: str) -> str:
    """Hide all but the last 3 digits of every 12-digit number (personal IDs never reach a log in full)."""
    return _PID.sub(lambda m: "*" * 9 + m.group(2), text)


class MaskPersonalIds(logging.Filter):
    """Applied to every log handler: a personal ID never reaches a log in full, whoever logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ids(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_ids(logging.Formatter().formatException(record.exc_info))
        return True


def install_log_masking(logger: logging.Logger | None = None) -> None:
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, MaskPersonalIds) for f in handler.filters):
            handler.addFilter(MaskPersonalIds())


def crash_dir() -> Path:
    from PySide6.QtCore import QStandardPaths

    base = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    return base / "crash-reports"


def write_crash_report(details: str) -> Path | None:
    try:
        folder = crash_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(details, encoding="utf-8")
        return path
    except OSError:
        return None


def environment_problem(exc: BaseException) -> tuple[str, dict[str, object]] | None:
    """A full disk, a read-only file or a locked database: the environment's error, not ours (a message code)."""
    import errno
    import sqlite3

    if not isinstance(exc, OSError | sqlite3.Error) and type(exc).__module__ != "peewee":
        return None
    from lamha_desktop.storage import db

    path = str(db.database.database or "")
    msg = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in msg:
        return "db.disk_full", {"path": path}
    if "readonly database" in msg or "read-only file system" in msg or (
            isinstance(exc, OSError) and exc.errno == errno.EROFS):
        return "db.read_only", {"path": path, "detail": mask_ids(str(exc))}
    if "database is locked" in msg:
        return "db.locked", {"path": path}
    return None


def install_excepthook(*, show_dialogs: bool) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        env = environment_problem(exc)
        if env is not None:  # the transaction was rolled back whole; tell the user what to do, no crash report
            from lamha_desktop.ui.safety.messages import text

            log.warning("environment problem %s: %s", env[0], mask_ids(str(exc)))
            if show_dialogs:
                from PySide6.QtWidgets import QApplication, QMessageBox

                if QApplication.instance() is not None:
                    QMessageBox.warning(None, "Không ghi được dữ liệu", text(*env))
            return
        details = mask_ids("".join(traceback.format_exception(exc_type, exc, tb)))
        log.error("unexpected error:\n%s", details)
        report = write_crash_report(details)
        if not show_dialogs:
            return
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Lỗi không mong muốn",
                          "Đã xảy ra lỗi không mong muốn. Dữ liệu đã lưu không bị ảnh hưởng; "
                          "bạn có thể tiếp tục làm việc." + (f"\nBáo cáo lỗi: {report}" if report else ""))
        box.setDetailedText(details)
        copy = box.addButton("Sao chép chi tiết", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if box.clickedButton() is copy:
            QApplication.clipboard().setText(details)

    sys.excepthook = hook

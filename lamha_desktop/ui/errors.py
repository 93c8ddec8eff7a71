"""Our own errors: one excepthook, a local crash report, and a Vietnamese dialog with "copy details".

The crash report lives in the data folder (``set_crash_dir``), with personal IDs and students' names masked,
so it can be sent to whoever maintains the application.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from lamha_desktop.domain import privacy

log = logging.getLogger(__name__)


def mask_ids(text: str) -> str:
    """Personal IDs never reach a log, a crash report or a console in full: the one rule of
    ``domain.privacy.mask_ids`` (only the last digits shown)."""
    return privacy.mask_ids(text)


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


CRASH_DIRNAME = "crash-reports"
_crash_dir: Path | None = None


def set_crash_dir(folder: Path | None) -> None:
    """Where crash reports go: the data folder's ``crash-reports`` once it is known, so a report (which may
    quote a student) travels with the data and never lands in the profile of the PC a USB drive is used on."""
    global _crash_dir
    _crash_dir = Path(folder) if folder is not None else None


def crash_dir() -> Path | None:
    """The folder of crash reports, or None before the data folder is known (the report is logged only)."""
    return _crash_dir


# A Vietnamese personal name as it appears in a message: two to six capitalised words, at least one of them
# with a Vietnamese letter (Nguyễn, Trần, Lê, Đỗ…), so English words and code stay as they are.
_VI_LETTER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_WORD = f"[{_UPPER}][a-z{_VI_LETTER}]*"
_NAME = re.compile(rf"(?<![\w]){_WORD}(?:[ \t]+{_WORD}){{1,5}}(?![\w])")


def _mask_word(word: str) -> str:
    return word[0] + "*" * (len(word) - 1)


def _mask_name(match: re.Match[str]) -> str:
    text = match.group(0)
    if not any(ch in _VI_LETTER for ch in text.lower()):
        return text
    return " ".join(_mask_word(w) for w in text.split())


def known_names() -> list[str]:
    """The candidates' names in the open database (longest first), or [] when it cannot be read."""
    try:
        from lamha_desktop.storage import db
        from lamha_desktop.storage.typed_peewee import raw

        if db.database.is_closed():
            return []
        rows = raw(db.database).execute_sql("SELECT DISTINCT full_name FROM candidate").fetchall()
    except Exception:  # the report is written whatever state the database is in
        return []
    return sorted((str(r[0]) for r in rows if r[0] and len(str(r[0]).strip()) > 2), key=len, reverse=True)


def mask_names(text: str, names: Sequence[str] = ()) -> str:
    """Hide personal names: every one of ``names`` (the students of the database, with or without
    diacritics), and anything shaped like a Vietnamese full name, down to the first letter of each word."""
    for name in names:
        if name in text:
            text = text.replace(name, " ".join(_mask_word(w) for w in name.split()))
    return _NAME.sub(_mask_name, text)


def mask_personal(text: str) -> str:
    """A crash report as it may be kept or sent: personal IDs and names masked."""
    return mask_names(mask_ids(text), known_names())


def write_crash_report(details: str) -> Path | None:
    """Write ``details`` (already masked) to the data folder's crash reports; None when there is no such
    folder yet or it cannot be written."""
    folder = crash_dir()
    if folder is None:
        return None
    try:
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

    path = str(db.database.file_path or db.database.database or "")
    msg = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno in db.NO_SPACE_ERRNOS) or "disk is full" in msg:
        return "db.disk_full", {"path": path}
    if "readonly database" in msg or "read-only file system" in msg or (
            isinstance(exc, OSError) and exc.errno == errno.EROFS):
        return "db.read_only", {"path": path, "detail": mask_ids(str(exc))}
    if "database is locked" in msg:
        return "db.locked", {"path": path}
    if "disk i/o error" in msg or (isinstance(exc, OSError) and exc.errno == errno.EIO):
        return "db.io_error", {"path": path, "detail": mask_ids(str(exc))}
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
        details = mask_personal("".join(traceback.format_exception(exc_type, exc, tb)))
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

"""When the application checks the database file (``PRAGMA quick_check``), and how start-up avoids paying for it.

A full ``quick_check`` reads every page: 0.3 s at 100,000 students here, seconds on an old office PC with a
hard disk and an antivirus. The application window therefore checks:

- **at once, before anything else**, after an unclean exit (the previous session's marker is still there:
  a crash, a power cut, a killed process) and when no passed check was ever recorded for this file;
- **in the background** once a day otherwise: a thread reads the file through its own read-only connection
  while the window opens, and every write waits for it (:func:`require_sound`, called by
  ``operations.core.writing``): a damaged file is never written to.

Two small files beside the database carry this state: ``<db>.session`` (present while a window has the
database open; removed by a clean close) and ``<db>.checked`` (the date of the last check that passed). A
missing or unreadable state file only means "check now". Direct callers of ``db.open_database`` (restore,
encryption, the headless commands) keep its own check at every open.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lamha_desktop.storage import db

log = logging.getLogger(__name__)

SESSION_SUFFIX = ".session"
CHECKED_SUFFIX = ".checked"

NOW, BACKGROUND, SKIP = "now", "background", "skip"


def session_marker(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + SESSION_SUFFIX)


def checked_stamp(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + CHECKED_SUFFIX)


def last_checked(path: Path) -> dt.date | None:
    """The date of the last passed check of ``path`` (None: never recorded, or unreadable)."""
    try:
        return dt.date.fromisoformat(checked_stamp(path).read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def record_check(path: Path, on: dt.date) -> None:
    """Remember that ``path`` passed its check on ``on`` (best effort: a read-only folder checks again)."""
    try:
        checked_stamp(path).write_text(on.isoformat(), encoding="ascii")
    except OSError as exc:
        log.info("check date not recorded for %s: %s", path, exc)


def policy(path: Path, *, today: dt.date) -> str:
    """NOW after an unclean exit or without a recorded check, BACKGROUND when the last one is older than
    today, SKIP when it passed today."""
    if session_marker(path).exists():
        return NOW
    checked = last_checked(path)
    if checked is None:
        return NOW
    return SKIP if checked >= today else BACKGROUND


def begin_session(path: Path) -> None:
    """Mark ``path`` as open by a window; :func:`end_session` removes the mark at a clean close."""
    try:
        session_marker(path).write_bytes(b"")
    except OSError as exc:  # a read-only folder: nothing is written there anyway
        log.info("session marker not written for %s: %s", path, exc)


def end_session(path: Path) -> None:
    try:
        session_marker(path).unlink(missing_ok=True)
    except OSError as exc:
        log.info("session marker not removed for %s: %s", path, exc)


# ---------------------------------------------------------------- the check in the background


@dataclass
class _Background:
    """The day's check of one file running in a background thread, and what it found."""

    path: Path
    thread: threading.Thread | None = None
    connection: Any = None
    problem: str | None = None
    failed: Exception | None = None
    stopped: bool = False


_lock = threading.Lock()
_current: _Background | None = None


def _run(job: _Background, key: str | None, today: dt.date) -> None:
    try:
        con = db.connect_file(job.path, passphrase=key)
        with _lock:
            if job.stopped:
                con.close()
                return
            job.connection = con
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA quick_check(5)").fetchall()]
        finally:
            with _lock:
                job.connection = None
            con.close()
        job.problem = None if rows == ["ok"] else "; ".join(rows)
        if job.problem is None:
            record_check(job.path, today)
        else:
            log.error("background check found %s damaged: %s", job.path, job.problem)
    except Exception as exc:  # interrupted at close, or the file cannot be read: not a verdict on the file
        if not job.stopped:
            log.warning("background check of %s did not finish: %s", job.path, exc)
            job.failed = exc


def check_in_background(path: Path, *, today: dt.date) -> None:
    """Start ``quick_check`` of ``path`` on a read-only connection of its own (the session's password, if
    any); :func:`require_sound` waits for it."""
    global _current
    stop()
    job = _Background(Path(path))
    job.thread = threading.Thread(target=_run, args=(job, db.session_passphrase(), today),
                                  name="lamha-quick-check", daemon=True)
    _current = job
    job.thread.start()


def running() -> bool:
    job = _current
    return job is not None and job.thread is not None and job.thread.is_alive()


def background_problem() -> str | None:
    """What a finished background check found (None: passed, still running, or none ran)."""
    job = _current
    if job is None or running():
        return None
    return job.problem


def require_sound() -> None:
    """Wait for the background check, if one runs; StorageError("db.damaged_in_background") when it found
    damage."""
    job = _current
    if job is None or job.thread is None:
        return
    job.thread.join()
    if job.problem is not None:
        raise db.StorageError("db.damaged_in_background", path=str(job.path), detail=job.problem)


def stop() -> None:
    """Interrupt and forget the background check (the database closes, or another one opens)."""
    global _current
    job = _current
    _current = None
    if job is None:
        return
    with _lock:
        job.stopped = True
        if job.connection is not None:
            job.connection.interrupt()
    if job.thread is not None:
        job.thread.join()


db.on_database_change(stop)  # a background check reads the file through its own connection


def open_checked(path: Path, *, today: dt.date, **options: Any) -> str:
    """``db.open_database(path, **options)`` for the application window, with the check of :func:`policy`:
    at once (the open refuses a damaged file), in the background, or not today. Returns the policy used."""
    new = not Path(path).exists() or Path(path).stat().st_size == 0
    when = SKIP if new else policy(path, today=today)
    db.open_database(path, check=when == NOW, **options)
    if new or when == NOW:
        record_check(path, today)
    elif when == BACKGROUND:
        check_in_background(path, today=today)
    return when

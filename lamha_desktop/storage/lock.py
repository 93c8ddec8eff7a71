"""One writer per data folder, across processes and machines: an operating-system lock on ``lamha.lock``.

The GUI holds the lock for as long as it runs; a headless writer (``import-students``, ``import-return``,
``import-history``, ``restore``) holds it for the whole command; an operation that finds it not held by its
own process takes it for the length of its transaction. A second writer waits a few seconds, then gives up
with :class:`LockBusy` (the message names the machine, the process and what it is doing).

The lock is an exclusive OS lock on the file (``flock`` on POSIX, a one-byte ``msvcrt.locking`` region on
Windows). The operating system drops it when its process ends, however it ends (a crash, a power cut, a USB
stick pulled out, a PC switched off on the network), so no lock is ever left behind and no "stale lock" has to
be guessed at and taken over. Who holds it is written beside it in ``lamha.lock.owner`` (JSON), for the message
only: that file is never trusted for the locking itself.

Within one process the lock is re-entrant: :func:`acquire` on a folder this process already holds only counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import getpass
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from lamha_desktop.storage.db import StorageError

__all__ = ["LOCK_FILENAME", "LockBusy", "acquire", "held", "holder", "holding", "release"]

log = logging.getLogger(__name__)

LOCK_FILENAME = "lamha.lock"
OWNER_SUFFIX = ".owner"
POLL_SECONDS = 0.1
# errnos that mean "this file system cannot lock" (some network shares): the write goes on without the lock.
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


class LockBusy(StorageError):
    """Another process holds the data folder; ``params`` say which (host, pid, user, purpose, since)."""

    def __init__(self, path: Path, owner: dict[str, Any]) -> None:
        since = str(owner.get("since") or "")
        try:
            since = dt.datetime.fromisoformat(since).strftime("%H:%M ngày %d/%m/%Y")
        except ValueError:
            since = since or "?"
        super().__init__("data.busy", path=str(path), host=owner.get("host") or "?", pid=owner.get("pid") or "?",
                         user=owner.get("user") or "?", purpose=owner.get("purpose") or "", since=since)


class _Backend(Protocol):
    def try_lock(self, fd: int) -> bool: ...

    def unlock(self, fd: int) -> None: ...


class _Posix:
    def try_lock(self, fd: int) -> bool:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def unlock(self, fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class _Windows:
    """A one-byte lock at offset 0 (``LockFileEx`` underneath); released by Windows when the process ends."""

    def try_lock(self, fd: int) -> bool:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK) or getattr(exc, "winerror", None) in (33, 36):
                return False  # ERROR_LOCK_VIOLATION, ERROR_SHARING_BUFFER_EXCEEDED
            raise
        return True

    def unlock(self, fd: int) -> None:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


def _backend() -> _Backend:
    return _Windows() if sys.platform == "win32" else _Posix()


@dataclass
class _Held:
    """This process's lock on one data folder: the locked file, how many holders share it, and what for."""

    fd: int | None  # None: the file system cannot lock, the write goes on unlocked
    count: int
    purpose: str


_held: dict[str, _Held] = {}


def _key(data_dir: Path) -> str:
    return os.path.normcase(os.path.abspath(data_dir))


def _lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_FILENAME


def _owner_path(data_dir: Path) -> Path:
    return Path(data_dir) / (LOCK_FILENAME + OWNER_SUFFIX)


def holder(data_dir: Path) -> dict[str, Any]:
    """What ``lamha.lock.owner`` says about the holder (empty when unreadable)."""
    try:
        value = json.loads(_owner_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_owner(data_dir: Path, purpose: str) -> None:
    try:
        user = getpass.getuser()
    except Exception:  # no login name (a service account)
        user = "?"
    owner = {"host": socket.gethostname(), "pid": os.getpid(), "user": user, "purpose": purpose,
             "since": dt.datetime.now().isoformat(timespec="seconds")}
    try:
        _owner_path(data_dir).write_text(json.dumps(owner, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:  # the message of a later refusal is poorer; the lock itself holds
        log.warning("could not write the lock owner file: %s", exc)


def _storage_error(exc: OSError, folder: Path) -> StorageError:
    code = "db.disk_full" if exc.errno == errno.ENOSPC else "db.read_only"
    return StorageError(code, path=str(folder), detail=exc.strerror or str(exc))


def held(data_dir: Path) -> bool:
    """Whether this process holds the lock of ``data_dir``."""
    return _key(data_dir) in _held


def acquire(data_dir: Path, *, purpose: str, wait: float = 0.0) -> None:
    """Take the lock of ``data_dir`` for this process (re-entrant), waiting up to ``wait`` seconds.

    Raises LockBusy when another process keeps it, StorageError("db.read_only"/"db.disk_full") when the lock
    file cannot be created (the folder is not writable).
    """
    key = _key(data_dir)
    mine = _held.get(key)
    if mine is not None:
        mine.count += 1
        return
    folder = Path(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(_lock_path(folder), os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise _storage_error(exc, folder) from exc
    backend = _backend()
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            try:
                if backend.try_lock(fd):
                    break
            except OSError as exc:
                if exc.errno in _NO_LOCKING:
                    log.warning("the file system of %s cannot lock files; writing without the lock", folder)
                    os.close(fd)
                    _held[key] = _Held(None, 1, purpose)
                    return
                raise _storage_error(exc, folder) from exc
            if time.monotonic() >= deadline:
                raise LockBusy(folder, holder(folder))
            time.sleep(POLL_SECONDS)
    except BaseException:
        os.close(fd)
        raise
    _held[key] = _Held(fd, 1, purpose)
    _write_owner(folder, purpose)


def release(data_dir: Path) -> None:
    """Give back one :func:`acquire` of ``data_dir``; the lock goes when the last one is given back."""
    key = _key(data_dir)
    mine = _held.get(key)
    if mine is None:
        return
    mine.count -= 1
    if mine.count > 0:
        return
    del _held[key]
    if mine.fd is None:
        return
    with contextlib.suppress(OSError):
        _owner_path(Path(data_dir)).unlink(missing_ok=True)
    try:
        _backend().unlock(mine.fd)
    except OSError as exc:  # closing the descriptor releases it anyway
        log.warning("unlocking %s: %s", data_dir, exc)
    finally:
        os.close(mine.fd)


def release_all() -> None:
    """Give back every lock this process holds (at exit)."""
    for key in list(_held):
        _held[key].count = 1
        release(Path(key))


@contextlib.contextmanager
def holding(data_dir: Path, *, purpose: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of ``data_dir`` for the ``with`` block."""
    acquire(data_dir, purpose=purpose, wait=wait)
    try:
        yield
    finally:
        release(data_dir)

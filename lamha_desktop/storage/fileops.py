"""File operations that behave the same on Windows and Linux: flushing a file to disk, an atomic rename that
waits out an antivirus scan, telling who holds a file, and SQLite ``file:`` URIs for any path.

Windows differs where it hurts a data folder: ``os.fsync`` needs a descriptor opened for writing (a read-only
one raises EBADF); antivirus, backup and indexing programs open a freshly written file for a moment, so a rename
over it fails with "access denied" or "used by another process" and succeeds a fraction of a second later; a file
open in Excel cannot be replaced at all; SQLite refuses ``file://server/share/...`` (an authority) but accepts
``file:////server/share/...``. Pure functions take ``PureWindowsPath`` or ``PurePosixPath`` so that the Windows
cases are tested on Linux. No Qt here.
"""

from __future__ import annotations

import errno
import logging
import ntpath
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote

__all__ = [
    "REPLACE_DELAYS",
    "FileBusy",
    "absolute",
    "fsync_file",
    "held_by_another_program",
    "replace",
    "sqlite_uri",
]

log = logging.getLogger(__name__)

# Windows error numbers (OSError.winerror) of a file that another program holds.
ERROR_ACCESS_DENIED = 5
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
BUSY_WINERRORS = frozenset({ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION})

# Pauses between the tries of a rename: about 1.5 s in all, longer than a typical on-access scan.
REPLACE_DELAYS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)


class FileBusy(PermissionError):
    """A rename that still failed after every retry: another program (antivirus, backup, indexing, or a
    program that has the target open) holds one of the files. Carries the last ``PermissionError``."""

    def __init__(self, src: str, dst: str, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), dst)
        self.src = src
        self.dst = dst
        self.cause = cause
        self.winerror_code = getattr(cause, "winerror", None)


def held_by_another_program(exc: BaseException) -> bool:
    """Whether ``exc`` says that another program holds the file (for now): a sharing or lock violation on
    Windows. "Access denied" (5) is included, because antivirus reports a file it scans that way; on Linux no
    program can hold a file like that, so only the Windows codes count."""
    return isinstance(exc, OSError) and getattr(exc, "winerror", None) in BUSY_WINERRORS


def _retryable(exc: OSError) -> bool:
    if isinstance(exc, PermissionError):
        return True  # Windows maps 5/32/33 to PermissionError; on Linux a retry costs a second and nothing else
    return held_by_another_program(exc)


def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str], *,
            delays: tuple[float, ...] | None = None, sleep: Callable[[float], None] | None = None) -> None:
    """``os.replace(src, dst)``, tried again after short pauses (``REPLACE_DELAYS``) while another program holds
    one of the files.

    Raises FileBusy (a PermissionError) when the last try still fails that way, and any other OSError at once.
    """
    pauses = REPLACE_DELAYS if delays is None else delays
    wait = time.sleep if sleep is None else sleep
    for attempt, pause in enumerate((*pauses, None)):
        try:
            os.replace(src, dst)
        except OSError as exc:
            if not _retryable(exc):
                raise
            if pause is None:
                raise FileBusy(os.fspath(src), os.fspath(dst), exc) from exc
            log.info("rename of %s held by another program (try %d): %s", os.fspath(dst), attempt + 1, exc)
            wait(pause)
        else:
            return


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Flush ``path`` to disk. Windows flushes only through a descriptor opened for writing (``_commit`` on a
    read-only one raises EBADF), so the file is opened for writing where it may be; a file that cannot be
    opened so (read-only) is flushed where the system allows and otherwise left as it is: durability is
    then the system's, but nothing fails."""
    binary = getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, os.O_RDWR | binary)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY | binary)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EBADF, errno.EINVAL, errno.EACCES, errno.EPERM, errno.ENOTSUP):
            raise
        log.info("fsync of %s not possible here: %s", os.fspath(path), exc)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- SQLite URIs


def absolute(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute without following links: a mapped drive (``Z:\\``) stays a drive letter.

    (``Path.resolve()`` on Windows turns a mapped network drive into its ``\\\\server\\share`` form.)"""
    return Path(os.path.abspath(os.fspath(path)))


def _windows_uri_path(path: PureWindowsPath) -> str:
    text = str(path)
    if text.startswith(("\\\\?\\UNC\\", "\\\\.\\UNC\\")):  # extended-length UNC: \\?\UNC\server\share\...
        text = "\\\\" + text[8:]
    elif text.startswith(("\\\\?\\", "\\\\.\\")) and ntpath.splitdrive(text[4:])[0]:  # \\?\C:\...
        text = text[4:]
    posix = PureWindowsPath(text).as_posix()
    if posix.startswith("//"):  # UNC: an empty authority, then the share as the path: file:////server/share/...
        return posix
    if not ntpath.splitdrive(text)[0]:
        raise ValueError(f"not an absolute Windows path: {text!r}")
    return "/" + posix  # a drive letter: file:///Z:/...


def sqlite_uri(path: PurePath, *, mode: str = "ro", immutable: bool = False) -> str:
    """The SQLite ``file:`` URI of the absolute ``path`` (``PureWindowsPath`` or ``PurePosixPath``), with
    ``mode`` (``ro``, ``rw``, ``rwc``). A pure function: nothing is read from the disk.

    The forms are those SQLite accepts (https://sqlite.org/uri.html): ``file:///home/u/x.db``,
    ``file:///Z:/du%20lieu/x.db`` for a drive letter and ``file:////server/share/x.db`` for a UNC path (an
    authority such as ``file://server/...`` is refused as "invalid uri authority"). Spaces, ``%``, ``?``, ``#``
    and non-ASCII letters are percent-encoded as UTF-8, which SQLite decodes back.
    """
    if isinstance(path, PureWindowsPath):
        uri_path = _windows_uri_path(path)
    else:
        uri_path = PurePosixPath(path).as_posix()
        if not uri_path.startswith("/"):
            raise ValueError(f"not an absolute path: {uri_path!r}")
    query = f"mode={mode}" + ("&immutable=1" if immutable else "")
    return "file://" + quote(uri_path, safe="/:") + "?" + query


def native_uri(path: str | os.PathLike[str], *, mode: str = "ro", immutable: bool = False) -> str:
    """``sqlite_uri`` of ``path`` on this machine, made absolute with ``absolute`` (never resolved)."""
    flavour: type[PurePath] = PureWindowsPath if sys.platform == "win32" else PurePosixPath
    return sqlite_uri(flavour(str(absolute(path))), mode=mode, immutable=immutable)

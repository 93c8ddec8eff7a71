"""Writing a finished file safely: the whole new file or the old one untouched, never a partial file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from lamha_desktop.storage import fileops

# errno values of "no room to write": a full disk, a quota, a file-size limit (FAT's 4 GB).
_NO_SPACE = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
STALE_TEMP_SECONDS = 3600  # a temporary file not written for this long belongs to no export still running


class ExportError(Exception):
    """A return that cannot be built or written; ``code`` is worded by the UI / CLI."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def _write_problem(exc: OSError, path: Path) -> ExportError:
    """The code of a failed write: a file another program holds (antivirus: ``export.busy``; the target open
    in Excel: ``export.locked``), no room (``export.disk_full``), a read-only target, or a folder that cannot
    be written."""
    if exc.errno in _NO_SPACE:
        return ExportError("export.disk_full", path=str(path), detail=str(exc))
    if isinstance(exc, fileops.FileBusy):
        return ExportError("export.busy", path=str(path), detail=str(exc.cause))
    if fileops.held_by_another_program(exc) and getattr(exc, "winerror", None) != fileops.ERROR_ACCESS_DENIED:
        return ExportError("export.locked", path=str(path), detail=str(exc))
    if isinstance(exc, PermissionError) and path.exists():
        return ExportError("export.read_only", path=str(path), detail=str(exc))
    return ExportError("export.not_writable", path=str(path), detail=str(exc))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename (``fileops.replace``,
    which waits out an antivirus scan of the new file).

    Raises ExportError("export.locked") when another program has the target open (Excel on Windows),
    ("export.read_only") when the target is read-only, ("export.busy") when another program still holds a file
    after the retries, ("export.disk_full") when there is no room, ("export.not_writable") when the folder is
    missing or not writable. The target is either the complete new file or left untouched; no temporary file
    is left behind, and those a killed export left for the same target are removed. The temporary file is
    readable by its owner only (0600) while it holds the data.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError("export.not_writable", path=str(path), detail="is a directory")
    if not folder.is_dir():
        raise ExportError("export.not_writable", path=str(path), detail="folder does not exist")
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError as exc:
            raise _write_problem(exc, path) from exc
    remove_stale_temporaries(path)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        fileops.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise _write_problem(exc, path) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def remove_stale_temporaries(path: Path, *, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete the temporary files an export of ``path`` killed before its rename left beside it: named as
    :func:`write_atomic` names them (``.{stem}-XXXXXXXX.tmp``) and not written for ``max_age`` seconds.
    Returns the deleted files; never raises."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(f".{path.stem}-") + r"[a-z0-9_]{8}\.tmp")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    cutoff = time.time() - max_age
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed

"""Writing a finished file safely: the whole new file or the old one untouched, never a partial file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any


class ExportError(Exception):
    """A return that cannot be built or written; ``code`` is worded by the UI / CLI."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Raises ExportError("export.locked") when the target exists but cannot be opened for writing (open in
    Excel on Windows, or read-only), ("export.not_writable") when the folder is missing or not writable.
    The target is either the complete new file or left untouched; no temporary file is left behind.
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
        except PermissionError as exc:
            raise ExportError("export.locked", path=str(path), detail=str(exc)) from exc
        except OSError as exc:
            raise ExportError("export.not_writable", path=str(path), detail=str(exc)) from exc
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except PermissionError as exc:
        code = "export.locked" if path.exists() else "export.not_writable"
        raise ExportError(code, path=str(path), detail=str(exc)) from exc
    except OSError as exc:
        raise ExportError("export.not_writable", path=str(path), detail=str(exc)) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)

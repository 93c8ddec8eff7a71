"""Where the program's output goes: standard streams that never fail, and a rotating log file in the data folder.

Windows is unkind to both. The windowed executable (``lamha-desktop.exe``, no console) starts with
``sys.stdout`` and ``sys.stderr`` set to None, so nothing it prints or logs would be seen anywhere; the log file
``<data folder>/logs/lamha.log`` keeps what happened (1 MB, three older files, personal IDs masked). A redirected
stdout on a Vietnamese Windows is encoded in cp1258, where most Vietnamese letters exist only as a letter plus a
separate tone mark, and the plain codec fails on them after the work is done: the streams keep the encoding the
system chose (so ``cmd``, PowerShell and Notepad read them) but write every letter the encoding cannot hold as
the nearest thing it can (``ệ`` as ``ê`` + the dot below in cp1258, ``e`` in ASCII), never raising.

``fix_streams()`` comes first, before anything is printed; ``add_file(data_dir)`` once the data folder is
known. Both are safe to call again. No Qt here.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any, TextIO

__all__ = ["LOG_DIRNAME", "LOG_FILENAME", "add_file", "errors_for", "fix_streams", "log_path", "start_cli"]

LOG_DIRNAME = "logs"
LOG_FILENAME = "lamha.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The five Vietnamese tone marks: code page 1258 has them as separate characters after a base letter.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
PLAIN = {"Đ": "D", "đ": "d", "Ð": "D"}


def _nearest(char: str, encoding: str) -> str:
    """``char`` as the nearest text ``encoding`` can hold: precomposed base letter + tone mark (cp1258), the
    letter without its tone, the bare letter, or "?"."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[:1], decomposed[1:]
    tones = "".join(m for m in marks if m in TONE_MARKS)
    letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONE_MARKS))
    for candidate in (letter + tones, letter, base, PLAIN.get(char, "")):
        if not candidate:
            continue
        try:
            codecs.encode(candidate, encoding, "strict")
        except (UnicodeEncodeError, LookupError):
            continue
        return candidate
    return "?"


_handlers: dict[str, str] = {}


def errors_for(encoding: str) -> str:
    """The name of a codec error handler that writes what ``encoding`` cannot hold as its nearest text.

    (One per encoding: a charmap codec such as cp1258 tells its handler only that it is "charmap".)"""
    name = codecs.lookup(encoding).name
    if name not in _handlers:

        def handler(exc: UnicodeError) -> tuple[str, int]:
            if not isinstance(exc, UnicodeEncodeError):
                raise exc
            return "".join(_nearest(ch, name) for ch in exc.object[exc.start:exc.end]), exc.end

        _handlers[name] = f"lamha-nearest-{name}"
        codecs.register_error(_handlers[name], handler)
    return _handlers[name]


def _reconfigure(stream: TextIO) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    encoding = getattr(stream, "encoding", None)
    if reconfigure is None or not encoding:
        return
    with contextlib.suppress(OSError, ValueError, LookupError, io.UnsupportedOperation):
        reconfigure(errors=errors_for(encoding))


def fix_streams() -> None:
    """Standard streams that accept anything: a sink where there is none (a windowed program), and no
    UnicodeEncodeError whatever the encoding of the console, pipe or file."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives with the process
        else:
            _reconfigure(stream)


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIRNAME / LOG_FILENAME


def _rotating_file(path: str) -> logging.Handler:
    """The rotating log itself. On Windows the window and a headless command may both have the file open, and
    the rename of a rollover fails then: the log goes on in the same file and rotates later."""
    from logging.handlers import RotatingFileHandler

    class SharedRotatingFile(RotatingFileHandler):
        def doRollover(self) -> None:
            try:
                super().doRollover()
            except OSError:
                if self.stream is None and not self.delay:
                    self.stream = self._open()

    return SharedRotatingFile(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)


class _RotatingFile(logging.Handler):
    """The data folder's rotating log, made at its first record: a normal start logs nothing, and
    ``logging.handlers`` (which loads ``socket``, ``pickle`` and ``queue``) cost each start 6 ms. The level and
    the filters are this handler's; the file's handler only formats, writes and rotates."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.baseFilename = os.fspath(path)
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            self._file = _rotating_file(self.baseFilename)
        self._file.formatter = self.formatter
        self._file.emit(record)  # under this handler's lock (``handle``)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def _our_file_handlers() -> list[_RotatingFile]:
    return [h for h in logging.getLogger().handlers if isinstance(h, _RotatingFile)]


def add_file(data_dir: Path) -> Path | None:
    """Log INFO and above to ``<data_dir>/logs/lamha.log`` (replacing the log of an earlier data folder of this
    process); the path, or None when the folder cannot be written (the program runs on without a log file)."""
    from lamha_desktop.ui.errors import MaskPersonalIds

    path = log_path(data_dir).absolute()
    root = logging.getLogger()
    for handler in _our_file_handlers():
        if Path(handler.baseFilename) == path:
            return path
        root.removeHandler(handler)
        handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _RotatingFile(path)
    except OSError:
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskPersonalIds())
    root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    return path


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (as logging's last resort does)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def start_cli(data_dir: Path | None) -> None:
    """A headless command: warnings on stderr, one line each, as before; everything from INFO in the log file
    of ``data_dir`` when that folder exists."""
    from lamha_desktop.ui.errors import MaskPersonalIds

    root = logging.getLogger()
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        console = _Stderr()
        console.setLevel(logging.WARNING)
        console.addFilter(MaskPersonalIds())
        root.addHandler(console)
    folder = Path(data_dir).expanduser() if data_dir is not None else None
    if folder is not None and folder.is_dir():  # a mistyped folder is reported, never created for a log
        add_file(folder)

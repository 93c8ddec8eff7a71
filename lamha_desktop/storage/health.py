"""What a database file on disk is, from its bytes, before SQLite is allowed to touch it.

SQLite opens a 0-byte file as a new, empty database and answers "file is not a database" for everything
else it does not recognise. Neither tells a user what happened, and the first silently replaces a
database lost in a power cut by an empty one. :func:`examine` names the state of a file instead: missing,
empty, a plain SQLite database, cut short, overwritten with zero bytes, another kind of file (a workbook,
a PDF...), or bytes that could be an encrypted (SQLCipher) database. An encrypted file has no header at
all, so random bytes look exactly like one; :func:`plaintext_expected` looks at the backups beside the
database to tell the two apart when no password is known.

Only reads: never creates, writes or locks anything. No Qt, no peewee.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
BACKUP_DIRNAME = "backups"

# Every state a file can be found in; ``DAMAGED`` ones never reach SQLite.
MISSING = "missing"
EMPTY = "empty"
SQLITE = "sqlite"
ENCRYPTED = "encrypted"  # no header, whole pages: SQLCipher, or random bytes (see plaintext_expected)
TRUNCATED = "truncated"
ZEROED = "zeroed"
FOREIGN = "foreign"
GARBAGE = "garbage"
DAMAGED = frozenset({TRUNCATED, ZEROED, FOREIGN, GARBAGE})

# Signatures of the files most likely to be saved over a database by mistake (kind names in the catalogue).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),  # .xlsx, .docx, .zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .xls, .doc
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"MZ", "program"),
)

_BACKUP_NAME = re.compile(r"^(?P<kind>[a-z][a-z-]*?)(?:-v\d+)?-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


@dataclass(frozen=True)
class FileCheck:
    """The state of one file: ``state`` is one of the constants above; ``kind`` names a foreign format;
    ``expected`` is the size the header promises when the file is shorter (``TRUNCATED``)."""

    path: Path
    state: str
    size: int = 0
    kind: str = ""
    expected: int = 0

    @property
    def damaged(self) -> bool:
        return self.state in DAMAGED


def wal_has_content(path: Path) -> bool:
    """Whether ``path`` has a non-empty ``-wal`` beside it (committed changes not yet in the main file)."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _page_size(header: bytes) -> int:
    value = int.from_bytes(header[16:18], "big")
    return 65536 if value == 1 else value


def _confirmed(head: bytes, magic: bytes) -> bool:
    """Whether a short signature (two or three bytes) is backed by what such a file has after it.

    An encrypted database begins with 16 random bytes (SQLCipher's salt): one in about 16,000 would start with
    "MZ", a gzip or a JPEG mark by chance, and must not be called a foreign file for it."""
    if len(magic) >= 4:
        return True
    if magic == b"MZ":  # a Windows program: its PE header where bytes 0x3C.. point
        offset = int.from_bytes(head[0x3C:0x40], "little") if len(head) >= 0x40 else -1
        return 0 <= offset <= len(head) - 4 and head[offset:offset + 4] == b"PE\x00\x00"
    if magic == b"\x1f\x8b":  # gzip: deflate, and no reserved flag bits
        return len(head) > 3 and head[2] == 8 and head[3] & 0xE0 == 0
    if magic == b"\xff\xd8\xff":  # JPEG: an APPn, DQT or SOF marker next
        return len(head) > 3 and (0xE0 <= head[3] <= 0xEF or head[3] in (0xDB, 0xC0, 0xC4))
    return True


def _printable_share(chars: str) -> float:
    return sum(1 for ch in chars if ch.isprintable() or ch in "\t\r\n") / max(1, len(chars))


def _looks_like_text(head: bytes) -> bool:
    """Text (a CSV, a note) in UTF-8, UTF-16 with its mark, or a legacy one-byte encoding. A byte-order mark
    counts only when what follows it reads as text (random bytes may begin with one)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            body = head[len(bom):1024]
            body = body[: len(body) - len(body) % 2] if codec != "utf-8" else body
            try:
                return _printable_share(body.decode(codec)) > 0.95
            except UnicodeDecodeError as exc:
                return exc.start >= len(body) - 3 and _printable_share(body[:exc.start].decode(codec)) > 0.95
    sample = head[:1024]
    if not sample or b"\x00" in sample:
        return False
    try:
        chars = sample.decode("utf-8")
    except UnicodeDecodeError as exc:  # a legacy encoding, unless only the sample's last character was cut
        cut_at_end = exc.start >= len(sample) - 3
        chars = sample[: exc.start].decode("utf-8") if cut_at_end else sample.decode("latin-1")
    printable = sum(1 for ch in chars if ch.isprintable() or ch in "\t\r\n")
    return printable / max(1, len(chars)) > 0.95


def _examine_sqlite(path: Path, head: bytes, size: int) -> FileCheck:
    if size < HEADER_SIZE:
        return FileCheck(path, TRUNCATED, size, expected=HEADER_SIZE)
    page = _page_size(head)
    if page < 512 or page > 65536 or page & (page - 1):
        return FileCheck(path, SQLITE, size)  # a damaged header: SQLite's own check words it (db.corrupt)
    pages = int.from_bytes(head[28:32], "big")
    # The page count in the header is valid when the change counter matches "version-valid-for".
    counted = pages > 0 and head[24:28] == head[92:96]
    expected = pages * page if counted else 0
    if wal_has_content(path):
        return FileCheck(path, SQLITE, size)  # a checkpoint in progress: SQLite completes it from the -wal
    if size % page or size < expected:
        return FileCheck(path, TRUNCATED, size, expected=max(expected, (size // page + 1) * page))
    return FileCheck(path, SQLITE, size)


def examine(path: Path) -> FileCheck:
    """The state of the database file ``path``, from its size and first bytes (reads at most 4 KiB).

    Raises OSError when the file exists but cannot be read (permissions)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):  # no such file, or a file where a folder should be
        return FileCheck(path, MISSING)
    if path.is_dir():
        return FileCheck(path, FOREIGN, 0, kind="folder")
    if size == 0:
        return FileCheck(path, EMPTY)
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(SQLITE_HEADER):
        return _examine_sqlite(path, head, size)
    if size < HEADER_SIZE and SQLITE_HEADER.startswith(head[: len(SQLITE_HEADER)]):
        return FileCheck(path, TRUNCATED, size, expected=HEADER_SIZE)  # cut inside the header itself
    if not head.strip(b"\x00"):
        return FileCheck(path, ZEROED, size)
    for magic, kind in _MAGIC:
        if head.startswith(magic) and _confirmed(head, magic):
            return FileCheck(path, FOREIGN, size, kind=kind)
    if head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        return FileCheck(path, FOREIGN, size, kind="html")
    if _looks_like_text(head):
        return FileCheck(path, FOREIGN, size, kind="text")
    if size >= 1024 and size % 512 == 0:
        return FileCheck(path, ENCRYPTED, size)
    return FileCheck(path, GARBAGE, size)


# ---------------------------------------------------------------- what the backups beside a database say


def _backup_files(db_path: Path) -> list[tuple[dt.datetime, str, Path]]:
    """The backups of ``db_path`` with their date and kind (from the name; else the file's date)."""
    folder = Path(db_path).parent / BACKUP_DIRNAME
    out: list[tuple[dt.datetime, str, Path]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        if not entry.name.endswith(".sqlite3") or entry.name.startswith("."):
            continue
        try:
            if not entry.is_file() or entry.stat().st_size == 0:
                continue
            m = _BACKUP_NAME.match(entry.name)
            when = (dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S") if m
                    else dt.datetime.fromtimestamp(entry.stat().st_mtime))
        except (OSError, ValueError):
            continue
        out.append((when, m.group("kind") if m else "other", Path(entry.path)))
    return sorted(out, key=lambda t: (t[0], t[2].name))


def has_backups(db_path: Path) -> bool:
    """Whether any non-empty backup lies beside ``db_path``: a database existed here once."""
    return bool(_backup_files(db_path))


def plaintext_expected(db_path: Path) -> bool:
    """Whether the newest backup of ``db_path`` is a plain SQLite file, so the database was not encrypted
    when it was made. Setting, changing or removing the password converts every backup along with the
    database, so a header-less database with a plain newest backup was overwritten, not encrypted. A
    ``pre-password`` copy is the one exception (the change may have stopped before converting it): it says
    nothing, nor does a folder without backups."""
    files = _backup_files(db_path)
    if not files:
        return False
    _when, kind, newest = files[-1]
    if kind == "pre-password":
        return False
    try:
        with open(newest, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False

"""Headless ``backup`` and ``restore``: the same storage functions the menu uses.

``python -m lamha_desktop backup --data-dir DIR [--out FILE]`` and
``python -m lamha_desktop restore --data-dir DIR FILE``. Exit 0 on success, 1 when a file cannot be read,
written or is refused (damaged, too new), with a one-line message; restore also refuses (1) while the
application holds the data folder. An encrypted database needs ``--password-env VAR`` (the password is read
from that environment variable, never from the command line); its backups are encrypted with it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lamha_desktop.storage import backup as backups
from lamha_desktop.storage import db, fileops
from lamha_desktop.storage.db import StorageError


def _text(code: str, params: dict[str, object]) -> str:
    from lamha_desktop.catalogue import text

    return text(code, params)


def _fail(exc: StorageError, db_path: Path | None = None) -> int:
    print(storage_message(exc, db_path), file=sys.stderr)
    return 1


def recovery_hint(db_path: Path) -> str:
    """The way out of a damaged database: its newest good backup and the command that restores it, or that
    there is none beside it."""
    good = backups.newest_good_backup(db_path)
    if good is None:
        return _text("db.no_good_backup", {"folder": str(backups.backups_dir(db_path))})
    return _text("db.restore_hint", {"backup": str(good.path), "date": good.created, "data_dir": str(db_path.parent),
                                     "organisations": good.organisations, "candidates": good.candidates})


def storage_message(exc: StorageError, db_path: Path | None = None) -> str:
    """The one line a headless command prints for a storage problem: what happened, and for a damaged
    database at ``db_path`` the backup that replaces it."""
    line = _text(exc.code, exc.params)
    if db_path is not None and exc.code in db.DAMAGED_CODES:
        line = f"{line} {recovery_hint(db_path)}"
    return line.replace("\n", " ")


def open_data(data_dir: Path, *, read_only: bool = False) -> str | None:
    """Open the database of ``data_dir`` for a headless command, never creating one (a missing or 0-byte file
    is refused); None when it is open, else the message to print.

    ``read_only`` (exports, the summary PDF) opens it read-only, so a read-only data folder still serves
    them; a database that needs a migration first is migrated when the folder allows it."""
    path = Path(data_dir).expanduser() / db.DB_FILENAME
    try:
        db.open_database(path, create=False, read_only=read_only)
    except StorageError as exc:
        if not (read_only and exc.code == "db.needs_upgrade"):
            return storage_message(exc, path)
        try:
            db.open_database(path, create=False)
        except StorageError as writable:  # a read-only folder cannot be migrated: say that, not "read-only"
            return storage_message(exc if writable.code == "db.read_only" else writable, path)
    return None


def use_password_env(args: argparse.Namespace) -> None:
    """``--password-env VAR``: the password of an encrypted database, kept in memory for this command only."""
    name = getattr(args, "password_env", None)
    if name:
        value = os.environ.get(name)
        if not value:
            raise StorageError("db.password_env_missing", name=name)
        db.remember_passphrase(value)


def password_from_env(args: argparse.Namespace) -> str | None:
    """Apply ``--password-env`` for any headless command; the message when the variable is missing."""
    try:
        use_password_env(args)
    except StorageError as exc:
        return _text(exc.code, exc.params)
    return None


def backup(args: argparse.Namespace) -> int:
    from lamha_desktop.operations import safety

    data_dir = fileops.absolute(Path(args.data_dir).expanduser())  # a mapped drive stays a drive letter
    db_path = data_dir / db.DB_FILENAME
    try:
        path = safety.backup_now(db_path, kind="manual",
                                 dest=Path(args.out).expanduser() if args.out else None).result
        info = backups.verify(path)
    except StorageError as exc:
        return _fail(exc, db_path)
    print(f"{path}\t{info.organisations} tổ chức đảng\t{info.candidates} quần chúng")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Replace the database by a backup; the command already holds the data-folder lock (``cli.main``)."""
    from lamha_desktop.operations import safety

    data_dir = fileops.absolute(Path(args.data_dir).expanduser())  # a mapped drive stays a drive letter
    db_path = data_dir / db.DB_FILENAME
    try:
        result = safety.restore(db_path, Path(args.file).expanduser(), reopen=False).result
    except StorageError as exc:
        return _fail(exc)
    kept = result.safety_backup or result.moved_aside
    print(_text("restore.done", {"path": str(args.file), "organisations": result.restored.organisations,
                                 "candidates": result.restored.candidates, "kept": str(kept) if kept else "—"}))
    return 0

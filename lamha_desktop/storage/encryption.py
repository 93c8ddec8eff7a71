"""Optional encryption at rest: setting, changing and removing the password of the database (SQLCipher).

The password never touches the disk: it is kept in memory for the session (``db.session_passphrase``).
A change is made on a copy: ``sqlcipher_export`` into a temporary file beside the database, checked
(integrity, schema version, the row count of every table), a ``pre-password`` backup of the database as
it was, then an atomic rename while the database is closed, and reopen. The backups in ``backups/`` follow
the database (encrypted with the new password, or decrypted when it is removed), so no plaintext copy is
left behind and no old password is needed to restore them. Exported files (Excel, PDF) are never encrypted.

No Qt here; problems are ``StorageError`` codes (``db.*``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from lamha_desktop.storage import backup, db, fileops
from lamha_desktop.storage.copies import export_file
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.typed_peewee import raw

log = logging.getLogger(__name__)

MIN_LENGTH = 6

__all__ = ["MIN_LENGTH", "PasswordChange", "available", "change_password", "check_copy", "convert_backups",
           "export_file", "is_encrypted"]


@dataclass(frozen=True)
class PasswordChange:
    """What a change did: the copy kept first, the backups converted and those left as they were
    (another password opens them)."""

    safety_backup: Path
    converted: tuple[Path, ...] = ()
    left: tuple[Path, ...] = ()


def available() -> bool:
    return db.encryption_available()


def is_encrypted(path: Path) -> bool:
    return db.is_encrypted(Path(path))


def check_copy(copy: Path, key: str | None, version: int) -> None:
    """StorageError("db.rekey_failed") unless a new connection opens ``copy`` with ``key`` (and only with
    it: a plaintext copy for None) and finds it whole, at schema ``version``."""
    if (key is not None) != db.is_encrypted(copy):
        raise StorageError("db.rekey_failed", path=str(copy), detail="unexpected encryption state")
    try:
        con = db.connect_file(copy, passphrase=key)
        try:
            problems = [str(r[0]) for r in con.execute("PRAGMA quick_check(5)").fetchall()]
            got = int(con.execute("PRAGMA user_version").fetchone()[0])
        finally:
            con.close()
    except db.sql_errors(StorageError) as exc:
        raise StorageError("db.rekey_failed", path=str(copy), detail=str(exc)) from exc
    if problems != ["ok"] or got != version:
        raise StorageError("db.rekey_failed", path=str(copy), detail="; ".join(problems) or str(got))


def _convert(path: Path, old: str | None, new: str | None) -> None:
    """Re-encrypt one file in place, through a copy checked on the exporting connection and an atomic rename."""
    tmp = path.with_name(f".{path.name}.rekey-{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    st = path.stat()
    try:
        export_file(path, tmp, src_key=old, dest_key=new)
        db.fsync_file(tmp)
        fileops.replace(tmp, path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # keeps the date of a backup named otherwise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def convert_backups(db_path: Path, old: str | None, new: str | None) -> tuple[list[Path], list[Path]]:
    """Make the backups beside the database follow its new password; returns (converted, left as they were).

    A backup the old password does not open (made under an older password, damaged, foreign) is left alone."""
    converted: list[Path] = []
    left: list[Path] = []
    for info in backup._scan(backup.backups_dir(db_path)):
        path = info.path
        if db.is_encrypted(path) != (old is not None):
            left.append(path)
            continue
        try:
            _convert(path, old, new)
        except db.sql_errors(StorageError, OSError) as exc:
            log.warning("backup %s not converted: %s", path.name, getattr(exc, "code", exc))
            left.append(path)
        else:
            converted.append(path)
    db.fsync_dir(backup.backups_dir(db_path))
    return converted, left


def change_password(db_path: Path, new: str | None, *, current: str | None = None) -> PasswordChange:
    """Set (plaintext -> encrypted), change, or with ``new=None`` remove the password of the database.

    ``current`` is the password now (default: the session's; ignored for a plaintext file). Order: check
    the current password; keep a ``pre-password`` backup; export to a temporary file and check it; close
    the database, replace the file atomically, reopen it when it was open; convert the backups. A refusal
    or failure before the rename leaves everything as it was.

    Raises StorageError: db.encryption_unavailable, db.password_required, db.wrong_password,
    db.password_short, db.not_encrypted, db.password_same, backup.no_database, backup.failed, db.rekey_failed.
    """
    db_path = Path(db_path)
    db.sqlcipher_module()
    if not db_path.exists():
        raise StorageError("backup.no_database", path=str(db_path))
    if new is not None:
        new = db.normalize_passphrase(new)
        if len(new) < MIN_LENGTH:
            raise StorageError("db.password_short", minimum=MIN_LENGTH)
        db.key_literal(new)  # refuses a NUL character
    encrypted = db.is_encrypted(db_path)
    old: str | None = None
    if encrypted:
        old = db.normalize_passphrase(current) if current else db.session_passphrase()
        if not old:
            raise StorageError("db.password_required", path=str(db_path))
    elif new is None:
        raise StorageError("db.not_encrypted", path=str(db_path))
    if new == old:
        raise StorageError("db.password_same")
    try:
        db.check_passphrase(db_path, old)
    except StorageError as exc:
        raise StorageError(exc.code, path=str(db_path)) from exc
    was_open = backup._is_open_on(db_path)
    if was_open:
        raw(db.database).execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    safety = backup.backup_now(db_path, kind="pre-password", passphrase=old)
    tmp = db_path.with_name(f".{db_path.name}.rekey-{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    try:
        version = export_file(db_path, tmp, src_key=old, dest_key=new)
        check_copy(tmp, new, version)
        db.fsync_file(tmp)
        if was_open:
            raw(db.database).execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close_database()
        for side in backup._sidecars(db_path):
            side.unlink(missing_ok=True)  # an old -wal must never be replayed onto the new file
        fileops.replace(tmp, db_path)
        db.fsync_dir(db_path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _reopen(db_path, old, was_open)
        raise StorageError("db.rekey_failed", path=str(db_path), detail=str(exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        _reopen(db_path, old, was_open)
        raise
    db.remember_passphrase(new)
    log.info("database password %s", "removed" if new is None else ("changed" if old else "set"))
    if was_open:
        db.open_database(db_path, passphrase=new)
    converted, left = convert_backups(db_path, old, new)
    return PasswordChange(safety, tuple(converted), tuple(left))


def _reopen(db_path: Path, key: str | None, was_open: bool) -> None:
    if was_open and db.database.is_closed():
        try:
            db.open_database(db_path, passphrase=key)
        except StorageError:
            log.warning("could not reopen %s after a failed password change", db_path, exc_info=True)

"""Backups and restore of the database file, and the checks that keep the file safe.

Owns the ``backups/`` folder beside the database: copies made with SQLite's backup API to a
temporary name and renamed into place (``db.backup_file``), the daily copy taken at start,
rotation, listing with the counts a user recognises, verification of a file before it replaces
anything, and restore (verify, keep the current database as a backup, replace atomically while the
database is closed, reopen). Also: moving a damaged file aside, cleaning the temporary files a killed
copy left, and telling a network share.

Rotation keeps history, grandfather-father-son: the newest daily backup of each of the last
``backup_keep_daily`` days that have one (default 10), of each of the last ``backup_keep_weekly`` ISO weeks
(default 8) and of each of the last ``backup_keep_monthly`` months (default 12), so at most 30 daily files
reach back about a year. A daily backup whose content is the same as the newest backup is not made (it
would push a real generation out). Rotation never deletes the newest backup that holds more candidates than
the database now, and a start that finds the database smaller than its newest backup deletes nothing and
says so. Manual backups are never deleted; pre-migration, pre-restore and pre-password copies after
``backup_keep_premigration_days`` (default 90).

Backups of an encrypted database are encrypted with the same password; functions that read a backup take
``passphrase`` (default: the session's, ``db.session_passphrase()``). A backup that cannot be decrypted is
listed with ``encrypted=True`` and no counts. A restored database keeps the protection of the current one.

Problems are reported as ``StorageError`` codes (``backup.*``); the UI words them. No Qt here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamha_desktop.storage import copies, db, fileops, health
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.typed_peewee import raw

log = logging.getLogger(__name__)

BACKUP_DIRNAME = health.BACKUP_DIRNAME
SUFFIX = ".sqlite3"
DEFAULT_KEEP_DAILY = 10
DEFAULT_KEEP_WEEKLY = 8
DEFAULT_KEEP_MONTHLY = 12
DEFAULT_KEEP_PREMIGRATION_DAYS = 90
LEFTOVER_AGE = dt.timedelta(hours=1)  # a temporary file older than this belongs to no copy still running
KINDS_KEPT_BY_AGE = ("pre-migration", "pre-restore", "pre-password")
NETWORK_FS_TYPES = frozenset({
    "cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "9p", "fuse.sshfs", "davfs", "fuse.davfs2",
    "glusterfs", "ceph", "fuse.rclone",
})

_NAME = re.compile(r"^(?P<kind>[a-z][a-z-]*?)(?:-v(?P<version>\d+))?-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")
# The temporary files this application makes (and nothing else): a backup being copied, a restore being
# staged, a backup being re-encrypted, the data folder's write probe.
_LEFTOVERS = re.compile(
    r"^(?:[a-z][a-z-]*?(?:-v\d+)?-\d{8}-\d{6}(?:-\d+)?\.sqlite3\.part"
    r"|\.restore-\d{8}-\d{6}-\d+\.sqlite3\.part"
    r"|\..+\.sqlite3\.rekey-\d+\.part"
    r"|" + re.escape(db.PROBE_PREFIX) + r"[a-z0-9_]{8})$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, with what a user needs to pick it: when, what kind, how many records."""

    path: Path
    kind: str  # daily | manual | pre-migration | pre-restore | other
    created: dt.datetime
    size: int
    schema_version: int | None = None
    organisations: int | None = None
    candidates: int | None = None
    error: str | None = None  # why the file could not be read, if it could not
    encrypted: bool = False  # an SQLCipher file; counts are None when the password is not known

    @property
    def readable(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class AutoBackup:
    """What the daily backup at start did: ``code`` is backup.daily_done, backup.daily_exists,
    backup.daily_unchanged (the newest backup already holds this content: ``path``) or backup.failed.
    ``warning`` is a (code, params) notice for the user (backup.data_shrunk); ``kept`` the backups rotation
    would have deleted but kept because they hold more candidates than the database."""

    code: str
    path: Path | None = None
    params: dict[str, Any] = field(default_factory=dict)
    removed: tuple[Path, ...] = ()
    warning: tuple[str, dict[str, Any]] | None = None
    kept: tuple[Path, ...] = ()

    @property
    def failed(self) -> bool:
        return self.code == "backup.failed"


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup put back and what was kept of the database it replaced."""

    restored: BackupInfo
    safety_backup: Path | None  # the database as it was before, kept in backups/
    moved_aside: Path | None  # a damaged database that could not be copied, renamed beside itself


# ---------------------------------------------------------------- paths and names


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIRNAME


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}{SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{SUFFIX}"
        n += 1
    return candidate


def _parse_name(path: Path) -> tuple[str, dt.datetime | None]:
    m = _NAME.match(path.name)
    if not m:
        return "other", None
    kind = m.group("kind")
    if kind not in ("daily", "manual", "pre-migration", "pre-restore", "pre-password"):
        kind = "other"
    try:
        return kind, dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
    except ValueError:
        return kind, None


# ---------------------------------------------------------------- making backups


def backup_now(db_path: Path, *, kind: str = "manual", dest: Path | None = None,
               now: dt.datetime | None = None, passphrase: str | None = None) -> Path:
    """Copy the database now: into ``backups/`` as ``{kind}-{stamp}.sqlite3``, or to ``dest`` (a USB drive;
    a folder gets a new ``{kind}-{stamp}.sqlite3`` inside it).

    Raises StorageError("backup.no_database") when there is nothing to copy, the database's own damage code
    (db.empty_file, db.truncated, db.garbage...) when it is not a usable database, and for the copy:
    backup.disk_full, backup.read_only, backup.failed. ``dest`` is refused when it is the database itself
    (backup.out_is_database), a file another program has open as a database (backup.out_in_use) or one of the
    backups beside the database (backup.out_is_backup). Nothing half-written is left behind either way. The
    database's folder is only read: a read-only data folder can be copied elsewhere.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise StorageError("backup.no_database", path=str(db_path))
    db.check_file(db_path)
    stamp = _stamp(now or dt.datetime.now())
    if dest is None:
        folder = backups_dir(db_path)
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise _copy_error(exc, folder) from exc
        dest = _free_name(folder, f"{kind}-{stamp}")
    else:
        dest = Path(dest)
        if dest.is_dir():
            dest = _free_name(dest, f"{kind}-{stamp}")
        _refuse_target(db_path, dest)
    try:
        db.backup_file(db_path, dest, passphrase=passphrase)
    except db.sql_errors(OSError) as exc:
        raise _copy_error(exc, dest) from exc
    log.info("backup written: %s", dest)
    return dest


def _copy_error(exc: Exception, path: Path) -> StorageError:
    """Why a copy could not be written, by its cause: backup.busy (another program held it through the retries),
    backup.disk_full, backup.read_only, backup.failed."""
    if isinstance(exc, fileops.FileBusy):
        return StorageError("backup.busy", path=str(path), detail=str(exc))
    if isinstance(exc, OSError):
        if exc.errno in db.NO_SPACE_ERRNOS:
            return StorageError("backup.disk_full", path=str(path), detail=str(exc))
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StorageError("backup.read_only", path=str(path), detail=str(exc))
    else:
        cause = db.sqlite_error(exc, path, default="backup.failed").code
        if cause == "db.disk_full":
            return StorageError("backup.disk_full", path=str(path), detail=str(exc))
        if cause == "db.read_only":
            return StorageError("backup.read_only", path=str(path), detail=str(exc))
    return StorageError("backup.failed", path=str(path), detail=str(exc))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _refuse_target(db_path: Path, dest: Path) -> None:
    """``backup --out`` must not write over the live database, a database in use, or the backup history."""
    if any(_same_file(dest, p) for p in (db_path, *_sidecars(db_path))):
        raise StorageError("backup.out_is_database", path=str(dest))
    if not dest.exists():
        return
    if any(side.exists() for side in _sidecars(dest)):  # a -wal/-shm/-journal: SQLite has it open, or had
        raise StorageError("backup.out_in_use", path=str(dest))
    if _same_file(dest.parent, backups_dir(db_path)):
        raise StorageError("backup.out_is_backup", path=str(dest))


def _setting_int(key: str, default: int) -> int:
    if db.database.is_closed():
        return default
    try:
        from lamha_desktop.storage import settings

        value = settings.get(key)
        number = int(value) if value is not None else default
    except Exception:  # a missing table or a bad value must never stop a backup
        return default
    return number if number >= 1 else default


def keep_daily() -> int:
    return _setting_int("backup_keep_daily", DEFAULT_KEEP_DAILY)


def keep_weekly() -> int:
    return _setting_int("backup_keep_weekly", DEFAULT_KEEP_WEEKLY)


def keep_monthly() -> int:
    return _setting_int("backup_keep_monthly", DEFAULT_KEEP_MONTHLY)


def keep_premigration_days() -> int:
    return _setting_int("backup_keep_premigration_days", DEFAULT_KEEP_PREMIGRATION_DAYS)


# ---------------------------------------------------------------- what a database holds


def _digest_connection(con: Any) -> str:
    """A hash of the logical content: the schema version, then every table's definition and rows in rowid
    order. Two files with the same digest hold the same data, whatever their page layout or encryption."""
    h = hashlib.blake2b(digest_size=20)
    h.update(repr(con.execute("PRAGMA user_version").fetchone()).encode())
    tables = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    for name, sql in tables:
        h.update(f"\x00table {name}\x00{sql}\x00".encode())
        quoted = '"' + str(name).replace('"', '""') + '"'
        try:
            rows = con.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
        except db.SQL_ERRORS:  # a table without rowid: its primary key orders it
            rows = con.execute(f"SELECT * FROM {quoted}")
        for row in rows:
            h.update(repr(row).encode())
    return h.hexdigest()


def content_digest(path: Path, *, passphrase: str | None = None) -> str | None:
    """The content hash of a database file (``_digest_connection``), or None when it cannot be read."""
    try:
        con = _connect_ro(Path(path), passphrase)
        try:
            return _digest_connection(con)
        finally:
            con.close()
    except db.sql_errors(StorageError):
        return None


# ---------------------------------------------------------------- the daily backup and its rotation


def daily_backup(db_path: Path, *, now: dt.datetime | None = None) -> AutoBackup:
    """The first start of each day copies the database and rotates the folder. Never raises.

    A copy with the same content as the newest daily backup is dropped (backup.daily_unchanged): it is no new
    generation and would push a real one out. When the database holds fewer candidates than the newest daily
    backup, the copy is kept but nothing is deleted and ``warning`` says so (backup.data_shrunk): an emptied
    database never rotates the good backups away."""
    now = now or dt.datetime.now()
    try:
        folder = backups_dir(db_path)
        today = sorted(folder.glob(f"daily-{now:%Y%m%d}-*{SUFFIX}")) if folder.is_dir() else []
        if today:
            return AutoBackup("backup.daily_exists", today[0])
        db.check_file(Path(db_path))
        previous = _newest_daily(db_path)
        path = backup_now(db_path, kind="daily", now=now)
        if previous is not None and same_content(path, previous.path):
            path.unlink()
            log.info("daily backup not kept: %s holds the same data", previous.path.name)
            return AutoBackup("backup.daily_unchanged", previous.path)
        made = inspect(path)
        if previous is not None and _fewer(made, previous):
            log.warning("the database holds fewer candidates (%s) than %s (%s): nothing rotated",
                        made.candidates, previous.path.name, previous.candidates)
            return AutoBackup("backup.daily_done", path, warning=("backup.data_shrunk", {
                "current": made.candidates, "candidates": previous.candidates, "backup": str(previous.path),
                "date": previous.created}))
        removed, kept = _rotate(db_path, now=now, current=made.candidates)
        return AutoBackup("backup.daily_done", path, removed=tuple(removed), kept=tuple(kept))
    except StorageError as exc:
        log.warning("daily backup failed: %s %s", exc.code, exc.params)
        return AutoBackup("backup.failed", None, {"detail": str(exc.params.get("detail", exc.code)),
                                                  "path": str(exc.params.get("path", ""))})
    except db.sql_errors(OSError) as exc:
        log.warning("daily backup failed: %s", exc)
        return AutoBackup("backup.failed", None, {"detail": str(exc), "path": str(backups_dir(db_path))})


def _file_hash(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=20)).hexdigest()


def same_content(a: Path, b: Path, *, passphrase: str | None = None) -> bool:
    """Whether two backups hold the same data. Plain copies made with SQLite's backup API are compared byte for
    byte (the copy of unchanged pages is the same file, and hashing a file is much cheaper than reading every
    row); encrypted ones, whose bytes differ with every copy (new random IVs), by ``content_digest``."""
    try:
        encrypted = db.is_encrypted(a)
        if encrypted != db.is_encrypted(b):
            return False
        if not encrypted:
            return a.stat().st_size == b.stat().st_size and _file_hash(a) == _file_hash(b)
    except OSError:
        return False
    digest = content_digest(a, passphrase=passphrase)
    return digest is not None and digest == content_digest(b, passphrase=passphrase)


def _fewer(current: BackupInfo, previous: BackupInfo) -> bool:
    return current.candidates is not None and previous.candidates is not None \
        and current.candidates < previous.candidates


def _newest_daily(db_path: Path) -> BackupInfo | None:
    """The newest daily backup whose counts can be read (with the session's password). Only a daily one:
    rotation always keeps the newest daily, while a pre-restore or pre-password copy goes after some months,
    so a day skipped as "unchanged" must rest on a daily backup."""
    daily = [b for b in _scan(backups_dir(db_path)) if b.kind == "daily"]
    for b in sorted(daily, key=lambda b: (b.created, b.path.name), reverse=True):
        info = inspect(b.path)
        if info.readable and info.candidates is not None:
            return info
    return None


def _gfs_keep(daily: list[BackupInfo], *, days: int, weeks: int, months: int) -> set[Path]:
    """The daily backups grandfather-father-son rotation keeps: the newest of each of the last ``days`` days,
    ``weeks`` ISO weeks and ``months`` months that have a backup (``daily`` newest first)."""
    keep: set[Path] = set()
    for count, bucket in ((days, lambda t: t.date()), (weeks, lambda t: t.isocalendar()[:2]),
                          (months, lambda t: (t.year, t.month))):
        seen: set[object] = set()
        for b in daily:
            key = bucket(b.created)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(b.path)
    return keep


def rotate(db_path: Path, *, now: dt.datetime | None = None, keep: int | None = None,
           keep_days: int | None = None, keep_weeks: int | None = None, keep_months: int | None = None,
           current: int | None = None) -> list[Path]:
    """Delete the daily backups grandfather-father-son rotation does not keep (the newest of each of the last
    ``keep`` days, ``keep_weeks`` weeks and ``keep_months`` months with a backup; defaults from the settings)
    and pre-migration/pre-restore/pre-password ones older than ``keep_days``; manual backups are never
    deleted. The newest backup holding more candidates than ``current`` (the database's count) is kept
    whatever its age. Returns the removed files."""
    return _rotate(db_path, now=now, keep=keep, keep_days=keep_days, keep_weeks=keep_weeks,
                   keep_months=keep_months, current=current)[0]


def _rotate(db_path: Path, *, now: dt.datetime | None = None, keep: int | None = None,
            keep_days: int | None = None, keep_weeks: int | None = None, keep_months: int | None = None,
            current: int | None = None) -> tuple[list[Path], list[Path]]:
    now = now or dt.datetime.now()
    keep = keep_daily() if keep is None else keep
    keep_days = keep_premigration_days() if keep_days is None else keep_days
    keep_weeks = keep_weekly() if keep_weeks is None else keep_weeks
    keep_months = keep_monthly() if keep_months is None else keep_months
    infos = _scan(backups_dir(db_path))
    daily = sorted((b for b in infos if b.kind == "daily"), key=lambda b: (b.created, b.path.name), reverse=True)
    kept_daily = _gfs_keep(daily, days=keep, weeks=keep_weeks, months=keep_months)
    old = [b for b in infos if b.kind in KINDS_KEPT_BY_AGE and b.created < now - dt.timedelta(days=keep_days)]
    doomed = [b for b in daily if b.path not in kept_daily] + old
    spared: list[Path] = []
    if current is not None and doomed:
        richer = _newest_richer(db_path, current)
        if richer is not None and richer in {b.path for b in doomed}:
            log.warning("kept %s: it holds more candidates than the database (%s)", richer.name, current)
            doomed = [b for b in doomed if b.path != richer]
            spared.append(richer)
    removed: list[Path] = []
    for b in doomed:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:
            log.warning("could not remove old backup %s: %s", b.path, exc)
    return removed, spared


def _newest_richer(db_path: Path, current: int) -> Path | None:
    """The newest backup that holds more candidates than ``current`` (read newest first, until found)."""
    for b in sorted(_scan(backups_dir(db_path)), key=lambda b: (b.created, b.path.name), reverse=True):
        candidates = inspect(b.path).candidates
        if candidates is not None and candidates > current:
            return b.path
    return None


def clean_leftovers(db_path: Path, *, now: dt.datetime | None = None, min_age: dt.timedelta = LEFTOVER_AGE
                    ) -> list[Path]:
    """Delete the temporary files of this application that a killed copy left in the data folder and in
    ``backups/`` (a ``*.sqlite3.part`` backup, a ``.restore-*.part`` staged restore, a ``.rekey-*.part``
    re-encryption, a write probe). Only files named as ours, and only those not written for ``min_age``
    (a copy still running keeps writing its file). Returns the deleted files; never raises."""
    now = now or dt.datetime.now()
    removed: list[Path] = []
    for folder in (Path(db_path).parent, backups_dir(db_path)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not _LEFTOVERS.match(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if dt.datetime.fromtimestamp(entry.stat().st_mtime) > now - min_age:
                    continue
                os.unlink(entry.path)
            except OSError as exc:  # in use (Windows), or not ours to delete
                log.info("left %s: %s", entry.path, exc)
                continue
            removed.append(Path(entry.path))
            log.info("removed a temporary file left by an interrupted copy: %s", entry.path)
    return removed


# ---------------------------------------------------------------- listing and verifying


def _scan(folder: Path) -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    out = []
    for path in folder.iterdir():
        if path.suffix != SUFFIX or path.name.startswith(".") or not path.is_file():
            continue
        kind, created = _parse_name(path)
        st = path.stat()
        out.append(BackupInfo(path, kind, created or dt.datetime.fromtimestamp(st.st_mtime), st.st_size))
    return out


def _connect_ro(path: Path, passphrase: str | None = None) -> Any:
    """A read-only connection (StorageError db.password_required / db.wrong_password / db.encryption_unavailable
    for an encrypted file; a WAL file in a read-only folder is read as it is on disk)."""
    return db.connect_file(path, passphrase=passphrase)


def _file_problem(path: Path) -> StorageError | None:
    """What makes ``path`` unusable as a backup before SQLite reads it: backup.empty_file, backup.truncated,
    backup.zeroed, backup.foreign (None for an SQLite or encrypted-looking file)."""
    try:
        check = health.examine(path)
    except OSError as exc:
        return StorageError("backup.not_database", path=str(path), detail=str(exc))
    if check.state == health.EMPTY:
        return StorageError("backup.empty_file", path=str(path))
    if check.state == health.TRUNCATED:
        return StorageError("backup.truncated", path=str(path), size=check.size, expected=check.expected)
    if check.state == health.ZEROED:
        return StorageError("backup.zeroed", path=str(path), size=check.size)
    if check.state == health.FOREIGN:
        return StorageError("backup.foreign", path=str(path), file_kind=check.kind)
    if check.state == health.GARBAGE:
        return StorageError("backup.not_database", path=str(path), detail=f"{check.size} bytes, no header")
    return None


def _backup_error(exc: StorageError, path: Path) -> StorageError:
    """A password problem of a backup file, worded as such (backup.password_required / backup.wrong_password)."""
    code = {"db.password_required": "backup.password_required", "db.wrong_password": "backup.wrong_password"}
    return StorageError(code.get(exc.code, exc.code), path=str(path))


def _counts(con: Any) -> tuple[int, int | None, int | None]:
    version = int(con.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    orgs = int(con.execute("SELECT COUNT(*) FROM organisation").fetchone()[0]) if "organisation" in tables else None
    cands = int(con.execute("SELECT COUNT(*) FROM candidate").fetchone()[0]) if "candidate" in tables else None
    return version, orgs, cands


def inspect(path: Path, *, passphrase: str | None = None) -> BackupInfo:
    """Kind, date, schema version and record counts of one file; ``error`` set when it cannot be read.

    An encrypted file that ``passphrase`` (default: the session's) does not open is ``encrypted`` without counts."""
    path = Path(path)
    kind, created = _parse_name(path)
    st = path.stat()
    base = BackupInfo(path, kind, created or dt.datetime.fromtimestamp(st.st_mtime), st.st_size)
    problem = _file_problem(path)
    if problem is not None:
        from lamha_desktop import catalogue

        return BackupInfo(base.path, base.kind, base.created, base.size,
                          error=catalogue.text(problem.code, problem.params))
    encrypted = db.is_encrypted(path)
    try:
        con = _connect_ro(path, passphrase)
        try:
            version, orgs, cands = _counts(con)
        finally:
            con.close()
    except StorageError:
        return BackupInfo(base.path, base.kind, base.created, base.size, encrypted=True)
    except db.SQL_ERRORS as exc:
        return BackupInfo(base.path, base.kind, base.created, base.size, error=str(exc), encrypted=encrypted)
    return BackupInfo(base.path, base.kind, base.created, base.size, version, orgs, cands, encrypted=encrypted)


def list_backups(db_path: Path, *, passphrase: str | None = None) -> list[BackupInfo]:
    """Every backup beside the database, newest first, with its counts of organisations and candidates
    (encrypted ones that ``passphrase``, default the session's, does not open: without counts)."""
    infos = [inspect(b.path, passphrase=passphrase) for b in _scan(backups_dir(db_path))]
    return sorted(infos, key=lambda b: (b.created, b.path.name), reverse=True)


def verify(path: Path, *, passphrase: str | None = None) -> BackupInfo:
    """Check a file before it may replace the database: ``integrity_check``, a schema this application knows.

    Raises StorageError with code backup.missing, backup.empty_file, backup.truncated, backup.zeroed,
    backup.foreign, backup.not_database, backup.damaged, backup.too_new or backup.not_lamha; for an encrypted
    file that ``passphrase`` (default: the session's) does not open, backup.password_required,
    backup.wrong_password or db.encryption_unavailable. Never writes to ``path``.
    """
    path = Path(path)
    if not path.is_file():
        raise StorageError("backup.missing", path=str(path))
    problem = _file_problem(path)
    if problem is not None:
        raise problem
    try:
        con = _connect_ro(path, passphrase)
        try:
            problems = [str(r[0]) for r in con.execute("PRAGMA integrity_check(5)").fetchall()]
            version, orgs, cands = _counts(con)
        finally:
            con.close()
    except StorageError as exc:
        raise _backup_error(exc, path) from exc
    except db.SQL_ERRORS as exc:
        raise StorageError("backup.not_database", path=str(path), detail=str(exc)) from exc
    if problems != ["ok"]:
        raise StorageError("backup.damaged", path=str(path), detail="; ".join(problems))
    if version > db.SCHEMA_VERSION:
        raise StorageError("backup.too_new", path=str(path), version=version, supported=db.SCHEMA_VERSION)
    if version < 1 or orgs is None or cands is None:
        raise StorageError("backup.not_lamha", path=str(path))
    info = inspect(path, passphrase=passphrase)
    return BackupInfo(info.path, info.kind, info.created, info.size, version, orgs, cands, encrypted=info.encrypted)


def is_healthy(path: Path, *, passphrase: str | None = None) -> bool:
    """``PRAGMA quick_check`` through a read-only connection (a damaged file is kept byte for byte). A file
    that is empty, cut short, overwritten or foreign is not healthy, whatever SQLite would make of it."""
    try:
        if db.diagnose(Path(path)).state not in (health.SQLITE, health.ENCRYPTED):
            return False
        con = _connect_ro(path, passphrase)
        try:
            return [r[0] for r in con.execute("PRAGMA quick_check(1)").fetchall()] == ["ok"]
        finally:
            con.close()
    except db.sql_errors(OSError, StorageError):
        return False


def newest_good_backup(db_path: Path, *, passphrase: str | None = None) -> BackupInfo | None:
    """The newest backup that passes ``verify`` (used when the database is found damaged at start)."""
    for info in list_backups(db_path, passphrase=passphrase):
        if not info.readable:
            continue
        try:
            return verify(info.path, passphrase=passphrase)
        except StorageError as exc:
            log.warning("backup %s is not usable: %s", info.path.name, exc.code)
    return None


# ---------------------------------------------------------------- restore


def _stage(src: Path, folder: Path, now: dt.datetime, *, src_key: str | None = None,
           dest_key: str | None = None) -> Path:
    """Copy ``src`` next to the database (same file system, so the final rename is atomic), decrypted with
    ``src_key`` and encrypted with ``dest_key`` (None: plaintext)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = folder / f".restore-{_stamp(now)}-{os.getpid()}{SUFFIX}.part"
    staged.unlink(missing_ok=True)
    src_key = src_key if db.is_encrypted(src) else None
    try:
        if (src_key or None) != (dest_key or None):
            copies.export_file(src, staged, src_key=src_key, dest_key=dest_key)
        else:
            source = _connect_ro(src, src_key)
            try:
                db.copy_connection(source, staged, dest_key)
            finally:
                source.close()
        db.fsync_file(staged)
    except StorageError as exc:
        staged.unlink(missing_ok=True)
        raise _backup_error(exc, src) from exc
    except db.SQL_ERRORS as exc:
        staged.unlink(missing_ok=True)
        raise StorageError("backup.not_database", path=str(src), detail=str(exc)) from exc
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise _copy_error(exc, folder) from exc
    return staged


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def move_aside(db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Rename a damaged database (with its -wal/-shm) to ``<name>.damaged-<stamp>``; never overwrites anything."""
    db_path = Path(db_path)
    stamp = _stamp(now or dt.datetime.now())
    target = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 2
    while target.exists():
        target = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
        n += 1
    fileops.replace(db_path, target)
    for side, new in zip(_sidecars(db_path), _sidecars(target), strict=True):
        if side.exists():
            fileops.replace(side, new)
    db.fsync_dir(db_path.parent)
    log.warning("damaged database moved aside: %s", target)
    return target


def _is_open_on(db_path: Path) -> bool:
    if db.database.is_closed() or not db.database.database:
        return False
    return Path(str(db.database.database)).resolve() == Path(db_path).resolve()


def restore(db_path: Path, src: Path, *, reopen: bool | None = None, now: dt.datetime | None = None,
            passphrase: str | None = None, source_passphrase: str | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` by the backup ``src``.

    Encryption: the restored database keeps the protection of the current one (encrypted with
    ``passphrase``, default the session's, or plaintext); an encrypted ``src`` is read with
    ``source_passphrase`` (default: the same password) — backup.password_required / backup.wrong_password
    otherwise, with nothing changed.

    Order: copy ``src`` beside the database and verify the copy (integrity, schema version); keep the
    current database as a ``pre-restore`` backup (a damaged one that cannot be copied is moved aside
    instead, byte for byte); close it, drop its empty ``-wal``/``-shm``; rename the verified copy into place; reopen
    (and migrate) when it was open before, or when ``reopen`` says so. A refusal leaves everything as it was.
    """
    db_path, src = Path(db_path), Path(src)
    now = now or dt.datetime.now()
    if not src.is_file():
        raise StorageError("backup.missing", path=str(src))
    if db_path.exists() and _same_file(src, db_path):
        raise StorageError("backup.is_current", path=str(src))
    problem = _file_problem(src)
    if problem is not None:
        raise problem
    was_open = _is_open_on(db_path)
    reopen = was_open if reopen is None else reopen
    folder = backups_dir(db_path)
    key = passphrase if passphrase is not None else db.session_passphrase()
    try:
        state = db.diagnose(db_path).state
    except OSError:
        state = health.GARBAGE  # unreadable: moved aside, never read
    if state == health.ENCRYPTED and not key:
        raise StorageError("db.password_required", path=str(db_path))
    # The restored file keeps the protection of the current one; a missing or damaged one says nothing, so the
    # session's password (if any) decides.
    dest_key = key if (state == health.ENCRYPTED or (state != health.SQLITE and bool(key))) else None
    src_key = source_passphrase if source_passphrase is not None else key
    staged = _stage(src, folder, now, src_key=src_key, dest_key=dest_key)
    try:
        try:
            verify(staged, passphrase=dest_key)
        except StorageError as exc:  # the user chose ``src``: name it, not the staged copy
            raise StorageError(exc.code, **{**exc.params, "path": str(src)}) from exc
        info = inspect(staged, passphrase=dest_key)
        info = BackupInfo(src, _parse_name(src)[0], info.created, info.size, info.schema_version,
                          info.organisations, info.candidates, encrypted=db.is_encrypted(src))
        safety: Path | None = None
        moved: Path | None = None
        if db_path.exists() and is_healthy(db_path, passphrase=key):  # disk full: refused, nothing changed
            safety = backup_now(db_path, kind="pre-restore", now=now, passphrase=key)
        if was_open:
            try:
                raw(db.database).execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception:  # a damaged database may refuse; it is kept aside below anyway
                log.warning("checkpoint before restore failed", exc_info=True)
            db.close_database()
        if db_path.exists() and safety is None:
            moved = move_aside(db_path, now=now)
        for side in _sidecars(db_path):
            side.unlink(missing_ok=True)  # a stale -wal must never be replayed onto the restored file
        fileops.replace(staged, db_path)
        db.fsync_dir(db_path.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
        if was_open and db.database.is_closed() and db_path.exists():
            try:
                db.open_database(db_path, passphrase=key)  # the refusal leaves the application where it was
            except StorageError:
                log.warning("could not reopen %s after a failed restore", db_path, exc_info=True)
        if isinstance(exc, OSError):  # a file held or refused by the system: a message, never a crash report
            log.warning("restore of %s failed: %s", db_path, exc)
            code = "restore.busy" if isinstance(exc, fileops.FileBusy) else "restore.failed"
            raise StorageError(code, path=str(db_path), detail=str(exc)) from exc
        raise
    log.info("database restored from %s (safety copy: %s)", src, safety or moved)
    if reopen:
        db.open_database(db_path, passphrase=dest_key)
    return RestoreResult(info, safety, moved)


# ---------------------------------------------------------------- environment


def _unescape_mount(field_text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field_text)


def network_filesystem(path: Path, *, mounts_file: Path = Path("/proc/mounts"),
                       platform: str = sys.platform) -> str | None:
    """The kind of network share ``path`` lives on ("unc", "remote", "cifs", "nfs", …), or None if local.

    SQLite's locking is unreliable over network file systems: a database there gets corrupted when two
    PCs write, so the application warns.
    """
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "unc"
    if platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        # ctypes.windll exists on Windows only; mypy checks for the platform it runs on.
        windll = ctypes.windll  # type: ignore[attr-defined,unused-ignore]
        if drive and windll.kernel32.GetDriveTypeW(drive + "\\") == 4:  # DRIVE_REMOTE
            return "remote"
        return None
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    resolved = str(Path(path).resolve())
    best, best_type = "", ""
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount, fstype = _unescape_mount(parts[1]), parts[2]
        inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, best_type = mount, fstype
    if best_type in NETWORK_FS_TYPES or best_type.startswith("nfs"):
        return best_type
    return None

"""Backups and restore of the database file, and the checks that keep the file safe.

Owns the ``backups/`` folder beside the database: copies made with SQLite's backup API to a
temporary name and renamed into place (``db.backup_file``), the daily copy taken at start,
rotation, listing with the counts a user recognises, verification of a file before it replaces
anything, and restore (verify, keep the current database as a backup, replace atomically while the
database is closed, reopen). Also: moving a damaged file aside, and telling a network share.

Backups of an encrypted database are encrypted with the same password; functions that read a backup take
``passphrase`` (default: the session's, ``db.session_passphrase()``). A backup that cannot be decrypted is
listed with ``encrypted=True`` and no counts. A restored database keeps the protection of the current one.

Problems are reported as ``StorageError`` codes (``backup.*``); the UI words them. No Qt here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamha_desktop.storage import db, fileops
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.typed_peewee import raw

log = logging.getLogger(__name__)

# ``except`` tuples with either SQLite driver's errors (declared here: mypy cannot type ``(OSError, *tuple)``).
_OS_OR_SQL_ERRORS: tuple[type[Exception], ...] = (OSError, *db.SQL_ERRORS)
_STORAGE_OR_SQL_ERRORS: tuple[type[Exception], ...] = (StorageError, *db.SQL_ERRORS)

BACKUP_DIRNAME = "backups"
SUFFIX = ".sqlite3"
DEFAULT_KEEP_DAILY = 10
DEFAULT_KEEP_PREMIGRATION_DAYS = 90
KINDS_KEPT_BY_AGE = ("pre-migration", "pre-restore", "pre-password")
NETWORK_FS_TYPES = frozenset({
    "cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "9p", "fuse.sshfs", "davfs", "fuse.davfs2",
    "glusterfs", "ceph", "fuse.rclone",
})

_NAME = re.compile(r"^(?P<kind>[a-z][a-z-]*?)(?:-v(?P<version>\d+))?-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


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
    """What the daily backup at start did: ``code`` is backup.daily_done, backup.daily_exists or backup.failed."""

    code: str
    path: Path | None = None
    params: dict[str, Any] = field(default_factory=dict)
    removed: tuple[Path, ...] = ()

    @property
    def failed(self) -> bool:
        return self.code == "backup.failed"


@dataclass(frozen=True)
class RestoreResult:
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
    """Copy the database now: into ``backups/`` as ``{kind}-{stamp}.sqlite3``, or to ``dest`` (a USB drive).

    Raises StorageError("backup.no_database") when there is nothing to copy and
    StorageError("backup.failed") when the copy cannot be written (the folder is read-only, the disk is full);
    nothing half-written is left behind either way.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise StorageError("backup.no_database", path=str(db_path))
    if dest is None:
        folder = backups_dir(db_path)
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError("backup.failed", path=str(folder), detail=str(exc)) from exc
        dest = _free_name(folder, f"{kind}-{_stamp(now or dt.datetime.now())}")
    dest = Path(dest)
    try:
        db.backup_file(db_path, dest, passphrase=passphrase)
    except _OS_OR_SQL_ERRORS as exc:
        code = "backup.busy" if isinstance(exc, fileops.FileBusy) else "backup.failed"
        raise StorageError(code, path=str(dest), detail=str(exc)) from exc
    log.info("backup written: %s", dest)
    return dest


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


def keep_premigration_days() -> int:
    return _setting_int("backup_keep_premigration_days", DEFAULT_KEEP_PREMIGRATION_DAYS)


def daily_backup(db_path: Path, *, now: dt.datetime | None = None) -> AutoBackup:
    """The first start of each day copies the database and rotates the folder. Never raises."""
    now = now or dt.datetime.now()
    try:
        folder = backups_dir(db_path)
        today = sorted(folder.glob(f"daily-{now:%Y%m%d}-*{SUFFIX}")) if folder.is_dir() else []
        if today:
            return AutoBackup("backup.daily_exists", today[0])
        path = backup_now(db_path, kind="daily", now=now)
        removed = rotate(db_path, now=now)
        return AutoBackup("backup.daily_done", path, removed=tuple(removed))
    except StorageError as exc:
        log.warning("daily backup failed: %s %s", exc.code, exc.params)
        return AutoBackup("backup.failed", None, {"detail": str(exc.params.get("detail", exc.code)),
                                                  "path": str(exc.params.get("path", ""))})
    except _OS_OR_SQL_ERRORS as exc:
        log.warning("daily backup failed: %s", exc)
        return AutoBackup("backup.failed", None, {"detail": str(exc), "path": str(backups_dir(db_path))})


def rotate(db_path: Path, *, now: dt.datetime | None = None, keep: int | None = None,
           keep_days: int | None = None) -> list[Path]:
    """Delete daily backups beyond the newest ``keep`` and pre-migration/pre-restore ones older than
    ``keep_days``; manual backups are never deleted. Returns the removed files."""
    now = now or dt.datetime.now()
    keep = keep_daily() if keep is None else keep
    keep_days = keep_premigration_days() if keep_days is None else keep_days
    removed: list[Path] = []
    infos = _scan(backups_dir(db_path))
    daily = sorted((b for b in infos if b.kind == "daily"), key=lambda b: (b.created, b.path.name), reverse=True)
    old = [b for b in infos if b.kind in KINDS_KEPT_BY_AGE and b.created < now - dt.timedelta(days=keep_days)]
    for b in [*daily[keep:], *old]:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:
            log.warning("could not remove old backup %s: %s", b.path, exc)
    folder = backups_dir(db_path)
    if folder.is_dir():
        for part in folder.glob("*.part"):  # left by a copy interrupted by a crash
            try:
                if dt.datetime.fromtimestamp(part.stat().st_mtime) < now - dt.timedelta(hours=1):
                    part.unlink()
            except OSError:
                pass
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
    if db.is_encrypted(path):  # StorageError db.password_required / db.wrong_password / db.encryption_unavailable
        return db.connect_file(path, passphrase=passphrase)
    try:
        con = sqlite3.connect(db.ro_uri(path), uri=True)
        con.execute("PRAGMA schema_version").fetchone()
        return con
    except sqlite3.OperationalError:  # a WAL file in a read-only folder: read it as it is on disk
        return sqlite3.connect(db.ro_uri(path, immutable=True), uri=True)


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

    Raises StorageError with code backup.missing, backup.not_database, backup.damaged, backup.too_new or
    backup.not_lamha; for an encrypted file that ``passphrase`` (default: the session's) does not open,
    backup.password_required, backup.wrong_password or db.encryption_unavailable. Never writes to ``path``.
    """
    path = Path(path)
    if not path.is_file():
        raise StorageError("backup.missing", path=str(path))
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
    """``PRAGMA quick_check`` through a read-only connection (a damaged file is kept byte for byte)."""
    try:
        con = _connect_ro(path, passphrase)
        try:
            return [r[0] for r in con.execute("PRAGMA quick_check(1)").fetchall()] == ["ok"]
        finally:
            con.close()
    except _STORAGE_OR_SQL_ERRORS:
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
            from lamha_desktop.storage import encryption

            encryption.export_file(src, staged, src_key=src_key, dest_key=dest_key)
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
        raise StorageError("backup.failed", path=str(folder), detail=str(exc)) from exc
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
    if db_path.exists() and src.resolve() == db_path.resolve():
        raise StorageError("backup.is_current", path=str(src))
    was_open = _is_open_on(db_path)
    reopen = was_open if reopen is None else reopen
    folder = backups_dir(db_path)
    key = passphrase if passphrase is not None else db.session_passphrase()
    if db_path.exists() and db.is_encrypted(db_path) and not key:
        raise StorageError("db.password_required", path=str(db_path))
    dest_key = key if (db.is_encrypted(db_path) if db_path.exists() else bool(key)) else None
    src_key = source_passphrase if source_passphrase is not None else key
    staged = _stage(src, folder, now, src_key=src_key, dest_key=dest_key)
    try:
        verify(staged, passphrase=dest_key)
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

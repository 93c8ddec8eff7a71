"""The SQLite database: opening it with safe pragmas, schema versioning and migrations.

The schema version lives in ``PRAGMA user_version``. A database written by a newer
application is refused untouched; an older one is copied to ``backups/`` and migrated.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import peewee

database = peewee.SqliteDatabase(None)

PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a committed transaction survives a power cut
    "busy_timeout": 5000,
    "cache_size": -16000,
}

DB_FILENAME = "lamha.sqlite3"


class StorageError(Exception):
    """An environment problem with the database file; ``code`` is mapped to a message by the UI."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def _v1(db: peewee.SqliteDatabase) -> None:
    from lamha_desktop.storage import models

    db.create_tables(models.ALL_MODELS)
    models.seed_reference_data()


MIGRATIONS: list[Callable[[peewee.SqliteDatabase], None]] = [_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: peewee.SqliteDatabase = database) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def ro_uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only SQLite URI for ``path`` (spaces, ``#`` and ``?`` in folder names are escaped)."""
    return Path(path).resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def file_schema_version(path: Path) -> int:
    """Read the schema version of a database file without opening it through peewee."""
    con = sqlite3.connect(ro_uri(path), uri=True)
    try:
        return int(con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()


def backup_file(src: Path, dest: Path) -> Path:
    """Copy a live database to ``dest`` with SQLite's backup API, through a temporary name.

    The copy is a single self-contained file (rollback journal, no ``-wal``), flushed to disk before
    it is renamed into place; a failure leaves neither ``dest`` nor the temporary file behind.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(ro_uri(src), uri=True)
        try:
            target = sqlite3.connect(str(tmp))
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        fsync_file(tmp)
        tmp.replace(dest)
        fsync_dir(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_folder_writable(folder: Path) -> None:
    """Probe ``folder`` with a real temporary file; raise StorageError("db.read_only"/"db.disk_full")."""
    try:
        fd, name = tempfile.mkstemp(prefix=".lamha-probe-", dir=folder)
    except OSError as exc:
        code = "db.disk_full" if exc.errno == errno.ENOSPC else "db.read_only"
        raise StorageError(code, path=str(folder), detail=str(exc)) from exc
    os.close(fd)
    Path(name).unlink(missing_ok=True)


def quick_check(db: peewee.SqliteDatabase = database) -> str | None:
    """``PRAGMA quick_check`` on the open database: None when it passes, else the first problems found."""
    rows = [str(r[0]) for r in db.execute_sql("PRAGMA quick_check(5)").fetchall()]
    return None if rows == ["ok"] else "; ".join(rows)


def open_database(path: Path, *, migrate: bool = True, check: bool = True) -> peewee.SqliteDatabase:
    """Open (creating if needed), check and migrate the database at ``path``.

    Raises StorageError("db.too_new") when the file was written by a newer application,
    StorageError("db.not_writable") / ("db.read_only") / ("db.disk_full") / ("db.corrupt") on
    environment failures. ``check`` runs ``PRAGMA quick_check`` on an existing file before any
    migration; a damaged file is left exactly as it is.
    """
    path = Path(path)
    if not database.is_closed():
        database.close()
    existed = path.exists() and path.stat().st_size > 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError("db.not_writable", path=str(path.parent), detail=str(exc)) from exc
    check_folder_writable(path.parent)
    if existed:
        try:
            version = file_schema_version(path)
        except sqlite3.DatabaseError as exc:
            raise StorageError("db.corrupt", path=str(path), detail=str(exc)) from exc
        if version > SCHEMA_VERSION:
            raise StorageError("db.too_new", path=str(path), version=version, supported=SCHEMA_VERSION)
    database.init(str(path), pragmas=PRAGMAS)
    try:
        database.connect()
        problem = quick_check() if existed and check else None
    except peewee.OperationalError as exc:
        close_database()
        raise StorageError("db.not_writable", path=str(path), detail=str(exc)) from exc
    except peewee.DatabaseError as exc:
        close_database()
        raise StorageError("db.corrupt", path=str(path), detail=str(exc)) from exc
    if problem is not None:
        close_database()
        raise StorageError("db.corrupt", path=str(path), detail=problem)
    if migrate:
        try:
            run_migrations(path, existed=existed)
        except peewee.OperationalError as exc:
            database.close()
            raise StorageError("db.not_writable", path=str(path), detail=str(exc)) from exc
    return database


def run_migrations(path: Path, *, existed: bool) -> None:
    current = schema_version()
    if current >= SCHEMA_VERSION:
        return
    if existed and current > 0:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_file(path, path.parent / "backups" / f"pre-migration-v{current}-{stamp}.sqlite3")
    for version in range(current, SCHEMA_VERSION):
        with database.atomic():
            MIGRATIONS[version](database)
            database.execute_sql(f"PRAGMA user_version = {version + 1}")


def close_database() -> None:
    if not database.is_closed():
        database.close()

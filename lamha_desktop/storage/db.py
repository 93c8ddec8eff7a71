"""The SQLite database: opening it with safe pragmas, schema versioning and migrations.

The schema version lives in ``PRAGMA user_version``. A database written by a newer
application is refused untouched; an older one is copied to ``backups/`` and migrated.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
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


def file_schema_version(path: Path) -> int:
    """Read the schema version of a database file without opening it through peewee."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()


def backup_file(src: Path, dest: Path) -> Path:
    """Copy a live database to ``dest`` with SQLite's backup API, through a temporary name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(str(src))
    try:
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    tmp.replace(dest)
    return dest


def open_database(path: Path, *, migrate: bool = True) -> peewee.SqliteDatabase:
    """Open (creating if needed) and migrate the database at ``path``.

    Raises StorageError("db.too_new") when the file was written by a newer application,
    StorageError("db.not_writable") / ("db.corrupt") on environment failures.
    """
    path = Path(path)
    if not database.is_closed():
        database.close()
    existed = path.exists() and path.stat().st_size > 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError("db.not_writable", path=str(path.parent), detail=str(exc)) from exc
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
    except peewee.OperationalError as exc:
        raise StorageError("db.not_writable", path=str(path), detail=str(exc)) from exc
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

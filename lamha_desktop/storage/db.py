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
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee

from lamha_desktop.storage import fileops
from lamha_desktop.storage import migrations as _migrations
from lamha_desktop.storage.typed_peewee import raw

try:  # optional: encryption at rest (SQLCipher); without it the application runs unencrypted
    import playhouse.sqlcipher_ext  # noqa: F401 - registers peewee's value adapters on sqlcipher3 as on sqlite3
    from sqlcipher3 import dbapi2 as _sqlcipher
except ImportError:  # pragma: no cover - depends on the machine
    _sqlcipher = None


class Database(peewee.SqliteDatabase):
    """The application's database: plain SQLite (the standard ``sqlite3``), or SQLCipher (``sqlcipher3``)
    when ``passphrase`` is set. One object for both, so the models stay bound to it and
    ``atomic()``/``init()``/``is_closed()``/``database`` work as before. The passphrase lives only in
    memory for the session; it is never written anywhere."""

    passphrase: str | None = None

    # peewee's bundled stubs omit the private connection hooks used below (_connect, _timeout,
    # _add_conn_hooks); they are the documented way to customise a SqliteDatabase's connection.
    def _connect(self) -> Any:
        if not self.passphrase:
            return super()._connect()  # type: ignore[misc]
        cipher = sqlcipher_module()
        conn = cipher.connect(self.database, timeout=self._timeout,  # type: ignore[attr-defined]
                                isolation_level=None, **self.connect_params)
        try:
            conn.execute(f"PRAGMA key = {key_literal(self.passphrase)}")
            self._add_conn_hooks(conn)  # type: ignore[attr-defined]
        except BaseException:
            conn.close()
            raise
        return conn


database = Database(None)

PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a committed transaction survives a power cut
    "busy_timeout": 5000,
    "cache_size": -16000,
}

DB_FILENAME = "lamha.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"

# Errors of either driver (a query on an encrypted file raises sqlcipher3's own classes).
SQL_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,) if _sqlcipher is None else (sqlite3.Error, _sqlcipher.Error)
_OS_OR_SQL_ERRORS: tuple[type[Exception], ...] = (OSError, *SQL_ERRORS)


class StorageError(Exception):
    """An environment problem with the database file; ``code`` is mapped to a message by the UI."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


# The schema's history lives in storage/migrations.py (frozen SQL, no models): db never imports the models.
MIGRATIONS: list[Callable[[peewee.Database], None]] = list(_migrations.MIGRATIONS)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: peewee.SqliteDatabase = database) -> int:
    row = raw(db).execute_sql("PRAGMA user_version").fetchone()
    return int(row[0]) if row else 0


def ro_uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only SQLite URI for ``path``, in the form SQLite accepts on this system for a local folder, a
    mapped drive or a ``\\\\server\\share`` path (``fileops.sqlite_uri``)."""
    return fileops.native_uri(path, mode="ro", immutable=immutable)


def file_schema_version(path: Path, *, passphrase: str | None = None) -> int:
    """Read the schema version of a database file without opening it through peewee.

    An encrypted file needs ``passphrase`` (default: the session's); see ``connect_file``."""
    con = connect_file(path, passphrase=passphrase)
    try:
        return int(con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()


# ---------------------------------------------------------------- encryption at rest


def encryption_available() -> bool:
    """Whether SQLCipher (the ``sqlcipher3`` package) can be used on this machine."""
    return _sqlcipher is not None


_cipher_quiet = False


def sqlcipher_module() -> Any:
    """The ``sqlcipher3.dbapi2`` module; StorageError("db.encryption_unavailable") when it is missing."""
    global _cipher_quiet
    if _sqlcipher is None:
        raise StorageError("db.encryption_unavailable")
    if not _cipher_quiet:  # a wrong password is our message, not SQLCipher's log lines on stderr
        con = _sqlcipher.connect(":memory:")
        try:
            con.execute("PRAGMA cipher_log_level = NONE").fetchall()
        finally:
            con.close()
        _cipher_quiet = True
    return _sqlcipher


def normalize_passphrase(passphrase: str) -> str:
    """NFC, so a password typed with diacritics is the same whichever Vietnamese input method composed it."""
    return unicodedata.normalize("NFC", passphrase)


def key_literal(passphrase: str) -> str:
    """``passphrase`` as an SQL string literal for ``PRAGMA key``/``ATTACH … KEY`` (never logged)."""
    text = normalize_passphrase(passphrase)
    if "\x00" in text:
        raise StorageError("db.password_invalid")
    return "'" + text.replace("'", "''") + "'"


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` looks like an SQLCipher file: not the plaintext SQLite header, and whole pages.

    (A file of another size with a foreign header is simply not a database: reported as damaged.)"""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return False
    return size >= 1024 and size % 512 == 0 and head != SQLITE_HEADER


def session_passphrase() -> str | None:
    """The password of the encrypted database of this session (kept in memory only), or None."""
    return database.passphrase


def remember_passphrase(passphrase: str | None) -> None:
    """Keep ``passphrase`` for this session (used by the next ``open_database`` of an encrypted file)."""
    database.passphrase = normalize_passphrase(passphrase) if passphrase else None


def forget_passphrase() -> None:
    database.passphrase = None


def connect_file(path: Path, *, passphrase: str | None = None, immutable: bool = False) -> Any:
    """A read-only DB-API connection to ``path``: ``sqlite3`` for a plaintext file, ``sqlcipher3`` keyed with
    ``passphrase`` (default: the session's) for an encrypted one.

    Raises StorageError("db.password_required") without a password, ("db.wrong_password") when the password
    does not open the file, ("db.encryption_unavailable") when SQLCipher is missing.
    """
    path = Path(path)
    if not is_encrypted(path):
        return sqlite3.connect(ro_uri(path, immutable=immutable), uri=True)
    key = passphrase if passphrase is not None else session_passphrase()
    if not key:
        raise StorageError("db.password_required", path=str(path))
    cipher = sqlcipher_module()
    con = cipher.connect(ro_uri(path, immutable=immutable), uri=True)
    try:
        con.execute(f"PRAGMA key = {key_literal(key)}")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except cipher.DatabaseError as exc:
        con.close()
        if not immutable and isinstance(exc, cipher.OperationalError):  # a WAL file in a read-only folder
            return connect_file(path, passphrase=key, immutable=True)
        raise StorageError("db.wrong_password", path=str(path)) from exc
    return con


def new_file(path: Path, passphrase: str | None) -> Any:
    """A writable connection creating ``path``: SQLCipher keyed with ``passphrase``, or plain ``sqlite3``."""
    if not passphrase:
        return sqlite3.connect(str(path))
    con = sqlcipher_module().connect(str(path))
    con.execute(f"PRAGMA key = {key_literal(passphrase)}")
    return con


def check_passphrase(path: Path, passphrase: str | None) -> None:
    """Raise StorageError("db.wrong_password"/"db.password_required"/"db.corrupt"/"db.cannot_open") unless
    ``passphrase`` opens ``path`` (a plaintext file needs none)."""
    try:
        file_schema_version(path, passphrase=passphrase)
    except sqlite3.OperationalError as exc:
        raise StorageError("db.cannot_open", path=str(path), detail=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise StorageError("db.corrupt", path=str(path), detail=str(exc)) from exc


def copy_connection(source: Any, dest: Path, key: str | None) -> None:
    """Copy the database open on ``source`` into the new file ``dest`` with SQLite's backup API
    (encrypted with ``key`` when given), as one self-contained file without a WAL."""
    target = new_file(dest, key)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def backup_file(src: Path, dest: Path, *, passphrase: str | None = None) -> Path:
    """Copy a live database to ``dest`` with SQLite's backup API, through a temporary name.

    The copy is a single self-contained file (rollback journal, no ``-wal``), flushed to disk before
    it is renamed into place; a failure leaves neither ``dest`` nor the temporary file behind. The copy of
    an encrypted database is encrypted with the same password (``passphrase``, default: the session's).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    key = (passphrase if passphrase is not None else session_passphrase()) if is_encrypted(src) else None
    try:
        source = connect_file(src, passphrase=key)
        try:
            copy_connection(source, tmp, key)
        finally:
            source.close()
        fsync_file(tmp)
        fileops.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def fsync_file(path: Path) -> None:
    """Flush ``path`` to disk (through a descriptor opened for writing, as Windows needs: ``fileops``)."""
    fileops.fsync_file(path)


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
    rows = [str(r[0]) for r in raw(db).execute_sql("PRAGMA quick_check(5)").fetchall()]
    return None if rows == ["ok"] else "; ".join(rows)


def open_database(path: Path, *, migrate: bool = True, check: bool = True,
                  passphrase: str | None = None) -> peewee.SqliteDatabase:
    """Open (creating if needed), check and migrate the database at ``path``.

    Raises StorageError("db.too_new") when the file was written by a newer application,
    StorageError("db.not_writable") / ("db.read_only") / ("db.disk_full") / ("db.corrupt") on
    environment failures. ``check`` runs ``PRAGMA quick_check`` on an existing file before any
    migration; a damaged file is left exactly as it is.

    An encrypted file is opened with ``passphrase`` (default: the one kept for this session), which is then
    kept for the session; without one StorageError("db.password_required"), a wrong one
    ("db.wrong_password"), and ("db.encryption_unavailable") when SQLCipher is missing here. A plaintext
    file opens exactly as before (plain ``sqlite3``).
    """
    path = Path(path)
    if not database.is_closed():
        database.close()
    _forget_caches()
    existed = path.exists() and path.stat().st_size > 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError("db.not_writable", path=str(path.parent), detail=str(exc)) from exc
    check_folder_writable(path.parent)
    key: str | None = None
    if existed and is_encrypted(path):
        key = normalize_passphrase(passphrase) if passphrase else session_passphrase()
        if not key:
            raise StorageError("db.password_required", path=str(path))
    if existed:
        try:
            version = file_schema_version(path, passphrase=key)
        except sqlite3.OperationalError as exc:  # cannot be opened (a path or URI SQLite refuses, I/O): not damage
            raise StorageError("db.cannot_open", path=str(path), detail=str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StorageError("db.corrupt", path=str(path), detail=str(exc)) from exc
        if version > SCHEMA_VERSION:
            raise StorageError("db.too_new", path=str(path), version=version, supported=SCHEMA_VERSION)
    database.passphrase = key  # the password opened the file: kept (in memory) for this session
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
        except StorageError:
            database.close()
            raise
    return database


def run_migrations(path: Path, *, existed: bool) -> None:
    current = schema_version()
    if current >= SCHEMA_VERSION:
        return
    if existed and current > 0:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.parent / "backups" / f"pre-migration-v{current}-{stamp}.sqlite3"
        try:
            backup_file(path, target)
        except _OS_OR_SQL_ERRORS as exc:  # no copy, no migration: the file stays as it was
            raise StorageError("db.migration_backup_failed", path=str(target), detail=str(exc)) from exc
    for version in range(current, SCHEMA_VERSION):
        with database.atomic():
            MIGRATIONS[version](database)
            raw(database).execute_sql(f"PRAGMA user_version = {version + 1}")


def close_database() -> None:
    if not database.is_closed():
        database.close()
    _forget_caches()


def _forget_caches() -> None:
    """What was read from the previous database must not be taken for the next one's."""
    from lamha_desktop.storage import repo, settings

    settings.forget_cache()
    repo.forget_days_off()

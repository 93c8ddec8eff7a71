"""The SQLite database: opening it with safe pragmas, schema versioning and migrations.

The schema version lives in ``PRAGMA user_version``. A database written by a newer
application is refused untouched; an older one is copied to ``backups/`` and migrated.

Before SQLite touches an existing file, :mod:`.health` names what the file is: a database that became
0 bytes, was cut short, overwritten with zeros or random bytes, or replaced by another kind of file is
refused with its own code and left exactly as it is; a new database is only created where none was.
Readers (exports, the summary PDF) open the file read-only, so a read-only data folder still serves them.
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
from typing import Any, cast

import peewee

from lamha_desktop.storage import fileops, health
from lamha_desktop.storage import migrations as _migrations
from lamha_desktop.storage.typed_peewee import raw

# Optional: encryption at rest (SQLCipher, the ``sqlcipher3`` package); without it the application runs
# unencrypted. Loaded when a file needs it (``sqlcipher_module``), not by a start on a plain file: its library
# (SQLite and OpenSSL built in) is one more native file for every start to load and an antivirus to scan.
# ``_NOT_LOADED`` until then; None when it is missing.
_NOT_LOADED: Any = object()
_sqlcipher: Any = _NOT_LOADED


class Database(peewee.SqliteDatabase):
    """The application's database: plain SQLite (the standard ``sqlite3``), or SQLCipher (``sqlcipher3``)
    when ``passphrase`` is set. One object for both, so the models stay bound to it and
    ``atomic()``/``init()``/``is_closed()``/``database`` work as before. The passphrase lives only in
    memory for the session; it is never written anywhere."""

    passphrase: str | None = None
    file_path: Path | None = None  # the file open now (``database`` holds a URI when opened read-only)
    read_only: bool = False

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


class Store(peewee.DatabaseProxy):
    """The database the models are bound to: the local SQLite file (the default, :data:`local`) or, after
    ``storage.server.open_server``, a shared PostgreSQL server. Everything else is forwarded to the
    database in use, so ``database.atomic()``, ``database.param`` and the models work the same on both."""

    __slots__ = ()

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr in peewee.DatabaseProxy.__slots__:
            object.__setattr__(self, attr, value)
        else:  # the session's passphrase, the open file... belong to the database in use
            setattr(self.obj, attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(self.obj, attr)


local = Database(None)
_store = Store()
_store.initialize(local)
# Typed as the SQLite database the application had alone until the server came: every attribute the code
# reads on it is forwarded (the server's database class carries the same ones).
database: Database = cast(Database, _store)


def use_local() -> None:
    """Bind the models to the local SQLite database again (the server connection, if any, is closed)."""
    current = _store.obj
    if current is not local and current is not None and not current.is_closed():
        current.close()
    _store.initialize(local)


def use(db: peewee.Database) -> None:
    """Bind the models to ``db`` (a server database opened by ``storage.server``)."""
    if not local.is_closed():
        local.close()
    _store.initialize(db)


def is_server() -> bool:
    """Whether the models are bound to a PostgreSQL server rather than the local SQLite file."""
    return _store.obj is not local


def engine() -> str:
    """"sqlite" or "postgresql": the engine of the database in use."""
    return "postgresql" if is_server() else "sqlite"

PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a committed transaction survives a power cut
    "busy_timeout": 5000,
    "cache_size": -16000,
}

# A read-only connection changes nothing: no journal mode, no synchronous setting, and no write accepted.
READ_ONLY_PRAGMAS = {
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -16000,
    "query_only": 1,
}

DB_FILENAME = "lamha.sqlite3"
SQLITE_HEADER = health.SQLITE_HEADER
# errno values that mean "no room to write": a full disk, a user quota, a file-size limit (FAT's 4 GB, a
# process limit).
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})

# Errors of either driver (a query on an encrypted file raises sqlcipher3's own classes). sqlcipher3's are added
# when it is loaded: name ``db.SQL_ERRORS`` (or ``db.sql_errors(…)``) in the ``except`` clause itself, never in a
# tuple made at import.
SQL_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)


def sql_errors(*others: type[Exception]) -> tuple[type[Exception], ...]:
    """``others`` and the errors of either SQLite driver, for an ``except`` clause."""
    return (*others, *SQL_ERRORS)


class StorageError(Exception):
    """An environment problem with the database file; ``code`` is mapped to a message by the UI."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def os_error(exc: OSError, path: Path | str) -> StorageError:
    """The environment's reason an OS call on ``path`` failed: db.disk_full (no room), db.read_only."""
    code = "db.disk_full" if exc.errno in NO_SPACE_ERRNOS else "db.read_only"
    return StorageError(code, path=str(path), detail=str(exc))


def sqlite_error(exc: Exception, path: Path | str, *, default: str = "db.not_writable") -> StorageError:
    """SQLite's error on ``path`` worded by its cause: a full disk, a read-only file or folder, a lock held by
    another program, a failing drive; ``default`` for anything else."""
    msg = str(exc).lower()
    if "disk is full" in msg or "database or disk is full" in msg:
        code = "db.disk_full"
    elif "readonly" in msg or "read-only" in msg:
        code = "db.read_only"
    elif "database is locked" in msg:
        code = "db.locked"
    elif "disk i/o error" in msg:
        code = "db.io_error"
    else:
        code = default
    return StorageError(code, path=str(path), detail=str(exc))


# ---------------------------------------------------------------- what the file on disk is

# The codes of a database file that is there but unusable: start-up offers the newest good backup for each.
DAMAGED_CODES = frozenset({"db.corrupt", "db.empty_file", "db.truncated", "db.zeroed", "db.foreign", "db.garbage",
                           "db.not_lamha"})


def diagnose(path: Path) -> health.FileCheck:
    """:func:`health.examine` for the database file ``path``, with what its backups say: header-less bytes
    beside a plain newest backup are random bytes (``GARBAGE``), not an encrypted database."""
    check = health.examine(path)
    if check.state == health.ENCRYPTED and health.plaintext_expected(path):
        return health.FileCheck(check.path, health.GARBAGE, check.size)
    return check


def needs_password(path: Path) -> bool:
    """An encrypted database at ``path``, as far as the file and its backups tell: random bytes over a database
    that never had a password are damage (reported when the store is opened), not a password to ask for."""
    try:
        return path.is_file() and diagnose(path).state == health.ENCRYPTED
    except OSError:
        return False


def data_existed(path: Path) -> bool:
    """Whether a database lived at ``path`` before: backups beside it, or changes waiting in its ``-wal``."""
    return health.has_backups(path) or health.wal_has_content(path)


def damage_error(check: health.FileCheck) -> StorageError | None:
    """The StorageError naming a damaged file (None for a missing, empty, plain or encrypted one):
    db.truncated, db.zeroed, db.foreign, db.garbage."""
    path = str(check.path)
    if check.state == health.TRUNCATED:
        return StorageError("db.truncated", path=path, size=check.size, expected=check.expected)
    if check.state == health.ZEROED:
        return StorageError("db.zeroed", path=path, size=check.size)
    if check.state == health.FOREIGN:
        return StorageError("db.foreign", path=path, file_kind=check.kind)
    if check.state == health.GARBAGE:
        return StorageError("db.garbage", path=path, size=check.size)
    return None


def check_file(path: Path, *, may_be_new: bool = False) -> health.FileCheck:
    """Refuse a database file that is not a usable database, before anything opens it; return its state.

    A 0-byte file is refused with StorageError("db.empty_file") unless ``may_be_new`` and nothing says a
    database lived here (no backups beside it, no ``-wal``): that is a first start stopped before its first
    write. Damaged files: db.truncated / db.zeroed / db.foreign / db.garbage; a file that cannot be read:
    db.no_access. The file is never touched.
    """
    try:
        check = diagnose(path)
    except OSError as exc:
        raise StorageError("db.no_access", path=str(path), detail=str(exc)) from exc
    if check.state == health.EMPTY and (not may_be_new or data_existed(path)):
        raise StorageError("db.empty_file", path=str(path))
    problem = damage_error(check)
    if problem is not None:
        raise problem
    return check


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
    """Whether SQLCipher (the ``sqlcipher3`` package) can be used on this machine: found, if not loaded yet."""
    if _sqlcipher is _NOT_LOADED:
        import importlib.util

        try:
            return importlib.util.find_spec("sqlcipher3") is not None
        except (ImportError, ValueError):  # a package that cannot be found properly cannot be used either
            return False
    return _sqlcipher is not None


def _load_sqlcipher() -> Any:
    """``sqlcipher3.dbapi2``, loaded on first use (None when it is missing); its errors join ``SQL_ERRORS``."""
    global _sqlcipher, SQL_ERRORS
    if _sqlcipher is _NOT_LOADED:
        try:
            import playhouse.sqlcipher_ext  # noqa: F401 - registers peewee's value adapters on sqlcipher3 as on sqlite3
            from sqlcipher3 import dbapi2
        except ImportError:  # pragma: no cover - depends on the machine
            _sqlcipher = None
        else:
            _sqlcipher = dbapi2
            SQL_ERRORS = (sqlite3.Error, dbapi2.Error)
    return _sqlcipher


_cipher_quiet = False


def sqlcipher_module() -> Any:
    """The ``sqlcipher3.dbapi2`` module; StorageError("db.encryption_unavailable") when it is missing."""
    global _cipher_quiet
    cipher = _load_sqlcipher()
    if cipher is None:
        raise StorageError("db.encryption_unavailable")
    if not _cipher_quiet:  # a wrong password is our message, not SQLCipher's log lines on stderr
        con = cipher.connect(":memory:")
        try:
            con.execute("PRAGMA cipher_log_level = NONE").fetchall()
        finally:
            con.close()
        _cipher_quiet = True
    return cipher


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
    """Whether ``path`` looks like an SQLCipher file: no plaintext SQLite header, whole pages, and none of the
    signatures of a damaged or foreign file (zeros, a workbook, a PDF, text...).

    From the bytes alone random bytes look the same; :func:`diagnose` adds what the backups say."""
    try:
        return health.examine(Path(path)).state == health.ENCRYPTED
    except OSError:
        return False


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

    In a read-only folder SQLite cannot make the shared-memory file a WAL database needs: the file is then
    read as it is on disk (``immutable``), which is complete when no ``-wal`` holds changes; with such
    changes StorageError("db.read_only_unsaved") (copying the whole folder elsewhere recovers them).

    Raises StorageError("db.password_required") without a password, ("db.wrong_password") when the password
    does not open the file, ("db.encryption_unavailable") when SQLCipher is missing.
    """
    return _connect_read_only(Path(path), passphrase, immutable)[0]


def _connect_read_only(path: Path, passphrase: str | None, immutable: bool) -> tuple[Any, bool]:
    """``connect_file``, and whether it had to read the file as immutable."""
    if not is_encrypted(path):
        con = sqlite3.connect(ro_uri(path, immutable=immutable), uri=True)
        if immutable:
            return con, True
        try:
            con.execute("PRAGMA schema_version").fetchone()
        except sqlite3.OperationalError as exc:
            con.close()
            return _connect_immutable(path, None, exc)
        except BaseException:
            con.close()
            raise
        return con, False
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
            return _connect_immutable(path, key, exc)
        raise StorageError("db.wrong_password", path=str(path)) from exc
    return con, immutable


def _connect_immutable(path: Path, key: str | None, exc: Exception) -> tuple[Any, bool]:
    """The read-only fallback of ``connect_file``: the file as it is on disk, unless a ``-wal`` holds changes."""
    if health.wal_has_content(path):
        raise StorageError("db.read_only_unsaved", path=str(path.parent), detail=str(exc)) from exc
    return _connect_read_only(path, key, True)


def create_private(path: Path) -> None:
    """Create the new, empty file ``path`` readable by its owner only (0600), so a copy of the database never
    sits readable by every account, even half-written. FileExistsError when it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)


def new_file(path: Path, passphrase: str | None) -> Any:
    """A writable connection creating ``path`` (mode 0600): SQLCipher keyed with ``passphrase``, or plain
    ``sqlite3``."""
    if not Path(path).exists():
        create_private(Path(path))
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

    The copy is a single self-contained file (rollback journal, no ``-wal``, mode 0600), flushed to disk before
    it is renamed into place; a failure leaves neither ``dest`` nor the temporary file behind. The copy of
    an encrypted database is encrypted with the same password (``passphrase``, default: the session's).
    ``src`` is only read, so its folder may be read-only.
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


PROBE_PREFIX = ".lamha-probe-"
PROBE_BYTES = 8192


def check_folder_writable(folder: Path) -> None:
    """Probe ``folder`` with a real temporary file holding a few pages: creating an empty file succeeds on a
    full disk, writing does not (the file systems reserve the space at the write: NTFS, ext4's delayed
    allocation, FAT on a USB stick). Not flushed: a flush waits for the disk, tens of milliseconds on an office
    PC's hard disk at every start, and tells nothing more about the space. Raises
    StorageError("db.read_only"/"db.disk_full")."""
    try:
        fd, name = tempfile.mkstemp(prefix=PROBE_PREFIX, dir=folder)
    except OSError as exc:
        raise os_error(exc, folder) from exc
    try:
        try:
            if os.write(fd, b"\0" * PROBE_BYTES) < PROBE_BYTES:  # a short write: the space ran out
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        finally:
            os.close(fd)
    except OSError as exc:
        raise os_error(exc, folder) from exc
    finally:
        Path(name).unlink(missing_ok=True)


def quick_check(db: peewee.SqliteDatabase = database) -> str | None:
    """``PRAGMA quick_check`` on the open database: None when it passes, else the first problems found."""
    rows = [str(r[0]) for r in raw(db).execute_sql("PRAGMA quick_check(5)").fetchall()]
    return None if rows == ["ok"] else "; ".join(rows)


def open_database(path: Path, *, migrate: bool = True, check: bool = True, passphrase: str | None = None,
                  create: bool = True, read_only: bool = False, data_expected: bool = False,
                  probe_folder: bool = True) -> peewee.SqliteDatabase:
    """Open (creating if needed), check and migrate the database at ``path``.

    Raises StorageError("db.too_new") when the file was written by a newer application,
    StorageError("db.not_writable") / ("db.read_only") / ("db.disk_full") / ("db.corrupt") on
    environment failures. ``check`` runs ``PRAGMA quick_check`` on an existing file before any
    migration; a damaged file is left exactly as it is.

    Before SQLite opens anything the file is examined (``check_file``): a 0-byte file where a database lived
    (``data_expected``, backups beside it, a ``-wal``) is db.empty_file, never a new empty database; a cut,
    zeroed, foreign or random file is db.truncated / db.zeroed / db.foreign / db.garbage; an SQLite file of
    another program is db.not_lamha. Without ``create`` a missing or 0-byte file is refused (db.missing,
    db.empty_file): the headless commands never create a database.

    ``read_only`` (exports, the summary PDF): no folder probe, no migration, a ``mode=ro`` connection that
    refuses every write, so a read-only data folder serves readers; a database that needs a migration first
    is refused with db.needs_upgrade. ``probe_folder=False`` skips the write probe of the folder for a caller
    that has just probed it (start-up: each probe is a flushed write, slow on a hard disk).

    An encrypted file is opened with ``passphrase`` (default: the one kept for this session), which is then
    kept for the session; without one StorageError("db.password_required"), a wrong one
    ("db.wrong_password"), and ("db.encryption_unavailable") when SQLCipher is missing here. A plaintext
    file opens exactly as before (plain ``sqlite3``).
    """
    path = Path(path)
    use_local()
    if not database.is_closed():
        database.close()
    _forget_caches()
    create = create and not read_only
    state = check_file(path, may_be_new=create and not data_expected)
    if state.state == health.MISSING and not create:
        raise StorageError("db.missing", path=str(path))
    existed = state.state not in (health.MISSING, health.EMPTY)
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            code = "db.disk_full" if exc.errno in NO_SPACE_ERRNOS else "db.not_writable"
            raise StorageError(code, path=str(path.parent), detail=str(exc)) from exc
        if probe_folder:
            check_folder_writable(path.parent)
    key: str | None = None
    if state.state == health.ENCRYPTED:
        key = normalize_passphrase(passphrase) if passphrase else session_passphrase()
        if not key:
            raise StorageError("db.password_required", path=str(path))
    uri: str | None = None
    if existed:
        version = _existing_version(path, key)
        if version > SCHEMA_VERSION:
            raise StorageError("db.too_new", path=str(path), version=version, supported=SCHEMA_VERSION)
        if read_only and version < SCHEMA_VERSION:
            raise StorageError("db.needs_upgrade", path=str(path), version=version, supported=SCHEMA_VERSION)
        if read_only:
            uri = _read_only_uri(path, key)
    elif state.state == health.MISSING:
        try:
            create_private(path)
        except FileExistsError:
            pass
        except OSError as exc:
            raise os_error(exc, path.parent) from exc
    database.passphrase = key  # the password opened the file: kept (in memory) for this session
    if uri is not None:
        database.init(uri, pragmas=READ_ONLY_PRAGMAS, uri=True)
    else:
        database.init(str(path), pragmas=PRAGMAS)
    database.file_path, database.read_only = path, read_only
    try:
        database.connect()
        problem = quick_check() if existed and check else None
    except peewee.OperationalError as exc:
        close_database()
        raise sqlite_error(exc, path) from exc
    except peewee.DatabaseError as exc:
        close_database()
        raise StorageError("db.corrupt", path=str(path), detail=str(exc)) from exc
    if problem is not None:
        close_database()
        raise StorageError("db.corrupt", path=str(path), detail=problem)
    if migrate and not read_only:
        try:
            run_migrations(path, existed=existed)
        except peewee.OperationalError as exc:
            close_database()
            raise sqlite_error(exc, path) from exc
        except StorageError:
            close_database()
            raise
    return database


def _existing_version(path: Path, key: str | None) -> int:
    """The schema version of an existing file, read before peewee opens it; refuses a database of another
    program (tables, but no schema version of ours: db.not_lamha) and a damaged one (db.corrupt)."""
    try:
        con = connect_file(path, passphrase=key)
        try:
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            tables = int(con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError as exc:  # cannot be opened (a URI SQLite refuses, I/O, a lock): not damage
        raise sqlite_error(exc, path, default="db.cannot_open") from exc
    except sqlite3.DatabaseError as exc:
        raise StorageError("db.corrupt", path=str(path), detail=str(exc)) from exc
    if version == 0 and tables:
        raise StorageError("db.not_lamha", path=str(path))
    return version


def _read_only_uri(path: Path, key: str | None) -> str:
    """The URI a read-only connection uses: ``mode=ro``, or ``immutable`` where SQLite cannot share the file
    (a read-only folder without pending changes; see ``connect_file``)."""
    con, immutable = _connect_read_only(path, key, False)
    con.close()
    return ro_uri(path, immutable=immutable)


def run_migrations(path: Path, *, existed: bool) -> None:
    current = schema_version()
    if current >= SCHEMA_VERSION:
        return
    if existed and current > 0:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.parent / health.BACKUP_DIRNAME / f"pre-migration-v{current}-{stamp}.sqlite3"
        try:
            backup_file(path, target)
        except OSError as exc:  # no copy, no migration: the file stays as it was
            problem = os_error(exc, target.parent)
            if problem.code == "db.disk_full":
                raise problem from exc
            raise StorageError("db.migration_backup_failed", path=str(target), detail=str(exc)) from exc
        except SQL_ERRORS as exc:
            raise sqlite_error(exc, target.parent, default="db.migration_backup_failed") from exc
    for version in range(current, SCHEMA_VERSION):
        step = MIGRATIONS[version]
        # A migration that rebuilds a table runs with foreign keys off (dropping the old table must not
        # cascade into the rows that refer to it), and checks every reference before it commits.
        rebuilds = bool(getattr(step, "rebuilds_tables", False))
        if rebuilds:
            raw(database).execute_sql("PRAGMA foreign_keys = OFF")
        try:
            with database.atomic():
                step(database)
                if rebuilds and raw(database).execute_sql("PRAGMA foreign_key_check").fetchall():
                    raise StorageError("db.migration_failed", path=str(path), version=version + 1)
                raw(database).execute_sql(f"PRAGMA user_version = {version + 1}")
        finally:
            if rebuilds:
                raw(database).execute_sql("PRAGMA foreign_keys = ON")


def close_database() -> None:
    if not database.is_closed():
        database.close()
    use_local()
    _forget_caches()


# What other storage modules cached from the open database; they register here (db imports none of them).
_cache_forgetters: list[Callable[[], None]] = []


def on_database_change(forget: Callable[[], None]) -> None:
    """Call ``forget`` whenever a database is opened or closed."""
    _cache_forgetters.append(forget)


def _forget_caches() -> None:
    """What was read from the previous database must not be taken for the next one's."""
    for forget in _cache_forgetters:
        forget()

"""A shared PostgreSQL server as the store: several clerks (the board's, a province's) on one database at once.

The same models and the same operations run on it; only what the engine itself owns differs and lives here:
the connection (a ``postgresql://`` URL, a password asked from the user or read from an environment variable,
never stored in clear text; ``sslmode`` honoured and shown), the schema version (table ``lamha_schema``), the
clerks (a login role each, see ``migrations.SERVER_PG`` for the row-level security that holds them to their
organisation), the change counter the clients poll to refresh their views, and ``pg_dump`` backups.

Problems are :class:`~lamha_desktop.storage.db.StorageError` codes like the file's: ``server.unreachable``
(with the host and the reason), ``server.password_required``, ``server.auth_failed``, ``server.no_database``,
``server.not_initialised``, ``server.needs_upgrade``, ``server.bad_url``, ``server.forbidden``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

import peewee

from lamha_desktop.storage import db
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.typed_peewee import raw

__all__ = [
    "ClerkInfo",
    "ServerAddress",
    "ServerDatabase",
    "add_clerk",
    "change_counter",
    "current",
    "init_server",
    "is_retryable",
    "note_change",
    "open_server",
    "pg_dump",
    "schema_version",
    "whoami",
]

CONNECT_TIMEOUT = 5  # seconds: an unreachable server is said so quickly, not after the system's minutes
SCHEMA_TABLE = "lamha_schema"
CHANGE_SEQUENCE = "lamha_change_seq"
CLERK_GROUP = "lamha_clerk"
# SQLSTATEs of a transaction the server gave up because another one changed the same rows: run it again.
RETRYABLE_STATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class ServerAddress:
    """Where the server is, from a ``postgresql://user@host:port/db?sslmode=...`` URL (a password in the URL is
    taken out of it: it is never shown nor kept)."""

    host: str
    port: int | None
    dbname: str
    user: str
    sslmode: str
    options: tuple[tuple[str, str], ...] = ()
    url_password: str | None = None

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
            raise StorageError("server.bad_url", url=_masked(url))
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        host = unquote(parts.hostname or "") or query.pop("host", "") or "localhost"
        try:
            port = parts.port
        except ValueError as exc:
            raise StorageError("server.bad_url", url=_masked(url)) from exc
        query.pop("host", None)
        sslmode = query.pop("sslmode", "prefer")
        query.pop("password", None)
        user = unquote(parts.username or "") or query.pop("user", "") or _login_name()
        return cls(host=host, port=port, dbname=unquote(parts.path.strip("/")), user=user, sslmode=sslmode,
                   options=tuple(sorted(query.items())),
                   url_password=unquote(parts.password) if parts.password else None)

    @property
    def local_socket(self) -> bool:
        return self.host.startswith("/")

    def display(self) -> str:
        """``user@host:port/db`` (never a password)."""
        where = self.host if self.port is None else f"{self.host}:{self.port}"
        return f"{self.user}@{where}/{self.dbname}"

    def tls_text(self) -> str:
        """What the connection's TLS setting means, for the status bar and the connection dialog."""
        if self.local_socket:
            return "kết nối cục bộ (socket), không qua mạng"
        return TLS_TEXTS.get(self.sslmode, f"sslmode={self.sslmode}")

    def connect_params(self, password: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"host": self.host, "user": self.user, "sslmode": self.sslmode,
                                  "connect_timeout": CONNECT_TIMEOUT, "application_name": "lamha_desktop"}
        if self.port is not None:
            params["port"] = self.port
        if password:
            params["password"] = password
        params.update(dict(self.options))
        return params

    def slug(self) -> str:
        """A file-name-safe name of this address (the folder of its local copy)."""
        text = f"{self.host.strip('/').replace('/', '_')}-{self.port or 5432}-{self.dbname}-{self.user}"
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


TLS_TEXTS = {
    "disable": "không mã hóa (sslmode=disable)",
    "allow": "mã hóa nếu máy chủ đòi (sslmode=allow)",
    "prefer": "mã hóa nếu máy chủ hỗ trợ, không kiểm tra chứng chỉ (sslmode=prefer)",
    "require": "mã hóa, không kiểm tra chứng chỉ (sslmode=require)",
    "verify-ca": "mã hóa, kiểm tra chứng chỉ của máy chủ (sslmode=verify-ca)",
    "verify-full": "mã hóa, kiểm tra chứng chỉ và tên máy chủ (sslmode=verify-full)",
}


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account)
        return "postgres"


def _masked(url: str) -> str:
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def load_driver() -> None:
    """Load psycopg and tell peewee about it (peewee is imported without it: ``lamha_desktop/__init__.py``),
    once, before the first server database is made. Does nothing when peewee found it itself."""
    if getattr(peewee, "psycopg", None) is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    # What peewee's module sets when it finds psycopg 3 at its import (peewee 4: the module's globals and the
    # transaction states of its adapter class).
    for name, value in (("psycopg", psycopg), ("TransactionStatus", TransactionStatus), ("Json_pg3", Json),
                        ("Jsonb_pg3", Jsonb)):
        setattr(peewee, name, value)
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


class ServerDatabase(peewee.PostgresqlDatabase):
    """A server database; it carries the attributes the application reads on its store (no file, no
    passphrase) and who is connected."""

    passphrase: str | None = None
    file_path: Path | None = None
    read_only: bool = False
    address: ServerAddress
    session_user: str = ""

    def init(self, database: Any, *args: Any, **kwargs: Any) -> None:
        load_driver()  # peewee picks its driver here
        super().init(database, *args, **kwargs)


# ---------------------------------------------------------------- errors


def sqlstate(exc: BaseException | None) -> str | None:
    """The SQLSTATE of a psycopg error, wherever peewee put it (the error itself, its first argument, its
    cause)."""
    seen = 0
    while exc is not None and seen < 5:
        state = getattr(exc, "sqlstate", None)
        if state:
            return str(state)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__
        seen += 1
    return None


def is_retryable(exc: BaseException) -> bool:
    """Whether the server gave a transaction up because of another one (serialisation failure, deadlock)."""
    return sqlstate(exc) in RETRYABLE_STATES


def is_forbidden(exc: BaseException) -> bool:
    """A write the row-level security policies or the privileges refused."""
    return sqlstate(exc) == "42501"


def lost_connection(exc: BaseException) -> StorageError | None:
    """A query that failed because the connection to the server went away: ``server.unreachable`` (nothing of
    the transaction was kept: the server rolls back what it did not see committed); None for anything else."""
    server = current()
    state = sqlstate(exc)
    if server is None or (state is not None and not state.startswith("08")):
        return None
    if not isinstance(exc, peewee.OperationalError | peewee.InterfaceError) and state is None:
        return None
    address = server.address
    return StorageError("server.unreachable", host=address.host if address.port is None
                        else f"{address.host}:{address.port}", reason=_short_reason(str(exc)),
                        server=address.display())


def connection_error(exc: BaseException, address: ServerAddress) -> StorageError:
    """What a failed connection means for the user: no server there, a wrong password, no such database."""
    text = str(exc).strip()
    lower = text.lower()
    state = sqlstate(exc)
    if state == "28P01" or "password authentication failed" in lower:
        return StorageError("server.auth_failed", server=address.display())
    if "no password supplied" in lower or "fe_sendauth" in lower:
        return StorageError("server.password_required", server=address.display())
    if state == "3D000" or ("database" in lower and "does not exist" in lower):
        return StorageError("server.no_database", server=address.display(), database=address.dbname)
    if state in ("28000", "42501"):
        return StorageError("server.auth_failed", server=address.display())
    reason = _short_reason(text)
    return StorageError("server.unreachable", host=address.host if address.port is None
                        else f"{address.host}:{address.port}", reason=reason, server=address.display())


def _short_reason(text: str) -> str:
    """The useful part of libpq's message, on one line (it starts with the address it tried)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines:
        if "failed:" in line:
            return line.split("failed:", 1)[1].strip()
    return (lines[0] if lines else text)[:200]


# ---------------------------------------------------------------- opening


def connect(address: ServerAddress, password: str | None) -> ServerDatabase:
    """A connected ServerDatabase (not yet the store); StorageError when it cannot be reached or entered."""
    server = ServerDatabase(address.dbname, **address.connect_params(password))
    server.address = address
    try:
        server.connect()
    except peewee.DatabaseError as exc:
        raise connection_error(exc, address) from exc
    except Exception as exc:  # psycopg's own errors not mapped by peewee
        if type(exc).__module__.startswith("psycopg"):
            raise connection_error(exc, address) from exc
        raise
    row = raw(server).execute_sql("SELECT session_user").fetchone()
    server.session_user = str(row[0]) if row else address.user
    return server


def _table_exists(server: peewee.Database, name: str) -> bool:
    row = raw(server).execute_sql("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


def schema_version(server: peewee.Database | None = None) -> int:
    """The schema version of a server database (0: nothing of ours there)."""
    target = server or db.database
    if not _table_exists(target, SCHEMA_TABLE):
        return 0
    row = raw(target).execute_sql(f'SELECT max("version") FROM "{SCHEMA_TABLE}"').fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def run_migrations(server: peewee.Database) -> int:
    """Migrate the server database to the head, each version in its own transaction; the version reached."""
    raw(server).execute_sql(f'CREATE TABLE IF NOT EXISTS "{SCHEMA_TABLE}" ("version" INTEGER NOT NULL, '
                            '"at" TIMESTAMP NOT NULL DEFAULT now(), "by" TEXT NOT NULL DEFAULT session_user)')
    current = schema_version(server)
    for version in range(current, db.SCHEMA_VERSION):
        with server.atomic():
            raw(server).execute_sql(f'LOCK TABLE "{SCHEMA_TABLE}" IN EXCLUSIVE MODE')
            if schema_version(server) != version:  # another client migrated meanwhile
                continue
            db.MIGRATIONS[version](server)
            raw(server).execute_sql(f'INSERT INTO "{SCHEMA_TABLE}" ("version") VALUES (%s)', (version + 1,))
    return schema_version(server)


def open_server(url: str, *, password: str | None = None, migrate: bool = False) -> ServerDatabase:
    """Connect to the server at ``url`` and bind the models to it.

    The schema must be the application's (``server-init`` creates it); ``migrate`` (server-init) brings it
    to the head. Raises StorageError: server.unreachable / password_required / auth_failed / no_database
    (connection), server.not_initialised, server.needs_upgrade, db.too_new (schema)."""
    address = ServerAddress.parse(url)
    server = connect(address, password if password is not None else address.url_password)
    try:
        if migrate:
            try:
                run_migrations(server)
            except peewee.DatabaseError as exc:
                if is_forbidden(exc):
                    raise StorageError("server.init_forbidden", server=address.display(),
                                       detail=str(exc).splitlines()[0]) from exc
                raise
        version = schema_version(server)
        if version == 0:
            raise StorageError("server.not_initialised", server=address.display())
        if version > db.SCHEMA_VERSION:
            raise StorageError("db.too_new", path=address.display(), version=version, supported=db.SCHEMA_VERSION)
        if version < db.SCHEMA_VERSION:
            raise StorageError("server.needs_upgrade", server=address.display(), version=version,
                               supported=db.SCHEMA_VERSION)
    except BaseException:
        server.close()
        raise
    db.close_database()
    db.use(server)
    _own_changes.clear()  # the counter of another server (or database) says nothing about this one
    return server


def current() -> ServerDatabase | None:
    """The server database in use, or None on the local file."""
    target = getattr(db.database, "obj", None)
    return target if isinstance(target, ServerDatabase) else None


def init_server(url: str, *, password: str | None = None) -> ServerDatabase:
    """``server-init``: create (or bring up to date) the schema, the roles and the policies, the students'
    search index when the server has ``pg_trgm`` (``storage.search``) and the steps' index by kind and date
    (``storage.due``); bind to it."""
    server = open_server(url, password=password, migrate=True)
    from lamha_desktop.storage import search

    search.ensure_index()
    from lamha_desktop.storage import due

    due.ensure_step_index()
    return server


# ---------------------------------------------------------------- clerks


@dataclass(frozen=True)
class ClerkInfo:
    """Who is connected: their role, the organisation they write for (None: none), whether they read all."""

    role: str
    organisation_id: int | None
    reads_all: bool
    owner: bool = False  # the owner of the tables (the IT person): not held by the policies


def whoami() -> ClerkInfo | None:
    """The connected clerk on a server (None on the local file)."""
    server = current()
    if server is None:
        return None
    owner_row = raw(db.database).execute_sql(
        "SELECT pg_has_role(session_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'candidate' "
        "AND schemaname = current_schema()), 'MEMBER')").fetchone()
    row = raw(db.database).execute_sql(
        'SELECT "organisation_id", "reads_all" FROM "clerk" WHERE "role" = session_user').fetchone()
    owner = bool(owner_row and owner_row[0])
    if row is None:
        return ClerkInfo(server.session_user, None, owner, owner=owner)
    return ClerkInfo(server.session_user, row[0], bool(row[1]) or owner, owner=owner)


def add_clerk(role: str, *, password: str, organisation_id: int | None, reads_all: bool = False,
              name: str = "") -> None:
    """Create the login role ``role`` (or change its password) for a clerk of ``organisation_id`` (the board:
    ``reads_all``), a member of ``lamha_clerk``. Needs a connection with the right to create roles."""
    if not _ROLE_RE.match(role):
        raise StorageError("server.bad_role", role=role)
    from psycopg import sql

    database = db.database
    with database.atomic():
        exists = raw(database).execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn: Any = cast(Any, database).connection()
        with conn.cursor() as cur:
            # A password in DDL cannot be a bound parameter: psycopg quotes it as a literal.
            cur.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                sql.SQL(verb), sql.Identifier(role), sql.Literal(password)))
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(CLERK_GROUP), sql.Identifier(role)))
        raw(database).execute_sql(
            'INSERT INTO "clerk" ("role", "organisation_id", "reads_all", "name") VALUES (%s, %s, %s, %s) '
            'ON CONFLICT ("role") DO UPDATE SET "organisation_id" = EXCLUDED."organisation_id", '
            '"reads_all" = EXCLUDED."reads_all", "name" = EXCLUDED."name"',
            (role, organisation_id, reads_all, name))


# ---------------------------------------------------------------- the change counter


def change_counter() -> int:
    """The server's change counter: it moves whenever any client commits a write (cheap to poll)."""
    row = raw(db.database).execute_sql(f'SELECT last_value, is_called FROM "{CHANGE_SEQUENCE}"').fetchone()
    if row is None:
        return 0
    return int(row[0]) if row[1] else 0


_own_changes: set[int] = set()


def note_change() -> int:
    """Move the change counter from inside a write (``operations.core.writing``); remembered as this
    client's own, so its own writes do not make it refresh twice."""
    row = raw(db.database).execute_sql(f"SELECT nextval('{CHANGE_SEQUENCE}')").fetchone()
    value = int(row[0]) if row else 0
    _own_changes.add(value)
    return value


def changed_by_others(seen: int, now: int) -> bool:
    """Whether a counter that moved from ``seen`` to ``now`` moved for another client's writes."""
    others = any(v not in _own_changes for v in range(seen + 1, now + 1)) if now - seen < 10_000 else True
    for v in [v for v in _own_changes if v <= now]:
        _own_changes.discard(v)
    return others


# ---------------------------------------------------------------- backups


def pg_dump_path() -> str | None:
    return shutil.which("pg_dump")


def pg_dump(address: ServerAddress, dest: Path, *, password: str | None) -> Path:
    """A ``pg_dump`` of the server database (custom format, restorable with ``pg_restore``) at ``dest``,
    written under a temporary name first. StorageError("server.no_pg_dump") when pg_dump is not installed,
    ("server.dump_failed") with its message otherwise."""
    tool = pg_dump_path()
    if tool is None:
        raise StorageError("server.no_pg_dump", server=address.display())
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password  # to the child only; never on its command line
    env["PGSSLMODE"] = address.sslmode
    env["PGCONNECT_TIMEOUT"] = str(CONNECT_TIMEOUT)
    # --enable-row-security: a clerk's dump holds what the policies let them read (the owner's holds all).
    cmd = [tool, "--format=custom", "--enable-row-security", f"--file={tmp}", f"--host={address.host}",
           f"--username={address.user}", "--no-password", address.dbname]
    if address.port is not None:
        cmd.insert(-1, f"--port={address.port}")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError("server.dump_failed", server=address.display(), detail=str(exc)) from exc
    if done.returncode != 0:
        tmp.unlink(missing_ok=True)
        lines = done.stderr.strip().splitlines() or ["?"]
        raise StorageError("server.dump_failed", server=address.display(),
                           detail=next((ln for ln in lines if "error:" in ln), lines[-1]))
    os.replace(tmp, dest)
    return dest


def dump_name(address: ServerAddress, now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"lamha-{address.dbname}-{stamp}.dump"


@contextlib.contextmanager
def bound(server: peewee.Database) -> Iterator[None]:
    """Bind the models to ``server`` for the block, then back to what they were bound to."""
    previous = getattr(db.database, "obj", None)
    db.use(server)
    try:
        yield
    finally:
        if previous is not None:
            db._store.initialize(previous)


# ---------------------------------------------------------------- the last local copy (offline, read-only)

COPIES_ENV = "LAMHA_SERVER_COPIES"


def copies_root() -> Path:
    """Where this computer keeps its last copy of each server's data (``LAMHA_SERVER_COPIES`` overrides): the
    user's local application data, never a roaming profile."""
    env = os.environ.get(COPIES_ENV)
    if env:
        return Path(env)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "lamha_desktop" / "server-copies"


def local_copy_path(address: ServerAddress) -> Path:
    """The local copy of ``address``'s data: a folder holding an ordinary ``lamha.sqlite3``, so ``--data-dir``
    of that folder opens it like any data folder."""
    return copies_root() / address.slug() / db.DB_FILENAME


def save_local_copy() -> Path:
    """Copy what the connected clerk may read on the server into this computer's local copy (the previous copy
    is replaced only once the new one is complete)."""
    from lamha_desktop.storage import transfer

    server = current()
    if server is None:
        raise RuntimeError("not connected to a server")
    with server.atomic(isolation_level="REPEATABLE READ"):  # one consistent state of everything copied
        return transfer.to_local_copy(server, local_copy_path(server.address))

"""Headless commands of the shared server, and how every headless command reaches one (``--database URL``).

* ``server-init --database URL``: creates (or brings up to date) the tables, the group role ``lamha_clerk``, the
  row-level security policies and the change counter. Run once by the board's IT person, as the database owner.
* ``server-add-clerk --database URL --role NAME (--org CODE | --board) --clerk-password-env VAR``: a login role
  for one clerk: a school's (reads and writes their organisation) or the board's (reads everything).
* ``migrate-to-server --data-dir DIR --database URL``: a school's SQLite database into the server; run twice, it
  adds nothing; the counts of each organisation are compared afterwards (exit 1 when they differ).

Passwords: ``--password-env VAR`` names an environment variable holding the server password; without it the
command asks for it on the terminal (never echoed) when it has one, and never stores it anywhere.

When the server cannot be reached the command says so in one line, with the host and the reason, and names the
last local copy of the data on this computer (read-only; ``--data-dir`` of that folder opens it).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from lamha_desktop.catalogue import text

EXIT_OK, EXIT_FILE, EXIT_REFUSED = 0, 1, 2


def _say(code: str, /, **params: Any) -> None:
    print(text(code, params).replace("\n", " "))


def _fail(code: str, exit_code: int = EXIT_FILE, /, **params: Any) -> int:
    print(text(code, params).replace("\n", " "), file=sys.stderr)
    return exit_code


def server_password(args: argparse.Namespace) -> str | None:
    """The server password: from ``--password-env``, else asked on the terminal (when there is one), else None
    (a server that trusts this computer needs none)."""
    from lamha_desktop.storage import server

    name = getattr(args, "password_env", None)
    if name:
        value = os.environ.get(name)
        if not value:
            from lamha_desktop.storage.db import StorageError

            raise StorageError("db.password_env_missing", name=name)
        return value
    return server.ServerAddress.parse(args.database).url_password


def _ask_password(url: str) -> str | None:
    """The password typed on the terminal (not echoed); None without a terminal."""
    from lamha_desktop.storage import server

    if sys.stdin is None or not sys.stdin.isatty():
        return None
    return getpass.getpass(text("server.password_prompt", {"server": server.ServerAddress.parse(url).display()}))


def offline_hint(url: str) -> str:
    """The line that follows "cannot reach the server": the last local copy, if this computer has one."""
    from lamha_desktop.storage import server

    try:
        copy = server.local_copy_path(server.ServerAddress.parse(url))
    except Exception:
        return ""
    if not copy.is_file():
        return text("server.no_offline_copy")
    import datetime as dt

    at = dt.datetime.fromtimestamp(copy.stat().st_mtime).strftime("%H:%M ngày %d/%m/%Y")
    return text("server.offline_copy", {"at": at, "folder": str(copy.parent)})


def storage_line(exc: Any, url: str | None = None) -> str:
    """One line for a StorageError of the server (with the offline copy when it cannot be reached)."""
    line = text(exc.code, exc.params)
    if url and exc.code == "server.unreachable":
        line = f"{line} {offline_hint(url)}"
    return line.replace("\n", " ")


def open_server_for(args: argparse.Namespace, *, migrate: bool = False) -> str | None:
    """Connect to ``args.database`` and bind the models to it: None, or the line to print."""
    from lamha_desktop.storage import server
    from lamha_desktop.storage.db import StorageError

    try:
        password = server_password(args)
        try:
            server.open_server(args.database, password=password, migrate=migrate)
        except StorageError as exc:
            # No password yet (the server may trust this computer): ask on the terminal, once.
            typed = _ask_password(args.database) if exc.code == "server.password_required" and not password \
                else None
            if typed is None:
                raise
            server.open_server(args.database, password=typed, migrate=migrate)
            args.typed_password = typed
    except StorageError as exc:
        return storage_line(exc, args.database)
    return None


def open_target(args: argparse.Namespace, *, read_only: bool = False) -> str | None:
    """Open what the command works on: the server of ``--database`` or the file of ``--data-dir``; None when it
    is open, else the one line to print."""
    if getattr(args, "database", None):
        return open_server_for(args)
    from lamha_desktop.cli_backup import open_data

    return open_data(args.data_dir, read_only=read_only)


def server_init(args: argparse.Namespace) -> int:
    from lamha_desktop.storage import db, server

    problem = open_server_for(args, migrate=True)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FILE
    try:
        current = server.current()
        assert current is not None
        _say("server.initialised", server=current.address.display(), version=server.schema_version())
        _say("server.connected", server=current.address.display(), tls=current.address.tls_text())
    finally:
        db.close_database()
    return EXIT_OK


def server_add_clerk(args: argparse.Namespace) -> int:
    from lamha_desktop.storage import db, repo, server
    from lamha_desktop.storage.db import StorageError

    clerk_password = os.environ.get(args.clerk_password_env or "")
    if not clerk_password:
        return _fail("db.password_env_missing", EXIT_REFUSED, name=args.clerk_password_env)
    problem = open_server_for(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FILE
    try:
        current = server.current()
        assert current is not None
        org_id = None
        if args.org:
            org = repo.organisation_by_code(args.org)
            if org is None:
                return _fail("server.unknown_org", EXIT_REFUSED, code=args.org)
            org_id = org.id
        server.add_clerk(args.role, password=clerk_password, organisation_id=org_id, reads_all=bool(args.board),
                         name=args.name or "")
        scope = "Ban Tổ chức: đọc tất cả" if args.board else f"tổ chức {args.org}"
        _say("server.clerk_added", role=args.role, scope=scope, server=current.address.display())
        return EXIT_OK
    except StorageError as exc:
        return _fail(exc.code, EXIT_REFUSED, **exc.params)
    except Exception as exc:  # a role the owner may not create (no CREATEROLE): the server's own words
        if server.is_forbidden(exc):
            return _fail("server.init_forbidden", EXIT_FILE, server=args.database, detail=str(exc).splitlines()[0])
        raise
    finally:
        db.close_database()


def migrate_to_server(args: argparse.Namespace) -> int:
    """Copy the school's file into the server; exit 0 when the counts match, 1 when they do not or it failed,
    2 when the server holds someone else's record under one of the file's codes or IDs."""
    from lamha_desktop.cli_backup import open_data
    from lamha_desktop.storage import db, server, transfer
    from lamha_desktop.storage.db import StorageError

    problem = open_data(args.data_dir, read_only=True)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FILE
    source = db.local
    try:
        password = server_password(args)
        target = server.connect(server.ServerAddress.parse(args.database), password)
    except StorageError as exc:
        db.close_database()
        print(storage_line(exc), file=sys.stderr)
        return EXIT_FILE
    try:
        version = server.schema_version(target)
        if version != db.SCHEMA_VERSION:
            code = "server.not_initialised" if version == 0 else "server.needs_upgrade"
            return _fail(code, EXIT_FILE, server=target.address.display(), version=version,
                         supported=db.SCHEMA_VERSION)
        result = transfer.to_server(source, target)
    except StorageError as exc:
        params = dict(exc.params) | {"server": target.address.display()}
        return _fail(exc.code, EXIT_REFUSED if exc.code == "server.migrate_other_data" else EXIT_FILE, **params)
    finally:
        target.close()
        db.close_database()
    if not result.counts_match:
        return _fail("server.migrate_mismatch", EXIT_FILE, server=target.address.display(),
                     details="; ".join(result.mismatches()))
    totals = {k: sum(c[k] for c in result.file_counts.values()) for k in transfer.COUNTED}
    summary = (f"{len(result.file_counts)} tổ chức đảng, {totals['candidates']} quần chúng, {totals['events']} "
               f"bước, {totals['ceremonies']} lễ kết nạp; mới thêm {result.added['candidate']} quần chúng và "
               f"{result.added['event']} bước")
    _say("server.migrated", server=target.address.display(), summary=summary)
    return EXIT_OK


def backup_server(args: argparse.Namespace) -> int:
    """``backup --database URL``: a pg_dump of the server (when pg_dump is installed, else how to make one),
    and the local copy this computer opens read-only when the server cannot be reached."""
    from lamha_desktop.storage import db, server
    from lamha_desktop.storage.db import StorageError

    address = server.ServerAddress.parse(args.database)
    problem = open_server_for(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FILE
    password = getattr(args, "typed_password", None) or server_password(args)
    try:
        copy = server.save_local_copy()
        print(f"{copy}\t(bản sao chỉ đọc trên máy này)")
        out = Path(args.out).expanduser() if args.out else copy.parent / server.dump_name(address)
        try:
            path = server.pg_dump(address, out, password=password)
        except StorageError as exc:
            return _fail(exc.code, EXIT_FILE, **exc.params)
        _say("server.dumped", server=address.display(), path=str(path))
        return EXIT_OK
    finally:
        db.close_database()

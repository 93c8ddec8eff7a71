"""Copies of a database under another password (or none): ``sqlcipher_export`` checked on the copy.

Used by a password change (``encryption``) and by a restore of a backup made under another password
(``backup``); kept apart so that neither of those imports the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lamha_desktop.storage import db, fileops
from lamha_desktop.storage.db import StorageError

__all__ = ["export_file"]


def export_file(src: Path, dest: Path, *, src_key: str | None, dest_key: str | None) -> int:
    """Write ``dest`` (a new file) with the content of ``src`` read with ``src_key``, encrypted with ``dest_key``
    (None: plaintext): ``sqlcipher_export`` and the schema version, then ``integrity_check`` of the copy and
    the row count of every table compared, on the same connection. ``src`` is only read. Returns the schema
    version. StorageError("db.rekey_failed") when the copy is not whole."""
    cipher = db.sqlcipher_module()
    src, dest = Path(src), Path(dest)
    con = cipher.connect(db.ro_uri(src), uri=True, isolation_level=None)
    try:
        if src_key:
            con.execute(f"PRAGMA key = {db.key_literal(src_key)}")
        try:
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except cipher.DatabaseError as exc:
            code = "db.wrong_password" if src_key or db.is_encrypted(src) else "db.corrupt"
            raise StorageError(code, path=str(src), detail=str(exc)) from exc
        if not dest.exists():
            db.create_private(dest)  # the copy holds the data: readable by its owner only, even half-written
        target = fileops.native_uri(dest, mode="rwc")
        con.execute(f"ATTACH DATABASE ? AS target KEY {db.key_literal(dest_key or '')}", (target,))
        try:
            con.execute("SELECT sqlcipher_export('target')").fetchall()
            con.execute(f"PRAGMA target.user_version = {version}")
            problems = [str(r[0]) for r in con.execute("PRAGMA target.integrity_check(5)").fetchall()]
            same = _table_counts(con, "main") == _table_counts(con, "target")
        finally:
            con.execute("DETACH DATABASE target")
    except cipher.Error as exc:
        raise StorageError("db.rekey_failed", path=str(src), detail=str(exc)) from exc
    finally:
        con.close()
    if problems != ["ok"] or not same:
        raise StorageError("db.rekey_failed", path=str(src),
                           detail="; ".join(problems) if problems != ["ok"] else "the copy differs from the database")
    return version


def _table_counts(con: Any, schema: str) -> dict[str, int]:
    # A virtual table (the search index) is counted through its shadow tables, which hold its rows.
    names = [r[0] for r in con.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
                                       "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
    return {n: int(con.execute(f'SELECT COUNT(*) FROM {schema}."{n}"').fetchone()[0]) for n in names}

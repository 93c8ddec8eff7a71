"""Searching students by name or personal ID: the one place that knows how the search runs in SQL.

The text is matched word by word, diacritic-insensitively, as a substring of the accent-free name
(``Candidate.search_key``) or of the personal ID. :func:`condition` gives the same rows on every engine; how it
finds them is the engine's:

- **SQLite**: an FTS5 index with the ``trigram`` tokenizer over both columns (``candidate_search``, kept
  current by triggers on ``candidate``), used for a word of three letters or more that few students contain:
  it finds them without reading the table; ``LIKE '%word%'`` over the covering index of the table for shorter
  words and for words most students contain, where walking the index in display order finds the first page at
  once.
- **PostgreSQL**: ``ILIKE '%word%'`` on both columns, which the server answers from a GIN index of the
  ``pg_trgm`` extension (``candidate_search_trgm``, kept current by the server itself) when it is there, and by
  a scan otherwise; its planner chooses between the index and the display order on its own statistics.

The index is derived data, not part of the schema: :func:`ensure_index` creates it, or rebuilds it when it is
missing, on a writable database whose engine can have it (the application window calls it when it opens the
local file; ``server-init`` on a server, as the owner of the tables: a clerk may not create indexes). SQLite's
triggers then keep it current whoever writes afterwards (a headless import included). Everything falls back to
the plain scan where it is not there (a read-only copy, a SQLite without trigrams, a server without
``pg_trgm``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import peewee

from lamha_desktop.domain import people
from lamha_desktop.storage import db
from lamha_desktop.storage.models import Candidate
from lamha_desktop.storage.typed_peewee import raw

log = logging.getLogger(__name__)

__all__ = ["INDEX", "PG_INDEX", "condition", "ensure_index", "has_index"]

INDEX = "candidate_search"
PG_INDEX = "candidate_search_trgm"  # on a server: a GIN index of pg_trgm over both columns
MIN_TRIGRAM = 3  # a trigram index cannot answer a shorter word
DENSE_SHARE = 20  # a word in more than 1/20 of the students: scanning in display order is quicker

_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(search_key, personal_id, content='candidate', "
    "content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS {INDEX}_insert AFTER INSERT ON candidate BEGIN
        INSERT INTO {INDEX}(rowid, search_key, personal_id) VALUES (new.id, new.search_key, new.personal_id);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {INDEX}_delete AFTER DELETE ON candidate BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, search_key, personal_id)
        VALUES ('delete', old.id, old.search_key, old.personal_id);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {INDEX}_update AFTER UPDATE OF search_key, personal_id ON candidate BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, search_key, personal_id)
        VALUES ('delete', old.id, old.search_key, old.personal_id);
        INSERT INTO {INDEX}(rowid, search_key, personal_id) VALUES (new.id, new.search_key, new.personal_id);
    END""",
]
_PARTS = (INDEX, f"{INDEX}_insert", f"{INDEX}_delete", f"{INDEX}_update")
_CREATE_PG = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f'CREATE INDEX IF NOT EXISTS "{PG_INDEX}" ON "candidate" USING gin '
    '("search_key" gin_trgm_ops, "personal_id" gin_trgm_ops)',
]

_present: dict[str, bool] = {}  # database name -> whether the index is there


def forget() -> None:
    """Another database opens (``db.open_database``): look again."""
    _present.clear()


db.on_database_change(forget)


def _db() -> peewee.Database:
    return db.database


def has_index() -> bool:
    database = _db()
    key = f"{db.engine()}:{database.database}"
    found = _present.get(key)
    if found is None:
        if db.is_server():
            names = {r[0] for r in raw(database).execute_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s",
                (PG_INDEX,)).fetchall()}
            found = _present[key] = names == {PG_INDEX}
        else:
            names = {r[0] for r in raw(database).execute_sql(
                "SELECT name FROM sqlite_master WHERE name IN (?, ?, ?, ?)", _PARTS).fetchall()}
            found = _present[key] = names == set(_PARTS)
    return found


def ensure_index() -> bool:
    """Create (or complete, or rebuild) the search index of the open, writable database; whether it is there.

    Costs a second or two once at 100,000 students; nothing afterwards. A SQLite without FTS5 trigrams, a
    server without ``pg_trgm`` or a role that may not create it leaves the database as it was."""
    database = _db()
    forget()
    if has_index():
        return True
    try:
        with database.atomic():
            if db.is_server():
                for statement in _CREATE_PG:
                    raw(database).execute_sql(statement)
            else:
                for statement in _CREATE:
                    raw(database).execute_sql(statement)
                raw(database).execute_sql(f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')")
    except peewee.DatabaseError as exc:  # no trigrams here, or not ours to create: the scan does the work
        log.info("no search index (%s): searching by a scan", str(exc).splitlines()[0] if str(exc) else exc)
        forget()
        return False
    forget()
    return has_index()


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_ids(word: str) -> peewee.SQL:
    return peewee.SQL(f"(SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?)", [_fts_phrase(word)])


def _sparse(word: str) -> bool:
    """Whether few students contain ``word`` (the index answers quicker than a scan)."""
    con = raw(_db())
    found = con.execute_sql(f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ?", [_fts_phrase(word)]).fetchone()
    rows = con.execute_sql('SELECT max("id") FROM "candidate"').fetchone()
    return int(found[0] if found else 0) * DENSE_SHARE < int(rows[0] or 0 if rows else 0)


def condition(text: str) -> Any | None:
    """The WHERE condition on ``Candidate`` for the searched ``text`` (None: no text). Every word must match
    the accent-free name or the personal ID as a substring."""
    key = people.search_key(text) if text else ""
    words = key.split()
    if not words:
        return None
    if db.is_server():
        return _all(_scanned(word) for word in words)  # the server's planner uses the trigram index itself
    indexed = has_index()
    parts = []
    for word in words:
        if indexed and len(word) >= MIN_TRIGRAM and _sparse(word):
            parts.append(Candidate.id.in_(_fts_ids(word)))
        else:
            parts.append(_scanned(word))
    return _all(parts)


def _scanned(word: str) -> Any:
    """``word`` a substring of the key or the ID: ``LIKE`` on SQLite (the key is ASCII, so its ASCII-only
    case folding is enough), ``ILIKE`` on PostgreSQL (peewee's ``contains`` on each engine), which a
    ``pg_trgm`` GIN index answers."""
    return Candidate.search_key.contains(word) | Candidate.personal_id.contains(word)


def _all(parts: Iterable[Any]) -> Any:
    out = None
    for p in parts:
        out = p if out is None else out & p
    return out

"""Searching students by name or personal ID: the one place that knows how the search runs in SQL.

The text is matched word by word, diacritic-insensitively, as a substring of the accent-free name
(``Candidate.search_key``) or of the personal ID. Two ways give the same rows:

- an FTS5 index with the ``trigram`` tokenizer over both columns (``candidate_search``, kept current by
  triggers on ``candidate``), used for a word of three letters or more that few students contain: it finds
  them without reading the table;
- ``LIKE '%word%'`` over the covering index of the table, used for shorter words and for words most
  students contain, where walking the index in display order finds the first page at once.

The index is derived data, not part of the schema: :func:`ensure_index` (called when the application window
opens the database) creates it on a writable database whose SQLite has FTS5 with trigrams, or rebuilds it
when it is missing; the triggers keep it current whoever writes afterwards (a headless import included).
Everything falls back to ``LIKE`` where it is not there (a read-only copy, another SQLite, another engine).
"""

from __future__ import annotations

import logging
from typing import Any

import peewee

from lamha_desktop.domain import people
from lamha_desktop.storage import db
from lamha_desktop.storage.models import Candidate
from lamha_desktop.storage.typed_peewee import raw

log = logging.getLogger(__name__)

__all__ = ["INDEX", "condition", "ensure_index", "has_index"]

INDEX = "candidate_search"
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

_present: dict[str, bool] = {}  # database name -> whether the index is there


def forget() -> None:
    """Another database opens (``db.open_database``): look again."""
    _present.clear()


db.on_database_change(forget)


def _db() -> peewee.SqliteDatabase:
    return db.database


def has_index() -> bool:
    database = _db()
    key = str(database.database)
    found = _present.get(key)
    if found is None:
        names = {r[0] for r in raw(database).execute_sql(
            "SELECT name FROM sqlite_master WHERE name IN (?, ?, ?, ?)", _PARTS).fetchall()}
        found = _present[key] = names == set(_PARTS)
    return found


def ensure_index() -> bool:
    """Create (or complete, or rebuild) the search index of the open, writable database; whether it is there.

    Costs a second or two once at 100,000 students; nothing afterwards. A SQLite without FTS5 trigrams leaves
    the database as it was."""
    database = _db()
    forget()
    if has_index():
        return True
    try:
        with database.atomic():
            for statement in _CREATE:
                raw(database).execute_sql(statement)
            raw(database).execute_sql(f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')")
    except peewee.OperationalError as exc:  # no fts5 or no trigram tokenizer here: LIKE does the work
        log.info("no search index (%s): searching by LIKE", exc)
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
    indexed = has_index()
    parts = []
    for word in words:
        if indexed and len(word) >= MIN_TRIGRAM and _sparse(word):
            parts.append(Candidate.id.in_(_fts_ids(word)))
        else:
            parts.append(Candidate.search_key.contains(word) | Candidate.personal_id.contains(word))
    out = parts[0]
    for p in parts[1:]:
        out = out & p
    return out

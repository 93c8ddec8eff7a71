"""The few pieces of SQL that differ between SQLite and a PostgreSQL server, each behind one function.

Everything else the storage layer writes is portable SQL (or peewee's, which knows both engines). What is here:
named parameters (``:name`` in the text, ``%(name)s`` for psycopg), reading a value out of a JSON text column,
the smaller of two values, a date made from a stored year, and one consistent snapshot for a report. The
students' text search has its own module, ``storage.search``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import peewee

from lamha_desktop.storage import db

__all__ = ["date_of_year", "json_field", "json_flag", "json_text", "least", "named", "snapshot"]

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def named(sql: str) -> str:
    """``sql`` written with ``:name`` parameters, in the placeholders of the engine in use."""
    if not db.is_server():
        return sql
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def json_text(column: str, key: str) -> str:
    """SQL for the value under ``key`` in the JSON text ``column`` (a string, number or boolean)."""
    if db.is_server():
        return f"(({column})::jsonb ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def json_flag(column: str, key: str) -> str:
    """SQL giving 'true' or 'false' when ``key`` holds a JSON boolean, else something else (or NULL)."""
    if db.is_server():
        value = f"({column})::jsonb"
        return f"(CASE jsonb_typeof({value} -> '{key}') WHEN 'boolean' THEN {value} ->> '{key}' END)"
    return f"json_type({column}, '$.{key}')"


def json_field(field: peewee.Field[Any], key: str) -> peewee.ColumnBase:
    """A peewee expression for the value under ``key`` of a JSON text field, as text."""
    if db.is_server():
        return peewee.fn.jsonb_extract_path_text(field.cast("jsonb"), key)
    return peewee.fn.json_extract(field, f"$.{key}").cast("TEXT")


def date_of_year(year: peewee.ColumnBase, month: int, day: int) -> peewee.ColumnBase:
    """The date ``day``/``month`` of the year held by ``year`` (an integer column or expression), comparable with
    the stored dates: ISO text on SQLite (how it keeps dates), a DATE on PostgreSQL."""
    if db.is_server():
        return peewee.fn.make_date(year, month, day)
    return peewee.fn.printf(f"%04d-{month:02d}-{day:02d}", year)


def least(a: str, b: str) -> str:
    """SQL for the smaller of two values."""
    return f"LEAST({a}, {b})" if db.is_server() else f"MIN({a}, {b})"


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Run the block's reads on one consistent state of the data (a report's figures and its list)."""
    if db.is_server():
        with db.database.atomic(isolation_level="REPEATABLE READ"):
            yield
    else:
        with db.database.atomic():
            yield

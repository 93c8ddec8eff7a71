"""Typed views of the few peewee calls its bundled stubs (``peewee-stubs``) leave untyped or mistyped.

``Database.execute``/``execute_sql``/``cursor`` and ``Field.db_value`` are unannotated there, and
``.tuples()`` is typed as returning the query itself, whose rows would be model instances. The real types
are stated once, here, so the storage modules stay checked by ``mypy --strict``. Nothing here changes what
peewee does at run time: each helper returns the object or calls the method it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, cast

import peewee


class Cursor(Protocol):
    """The DB-API cursor of either driver (sqlite3 or sqlcipher3), as far as the storage layer uses it."""

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Sequence[Any]], /) -> object: ...


class RawDatabase(Protocol):
    """The raw-SQL methods of a peewee database."""

    def execute(self, query: peewee.BaseQuery) -> Cursor: ...

    def execute_sql(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Cursor: ...

    def cursor(self) -> Cursor: ...


class _ConvertsValues(Protocol):
    def db_value(self, value: Any) -> Any: ...


def raw(database: peewee.Database) -> RawDatabase:
    """``database`` itself, typed for its raw-SQL methods (checked structurally against peewee's)."""
    typed: RawDatabase = database
    return typed


def tuples(query: peewee.SelectBase) -> Iterable[tuple[Any, ...]]:
    """``query.tuples()``: its rows as plain tuples."""
    return cast("Iterable[tuple[Any, ...]]", query.tuples())


def db_value(field: peewee.Field[Any], value: Any) -> Any:
    """``field.db_value(value)``: what peewee writes to the database for ``value`` (any SQL value)."""
    converts: _ConvertsValues = field
    return converts.db_value(value)

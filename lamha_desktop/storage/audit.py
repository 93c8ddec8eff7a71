"""Reading the audit trail: who changed what, when, with the fields before and after.

``writers.record_audit`` writes one ``AuditLog`` row inside the transaction of every create, update and delete
(organisations, candidates, pipeline steps, ceremonies, upper committees). This module only reads:
ids in display order (newest first) with filtering in the query, then full rows for a page of ids,
the way the table models fetch lazily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import peewee

from lamha_desktop.storage import dialect
from lamha_desktop.storage.models import AuditLog
from lamha_desktop.storage.typed_peewee import tuples

TABLES = ("organisation", "candidate", "event", "ceremony", "upper_committee")
ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class AuditFilter:
    table: str | None = None
    row_id: int | None = None
    candidate_id: int | None = None  # a candidate's own rows and those of its pipeline steps
    user: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    table: str
    row_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def changed_fields(self) -> list[str]:
        keys = set(self.before or {}) | set(self.after or {})
        return sorted(keys)


def _query(flt: AuditFilter) -> peewee.ModelSelect[AuditLog]:
    q = AuditLog.select(AuditLog.id)
    if flt.table is not None:
        q = q.where(AuditLog.table == flt.table)
    if flt.row_id is not None:
        q = q.where(AuditLog.row_id == flt.row_id)
    if flt.candidate_id is not None:
        cid = flt.candidate_id
        own = (AuditLog.table == "candidate") & (AuditLog.row_id == cid)
        steps = (AuditLog.table == "event") & (
            (dialect.json_field(AuditLog.after, "candidate") == str(cid))
            | (dialect.json_field(AuditLog.before, "candidate") == str(cid)))
        q = q.where(own | steps)
    if flt.user:
        q = q.where(AuditLog.user == flt.user)
    if flt.since is not None:
        q = q.where(AuditLog.at >= dt.datetime.combine(flt.since, dt.time.min))
    if flt.until is not None:
        q = q.where(AuditLog.at < dt.datetime.combine(flt.until + dt.timedelta(days=1), dt.time.min))
    return q


def audit_ids(flt: AuditFilter = AuditFilter()) -> list[int]:
    """Ids of the matching rows, newest first."""
    return [r[0] for r in tuples(_query(flt).order_by(AuditLog.at.desc(), AuditLog.id.desc()))]


def audit_count(flt: AuditFilter = AuditFilter()) -> int:
    return int(_query(flt).count())


def _entry(a: AuditLog) -> AuditEntry:
    return AuditEntry(a.id, a.at, a.user, a.table, a.row_id, a.action, a.before, a.after)


def audit_entries(ids: Sequence[int]) -> dict[int, AuditEntry]:
    """Full rows for a page of ids."""
    out: dict[int, AuditEntry] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        for a in AuditLog.select().where(AuditLog.id.in_(chunk)):
            out[a.id] = _entry(a)
    return out


def all_entries(flt: AuditFilter = AuditFilter()) -> list[AuditEntry]:
    """Every matching row, newest first (for the export)."""
    ids = audit_ids(flt)
    rows = audit_entries(ids)
    return [rows[i] for i in ids]


def users() -> list[str]:
    return [r[0] for r in tuples(AuditLog.select(AuditLog.user).distinct().order_by(AuditLog.user))]

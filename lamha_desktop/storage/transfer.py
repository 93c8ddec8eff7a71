"""Moving data between a school's SQLite file and a shared server.

* :func:`to_server` (``migrate-to-server``): a school's database into the server, which may already hold other
  schools'. Rows get the server's own ids and are matched by what identifies them (an organisation, a student, a
  ceremony by their ``uid``; a step by its student, kind, date and content; a committee by its name and dates;
  a document counter by its organisation, series and year, keeping the higher count; a setting by its key), so
  running it twice adds nothing. An organisation or a student the server has under
  the same code or personal ID but another ``uid`` is someone else's record: nothing is written. Afterwards the
  counts of each of the file's organisations on the server are compared with the file's.
* :func:`to_local_copy`: what the connected clerk may read on the server, into a new SQLite file (ids kept), the
  "last local copy" opened read-only when the server cannot be reached.

Both work on raw rows of two databases at once (the models are bound to one store at a time).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import peewee

from lamha_desktop.storage import db, fileops
from lamha_desktop.storage.db import StorageError
from lamha_desktop.storage.models import (
    ALL_MODELS,
    AuditLog,
    BaseModel,
    Candidate,
    Ceremony,
    CeremonyCandidate,
    DayOff,
    DocumentCounter,
    Event,
    JSONField,
    MemberCount,
    Organisation,
    Setting,
    UpperCommittee,
)
from lamha_desktop.storage.typed_peewee import raw

__all__ = ["TransferResult", "count_by_organisation", "to_local_copy", "to_server"]

# Parents before children.
ORDER: tuple[type[BaseModel], ...] = (Setting, UpperCommittee, Organisation, MemberCount, DocumentCounter, Candidate,
                                      Event, Ceremony, CeremonyCandidate, DayOff, AuditLog)
COUNTED = ("candidates", "events", "ceremonies", "admitted", "member_counts", "document_counters")


@dataclass
class TransferResult:
    added: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    file_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    server_counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def counts_match(self) -> bool:
        return self.file_counts == self.server_counts

    def mismatches(self) -> list[str]:
        out = []
        for code, counts in sorted(self.file_counts.items()):
            there = self.server_counts.get(code, {})
            out += [f"{code} {k}: tệp {v}, máy chủ {there.get(k, 0)}" for k, v in counts.items() if there.get(k) != v]
        return out


def _is_pg(database: peewee.Database) -> bool:
    return isinstance(getattr(database, "obj", None) or database, peewee.PostgresqlDatabase)


def _columns(model: type[BaseModel]) -> list[peewee.Field[Any]]:
    return list(model._meta.sorted_fields)


def _rows(database: peewee.Database, model: type[BaseModel]) -> list[dict[str, Any]]:
    """Every row of ``model``'s table in ``database`` as {field name: Python value}."""
    fields = _columns(model)
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    order = ' ORDER BY "id"' if "id" in model._meta.fields else ""
    out = []
    for values in raw(database).execute_sql(f'SELECT {cols} FROM "{model._meta.table_name}"{order}').fetchall():
        out.append({f.name: (None if v is None else cast(Any, f).python_value(v))
                    for f, v in zip(fields, values, strict=True)})
    return out


def _for(database: peewee.Database, f: peewee.Field[Any], value: Any) -> Any:
    """``value`` as the driver of ``database`` takes it for field ``f``."""
    if value is None:
        return None
    if isinstance(f, JSONField):
        return f.db_value(value)
    if isinstance(f, peewee.ForeignKeyField):
        return int(value)
    if isinstance(f, peewee.BooleanField):
        return bool(value) if _is_pg(database) else int(bool(value))
    if isinstance(value, dt.datetime):
        return value if _is_pg(database) else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value if _is_pg(database) else value.isoformat()
    return value


def _insert(database: peewee.Database, model: type[BaseModel], row: dict[str, Any], *, keep_id: bool) -> int:
    fields = [f for f in _columns(model) if keep_id or not f.primary_key or not isinstance(f, peewee.AutoField)]
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([database.param] * len(fields))
    values = [_for(database, f, row.get(f.name)) for f in fields]
    sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({marks})'
    pk = model._meta.primary_key
    if isinstance(pk, peewee.AutoField) and not keep_id:
        if _is_pg(database):
            found = raw(database).execute_sql(sql + ' RETURNING "id"', values).fetchone()
            return int(found[0]) if found else 0
        cursor: Any = raw(database).execute_sql(sql, values)
        return int(cursor.lastrowid)
    raw(database).execute_sql(sql, values)
    return int(row.get("id") or 0)


def _event_key(row: dict[str, Any], candidate: int) -> tuple[Any, ...]:
    return (candidate, row["kind"], str(row["on"])[:10], json.dumps(row["data"], sort_keys=True, ensure_ascii=False))


def count_by_organisation(database: peewee.Database, uids: Iterable[str]) -> dict[str, dict[str, int]]:
    """For each organisation (by uid) in ``database``: its code and the counts a transfer must keep."""
    m = database.param
    out: dict[str, dict[str, int]] = {}
    for uid in uids:
        row = raw(database).execute_sql(f'SELECT "id", "code" FROM "organisation" WHERE "uid" = {m}', (uid,)).fetchone()
        if row is None:
            continue
        org, code = int(row[0]), str(row[1])
        one = {
            "candidates": 'SELECT count(*) FROM "candidate" WHERE "organisation_id" = {m}',
            "events": 'SELECT count(*) FROM "event" e JOIN "candidate" c ON c."id" = e."candidate_id" '
                      'WHERE c."organisation_id" = {m}',
            "ceremonies": 'SELECT count(*) FROM "ceremony" WHERE "organisation_id" = {m}',
            "admitted": 'SELECT count(*) FROM "ceremony_candidate" cc JOIN "ceremony" c ON c."id" = cc."ceremony_id" '
                        'WHERE c."organisation_id" = {m}',
            "member_counts": 'SELECT count(*) FROM "member_count" WHERE "organisation_id" = {m}',
            "document_counters": 'SELECT count(*) FROM "document_counter" WHERE "organisation_id" = {m}',
        }
        counts = {}
        for name, sql in one.items():
            found = raw(database).execute_sql(sql.format(m=m), (org,)).fetchone()
            counts[name] = int(found[0]) if found else 0
        out[code] = counts
    return out


def to_server(source: peewee.Database, target: peewee.Database) -> TransferResult:
    """Copy the open SQLite ``source`` into the server ``target`` in one transaction (see the module)."""
    result = TransferResult()
    rows = {model: _rows(source, model) for model in ORDER}
    with target.atomic(isolation_level="SERIALIZABLE"):
        _conflicts(target, rows)
        ids: dict[type[BaseModel], dict[int, int]] = {m: {} for m in ORDER}

        def existing(model: type[BaseModel], where: str, params: Sequence[Any]) -> int | None:
            found = raw(target).execute_sql(
                f'SELECT "id" FROM "{model._meta.table_name}" WHERE {where} LIMIT 1', params).fetchone()
            return int(found[0]) if found else None

        m = target.param
        for row in rows[Setting]:
            if raw(target).execute_sql(f'SELECT 1 FROM "setting" WHERE "key" = {m}', (row["key"],)).fetchone():
                result.matched["setting"] += 1
            else:
                _insert(target, Setting, row, keep_id=True)
                result.added["setting"] += 1
        for row in rows[UpperCommittee]:
            found = existing(UpperCommittee, f'"name" = {m} AND "valid_from" IS NOT DISTINCT FROM CAST({m} AS DATE) '
                                             f'AND "valid_to" IS NOT DISTINCT FROM CAST({m} AS DATE)',
                             (row["name"], row["valid_from"], row["valid_to"]))
            ids[UpperCommittee][row["id"]] = found if found is not None else _insert(target, UpperCommittee, row,
                                                                                       keep_id=False)
            result.matched["upper_committee"] += found is not None
            result.added["upper_committee"] += found is None
        for model, key in ((Organisation, "uid"),):
            for row in rows[model]:
                found = existing(model, f'"{key}" = {m}', (row[key],))
                if found is None:
                    row = dict(row, upper_committee=ids[UpperCommittee].get(row["upper_committee"])
                               if row["upper_committee"] is not None else None)
                    found = _insert(target, model, row, keep_id=False)
                    result.added["organisation"] += 1
                else:
                    result.matched["organisation"] += 1
                ids[model][row["id"]] = found
        _copy_children(target, rows, ids, result)
        result.file_counts = count_by_organisation(source, [r["uid"] for r in rows[Organisation]])
        result.server_counts = count_by_organisation(target, [r["uid"] for r in rows[Organisation]])
    return result


def _conflicts(target: peewee.Database, rows: dict[type[BaseModel], list[dict[str, Any]]]) -> None:
    """Refuse (server.migrate_other_data) when the server has another organisation with one of the file's codes,
    or another student with one of the file's personal IDs."""
    m = target.param
    found = []
    for row in rows[Organisation]:
        other = raw(target).execute_sql(f'SELECT "uid" FROM "organisation" WHERE upper("code") = upper({m})',
                                        (row["code"],)).fetchone()
        if other is not None and other[0] != row["uid"]:
            found.append(f"tổ chức {row['code']}")
    for row in rows[Candidate]:
        if row["personal_id"] is None:  # a record without its ID yet: known by its uid only
            continue
        other = raw(target).execute_sql(f'SELECT "uid" FROM "candidate" WHERE "personal_id" = {m}',
                                        (row["personal_id"],)).fetchone()
        if other is not None and other[0] != row["uid"]:
            found.append(f"học sinh {row['full_name']}")
    if found:
        raise StorageError("server.migrate_other_data", server="", details=", ".join(found[:10])
                           + (f" và {len(found) - 10} khác" if len(found) > 10 else ""))


def _copy_children(target: peewee.Database, rows: dict[type[BaseModel], list[dict[str, Any]]],
                   ids: dict[type[BaseModel], dict[int, int]], result: TransferResult) -> None:
    m = target.param
    org_ids = ids[Organisation]
    # Member counts: by organisation, date, count and reason.
    there = Counter(tuple(r) for r in raw(target).execute_sql(
        'SELECT "organisation_id", "valid_from", "count", "reason" FROM "member_count"').fetchall())
    for row in rows[MemberCount]:
        key = (org_ids[row["organisation"]], row["valid_from"], row["count"], row["reason"])
        if there[key] > 0:
            there[key] -= 1
            result.matched["member_count"] += 1
            continue
        _insert(target, MemberCount, dict(row, organisation=key[0]), keep_id=False)
        result.added["member_count"] += 1
    # Document counters: by organisation, series and year; the higher of the two counts (a number given on
    # either side is never given again).
    counter_ids: dict[int, int] = {}
    for row in rows[DocumentCounter]:
        org = org_ids[row["organisation"]]
        found = raw(target).execute_sql(
            f'SELECT "id", "last" FROM "document_counter" WHERE "organisation_id" = {m} AND "series" = {m} '
            f'AND "year" = {m}', (org, row["series"], row["year"])).fetchone()
        if found is None:
            counter_ids[row["id"]] = _insert(target, DocumentCounter, dict(row, organisation=org), keep_id=False)
            result.added["document_counter"] += 1
            continue
        counter_ids[row["id"]] = int(found[0])
        if int(row["last"]) > int(found[1]):
            raw(target).execute_sql(f'UPDATE "document_counter" SET "last" = {m} WHERE "id" = {m}',
                                    (int(row["last"]), int(found[0])))
        result.matched["document_counter"] += 1
    for row in rows[Candidate]:
        found = raw(target).execute_sql(f'SELECT "id" FROM "candidate" WHERE "uid" = {m}', (row["uid"],)).fetchone()
        if found is None:
            ids[Candidate][row["id"]] = _insert(target, Candidate, dict(row, organisation=org_ids[row["organisation"]]),
                                                keep_id=False)
            result.added["candidate"] += 1
        else:
            ids[Candidate][row["id"]] = int(found[0])
            result.matched["candidate"] += 1
    cand = ids[Candidate]
    there_events = Counter(_event_key({"kind": k, "on": on, "data": json.loads(d) if d else {}}, c)
                           for c, k, on, d in raw(target).execute_sql(
                               'SELECT "candidate_id", "kind", "on", "data" FROM "event"').fetchall())
    event_ids: dict[int, int] = {}
    for row in rows[Event]:
        key = _event_key(row, cand[row["candidate"]])
        if there_events[key] > 0:
            there_events[key] -= 1
            result.matched["event"] += 1
            continue
        event_ids[row["id"]] = _insert(target, Event, dict(row, candidate=key[0]), keep_id=False)
        result.added["event"] += 1
    for row in rows[Ceremony]:
        found = raw(target).execute_sql(f'SELECT "id" FROM "ceremony" WHERE "uid" = {m}', (row["uid"],)).fetchone()
        if found is None:
            ids[Ceremony][row["id"]] = _insert(target, Ceremony, dict(row, organisation=org_ids[row["organisation"]]),
                                               keep_id=False)
            result.added["ceremony"] += 1
        else:
            ids[Ceremony][row["id"]] = int(found[0])
            result.matched["ceremony"] += 1
    for row in rows[CeremonyCandidate]:
        pair = (ids[Ceremony][row["ceremony"]], cand[row["candidate"]])
        if raw(target).execute_sql(f'SELECT 1 FROM "ceremony_candidate" WHERE "candidate_id" = {m}',
                                   (pair[1],)).fetchone():
            result.matched["ceremony_candidate"] += 1
            continue
        _insert(target, CeremonyCandidate, {"ceremony": pair[0], "candidate": pair[1]}, keep_id=False)
        result.added["ceremony_candidate"] += 1
    for row in rows[DayOff]:
        if raw(target).execute_sql(f'SELECT 1 FROM "day_off" WHERE "day" = {m}', (row["day"],)).fetchone():
            result.matched["day_off"] += 1
            continue
        _insert(target, DayOff, row, keep_id=True)
        result.added["day_off"] += 1
    # The audit trail, its row ids translated to the server's; an entry already copied is not copied again.
    remap = {"candidate": cand, "organisation": org_ids, "ceremony": ids[Ceremony], "event": event_ids,
             "upper_committee": ids[UpperCommittee], "document_counter": counter_ids}
    there_audit = Counter(tuple(str(v) for v in r) for r in raw(target).execute_sql(
        'SELECT "at", "user", "table", "row_id", "action" FROM "audit_log"').fetchall())
    for row in rows[AuditLog]:
        row_id = remap.get(row["table"], {}).get(row["row_id"], row["row_id"])
        audit_key = tuple(str(v) for v in (row["at"], row["user"], row["table"], row_id, row["action"]))
        if there_audit[audit_key] > 0:
            there_audit[audit_key] -= 1
            result.matched["audit_log"] += 1
            continue
        _insert(target, AuditLog, dict(row, row_id=row_id), keep_id=False)
        result.added["audit_log"] += 1


def to_local_copy(source: peewee.Database, dest: Path) -> Path:
    """Copy everything ``source`` (a server, as the connected clerk) lets be read into a new SQLite database at
    ``dest`` (ids kept), written under a temporary name and moved into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    rows = {model: _rows(source, model) for model in ORDER}
    local = db.Database(None)
    db.create_private(tmp)
    local.init(str(tmp), pragmas={"foreign_keys": 1})
    try:
        with local.atomic():
            for version in range(db.SCHEMA_VERSION):
                db.MIGRATIONS[version](local)
            raw(local).execute_sql(f"PRAGMA user_version = {db.SCHEMA_VERSION}")
            for model in ORDER:
                if model is UpperCommittee:
                    raw(local).execute_sql('DELETE FROM "upper_committee"')  # the migration's own row
                for row in rows[model]:
                    _insert(local, model, row, keep_id=True)
        local.close()
        db.fsync_file(tmp)
        fileops.replace(tmp, dest)
    except BaseException:
        if not local.is_closed():
            local.close()
        tmp.unlink(missing_ok=True)
        raise
    return dest


def all_models() -> list[type[BaseModel]]:
    return list(ALL_MODELS)

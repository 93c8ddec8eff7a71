"""Importing a class list into the database: plan first (nothing written), then apply in one transaction.

:func:`plan_import` classifies each row read from a file (see ``readers.class_list.ParsedRow``; any object
with the same attributes will do, storage does not import the reports layer) as

* ``new``: its personal ID is not in the database (a row without an ID: no student of the organisation has
  its name and birth date);
* ``update``: the ID belongs to a candidate of the same organisation and the file changes something (a row
  without an ID: the one student of the organisation with its name and birth date);
* ``unchanged``: the same student and nothing to change (importing a file twice changes nothing);
* ``error``: a problem from reading the file, or the same checks as the candidate form
  (``domain.validation.validate_candidate`` and the union-date checks of ``writers.save_candidate``), or the
  ID belongs to another organisation (``import.pid_other_org``: a student is never moved silently).

Existing candidates are looked up in bulk by personal ID. For an update, a value the file leaves empty
(or a column it does not have) keeps what the database holds; only what the file says is written. A row
without a personal ID or an ethnic group is imported as an incomplete record (those facts left unknown, never
guessed; ``validation.missing_facts``): a teacher's plain class list has neither column.

:func:`apply_import` writes the new and updated rows in one transaction with the audit entries
``repo`` writes for the candidate form, and the remembered column mappings of the import; cancelling
or any failure rolls everything back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import peewee

from lamha_desktop.domain import codelists, people, pipeline, validation
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage import repo, settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import AuditLog, Candidate, Organisation
from lamha_desktop.storage.typed_peewee import db_value, raw

__all__ = [
    "ImportCancelled",
    "ImportPlan",
    "ImportStale",
    "PlannedRow",
    "apply_import",
    "mapping_key",
    "plan_import",
    "remember_mapping",
    "remembered_mapping",
]

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
STATUSES = (NEW, UPDATE, UNCHANGED, ERROR)

# Candidate columns an import may set, in form order.
IMPORT_FIELDS = ("full_name", "gender", "birth", "ethnic", "religion", "personal_id", "class_name", "residence",
                 "union_since")
_LOOKUP_CHUNK = 500
_WRITE_CHUNK = 200
MAPPING_PREFIX = "import_mapping:"


class Problem(NamedTuple):
    """Same shape as ``readers.class_list.Problem``: the cell (sheet, 1-based row, column letter) and a code."""

    sheet: str
    row: int
    column: str
    code: str
    params: Mapping[str, Any]


class ImportRow(Protocol):
    sheet: str
    row: int
    values: dict[str, Any]
    problems: list[Any]
    warnings: list[Any]
    pid_restored: bool
    columns: dict[str, str]


class ImportCancelled(Exception):
    """The user cancelled :func:`apply_import`; the transaction was rolled back."""


class ImportStale(Exception):
    """The database changed between planning and applying (an ID taken or a candidate deleted); nothing was
    written. ``code`` is ``import.stale``."""

    code = "import.stale"

    def __init__(self, pids: Sequence[str]) -> None:
        super().__init__(self.code, len(pids))
        self.params = {"count": len(pids)}


@dataclass
class PlannedRow:
    """What importing one row would do.

    ``values`` are the candidate's columns to write (all of them for ``new``; for ``update`` the merged
    record); ``changes`` maps each changed column to (before, after).
    """

    source: Any  # the ImportRow
    status: str
    problems: list[Any] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    candidate_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def sheet(self) -> str:
        return str(self.source.sheet)

    @property
    def row(self) -> int:
        return int(self.source.row)

    @property
    def warnings(self) -> list[Any]:
        return list(self.source.warnings)


@dataclass
class ImportPlan:
    organisation_id: int
    rows: list[PlannedRow]
    today: dt.date

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    def rejected(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.status == ERROR]

    def to_write(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.status in (NEW, UPDATE)]


# ---------------------------------------------------------------- remembered mappings


def mapping_key(signature: str) -> str:
    return MAPPING_PREFIX + signature


def remembered_mapping(signature: str) -> dict[str, int] | None:
    """The column mapping a user chose for files of this shape (``HeaderMatch.signature``), if any."""
    value = settings.get(mapping_key(signature))
    if not isinstance(value, dict):
        return None
    try:
        return {str(k): int(v) for k, v in value.items()}
    except (TypeError, ValueError):
        return None


def remember_mapping(signature: str, fields: Mapping[str, int]) -> None:
    with database.atomic():
        settings.set_value(mapping_key(signature), {k: int(v) for k, v in fields.items()})


# ---------------------------------------------------------------- planning


def _existing_by_pid(pids: Iterable[str]) -> dict[str, Candidate]:
    wanted = sorted({p for p in pids if p})
    out: dict[str, Candidate] = {}
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start:start + _LOOKUP_CHUNK]
        for c in Candidate.select().where(Candidate.personal_id.in_(chunk)):
            if c.personal_id:
                out[c.personal_id] = c
    return out


def _by_name_and_birth(org_id: int) -> dict[tuple[str, Any], list[Candidate]]:
    """The organisation's candidates by (search key of the name, birth date): how a row without a personal
    ID finds its student."""
    out: dict[tuple[str, Any], list[Candidate]] = {}
    for c in Candidate.select().where(Candidate.organisation == org_id):
        out.setdefault((c.search_key, repo.as_day(c.birth)), []).append(c)
    return out


def _db_values(c: Candidate) -> dict[str, Any]:
    return {
        "full_name": c.full_name, "gender": c.gender, "birth": c.birth, "ethnic": c.ethnic, "religion": c.religion,
        "personal_id": c.personal_id, "class_name": c.class_name, "residence": c.residence,
        "union_since": c.union_since,
    }


def _given(values: Mapping[str, Any], key: str) -> bool:
    v = values.get(key)
    return v is not None and v != ""


def plan_import(rows: Sequence[ImportRow], organisation_id: int, *, today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """Classify every row against the database; nothing is written.

    Raises:
        ValueError: ``organisation_id`` does not exist.
    """
    today = today or dt.date.today()
    org = Organisation.get_or_none(Organisation.id == organisation_id)
    if org is None:
        raise ValueError("candidate.org_required")
    existing = _existing_by_pid(str(r.values.get("personal_id", "")) for r in rows)
    named = _by_name_and_birth(org.id) if any(not r.values.get("personal_id") for r in rows) else {}
    other_orgs: dict[int, str] = {}
    planned: list[PlannedRow] = []
    total = len(rows)
    for i, src in enumerate(rows):
        planned.append(_plan_row(src, org.id, existing, named, other_orgs, today))
        if progress is not None and i % 500 == 0:
            progress(i, total)
    return ImportPlan(org.id, planned, today)


def _plan_row(src: ImportRow, org_id: int, existing: Mapping[str, Candidate],
              named: Mapping[tuple[str, Any], list[Candidate]], other_orgs: dict[int, str],
              today: dt.date) -> PlannedRow:
    problems: list[Any] = list(src.problems)
    blocked = {p.params.get("field") for p in problems if isinstance(p.params, Mapping)}
    blocked |= {"personal_id" for p in problems if p.code in ("import.duplicate_row", "import.pid_conflict")}
    file_values = src.values
    pid = validation.normalize_pid(str(file_values.get("personal_id") or ""))

    def add(f: str, code: str, params: Mapping[str, Any] | None = None) -> None:
        if f not in blocked:
            problems.append(Problem(src.sheet, src.row, src.columns.get(f, ""), code, dict(params or {})))

    current = existing.get(pid) if pid else None
    if not pid:
        same = named.get((people.search_key(str(file_values.get("full_name") or "")), file_values.get("birth")), [])
        if len(same) == 1:
            current = same[0]
        elif len(same) > 1:
            add("full_name", "import.name_birth_ambiguous", {"count": len(same)})

    # What the record would be: the database's values overlaid with what the file says.
    merged: dict[str, Any] = (_db_values(current) if current is not None
                              else {"religion": "", "class_name": "", "residence": "", "union_since": None})
    for key in IMPORT_FIELDS:
        if key in file_values and (current is None or _given(file_values, key)):
            merged[key] = file_values[key]
    pid = pid or (current.personal_id if current is not None and current.personal_id else "")
    merged["personal_id"] = pid
    full_name = people.normalize_text(str(merged.get("full_name") or ""))
    ethnic_text = str(merged.get("ethnic") or "")
    religion_text = str(merged.get("religion") or "")
    for issue in validation.validate_candidate(
            full_name=full_name, gender=str(merged.get("gender") or ""), birth=merged.get("birth"),
            personal_id=pid, ethnic=ethnic_text, religion=religion_text, today=today, complete=False):
        add(issue.field, issue.code, issue.params)
    birth, union_since = merged.get("birth"), merged.get("union_since")
    if union_since and birth and union_since < birth:
        add("union_since", "union.before_birth")
    if union_since and union_since > today:
        add("union_since", "date.future")
    if current is not None and current.organisation_id != org_id:
        if current.organisation_id not in other_orgs:
            other_orgs[current.organisation_id] = Organisation.get_by_id(current.organisation_id).code
        add("personal_id", "import.pid_other_org",
            {"pid": pid, "name": current.full_name, "org": other_orgs[current.organisation_id]})
    if problems:
        return PlannedRow(src, ERROR, problems)

    ethnic_item = codelists.find_ethnic(ethnic_text)
    religion_item = codelists.find_religion(religion_text)
    values = {
        "full_name": full_name,
        "gender": people.search_key(str(merged["gender"])),
        "birth": birth,
        "ethnic": ethnic_item.code if ethnic_item else None,  # not in the file: unknown, never guessed
        "religion": religion_item.code if religion_item else codelists.NO_RELIGION,
        "personal_id": pid or None,
        "class_name": people.normalize_text(str(merged.get("class_name") or "")),
        "residence": people.normalize_text(str(merged.get("residence") or "")),
        "union_since": union_since,
    }
    if current is None:
        return PlannedRow(src, NEW, [], values)
    before = _db_values(current)
    changes = {k: (before[k], values[k]) for k in IMPORT_FIELDS if before[k] != values[k]}
    return PlannedRow(src, UPDATE if changes else UNCHANGED, [], values, current.id, changes)


# ---------------------------------------------------------------- applying


def _clean(values: Mapping[str, Any], org_id: int) -> dict[str, Any]:
    name = values["full_name"]
    return {**values, "organisation": org_id, "search_key": people.search_key(name),
            "sort_key": people.sort_key(name)}


def apply_import(plan: ImportPlan, *, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None,
                 mappings: Mapping[str, Mapping[str, int]] | None = None) -> dict[str, int]:
    """Write the plan's new and updated rows in ONE transaction; return the counts.

    ``progress(done, total)`` is called now and then, ``cancel()`` is polled as often: when it returns True
    the transaction is rolled back and :class:`ImportCancelled` raised. ``mappings`` (signature -> fields)
    are remembered in the same transaction. Counts: new, updated, unchanged, rejected.

    Rows are written with ``executemany`` from plain tuples (no model object per row), the audit entries
    likewise, each with the content ``writers.record_audit`` gives the candidate form.

    Raises:
        ImportCancelled: cancelled; nothing written.
        ImportStale: the database changed since the plan was made; nothing written.
    """
    work = plan.to_write()
    total = len(work)
    counts = plan.counts()
    result = {"new": counts[NEW], "updated": counts[UPDATE], "unchanged": counts[UNCHANGED],
              "rejected": counts[ERROR]}
    if progress is not None:
        progress(0, total)
    user = repo.audit_user()
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    with database.atomic():
        _check_still_valid(plan)
        org = Organisation.get_by_id(plan.organisation_id)
        touched: dict[str, list[int]] = {NEW: [], UPDATE: []}
        births: dict[int, dt.date] = {}  # of the new rows, as written
        try:
            for status, write in ((NEW, _create_many), (UPDATE, _update_many)):
                items = [r for r in work if r.status == status]
                for start in range(0, len(items), _WRITE_CHUNK):
                    if cancel is not None and cancel():
                        raise ImportCancelled()
                    chunk = items[start:start + _WRITE_CHUNK]
                    ids = write(chunk, int(org.id), user)
                    touched[status] += ids
                    if status == NEW:
                        births.update(zip(ids, (item.values["birth"] for item in chunk), strict=True))
                    step(len(chunk))
        except (peewee.IntegrityError, Candidate.DoesNotExist) as exc:
            raise ImportStale([]) from exc
        if cancel is not None and cancel():
            raise ImportCancelled()
        _refresh_status_bulk(touched[NEW] + touched[UPDATE], party_committee=OrgKind.of(org.kind).party_committee,
                             today=plan.today, without_events=frozenset(touched[NEW]), known_births=births)
        for signature, fields in (mappings or {}).items():
            settings.set_value(mapping_key(signature), {k: int(v) for k, v in fields.items()})
    return result


_FIELDS = [f for f in Candidate._meta.sorted_fields if not f.primary_key]
_AUDIT_FIELDS = [f for f in AuditLog._meta.sorted_fields if not f.primary_key]


def _sql_value(field: peewee.Field, value: Any) -> Any:
    v = db_value(field, value)
    # What sqlite3's default adapters write for dates (deprecated in Python 3.12, so done here).
    if isinstance(v, dt.datetime):
        return v.isoformat(" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _with_defaults(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of a new candidate: ``values``, then each field's default (what ``Candidate(**values)``
    fills in)."""
    out: dict[str, Any] = {}
    for f in _FIELDS:
        if f.name in values:
            out[f.name] = values[f.name]
        elif f.default is not None:
            out[f.name] = f.default() if callable(f.default) else f.default
        else:
            out[f.name] = None
    return out


def _plain(data: Mapping[str, Any], skip: Sequence[str] = repo.CANDIDATE_AUDIT_SKIP) -> dict[str, Any]:
    """``repo.plain_fields`` of a candidate given as a dict of field values (ids for the organisation)."""
    out: dict[str, Any] = {}
    for name in Candidate._meta.sorted_field_names:
        if name in skip:
            continue
        value = data.get(name)
        out[name] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
    return out


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return value.isoformat() if isinstance(value, dt.date) else value


def _converter(field: peewee.Field) -> Callable[[Any], Any]:
    """How a value of ``field`` goes to the database: what ``_sql_value`` does, chosen once per column instead of
    dispatched for each of 100,000 values."""
    if isinstance(field, peewee.CharField | peewee.TextField) and type(field).db_value in (
            peewee.CharField.db_value, peewee.TextField.db_value, peewee._StringField.db_value):
        return _text
    if type(field) in (peewee.DateField, peewee.DateTimeField):
        return _date
    if type(field) is peewee.IntegerField:
        return _same

    def convert(value: Any) -> Any:
        return _sql_value(field, value)

    return convert


def _same(value: Any) -> Any:
    return value


def _insert(table: str, fields: Sequence[peewee.Field], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (field name -> value) with one executemany (peewee builds SQL per row: too slow)."""
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join(database.param for _ in fields)
    plan = [(f.name, _converter(f)) for f in fields]
    raw(database).cursor().executemany(
        f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
        [tuple(convert(r.get(name)) for name, convert in plan) for r in rows])


def _audit(rows: Sequence[Mapping[str, Any]]) -> None:
    _insert(AuditLog._meta.table_name, _AUDIT_FIELDS, rows)


def _create_many(items: Sequence[PlannedRow], org_id: int, user: str) -> list[int]:
    """Insert candidates and their audit entries (the same content ``writers.record_audit`` writes), in bulk;
    return their ids."""
    rows = [_with_defaults(_clean(item.values, org_id)) for item in items]
    _insert(Candidate._meta.table_name, _FIELDS, rows)
    uids = [r["uid"] for r in rows]  # the personal ID may be unknown: the uid finds each new row
    ids: dict[str, int] = dict(_rows_where_in(f'SELECT "uid", "id" FROM "{Candidate._meta.table_name}"',
                                              '"uid"', uids))
    now = dt.datetime.now()
    audits = []
    for r in rows:
        r["id"] = ids[r["uid"]]
        audits.append({"at": now, "user": user, "table": "candidate", "row_id": r["id"], "action": "create",
                       "before": None, "after": _plain(r)})
    _audit(audits)
    return [r["id"] for r in rows]


def _update_many(items: Sequence[PlannedRow], org_id: int, user: str) -> list[int]:
    """Update candidates from the file and write one audit entry per changed candidate (only the changed
    columns, as ``writers.record_audit`` does), in bulk; return their ids."""
    wanted = [int(i.candidate_id) for i in items if i.candidate_id is not None]
    rows: Iterable[dict[str, Any]] = Candidate.select().where(Candidate.id.in_(wanted)).dicts()  # type: ignore[assignment]
    current = {int(r["id"]): r for r in rows}
    now = dt.datetime.now()
    written = [*IMPORT_FIELDS, "organisation", "search_key", "sort_key", "updated_at"]
    fields = [Candidate._meta.fields[name] for name in written]
    params: list[tuple[Any, ...]] = []
    audits: list[dict[str, Any]] = []
    for item in items:
        before_row = current.get(int(item.candidate_id or 0))
        if before_row is None:
            raise Candidate.DoesNotExist(item.candidate_id)
        after_row = {**before_row, **_clean(item.values, org_id), "updated_at": now}
        params.append((*(_sql_value(f, after_row[f.name]) for f in fields), before_row["id"]))
        before, after = _plain(before_row), _plain(after_row)
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if changed:
            audits.append({"at": now, "user": user, "table": "candidate", "row_id": before_row["id"],
                           "action": "update", "before": {k: before.get(k) for k in changed},
                           "after": {k: after.get(k) for k in changed}})
    m = database.param
    assignments = ", ".join(f'"{f.column_name}" = {m}' for f in fields)
    raw(database).cursor().executemany(
        f'UPDATE "{Candidate._meta.table_name}" SET {assignments} WHERE "id" = {m}', params)
    _audit(audits)
    return wanted


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _refresh_status_bulk(candidate_ids: Sequence[int], *, party_committee: bool, today: dt.date,
                         without_events: frozenset[int] = frozenset(),
                         known_births: Mapping[int, dt.date] | None = None) -> None:
    """``writers.refresh_status`` for many rows: the same domain computation, written with one executemany.

    ``without_events``: ids created in this transaction, which have no steps yet (not looked up; their status
    depends on the birth date alone, computed once per date). The derived columns must equal what
    ``writers.refresh_status`` writes; a test compares them.
    """
    if not candidate_ids:
        return
    holidays = repo.default_holidays()
    by_month = bool(settings.get("age_by_month"))
    events = repo.events_by_candidate([i for i in candidate_ids if i not in without_events])
    by_birth: dict[dt.date, pipeline.Status] = {}
    known = known_births or {}
    births = {cid: known[cid] for cid in candidate_ids if cid in known}
    births.update((int(cid), repo.as_day(b)) for cid, b in _rows_where_in(  # type: ignore[misc]
        f'SELECT "id", "birth" FROM "{Candidate._meta.table_name}"', '"id"',
        [cid for cid in candidate_ids if cid not in births]))
    params: list[tuple[Any, ...]] = []
    for cid in candidate_ids:
        evs = events.get(cid, [])
        st = by_birth.get(births[cid]) if not evs else None
        if st is None:
            st = pipeline.compute_status(birth=births[cid], events=evs, holidays=holidays, today=today,
                                         by_month=by_month, party_committee=party_committee)
            if not evs:
                by_birth[births[cid]] = st
        listed = min((e.on for e in evs), default=None)
        params.append((int(st.stage), _iso(st.eligible_from), _iso(st.next_deadline), _iso(st.admitted_on),
                       listed.year if listed else None, cid))
    table = Candidate._meta.table_name
    m = database.param
    raw(database).cursor().executemany(
        f'UPDATE "{table}" SET "stage" = {m}, "eligible_from" = {m}, "next_deadline" = {m}, "admitted_on" = {m}, '
        f'"listed_year" = {m} WHERE "id" = {m}', params)


def _rows_where_in(select: str, column: str, values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``select WHERE column IN (values)``, in chunks of bound parameters (peewee would build the
    SQL of each chunk from expression objects: a third of an import's writing time)."""
    m = database.param
    for start in range(0, len(values), _LOOKUP_CHUNK):
        chunk = list(values[start:start + _LOOKUP_CHUNK])
        yield from raw(database).execute_sql(f"{select} WHERE {column} IN ({', '.join(m for _ in chunk)})",
                                             chunk).fetchall()


def _check_still_valid(plan: ImportPlan) -> None:
    """New IDs must still be free and updated candidates still there, in the same organisation (with the ID
    the plan saw)."""
    work = plan.to_write()
    now = dict(_rows_where_in(f'SELECT "personal_id", "id" FROM "{Candidate._meta.table_name}"', '"personal_id"',
                              sorted({r.values["personal_id"] for r in work if r.values["personal_id"]})))
    updated = {int(c.id): c for start in range(0, len(work), _LOOKUP_CHUNK)
               for c in Candidate.select().where(Candidate.id.in_(
                   [r.candidate_id for r in work[start:start + _LOOKUP_CHUNK] if r.status == UPDATE]))}
    stale = []
    for r in work:
        pid = r.values["personal_id"]
        if r.status == NEW:
            if pid and pid in now:
                stale.append(pid)
            continue
        current = updated.get(int(r.candidate_id or 0))
        holder = now.get(pid) if pid else None
        if (current is None or current.organisation_id != plan.organisation_id
                or (holder is not None and holder != current.id)):
            stale.append(pid or str(r.candidate_id))
    if stale:
        raise ImportStale(stale)

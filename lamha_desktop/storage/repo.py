"""Repositories: one function per user action, each in one transaction, returning plain rows.

The UI never builds queries itself; it calls these functions and refreshes on change.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import peewee

from lamha_desktop.domain import calendar, people, pipeline, validation
from lamha_desktop.storage import settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import (
    AuditLog,
    Candidate,
    Ceremony,
    CeremonyCandidate,
    DayOff,
    Event,
    Organisation,
    UpperCommittee,
)
from lamha_desktop.storage.typed_peewee import raw, tuples


class ValidationFailed(Exception):
    """A write refused by the rules; ``issues`` carry codes the UI turns into messages."""

    def __init__(self, issues: Sequence[Any]) -> None:
        super().__init__([getattr(i, "code", str(i)) for i in issues])
        self.issues = list(issues)


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


# ---------------------------------------------------------------- audit


def audit_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account): still record the change
        return "?"


def record_audit(table: str, row_id: int, action: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None) -> None:
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return
        before = {k: before.get(k) for k in changed}
        after = {k: after.get(k) for k in changed}
    AuditLog.create(user=audit_user(), table=table, row_id=row_id, action=action, before=before, after=after)


def plain_fields(model: peewee.Model, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in model._meta.sorted_field_names:
        if name in skip:
            continue
        value = model.__data__.get(name)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        out[name] = value
    return out


CANDIDATE_AUDIT_SKIP = ("search_key", "sort_key", "stage", "eligible_from", "next_deadline", "admitted_on",
                         "listed_year", "updated_at")


def audit_rows(table: str, row_id: int) -> list[AuditLog]:
    return list(AuditLog.select().where((AuditLog.table == table) & (AuditLog.row_id == row_id)).order_by(AuditLog.at))


# ---------------------------------------------------------------- calendar


_holiday_cache: dict[tuple[Any, ...], frozenset[dt.date]] = {}


def holiday_set(years: Iterable[int]) -> frozenset[dt.date]:
    """Vietnam's days off for ``years`` plus the user's own days off, minus substituted working days."""
    days = [(d.day, d.working) for d in DayOff.select().order_by(DayOff.day)]
    key = (database.database, tuple(years), tuple(days))
    cached = _holiday_cache.get(key)
    if cached is None:
        extra = {d for d, working in days if not working}
        working = {d for d, working in days if working}
        cached = _holiday_cache[key] = (_package_holidays(key[1]) | extra) - working
    return cached


def _package_holidays(years: tuple[int, ...]) -> frozenset[dt.date]:
    """The ``holidays`` package's days off for ``years``, kept in the database per package version, so a
    normal start does not pay for importing the package."""
    import importlib.util
    import os

    # The package's file identifies its version without importing it (importlib.metadata costs ~0.1 s).
    spec = importlib.util.find_spec("holidays")
    origin = spec.origin if spec is not None and spec.origin else ""
    package = f"{origin}:{os.stat(origin).st_mtime_ns}" if origin and os.path.exists(origin) else origin
    stamp = {"holidays": package, "years": list(years)}
    stored = settings.get("holiday_cache")
    if isinstance(stored, dict) and stored.get("stamp") == stamp:
        return frozenset(dt.date.fromisoformat(d) for d in stored["days"])
    days = calendar.vietnam_holidays(years)
    if not database.is_closed():
        # A read-only database still works; it just recomputes next time.
        with contextlib.suppress(peewee.OperationalError):
            settings.set_value("holiday_cache", {"stamp": stamp, "days": sorted(d.isoformat() for d in days)})
    return days


def default_holidays() -> frozenset[dt.date]:
    """The days off of every year a deadline of this application can fall in."""
    year = dt.date.today().year
    return holiday_set(range(2015, year + 4))


# ---------------------------------------------------------------- committees


@dataclass(frozen=True)
class CommitteeRow:
    id: int
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    place: str


def list_committees() -> list[CommitteeRow]:
    q = UpperCommittee.select().order_by(UpperCommittee.valid_from.asc(nulls="first"), UpperCommittee.id)
    return [CommitteeRow(c.id, c.name, c.valid_from, c.valid_to, c.place) for c in q]


def committee_in_force(on: dt.date) -> CommitteeRow | None:
    for c in list_committees():
        if (c.valid_from is None or c.valid_from <= on) and (c.valid_to is None or on <= c.valid_to):
            return c
    return None


def save_committee(values: dict[str, Any], committee_id: int | None = None) -> int:
    name = people.normalize_text(values.get("name", ""))
    if not name:
        raise ValidationFailed([FieldProblem("name", "committee.name_required")])
    vf, vt = values.get("valid_from"), values.get("valid_to")
    if vf and vt and vt < vf:
        raise ValidationFailed([FieldProblem("valid_to", "committee.dates_order")])
    with database.atomic():
        if committee_id is None:
            c = UpperCommittee.create(name=name, valid_from=vf, valid_to=vt, place=values.get("place", ""))
            record_audit("upper_committee", c.id, "create", None, plain_fields(c))
            return int(c.id)
        c = UpperCommittee.get_by_id(committee_id)
        before = plain_fields(c)
        c.name, c.valid_from, c.valid_to, c.place = name, vf, vt, values.get("place", c.place)
        c.save()
        record_audit("upper_committee", c.id, "update", before, plain_fields(c))
        return int(c.id)


# ---------------------------------------------------------------- organisations


@dataclass(frozen=True)
class OrgRow:
    id: int
    uid: str
    code: str
    school_name: str
    name: str
    kind: str
    official_members: int
    secretary: str
    annual_target: int
    upper_committee_id: int | None
    upper_committee_name: str
    active: bool
    candidates: int = 0


ORG_KINDS = ("dang_bo", "chi_bo")


def _org_row(o: Organisation, count: int = 0) -> OrgRow:
    uc = o.upper_committee
    return OrgRow(o.id, o.uid, o.code, o.school_name, o.name, o.kind, o.official_members, o.secretary,
                  o.annual_target, o.upper_committee_id, uc.name if uc else "", o.active, count)


def list_organisations(*, include_inactive: bool = True, with_counts: bool = False) -> list[OrgRow]:
    """The organisations in school-name order; ``with_counts`` adds each one's number of candidates (a scan
    of the candidates table, so only the organisations tab asks for it)."""
    counts: dict[int, int] = dict(tuples(
        Candidate.select(Candidate.organisation, peewee.fn.COUNT(Candidate.id))
        .group_by(Candidate.organisation)
    )) if with_counts else {}
    q = Organisation.select(Organisation, UpperCommittee).join(UpperCommittee, peewee.JOIN.LEFT_OUTER)
    if not include_inactive:
        q = q.where(Organisation.active == True)  # noqa: E712
    rows = [_org_row(o, counts.get(o.id, 0)) for o in q]
    rows.sort(key=lambda r: (not r.active, people.text_sort_key(r.school_name)))
    return rows


def get_organisation(org_id: int) -> OrgRow:
    return _org_row(Organisation.get_by_id(org_id))


def organisation_by_code(code: str) -> OrgRow | None:
    o = Organisation.get_or_none(peewee.fn.UPPER(Organisation.code) == code.strip().upper())
    return _org_row(o) if o else None


def _validate_org(values: dict[str, Any], org_id: int | None) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    code = people.normalize_text(str(values.get("code", ""))).upper()
    clean = {
        "code": code,
        "school_name": people.normalize_text(values.get("school_name", "")),
        "name": people.normalize_text(values.get("name", "")),
        "kind": values.get("kind", "chi_bo"),
        "official_members": int(values.get("official_members", 0)),
        "secretary": people.normalize_text(values.get("secretary", "")),
        "annual_target": int(values.get("annual_target", 1)),
        "upper_committee": values.get("upper_committee_id"),
    }
    if not code:
        problems.append(FieldProblem("code", "org.code_required"))
    elif not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code) or len(code) > 16:
        problems.append(FieldProblem("code", "org.code_format"))
    else:
        clash = Organisation.select().where(peewee.fn.UPPER(Organisation.code) == code)
        if org_id is not None:
            clash = clash.where(Organisation.id != org_id)
        if clash.exists():
            problems.append(FieldProblem("code", "org.code_duplicate", {"code": code}))
    if not clean["school_name"]:
        problems.append(FieldProblem("school_name", "org.school_required"))
    if not clean["name"]:
        problems.append(FieldProblem("name", "org.name_required"))
    if clean["kind"] not in ORG_KINDS:
        problems.append(FieldProblem("kind", "org.kind_invalid"))
    if clean["official_members"] < 0:
        problems.append(FieldProblem("official_members", "org.members_negative"))
    if clean["annual_target"] < 0:
        problems.append(FieldProblem("annual_target", "org.target_negative"))
    if problems:
        raise ValidationFailed(problems)
    return clean


def save_organisation(values: dict[str, Any], org_id: int | None = None) -> int:
    with database.atomic():
        clean = _validate_org(values, org_id)
        if org_id is None:
            o = Organisation.create(**clean)
            record_audit("organisation", o.id, "create", None, plain_fields(o, skip=("updated_at",)))
            return int(o.id)
        o = Organisation.get_by_id(org_id)
        before = plain_fields(o, skip=("updated_at",))
        kind_changed = o.kind != clean["kind"]
        for k, v in clean.items():
            setattr(o, k, v)
        o.updated_at = dt.datetime.now()
        o.save()
        record_audit("organisation", o.id, "update", before, plain_fields(o, skip=("updated_at",)))
        if kind_changed:
            refresh_status([c.id for c in Candidate.select(Candidate.id).where(Candidate.organisation == o.id)])
        return int(o.id)


def set_organisation_active(org_id: int, active: bool) -> None:
    with database.atomic():
        o = Organisation.get_by_id(org_id)
        before = plain_fields(o, skip=("updated_at",))
        o.active = active
        o.save()
        record_audit("organisation", o.id, "update", before, plain_fields(o, skip=("updated_at",)))


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True)
class CandidateFilter:
    text: str = ""
    organisation_id: int | None = None
    stage: int | None = None
    year: int | None = None  # year listed in the source


@dataclass(frozen=True)
class CandidateRow:
    id: int
    full_name: str
    gender: str
    birth: dt.date
    ethnic: str
    religion: str
    personal_id: str
    class_name: str
    organisation_id: int
    organisation_code: str
    status: pipeline.Status


SORT_COLUMNS: dict[str, Any] = {
    "name": Candidate.sort_key,
    "birth": Candidate.birth,
    "class": Candidate.class_name,
    "organisation": Organisation.code,
    "stage": Candidate.stage,
    "eligible_from": Candidate.eligible_from,
    "next_deadline": Candidate.next_deadline,
    "gender": Candidate.gender,
    "personal_id": Candidate.personal_id,
}


def _filtered(flt: CandidateFilter, *, with_organisation: bool = False) -> peewee.ModelSelect[Candidate]:
    q = Candidate.select(Candidate.id)
    if with_organisation:
        q = q.join(Organisation)
    key = people.search_key(flt.text) if flt.text else ""
    if key:
        for word in key.split():
            q = q.where(Candidate.search_key.contains(word) | Candidate.personal_id.contains(word))
    if flt.organisation_id is not None:
        q = q.where(Candidate.organisation == flt.organisation_id)
    if flt.stage is not None:
        q = q.where(Candidate.stage == flt.stage)
    if flt.year is not None:
        q = q.where(Candidate.listed_year == flt.year)
    return q


def candidate_ids(flt: CandidateFilter = CandidateFilter(), *, sort: str = "name",
                  descending: bool = False) -> list[int]:
    """Ids of the candidates matching ``flt``, in display order; filtering and sorting run in SQLite."""
    col = SORT_COLUMNS.get(sort, Candidate.sort_key)
    order = [col.desc() if descending else col.asc()]
    if sort != "name":
        order.append(Candidate.sort_key.asc())
    order.append(Candidate.id.asc())
    q = _filtered(flt, with_organisation=sort == "organisation").order_by(*order)
    # A raw cursor: 100,000 ids through peewee's row wrappers cost ~0.7 s, through fetchall ~40 ms.
    return [r[0] for r in raw(database).execute(q).fetchall()]


def candidate_count(flt: CandidateFilter = CandidateFilter()) -> int:
    return int(_filtered(flt).count())


def as_day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _day_not_null(value: Any) -> dt.date:
    """``as_day`` of a NOT NULL date column."""
    return cast(dt.date, as_day(value))


def events_by_candidate(ids: Sequence[int]) -> dict[int, list[pipeline.Event]]:
    """Each candidate's events, with the ceremony they are linked to as a "ceremony" event (and its decision
    when the candidate has no decision of their own). Raw rows: this runs for every page of the table."""
    out: dict[int, list[pipeline.Event]] = {i: [] for i in ids}
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start:chunk_start + 500])
        q = (Event.select(Event.candidate, Event.kind, Event.on, Event.data)
             .where(Event.candidate.in_(chunk)).order_by(Event.on, Event.id))
        for cid, kind, on, data in raw(database).execute(q).fetchall():
            out[cid].append(pipeline.Event(kind, _day_not_null(on), json.loads(data) if data else {}))
        links = (CeremonyCandidate.select(CeremonyCandidate.candidate, Ceremony.id, Ceremony.on, Ceremony.decision_no,
                                          Ceremony.decision_date, Ceremony.decision_received)
                 .join(Ceremony).where(CeremonyCandidate.candidate.in_(chunk)))
        for cid, cer_id, on, decision_no, decision_date, received in raw(database).execute(links).fetchall():
            evs = out[cid]
            if decision_date and not any(e.kind == pipeline.EventKind.DECISION for e in evs):
                evs.append(pipeline.Event(pipeline.EventKind.DECISION, _day_not_null(decision_date), {
                    "number": decision_no, "received": str(received)[:10] if received else None}))
            evs.append(pipeline.Event(pipeline.EventKind.CEREMONY, _day_not_null(on), {"ceremony_id": cer_id}))
    for evs in out.values():
        evs.sort(key=lambda e: e.on)
    return out


def _status(birth: dt.date, org_kind: str, events: Sequence[pipeline.Event], holidays: frozenset[dt.date],
            today: dt.date, by_month: bool) -> pipeline.Status:
    return pipeline.compute_status(birth=birth, events=events, holidays=holidays, today=today, by_month=by_month,
                                   party_committee=org_kind == "dang_bo")


def candidate_rows(ids: Sequence[int], *, today: dt.date | None = None) -> dict[int, CandidateRow]:
    """Full rows for ``ids`` (a page of the table), with the status computed live for ``today``."""
    today = today or dt.date.today()
    holidays = default_holidays()
    by_month = bool(settings.get("age_by_month"))
    events = events_by_candidate(ids)
    out: dict[int, CandidateRow] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start:chunk_start + 500])
        q = (Candidate.select(Candidate.id, Candidate.full_name, Candidate.gender, Candidate.birth, Candidate.ethnic,
                              Candidate.religion, Candidate.personal_id, Candidate.class_name,
                              Candidate.organisation, Organisation.code, Organisation.kind)
             .join(Organisation).where(Candidate.id.in_(chunk)))
        for cid, name, gender, birth, ethnic, religion, pid, class_name, org_id, code, kind in (
                raw(database).execute(q).fetchall()):
            born = as_day(birth)
            assert born is not None
            out[cid] = CandidateRow(cid, name, gender, born, ethnic, religion, pid, class_name, org_id, code,
                                    _status(born, kind, events[cid], holidays, today, by_month))
    return out


def get_candidate(candidate_id: int) -> dict[str, Any]:
    c = Candidate.get_by_id(candidate_id)
    return plain_fields(c) | {"birth": c.birth, "union_since": c.union_since, "organisation_id": c.organisation_id}


def personal_id_taken(pid: str, *, exclude_id: int | None = None) -> bool:
    q = Candidate.select().where(Candidate.personal_id == pid)
    if exclude_id is not None:
        q = q.where(Candidate.id != exclude_id)
    return bool(q.exists())


CANDIDATE_FIELDS = ("organisation_id", "full_name", "gender", "birth", "ethnic", "religion", "personal_id",
                    "class_name", "union_since", "graduation_year", "residence", "notes")


def candidate_problems(values: dict[str, Any], candidate_id: int | None = None, *,
                       today: dt.date | None = None) -> list[validation.FieldIssue | FieldProblem]:
    """Every problem with a candidate's values (empty: they can be saved), without writing anything."""
    today = today or dt.date.today()
    full_name = people.normalize_text(values.get("full_name", ""))
    pid = str(values.get("personal_id", "")).replace(" ", "")
    issues: list[validation.FieldIssue | FieldProblem] = list(validation.validate_candidate(
        full_name=full_name, gender=values.get("gender", ""), birth=values.get("birth"), personal_id=pid,
        ethnic=str(values.get("ethnic", "")), religion=str(values.get("religion", "")), today=today,
        existing_ids=lambda p: personal_id_taken(p, exclude_id=candidate_id)))
    org_id = values.get("organisation_id")
    if org_id is None or not Organisation.select().where(Organisation.id == org_id).exists():
        issues.append(FieldProblem("organisation_id", "candidate.org_required"))
    union_since = values.get("union_since")
    birth = values.get("birth")
    if union_since and birth and union_since < birth:
        issues.append(FieldProblem("union_since", "union.before_birth"))
    if union_since and union_since > today:
        issues.append(FieldProblem("union_since", "date.future"))
    return issues


def save_candidate(values: dict[str, Any], candidate_id: int | None = None, *, today: dt.date | None = None) -> int:
    """Create or update a candidate after validation; raises ValidationFailed with field codes."""
    from lamha_desktop.domain import codelists

    issues = candidate_problems(values, candidate_id, today=today)
    if issues:
        raise ValidationFailed(issues)
    full_name = people.normalize_text(values.get("full_name", ""))
    pid = str(values.get("personal_id", "")).replace(" ", "")
    ethnic_item = codelists.find_ethnic(str(values.get("ethnic", "")))
    religion_item = codelists.find_religion(str(values.get("religion", "")))
    org_id = values.get("organisation_id")
    birth = values.get("birth")
    union_since = values.get("union_since")
    clean = {
        "organisation": org_id,
        "full_name": full_name,
        "search_key": people.search_key(full_name),
        "sort_key": people.sort_key(full_name),
        "gender": values["gender"],
        "birth": birth,
        "ethnic": ethnic_item.code if ethnic_item else "01",
        "religion": religion_item.code if religion_item else "00",
        "personal_id": pid,
        "class_name": people.normalize_text(values.get("class_name", "")),
        "union_since": union_since,
        "graduation_year": values.get("graduation_year"),
        "residence": people.normalize_text(values.get("residence", "")),
        "notes": (values.get("notes") or "").strip(),
    }
    with database.atomic():
        if candidate_id is None:
            c = Candidate.create(**clean)
            record_audit("candidate", c.id, "create", None, plain_fields(c, skip=CANDIDATE_AUDIT_SKIP))
        else:
            c = Candidate.get_by_id(candidate_id)
            before = plain_fields(c, skip=CANDIDATE_AUDIT_SKIP)
            for k, v in clean.items():
                setattr(c, k, v)
            c.updated_at = dt.datetime.now()
            c.save()
            record_audit("candidate", c.id, "update", before, plain_fields(c, skip=CANDIDATE_AUDIT_SKIP))
        refresh_status([c.id])
        return int(c.id)


@dataclass(frozen=True)
class CandidateSnapshot:
    """Everything a deleted candidate had, so that "Hoàn tác" (undo) can put it back exactly."""

    row: dict[str, Any]
    events: tuple[dict[str, Any], ...]
    ceremony_id: int | None


def delete_candidate(candidate_id: int) -> CandidateSnapshot:
    """Delete a candidate and their steps; returns what undo needs to restore them."""
    with database.atomic():
        c = Candidate.get_by_id(candidate_id)
        before = plain_fields(c, skip=CANDIDATE_AUDIT_SKIP)
        snapshot = CandidateSnapshot(
            dict(c.__data__),
            tuple(dict(e.__data__) for e in Event.select().where(Event.candidate == candidate_id).order_by(Event.id)),
            ceremony_of(candidate_id))
        c.delete_instance()
        record_audit("candidate", candidate_id, "delete", before, None)
        return snapshot


def restore_candidate(snapshot: CandidateSnapshot) -> int:
    """Undo a deletion: the same id, the same steps, and the ceremony link while that ceremony exists."""
    with database.atomic():
        Candidate.insert(snapshot.row).execute()
        cid = int(snapshot.row["id"])
        for ev in snapshot.events:
            Event.insert(ev).execute()
        if snapshot.ceremony_id is not None and Ceremony.get_or_none(Ceremony.id == snapshot.ceremony_id):
            CeremonyCandidate.create(ceremony=snapshot.ceremony_id, candidate=cid)
        restored = plain_fields(Candidate.get_by_id(cid), skip=CANDIDATE_AUDIT_SKIP)
        record_audit("candidate", cid, "create", None, restored)
        refresh_status([cid])
        return cid


def refresh_status(ids: Sequence[int], *, today: dt.date | None = None) -> None:
    """Recompute the derived columns (stage, eligible from, next deadline) of ``ids`` from their events."""
    today = today or dt.date.today()
    holidays = default_holidays()
    by_month = bool(settings.get("age_by_month"))
    events = events_by_candidate(ids)
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start:chunk_start + 500])
        for c in Candidate.select(Candidate, Organisation).join(Organisation).where(Candidate.id.in_(chunk)):
            evs = events[c.id]
            st = _status(c.birth, c.organisation.kind, evs, holidays, today, by_month)
            listed = min((e.on for e in evs), default=None)
            (Candidate.update(stage=int(st.stage), eligible_from=st.eligible_from, next_deadline=st.next_deadline,
                              admitted_on=st.admitted_on, listed_year=listed.year if listed else None)
             .where(Candidate.id == c.id).execute())


def refresh_all_status() -> None:
    with database.atomic():
        refresh_status([c.id for c in Candidate.select(Candidate.id)])


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class EventRow:
    id: int | None
    kind: str
    on: dt.date
    data: dict[str, Any]


def list_events(candidate_id: int) -> list[EventRow]:
    return [EventRow(e.id, e.kind, e.on, dict(e.data or {}))
            for e in Event.select().where(Event.candidate == candidate_id).order_by(Event.on, Event.id)]


def pipeline_events(candidate_id: int) -> list[pipeline.Event]:
    return events_by_candidate([candidate_id])[candidate_id]


def add_event(candidate_id: int, kind: str, on: dt.date, data: dict[str, Any] | None = None) -> int:
    with database.atomic():
        ev = Event.create(candidate=candidate_id, kind=kind, on=on, data=data or {})
        record_audit("event", ev.id, "create", None, {"candidate": candidate_id, "kind": kind, "on": on.isoformat(),
                                                 "data": data or {}})
        refresh_status([candidate_id])
        return int(ev.id)


def update_event(event_id: int, on: dt.date, data: dict[str, Any]) -> None:
    with database.atomic():
        ev = Event.get_by_id(event_id)
        before = {"on": ev.on.isoformat(), "data": ev.data}
        ev.on, ev.data = on, data
        ev.save()
        record_audit("event", ev.id, "update", before, {"on": on.isoformat(), "data": data})
        refresh_status([ev.candidate_id])


def delete_event(event_id: int) -> dict[str, Any]:
    """Delete one step; returns its row for undo (``restore_event``)."""
    with database.atomic():
        ev = Event.get_by_id(event_id)
        cid = ev.candidate_id
        row = dict(ev.__data__)
        record_audit("event", ev.id, "delete", {"candidate": cid, "kind": ev.kind, "on": ev.on.isoformat(),
                                          "data": ev.data}, None)
        ev.delete_instance()
        refresh_status([cid])
        return row


def restore_event(row: dict[str, Any]) -> int:
    with database.atomic():
        Event.insert(row).execute()
        ev = Event.get_by_id(row["id"])
        record_audit("event", ev.id, "create", None, {"candidate": ev.candidate_id, "kind": ev.kind,
                                                 "on": ev.on.isoformat(), "data": ev.data})
        refresh_status([ev.candidate_id])
        return int(ev.id)


# ---------------------------------------------------------------- ceremonies


@dataclass(frozen=True)
class CeremonyRow:
    id: int
    organisation_id: int
    organisation_code: str
    on: dt.date
    place: str
    decision_no: str
    decision_date: dt.date | None
    decision_received: dt.date | None
    deadline: dt.date | None
    late: bool
    candidate_ids: tuple[int, ...]
    candidate_names: tuple[str, ...]


def _ceremony_rows(q: peewee.ModelSelect[Ceremony]) -> list[CeremonyRow]:
    from lamha_desktop.domain import rules

    holidays = default_holidays()
    ceremonies = list(q)
    people_of: dict[int, list[tuple[int, str]]] = {c.id: [] for c in ceremonies}
    links = (CeremonyCandidate.select(CeremonyCandidate.ceremony, Candidate.id, Candidate.full_name)
             .join(Candidate).where(CeremonyCandidate.ceremony.in_(list(people_of))).order_by(Candidate.sort_key))
    for ceremony_id, cid, name in raw(database).execute(links).fetchall():
        people_of[ceremony_id].append((cid, name))
    rows = []
    for c in ceremonies:
        start = c.decision_received or c.decision_date
        deadline = rules.ceremony_deadline(start, holidays=holidays) if start else None
        admitted = people_of[c.id]
        rows.append(CeremonyRow(c.id, c.organisation_id, c.organisation.code, c.on, c.place, c.decision_no,
                                c.decision_date, c.decision_received, deadline, bool(deadline and c.on > deadline),
                                tuple(i for i, _ in admitted), tuple(n for _, n in admitted)))
    return rows


def list_ceremonies(*, organisation_id: int | None = None) -> list[CeremonyRow]:
    q = Ceremony.select(Ceremony, Organisation).join(Organisation).order_by(Ceremony.on.desc(), Ceremony.id.desc())
    if organisation_id is not None:
        q = q.where(Ceremony.organisation == organisation_id)
    return _ceremony_rows(q)


def get_ceremony(ceremony_id: int) -> CeremonyRow:
    rows = _ceremony_rows(Ceremony.select(Ceremony, Organisation).join(Organisation).where(Ceremony.id == ceremony_id))
    if not rows:
        raise KeyError(ceremony_id)
    return rows[0]


def ceremony_candidates_available(organisation_id: int,
                                  ceremony_id: int | None = None) -> list[tuple[int, str, bool]]:
    """Candidates of an organisation who may be admitted in a ceremony: not yet in another one, not terminal.

    Each is (id, name, has_decision); those with an admission decision come first."""
    taken = CeremonyCandidate.select(CeremonyCandidate.candidate)
    if ceremony_id is not None:
        taken = taken.where(CeremonyCandidate.ceremony != ceremony_id)
    q = (Candidate.select(Candidate.id, Candidate.full_name, Candidate.stage)
         .where((Candidate.organisation == organisation_id) & Candidate.id.not_in(taken)
                & (Candidate.stage < int(pipeline.Stage.TRANSFERRED)))
         .order_by(Candidate.sort_key))
    rows = [(int(c.id), c.full_name, c.stage >= int(pipeline.Stage.DECISION)) for c in q]
    return sorted(rows, key=lambda r: not r[2])  # stable: name order within each group


def save_ceremony(values: dict[str, Any], candidate_ids: Sequence[int], ceremony_id: int | None = None) -> int:
    problems: list[FieldProblem] = []
    org_id = values.get("organisation_id")
    on = values.get("on")
    ddate, drecv = values.get("decision_date"), values.get("decision_received")
    if org_id is None:
        problems.append(FieldProblem("organisation_id", "candidate.org_required"))
    if on is None:
        problems.append(FieldProblem("on", "date.required"))
    if ddate and drecv and drecv < ddate:
        problems.append(FieldProblem("decision_received", "order.received_before_decision"))
    if on and (drecv or ddate) and on < (drecv or ddate):
        problems.append(FieldProblem("on", "order.ceremony_before_decision"))
    for cid in candidate_ids:
        c = Candidate.get_or_none(Candidate.id == cid)
        if c is None or c.organisation_id != org_id:
            problems.append(FieldProblem("candidates", "ceremony.candidate_other_org"))
            break
    if problems:
        raise ValidationFailed(problems)
    clean = {
        "organisation": org_id, "on": on, "place": people.normalize_text(values.get("place", "")),
        "decision_no": people.normalize_text(values.get("decision_no", "")), "decision_date": ddate,
        "decision_received": drecv, "notes": (values.get("notes") or "").strip(),
    }
    with database.atomic():
        affected: set[int] = set(candidate_ids)
        if ceremony_id is None:
            cer = Ceremony.create(**clean)
            record_audit("ceremony", cer.id, "create", None, plain_fields(cer) | {"candidates": sorted(candidate_ids)})
        else:
            cer = Ceremony.get_by_id(ceremony_id)
            old_ids = [lk.candidate_id for lk in CeremonyCandidate.select().where(CeremonyCandidate.ceremony == cer.id)]
            before = plain_fields(cer) | {"candidates": sorted(old_ids)}
            affected |= set(old_ids)
            for k, v in clean.items():
                setattr(cer, k, v)
            cer.save()
            CeremonyCandidate.delete().where(CeremonyCandidate.ceremony == cer.id).execute()
            after = plain_fields(cer) | {"candidates": sorted(candidate_ids)}
            record_audit("ceremony", cer.id, "update", before, after)
        # A candidate is admitted in one ceremony only: moving them takes them out of any other one.
        CeremonyCandidate.delete().where(CeremonyCandidate.candidate.in_(list(candidate_ids))).execute()
        for cid in candidate_ids:
            CeremonyCandidate.create(ceremony=cer.id, candidate=cid)
        refresh_status(sorted(affected))
        return int(cer.id)


def delete_ceremony(ceremony_id: int) -> None:
    with database.atomic():
        cer = Ceremony.get_by_id(ceremony_id)
        ids = [lk.candidate_id for lk in CeremonyCandidate.select().where(CeremonyCandidate.ceremony == cer.id)]
        record_audit("ceremony", cer.id, "delete", plain_fields(cer) | {"candidates": ids}, None)
        cer.delete_instance()
        refresh_status(ids)


def listed_years() -> list[int]:
    q = (Candidate.select(Candidate.listed_year).where(Candidate.listed_year.is_null(False))
         .distinct().order_by(Candidate.listed_year.desc()))
    return [r[0] for r in tuples(q)]


def pipeline_events_excluding(candidate_id: int, event_id: int | None) -> list[pipeline.Event]:
    """The candidate's events (with their ceremony) without ``event_id``: what a step is checked against."""
    events = events_by_candidate([candidate_id])[candidate_id]
    if event_id is None:
        return events
    skip = Event.get_or_none(Event.id == event_id)
    if skip is None:
        return events
    out, removed = [], False
    for e in events:
        if not removed and e.kind == skip.kind and e.on == skip.on and dict(e.data) == dict(skip.data or {}):
            removed = True
            continue
        out.append(e)
    return out


def age_by_month() -> bool:
    return bool(settings.get("age_by_month"))


def ceremony_of(candidate_id: int) -> int | None:
    link = CeremonyCandidate.get_or_none(CeremonyCandidate.candidate == candidate_id)
    return int(link.ceremony_id) if link else None


# ---------------------------------------------------------------- days off and settings


@dataclass(frozen=True)
class DayOffRow:
    day: dt.date
    working: bool
    note: str


def list_days_off() -> list[DayOffRow]:
    return [DayOffRow(d.day, d.working, d.note) for d in DayOff.select().order_by(DayOff.day)]


def save_settings(values: dict[str, Any], days_off: Sequence[DayOffRow] | None = None) -> None:
    """Store settings (and replace the user's days off) in one transaction; re-derive every candidate's
    deadlines when the age reading or the calendar changed."""
    with database.atomic():
        before = settings.all_settings()
        for key, value in values.items():
            settings.set_value(key, value)
        calendar_changed = False
        if days_off is not None:
            old = list_days_off()
            new = sorted(days_off, key=lambda d: d.day)
            if [(d.day, d.working, d.note) for d in old] != [(d.day, d.working, d.note) for d in new]:
                calendar_changed = True
                DayOff.delete().execute()
                for d in new:
                    DayOff.create(day=d.day, working=d.working, note=d.note)
        changed = {k: (before.get(k), v) for k, v in values.items() if before.get(k) != v}
        if changed:
            record_audit("setting", 0, "update", {k: b for k, (b, _) in changed.items()},
                   {k: a for k, (_, a) in changed.items()})
        if calendar_changed or "age_by_month" in changed:
            refresh_status([c.id for c in Candidate.select(Candidate.id)])

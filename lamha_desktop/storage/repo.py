"""Repositories: one function per user action, each in one transaction, returning plain rows.

The UI never builds queries itself; it calls these functions and refreshes on change.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import getpass
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import peewee

from lamha_desktop.domain import calendar, guide, people, pipeline, rules, validation
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage import dialect, search, settings
from lamha_desktop.storage.db import database, is_server, on_database_change
from lamha_desktop.storage.models import (
    AuditLog,
    Candidate,
    Ceremony,
    CeremonyCandidate,
    DayOff,
    Event,
    MemberCount,
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
    """A field's value refused: the field, the message code and its parameters."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


# ---------------------------------------------------------------- audit


def audit_user() -> str:
    """Who is recorded with a change: on a server the database user (the server checks it, see
    ``migrations.SERVER_PG``), else the operating system's login name."""
    user = getattr(getattr(database, "obj", None), "session_user", "")
    if user:
        return str(user)
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account): still record the change
        return "?"


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
                         "listed_year", "updated_at", "version", "changed_by")
# Bookkeeping of concurrent edits, not data: never in the audit trail.
ORG_AUDIT_SKIP = ("updated_at", "version", "changed_by")
CEREMONY_AUDIT_SKIP = ("updated_at", "version", "changed_by")


def audit_rows(table: str, row_id: int) -> list[AuditLog]:
    return list(AuditLog.select().where((AuditLog.table == table) & (AuditLog.row_id == row_id)).order_by(AuditLog.at))


# ---------------------------------------------------------------- calendar


_holiday_cache: dict[tuple[Any, ...], rules.DaysOff] = {}


_days_off: dict[object, tuple[tuple[dt.date, bool], ...]] = {}


def forget_days_off() -> None:
    """The user's days off changed (or may have): read them again next time."""
    _days_off.clear()


on_database_change(forget_days_off)


def _user_days_off() -> tuple[tuple[dt.date, bool], ...]:
    days = _days_off.get(database.database)
    if days is None:
        days = _days_off[database.database] = tuple((d.day, d.working) for d in DayOff.select().order_by(DayOff.day))
    return days


def holiday_set(years: Iterable[int]) -> rules.DaysOff:
    """Vietnam's days off for ``years`` plus the user's own days off, minus substituted working days (a
    Saturday or Sunday among those counts as a working day: ``rules.DaysOff``)."""
    days = _user_days_off()
    key = (database.database, tuple(years), tuple(days))
    cached = _holiday_cache.get(key)
    if cached is None:
        extra = {d for d, working in days if not working}
        working = frozenset(d for d, working in days if working)
        cached = _holiday_cache[key] = rules.DaysOff((_package_holidays(key[1]) | extra) - working, working)
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
    if not database.is_closed() and not is_server():  # a server's clerks do not write settings in passing
        # A read-only database still works; it just recomputes next time.
        with contextlib.suppress(peewee.OperationalError):
            settings.set_value("holiday_cache", {"stamp": stamp, "days": sorted(d.isoformat() for d in days)})
    return days


def default_holidays() -> rules.DaysOff:
    """The days off of every year a deadline of this application can fall in."""
    year = dt.date.today().year
    return holiday_set(range(2015, year + 4))


# ---------------------------------------------------------------- committees


@dataclass(frozen=True)
class CommitteeRow:
    """An upper committee, with the dates it is in force and the place its documents name."""

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


# ---------------------------------------------------------------- organisations


@dataclass(frozen=True)
class OrgRow:
    """A party organisation as its tab and dialogs show it, with its upper committee and its student count."""

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
    place: str = ""  # the place name of its documents; "" means the upper committee's


ORG_KINDS = tuple(k.value for k in OrgKind)


def _org_row(o: Organisation, count: int = 0) -> OrgRow:
    uc = o.upper_committee
    return OrgRow(o.id, o.uid, o.code, o.school_name, o.name, o.kind, o.official_members, o.secretary,
                  o.annual_target, o.upper_committee_id, uc.name if uc else "", o.active, count, o.place)


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


def organisation_exists(org_id: int) -> bool:
    return bool(Organisation.select().where(Organisation.id == org_id).exists())


def has_organisations() -> bool:
    return bool(Organisation.select().exists())


def get_organisation(org_id: int) -> OrgRow:
    q = (Organisation.select(Organisation, UpperCommittee).join(UpperCommittee, peewee.JOIN.LEFT_OUTER)
         .where(Organisation.id == org_id))
    found = q.first()
    if found is None:
        raise Organisation.DoesNotExist(org_id)
    return _org_row(found)


def organisation_by_code(code: str) -> OrgRow | None:
    o = Organisation.get_or_none(peewee.fn.UPPER(Organisation.code) == code.strip().upper())
    return _org_row(o) if o else None


# ---------------------------------------------------------------- candidates


WINDOW_NONE = "none"  # turns 18 only after graduating (guide.age_window: no window)
WINDOW_SHORT = "short"  # eligible at most guide.SHORT_WINDOW_MONTHS months before graduating


@dataclass(frozen=True)
class CandidateFilter:
    """What the students tab filters by; the default is every student."""

    text: str = ""
    organisation_id: int | None = None
    stage: int | None = None
    year: int | None = None  # year listed in the source
    incomplete: bool = False  # only records that lack a personal ID or an ethnic group ("Thiếu thông tin")
    window: str | None = None  # WINDOW_NONE | WINDOW_SHORT: not yet voted on, by their age window


@dataclass(frozen=True)
class CandidateRow:
    """A row of the students tab: the student's facts, organisation and status on the day."""

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
    missing: tuple[str, ...] = ()  # facts the record lacks (validation.OPTIONAL_FACTS), in form order
    # "Bước tiếp theo", computed the first time it is read (the rows of a page are fetched together; only those
    # painted need it)
    steps_of: Callable[[], tuple[guide.NextStep, ...]] | None = dataclasses.field(default=None, repr=False,
                                                                                  compare=False)

    @property
    def next_steps(self) -> tuple[guide.NextStep, ...]:
        return self.steps_of() if self.steps_of is not None else ()


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
    matching = search.condition(flt.text)
    if matching is not None:
        q = q.where(matching)
    if flt.organisation_id is not None:
        q = q.where(Candidate.organisation == flt.organisation_id)
    if flt.stage is not None:
        q = q.where(Candidate.stage == flt.stage)
    if flt.year is not None:
        q = q.where(Candidate.listed_year == flt.year)
    if flt.incomplete:
        q = q.where(Candidate.personal_id.is_null() | Candidate.ethnic.is_null())
    if flt.window in (WINDOW_NONE, WINDOW_SHORT):
        # The graduation the guide reads from the stored year (31 May), compared as ISO text like the dates.
        month, day = guide.GRADUATION_MONTH_DAY
        graduation = dialect.date_of_year(Candidate.graduation_year, month, day)
        q = q.where((Candidate.stage < int(pipeline.Stage.VOTED)) & Candidate.graduation_year.is_null(False)
                    & Candidate.eligible_from.is_null(False))
        if flt.window == WINDOW_NONE:
            q = q.where(Candidate.eligible_from > graduation)
        else:
            # The first day of the month SHORT_WINDOW_MONTHS - 1 months before the graduation's month.
            years_back, first_month = divmod(month - guide.SHORT_WINDOW_MONTHS, 12)
            opens = dialect.date_of_year(Candidate.graduation_year + years_back, first_month + 1, 1)
            q = q.where((Candidate.eligible_from <= graduation) & (Candidate.eligible_from >= opens))
    return q


class AnchorGone(LookupError):
    """The candidate a page of ids was to follow is no longer there (deleted meanwhile)."""


def candidate_ids(flt: CandidateFilter = CandidateFilter(), *, sort: str = "name",
                  descending: bool = False, limit: int | None = None, after: int | None = None) -> list[int]:
    """Ids of the candidates matching ``flt``, in display order; filtering and sorting run in the database.

    ``limit``: only the first rows (the table's first page, found without sorting everything when the order
    has an index, as the name order has). ``after``: in the name order only, the rows that follow this
    candidate's (keyset paging: each page is one short query on the name index, however far down it is, and
    no cursor stays open between pages); ``AnchorGone`` when that candidate was deleted meanwhile."""
    col = SORT_COLUMNS.get(sort, Candidate.sort_key)
    order = [col.desc() if descending else col.asc()]
    if sort != "name":
        order.append(Candidate.sort_key.asc())
    order.append(Candidate.id.desc() if descending and sort == "name" else Candidate.id.asc())
    q = _filtered(flt, with_organisation=sort == "organisation").order_by(*order)
    if after is not None:
        if sort != "name":
            raise ValueError("keyset paging follows the name order only")
        found = raw(database).execute(Candidate.select(Candidate.sort_key).where(Candidate.id == after)).fetchone()
        if found is None:
            raise AnchorGone(after)
        anchor = peewee.Tuple(found[0], after)
        keys = peewee.Tuple(Candidate.sort_key, Candidate.id)
        q = q.where(keys < anchor if descending else keys > anchor)
    if limit is not None:
        q = q.limit(limit)
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


_EVENTS_SQL = ('SELECT "candidate_id", "kind", "on", "data" FROM "event" WHERE "candidate_id" IN ({marks}) '
               'ORDER BY "on", "id"')
_LINKS_SQL = ('SELECT cc."candidate_id", c."id", c."on" FROM "ceremony_candidate" cc '
              'JOIN "ceremony" c ON c."id" = cc."ceremony_id" WHERE cc."candidate_id" IN ({marks})')


def _marks(n: int) -> str:
    return ", ".join([database.param] * n)


def events_by_candidate(ids: Sequence[int]) -> dict[int, list[pipeline.Event]]:
    """Each candidate's events, with the ceremony they are linked to as a "ceremony" event (a ceremony's own
    decision number is never taken as the candidate's decision). Plain SQL over raw rows: this runs for every
    page of the table and in every operation."""
    out: dict[int, list[pipeline.Event]] = {int(i): [] for i in ids}
    db = raw(database)
    for chunk_start in range(0, len(ids), 500):
        chunk = [int(i) for i in ids[chunk_start:chunk_start + 500]]
        marks = _marks(len(chunk))
        for cid, kind, on, data in db.execute_sql(_EVENTS_SQL.format(marks=marks), chunk).fetchall():
            out[cid].append(pipeline.Event(kind, _day_not_null(on), json.loads(data) if data else {}))
        for cid, cer_id, on in db.execute_sql(_LINKS_SQL.format(marks=marks), chunk).fetchall():
            out[cid].append(pipeline.Event(pipeline.EventKind.CEREMONY, _day_not_null(on), {"ceremony_id": cer_id}))
    for evs in out.values():
        evs.sort(key=lambda e: e.on)
    return out


def status_of(birth: dt.date, org_kind: str, events: Sequence[pipeline.Event], holidays: frozenset[dt.date],
              today: dt.date, by_month: bool) -> pipeline.Status:
    """``pipeline.compute_status`` for a candidate of an organisation of kind ``org_kind``."""
    return pipeline.compute_status(birth=birth, events=events, holidays=holidays, today=today, by_month=by_month,
                                   party_committee=OrgKind.of(org_kind).party_committee)


def _next_steps(birth: dt.date, events: Sequence[pipeline.Event], holidays: frozenset[dt.date], today: dt.date,
                by_month: bool, party_committee: bool, members: int | None,
                graduation_year: int | None, missing: tuple[str, ...] = ()) -> tuple[guide.NextStep, ...]:
    return tuple(guide.next_steps(
        birth=birth, events=events, holidays=holidays, today=today, by_month=by_month,
        party_committee=party_committee, official_members=members,
        graduation=guide.graduation_date(graduation_year) if graduation_year else None, missing_facts=missing))


def candidate_rows(ids: Sequence[int], *, today: dt.date | None = None,
                   with_next: bool = True) -> dict[int, CandidateRow]:
    """Full rows for ``ids`` (a page of the table), with the status computed live for ``today``, and with
    ``with_next`` the steps still to do ("Bước tiếp theo", ``guide.next_steps``, computed when first read; the
    official members are the organisation's current count)."""
    today = today or dt.date.today()
    holidays = default_holidays()
    by_month = bool(settings.get("age_by_month"))
    events = events_by_candidate(ids)
    out: dict[int, CandidateRow] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start:chunk_start + 500])
        q = (Candidate.select(Candidate.id, Candidate.full_name, Candidate.gender, Candidate.birth, Candidate.ethnic,
                              Candidate.religion, Candidate.personal_id, Candidate.class_name,
                              Candidate.organisation, Organisation.code, Organisation.kind,
                              Candidate.graduation_year, Organisation.official_members)
             .join(Organisation).where(Candidate.id.in_(chunk)))
        for cid, name, gender, birth, ethnic, religion, pid, class_name, org_id, code, kind, grad, members in (
                raw(database).execute(q).fetchall()):
            born = as_day(birth)
            assert born is not None
            missing = validation.missing_facts(personal_id=pid, ethnic=ethnic)
            steps_of = (functools.cache(functools.partial(
                _next_steps, born, events[cid], holidays, today, by_month, OrgKind.of(kind).party_committee,
                members, grad, missing)) if with_next else None)
            out[cid] = CandidateRow(cid, name, gender, born, ethnic or "", religion, pid or "", class_name, org_id,
                                    code, status_of(born, kind, events[cid], holidays, today, by_month), missing,
                                    steps_of)
    return out


def candidate_exists(candidate_id: int) -> bool:
    return bool(Candidate.select().where(Candidate.id == candidate_id).exists())


def get_candidate(candidate_id: int) -> dict[str, Any]:
    """The candidate's fields; an unknown personal ID or ethnic group reads "" (``missing`` names them)."""
    c = Candidate.get_by_id(candidate_id)
    return plain_fields(c) | {"birth": c.birth, "union_since": c.union_since, "organisation_id": c.organisation_id,
                              "personal_id": c.personal_id or "", "ethnic": c.ethnic or "",
                              "missing": validation.missing_facts(personal_id=c.personal_id, ethnic=c.ethnic)}


def missing_facts_of(candidate_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The facts each candidate's record lacks (``validation.missing_facts``); candidates lacking none are
    left out."""
    out: dict[int, tuple[str, ...]] = {}
    ids = [int(i) for i in candidate_ids]
    for start in range(0, len(ids), 500):
        q = (Candidate.select(Candidate.id, Candidate.personal_id, Candidate.ethnic)
             .where(Candidate.id.in_(ids[start:start + 500])
                    & (Candidate.personal_id.is_null() | Candidate.ethnic.is_null())))
        for cid, pid, ethnic in tuples(q):
            out[int(cid)] = validation.missing_facts(personal_id=pid, ethnic=ethnic)
    return out


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
    pid = str(values.get("personal_id") or "").replace(" ", "")
    issues: list[validation.FieldIssue | FieldProblem] = list(validation.validate_candidate(
        full_name=full_name, gender=values.get("gender", ""), birth=values.get("birth"), personal_id=pid,
        ethnic=str(values.get("ethnic") or ""), religion=str(values.get("religion", "")), today=today,
        existing_ids=lambda p: personal_id_taken(p, exclude_id=candidate_id), complete=False))
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


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class EventRow:
    """A recorded step of a candidate, as the dossier lists it."""

    id: int | None
    kind: str
    on: dt.date
    data: dict[str, Any]


def list_events(candidate_id: int) -> list[EventRow]:
    return [EventRow(e.id, e.kind, e.on, dict(e.data or {}))
            for e in Event.select().where(Event.candidate == candidate_id).order_by(Event.on, Event.id)]


def pipeline_events(candidate_id: int) -> list[pipeline.Event]:
    return events_by_candidate([candidate_id])[candidate_id]


# ---------------------------------------------------------------- ceremonies


@dataclass(frozen=True)
class CeremonyRow:
    """A ceremony as its tab shows it: the decision, its deadline, and the students admitted."""

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


# The distinct years, newest first, one index seek per year (a loose index scan): DISTINCT read the whole index,
# 9 ms at 100,000 students, at every start (the students tab's year filter); this takes well under a millisecond.
_LISTED_YEARS_SQL = (
    'WITH RECURSIVE y(v) AS (SELECT MAX("listed_year") FROM "candidate" '
    'UNION ALL SELECT (SELECT MAX("listed_year") FROM "candidate" WHERE "listed_year" < y.v) FROM y '
    'WHERE y.v IS NOT NULL) SELECT v FROM y WHERE v IS NOT NULL')


def listed_years() -> list[int]:
    """The years students were listed in, newest first."""
    return [int(r[0]) for r in raw(database).execute_sql(_LISTED_YEARS_SQL).fetchall()]


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
    """A day that differs from the calendar: a holiday, or a weekend day worked."""

    day: dt.date
    working: bool
    note: str


def list_days_off() -> list[DayOffRow]:
    return [DayOffRow(d.day, d.working, d.note) for d in DayOff.select().order_by(DayOff.day)]




# ---------------------------------------------------------------- official members by date


@dataclass(frozen=True)
class MemberCountRow:
    """A dated record of an organisation's official members, with who recorded it and why."""

    id: int
    organisation_id: int
    valid_from: dt.date | None
    count: int
    reason: str
    user: str
    at: dt.datetime


def member_counts(organisation_id: int) -> list[MemberCountRow]:
    """The organisation's dated records of official members, oldest first (an undated one is the first)."""
    q = (MemberCount.select().where(MemberCount.organisation == organisation_id)
         .order_by(MemberCount.valid_from.asc(nulls="first"), MemberCount.id))
    return [MemberCountRow(m.id, m.organisation_id, m.valid_from, m.count, m.reason, m.user, m.at) for m in q]


def members_function(organisation_id: int) -> Callable[[dt.date], int | None]:
    """A function of a date giving the organisation's official members on it (the record in force then).

    Before every dated record the undated one applies, or, without one, the oldest record; an organisation
    with no record at all falls back to its ``official_members``."""
    rows = member_counts(organisation_id)
    if not rows:
        org = Organisation.get_or_none(Organisation.id == organisation_id)
        fallback = int(org.official_members) if org is not None else None
        return lambda _day: fallback

    def on(day: dt.date) -> int | None:
        current = rows[0].count
        for r in rows:
            if r.valid_from is None or r.valid_from <= day:
                current = r.count
            else:
                break
        return current

    return on


def members_on(organisation_id: int, day: dt.date) -> int | None:
    return members_function(organisation_id)(day)

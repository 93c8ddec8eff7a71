"""Queries for the "Việc cần làm" view and the yearly targets.

Each due item carries the student's "Bước tiếp theo" (``guide.next_steps``), so the list says what to do and
opens the right dialog; besides the items of ``domain/due.py`` it lists ``vote_by_graduation``: a student old
enough before graduating, not yet voted on, whose graduation (the last day of the vote) falls within the
months ahead.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

import peewee

from lamha_desktop.domain import due, guide, pipeline, rules
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage import db, dialect, repo, settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import Candidate, Event, Organisation
from lamha_desktop.storage.typed_peewee import raw, tuples

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueRow:
    """A line of the due list: the student, what is due when, and the steps still to do."""

    candidate_id: int
    full_name: str
    organisation_code: str
    class_name: str
    stage: int
    kind: str
    due: dt.date
    overdue: bool
    next_steps: tuple[guide.NextStep, ...] = ()


STEP_INDEX = "event_kind_on"


def ensure_step_index() -> bool:
    """Make the steps' index by kind and date (``event (kind, on)``) on a database that may be written; whether
    it is there.

    The overdue count shown at every start looks for the awareness certificates about to expire
    (``kind = 'class' AND on <= ?``): without the index, a scan of every step of the file, twice in that
    query's plan (12 ms at 100,000 steps). Like the search index it is derived, not part of the schema: a
    file read from a read-only folder, or a server whose clerk may not create it, is queried as it is, by the
    scan, and an older file needs no migration for it. Made once (110 ms at 100,000 steps), then kept by SQL
    itself."""
    con = raw(database)
    if db.is_server():
        present = con.execute_sql("SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() "
                                  "AND indexname = %s", (STEP_INDEX,)).fetchone()
    else:
        present = con.execute_sql("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                                  (STEP_INDEX,)).fetchone()
    if present is not None:
        return True
    if database.read_only:
        return False
    try:
        with database.atomic():
            con.execute_sql(f'CREATE INDEX IF NOT EXISTS "{STEP_INDEX}" ON "event" ("kind", "on")')
    except peewee.DatabaseError as exc:  # read-only, or not this role's to create: the scan does the work
        log.info("no index of the steps by kind (%s)", str(exc).splitlines()[0] if str(exc) else exc)
        return False
    return True


def list_due(today: dt.date, *, months_ahead: int = 3, organisation_id: int | None = None,
             overdue_only: bool = False) -> list[DueRow]:
    """Every due item on ``today``, overdue first, then by date. SQL narrows the candidates, the domain decides.

    ``overdue_only`` leaves out the candidates who can only have notices (turning 18), which is most of them:
    the count shown at start-up needs only the overdue items."""
    horizon = rules.add_months(today, months_ahead)
    cert_cutoff = rules.add_months(rules.add_months(today, due.CERTIFICATE_NOTICE_MONTHS), -60)
    certificate_holders = Event.select(Event.candidate).where((Event.kind == pipeline.EventKind.CLASS)
                                                              & (Event.on <= cert_cutoff))
    graduation = dialect.date_of_year(Candidate.graduation_year, *due.GRADUATION_MONTH_DAY)
    may_be_due = (Candidate.stage >= int(pipeline.Stage.VOTED)) | Candidate.id.in_(certificate_holders)
    if not overdue_only:
        graduating = (Candidate.graduation_year.is_null(False) & (Candidate.stage < int(pipeline.Stage.VOTED))
                      & (graduation >= today.isoformat()) & (graduation <= horizon.isoformat()))
        may_be_due = (may_be_due | Candidate.eligible_from.between(today, horizon)
                      | (Candidate.graduation_year.is_null(False) & (Candidate.eligible_from > graduation))
                      | graduating)
    q = (Candidate.select(Candidate.id, Candidate.full_name, Candidate.birth, Candidate.graduation_year,
                          Candidate.class_name, Candidate.stage, Organisation.code, Organisation.kind)
         .join(Organisation)
         .where((Candidate.stage < int(pipeline.Stage.TRANSFERRED)) & (Organisation.active == True)  # noqa: E712
                & may_be_due))
    if organisation_id is not None:
        q = q.where(Candidate.organisation == organisation_id)
    rows = raw(database).execute(q).fetchall()
    if not rows:  # (nothing to count working days for: the days off are not read, a new file's first start)
        return []
    events = repo.events_by_candidate([r[0] for r in rows])
    holidays = repo.default_holidays()
    by_month = bool(settings.get("age_by_month"))
    out: list[DueRow] = []
    members: dict[str, int | None] = {}
    for cid, name, birth, grad, class_name, stage, code, kind in rows:
        born = repo.as_day(birth)
        party_committee = OrgKind.of(kind).party_committee
        found: list[DueRow] = []
        for item in due.due_items(birth=born, graduation_year=grad, events=events[cid],
                                  holidays=holidays, today=today, months_ahead=months_ahead, by_month=by_month,
                                  party_committee=party_committee):
            if item.overdue or not overdue_only:
                found.append(DueRow(cid, name, code, class_name, stage, item.kind, item.due, item.overdue))
        if overdue_only:
            out += found
            continue
        if code not in members:
            org = repo.organisation_by_code(code)
            members[code] = repo.members_on(org.id, today) if org is not None else None
        steps = tuple(guide.next_steps(birth=born, events=events[cid], holidays=holidays, today=today,
                                       by_month=by_month, party_committee=party_committee,
                                       official_members=members[code],
                                       graduation=guide.graduation_date(grad) if grad else None))
        vote = next((st for st in steps if st.kind == pipeline.EventKind.VOTE), None)
        if (vote is not None and vote.latest is not None and vote.latest.why == "graduation"
                and today <= vote.latest.on <= horizon):
            found.append(DueRow(cid, name, code, class_name, stage, "vote_by_graduation", vote.latest.on, False))
        out += [replace(r, next_steps=steps) for r in found]
    out.sort(key=lambda r: (not r.overdue, r.due, r.full_name))
    return out


@dataclass(frozen=True)
class TargetRow:
    """An organisation's yearly admission target against the students admitted in that year."""

    organisation_id: int
    code: str
    school_name: str
    target: int
    admitted: int

    @property
    def met(self) -> bool:
        return self.admitted >= self.target


def targets(year: int) -> list[TargetRow]:
    """Each active organisation's target for ``year`` against the students admitted (by ceremony date)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    admitted: dict[int, int] = dict(tuples(
        Candidate.select(Candidate.organisation, peewee.fn.COUNT(Candidate.id))
        .where(Candidate.admitted_on.between(start, end)).group_by(Candidate.organisation)))
    return [TargetRow(o.id, o.code, o.school_name, o.annual_target, int(admitted.get(o.id, 0)))
            for o in repo.list_organisations(include_inactive=False)]

"""Importing a school's past admissions (``import-history``): each row becomes its steps, through the rules.

A row names a student and the dates of their steps (``readers.history.COLUMNS``); an empty cell means "not
yet". For each row, in one savepoint of one transaction:

1. the student is found by personal ID in the organisation (or created, checked like a typed one; an ID of
   another organisation refuses the row);
2. each step of the row is recorded unless the same step (kind and date) is there already: the awareness
   class, the chi bộ vote (its dossier is kept in the school's archive, which the vote says; a number of
   official members other than the organisation's record on that date is kept as a correction naming the file
   and the row), the decision, the ceremony (one ceremony per organisation and date, shared by the rows that
   name it) and the recognition;
3. the student's whole history must then obey the rules (``domain.invariants``: steps in order, age 18 by
   month on the vote date, 2/3 of the official members, a decision of their own before the ceremony, nothing
   after today). A row that breaks any is refused whole, with every reason; the others land.

Re-importing the same file changes nothing. ``dry_run`` does the same and rolls everything back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lamha_desktop.domain import invariants, people, pipeline, rules, validation
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.operations.core import OpChanges, Problem, Refused, operation, writing
from lamha_desktop.readers.history import HistoryRow
from lamha_desktop.storage import repo, settings, writers
from lamha_desktop.storage.models import Candidate, Ceremony, CeremonyCandidate, Event

__all__ = ["HistoryResult", "RowOutcome", "import_history"]

K = pipeline.EventKind
NEW, UPDATED, UNCHANGED, REFUSED = "new", "updated", "unchanged", "refused"


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: ``status`` new / updated (steps added) / unchanged / refused, with reasons."""

    sheet: str
    row: int
    name: str
    status: str
    reasons: tuple[Problem, ...] = ()
    steps_added: int = 0


@dataclass
class HistoryResult:
    rows: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == REFUSED]


class _RowRefused(Exception):
    def __init__(self, reasons: Sequence[Problem]) -> None:
        super().__init__([r.code for r in reasons])
        self.reasons = tuple(reasons)


class _DryRun(Exception):
    """Rolls back a dry run after everything was checked."""


def _cell_problems(row: HistoryRow) -> list[Problem]:
    return [Problem(p.code, dict(p.params) | {"cell": f"{p.column}{p.row}"}, field=str(p.params.get("field", "")))
            for p in row.problems]


def _candidate_values(row: HistoryRow, org_id: int) -> dict[str, Any]:
    v = row.values
    gender = people.search_key(str(v.get("gender", "")))  # "Nam", "Nữ", "NỮ" -> "nam", "nu"
    return {"organisation_id": org_id, "full_name": v.get("full_name", ""), "gender": gender,
            "birth": v.get("birth"), "ethnic": v.get("ethnic", ""), "religion": "",
            "personal_id": v.get("personal_id", ""), "class_name": v.get("class_name", "")}


def _steps_of(row: HistoryRow, *, source: str, members_on: Any, org_kind: OrgKind) -> list[tuple[str, dt.date,
                                                                                                   dict[str, Any]]]:
    """The steps the row names, in procedure order (kind, date, data)."""
    v = row.values
    out: list[tuple[str, dt.date, dict[str, Any]]] = []
    if "certificate_on" in v:
        out.append((K.CLASS, v["certificate_on"], {"cert_no": v.get("certificate_no", ""), "from_history": source}))
    if "vote_on" in v:
        on = v["vote_on"]
        data: dict[str, Any] = {"dossier_archived": source}
        members = v.get("members")
        official = members_on(on)
        if members is None:
            members = official
        if "agree" in v:
            data["agree"] = v["agree"]
        if members is not None:
            data["members"] = members
            if official is not None and members != official:
                data["members_reason"] = f"Theo hồ sơ lưu trữ ({source}, dòng {row.row})"
        try:
            data["passed"] = rules.vote_passes(int(data.get("agree", 0)), int(data.get("members", 0)))
        except (TypeError, ValueError):
            data["passed"] = False
        data["disagree"] = 0
        out.append((K.VOTE, on, data))
    if "decision_on" in v:
        data = {"number": v.get("decision_no", ""), "party_committee": org_kind.party_committee}
        if "received_on" in v:
            data["received"] = v["received_on"].isoformat()
        out.append((K.DECISION, v["decision_on"], data))
    if "ceremony_on" in v:
        out.append((K.CEREMONY, v["ceremony_on"], {}))
    if "recognition_on" in v:
        out.append((K.RECOGNITION, v["recognition_on"], {"from_history": source}))
    return out


def _ceremony(org_id: int, on: dt.date, row: HistoryRow) -> int:
    """The organisation's ceremony of that day (one for every row that names it)."""
    found = Ceremony.get_or_none((Ceremony.organisation == org_id) & (Ceremony.on == on))
    if found is not None:
        return int(found.id)
    cer = Ceremony.create(organisation=org_id, on=on, decision_no=row.values.get("decision_no", ""),
                          decision_date=row.values.get("decision_on"), decision_received=row.values.get("received_on"),
                          notes="Nhập từ lịch sử kết nạp")
    writers.record_audit("ceremony", cer.id, "create", None, writers.plain_fields(cer))
    return int(cer.id)


def _import_row(row: HistoryRow, org: repo.OrgRow, *, source: str, today: dt.date) -> RowOutcome:
    reasons = _cell_problems(row)
    values = _candidate_values(row, org.id)
    pid = validation.normalize_pid(str(values["personal_id"]))
    existing = Candidate.get_or_none(Candidate.personal_id == pid) if pid else None
    if existing is not None and existing.organisation_id != org.id:
        reasons.append(Problem("import.pid_other_org", {"pid": pid, "name": existing.full_name,
                                                        "org": repo.get_organisation(existing.organisation_id).code}))
    if existing is None:
        reasons += [Problem.of(p) for p in repo.candidate_problems(values, None, today=today)]
    if reasons:
        raise _RowRefused(reasons)
    created = existing is None
    cid = writers.save_candidate(values, None, today=today) if created else int(existing.id)
    kind = OrgKind.of(org.kind)
    members_on = repo.members_function(org.id)
    have = {(e.kind, e.on) for e in Event.select(Event.kind, Event.on).where(Event.candidate == cid)}
    birth = repo.as_day(Candidate.get_by_id(cid).birth)
    holidays, by_month = repo.default_holidays(), bool(settings.get("age_by_month"))
    added = 0
    for step, on, data in _steps_of(row, source=source, members_on=members_on, org_kind=kind):
        if (step, on) in have:
            continue
        if step == K.CEREMONY:
            if CeremonyCandidate.get_or_none(CeremonyCandidate.candidate == cid) is None:
                writers.link_ceremony(_ceremony(org.id, on, row), cid)
                added += 1
            continue
        found = pipeline.check_step(
            pipeline.Event(step, on, data), birth=birth, events=repo.pipeline_events(cid), holidays=holidays,
            by_month=by_month, party_committee=kind.party_committee,
            official_members=members_on(on) if step == K.VOTE else None, today=today)
        errors = [Problem.of(i) for i in found if i.severity == "error"]
        if errors:
            raise _RowRefused(errors)
        warnings = sorted({i.code for i in found if i.severity == "warning"})
        if warnings:  # accepted by the import, as a clerk would on recording the row
            data["warnings"] = warnings
            data["accepted"] = {"by": repo.audit_user(), "at": dt.datetime.now().isoformat(timespec="seconds"),
                                "source": source}
        writers.add_event(cid, step, on, data)
        added += 1
    broken = invariants.history_problems(
        birth=birth, events=repo.events_by_candidate([cid])[cid], holidays=holidays, today=today,
        by_month=by_month, party_committee=kind.party_committee, members_on=members_on)
    if broken:
        raise _RowRefused([Problem(v.issue.code, dict(v.issue.params) | {"step": v.event.kind, "step_on": v.event.on})
                           for v in broken])
    status = NEW if created else (UPDATED if added else UNCHANGED)
    return RowOutcome(row.sheet, row.row, row.name, status, steps_added=added)


@operation
def import_history(rows: Sequence[HistoryRow], organisation_id: int, *, source: str, dry_run: bool = False,
                   today: dt.date | None = None) -> OpChanges:
    """Import the rows into ``organisation_id``; ``OpChanges.result`` is a :class:`HistoryResult`.

    ``source`` names the file (kept with each vote whose dossier is in the archive). Refused rows change
    nothing; with ``dry_run`` nothing at all is written."""
    today = today or dt.date.today()
    org = repo.get_organisation(organisation_id) if repo.organisation_exists(organisation_id) else None
    if org is None:
        raise Refused([Problem("candidate.org_required", field="organisation_id")])
    result = HistoryResult(dry_run=dry_run)
    touched: set[int] = set()
    try:
        with writing(today=today, purpose="import-history") as tx:
            for row in rows:
                try:
                    with writing(today=today, purpose="import-history"):  # a savepoint per row
                        outcome = _import_row(row, org, source=source, today=today)
                except _RowRefused as exc:
                    result.rows.append(RowOutcome(row.sheet, row.row, row.name, REFUSED, exc.reasons))
                    continue
                result.rows.append(outcome)
                if outcome.status != UNCHANGED:
                    pid = validation.normalize_pid(str(row.values.get("personal_id", "")))
                    touched.add(int(Candidate.get(Candidate.personal_id == pid).id))
            tx.touch(*touched)
            writers.record_audit("import_history", 0, "create", None, {
                "source": source, "organisation": org.code, "new": result.count(NEW),
                "updated": result.count(UPDATED), "refused": result.count(REFUSED)})
            if dry_run:
                raise _DryRun()
    except _DryRun:
        return OpChanges("import.history", result=result)
    return OpChanges("import.history", candidates=frozenset(touched), ceremonies=bool(touched), result=result)


def outcome_counts(result: HistoryResult) -> Mapping[str, int]:
    return {s: result.count(s) for s in (NEW, UPDATED, UNCHANGED, REFUSED)}

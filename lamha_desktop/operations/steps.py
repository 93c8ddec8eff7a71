"""Recording, correcting and deleting one dated step of a candidate's pipeline.

Each function checks the step with :func:`domain.pipeline.check_step` against the candidate's other steps (the
official members of the organisation on the vote date, nothing after today), then writes through
:func:`core.writing`, which judges the candidate's whole history after the change. What the operation stores is
computed here, not taken from the caller: a vote's "passed", the organisation's kind with a decision, the
warnings the user accepted with who accepted them and when.

Deleting a step that later steps depend on is refused with the list of those steps
(``step.has_dependents``); with ``cascade=True`` they go too, and the undo snapshot holds them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lamha_desktop.domain import invariants, pipeline, rules
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.operations.core import NeedsConfirmation, OpChanges, Problem, Refused, writing
from lamha_desktop.storage import repo, settings, writers
from lamha_desktop.storage.models import Candidate, CeremonyCandidate, Event

__all__ = ["StepsSnapshot", "check", "delete", "dependents", "edit", "record", "record_many", "restore"]

K = pipeline.EventKind


def _candidate(candidate_id: int) -> tuple[dict[str, Any], repo.OrgRow]:
    try:
        c = repo.get_candidate(candidate_id)
    except Candidate.DoesNotExist as exc:
        raise Refused([Problem("candidate.missing", {"id": candidate_id})]) from exc
    return c, repo.get_organisation(c["organisation_id"])


def _prepare(kind: str, on: dt.date, data: Mapping[str, Any], org: repo.OrgRow) -> dict[str, Any]:
    """The data to store: the caller's, with what the rules compute put in by the operation."""
    clean = {k: v for k, v in data.items() if v not in (None, "") and k not in ("warnings", "accepted")}
    kind_of_org = OrgKind.of(org.kind)
    if kind == K.VOTE:
        members = repo.members_on(org.id, on)
        if "members" not in clean and members is not None:
            clean["members"] = members
        try:
            clean["passed"] = rules.vote_passes(int(clean.get("agree", 0)), int(clean.get("members", 0)))
        except (TypeError, ValueError):
            clean["passed"] = False
    elif kind == K.DANG_UY:
        try:
            members, agree = int(clean.get("members", 0)), int(clean.get("agree", 0))
        except (TypeError, ValueError):
            members, agree = 0, 0
        clean["passed"] = members > 0 and agree * 2 > members
    elif kind == K.DECISION:
        clean["party_committee"] = kind_of_org.party_committee
    elif kind == K.DOSSIER and clean.get("item") != "gioi_thieu":
        for name in ("member", "together_since", "replacement"):
            clean.pop(name, None)
    return clean


def check(candidate_id: int, kind: str, on: dt.date, data: Mapping[str, Any], *, event_id: int | None = None,
          today: dt.date | None = None,
          loaded: tuple[dict[str, Any], repo.OrgRow] | None = None) -> list[pipeline.Issue]:
    """What recording (or, with ``event_id``, correcting) the step would meet: errors and warnings. Reads only."""
    c, org = loaded or _candidate(candidate_id)
    clean = _prepare(kind, on, data, org)
    others = repo.pipeline_events_excluding(candidate_id, event_id)
    return pipeline.check_step(
        pipeline.Event(kind, on, clean), birth=c["birth"], events=others, holidays=repo.default_holidays(),
        by_month=bool(settings.get("age_by_month")), party_committee=OrgKind.of(org.kind).party_committee,
        official_members=repo.members_on(org.id, on) if kind == K.VOTE else None,
        today=today or dt.date.today(), missing_facts=c["missing"])


def _judge(candidate_id: int, kind: str, on: dt.date, data: dict[str, Any], accept: Sequence[str],
           event_id: int | None, today: dt.date) -> dict[str, Any]:
    c, org = _candidate(candidate_id)
    if kind not in pipeline.EventKind.ALL or kind == K.CEREMONY:
        raise Refused([Problem("step.unknown_kind", {"kind": kind})])
    clean = _prepare(kind, on, data, org)
    found = check(candidate_id, kind, on, clean, event_id=event_id, today=today, loaded=(c, org))
    name = c["full_name"]
    errors = [Problem.of(i, candidate_id=candidate_id, candidate_name=name) for i in found if i.severity == "error"]
    if errors:
        raise Refused(errors)
    warnings = [Problem.of(i, candidate_id=candidate_id, candidate_name=name)
                for i in found if i.severity == "warning"]
    codes = sorted({w.code for w in warnings})
    if [c for c in codes if c not in accept]:
        raise NeedsConfirmation(warnings)
    _mark_accepted(clean, codes)
    return clean


def _mark_accepted(clean: dict[str, Any], codes: Sequence[str]) -> None:
    """Keep the warnings the user accepted with the step, with who accepted them and when."""
    if codes:
        clean["warnings"] = list(codes)
        clean["accepted"] = {"by": repo.audit_user(), "at": dt.datetime.now().isoformat(timespec="seconds")}


def record_many(candidate_id: int, entries: Sequence[tuple[str, dt.date, Mapping[str, Any]]], *,
                accept: Sequence[str] = (), today: dt.date | None = None) -> OpChanges:
    """Record several steps at once (the papers of a dossier, typed in one form): all of them or none.

    Each step is judged like :func:`record` against the candidate's steps and the ones of ``entries`` dated
    before it (by date, then in procedure order); the errors of every step refuse the whole (each problem's
    ``field`` is the dossier item, or the kind, it belongs to). ``OpChanges.result`` lists the new event ids."""
    today = today or dt.date.today()
    c, org = _candidate(candidate_id)
    name = c["full_name"]
    order = sorted(range(len(entries)), key=lambda i: (entries[i][1], invariants.KIND_RANK.get(entries[i][0], 99), i))
    prior = repo.pipeline_events(candidate_id)
    holidays = repo.default_holidays()
    by_month = bool(settings.get("age_by_month"))
    party_committee = OrgKind.of(org.kind).party_committee
    prepared: list[tuple[str, dt.date, dict[str, Any], list[str]]] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for i in order:
        kind, on, data = entries[i]
        if kind not in pipeline.EventKind.ALL or kind == K.CEREMONY:
            raise Refused([Problem("step.unknown_kind", {"kind": kind})])
        clean = _prepare(kind, on, dict(data), org)
        where = str(clean.get("item") or kind)
        found = pipeline.check_step(
            pipeline.Event(kind, on, clean), birth=c["birth"], events=prior, holidays=holidays, by_month=by_month,
            party_committee=party_committee, official_members=repo.members_on(org.id, on) if kind == K.VOTE else None,
            today=today, missing_facts=c["missing"])
        for issue in found:
            problem = Problem.of(issue, candidate_id=candidate_id, candidate_name=name, field_name=where)
            (errors if issue.severity == "error" else warnings).append(problem)
        prepared.append((kind, on, clean, sorted({i.code for i in found if i.severity == "warning"})))
        prior = [*prior, pipeline.Event(kind, on, clean)]
    if errors:
        raise Refused(errors)
    if [w for w in warnings if w.code not in accept]:
        raise NeedsConfirmation(warnings)
    created: list[int] = []
    with writing(today=today) as tx:
        for kind, on, clean, codes in prepared:
            _mark_accepted(clean, codes)
            created.append(writers.add_event(candidate_id, kind, on, clean))
        tx.touch(candidate_id)
    return OpChanges("step.record_many", candidates=frozenset({candidate_id}),
                     created_id=created[-1] if created else None, result=created)


def record(candidate_id: int, kind: str, on: dt.date, data: Mapping[str, Any] | None = None, *,
           accept: Sequence[str] = (), today: dt.date | None = None) -> OpChanges:
    """Record a new step. Refused on an error; NeedsConfirmation for warnings not in ``accept``."""
    today = today or dt.date.today()
    clean = _judge(candidate_id, kind, on, dict(data or {}), accept, None, today)
    with writing(today=today) as tx:
        event_id = writers.add_event(candidate_id, kind, on, clean)
        tx.touch(candidate_id)
    return OpChanges("step.record", candidates=frozenset({candidate_id}), created_id=event_id)


def edit(event_id: int, on: dt.date, data: Mapping[str, Any], *, accept: Sequence[str] = (),
         today: dt.date | None = None) -> OpChanges:
    """Correct a recorded step (its date and data); the whole history must stay lawful."""
    today = today or dt.date.today()
    ev = Event.get_or_none(Event.id == event_id)
    if ev is None:
        raise Refused([Problem("step.missing", {"id": event_id})])
    candidate_id = int(ev.candidate_id)
    clean = _judge(candidate_id, ev.kind, on, dict(data), accept, event_id, today)
    with writing(today=today) as tx:
        writers.update_event(event_id, on, clean)
        tx.touch(candidate_id)
    return OpChanges("step.edit", candidates=frozenset({candidate_id}))


@dataclass(frozen=True)
class StepsSnapshot:
    """Deleted steps (and a ceremony link a cascade took), for undo."""

    rows: tuple[dict[str, Any], ...]
    ceremony: tuple[int, int] | None = None  # (ceremony id, candidate id)


def dependents(event_id: int, *, today: dt.date | None = None) -> list[repo.EventRow]:
    """The candidate's other steps that would break if ``event_id`` went (what a cascade deletes too).

    A ceremony among them is returned as an EventRow with id None (the link to the ceremony)."""
    today = today or dt.date.today()
    ev = Event.get_or_none(Event.id == event_id)
    if ev is None:
        return []
    candidate_id = int(ev.candidate_id)
    rows = repo.list_events(candidate_id)
    ceremony = next((e for e in repo.pipeline_events(candidate_id) if e.kind == K.CEREMONY), None)
    remaining: list[tuple[repo.EventRow, pipeline.Event]] = [
        (r, pipeline.Event(r.kind, r.on, r.data)) for r in rows if r.id != event_id]
    if ceremony is not None:
        remaining.append((repo.EventRow(None, K.CEREMONY, ceremony.on, dict(ceremony.data)), ceremony))
    c, org = _candidate(candidate_id)
    members = repo.members_function(org.id)
    gone: list[repo.EventRow] = []
    while True:
        events = [e for _, e in remaining]
        broken = invariants.history_problems(
            birth=c["birth"], events=events, holidays=repo.default_holidays(), today=today,
            by_month=bool(settings.get("age_by_month")), party_committee=OrgKind.of(org.kind).party_committee,
            members_on=members, missing_facts=c["missing"])
        if not broken:
            return gone
        hit = {v.index for v in broken}
        gone += [remaining[i][0] for i in sorted(hit)]
        remaining = [pair for i, pair in enumerate(remaining) if i not in hit]


def delete(event_id: int, *, cascade: bool = False, today: dt.date | None = None) -> OpChanges:
    """Delete a step. Refused (``step.has_dependents``) when later steps depend on it, unless ``cascade``;
    ``OpChanges.undo`` is a :class:`StepsSnapshot` for :func:`restore`."""
    today = today or dt.date.today()
    ev = Event.get_or_none(Event.id == event_id)
    if ev is None:
        raise Refused([Problem("step.missing", {"id": event_id})])
    candidate_id = int(ev.candidate_id)
    also = dependents(event_id, today=today)
    if also and not cascade:
        raise Refused([Problem("step.has_dependents", {
            "step": ev.kind, "on": ev.on, "steps": [r.kind for r in also],
            "dates": [r.on for r in also]}, candidate_id=candidate_id)])
    rows: list[dict[str, Any]] = []
    ceremony: tuple[int, int] | None = None
    with writing(today=today) as tx:
        rows.append(writers.delete_event(event_id))
        for r in also:
            if r.id is not None:
                rows.append(writers.delete_event(r.id))
            else:
                link = CeremonyCandidate.get_or_none(CeremonyCandidate.candidate == candidate_id)
                if link is not None:
                    ceremony = (int(link.ceremony_id), candidate_id)
                    writers.unlink_ceremony(candidate_id)
        tx.touch(candidate_id)
    return OpChanges("step.delete", candidates=frozenset({candidate_id}), ceremonies=ceremony is not None,
                     undo=StepsSnapshot(tuple(rows), ceremony))


def restore(snapshot: StepsSnapshot, *, today: dt.date | None = None) -> OpChanges:
    """Undo :func:`delete`: the same steps with the same ids, and the ceremony link while the ceremony exists."""
    candidate_ids = {int(r["candidate"]) for r in snapshot.rows}
    with writing(today=today) as tx:
        for row in snapshot.rows:
            writers.restore_event(row)
        if snapshot.ceremony is not None:
            writers.link_ceremony(*snapshot.ceremony)
        tx.touch(*candidate_ids)
    return OpChanges("step.restore", candidates=frozenset(candidate_ids), ceremonies=snapshot.ceremony is not None)

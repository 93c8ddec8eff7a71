"""Recording, correcting and deleting one dated step of a candidate's pipeline.

Each function checks the step with :func:`domain.pipeline.check_step` against the candidate's other steps (the
official members of the organisation on the vote date, nothing after today), then writes through
:func:`core.writing`, which judges the candidate's whole history after the change. What the operation stores is
computed here, not taken from the caller: a vote's "passed", the organisation's kind with a decision, the
warnings the user accepted with who accepted them and when.

Deleting a step that later steps depend on is refused with the list of those steps
(``step.has_dependents``); with ``cascade=True`` they go too, and the undo snapshot holds them all.

:func:`record_dossier` records several dossier items at once (the checklist dialog), in one transaction: each
item is judged like a single step, and the whole batch is refused or accepted together. The facts the paperwork
needs (a meeting's attendance, an introducer's admission date…) are kept in a step's data and checked by
:func:`domain.meeting.fact_issues` with the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lamha_desktop.domain import codelists, invariants, meeting, pipeline, rules
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.operations.core import (
    NeedsConfirmation,
    OpChanges,
    Problem,
    Refused,
    check_version,
    operation,
    writing,
)
from lamha_desktop.storage import repo, settings, writers
from lamha_desktop.storage.models import Candidate, CeremonyCandidate, Event

__all__ = ["StepsSnapshot", "check", "delete", "dependents", "edit", "record", "record_dossier", "restore"]

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
    if kind in (K.VOTE, K.DANG_UY, K.RECOGNITION):
        for key in meeting.TIME_KEYS & clean.keys():  # "14h" typed, "14:00" stored
            t = meeting.parse_time(str(clean[key]))
            if t is not None:
                clean[key] = meeting.format_time(t)
    if kind == K.DOSSIER and clean.get("item") != "gioi_thieu":
        for name in ("member", "together_since", "replacement", *meeting.DATE_KEYS, "member_posts",
                     "member_hometown", "member_chi_bo"):
            clean.pop(name, None)
    return clean


def check(candidate_id: int, kind: str, on: dt.date, data: Mapping[str, Any], *, event_id: int | None = None,
          today: dt.date | None = None,
          loaded: tuple[dict[str, Any], repo.OrgRow] | None = None) -> list[pipeline.Issue]:
    """What recording (or, with ``event_id``, correcting) the step would meet: errors and warnings. Reads only."""
    c, org = loaded or _candidate(candidate_id)
    clean = _prepare(kind, on, data, org)
    others = repo.pipeline_events_excluding(candidate_id, event_id)
    today = today or dt.date.today()
    return [*pipeline.check_step(
        pipeline.Event(kind, on, clean), birth=c["birth"], events=others, holidays=repo.default_holidays(),
        by_month=bool(settings.get("age_by_month")), party_committee=OrgKind.of(org.kind).party_committee,
        official_members=repo.members_on(org.id, on) if kind == K.VOTE else None,
        today=today, missing_facts=c["missing"]), *meeting.fact_issues(kind, clean, today=today)]


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


@operation
def record(candidate_id: int, kind: str, on: dt.date, data: Mapping[str, Any] | None = None, *,
           accept: Sequence[str] = (), version: int | None = None, today: dt.date | None = None) -> OpChanges:
    """Record a new step. Refused on an error; NeedsConfirmation for warnings not in ``accept``.

    ``version``: the candidate's version when the user looked at their history; when another clerk changed the
    candidate since (recorded a step, held their ceremony…), :class:`core.Conflict` and nothing is written."""
    today = today or dt.date.today()
    clean = _judge(candidate_id, kind, on, dict(data or {}), accept, None, today)
    with writing(today=today) as tx:
        check_version("candidate", candidate_id, version)
        event_id = writers.add_event(candidate_id, kind, on, clean)
        tx.touch(candidate_id)
    return OpChanges("step.record", candidates=frozenset({candidate_id}), created_id=event_id)


@operation
def record_dossier(candidate_id: int, items: Sequence[Mapping[str, Any]], *, accept: Sequence[str] = (),
                   today: dt.date | None = None) -> OpChanges:
    """Record several dossier items at once: each of ``items`` is ``{"item": code, "on": date, ...}`` with the
    data of a dossier step (``number``, ``note``, and for an introducer ``member``, ``together_since``…).

    The batch is one change: refused as a whole when any item is (each problem names its item in
    ``Problem.field``: ``"item:don"``), NeedsConfirmation for the warnings of all items together. An item
    listed twice is refused (``dossier.item_twice``); an item already recorded is a warning
    (``dossier.item_recorded``), since a second copy of a paper is sometimes what the clerk means.
    """
    today = today or dt.date.today()
    c, org = _candidate(candidate_id)
    if not items:
        raise Refused([Problem("dossier.nothing_chosen", candidate_id=candidate_id)])
    recorded = {str(e.data.get("item")): e.on for e in repo.pipeline_events(candidate_id) if e.kind == K.DOSSIER}
    labels = {d.code: d.label for d in codelists.dossier_items()}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    prepared: list[tuple[dt.date, dict[str, Any]]] = []
    seen: set[str] = set()
    name = c["full_name"]
    for entry in items:
        data = {k: v for k, v in entry.items() if k != "on"}
        item = str(data.get("item") or "")
        where = f"item:{item}"
        on = entry.get("on")
        if not isinstance(on, dt.date):
            errors.append(Problem("date.required", {"item": item}, field=where, candidate_id=candidate_id,
                                  candidate_name=name))
            continue
        if item in seen:
            errors.append(Problem("dossier.item_twice", {"item": labels.get(item, item)}, field=where,
                                  candidate_id=candidate_id, candidate_name=name))
            continue
        seen.add(item)
        clean = _prepare(K.DOSSIER, on, data, org)
        for issue in check(candidate_id, K.DOSSIER, on, clean, today=today, loaded=(c, org)):
            (errors if issue.severity == "error" else warnings).append(
                Problem.of(issue, candidate_id=candidate_id, candidate_name=name, field_name=where))
        if item in recorded:
            warnings.append(Problem("dossier.item_recorded", {"item": labels.get(item, item), "on": recorded[item]},
                                    field=where, severity="warning", candidate_id=candidate_id,
                                    candidate_name=name))
        prepared.append((on, clean))
    if errors:
        raise Refused(errors)
    codes = sorted({w.code for w in warnings})
    if [code for code in codes if code not in accept]:
        raise NeedsConfirmation(warnings)
    ids: list[int] = []
    with writing(today=today) as tx:
        for on, clean in prepared:
            item_codes = sorted({w.code for w in warnings if w.field == f"item:{clean.get('item')}"})
            if item_codes:
                clean["warnings"] = item_codes
                clean["accepted"] = {"by": repo.audit_user(), "at": dt.datetime.now().isoformat(timespec="seconds")}
            ids.append(writers.add_event(candidate_id, K.DOSSIER, on, clean))
        tx.touch(candidate_id)
    return OpChanges("step.record_dossier", candidates=frozenset({candidate_id}), result=tuple(ids))


@operation
def edit(event_id: int, on: dt.date, data: Mapping[str, Any], *, accept: Sequence[str] = (),
         version: int | None = None, today: dt.date | None = None) -> OpChanges:
    """Correct a recorded step (its date and data); the whole history must stay lawful."""
    today = today or dt.date.today()
    ev = Event.get_or_none(Event.id == event_id)
    if ev is None:
        raise Refused([Problem("step.missing", {"id": event_id})])
    candidate_id = int(ev.candidate_id)
    clean = _judge(candidate_id, ev.kind, on, dict(data), accept, event_id, today)
    with writing(today=today) as tx:
        check_version("candidate", candidate_id, version)
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


@operation
def delete(event_id: int, *, cascade: bool = False, version: int | None = None,
           today: dt.date | None = None) -> OpChanges:
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
        check_version("candidate", candidate_id, version)
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


@operation
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

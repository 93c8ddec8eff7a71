"""Holding, editing and deleting an admission ceremony, and who is admitted in it.

Every student put into a ceremony is judged like a recorded "ceremony" step: a decision of their own, received
before the ceremony; the 30-working-day deadline is a warning to accept. A student without a decision cannot be
admitted, whatever a list shows. Deleting a ceremony takes its students back to "awaiting the ceremony" unless
later steps (recognition, transfer) depend on it: then it is refused with those steps.

What the ceremony's programme prints besides its date and place (the start time, who chairs, the upper
committee's guest, the helper assigned to each new member) is the ceremony's ``data``
(``domain/meeting.py``): given as ``values["data"]`` to :func:`hold` / :func:`edit`, or alone with
:func:`set_details`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from lamha_desktop.domain import meeting, pipeline
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.operations.core import (
    NeedsConfirmation,
    OpChanges,
    Problem,
    Refused,
    check_version,
    history_violations,
    operation,
    writing,
)
from lamha_desktop.storage import repo, settings, writers
from lamha_desktop.storage.models import Ceremony, CeremonyCandidate

__all__ = ["admission_problems", "clean_details", "delete", "edit", "hold", "set_details"]


def admission_problems(candidate_id: int, on: dt.date, *, ceremony_id: int | None = None,
                       today: dt.date | None = None) -> list[Problem]:
    """What admitting ``candidate_id`` in a ceremony on ``on`` would meet (errors and warnings). Reads only."""
    c = repo.get_candidate(candidate_id)
    org = repo.get_organisation(c["organisation_id"])
    others = [e for e in repo.pipeline_events(candidate_id)
              if not (e.kind == pipeline.EventKind.CEREMONY and (ceremony_id is None
                                                                 or e.data.get("ceremony_id") == ceremony_id))]
    found = pipeline.check_step(
        pipeline.Event(pipeline.EventKind.CEREMONY, on, {}), birth=c["birth"], events=others,
        holidays=repo.default_holidays(), by_month=bool(settings.get("age_by_month")),
        party_committee=OrgKind.of(org.kind).party_committee, today=today or dt.date.today(),
        missing_facts=c["missing"])
    # Another ceremony of this candidate is a move, not a duplicate (one ceremony per candidate).
    return [Problem.of(i, candidate_id=candidate_id, candidate_name=c["full_name"], field_name="candidates")
            for i in found if i.code != "step.duplicate"]


def clean_details(details: Mapping[str, Any], candidate_ids: Sequence[int]) -> tuple[dict[str, Any], list[Problem]]:
    """The ceremony's ``data`` from what was typed: the start as "08:00", names trimmed, helpers kept for the
    students admitted (by candidate id as text); the problems found (``meeting.time_invalid``)."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    start = str(details.get("start") or "").strip()
    if start:
        t = meeting.parse_time(start)
        if t is None:
            problems.append(Problem("meeting.time_invalid", {"field": "start", "value": start}, field="start"))
        else:
            clean["start"] = meeting.format_time(t)
    for key in ("chair", "upper_guest"):
        text = " ".join(str(details.get(key) or "").split())
        if text:
            clean[key] = text
    helpers = details.get("helpers") or {}
    wanted = {str(c) for c in candidate_ids}
    kept = {str(k): " ".join(str(v).split()) for k, v in dict(helpers).items()
            if str(k) in wanted and str(v or "").strip()}
    if kept:
        clean["helpers"] = kept
    return clean, problems


def _save(values: Mapping[str, Any], candidate_ids: Sequence[int], ceremony_id: int | None,
          accept: Sequence[str], today: dt.date, version: int | None = None) -> OpChanges:
    on = values.get("on")
    problems: list[Problem] = []
    if "data" in values:
        details, problems = clean_details(values.get("data") or {}, candidate_ids)
        values = {**values, "data": details}
    if isinstance(on, dt.date):
        if on > today:
            problems.append(Problem("step.future", {"step": "ceremony", "field": "on", "on": on}, field="on"))
        for name in ("decision_date", "decision_received"):
            day = values.get(name)
            if isinstance(day, dt.date) and day > today:
                problems.append(Problem("step.future", {"step": "ceremony", "field": name, "on": day}, field=name))
        warnings: list[Problem] = []
        for cid in candidate_ids:
            for p in admission_problems(cid, on, ceremony_id=ceremony_id, today=today):
                (problems if p.severity == "error" else warnings).append(p)
        if problems:
            raise Refused(problems)
        if [w for w in warnings if w.code not in accept]:
            raise NeedsConfirmation(warnings)
    if problems:
        raise Refused(problems)
    before: set[int] = set()
    if ceremony_id is not None:
        before = {int(lk.candidate_id) for lk in
                  CeremonyCandidate.select().where(CeremonyCandidate.ceremony == ceremony_id)}
    with writing(today=today) as tx:
        if ceremony_id is not None:
            check_version("ceremony", ceremony_id, version)
        try:
            saved = writers.save_ceremony(dict(values), list(candidate_ids), ceremony_id)
        except repo.ValidationFailed as exc:
            raise Refused([Problem.of(p) for p in exc.issues]) from exc
        tx.touch(*candidate_ids, *before)
    return OpChanges("ceremony.edit" if ceremony_id else "ceremony.hold",
                     candidates=frozenset({*candidate_ids, *before}), ceremonies=True,
                     created_id=None if ceremony_id else saved)


@operation
def hold(values: Mapping[str, Any], candidate_ids: Sequence[int], *, accept: Sequence[str] = (),
         today: dt.date | None = None) -> OpChanges:
    """A new ceremony admitting ``candidate_ids``."""
    return _save(values, candidate_ids, None, accept, today or dt.date.today())


@operation
def edit(ceremony_id: int, values: Mapping[str, Any], candidate_ids: Sequence[int], *,
         accept: Sequence[str] = (), version: int | None = None, today: dt.date | None = None) -> OpChanges:
    """Change a ceremony and who it admits (students taken out go back to awaiting a ceremony); ``version``:
    the ceremony's when the form was loaded (:class:`core.Conflict` when another clerk changed it since)."""
    if Ceremony.get_or_none(Ceremony.id == ceremony_id) is None:
        raise Refused([Problem("ceremony.missing", {"id": ceremony_id})])
    return _save(values, candidate_ids, ceremony_id, accept, today or dt.date.today(), version)


@operation
def set_details(ceremony_id: int, details: Mapping[str, Any], *, today: dt.date | None = None) -> OpChanges:
    """Replace what the ceremony's programme prints besides its date and place (see :func:`clean_details`)."""
    row = Ceremony.get_or_none(Ceremony.id == ceremony_id)
    if row is None:
        raise Refused([Problem("ceremony.missing", {"id": ceremony_id})])
    ids = [int(lk.candidate_id) for lk in CeremonyCandidate.select().where(CeremonyCandidate.ceremony == ceremony_id)]
    clean, problems = clean_details(details, ids)
    if problems:
        raise Refused(problems)
    with writing(today=today):
        writers.set_ceremony_data(ceremony_id, clean)
    return OpChanges("ceremony.details", ceremonies=True)


@operation
def delete(ceremony_id: int, *, today: dt.date | None = None) -> OpChanges:
    today = today or dt.date.today()
    ids = [int(lk.candidate_id) for lk in CeremonyCandidate.select().where(CeremonyCandidate.ceremony == ceremony_id)]
    with writing(today=today) as tx:
        writers.delete_ceremony(ceremony_id)
        tx.touch(*ids)
        # history_violations runs again in writing(); asked here to name the steps in the refusal
        broken = history_violations(ids, today=today)
        if broken:
            raise Refused([Problem("ceremony.has_dependents", dict(p.params) | {"code": p.code},
                                   candidate_id=p.candidate_id, candidate_name=p.candidate_name) for p in broken])
    return OpChanges("ceremony.delete", candidates=frozenset(ids), ceremonies=True)

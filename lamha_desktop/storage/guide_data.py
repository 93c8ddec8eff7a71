"""One student's guide, read from the database: "Bước tiếp theo", the step menu's availability and the age
window (``domain/guide.py`` computes them; this module only gathers the inputs: the history, the organisation's
kind and official members, the calendar, the age reading and the graduation year)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lamha_desktop.domain import guide, pipeline
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage import repo, settings

__all__ = ["CandidateGuide", "candidate_guide"]


@dataclass(frozen=True)
class CandidateGuide:
    """Everything the record shows to lead the clerk.

    Attributes:
        steps: what is still to do, in procedure order (``guide.next_steps``).
        availability: for each kind of "Ghi bước…", whether it can be recorded today and why not.
        window: the age window, None when the birth date is unknown; ``graduation`` None without a year.
        party_committee: the organisation is a đảng bộ cơ sở (the menu numbers the đảng ủy step).
        status: the candidate's status today.
    """

    steps: tuple[guide.NextStep, ...]
    availability: dict[str, guide.Availability]
    window: guide.AgeWindow | None
    party_committee: bool
    status: pipeline.Status


def candidate_guide(candidate_id: int, *, today: dt.date | None = None) -> CandidateGuide:
    today = today or dt.date.today()
    c = repo.get_candidate(candidate_id)
    org = repo.get_organisation(int(c["organisation_id"]))
    party_committee = OrgKind.of(org.kind).party_committee
    events = repo.pipeline_events(candidate_id)
    holidays = repo.default_holidays()
    by_month = bool(settings.get("age_by_month"))
    members = repo.members_on(org.id, today)
    birth = c["birth"]
    graduation = guide.graduation_date(int(c["graduation_year"])) if c.get("graduation_year") else None
    missing = c["missing"]  # what a record from a plain class list lacks until a step needs it
    steps = guide.next_steps(birth=birth, events=events, holidays=holidays, today=today, by_month=by_month,
                             party_committee=party_committee, official_members=members, graduation=graduation,
                             missing_facts=missing)
    availability = guide.step_availability(birth=birth, events=events, holidays=holidays, today=today,
                                           by_month=by_month, party_committee=party_committee,
                                           official_members=members, missing_facts=missing)
    classes = [e for e in events if e.kind == pipeline.EventKind.CLASS]
    window = (guide.age_window(birth=birth, graduation=graduation, by_month=by_month,
                               certificate=classes[-1].on if classes else None) if birth is not None else None)
    status = pipeline.compute_status(birth=birth, events=events, holidays=holidays, today=today, by_month=by_month,
                                     party_committee=party_committee)
    return CandidateGuide(tuple(steps), availability, window, party_committee, status)

"""What is due: the work items of one candidate for a given "today" (the "Việc cần làm" view).

Each item is a code with a due date; the UI words it. Items:

=========================  ==================================================================================
kind                       when
=========================  ==================================================================================
turns_18                   not yet voted on, eligible-from date in (today, today + months_ahead]
turns_18_after_graduation  not yet voted on, eligible only after the expected graduation (31/05 of that year)
certificate_expiring       not yet voted on, the awareness certificate expires within 3 months (or has)
decision                   chi bộ resolution passed, no decision yet: 60 working days after the resolution
ceremony                   decision received, no ceremony yet: 30 working days after receipt
probation_ending           probation ends within 30 days
recognition                probation ended, not recognised yet: 30 working days after the end
transfer                   a member whose graduation has passed and who has not transferred: 60 working days
                           (from the ceremony when it came after the graduation)
vote_by_graduation         not yet voted on and old enough before graduating: the vote's last day, graduation
                           (read from "Bước tiếp theo", ``guide.next_steps``, by ``storage/due.py``)
=========================  ==================================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lamha_desktop.domain import pipeline, rules

GRADUATION_MONTH_DAY = (5, 31)
PROBATION_NOTICE_DAYS = 30
CERTIFICATE_NOTICE_MONTHS = 3


@dataclass(frozen=True)
class DueItem:
    """One thing due for a candidate: its kind, its date, and whether that date has passed."""

    kind: str
    due: dt.date
    overdue: bool


def graduation_date(year: int) -> dt.date:
    return dt.date(year, *GRADUATION_MONTH_DAY)


def due_items(*, birth: dt.date | None, graduation_year: int | None, events: Sequence[pipeline.Event],
              holidays: Collection[dt.date], today: dt.date, months_ahead: int = 3, by_month: bool = True,
              party_committee: bool = False) -> list[DueItem]:
    """The due items of one candidate on ``today`` (see the module table)."""
    status = pipeline.compute_status(birth=birth, events=events, holidays=holidays, today=today,
                                     by_month=by_month, party_committee=party_committee)
    stage = status.stage
    items: list[DueItem] = []
    if stage.terminal:
        return items
    if stage < pipeline.Stage.VOTED and status.eligible_from is not None:
        if today < status.eligible_from <= rules.add_months(today, months_ahead):
            items.append(DueItem("turns_18", status.eligible_from, False))
        if graduation_year is not None and status.eligible_from > graduation_date(graduation_year):
            items.append(DueItem("turns_18_after_graduation", status.eligible_from, False))
    expires = status.certificate_expires
    if stage < pipeline.Stage.VOTED and expires is not None \
            and expires <= rules.add_months(today, CERTIFICATE_NOTICE_MONTHS):
        items.append(DueItem("certificate_expiring", expires, expires < today))
    if stage in (pipeline.Stage.VOTED, pipeline.Stage.DANG_UY) and status.next_deadline is not None:
        items.append(DueItem("decision", status.next_deadline, today > status.next_deadline))
    if stage == pipeline.Stage.DECISION and status.next_deadline is not None:
        items.append(DueItem("ceremony", status.next_deadline, today > status.next_deadline))
    if stage == pipeline.Stage.PROBATION and status.probation_end is not None:
        end = status.probation_end
        if today < end <= today + dt.timedelta(days=PROBATION_NOTICE_DAYS):
            items.append(DueItem("probation_ending", end, False))
        elif today >= end:
            deadline = rules.recognition_deadline(end, holidays=holidays)
            items.append(DueItem("recognition", deadline, today > deadline))
    if stage in (pipeline.Stage.PROBATION, pipeline.Stage.OFFICIAL) and graduation_year is not None:
        left = graduation_date(graduation_year)
        if today > left:
            start = rules.transfer_start(left, status.admitted_on)
            deadline = rules.transfer_deadline(start, holidays=holidays)
            items.append(DueItem("transfer", deadline, today > deadline))
    return items

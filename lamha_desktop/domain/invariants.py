"""The rules a candidate's whole history must obey after any change, on every path.

:func:`pipeline.check_step` judges one step against the ones before it when a clerk records it. That is not
enough: a vote can be moved after the ceremony, a decision deleted under a probationary member, a birth date
corrected after the vote. :func:`history_problems` therefore replays the whole history in procedure order and
judges *every* step against the steps before it, with the organisation's official members on each vote date
and nothing dated after ``today``. The operations layer runs it over every candidate a change touched, after
the change and before the transaction commits; any error refuses the change as a whole.

Only errors are violations. Warnings were shown when the step was recorded and, when accepted, are stored with
the step (who accepted them, when); a history is not re-litigated for them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from lamha_desktop.domain.pipeline import Event, EventKind, Issue, check_step

__all__ = ["KIND_RANK", "Violation", "history_problems", "in_procedure_order"]

# Order of steps recorded on the same day: the one a step depends on comes first.
KIND_RANK: Final = {
    EventKind.SOURCE: 0,
    EventKind.CLASS: 1,
    EventKind.DOSSIER: 2,
    EventKind.VOTE: 3,
    EventKind.DANG_UY: 4,
    EventKind.DECISION: 5,
    EventKind.CEREMONY: 6,
    EventKind.RECOGNITION: 7,
    EventKind.TRANSFER: 8,
    EventKind.NOT_ADMITTED: 9,
    EventKind.REMOVED: 10,
}


@dataclass(frozen=True)
class Violation:
    """An error of one step of a history: ``index`` is the step's position in the list given."""

    index: int
    event: Event
    issue: Issue


def in_procedure_order(events: Sequence[Event]) -> list[int]:
    """Indexes of ``events`` by date, then by procedure rank, then as given."""
    return sorted(range(len(events)), key=lambda i: (events[i].on, KIND_RANK.get(events[i].kind, 99), i))


def history_problems(
    *,
    birth: date | None,
    events: Sequence[Event],
    holidays: Collection[date],
    today: date,
    by_month: bool = True,
    party_committee: bool = False,
    members_on: Callable[[date], int | None] = lambda _d: None,
    missing_facts: Collection[str] = (),
) -> list[Violation]:
    """Every error of the history ``events``, each step judged against the steps before it.

    Covers the order of the steps, age 18 (by month, or by birthday) on the vote date, the vote passing against
    the organisation's official members on that date (``members_on``), a decision of the candidate's own before
    the ceremony, the facts of the record a recorded step needs (``missing_facts``: a personal ID taken away
    after the vote is refused like a birth date that makes the vote unlawful), and no date after ``today``.
    """
    order = in_procedure_order(events)
    found: list[Violation] = []
    before: list[Event] = []
    for i in order:
        event = events[i]
        official = members_on(event.on) if event.kind == EventKind.VOTE else None
        for issue in check_step(event, birth=birth, events=before, holidays=holidays, by_month=by_month,
                                party_committee=party_committee, official_members=official, today=today,
                                missing_facts=missing_facts):
            if issue.severity == "error":
                found.append(Violation(i, event, issue))
        before.append(event)
    return found

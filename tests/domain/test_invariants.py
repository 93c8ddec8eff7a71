"""The whole-history check: every step judged against the ones before it, on every path."""

from __future__ import annotations

import dataclasses
import datetime as dt
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lamha_desktop.domain.invariants import history_problems, in_procedure_order
from lamha_desktop.domain.pipeline import Event

D = dt.date
BIRTH = D(2006, 9, 20)
TODAY = D(2026, 12, 1)
NO_HOLIDAYS: frozenset[date] = frozenset()


DOSSIER_DAY = D(2024, 8, 1)


def _item(code: str, on: date = DOSSIER_DAY, **data: Any) -> Event:
    return Event("dossier", on, {"item": code, **data})


HISTORY = [
    Event("source", D(2024, 1, 10), {"helper": "Trần Văn Lộc"}),
    Event("class", D(2024, 5, 10), {"class_name": "Lớp NT", "start": "2024-05-06", "end": "2024-05-09"}),
    _item("don"), _item("ly_lich"), _item("tham_tra"), _item("nq_doan"),
    _item("gioi_thieu", member="Lê Thị Hoa", together_since="2023-06-01"), _item("nx_noi_cu_tru"),
    _item("nx_doan_the"),
    Event("vote", D(2025, 3, 3), {"members": 15, "agree": 12, "disagree": 3, "passed": True}),
    Event("decision", D(2025, 5, 20), {"number": "123-QĐ/HU", "received": "2025-06-02"}),
    Event("ceremony", D(2025, 6, 20), {"ceremony_id": 1}),
]


def problems(events: list[Event], **kw: Any) -> list[tuple[str, str]]:
    options: dict[str, Any] = {"birth": BIRTH, "holidays": NO_HOLIDAYS, "today": TODAY,
                               "members_on": lambda _d: 15}
    options.update(kw)
    return [(v.event.kind, v.issue.code) for v in history_problems(events=events, **options)]


def replaced(kind: str, **changes: Any) -> list[Event]:
    out = []
    for e in HISTORY:
        if e.kind == kind:
            data = {**e.data, **changes.pop("data", {})}
            e = dataclasses.replace(e, data=data, **changes)
        out.append(e)
    return out


def test_a_lawful_history_has_no_problem() -> None:
    assert problems(HISTORY) == []


def test_a_vote_moved_after_the_ceremony_breaks_the_decision_and_the_ceremony() -> None:
    found = problems(replaced("vote", on=D(2025, 7, 1)))
    assert ("decision", "step.no_prior") in found


def test_a_vote_changed_to_3_of_15_leaves_the_decision_without_a_passed_vote() -> None:
    found = problems(replaced("vote", data={"agree": 3, "disagree": 12, "passed": False}))
    assert ("decision", "step.no_prior") in found


def test_a_vote_recorded_as_passed_with_too_few_votes_is_refused() -> None:
    found = problems(replaced("vote", data={"agree": 8, "disagree": 7, "passed": True}))
    assert ("vote", "vote.result_mismatch") in found


def test_deleting_the_decision_under_a_probationary_member_is_refused() -> None:
    found = problems([e for e in HISTORY if e.kind != "decision"])
    assert found == [("ceremony", "step.no_prior")]


def test_a_vote_dated_next_year_is_refused() -> None:
    found = problems(replaced("vote", on=D(2027, 1, 5)))
    assert ("vote", "step.future") in found


def test_twelve_members_typed_instead_of_fifteen_is_refused_without_a_reason() -> None:
    weakened = replaced("vote", data={"members": 12, "agree": 8, "disagree": 4, "passed": True})
    assert ("vote", "vote.members_mismatch") in problems(weakened)
    corrected = replaced("vote", data={"members": 12, "agree": 8, "disagree": 4, "passed": True,
                                       "members_reason": "3 đồng chí chuyển sinh hoạt tạm thời"})
    assert problems(corrected) == []


def test_the_member_count_is_the_one_in_force_on_the_vote_date() -> None:
    def members_on(day: date) -> int:
        return 12 if day >= D(2025, 1, 1) else 15

    twelve = replaced("vote", data={"members": 12, "agree": 8, "disagree": 4, "passed": True})
    assert problems(twelve, members_on=members_on) == []
    assert ("vote", "vote.members_mismatch") in problems(HISTORY, members_on=members_on)


def test_too_young_on_the_vote_date() -> None:
    found = problems(HISTORY, birth=D(2007, 4, 2))
    assert ("vote", "vote.too_young") in found


def test_a_ceremony_without_a_decision_of_their_own_is_refused() -> None:
    no_decision = [e for e in HISTORY if e.kind != "decision"]
    assert ("ceremony", "step.no_prior") in problems(no_decision)


def test_a_decision_of_a_dang_bo_needs_the_dang_uy_unless_recorded_under_a_chi_bo() -> None:
    assert ("decision", "step.no_prior") in problems(HISTORY, party_committee=True)
    recorded_as_chi_bo = replaced("decision", data={"party_committee": False})
    assert problems(recorded_as_chi_bo, party_committee=True) == []


def test_steps_of_one_day_are_judged_in_procedure_order() -> None:
    same_day = [Event("ceremony", D(2025, 6, 2), {}), Event("decision", D(2025, 6, 2), {})]
    assert in_procedure_order(same_day) == [1, 0]


@given(st.permutations(HISTORY))
def test_the_order_the_steps_are_listed_in_does_not_matter(events: list[Event]) -> None:
    assert problems(list(events)) == []


def test_a_history_with_a_vote_needs_the_facts_the_vote_needs() -> None:
    """Taking the personal ID away after the vote breaks the history like a wrong birth date does."""
    assert problems(HISTORY, missing_facts=("personal_id",)) == [("vote", "step.facts_missing")]
    before_vote = [e for e in HISTORY if e.kind in ("source", "class", "dossier")]
    assert problems(before_vote, missing_facts=("personal_id", "ethnic")) == []

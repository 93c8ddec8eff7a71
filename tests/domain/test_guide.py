"""The guide: the numbered procedure, "Bước tiếp theo" from a history, the step menu and the age-window planner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamha_desktop import catalogue
from lamha_desktop.domain import calendar, guide, pipeline, rules
from lamha_desktop.domain.guide import NextStep, age_window, agree_needed, next_steps, step_availability
from lamha_desktop.domain.pipeline import Event

D = date
NO_HOLIDAYS: frozenset[date] = frozenset()
BIRTH = D(2006, 9, 20)  # eligible from 01/09/2024 by month
DOSSIER_DAY = D(2024, 8, 1)
TODAY = D(2024, 9, 10)
GRADUATION = D(2025, 5, 31)

SOURCE = Event("source", D(2023, 9, 15), {"helper": "Trần Văn Bình"})
CLASS = Event("class", D(2024, 5, 10), {"cert_no": "123/GCN"})


def _item(code: str, on: date = DOSSIER_DAY, **data: Any) -> Event:
    return Event("dossier", on, {"item": code, **data})


PAPERS = [_item(c) for c in ("don", "ly_lich", "tham_tra", "nx_noi_cu_tru", "nx_doan_the")]
UNION = _item("nq_doan")
INTRODUCER = _item("gioi_thieu", member="Lê Thị Hoa", together_since="2023-06-01")
DOSSIER = [*PAPERS, UNION, INTRODUCER]
VOTE = Event("vote", D(2024, 10, 3), {"members": 9, "agree": 8, "disagree": 1, "passed": True})
FAILED_VOTE = Event("vote", D(2024, 10, 3), {"members": 9, "agree": 5, "disagree": 4, "passed": False})
DANG_UY = Event("dang_uy", D(2024, 10, 20), {"members": 7, "agree": 7, "passed": True})
DECISION = Event("decision", D(2024, 12, 2), {"number": "12-QĐ/HU", "received": "2024-12-09"})
CEREMONY = Event("ceremony", D(2024, 12, 20), {"ceremony_id": 1})
RECOGNITION = Event("recognition", D(2026, 1, 5), {"agree": 9, "members": 9})
BEFORE_VOTE = [SOURCE, CLASS, *DOSSIER]


def steps(events: Sequence[Event], *, today: date = TODAY, party_committee: bool = False,
          official_members: int | None = 9, graduation: date | None = GRADUATION,
          birth: date | None = BIRTH) -> list[NextStep]:
    return next_steps(birth=birth, events=events, holidays=NO_HOLIDAYS, today=today, by_month=True,
                      party_committee=party_committee, official_members=official_members, graduation=graduation)


def keys(found: Sequence[NextStep]) -> list[tuple[str, str | None]]:
    return [(s.kind, s.item) for s in found]


def codes(issues: Sequence[pipeline.Issue]) -> list[str]:
    return [i.code for i in issues]


def by_kind(found: Sequence[NextStep], kind: str, item: str | None = None) -> NextStep:
    return next(s for s in found if s.kind == kind and s.item == item)


# ------------------------------------------------------------------------------------------------ the procedure


def test_the_procedure_of_a_chi_bo_is_numbered_without_the_dang_uy_step() -> None:
    numbered = [(s.number, s.kind, s.item) for s in guide.procedure(party_committee=False)]
    assert numbered == [
        ("1", "source", None), ("2", "class", None),
        ("3.1", "dossier", "don"), ("3.2", "dossier", "ly_lich"), ("3.3", "dossier", "tham_tra"),
        ("3.4", "dossier", "nq_doan"), ("3.5", "dossier", "gioi_thieu"), ("3.6", "dossier", "nx_noi_cu_tru"),
        ("3.7", "dossier", "nx_doan_the"),
        ("4", "vote", None), ("5", "decision", None), ("6", "ceremony", None), ("7", "recognition", None),
    ]


def test_a_dang_bo_gets_the_dang_uy_step_and_the_later_numbers_shift() -> None:
    numbered = {s.kind: s.number for s in guide.procedure(party_committee=True) if s.item is None}
    assert numbered == {"source": "1", "class": "2", "vote": "4", "dang_uy": "5", "decision": "6",
                        "ceremony": "7", "recognition": "8"}
    assert guide.PROCEDURE_ORDER == ("source", "class", "dossier", "vote", "dang_uy", "decision", "ceremony",
                                     "recognition")


@pytest.mark.parametrize(("party_committee", "expected"), [
    (False, [("1", "source"), ("2", "class"), ("3", "dossier"), ("4", "vote"), ("5", "decision"),
             ("6", "ceremony"), ("7", "recognition"), ("", "transfer"), ("", "not_admitted"), ("", "removed")]),
    (True, [("1", "source"), ("2", "class"), ("3", "dossier"), ("4", "vote"), ("5", "dang_uy"), ("6", "decision"),
            ("7", "ceremony"), ("8", "recognition"), ("", "transfer"), ("", "not_admitted"), ("", "removed")]),
])
def test_the_step_menu_lists_the_main_line_numbered_then_the_other_kinds(
        party_committee: bool, expected: list[tuple[str, str]]) -> None:
    menu = guide.menu_kinds(party_committee=party_committee)
    assert [(s.number, s.kind) for s in menu] == expected
    assert [s.main_line for s in menu] == [n != "" for n, _ in expected]


# ------------------------------------------------------------------------------------------------ which steps


ALL_BEFORE_VOTE = [("class", None), ("dossier", "don"), ("dossier", "ly_lich"), ("dossier", "tham_tra"),
                   ("dossier", "nq_doan"), ("dossier", "gioi_thieu"), ("dossier", "nx_noi_cu_tru"),
                   ("dossier", "nx_doan_the"), ("vote", None)]


@pytest.mark.parametrize(("events", "party_committee", "expected"), [
    pytest.param([], False, [("source", None), *ALL_BEFORE_VOTE], id="nothing recorded"),
    pytest.param([SOURCE], False, ALL_BEFORE_VOTE, id="listed"),
    pytest.param([SOURCE, CLASS], False, ALL_BEFORE_VOTE[1:], id="class done"),
    pytest.param([SOURCE, CLASS, *PAPERS], False, [("dossier", "nq_doan"), ("dossier", "gioi_thieu"), ("vote", None)],
                 id="papers done, no introduction"),
    pytest.param([SOURCE, CLASS, *PAPERS, UNION], False, [("dossier", "gioi_thieu"), ("vote", None)],
                 id="union resolution, no introducer"),
    pytest.param([SOURCE, CLASS, *PAPERS, INTRODUCER], False, [("dossier", "nq_doan"), ("vote", None)],
                 id="one introducer, no union resolution"),
    pytest.param([SOURCE, CLASS, *PAPERS, INTRODUCER, _item("gioi_thieu", member="Ngô Văn Tư")], False,
                 [("vote", None)], id="two introducers"),
    pytest.param(BEFORE_VOTE, False, [("vote", None)], id="dossier complete"),
    pytest.param([*BEFORE_VOTE, FAILED_VOTE], False, [("vote", None)], id="vote failed"),
    pytest.param([*BEFORE_VOTE, VOTE], False, [("decision", None)], id="voted, chi bộ"),
    pytest.param([*BEFORE_VOTE, VOTE], True, [("dang_uy", None)], id="voted, đảng bộ"),
    pytest.param([*BEFORE_VOTE, VOTE, DANG_UY], True, [("decision", None)], id="đảng ủy agreed"),
    pytest.param([*BEFORE_VOTE, VOTE, DECISION], False, [("ceremony", None)], id="decision"),
    pytest.param([*BEFORE_VOTE, VOTE, DECISION, CEREMONY], False, [("recognition", None), ("transfer", None)],
                 id="probation"),
    pytest.param([*BEFORE_VOTE, VOTE, DECISION, CEREMONY, RECOGNITION], False, [("transfer", None)], id="official"),
    pytest.param([*BEFORE_VOTE, Event("not_admitted", D(2024, 9, 1), {"reason": "x"})], False, [],
                 id="not admitted"),
    pytest.param([*BEFORE_VOTE, VOTE, DECISION, CEREMONY,
                  Event("transfer", D(2025, 7, 1), {"mode": "tam_thoi", "destination": "x"})], False, [],
                 id="transferred"),
])
def test_next_steps_lead_to_the_next_gate_in_procedure_order(
        events: list[Event], party_committee: bool, expected: list[tuple[str, str | None]]) -> None:
    found = steps(events, party_committee=party_committee)
    assert keys(found) == expected
    numbers = guide._numbers(party_committee)
    assert [s.number for s in found] == [numbers.get((s.kind, s.item), "") for s in found]


def test_an_official_member_without_a_graduation_date_has_nothing_left() -> None:
    assert steps([*BEFORE_VOTE, VOTE, DECISION, CEREMONY, RECOGNITION], graduation=None) == []


def test_one_introducer_without_the_union_resolution_names_both_routes() -> None:
    found = steps([SOURCE, CLASS, *PAPERS, INTRODUCER])
    assert codes(by_kind(found, "dossier", "nq_doan").notes) == ["guide.second_route"]


def test_a_failed_vote_is_noted_on_the_vote_to_retake() -> None:
    vote = by_kind(steps([*BEFORE_VOTE, FAILED_VOTE]), "vote")
    failed = [i for i in vote.notes if i.code == "guide.vote_failed"]
    assert failed == [pipeline.Issue("guide.vote_failed", "warning", {"step": "vote", "on": FAILED_VOTE.on})]


def test_a_failed_dang_uy_vote_is_noted_on_the_dang_uy_step() -> None:
    failed = Event("dang_uy", D(2024, 10, 20), {"members": 7, "agree": 3, "passed": False})
    step = by_kind(steps([*BEFORE_VOTE, VOTE, failed], party_committee=True), "dang_uy")
    assert pipeline.Issue("guide.vote_failed", "warning", {"step": "dang_uy", "on": failed.on}) in step.notes


# ------------------------------------------------------------------------------------------------ dates


def test_the_vote_opens_at_18_by_month_and_closes_at_graduation() -> None:
    vote = by_kind(steps(BEFORE_VOTE, today=D(2024, 8, 20)), "vote")
    assert vote.earliest == guide.Bound(D(2024, 9, 1), "age_18")
    assert vote.latest == guide.Bound(GRADUATION, "graduation")
    assert vote.suggested == D(2024, 9, 1)  # the earliest date, since today is before it
    assert codes(vote.blockers) == ["vote.too_young"]


def test_the_latest_dossier_paper_can_be_what_opens_the_vote() -> None:
    late = _item("nx_doan_the", D(2024, 11, 4))
    vote = by_kind(steps([SOURCE, CLASS, *PAPERS[:-1], late, UNION, INTRODUCER], today=D(2024, 11, 5)), "vote")
    assert vote.earliest == guide.Bound(D(2024, 11, 4), "dossier")
    assert vote.suggested == D(2024, 11, 5)
    assert vote.blockers == ()


def test_a_certificate_expiring_before_the_student_turns_18_asks_for_a_retake() -> None:
    old_class = Event("class", D(2019, 8, 20), {})  # valid until 20/08/2024; eligible from 01/09/2024
    found = steps([SOURCE, old_class, *DOSSIER], today=D(2024, 8, 1), graduation=D(2026, 5, 31))
    assert keys(found) == [("class", None), ("vote", None)]
    retake = found[0]
    assert retake.notes == (pipeline.Issue("guide.certificate_retake", "warning",
                                           {"valid_until": D(2024, 8, 20), "needed_on": D(2024, 9, 1)}),)
    assert retake.latest == guide.Bound(D(2026, 5, 31), "graduation")
    vote = found[1]
    assert vote.earliest == guide.Bound(D(2024, 9, 1), "age_18")
    assert vote.latest == guide.Bound(D(2024, 8, 20), "certificate")
    assert [i.code for i in vote.notes] == ["guide.no_vote_window"]


def test_an_expiring_certificate_asks_for_a_retake_only_when_it_cannot_cover_the_vote() -> None:
    covering = Event("class", D(2019, 9, 10), {})  # valid until 10/09/2024
    found = steps([SOURCE, covering, *DOSSIER], today=D(2024, 9, 2))
    assert keys(found) == [("vote", None)]
    vote = found[0]
    assert vote.latest == guide.Bound(D(2024, 9, 10), "certificate")
    expired = steps([SOURCE, covering, *DOSSIER], today=D(2024, 9, 11))
    assert keys(expired) == [("class", None), ("vote", None)]
    assert "vote.certificate_expired" in codes(expired[1].blockers)
    assert expired[1].overdue


def test_no_window_when_the_student_turns_18_after_graduation() -> None:
    vote = by_kind(steps(BEFORE_VOTE, graduation=D(2024, 5, 31), today=D(2024, 3, 1)), "vote")
    no_window = [i for i in vote.notes if i.code == "guide.no_window"]
    assert no_window == [pipeline.Issue("guide.no_window", "warning", {
        "eligible_from": D(2024, 9, 1), "graduation": D(2024, 5, 31), "way_out": "hand_over"})]


def test_the_decision_is_due_60_working_days_after_the_chi_bo_resolution() -> None:
    holidays = calendar.vietnam_holidays([2024, 2025])
    found = next_steps(birth=BIRTH, events=[*BEFORE_VOTE, VOTE], holidays=holidays, today=D(2024, 10, 10),
                       official_members=9)
    decision = found[0]
    assert decision.earliest == guide.Bound(VOTE.on, "vote")
    assert decision.latest == guide.Bound(rules.decision_deadline(VOTE.on, holidays=holidays), "decision_deadline")
    assert decision.needs.signer == guide.Signer.UPPER_STANDING_COMMITTEE
    assert decision.blockers == ()


def test_in_a_dang_bo_the_decision_follows_the_dang_uy_resolution() -> None:
    decision = steps([*BEFORE_VOTE, VOTE, DANG_UY], party_committee=True, today=D(2024, 11, 1))[0]
    assert decision.earliest == guide.Bound(DANG_UY.on, "dang_uy")
    dang_uy = steps([*BEFORE_VOTE, VOTE], party_committee=True, today=D(2024, 10, 10))[0]
    assert dang_uy.earliest == guide.Bound(VOTE.on, "vote")
    assert dang_uy.latest is not None
    assert dang_uy.latest.why == "decision_deadline"
    assert dang_uy.needs.documents == ("nq-dang-uy",)


def test_the_ceremony_counts_from_the_day_the_decision_was_received() -> None:
    ceremony = steps([*BEFORE_VOTE, VOTE, DECISION], today=D(2024, 12, 5))[0]
    received = D(2024, 12, 9)
    assert ceremony.earliest == guide.Bound(received, "decision_received")
    assert ceremony.latest == guide.Bound(rules.ceremony_deadline(received, holidays=NO_HOLIDAYS),
                                          "ceremony_deadline")
    assert ceremony.suggested == received
    assert codes(ceremony.blockers) == ["order.before_previous"]  # today is before the receipt
    assert ceremony.needs.documents == ("chuong-trinh-le",)


def test_recognition_opens_when_probation_ends() -> None:
    history = [*BEFORE_VOTE, VOTE, DECISION, CEREMONY]
    end = rules.probation_end(CEREMONY.on)
    during = steps(history, today=D(2025, 6, 1))[0]
    assert during.earliest == guide.Bound(end, "probation_end")
    assert codes(during.blockers) == ["order.before_previous"]
    assert not during.possible
    after = steps(history, today=end + timedelta(days=3))[0]
    assert after.possible
    assert after.latest == guide.Bound(rules.recognition_deadline(end, holidays=NO_HOLIDAYS), "recognition_deadline")
    assert after.needs.agree_needed == 6
    assert after.needs.documents == ("nq-cong-nhan",)
    late = steps(history, today=after.latest.on + timedelta(days=1))[0]
    assert late.overdue


@pytest.mark.parametrize(("graduation", "start", "why", "deadline_why", "deadline"), [
    # Graduated 31/05/2025 after the ceremony of 20/12/2024: the days run from the graduation.
    (D(2025, 5, 31), D(2025, 5, 31), "graduation", "transfer_deadline", D(2025, 8, 22)),
    # Graduated 31/05/2024, admitted 20/12/2024: from the ceremony (60 weekdays, no holidays here).
    (D(2024, 5, 31), D(2024, 12, 20), "ceremony", "transfer_after_ceremony", D(2025, 3, 14)),
], ids=["admitted before graduating", "admitted after graduating"])
def test_the_transfer_is_due_60_working_days_after_graduation_or_a_later_ceremony(
        graduation: date, start: date, why: str, deadline_why: str, deadline: date) -> None:
    transfer = steps([*BEFORE_VOTE, VOTE, DECISION, CEREMONY, RECOGNITION], today=D(2026, 2, 1),
                     graduation=graduation)[0]
    assert transfer.earliest == guide.Bound(start, why)
    assert transfer.latest == guide.Bound(deadline, deadline_why)
    assert rules.transfer_deadline(start, holidays=NO_HOLIDAYS) == deadline
    assert rules.transfer_start(graduation, CEREMONY.on) == start
    assert not transfer.main_line
    assert transfer.number == ""
    assert transfer.overdue


def test_the_transfer_starts_at_graduation_without_a_ceremony() -> None:
    assert rules.transfer_start(D(2025, 5, 31), None) == D(2025, 5, 31)


# ------------------------------------------------------------------------------------------------ needs, blockers


@pytest.mark.parametrize(("members", "needed"), [(3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (9, 6), (12, 8), (14, 10)])
def test_agree_needed_is_the_smallest_count_that_passes(members: int, needed: int) -> None:
    assert agree_needed(members) == needed
    assert rules.vote_passes(needed, members)
    assert not rules.vote_passes(needed - 1, members)


def test_the_vote_says_how_many_official_members_must_agree() -> None:
    vote = by_kind(steps(BEFORE_VOTE, official_members=7), "vote")
    assert vote.needs == guide.Needs(papers=(), documents=("nq-chi-bo", "bien-ban-chi-bo"), signer="chi_bo",
                                     official_members=7, agree_needed=5)
    unknown = by_kind(steps(BEFORE_VOTE, official_members=None), "vote")
    assert unknown.needs.agree_needed is None


def test_a_chi_bo_under_three_official_members_cannot_vote() -> None:
    vote = by_kind(steps(BEFORE_VOTE, official_members=2), "vote")
    assert pipeline.Issue("guide.too_few_members", "error", {"members": 2, "minimum": 3}) in vote.blockers
    assert "vote.counts_invalid" not in codes(vote.blockers)


def test_the_vote_lists_what_is_missing_and_the_dialog_settled_codes_are_left_out() -> None:
    vote = by_kind(steps([SOURCE], today=D(2024, 9, 10), birth=None), "vote")
    assert codes(vote.blockers) == ["vote.birth_unknown", "vote.no_certificate", "vote.missing_dossier",
                                    "vote.no_introduction"]
    ready = by_kind(steps(BEFORE_VOTE, today=D(2024, 9, 10)), "vote")
    assert ready.blockers == ()
    assert ready.possible


def test_each_dossier_item_says_who_signs_and_which_document_the_application_writes() -> None:
    found = {s.item: s.needs for s in steps([SOURCE, CLASS]) if s.kind == "dossier"}
    assert found["don"].signer == "candidate"
    assert found["nq_doan"].signer == "union_committee"
    assert found["gioi_thieu"] == guide.Needs(papers=("gioi_thieu",), documents=("giay-gioi-thieu",),
                                              signer="introducer")
    assert found["nx_doan_the"].documents == ("tong-hop-y-kien",)


def test_every_document_the_guide_names_is_a_document_kind_and_every_code_has_a_text() -> None:
    from lamha_desktop.reports.documents import KINDS

    histories = [[], [SOURCE, CLASS], BEFORE_VOTE, [*BEFORE_VOTE, VOTE], [*BEFORE_VOTE, VOTE, DECISION],
                 [*BEFORE_VOTE, VOTE, DECISION, CEREMONY]]
    seen: set[str] = set()
    for history in histories:
        for party in (False, True):
            for step in steps(history, party_committee=party):
                seen.update(step.needs.documents)
                assert step.needs.signer is None or step.needs.signer in catalogue.SIGNER_NAMES
                for paper in step.needs.papers:
                    assert paper in catalogue.PAPER_NAMES or paper in {d.code for d in
                                                                       guide.codelists.dossier_items()}
                for bound in (step.earliest, step.latest):
                    assert bound is None or bound.why in catalogue.BOUND_NAMES
                for issue in (*step.blockers, *step.notes):
                    assert issue.code in catalogue.MESSAGES
    assert seen == set(KINDS)
    assert set(catalogue.WAY_OUT_NAMES) == {guide.WayOut.HAND_OVER}


# ------------------------------------------------------------------------------------------------ the menu


def availability(events: Sequence[Event], *, today: date = TODAY, party_committee: bool = False,
                 official_members: int | None = 9) -> dict[str, guide.Availability]:
    return step_availability(birth=BIRTH, events=events, holidays=NO_HOLIDAYS, today=today,
                             party_committee=party_committee, official_members=official_members)


def reasons(found: dict[str, guide.Availability]) -> dict[str, str | None]:
    return {kind: None if a.possible else (a.reason.code if a.reason else "?") for kind, a in found.items()}


@pytest.mark.parametrize(("events", "today", "expected"), [
    pytest.param([], D(2024, 8, 1), {"vote": "vote.too_young", "decision": "step.no_prior",
                                     "ceremony": "step.no_prior", "recognition": "step.no_prior",
                                     "transfer": "step.no_prior"}, id="new student"),
    pytest.param([SOURCE, CLASS, *PAPERS], D(2024, 9, 10),
                 {"vote": "vote.no_introduction", "decision": "step.no_prior", "ceremony": "step.no_prior",
                  "recognition": "step.no_prior", "transfer": "step.no_prior"}, id="no introduction"),
    pytest.param(BEFORE_VOTE, D(2024, 9, 10), {"decision": "step.no_prior", "ceremony": "step.no_prior",
                                                "recognition": "step.no_prior", "transfer": "step.no_prior"},
                 id="ready to vote"),
    pytest.param([*BEFORE_VOTE, VOTE], D(2024, 10, 10), {"ceremony": "step.no_prior", "recognition": "step.no_prior",
                                                          "transfer": "step.no_prior"}, id="voted"),
    pytest.param([*BEFORE_VOTE, VOTE, DECISION, CEREMONY], D(2025, 3, 1),
                 {"recognition": "order.before_previous", "not_admitted": "guide.already_admitted"},
                 id="in probation"),
])
def test_kinds_not_yet_possible_are_greyed_with_the_reason(
        events: list[Event], today: date, expected: dict[str, str]) -> None:
    found = availability(events, today=today)
    assert list(found) == [s.kind for s in guide.menu_kinds(party_committee=False)]
    assert {k: v for k, v in reasons(found).items() if v is not None} == expected


def test_the_dang_uy_step_is_in_the_menu_of_a_dang_bo_only() -> None:
    assert "dang_uy" not in availability(BEFORE_VOTE)
    found = availability([*BEFORE_VOTE, VOTE], party_committee=True, today=D(2024, 10, 10))
    assert found["dang_uy"].possible
    assert not found["decision"].possible
    assert found["decision"].reason == pipeline.Issue("step.no_prior", "error",
                                                      {"step": "decision", "required": "dang_uy"})


def test_a_missing_dossier_keeps_the_vote_available_with_the_reason_to_override() -> None:
    found = availability([SOURCE, CLASS, UNION, INTRODUCER])
    assert found["vote"].possible
    assert found["vote"].reason is not None
    assert found["vote"].reason.code == "vote.missing_dossier"


def test_a_second_decision_is_possible_with_a_warning() -> None:
    found = availability([*BEFORE_VOTE, VOTE, DECISION], today=D(2024, 12, 10))
    assert found["decision"] == guide.Availability(True, pipeline.Issue("step.duplicate", "warning",
                                                                        {"step": "decision"}))


# ------------------------------------------------------------------------------------------------ the age window


@pytest.mark.parametrize(("birth", "graduation", "by_month", "months", "no_window", "short"), [
    (D(2006, 9, 20), D(2025, 5, 31), True, 9, False, False),  # eligible 09/2024 .. 05/2025
    (D(2007, 5, 31), D(2025, 5, 31), True, 1, False, True),  # eligible 01/05/2025: May counts
    (D(2007, 5, 31), D(2025, 5, 30), False, 0, True, False),  # 18th birthday after graduation in the same month
    (D(2007, 6, 1), D(2025, 5, 31), True, -1, True, False),  # one month short
    (D(2007, 11, 15), D(2025, 5, 31), True, -6, True, False),
    (D(2007, 3, 2), D(2025, 5, 31), True, 3, False, True),
    (D(2007, 2, 2), D(2025, 5, 31), True, 4, False, False),
])
def test_age_window_months(birth: date, graduation: date, by_month: bool, months: int, no_window: bool,
                           short: bool) -> None:
    window = age_window(birth=birth, graduation=graduation, by_month=by_month)
    assert (window.months, window.no_window, window.short) == (months, no_window, short)
    assert window.way_out == ("hand_over" if no_window else None)
    assert window.eligible_from == rules.age_eligible_from(birth, by_month=by_month)


def test_the_class_is_timed_so_the_certificate_covers_the_whole_window() -> None:
    window = age_window(birth=D(2006, 9, 20), graduation=D(2025, 5, 31))
    assert window.class_latest == D(2024, 9, 1)  # by the opening of the window
    assert window.class_earliest == D(2020, 5, 31)  # valid until 31/05/2025, the end of the window
    assert rules.certificate_valid_until(window.class_earliest) == D(2025, 5, 31)
    assert rules.certificate_valid_until(window.class_earliest - timedelta(days=1)) < D(2025, 5, 31)
    ok = age_window(birth=D(2006, 9, 20), graduation=D(2025, 5, 31), certificate=D(2023, 11, 1))
    assert ok.certificate_covers is True
    assert ok.certificate_until == D(2028, 11, 1)
    too_late = age_window(birth=D(2006, 9, 20), graduation=D(2025, 5, 31), certificate=D(2024, 10, 1))
    assert too_late.certificate_covers is False


def test_without_a_window_the_class_is_taken_while_at_school() -> None:
    window = age_window(birth=D(2007, 11, 15), graduation=D(2025, 5, 31))
    assert window.class_latest == D(2025, 5, 31)
    assert rules.certificate_valid_until(window.class_earliest) >= window.eligible_from


def test_without_a_graduation_date_there_is_no_window_to_judge() -> None:
    window = age_window(birth=D(2007, 11, 15), graduation=None)
    assert (window.months, window.no_window, window.way_out, window.short) == (None, False, None, False)
    assert window.class_latest == window.eligible_from


def test_graduation_date_reads_the_stored_year() -> None:
    assert guide.graduation_date(2026) == D(2026, 5, 31)
    assert guide.graduation_date(2026, month_day=(6, 15)) == D(2026, 6, 15)


def test_the_guide_texts_read_well() -> None:
    text = catalogue.text("guide.no_window", {"eligible_from": D(2026, 11, 1), "graduation": D(2026, 5, 31),
                                              "way_out": "hand_over"})
    assert text.startswith("Học sinh đủ 18 tuổi từ 01/11/2026, sau khi tốt nghiệp (31/05/2026)")
    assert "bàn giao" in text
    assert catalogue.text("guide.vote_failed", {"step": "vote", "on": D(2024, 10, 3)}) \
        .startswith("Lần biểu quyết gần nhất (chi bộ biểu quyết, ngày 03/10/2024)")


# ------------------------------------------------------------------------------------------------ properties

KINDS = sorted(pipeline.EventKind.ALL)
DAY = st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31))
DATA = st.fixed_dictionaries({}, optional={
    "item": st.sampled_from(["don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the",
                             "?"]),
    "members": st.one_of(st.integers(-2, 15), st.just("x")),
    "agree": st.integers(-2, 15),
    "passed": st.booleans(),
    "received": st.one_of(DAY.map(str), st.just("")),
    "member": st.sampled_from(["A", "B", ""]),
    "together_since": DAY.map(str),
    "reason": st.just("x"),
    "mode": st.sampled_from(["tam_thoi", "?"]),
    "destination": st.just("x"),
})
EVENTS = st.lists(st.builds(Event, st.sampled_from(KINDS), DAY, DATA), max_size=12)
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@PROPS
@given(events=EVENTS, today=DAY, birth=st.one_of(st.none(), st.dates(D(1990, 1, 1), D(2012, 12, 31))),
       party=st.booleans(), members=st.one_of(st.none(), st.integers(0, 20)),
       graduation=st.one_of(st.none(), DAY))
def test_next_steps_hold_together_for_any_history(events: list[Event], today: date, birth: date | None, party: bool,
                                                  members: int | None, graduation: date | None) -> None:
    found = next_steps(birth=birth, events=events, holidays=NO_HOLIDAYS, today=today, party_committee=party,
                       official_members=members, graduation=graduation)
    order = [(s.kind, s.item) for s in guide.procedure(party_committee=party)]
    main = [order.index((s.kind, s.item)) for s in found if s.main_line]
    assert main == sorted(main)
    assert len({(s.kind, s.item) for s in found}) == len(found)
    for s in found:
        assert s.suggested == (today if s.earliest is None else max(today, s.earliest.on))
        assert s.overdue == (s.latest is not None and today > s.latest.on)
        assert all(i.severity == "error" for i in s.blockers)
        assert all(i.severity == "warning" for i in s.notes)
        assert s.possible == (not s.blockers)
    available = step_availability(birth=birth, events=events, holidays=NO_HOLIDAYS, today=today,
                                  party_committee=party, official_members=members)
    assert list(available) == [s.kind for s in guide.menu_kinds(party_committee=party)]
    for s in found:
        if s.kind == "vote":
            assert available["vote"].possible == all(b.code == "vote.missing_dossier" for b in s.blockers)


@pytest.mark.slow
@PROPS
@given(birth=st.dates(D(1995, 1, 1), D(2012, 12, 31)), graduation=st.one_of(st.none(), DAY),
       by_month=st.booleans(), certificate=st.one_of(st.none(), DAY))
def test_age_window_properties(birth: date, graduation: date | None, by_month: bool,
                               certificate: date | None) -> None:
    w = age_window(birth=birth, graduation=graduation, by_month=by_month, certificate=certificate)
    if graduation is None:
        assert w.months is None
        assert not w.no_window
    else:
        assert w.months is not None
        assert w.no_window == (w.eligible_from > graduation)
        assert w.no_window == (w.months <= 0)
    end = graduation if graduation is not None and not w.no_window else w.eligible_from
    assert rules.certificate_valid_until(w.class_earliest) >= end
    assert rules.certificate_valid_until(w.class_earliest - timedelta(days=1)) < end
    if not w.no_window:
        assert w.one_certificate_covers == (rules.certificate_valid_until(w.class_latest) >= end)
    if certificate is not None:
        assert w.certificate_until == rules.certificate_valid_until(certificate)
        assert w.certificate_covers == (certificate <= w.eligible_from and w.certificate_until >= end)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.integers(3, 500))
def test_agree_needed_is_minimal(members: int) -> None:
    needed = agree_needed(members)
    assert rules.vote_passes(needed, members)
    assert not rules.vote_passes(needed - 1, members)


def test_agree_needed_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        agree_needed(-1)

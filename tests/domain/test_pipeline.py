"""Pipeline: stage from events, deadlines on given days, and every check_step code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from lamha_desktop.domain import pipeline
from lamha_desktop.domain.pipeline import Event, Issue, Stage, check_step, compute_status

D = date
NO_HOLIDAYS: frozenset[date] = frozenset()
BIRTH = D(2006, 9, 20)  # eligible from 01/09/2024 by month, 20/09/2024 by birthday

SOURCE = Event("source", D(2023, 9, 15), {"helper": "Trần Văn Bình"})
CLASS = Event(
    "class",
    D(2024, 5, 10),
    {"class_name": "Lớp NT 2024", "start": "2024-05-06", "end": "2024-05-09", "cert_no": "123/GCN"},
)


DOSSIER_DAY = D(2024, 8, 1)


def _item(code: str, on: date = DOSSIER_DAY, **data: Any) -> Event:
    return Event("dossier", on, {"item": code, **data})


DOSSIER = [
    _item("don"),
    _item("ly_lich"),
    _item("tham_tra"),
    _item("nq_doan"),
    _item("gioi_thieu", member="Lê Thị Hoa", together_since="2023-06-01"),
    _item("nx_noi_cu_tru"),
    _item("nx_doan_the"),
]
VOTE = Event("vote", D(2025, 3, 3), {"members": 9, "agree": 8, "disagree": 1, "passed": True})
FAILED_VOTE = Event("vote", D(2025, 3, 3), {"members": 9, "agree": 5, "disagree": 4, "passed": False})
DANG_UY = Event("dang_uy", D(2025, 3, 20), {"members": 7, "agree": 7, "passed": True})
DECISION = Event(
    "decision",
    D(2025, 5, 20),
    {"number": "123-QĐ/HU", "issuer": "Ban Thường vụ Huyện ủy", "received": "2025-06-02"},
)
CEREMONY = Event("ceremony", D(2025, 7, 10), {"ceremony_id": 1})
RECOGNITION = Event(
    "recognition",
    D(2026, 7, 15),
    {"agree": 9, "members": 9, "decision_no": "45-QĐ/HU", "decision_date": "2026-08-01"},
)
TRANSFER = Event("transfer", D(2025, 9, 1), {"destination": "Chi bộ Trường ĐH Đà Lạt", "mode": "tam_thoi"})
NOT_ADMITTED = Event("not_admitted", D(2025, 4, 1), {"reason": "Không đủ phiếu"})
REMOVED = Event("removed", D(2025, 9, 5), {"reason": "Vi phạm"})

PRE_VOTE = [SOURCE, CLASS, *DOSSIER]
FULL = [*PRE_VOTE, VOTE, DECISION, CEREMONY, RECOGNITION]


def status(events: Sequence[Event], today: date, **kw: Any) -> pipeline.Status:
    options: dict[str, Any] = {"birth": BIRTH, "holidays": NO_HOLIDAYS, "today": today}
    options.update(kw)
    return compute_status(events=events, **options)


# ---------------------------------------------------------------------------------------------------- stage


@pytest.mark.parametrize(
    ("events", "party_committee", "stage"),
    [
        ([], False, Stage.STUDENT),  # a student not on the source list yet
        ([SOURCE], False, Stage.SOURCE),
        ([CLASS], False, Stage.CLASS_DONE),  # any step puts the student on the list (the return counts them)
        ([SOURCE, CLASS], False, Stage.CLASS_DONE),
        ([SOURCE, CLASS, DOSSIER[0]], False, Stage.DOSSIER),
        (PRE_VOTE, False, Stage.DOSSIER),
        ([*PRE_VOTE, FAILED_VOTE], False, Stage.DOSSIER),
        ([*PRE_VOTE, VOTE], False, Stage.VOTED),
        ([*PRE_VOTE, FAILED_VOTE, Event("vote", D(2025, 4, 7), VOTE.data)], False, Stage.VOTED),
        ([*PRE_VOTE, VOTE, DANG_UY], False, Stage.VOTED),  # a chi bộ cơ sở has no đảng ủy step
        ([*PRE_VOTE, VOTE, DANG_UY], True, Stage.DANG_UY),
        (
            [*PRE_VOTE, VOTE, Event("dang_uy", D(2025, 3, 20), {"members": 7, "agree": 3, "passed": False})],
            True,
            Stage.VOTED,
        ),
        ([*PRE_VOTE, VOTE, DECISION], False, Stage.DECISION),
        ([*PRE_VOTE, VOTE, DANG_UY, DECISION], True, Stage.DECISION),
        ([*PRE_VOTE, VOTE, DECISION, CEREMONY], False, Stage.PROBATION),
        (FULL, False, Stage.OFFICIAL),
        ([*FULL, TRANSFER], False, Stage.TRANSFERRED),
        ([*PRE_VOTE, VOTE, DECISION, CEREMONY, TRANSFER], False, Stage.TRANSFERRED),
        ([*PRE_VOTE, FAILED_VOTE, NOT_ADMITTED], False, Stage.NOT_ADMITTED),
        ([*FULL, TRANSFER, REMOVED], False, Stage.REMOVED),
        ([REMOVED, *PRE_VOTE, NOT_ADMITTED, TRANSFER], False, Stage.REMOVED),  # removed beats the others
        ([NOT_ADMITTED, TRANSFER], False, Stage.NOT_ADMITTED),
        (list(reversed(FULL)), False, Stage.OFFICIAL),  # order of the list does not matter
        # passed not recorded: the 2/3 rule on the counts decides; impossible counts never pass
        ([*PRE_VOTE, Event("vote", D(2025, 3, 3), {"members": 9, "agree": 6})], False, Stage.VOTED),
        ([*PRE_VOTE, Event("vote", D(2025, 3, 3), {"members": 9, "agree": 5})], False, Stage.DOSSIER),
        ([*PRE_VOTE, Event("vote", D(2025, 3, 3), {"members": 3, "agree": 9})], False, Stage.DOSSIER),
        ([*PRE_VOTE, Event("vote", D(2025, 3, 3), {})], False, Stage.DOSSIER),
    ],
)
def test_stage(events: list[Event], party_committee: bool, stage: Stage) -> None:
    assert pipeline.stage_without_today(events, party_committee) is stage
    for today in (D(2020, 1, 1), D(2025, 6, 1), D(2030, 1, 1)):
        st = status(events, today, party_committee=party_committee)
        assert st.stage is stage


def test_stage_terminal_property() -> None:
    assert [s for s in Stage if s.terminal] == [Stage.TRANSFERRED, Stage.NOT_ADMITTED, Stage.REMOVED]


# ------------------------------------------------------------------------------------------------- deadlines


def test_source_only_has_no_deadline() -> None:
    st = status([SOURCE], D(2024, 1, 1))
    assert st == pipeline.Status(
        stage=Stage.SOURCE,
        eligible_from=D(2024, 9, 1),
        next_deadline=None,
        next_action=None,
        overdue=False,
        probation_end=None,
        admitted_on=None,
        certificate_expires=None,
        failed_vote=False,
    )


@pytest.mark.parametrize(("by_month", "eligible_from"), [(True, D(2024, 9, 1)), (False, D(2024, 9, 20))])
def test_eligible_from_follows_the_configured_reading(by_month: bool, eligible_from: date) -> None:
    assert status([SOURCE], D(2024, 1, 1), by_month=by_month).eligible_from == eligible_from


def test_unknown_birth() -> None:
    st = status([SOURCE, CLASS], D(2025, 1, 1), birth=None)
    assert st.eligible_from is None
    assert st.next_deadline is None
    assert st.certificate_expires == D(2029, 5, 10)


@pytest.mark.parametrize(
    ("birth", "class_on", "today", "deadline", "overdue"),
    [
        # certificate fine: valid to 10/05/2029, student eligible 01/09/2024
        (BIRTH, D(2024, 5, 10), D(2025, 1, 1), None, False),
        # expires within 3 months of today
        (BIRTH, D(2020, 3, 10), D(2024, 12, 10), D(2025, 3, 10), False),
        (BIRTH, D(2020, 3, 10), D(2025, 3, 10), D(2025, 3, 10), False),
        (BIRTH, D(2020, 3, 10), D(2025, 3, 11), D(2025, 3, 10), True),
        # just over 3 months away
        (BIRTH, D(2020, 3, 10), D(2024, 12, 9), None, False),
        # expires (10/05/2029) before a young student is even eligible (01/06/2030)
        (D(2012, 6, 15), D(2024, 5, 10), D(2025, 1, 1), D(2029, 5, 10), False),
    ],
)
def test_certificate_renewal_before_the_vote(
    birth: date, class_on: date, today: date, deadline: date | None, overdue: bool
) -> None:
    st = status([SOURCE, Event("class", class_on)], today, birth=birth)
    assert st.stage is Stage.CLASS_DONE
    assert st.next_deadline == deadline
    assert st.next_action == (None if deadline is None else "certificate_renew")
    assert st.overdue is overdue


def test_latest_class_counts_for_the_certificate() -> None:
    events = [Event("class", D(2019, 5, 10)), Event("class", D(2024, 5, 10))]
    st = status(events, D(2024, 6, 1))
    assert st.certificate_expires == D(2029, 5, 10)
    assert st.next_action is None


@pytest.mark.parametrize(
    ("today", "holidays", "deadline", "overdue"),
    [
        # 03/03/2025 (Monday) + 60 working days = Monday 26/05/2025
        (D(2025, 4, 1), NO_HOLIDAYS, D(2025, 5, 26), False),
        (D(2025, 5, 26), NO_HOLIDAYS, D(2025, 5, 26), False),
        (D(2025, 5, 27), NO_HOLIDAYS, D(2025, 5, 26), True),
        # 30/04, 01/05 and 02/05/2025 off: three working days later, Thursday 29/05/2025
        (D(2025, 5, 27), frozenset({D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)}), D(2025, 5, 29), False),
    ],
)
def test_decision_deadline_after_the_vote(
    today: date, holidays: frozenset[date], deadline: date, overdue: bool
) -> None:
    st = status([*PRE_VOTE, VOTE], today, holidays=holidays)
    assert st.stage is Stage.VOTED
    assert (st.next_action, st.next_deadline, st.overdue) == ("decision", deadline, overdue)
    assert st.certificate_expires == D(2029, 5, 10)


def test_decision_deadline_with_real_vietnam_calendar() -> None:
    holidays = pytest.importorskip("holidays")
    days_off = frozenset(holidays.country_holidays("VN", years=2025))
    st = status([*PRE_VOTE, VOTE], D(2025, 4, 1), holidays=days_off)
    # 30/04 and 01/05/2025 fall inside the 60 working days (at least); the deadline moves past 26/05
    assert st.next_deadline is not None
    assert st.next_deadline > D(2025, 5, 26)


def test_decision_deadline_counts_from_the_chi_bo_vote_in_a_dang_bo() -> None:
    st = status([*PRE_VOTE, VOTE, DANG_UY], D(2025, 4, 1), party_committee=True)
    assert st.stage is Stage.DANG_UY
    assert (st.next_action, st.next_deadline) == ("decision", D(2025, 5, 26))


def test_decision_deadline_counts_from_the_latest_passed_vote() -> None:
    revote = Event("vote", D(2025, 3, 10), VOTE.data)
    st = status([*PRE_VOTE, FAILED_VOTE, revote], D(2025, 4, 1))
    assert st.next_deadline == D(2025, 6, 2)
    assert st.failed_vote is False


def test_failed_vote() -> None:
    st = status([*PRE_VOTE, FAILED_VOTE], D(2025, 4, 1))
    assert st.stage is Stage.DOSSIER
    assert st.failed_vote is True
    assert st.next_deadline is None


def test_failed_dang_uy_vote_counts_only_in_a_dang_bo() -> None:
    rejected = Event("dang_uy", D(2025, 3, 20), {"members": 7, "agree": 3, "passed": False})
    assert status([*PRE_VOTE, VOTE, rejected], D(2025, 4, 1), party_committee=True).failed_vote is True
    assert status([*PRE_VOTE, VOTE, rejected], D(2025, 4, 1), party_committee=False).failed_vote is False


@pytest.mark.parametrize(
    ("decision", "today", "deadline", "overdue"),
    [
        # received Monday 02/06/2025 + 30 working days = Monday 14/07/2025
        (DECISION, D(2025, 6, 10), D(2025, 7, 14), False),
        (DECISION, D(2025, 7, 15), D(2025, 7, 14), True),
        # no receipt date: counted from the decision date
        (
            Event("decision", D(2025, 6, 2), {"number": "7-QĐ/HU", "received": None}),
            D(2025, 6, 10),
            D(2025, 7, 14),
            False,
        ),
        (Event("decision", D(2025, 6, 2), {"number": "7-QĐ/HU"}), D(2025, 6, 10), D(2025, 7, 14), False),
        (
            Event("decision", D(2025, 5, 20), {"received": D(2025, 6, 2)}),
            D(2025, 6, 10),
            D(2025, 7, 14),
            False,
        ),
    ],
)
def test_ceremony_deadline(decision: Event, today: date, deadline: date, overdue: bool) -> None:
    st = status([*PRE_VOTE, VOTE, decision], today)
    assert st.stage is Stage.DECISION
    assert (st.next_action, st.next_deadline, st.overdue) == ("ceremony", deadline, overdue)


@pytest.mark.parametrize(
    ("today", "action", "deadline", "overdue"),
    [
        (D(2025, 12, 1), "probation_end", D(2026, 7, 10), False),
        (D(2026, 7, 9), "probation_end", D(2026, 7, 10), False),
        # probation ended Friday 10/07/2026; chi bộ considers within 30 working days: Friday 21/08/2026
        (D(2026, 7, 10), "recognition", D(2026, 8, 21), False),
        (D(2026, 8, 21), "recognition", D(2026, 8, 21), False),
        (D(2026, 8, 24), "recognition", D(2026, 8, 21), True),
    ],
)
def test_probation(today: date, action: str, deadline: date, overdue: bool) -> None:
    st = status([*PRE_VOTE, VOTE, DECISION, CEREMONY], today)
    assert st.stage is Stage.PROBATION
    assert (st.next_action, st.next_deadline, st.overdue) == (action, deadline, overdue)
    assert st.admitted_on == D(2025, 7, 10)
    assert st.probation_end == D(2026, 7, 10)


def test_probation_end_clamps_29_february() -> None:
    st = status([*PRE_VOTE, VOTE, DECISION, Event("ceremony", D(2024, 2, 29))], D(2024, 6, 1))
    assert st.probation_end == D(2025, 2, 28)


def test_official_has_no_deadline() -> None:
    st = status(FULL, D(2027, 1, 1))
    assert st.stage is Stage.OFFICIAL
    assert (st.next_action, st.next_deadline, st.overdue) == (None, None, False)
    assert st.admitted_on == D(2025, 7, 10)


def test_transferred_probationary_member_keeps_probation_end() -> None:
    st = status([*PRE_VOTE, VOTE, DECISION, CEREMONY, TRANSFER], D(2026, 9, 1))
    assert st.stage is Stage.TRANSFERRED
    assert st.probation_end == D(2026, 7, 10)
    assert (st.next_action, st.next_deadline, st.overdue) == (None, None, False)


def test_terminal_before_vote_has_no_certificate_deadline() -> None:
    st = status([SOURCE, Event("class", D(2020, 3, 10)), NOT_ADMITTED], D(2025, 3, 1))
    assert st.stage is Stage.NOT_ADMITTED
    assert st.next_deadline is None


@pytest.mark.parametrize("value", [None, "", "not a date", 17, "2025-13-01"])
def test_as_date_rejects_garbage(value: object) -> None:
    assert pipeline.as_date(value) is None


# ------------------------------------------------------------------------------------------------ check_step


def check(new: Event, events: Sequence[Event], **kw: Any) -> list[Issue]:
    options: dict[str, Any] = {"birth": BIRTH, "holidays": NO_HOLIDAYS}
    options.update(kw)
    return check_step(new, events=events, **options)


def codes(issues: Sequence[Issue]) -> list[tuple[str, str]]:
    return [(i.code, i.severity) for i in issues]


def _vote(on: date = VOTE.on, **data: Any) -> Event:
    return Event("vote", on, {**VOTE.data, **data})


def _without(code: str) -> list[Event]:
    return [e for e in PRE_VOTE if e.data.get("item") != code]


ERR, WARN = "error", "warning"

# (id, new event, prior events, options, expected (code, severity) list)
CASES: list[tuple[str, Event, list[Event], dict[str, Any], list[tuple[str, str]]]] = [
    ("clean vote", VOTE, PRE_VOTE, {}, []),
    (
        "clean vote, two introducers",
        VOTE,
        [*_without("nq_doan"), _item("gioi_thieu", member="Phạm Văn An", together_since="2022-01-01")],
        {},
        [],
    ),
    ("clean vote, members as configured", VOTE, PRE_VOTE, {"official_members": 9}, []),
    ("unknown kind", Event("party", D(2025, 1, 1)), [], {}, [("step.unknown_kind", ERR)]),
    ("birth unknown", VOTE, PRE_VOTE, {"birth": None}, [("vote.birth_unknown", ERR)]),
    ("vote without the personal ID", VOTE, PRE_VOTE, {"missing_facts": ("personal_id",)},
     [("step.facts_missing", ERR)]),
    ("a class without the ID is fine", Event("class", D(2024, 10, 1)), [], {"missing_facts": ("personal_id", "ethnic")},
     []),
    ("too young by month", _vote(D(2024, 8, 30)), PRE_VOTE, {}, [("vote.too_young", ERR)]),
    (
        "too young by birthday",
        _vote(D(2024, 9, 10)),
        PRE_VOTE,
        {"by_month": False},
        [("vote.too_young", ERR)],
    ),
    ("birth month warning", _vote(D(2024, 9, 10)), PRE_VOTE, {}, [("vote.birth_month_warning", WARN)]),
    ("on the birthday no warning", _vote(D(2024, 9, 20)), PRE_VOTE, {}, []),
    ("too old", VOTE, PRE_VOTE, {"birth": D(1960, 1, 1)}, [("vote.too_old", ERR)]),
    ("no certificate", VOTE, [e for e in PRE_VOTE if e.kind != "class"], {}, [("vote.no_certificate", ERR)]),
    (
        "vote before class",
        VOTE,
        [*(e for e in PRE_VOTE if e.kind != "class"), Event("class", D(2025, 4, 1))],
        {},
        [("order.before_previous", ERR)],
    ),
    (
        "certificate expired",
        VOTE,
        [SOURCE, Event("class", D(2020, 3, 2)), *DOSSIER],
        {},
        [("vote.certificate_expired", ERR)],
    ),
    ("certificate last valid day", VOTE, [SOURCE, Event("class", D(2020, 3, 3)), *DOSSIER], {}, []),
    ("missing dossier", VOTE, _without("tham_tra"), {}, [("vote.missing_dossier", ERR)]),
    (
        "missing dossier overridden",
        _vote(override_reason="Đã thẩm tra, biên bản nộp sau"),
        _without("tham_tra"),
        {},
        [("vote.missing_dossier_overridden", WARN)],
    ),
    (
        "blank override reason",
        _vote(override_reason="  "),
        _without("tham_tra"),
        {},
        [("vote.missing_dossier", ERR)],
    ),
    (
        "dossier item after the vote is missing",
        VOTE,
        [*_without("don"), _item("don", D(2025, 3, 4))],
        {},
        [("vote.missing_dossier", ERR)],
    ),
    ("no introduction", VOTE, _without("gioi_thieu"), {}, [("vote.no_introduction", ERR)]),
    ("one introducer without union", VOTE, _without("nq_doan"), {}, [("vote.no_introduction", ERR)]),
    (
        "same introducer twice",
        VOTE,
        [*_without("nq_doan"), _item("gioi_thieu", member="Lê Thị Hoa")],
        {},
        [("vote.no_introduction", ERR)],
    ),
    (
        "introducer short",
        VOTE,
        [*_without("gioi_thieu"), _item("gioi_thieu", member="Lê Thị Hoa", together_since="2024-03-04")],
        {},
        [("vote.introducer_short", WARN)],
    ),
    (
        "introducer exactly 12 months",
        VOTE,
        [*_without("gioi_thieu"), _item("gioi_thieu", member="Lê Thị Hoa", together_since="2024-03-03")],
        {},
        [],
    ),
    (
        "replacement introducer",
        VOTE,
        [
            *_without("gioi_thieu"),
            _item("gioi_thieu", member="Lê Thị Hoa", together_since="2024-12-01", replacement=True),
        ],
        {},
        [],
    ),
    ("counts too many", _vote(agree=8, disagree=2), PRE_VOTE, {}, [("vote.counts_invalid", ERR)]),
    ("counts negative", _vote(agree=-1, passed=False), PRE_VOTE, {}, [("vote.counts_invalid", ERR)]),
    (
        "counts small chi bo",
        _vote(members=2, agree=2, disagree=0),
        PRE_VOTE,
        {},
        [("vote.counts_invalid", ERR)],
    ),
    (
        "counts missing",
        Event("vote", VOTE.on, {"passed": True}),
        PRE_VOTE,
        {},
        [("vote.counts_invalid", ERR)],
    ),
    ("members mismatch", VOTE, PRE_VOTE, {"official_members": 10}, [("vote.members_mismatch", ERR)]),
    ("members corrected with a reason", _vote(members_reason="Đồng chí Lan chuyển sinh hoạt tạm thời ngày 01/03"),
     PRE_VOTE, {"official_members": 10}, [("vote.members_corrected", WARN)]),
    ("a past admission whose dossier is in the archive", _vote(dossier_archived="lich-su.xlsx"), [CLASS],
     {}, [("vote.dossier_archived", WARN)]),
    ("vote dated after today", VOTE, PRE_VOTE, {"today": D(2025, 3, 2)}, [("step.future", ERR)]),
    ("decision received after today", DECISION, [*PRE_VOTE, VOTE], {"today": D(2025, 5, 30)},
     [("step.future", ERR)]),
    (
        "result mismatch",
        _vote(agree=5, disagree=4, passed=True),
        PRE_VOTE,
        {},
        [("vote.result_mismatch", ERR)],
    ),
    ("failed vote recorded as failed", FAILED_VOTE, PRE_VOTE, {}, []),
    ("dang uy clean", DANG_UY, [*PRE_VOTE, VOTE], {"party_committee": True}, []),
    ("dang uy in a chi bo", DANG_UY, [*PRE_VOTE, VOTE], {}, [("dang_uy.not_applicable", ERR)]),
    (
        "dang uy without vote",
        DANG_UY,
        [*PRE_VOTE, FAILED_VOTE],
        {"party_committee": True},
        [("step.no_prior", ERR)],
    ),
    (
        "dang uy before vote",
        Event("dang_uy", D(2025, 3, 1), DANG_UY.data),
        [*PRE_VOTE, VOTE],
        {"party_committee": True},
        [("order.before_previous", ERR)],
    ),
    (
        "dang uy counts",
        Event("dang_uy", D(2025, 3, 20), {"members": 7, "agree": 8, "passed": True}),
        [*PRE_VOTE, VOTE],
        {"party_committee": True},
        [("dang_uy.counts_invalid", ERR)],
    ),
    ("decision clean", DECISION, [*PRE_VOTE, VOTE], {}, []),
    ("decision clean in a dang bo", DECISION, [*PRE_VOTE, VOTE, DANG_UY], {"party_committee": True}, []),
    ("decision without vote", DECISION, PRE_VOTE, {}, [("step.no_prior", ERR)]),
    ("decision after failed vote", DECISION, [*PRE_VOTE, FAILED_VOTE], {}, [("step.no_prior", ERR)]),
    (
        "decision without dang uy",
        DECISION,
        [*PRE_VOTE, VOTE],
        {"party_committee": True},
        [("step.no_prior", ERR)],
    ),
    (
        "decision before vote",
        Event("decision", D(2025, 3, 1)),
        [*PRE_VOTE, VOTE],
        {},
        [("order.before_previous", ERR)],
    ),
    (
        "decision before dang uy",
        Event("decision", D(2025, 3, 10)),
        [*PRE_VOTE, VOTE, DANG_UY],
        {"party_committee": True},
        [("order.before_previous", ERR)],
    ),
    (
        "decision received before issued",
        Event("decision", D(2025, 5, 20), {"received": "2025-05-19"}),
        [*PRE_VOTE, VOTE],
        {},
        [("order.before_previous", ERR)],
    ),
    ("decision on the deadline", Event("decision", D(2025, 5, 26)), [*PRE_VOTE, VOTE], {}, []),
    ("decision late", Event("decision", D(2025, 5, 27)), [*PRE_VOTE, VOTE], {}, [("decision.late", WARN)]),
    (
        "decision not late thanks to holidays",
        Event("decision", D(2025, 5, 27)),
        [*PRE_VOTE, VOTE],
        {"holidays": frozenset({D(2025, 4, 30), D(2025, 5, 1)})},
        [],
    ),
    ("second decision", DECISION, [*PRE_VOTE, VOTE, DECISION], {}, [("step.duplicate", WARN)]),
    ("ceremony clean", CEREMONY, [*PRE_VOTE, VOTE, DECISION], {}, []),
    ("ceremony without decision", CEREMONY, [*PRE_VOTE, VOTE], {}, [("step.no_prior", ERR)]),
    (
        "ceremony before received",
        Event("ceremony", D(2025, 5, 30)),
        [*PRE_VOTE, VOTE, DECISION],
        {},
        [("order.before_previous", ERR)],
    ),
    ("ceremony on the deadline", Event("ceremony", D(2025, 7, 14)), [*PRE_VOTE, VOTE, DECISION], {}, []),
    (
        "ceremony late",
        Event("ceremony", D(2025, 7, 15)),
        [*PRE_VOTE, VOTE, DECISION],
        {},
        [("ceremony.late", WARN)],
    ),
    ("second ceremony", CEREMONY, [*PRE_VOTE, VOTE, DECISION, CEREMONY], {}, [("step.duplicate", WARN)]),
    ("recognition clean", RECOGNITION, [*PRE_VOTE, VOTE, DECISION, CEREMONY], {}, []),
    (
        "recognition on probation end",
        Event("recognition", D(2026, 7, 10)),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [],
    ),
    ("recognition without ceremony", RECOGNITION, [*PRE_VOTE, VOTE, DECISION], {}, [("step.no_prior", ERR)]),
    (
        "recognition during probation",
        Event("recognition", D(2026, 7, 9)),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("order.before_previous", ERR)],
    ),
    (
        "recognition late",
        Event("recognition", D(2026, 8, 24)),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("recognition.late", WARN)],
    ),
    (
        "recognition counts",
        Event("recognition", D(2026, 7, 15), {"agree": 10, "members": 9}),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("recognition.counts_invalid", ERR)],
    ),
    (
        "recognition not passed",
        Event("recognition", D(2026, 7, 15), {"agree": 5, "members": 9}),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("recognition.not_passed", WARN)],
    ),
    ("second recognition", RECOGNITION, FULL, {}, [("step.duplicate", WARN)]),
    ("transfer clean", TRANSFER, [*PRE_VOTE, VOTE, DECISION, CEREMONY], {}, []),
    (
        "transfer official member",
        Event("transfer", D(2026, 9, 1), {"destination": "Đảng bộ xã", "mode": "chinh_thuc"}),
        FULL,
        {},
        [],
    ),
    ("transfer without ceremony", TRANSFER, [*PRE_VOTE, VOTE, DECISION], {}, [("step.no_prior", ERR)]),
    (
        "transfer before ceremony",
        Event("transfer", D(2025, 7, 1), TRANSFER.data),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("order.before_previous", ERR)],
    ),
    (
        "transfer mode",
        Event("transfer", D(2025, 9, 1), {"destination": "X", "mode": "tam"}),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("transfer.mode_invalid", ERR)],
    ),
    (
        "transfer destination",
        Event("transfer", D(2025, 9, 1), {"destination": " ", "mode": "tam_thoi"}),
        [*PRE_VOTE, VOTE, DECISION, CEREMONY],
        {},
        [("transfer.destination_required", ERR)],
    ),
    ("dossier clean", _item("don"), [SOURCE, CLASS], {}, []),
    ("dossier unknown item", _item("don_xin"), [SOURCE, CLASS], {}, [("dossier.unknown_item", ERR)]),
    ("class clean", CLASS, [SOURCE], {}, []),
    (
        "class dates invalid",
        Event("class", D(2024, 5, 10), {"start": "2024-05-09", "end": "2024-05-06"}),
        [],
        {},
        [("class.dates_invalid", ERR)],
    ),
    (
        "certificate before class end",
        Event("class", D(2024, 5, 8), {"start": "2024-05-06", "end": "2024-05-09"}),
        [],
        {},
        [("order.before_previous", ERR)],
    ),
    ("source clean", SOURCE, [], {}, []),
    ("not admitted clean", NOT_ADMITTED, [*PRE_VOTE, FAILED_VOTE], {}, []),
    (
        "not admitted without reason",
        Event("not_admitted", D(2025, 4, 1)),
        PRE_VOTE,
        {},
        [("step.reason_required", ERR)],
    ),
    (
        "removed without reason",
        Event("removed", D(2025, 9, 5), {"reason": ""}),
        FULL,
        {},
        [("step.reason_required", ERR)],
    ),
    (
        "after not admitted",
        _item("don", D(2025, 5, 1)),
        [*PRE_VOTE, NOT_ADMITTED],
        {},
        [("step.after_terminal", WARN)],
    ),
]


@pytest.mark.parametrize(
    ("new", "events", "options", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_check_step(
    new: Event, events: list[Event], options: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(check(new, events, **options)) == expected


def test_every_documented_code_is_tested() -> None:
    doc = check_step.__doc__ or ""
    documented = set(re.findall(r"^\s{4}([a-z_]+\.[a-z_]+)\s+(?:error|warning)", doc, re.MULTILINE))
    tested = {code for case in CASES for code, _ in case[4]}
    assert len(documented) >= 30
    assert documented == tested


def _one(new: Event, events: Sequence[Event], **kw: Any) -> Issue:
    issues = check(new, events, **kw)
    assert len(issues) == 1, issues
    return issues[0]


def test_params_too_young() -> None:
    issue = _one(_vote(D(2024, 8, 30)), PRE_VOTE)
    assert issue.params == {"eligible_from": D(2024, 9, 1)}
    issue = _one(_vote(D(2024, 9, 10)), PRE_VOTE, by_month=False)
    assert issue.params == {"eligible_from": D(2024, 9, 20)}


def test_params_birth_month_warning() -> None:
    assert _one(_vote(D(2024, 9, 10)), PRE_VOTE).params == {"birthday": D(2024, 9, 20)}


def test_params_missing_dossier() -> None:
    events = [e for e in PRE_VOTE if e.data.get("item") not in ("don", "nx_doan_the")]
    assert _one(VOTE, events).params == {"items": ["don", "nx_doan_the"]}
    overridden = _one(_vote(override_reason="Bổ sung sau"), events)
    assert overridden.params == {"items": ["don", "nx_doan_the"], "reason": "Bổ sung sau"}


def test_params_order() -> None:
    late_class = [*(e for e in PRE_VOTE if e.kind != "class"), Event("class", D(2025, 4, 1))]
    issue = _one(VOTE, late_class)
    assert issue.params == {"step": "vote", "previous_step": "class", "previous_date": D(2025, 4, 1)}
    issue = _one(Event("decision", D(2025, 3, 1)), [*PRE_VOTE, VOTE])
    assert issue.params == {"step": "decision", "previous_step": "vote", "previous_date": D(2025, 3, 3)}
    issue = _one(Event("ceremony", D(2025, 5, 30)), [*PRE_VOTE, VOTE, DECISION])
    assert issue.params == {
        "step": "ceremony",
        "previous_step": "decision_received",
        "previous_date": D(2025, 6, 2),
    }
    issue = _one(Event("ceremony", D(2025, 5, 19)), [*PRE_VOTE, VOTE, Event("decision", D(2025, 5, 20))])
    assert issue.params == {"step": "ceremony", "previous_step": "decision", "previous_date": D(2025, 5, 20)}
    issue = _one(Event("recognition", D(2026, 7, 9)), [*PRE_VOTE, VOTE, DECISION, CEREMONY])
    assert issue.params == {
        "step": "recognition",
        "previous_step": "probation_end",
        "previous_date": D(2026, 7, 10),
    }
    issue = _one(Event("decision", D(2025, 5, 20), {"received": "2025-05-19"}), [*PRE_VOTE, VOTE])
    assert issue.params == {
        "step": "decision_received",
        "previous_step": "decision",
        "previous_date": D(2025, 5, 20),
    }


def test_params_introducer_short_and_no_introduction() -> None:
    events = [*_without("gioi_thieu"), _item("gioi_thieu", member="Lê Thị Hoa", together_since="2024-03-04")]
    assert _one(VOTE, events).params == {
        "member": "Lê Thị Hoa",
        "together_since": D(2024, 3, 4),
        "required_since": D(2024, 3, 3),
    }
    assert _one(VOTE, _without("nq_doan")).params == {"introducers": 1, "union_resolution": False}


def test_params_late_and_mismatch() -> None:
    assert _one(Event("decision", D(2025, 5, 27)), [*PRE_VOTE, VOTE]).params == {
        "deadline": D(2025, 5, 26),
        "resolution": D(2025, 3, 3),
    }
    assert _one(VOTE, PRE_VOTE, official_members=10).params == {"members": 9, "official_members": 10}
    assert _one(_vote(agree=5, disagree=4, passed=True), PRE_VOTE).params == {
        "recorded": True,
        "computed": False,
    }


def test_several_problems_at_once() -> None:
    new = _vote(D(2024, 8, 30), members=2, agree=2, disagree=0)
    got = {i.code for i in check(new, [SOURCE, *DOSSIER[:2]], official_members=3)}
    assert got == {
        "vote.too_young",
        "vote.no_certificate",
        "vote.missing_dossier",
        "vote.no_introduction",
        "vote.counts_invalid",
    }

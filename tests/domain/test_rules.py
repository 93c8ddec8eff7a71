"""Tests for lamha_desktop.domain.rules: age, vote, working-day deadlines, month arithmetic."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamha_desktop.domain import calendar, rules

# Days off 2023-2027 from the holidays package. The test data below lists the ones that matter.
VN = calendar.vietnam_holidays(range(2023, 2028))
NONE: frozenset[date] = frozenset()


# --------------------------------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),  # across the year backwards
        (date(2024, 11, 30), 2, date(2025, 1, 30)),  # across the year forwards
        (date(2024, 5, 17), 0, date(2024, 5, 17)),
        (date(2020, 2, 29), 48, date(2024, 2, 29)),  # leap to leap keeps the 29th
        (date(2000, 12, 31), 120, date(2010, 12, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert rules.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        (date(2020, 1, 31), date(2025, 1, 31)),
        (date(2020, 2, 29), date(2025, 2, 28)),  # no 29 February in 2025: clamped
        (date(2019, 8, 31), date(2024, 8, 31)),
        (date(2019, 2, 28), date(2024, 2, 28)),  # a 28 stays a 28 even in a leap year
        (date(2021, 6, 14), date(2026, 6, 14)),
    ],
)
def test_certificate_valid_until(issued: date, expected: date) -> None:
    assert rules.certificate_valid_until(issued) == expected


@pytest.mark.parametrize(
    ("ceremony", "expected"),
    [
        (date(2024, 5, 17), date(2025, 5, 17)),
        (date(2024, 2, 29), date(2025, 2, 28)),  # clamped
        (date(2023, 12, 31), date(2024, 12, 31)),
        (date(2023, 2, 28), date(2024, 2, 28)),
    ],
)
def test_probation_end(ceremony: date, expected: date) -> None:
    assert rules.probation_end(ceremony) == expected


# ------------------------------------------------------------------------------------------------------ age


@pytest.mark.parametrize(
    ("birth", "by_month", "expected"),
    [
        (date(2008, 11, 15), True, date(2026, 11, 1)),
        (date(2008, 11, 15), False, date(2026, 11, 15)),
        (date(2008, 1, 1), True, date(2026, 1, 1)),
        (date(2008, 12, 31), True, date(2026, 12, 1)),
        (date(2008, 2, 29), True, date(2026, 2, 1)),
        (date(2008, 2, 29), False, date(2026, 2, 28)),  # 18th "birthday" of a 29 February birth: clamp
        (date(2006, 2, 28), False, date(2024, 2, 28)),
        (date(2006, 3, 1), False, date(2024, 3, 1)),
    ],
)
def test_age_eligible_from(birth: date, by_month: bool, expected: date) -> None:
    assert rules.age_eligible_from(birth, by_month=by_month) == expected


def test_age_eligible_from_defaults_to_by_month() -> None:
    assert rules.age_eligible_from(date(2008, 11, 15)) == date(2026, 11, 1)


@pytest.mark.parametrize(
    ("birth", "on", "by_month", "expected"),
    [
        # Lower bound: born 15/11/2008.
        (date(2008, 11, 15), date(2026, 10, 31), True, False),
        (date(2008, 11, 15), date(2026, 11, 1), True, True),  # inside the birth month, before the birthday
        (date(2008, 11, 15), date(2026, 11, 1), False, False),
        (date(2008, 11, 15), date(2026, 11, 14), False, False),
        (date(2008, 11, 15), date(2026, 11, 15), False, True),
        (date(2008, 11, 15), date(2026, 11, 15), True, True),
        # 29 February births.
        (date(2008, 2, 29), date(2026, 1, 31), True, False),
        (date(2008, 2, 29), date(2026, 2, 1), True, True),
        (date(2008, 2, 29), date(2026, 2, 27), False, False),
        (date(2008, 2, 29), date(2026, 2, 28), False, True),
        # Upper bound: born 10/03/1965 is 60 until the day before the 61st birthday (10/03/2026);
        # by month, up to 60 years 11 months: the last eligible day is 28/02/2026.
        (date(1965, 3, 10), date(2026, 2, 28), True, True),
        (date(1965, 3, 10), date(2026, 3, 1), True, False),
        (date(1965, 3, 10), date(2026, 3, 9), False, True),
        (date(1965, 3, 10), date(2026, 3, 10), False, False),
        (date(1965, 3, 10), date(2025, 3, 10), False, True),  # exactly 60: still eligible
        (date(1964, 2, 29), date(2025, 2, 27), False, True),
        (date(1964, 2, 29), date(2025, 2, 28), False, False),  # 61st birthday clamped to 28/02
        # Typical grade-12 student at a spring vote.
        (date(2007, 4, 20), date(2025, 4, 2), True, True),
        (date(2007, 4, 20), date(2025, 4, 2), False, False),
        (date(2007, 4, 20), date(2025, 3, 31), True, False),
    ],
)
def test_is_age_eligible(birth: date, on: date, by_month: bool, expected: bool) -> None:
    assert rules.is_age_eligible(birth, on, by_month=by_month) is expected


@pytest.mark.parametrize(
    ("birth", "by_month", "expected"),
    [
        (date(1965, 3, 10), True, date(2026, 3, 1)),
        (date(1965, 3, 10), False, date(2026, 3, 10)),
        (date(1964, 2, 29), False, date(2025, 2, 28)),
    ],
)
def test_age_eligible_until(birth: date, by_month: bool, expected: date) -> None:
    assert rules.age_eligible_until(birth, by_month=by_month) == expected


# ----------------------------------------------------------------------------------------------------- vote


@pytest.mark.parametrize(
    ("agree", "members", "expected"),
    [
        (5, 7, True),  # 15 >= 14
        (4, 7, False),  # 12 < 14
        (7, 7, True),
        (2, 3, True),  # exactly two thirds
        (1, 3, False),
        (3, 3, True),
        (0, 3, False),
        (2, 2, False),  # a chi bộ needs three official members
        (1, 1, False),
        (0, 0, False),
        (6, 9, True),
        (5, 9, False),
        (10, 15, True),
        (9, 15, False),
        (3, 4, True),  # 9 >= 8
        (2, 4, False),
        (4, 5, True),
        (3, 5, False),  # 9 < 10
    ],
)
def test_vote_passes(agree: int, members: int, expected: bool) -> None:
    assert rules.vote_passes(agree, members) is expected


@pytest.mark.parametrize(("agree", "members"), [(-1, 5), (3, -1), (6, 5), (4, 3)])
def test_vote_passes_rejects_impossible_counts(agree: int, members: int) -> None:
    with pytest.raises(ValueError, match=r"negative|more votes"):
        rules.vote_passes(agree, members)


# --------------------------------------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 5, 6), 0, date(2024, 5, 6)),
        (date(2024, 5, 11), 0, date(2024, 5, 11)),  # n=0 returns start, even a Saturday
        (date(2024, 5, 6), 1, date(2024, 5, 7)),  # Mon -> Tue
        (date(2024, 5, 10), 1, date(2024, 5, 13)),  # Fri -> Mon
        (date(2024, 5, 11), 1, date(2024, 5, 13)),  # Sat -> Mon
        (date(2024, 5, 12), 1, date(2024, 5, 13)),  # Sun -> Mon
        (date(2024, 5, 6), 5, date(2024, 5, 13)),  # a full week
        (date(2024, 5, 6), 10, date(2024, 5, 20)),
    ],
)
def test_add_working_days_without_holidays(start: date, n: int, expected: date) -> None:
    assert rules.add_working_days(start, n, holidays=NONE) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tết 2024: Thu 08/02 .. Wed 14/02 off (with the weekend 10-11/02).
        (date(2024, 2, 7), 1, date(2024, 2, 15)),
        (date(2024, 2, 7), 3, date(2024, 2, 19)),  # 15, 16, (17-18 weekend), 19
        (date(2024, 2, 8), 1, date(2024, 2, 15)),  # counting from inside the break
        # 2024: Mon 29/04 (bridge day), Tue 30/04, Wed 01/05 off.
        (date(2024, 4, 26), 1, date(2024, 5, 2)),
        (date(2024, 4, 26), 3, date(2024, 5, 6)),  # 02, 03, (04-05 weekend), 06
        # National Day 2024: Mon 02/09 and Tue 03/09 off.
        (date(2024, 8, 30), 1, date(2024, 9, 4)),
        # National Day 2025: Mon 01/09 and Tue 02/09 off.
        (date(2025, 8, 29), 1, date(2025, 9, 3)),
        # New Year 2025: Wed 01/01 off.
        (date(2024, 12, 31), 1, date(2025, 1, 2)),
        # Hung Kings' day 2024: Thu 18/04 off.
        (date(2024, 4, 17), 1, date(2024, 4, 19)),
    ],
)
def test_add_working_days_vietnam(start: date, n: int, expected: date) -> None:
    assert rules.add_working_days(start, n, holidays=VN) == expected


def test_add_working_days_accepts_any_collection() -> None:
    days_off = [date(2024, 5, 7), date(2024, 5, 8)]
    assert rules.add_working_days(date(2024, 5, 6), 1, holidays=days_off) == date(2024, 5, 9)
    assert rules.add_working_days(date(2024, 5, 6), 1, holidays=tuple(days_off)) == date(2024, 5, 9)


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        rules.add_working_days(date(2024, 5, 6), -1, holidays=NONE)


@pytest.mark.parametrize(
    ("function", "start", "expected"),
    [
        # decision: 60 working days after a chi bộ resolution on Mon 15/01/2024.
        #   Jan 16-19 (4) 4 | Jan 22-26 (5) 9 | Jan 29-Feb 2 (5) 14 | Feb 5-7 (3) 17, Feb 8-9 Tết
        #   Feb 12-14 Tết, Feb 15-16 (2) 19 | Feb 19-23 24 | Feb 26-Mar 1 29 | Mar 4-8 34 | Mar 11-15 39
        #   Mar 18-22 44 | Mar 25-29 49 | Apr 1-5 54 | Apr 8-12 59 | Mon Apr 15 -> 60
        (rules.decision_deadline, date(2024, 1, 15), date(2024, 4, 15)),
        # decision: 60 working days after Mon 02/12/2024, across New Year and Tết 2025 (27-31/01 off).
        #   Dec 3-6 4 | Dec 9-13 9 | 16-20 14 | 23-27 19 | Dec 30-31 21, Jan 1 off, Jan 2-3 23
        #   Jan 6-10 28 | 13-17 33 | 20-24 38 | Jan 27-31 Tết | Feb 3-7 43 | 10-14 48 | 17-21 53
        #   Feb 24-28 58 | Mon Mar 3 59 | Tue Mar 4 -> 60
        (rules.decision_deadline, date(2024, 12, 2), date(2025, 3, 4)),
        # ceremony: 30 working days after a decision received Mon 01/04/2024.
        #   Apr 2-5 4 | Apr 8-12 9 | Apr 15-19 without Thu 18 (Hung Kings) 13 | Apr 22-26 18
        #   Apr 29, 30, May 1 off, May 2-3 20 | May 6-10 25 | May 13-17 30 -> Fri 17/05
        (rules.ceremony_deadline, date(2024, 4, 1), date(2024, 5, 17)),
        # recognition: 30 working days after probation ends Tue 20/08/2024.
        #   Aug 21-23 3 | Aug 26-30 8 | Sep 2-3 off, Sep 4-6 11 | Sep 9-13 16 | 16-20 21 | 23-27 26
        #   Sep 30, Oct 1, 2, 3 -> 30 on Thu 03/10
        (rules.recognition_deadline, date(2024, 8, 20), date(2024, 10, 3)),
        # transfer: 60 working days after Tue 01/07/2025.
        #   Jul 2-4 3 | Jul 7-11 8 | 14-18 13 | 21-25 18 | Jul 28-Aug 1 23 | Aug 4-8 28 | 11-15 33
        #   18-22 38 | 25-29 43 | Sep 1-2 off, Sep 3-5 46 | 8-12 51 | 15-19 56 | Sep 22-25 -> 60 (Thu)
        (rules.transfer_deadline, date(2025, 7, 1), date(2025, 9, 25)),
    ],
)
def test_deadlines(function: Callable[..., date], start: date, expected: date) -> None:
    assert function(start, holidays=VN) == expected


def test_deadline_lengths_without_holidays() -> None:
    # Mon 06/01/2025 + n working days with no holidays: n/5 whole weeks later.
    monday = date(2025, 1, 6)
    assert rules.decision_deadline(monday, holidays=NONE) == monday + timedelta(weeks=12)
    assert rules.ceremony_deadline(monday, holidays=NONE) == monday + timedelta(weeks=6)
    assert rules.recognition_deadline(monday, holidays=NONE) == monday + timedelta(weeks=6)
    assert rules.transfer_deadline(monday, holidays=NONE) == monday + timedelta(weeks=12)


# --------------------------------------------------------------------------------------------- properties


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 6, 30)),
    n=st.integers(min_value=1, max_value=80),
)
def test_add_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    result = rules.add_working_days(start, n, holidays=VN)
    assert result > start
    assert result.weekday() < 5
    assert result not in VN
    # Exactly n working days in (start, result].
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(rules.is_working_day(d, holidays=VN) for d in days) == n


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    d=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=-1200, max_value=1200),
)
def test_add_months_properties(d: date, months: int) -> None:
    result = rules.add_months(d, months)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == months
    assert result.day <= d.day
    if result.day < d.day:  # clamped: must be the last day of its month
        assert (result + timedelta(days=1)).day == 1


def test_days_off_with_worked_weekend_days() -> None:
    saturday, sunday = date(2026, 10, 10), date(2026, 10, 11)
    plain = frozenset({date(2026, 10, 12)})
    days = rules.DaysOff(plain, working=[saturday, date(2026, 10, 13)])  # a weekday is a working day anyway
    assert days.working == {saturday}
    assert rules.is_working_day(saturday, holidays=days)
    assert not rules.is_working_day(sunday, holidays=days)
    assert not rules.is_working_day(date(2026, 10, 12), holidays=days)
    assert not rules.is_working_day(saturday, holidays=plain)
    # Friday 09/10 + 2 working days: Saturday 10/10, then Tuesday 13/10 (Sunday and the day off passed over).
    assert rules.add_working_days(date(2026, 10, 9), 2, holidays=days) == date(2026, 10, 13)
    assert rules.add_working_days(date(2026, 10, 9), 2, holidays=plain) == date(2026, 10, 14)
    # Equal only when both the days off and the worked days are; a calendar without worked days equals its set.
    assert days != plain
    assert plain != days
    assert rules.DaysOff(plain) == plain
    assert hash(rules.DaysOff(plain)) != hash(days)
    assert pickle.loads(pickle.dumps(days)) == days
    assert pickle.loads(pickle.dumps(days)).working == {saturday}
    assert "working=[datetime.date(2026, 10, 10)]" in repr(days)

"""Tests for lamha_desktop.domain.calendar: Vietnam's days off from the holidays package."""

from __future__ import annotations

from datetime import date

import pytest

from lamha_desktop.domain import calendar, rules


@pytest.mark.parametrize(
    "day",
    [
        # Tết 2024: Thu 08/02 (29 Tết) .. Wed 14/02 (mùng 5).
        date(2024, 2, 8),
        date(2024, 2, 9),
        date(2024, 2, 12),
        date(2024, 2, 13),
        date(2024, 2, 14),
        # 30/4 - 1/5 2024 with the bridge day Mon 29/04 (worked on Sat 04/05).
        date(2024, 4, 29),
        date(2024, 4, 30),
        date(2024, 5, 1),
        # National Day 2024 (Mon 02/09 and Tue 03/09).
        date(2024, 9, 2),
        date(2024, 9, 3),
        date(2024, 1, 1),
        date(2024, 4, 18),  # Hung Kings' day (10/3 lunar)
        # Tết 2025: Mon 27/01 .. Fri 31/01.
        date(2025, 1, 27),
        date(2025, 1, 31),
        date(2025, 5, 2),  # bridge day 2025 (worked on Sat 26/04)
        date(2025, 9, 1),
        date(2025, 9, 2),
        # A weekend New Year's Day gives a day in lieu: Sun 01/01/2023 -> Mon 02/01/2023.
        date(2023, 1, 2),
    ],
)
def test_known_days_off(day: date) -> None:
    assert day in calendar.vietnam_holidays([day.year])


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 2, 7),  # the working day before Tết
        date(2024, 2, 15),  # the working day after Tết
        date(2024, 5, 2),
        date(2024, 9, 4),
        date(2024, 12, 25),  # Christmas is not a day off
        date(2025, 4, 29),
    ],
)
def test_working_days_are_not_in_the_set(day: date) -> None:
    assert day not in calendar.vietnam_holidays([day.year])


def test_only_requested_years() -> None:
    days = calendar.vietnam_holidays([2024])
    assert days
    assert {d.year for d in days} == {2024}
    assert calendar.vietnam_holidays([]) == frozenset()


def test_years_can_be_any_iterable_and_repeat() -> None:
    expected = calendar.vietnam_holidays([2024, 2025])
    assert calendar.vietnam_holidays(iter([2025, 2024, 2024])) == expected
    assert calendar.vietnam_holidays(range(2024, 2026)) == expected


def test_extra_days_off_are_added() -> None:
    local_break = date(2024, 11, 20)
    days = calendar.vietnam_holidays([2024], extra=[local_break])
    assert local_break in days
    assert local_break not in calendar.vietnam_holidays([2024])
    assert rules.add_working_days(date(2024, 11, 19), 1, holidays=days) == date(2024, 11, 21)


def test_working_days_are_removed() -> None:
    bridge = date(2024, 4, 29)
    days = calendar.vietnam_holidays([2024], working=[bridge])
    assert bridge not in days
    assert date(2024, 4, 30) in days
    assert rules.add_working_days(date(2024, 4, 26), 1, holidays=days) == bridge


def test_a_saturday_worked_in_exchange_for_a_bridge_day_counts() -> None:
    # 2024: Monday 29/04 off (the bridge before 30/04 and 01/05), worked on Saturday 04/05 instead.
    saturday = date(2024, 5, 4)
    days = calendar.vietnam_holidays([2024], working=[saturday])
    assert days.working == {saturday}
    assert saturday not in days
    assert date(2024, 4, 29) in days
    assert rules.add_working_days(date(2024, 5, 3), 1, holidays=days) == saturday
    assert rules.add_working_days(date(2024, 5, 3), 1, holidays=calendar.vietnam_holidays([2024])) == date(2024, 5, 6)
    # A weekday among the worked days only leaves the set: it is a working day anyway.
    assert calendar.vietnam_holidays([2024], working=[date(2024, 4, 29)]).working == frozenset()


def test_working_wins_over_extra() -> None:
    day = date(2024, 11, 20)
    assert day not in calendar.vietnam_holidays([2024], extra=[day], working=[day])


def test_result_is_a_frozenset_of_dates() -> None:
    days = calendar.vietnam_holidays([2024])
    assert isinstance(days, frozenset)
    assert all(type(d) is date for d in days)


def test_holidays_for_range_covers_one_more_year() -> None:
    days = calendar.holidays_for_range(date(2024, 3, 1), date(2024, 12, 1))
    assert days == calendar.vietnam_holidays([2024, 2025])
    assert date(2025, 1, 28) in days  # Tết 2025, reached by a deadline counted from late 2024


def test_holidays_for_range_passes_extra_and_working() -> None:
    days = calendar.holidays_for_range(
        date(2024, 1, 1), date(2024, 6, 30), extra=[date(2024, 6, 3)], working=[date(2024, 4, 29)]
    )
    assert date(2024, 6, 3) in days
    assert date(2024, 4, 29) not in days


def test_holidays_for_range_rejects_reversed_range() -> None:
    with pytest.raises(ValueError, match="before start"):
        calendar.holidays_for_range(date(2024, 5, 1), date(2024, 4, 30))


def test_an_entry_that_would_change_no_count_is_named() -> None:
    days = calendar.vietnam_holidays([2026])
    national_day = date(2026, 9, 2)  # a Wednesday off
    assert national_day in days
    assert calendar.day_entry_problem(date(2026, 10, 10), working=True, days_off=days) is None  # a Saturday worked
    assert calendar.day_entry_problem(national_day, working=True, days_off=days) is None  # a holiday worked
    assert calendar.day_entry_problem(date(2026, 10, 14), working=False, days_off=days) is None  # a local break
    assert calendar.day_entry_problem(date(2026, 10, 14), working=True, days_off=days) == "day.already_working"
    assert calendar.day_entry_problem(date(2026, 10, 11), working=False, days_off=days) == "day.already_off"

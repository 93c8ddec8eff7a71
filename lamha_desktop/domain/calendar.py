"""Vietnam's days off, for counting working days (see ``rules.add_working_days``).

The public holidays come from the ``holidays`` package's VN calendar (category ``public``, the only one
it offers for Vietnam), including what it knows of:

* Tết Nguyên Đán: lunar New Year's Eve and the first four days of the lunar year, with the days that
  fall on a weekend moved to an adjacent weekday (which is how "29 Tết" or "mùng 5" show up);
* days off in lieu ("nghỉ bù") when a holiday falls on a weekend, and the second National Day holiday;
* bridge days the government declared (e.g. Monday 29/04/2024, Friday 02/05/2025, Monday 31/08/2026).

Every year the government may declare other breaks; the user adds them as ``extra`` days off. ``working``
names days that were in fact worked: a weekday the package lists is removed from the set, and a Saturday or
Sunday declared a working day in exchange for a bridge day off ("làm bù") counts as one
(``rules.DaysOff.working``, read by ``rules.add_working_days``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache

from lamha_desktop.domain.rules import DaysOff

__all__ = ["day_entry_problem", "holidays_for_range", "vietnam_holidays"]


@lru_cache(maxsize=32)
def _package_days_off(years: tuple[int, ...]) -> frozenset[date]:
    """Return the dates the ``holidays`` package lists for Vietnam in *years* (observed days included)."""
    if not years:
        return frozenset()
    import holidays as holidays_pkg  # imported on first use: it costs ~0.3 s of start-up

    calendar = holidays_pkg.country_holidays("VN", years=years, observed=True)
    return frozenset(calendar.keys())


def vietnam_holidays(
    years: Iterable[int],
    *,
    extra: Iterable[date] = (),
    working: Iterable[date] = (),
) -> DaysOff:
    """Return Vietnam's days off in *years*, plus *extra*, minus *working*.

    Args:
        years: the calendar years to cover; cover every year a deadline count may run into.
        extra: days off declared by the user (a local break, a year the package does not know yet).
        working: days that were worked after all: removed from the set even if also in *extra*, and the
            Saturdays and Sundays among them count as working days (``DaysOff.working``).

    Weekend holidays are in the set as well; they do not change a working-day count.
    """
    wanted = tuple(sorted(set(years)))
    worked = frozenset(working)
    return DaysOff((_package_days_off(wanted) | frozenset(extra)) - worked, working=worked)


def holidays_for_range(
    start: date,
    end: date,
    *,
    extra: Iterable[date] = (),
    working: Iterable[date] = (),
) -> DaysOff:
    """Return :func:`vietnam_holidays` for every year from *start* to one year after *end*.

    The extra year is a margin for a deadline that runs past *end* (60 working days are about three
    months).

    Raises:
        ValueError: *end* is before *start*.
    """
    if end < start:
        raise ValueError("end must not be before start")
    return vietnam_holidays(range(start.year, end.year + 2), extra=extra, working=working)


def day_entry_problem(day: date, *, working: bool, days_off: Collection[date]) -> str | None:
    """Why an entry of the user's day list would change no count; None when it would.

    ``"day.already_working"``: a make-up working day on a Monday to Friday that is no day off in *days_off*
    (the calendar before the entry). ``"day.already_off"``: a day off on a Saturday or Sunday.
    """
    if working and day.weekday() < 5 and day not in days_off:
        return "day.already_working"
    if not working and day.weekday() >= 5:
        return "day.already_off"
    return None

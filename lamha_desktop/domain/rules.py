"""Admission rules as pure functions: age eligibility, the chi bộ vote, and the dated deadlines.

The numbers come from DOMAIN.md section 2 (Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW). Deadlines counted in
working days take the set of days off explicitly (see ``calendar.vietnam_holidays``): a working day is
Monday to Friday and not in that set, or a weekend day the set names as worked (:class:`DaysOff`: a Saturday
the government declares a working day in exchange for a bridge day off, "làm bù").
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Collection, Iterable
from datetime import date, timedelta

__all__ = [
    "ADULT_AGE",
    "CEREMONY_WORKING_DAYS",
    "CERTIFICATE_VALID_MONTHS",
    "DECISION_WORKING_DAYS",
    "MAX_AGE",
    "MIN_OFFICIAL_MEMBERS",
    "PROBATION_MONTHS",
    "RECOGNITION_WORKING_DAYS",
    "TRANSFER_WORKING_DAYS",
    "DaysOff",
    "add_months",
    "add_working_days",
    "age_eligible_from",
    "age_eligible_until",
    "ceremony_deadline",
    "certificate_valid_until",
    "decision_deadline",
    "is_age_eligible",
    "is_working_day",
    "probation_end",
    "recognition_deadline",
    "transfer_deadline",
    "transfer_start",
    "vote_passes",
]

ADULT_AGE = 18
"""Youngest age (in years) at which a person may be admitted."""
MAX_AGE = 60
"""Oldest age (in completed years) at which a person may be admitted."""
MIN_OFFICIAL_MEMBERS = 3
"""A chi bộ needs at least this many official members to vote an admission."""
DECISION_WORKING_DAYS = 60
"""The upper committee decides within this many working days of the chi bộ resolution."""
CEREMONY_WORKING_DAYS = 30
"""The ceremony is held within this many working days of receiving the decision."""
PROBATION_MONTHS = 12
"""Probation lasts this many months from the ceremony."""
RECOGNITION_WORKING_DAYS = 30
"""The chi bộ considers official recognition within this many working days after probation ends."""
TRANSFER_WORKING_DAYS = 60
"""A member who leaves transfers party activity within this many working days."""
CERTIFICATE_VALID_MONTHS = 60
"""The awareness-class certificate is valid for this many months."""


def add_months(d: date, months: int) -> date:
    """Return the same day *months* later (or earlier if negative), clamped to the end of the month.

    ``add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)``;
    ``add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)``.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def age_eligible_from(birth: date, *, by_month: bool = True) -> date:
    """Return the first day on which a person born on *birth* is old enough (18) to be admitted.

    With ``by_month`` (the default reading of "counted by month", tính theo tháng) a person born in month M
    of year Y counts as 18 from the first day of month M of year Y+18. Otherwise (the stricter reading) it
    is the 18th birthday; a person born on 29 February turns 18 on 28 February of a common year (the
    month-end clamp used everywhere in this module).
    """
    if by_month:
        return date(birth.year + ADULT_AGE, birth.month, 1)
    return add_months(birth, 12 * ADULT_AGE)


def age_eligible_until(birth: date, *, by_month: bool = True) -> date:
    """Return the first day on which a person born on *birth* is too old (past 60) to be admitted.

    "18 to 60 inclusive" admits a person whose age is at most 60 years: counted by month, at most
    60 years and 11 months, so the bound is the first day of the birth month at year+61; counted by
    birthday, the day before the 61st birthday, so the bound is the 61st birthday (29 February -> 28
    February). The returned date itself is no longer eligible.
    """
    if by_month:
        return date(birth.year + MAX_AGE + 1, birth.month, 1)
    return add_months(birth, 12 * (MAX_AGE + 1))


def is_age_eligible(birth: date, on: date, *, by_month: bool = True) -> bool:
    """Tell whether a person born on *birth* is between 18 and 60 inclusive on the date *on*.

    The bounds are :func:`age_eligible_from` (inclusive) and :func:`age_eligible_until` (exclusive), by
    the same reading: ``age_eligible_from(birth) <= on < age_eligible_until(birth)``. By month, someone
    born 15/11/2008 is eligible from 01/11/2026 and, at the other end, someone born 10/03/1965 is
    eligible up to 28/02/2026 and no longer on 01/03/2026. By birthday the bounds are 15/11/2026 and
    10/03/2026 (exclusive).
    """
    return age_eligible_from(birth, by_month=by_month) <= on < age_eligible_until(birth, by_month=by_month)


def vote_passes(agree: int, official_members: int) -> bool:
    """Tell whether a chi bộ resolution to admit passes.

    It passes when the votes in favour reach two thirds of **all** the chi bộ's official members (not of
    those present; the caller leaves out members on temporary transfer or exempt and absent), and the
    chi bộ has at least three official members: ``agree * 3 >= official_members * 2``.

    Raises:
        ValueError: a count is negative, or there are more votes in favour than members.
    """
    if agree < 0 or official_members < 0:
        raise ValueError("vote counts must not be negative")
    if agree > official_members:
        raise ValueError("more votes in favour than official members")
    return official_members >= MIN_OFFICIAL_MEMBERS and agree * 3 >= official_members * 2


class DaysOff(frozenset[date]):
    """The days off of a calendar (the dates, as a frozenset) and the weekend days it declares worked.

    A plain set of dates says which weekdays are not worked; Saturdays and Sundays are days off anyway. The
    government sometimes moves a working day to a Saturday in exchange for a bridge day off ("làm bù"): such
    a day is in ``working`` and counts as a working day. Two calendars are equal when both parts are.
    """

    working: frozenset[date]

    def __new__(cls, days: Iterable[date] = (), working: Iterable[date] = ()) -> DaysOff:
        self = super().__new__(cls, days)
        self.working = frozenset(d for d in working if d.weekday() >= 5 and d not in self)
        return self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DaysOff):
            return frozenset.__eq__(self, other) and self.working == other.working
        return not self.working and frozenset.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((frozenset(self), self.working))

    def __repr__(self) -> str:
        return f"DaysOff({sorted(self)!r}, working={sorted(self.working)!r})"


def _worked_weekend_days(holidays: Collection[date]) -> frozenset[date]:
    return holidays.working if isinstance(holidays, DaysOff) else frozenset()


def is_working_day(d: date, *, holidays: Collection[date]) -> bool:
    """Tell whether *d* is a working day: Monday to Friday and not one of *holidays*, or a weekend day that
    *holidays* declares worked (:class:`DaysOff`)."""
    if d in holidays:
        return False
    return d.weekday() < 5 or d in _worked_weekend_days(holidays)


def add_working_days(start: date, n: int, *, holidays: Collection[date]) -> date:
    """Return the *n*-th working day after *start*.

    *start* itself is never counted (whether or not it is a working day): a Friday plus one working day
    is the next Monday (or the Saturday, when *holidays* declares it worked). ``n == 0`` returns *start*
    unchanged. A working day is as :func:`is_working_day` says (see :func:`calendar.vietnam_holidays`);
    make sure *holidays* covers the years the count runs through.

    Raises:
        ValueError: *n* is negative.
    """
    if n < 0:
        raise ValueError("the number of working days must not be negative")
    days_off = holidays if isinstance(holidays, set | frozenset) else frozenset(holidays)
    worked = _worked_weekend_days(holidays)
    current = start
    remaining = n
    one_day = timedelta(days=1)
    while remaining:
        current += one_day
        # is_working_day, with the worked weekend days looked up once: a page of students counts thousands.
        if current not in days_off and (current.weekday() < 5 or current in worked):
            remaining -= 1
    return current


def decision_deadline(chi_bo_resolution: date, *, holidays: Collection[date]) -> date:
    """Return the last day for the admission decision: 60 working days after the chi bộ resolution."""
    return add_working_days(chi_bo_resolution, DECISION_WORKING_DAYS, holidays=holidays)


def ceremony_deadline(decision_received: date, *, holidays: Collection[date]) -> date:
    """Return the last day for the ceremony: 30 working days after the decision was received."""
    return add_working_days(decision_received, CEREMONY_WORKING_DAYS, holidays=holidays)


def probation_end(ceremony: date) -> date:
    """Return the end of probation: the same day 12 months after the ceremony (29/02 -> 28/02).

    The member is official from this date, even if the recognition paperwork comes later.
    """
    return add_months(ceremony, PROBATION_MONTHS)


def recognition_deadline(probation_end: date, *, holidays: Collection[date]) -> date:
    """Return the last day for the chi bộ to consider recognition: 30 working days after probation ends."""
    return add_working_days(probation_end, RECOGNITION_WORKING_DAYS, holidays=holidays)


def transfer_deadline(start: date, *, holidays: Collection[date]) -> date:
    """Return the last day to transfer party activity: 60 working days after *start* (e.g. leaving school)."""
    return add_working_days(start, TRANSFER_WORKING_DAYS, holidays=holidays)


def transfer_start(graduation: date, admitted_on: date | None) -> date:
    """Return the day the 60 working days to transfer run from: the graduation, or the ceremony when the student
    was admitted after graduating (a vote in May often brings the ceremony in the summer): no one transfers party
    activity before being a member."""
    return admitted_on if admitted_on is not None and admitted_on > graduation else graduation


def certificate_valid_until(issued: date) -> date:
    """Return the end of an awareness-class certificate's validity: 60 months after *issued*.

    The day is clamped to the end of the month (31/01/2020 -> 31/01/2025; 29/02/2020 -> 28/02/2025). The
    returned date is the last day on which the certificate still counts: a vote on or before it is
    covered, a later vote needs the class retaken.
    """
    return add_months(issued, CERTIFICATE_VALID_MONTHS)

"""Due items of one candidate, table-driven, with the real Vietnamese calendar where it matters."""

from __future__ import annotations

import datetime as dt

import pytest

from lamha_desktop.domain import calendar, due, pipeline

D = dt.date
K = pipeline.EventKind
E = pipeline.Event
NONE: frozenset[dt.date] = frozenset()
VN = calendar.vietnam_holidays(range(2023, 2028))
CLASS = E(K.CLASS, D(2024, 1, 11), {"cert_no": "1"})
VOTE = E(K.VOTE, D(2026, 9, 1), {"members": 9, "agree": 8, "passed": True})
DECISION = E(K.DECISION, D(2026, 10, 1), {"number": "1-QĐ/HU", "received": "2026-10-05"})
CEREMONY = E(K.CEREMONY, D(2025, 12, 10), {})


@pytest.mark.parametrize(("birth", "grad", "events", "today", "expected"), [
    # Turns 18 (by month) on 01/01/2027, within 3 months of 26/11/2026.
    (D(2009, 1, 20), None, [E(K.SOURCE, D(2026, 9, 1))], D(2026, 11, 26), [("turns_18", D(2027, 1, 1), False)]),
    # Turns 18 on 01/12/2027, after graduating on 31/05/2027.
    (D(2009, 12, 3), 2027, [E(K.SOURCE, D(2026, 9, 1))], D(2026, 11, 26),
     [("turns_18_after_graduation", D(2027, 12, 1), False)]),
    # Certificate of 11/01/2024 is valid to 11/01/2029: nothing due in 2026, due within 3 months in Nov 2028.
    (D(2008, 3, 1), None, [CLASS], D(2026, 11, 26), []),
    (D(2008, 3, 1), None, [CLASS], D(2028, 11, 26), [("certificate_expiring", D(2029, 1, 11), False)]),
    # Voted 01/09/2026: 60 working days later, skipping 02/09 (National Day) and 24/11 (Vietnam Culture
    # Day, a day off from 2026 in the holidays package) -> 26/11/2026.
    (D(2007, 1, 1), None, [CLASS, VOTE], D(2026, 11, 26), [("decision", D(2026, 11, 26), False)]),
    (D(2007, 1, 1), None, [CLASS, VOTE], D(2026, 11, 27), [("decision", D(2026, 11, 26), True)]),
    # Decision received Monday 05/10/2026: 30 working days later -> Monday 16/11/2026.
    (D(2007, 1, 1), None, [CLASS, VOTE, DECISION], D(2026, 11, 26), [("ceremony", D(2026, 11, 16), True)]),
    # Probation from 10/12/2025 ends 10/12/2026: within 30 days of 26/11/2026.
    (D(2007, 1, 1), None, [CLASS, CEREMONY], D(2026, 11, 26), [("probation_ending", D(2026, 12, 10), False)]),
    # After the end (Thursday 10/12/2026): 30 working days, New Year's Day 01/01/2027 off -> 22/01/2027.
    (D(2007, 1, 1), None, [CLASS, CEREMONY], D(2026, 12, 11), [("recognition", D(2027, 1, 22), False)]),
    # A member graduated on 31/05/2026 (Sunday) must transfer within 60 working days: 22 in June,
    # 23 in July, 15 in August (no holiday in between) -> Friday 21/08/2026.
    (D(2007, 1, 1), 2026, [CLASS, CEREMONY], D(2026, 11, 26),
     [("probation_ending", D(2026, 12, 10), False), ("transfer", D(2026, 8, 21), True)]),
    # Admitted after graduating: the 60 working days run from the ceremony (10/12/2025), not from 31/05/2025,
    # which would have made the transfer late before the student was a member: 15 working days in December,
    # 21 in January (01/01 off), 10 in February (Tết 16-20/02 off), 12/03/2026 the 60th.
    (D(2007, 1, 1), 2025, [CLASS, CEREMONY], D(2026, 11, 26),
     [("probation_ending", D(2026, 12, 10), False), ("transfer", D(2026, 3, 12), True)]),
    # Terminal: nothing is due.
    (D(2007, 1, 1), 2026, [CLASS, CEREMONY, E(K.TRANSFER, D(2026, 7, 1), {"destination": "X", "mode": "tam_thoi"})],
     D(2026, 11, 26), []),
])
def test_due_items(birth: dt.date, grad: int | None, events: list[pipeline.Event], today: dt.date,
                   expected: list[tuple[str, dt.date, bool]]) -> None:
    items = due.due_items(birth=birth, graduation_year=grad, events=events, holidays=VN, today=today)
    assert [(i.kind, i.due, i.overdue) for i in items] == expected

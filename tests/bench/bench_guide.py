"""Benchmark: "Bước tiếp theo" for a whole candidates tab, the step menu, and rendering every document.

    .venv/bin/python tests/bench/bench_guide.py [N]

Builds N synthetic histories (default 10,000) spread over every stage, then times ``guide.next_steps`` and
``guide.step_availability`` over all of them with Vietnam's holidays, ``guide.age_window`` for each, and
``reports.documents.render`` of every kind from its example (ten times each, the first call apart since it
loads the libraries). Prints the figures.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from lamha_desktop.domain import calendar, guide
from lamha_desktop.domain.pipeline import Event

D = dt.date


def history(rng: random.Random) -> tuple[dt.date, list[Event]]:
    birth = D(2006, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
    start = D(2023, 9, 1) + dt.timedelta(days=rng.randrange(200))
    events = [Event("source", start, {"helper": "Trần Văn Lộc"})]
    stage = rng.randrange(8)
    day = start
    if stage >= 1:
        day += dt.timedelta(days=60)
        events.append(Event("class", day, {"cert_no": "1/GCN"}))
    if stage >= 2:
        for i, item in enumerate(("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru",
                                  "nx_doan_the")[: rng.randrange(4, 8)]):
            events.append(Event("dossier", day + dt.timedelta(days=10 + i), {"item": item, "member": "Hà"}))
        day += dt.timedelta(days=30)
    if stage >= 3:
        day = max(day, D(birth.year + 18, birth.month, 1)) + dt.timedelta(days=5)
        events.append(Event("vote", day, {"members": 9, "agree": 8, "disagree": 1, "passed": True}))
    if stage >= 4:
        day += dt.timedelta(days=40)
        events.append(Event("decision", day, {"number": "1-QĐ/HU", "received": str(day + dt.timedelta(days=5))}))
    if stage >= 5:
        day += dt.timedelta(days=20)
        events.append(Event("ceremony", day, {"ceremony_id": 1}))
    if stage >= 6:
        day = day.replace(year=day.year + 1) + dt.timedelta(days=10)
        events.append(Event("recognition", day, {"agree": 9, "members": 9}))
    return birth, events


def main(n: int) -> None:
    rng = random.Random(13)
    people = [history(rng) for _ in range(n)]
    holidays = calendar.vietnam_holidays(range(2023, 2030))
    today = D(2025, 3, 1)

    t0 = time.perf_counter()
    steps = 0
    for birth, events in people:
        steps += len(guide.next_steps(birth=birth, events=events, holidays=holidays, today=today,
                                      official_members=9, graduation=guide.graduation_date(birth.year + 18)))
    t_next = time.perf_counter() - t0

    t0 = time.perf_counter()
    for birth, events in people:
        guide.step_availability(birth=birth, events=events, holidays=holidays, today=today, official_members=9)
    t_menu = time.perf_counter() - t0

    t0 = time.perf_counter()
    for birth, _events in people:
        guide.age_window(birth=birth, graduation=guide.graduation_date(birth.year + 18))
    t_window = time.perf_counter() - t0

    print(f"{n} candidates, {steps} next steps")
    print(f"next_steps:        {t_next:7.2f} s  ({t_next / n * 1e3:.3f} ms per candidate)")
    print(f"step_availability: {t_menu:7.2f} s  ({t_menu / n * 1e3:.3f} ms per candidate)")
    print(f"age_window:        {t_window:7.2f} s  ({t_window / n * 1e6:.1f} µs per candidate)")

    t0 = time.perf_counter()
    from lamha_desktop.reports import documents

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    documents.render("nq-chi-bo", documents.example("nq-chi-bo"))
    t_first = time.perf_counter() - t0
    print(f"documents: import {t_import * 1e3:.0f} ms, first render {t_first * 1e3:.0f} ms")
    for code in documents.KINDS:
        context = documents.example(code)
        t0 = time.perf_counter()
        for _ in range(10):
            size = len(documents.render(code, context).data)
        per = (time.perf_counter() - t0) / 10
        print(f"  {code:16s} {per * 1e3:6.1f} ms per render, {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

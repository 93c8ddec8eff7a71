"""What judging whole histories costs (``operations.core.history_violations``, run before every commit).

    .venv/bin/python tests/bench/bench_history.py [N] [--runs R]

- one step: ``steps.edit`` of a step of an admitted demo student (date and data unchanged), timed with the
  check and with the check replaced by a no-op, taking turns R times (default 30); medians;
- N histories (default 10,000 students of ``bench_export.make``, about half with steps): the check alone,
  as an operation that touches them all (an import, a restore) runs it.

The import of 10,000 rows prints its own history check (``bench_import.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lamha_desktop.operations import ACCEPT_ALL, core, demo, steps
from lamha_desktop.storage import db
from lamha_desktop.storage.models import Candidate, Event


def one_step(folder: Path, runs: int) -> tuple[float, float, int]:
    db.open_database(folder / db.DB_FILENAME)
    demo.build_demo()
    admitted = Candidate.select().where(Candidate.admitted_on.is_null(False)).order_by(Candidate.id).first()
    ev = Event.select().where(Event.candidate == admitted.id).order_by(Event.on.desc()).first()
    history = Event.select().where(Event.candidate == admitted.id).count()
    on, data = ev.on, {k: v for k, v in dict(ev.data or {}).items() if k not in ("warnings", "accepted")}
    today = demo.DEMO_TODAY
    original = core.history_violations
    with_check: list[float] = []
    without: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        steps.edit(ev.id, on, data, accept=ACCEPT_ALL, today=today)
        with_check.append(time.perf_counter() - t0)
        core.history_violations = lambda ids, **kw: []  # type: ignore[assignment]
        try:
            t0 = time.perf_counter()
            steps.edit(ev.id, on, data, accept=ACCEPT_ALL, today=today)
            without.append(time.perf_counter() - t0)
        finally:
            core.history_violations = original  # type: ignore[assignment]
    db.close_database()
    return statistics.median(with_check), statistics.median(without), history


def many(folder: Path, n: int) -> tuple[float, int, int]:
    from bench_export import make

    make(folder / db.DB_FILENAME, n)
    ids = [c.id for c in Candidate.select(Candidate.id)]
    t0 = time.perf_counter()
    found = core.history_violations(ids, today=dt.date(2026, 12, 1))
    seconds = time.perf_counter() - t0
    with_steps = Event.select(Event.candidate).distinct().count()
    db.close_database()
    return seconds, with_steps, len(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
    (tmp / "demo").mkdir()
    (tmp / "many").mkdir()
    with_check, without, history = one_step(tmp / "demo", args.runs)
    print(f"one step (edit of a step of a student with {history} steps): {with_check * 1000:.1f} ms with the "
          f"history check, {without * 1000:.1f} ms without; the check costs {(with_check - without) * 1000:.1f} ms "
          f"(medians of {args.runs}, taking turns)")
    seconds, with_steps, found = many(tmp / "many", args.n)
    print(f"{args.n} students ({with_steps} with steps): the history check alone {seconds:.2f} s "
          f"({found} problems in these generated histories)")


if __name__ == "__main__":
    main()

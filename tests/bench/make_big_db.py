"""Generate a database with many candidates quickly (bulk inserts in one transaction), for the benchmarks."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

from lamha_desktop.domain import people, pipeline
from lamha_desktop.operations import demo
from lamha_desktop.storage import db
from lamha_desktop.storage.models import Candidate, Event, Organisation


def candidate_rows(n: int, org_ids: list[int], rng: random.Random) -> tuple[list[dict[str, Any]], list[dt.date]]:
    """``n`` candidates of the given organisations (names as the demo's) and the day each was listed."""
    rows = []
    listed_on = []
    for i in range(n):
        female = rng.random() < 0.6
        name = " ".join([rng.choice(demo.FAMILY[:16]), rng.choice(demo.MIDDLE_F if female else demo.MIDDLE_M),
                         rng.choice(demo.GIVEN_F if female else demo.GIVEN_M)])
        birth = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365))
        listed = dt.date(2022, 9, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365))
        rows.append({
            "uid": f"{i:032x}", "organisation": rng.choice(org_ids), "full_name": name,
            "search_key": people.search_key(name), "sort_key": people.sort_key(name),
            "gender": "nu" if female else "nam", "birth": birth, "ethnic": "01", "religion": "00",
            "personal_id": f"068{i:09d}", "class_name": f"1{rng.randrange(0, 3)}A{rng.randrange(1, 9)}",
            "stage": int(pipeline.Stage.SOURCE), "eligible_from": dt.date(birth.year + 18, birth.month, 1),
            "listed_year": listed.year,
        })
        listed_on.append(listed)
    return rows, listed_on


def make(path: Path, n: int, *, seed: int = 7) -> float:
    """Create ``path`` with 5 organisations and ``n`` candidates; return the seconds it took."""
    t0 = time.perf_counter()
    path.unlink(missing_ok=True)
    db.open_database(path)
    rng = random.Random(seed)
    with db.database.atomic():
        org_ids = [Organisation.create(**{k: v for k, v in o.items()}).id for o in demo.ORGS]
        rows, listed_on = candidate_rows(n, org_ids, rng)
        for start in range(0, n, 2000):
            Candidate.insert_many(rows[start:start + 2000]).execute()
        ev_rows = [{"candidate": i + 1, "kind": pipeline.EventKind.SOURCE, "on": on, "data": {}}
                   for i, on in enumerate(listed_on)]
        for start in range(0, n, 2000):
            Event.insert_many(ev_rows[start:start + 2000]).execute()
    db.close_database()
    return time.perf_counter() - t0


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(f"generated {count} candidates in {make(target, count):.1f} s -> {target}")

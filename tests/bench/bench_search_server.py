"""The students' search on a shared server at province scale: the pg_trgm index against the scan.

    .venv/bin/python tests/bench/bench_search_server.py [N]

A throwaway PostgreSQL cluster (as the tests start one: ``tests/pgserver.py``) gets ``server-init``'s schema
and N students (100,000 by default, named as the demo's), then ``ANALYZE``. Each searched text runs through
``storage.search.condition`` as the students tab runs it: the first page (``LIMIT 100``) and the whole list,
median of seven runs, with the trigram index ``server-init`` creates, then again after it is dropped (a server
without ``pg_trgm``). Printed: one row per text, the times in milliseconds and how many students match. No bar
of issue 15 applies to a server (the network adds its own time); the figures say what the index is worth.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

TEXTS = ("n", "ng", "nguyen", "thi", "hoa", "ngoc anh", "k'lin", "00001234", "068000099", "xyz")
RUNS = 7


def median_ms(call: object) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def measure() -> dict[str, tuple[float, float, int]]:
    from lamha_desktop.storage import repo

    out = {}
    for text in TEXTS:
        flt = repo.CandidateFilter(text=text)
        matches = len(repo.candidate_ids(flt))
        first = median_ms(lambda flt=flt: repo.candidate_ids(flt, limit=100))
        whole = median_ms(lambda flt=flt: repo.candidate_ids(flt))
        out[text] = (first, whole, matches)
    return out


def main(n: int) -> None:
    import pgserver
    from make_big_db import candidate_rows

    from lamha_desktop.operations import demo
    from lamha_desktop.storage import db, search, server
    from lamha_desktop.storage.models import Candidate, Organisation
    from lamha_desktop.storage.typed_peewee import raw

    cluster = pgserver.start_cluster()
    try:
        import psycopg

        with psycopg.connect(cluster.url("postgres"), autocommit=True) as con:
            con.execute('CREATE DATABASE "bench_search"')
        server.init_server(cluster.url("bench_search"))
        t0 = time.perf_counter()
        with db.database.atomic():
            org_ids = [Organisation.create(**dict(o)).id for o in demo.ORGS]
            rows, _ = candidate_rows(n, org_ids, random.Random(7))
            for start in range(0, n, 2000):
                Candidate.insert_many(rows[start:start + 2000]).execute()
        raw(db.database).execute_sql("ANALYZE")
        print(f"{n} students on PostgreSQL {db.database.server_version} in {time.perf_counter() - t0:.1f} s; "
              f"trigram index: {'yes' if search.has_index() else 'NO'}")
        indexed = measure()
        raw(db.database).execute_sql(f'DROP INDEX "{search.PG_INDEX}"')
        raw(db.database).execute_sql("ANALYZE")
        search.forget()
        scanned = measure()
        print("| text | matches | first page, index | first page, scan | whole list, index | whole list, scan |")
        print("|---|---|---|---|---|---|")
        for text in TEXTS:
            (f1, w1, m), (f2, w2, _m) = indexed[text], scanned[text]
            print(f"| {text} | {m} | {f1:.1f} ms | {f2:.1f} ms | {w1:.1f} ms | {w2:.1f} ms |", flush=True)
        db.close_database()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

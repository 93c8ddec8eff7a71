"""Benchmark: the Excel return over 100,000 candidates, against writing the same cells with bare openpyxl.

    .venv/bin/python tests/bench/bench_export.py [N]

Generates a database with N candidates (default 100,000; bulk inserts in one transaction), about a tenth of
them admitted in the first half of 2024, then times: collecting the figures (SQL), building the .xlsx from
the template, and bare openpyxl writing the same cells (the same values in three sheets, no template, no
styles). Prints the figures and the ratio.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from lamha_desktop.domain import people, pipeline
from lamha_desktop.operations import demo
from lamha_desktop.reports import excel_return
from lamha_desktop.storage import db, report_data
from lamha_desktop.storage.models import Candidate, Ceremony, CeremonyCandidate, Event, Organisation

D = dt.date


def make(path: Path, n: int, *, seed: int = 11, admitted_share: float = 0.1) -> float:
    """Create ``path`` with 50 organisations and ``n`` candidates, ``admitted_share`` of them admitted in the first
    half of 2024; return the seconds it took (the database stays open)."""
    t0 = time.perf_counter()
    db.open_database(path)
    rng = random.Random(seed)
    with db.database.atomic():
        orgs = [Organisation.create(**o).id for o in demo.ORGS]
        orgs += [Organisation.create(code=f"S{i:02d}", school_name=f"Trường THPT Số {i}", name=f"Chi bộ Trường {i}",
                                     annual_target=2).id for i in range(45)]
        ceremonies = {}
        for org in orgs:
            for month in (2, 4, 6):
                on = D(2024, month, 10 + org % 10)
                ceremonies[(org, month)] = Ceremony.create(organisation=org, on=on, decision_no=f"{org}-QĐ/HU",
                                                           decision_date=on - dt.timedelta(days=15)).id
        cands, events, links = [], [], []
        for i in range(n):
            female = rng.random() < 0.6
            name = " ".join([rng.choice(demo.FAMILY[:16]), rng.choice(demo.MIDDLE_F if female else demo.MIDDLE_M),
                             rng.choice(demo.GIVEN_F if female else demo.GIVEN_M)])
            org = rng.choice(orgs)
            birth = D(2005, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
            admitted = None
            cid = i + 1
            events.append({"candidate": cid, "kind": "source", "on": D(2023, 9, 1), "data": {}})
            if rng.random() < 0.5:
                on = D(2023, 11, 1) + dt.timedelta(rng.randrange(200))
                events.append({"candidate": cid, "kind": "class", "on": on, "data": {"cert_no": "1/GCN"}})
            if rng.random() < admitted_share:
                month = rng.choice((2, 4, 6))
                admitted = D(2024, month, 10 + org % 10)
                events.append({"candidate": cid, "kind": "vote", "on": admitted - dt.timedelta(days=60),
                               "data": {"members": 9, "agree": 8, "passed": True}})
                events.append({"candidate": cid, "kind": "decision", "on": admitted - dt.timedelta(days=15),
                               "data": {"number": "x"}})
                links.append({"ceremony": ceremonies[(org, month)], "candidate": cid})
            cands.append({
                "uid": f"{i:032x}", "organisation": org, "full_name": name, "search_key": people.search_key(name),
                "sort_key": people.sort_key(name), "gender": "nu" if female else "nam", "birth": birth,
                "ethnic": rng.choice(["01"] * 8 + ["16", "28"]), "religion": rng.choice(["00"] * 8 + ["02"]),
                "personal_id": f"068{i:09d}", "class_name": f"12A{rng.randrange(1, 9)}", "union_since": D(2020, 3, 26),
                "stage": int(pipeline.Stage.PROBATION if admitted else pipeline.Stage.SOURCE),
                "admitted_on": admitted, "listed_year": 2023})
        for rows, model in ((cands, Candidate), (events, Event), (links, CeremonyCandidate)):
            for s in range(0, len(rows), 5000):
                model.insert_many(rows[s:s + 5000]).execute()
    return time.perf_counter() - t0


def bare(data: report_data.ReturnData, hidden: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, o in enumerate(data.organisations, 1):
        ws.append([i, o.name, *[getattr(o, f) for f in report_data.OrgFigures.COUNTS], "Đạt" if o.target_met else ""])
    lst = wb.create_sheet("Danh sách")
    for i, s in enumerate(data.students, 1):
        lst.append([i, s.full_name, s.birth, s.gender_name, s.ethnic_name, s.religion_name, s.class_name, s.org_name,
                    s.decision_no, s.decision_date, s.ceremony_date, s.probation_end])
    for row in lst.iter_rows(min_col=3, max_col=12):
        for c in row:
            if isinstance(c.value, dt.date):
                c.number_format = "DD/MM/YYYY"
    hid = wb.create_sheet("_data")
    for r in hidden:
        hid.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
    print(f"generate {n} candidates: {make(folder / db.DB_FILENAME, n):.1f} s")
    t0 = time.perf_counter()
    data = report_data.collect(report_data.parse_period("2024-H1"))
    t_collect = time.perf_counter() - t0
    t0 = time.perf_counter()
    content = excel_return.build(data)
    t_build = time.perf_counter() - t0
    p = data.payload
    hidden = [[k, json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)]
              for k, rs in (("organisation", p.organisations), ("ceremony", p.ceremonies), ("student", p.students),
                            ("event", p.events)) for r in rs]
    t0 = time.perf_counter()
    plain = bare(data, hidden)
    t_bare = time.perf_counter() - t0
    db.close_database()
    print(f"organisations {len(data.organisations)}, admitted in 2024-H1: {len(data.students)}, "
          f"hidden records: {len(hidden)}")
    print(f"ours:  collect (SQL) {t_collect:.2f} s + build from template {t_build:.2f} s = "
          f"{t_collect + t_build:.2f} s ({len(content) / 1e6:.1f} MB)")
    print(f"bare openpyxl, same cells: {t_bare:.2f} s ({len(plain) / 1e6:.1f} MB)")
    print(f"ratio build/bare: {t_build / t_bare:.2f}; (collect+build)/bare: {(t_collect + t_build) / t_bare:.2f}")


if __name__ == "__main__":
    main()

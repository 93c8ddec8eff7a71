"""Import of a 10,000-row class list, next to reading the same file with bare openpyxl (read-only).

    .venv/bin/python tests/bench/bench_import.py [ROWS] [--runs R]

The whole import is what the wizard and ``import-students`` do: read the file (values and fonts), detect
the header and parse the rows, plan against the database (``operations.importing.plan``) and apply it
(``operations.importing.apply``: the data-folder lock, one transaction, the audit entries, the histories of
the touched students judged before commit). Each run imports into a fresh database. The bare read is
``load_workbook(read_only=True)`` + ``iter_rows(values_only=True)`` over every sheet. The two take turns,
``R`` times each (default 3); the ratio is of the medians of this run.

Then the same file is imported again with every class changed (10,000 updates, whose histories the
operation judges) and the time of the history check alone is printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))  # tests/ (the file builders)

import openpyxl  # noqa: E402
from classlist_files import SIMPLE_HEADER, big_xlsx, simple_row, student  # noqa: E402
from figures import header, row  # noqa: E402

from lamha_desktop.operations import core, importing, organisations  # noqa: E402
from lamha_desktop.readers import class_list  # noqa: E402
from lamha_desktop.storage import db  # noqa: E402


def bare_openpyxl(path: Path) -> float:
    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    wb.close()
    return time.perf_counter() - t0


def import_file(path: Path, org_id: int) -> dict[str, float]:
    """Read, parse, plan and apply ``path`` into the open database; the time of each phase."""
    t0 = time.perf_counter()
    table = class_list.read_table(path)
    t1 = time.perf_counter()
    rows = class_list.parse_rows(table, class_list.detect_all(table))
    t2 = time.perf_counter()
    plan = importing.plan(rows, org_id)
    t3 = time.perf_counter()
    counts = importing.apply(plan).result
    t4 = time.perf_counter()
    assert counts["rejected"] == 0, counts
    return {"read": t1 - t0, "parse": t2 - t1, "plan": t3 - t2, "write": t4 - t3, "total": t4 - t0,
            "new": counts["new"], "updated": counts["updated"]}


def fresh_database(folder: Path) -> int:
    folder.mkdir(parents=True)
    db.open_database(folder / db.DB_FILENAME)
    created = organisations.create({"code": "BENCH", "school_name": "THPT Bench", "name": "Chi bộ Bench",
                                    "official_members": 5}).created_id
    assert created is not None
    return created


def changed_xlsx(path: Path, n: int) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("DanhSach")
    ws.append(list(SIMPLE_HEADER))
    for i in range(n):
        s = student(i)
        ws.append(simple_row(s | {"class_name": "12D9"}))
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n = args.rows
    tmp = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
    # Excel (and LibreOffice) write shared strings and a <dimension>: openpyxl reads such a file in one pass.
    # The vnEdu-like export written by openpyxl's write-only mode has inline strings and no <dimension>, which
    # makes openpyxl read the sheet twice: the bare reference is slower there.
    excel_like = big_xlsx(tmp / "excel.xlsx", n, as_excel=True)
    excel_bare: list[float] = []
    excel_ours: list[float] = []
    for i in range(args.runs):
        excel_bare.append(bare_openpyxl(excel_like))
        db.close_database()
        org_id = fresh_database(tmp / f"excel{i}")
        excel_ours.append(import_file(excel_like, org_id)["total"])
    db.close_database()
    path = big_xlsx(tmp / "big.xlsx", n)
    bare: list[float] = []
    ours: list[dict[str, float]] = []
    org_id = 0
    for i in range(args.runs):
        bare.append(bare_openpyxl(path))
        org_id = fresh_database(tmp / f"data{i}")
        ours.append(import_file(path, org_id))
        if i < args.runs - 1:
            db.close_database()
    # The last database stays open: import the same students again, every class changed.
    judged: list[float] = []
    original = core.history_violations

    def timed(ids: list[int], **kw: object) -> list[core.Problem]:
        t0 = time.perf_counter()
        try:
            return original(ids, **kw)  # type: ignore[arg-type]
        finally:
            judged.append(time.perf_counter() - t0)

    core.history_violations = timed  # type: ignore[assignment]
    try:
        update = import_file(changed_xlsx(tmp / "changed.xlsx", n), org_id)
    finally:
        core.history_violations = original  # type: ignore[assignment]
    db.close_database()

    def med(key: str) -> float:
        return statistics.median(o[key] for o in ours)

    b = statistics.median(bare)
    print(f"rows: {n}; medians of {args.runs} runs, taking turns")
    print(f"bare openpyxl read-only read:   {b:7.3f} s")
    print(f"our read (values + fonts):      {med('read'):7.3f} s  ({med('read') / b:.2f}x bare)")
    print(f"  detect + parse:               {med('parse'):7.3f} s")
    print(f"  plan (bulk lookup, validate): {med('plan'):7.3f} s")
    print(f"  apply (one transaction):      {med('write'):7.3f} s")
    print(f"our whole import:               {med('total'):7.3f} s")
    print(f"import again, {update['updated']:.0f} updated: {update['total']:.3f} s (apply {update['write']:.3f} s); "
          f"history check of the touched students {sum(judged) * 1000:.0f} ms")
    header()
    row(f"Import of {n:,} rows vs bare openpyxl read-only reading (vnEdu-like export)", med("total") / b, 2, 1.3,
        detail=f"{med('total'):.2f} s vs {b:.2f} s")
    eb, eo = statistics.median(excel_bare), statistics.median(excel_ours)
    row("same, a workbook as Excel writes it (shared strings, <dimension>)", eo / eb, 2, 1.3,
        detail=f"{eo:.2f} s vs {eb:.2f} s")


if __name__ == "__main__":
    main()

"""Benchmark: import a 10,000-row class list, next to reading the same file with bare openpyxl (read-only).

Run: ``.venv/bin/python tests/bench/bench_import.py [ROWS]``. Prints the time of each phase of our import
(read, detect + parse, plan against the database, write in one transaction), the bare openpyxl read of the
same file (``load_workbook(read_only=True)`` + ``iter_rows(values_only=True)``), and the ratio. Not collected
by pytest; figures, not assertions.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1]))  # tests/ (the file builders)
sys.path.insert(0, str(HERE.parents[2]))  # the project

import openpyxl  # noqa: E402
from classlist_files import big_xlsx  # noqa: E402

from lamha_desktop.readers import class_list  # noqa: E402
from lamha_desktop.storage import db, importer, writers  # noqa: E402


def bare_openpyxl(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True)
    n = 0
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
    return time.perf_counter() - t0, n


def ours(path: Path, data_dir: Path) -> dict[str, float]:
    db.open_database(data_dir / db.DB_FILENAME)
    org_id = writers.save_organisation({"code": "BENCH", "school_name": "THPT Bench", "name": "Chi bộ Bench",
                                     "official_members": 5})
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    table = class_list.read_table(path)
    t1 = time.perf_counter()
    matches = class_list.detect_all(table)
    rows = class_list.parse_rows(table, matches)
    t2 = time.perf_counter()
    plan = importer.plan_import(rows, org_id)
    t3 = time.perf_counter()
    counts = importer.apply_import(plan)
    t4 = time.perf_counter()
    again = importer.plan_import(class_list.parse_rows(table, matches), org_id).counts()
    db.close_database()
    assert counts["new"] == len(rows), counts
    assert again["unchanged"] == len(rows), again
    times.update(read=t1 - t0, parse=t2 - t1, plan=t3 - t2, write=t4 - t3, total=t4 - t0)
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = big_xlsx(Path(tmp) / "big.xlsx", n)
        bare, rows = bare_openpyxl(path)
        t = ours(path, Path(tmp) / "data")
    print(f"rows: {n} ({rows} sheet rows incl. title and header), file {path.name}")
    print(f"bare openpyxl read-only read:   {bare:7.3f} s")
    print(f"our read (values + fonts):      {t['read']:7.3f} s  ({t['read'] / bare:.2f}x bare)")
    print(f"  detect + parse:               {t['parse']:7.3f} s")
    print(f"  plan (bulk lookup, validate): {t['plan']:7.3f} s")
    print(f"  write (one transaction):      {t['write']:7.3f} s")
    print(f"our whole import:               {t['total']:7.3f} s")
    print(f"ratio whole import / bare read: {t['total'] / bare:7.2f}")


if __name__ == "__main__":
    main()

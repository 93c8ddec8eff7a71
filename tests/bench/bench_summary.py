"""The printed summary (``summary-pdf``) with 20,000 admitted students, next to ``export-return``.

    .venv/bin/python tests/bench/bench_summary.py [ADMITTED] [--runs R] [--db FOLDER]

Both are the headless commands, run as a clerk's script runs them, on the same database (made by
``bench_export.make``: 100,000 students, ADMITTED of them admitted in the first half of 2024). They take
turns, R times each (default 1: the summary took minutes before it was made linear); the ratio is of the
medians of this run. The PDF's page count is printed too.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import header, row, run_once


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("admitted", nargs="?", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--db", type=Path, help="an existing data folder (made otherwise)")
    args = parser.parse_args()
    folder = args.db
    if folder is None:
        from bench_export import make

        from lamha_desktop.storage import db

        folder = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
        n = max(100_000, args.admitted * 5)
        seconds = make(folder / db.DB_FILENAME, n, admitted_share=args.admitted / n)
        db.close_database()
        print(f"database: {n} students ({args.admitted} admitted expected) generated in {seconds:.1f} s")
    out = Path(tempfile.mkdtemp(prefix="lamha-bench-out-"))
    py = sys.executable
    times: dict[str, list[float]] = {"export": [], "summary": []}
    for _ in range(args.runs):
        for name, command in (("export", "export-return"), ("summary", "summary-pdf")):
            target = out / ("return.xlsx" if name == "export" else "summary.pdf")
            wall, _cpu, _ = run_once([py, "-m", "lamha_desktop", command, "--data-dir", str(folder),
                                      "--period", "2024-H1", "--out", str(target)])
            times[name].append(wall)
    pdf = out / "summary.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    export = statistics.median(times["export"])
    summary = statistics.median(times["summary"])
    print(f"export-return {export:.2f} s; summary-pdf {summary:.2f} s ({pages} pages, "
          f"{pdf.stat().st_size / 1e6:.1f} MB); medians of {args.runs}")
    header()
    row(f"`summary-pdf` with {args.admitted:,} admitted students vs `export-return`", summary / export, 3, 1,
        detail=f"{summary:.1f} s vs {export:.1f} s")


if __name__ == "__main__":
    main()

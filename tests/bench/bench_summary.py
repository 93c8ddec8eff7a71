"""The printed summary (``summary-pdf``) with 20,000 admitted students, next to ``export-return``.

    .venv/bin/python tests/bench/bench_summary.py [ADMITTED] [--runs R] [--db FOLDER] [--before CHECKOUT]

Both are the headless commands, run as a clerk's script runs them, on the same database (made by
``bench_export.make``: 100,000 students, ADMITTED of them admitted in the first half of 2024). They take
turns, R times each (default 1), after one untimed round when R > 1; the ratio is of the medians of this run.
The PDF's page count is printed too. ``--before`` runs the summary of an older checkout in the same turns
(its own folder as the working folder, so that ``python -m`` finds its package first), for a before/after
figure from one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import PROJECT, header, row, run_once


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("admitted", nargs="?", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--db", type=Path, help="an existing data folder (made otherwise)")
    parser.add_argument("--before", type=Path, help="a checkout of an older commit, its summary timed in turns")
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
    base = [py, "-m", "lamha_desktop"]
    period = ["--data-dir", str(folder), "--period", "2024-H1"]
    commands = {"export": ([*base, "export-return", *period, "--out", str(out / "return.xlsx")], PROJECT, None),
                "summary": ([*base, "summary-pdf", *period, "--out", str(out / "summary.pdf")], PROJECT, None)}
    if args.before is not None:
        before = args.before.resolve()
        commands["before"] = ([*base, "summary-pdf", *period, "--out", str(out / "before.pdf")], before,
                              {"PYTHONPATH": str(before)})
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for turn in range(args.runs + (1 if args.runs > 1 else 0)):
        for name, (command, cwd, extra) in commands.items():
            wall, cpu, _ = run_once(command, cwd=cwd, extra_env=extra)
            if args.runs == 1 or turn > 0:
                times[name].append(wall)
                cpus[name].append(cpu)
    export = statistics.median(times["export"])
    for name in [n for n in commands if n != "export"]:
        pdf = out / ("summary.pdf" if name == "summary" else "before.pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
        pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
        summary = statistics.median(times[name])
        print(f"{name}: summary-pdf {summary:.2f} s (CPU {statistics.median(cpus[name]):.2f} s), {pages} pages, "
              f"{pdf.stat().st_size / 1e6:.1f} MB; {summary / export:.2f}× export-return")
    print(f"export-return {export:.2f} s (CPU {statistics.median(cpus['export']):.2f} s); medians of {args.runs}")
    summary = statistics.median(times["summary"])
    header()
    row(f"`summary-pdf` with {args.admitted:,} admitted students vs `export-return`", summary / export, 3, 1,
        detail=f"{summary:.1f} s vs {export:.1f} s")


if __name__ == "__main__":
    main()

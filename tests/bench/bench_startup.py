"""Start-up: ``--smoke-test`` on the demo database and on 100,000 students, next to a bare PySide6 window.

    .venv/bin/python tests/bench/bench_startup.py [N] [--runs R]

The three commands take turns (bare, demo, big, bare, demo, big…) after one untimed round (which builds the
demo data and takes the day's first backup of the big database), so a load that comes and goes on the
machine touches each alike; the ratios are of medians from this one run. CPU time (user + system of the
child) is printed beside the wall time: it moves less when the machine is shared.

The bare window is what any PySide6 program pays: the interpreter, Qt's libraries, a QApplication and a
QMainWindow shown and painted once. ``--smoke-test`` does the same with our window on a real database.
A third reference, ``same_shape_window.py``, builds a window of our window's shape (tabs, the students' page
with its table, menus, tool bar, status bar) with PySide6 alone: the difference between it and the smoke test is
the program's own work, and what the bar leaves for that work is printed beside it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures
from figures import alternate, header, row
from make_big_db import make

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.show(); app.processEvents(); w.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big", type=Path, help="an existing data folder with N students (made otherwise)")
    parser.add_argument("--before", type=Path, help="a checkout of an older commit, measured in the same turns "
                                                    "(on copies of the same data) for a before/after table")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
    big = args.big
    if big is None:
        big = folder / "big"
        big.mkdir()
        print(f"database: {args.n} students generated in {make(big / 'lamha.sqlite3', args.n):.1f} s")
    demo = folder / "demo"
    py = sys.executable
    commands = {
        "bare": [py, "-c", BARE],
        "shape": [py, str(Path(__file__).resolve().parent / "same_shape_window.py")],
        "demo": [py, "-m", "lamha_desktop", "--smoke-test", "--demo", "--data-dir", str(demo)],
        "big": [py, "-m", "lamha_desktop", "--smoke-test", "--data-dir", str(big)],
    }
    envs: dict[str, dict[str, str]] = {}
    if args.before is not None:
        import shutil

        big_before = folder / "big-before"
        big_before.mkdir()
        shutil.copy2(big / "lamha.sqlite3", big_before / "lamha.sqlite3")
        commands["demo before"] = [py, "-m", "lamha_desktop", "--smoke-test", "--demo", "--data-dir",
                                   str(folder / "demo-before")]
        commands["big before"] = [py, "-m", "lamha_desktop", "--smoke-test", "--data-dir", str(big_before)]
        envs = {k: {"PYTHONPATH": str(args.before)} for k in ("demo before", "big before")}
    # ``python -m`` finds a package in its working folder before PYTHONPATH: each tree runs from its own.
    cwds = {k: (args.before if k.endswith("before") else figures.PROJECT) for k in commands}
    timed = alternate(commands, runs=args.runs, envs=envs, cwds=cwds)
    bare = timed["bare"]
    for name, t in timed.items():
        print(f"{name:11}: wall {t.wall:.3f} s, CPU {t.cpu:.3f} s (median of {t.runs})")
    if args.before is not None:
        for name in ("demo", "big"):
            b = timed[f"{name} before"]
            print(f"{name} before: {b.wall / bare.wall:.2f}x wall, {b.cpu / bare.cpu:.2f}x CPU of the bare window")
    header()
    row("`--smoke-test` vs a bare PySide6 window, demo database", timed["demo"].wall / bare.wall, 2, 1.3,
        detail=f"{timed['demo'].wall:.2f} s vs {bare.wall:.2f} s; CPU {timed['demo'].cpu / bare.cpu:.2f}×")
    row(f"same, {args.n:,} students", timed["big"].wall / bare.wall, 2, 1.3,
        detail=f"{timed['big'].wall:.2f} s vs {bare.wall:.2f} s; CPU {timed['big'].cpu / bare.cpu:.2f}×")
    shape = timed["shape"]
    left = 2 * bare.wall - shape.wall
    print(f"\nA window of the same shape without our code: {shape.wall / bare.wall:.2f}× the bare window "
          f"({shape.wall:.3f} s). Under the 2× bar that leaves {left * 1000:.0f} ms for the program's own work; "
          f"it takes {(timed['demo'].wall - shape.wall) * 1000:.0f} ms (demo) and "
          f"{(timed['big'].wall - shape.wall) * 1000:.0f} ms ({args.n:,} students).")


if __name__ == "__main__":
    main()

"""Benchmark the candidates tab on 100,000 candidates and the start-up time. Prints figures; not a test.

    .venv/bin/python tests/bench/bench_candidates.py [N]

Figures: time to open the candidates tab (query + first page painted), time from one typed search
character to the updated table, the rows of one page of 100 (status and "Bước tiếp theo" computed), peak memory
of this process, and the start time of `--smoke-test`
next to a bare PySide6 window started the same way, in the same run.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_big_db import make

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.show(); app.processEvents(); w.close()
"""


def _median_run(cmd: list[str], runs: int = 5) -> float:
    times = []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
    path = folder / "lamha.sqlite3"
    print(f"database: {n} candidates generated in {make(path, n):.1f} s")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from lamha_desktop.storage import db

    app = QApplication.instance() or QApplication([])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    db.open_database(path)
    from lamha_desktop.ui.candidates.tab import CandidatesTab

    t0 = time.perf_counter()
    tab = CandidatesTab()
    tab.resize(1200, 700)
    tab.show()
    app.processEvents()
    tab.grab()  # paint the first page: fetches its rows
    open_s = time.perf_counter() - t0
    print(f"open the candidates tab: {open_s * 1000:.0f} ms ({tab.model.rowCount()} rows)")

    samples = []
    for text in ("n", "ng", "ngu", "nguy", "t", "th", "thi", "a", "an", "anh", ""):
        t0 = time.perf_counter()
        tab.search.setText(text)
        tab.requery()  # what the 60 ms debounce timer triggers
        tab.grab()
        samples.append((text, time.perf_counter() - t0, tab.model.rowCount()))
    for text, s, rows in samples:
        print(f"  search {text!r:8}: {s * 1000:6.0f} ms -> {rows} rows")
    print(f"one typed character -> updated table: median {statistics.median(s for _, s, _ in samples) * 1000:.0f} ms,"
          f" max {max(s for _, s, _ in samples) * 1000:.0f} ms (plus the 60 ms typing debounce)")
    from lamha_desktop.storage import repo

    # The "Bước tiếp theo" column's own cost: the same searches, interleaved, in this tab and in one without the
    # column (and without computing next steps), so that the load of the machine weighs on both alike.
    if any(c.header == "Bước tiếp theo" for c in tab.model.columns):
        bare = CandidatesTab()
        bare.resize(1200, 700)
        bare.model.beginResetModel()
        bare.model.columns = [c for c in bare.model.columns if c.header != "Bước tiếp theo"]
        bare.model.endResetModel()
        bare._fetch = lambda page: repo.candidate_rows(page, with_next=False)  # type: ignore[method-assign]
        bare.show()
        app.processEvents()
        timing: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(5):
            for name, which in (("with", tab), ("without", bare)):
                for text in ("n", "ng", "t", "th", "a", "an", ""):
                    t0 = time.perf_counter()
                    which.search.setText(text)
                    which.requery()
                    which.grab()
                    timing[name].append(time.perf_counter() - t0)
        with_ms, without_ms = (statistics.median(timing[k]) * 1000 for k in ("with", "without"))
        print(f"one typed character, interleaved: {with_ms:.0f} ms with the next-step column, {without_ms:.0f} ms "
              f"without it (+{with_ms - without_ms:.0f} ms)")
        bare.close()

    ids = repo.candidate_ids()
    t0 = time.perf_counter()
    for start in range(0, 2000, 100):  # what scrolling through twenty screens fetches, a page at a time
        for row in repo.candidate_rows(ids[start:start + 100]).values():
            getattr(row, "next_steps", None)  # every column read, as if all 100 rows were painted
    print(f"rows of one page (100, every column computed): {(time.perf_counter() - t0) * 1000 / 20:.1f} ms")
    t0 = time.perf_counter()
    tab.view.sortByColumn(2, __import__("PySide6.QtCore").QtCore.Qt.SortOrder.DescendingOrder)
    tab.grab()
    print(f"sort by date of birth: {(time.perf_counter() - t0) * 1000:.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:.0f} MB")
    db.close_database()

    smoke = _median_run([sys.executable, "-m", "lamha_desktop", "--smoke-test", "--data-dir", str(folder)])
    bare = _median_run([sys.executable, "-c", BARE])
    print(f"start-up, median of 5: --smoke-test on this database {smoke:.2f} s; bare PySide6 window {bare:.2f} s; "
          f"ratio {smoke / bare:.2f}")


if __name__ == "__main__":
    main()

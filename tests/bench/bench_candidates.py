"""The students tab on 100,000 students: opening it, one typed character, sorting, peak memory.

    .venv/bin/python tests/bench/bench_candidates.py [N] [--db FOLDER]

The measures run in a fresh child process (``--child``): the tab is built on the database opened as the
application opens it, then the whole application is started as a user starts it (``app.build``: the main
window on the same folder), so the peak memory is the application's (the tab measured, eleven searches, a
sort, then the main window), not the generator's. Printed:

- opening the tab: building it until its first page is painted (``grab``), and until the total count shows;
- one typed character to the updated table, without the typing debounce: ``setText`` then the query the
  debounce timer would run, then the repaint — median and max over eleven texts;
- sorting by date of birth;
- peak memory (max RSS) of the child.

Times are absolute (there is no bare counterpart to a table of students); the bars are the issue's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import env, header, peak_rss_mb, row

TEXTS = ("n", "ng", "ngu", "nguy", "t", "th", "thi", "a", "an", "anh", "")


def child(folder: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from lamha_desktop import app as application
    from lamha_desktop.storage import db

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    app = QApplication.instance() or QApplication([])
    db.open_database(folder / db.DB_FILENAME)
    from lamha_desktop.ui.candidates.tab import CandidatesTab

    out: dict[str, object] = {}
    t0 = time.perf_counter()
    tab = CandidatesTab()
    tab.resize(1200, 700)
    tab.show()
    tab.grab()  # paint the first page: fetches its rows
    out["open"] = time.perf_counter() - t0
    deadline = time.perf_counter() + 10
    while not getattr(tab, "loaded", True) and time.perf_counter() < deadline:
        app.processEvents()  # the rest of the list and its count, after the first page
    out["count"] = time.perf_counter() - t0
    out["count_text"] = tab.count_label.text()
    samples = []
    for text in TEXTS:
        t0 = time.perf_counter()
        tab.search.setText(text)
        tab.requery()  # what the typing debounce timer triggers
        tab.grab()
        painted = time.perf_counter() - t0
        while not getattr(tab, "loaded", True):
            app.processEvents()
        samples.append((text, painted, tab.model.rowCount(), time.perf_counter() - t0))
    out["samples"] = samples
    t0 = time.perf_counter()
    tab.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    tab.grab()
    out["sort"] = time.perf_counter() - t0
    while not getattr(tab, "loaded", True):
        app.processEvents()
    out["sort_whole"] = time.perf_counter() - t0
    from lamha_desktop.storage import repo

    # The "Bước tiếp theo" column's own cost: pages of 100 rows read with every column, next step included,
    # and without it, in turns, so that the load of the machine weighs on both alike.
    ids = repo.candidate_ids()
    pages: dict[str, list[float]] = {"with": [], "without": []}
    for start in range(0, 2000, 100):
        for name, with_next in (("with", True), ("without", False)):
            t1 = time.perf_counter()
            for page_row in repo.candidate_rows(ids[start:start + 100], with_next=with_next).values():
                getattr(page_row, "next_steps", None)  # read as if the row were painted
            pages[name].append(time.perf_counter() - t1)
    out["page_with"] = statistics.median(pages["with"])
    out["page_without"] = statistics.median(pages["without"])
    tab.close()
    db.close_database()
    started = application.build(["--data-dir", str(folder), "--no-err-windows"])
    window = started.window
    window.show()  # type: ignore[attr-defined]
    app.processEvents()
    out["rss"] = peak_rss_mb()
    window.close()  # type: ignore[attr-defined]
    close_store = getattr(application, "close_store", None)  # a clean close (absent before the session marker)
    if close_store is not None:
        close_store(started.db_path)
    else:
        db.close_database()
        application.release_instance_lock()
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing data folder (made with make_big_db.py otherwise)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    folder = args.db
    if folder is None:
        from make_big_db import make

        folder = Path(tempfile.mkdtemp(prefix="lamha-bench-"))
        print(f"database: {args.n} students generated in {make(folder / 'lamha.sqlite3', args.n):.1f} s")
    done = subprocess.run([sys.executable, __file__, "--child", str(folder)], capture_output=True, text=True,
                          env=env(), check=True)
    m = json.loads(done.stdout.strip().splitlines()[-1])
    for text, s, rows, whole in m["samples"]:
        print(f"  search {text!r:8}: {s * 1000:6.0f} ms to the updated table; whole list and count "
              f"{whole * 1000:6.0f} ms -> {rows} rows")
    typed = [s for _t, s, _r, _w in m["samples"]]
    print(f"open the tab: first page painted {m['open'] * 1000:.0f} ms, count shown {m['count'] * 1000:.0f} ms "
          f"({m['count_text']})")
    print(f"sort by date of birth: {m['sort'] * 1000:.0f} ms (whole list {m['sort_whole'] * 1000:.0f} ms)")
    print(f"one page of 100 rows read: {m['page_with'] * 1000:.1f} ms with the next step computed, "
          f"{m['page_without'] * 1000:.1f} ms without it")
    header()
    row(f"Opening the students tab, {args.n:,}", m["open"] * 1000, 300, 100, unit="ms",
        detail=f"count shown at {m['count'] * 1000:.0f} ms")
    row("One typed character to the updated table (no debounce)", statistics.median(typed) * 1000, 50, 16,
        unit="ms", detail=f"median; max {max(typed) * 1000:.0f} ms")
    row(f"Peak memory, {args.n:,}", m["rss"], 200, 150, unit="MB")


if __name__ == "__main__":
    main()

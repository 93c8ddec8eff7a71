"""Benchmark: what the daily backup at start costs, with the content comparison that skips unchanged days.

    .venv/bin/python tests/bench/bench_backup.py [N ...]

For each N (default 2,000 and 100,000 candidates) generates a database, then times: the content digest of the
database (the hash of every table's rows), a daily backup that copies (the first), a daily backup skipped
because nothing changed (digest of the database and of the newest daily backup), the rotation over a year of
daily files, and the file examination done before every open. Prints the figures.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_big_db import make

from lamha_desktop.storage import backup, db, health


def timed(label: str, func: object, *args: object, **kwargs: object) -> object:
    t0 = time.perf_counter()
    result = func(*args, **kwargs)  # type: ignore[operator]
    print(f"  {label:<44} {1000 * (time.perf_counter() - t0):9.1f} ms")
    return result


def run(n: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="lamha-bench-backup-"))
    try:
        path = folder / db.DB_FILENAME
        seconds = make(path, n)
        db.close_database()
        print(f"{n} candidates: database of {path.stat().st_size / 1e6:.1f} MB made in {seconds:.1f} s")
        timed("examine the file before opening", health.examine, path)
        timed("content digest of the database", backup.content_digest, path)
        day = dt.datetime(2025, 6, 1, 8, 0)
        first = timed("daily backup (copy + rotation)", backup.daily_backup, path, now=day)
        assert first.code == "backup.daily_done"  # type: ignore[attr-defined]
        same = timed("daily backup, nothing changed (skipped)", backup.daily_backup, path,
                     now=day + dt.timedelta(days=1))
        assert same.code == "backup.daily_unchanged"  # type: ignore[attr-defined]
        folder_b = backup.backups_dir(path)
        made = next(folder_b.glob("daily-*.sqlite3"))
        for d in range(2, 366):
            (folder_b / f"daily-{(day - dt.timedelta(days=d)):%Y%m%d}-080000.sqlite3").hardlink_to(made)
        removed = timed("rotation over a year of daily files", backup.rotate, path, now=day, current=0)
        print(f"  kept {len(list(folder_b.glob('daily-*')))} daily files, removed {len(removed)}")  # type: ignore[arg-type]
    finally:
        db.close_database()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["2000", "100000"]:
        run(int(arg))

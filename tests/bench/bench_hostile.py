"""Benchmark: the time and peak memory of each headless command on each hostile file of the corpus.

Run: ``.venv/bin/python tests/bench/bench_hostile.py [NAME...]``. Writes the corpus (big cases included) into a
temporary folder, runs ``import-students --dry-run`` and ``import-return`` on every file, one at a time, as a
user would (``python -m lamha_desktop``), and prints wall time, peak resident memory of the command (its own
``ru_maxrss``), exit code and the first line it printed, then the worst of each. A bare start of the command
(an empty CSV) is printed first for comparison. Not collected by pytest; figures, not assertions. POSIX only
(the peak memory of a command is read with ``os.wait4``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
PROJECT = HERE.parents[2]
sys.path.insert(0, str(HERE.parents[1]))  # tests/ (the corpus script)
sys.path.insert(0, str(PROJECT))

from hostile import make_hostile  # noqa: E402

from lamha_desktop.storage import db, writers  # noqa: E402

# Started from a small interpreter: a child's peak memory counts what it inherited at fork, and this script
# grows while it writes the big files.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
p = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.STDOUT)
_pid, status, usage = os.wait4(p.pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss)
"""


def run(command: str, data_dir: Path, path: Path) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MB of the command itself, first line of output) of one command."""
    args = ["--dry-run", "--org", "THA"] if command == "import-students" else []
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONIOENCODING": "utf-8"}
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        measured = subprocess.run([sys.executable, "-c", _LAUNCHER, out.name, sys.executable, "-m", "lamha_desktop",
                                   command, "--data-dir", str(data_dir), *args, str(path)],
                                  capture_output=True, text=True, env=env, check=True).stdout.split()
        first = Path(out.name).read_text(encoding="utf-8", errors="replace").strip().splitlines()[:1]
    code, seconds, peak = int(measured[0]), float(measured[1]), int(measured[2]) / 1024
    return code, seconds, peak, first[0][:110] if first else ""


def main(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data_dir = folder / "data"
        db.open_database(data_dir / db.DB_FILENAME)
        writers.save_organisation({"code": "THA", "school_name": "THPT Tân Hà", "name": "Chi bộ THPT Tân Hà",
                                "official_members": 6})
        db.close_database()
        empty = folder / "empty.csv"
        empty.write_text("", encoding="utf-8")
        code, seconds, peak, _line = run("import-students", data_dir, empty)
        print(f"bare start (empty CSV): {seconds:5.2f} s  {peak:6.1f} MB  exit {code}")
        worst_time = worst_memory = (0.0, "")
        for case in make_hostile.CASES:
            if names and case.name not in names:
                continue
            t0 = time.perf_counter()
            path = make_hostile.write(case, folder / "corpus")
            made = time.perf_counter() - t0
            size = path.stat().st_size
            print(f"{case.name}  ({size:,} bytes, written in {made:.1f} s): {case.about}")
            for command in ("import-students", "import-return"):
                code, seconds, peak, line = run(command, data_dir, path)
                print(f"   {command:16} exit {code}  {seconds:5.2f} s  {peak:6.1f} MB  {line}")
                worst_time = max(worst_time, (seconds, f"{case.name} / {command}"))
                worst_memory = max(worst_memory, (peak, f"{case.name} / {command}"))
            path.unlink()
        print(f"slowest: {worst_time[1]}: {worst_time[0]:.2f} s")
        print(f"most memory: {worst_memory[1]}: {worst_memory[0]:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])

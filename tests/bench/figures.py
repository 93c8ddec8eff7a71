"""What every benchmark of issue 15's table prints: the figure, the bar and the goal side by side.

A row is printed as ``| what | figure | bar | goal | verdict |``; a ratio is always computed from two
times measured in the same run (alternating runs, medians), never against a figure from another day,
because the machine may be shared and old school PCs are slower anyway. No assertion: figures only.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]


@dataclass(frozen=True)
class Timed:
    """One command's median wall time and median CPU time (user + system of the child) over its runs."""

    wall: float
    cpu: float
    runs: int


def header() -> None:
    print("| what | figure | bar | goal | verdict |")
    print("|---|---|---|---|---|")


def row(what: str, figure: float, bar: float, goal: float, *, unit: str = "×", detail: str = "") -> None:
    """Print one line of the table (lower is better for every row of the issue)."""
    verdict = "goal met" if figure <= goal else "bar met" if figure <= bar else "ABOVE THE BAR"
    shown = f"{figure:.2f}{unit}" if unit == "×" else f"{figure:.0f} {unit}"
    bar_s = f"≤ {bar:g}{unit}" if unit == "×" else f"≤ {bar:g} {unit}"
    goal_s = f"≤ {goal:g}{unit}" if unit == "×" else f"≤ {goal:g} {unit}"
    extra = f" ({detail})" if detail else ""
    print(f"| {what} | {shown}{extra} | {bar_s} | {goal_s} | {verdict} |", flush=True)


def env() -> dict[str, str]:
    """The children's environment: offscreen Qt, and this source tree unless PYTHONPATH names another (a
    checkout of an older commit, to measure "before" with the same benchmark).

    Bytecode is cached as an installed program has it (pip and PyInstaller ship it compiled): with
    PYTHONDONTWRITEBYTECODE set, every start would compile each of our ~90 modules again (0.25 s here)
    while the bare window's PySide6 is compiled already."""
    out = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.environ.get("PYTHONPATH") or str(PROJECT),
               XDG_CONFIG_HOME=_settings_folder())
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


_settings: list[str] = []


def _settings_folder() -> str:
    """The children's own QSettings folder, the same for every command of this run: the layout a developer left
    in theirs (a sort by date of birth, a wider column) changes what a start does. Each start after the first
    finds what the one before saved, as a clerk's does."""
    if not _settings:
        _settings.append(tempfile.mkdtemp(prefix="lamha-bench-settings-"))
    return _settings[0]


def run_once(cmd: Sequence[str], *, cwd: Path | None = None,
             extra_env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``cmd``; (wall seconds, CPU seconds of the child, its stdout). A failure stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(list(cmd), capture_output=True, text=True, env=env() | (extra_env or {}), cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def alternate(commands: dict[str, Sequence[str]], *, runs: int = 7, warmup: int = 1,
              envs: dict[str, dict[str, str]] | None = None, cwds: dict[str, Path] | None = None) -> dict[str, Timed]:
    """Run each command ``runs`` times, taking turns (a, b, c, a, b, c…), after ``warmup`` untimed rounds:
    a load that comes and goes touches every command alike. Medians of wall and CPU time. ``envs``: extra
    environment of some commands (by name); ``cwds``: their working folder (``python -m`` looks there first).
    """
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for i in range(warmup + runs):
        for name, cmd in commands.items():
            wall, cpu, _ = run_once(cmd, extra_env=(envs or {}).get(name), cwd=(cwds or {}).get(name))
            if i >= warmup:
                walls[name].append(wall)
                cpus[name].append(cpu)
    return {k: Timed(statistics.median(walls[k]), statistics.median(cpus[k]), runs) for k in commands}


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024

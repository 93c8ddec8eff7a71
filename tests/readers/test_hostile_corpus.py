"""The corpus of hostile files (tests/data/make_hostile.py) against the readers and the headless commands.

Fast: every committed case, read in this process, ends in the code its case names; the committed files are
what the script makes. Slow: every case, big ones included, through ``import-students``, ``import-return`` and
``import-history`` in a subprocess under a memory cap — exit code, one line on stderr naming the limit, no
traceback, bounded time.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hostile import make_hostile

from lamha_desktop import catalogue
from lamha_desktop.readers import class_list as cl
from lamha_desktop.readers import return_reader
from lamha_desktop.storage import db, writers

TESTS = Path(__file__).resolve().parents[1]
PROJECT = TESTS.parent
MEMORY_CAP = 300 * 1024 * 1024  # address space of one command, in bytes
TIME_BOUND = 60.0  # seconds: a guard against hanging, not a benchmark

mh = make_hostile
SMALL_CASES = [c for c in mh.CASES if not c.big]


def _read_code(case: object, path: Path) -> tuple[str, str]:
    """(class-list outcome, return outcome): "ok" or the refusal's code."""
    try:
        cl.detect_all(cl.read_table(path))
        students = "ok"
    except cl.ImportFileError as exc:
        students = exc.code
    try:
        return_reader.read_return(path)
        returned = "ok"
    except return_reader.ReadError as exc:
        returned = exc.code
    return students, returned


def _expected(expect: object) -> str:
    code = getattr(expect, "code", None)
    return code if code is not None else "ok"


# ---------------------------------------------------------------------------------------------- fast


@pytest.mark.parametrize("case", SMALL_CASES, ids=lambda c: c.name)
def test_each_committed_case_is_refused_with_its_code(case: object) -> None:
    path = mh.CORPUS / case.name  # type: ignore[attr-defined]
    assert path.is_file(), "run tests/data/make_hostile.py and commit its output"
    students, returned = _read_code(case, path)
    assert students == _expected(case.students)  # type: ignore[attr-defined]
    assert returned == _expected(case.return_)  # type: ignore[attr-defined]


def _contents(path: Path) -> object:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return [(i.filename, z.read(i)) for i in z.infolist()]
    return path.read_bytes()


def test_the_committed_corpus_is_what_the_script_makes(tmp_path: Path) -> None:
    committed = sorted(p.name for p in mh.CORPUS.iterdir())
    assert committed == sorted(c.name for c in SMALL_CASES)
    for case in SMALL_CASES:
        made = mh.write(case, tmp_path)
        assert made.stat().st_size <= mh.SMALL, case.name
        assert (mh.CORPUS / case.name).stat().st_size <= mh.SMALL, case.name
        try:
            same = _contents(made) == _contents(mh.CORPUS / case.name)
        except (zipfile.BadZipFile, zlib.error, EOFError):  # the cases that are damaged zips on purpose
            same = made.read_bytes() == (mh.CORPUS / case.name).read_bytes()
        assert same, f"{case.name} differs from what make_hostile.py writes"


def test_every_expected_code_has_a_text() -> None:
    for case in mh.CASES:
        for expect in (case.students, case.return_):
            if expect.code is not None:
                assert expect.code in catalogue.MESSAGES, expect.code


# ---------------------------------------------------------------------------------------------- slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("big")
    paths = {c.name: (mh.write(c, folder) if c.big else mh.CORPUS / c.name) for c in mh.CASES}
    yield paths
    for c in mh.CASES:
        if c.big:
            paths[c.name].unlink(missing_ok=True)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    db.open_database(folder / db.DB_FILENAME)
    writers.save_organisation({"code": "THA", "school_name": "THPT Tân Hà", "name": "Chi bộ THPT Tân Hà",
                            "official_members": 6})
    db.close_database()
    return folder


def _cap_memory() -> None:  # runs in the child before it executes Python
    import resource  # POSIX only, like the test that uses it

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@dataclass
class Run:
    """One command on one file: the child, its output files, and when it started."""

    case: Any
    command: str
    process: subprocess.Popen[bytes]
    out: Path
    err: Path
    started: float
    exit: int | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0

    @property
    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8")

    @property
    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8")


def start(case: Any, command: str, path: Path, data_dir: Path, folder: Path) -> Run:
    """``python -m lamha_desktop COMMAND`` on ``path`` under the memory cap, its output in files."""
    args = ["--dry-run", "--org", "THA"] if command in ("import-students", "import-history") else []
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONIOENCODING": "utf-8"}
    env.pop("QT_QPA_PLATFORM", None)
    out, err = folder / f"{case.name}.{command}.out", folder / f"{case.name}.{command}.err"
    with out.open("wb") as o, err.open("wb") as e:
        process = subprocess.Popen([sys.executable, "-m", "lamha_desktop", command, "--data-dir", str(data_dir),
                                    *args, str(path)], stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=env,
                                   cwd=PROJECT, preexec_fn=_cap_memory)
    return Run(case, command, process, out, err, time.monotonic())


def finished(run: Run) -> bool:
    """Reap the child if it has ended (with its own resource usage: peak memory), or kill it past the bound."""
    pid, status, usage = os.wait4(run.process.pid, os.WNOHANG)
    if pid == 0:
        if time.monotonic() - run.started > 2 * TIME_BOUND:
            run.process.kill()
        return False
    run.seconds = time.monotonic() - run.started
    run.exit = run.process.returncode = os.waitstatus_to_exitcode(status)
    run.peak_mb = usage.ru_maxrss / 1024
    return True


def run_all(jobs: list[tuple[Any, str]], corpus: dict[str, Path], data_dir: Path, folder: Path,
            parallel: int = 2) -> list[Run]:
    """Every job, ``parallel`` at a time (children started from this one thread: preexec_fn stays safe)."""
    waiting, running, done = list(jobs), [], []
    while waiting or running:
        while waiting and len(running) < parallel:
            case, command = waiting.pop(0)
            running.append(start(case, command, corpus[case.name], data_dir, folder))
        for run in [r for r in running if finished(r)]:
            running.remove(run)
            done.append(run)
        time.sleep(0.01)
    return done


def _names_the_limit(line: str, code: str) -> bool:
    """The line is the code's message: every fixed part of its template is in it."""
    if code not in catalogue.MESSAGES:
        return False
    fragments = [f.strip() for f in re.split(r"\{[^}]*\}", catalogue.MESSAGES[code]) if len(f.strip()) > 2]
    return all(f in line for f in fragments)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the memory cap (setrlimit) and os.wait4 are POSIX")
def test_the_corpus_through_each_headless_command(corpus: dict[str, Path], data_dir: Path,
                                                  tmp_path: Path) -> None:
    commands = ("import-students", "import-return", "import-history")
    jobs = [(case, command) for case in mh.CASES for command in commands]
    failures: list[str] = []
    for run in run_all(jobs, corpus, data_dir, tmp_path):
        if run.command == "import-history":  # the same reader as a class list: the file's refusal is the same
            expect = run.case.students if run.case.students.exit == 1 else None
            if expect is not None and expect.code == "import.no_header":  # its own columns, its own message
                expect = dataclasses.replace(expect, code="history.no_header")
            if expect is None:
                if "Traceback" in run.stderr + run.stdout or run.exit not in (0, 1, 2):
                    failures.append(f"{run.case.name} / import-history: exit {run.exit}: {run.stderr}")
                continue
        else:
            expect = run.case.students if run.command == "import-students" else run.case.return_
        where = f"{run.case.name} / {run.command}"
        stderr = run.stderr
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        if "Traceback" in stderr + run.stdout:
            failures.append(f"{where}: traceback\n{stderr}")
        if run.exit != expect.exit:
            failures.append(f"{where}: exit {run.exit}, expected {expect.exit}: {stderr}")
        if expect.exit == 1:
            if len(lines) != 1:
                failures.append(f"{where}: {len(lines)} lines on stderr: {stderr!r}")
            elif expect.code is not None and not _names_the_limit(lines[0], expect.code):
                failures.append(f"{where}: not the message of {expect.code}: {lines[0]}")
        if run.seconds > TIME_BOUND:
            failures.append(f"{where}: {run.seconds:.1f} s")
    assert failures == []

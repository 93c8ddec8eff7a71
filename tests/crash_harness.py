"""Crash safety, proven: kill a writing process with SIGKILL at random moments and check the database.

Each round starts ``tests/crash_writer.py`` (the application's own storage code: open with check and
migration, daily backup, imports, edits, pipeline steps, backups) on the same database, lets it run for a
random time (sometimes killing it while it is still opening), kills it with SIGKILL, and checks that:

* the database opens and ``PRAGMA integrity_check`` and ``foreign_key_check`` pass;
* every transaction the writer reported committed is there (candidates with their personal IDs, the
  latest reported edit or a later one, pipeline steps);
* every backup file that exists passes ``storage.backup.verify`` (no half-written copy under a real name).

Run many rounds for a report:  ``.venv/bin/python tests/crash_harness.py --kills 200 --seed 1``
(tests/storage/test_crash_safety.py runs a few).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path(__file__).resolve().with_name("crash_writer.py")
sys.path.insert(0, str(ROOT))


@dataclass
class Ledger:
    """What the writers reported committed."""

    candidates: dict[int, str] = field(default_factory=dict)  # id -> personal id
    edits: dict[int, int] = field(default_factory=dict)  # id -> latest reported seq
    events: dict[int, int] = field(default_factory=dict)  # event id -> candidate id
    backups: set[str] = field(default_factory=set)
    transactions: int = 0

    def read(self, lines: list[str]) -> None:
        for line in lines:
            parts = line.split()
            if len(parts) < 3 or parts[0] != "COMMITTED":
                continue
            self.transactions += 1
            kind = parts[1]
            if kind == "import":
                for item in parts[2].split(","):
                    cid, pid = item.split(":")
                    self.candidates[int(cid)] = pid
            elif kind == "edit":
                cid, seq = int(parts[2]), int(parts[3])
                self.edits[cid] = max(seq, self.edits.get(cid, 0))
            elif kind == "event":
                self.events[int(parts[2])] = int(parts[3])
            elif kind == "backup":
                self.backups.add(" ".join(parts[2:]))


@dataclass
class Result:
    kills: int = 0
    kills_while_opening: int = 0
    failures: list[str] = field(default_factory=list)
    transactions: int = 0
    candidates: int = 0
    backups_checked: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"kills={self.kills} (while opening: {self.kills_while_opening}) failures={len(self.failures)} "
                f"committed transactions={self.transactions} candidates={self.candidates} "
                f"backups verified={self.backups_checked} time={self.seconds:.1f}s")


def check(path: Path, ledger: Ledger, seen_backups: set[Path]) -> tuple[list[str], int]:
    """Problems found in the database after a kill (empty when all is well)."""
    from lamha_desktop.storage import backup
    from lamha_desktop.storage.db import StorageError

    problems: list[str] = []
    if not path.exists():
        return ([] if not ledger.transactions else ["database file missing"]), 0
    con = sqlite3.connect(path, timeout=10)  # read-write: recovers the -wal like the application would
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:3]}")
            return problems, 0
        if con.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check failed")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if ledger.transactions and not {"candidate", "event"} <= tables:
            problems.append("tables missing")
            return problems, 0
        if "candidate" in tables:
            stored = dict(con.execute("SELECT id, personal_id FROM candidate").fetchall())
            notes = dict(con.execute("SELECT id, notes FROM candidate").fetchall())
            for cid, pid in ledger.candidates.items():
                if stored.get(cid) != pid:
                    problems.append(f"candidate {cid} ({pid}) reported committed, found {stored.get(cid)!r}")
            for cid, seq in ledger.edits.items():
                text = str(notes.get(cid) or "")
                got = int(text.split()[-1]) if text.startswith("sửa ") else -1
                if got < seq:
                    problems.append(f"edit {seq} of candidate {cid} lost (found {text!r})")
            events = dict(con.execute("SELECT id, candidate_id FROM event").fetchall())
            for eid, cid in ledger.events.items():
                if events.get(eid) != cid:
                    problems.append(f"event {eid} of candidate {cid} lost")
    finally:
        con.close()
    checked = 0
    folder = backup.backups_dir(path)
    for b in sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []:
        if b in seen_backups:
            continue
        try:
            backup.verify(b)
            checked += 1
            seen_backups.add(b)
        except StorageError as exc:
            problems.append(f"backup {b.name}: {exc.code} {exc.params}")
    for reported in ledger.backups:
        if not Path(reported).exists():
            problems.append(f"reported backup {reported} missing")
    return problems, checked


def _reader(stream: object, out: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.append(line.rstrip("\n"))


def run(kills: int, *, seed: int = 0, workdir: Path | None = None, max_delay: float = 0.8,
        verbose: bool = False) -> Result:
    rng = random.Random(seed)
    workdir = Path(workdir or tempfile.mkdtemp(prefix="lamha-crash-"))
    path = workdir / "lamha.sqlite3"
    ledger = Ledger()
    seen_backups: set[Path] = set()
    result = Result()
    start = time.monotonic()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    for round_no in range(kills):
        proc = subprocess.Popen([sys.executable, str(WRITER), str(path), str(seed * 100000 + round_no)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        lines: list[str] = []
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        reader.start()
        early = rng.random() < 0.15
        if early:  # while it is still importing, opening, checking or migrating
            time.sleep(rng.uniform(0.0, 0.3))
        else:
            deadline = time.monotonic() + 60
            while "READY" not in lines and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            if "READY" not in lines:
                err = proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
                result.failures.append(f"round {round_no}: writer did not start: {err.strip()[-500:]}")
                proc.kill()
                proc.wait()
                reader.join()
                _close(proc)
                break
            time.sleep(rng.uniform(0.0, max_delay))
        alive = proc.poll() is None
        if alive:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join()
        stderr = proc.stderr.read() if proc.stderr else ""
        _close(proc)
        if not alive:
            result.failures.append(f"round {round_no}: writer exited by itself ({proc.returncode}): "
                                   f"{stderr.strip()[-500:]}")
            break
        result.kills += 1
        result.kills_while_opening += "READY" not in lines
        ledger.read(lines)
        problems, checked = check(path, ledger, seen_backups)
        result.backups_checked += checked
        for p in problems:
            result.failures.append(f"round {round_no}: {p}")
        if verbose:
            print(f"round {round_no}: {len(lines)} lines, {'early' if early else 'writing'}, "
                  f"{problems if problems else 'OK'}", flush=True)
        if problems:
            break
    result.transactions = ledger.transactions
    result.candidates = len(ledger.candidates)
    result.seconds = time.monotonic() - start
    return result


def _close(proc: subprocess.Popen[str]) -> None:
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--kills", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", type=Path)
    p.add_argument("--max-delay", type=float, default=0.8, help="longest run before a kill, seconds")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    result = run(args.kills, seed=args.seed, workdir=args.workdir, max_delay=args.max_delay, verbose=args.verbose)
    print(result.summary())
    for f in result.failures:
        print("FAILURE:", f)
    return 0 if not result.failures and result.kills == args.kills else 1


if __name__ == "__main__":
    sys.exit(main())

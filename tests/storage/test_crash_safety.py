"""A few rounds of the crash harness: SIGKILL a writing process at random moments, check the database."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[1] / "crash_harness.py"


def load_harness() -> object:
    spec = importlib.util.spec_from_file_location("crash_harness", HARNESS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_harness"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.posix_only  # SIGKILL
def test_killed_writer_never_loses_a_committed_transaction(tmp_path: Path) -> None:
    harness = load_harness()
    result = harness.run(6, seed=20250601, workdir=tmp_path, max_delay=0.6)  # type: ignore[attr-defined]
    assert result.failures == [], result.summary()
    assert result.kills == 6
    assert result.transactions > 0  # the writer did commit work before being killed
    assert result.candidates > 0


def test_the_checker_sees_a_lost_transaction(tmp_path: Path) -> None:
    """The harness's check can fail: a reported candidate that is not in the database is found."""
    harness = load_harness()
    from lamha_desktop.storage import db

    path = tmp_path / "lamha.sqlite3"
    db.open_database(path)
    db.close_database()
    ledger = harness.Ledger()  # type: ignore[attr-defined]
    ledger.read(["COMMITTED import 1:000000000001", "COMMITTED edit 1 5", "COMMITTED event 3 1"])
    problems, _ = harness.check(path, ledger, set())  # type: ignore[attr-defined]
    assert len(problems) == 3

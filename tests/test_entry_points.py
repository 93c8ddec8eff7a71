"""The application as a user starts it: `python -m lamha_desktop`, the smoke test and the demo."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def test_smoke_test_creates_and_migrates_the_database(tmp_path: Path) -> None:
    result = _run("--smoke-test", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "smoke test ok" in result.stdout
    assert [line for line in result.stderr.splitlines() if " INFO lamha_desktop." not in line] == []
    con = sqlite3.connect(tmp_path / "data" / "lamha.sqlite3")
    assert con.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert con.execute("SELECT name FROM upper_committee").fetchall() == [("Huyện ủy Lâm Hà",)]
    con.close()


def test_smoke_test_fails_on_a_newer_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    con = sqlite3.connect(data / "lamha.sqlite3")
    con.execute("CREATE TABLE t(x)")
    con.execute("PRAGMA user_version = 999")
    con.commit()
    con.close()
    result = _run("--smoke-test", "--data-dir", str(data))
    assert result.returncode != 0
    assert "phiên bản mới hơn" in result.stderr


def test_demo_fills_its_own_folder_and_refuses_real_data(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    result = _run("--demo", "--smoke-test", "--data-dir", str(demo))
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(demo / "lamha.sqlite3")
    assert con.execute("SELECT COUNT(*) FROM organisation").fetchone()[0] == 5
    con.close()
    real = tmp_path / "real"
    assert _run("--smoke-test", "--data-dir", str(real)).returncode == 0
    con = sqlite3.connect(real / "lamha.sqlite3")
    con.execute("INSERT INTO organisation(uid, code, school_name, name, kind, official_members, secretary, "
                "annual_target, active, updated_at) VALUES ('u1', 'X', 'Trường', 'Chi bộ', 'chi_bo', 3, '', 1, 1, "
                "'2026-01-01')")
    con.commit()
    con.close()
    refused = _run("--demo", "--smoke-test", "--data-dir", str(real))
    assert refused.returncode != 0
    con = sqlite3.connect(real / "lamha.sqlite3")
    assert con.execute("SELECT COUNT(*) FROM organisation").fetchone()[0] == 1
    con.close()

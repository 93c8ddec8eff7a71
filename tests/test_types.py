"""DESIGN.md: type hints everywhere, ``mypy --strict`` on domain, storage and reports.

mypy runs with the ``[tool.mypy]`` configuration of pyproject.toml (strict, the three packages).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_passes() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, f"mypy failed:\n{proc.stdout}{proc.stderr}"

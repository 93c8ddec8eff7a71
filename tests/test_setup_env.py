"""build_scripts/setup_env.sh installs without setuptools' framed "Editable installation" notice, which reads
like an error on a fresh machine; every other warning still shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "build_scripts" / "setup_env.sh"
NOTICE = "Editable installation"


def _filter() -> str:
    """The PYTHONWARNINGS value the script exports before it installs (read from the script itself)."""
    lines = [line for line in SCRIPT.read_text(encoding="utf-8").splitlines()
             if line.startswith("export PYTHONWARNINGS=")]
    assert len(lines) == 1
    out = subprocess.run(["bash", "-c", f"unset PYTHONWARNINGS; {lines[0]}; printf %s \"$PYTHONWARNINGS\""],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("ignore:Editable installation:")
    return out


@pytest.mark.slow
@pytest.mark.posix_only
def test_the_editable_install_is_quiet(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The pip the script installs (the newest): it shows what the build backend prints.
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}

    def install(environ: dict[str, str]) -> str:
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)],
                              capture_output=True, text=True, env=environ, timeout=600, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    assert NOTICE in install(env)  # what a clerk saw during the setup
    assert NOTICE not in install(env | {"PYTHONWARNINGS": _filter()})


def test_the_filter_silences_only_that_notice() -> None:
    code = ("import warnings\n"
            "class BuildBackendWarning(UserWarning): pass\n"
            "warnings.warn('Editable installation.\\n!!\\n****', BuildBackendWarning)\n"
            "warnings.warn('Something else', UserWarning)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONWARNINGS=_filter()))
    assert NOTICE not in done.stderr
    assert "Something else" in done.stderr

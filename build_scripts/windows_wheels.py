"""Check, from Linux, that every dependency of the Windows build has a 64-bit Windows wheel for each Python the
Windows build may use (a missing one is found here, not on a school's PC or a release day).

    .venv/bin/python build_scripts/windows_wheels.py            # Python 3.11, 3.12 and 3.13
    .venv/bin/python build_scripts/windows_wheels.py 3.12

For each version, pip resolves the project's dependencies with its ``build`` and ``test`` extras as binary wheels
for ``win_amd64`` (``pip install --dry-run --only-binary=:all: --platform win_amd64 --python-version X``, which
downloads only metadata). pip evaluates environment markers for the machine it runs on, not for the target, so the
Windows-only requirements (``sqlcipher3; sys_platform == 'win32'``, PyInstaller's ``pefile`` and
``pywin32-ctypes``...) are evaluated here for Windows and added until the set is closed. Exit 0 when every version
resolves; 1 with pip's message otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
EXTRAS = ("build", "test")


def windows_environment(python: str, extra: str = "") -> dict[str, str]:
    """The values of environment markers on 64-bit Windows 10 with CPython ``python``."""
    return {
        "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
        "platform_release": "10", "platform_version": "10.0.19045", "python_version": python,
        "python_full_version": f"{python}.0", "implementation_name": "cpython", "implementation_version": f"{python}.0",
        "platform_python_implementation": "CPython", "extra": extra,
    }


def applies(requirement: Requirement, python: str, extras: tuple[str, ...] = ("",)) -> bool:
    marker: Marker | None = requirement.marker
    return marker is None or any(marker.evaluate(windows_environment(python, e)) for e in extras)


def bare(requirement: Requirement) -> str:
    """The requirement without its marker (already evaluated for Windows)."""
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{requirement.name}{extras}{requirement.specifier}"


def project_requirements(python: str) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = list(project["dependencies"])
    for extra in EXTRAS:
        texts += project["optional-dependencies"][extra]
    return [bare(r) for r in map(Requirement, texts) if applies(r, python)]


def resolve(requirements: list[str], python: str, workdir: Path) -> list[dict[str, Any]]:
    """pip's resolution as ``win_amd64`` wheels for ``python``: the ``install`` entries of its report."""
    report = workdir / f"report-{python}.json"
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
           "--only-binary=:all:", "--platform", "win_amd64", "--python-version", python, "--implementation", "cp",
           "--target", str(workdir / f"target-{python}"), "--report", str(report), *requirements]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or done.stdout.strip())
    return list(json.loads(report.read_text(encoding="utf-8"))["install"])


def closed_resolution(python: str, workdir: Path) -> list[dict[str, Any]]:
    """Resolve, add what Windows needs beyond what pip saw on this machine, and resolve again until nothing is
    missing."""
    requirements = project_requirements(python)
    for _round in range(6):
        installed = resolve(requirements, python, workdir)
        names = {canonicalize_name(item["metadata"]["name"]) for item in installed}
        missing: list[str] = []
        for item in installed:
            wanted = (*(item.get("requested_extras") or ()), "")
            for text in item["metadata"].get("requires_dist") or ():
                requirement = Requirement(text)
                if canonicalize_name(requirement.name) not in names and applies(requirement, python, wanted):
                    missing.append(bare(requirement))
        if not missing:
            return installed
        requirements += sorted(set(missing))
    raise RuntimeError(f"the Windows requirements did not settle: {requirements}")


def main(argv: list[str]) -> int:
    pythons = tuple(argv) or PYTHONS
    failed = 0
    with tempfile.TemporaryDirectory(prefix="lamha-wheels-") as tmp, ThreadPoolExecutor(len(pythons)) as pool:
        results = {python: pool.submit(closed_resolution, python, Path(tmp)) for python in pythons}  # in parallel
        for python, future in results.items():
            try:
                installed = future.result()
            except RuntimeError as exc:
                print(f"FAIL: Python {python} on win_amd64: {exc}", file=sys.stderr)
                failed += 1
                continue
            wheels = sorted(item["download_info"]["url"].rsplit("/", 1)[-1] for item in installed)
            native = [w for w in wheels if "win_amd64" in w]
            print(f"Python {python} win_amd64: {len(wheels)} wheels resolve, {len(native)} of them built for "
                  f"Windows: {', '.join(w.split('-')[0] for w in native)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

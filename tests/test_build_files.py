"""The build files stay consistent: the spec parses and bundles resources; the installer is per-user.

The PyInstaller build itself is too slow for the test suite: CI runs build_scripts/build_linux.sh after it.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import lamha_desktop

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "build_scripts"


def _load(name: str) -> ModuleType:
    """A script of build_scripts/ as a module (the folder is no package)."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_spec_parses_and_bundles_resources_onedir() -> None:
    text = (SCRIPTS / "lamha_desktop.spec").read_text(encoding="utf-8")
    tree = ast.parse(text)
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls  # COLLECT: one folder, not one file
    assert '(str(ROOT / "resources"), "resources")' in text  # code lists, templates, icons, the guide
    assert "exclude_binaries=True" in text
    assert 'collect_submodules("lamha_desktop")' in text  # every module, migrations included
    assert "lamha.ico" in text
    assert "windows_version_info" in text
    excludes = re.findall(r'"(Qt[A-Za-z0-9]+)"', text)
    for unused in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia"):
        assert unused in excludes
    for used in ("QtCharts", "QtPrintSupport", "QtWidgets", "QtGui", "QtCore"):
        assert used not in excludes


def test_resources_the_bundle_needs_exist() -> None:
    resources = ROOT / "resources"
    assert (resources / "templates" / "bao_cao_ket_nap.xlsx").is_file()
    assert (resources / "help" / "huong_dan.html").is_file()
    for size in (16, 32, 48, 256):
        assert (resources / "icons" / f"lamha-{size}.png").is_file()


def test_the_ico_holds_every_size_up_to_256() -> None:
    data = (ROOT / "resources" / "icons" / "lamha.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    for i in range(count):
        length, offset = struct.unpack_from("<II", data, 6 + 16 * i + 8)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)


def test_the_version_comes_from_the_package() -> None:
    vi = _load("version_info")
    assert vi.read_version() == lamha_desktop.__version__
    assert vi.version_tuple("1.2.3") == (1, 2, 3, 0)
    assert vi.version_tuple("0.10.2rc1") == (0, 10, 2, 0)
    assert vi.numeric_version("0.2.0rc1") == "0.2.0.0"  # VersionInfoVersion takes numbers only
    assert vi.numeric_version("1.4") == "1.4.0.0"
    done = subprocess.run([sys.executable, str(SCRIPTS / "version_info.py"), "--numeric"], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == vi.numeric_version(lamha_desktop.__version__)


def test_the_installer_is_per_user_and_needs_no_administrator() -> None:
    raw = (SCRIPTS / "installer.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Inno Setup reads the Vietnamese names right
    text = raw.decode("utf-8-sig")
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.MULTILINE))
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["DefaultDirName"].startswith("{autopf}")  # per user: %LOCALAPPDATA%\Programs; all: Program Files
    assert '#define BundleDir "..\\dist\\lamha-desktop"' in text
    assert 'Source: "{#BundleDir}\\*"' in text
    assert "lamha.ico" in settings["SetupIconFile"]


def test_the_installer_refuses_old_and_32_bit_windows_and_cleans_upgrades() -> None:
    text = (SCRIPTS / "installer.iss").read_text(encoding="utf-8-sig")
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.MULTILINE))
    assert settings["MinVersion"] == "10.0.17763"  # Windows 10 1809, Qt 6's minimum
    assert settings["ArchitecturesAllowed"] == settings["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert "#if Ver < EncodeVer(6, 3, 0)" in text  # x64compatible needs Inno Setup 6.3
    assert settings["VersionInfoVersion"] == "{#AppVersionNumeric}"
    delete = text[text.index("[InstallDelete]"):text.index("[Files]")]
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in delete
    assert "SignTool=lamhasign" in text
    assert "#ifdef Sign" in text


def test_the_spec_makes_a_window_and_a_console_executable() -> None:
    text = (SCRIPTS / "lamha_desktop.spec").read_text(encoding="utf-8")
    assert "gui = executable(NAME, console=False)" in text
    assert "cli = executable(version_info.CLI_EXE_NAME, console=True)" in text
    collect = text[text.index("coll = COLLECT("):]
    assert "gui," in collect
    assert "cli," in collect  # one COLLECT: both over the same _internal folder
    assert _load("version_info").CLI_EXE_NAME == "lamha-desktop-cli"


def test_the_windows_script_builds_the_spec_and_the_installer() -> None:
    text = (SCRIPTS / "build_windows.ps1").read_text(encoding="utf-8")
    assert "lamha_desktop.spec" in text
    assert "installer.iss" in text
    assert "--smoke-test" in text
    assert "/DAppVersion=" in text
    assert "/DAppVersionNumeric=" in text
    assert '[string]$Python = "3.11"' in text  # not whatever Python is newest
    assert "WaitForExit($Seconds * 1000)" in text  # a hanging smoke test fails the build
    assert 'notmatch "smoke test ok"' in text
    assert r"$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe" in text  # a per-user Inno Setup
    assert "LAMHA_SIGN_PFX" in text
    assert "NOT SIGNED" in text
    # Every native program runs through Invoke-Native, which checks $LASTEXITCODE.
    native = re.findall(r"^\s*& \$\w+ .*$", text, flags=re.MULTILINE)
    assert all("version_info.py" in line or "@Arguments" in line or "sys.version_info" in line for line in native)
    assert text.count("$LASTEXITCODE -ne 0") >= 3


def test_the_windows_workflow_installs_runs_and_uninstalls() -> None:
    text = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    assert "runs-on: windows-2022" in text
    assert 'pytest -m "not posix_only"' in text
    assert "build_windows.ps1" in text
    assert '"/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER"' in text
    assert "lamha-desktop-cli.exe" in text
    for command in ("--smoke-test", "& $cli backup", "& $cli summary-pdf", "unins000.exe"):
        assert command in text
    assert "the uninstaller removed the database" in text


def test_posix_only_tests_are_marked_and_skipped_on_windows() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"posix_only: ' in pyproject
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert '"posix_only" in item.keywords' in conftest


def test_ci_runs_the_readme_test_command_then_the_linux_build() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = "bash build_scripts/setup_env.sh --test && LAMHA_REQUIRE_POSTGRESQL=1 .venv/bin/python -m pytest"
    assert test_command in readme
    assert test_command in ci
    assert ci.index(test_command) < ci.index("bash build_scripts/build_linux.sh")
    # The PostgreSQL server the storage and operations tests need comes from the distribution, as root.
    setup = (SCRIPTS / "setup_env.sh").read_text(encoding="utf-8")
    assert "postgresql)" in setup
    assert ci.index("bash build_scripts/build_linux.sh") < ci.index("bash build_scripts/check_windows_installer.sh")
    check = (SCRIPTS / "check_windows_installer.sh").read_text(encoding="utf-8")
    assert "windows_wheels.py" in check
    assert "SKIP:" in check  # skippable with a message where Wine cannot be installed
    assert "installer.iss" in check
    build = (SCRIPTS / "build_linux.sh").read_text(encoding="utf-8")
    assert "--smoke-test" in build
    assert "lamha_desktop.spec" in build


def test_make_icon_draws_what_is_committed(qapp: object) -> None:
    from PySide6.QtGui import QImage

    make_icon = _load("make_icon")
    drawn = make_icon.draw(48).convertToFormat(QImage.Format.Format_ARGB32)
    committed = QImage(str(ROOT / "resources" / "icons" / "lamha-48.png")).convertToFormat(QImage.Format.Format_ARGB32)
    assert committed.size() == drawn.size()
    differing = sum(1 for x in range(48) for y in range(48)
                    if max(abs(a - b) for a, b in zip(drawn.pixelColor(x, y).getRgb(),
                                                      committed.pixelColor(x, y).getRgb(), strict=True)) > 8)
    assert differing <= 48 * 48 // 100, "resources/icons is stale: run build_scripts/make_icon.py"
    assert committed.pixelColor(24, 20).name() == "#ffd200"  # the golden star in the middle


def test_the_readme_states_the_supported_windows_versions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    windows = readme[readme.index("## Cài đặt cho người dùng (Windows)"):readme.index("## Screenshots")]
    assert "Windows 10 bản 1809 (build 17763) trở lên và Windows 11, **64-bit**" in windows
    assert "Windows 10 version 1809 (build 17763) or newer and Windows 11, 64-bit only" in windows
    assert "docs/windows.md" in windows
    doc = (ROOT / "docs" / "windows.md").read_text(encoding="utf-8")
    for part in ("## Supported versions", "## Signing a release", "SignTool=lamhasign", "## Antivirus",
                 "125 %", "150 %", "Excel", "USB", "real printer"):
        assert part in doc


def test_windows_wheel_markers_are_evaluated_for_windows() -> None:
    from packaging.requirements import Requirement

    wheels = _load("windows_wheels")
    assert wheels.applies(Requirement("sqlcipher3>=0.6; sys_platform == 'win32'"), "3.12")
    assert not wheels.applies(Requirement("sqlcipher3-binary>=0.6; sys_platform == 'linux'"), "3.12")
    assert wheels.applies(Requirement("tomli; python_version < '3.12'"), "3.11")
    assert not wheels.applies(Requirement("tomli; python_version < '3.12'"), "3.13")
    assert wheels.bare(Requirement("pefile>=2022.5.30,!=2024.8.26; sys_platform == 'win32'")) in (
        "pefile!=2024.8.26,>=2022.5.30", "pefile>=2022.5.30,!=2024.8.26")
    requirements = wheels.project_requirements("3.11")
    assert any(re.match(r"sqlcipher3[<>=]", r) for r in requirements)
    assert not any(r.startswith("sqlcipher3-binary") for r in requirements)
    assert any(r.startswith("pyinstaller") for r in requirements)

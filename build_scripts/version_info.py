"""The version of the package, for the PyInstaller spec, the Windows version resource and the installer.

The version is read from ``lamha_desktop/__init__.py`` without importing the package::

    python build_scripts/version_info.py            # prints 0.1.0 (or 0.2.0rc1)
    python build_scripts/version_info.py --numeric  # prints 0.1.0.0 (four numbers, for Windows)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = "Quản lý kết nạp đảng viên học sinh"
COMPANY = "LamHa"
EXE_NAME = "lamha-desktop"
CLI_EXE_NAME = "lamha-desktop-cli"


def read_version(root: Path = ROOT) -> str:
    """``__version__`` as assigned in ``lamha_desktop/__init__.py``."""
    tree = ast.parse((root / "lamha_desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__version__"
                                                for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise LookupError("__version__ not found in lamha_desktop/__init__.py")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """"1.2.3" -> (1, 2, 3, 0); a suffix such as "1.2.3rc1" is dropped (Windows wants four numbers)."""
    numbers: list[int] = []
    for part in version.split(".")[:4]:
        digits = ""
        for ch in part:
            if not ch.isdigit():
                break
            digits += ch
        numbers.append(int(digits or 0))
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def numeric_version(version: str) -> str:
    """"0.2.0rc1" -> "0.2.0.0": the four numbers Windows and Inno Setup's ``VersionInfoVersion`` accept."""
    return ".".join(str(n) for n in version_tuple(version))


def windows_version_info(version: str | None = None, *, exe_name: str = EXE_NAME) -> Any:
    """A PyInstaller ``VSVersionInfo`` (the Details tab of the .exe's Properties)."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    version = version or read_version()
    numbers = version_tuple(version)
    strings = [
        StringStruct("CompanyName", COMPANY),
        StringStruct("FileDescription", PRODUCT),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", exe_name),
        StringStruct("OriginalFilename", f"{exe_name}.exe"),
        StringStruct("ProductName", PRODUCT),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[StringFileInfo([StringTable("042A04B0", strings)]),  # Vietnamese, Unicode
              VarFileInfo([VarStruct("Translation", [0x042A, 1200])])],
    )


if __name__ == "__main__":
    found = read_version()
    sys.stdout.write((numeric_version(found) if "--numeric" in sys.argv[1:] else found) + "\n")

"""The layers of DESIGN.md, checked on the import statements and calls:
domain <- catalogue <- storage <- reports <- readers <- operations <- ui / cli <- app.

The operations are the only writer: the widgets and the headless commands import them, never the storage
writers, and never open a transaction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lamha_desktop"
ORDER = ["domain", "catalogue", "storage", "reports", "readers", "operations", "ui"]
# Third-party packages each layer must never import.
FORBIDDEN = {
    "domain": ("PySide6", "peewee", "playhouse", "openpyxl", "shiboken6"),
    "catalogue": ("PySide6", "peewee", "playhouse", "openpyxl", "shiboken6"),
    "storage": ("PySide6", "shiboken6"),
    "reports": ("PySide6", "shiboken6"),
    "readers": ("PySide6", "shiboken6"),
    "operations": ("PySide6", "shiboken6"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ORDER)
def test_layer_imports_only_layers_to_its_left(layer: str) -> None:
    allowed = set(ORDER[: ORDER.index(layer) + 1])
    files = _layer_files(layer)
    assert files, f"no modules in {layer}"
    bad = []
    for path in files:
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "lamha_desktop" and len(parts) > 1:
                target = parts[1]
                if target in ORDER and target not in allowed:
                    bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
                if target in ("app", "cli") or target.startswith("cli_"):
                    bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
            if parts[0] in FORBIDDEN.get(layer, ()):
                bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert bad == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport lamha_desktop.ui.messages\n", encoding="utf-8")
    assert _imports(sample) == ["PySide6.QtCore", "lamha_desktop.ui.messages"]


# ---------------------------------------------------------------- the operations are the only writer

# Storage modules only the operations layer may import at all.
WRITER_MODULES = {"lamha_desktop.storage.writers", "lamha_desktop.storage.models", "lamha_desktop.storage.migrations"}
# Functions of other storage modules that write: only the operations layer calls them.
WRITER_FUNCTIONS = {
    "lamha_desktop.storage.settings": {"set_value"},
    "lamha_desktop.storage.importer": {"apply_import", "remember_mapping"},
    "lamha_desktop.storage.consolidation": {"import_payload"},
    "lamha_desktop.storage.backup": {"restore", "backup_now", "daily_backup", "move_aside", "rotate"},
    "lamha_desktop.storage.encryption": {"change_password", "convert_backups"},
    "lamha_desktop.storage.db": {"run_migrations"},
}


def _callers() -> list[Path]:
    return sorted([*(PACKAGE / "ui").rglob("*.py"), *PACKAGE.glob("cli*.py"), PACKAGE / "app.py"])


def writes_outside_operations(path: Path) -> list[str]:
    """Imports of writer modules, calls of writer functions and transactions opened in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases: dict[str, str] = {}  # local name -> storage module
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in WRITER_MODULES:
                    found.append(f"imports {alias.name}")
                aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in WRITER_MODULES:
                found.append(f"imports {node.module}")
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in WRITER_MODULES:
                    found.append(f"imports {full}")
                if alias.name in WRITER_FUNCTIONS.get(node.module, ()):
                    found.append(f"imports {full}")
                aliases[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr == "atomic":
                found.append(f"line {node.lineno}: opens a transaction (.atomic)")
            if isinstance(node.value, ast.Name):
                module = aliases.get(node.value.id, "")
                if node.attr in WRITER_FUNCTIONS.get(module, ()):
                    found.append(f"line {node.lineno}: calls {module}.{node.attr}")
    return found


def test_widgets_and_commands_change_data_only_through_operations() -> None:
    bad = {str(p.relative_to(PACKAGE)): found for p in _callers() if (found := writes_outside_operations(p))}
    assert bad == {}


def test_the_writer_check_sees_each_kind_of_violation(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "from lamha_desktop.storage import writers, settings\n"
        "from lamha_desktop.storage import backup as b\n"
        "from lamha_desktop.storage.db import database\n"
        "settings.set_value('k', 1)\nb.restore(1, 2)\nwith database.atomic():\n    pass\n"
        "settings.get('k')\nb.list_backups(1)\n", encoding="utf-8")
    found = writes_outside_operations(sample)
    assert found == ["imports lamha_desktop.storage.writers", "line 4: calls lamha_desktop.storage.settings.set_value",
                     "line 5: calls lamha_desktop.storage.backup.restore", "line 6: opens a transaction (.atomic)"]

"""The layers of DESIGN.md: domain <- storage <- reports <- readers <- ui <- app, checked on the import statements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lamha_desktop"
ORDER = ["domain", "catalogue", "storage", "reports", "readers", "ui"]
# Third-party packages each layer must never import.
FORBIDDEN = {
    "domain": ("PySide6", "peewee", "playhouse", "openpyxl", "shiboken6"),
    "catalogue": ("PySide6", "peewee", "playhouse", "openpyxl", "shiboken6"),
    "storage": ("PySide6", "shiboken6"),
    "reports": ("PySide6", "shiboken6"),
    "readers": ("PySide6", "shiboken6"),
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

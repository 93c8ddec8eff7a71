"""The message catalogue: one text per code, no Qt, and a text for every code the application raises."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from lamha_desktop import catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "lamha_desktop"
CODE = re.compile(r"^[a-z_0-9]+\.[a-z_0-9]+$")
# Calls whose first argument is a message code.
RAISERS = {"StorageError", "ReadError", "ImportFileError", "ConsolidationError", "FieldProblem", "ReportError",
           "FileRefused", "ExportError", "OperationRefused", "Refusal", "_err", "_warn", "_fail", "text", "Issue",
           "LockBusy", "DocumentError"}


def _dict_literals(path: Path) -> list[tuple[str, ast.Dict]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            out.append((getattr(target, "id", "?"), node.value))
    return out


def test_no_code_is_written_twice_in_one_module() -> None:
    repeated = []
    for path in sorted((PACKAGE / "catalogue").glob("*.py")):
        for name, literal in _dict_literals(path):
            keys = [k.value for k in literal.keys if isinstance(k, ast.Constant)]
            repeated += [f"{path.name}:{name}:{k}" for k in set(keys) if keys.count(k) > 1]
    assert repeated == []


def test_a_code_in_two_modules_is_refused() -> None:
    a, b = ModuleType("a"), ModuleType("b")
    a.MESSAGES = {"x.y": "một"}  # type: ignore[attr-defined]
    b.MESSAGES = {"x.y": "hai"}  # type: ignore[attr-defined]
    with pytest.raises(catalogue.DuplicateCode, match=r"x\.y"):
        catalogue._merge((a, b))


def test_the_catalogue_imports_no_qt() -> None:
    code = ("import sys, lamha_desktop.catalogue as c; c.text('vote.too_young', {}); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _raised_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "catalogue" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            arg = node.args[0]
            if name in RAISERS and isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                    and CODE.match(arg.value):
                found.setdefault(arg.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_every_raised_code_has_a_text() -> None:
    codes = _raised_codes()
    assert len(codes) > 80
    missing = sorted(f"{code} ({where})" for code, where in codes.items() if code not in catalogue.MESSAGES)
    assert missing == []


def test_a_missing_parameter_reads_as_nothing_not_as_braces() -> None:
    assert "{" not in catalogue.text("db.not_writable", {"path": "D:\\du lieu"})
    assert catalogue.text("no.such_code").startswith("Lỗi không xác định")


def test_the_class_list_and_the_return_have_their_own_unreadable_text() -> None:
    class_list = catalogue.text("import.unreadable", {"path": "lop.xlsx", "detail": "x"})
    a_return = catalogue.text("return.unreadable", {"path": "bc.xlsx", "detail": "x"})
    assert "CSV" in class_list
    assert "CSV" not in a_return

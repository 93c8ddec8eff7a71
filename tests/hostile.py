"""The hostile-file corpus script (tests/data/make_hostile.py) as a module for the tests.

Not a test module; the tests import it from the ``tests`` folder like classlist_files.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def _load() -> ModuleType:
    loaded = sys.modules.get("make_hostile")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("make_hostile", Path(__file__).parent / "data" / "make_hostile.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


make_hostile = _load()

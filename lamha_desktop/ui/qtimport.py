"""Python's own import function back once PySide6 is loaded.

Importing ``PySide6.QtCore`` replaces ``builtins.__import__`` with PySide6's ``__feature_import__``, which serves
``from __feature__ import snake_case, true_property``. Each import statement then runs through it, and each module
imported for the first time afterwards has its whole source read (``inspect.getsource``) to see whether it names
PySide6. At start-up that was 134 modules and 31–38 ms, about a fifth of what the start costs beyond a bare
PySide6 window. This program never uses ``__feature__`` (a test keeps it so), so the start puts the original
import back; PySide6 keeps it in ``builtins.__orig_import__`` for that purpose and treats a module it has not seen
as using no feature, which is what every module here does.
"""

from __future__ import annotations

import builtins

_FEATURE_IMPORT = "__feature_import__"


def plain_imports() -> bool:
    """Give ``builtins.__import__`` back to Python when PySide6's feature import holds it; True when it did.

    Nothing happens when PySide6 is not loaded yet, when another program part installed its own import
    function meanwhile (it is left alone), or when it was already done."""
    current = builtins.__import__
    original = getattr(builtins, "__orig_import__", None)
    if original is None or current is original or getattr(current, "__name__", "") != _FEATURE_IMPORT:
        return False
    builtins.__import__ = original
    return True

"""How the import wizard words a row problem with its cell, and the names of the columns; the texts of the codes
are in :mod:`lamha_desktop.catalogue.importing`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lamha_desktop.catalogue.importing import GROUP_NAMES, IMPORT_FIELD_NAMES, STATUS_NAMES
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr

__all__ = ["FIELD_NAMES", "GROUP_NAMES", "STATUS_NAMES", "field_name", "location", "problem_text", "short_location"]

FIELD_NAMES = IMPORT_FIELD_NAMES


def field_name(f: str) -> str:
    return tr(FIELD_NAMES.get(f, f))


def location(p: Any) -> str:
    """"Trang “Sheet1”, dòng 7, cột D" for a problem (sheet, row, column, ...)."""
    if p.column:
        return messages.text("import.location", {"sheet": p.sheet, "row": p.row, "column": p.column})
    return messages.text("import.location_row", {"sheet": p.sheet, "row": p.row})


def problem_text(p: Any, *, with_location: bool = True) -> str:
    """The sentence for a problem; ``field`` parameters are shown by their Vietnamese names."""
    params: dict[str, Any] = dict(p.params) if isinstance(p.params, Mapping) else {}
    if "field" in params:
        params["field"] = field_name(str(params["field"]))
    text = messages.text(p.code, params)
    return f"{location(p)}: {text}" if with_location else text


def short_location(p: Any) -> str:
    """"D7" (or "dòng 7") — for lists that already say which sheet."""
    return f"{p.column}{p.row}" if p.column else tr("dòng {row}").format(row=p.row)

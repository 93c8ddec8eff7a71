"""Every message a user reads, from the codes the core reports: Vietnamese, in one place, without Qt.

The texts live in one module per feature (:mod:`.core`, :mod:`.safety`, :mod:`.recovery`, :mod:`.reports`,
:mod:`.importing`, :mod:`.guide`, :mod:`.documents`, :mod:`.paperwork`, :mod:`.system`, :mod:`.limits`,
:mod:`.server`, :mod:`.startup`, :mod:`.onboarding`);
this package merges them into :data:`MESSAGES` and refuses a code defined twice, so one code always reads the
same wherever it is shown. :func:`text` words a code with its parameters; the GUI passes Qt's translator
through ``ui.messages`` and the headless commands use it as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from lamha_desktop.catalogue import (
    core,
    documents,
    guide,
    importing,
    limits,
    onboarding,
    paperwork,
    recovery,
    reports,
    safety,
    server,
    startup,
    system,
)

__all__ = [
    "ACTION_NAMES",
    "BOUND_NAMES",
    "DOCUMENT_NAMES",
    "DUE_NAMES",
    "FACT_NAMES",
    "FIELD_LABELS",
    "GENDER_NAMES",
    "MESSAGES",
    "ORG_KIND_NAMES",
    "PAPER_NAMES",
    "RECORD_FACT_NAMES",
    "SIGNER_NAMES",
    "STAGE_NAMES",
    "STEP_NAMES",
    "WAY_OUT_NAMES",
    "fmt_date",
    "fmt_month",
    "stage_name",
    "text",
]

SOURCES: tuple[ModuleType, ...] = (core, safety, recovery, reports, importing, guide, documents, paperwork, system,
                                   limits, server, startup, onboarding)


class DuplicateCode(Exception):
    """A code defined in two feature modules of the catalogue."""


def _merge(sources: tuple[ModuleType, ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for module in sources:
        for code, template in module.MESSAGES.items():
            if code in merged:
                raise DuplicateCode(f"{code}: {origin[code]} and {module.__name__}")
            merged[code] = template
            origin[code] = module.__name__
    return merged


MESSAGES: dict[str, str] = _merge(SOURCES)

DUE_NAMES = core.DUE_NAMES
STAGE_NAMES = core.STAGE_NAMES
ACTION_NAMES = core.ACTION_NAMES
STEP_NAMES = core.STEP_NAMES
ORG_KIND_NAMES = core.ORG_KIND_NAMES
GENDER_NAMES = core.GENDER_NAMES
SIGNER_NAMES = guide.SIGNER_NAMES
PAPER_NAMES = guide.PAPER_NAMES
BOUND_NAMES = guide.BOUND_NAMES
WAY_OUT_NAMES = guide.WAY_OUT_NAMES
DOCUMENT_NAMES = documents.DOCUMENT_NAMES
FACT_NAMES = documents.FACT_NAMES
RECORD_FACT_NAMES = onboarding.FACT_NAMES  # what a student's record may lack (validation.OPTIONAL_FACTS)
FIELD_LABELS = paperwork.FIELD_LABELS


def fmt_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def fmt_month(d: dt.date | None) -> str:
    return d.strftime("%m/%Y") if d else ""


def _fmt_param(value: Any) -> Any:
    if isinstance(value, dt.date):
        return fmt_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(_fmt_param(v)) for v in value)
    if isinstance(value, str) and value in STEP_NAMES:
        return STEP_NAMES[value]
    return value


class _Blank(dict[str, Any]):
    """Format values where a parameter a template names was not given: an empty text, never "{name}"."""

    def __missing__(self, key: str) -> str:
        return ""


def _identity(s: str) -> str:
    return s


def text(code: str, params: Mapping[str, Any] | None = None, *,
         translate: Callable[[str], str] = _identity) -> str:
    """The Vietnamese message of ``code`` with its parameters filled in (dates as dd/mm/yyyy, step codes by
    their names, dossier item codes by their labels)."""
    template = MESSAGES.get(code)
    if template is None:
        return translate("Lỗi không xác định ({code}).").format(code=code)
    values = _Blank({k: _fmt_param(v) for k, v in (params or {}).items()})
    if "purpose" in values:
        values["purpose"] = safety.LOCK_PURPOSE_NAMES.get(str(values["purpose"]), str(values["purpose"]))
    if "file_kind" in values:
        values["file_kind"] = recovery.FILE_KIND_NAMES.get(str(values["file_kind"]), "một tệp không rõ loại")
    if "what" in values:
        values["what_name"] = server.WHAT_NAMES.get(str(values["what"]), str(values["what"]))
    if "items" in values and params is not None:
        values["items"] = _dossier_labels(params.get("items", []))
    if "facts" in values and params is not None:
        values["facts"] = onboarding.fact_list(params.get("facts", []))
    try:
        return translate(template).format_map(values)
    except (IndexError, ValueError, AttributeError):
        return translate(template)


def _dossier_labels(items: Any) -> str:
    from lamha_desktop.domain import codelists

    labels = {d.code: d.label for d in codelists.dossier_items()}
    if isinstance(items, str):
        items = [items]
    return ", ".join(labels.get(i, str(i)) for i in items)


def stage_name(stage: int) -> str:
    return STAGE_NAMES.get(int(stage), str(stage))


def import_field_name(field: str) -> str:
    """The Vietnamese name of a class-list column."""
    return importing.IMPORT_FIELD_NAMES.get(field, field)


def import_location(p: Any) -> str:
    """"Trang “Sheet1”, dòng 7, cột D" for a problem of a class list (sheet, row, column, ...)."""
    if p.column:
        return text("import.location", {"sheet": p.sheet, "row": p.row, "column": p.column})
    return text("import.location_row", {"sheet": p.sheet, "row": p.row})


def import_problem_text(p: Any, *, with_location: bool = True) -> str:
    """The sentence for a problem of a class-list row; ``field`` parameters are shown by their names."""
    params: dict[str, Any] = dict(p.params) if isinstance(p.params, Mapping) else {}
    if "field" in params:
        params["field"] = import_field_name(str(params["field"]))
    sentence = text(p.code, params)
    return f"{import_location(p)}: {sentence}" if with_location else sentence

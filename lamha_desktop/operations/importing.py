"""Importing a class list: plan (nothing written) then apply in one transaction; remembered column mappings.

The plan classifies each row with the same checks as the candidate form (``storage.importer``); applying it
writes the new and updated rows through :func:`core.writing` (the data-folder lock, the audit entries in bulk,
the histories of updated candidates judged again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lamha_desktop.operations.core import OpChanges, operation, writing
from lamha_desktop.storage import importer, settings

__all__ = ["apply", "plan", "remember_mapping"]


def plan(rows: Sequence[importer.ImportRow], organisation_id: int, *, today: dt.date | None = None,
         progress: Callable[[int, int], None] | None = None) -> importer.ImportPlan:
    """What importing ``rows`` into ``organisation_id`` would do, row by row. Reads only."""
    return importer.plan_import(rows, organisation_id, today=today, progress=progress)


@operation
def apply(import_plan: importer.ImportPlan, *, progress: Callable[[int, int], None] | None = None,
          cancel: Callable[[], bool] | None = None,
          mappings: Mapping[str, Mapping[str, int]] | None = None) -> OpChanges:
    """Write the plan's new and updated rows (ImportCancelled, ImportStale: nothing written).

    ``OpChanges.result`` holds the counts (new, updated, unchanged, rejected)."""
    with writing(today=import_plan.today, purpose="import-students") as tx:
        counts = importer.apply_import(import_plan, progress=progress, cancel=cancel, mappings=mappings)
        tx.touch(*(r.candidate_id for r in import_plan.rows if r.status == importer.UPDATE and r.candidate_id))
    return OpChanges("import.class_list", everything=counts["new"] + counts["updated"] > 0, result=counts)


@operation
def remember_mapping(signature: str, fields: Mapping[str, int]) -> OpChanges:
    """Remember the column mapping the user chose for files of this shape."""
    with writing():
        settings.set_value(importer.mapping_key(signature), {k: int(v) for k, v in fields.items()})
    return OpChanges("import.mapping", settings=True)


def remembered(signature: str) -> Any:
    return importer.remembered_mapping(signature)

"""Importing a school's return into this (the district's) database, through the same rules as typing.

See :mod:`lamha_desktop.storage.consolidation` for the matching of organisations, students and steps. Here the
import takes the data-folder lock, runs in one transaction with its audit entry, and every touched student's
whole history is judged like any other change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from lamha_desktop.operations.core import OpChanges, operation, writing
from lamha_desktop.storage import consolidation

__all__ = ["import_return"]


@operation
def import_return(payload: consolidation.ReturnPayload, *, resolutions: Mapping[str, str] | None = None,
                  today: dt.date | None = None) -> OpChanges:
    """Merge a return's payload; ``OpChanges.result`` is the ``ImportResult`` (conflicts left for the user)."""
    with writing(today=today, purpose="import-return") as tx:
        result = consolidation.import_payload(payload, resolutions=resolutions)
        tx.touch(*result.touched)
    return OpChanges("import.return", everything=True, result=result)

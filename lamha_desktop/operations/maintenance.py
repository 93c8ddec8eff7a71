"""Keeping derived values current: the stage and next deadline stored for sorting change with the calendar.

A candidate's next deadline depends on the day for two stages only (a certificate about to expire before the
vote; probation ending, then the recognition deadline). :func:`refresh_for_today` recomputes those rows at
start-up and whenever the day changes, so the candidates table never sorts by a stale deadline.
"""

from __future__ import annotations

import datetime as dt

from lamha_desktop.domain.pipeline import Stage
from lamha_desktop.operations.core import OpChanges, operation, writing
from lamha_desktop.storage import db, settings, writers
from lamha_desktop.storage.models import Candidate

__all__ = ["refresh_for_today"]

STAMP_KEY = "derived_refreshed_on"
_DAY_DEPENDENT = (int(Stage.SOURCE), int(Stage.CLASS_DONE), int(Stage.DOSSIER), int(Stage.PROBATION))


@operation
def refresh_for_today(today: dt.date | None = None, *, force: bool = False) -> OpChanges:
    """Recompute the derived columns that depend on ``today``, once a day (``force``: again)."""
    today = today or dt.date.today()
    # On a server each clerk refreshes the rows they may write: one clerk's stamp says nothing about the others'.
    if not force and not db.is_server() and settings.get(STAMP_KEY) == today.isoformat():
        return OpChanges("derived.refresh")
    ids = [int(c.id) for c in Candidate.select(Candidate.id).where(Candidate.stage.in_(_DAY_DEPENDENT))]
    with writing(today=today):
        writers.refresh_status(ids, today=today)
        settings.set_value(STAMP_KEY, today.isoformat())
    return OpChanges("derived.refresh", candidates=frozenset(ids))

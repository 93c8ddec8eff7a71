"""The settings kept with the data (age reading, reporting periods, signer, days off…).

A change of the age reading or of the calendar re-derives every candidate's deadlines and judges every history
again: switching to the stricter reading is refused while a recorded vote would become unlawful under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from lamha_desktop.operations.core import OpChanges, operation, writing
from lamha_desktop.storage import repo, settings, writers
from lamha_desktop.storage.models import Candidate

__all__ = ["save", "set_value"]


@operation
def save(values: Mapping[str, Any], days_off: Sequence[repo.DayOffRow] | None = None, *,
         today: dt.date | None = None) -> OpChanges:
    before = settings.all_settings()
    old_days = repo.list_days_off()
    with writing(today=today) as tx:
        writers.save_settings(dict(values), days_off)
        calendar_changed = days_off is not None and [(d.day, d.working) for d in old_days] != [
            (d.day, d.working) for d in sorted(days_off, key=lambda d: d.day)]
        if calendar_changed or before.get("age_by_month") != settings.get("age_by_month"):
            tx.judge(*(int(c.id) for c in Candidate.select(Candidate.id)))
    return OpChanges("settings.save", settings=True, candidates=frozenset(tx.checked))


def set_value(key: str, value: Any, *, today: dt.date | None = None) -> OpChanges:
    """One setting (e.g. a remembered choice of the user), with its audit entry."""
    return save({key: value}, None, today=today)

"""Setting up a data folder: the first-run setup (upper committee and organisation in one step)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from lamha_desktop.operations.core import OpChanges, Problem, Refused, operation, writing
from lamha_desktop.storage import repo, settings, writers

__all__ = ["NEW_COMMITTEE", "finish", "first_run"]

NEW_COMMITTEE = -1


@operation
def first_run(committee: Mapping[str, Any] | None, committee_id: int | None, organisation: Mapping[str, Any],
              org_id: int | None = None, *, today: dt.date | None = None) -> OpChanges:
    """The setup's answers in one transaction: a new committee (``committee_id`` NEW_COMMITTEE), changes to an
    existing one (``committee`` given), and the school's organisation, created or changed."""
    with writing(today=today):
        try:
            cid: int | None = committee_id
            if committee_id == NEW_COMMITTEE:
                cid = writers.save_committee(dict(committee or {})) if (committee or {}).get("name", "").strip() \
                    else None
            elif committee is not None and committee_id is not None:
                writers.save_committee(dict(committee), committee_id)
            values = dict(organisation) | {"upper_committee_id": cid}
            before = None if org_id is None else repo.get_organisation(org_id).official_members
            saved = writers.save_organisation(values, org_id)
            count = int(values.get("official_members", 0) or 0)
            if before is None:
                writers.add_member_count(saved, count, valid_from=None, reason="")
            elif before != count:
                writers.add_member_count(saved, count, valid_from=today or dt.date.today(), reason="")
        except repo.ValidationFailed as exc:
            raise Refused([Problem.of(p) for p in exc.issues]) from exc
        settings.set_value("first_run_done", True)
    return OpChanges("setup.first_run", organisations=True, committees=True, created_id=saved)


@operation
def finish() -> OpChanges:
    """Remember that the setup was seen (saved or skipped), so it is not offered again at start."""
    with writing():
        settings.set_value("first_run_done", True)
    return OpChanges("setup.finish", settings=True)

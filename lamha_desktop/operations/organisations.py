"""Organisations (a school's chi bộ or đảng bộ), their dated official-member counts, and upper committees.

The number of official members is a dated record: a vote is judged against the number in force on its date.
Changing it adds a record from a date (today unless said otherwise); a record that would make an existing vote
unlawful is refused with the candidates concerned. Changing an organisation's kind keeps each decision as it
was recorded (the kind is stored with the decision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from lamha_desktop.operations.core import OpChanges, Problem, Refused, check_version, operation, writing
from lamha_desktop.storage import repo, writers
from lamha_desktop.storage.models import Candidate, Organisation

__all__ = ["create", "edit", "save_committee", "set_active", "set_member_count"]


def _refused(exc: repo.ValidationFailed) -> Refused:
    return Refused([Problem.of(p) for p in exc.issues])


@operation
def create(values: Mapping[str, Any], *, today: dt.date | None = None) -> OpChanges:
    """A new organisation; its number of official members is its first (undated) record."""
    with writing(today=today):
        try:
            org_id = writers.save_organisation(dict(values))
        except repo.ValidationFailed as exc:
            raise _refused(exc) from exc
        writers.add_member_count(org_id, int(values.get("official_members", 0) or 0), valid_from=None,
                                 reason="")
    return OpChanges("organisation.create", organisations=True, created_id=org_id)


def _candidates_of(org_id: int) -> list[int]:
    return [int(c.id) for c in Candidate.select(Candidate.id).where(Candidate.organisation == org_id)]


@operation
def edit(org_id: int, values: Mapping[str, Any], *, members_from: dt.date | None = None,
         members_reason: str = "", version: int | None = None, today: dt.date | None = None) -> OpChanges:
    """Change an organisation. A new number of official members applies from ``members_from`` (default:
    today), recorded with ``members_reason``; votes on or after that date are judged against it."""
    today = today or dt.date.today()
    org = Organisation.get_or_none(Organisation.id == org_id)
    if org is None:
        raise Refused([Problem("org.missing", {"id": org_id})])
    new_count = values.get("official_members")
    with writing(today=today) as tx:
        check_version("organisation", org_id, version, name=org.name)
        old_count = int(org.official_members)
        try:
            writers.save_organisation(dict(values), org_id)
        except repo.ValidationFailed as exc:
            raise _refused(exc) from exc
        if new_count is not None and int(new_count) != old_count:
            start = members_from or today
            if start > today:
                raise Refused([Problem("step.future", {"step": "members", "field": "members_from", "on": start},
                                       field="official_members")])
            writers.add_member_count(org_id, int(new_count), valid_from=start, reason=members_reason.strip())
        tx.judge(*_candidates_of(org_id))
    return OpChanges("organisation.edit", organisations=True, candidates=frozenset(tx.checked))


@operation
def set_member_count(org_id: int, count: int, *, valid_from: dt.date | None, reason: str,
                     today: dt.date | None = None) -> OpChanges:
    """Record the organisation's official members from ``valid_from`` (a correction says why)."""
    today = today or dt.date.today()
    if count < 0:
        raise Refused([Problem("org.members_negative", field="official_members")])
    if valid_from is not None and valid_from > today:
        raise Refused([Problem("step.future", {"step": "members", "field": "valid_from", "on": valid_from})])
    with writing(today=today) as tx:
        writers.add_member_count(org_id, count, valid_from=valid_from, reason=reason.strip())
        tx.judge(*_candidates_of(org_id))
    return OpChanges("organisation.members", organisations=True, candidates=frozenset(tx.checked))


@operation
def set_active(org_id: int, active: bool, *, today: dt.date | None = None) -> OpChanges:
    with writing(today=today):
        writers.set_organisation_active(org_id, active)
    return OpChanges("organisation.active", organisations=True)


@operation
def save_committee(values: Mapping[str, Any], committee_id: int | None = None, *,
                   today: dt.date | None = None) -> OpChanges:
    """Create or change an upper committee (its name, place and validity dates)."""
    with writing(today=today):
        try:
            saved = writers.save_committee(dict(values), committee_id)
        except repo.ValidationFailed as exc:
            raise _refused(exc) from exc
    return OpChanges("committee.save", committees=True, organisations=True,
                     created_id=saved if committee_id is None else None)

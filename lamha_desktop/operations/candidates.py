"""Creating, editing and deleting a candidate (a student on the organisation's lists).

Editing runs the candidate's whole history again (a birth date corrected after the vote may make the vote
unlawful; moving a student to another organisation changes the official members the vote is judged against).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from lamha_desktop.domain import validation
from lamha_desktop.operations.core import OpChanges, Problem, Refused, check_version, operation, writing
from lamha_desktop.storage import repo, writers
from lamha_desktop.storage.models import Candidate

__all__ = ["create", "delete", "edit", "problems", "restore"]


def problems(values: Mapping[str, Any], candidate_id: int | None = None, *,
             today: dt.date | None = None) -> list[Problem]:
    """Every problem with the values of the candidate form, without writing anything (text lengths included:
    the same limits as an import or a return)."""
    found = [Problem.of(p) for p in repo.candidate_problems(dict(values), candidate_id, today=today)]
    lengths = {k: values.get(k) for k in ("class_name", "residence", "notes") if values.get(k) is not None}
    return found + [Problem.of(p) for p in validation.check_text_lengths(lengths)]


def _save(values: Mapping[str, Any], candidate_id: int | None, today: dt.date) -> int:
    found = problems(values, candidate_id, today=today)
    if found:
        raise Refused(found)
    return writers.save_candidate(dict(values), candidate_id, today=today)


@operation
def create(values: Mapping[str, Any], *, today: dt.date | None = None) -> OpChanges:
    today = today or dt.date.today()
    with writing(today=today) as tx:
        cid = _save(values, None, today)
        tx.touch(cid)
    return OpChanges("candidate.create", candidates=frozenset({cid}), created_id=cid)


@operation
def edit(candidate_id: int, values: Mapping[str, Any], *, version: int | None = None,
         today: dt.date | None = None) -> OpChanges:
    """Change a candidate. ``version``: the version the form was loaded at (``core.current_version``); when
    another clerk changed the candidate since, :class:`core.Conflict` and nothing is written."""
    today = today or dt.date.today()
    if Candidate.get_or_none(Candidate.id == candidate_id) is None:
        raise Refused([Problem("candidate.missing", {"id": candidate_id})])
    with writing(today=today) as tx:
        check_version("candidate", candidate_id, version)
        _save(values, candidate_id, today)
        tx.touch(candidate_id)
    return OpChanges("candidate.edit", candidates=frozenset({candidate_id}))


@operation
def delete(candidate_id: int, *, version: int | None = None, today: dt.date | None = None) -> OpChanges:
    """Delete a candidate with their steps; ``OpChanges.undo`` is the snapshot :func:`restore` takes."""
    if Candidate.get_or_none(Candidate.id == candidate_id) is None:
        raise Refused([Problem("candidate.missing", {"id": candidate_id})])
    with writing(today=today):
        check_version("candidate", candidate_id, version)
        snapshot = writers.delete_candidate(candidate_id)
    return OpChanges("candidate.delete", candidates=frozenset({candidate_id}),
                     ceremonies=snapshot.ceremony_id is not None, undo=snapshot)


@operation
def restore(snapshot: writers.CandidateSnapshot, *, today: dt.date | None = None) -> OpChanges:
    """Undo :func:`delete`: the same id, the same steps, the ceremony link while that ceremony exists."""
    with writing(today=today) as tx:
        cid = writers.restore_candidate(snapshot)
        tx.touch(cid)
    return OpChanges("candidate.restore", candidates=frozenset({cid}), ceremonies=snapshot.ceremony_id is not None,
                     created_id=cid)

"""What every operation shares: the description of a change, refusals, and the one way to write.

An operation is one user action (record a step, hold a ceremony, import a class list, restore a backup…). It

1. loads the state it needs and applies the domain rules to the state *after* the change;
2. writes inside :func:`writing`: the data-folder lock (:mod:`storage.lock`), one transaction, the audit
   entries, then the whole history of every candidate it touched checked against
   :func:`domain.invariants.history_problems` — any error rolls the transaction back and refuses the action;
3. returns an :class:`OpChanges` saying what changed, which the GUI broadcasts so that each view refreshes
   only when its data changed.

Refusals are :class:`Refused` (nothing written; each :class:`Problem` is a catalogue code with parameters, the
form field it belongs to and the candidate it concerns). Warnings the user has not yet accepted are
:class:`NeedsConfirmation`: the caller shows them and calls again with their codes in ``accept``; accepted
warnings are stored with the step together with who accepted them and when.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamha_desktop.domain import invariants, validation
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.domain.pipeline import Issue
from lamha_desktop.storage import integrity, lock, repo, settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import Candidate, Organisation
from lamha_desktop.storage.typed_peewee import tuples

__all__ = [
    "ACCEPT_ALL",
    "LOCK_WAIT_SECONDS",
    "NeedsConfirmation",
    "OpChanges",
    "Problem",
    "Refused",
    "Tx",
    "data_dir",
    "history_violations",
    "writing",
]

# How long a write waits for another writer of the same data folder before it gives up (LockBusy).
LOCK_WAIT_SECONDS = 5.0


class _AcceptAll(tuple[str, ...]):
    """``accept=ACCEPT_ALL``: every warning is accepted (the demo builder, a history import); they are still
    stored with the step, with who accepted them and when."""

    def __contains__(self, item: object) -> bool:
        return True


ACCEPT_ALL: tuple[str, ...] = _AcceptAll()


@dataclass(frozen=True)
class Problem:
    """Why an operation was refused (or what it warns about): a catalogue code and its parameters.

    ``field`` names the form field it belongs to ("" for the form as a whole); ``candidate_id`` and
    ``candidate_name`` the candidate whose history it concerns, when one does."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    field: str = ""
    severity: str = "error"
    candidate_id: int | None = None
    candidate_name: str = ""

    @classmethod
    def of(cls, issue: Any, *, candidate_id: int | None = None, candidate_name: str = "",
           field_name: str = "") -> Problem:
        """A Problem from a domain ``Issue``, a ``validation.FieldIssue`` or a ``repo.FieldProblem``."""
        return cls(code=str(issue.code), params=dict(getattr(issue, "params", {}) or {}),
                   field=str(getattr(issue, "field", "") or field_name),
                   severity=str(getattr(issue, "severity", "error")),
                   candidate_id=candidate_id, candidate_name=candidate_name)


class Refused(Exception):
    """The operation was refused as a whole; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__([p.code for p in self.problems])

    @property
    def issues(self) -> list[Problem]:  # the name the form dialogs read
        return self.problems


class NeedsConfirmation(Exception):
    """The change is lawful but has warnings the caller has not accepted; nothing was written.

    Call the operation again with ``accept=`` the codes of :attr:`warnings` once the user agreed."""

    def __init__(self, warnings: Iterable[Problem]) -> None:
        self.warnings = list(warnings)
        super().__init__([w.code for w in self.warnings])

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({w.code for w in self.warnings}))


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed, for the views (Anki's ``OpChanges`` is the model).

    ``candidates``: ids of candidates whose record or steps changed (their rows, the due list, the overview).
    ``organisations``, ``ceremonies``, ``committees``, ``settings``: whether those changed.
    ``everything``: the whole database may have changed (a restore, an import, a password, a new store).
    ``created_id``: the id of the record the operation created, if any.
    ``undo``: what the caller needs to undo the operation (a snapshot), if it can be undone.
    """

    action: str
    candidates: frozenset[int] = frozenset()
    organisations: bool = False
    ceremonies: bool = False
    committees: bool = False
    settings: bool = False
    everything: bool = False
    created_id: int | None = None
    warnings: tuple[Problem, ...] = ()
    undo: Any = None
    result: Any = None

    def touches_candidates(self) -> bool:
        return self.everything or bool(self.candidates) or self.organisations or self.settings

    def touches_organisations(self) -> bool:
        return self.everything or self.organisations or self.committees or bool(self.candidates)

    def touches_ceremonies(self) -> bool:
        return self.everything or self.ceremonies or bool(self.candidates) or self.organisations

    def touches_due(self) -> bool:
        return self.everything or bool(self.candidates) or self.ceremonies or self.settings or self.organisations


def data_dir() -> Path:
    """The folder of the open database (the one the data-folder lock guards)."""
    name = database.database
    if not name:
        raise RuntimeError("no database is open")
    return Path(name).resolve().parent


@dataclass
class Tx:
    """The state of one write: what it touched, and the day it happens on."""

    today: dt.date
    touched: set[int] = field(default_factory=set)

    def touch(self, *candidate_ids: int) -> None:
        self.touched.update(int(c) for c in candidate_ids)


def history_violations(candidate_ids: Sequence[int], *, today: dt.date) -> list[Problem]:
    """Every error in the whole histories of ``candidate_ids`` (see :mod:`domain.invariants`)."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return []
    events = repo.events_by_candidate(ids)
    with_steps = [i for i in ids if events.get(i)]
    if not with_steps:
        return []
    holidays = repo.default_holidays()
    by_month = bool(settings.get("age_by_month"))
    members: dict[int, Any] = {}
    found: list[Problem] = []
    for start in range(0, len(with_steps), 500):
        chunk = with_steps[start:start + 500]
        q = (Candidate.select(Candidate.id, Candidate.full_name, Candidate.birth, Candidate.personal_id,
                              Candidate.ethnic, Organisation.id, Organisation.kind)
             .join(Organisation).where(Candidate.id.in_(chunk)))
        for cid, name, birth, pid, ethnic, org_id, kind in tuples(q):
            if org_id not in members:
                members[org_id] = repo.members_function(org_id)
            for v in invariants.history_problems(
                    birth=repo.as_day(birth), events=events[cid], holidays=holidays, today=today,
                    by_month=by_month, party_committee=OrgKind.of(kind).party_committee, members_on=members[org_id],
                    missing_facts=validation.missing_facts(personal_id=pid, ethnic=ethnic)):
                params = dict(v.issue.params)
                params.setdefault("step", v.event.kind)
                params.setdefault("step_on", v.event.on)
                found.append(Problem(v.issue.code, params, severity="error", candidate_id=int(cid),
                                     candidate_name=name))
    return found


@contextlib.contextmanager
def writing(*, today: dt.date | None = None, purpose: str = "operation") -> Iterator[Tx]:
    """The one way to write: the data-folder lock, one transaction, the invariants checked before commit.

    The lock is taken (waiting up to :data:`LOCK_WAIT_SECONDS`) unless this process already holds it (the GUI,
    a headless command); ``storage.lock.LockBusy`` when another writer keeps it. Any exception rolls back.
    """
    tx = Tx(today or dt.date.today())
    folder = data_dir()
    integrity.require_sound()  # the day's check of the file, when it runs in the background, comes first
    lock.acquire(folder, purpose=purpose, wait=LOCK_WAIT_SECONDS)
    try:
        with database.atomic():
            yield tx
            problems = history_violations(sorted(tx.touched), today=tx.today)
            if problems:
                raise Refused(problems)
    except BaseException:
        # Values read inside the rolled-back transaction must not outlive it.
        settings.forget_cache()
        repo.forget_days_off()
        raise
    finally:
        lock.release(folder)


def issue_problems(issues: Iterable[Issue], **where: Any) -> list[Problem]:
    return [Problem.of(i, **where) for i in issues]

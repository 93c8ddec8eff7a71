"""What every operation shares: the description of a change, refusals, and the one way to write.

An operation is one user action (record a step, hold a ceremony, import a class list, restore a backup…). It

1. loads the state it needs and applies the domain rules to the state *after* the change;
2. writes inside :func:`writing`: the data-folder lock (:mod:`storage.lock`), one transaction, the audit
   entries, then the whole history of every candidate it touched checked against
   :func:`domain.invariants.history_problems` — any error rolls the transaction back and refuses the action;
3. returns an :class:`OpChanges` saying what changed, which the GUI broadcasts so that each view refreshes
   only when its data changed.

Refusals are :class:`Refused` (nothing written; each :class:`Problem` is a catalogue code with parameters, the
form field it belongs to and the candidate it concerns). :class:`Conflict` is the refusal of a change made on a
record another clerk changed since it was read (its version number moved): the caller reloads, nothing is lost.

On a shared server (``storage.server``) there is no data-folder lock: each write is one SERIALIZABLE
transaction, the server's row-level security decides what the clerk may write (a refused write is
``server.forbidden``), and a transaction the server gave up because another clerk's changed the same rows is run
again from the start — the whole operation, reads and rules included (:func:`operation`). Every write moves the
server's change counter, which the other clients poll to refresh their views. Warnings the user has not yet accepted are
:class:`NeedsConfirmation`: the caller shows them and calls again with their codes in ``accept``; accepted
warnings are stored with the step together with who accepted them and when.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from lamha_desktop.domain import invariants, validation
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.domain.pipeline import Issue
from lamha_desktop.storage import db, integrity, lock, repo, settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import Candidate, Ceremony, Organisation
from lamha_desktop.storage.typed_peewee import tuples

__all__ = [
    "ACCEPT_ALL",
    "LOCK_WAIT_SECONDS",
    "Conflict",
    "NeedsConfirmation",
    "OpChanges",
    "Problem",
    "Refused",
    "Tx",
    "check_version",
    "data_dir",
    "history_violations",
    "operation",
    "writing",
]

P = ParamSpec("P")
R = TypeVar("R")

# A transaction the server gave up (another clerk's changed the same rows) is run again this many times.
SERVER_ATTEMPTS = 6

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


class Conflict(Refused):
    """The record changed since the caller read it (another clerk, another window): nothing was written.

    ``current`` maps each record (table, id) to its version now: the caller reloads what it shows, keeps what
    the user typed, and may save again knowingly."""

    def __init__(self, problems: Iterable[Problem], current: Mapping[tuple[str, int], int]) -> None:
        super().__init__(problems)
        self.current = dict(current)


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
    """The folder of the open database (the one the data-folder lock guards; a server has none)."""
    if db.is_server():
        raise RuntimeError("a server database has no data folder")
    name = database.database
    if not name:
        raise RuntimeError("no database is open")
    return Path(name).resolve().parent


@dataclass
class Tx:
    """The state of one write: what it touched, and the day it happens on."""

    today: dt.date
    touched: set[int] = field(default_factory=set)
    judged: set[int] = field(default_factory=set)

    def touch(self, *candidate_ids: int) -> None:
        """The write changed these candidates (or their steps): their histories are judged and their version
        numbers raised."""
        self.touched.update(int(c) for c in candidate_ids)

    def judge(self, *candidate_ids: int) -> None:
        """The write changed something these candidates' histories are judged against (their organisation's
        members, the calendar, a setting): judged again, but not changed themselves."""
        self.judged.update(int(c) for c in candidate_ids)

    @property
    def checked(self) -> set[int]:
        return self.touched | self.judged


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


def _isolation() -> dict[str, Any]:
    """SERIALIZABLE on a server: an operation's rules read several rows (a ceremony and its students, a
    candidate's whole history) and no other clerk's transaction may change them underneath."""
    return {"isolation_level": "SERIALIZABLE"} if db.is_server() else {}


@contextlib.contextmanager
def writing(*, today: dt.date | None = None, purpose: str = "operation") -> Iterator[Tx]:
    """The one way to write: one transaction, the invariants checked before commit, the touched candidates'
    version numbers raised.

    On the local file the data-folder lock is taken first (waiting up to :data:`LOCK_WAIT_SECONDS`) unless
    this process already holds it (the GUI, a headless command); ``storage.lock.LockBusy`` when another
    writer keeps it. On a server there is no folder to lock: the transaction is SERIALIZABLE, a write the
    server's policies refuse is ``Refused(server.forbidden)``, and the change counter moves with the commit.
    Any exception rolls back.
    """
    tx = Tx(today or dt.date.today())
    on_server = db.is_server()
    folder = None if on_server else data_dir()
    integrity.require_sound()  # the day's check of the file, when it runs in the background, comes first
    if folder is not None:
        lock.acquire(folder, purpose=purpose, wait=LOCK_WAIT_SECONDS)
    try:
        with database.atomic(**_isolation()):
            yield tx
            _raise_versions(tx, on_server=on_server)
            problems = history_violations(sorted(tx.checked), today=tx.today)
            if problems:
                raise Refused(problems)
            if on_server and database.transaction_depth() == 1:
                from lamha_desktop.storage import server

                server.note_change()
    except BaseException as exc:
        # Values read inside the rolled-back transaction must not outlive it.
        settings.forget_cache()
        repo.forget_days_off()
        if on_server and not isinstance(exc, Refused | NeedsConfirmation):
            from lamha_desktop.storage import server

            if server.is_forbidden(exc):
                raise Refused([Problem("server.forbidden", {"user": repo.audit_user()})]) from exc
            if server.sqlstate(exc) == "23505":  # a unique value another clerk's row holds, unseen by this one
                raise Refused([Problem("server.duplicate", {})]) from exc
            lost = server.lost_connection(exc)
            if lost is not None:
                raise lost from exc
        raise
    finally:
        if folder is not None:
            lock.release(folder)


def _raise_versions(tx: Tx, *, on_server: bool) -> None:
    """Raise the version of every touched candidate (who and when), so a clerk still working on the old state
    is told; on a server, a candidate the clerk may read but not write (the board, another school) refuses."""
    ids = sorted(tx.touched)
    if not ids:
        return
    user, now = repo.audit_user(), dt.datetime.now()
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        changed += int(Candidate.update(version=Candidate.version + 1, changed_by=user, updated_at=now)
                       .where(Candidate.id.in_(chunk)).execute())
    if on_server and changed < int(Candidate.select().where(Candidate.id.in_(ids)).count()):
        raise Refused([Problem("server.forbidden", {"user": user})])


_VERSIONED: dict[str, Any] = {"candidate": Candidate, "organisation": Organisation, "ceremony": Ceremony}


def check_version(table: str, row_id: int, version: int | None, *, name: str = "") -> None:
    """Inside :func:`writing`: refuse with :class:`Conflict` when the record ``row_id`` of ``table``
    ("candidate", "organisation", "ceremony") is no longer at ``version`` (None: no check). On a server the
    row stays locked until the transaction ends, so no one changes it between the check and the write."""
    if version is None:
        return
    model = _VERSIONED[table]
    q = model.select(model.id, model.version, model.changed_by, model.updated_at).where(model.id == row_id)
    if db.is_server():
        q = q.for_update()
    row = q.first()
    if row is None:
        raise Refused([Problem(f"{table}.missing", {"id": row_id})])
    if int(row.version) == int(version):
        return
    when = row.updated_at if isinstance(row.updated_at, dt.datetime) else None
    if name == "" and table == "candidate":
        name = str(Candidate.get_by_id(row_id).full_name)
    problem = Problem("record.changed_meanwhile", {
        "what": table, "name": name, "by": row.changed_by or "?",
        "at": when.strftime("%H:%M ngày %d/%m/%Y") if when else "?"},
        candidate_id=row_id if table == "candidate" else None, candidate_name=name if table == "candidate" else "")
    raise Conflict([problem], {(table, row_id): int(row.version)})


def current_version(table: str, row_id: int) -> int | None:
    """The version of a record now (what an editing form keeps to send back with its change)."""
    model = _VERSIONED[table]
    row = model.select(model.version).where(model.id == row_id).first()
    return None if row is None else int(row.version)


def operation(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark a public operation: on a server, run it again from the start when the server gave its transaction
    up because another clerk's changed the same rows (a serialisation failure, a deadlock) — it reads the new
    state and applies the rules again. After :data:`SERVER_ATTEMPTS` tries: ``Refused(server.busy)``.

    Not repeated inside another operation's transaction (the outer one is run again instead), nor on the local
    file (one writer at a time: nothing to retry)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not db.is_server() or database.transaction_depth() > 0:
            return fn(*args, **kwargs)
        from lamha_desktop.storage import server

        for attempt in range(1, SERVER_ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if not server.is_retryable(exc):
                    raise
                if attempt == SERVER_ATTEMPTS:
                    raise Refused([Problem("server.busy", {"attempts": attempt})]) from exc
                time.sleep(random.uniform(0.02, 0.05) * 2 ** attempt)
        raise AssertionError("unreachable")

    return run


def issue_problems(issues: Iterable[Issue], **where: Any) -> list[Problem]:
    return [Problem.of(i, **where) for i in issues]

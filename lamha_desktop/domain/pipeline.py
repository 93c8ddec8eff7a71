"""The admission pipeline of one candidate: stage, deadlines and step checks derived from dated events.

Nothing here is typed by a user as a "status": the UI stores :class:`Event` rows and asks
:func:`compute_status` (stage, eligible-from date, next deadline) and :func:`check_step` (problems with an
event about to be recorded). Problems are :class:`Issue` codes with parameters; ``ui/messages.py`` words them.

Event kinds and their ``data`` (dates inside ``data`` are ISO strings "YYYY-MM-DD" or ``date`` objects):

=============  =====================================  ========================================================
kind           ``on``                                 ``data``
=============  =====================================  ========================================================
source         listed in the source list              helper (official member assigned to help)
class          certificate date                       class_name, start, end, cert_no
dossier        date of the document                   item (dossier item code), member, together_since,
                                                      replacement (bool, introducer assigned as a replacement)
vote           chi bộ resolution date                 members, agree, disagree, passed, override_reason
dang_uy        đảng ủy cơ sở resolution date          members, agree, passed
decision       decision date                          number, issuer, received (date or None)
ceremony       ceremony date                          ceremony_id
recognition    chi bộ resolution on recognition       agree, members, decision_no, decision_date
transfer       date of the transfer                   destination, mode ("tam_thoi" | "chinh_thuc")
not_admitted   date of the conclusion                 reason
removed        date of removal (xóa tên)              reason
=============  =====================================  ========================================================
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any, Final, Literal

from lamha_desktop.domain import codelists, rules

__all__ = [
    "FACTS_NEEDED",
    "Event",
    "EventKind",
    "Issue",
    "NextAction",
    "Stage",
    "Status",
    "check_step",
    "compute_status",
    "decision_received",
    "latest_passed",
    "stage_without_today",
    "vote_passed",
]


class EventKind:
    """String constants for :attr:`Event.kind`."""

    SOURCE: Final = "source"
    CLASS: Final = "class"
    DOSSIER: Final = "dossier"
    VOTE: Final = "vote"
    DANG_UY: Final = "dang_uy"
    DECISION: Final = "decision"
    CEREMONY: Final = "ceremony"
    RECOGNITION: Final = "recognition"
    TRANSFER: Final = "transfer"
    NOT_ADMITTED: Final = "not_admitted"
    REMOVED: Final = "removed"

    ALL: Final = frozenset(
        {
            SOURCE,
            CLASS,
            DOSSIER,
            VOTE,
            DANG_UY,
            DECISION,
            CEREMONY,
            RECOGNITION,
            TRANSFER,
            NOT_ADMITTED,
            REMOVED,
        }
    )
    TERMINAL: Final = frozenset({TRANSFER, NOT_ADMITTED, REMOVED})


class NextAction:
    """String constants for :attr:`Status.next_action`."""

    CERTIFICATE_RENEW: Final = "certificate_renew"
    DECISION: Final = "decision"
    CEREMONY: Final = "ceremony"
    PROBATION_END: Final = "probation_end"
    RECOGNITION: Final = "recognition"


TRANSFER_MODES: Final = frozenset({"tam_thoi", "chinh_thuc"})
MIN_CHI_BO_MEMBERS: Final = 3
INTRODUCER_MONTHS: Final = 12
CERTIFICATE_WARNING_MONTHS: Final = 3

# Facts of the student's record a step cannot be recorded without (see ``validation.missing_facts``): a record
# imported from a teacher's class list may lack them until then. The chi bộ resolution names the student by
# their personal ID, and the biography in the dossier states their ethnic group (the return counts minorities
# from it), so the vote needs both; every later step comes after a vote and is judged with it.
FACTS_NEEDED: Final[Mapping[str, tuple[str, ...]]] = {"vote": ("personal_id", "ethnic")}


class Stage(IntEnum):
    """How far a candidate has gone. Values leave room for steps added later."""

    STUDENT = 5  # a student of the school, not (yet) on the source list: no step recorded
    SOURCE = 10  # quần chúng trong nguồn
    CLASS_DONE = 20  # awareness class certificate
    DOSSIER = 30  # at least one dossier item
    VOTED = 40  # chi bộ resolution passed
    DANG_UY = 50  # đảng ủy cơ sở agreed (đảng bộ cơ sở only)
    DECISION = 60  # admission decision issued, awaiting ceremony
    PROBATION = 70  # admitted, probationary member
    OFFICIAL = 80  # recognised as official member
    TRANSFERRED = 90
    NOT_ADMITTED = 95
    REMOVED = 99

    @property
    def terminal(self) -> bool:
        return self >= Stage.TRANSFERRED


@dataclass(frozen=True)
class Event:
    """One dated step of a candidate's record."""

    kind: str
    on: date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Status:
    """Everything derived from the events at a given ``today``.

    Attributes:
        stage: furthest step reached (a terminal event overrides).
        eligible_from: first day the candidate is old enough for the vote (None: birth date unknown).
        next_deadline: date by which ``next_action`` is due, or None.
        next_action: a :class:`NextAction` code, or None.
        overdue: ``today`` is past ``next_deadline``.
        probation_end: end of probation (12 months after the ceremony), or None.
        admitted_on: ceremony date, or None.
        certificate_expires: last day the awareness-class certificate is valid, or None.
        failed_vote: the latest vote (chi bộ, or đảng ủy when it applies) did not pass.
    """

    stage: Stage
    eligible_from: date | None
    next_deadline: date | None
    next_action: str | None
    overdue: bool
    probation_end: date | None
    admitted_on: date | None
    certificate_expires: date | None
    failed_vote: bool


@dataclass(frozen=True)
class Issue:
    """A problem found by :func:`check_step`: a code for ``ui/messages.py`` and its parameters."""

    code: str
    severity: Literal["error", "warning"]
    params: Mapping[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------------------
# helpers


def as_date(value: Any) -> date | None:
    """A ``date`` from a ``date``, ``datetime`` or ISO string in ``Event.data``; None if empty or invalid."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _ordered(events: Sequence[Event]) -> list[Event]:
    """Events by date; events of one day keep their recorded order."""
    return sorted(events, key=lambda e: e.on)


def _of(events: Sequence[Event], kind: str) -> list[Event]:
    return [e for e in _ordered(events) if e.kind == kind]


def _vote_passed(event: Event) -> bool:
    """``data["passed"]`` when recorded, otherwise the 2/3 rule on the counts."""
    passed = event.data.get("passed")
    if isinstance(passed, bool):
        return passed
    agree, members = _as_int(event.data.get("agree")), _as_int(event.data.get("members"))
    if agree is None or members is None:
        return False
    try:
        return rules.vote_passes(agree, members)
    except ValueError:  # impossible counts never pass
        return False


def _votes(events: Sequence[Event], party_committee: bool) -> list[Event]:
    """Chi bộ votes, and đảng ủy votes when the organisation is a đảng bộ cơ sở, by date."""
    kinds = {EventKind.VOTE, EventKind.DANG_UY} if party_committee else {EventKind.VOTE}
    return [e for e in _ordered(events) if e.kind in kinds]


def _last_passed(events: Sequence[Event], kind: str) -> Event | None:
    passed = [e for e in _of(events, kind) if _vote_passed(e)]
    return passed[-1] if passed else None


def _received(decision: Event) -> date:
    """The day the decision reached the organisation (the decision date when not recorded)."""
    return as_date(decision.data.get("received")) or decision.on


def vote_passed(event: Event) -> bool:
    """Whether a vote-like event (``vote``, ``dang_uy``) passed: ``data["passed"]`` when recorded, else the 2/3 rule."""
    return _vote_passed(event)


def latest_passed(events: Sequence[Event], kind: str) -> Event | None:
    """The latest event of ``kind`` that passed (see :func:`vote_passed`), or None."""
    return _last_passed(events, kind)


def decision_received(decision: Event) -> date:
    """The day a ``decision`` event reached the organisation (its own date when the receipt is not recorded)."""
    return _received(decision)


# ------------------------------------------------------------------------------------------------------------
# stage and status

_TERMINAL_PRIORITY: Final = (
    (EventKind.REMOVED, Stage.REMOVED),
    (EventKind.NOT_ADMITTED, Stage.NOT_ADMITTED),
    (EventKind.TRANSFER, Stage.TRANSFERRED),
)
_STEP_STAGE: Final = {
    EventKind.SOURCE: Stage.SOURCE,
    EventKind.CLASS: Stage.CLASS_DONE,
    EventKind.DOSSIER: Stage.DOSSIER,
    EventKind.DECISION: Stage.DECISION,
    EventKind.CEREMONY: Stage.PROBATION,
    EventKind.RECOGNITION: Stage.OFFICIAL,
}


def stage_without_today(events: Sequence[Event], party_committee: bool = False) -> Stage:
    """The stage implied by ``events`` alone.

    A terminal event wins, in the order removed > not admitted > transferred. Otherwise the stage is the
    furthest step recorded; a vote counts only when it passed, and a ``dang_uy`` event only when
    ``party_committee`` is True (the organisation is a đảng bộ cơ sở). With no events at all the candidate is a
    STUDENT, not on the source list; any step puts them on it (the return counts them in its source column
    from their first step on, whatever it is).
    """
    kinds = {e.kind for e in events}
    for kind, stage in _TERMINAL_PRIORITY:
        if kind in kinds:
            return stage
    if not events:
        return Stage.STUDENT
    reached = Stage.SOURCE
    for e in events:
        if e.kind in _STEP_STAGE:
            candidate = _STEP_STAGE[e.kind]
        elif e.kind == EventKind.VOTE and _vote_passed(e):
            candidate = Stage.VOTED
        elif e.kind == EventKind.DANG_UY and party_committee and _vote_passed(e):
            candidate = Stage.DANG_UY
        else:
            continue
        reached = max(reached, candidate)
    return reached


def _certificate_expires(events: Sequence[Event]) -> date | None:
    classes = _of(events, EventKind.CLASS)
    return rules.certificate_valid_until(classes[-1].on) if classes else None


def compute_status(
    *,
    birth: date | None,
    events: Sequence[Event],
    holidays: Collection[date],
    today: date,
    by_month: bool = True,
    party_committee: bool = False,
) -> Status:
    """Stage, eligibility and the next deadline of one candidate on ``today``.

    Next deadline by stage:

    * before the vote: none, unless the latest class certificate expires before ``eligible_from`` or within
      3 months of ``today`` (action "certificate_renew", deadline = last valid day);
    * VOTED / DANG_UY: decision within 60 working days of the (latest passed) chi bộ resolution ("decision");
    * DECISION: ceremony within 30 working days of receiving the decision (or of its date) ("ceremony");
    * PROBATION: the end of probation ("probation_end"); from that day on, the chi bộ's consideration within
      30 working days ("recognition");
    * OFFICIAL and terminal stages: none.
    """
    stage = stage_without_today(events, party_committee)
    eligible_from = rules.age_eligible_from(birth, by_month=by_month) if birth is not None else None
    cert_expires = _certificate_expires(events)
    ceremonies = _of(events, EventKind.CEREMONY)
    admitted_on = ceremonies[-1].on if ceremonies else None
    prob_end = rules.probation_end(admitted_on) if admitted_on is not None else None

    votes = _votes(events, party_committee)
    failed_vote = bool(votes) and not _vote_passed(votes[-1])

    deadline: date | None = None
    action: str | None = None
    if stage < Stage.VOTED:
        if cert_expires is not None and (
            (eligible_from is not None and cert_expires < eligible_from)
            or cert_expires <= rules.add_months(today, CERTIFICATE_WARNING_MONTHS)
        ):
            deadline, action = cert_expires, NextAction.CERTIFICATE_RENEW
    elif stage in (Stage.VOTED, Stage.DANG_UY):
        vote = _last_passed(events, EventKind.VOTE)
        if vote is not None:
            deadline = rules.decision_deadline(vote.on, holidays=holidays)
            action = NextAction.DECISION
    elif stage == Stage.DECISION:
        decision = _of(events, EventKind.DECISION)[-1]
        deadline = rules.ceremony_deadline(_received(decision), holidays=holidays)
        action = NextAction.CEREMONY
    elif stage == Stage.PROBATION and prob_end is not None:
        if today < prob_end:
            deadline, action = prob_end, NextAction.PROBATION_END
        else:
            deadline = rules.recognition_deadline(prob_end, holidays=holidays)
            action = NextAction.RECOGNITION

    return Status(
        stage=stage,
        eligible_from=eligible_from,
        next_deadline=deadline,
        next_action=action,
        overdue=deadline is not None and today > deadline,
        probation_end=prob_end,
        admitted_on=admitted_on,
        certificate_expires=cert_expires,
        failed_vote=failed_vote,
    )


# ------------------------------------------------------------------------------------------------------------
# step checks


def _err(code: str, **params: Any) -> Issue:
    return Issue(code, "error", params)


def _warn(code: str, **params: Any) -> Issue:
    return Issue(code, "warning", params)


def _order(step: str, previous_step: str, previous_date: date) -> Issue:
    return _err("order.before_previous", step=step, previous_step=previous_step, previous_date=previous_date)


def _no_prior(step: str, required: str) -> Issue:
    return _err("step.no_prior", step=step, required=required)


def _counts(
    prefix: str, data: Mapping[str, Any], *, minimum_members: int, with_disagree: bool
) -> tuple[list[Issue], int | None, int | None]:
    """Check vote counts; return issues and (members, agree) when they are usable."""
    members, agree = _as_int(data.get("members")), _as_int(data.get("agree"))
    disagree = _as_int(data.get("disagree", 0)) if with_disagree else 0
    params = {"members": data.get("members"), "agree": data.get("agree")}
    if with_disagree:
        params["disagree"] = data.get("disagree", 0)
    if (
        members is None
        or agree is None
        or disagree is None
        or members < minimum_members
        or agree < 0
        or disagree < 0
        or agree + disagree > members
    ):
        return [_err(f"{prefix}.counts_invalid", **params)], None, None
    return [], members, agree


def _check_vote(
    new: Event,
    *,
    birth: date | None,
    events: Sequence[Event],
    by_month: bool,
    official_members: int | None,
) -> list[Issue]:
    issues: list[Issue] = []
    on = new.on

    # age, on the configured reading of "counted by month"
    if birth is None:
        issues.append(_err("vote.birth_unknown"))
    else:
        eligible_from = rules.age_eligible_from(birth, by_month=by_month)
        if not rules.is_age_eligible(birth, on, by_month=by_month):
            if on < eligible_from:
                issues.append(_err("vote.too_young", eligible_from=eligible_from))
            else:
                issues.append(_err("vote.too_old", birth=birth))
        elif by_month:
            birthday_18 = rules.add_months(birth, 18 * 12)
            if on < birthday_18:
                issues.append(_warn("vote.birth_month_warning", birthday=birthday_18))

    # awareness class certificate
    classes = _of(events, EventKind.CLASS)
    before = [c for c in classes if c.on <= on]
    if not classes:
        issues.append(_err("vote.no_certificate"))
    elif not before:
        issues.append(_order(EventKind.VOTE, EventKind.CLASS, classes[0].on))
    else:
        valid_until = rules.certificate_valid_until(before[-1].on)
        if on > valid_until:
            issues.append(_err("vote.certificate_expired", issued=before[-1].on, valid_until=valid_until))

    # dossier (introductions are checked on their own below); a vote recorded from an archive (a school's past
    # admissions) says where its dossier is kept instead
    archived = str(new.data.get("dossier_archived") or "").strip()
    if archived:
        issues.append(_warn("vote.dossier_archived", source=archived))
    dossier = [e for e in _of(events, EventKind.DOSSIER) if e.on <= on]
    present = {str(e.data.get("item", "")) for e in dossier}
    missing = [
        d.code
        for d in codelists.dossier_items()
        if d.required and d.group != "introduction" and d.code not in present
    ]
    if missing and not archived:
        reason = str(new.data.get("override_reason") or "").strip()
        if reason:
            issues.append(_warn("vote.missing_dossier_overridden", items=missing, reason=reason))
        else:
            issues.append(_err("vote.missing_dossier", items=missing))

    # introduction: union resolution + 1 official member, or 2 official members
    introducers = [e for e in dossier if e.data.get("item") == "gioi_thieu"]
    names = {str(e.data.get("member") or "").strip() or f"#{i}" for i, e in enumerate(introducers)}
    union = "nq_doan" in present
    if not ((union and len(names) >= 1) or len(names) >= 2) and not archived:
        issues.append(_err("vote.no_introduction", introducers=len(names), union_resolution=union))
    since_required = rules.add_months(on, -INTRODUCER_MONTHS)
    for e in introducers:
        together = as_date(e.data.get("together_since"))
        if together is not None and not e.data.get("replacement") and together > since_required:
            issues.append(
                _warn(
                    "vote.introducer_short",
                    member=e.data.get("member"),
                    together_since=together,
                    required_since=since_required,
                )
            )

    # counts and result
    count_issues, members, agree = _counts(
        "vote", new.data, minimum_members=MIN_CHI_BO_MEMBERS, with_disagree=True
    )
    issues.extend(count_issues)
    if members is not None and agree is not None:
        if official_members is not None and official_members != members:
            # The count comes from the organisation's dated record; another number is a correction that
            # must say why (kept with the vote), never a free field.
            reason = str(new.data.get("members_reason") or "").strip()
            if reason:
                issues.append(_warn("vote.members_corrected", members=members, official_members=official_members,
                                    reason=reason))
            else:
                issues.append(_err("vote.members_mismatch", members=members, official_members=official_members))
        passes = rules.vote_passes(agree, members)
        recorded = new.data.get("passed")
        if isinstance(recorded, bool) and recorded != passes:
            issues.append(_err("vote.result_mismatch", recorded=recorded, computed=passes))
    return issues


def _check_dang_uy(new: Event, *, events: Sequence[Event], party_committee: bool) -> list[Issue]:
    if not party_committee:
        return [_err("dang_uy.not_applicable")]
    issues: list[Issue] = []
    vote = _last_passed(events, EventKind.VOTE)
    if vote is None:
        issues.append(_no_prior(EventKind.DANG_UY, EventKind.VOTE))
    elif new.on < vote.on:
        issues.append(_order(EventKind.DANG_UY, EventKind.VOTE, vote.on))
    count_issues, _, _ = _counts("dang_uy", new.data, minimum_members=1, with_disagree=False)
    issues.extend(count_issues)
    return issues


def _check_decision(
    new: Event, *, events: Sequence[Event], holidays: Collection[date], party_committee: bool
) -> list[Issue]:
    issues: list[Issue] = []
    recorded_kind = new.data.get("party_committee")
    if isinstance(recorded_kind, bool):  # the organisation's kind when the decision was recorded
        party_committee = recorded_kind
    vote = _last_passed(events, EventKind.VOTE)
    if vote is None:
        issues.append(_no_prior(EventKind.DECISION, EventKind.VOTE))
    else:
        previous: Event = vote
        if party_committee:
            dang_uy = _last_passed(events, EventKind.DANG_UY)
            if dang_uy is None:
                issues.append(_no_prior(EventKind.DECISION, EventKind.DANG_UY))
            else:
                previous = dang_uy
        if new.on < previous.on:
            issues.append(_order(EventKind.DECISION, previous.kind, previous.on))
        else:
            deadline = rules.decision_deadline(vote.on, holidays=holidays)
            if new.on > deadline:
                issues.append(_warn("decision.late", deadline=deadline, resolution=vote.on))
    received = as_date(new.data.get("received"))
    if received is not None and received < new.on:
        issues.append(_order("decision_received", EventKind.DECISION, new.on))
    if _of(events, EventKind.DECISION):
        issues.append(_warn("step.duplicate", step=EventKind.DECISION))
    return issues


def _check_ceremony(new: Event, *, events: Sequence[Event], holidays: Collection[date]) -> list[Issue]:
    decisions = _of(events, EventKind.DECISION)
    if not decisions:
        return [_no_prior(EventKind.CEREMONY, EventKind.DECISION)]
    issues: list[Issue] = []
    decision = decisions[-1]
    start = _received(decision)
    if new.on < start:
        step = "decision_received" if start != decision.on else EventKind.DECISION
        issues.append(_order(EventKind.CEREMONY, step, start))
    else:
        deadline = rules.ceremony_deadline(start, holidays=holidays)
        if new.on > deadline:
            issues.append(_warn("ceremony.late", deadline=deadline, received=start))
    if _of(events, EventKind.CEREMONY):
        issues.append(_warn("step.duplicate", step=EventKind.CEREMONY))
    return issues


def _check_recognition(new: Event, *, events: Sequence[Event], holidays: Collection[date]) -> list[Issue]:
    ceremonies = _of(events, EventKind.CEREMONY)
    if not ceremonies:
        return [_no_prior(EventKind.RECOGNITION, EventKind.CEREMONY)]
    issues: list[Issue] = []
    end = rules.probation_end(ceremonies[-1].on)
    if new.on < end:
        issues.append(_order(EventKind.RECOGNITION, "probation_end", end))
    else:
        deadline = rules.recognition_deadline(end, holidays=holidays)
        if new.on > deadline:
            issues.append(_warn("recognition.late", deadline=deadline, probation_end=end))
    if "agree" in new.data or "members" in new.data:
        count_issues, members, agree = _counts(
            "recognition", new.data, minimum_members=MIN_CHI_BO_MEMBERS, with_disagree=False
        )
        issues.extend(count_issues)
        if members is not None and agree is not None and not rules.vote_passes(agree, members):
            issues.append(_warn("recognition.not_passed", agree=agree, members=members))
    if _of(events, EventKind.RECOGNITION):
        issues.append(_warn("step.duplicate", step=EventKind.RECOGNITION))
    return issues


def _check_transfer(new: Event, *, events: Sequence[Event]) -> list[Issue]:
    issues: list[Issue] = []
    ceremonies = _of(events, EventKind.CEREMONY)
    if not ceremonies:
        issues.append(_no_prior(EventKind.TRANSFER, EventKind.CEREMONY))
    elif new.on < ceremonies[0].on:
        issues.append(_order(EventKind.TRANSFER, EventKind.CEREMONY, ceremonies[0].on))
    if new.data.get("mode") not in TRANSFER_MODES:
        issues.append(_err("transfer.mode_invalid", mode=new.data.get("mode")))
    if not str(new.data.get("destination") or "").strip():
        issues.append(_err("transfer.destination_required"))
    return issues


def _check_other(new: Event) -> list[Issue]:
    issues: list[Issue] = []
    if new.kind == EventKind.DOSSIER:
        item = str(new.data.get("item") or "")
        if codelists.dossier_item(item) is None:
            issues.append(_err("dossier.unknown_item", item=item))
    elif new.kind == EventKind.CLASS:
        start, end = as_date(new.data.get("start")), as_date(new.data.get("end"))
        if start is not None and end is not None and end < start:
            issues.append(_err("class.dates_invalid", start=start, end=end))
        elif end is not None and new.on < end:
            issues.append(_order("class_certificate", "class_end", end))
    elif (
        new.kind in (EventKind.NOT_ADMITTED, EventKind.REMOVED)
        and not str(new.data.get("reason") or "").strip()
    ):
        issues.append(_err("step.reason_required", step=new.kind))
    return issues


_DATA_DATES: Final = ("received", "start", "end", "together_since", "decision_date")


def _future_dates(new: Event, today: date) -> list[Issue]:
    """A step cannot be dated, nor carry a date, after ``today``."""
    issues: list[Issue] = []
    if new.on > today:
        issues.append(_err("step.future", step=new.kind, field="on", on=new.on))
    for name in _DATA_DATES:
        value = as_date(new.data.get(name))
        if value is not None and value > today:
            issues.append(_err("step.future", step=new.kind, field=name, on=value))
    return issues


def check_step(
    new: Event,
    *,
    birth: date | None,
    events: Sequence[Event],
    holidays: Collection[date],
    by_month: bool = True,
    party_committee: bool = False,
    official_members: int | None = None,
    today: date | None = None,
    missing_facts: Collection[str] = (),
) -> list[Issue]:
    """Problems with recording ``new`` after ``events`` (the candidate's other events, ``new`` excluded).

    ``official_members`` is the organisation's number of official members on the vote date (from its dated
    record); ``today``, when given, refuses dates after it; ``missing_facts`` names the facts the student's
    record still lacks (``validation.missing_facts``): a step that needs one of them (:data:`FACTS_NEEDED`)
    is refused.

    An empty list means the step is clean. Errors should block saving (the UI may allow an override where
    noted); warnings are shown and saved with the event.

    ===================================  ========  ===========================================================
    code                                 severity  params / meaning
    ===================================  ========  ===========================================================
    step.unknown_kind                    error     kind
    step.no_prior                        error     step, required — e.g. a decision without a passed vote
    step.after_terminal                  warning   step, terminal — removed / not admitted already recorded
    step.duplicate                       warning   step — a second decision, ceremony or recognition
    step.reason_required                 error     step — not_admitted / removed without a reason
    step.facts_missing                   error     step, facts — the record lacks facts the step needs
                                                   (``missing_facts`` against :data:`FACTS_NEEDED`)
    order.before_previous                error     step, previous_step, previous_date — dated before the step
                                                   it follows (previous_step: "class", "vote", "dang_uy",
                                                   "decision", "decision_received", "probation_end",
                                                   "ceremony", "class_end"; step may also be
                                                   "decision_received", "class_certificate")
    vote.birth_unknown                   error     —
    vote.too_young                       error     eligible_from
    vote.too_old                         error     birth
    vote.birth_month_warning             warning   birthday — "by month" reading, vote before 18th birthday
    vote.no_certificate                  error     — no awareness class recorded
    vote.certificate_expired             error     issued, valid_until
    vote.missing_dossier                 error     items (dossier codes); the UI may override with a reason
    vote.missing_dossier_overridden      warning   items, reason — data["override_reason"] given
    vote.no_introduction                 error     introducers, union_resolution
    vote.introducer_short                warning   member, together_since, required_since (< 12 months;
                                                   not checked for a replacement introducer)
    vote.counts_invalid                  error     members, agree, disagree — negative, agree+disagree >
                                                   members, or members < 3
    vote.members_mismatch                error     members, official_members — another count than the
                                                   organisation's on that date, without a reason
    vote.members_corrected               warning   members, official_members, reason — data["members_reason"]
    vote.dossier_archived                warning   source — a past admission whose dossier is kept in the
                                                   archive (data["dossier_archived"]): not checked here
    step.future                          error     step, field, on — a date after ``today``
    vote.result_mismatch                 error     recorded, computed — data["passed"] contradicts 2/3 rule
    dang_uy.not_applicable               error     — the organisation is a chi bộ cơ sở
    dang_uy.counts_invalid               error     members, agree
    decision.late                        warning   deadline, resolution — after 60 working days
    ceremony.late                        warning   deadline, received — after 30 working days
    recognition.late                     warning   deadline, probation_end — after 30 working days
    recognition.counts_invalid           error     members, agree
    recognition.not_passed               warning   agree, members — under 2/3
    transfer.mode_invalid                error     mode
    transfer.destination_required        error     —
    dossier.unknown_item                 error     item
    class.dates_invalid                  error     start, end
    ===================================  ========  ===========================================================
    """
    if new.kind not in EventKind.ALL:
        return [_err("step.unknown_kind", kind=new.kind)]
    issues: list[Issue] = []
    if today is not None:
        issues += _future_dates(new, today)
    terminal = [e for e in events if e.kind in (EventKind.REMOVED, EventKind.NOT_ADMITTED)]
    if terminal and new.kind not in (EventKind.REMOVED, EventKind.NOT_ADMITTED):
        issues.append(_warn("step.after_terminal", step=new.kind, terminal=terminal[-1].kind))
    lacking = [f for f in FACTS_NEEDED.get(new.kind, ()) if f in missing_facts]
    if lacking:
        issues.append(_err("step.facts_missing", step=new.kind, facts=lacking))

    if new.kind == EventKind.VOTE:
        issues += _check_vote(
            new, birth=birth, events=events, by_month=by_month, official_members=official_members
        )
    elif new.kind == EventKind.DANG_UY:
        issues += _check_dang_uy(new, events=events, party_committee=party_committee)
    elif new.kind == EventKind.DECISION:
        issues += _check_decision(new, events=events, holidays=holidays, party_committee=party_committee)
    elif new.kind == EventKind.CEREMONY:
        issues += _check_ceremony(new, events=events, holidays=holidays)
    elif new.kind == EventKind.RECOGNITION:
        issues += _check_recognition(new, events=events, holidays=holidays)
    elif new.kind == EventKind.TRANSFER:
        issues += _check_transfer(new, events=events)
    else:
        issues += _check_other(new)
    return issues

"""Leading the clerk through an admission: "Bước tiếp theo", the step menu, and the age-window planner.

Everything here is computed from a candidate's dated history (the :class:`pipeline.Event` list that
:func:`pipeline.compute_status` takes), the rules and the calendar; nothing is stored. Problems and reasons are
:class:`pipeline.Issue` codes with parameters; the words live in ``catalogue/guide.py``.

The procedure
-------------

:data:`PROCEDURE_ORDER` lists the step kinds of the main line in the order of the procedure::

    source, class, dossier, vote, dang_uy, decision, ceremony, recognition

``dang_uy`` applies only to a đảng bộ cơ sở (``party_committee=True``); :data:`OFF_LINE_KINDS` (transfer,
not_admitted, removed) are off the main line. :func:`procedure` numbers the line for display, with the dossier
expanded into its items (``resources/codelists/dossier_items.json``): for a chi bộ cơ sở ``1`` source, ``2``
class, ``3.1``–``3.7`` the dossier items, ``4`` vote, ``5`` decision, ``6`` ceremony, ``7`` recognition; a
đảng bộ cơ sở gets ``5`` dang_uy and the later numbers shift by one. :func:`menu_kinds` gives the entries of
"Ghi bước…": the numbered kinds of the main line (the dossier as one entry, ``3``), then the off-line kinds
without a number.

Next steps
----------

:func:`next_steps` returns what is still to do up to the next gate, in procedure order:

* before the chi bộ vote: the source listing if it was never recorded, the awareness class (or a retake when
  the certificate cannot cover the vote), each missing dossier item, then the vote itself;
* after a passed vote: the đảng ủy cơ sở step (đảng bộ cơ sở only), then the decision;
* with a decision: the ceremony; in probation: the recognition; a member with a known graduation date also
  gets the transfer of party activity (off the main line);
* an official member without a graduation date, and every terminal stage: nothing.

Each :class:`NextStep` says what it needs (:class:`Needs`: papers, the documents the application writes, who
signs, and for a vote how many official members must agree), the earliest and latest dates with the reason of
each (:class:`Bound`), a plausible date to pre-fill the dialog (``suggested``), what blocks it today
(``blockers``: the errors :func:`pipeline.check_step` reports for recording it today, minus what the dialog
itself settles, such as the counts) and what to note (``notes``: warnings).

Bound reasons (``Bound.why``)
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

=======================  ====================================================================================
why                      the date is
=======================  ====================================================================================
age_18                   the first day of eligibility (``rules.age_eligible_from``, by the configured reading)
class                    the awareness-class certificate date (the vote comes after it)
dossier                  the date of the latest dossier item (items dated after the vote do not count)
vote                     the passed chi bộ resolution
dang_uy                  the passed đảng ủy cơ sở resolution
decision_received        the day the decision was received (its own date when not recorded)
probation_end            the end of probation (12 months after the ceremony)
graduation               the expected graduation (earliest for a transfer, latest for the vote)
certificate              the last day the certificate is valid (60 months)
age_60                   the last day the candidate is not yet too old
decision_deadline        60 working days after the chi bộ resolution
ceremony_deadline        30 working days after the decision was received
recognition_deadline     30 working days after the end of probation
transfer_deadline        60 working days after graduation
ceremony                 the ceremony, when it came after the graduation (earliest for a transfer)
transfer_after_ceremony  60 working days after that ceremony
=======================  ====================================================================================

Codes of this module
~~~~~~~~~~~~~~~~~~~~

=============================  ========  ==============================================================
code                           severity  params / meaning
=============================  ========  ==============================================================
guide.too_few_members          error     members, minimum — the chi bộ has fewer than 3 official members
guide.vote_failed              warning   step, on — the latest vote (chi bộ or đảng ủy) did not pass
guide.certificate_retake       warning   valid_until, needed_on — the certificate cannot cover the vote
guide.no_window                warning   eligible_from, graduation, way_out — 18 only after graduation
guide.no_vote_window           warning   earliest, latest, why — the vote's dates cannot be met
guide.second_route             warning   — one introducer and no union resolution: the union's
                                         resolution or a second official member
guide.already_admitted         error     admitted_on — "not admitted" after the ceremony
=============================  ========  ==============================================================

Age window
----------

:func:`age_window` is the planner for students who finish school before turning 18: the month they become
eligible, the month they graduate, the window between them in months (0 or negative: no window, with the way
out of handing them over to the party organisation where they will live or study), and the awareness-class
timing for which the 60-month certificate covers the whole window. The candidate stores only a graduation
year; :func:`graduation_date` is the default reading of it (31 May).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from lamha_desktop.domain import codelists, due, pipeline, rules
from lamha_desktop.domain.pipeline import Event, EventKind, Issue, Stage

__all__ = [
    "GRADUATION_MONTH_DAY",
    "OFF_LINE_KINDS",
    "PROCEDURE_ORDER",
    "SHORT_WINDOW_MONTHS",
    "AgeWindow",
    "Availability",
    "Bound",
    "Needs",
    "NextStep",
    "Paper",
    "ProcedureStep",
    "Signer",
    "WayOut",
    "age_window",
    "agree_needed",
    "graduation_date",
    "menu_kinds",
    "next_steps",
    "procedure",
    "step_availability",
]

PROCEDURE_ORDER: Final[tuple[str, ...]] = (
    EventKind.SOURCE,
    EventKind.CLASS,
    EventKind.DOSSIER,
    EventKind.VOTE,
    EventKind.DANG_UY,
    EventKind.DECISION,
    EventKind.CEREMONY,
    EventKind.RECOGNITION,
)
"""The step kinds of the main line, in procedure order (``dang_uy`` only for a đảng bộ cơ sở)."""

OFF_LINE_KINDS: Final[tuple[str, ...]] = (EventKind.TRANSFER, EventKind.NOT_ADMITTED, EventKind.REMOVED)
"""Kinds off the main line, in the order "Ghi bước…" lists them after it."""

GRADUATION_MONTH_DAY: Final = due.GRADUATION_MONTH_DAY
"""The default reading of a graduation year: the school year ends on 31 May (the due list reads it the same)."""

SHORT_WINDOW_MONTHS: Final = 3
"""A window of at most this many months is flagged as short (the dossier takes time)."""


class Signer:
    """Codes of who signs (or issues) the paper a step produces; worded by ``catalogue.guide.SIGNER_NAMES``."""

    CHI_BO: Final = "chi_bo"  # T/M chi bộ, the secretary
    CLASS_ORGANISER: Final = "class_organiser"  # the committee or political centre that runs the class
    CANDIDATE: Final = "candidate"  # the student writes and signs
    UNION_COMMITTEE: Final = "union_committee"  # BCH Đoàn cơ sở
    INTRODUCER: Final = "introducer"  # the introducing official member
    DANG_UY: Final = "dang_uy"  # T/M đảng ủy cơ sở
    UPPER_STANDING_COMMITTEE: Final = "upper_standing_committee"  # Ban Thường vụ of the upper committee


class WayOut:
    """Codes of the suggested way out of an age window that does not exist."""

    HAND_OVER: Final = "hand_over"  # hand over to the party organisation where the student will live or study


class Paper:
    """Codes of the papers a step rests on or produces, besides the dossier items (whose codes are their own);
    worded by ``catalogue.guide.PAPER_NAMES``."""

    SOURCE_LIST: Final = "source_list"  # the chi bộ's list of outstanding students, with their helpers
    CERTIFICATE: Final = "certificate"  # the awareness-class certificate
    DECISION: Final = "decision"  # the admission decision
    SELF_REVIEW: Final = "self_review"  # the probationary member's self-review
    HELPER_REVIEW: Final = "helper_review"  # the helper's review of the probationary member
    OPINIONS: Final = "opinions"  # the summary of the union's and the residence's opinions
    TRANSFER: Final = "transfer_letter"  # the letter transferring party activity

# Documents the application writes (codes of ``reports.documents.KINDS``), per dossier item.
_ITEM_DOCUMENTS: Final[Mapping[str, tuple[str, ...]]] = {
    "gioi_thieu": ("giay-gioi-thieu",),
    "nx_noi_cu_tru": ("tong-hop-y-kien",),
    "nx_doan_the": ("tong-hop-y-kien",),
}
_ITEM_SIGNERS: Final[Mapping[str, str]] = {
    "don": Signer.CANDIDATE,
    "ly_lich": Signer.CANDIDATE,
    "tham_tra": Signer.CHI_BO,
    "nq_doan": Signer.UNION_COMMITTEE,
    "gioi_thieu": Signer.INTRODUCER,
    "nx_noi_cu_tru": Signer.CHI_BO,
    "nx_doan_the": Signer.CHI_BO,
}

# Errors of ``check_step`` that the step's own dialog settles (counts, reasons, the dossier override): they
# do not make a kind unavailable, and they are not blockers of a step that has not been filled in yet.
_SETTLED_BY_DIALOG: Final = frozenset(
    {
        "vote.counts_invalid",
        "vote.members_mismatch",
        "vote.result_mismatch",
        "dang_uy.counts_invalid",
        "recognition.counts_invalid",
        "recognition.not_passed",
        "transfer.mode_invalid",
        "transfer.destination_required",
        "step.reason_required",
        "dossier.unknown_item",
        "class.dates_invalid",
    }
)
# ... and the one a dialog can override with a reason: a blocker of the step, but the kind stays available.
_OVERRIDABLE: Final = frozenset({"vote.missing_dossier"})

_ONE_DAY: Final = timedelta(days=1)


# ------------------------------------------------------------------------------------------------------------
# the procedure


@dataclass(frozen=True)
class ProcedureStep:
    """One entry of the procedure, numbered for display.

    Attributes:
        kind: a :class:`pipeline.EventKind` value.
        item: the dossier item code for a dossier item, else None.
        number: "1", "3.2", ...; empty for the kinds off the main line.
    """

    kind: str
    item: str | None = None
    number: str = ""

    @property
    def main_line(self) -> bool:
        return self.kind in PROCEDURE_ORDER


def _main_kinds(party_committee: bool) -> list[str]:
    return [k for k in PROCEDURE_ORDER if party_committee or k != EventKind.DANG_UY]


def procedure(*, party_committee: bool) -> tuple[ProcedureStep, ...]:
    """The main line numbered for display, the dossier expanded into its items ("3.1", "3.2", ...)."""
    steps: list[ProcedureStep] = []
    for n, kind in enumerate(_main_kinds(party_committee), start=1):
        if kind == EventKind.DOSSIER:
            steps += [
                ProcedureStep(kind, d.code, f"{n}.{i}") for i, d in enumerate(codelists.dossier_items(), start=1)
            ]
        else:
            steps.append(ProcedureStep(kind, None, str(n)))
    return tuple(steps)


def menu_kinds(*, party_committee: bool) -> tuple[ProcedureStep, ...]:
    """The entries of "Ghi bước…": the main line numbered (the dossier as one entry), then the off-line kinds."""
    main = [ProcedureStep(k, None, str(n)) for n, k in enumerate(_main_kinds(party_committee), start=1)]
    return (*main, *(ProcedureStep(k) for k in OFF_LINE_KINDS))


@functools.cache
def _numbers(party_committee: bool) -> Mapping[tuple[str, str | None], str]:
    """The display number of every (kind, dossier item) of :func:`procedure` and :func:`menu_kinds`."""
    numbered = {(s.kind, s.item): s.number for s in procedure(party_committee=party_committee)}
    numbered.update({(s.kind, None): s.number for s in menu_kinds(party_committee=party_committee)})
    return numbered


# ------------------------------------------------------------------------------------------------------------
# next steps


@dataclass(frozen=True)
class Bound:
    """An earliest or latest date and why (a code of the module's "Bound reasons" table)."""

    on: date
    why: str


@dataclass(frozen=True)
class Needs:
    """What a step needs.

    Attributes:
        papers: codes of the papers it rests on or produces: dossier item codes ("don") or :class:`Paper`
            codes ("certificate", "decision", ...).
        documents: the documents the application can write for it (codes of ``reports.documents.KINDS``).
        signer: who signs or issues it (a :class:`Signer` code), or None.
        official_members: the official members counted for a vote (None: unknown or not a vote).
        agree_needed: how many of them must agree: ceil(2/3 of ``official_members``).
    """

    papers: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    signer: str | None = None
    official_members: int | None = None
    agree_needed: int | None = None


@dataclass(frozen=True)
class NextStep:
    """One step still to do (see the module docstring).

    Attributes:
        kind: a :class:`pipeline.EventKind` value.
        item: the dossier item code of a dossier step, else None.
        number: its number in :func:`procedure` (empty off the main line).
        needs: what it needs.
        earliest: the first date it may carry, with the reason (None: no lower bound).
        latest: the last date it should carry, with the reason (None: no deadline).
        suggested: a plausible date to pre-fill its dialog: today, or the earliest date when that is later.
        blockers: errors that prevent recording it today (empty: it can be recorded now).
        notes: warnings worth showing with it.
        overdue: today is past ``latest``.
    """

    kind: str
    item: str | None
    number: str
    needs: Needs
    earliest: Bound | None
    latest: Bound | None
    suggested: date
    blockers: tuple[Issue, ...] = ()
    notes: tuple[Issue, ...] = ()
    overdue: bool = False

    @property
    def possible(self) -> bool:
        """No blocker: the step can be recorded today."""
        return not self.blockers

    @property
    def main_line(self) -> bool:
        return self.kind in PROCEDURE_ORDER


def agree_needed(official_members: int) -> int:
    """The smallest number of votes in favour that passes: ceil(2/3 of ``official_members``).

    ``rules.vote_passes(agree_needed(n), n)`` holds for every n >= 3 and fails for one vote less.

    Raises:
        ValueError: ``official_members`` is negative.
    """
    if official_members < 0:
        raise ValueError("the number of official members must not be negative")
    return -(-2 * official_members // 3)


def graduation_date(year: int, *, month_day: tuple[int, int] = GRADUATION_MONTH_DAY) -> date:
    """The day a student of graduation year ``year`` is taken to leave school (31 May by default)."""
    return date(year, *month_day)


def _earliest(*candidates: Bound | None) -> Bound | None:
    """The latest of several lower bounds (the binding one)."""
    present = [b for b in candidates if b is not None]
    return max(present, key=lambda b: b.on) if present else None


def _latest(*candidates: Bound | None) -> Bound | None:
    """The earliest of several upper bounds (the binding one)."""
    present = [b for b in candidates if b is not None]
    return min(present, key=lambda b: b.on) if present else None


def _of(events: Sequence[Event], kind: str) -> list[Event]:
    return sorted((e for e in events if e.kind == kind), key=lambda e: e.on)


@dataclass(frozen=True)
class _Context:
    """The inputs of one candidate, shared by the functions below."""

    birth: date | None
    events: Sequence[Event]
    holidays: Collection[date]
    today: date
    by_month: bool
    party_committee: bool
    official_members: int | None
    graduation: date | None
    numbers: Mapping[tuple[str, str | None], str] = field(default_factory=dict)
    missing_facts: Collection[str] = ()

    def check(self, kind: str, data: Mapping[str, Any]) -> list[Issue]:
        """``pipeline.check_step`` of ``kind`` dated today with ``data``."""
        return pipeline.check_step(
            Event(kind, self.today, data),
            birth=self.birth,
            events=self.events,
            holidays=self.holidays,
            by_month=self.by_month,
            party_committee=self.party_committee,
            official_members=self.official_members,
            missing_facts=self.missing_facts,
        )

    def plausible_data(self, kind: str) -> dict[str, Any]:
        """Data a filled-in dialog would carry, so that only the history decides the check."""
        if kind == EventKind.VOTE and self.official_members is not None and self.official_members >= 0:
            agree = agree_needed(self.official_members)
            return {"members": self.official_members, "agree": agree, "disagree": 0}
        if kind == EventKind.DOSSIER:
            return {"item": codelists.dossier_items()[0].code}
        return {}

    def split(self, kind: str) -> tuple[tuple[Issue, ...], tuple[Issue, ...]]:
        """(blockers, notes) of recording ``kind`` today."""
        issues = [i for i in self.check(kind, self.plausible_data(kind)) if i.code not in _SETTLED_BY_DIALOG]
        members = self.official_members
        if kind == EventKind.VOTE and members is not None and members < rules.MIN_OFFICIAL_MEMBERS:
            issues.append(
                Issue("guide.too_few_members", "error", {"members": members, "minimum": rules.MIN_OFFICIAL_MEMBERS})
            )
        blockers = tuple(i for i in issues if i.severity == "error")
        notes = tuple(i for i in issues if i.severity != "error")
        return blockers, notes

    def step(
        self,
        kind: str,
        *,
        item: str | None = None,
        needs: Needs,
        earliest: Bound | None = None,
        latest: Bound | None = None,
        blockers: tuple[Issue, ...] = (),
        notes: tuple[Issue, ...] = (),
    ) -> NextStep:
        suggested = self.today if earliest is None or earliest.on <= self.today else earliest.on
        return NextStep(
            kind=kind,
            item=item,
            number=self.numbers.get((kind, item), ""),
            needs=needs,
            earliest=earliest,
            latest=latest,
            suggested=suggested,
            blockers=blockers,
            notes=notes,
            overdue=latest is not None and self.today > latest.on,
        )

    def vote_needs(self, documents: tuple[str, ...], papers: tuple[str, ...] = ()) -> Needs:
        members = self.official_members
        return Needs(
            papers=papers,
            documents=documents,
            signer=Signer.CHI_BO,
            official_members=members,
            agree_needed=agree_needed(members) if members is not None and members >= 0 else None,
        )


def _introduction(events: Sequence[Event]) -> tuple[bool, int]:
    """(union resolution recorded, number of distinct introducers), as ``pipeline.check_step`` counts them."""
    dossier = _of(events, EventKind.DOSSIER)
    union = any(e.data.get("item") == "nq_doan" for e in dossier)
    introducers = [e for e in dossier if e.data.get("item") == "gioi_thieu"]
    names = {str(e.data.get("member") or "").strip() or f"#{i}" for i, e in enumerate(introducers)}
    return union, len(names)


def _failed_vote(ctx: _Context, status: pipeline.Status) -> Issue | None:
    """``guide.vote_failed`` for the latest vote (chi bộ, or đảng ủy in a đảng bộ cơ sở) when it did not pass."""
    if not status.failed_vote:
        return None
    kinds = (EventKind.VOTE, EventKind.DANG_UY) if ctx.party_committee else (EventKind.VOTE,)
    votes = sorted((e for e in ctx.events if e.kind in kinds), key=lambda e: e.on)
    if not votes:
        return None
    return Issue("guide.vote_failed", "warning", {"step": votes[-1].kind, "on": votes[-1].on})


def _before_vote(ctx: _Context, status: pipeline.Status) -> list[NextStep]:
    events = ctx.events
    steps: list[NextStep] = []
    eligible = Bound(status.eligible_from, "age_18") if status.eligible_from is not None else None
    graduation = Bound(ctx.graduation, "graduation") if ctx.graduation is not None else None
    too_old = (
        Bound(rules.age_eligible_until(ctx.birth, by_month=ctx.by_month) - _ONE_DAY, "age_60")
        if ctx.birth is not None
        else None
    )
    classes = _of(events, EventKind.CLASS)
    dossier = _of(events, EventKind.DOSSIER)
    present = {str(e.data.get("item") or "") for e in dossier}
    items = codelists.dossier_items()
    counted = {d.code for d in items if d.required or d.group == "introduction"}
    last_item = max((e.on for e in dossier if e.data.get("item") in counted), default=None)

    vote_earliest = _earliest(
        eligible,
        Bound(classes[-1].on, "class") if classes else None,
        Bound(last_item, "dossier") if last_item is not None else None,
    )
    certificate = Bound(status.certificate_expires, "certificate") if status.certificate_expires else None
    vote_latest = _latest(certificate, graduation, too_old)
    before_certificate = _latest(graduation, too_old)  # what the dossier and a new class must beat

    # 1. source
    if not _of(events, EventKind.SOURCE):
        steps.append(
            ctx.step(EventKind.SOURCE, needs=Needs(papers=(Paper.SOURCE_LIST,), signer=Signer.CHI_BO))
        )

    # 2. the awareness class, or a retake when the certificate cannot cover the earliest vote
    needed_on = max(ctx.today, eligible.on) if eligible is not None else ctx.today
    class_needs = Needs(papers=(Paper.CERTIFICATE,), documents=("de-nghi-hoc-lop",), signer=Signer.CLASS_ORGANISER)
    if not classes:
        steps.append(ctx.step(EventKind.CLASS, needs=class_needs, latest=before_certificate))
    elif status.certificate_expires is not None and status.certificate_expires < needed_on:
        note = Issue(
            "guide.certificate_retake",
            "warning",
            {"valid_until": status.certificate_expires, "needed_on": needed_on},
        )
        steps.append(ctx.step(EventKind.CLASS, needs=class_needs, latest=before_certificate, notes=(note,)))

    # 3. the dossier, item by item; the introduction is either the union route or two introducers
    union, introducers = _introduction(events)
    introduced = (union and introducers >= 1) or introducers >= 2
    for d in items:
        documents = _ITEM_DOCUMENTS.get(d.code, ())
        needs = Needs(papers=(d.code,), documents=documents, signer=_ITEM_SIGNERS.get(d.code))
        notes: tuple[Issue, ...] = ()
        if d.code == "nq_doan":
            wanted = not introduced and not union
            if wanted and introducers == 1:
                notes = (Issue("guide.second_route", "warning", {}),)
        elif d.code == "gioi_thieu":
            wanted = introducers == 0
        else:
            wanted = d.required and d.code not in present
        if wanted:
            steps.append(ctx.step(EventKind.DOSSIER, item=d.code, needs=needs, latest=vote_latest, notes=notes))

    # 4. the vote
    blockers, notes_ = ctx.split(EventKind.VOTE)
    vote_notes = list(notes_)
    failed = _failed_vote(ctx, status)
    if failed is not None:
        vote_notes.append(failed)
    if status.eligible_from is not None and ctx.graduation is not None and status.eligible_from > ctx.graduation:
        vote_notes.append(
            Issue(
                "guide.no_window",
                "warning",
                {"eligible_from": status.eligible_from, "graduation": ctx.graduation, "way_out": WayOut.HAND_OVER},
            )
        )
    elif vote_earliest is not None and vote_latest is not None and vote_earliest.on > vote_latest.on:
        vote_notes.append(
            Issue(
                "guide.no_vote_window",
                "warning",
                {"earliest": vote_earliest.on, "latest": vote_latest.on, "why": vote_latest.why},
            )
        )
    steps.append(
        ctx.step(
            EventKind.VOTE,
            needs=ctx.vote_needs(("nq-chi-bo", "bien-ban-chi-bo")),
            earliest=vote_earliest,
            latest=vote_latest,
            blockers=blockers,
            notes=tuple(vote_notes),
        )
    )
    return steps


def _after_vote(ctx: _Context, status: pipeline.Status) -> list[NextStep]:
    vote = pipeline.latest_passed(ctx.events, EventKind.VOTE)
    if vote is None:  # a passed đảng ủy step without a passed chi bộ vote: the vote is what is missing
        return _before_vote(ctx, status)
    deadline = Bound(rules.decision_deadline(vote.on, holidays=ctx.holidays), "decision_deadline")
    dang_uy = pipeline.latest_passed(ctx.events, EventKind.DANG_UY) if ctx.party_committee else None
    if ctx.party_committee and dang_uy is None:
        blockers, notes = ctx.split(EventKind.DANG_UY)
        failed = _failed_vote(ctx, status)
        if failed is not None:
            notes += (failed,)
        return [
            ctx.step(
                EventKind.DANG_UY,
                needs=Needs(papers=(), documents=("nq-dang-uy",), signer=Signer.DANG_UY),
                earliest=Bound(vote.on, "vote"),
                latest=deadline,
                blockers=blockers,
                notes=notes,
            )
        ]
    blockers, notes = ctx.split(EventKind.DECISION)
    after = Bound(dang_uy.on, "dang_uy") if dang_uy is not None else Bound(vote.on, "vote")
    return [
        ctx.step(
            EventKind.DECISION,
            needs=Needs(papers=(Paper.DECISION,), signer=Signer.UPPER_STANDING_COMMITTEE),
            earliest=after,
            latest=deadline,
            blockers=blockers,
            notes=notes,
        )
    ]


def _transfer(ctx: _Context, admitted_on: date | None) -> list[NextStep]:
    if ctx.graduation is None:
        return []
    blockers, notes = ctx.split(EventKind.TRANSFER)
    start = rules.transfer_start(ctx.graduation, admitted_on)
    after_ceremony = start != ctx.graduation  # admitted after graduating: the days run from the ceremony
    return [
        ctx.step(
            EventKind.TRANSFER,
            needs=Needs(papers=(Paper.TRANSFER,), signer=Signer.CHI_BO),
            earliest=Bound(start, "ceremony" if after_ceremony else "graduation"),
            latest=Bound(rules.transfer_deadline(start, holidays=ctx.holidays),
                         "transfer_after_ceremony" if after_ceremony else "transfer_deadline"),
            blockers=blockers,
            notes=notes,
        )
    ]


def next_steps(
    *,
    birth: date | None,
    events: Sequence[Event],
    holidays: Collection[date],
    today: date,
    by_month: bool = True,
    party_committee: bool = False,
    official_members: int | None = None,
    graduation: date | None = None,
    missing_facts: Collection[str] = (),
) -> list[NextStep]:
    """The steps still to do for one candidate on ``today``, in procedure order (see the module docstring).

    Args:
        birth: date of birth (None: unknown, which blocks the vote).
        events: the candidate's history, as for :func:`pipeline.compute_status`.
        holidays: days off covering the years the deadlines run through (``calendar.holidays_for_range``).
        today: the day the guide is computed for.
        by_month: the reading of "age counted by month" (the setting).
        party_committee: the organisation is a đảng bộ cơ sở (adds the đảng ủy step).
        official_members: the chi bộ's official members counted for a vote (None: unknown).
        graduation: the expected graduation date (:func:`graduation_date` of the stored year), or None.
        missing_facts: what the student's record lacks (``validation.missing_facts``): a step that needs it
            is blocked (``step.facts_missing``).
    """
    ctx = _Context(
        birth=birth,
        events=events,
        holidays=holidays,
        today=today,
        by_month=by_month,
        party_committee=party_committee,
        official_members=official_members,
        graduation=graduation,
        numbers=_numbers(party_committee),
        missing_facts=missing_facts,
    )
    status = pipeline.compute_status(
        birth=birth, events=events, holidays=holidays, today=today, by_month=by_month, party_committee=party_committee
    )
    stage = status.stage
    if stage.terminal:
        return []
    if stage < Stage.VOTED:
        return _before_vote(ctx, status)
    if stage in (Stage.VOTED, Stage.DANG_UY):
        return _after_vote(ctx, status)
    if stage == Stage.DECISION:
        decision = _of(events, EventKind.DECISION)[-1]
        received = pipeline.decision_received(decision)
        blockers, notes = ctx.split(EventKind.CEREMONY)
        return [
            ctx.step(
                EventKind.CEREMONY,
                needs=Needs(papers=(Paper.DECISION,), documents=("chuong-trinh-le",), signer=Signer.CHI_BO),
                earliest=Bound(received, "decision_received"),
                latest=Bound(rules.ceremony_deadline(received, holidays=holidays), "ceremony_deadline"),
                blockers=blockers,
                notes=notes,
            )
        ]
    if stage == Stage.PROBATION and status.probation_end is not None:
        end = status.probation_end
        blockers, notes = ctx.split(EventKind.RECOGNITION)
        recognition = ctx.step(
            EventKind.RECOGNITION,
            needs=ctx.vote_needs(("nq-cong-nhan",), (Paper.SELF_REVIEW, Paper.HELPER_REVIEW, Paper.OPINIONS)),
            earliest=Bound(end, "probation_end"),
            latest=Bound(rules.recognition_deadline(end, holidays=holidays), "recognition_deadline"),
            blockers=blockers,
            notes=notes,
        )
        return [recognition, *_transfer(ctx, status.admitted_on)]
    return _transfer(ctx, status.admitted_on)  # official member


# ------------------------------------------------------------------------------------------------------------
# the step menu


@dataclass(frozen=True)
class Availability:
    """Whether a kind can be recorded today, for greying it in "Ghi bước…".

    Attributes:
        possible: the kind can be recorded today (its dialog may still refuse particular values).
        reason: when not possible, the first blocker; when possible, the first warning worth a tooltip
            (a duplicate step, a step after a terminal one, a missing dossier the dialog can override), or None.
    """

    possible: bool
    reason: Issue | None = None


def step_availability(
    *,
    birth: date | None,
    events: Sequence[Event],
    holidays: Collection[date],
    today: date,
    by_month: bool = True,
    party_committee: bool = False,
    official_members: int | None = None,
    missing_facts: Collection[str] = (),
) -> dict[str, Availability]:
    """For every kind of :func:`menu_kinds`, whether it can be recorded today and why (not).

    The check is :func:`pipeline.check_step` of the kind dated today with the data a filled-in dialog
    carries; the errors the dialog settles (counts, reasons, the dossier override) do not grey a kind.
    Besides, "not admitted" is refused once the candidate was admitted (``guide.already_admitted``).
    """
    ctx = _Context(
        birth=birth,
        events=events,
        holidays=holidays,
        today=today,
        by_month=by_month,
        party_committee=party_committee,
        official_members=official_members,
        graduation=None,
        missing_facts=missing_facts,
    )
    ceremonies = _of(events, EventKind.CEREMONY)
    result: dict[str, Availability] = {}
    for entry in menu_kinds(party_committee=party_committee):
        kind = entry.kind
        blockers, notes = ctx.split(kind)
        if kind == EventKind.NOT_ADMITTED and ceremonies:
            blockers += (Issue("guide.already_admitted", "error", {"admitted_on": ceremonies[-1].on}),)
        hard = [b for b in blockers if b.code not in _OVERRIDABLE]
        soft = [b for b in blockers if b.code in _OVERRIDABLE]
        if hard:
            result[kind] = Availability(False, hard[0])
        else:
            hints = [*soft, *notes]
            result[kind] = Availability(True, hints[0] if hints else None)
    return result


# ------------------------------------------------------------------------------------------------------------
# the age window


@dataclass(frozen=True)
class AgeWindow:
    """When a student can be voted on while still at school, and when to send them to the class.

    Attributes:
        eligible_from: the first day of eligibility (``rules.age_eligible_from``).
        graduation: the expected graduation date, or None when unknown.
        months: the calendar months from the month of ``eligible_from`` to the month of graduation, both
            counted when eligible on or before graduation (eligible 01/05, graduating 31/05: 1); 0 or negative
            when the student turns 18 only after graduation (-1: one month short). None without graduation.
        no_window: ``months`` is 0 or negative.
        short: a window of 1 to ``SHORT_WINDOW_MONTHS`` months (the dossier must be ready when it opens).
        way_out: :data:`WayOut.HAND_OVER` when there is no window, else None.
        class_earliest: the earliest class (certificate) date whose 60 months still cover the end of the
            window (graduation; without a window, the day the student becomes eligible elsewhere).
        class_latest: the latest sensible class date: the opening of the window (a later class shortens
            it); without a window, graduation (the school sends the student before handing over).
        certificate_until: the last valid day of the given certificate, or None.
        certificate_covers: the given certificate was issued by the opening of the window and is valid to
            its end; None when no certificate was given.

    A window longer than 60 months (an adult, not a student) cannot be covered by one certificate:
    ``class_earliest`` is then after ``class_latest`` and :attr:`one_certificate_covers` is False.
    """

    eligible_from: date
    graduation: date | None
    months: int | None
    no_window: bool
    short: bool
    way_out: str | None
    class_earliest: date
    class_latest: date
    certificate_until: date | None = None
    certificate_covers: bool | None = None

    @property
    def one_certificate_covers(self) -> bool:
        """A class between ``class_earliest`` and ``class_latest`` exists."""
        return self.class_earliest <= self.class_latest


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _first_covering(end: date) -> date:
    """The first certificate date whose validity (``rules.certificate_valid_until``) reaches ``end``."""
    start = rules.add_months(end, -rules.CERTIFICATE_VALID_MONTHS)
    while rules.certificate_valid_until(start) < end:
        start += _ONE_DAY
    while rules.certificate_valid_until(start - _ONE_DAY) >= end:
        start -= _ONE_DAY
    return start


def age_window(
    *,
    birth: date,
    graduation: date | None,
    by_month: bool = True,
    certificate: date | None = None,
    short_months: int = SHORT_WINDOW_MONTHS,
) -> AgeWindow:
    """The age window of one student (see :class:`AgeWindow`).

    Args:
        birth: date of birth.
        graduation: expected graduation (:func:`graduation_date` of the stored year), or None.
        by_month: the reading of "age counted by month".
        certificate: the date of the awareness-class certificate already obtained, if any.
        short_months: the longest window flagged as short.
    """
    eligible = rules.age_eligible_from(birth, by_month=by_month)
    months: int | None = None
    no_window = False
    if graduation is not None:
        months = _month_index(graduation) - _month_index(eligible) + (1 if eligible <= graduation else 0)
        no_window = months <= 0
    if graduation is not None and not no_window:
        window_start, window_end, latest = eligible, graduation, eligible
    else:
        window_start = window_end = eligible
        latest = graduation if graduation is not None else eligible
    until = rules.certificate_valid_until(certificate) if certificate is not None else None
    covers = None if certificate is None or until is None else certificate <= window_start and until >= window_end
    return AgeWindow(
        eligible_from=eligible,
        graduation=graduation,
        months=months,
        no_window=no_window,
        short=months is not None and 0 < months <= short_months,
        way_out=WayOut.HAND_OVER if no_window else None,
        class_earliest=_first_covering(window_end),
        class_latest=latest,
        certificate_until=until,
        certificate_covers=covers,
    )

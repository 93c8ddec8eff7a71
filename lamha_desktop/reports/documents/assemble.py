"""From what the database holds (``storage.document_data``) to the context of each document (pure; no queries).

Every document rests on a step of the student's history — its *home*: the chi bộ's resolution and the minutes
on the vote, the đảng ủy's resolution on the ``dang_uy`` step, the recognition resolution on the recognition,
the introducer's letter on the ``gioi_thieu`` dossier item, the summary of opinions on the ``nx_doan_the`` and
``nx_noi_cu_tru`` items, the programme on the ceremony. The document's date is the home step's date (a
resolution is dated the day it was passed). What only the paperwork needs is read from the home step's data
(``domain/meeting.py`` lists the keys) and described by :data:`FACTS`: for every kind, the facts a user can
fill in once and store, each with the step that holds it and the missing-fact paths it answers.

The form of address follows the procedure: "quần chúng" up to the ceremony, "đồng chí" in the recognition.
Evaluative texts (assessments, opinions) are never filled in: the documents leave them for the signer.

In a đảng bộ cơ sở the chi bộ that votes is a subordinate one: its name and its secretary are facts of the
student's ``source`` step (``chi_bo``, ``chi_bo_secretary``), and its documents go to the đảng ủy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from lamha_desktop.domain import codelists, docnumber, rules
from lamha_desktop.domain.meeting import parse_time
from lamha_desktop.domain.organisation import OrgKind, committee_of, party_body
from lamha_desktop.domain.pipeline import EventKind, as_date
from lamha_desktop.reports.documents.context import (
    Attendance,
    CeremonyProgramme,
    CeremonyStudent,
    Certificate,
    ChiBoResolution,
    ClassProposal,
    CommitteeAttendance,
    DangUyResolution,
    DocumentContext,
    DossierLine,
    Introducer,
    Introduction,
    Meeting,
    MeetingMinutes,
    OpinionGroup,
    OpinionsSummary,
    Organisation,
    Person,
    RecognitionResolution,
    ResolutionRef,
    Vote,
)
from lamha_desktop.reports.documents.kinds import KINDS
from lamha_desktop.storage.document_data import CandidateSource, CeremonySource, ClassSource, Issuer, Step, Student

__all__ = [
    "FACTS",
    "Choice",
    "Fact",
    "FactSpec",
    "NumberPlan",
    "Prepared",
    "candidate_document",
    "candidate_kinds",
    "ceremony_document",
    "class_document",
    "home_step",
]

K = EventKind


@dataclass(frozen=True)
class FactSpec:
    """A fact a document needs that a step stores (``domain/meeting.py`` names the keys).

    Attributes:
        holder: the step holding it: a step kind ("vote"), a dossier item ("gioi_thieu"), or "ceremony".
        key: the key in the step's data.
        kind: how it is typed: "text", "long" (several lines), "count", "date", "time", "method".
        answers: the missing-fact paths (``Rendered.missing``) it fills.
    """

    holder: str
    key: str
    kind: str
    answers: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """"vote.chair": how the catalogue words it (``catalogue.paperwork.FIELD_LABELS``)."""
        return f"{self.holder}.{self.key}"


def _meeting_facts(holder: str) -> tuple[FactSpec, ...]:
    return (
        FactSpec(holder, "chair", "text", ("meeting.chair",)),
        FactSpec(holder, "secretary", "text", ("meeting.secretary",)),
        FactSpec(holder, "probationary", "count", ("meeting.attendance",)),
        FactSpec(holder, "official_present", "count", ("meeting.attendance",)),
        FactSpec(holder, "probationary_present", "count", ("meeting.attendance",)),
        FactSpec(holder, "absent_reasons", "long"),
        FactSpec(holder, "against_reasons", "long"),
    )


_SUBORDINATE: Final = (
    FactSpec(K.SOURCE, "chi_bo", "text", ("org.name", "chi_bo_resolution.body")),
    FactSpec(K.SOURCE, "chi_bo_secretary", "text", ("org.secretary",)),
)


def _opinion_facts(holder: str, prefix: str) -> tuple[FactSpec, ...]:
    return (
        FactSpec(holder, "body", "text", (f"{prefix}.body",)),
        FactSpec(holder, "members", "count", (f"{prefix}.members",)),
        FactSpec(holder, "asked", "count", (f"{prefix}.asked",)),
        FactSpec(holder, "agree", "count", (f"{prefix}.agree",)),
        FactSpec(holder, "disagree", "count"),
        FactSpec(holder, "against_reasons", "long"),
    )


FACTS: Final[Mapping[str, tuple[FactSpec, ...]]] = {
    "nq-chi-bo": _meeting_facts(K.VOTE),
    "bien-ban-chi-bo": (
        *_meeting_facts(K.VOTE),
        FactSpec(K.VOTE, "place", "text", ("meeting.place",)),
        FactSpec(K.VOTE, "start", "time", ("meeting.start",)),
        FactSpec(K.VOTE, "end", "time", ("meeting.end",)),
        FactSpec(K.VOTE, "method", "method", ("vote.method",)),
        FactSpec(K.CLASS, "cert_no", "text", ("certificate.number",)),
    ),
    "nq-dang-uy": (
        FactSpec(K.DANG_UY, "chair", "text", ("meeting.chair",)),
        FactSpec(K.DANG_UY, "secretary", "text", ("meeting.secretary",)),
        FactSpec(K.DANG_UY, "present", "count", ("committee",)),
        FactSpec(K.DANG_UY, "disagree", "count"),
        FactSpec(K.DANG_UY, "absent_reasons", "long"),
        FactSpec(K.VOTE, "number", "text", ("chi_bo_resolution.number",)),
        FactSpec(K.SOURCE, "chi_bo", "text", ("chi_bo_resolution.body",)),
    ),
    "tong-hop-y-kien": (*_opinion_facts("nx_doan_the", "union"), *_opinion_facts("nx_noi_cu_tru", "residence")),
    "giay-gioi-thieu": (
        FactSpec("gioi_thieu", "member_birth", "date", ("introducer.birth",)),
        FactSpec("gioi_thieu", "member_admitted_on", "date", ("introducer.admitted_on",)),
        FactSpec("gioi_thieu", "member_official_on", "date", ("introducer.official_on",)),
        FactSpec("gioi_thieu", "member_posts", "text"),
        FactSpec("gioi_thieu", "member_hometown", "text"),
        FactSpec("gioi_thieu", "member_chi_bo", "text", ("introducer.chi_bo",)),
        FactSpec("gioi_thieu", "member_assigned_on", "date", ("introducer.assigned_on",)),
    ),
    "de-nghi-hoc-lop": (),
    "chuong-trinh-le": (
        FactSpec(K.CEREMONY, "start", "time", ("ceremony.start",)),
        FactSpec(K.CEREMONY, "chair", "text"),
        FactSpec(K.CEREMONY, "upper_guest", "text"),
    ),
    "nq-cong-nhan": _meeting_facts(K.RECOGNITION),
}
"""Per kind, the facts a user may fill in and store (in a đảng bộ cơ sở the chi bộ's documents add the
subordinate chi bộ and its secretary, kept with the ``source`` step)."""

# The step each document rests on, and the key of its number there ("" : no number stored with a step).
_HOME: Final[Mapping[str, tuple[str, str]]] = {
    "nq-chi-bo": (K.VOTE, "number"),
    "bien-ban-chi-bo": (K.VOTE, "minutes_number"),
    "nq-dang-uy": (K.DANG_UY, "number"),
    "tong-hop-y-kien": ("nx_doan_the", ""),
    "giay-gioi-thieu": ("gioi_thieu", ""),
    "de-nghi-hoc-lop": ("", ""),
    "chuong-trinh-le": (K.CEREMONY, ""),
    "nq-cong-nhan": (K.RECOGNITION, "number"),
}
_CHI_BO_LEVEL: Final = frozenset({"nq-chi-bo", "bien-ban-chi-bo", "tong-hop-y-kien", "nq-cong-nhan"})


@dataclass(frozen=True)
class Fact:
    """A fact of one document: its spec, the step holding it (None: that step is not recorded, so the fact
    cannot be stored yet; for the ceremony, its id), and the stored value (None: not stored)."""

    spec: FactSpec
    event_id: int | None
    value: Any


@dataclass(frozen=True)
class NumberPlan:
    """How a document is numbered.

    Attributes:
        series: "NQ/CB": the document type and the issuer; counters run per organisation, series and year.
        year: the year the counter is taken in (the document's date).
        stored: the number already given and kept with the home step, else None.
        event_id: the home step (where a number given is kept), None when not recorded (or no step).
        key: the key of the number in the home step's data ("" for an organisation's letter).
        optional: a document that may go without a number (the minutes).
    """

    series: str
    year: int
    stored: str | None
    event_id: int | None
    key: str
    optional: bool = False

    @property
    def doc_type(self) -> str:
        return self.series.split("/")[0]

    @property
    def issuer(self) -> str:
        return self.series.split("/")[1]

    def text(self, counter: int) -> str:
        """The number with ``counter``: "05-NQ/CB"."""
        return docnumber.document_number(counter, self.doc_type, self.issuer)


@dataclass(frozen=True)
class Prepared:
    """A document ready to render, with what can still be filled in.

    Attributes:
        kind: the kind's code.
        context: the context for ``render``.
        facts: the facts of :data:`FACTS` with their stored values.
        number: the numbering, None for a document without a number.
        home: the step it rests on ("vote", "gioi_thieu", …), None for an organisation's letter.
        home_id: that step's id; None when it is not recorded (its facts cannot be stored yet) or for a
            ceremony (``ceremony_id`` then).
        home_recorded: the home step exists.
        organisation_id: the organisation issuing it.
        subject: whom or what it is about (a student's name, a ceremony's date), for a file name.
    """

    kind: str
    context: DocumentContext
    facts: tuple[Fact, ...]
    number: NumberPlan | None
    home: str | None
    home_id: int | None
    home_recorded: bool
    organisation_id: int
    subject: str
    ceremony_id: int | None = None

    def stored(self, name: str) -> Any:
        """The stored value of the fact ``holder.key``, or None."""
        return next((f.value for f in self.facts if f.spec.name == name), None)


@dataclass(frozen=True)
class Choice:
    """A document the student's record offers: a kind, and for several introducers which one."""

    kind: str
    event_id: int | None = None
    detail: str = ""


# ------------------------------------------------------------------------------------------------ reading steps


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def _int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _time(data: Mapping[str, Any], key: str) -> dt.time | None:
    value = data.get(key)
    return parse_time(str(value)) if value not in (None, "") else None


def _latest(source: CandidateSource, kind: str) -> Step | None:
    steps = source.of(kind)
    return steps[-1] if steps else None


def _item(source: CandidateSource, item: str, event_id: int | None = None) -> Step | None:
    found = [s for s in source.of(K.DOSSIER) if s.data.get("item") == item]
    if event_id is not None:
        return next((s for s in found if s.id == event_id), None)
    return found[-1] if found else None


def home_step(kind: str, source: CandidateSource, event_id: int | None = None) -> Step | None:
    """The step a document of ``kind`` about this student rests on (see the module docstring), or None."""
    holder = _HOME[kind][0]
    return _holder(holder, source, event_id)


def _holder(holder: str, source: CandidateSource, event_id: int | None = None) -> Step | None:
    if holder in (K.VOTE, K.DANG_UY, K.RECOGNITION, K.CLASS, K.CEREMONY):
        return _latest(source, holder)
    if holder == K.SOURCE:
        steps = source.of(K.SOURCE)
        return steps[0] if steps else None
    if holder:
        return _item(source, holder, event_id if holder == "gioi_thieu" else None)
    return None


def _facts(kind: str, source: CandidateSource, event_id: int | None) -> tuple[Fact, ...]:
    specs = list(FACTS[kind])
    if kind in _CHI_BO_LEVEL and source.issuer.kind.party_committee:
        specs = [*_SUBORDINATE, *specs]
    out: list[Fact] = []
    for spec in specs:
        if spec.holder == K.CEREMONY:
            data = source.ceremony or {}
            out.append(Fact(spec, source.ceremony_id, data.get(spec.key)))
            continue
        step = _holder(spec.holder, source, event_id)
        out.append(Fact(spec, step.id if step is not None else None,
                        step.data.get(spec.key) if step is not None else None))
    return tuple(out)


# ------------------------------------------------------------------------------------------------ common parts


def _upper_committee_name(issuer: Issuer, on: dt.date | None) -> str:
    committee = issuer.committee_on(on)
    return committee.name if committee is not None else ""


def _standing(name: str) -> str:
    return f"Ban Thường vụ {name}" if name else ""


def _organisation(issuer: Issuer, on: dt.date | None, *, level: str, source: CandidateSource | None = None
                  ) -> Organisation:
    """The issuing body: ``level`` "chi_bo" (the chi bộ that votes) or "org" (the organisation as a whole: the
    chi bộ cơ sở, or the đảng ủy of a đảng bộ cơ sở)."""
    committee = _upper_committee_name(issuer, on)
    upper = party_body(committee) if committee else ""
    if issuer.kind.party_committee and level == "chi_bo":
        first = _holder(K.SOURCE, source) if source is not None else None
        data = first.data if first is not None else {}
        return Organisation(name=_text(data, "chi_bo"), upper_body=issuer.name, kind=OrgKind.CHI_BO,
                            place=issuer.place, school=issuer.school, upper_committee=committee_of(issuer.name),
                            secretary=_text(data, "chi_bo_secretary"))
    name = committee_of(issuer.name) if issuer.kind.party_committee else issuer.name
    return Organisation(name=name, upper_body=upper, kind=issuer.kind, place=issuer.place, school=issuer.school,
                        upper_committee=_standing(committee), secretary=issuer.secretary)


def _person(student: Student, *, admitted: bool = False) -> Person:
    gender = student.gender if student.gender in ("nam", "nu") else None
    return Person(full_name=student.full_name, birth=student.birth, gender=gender,  # type: ignore[arg-type]
                  ethnic=student.ethnic, religion=student.religion, residence=student.residence,
                  class_name=student.class_name, union_since=student.union_since, admitted=admitted)


def _attendance(data: Mapping[str, Any]) -> Attendance | None:
    official, present = _int(data, "members"), _int(data, "official_present")
    probationary = _int(data, "probationary")
    if official is None or present is None or probationary is None:
        return None
    probationary_present = _int(data, "probationary_present")
    if probationary_present is None:
        if probationary:
            return None
        probationary_present = 0
    return Attendance(official=official, probationary=probationary, official_present=present,
                      probationary_present=probationary_present, absent_reasons=_text(data, "absent_reasons"))


def _meeting(step: Step | None, *, with_attendance: bool = True) -> Meeting:
    if step is None:
        return Meeting(on=None)
    d = step.data
    return Meeting(on=step.on, start=_time(d, "start"), end=_time(d, "end"), place=_text(d, "place"),
                   chair=_text(d, "chair"), secretary=_text(d, "secretary"),
                   attendance=_attendance(d) if with_attendance else None)


def _vote(step: Step | None) -> Vote | None:
    if step is None:
        return None
    d = step.data
    agree, members = _int(d, "agree"), _int(d, "members")
    if agree is None or members is None or members <= 0:
        return None
    method = _text(d, "method")
    return Vote(agree=agree, members=members, disagree=_int(d, "disagree") or 0,
                method=method if method in ("secret", "hands") else None,  # type: ignore[arg-type]
                against_reasons=_text(d, "against_reasons"))


def _number_plan(kind: str, org: Organisation, step: Step | None, on: dt.date | None, key: str) -> NumberPlan | None:
    number_type = KINDS[kind].number_type
    if number_type is None:
        return None
    series = f"{number_type}/{docnumber.issuer_abbreviation(org.kind)}"
    stored = _text(step.data, key) if step is not None and key else ""
    return NumberPlan(series=series, year=(on or dt.date.today()).year, stored=stored or None,
                      event_id=step.id if step is not None else None, key=key,
                      optional=kind == "bien-ban-chi-bo")


# ------------------------------------------------------------------------------------------------ per kind


def _introducer(source: CandidateSource, step: Step | None) -> Introducer:
    if step is None:
        return Introducer(full_name="")
    d = step.data
    name = _text(d, "member")
    assigned = as_date(d.get("member_assigned_on"))
    if assigned is None:
        # The chi bộ's assignment is the source step when the introducer is the helper it assigned.
        first = _holder(K.SOURCE, source)
        if first is not None and name and _text(first.data, "helper").casefold() == name.casefold():
            assigned = first.on
    chi_bo = _text(d, "member_chi_bo")
    if not chi_bo and not source.issuer.kind.party_committee:
        chi_bo = source.issuer.name  # a chi bộ cơ sở: the introducer is one of its members
    return Introducer(full_name=name, birth=as_date(d.get("member_birth")),
                      admitted_on=as_date(d.get("member_admitted_on")),
                      official_on=as_date(d.get("member_official_on")), posts=_text(d, "member_posts"),
                      hometown=_text(d, "member_hometown"), chi_bo=chi_bo, assigned_on=assigned,
                      together_since=as_date(d.get("together_since")))


def _group(step: Step | None) -> OpinionGroup:
    if step is None:
        return OpinionGroup(body="")
    d = step.data
    return OpinionGroup(body=_text(d, "body"), members=_int(d, "members"), asked=_int(d, "asked"),
                        agree=_int(d, "agree"), disagree=_int(d, "disagree") or 0,
                        against_reasons=_text(d, "against_reasons"))


def _dossier_lines(source: CandidateSource) -> tuple[DossierLine, ...]:
    order = {d.code: (d.order, d.label) for d in codelists.dossier_items()}
    lines = []
    for s in sorted(source.of(K.DOSSIER), key=lambda s: (order.get(str(s.data.get("item")), (99, ""))[0], s.on)):
        item = str(s.data.get("item") or "")
        label = order.get(item, (99, item))[1]
        details = []
        if _text(s.data, "number"):
            details.append(f"số {_text(s.data, 'number')}")
        if item == "gioi_thieu" and _text(s.data, "member"):
            details.append(f"đảng viên giới thiệu: đồng chí {_text(s.data, 'member')}")
        if _text(s.data, "note"):
            details.append(_text(s.data, "note"))
        lines.append(DossierLine(label, s.on, "; ".join(details)))
    return tuple(lines)


def candidate_document(kind: str, source: CandidateSource, *, event_id: int | None = None) -> Prepared:
    """The document ``kind`` about one student (``event_id`` picks the introducer of a ``giay-gioi-thieu``).

    Raises:
        KeyError: ``kind`` is not a document about one student ("de-nghi-hoc-lop" and "chuong-trinh-le" have
            their own functions).
    """
    if KINDS[kind].scope != "candidate":
        raise KeyError(kind)
    holder, number_key = _HOME[kind]
    home = _holder(holder, source, event_id)
    on = home.on if home is not None else None
    issuer = source.issuer
    student = source.student
    level = "chi_bo" if kind in _CHI_BO_LEVEL or kind == "giay-gioi-thieu" else "org"
    org = _organisation(issuer, on, level=level, source=source)
    number = _number_plan(kind, org, home, on, number_key)
    number_text = number.stored if number is not None else None
    vote = _latest(source, K.VOTE)
    context: DocumentContext
    if kind == "nq-chi-bo":
        context = ChiBoResolution(org=org, person=_person(student), meeting=_meeting(vote), vote=_vote(vote),
                                  number=number_text, signed_on=on)
    elif kind == "bien-ban-chi-bo":
        cls = _latest(source, K.CLASS)
        certificate = (Certificate(number=_text(cls.data, "cert_no"), on=cls.on, issuer=_text(cls.data, "issuer"))
                       if cls is not None else None)
        context = MeetingMinutes(org=org, person=_person(student), meeting=_meeting(vote), vote=_vote(vote),
                                 certificate=certificate, dossier=_dossier_lines(source), number=number_text,
                                 signed_on=on)
    elif kind == "nq-dang-uy":
        first = _holder(K.SOURCE, source)
        body = _text(first.data, "chi_bo") if first is not None else ""
        ref = ResolutionRef(number=_text(vote.data, "number") if vote is not None else "",
                            on=vote.on if vote is not None else None, body=body)
        committee = None
        if home is not None and _int(home.data, "members") is not None and _int(home.data, "present") is not None:
            committee = CommitteeAttendance(members=_int(home.data, "members") or 0,
                                            present=_int(home.data, "present") or 0,
                                            absent_reasons=_text(home.data, "absent_reasons"))
        context = DangUyResolution(org=org, person=_person(student), chi_bo_resolution=ref,
                                   meeting=_meeting(home, with_attendance=False), committee=committee,
                                   vote=_vote(home), number=number_text, signed_on=on)
    elif kind == "tong-hop-y-kien":
        union, residence = _item(source, "nx_doan_the"), _item(source, "nx_noi_cu_tru")
        dates = [s.on for s in (union, residence) if s is not None]
        context = OpinionsSummary(org=org, person=_person(student), union=_group(union),
                                  residence=_group(residence), signed_on=max(dates) if dates else None)
    elif kind == "giay-gioi-thieu":
        context = Introduction(org=org, person=_person(student), introducer=_introducer(source, home),
                               signed_on=on)
    else:  # nq-cong-nhan
        ceremonies = source.of(K.CEREMONY)
        admitted = ceremonies[-1].on if ceremonies else None
        context = RecognitionResolution(org=org, person=_person(student, admitted=True), admitted_on=admitted,
                                        probation_end=rules.probation_end(admitted) if admitted else None,
                                        meeting=_meeting(home), vote=_vote(home), number=number_text,
                                        signed_on=on)
    return Prepared(kind=kind, context=context, facts=_facts(kind, source, event_id), number=number, home=holder,
                    home_id=home.id if home is not None else None, home_recorded=home is not None,
                    organisation_id=issuer.id, subject=student.full_name, ceremony_id=source.ceremony_id)


def candidate_kinds(source: CandidateSource) -> list[Choice]:
    """The documents a student's record offers, in the order of the procedure: the đảng ủy's resolution only in
    a đảng bộ cơ sở, one introducer's letter per introducer, the programme once the student is in a ceremony."""
    choices: list[Choice] = []
    for code, kind in KINDS.items():
        if code == "nq-dang-uy" and not source.issuer.kind.party_committee:
            continue
        if code == "chuong-trinh-le" and source.ceremony_id is None:
            continue
        if code == "giay-gioi-thieu":
            introducers = [s for s in source.of(K.DOSSIER) if s.data.get("item") == "gioi_thieu"]
            if len(introducers) > 1:
                choices += [Choice(code, s.id, _text(s.data, "member")) for s in introducers]
                continue
        if kind.scope in ("candidate", "org", "ceremony"):
            choices.append(Choice(code))
    return choices


def ceremony_document(source: CeremonySource) -> Prepared:
    """The programme of a ceremony: one section per student, each with their decision and their helper."""
    org = _organisation(source.issuer, source.on, level="org")
    helpers = source.data.get("helpers")
    helpers = helpers if isinstance(helpers, Mapping) else {}
    students = []
    for s in source.students:
        decision = _latest(s, K.DECISION)
        d = decision.data if decision is not None else {}
        students.append(CeremonyStudent(person=_person(s.student), decision_number=_text(d, "number"),
                                        decision_on=decision.on if decision is not None else None,
                                        decision_issuer=_text(d, "issuer"),
                                        helper=str(helpers.get(str(s.student.id)) or "").strip()))
    context = CeremonyProgramme(org=org, on=source.on, students=tuple(students), start=_time(source.data, "start"),
                                place=source.place, chair=_text(source.data, "chair"),
                                upper_guest=_text(source.data, "upper_guest"))
    facts = tuple(Fact(spec, source.id, source.data.get(spec.key)) for spec in FACTS["chuong-trinh-le"])
    return Prepared(kind="chuong-trinh-le", context=context, facts=facts, number=None, home=K.CEREMONY,
                    home_id=None, home_recorded=True, organisation_id=source.issuer.id,
                    subject=f"le-{source.on.isoformat()}", ceremony_id=source.id)


def class_document(source: ClassSource, *, signed_on: dt.date, recipient: str | None = None, course: str = "",
                   number: str | None = None, recipients: Sequence[str] = ()) -> Prepared:
    """The letter proposing ``source.students`` for the awareness class; the recipient defaults to the standing
    committee of the upper committee in force on ``signed_on``."""
    org = _organisation(source.issuer, signed_on, level="org")
    if recipient is None:
        recipient = _standing(_upper_committee_name(source.issuer, signed_on))
    context = ClassProposal(org=org, recipient=recipient, students=tuple(_person(s) for s in source.students),
                            number=number, signed_on=signed_on, course=course, recipients=tuple(recipients))
    plan = _number_plan("de-nghi-hoc-lop", org, None, signed_on, "")
    return Prepared(kind="de-nghi-hoc-lop", context=context, facts=(), number=plan, home=None, home_id=None,
                    home_recorded=True, organisation_id=source.issuer.id, subject=source.issuer.code)

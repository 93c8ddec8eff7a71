"""The facts each document is written from: plain, typed, frozen dataclasses (no storage, no Qt).

The caller (an operation) fills one context per document from the database and the user's answers. A fact
typed ``X | None`` (or an empty text) that the document needs is a *missing fact*: the document still
renders, with a highlighted dotted blank in its place, and :func:`render` returns the fact's path (e.g.
``"introducer.admitted_on"``) in ``Rendered.missing`` so the caller can ask the user once and store it.
Which facts a kind needs is listed in ``variables.py`` (``REQUIRED``), and the words of each path are in
``catalogue.documents.FACT_NAMES``.

Evaluative texts (:class:`Assessment`, the opinions of :class:`OpinionGroup` and :class:`MemberOpinion`) are
never generated: left empty, they become a highlighted paragraph telling the signer what to write.

Counts follow DOMAIN.md: ``Vote.members`` is the number of **all** official members counted for the vote
(those on temporary transfer, or exempt and absent, left out), and the percentages are of that number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

from lamha_desktop.domain.organisation import OrgKind

__all__ = [
    "Assessment",
    "Attendance",
    "CeremonyProgramme",
    "CeremonyStudent",
    "Certificate",
    "ChiBoResolution",
    "ClassProposal",
    "CommitteeAttendance",
    "DangUyResolution",
    "DocumentContext",
    "DossierLine",
    "Introducer",
    "Introduction",
    "Meeting",
    "MeetingMinutes",
    "MemberOpinion",
    "OpinionGroup",
    "OpinionsSummary",
    "Organisation",
    "Person",
    "RecognitionResolution",
    "ResolutionRef",
    "Vote",
]

Gender = Literal["nam", "nu"]
VoteMethod = Literal["secret", "hands"]


@dataclass(frozen=True)
class Organisation:
    """The issuing organisation and what its documents print about it.

    Attributes:
        name: the issuing body as it signs, e.g. "Chi bộ Trường THPT Lâm Hà" or "Đảng ủy Trường THPT Tân Hà"
            (printed in capitals in the header).
        upper_body: the body above it in the header, e.g. "Đảng bộ xã Nam Ban" (the setting in force on the
            document's date).
        kind: :class:`OrgKind` — a chi bộ cơ sở signs T/M CHI BỘ; for a đảng bộ cơ sở the đảng ủy signs
            T/M ĐẢNG ỦY (its number ends in "/ĐU").
        place: the place of the dated line, e.g. "Nam Ban".
        school: the school, e.g. "Trường THPT Lâm Hà".
        upper_committee: the committee a proposal goes to, e.g. "Ban Thường vụ Đảng ủy xã Nam Ban".
        secretary: the name of the signer.
        signer_role: "BÍ THƯ", or "PHÓ BÍ THƯ" when the deputy signs.
    """

    name: str
    upper_body: str
    kind: OrgKind = OrgKind.CHI_BO
    place: str = ""
    school: str = ""
    upper_committee: str = ""
    secretary: str = ""
    signer_role: str = "BÍ THƯ"


@dataclass(frozen=True)
class Person:
    """A student (or member) the document is about.

    ``admitted`` selects the form of address: "quần chúng" before admission, "đồng chí" after it.
    """

    full_name: str
    birth: date | None = None
    gender: Gender | None = None
    ethnic: str = ""  # the name, e.g. "Kinh", "Cơ-ho"
    religion: str = ""  # the name, e.g. "Không", "Công giáo"
    hometown: str = ""  # quê quán
    residence: str = ""  # nơi cư trú
    class_name: str = ""
    union_since: date | None = None  # ngày vào Đoàn
    post: str = ""  # e.g. "Bí thư chi đoàn"
    study: str = ""  # học lực, e.g. "Giỏi"
    conduct: str = ""  # hạnh kiểm / rèn luyện, e.g. "Tốt"
    note: str = ""
    admitted: bool = False


@dataclass(frozen=True)
class Attendance:
    """Members of a chi bộ at a meeting: in total, present, absent, each split into official and probationary."""

    official: int
    probationary: int
    official_present: int
    probationary_present: int
    absent_reasons: str = ""


@dataclass(frozen=True)
class Meeting:
    """A meeting of the chi bộ (or of the đảng ủy)."""

    on: date | None
    start: time | None = None
    end: time | None = None
    place: str = ""
    chair: str = ""  # chủ trì
    secretary: str = ""  # thư ký
    guests: tuple[str, ...] = ()
    attendance: Attendance | None = None


@dataclass(frozen=True)
class Vote:
    """A vote: ``members`` is the denominator of the percentages (all official members counted)."""

    agree: int
    members: int
    disagree: int = 0
    method: VoteMethod | None = None  # secret ballot or show of hands (the minutes say which)
    against_reasons: str = ""


@dataclass(frozen=True)
class Assessment:
    """Evaluative text typed by the signer; every empty part becomes a highlighted paragraph to write."""

    background: str = ""  # lý lịch
    strengths: str = ""  # ưu điểm
    weaknesses: str = ""  # khuyết điểm
    understanding: str = ""  # nhận thức về Đảng


@dataclass(frozen=True)
class ResolutionRef:
    """A resolution or decision cited by number and date, e.g. the chi bộ's resolution in the đảng ủy's."""

    number: str
    on: date | None
    body: str = ""  # who issued it, e.g. "Chi bộ Trường THPT Tân Hà"


@dataclass(frozen=True)
class Certificate:
    """The awareness-class certificate."""

    number: str
    on: date | None
    issuer: str = ""


@dataclass(frozen=True)
class DossierLine:
    """One paper of the dossier read out at the meeting (label, date, number or result)."""

    label: str
    on: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class MemberOpinion:
    """What one member said at the meeting (typed by the secretary; empty: a paragraph to write)."""

    name: str
    text: str = ""


@dataclass(frozen=True)
class Introducer:
    """The official member introducing the student (Mẫu 3-KNĐ)."""

    full_name: str
    birth: date | None = None
    admitted_on: date | None = None  # ngày vào Đảng
    official_on: date | None = None  # ngày chính thức
    posts: str = ""  # chức vụ
    hometown: str = ""
    chi_bo: str = ""  # the chi bộ the introducer belongs to
    assigned_on: date | None = None  # the day the chi bộ assigned them to help the student
    together_since: date | None = None  # working or studying with the student since


@dataclass(frozen=True)
class CommitteeAttendance:
    """Members of the đảng ủy at its meeting."""

    members: int
    present: int
    absent_reasons: str = ""


@dataclass(frozen=True)
class OpinionGroup:
    """The opinions gathered from one body (the union where the student studies, or the residence chi ủy)."""

    body: str
    members: int | None = None
    asked: int | None = None
    agree: int | None = None
    disagree: int = 0
    against_reasons: str = ""
    strengths: str = ""
    weaknesses: str = ""


@dataclass(frozen=True)
class CeremonyStudent:
    """One student admitted at a ceremony: one section of the programme."""

    person: Person
    decision_number: str = ""
    decision_on: date | None = None
    decision_issuer: str = ""
    helper: str = ""  # the official member assigned to help the probationary member


# ------------------------------------------------------------------------------------------------ the documents


@dataclass(frozen=True)
class ChiBoResolution:
    """``nq-chi-bo``: the chi bộ's resolution proposing admission."""

    org: Organisation
    person: Person
    meeting: Meeting
    vote: Vote | None
    number: str | None = None
    signed_on: date | None = None
    assessment: Assessment = field(default_factory=Assessment)
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingMinutes:
    """``bien-ban-chi-bo``: the minutes of the chi bộ meeting considering admission."""

    org: Organisation
    person: Person
    meeting: Meeting
    vote: Vote | None
    certificate: Certificate | None = None
    dossier: tuple[DossierLine, ...] = ()
    opinions: tuple[MemberOpinion, ...] = ()
    number: str | None = None
    signed_on: date | None = None


@dataclass(frozen=True)
class DangUyResolution:
    """``nq-dang-uy``: the đảng ủy cơ sở's resolution proposing admission (a đảng bộ cơ sở only)."""

    org: Organisation
    person: Person
    chi_bo_resolution: ResolutionRef
    meeting: Meeting
    committee: CommitteeAttendance | None
    vote: Vote | None
    number: str | None = None
    signed_on: date | None = None
    assessment: Assessment = field(default_factory=Assessment)
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpinionsSummary:
    """``tong-hop-y-kien``: the summary of opinions of the union and the residence chi ủy (no number)."""

    org: Organisation
    person: Person
    union: OpinionGroup
    residence: OpinionGroup
    signed_on: date | None = None


@dataclass(frozen=True)
class Introduction:
    """``giay-gioi-thieu``: the introducing member's letter (no number; the introducer signs)."""

    org: Organisation
    person: Person
    introducer: Introducer
    signed_on: date | None = None
    assessment: Assessment = field(default_factory=Assessment)


@dataclass(frozen=True)
class ClassProposal:
    """``de-nghi-hoc-lop``: the công văn proposing students for the awareness class, with the list."""

    org: Organisation
    recipient: str  # the committee that runs the class
    students: tuple[Person, ...]
    number: str | None = None
    signed_on: date | None = None
    course: str = ""  # e.g. "khóa 2 năm 2026"
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class CeremonyProgramme:
    """``chuong-trinh-le``: the programme of one ceremony, a section per student."""

    org: Organisation
    on: date | None
    students: tuple[CeremonyStudent, ...]
    start: time | None = None
    place: str = ""
    chair: str = ""
    upper_guest: str = ""  # the upper committee's representative, when one attends
    signed_on: date | None = None


@dataclass(frozen=True)
class RecognitionResolution:
    """``nq-cong-nhan``: the chi bộ's resolution proposing recognition as an official member."""

    org: Organisation
    person: Person
    admitted_on: date | None
    probation_end: date | None
    meeting: Meeting
    vote: Vote | None
    number: str | None = None
    signed_on: date | None = None
    assessment: Assessment = field(default_factory=Assessment)
    recipients: tuple[str, ...] = ()


DocumentContext = (
    ChiBoResolution
    | MeetingMinutes
    | DangUyResolution
    | OpinionsSummary
    | Introduction
    | ClassProposal
    | CeremonyProgramme
    | RecognitionResolution
)
"""Any of the document contexts (``KINDS[code].context`` says which one a kind takes)."""

"""From a context dataclass to the variables a template reads, the missing facts, and the marks to highlight.

Templates see plain nested dicts of texts (dates, numbers and percentages already written the Vietnamese way;
see ``fmt.py``), so a clerk editing a template in Word writes ``{{ person.full_name }}`` or
``{{ vote.agree_percent }}`` and never a format call. The variables of every kind:

===========  ===================================================================================================
name         keys
===========  ===================================================================================================
doc          form, title, number, number_line ("Số 05-NQ/CB"; empty for a document without a number), date
             ("05/04/2026"), date_words ("ngày 05 tháng 4 năm 2026"), place_date ("Nam Ban, ngày 05 tháng 4 năm
             2026")
org          name, name_caps, upper_body, upper_body_caps, place, school, upper_committee, secretary,
             signer_role, signer_heading ("T/M CHI BỘ" / "T/M ĐẢNG ỦY"), body_word ("chi bộ" / "đảng ủy")
person       title ("quần chúng" / "đồng chí"), title_cap, full_name, full_name_caps, birth, gender, ethnic,
             religion, hometown, residence, class_name, union_since, post, study, conduct, note
meeting      date, date_words, start, end, place, chair, secretary, guests (list of names), has_guests
attendance   total, official, probationary, present, official_present, probationary_present, absent,
             official_absent, probationary_absent, absent_reasons
vote         members, agree, agree_percent, disagree, disagree_percent, method, against_reasons, passed
assessment   background, strengths, weaknesses, understanding
recipients   list of texts (the "Nơi nhận" lines before "Lưu")
===========  ===================================================================================================

Per kind, besides: ``bien-ban-chi-bo`` certificate (number, date, issuer), dossier (list of label, date,
detail), opinions (list of name, text), has_opinions, opinions_prompt; ``nq-dang-uy`` chi_bo_resolution
(number, date, body), committee (members, present, absent, absent_reasons); ``tong-hop-y-kien`` union and
residence (body, members, asked, agree, agree_percent, disagree, disagree_percent, against_reasons, strengths,
weaknesses); ``giay-gioi-thieu`` introducer (full_name, full_name_caps, birth, admitted_on, official_on, posts,
hometown, chi_bo, assigned_on, together_since); ``de-nghi-hoc-lop`` recipient, course, count, students (list of
person keys plus index); ``chuong-trinh-le`` ceremony (date, date_words, start, place, chair, upper_guest),
count, students (list of person keys plus index, decision_number, decision_date, decision_issuer, helper);
``nq-cong-nhan`` probation (admitted_on, end).

Every text of the context is cleaned first: characters XML cannot hold (control characters other than tab and
line feed) and the private-use marks below are removed, and Windows line ends become line feeds (a line feed
is a line break in the document). A missing fact becomes :data:`MISSING` (a dotted blank between two
private-use marks) and its path is recorded; an empty evaluative text becomes a prompt between two other marks.
``render`` turns both into highlighted runs and removes the marks, so no mark reaches the document.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Final

from lamha_desktop.catalogue import documents as texts
from lamha_desktop.domain import docnumber, people
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.reports.documents import fmt
from lamha_desktop.reports.documents.context import (
    Assessment,
    Attendance,
    CeremonyProgramme,
    ChiBoResolution,
    ClassProposal,
    DangUyResolution,
    DocumentContext,
    Introduction,
    Meeting,
    MeetingMinutes,
    OpinionGroup,
    OpinionsSummary,
    Organisation,
    Person,
    RecognitionResolution,
    Vote,
)
from lamha_desktop.reports.documents.kinds import KINDS
from lamha_desktop.reports.files import ExportError

__all__ = ["MISSING", "DocumentError", "MissingFact", "build"]

MISSING_OPEN: Final = "\ue000"
MISSING_CLOSE: Final = "\ue001"
WRITE_OPEN: Final = "\ue002"
WRITE_CLOSE: Final = "\ue003"
BLANK: Final = "…………"
MISSING: Final = f"{MISSING_OPEN}{BLANK}{MISSING_CLOSE}"
"""What a template receives in place of a missing fact."""
SHORT: Final = f"{MISSING_OPEN}……{MISSING_CLOSE}"
"""The shorter blank of a missing day, month, year or document counter."""


class DocumentError(ExportError):
    """A document that cannot be written (unknown kind, impossible counts); ``code`` is worded by the catalogue."""


@dataclass(frozen=True)
class MissingFact:
    """A fact the document needed and did not get.

    Attributes:
        path: the fact, e.g. "introducer.admitted_on" (``catalogue.documents.FACT_NAMES`` words it).
        index: for a fact of one item of a list (a student of a ceremony), its position, else None.
        label: for such an item, whom it is about (the student's name), else "".
    """

    path: str
    index: int | None = None
    label: str = ""


def _write(text: str, prompt: str) -> str:
    text = text.strip()
    return text if text else f"{WRITE_OPEN}{texts.WRITE_PROMPTS[prompt]}{WRITE_CLOSE}"


class _Builder:
    """Collects the missing facts while the variables are built."""

    def __init__(self) -> None:
        self.missing: list[MissingFact] = []
        self._item: tuple[int, str] | None = None

    def miss(self, path: str) -> str:
        index, label = self._item if self._item is not None else (None, "")
        fact = MissingFact(path, index, label)
        if fact not in self.missing:
            self.missing.append(fact)
        return MISSING

    def text(self, value: str | None, path: str) -> str:
        """A required text: the value, or the missing mark."""
        value = (value or "").strip()
        return value if value else self.miss(path)

    def date(self, value: date | None, path: str, *, words: bool = False) -> str:
        if value is None:
            if words:
                self.miss(path)
                return _BLANK_WORDS
            return self.miss(path)
        return fmt.date_words(value) if words else fmt.short_date(value)

    def time(self, value: time | None, path: str) -> str:
        return fmt.time_words(value) if value is not None else self.miss(path)

    def number(self, value: int | None, path: str) -> str:
        return str(value) if value is not None else self.miss(path)

    def start_item(self, index: int, label: str) -> None:
        """The facts missed from now on belong to item ``index`` of a list (whom ``label`` names)."""
        self._item = (index, label)

    def end_item(self) -> None:
        self._item = None


_BLANK_WORDS: Final = f"ngày {SHORT} tháng {SHORT} năm {SHORT}"


def _opt_date(value: date | None) -> str:
    return fmt.short_date(value) if value is not None else ""


def _check_counts(what: str, *pairs: tuple[int, int]) -> None:
    """Each (part, whole) must satisfy 0 <= part <= whole."""
    for part, whole in pairs:
        if part < 0 or whole < 0 or part > whole:
            raise DocumentError("document.counts_invalid", what=what)


def _doc(b: _Builder, kind: str, org: Organisation, number: str | None, signed_on: date | None, *,
         number_optional: bool = False) -> dict[str, Any]:
    """The document's own variables; a number is required for a kind with a number type unless optional."""
    k = KINDS[kind]
    place = b.text(org.place, "org.place")
    number_text = (number or "").strip()
    if k.number_type is None or (number_optional and not number_text):
        number_text, line = "", ""
    else:
        if not number_text:
            b.miss("number")
            number_text = f"{SHORT}-{k.number_type}/{docnumber.ISSUER_ABBREVIATIONS.get(org.kind, '')}"
        line = f"Số {number_text}"
    if signed_on is None:
        b.miss("signed_on")
        words = _BLANK_WORDS
        short = MISSING
    else:
        words, short = fmt.date_words(signed_on), fmt.short_date(signed_on)
    return {
        "form": k.form or "",
        "title": texts.DOCUMENT_NAMES[kind],
        "number": number_text,
        "number_line": line,
        "date": short,
        "date_words": words,
        "place_date": f"{place}, {words}",
    }


def _org(b: _Builder, org: Organisation, *, proposal: bool, signer: bool = True) -> dict[str, Any]:
    name = b.text(org.name, "org.name")
    upper = b.text(org.upper_body, "org.upper_body")
    chi_bo = not OrgKind.of(org.kind).party_committee
    return {
        "name": name,
        "name_caps": name.upper(),
        "upper_body": upper,
        "upper_body_caps": upper.upper(),
        "place": org.place.strip(),
        "school": org.school.strip(),
        "upper_committee": b.text(org.upper_committee, "org.upper_committee") if proposal else org.upper_committee,
        "secretary": b.text(org.secretary, "org.secretary") if signer else org.secretary.strip(),
        "signer_role": (org.signer_role or "BÍ THƯ").strip().upper(),
        "signer_heading": "T/M CHI BỘ" if chi_bo else "T/M ĐẢNG ỦY",
        "body_word": "chi bộ" if chi_bo else "đảng ủy",
    }


_PERSON_FACTS: Final = ("birth", "gender", "ethnic", "religion")


def _person(b: _Builder, p: Person, *, required: Sequence[str] = _PERSON_FACTS) -> dict[str, Any]:
    """A person's variables; the facts of ``required`` (among birth, gender, ethnic, religion) must be known."""
    name = b.text(p.full_name, "person.full_name")
    gender = texts.GENDERS.get(p.gender or "", "")
    values = {
        "birth": _opt_date(p.birth),
        "gender": gender,
        "ethnic": p.ethnic.strip(),
        "religion": p.religion.strip(),
    }
    for fact in required:
        if not values[fact]:
            values[fact] = b.miss(f"person.{fact}")
    return {
        "title": fmt.address(p.admitted),
        "title_cap": fmt.address(p.admitted, capital=True),
        "full_name": name,
        "full_name_caps": name.upper(),
        **values,
        "hometown": p.hometown.strip(),
        "residence": p.residence.strip(),
        "class_name": p.class_name.strip(),
        "union_since": _opt_date(p.union_since),
        "post": p.post.strip(),
        "study": p.study.strip(),
        "conduct": p.conduct.strip(),
        "note": p.note.strip(),
    }


def _meeting(b: _Builder, m: Meeting, *, times: bool = False, place: bool = False) -> dict[str, Any]:
    guests = [g.strip() for g in m.guests if g.strip()]
    return {
        "date": b.date(m.on, "meeting.on"),
        "date_words": b.date(m.on, "meeting.on", words=True),
        "start": b.time(m.start, "meeting.start") if times else (fmt.time_words(m.start) if m.start else ""),
        "end": b.time(m.end, "meeting.end") if times else (fmt.time_words(m.end) if m.end else ""),
        "place": b.text(m.place, "meeting.place") if place else m.place.strip(),
        "chair": b.text(m.chair, "meeting.chair"),
        "secretary": b.text(m.secretary, "meeting.secretary"),
        "guests": guests,
        "has_guests": bool(guests),
    }


_ATTENDANCE_KEYS: Final = (
    "total",
    "official",
    "probationary",
    "present",
    "official_present",
    "probationary_present",
    "absent",
    "official_absent",
    "probationary_absent",
)


def _attendance(b: _Builder, a: Attendance | None) -> dict[str, Any]:
    if a is None:
        b.miss("meeting.attendance")
        return {**dict.fromkeys(_ATTENDANCE_KEYS, MISSING), "absent_reasons": ""}
    _check_counts("attendance", (a.official_present, a.official), (a.probationary_present, a.probationary))
    official_absent = a.official - a.official_present
    probationary_absent = a.probationary - a.probationary_present
    values = {
        "total": a.official + a.probationary,
        "official": a.official,
        "probationary": a.probationary,
        "present": a.official_present + a.probationary_present,
        "official_present": a.official_present,
        "probationary_present": a.probationary_present,
        "absent": official_absent + probationary_absent,
        "official_absent": official_absent,
        "probationary_absent": probationary_absent,
    }
    return {**{k: str(v) for k, v in values.items()}, "absent_reasons": a.absent_reasons.strip()}


_VOTE_KEYS: Final = ("members", "agree", "agree_percent", "disagree", "disagree_percent")


def _vote(b: _Builder, v: Vote | None, *, method: bool = False) -> dict[str, Any]:
    if v is None:
        b.miss("vote")
        return {
            **dict.fromkeys(_VOTE_KEYS, MISSING),
            "method": MISSING if method else "",
            "against_reasons": "",
            "passed": False,
        }
    _check_counts("vote", (v.agree, v.members), (v.disagree, v.members), (v.agree + v.disagree, v.members))
    if v.members == 0:
        raise DocumentError("document.counts_invalid", what="vote")
    method_text = texts.VOTE_METHODS.get(v.method or "", "")
    return {
        "members": str(v.members),
        "agree": str(v.agree),
        "agree_percent": fmt.percent(v.agree, v.members),
        "disagree": str(v.disagree),
        "disagree_percent": fmt.percent(v.disagree, v.members),
        "method": (method_text or b.miss("vote.method")) if method else method_text,
        "against_reasons": v.against_reasons.strip(),
        "passed": v.agree * 3 >= v.members * 2,
    }


def _assessment(a: Assessment, *, probation: bool = False) -> dict[str, Any]:
    return {
        "background": _write(a.background, "background"),
        "strengths": _write(a.strengths, "probation_strengths" if probation else "strengths"),
        "weaknesses": _write(a.weaknesses, "probation_weaknesses" if probation else "weaknesses"),
        "understanding": _write(a.understanding, "understanding"),
    }


def _recipients(items: Sequence[str], default: str = "") -> list[str]:
    """The "Nơi nhận" lines before "Lưu": the given ones, else the upper committee the proposal goes to."""
    given = [r.strip() for r in items if r.strip()]
    return given or ([default] if default and default != MISSING else [])


def _group(b: _Builder, g: OpinionGroup, prefix: str) -> dict[str, Any]:
    asked = g.asked
    agree = g.agree
    if asked is not None and agree is not None:
        _check_counts("opinions", (agree, asked), (g.disagree, asked), (agree + g.disagree, asked))
    if g.members is not None and asked is not None:
        _check_counts("opinions", (asked, g.members))
    usable = asked is not None and asked > 0 and agree is not None
    return {
        "body": b.text(g.body, f"{prefix}.body"),
        "members": b.number(g.members, f"{prefix}.members"),
        "asked": b.number(asked, f"{prefix}.asked"),
        "agree": b.number(agree, f"{prefix}.agree"),
        "agree_percent": fmt.percent(agree, asked) if usable and agree is not None and asked else MISSING,
        "disagree": str(g.disagree),
        "disagree_percent": fmt.percent(g.disagree, asked) if usable and asked else MISSING,
        "against_reasons": g.against_reasons.strip(),
        "strengths": _write(g.strengths, "group_strengths"),
        "weaknesses": _write(g.weaknesses, "group_weaknesses"),
    }


# ------------------------------------------------------------------------------------------------ per kind


def _nq_chi_bo(b: _Builder, c: ChiBoResolution) -> dict[str, Any]:
    return {
        "doc": _doc(b, "nq-chi-bo", c.org, c.number, c.signed_on),
        "org": _org(b, c.org, proposal=True),
        "person": _person(b, c.person),
        "meeting": _meeting(b, c.meeting),
        "attendance": _attendance(b, c.meeting.attendance),
        "vote": _vote(b, c.vote),
        "assessment": _assessment(c.assessment),
        "recipients": _recipients(c.recipients, c.org.upper_committee.strip()),
    }


def _bien_ban(b: _Builder, c: MeetingMinutes) -> dict[str, Any]:
    cert = c.certificate
    certificate = (
        {"number": b.text(cert.number, "certificate.number"), "date": b.date(cert.on, "certificate.on"),
         "issuer": cert.issuer.strip()}
        if cert is not None
        else {"number": b.miss("certificate"), "date": MISSING, "issuer": ""}
    )
    opinions = [{"name": o.name.strip(), "text": _write(o.text, "opinion")} for o in c.opinions if o.name.strip()]
    return {
        "doc": _doc(b, "bien-ban-chi-bo", c.org, c.number, c.signed_on, number_optional=True),
        "org": _org(b, c.org, proposal=False),
        "person": _person(b, c.person, required=()),
        "meeting": _meeting(b, c.meeting, times=True, place=True),
        "attendance": _attendance(b, c.meeting.attendance),
        "vote": _vote(b, c.vote, method=True),
        "certificate": certificate,
        "dossier": [
            {"label": d.label.strip(), "date": _opt_date(d.on), "detail": d.detail.strip()}
            for d in c.dossier
            if d.label.strip()
        ],
        "opinions": opinions,
        "has_opinions": bool(opinions),
        "opinions_prompt": _write("", "opinions"),
    }


def _nq_dang_uy(b: _Builder, c: DangUyResolution) -> dict[str, Any]:
    ref = c.chi_bo_resolution
    committee = c.committee
    if committee is None:
        b.miss("committee")
        committee_vars = {"members": MISSING, "present": MISSING, "absent": MISSING, "absent_reasons": ""}
    else:
        _check_counts("committee", (committee.present, committee.members))
        committee_vars = {
            "members": str(committee.members),
            "present": str(committee.present),
            "absent": str(committee.members - committee.present),
            "absent_reasons": committee.absent_reasons.strip(),
        }
    return {
        "doc": _doc(b, "nq-dang-uy", c.org, c.number, c.signed_on),
        "org": _org(b, c.org, proposal=True),
        "person": _person(b, c.person),
        "meeting": _meeting(b, c.meeting),
        "chi_bo_resolution": {
            "number": b.text(ref.number, "chi_bo_resolution.number"),
            "date": b.date(ref.on, "chi_bo_resolution.on"),
            "body": b.text(ref.body, "chi_bo_resolution.body"),
        },
        "committee": committee_vars,
        "vote": _vote(b, c.vote),
        "assessment": _assessment(c.assessment),
        "recipients": _recipients(c.recipients, c.org.upper_committee.strip()),
    }


def _tong_hop(b: _Builder, c: OpinionsSummary) -> dict[str, Any]:
    return {
        "doc": _doc(b, "tong-hop-y-kien", c.org, None, c.signed_on),
        "org": _org(b, c.org, proposal=False),
        "person": _person(b, c.person),
        "union": _group(b, c.union, "union"),
        "residence": _group(b, c.residence, "residence"),
    }


def _gioi_thieu(b: _Builder, c: Introduction) -> dict[str, Any]:
    i = c.introducer
    return {
        "doc": _doc(b, "giay-gioi-thieu", c.org, None, c.signed_on),
        "org": _org(b, c.org, proposal=False, signer=False),
        "person": _person(b, c.person, required=("birth",)),
        "introducer": {
            "full_name": b.text(i.full_name, "introducer.full_name"),
            "full_name_caps": i.full_name.strip().upper(),
            "birth": b.date(i.birth, "introducer.birth"),
            "admitted_on": b.date(i.admitted_on, "introducer.admitted_on"),
            "official_on": b.date(i.official_on, "introducer.official_on"),
            "posts": i.posts.strip(),
            "hometown": i.hometown.strip(),
            "chi_bo": b.text(i.chi_bo, "introducer.chi_bo"),
            "assigned_on": b.date(i.assigned_on, "introducer.assigned_on"),
            "together_since": _opt_date(i.together_since),
        },
        "assessment": _assessment(c.assessment),
    }


def _de_nghi(b: _Builder, c: ClassProposal) -> dict[str, Any]:
    ordered = sorted(c.students, key=lambda p: people.sort_key(p.full_name))
    students = []
    for n, p in enumerate(ordered, start=1):
        b.start_item(n - 1, p.full_name)
        students.append(_person(b, p) | {"index": n})
        b.end_item()
    if not students:
        b.miss("students")
    return {
        "doc": _doc(b, "de-nghi-hoc-lop", c.org, c.number, c.signed_on),
        "org": _org(b, c.org, proposal=False),
        "recipient": b.text(c.recipient, "recipient"),
        "course": c.course.strip(),
        "count": str(len(students)) if students else MISSING,
        "students": students,
        "recipients": _recipients(c.recipients),
    }


def _chuong_trinh(b: _Builder, c: CeremonyProgramme) -> dict[str, Any]:
    students = []
    for n, s in enumerate(c.students, start=1):
        b.start_item(n - 1, s.person.full_name)
        students.append(
            _person(b, s.person, required=())
            | {
                "index": n,
                "decision_number": b.text(s.decision_number, "students.decision_number"),
                "decision_date": b.date(s.decision_on, "students.decision_on"),
                "decision_issuer": b.text(s.decision_issuer, "students.decision_issuer"),
                "helper": b.text(s.helper, "students.helper"),
            }
        )
        b.end_item()
    if not students:
        b.miss("students")
    return {
        "doc": _doc(b, "chuong-trinh-le", c.org, None, c.signed_on or c.on),
        "org": _org(b, c.org, proposal=False),
        "ceremony": {
            "date": b.date(c.on, "ceremony.on"),
            "date_words": b.date(c.on, "ceremony.on", words=True),
            "start": b.time(c.start, "ceremony.start"),
            "place": b.text(c.place, "ceremony.place"),
            "chair": c.chair.strip(),
            "upper_guest": c.upper_guest.strip(),
        },
        "students": students,
        "count": str(len(students)),
    }


def _nq_cong_nhan(b: _Builder, c: RecognitionResolution) -> dict[str, Any]:
    return {
        "doc": _doc(b, "nq-cong-nhan", c.org, c.number, c.signed_on),
        "org": _org(b, c.org, proposal=True),
        "person": _person(b, c.person, required=()),
        "probation": {
            "admitted_on": b.date(c.admitted_on, "admitted_on"),
            "end": b.date(c.probation_end, "probation_end"),
        },
        "meeting": _meeting(b, c.meeting),
        "attendance": _attendance(b, c.meeting.attendance),
        "vote": _vote(b, c.vote),
        "assessment": _assessment(c.assessment, probation=True),
        "recipients": _recipients(c.recipients, c.org.upper_committee.strip()),
    }


_BUILDERS: Final[Mapping[type, Callable[[_Builder, Any], dict[str, Any]]]] = {
    ChiBoResolution: _nq_chi_bo,
    MeetingMinutes: _bien_ban,
    DangUyResolution: _nq_dang_uy,
    OpinionsSummary: _tong_hop,
    Introduction: _gioi_thieu,
    ClassProposal: _de_nghi,
    CeremonyProgramme: _chuong_trinh,
    RecognitionResolution: _nq_cong_nhan,
}


_UNWANTED: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ue000-\ue003]")


def _scrub(value: Any) -> Any:
    """``value`` with every text cleaned (see the module docstring), dataclasses and tuples walked through."""
    if isinstance(value, str):
        return _UNWANTED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, tuple):
        return tuple(_scrub(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _scrub(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def build(context: DocumentContext) -> tuple[dict[str, Any], tuple[MissingFact, ...]]:
    """The template variables of ``context`` and the facts it lacks (in the order the document meets them).

    Raises:
        DocumentError: "document.counts_invalid" (what) — present above the total, votes above the members,
            a negative count.
    """
    b = _Builder()
    variables = _BUILDERS[type(context)](b, _scrub(context))
    return variables, tuple(b.missing)

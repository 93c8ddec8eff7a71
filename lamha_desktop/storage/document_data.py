"""What the admission paperwork is written from, read from the database (reads only; no Qt, no rendering).

Like ``report_data`` for the returns, this module gathers in a few queries everything a document needs and
hands it over as plain dataclasses; ``reports.documents.assemble`` turns them into the documents' contexts.

* :func:`candidate_source` — a student, their organisation, their steps (with the ids that facts are stored
  under) and the committees that may head a document;
* :func:`ceremony_source` — a ceremony and the students it admits, each with their steps;
* :func:`class_source` — an organisation and the students proposed for the awareness class;
* :func:`next_number` / :func:`counters` — the numbering of each series of documents ("NQ/CB") per
  organisation and year (``DocumentCounter``; the operations move it);
* :func:`find_candidates` — whom "WHO" means on the command line: a personal ID number, or a full name typed
  with or without its diacritics;
* :func:`template_folder` / :func:`margins` — the user's settings for documents.

The place of the dated line is the organisation's own (``report_data.report_place``). Settings used:
``signer_name`` (the signer when the organisation has no secretary recorded), ``document_templates`` (the
folder of the user's own templates, empty: none), ``document_margins`` (top, bottom, left, right in mm).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lamha_desktop.domain import codelists, people, pipeline
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage import repo, report_data, settings
from lamha_desktop.storage.models import (
    Candidate,
    Ceremony,
    CeremonyCandidate,
    DocumentCounter,
    Event,
    Organisation,
)
from lamha_desktop.storage.typed_peewee import tuples

__all__ = [
    "DEFAULT_MARGINS",
    "CandidateMatch",
    "CandidateSource",
    "CeremonySource",
    "ClassSource",
    "CounterRow",
    "Issuer",
    "Step",
    "Student",
    "candidate_source",
    "ceremony_source",
    "class_candidates",
    "class_source",
    "counters",
    "find_candidates",
    "margins",
    "next_number",
    "number_holders",
    "template_folder",
]

DEFAULT_MARGINS = (20.0, 20.0, 30.0, 15.0)
"""Top, bottom, left, right in millimetres (Hướng dẫn 36-HD/VPTW)."""


@dataclass(frozen=True)
class Student:
    """A student as the documents print them (ethnic group and religion by name)."""

    id: int
    full_name: str
    birth: dt.date | None
    gender: str
    ethnic: str
    religion: str
    residence: str
    class_name: str
    union_since: dt.date | None
    graduation_year: int | None
    organisation_id: int


@dataclass(frozen=True)
class Issuer:
    """The organisation a student belongs to, and what its documents print about it."""

    id: int
    code: str
    name: str
    kind: OrgKind
    school: str
    secretary: str
    place: str
    committees: tuple[repo.CommitteeRow, ...]

    def committee_on(self, day: dt.date | None) -> repo.CommitteeRow | None:
        """The upper committee in force on ``day`` (today when None)."""
        on = day or dt.date.today()
        for c in self.committees:
            if (c.valid_from is None or c.valid_from <= on) and (c.valid_to is None or on <= c.valid_to):
                return c
        return None


# One step of a student's history, as the repository gives it: ``id`` None for the ceremony (its own table).
Step = repo.EventRow


@dataclass(frozen=True)
class CandidateSource:
    student: Student
    issuer: Issuer
    steps: tuple[Step, ...]
    ceremony_id: int | None
    ceremony: dict[str, Any] | None  # the ceremony's own facts (``Ceremony.data``) when the student has one

    def of(self, kind: str) -> list[Step]:
        """The steps of ``kind``, by date."""
        return [s for s in self.steps if s.kind == kind]


@dataclass(frozen=True)
class CeremonySource:
    id: int
    on: dt.date
    place: str
    decision_no: str
    data: dict[str, Any]
    issuer: Issuer
    students: tuple[CandidateSource, ...]


@dataclass(frozen=True)
class ClassSource:
    issuer: Issuer
    students: tuple[Student, ...]


@dataclass(frozen=True)
class CounterRow:
    series: str
    year: int
    last: int


@dataclass(frozen=True)
class CandidateMatch:
    id: int
    full_name: str
    birth: dt.date
    personal_id: str
    organisation_code: str


# ------------------------------------------------------------------------------------------------ reading


def _names(items: Sequence[codelists.CodeItem]) -> dict[str, str]:
    return {i.code: i.name for i in items}


def _student(c: dict[str, Any]) -> Student:
    ethnic = _names(codelists.ethnic_groups())
    religion = _names(codelists.religions())
    return Student(
        id=int(c["id"]), full_name=str(c["full_name"]), birth=c["birth"], gender=str(c["gender"]),
        ethnic=ethnic.get(str(c["ethnic"]), ""), religion=religion.get(str(c["religion"]), ""),
        residence=str(c.get("residence") or ""), class_name=str(c.get("class_name") or ""),
        union_since=c.get("union_since"), graduation_year=c.get("graduation_year"),
        organisation_id=int(c["organisation_id"]))


def _place(org_id: int) -> str:
    """The place of the dated line: the organisation's own, else its upper committee's, else the committee in
    force; "" when nobody typed one (the document marks it to fill in, never a default)."""
    return report_data.report_place([Organisation.get_by_id(org_id)], repo.committee_in_force(dt.date.today()))


def _issuer(org_id: int) -> Issuer:
    org = repo.get_organisation(org_id)
    secretary = org.secretary.strip() or str(settings.get("signer_name") or "").strip()
    return Issuer(id=org.id, code=org.code, name=org.name, kind=OrgKind.of(org.kind), school=org.school_name,
                  secretary=secretary, place=_place(org_id),
                  committees=tuple(repo.list_committees()))


def _steps(candidate_id: int) -> tuple[tuple[Step, ...], int | None]:
    steps = [Step(e.id, e.kind, e.on, dict(e.data)) for e in repo.list_events(candidate_id)]
    ceremony_id = repo.ceremony_of(candidate_id)
    for e in repo.pipeline_events(candidate_id):
        if e.kind == pipeline.EventKind.CEREMONY:
            steps.append(Step(None, e.kind, e.on, dict(e.data)))
    steps.sort(key=lambda s: s.on)
    return tuple(steps), ceremony_id


def _ceremony_data(ceremony_id: int | None) -> dict[str, Any] | None:
    if ceremony_id is None:
        return None
    row = Ceremony.get_or_none(Ceremony.id == ceremony_id)
    return dict(row.data or {}) if row is not None else None


def candidate_source(candidate_id: int, *, issuer: Issuer | None = None) -> CandidateSource:
    """Everything the documents of one student are written from.

    Raises:
        Candidate.DoesNotExist: no such candidate.
    """
    c = repo.get_candidate(candidate_id)
    steps, ceremony_id = _steps(candidate_id)
    return CandidateSource(_student(c), issuer or _issuer(int(c["organisation_id"])), steps, ceremony_id,
                           _ceremony_data(ceremony_id))


def ceremony_source(ceremony_id: int) -> CeremonySource:
    """A ceremony and the students it admits (in Vietnamese name order).

    Raises:
        Ceremony.DoesNotExist: no such ceremony.
    """
    row = Ceremony.get_by_id(ceremony_id)
    issuer = _issuer(int(row.organisation_id))
    ids = [int(cid) for (cid,) in tuples(CeremonyCandidate.select(CeremonyCandidate.candidate).join(Candidate)
                                         .where(CeremonyCandidate.ceremony == ceremony_id)
                                         .order_by(Candidate.sort_key))]
    students = tuple(candidate_source(cid, issuer=issuer) for cid in ids)
    return CeremonySource(int(row.id), row.on, row.place, row.decision_no, dict(row.data or {}), issuer, students)


def class_source(organisation_id: int, candidate_ids: Sequence[int]) -> ClassSource:
    """An organisation and the students proposed for the awareness class (those of other organisations are
    left out)."""
    issuer = _issuer(organisation_id)
    students = []
    for cid in dict.fromkeys(candidate_ids):
        if repo.candidate_exists(cid):
            student = _student(repo.get_candidate(cid))
            if student.organisation_id == organisation_id:
                students.append(student)
    return ClassSource(issuer, tuple(students))


def class_candidates(organisation_id: int) -> list[tuple[int, str, bool]]:
    """The organisation's students who may be proposed for the awareness class: listed in the source and not
    at a terminal stage, as (id, full name, has a certificate already), those without one first."""
    q = (Candidate.select(Candidate.id, Candidate.full_name, Candidate.stage)
         .where((Candidate.organisation == organisation_id) & (Candidate.stage < int(pipeline.Stage.VOTED)))
         .order_by(Candidate.sort_key))
    rows = [(int(i), str(n), int(s) >= int(pipeline.Stage.CLASS_DONE)) for i, n, s in tuples(q)]
    return sorted(rows, key=lambda r: r[2])


# ------------------------------------------------------------------------------------------------ numbers


def next_number(organisation_id: int, series: str, year: int) -> int:
    """The counter the next document of ``series`` takes in ``year`` (1 for the first)."""
    row = DocumentCounter.get_or_none((DocumentCounter.organisation == organisation_id)
                                      & (DocumentCounter.series == series) & (DocumentCounter.year == year))
    return (int(row.last) if row is not None else 0) + 1


def counters(organisation_id: int) -> list[CounterRow]:
    """The organisation's counters, newest year first."""
    q = (DocumentCounter.select().where(DocumentCounter.organisation == organisation_id)
         .order_by(DocumentCounter.year.desc(), DocumentCounter.series))
    return [CounterRow(r.series, int(r.year), int(r.last)) for r in q]


def number_holders(organisation_id: int, number: str, year: int, *, exclude_event: int | None = None) -> list[str]:
    """The students of the organisation one of whose steps of ``year`` already carries the document number
    ``number`` (as a resolution's or the minutes' number), by name."""
    q = (Event.select(Event.id, Event.data, Candidate.full_name).join(Candidate)
         .where((Candidate.organisation == organisation_id)
                & Event.kind.in_([pipeline.EventKind.VOTE, pipeline.EventKind.DANG_UY,
                                  pipeline.EventKind.RECOGNITION])
                & Event.on.between(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    names = []
    for event_id, data, name in tuples(q):
        values = json.loads(data) if isinstance(data, str) else (data or {})
        if event_id != exclude_event and number in (values.get("number"), values.get("minutes_number")):
            names.append(str(name))
    return names


# ------------------------------------------------------------------------------------------------ who


def find_candidates(who: str) -> list[CandidateMatch]:
    """The students "WHO" names: a personal ID number (12 digits; spaces allowed), else a full name — exactly
    as written (Unicode, any case), else the same name without diacritics. More than one match is for the
    caller to refuse (the same name twice)."""
    text = people.normalize_text(who)
    digits = text.replace(" ", "")
    q = Candidate.select(Candidate, Organisation).join(Organisation)
    if digits.isdigit():
        found = list(q.where(Candidate.personal_id == digits))
    else:
        key = people.search_key(text)
        rows = list(q.where(Candidate.search_key == key))
        exact = [c for c in rows if c.full_name.casefold() == text.casefold()]
        found = exact or rows
    found.sort(key=lambda c: (c.sort_key, c.id))
    return [CandidateMatch(int(c.id), c.full_name, c.birth, c.personal_id or "", c.organisation.code) for c in found]


# ------------------------------------------------------------------------------------------------ settings


def template_folder() -> Path | None:
    """The folder of the user's own templates (setting ``document_templates``), or None."""
    value = str(settings.get("document_templates") or "").strip()
    return Path(value) if value else None


def margins() -> tuple[float, float, float, float]:
    """The margins of documents (top, bottom, left, right in mm; setting ``document_margins``)."""
    value = settings.get("document_margins")
    try:
        top, bottom, left, right = (float(v) for v in value)
    except (TypeError, ValueError):
        return DEFAULT_MARGINS
    if not all(0 <= v <= 60 for v in (top, bottom, left, right)):
        return DEFAULT_MARGINS
    return top, bottom, left, right

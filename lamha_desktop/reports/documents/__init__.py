"""The admission paperwork as Word files: a writer package (bytes out; no Qt, no storage).

Public API (everything a caller needs is importable from here):

* :data:`KINDS` — the kinds by code (``nq-chi-bo``, ``bien-ban-chi-bo``, ``nq-dang-uy``, ``tong-hop-y-kien``,
  ``giay-gioi-thieu``, ``de-nghi-hoc-lop``, ``chuong-trinh-le``, ``nq-cong-nhan``); each
  :class:`DocumentKind` names its context dataclass, scope, form number and number type (the last two are
  data: ``resources/codelists/documents.json``).
* the context dataclasses of ``context.py`` (:class:`ChiBoResolution`, :class:`MeetingMinutes`, ...) and
  their parts (:class:`Organisation`, :class:`Person`, :class:`Meeting`, :class:`Attendance`, :class:`Vote`,
  :class:`Assessment`, ...);
* :func:`render` ``(kind, context, *, override_dir=None, margins=None) -> Rendered`` — ``Rendered.data`` is
  the .docx bytes, ``Rendered.missing`` the facts the context lacked (:class:`MissingFact`; each one a
  highlighted dotted blank in the document), ``Rendered.fallback`` the failed :class:`TemplateCheck` of a
  user's template when the built-in one was used instead;
* :func:`check_template` ``(path, kind) -> TemplateCheck`` — "Kiểm tra mẫu": unknown and missing variables,
  unreadable files and syntax errors; :func:`known_variables` lists what a template may use;
* :func:`example` — a complete fictional context per kind (a preview for "Kiểm tra mẫu");
* :func:`document_number` / :func:`parse_document_number` / :func:`issuer_abbreviation` — "05-NQ/CB"
  (``domain.docnumber``, so the storage layer that keeps the counters can use them too);
* :class:`DocumentError` — raised with a catalogue code (``catalogue/documents.py``).

Templates live in ``resources/templates/documents/<kind>.docx``, built by
``build_scripts/make_document_templates.py``; the variables they read are listed in ``variables.py``.
"""

from __future__ import annotations

from lamha_desktop.domain.docnumber import document_number, issuer_abbreviation, parse_document_number
from lamha_desktop.reports.documents.context import (
    Assessment,
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
    MemberOpinion,
    OpinionGroup,
    OpinionsSummary,
    Organisation,
    Person,
    RecognitionResolution,
    ResolutionRef,
    Vote,
)
from lamha_desktop.reports.documents.examples import example
from lamha_desktop.reports.documents.kinds import KINDS, DocumentKind, templates_dir
from lamha_desktop.reports.documents.render import (
    Margins,
    Rendered,
    TemplateCheck,
    check_template,
    known_variables,
    render,
)
from lamha_desktop.reports.documents.variables import DocumentError, MissingFact

__all__ = [
    "KINDS",
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
    "DocumentError",
    "DocumentKind",
    "DossierLine",
    "Introducer",
    "Introduction",
    "Margins",
    "Meeting",
    "MeetingMinutes",
    "MemberOpinion",
    "MissingFact",
    "OpinionGroup",
    "OpinionsSummary",
    "Organisation",
    "Person",
    "RecognitionResolution",
    "Rendered",
    "ResolutionRef",
    "TemplateCheck",
    "Vote",
    "check_template",
    "document_number",
    "example",
    "issuer_abbreviation",
    "known_variables",
    "parse_document_number",
    "render",
    "templates_dir",
]

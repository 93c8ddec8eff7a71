"""The facts the paperwork needs that a step carries besides its date: who met, who chaired, how they voted.

A document of the admission (``reports/documents``) is written from a candidate's steps. What the pipeline
itself needs (the date, the counts of a vote) was always in the step; what only the paperwork needs is kept in
the same step's ``data`` under the keys below, asked once (in the step's dialog or in "Soạn văn bản…") and
stored through the operations. :func:`fact_issues` checks them; :data:`PERSONAL_KEYS` are names and personal
dates of party members, which never leave the machine in a return.

=====================  ===================================================================================
step (item)            keys of ``data``
=====================  ===================================================================================
vote, recognition      ``chair``, ``secretary``, ``place``, ``start`` / ``end`` ("14:00"), ``method``
                       ("secret" | "hands"), ``probationary`` (probationary members), ``official_present``,
                       ``probationary_present``, ``absent_reasons``, ``against_reasons``, ``number`` (the
                       resolution's number, "05-NQ/CB"); a vote also ``minutes_number`` (the minutes'
                       number), and in a đảng bộ cơ sở ``chi_bo`` / ``chi_bo_secretary`` (the subordinate chi
                       bộ that voted, and its secretary)
dang_uy                ``chair``, ``secretary``, ``present`` (committee members present), ``disagree``,
                       ``absent_reasons``, ``number``
dossier gioi_thieu     ``member_birth``, ``member_admitted_on``, ``member_official_on`` (ISO dates),
                       ``member_posts``, ``member_hometown``, ``member_chi_bo``, ``member_assigned_on``
dossier nx_doan_the,   ``body`` (the union or the residence chi ủy asked), ``members``, ``asked``, ``agree``,
nx_noi_cu_tru          ``disagree``, ``against_reasons``
ceremony (its own      ``start``, ``chair``, ``upper_guest``, ``helpers`` (candidate id as text -> the official
record)                member assigned to help the new member)
=====================  ===================================================================================

Codes of this module
~~~~~~~~~~~~~~~~~~~~

================================  ========  ================================================================
code                              severity  params / meaning
================================  ========  ================================================================
meeting.attendance_invalid        error     official, official_present, probationary, probationary_present
                                            — more present than members, or a negative count
meeting.votes_over_present        error     agree, disagree, present — more votes than official members
                                            present
meeting.time_invalid              error     field, value — not a time of day ("14:00")
meeting.end_before_start          error     start, end
meeting.method_invalid            error     method — neither a secret ballot nor a show of hands
meeting.number_invalid            error     number — not a document number ("05-NQ/CB")
meeting.committee_invalid         error     members, present — more committee members present than
                                            members
opinions.counts_invalid           error     members, asked, agree, disagree — asked above the members, or
                                            votes above those asked
fact.date_invalid                 error     field, value — not a date
fact.count_invalid                error     field, value — not a whole number of 0 or more
================================  ========  ================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from typing import Any, Final

from lamha_desktop.domain.docnumber import parse_document_number
from lamha_desktop.domain.pipeline import EventKind, Issue, as_date

__all__ = [
    "COUNT_KEYS",
    "DATE_KEYS",
    "METHODS",
    "PERSONAL_KEYS",
    "TIME_KEYS",
    "fact_issues",
    "format_time",
    "parse_time",
]

METHODS: Final = ("secret", "hands")
"""How a vote was taken: a secret ballot or a show of hands (the minutes say which)."""

TIME_KEYS: Final = frozenset({"start", "end"})
DATE_KEYS: Final = frozenset({"member_birth", "member_admitted_on", "member_official_on", "member_assigned_on"})
COUNT_KEYS: Final = frozenset({"probationary", "official_present", "probationary_present", "present", "asked",
                               "disagree"})

PERSONAL_KEYS: Final = frozenset({
    "chair", "secretary", "chi_bo_secretary", "absent_reasons", "against_reasons", "member_birth",
    "member_admitted_on", "member_official_on", "member_posts", "member_hometown", "member_chi_bo",
    "member_assigned_on", "helpers", "upper_guest",
})
"""Keys holding names or personal dates of party members: kept out of the returns sent upwards."""

_TIME: Final = re.compile(r"^\s*(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{0,2})\s*(?:phút)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """A time of day typed by hand: "14:00", "7:30", "14h", "14h30", "14 giờ 30"; None when it is not one."""
    match = _TIME.match(text or "")
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(value: time) -> str:
    """"14:00": how a time is stored."""
    return f"{value.hour:02d}:{value.minute:02d}"


def _count(data: Mapping[str, Any], key: str, issues: list[Issue]) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        issues.append(Issue("fact.count_invalid", "error", {"field": key, "value": value}))
        return None
    text = str(value).strip()
    if not text.isdigit():
        issues.append(Issue("fact.count_invalid", "error", {"field": key, "value": value}))
        return None
    return int(text)


def _times(data: Mapping[str, Any], issues: list[Issue]) -> None:
    parsed: dict[str, time] = {}
    for key in sorted(TIME_KEYS):
        value = data.get(key)
        if value in (None, ""):
            continue
        t = parse_time(str(value))
        if t is None:
            issues.append(Issue("meeting.time_invalid", "error", {"field": key, "value": value}))
        else:
            parsed[key] = t
    if "start" in parsed and "end" in parsed and parsed["end"] <= parsed["start"]:
        issues.append(Issue("meeting.end_before_start", "error", {"start": format_time(parsed["start"]),
                                                                  "end": format_time(parsed["end"])}))


def _number(data: Mapping[str, Any], key: str, issues: list[Issue]) -> None:
    value = data.get(key)
    if value not in (None, "") and parse_document_number(str(value)) is None:
        issues.append(Issue("meeting.number_invalid", "error", {"number": value}))


def _attendance(data: Mapping[str, Any], issues: list[Issue]) -> None:
    official = _count(data, "members", [])
    probationary = _count(data, "probationary", issues)
    official_present = _count(data, "official_present", issues)
    probationary_present = _count(data, "probationary_present", issues)
    params = {"official": official, "official_present": official_present, "probationary": probationary,
              "probationary_present": probationary_present}
    if (official is not None and official_present is not None and official_present > official) or (
            probationary_present is not None and (probationary or 0) < probationary_present):
        issues.append(Issue("meeting.attendance_invalid", "error", params))
    if official_present is not None:
        agree = _count(data, "agree", []) or 0
        disagree = _count(data, "disagree", []) or 0
        if agree + disagree > official_present:
            issues.append(Issue("meeting.votes_over_present", "error",
                                {"agree": agree, "disagree": disagree, "present": official_present}))
    method = data.get("method")
    if method not in (None, "") and method not in METHODS:
        issues.append(Issue("meeting.method_invalid", "error", {"method": method}))


def _dates(data: Mapping[str, Any], today: date | None, issues: list[Issue]) -> None:
    for key in sorted(DATE_KEYS):
        value = data.get(key)
        if value in (None, ""):
            continue
        day = as_date(value)
        if day is None:
            issues.append(Issue("fact.date_invalid", "error", {"field": key, "value": value}))
        elif today is not None and day > today:
            issues.append(Issue("step.future", "error", {"step": EventKind.DOSSIER, "field": key, "on": day}))


def _opinions(data: Mapping[str, Any], issues: list[Issue]) -> None:
    members, asked = _count(data, "members", issues), _count(data, "asked", issues)
    agree, disagree = _count(data, "agree", issues), _count(data, "disagree", issues)
    votes = (agree or 0) + (disagree or 0)
    if (members is not None and asked is not None and asked > members) or (asked is not None and votes > asked):
        issues.append(Issue("opinions.counts_invalid", "error",
                            {"members": members, "asked": asked, "agree": agree, "disagree": disagree}))


def fact_issues(kind: str, data: Mapping[str, Any], *, today: date | None = None) -> list[Issue]:
    """Problems with the paperwork facts of a step of ``kind`` carrying ``data`` (see the module table).

    Only the facts of this module are judged; the step itself is judged by ``pipeline.check_step``. Empty
    facts are never a problem here: a document that needs one says so when it is written.
    """
    issues: list[Issue] = []
    if kind in (EventKind.VOTE, EventKind.RECOGNITION):
        _times(data, issues)
        _attendance(data, issues)
        _number(data, "number", issues)
        _number(data, "minutes_number", issues)
    elif kind == EventKind.DANG_UY:
        members, present = _count(data, "members", []), _count(data, "present", issues)
        _count(data, "disagree", issues)
        if members is not None and present is not None and present > members:
            issues.append(Issue("meeting.committee_invalid", "error", {"members": members, "present": present}))
        _number(data, "number", issues)
    elif kind == EventKind.DOSSIER:
        item = data.get("item")
        if item == "gioi_thieu":
            _dates(data, today, issues)
        elif item in ("nx_doan_the", "nx_noi_cu_tru"):
            _opinions(data, issues)
    elif kind == EventKind.CEREMONY:
        _times(data, issues)
    return issues

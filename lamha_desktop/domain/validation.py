"""Checks of a candidate's personal fields, and the Vietnamese date parser used by forms and importers.

Problems come back as :class:`FieldIssue` codes (the UI words them and marks the field):

=================  ==========================================================
code               meaning / params
=================  ==========================================================
name.required      empty full name
name.invalid       characters other than letters, spaces, ' ’ - . ; params: chars
gender.required    empty gender
gender.invalid     not "nam" / "nu" (``people.search_key`` of "Nam", "Nữ" also accepted); params: value
birth.required     no birth date
birth.future       birth date after today
birth.too_young    under 14 on today; params: age, minimum
birth.too_old      over 60 on today; params: age, maximum
pid.required       empty personal ID (only with ``complete=True``)
pid.format         not 12 ASCII digits once spaces are removed; params: length
pid.duplicate      ``existing_ids(pid)`` is True; params: pid (normalised)
ethnic.required    empty ethnic group (only with ``complete=True``)
ethnic.unknown     not a code, name or known spelling; params: value
religion.unknown   not a code, name or known spelling; params: value (empty means "Không")
text.too_long      longer than the field's limit in :data:`TEXT_LIMITS`; params: length, limit
=================  ==========================================================

Text limits: one table, :data:`TEXT_LIMITS`, bounds every text field, whether it is typed in a form,
read from a class list or merged from a school's return (:func:`check_text_lengths`). A real name never
comes near 500 characters, a note never near 2,000; every limit is far below the 32,767 characters an
Excel cell holds, so whatever is stored can be exported.

A student's record may be incomplete: a teacher's class list has no personal ID and no ethnic group. Those
two facts are then left empty (never guessed) and :func:`missing_facts` names them; a step that needs them
(``pipeline.FACTS_NEEDED``: the chi bộ vote) is refused until they are filled in.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from lamha_desktop.domain import codelists, people

__all__ = [
    "OPTIONAL_FACTS",
    "TEXT_LIMITS",
    "FieldIssue",
    "age_on",
    "check_text_lengths",
    "missing_facts",
    "normalize_pid",
    "parse_date_vn",
    "text_limit",
    "validate_candidate",
]

MIN_AGE: Final = 14
MAX_AGE: Final = 60
PID_LENGTH: Final = 12
GENDERS: Final = frozenset({"nam", "nu"})
_NAME_PUNCTUATION: Final = frozenset(" '\u2019-.")
OPTIONAL_FACTS: Final = ("personal_id", "ethnic")
"""Facts a student's record may lack (in form order): asked for only when a step needs them."""

_DMY_RE: Final = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})", re.ASCII)
_ISO_RE: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2099

NAME_CHARS: Final = 500
"""A person's, an organisation's, a school's or a place's name."""
SHORT_TEXT_CHARS: Final = 100
"""Codes, numbers and short labels: a class, an ethnic group, a document number."""
FREE_TEXT_CHARS: Final = 2_000
"""Free text: an address, a note, a reason."""
EXCEL_CELL_CHARS: Final = 32_767
"""What one Excel cell holds; every limit below stays under it."""

TEXT_LIMITS: Final[Mapping[str, int]] = {
    "full_name": NAME_CHARS,
    "family_middle": NAME_CHARS,
    "given_name": NAME_CHARS,
    "secretary": NAME_CHARS,
    "signer_name": NAME_CHARS,
    "introducer": NAME_CHARS,
    "org_name": NAME_CHARS,
    "school_name": NAME_CHARS,
    "committee_name": NAME_CHARS,
    "place": NAME_CHARS,
    "gender": SHORT_TEXT_CHARS,
    "personal_id": SHORT_TEXT_CHARS,
    "ethnic": SHORT_TEXT_CHARS,
    "religion": SHORT_TEXT_CHARS,
    "class_name": SHORT_TEXT_CHARS,
    "org_code": SHORT_TEXT_CHARS,
    "document_number": SHORT_TEXT_CHARS,
    "certificate_number": SHORT_TEXT_CHARS,
    "residence": FREE_TEXT_CHARS,
    "notes": FREE_TEXT_CHARS,
    "reason": FREE_TEXT_CHARS,
    "free_text": FREE_TEXT_CHARS,
}
"""The longest text each field accepts, in characters (after NFC normalisation). Unknown fields: free text."""


@dataclass(frozen=True)
class FieldIssue:
    """A problem with one field of the candidate form."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def age_on(birth: date, on: date) -> int:
    """Age in completed years on ``on`` (a 29 February birthday counts from 1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def normalize_pid(text: str) -> str:
    """The personal ID with all whitespace removed (leading zeros kept)."""
    return "".join(text.split())


def text_limit(field: str) -> int:
    """The longest text ``field`` accepts (:data:`TEXT_LIMITS`; free text for a field not listed)."""
    return TEXT_LIMITS.get(field, FREE_TEXT_CHARS)


def _too_long(field: str, value: object) -> FieldIssue | None:
    if not isinstance(value, str):
        return None
    limit = text_limit(field)
    if len(value) <= limit:
        return None
    # Measured as stored (NFC, spaces collapsed); a text far past the limit is judged on its beginning, so a
    # four-megabyte "name" costs no more than a long one.
    probe = value if len(value) <= 8 * limit else value[: 8 * limit]
    length = len(people.normalize_text(probe))
    if length <= limit and probe is not value:
        length = len(people.normalize_text(value))  # mostly spaces: measure the whole
    elif probe is not value:
        length = len(value)
    if length <= limit:
        return None  # only spaces or decomposed accents made it long
    return FieldIssue(field, "text.too_long", {"length": length, "limit": limit})


def check_text_lengths(values: Mapping[str, object]) -> list[FieldIssue]:
    """``text.too_long`` for every text value longer than its field's limit (other values are ignored).

    The one check of text lengths: the candidate form, the class-list importer and the consolidation of a
    school's return call it with their fields (keys of :data:`TEXT_LIMITS`).
    """
    return [issue for f, v in values.items() if (issue := _too_long(f, v)) is not None]


def missing_facts(*, personal_id: str | None, ethnic: str | None) -> tuple[str, ...]:
    """The optional facts (:data:`OPTIONAL_FACTS`) a stored record lacks, in form order."""
    given = {"personal_id": personal_id, "ethnic": ethnic}
    return tuple(f for f in OPTIONAL_FACTS if not (given[f] or "").strip())


def _name_issue(full_name: str) -> FieldIssue | None:
    too_long = _too_long("full_name", full_name)
    if too_long is not None:
        return too_long
    name = people.normalize_text(full_name)
    if not name:
        return FieldIssue("full_name", "name.required")
    bad = sorted(
        {c for c in name if c not in _NAME_PUNCTUATION and unicodedata.category(c)[0] not in ("L", "M")}
    )
    if bad or not any(unicodedata.category(c)[0] == "L" for c in name):
        return FieldIssue("full_name", "name.invalid", {"chars": "".join(bad)})
    return None


def validate_candidate(
    *,
    full_name: str,
    gender: str,
    birth: date | None,
    personal_id: str,
    ethnic: str,
    religion: str,
    today: date,
    existing_ids: Callable[[str], bool] | None = None,
    complete: bool = True,
) -> list[FieldIssue]:
    """All problems with a candidate's personal fields, in form order; an empty list means valid.

    ``existing_ids(pid)`` tells whether another candidate already has this (normalised) ID; the caller
    excludes the record being edited. ``complete=False`` accepts a record without a personal ID or an ethnic
    group (:data:`OPTIONAL_FACTS`); what is given is still checked.
    """
    issues: list[FieldIssue] = []

    name_issue = _name_issue(full_name)
    if name_issue is not None:
        issues.append(name_issue)

    gender_too_long = _too_long("gender", gender)
    g = people.search_key(gender) if gender_too_long is None else ""
    if gender_too_long is not None:
        issues.append(gender_too_long)
    elif not g:
        issues.append(FieldIssue("gender", "gender.required"))
    elif g not in GENDERS:
        issues.append(FieldIssue("gender", "gender.invalid", {"value": gender}))

    if birth is None:
        issues.append(FieldIssue("birth", "birth.required"))
    elif birth > today:
        issues.append(FieldIssue("birth", "birth.future"))
    else:
        age = age_on(birth, today)
        if age < MIN_AGE:
            issues.append(FieldIssue("birth", "birth.too_young", {"age": age, "minimum": MIN_AGE}))
        elif age > MAX_AGE:
            issues.append(FieldIssue("birth", "birth.too_old", {"age": age, "maximum": MAX_AGE}))

    pid = normalize_pid(personal_id)
    if not pid:
        if complete:
            issues.append(FieldIssue("personal_id", "pid.required"))
    elif not (len(pid) == PID_LENGTH and pid.isascii() and pid.isdigit()):
        issues.append(FieldIssue("personal_id", "pid.format", {"length": len(pid)}))
    elif existing_ids is not None and existing_ids(pid):
        issues.append(FieldIssue("personal_id", "pid.duplicate", {"pid": pid}))

    ethnic_too_long = _too_long("ethnic", ethnic)
    religion_too_long = _too_long("religion", religion)
    if ethnic_too_long is not None:
        issues.append(ethnic_too_long)
    elif not people.normalize_text(ethnic):
        if complete:
            issues.append(FieldIssue("ethnic", "ethnic.required"))
    elif codelists.find_ethnic(ethnic) is None:
        issues.append(FieldIssue("ethnic", "ethnic.unknown", {"value": ethnic}))

    if religion_too_long is not None:
        issues.append(religion_too_long)
    elif codelists.find_religion(religion) is None:
        issues.append(FieldIssue("religion", "religion.unknown", {"value": religion}))

    return issues


def parse_date_vn(text: str, *, today: date | None = None) -> date:
    """Parse a date as typed in Vietnam.

    Accepted: ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``d/m/yy`` and ISO ``yyyy-mm-dd``
    (surrounding spaces ignored; both separators must be the same). A two-digit year ``yy`` means 20yy
    when ``yy <= (this year % 100) + 1``, otherwise 19yy: in 2025, "08" is 2008, "26" is 2026 and "27" is
    1927. ``today`` (default: the system date) fixes "this year" for tests. Years outside 1900–2099 are
    refused.

    Raises:
        ValueError: ``"date.invalid"`` for anything else, including impossible dates such as 31/02/2008.
    """
    s = text.strip()
    iso = _ISO_RE.fullmatch(s)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        dmy = _DMY_RE.fullmatch(s)
        if not dmy:
            raise ValueError("date.invalid")
        day, month = int(dmy.group(1)), int(dmy.group(3))
        year_text = dmy.group(4)
        year = int(year_text)
        if len(year_text) == 2:
            pivot = ((today or date.today()).year % 100) + 1
            year += 2000 if year <= pivot else 1900
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError("date.invalid")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("date.invalid") from None

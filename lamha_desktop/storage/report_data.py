"""The figures of a return (báo cáo kết quả kết nạp) as plain dataclasses, computed with SQL aggregates.

Everything a report writer needs is collected here in a few bulk queries (no query per candidate), so a
return over 100,000 candidates costs about as much as reading the table once. Writers in ``reports/`` only
lay the figures out.

Periods
    ``"2024-H1"``: first half ("6 tháng đầu năm 2024"); ``"2024-H2"``: second half ("6 tháng cuối năm
    2024"); ``"2024"``: the whole year ("năm 2024"). The first half runs from settings ``h1_start`` to
    ``h1_end`` (``MM-DD``; default 01-01 .. 06-30). A start later in the calendar than the end (e.g. 12-15 ..
    06-14) means the half begins in the previous year. The whole year runs from the first half's start to the
    day before the next year's first-half start (so the default is 01/01 .. 31/12, and 15/12/2023 ..
    14/12/2024 with the 12-15 cut-off); the second half is the rest of it after the first.

Columns of a return, per organisation (each candidate counted at most once per column; "in the period" =
between the period's start and end, both included; "at the end" = state on the period's last day):

=====================  ==============================================================================
``annual_target``      Organisation.annual_target (chỉ tiêu kết nạp trong năm).
``in_training``        Candidates in training (đang bồi dưỡng, nguồn) at the end: listed (their first
                       event dated on or before the end) and, by the end, no admission decision, no
                       ceremony and no terminal step (transfer, not admitted, removed). Candidates with no
                       event at all are not yet on the source list and are not counted.
``sent_to_class``      A ``class`` event (awareness-class certificate) dated in the period.
``with_resolution``    A passed chi bộ ``vote`` (recorded ``passed``, else the 2/3 rule) dated in the period.
``awaiting_ceremony``  At the end: a decision (a ``decision`` event, or the decision date of the ceremony
                       the candidate is linked to) dated on or before the end, not admitted by the end and
                       no terminal step by the end (stage DECISION on the period's last day).
``admitted``           Ceremony date (Candidate.admitted_on) in the period; ``admitted_women`` (gender
                       "nu"), ``admitted_minority`` (ethnic code not 01 Kinh), ``admitted_religion``
                       (religion code not 00 Không), ``admitted_union`` (union member on the ceremony date:
                       union_since on or before it) are the same students broken down.
``cumulative``         Ceremony date from settings ``plan_start`` (14/06/2023) to the period's end; the header
                       states the basis (``DocumentHeader.cumulative_basis``: settings ``plan_number``).
``recognised``         A ``recognition`` event (chi bộ resolution on official membership) in the period.
``transferred``        A ``transfer`` event (chuyển sinh hoạt) in the period.
``admitted_in_year``   Ceremony date from the start of the reporting year (see above) to the period's end.
``target_met``         ``admitted_in_year >= annual_target``.
=====================  ==============================================================================

The named list holds the students admitted in the period, in Vietnamese order (Candidate.sort_key, by
given name). Organisations listed: the one asked for, or every active organisation plus any inactive one
with a non-zero figure.

The document header: the upper body is the committee in force on the report date, else the one in force
on the period's last day (the district level was abolished on 1/7/2025); the issuer is settings ``issuer``
when set, else the organisation's name when the return covers one organisation, else "BAN TỔ CHỨC". The place
is the organisation's (:func:`report_place`: its upper committee's as a fallback, never a default nobody
typed); the signer is settings ``signer_name`` when set, else the organisation's secretary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from lamha_desktop.domain import codelists, people, rules
from lamha_desktop.domain.pipeline import EventKind
from lamha_desktop.storage import dialect, repo, settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import Organisation, UpperCommittee
from lamha_desktop.storage.typed_peewee import raw

__all__ = [
    "AdmittedStudent",
    "DocumentHeader",
    "OrgFigures",
    "Period",
    "PeriodError",
    "ReportError",
    "ReturnData",
    "collect",
    "parse_period",
    "period_from_settings",
]


class ReportError(Exception):
    """A report that cannot be produced; ``code`` is worded by the UI / CLI."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class PeriodError(ReportError, ValueError):
    """A period text that is not ``YYYY-H1``, ``YYYY-H2`` or ``YYYY`` (code ``period.invalid``)."""


@dataclass(frozen=True)
class Period:
    """A reporting period: the first half (``part`` 1), the second half (``part`` 2) or the whole (``part`` 0)
    of reporting year ``year``; ``year_start`` is the first day of that reporting year."""

    year: int
    part: int
    start: dt.date
    end: dt.date
    year_start: dt.date

    @property
    def half(self) -> bool:
        """A half of the year (either one), not the whole year."""
        return self.part != 0

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.part}" if self.part else str(self.year)

    @property
    def title(self) -> str:
        """"6 tháng đầu năm 2024", "6 tháng cuối năm 2024" or "năm 2024"."""
        return {1: "6 tháng đầu năm", 2: "6 tháng cuối năm"}.get(self.part, "năm") + f" {self.year}"

    @property
    def summary_kind(self) -> str:
        """What the summary of this period is called, as the guidance words it: a review of the first half
        ("Sơ kết"), the results of the second half ("Kết quả"), the year's final review ("Tổng kết")."""
        return {1: "Sơ kết", 2: "Kết quả"}.get(self.part, "Tổng kết")

    @property
    def summary_title(self) -> str:
        """"Báo cáo sơ kết 6 tháng đầu năm 2024", "Báo cáo tổng kết năm 2024"… (file and window titles)."""
        return f"Báo cáo {self.summary_kind.lower()} {self.title}"


_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:\s*-\s*[Hh]([12]))?\s*$")
_MMDD_RE = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def _mmdd(text: str, year: int, key: str) -> dt.date:
    m = _MMDD_RE.match(str(text).strip())
    if not m:
        raise PeriodError("period.cutoff_invalid", key=key, value=text)
    try:
        return dt.date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        if (int(m.group(1)), int(m.group(2))) == (2, 29):  # 29/02 in a common year
            return dt.date(year, 2, 28)
        raise PeriodError("period.cutoff_invalid", key=key, value=text) from None


def parse_period(text: str, *, h1_start: str = "01-01", h1_end: str = "06-30") -> Period:
    """Parse ``"2024-H1"`` (first half), ``"2024-H2"`` (second half) or ``"2024"`` (whole year) with the given
    cut-offs (``MM-DD``). The second half runs from the day after the first half to the day before the next
    year's first half starts.

    Raises PeriodError("period.invalid") for any other text, ("period.cutoff_invalid") for bad cut-offs.
    """
    m = _PERIOD_RE.match(text or "")
    if not m or not 1900 <= int(m.group(1)) <= 2999:
        raise PeriodError("period.invalid", value=text)
    year = int(m.group(1))
    start = _mmdd(h1_start, year, "h1_start")
    end = _mmdd(h1_end, year, "h1_end")
    if start > end:  # e.g. 15/12 of the previous year .. 14/06
        start = _mmdd(h1_start, year - 1, "h1_start")
    next_start = _mmdd(h1_start, year + (1 if start.year == year else 0), "h1_start")
    year_end = next_start - dt.timedelta(days=1)
    part = int(m.group(2) or 0)
    if part == 1:
        return Period(year, 1, start, end, start)
    if part == 2:
        return Period(year, 2, end + dt.timedelta(days=1), year_end, start)
    return Period(year, 0, start, year_end, start)


def period_from_settings(text: str) -> Period:
    """:func:`parse_period` with the cut-offs stored in the database settings."""
    return parse_period(text, h1_start=str(settings.get("h1_start")), h1_end=str(settings.get("h1_end")))


@dataclass(frozen=True)
class OrgFigures:
    """One row of the totals table (an organisation, or the total row with ``org_id`` 0)."""

    org_id: int
    uid: str
    code: str
    name: str
    school_name: str
    annual_target: int = 0
    in_training: int = 0
    sent_to_class: int = 0
    with_resolution: int = 0
    awaiting_ceremony: int = 0
    admitted: int = 0
    admitted_women: int = 0
    admitted_minority: int = 0
    admitted_religion: int = 0
    admitted_union: int = 0
    cumulative: int = 0
    recognised: int = 0
    transferred: int = 0
    admitted_in_year: int = 0
    target_met: bool = False
    notes: str = ""

    COUNTS = ("annual_target", "in_training", "sent_to_class", "with_resolution", "awaiting_ceremony",
              "admitted", "admitted_women", "admitted_minority", "admitted_religion", "admitted_union",
              "cumulative", "recognised", "transferred", "admitted_in_year")

    def any_figure(self) -> bool:
        return any(getattr(self, f) for f in self.COUNTS if f != "annual_target")


@dataclass(frozen=True)
class AdmittedStudent:
    """One line of the named list (students admitted in the period)."""

    candidate_id: int
    uid: str
    full_name: str
    birth: dt.date
    gender: str  # "nam" | "nu"
    gender_name: str
    ethnic: str
    ethnic_name: str
    religion: str
    religion_name: str
    class_name: str
    org_code: str
    org_name: str
    decision_no: str
    decision_date: dt.date | None
    ceremony_date: dt.date
    probation_end: dt.date


@dataclass(frozen=True)
class DocumentHeader:
    """What the 36-HD/VPTW header and the signature block show."""

    upper_body: str
    issuer: str
    doc_number: str
    place: str
    report_date: dt.date
    signer_role: str
    signer_name: str
    plan_start: dt.date
    plan_number: str = ""

    @property
    def place_date(self) -> str:
        """"Nam Ban, ngày 03 tháng 7 năm 2024": day with two digits, months 1–2 with a leading zero. Without a
        place (none was ever typed) the line leaves dots to write it in by hand, never a guessed name."""
        d = self.report_date
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
        return f"{self.place or '…………'}, ngày {d.day:02d} tháng {month} năm {d.year}"

    @property
    def cumulative_basis(self) -> str:
        """What the cumulative total counts from, and why: "lũy kế từ ngày 14/06/2023 theo Kế hoạch số 88-KH/HU
        ngày 14/06/2023" (the plan's number and date from the settings)."""
        start = self.plan_start.strftime("%d/%m/%Y")
        if self.plan_number:
            return f"lũy kế từ ngày {start} theo Kế hoạch số {self.plan_number} ngày {start}"
        return f"lũy kế từ ngày {start}, ngày bắt đầu kế hoạch"


@dataclass(frozen=True)
class ReturnData:
    """Everything a return shows, plus the machine-readable payload for consolidation."""

    period: Period
    header: DocumentHeader
    organisations: list[OrgFigures]
    total: OrgFigures
    students: list[AdmittedStudent]
    org_code: str | None = None
    payload: Any = None  # consolidation.ReturnPayload
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def targets_met(self) -> int:
        return sum(1 for o in self.organisations if o.target_met)


# ------------------------------------------------------------------------------------------ queries

_TERMINAL = (EventKind.TRANSFER, EventKind.NOT_ADMITTED, EventKind.REMOVED)
_FAR = "9999-12-31"

def _passed_sql() -> str:
    """1 when a vote passed: its recorded ``passed``, else the 2/3 rule on its recorded figures."""
    passed = dialect.json_flag("e.data", "passed")
    members = f"CAST({dialect.json_text('e.data', 'members')} AS INTEGER)"
    agree = f"CAST({dialect.json_text('e.data', 'agree')} AS INTEGER)"
    return f"""(CASE WHEN {passed} = 'true' THEN 1
      WHEN {passed} = 'false' THEN 0
      WHEN {members} >= 3 AND {agree} * 3 >= {members} * 2 THEN 1
      ELSE 0 END)"""


def _figures_sql() -> str:
    """The per-organisation figures in one query, portable between SQLite and PostgreSQL: conditions are
    counted with CASE (never a boolean summed), the smaller date through ``dialect.least``."""
    decided = dialect.least(f"COALESCE(ev.decision_on, '{_FAR}')", f"COALESCE(cer.decision_date, '{_FAR}')")
    return dialect.named(f"""
WITH ev AS (
  SELECT e.candidate_id AS cid,
         MIN(e."on") AS first_on,
         MIN(CASE WHEN e.kind = 'decision' THEN e."on" END) AS decision_on,
         MIN(CASE WHEN e.kind IN ('transfer', 'not_admitted', 'removed') THEN e."on" END) AS terminal_on,
         MAX(CASE WHEN e.kind = 'class' AND e."on" BETWEEN :s AND :e THEN 1 ELSE 0 END) AS class_in,
         MAX(CASE WHEN e.kind = 'vote' AND e."on" BETWEEN :s AND :e THEN {_passed_sql()} ELSE 0 END) AS vote_in,
         MAX(CASE WHEN e.kind = 'recognition' AND e."on" BETWEEN :s AND :e THEN 1 ELSE 0 END) AS rec_in,
         MAX(CASE WHEN e.kind = 'transfer' AND e."on" BETWEEN :s AND :e THEN 1 ELSE 0 END) AS transfer_in
  FROM event e
  GROUP BY e.candidate_id
),
cer AS (
  SELECT cc.candidate_id AS cid, MIN(c.decision_date) AS decision_date
  FROM ceremony_candidate cc JOIN ceremony c ON c.id = cc.ceremony_id
  GROUP BY cc.candidate_id
),
x AS (
  SELECT c.organisation_id AS org, c.gender, c.ethnic, c.religion, c.union_since, c.admitted_on,
         ev.first_on, ev.class_in, ev.vote_in, ev.rec_in, ev.transfer_in,
         COALESCE(ev.terminal_on, '{_FAR}') AS terminal_on,
         {decided} AS decided_on,
         CASE WHEN c.admitted_on BETWEEN :s AND :e THEN 1 ELSE 0 END AS adm
  FROM candidate c
  LEFT JOIN ev ON ev.cid = c.id
  LEFT JOIN cer ON cer.cid = c.id
  WHERE (CAST(:org AS INTEGER) IS NULL OR c.organisation_id = CAST(:org AS INTEGER))
)
SELECT org,
  SUM(CASE WHEN first_on IS NOT NULL AND first_on <= :e AND decided_on > :e AND terminal_on > :e
      AND COALESCE(admitted_on, '{_FAR}') > :e THEN 1 ELSE 0 END),
  SUM(COALESCE(class_in, 0)),
  SUM(COALESCE(vote_in, 0)),
  SUM(CASE WHEN decided_on <= :e AND COALESCE(admitted_on, '{_FAR}') > :e AND terminal_on > :e THEN 1 ELSE 0 END),
  SUM(adm),
  SUM(CASE WHEN adm = 1 AND gender = 'nu' THEN 1 ELSE 0 END),
  SUM(CASE WHEN adm = 1 AND ethnic NOT IN ('01', '1', '') THEN 1 ELSE 0 END),
  SUM(CASE WHEN adm = 1 AND religion NOT IN ('00', '0', '') THEN 1 ELSE 0 END),
  SUM(CASE WHEN adm = 1 AND union_since IS NOT NULL AND union_since <= admitted_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN admitted_on BETWEEN :plan AND :e THEN 1 ELSE 0 END),
  SUM(COALESCE(rec_in, 0)),
  SUM(COALESCE(transfer_in, 0)),
  SUM(CASE WHEN admitted_on BETWEEN :ys AND :e THEN 1 ELSE 0 END)
FROM x
GROUP BY org
""")


_FIGURE_COLUMNS = ("in_training", "sent_to_class", "with_resolution", "awaiting_ceremony", "admitted",
                   "admitted_women", "admitted_minority", "admitted_religion", "admitted_union", "cumulative",
                   "recognised", "transferred", "admitted_in_year")


def _students_sql() -> str:
    """The students admitted in the period, with the number of their newest decision."""
    return dialect.named(f"""
SELECT c.id, c.uid, c.full_name, c.birth, c.gender, c.ethnic, c.religion, c.class_name, c.admitted_on,
       o.code, o.name, cer.decision_no, cer.decision_date, d.number, d.d_on
FROM candidate c
JOIN organisation o ON o.id = c.organisation_id
LEFT JOIN ceremony_candidate cc ON cc.candidate_id = c.id
LEFT JOIN ceremony cer ON cer.id = cc.ceremony_id
LEFT JOIN (
  SELECT e.candidate_id AS cid, e."on" AS d_on, {dialect.json_text('e.data', 'number')} AS number
  FROM event e JOIN candidate c2 ON c2.id = e.candidate_id
  WHERE e.kind = 'decision' AND c2.admitted_on BETWEEN :s AND :e
    AND e.id = (SELECT e2.id FROM event e2 WHERE e2.candidate_id = e.candidate_id AND e2.kind = 'decision'
                ORDER BY e2."on" DESC, e2.id DESC LIMIT 1)
) d ON d.cid = c.id
WHERE c.admitted_on BETWEEN :s AND :e AND (CAST(:org AS INTEGER) IS NULL OR c.organisation_id = CAST(:org AS INTEGER))
ORDER BY c.sort_key, c.id
""")


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _year_start(period: Period) -> dt.date:
    """First day of the reporting year that contains ``period`` (the whole-year period's start)."""
    return period.year_start


def report_place(orgs: Sequence[Organisation], committee: repo.CommitteeRow | None) -> str:
    """The place of the dated line: the organisation's own (one organisation, or several sharing one), else its
    upper committee's, else the committee in force; "" when nobody typed one (never a default)."""
    places = {str(o.place or "").strip() for o in orgs}
    if len(places) == 1 and "" not in places:
        return places.pop()
    if len(orgs) == 1 and orgs[0].upper_committee_id is not None:
        own = UpperCommittee.get_or_none(UpperCommittee.id == orgs[0].upper_committee_id)
        if own is not None and str(own.place or "").strip():
            return str(own.place).strip()
    return str(committee.place or "").strip() if committee is not None else ""


def _header(orgs: Sequence[Organisation], period: Period, report_date: dt.date) -> DocumentHeader:
    committee = repo.committee_in_force(report_date) or repo.committee_in_force(period.end)
    issuer = str(settings.get("issuer") or "").strip()
    if not issuer:
        issuer = orgs[0].name if len(orgs) == 1 else "Ban Tổ chức"
    number = str(settings.get("report_number") or "").strip()
    # The signer named in the settings, else the secretary of the organisation the return covers.
    signer = str(settings.get("signer_name") or "").strip()
    if not signer and len(orgs) == 1:
        signer = str(orgs[0].secretary or "").strip()
    return DocumentHeader(
        upper_body=(committee.name if committee else "").upper(),
        issuer=issuer.upper(),
        doc_number=f"Số {number}" if number and not number.lower().startswith("số") else number,
        place=report_place(orgs, committee),
        report_date=report_date,
        signer_role=str(settings.get("signer_role") or ""),
        signer_name=signer,
        plan_start=settings.get_date("plan_start"),
        plan_number=str(settings.get("plan_number") or "").strip(),
    )


def _names(items: Sequence[codelists.CodeItem]) -> dict[str, str]:
    return {i.code: i.name for i in items}


def collect(period: Period, *, org_code: str | None = None, report_date: dt.date | None = None,
            with_payload: bool = True) -> ReturnData:
    """The figures, the named list and the header of a return for ``period``.

    ``org_code`` restricts the return to one organisation (case-insensitive); an unknown code raises
    ReportError("report.unknown_org"). ``report_date`` (default today) dates the header.
    """
    report_date = report_date or dt.date.today()
    org_filter: int | None = None
    if org_code:
        row = repo.organisation_by_code(org_code)
        if row is None:
            raise ReportError("report.unknown_org", org=org_code)
        org_filter = row.id
    plan_start = settings.get_date("plan_start")
    params = {"s": period.start.isoformat(), "e": period.end.isoformat(), "org": org_filter,
              "plan": plan_start.isoformat(), "ys": _year_start(period).isoformat()}
    with dialect.snapshot():  # one consistent state of the data for every query
        figures = {int(r[0]): [int(v or 0) for v in r[1:]]
                   for r in raw(database).execute_sql(_figures_sql(), params).fetchall()}
        q = Organisation.select()
        if org_filter is not None:
            q = q.where(Organisation.id == org_filter)
        orgs = [o for o in q if org_filter is not None or o.active or any(figures.get(o.id, []))]
        orgs.sort(key=lambda o: (people.search_key(o.school_name), o.code))
        student_rows = raw(database).execute_sql(_students_sql(), params).fetchall()
        payload = None
        if with_payload:
            from lamha_desktop.storage import consolidation

            payload = consolidation.export_payload(
                period_code=period.code, org_ids=[o.id for o in orgs], candidate_ids=[int(r[0]) for r in student_rows])
        header = _header(orgs, period, report_date)

    rows: list[OrgFigures] = []
    for o in orgs:
        values: dict[str, Any] = dict(zip(_FIGURE_COLUMNS, figures.get(o.id, [0] * len(_FIGURE_COLUMNS)), strict=True))
        target = int(o.annual_target or 0)
        rows.append(OrgFigures(o.id, o.uid, o.code, o.name, o.school_name, annual_target=target,
                               target_met=values["admitted_in_year"] >= target, **values))
    total_values = {f: sum(getattr(r, f) for r in rows) for f in OrgFigures.COUNTS}
    total = OrgFigures(0, "", "", "Tổng cộng", "Tổng cộng", **total_values,
                       target_met=bool(rows) and all(r.target_met for r in rows))

    ethnic_names = _names(codelists.ethnic_groups())
    religion_names = _names(codelists.religions())
    students: list[AdmittedStudent] = []
    for (cid, uid, name, birth, gender, ethnic, religion, class_name, admitted_on, code, org_name,
         cer_no, cer_date, ev_no, ev_date) in student_rows:
        ceremony = _date(admitted_on)
        assert ceremony is not None
        students.append(AdmittedStudent(
            candidate_id=int(cid), uid=uid, full_name=name, birth=_date(birth) or dt.date.min, gender=gender,
            gender_name={"nam": "Nam", "nu": "Nữ"}.get(gender, gender), ethnic=ethnic,
            ethnic_name=ethnic_names.get(ethnic, ethnic), religion=religion,
            religion_name=religion_names.get(religion, religion), class_name=class_name or "", org_code=code,
            org_name=org_name, decision_no=str(cer_no or ev_no or ""), decision_date=_date(cer_date or ev_date),
            ceremony_date=ceremony, probation_end=rules.probation_end(ceremony)))
    return ReturnData(period=period, header=header, organisations=rows, total=total, students=students,
                      org_code=org_code.upper() if org_code else None, payload=payload)


def figures_as_dict(row: OrgFigures) -> dict[str, Any]:
    """The row as a plain dict (field name -> value), for templates."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def with_notes(data: ReturnData, notes: dict[str, str]) -> ReturnData:
    """A copy of ``data`` with notes (by organisation code) on the totals rows."""
    return replace(data, organisations=[replace(o, notes=notes.get(o.code, o.notes)) for o in data.organisations])

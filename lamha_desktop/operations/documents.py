"""The paperwork's writes: the facts a document needs, stored once with the step they belong to, and numbers.

Writing a document is reading (``storage.document_data`` + ``reports.documents.assemble``); what it writes is
what the clerk typed for it and the number it was given:

* :func:`save_facts` stores the facts of a student's document (the attendance of the meeting, the chair, an
  introducer's admission date…) in the data of the steps that hold them (``assemble.FACTS``), and the
  document's number with its home step; a step not recorded yet cannot hold them (``document.step_missing``);
* :func:`take_number` gives an organisation's letter (``de-nghi-hoc-lop``) its number;
* :func:`set_counter` sets a series' counter by hand.

Numbers run per organisation, series ("NQ/CB") and year (``DocumentCounter``). A number given, whether the
next one or one typed by hand, moves the counter up to it and never down, so a number given outside the
application is not given again; a number another document of that year already has is a warning
(``document.number_taken``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from lamha_desktop.domain import docnumber, meeting
from lamha_desktop.domain.pipeline import as_date
from lamha_desktop.operations import steps
from lamha_desktop.operations.core import NeedsConfirmation, OpChanges, Problem, Refused, Tx, operation, writing
from lamha_desktop.reports.documents import KINDS, assemble
from lamha_desktop.storage import document_data, writers

__all__ = ["clean_value", "save_facts", "set_counter", "take_number"]


def clean_value(spec: assemble.FactSpec, value: Any) -> tuple[Any, Problem | None]:
    """A typed value as it is stored (None: remove the fact), or the problem with it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    where = spec.name
    if spec.kind in ("text", "long"):
        text = str(value).replace("\r\n", "\n").strip()
        return (" ".join(text.split()) if spec.kind == "text" else text), None
    if spec.kind == "count":
        if isinstance(value, bool) or not str(value).strip().isdigit():
            return None, Problem("fact.count_invalid", {"field": where, "value": value}, field=where)
        return int(str(value).strip()), None
    if spec.kind == "date":
        day = value if isinstance(value, dt.date) else as_date(value)
        if day is None:
            return None, Problem("fact.date_invalid", {"field": where, "value": value}, field=where)
        return day.isoformat(), None
    if spec.kind == "time":
        t = value if isinstance(value, dt.time) else meeting.parse_time(str(value))
        if t is None:
            return None, Problem("meeting.time_invalid", {"field": where, "value": value}, field=where)
        return meeting.format_time(t), None
    if spec.kind == "method":
        if value not in meeting.METHODS:
            return None, Problem("meeting.method_invalid", {"method": value}, field=where)
        return value, None
    return value, None


# The fact a problem of a step's facts is shown beside (the others are shown for the document as a whole).
_FIELD_OF_CODE = {"meeting.attendance_invalid": "official_present", "meeting.votes_over_present": "official_present",
                  "meeting.committee_invalid": "present", "opinions.counts_invalid": "asked",
                  "meeting.method_invalid": "method"}


def _field_of(code: str, params: Mapping[str, Any], holder: str) -> str:
    if code == "meeting.number_invalid":
        return "number"
    key = _FIELD_OF_CODE.get(code) or (str(params.get("field", "")) if code in (
        "meeting.time_invalid", "fact.count_invalid", "fact.date_invalid", "step.future") else "")
    return f"{holder}.{key}" if key else ""


def _parse_number(text: str, plan: assemble.NumberPlan) -> tuple[int | None, Problem | None]:
    parsed = docnumber.parse_document_number(text)
    if parsed is None:
        return None, Problem("meeting.number_invalid", {"number": text}, field="number")
    if f"{parsed.doc_type}/{parsed.issuer}" != plan.series:
        return None, Problem("document.number_series", {"number": text, "series": plan.series}, field="number")
    return parsed.counter, None


def _taken(organisation_id: int, number: str, year: int, event_id: int | None) -> list[Problem]:
    found = document_data.number_holders(organisation_id, number, year, exclude_event=event_id)
    return [Problem("document.number_taken", {"number": number, "name": name}, field="number", severity="warning")
            for name in found]


@operation
def save_facts(candidate_id: int, kind: str, values: Mapping[str, Any], *, event_id: int | None = None,
               number: str | None = None, accept: Sequence[str] = (), today: dt.date | None = None) -> OpChanges:
    """Store what a student's document ``kind`` needs: ``values`` by fact name ("vote.chair", see
    ``assemble.FACTS``; None or "" removes a fact), and ``number`` ("05-NQ/CB", or "" to give the next one)
    with the home step. ``event_id`` picks the introducer of a ``giay-gioi-thieu``.

    ``OpChanges.result`` is the document's number after the change (None without one). Everything is read in
    the transaction that writes: on a shared server two clerks giving the next number at once never give the
    same one (the second transaction is run again and reads the first one's counter).
    """
    today = today or dt.date.today()
    with writing(today=today) as tx:
        return _save_facts(tx, candidate_id, kind, values, event_id=event_id, number=number, accept=accept,
                           today=today)


def _save_facts(tx: Tx, candidate_id: int, kind: str, values: Mapping[str, Any], *, event_id: int | None,
                number: str | None, accept: Sequence[str], today: dt.date) -> OpChanges:
    source = document_data.candidate_source(candidate_id)
    prepared = assemble.candidate_document(kind, source, event_id=event_id)
    facts = {f.spec.name: f for f in prepared.facts}
    steps_by_id = {s.id: s for s in source.steps if s.id is not None}
    changed: dict[int, dict[str, Any]] = {}
    problems: list[Problem] = []
    for name, value in values.items():
        fact = facts.get(name)
        if fact is None:
            problems.append(Problem("document.fact_unknown", {"name": name, "kind": kind}, field=name))
            continue
        clean, problem = clean_value(fact.spec, value)
        if problem is not None:
            problems.append(problem)
            continue
        if clean == fact.value or (clean is None and fact.value in (None, "")):
            continue
        if fact.event_id is None:
            problems.append(Problem("document.step_missing", {"step": fact.spec.holder}, field=name))
            continue
        data = changed.setdefault(fact.event_id, dict(steps_by_id[fact.event_id].data))
        if clean is None:
            data.pop(fact.spec.key, None)
        else:
            data[fact.spec.key] = clean
    plan = prepared.number
    given: tuple[int, str] | None = None
    warnings: list[Problem] = []
    if number is not None:
        if plan is None:
            problems.append(Problem("document.no_number", {"kind": kind}, field="number"))
        elif plan.event_id is None:
            problems.append(Problem("document.step_missing", {"step": prepared.home}, field="number"))
        else:
            counter, problem = (_parse_number(number, plan) if number.strip()
                                else (document_data.next_number(prepared.organisation_id, plan.series, plan.year),
                                      None))
            if problem is not None:
                problems.append(problem)
            elif counter is not None:
                text = plan.text(counter)
                given = (counter, text)
                if text != plan.stored:
                    data = changed.setdefault(plan.event_id, dict(steps_by_id[plan.event_id].data))
                    data[plan.key] = text
                    warnings += _taken(prepared.organisation_id, text, plan.year, plan.event_id)
    for eid, data in changed.items():
        step = steps_by_id[eid]
        holder = str(data.get("item")) if step.kind == "dossier" else step.kind
        problems += [Problem.of(i, candidate_id=candidate_id, field_name=_field_of(i.code, i.params, holder))
                     for i in steps.check(candidate_id, step.kind, step.on, data, event_id=eid, today=today)
                     if i.severity == "error"]
    if problems:
        raise Refused(problems)
    if [w for w in warnings if w.code not in accept]:
        raise NeedsConfirmation(warnings)
    for eid, data in changed.items():
        writers.update_event(eid, steps_by_id[eid].on, data)
    if given is not None and plan is not None:
        writers.bump_counter(prepared.organisation_id, plan.series, plan.year, given[0])
    tx.touch(candidate_id)
    result = given[1] if given is not None else (plan.stored if plan is not None else None)
    return OpChanges("document.facts", candidates=frozenset({candidate_id}) if changed else frozenset(),
                     result=result)


@operation
def take_number(organisation_id: int, kind: str, signed_on: dt.date, *, number: str = "",
                accept: Sequence[str] = (), today: dt.date | None = None) -> OpChanges:
    """Give an organisation's document (``de-nghi-hoc-lop``) dated ``signed_on`` its number: ``number`` typed by
    hand, or the next one when empty. ``OpChanges.result`` is the number ("03-CV/CB")."""
    source = document_data.class_source(organisation_id, ())
    plan = assemble.class_document(source, signed_on=signed_on).number
    if plan is None or KINDS[kind].scope != "org":
        raise Refused([Problem("document.no_number", {"kind": kind}, field="number")])
    counter: int | None = None
    if number.strip():
        counter, problem = _parse_number(number, plan)
        if problem is not None:
            raise Refused([problem])
    with writing(today=today):
        if counter is None:  # the next one, read where it is taken (two clerks at once: see save_facts)
            counter = document_data.next_number(organisation_id, plan.series, plan.year)
        writers.bump_counter(organisation_id, plan.series, plan.year, counter)
    return OpChanges("document.number", result=plan.text(counter))


@operation
def set_counter(organisation_id: int, series: str, year: int, last: int, *, today: dt.date | None = None
                ) -> OpChanges:
    """Set a series' counter by hand: the next document of ``series`` in ``year`` takes ``last + 1``."""
    problems: list[Problem] = []
    if last < 0:
        problems.append(Problem("fact.count_invalid", {"field": "last", "value": last}, field="last"))
    parts = series.split("/")
    valid = len(parts) == 2
    if valid:
        try:
            docnumber.document_number(1, parts[0], parts[1])
        except ValueError:
            valid = False
    if not valid:
        problems.append(Problem("document.series_invalid", {"series": series}, field="series"))
    if problems:
        raise Refused(problems)
    with writing(today=today):
        writers.set_counter(organisation_id, series, year, last)
    return OpChanges("document.counter")

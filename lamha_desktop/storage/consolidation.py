"""District consolidation: what a return carries for machines, and merging it into another database.

A return written by this application carries, in a hidden sheet, a :class:`ReturnPayload`: the
organisations of the return, the students on its named list (admitted in the period), their ceremonies and
the pipeline events needed to derive their stage (class, vote, đảng ủy, decision, recognition, transfer,
not admitted, removed — not the dossier items, which name other people). Nothing about candidates not yet
admitted leaves the school (DOMAIN.md §6: collect only what is needed).

Merging (:func:`import_payload`), in one transaction, trusting nothing in the file: every incoming value is
checked like a typed one (the same text rules, ID format, numbers, dates), and every student's history after
the merge must obey the rules (``domain.invariants``). What fails is refused and listed with its reasons
(:class:`Refusal`); the rest lands.

* Organisations are matched by ``uid``, then by ``code``. A local organisation is never overwritten by a file:
  a match whose values differ, or a code already used by another organisation, is an :class:`OrgConflict`
  left for the user (``resolutions["org:<uid>"]``: ``"replace"`` takes the file's values, ``"keep"`` keeps
  the local ones; for a taken code both mean "the same organisation"). Without a resolution, a changed
  organisation keeps its local values and its students still land; the students of a taken code are refused.
* Ceremonies by ``uid``; students by ``uid``, then by personal ID. A personal-ID match whose identity
  (full name, date of birth, gender) differs from the file is a :class:`Conflict` and is left alone until
  the user decides: ``"replace"`` overwrites the local record with the file's (and adopts its uid, so the
  next import matches directly), ``"keep"`` leaves it as it is.
* Events are matched by (student, kind, date) and updated, never duplicated; local events are kept. A vote
  whose number of official members differs from this database's record of the organisation keeps the
  school's number as a correction whose reason names the return.

Re-importing the same or an updated return therefore updates records and creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import peewee

from lamha_desktop.domain import codelists, meeting, people, validation
from lamha_desktop.domain.pipeline import EventKind
from lamha_desktop.storage import repo, writers
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import AuditLog, Candidate, Ceremony, CeremonyCandidate, Event, Organisation

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Conflict",
    "ImportResult",
    "OrgConflict",
    "Refusal",
    "ReturnPayload",
    "export_payload",
    "import_payload",
]

FORMAT: Final = "lamha-return"
FORMAT_VERSION: Final = 1
CARRIED_EVENTS: Final = frozenset({EventKind.SOURCE, EventKind.CLASS, EventKind.DOSSIER, EventKind.VOTE,
                                   EventKind.DANG_UY, EventKind.DECISION, EventKind.RECOGNITION, EventKind.TRANSFER,
                                   EventKind.NOT_ADMITTED, EventKind.REMOVED})
# What leaves the school of a step: never the names of other people (an introducer, a helper).
# Names and personal dates of party members (helpers, introducers, a meeting's chair…) stay on this machine.
_PRIVATE_DATA: Final = frozenset({"member", "helper"}) | meeting.PERSONAL_KEYS
# Dossier checks a return from an older version cannot support (it carried no dossier items).
_DOSSIER_CODES: Final = frozenset({"vote.missing_dossier", "vote.no_introduction", "vote.introducer_short"})
ORG_FIELDS: Final = ("uid", "code", "school_name", "name", "kind", "official_members", "secretary", "annual_target")
STUDENT_FIELDS: Final = ("uid", "org_uid", "full_name", "gender", "birth", "ethnic", "religion", "personal_id",
                         "class_name", "union_since", "graduation_year", "ceremony_uid")
CEREMONY_FIELDS: Final = ("uid", "org_uid", "on", "place", "decision_no", "decision_date", "decision_received")
IDENTITY: Final = ("full_name", "birth", "gender")


class ConsolidationError(Exception):
    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class ReturnPayload:
    """The machine-readable content of a return; dates are ISO strings, every value JSON-safe."""

    period: str
    exported_at: str
    organisations: list[dict[str, Any]] = field(default_factory=list)
    ceremonies: list[dict[str, Any]] = field(default_factory=list)
    students: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # candidate_uid, kind, on, data
    format: str = FORMAT
    version: int = FORMAT_VERSION


@dataclass(frozen=True)
class Conflict:
    """The same personal ID with different identity data in the file and in this database."""

    uid: str  # the file's student uid: the key of a resolution
    personal_id: str
    candidate_id: int
    local: Mapping[str, Any]
    incoming: Mapping[str, Any]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class OrgConflict:
    """An organisation of the file that would overwrite a local one: ``kind`` "changed" (the same uid, other
    values) or "code_taken" (another local organisation has its code)."""

    uid: str  # the file's organisation uid: the key of a resolution is "org:" + uid
    code: str
    kind: str
    organisation_id: int
    local: Mapping[str, Any]
    incoming: Mapping[str, Any]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Refusal:
    """A record of the file that was not imported, with every reason (catalogue codes and parameters)."""

    what: str  # organisation | ceremony | student | event
    key: str  # the file's uid, or the record's position
    name: str
    reasons: tuple[tuple[str, Mapping[str, Any]], ...]


@dataclass
class ImportResult:
    organisations_created: int = 0
    organisations_updated: int = 0
    students_created: int = 0
    students_updated: int = 0
    students_unchanged: int = 0
    ceremonies_created: int = 0
    events_created: int = 0
    replaced: int = 0
    kept: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    org_conflicts: list[OrgConflict] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    touched: list[int] = field(default_factory=list)  # ids of the local students created or updated


# ---------------------------------------------------------------------------------------------- export


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield list(ids[i:i + size])


def export_payload(*, period_code: str, org_ids: Sequence[int], candidate_ids: Sequence[int]) -> ReturnPayload:
    """The payload of a return over ``org_ids`` listing the students ``candidate_ids`` (bulk queries)."""
    payload = ReturnPayload(period=period_code, exported_at=dt.datetime.now().isoformat(timespec="seconds"))
    org_uid: dict[int, str] = {}
    wanted_orgs = set(org_ids)
    students: list[Candidate] = []
    for chunk in _chunks(candidate_ids):
        students.extend(Candidate.select().where(Candidate.id.in_(chunk)))
    wanted_orgs |= {c.organisation_id for c in students}
    for chunk in _chunks(sorted(wanted_orgs)):
        for o in Organisation.select().where(Organisation.id.in_(chunk)):
            org_uid[o.id] = o.uid
            payload.organisations.append({f: getattr(o, f) for f in ORG_FIELDS})
    cer_of: dict[int, str] = {}
    seen_ceremonies: set[int] = set()
    uid_of = {c.id: c.uid for c in students}
    for chunk in _chunks(candidate_ids):
        q = (CeremonyCandidate.select(CeremonyCandidate.candidate, Ceremony).join(Ceremony)
             .where(CeremonyCandidate.candidate.in_(chunk)))
        for link in q:
            cer = link.ceremony
            cer_of[link.candidate_id] = cer.uid
            if cer.id not in seen_ceremonies:
                seen_ceremonies.add(cer.id)
                payload.ceremonies.append({
                    "uid": cer.uid, "org_uid": org_uid.get(cer.organisation_id, ""), "on": _iso(cer.on),
                    "place": cer.place, "decision_no": cer.decision_no, "decision_date": _iso(cer.decision_date),
                    "decision_received": _iso(cer.decision_received)})
        q2 = (Event.select(Event.candidate, Event.kind, Event.on, Event.data)
              .where(Event.candidate.in_(chunk) & Event.kind.in_(sorted(CARRIED_EVENTS)))
              .order_by(Event.candidate, Event.on, Event.id))
        for ev in q2:
            data = {k: v for k, v in (ev.data or {}).items() if k not in _PRIVATE_DATA}
            payload.events.append({"candidate_uid": uid_of[ev.candidate_id], "kind": ev.kind, "on": _iso(ev.on),
                                   "data": data})
    for c in students:
        payload.students.append({
            "uid": c.uid, "org_uid": org_uid[c.organisation_id], "full_name": c.full_name, "gender": c.gender,
            "birth": _iso(c.birth), "ethnic": c.ethnic, "religion": c.religion, "personal_id": c.personal_id,
            "class_name": c.class_name, "union_since": _iso(c.union_since), "graduation_year": c.graduation_year,
            "ceremony_uid": cer_of.get(c.id)})
    return payload


# ---------------------------------------------------------------------------------------------- import


class _Refuse(Exception):
    """One record refused: its reasons."""

    def __init__(self, *reasons: tuple[str, Mapping[str, Any]]) -> None:
        super().__init__([r[0] for r in reasons])
        self.reasons = reasons


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(rec: Mapping[str, Any], key: str, *, required: bool = False, limit: int = 500) -> str:
    """A text field of the file: a string (a number is accepted as its digits), NFC, trimmed; refused when
    required and empty, too long, or not text at all."""
    value = rec.get(key)
    if value is None or value == "":
        if required:
            raise _Refuse(("return.value_missing", {"field": key}))
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Refuse(("return.value_invalid", {"field": key, "value": str(value)[:40]}))
    text = people.normalize_text(str(value))
    if len(text) > limit:
        raise _Refuse(("return.value_too_long", {"field": key, "limit": limit}))
    if text[:1] in "=+-@" and key not in ("personal_id",):  # never a formula, wherever it is shown again
        raise _Refuse(("return.value_formula", {"field": key, "value": text[:40]}))
    return text


def _count(rec: Mapping[str, Any], key: str, *, maximum: int = 100_000) -> int:
    value = rec.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise _Refuse(("return.value_invalid", {"field": key, "value": str(value)[:40]}))
    number = int(str(value).strip())
    if number > maximum:
        raise _Refuse(("return.value_invalid", {"field": key, "value": str(value)[:40]}))
    return number


def _org_values(rec: Mapping[str, Any]) -> dict[str, Any]:
    """The organisation's values, checked like the organisation form's; raises _Refuse."""
    values: dict[str, Any] = {
        "code": _text(rec, "code", required=True, limit=16).upper(),
        "school_name": _text(rec, "school_name", required=True),
        "name": _text(rec, "name", required=True),
        "kind": str(rec.get("kind") or ""),
        "official_members": _count(rec, "official_members", maximum=10_000),
        "secretary": _text(rec, "secretary"),
        "annual_target": _count(rec, "annual_target", maximum=1_000),
    }
    if values["kind"] not in repo.ORG_KINDS:
        raise _Refuse(("org.kind_invalid", {}))
    if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in values["code"]):
        raise _Refuse(("org.code_format", {}))
    return values


def _student_values(rec: Mapping[str, Any], org_id: int, today: dt.date) -> dict[str, Any]:
    """The student's values, checked like the candidate form's (name, gender, birth, ID, codes); raises
    _Refuse with every problem at once."""
    name = _text(rec, "full_name", required=True)
    birth = _date(rec.get("birth"))
    gender = {"nu": "nu", "nữ": "nu", "nam": "nam"}.get(str(rec.get("gender", "")).strip().lower(), "")
    pid = validation.normalize_pid(str(rec.get("personal_id") or ""))
    ethnic = str(rec.get("ethnic") or "")
    religion = str(rec.get("religion") or "")
    issues = validation.validate_candidate(full_name=name, gender=gender, birth=birth, personal_id=pid,
                                           ethnic=ethnic, religion=religion, today=today)
    year = rec.get("graduation_year")
    problems = [(i.code, dict(i.params) | {"field": i.field}) for i in issues]
    if year not in (None, "") and not (isinstance(year, int | str) and str(year).isdigit()
                                       and 1950 <= int(year) <= 2100):
        problems.append(("return.value_invalid", {"field": "graduation_year", "value": str(year)[:40]}))
    union = _date(rec.get("union_since"))
    if union is not None and ((birth is not None and union < birth) or union > today):
        problems.append(("return.value_invalid", {"field": "union_since", "value": str(union)}))
    if problems:
        raise _Refuse(*problems)
    ethnic_item = codelists.find_ethnic(ethnic)
    religion_item = codelists.find_religion(religion)
    return {
        "organisation": org_id,
        "full_name": name,
        "search_key": people.search_key(name),
        "sort_key": people.sort_key(name),
        "gender": gender,
        "birth": birth,
        "ethnic": ethnic_item.code if ethnic_item else codelists.KINH,
        "religion": religion_item.code if religion_item else codelists.NO_RELIGION,
        "personal_id": pid,
        "class_name": _text(rec, "class_name"),
        "union_since": union,
        "graduation_year": int(str(year)) if year not in (None, "") else None,
    }


def _differs(c: Candidate, incoming: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(k for k in IDENTITY if getattr(c, k) != incoming[k])


def _local_view(c: Candidate) -> dict[str, Any]:
    return {"full_name": c.full_name, "birth": c.birth, "gender": c.gender,
            "organisation": c.organisation.name if c.organisation_id else "", "class_name": c.class_name}


def _apply_student(c: Candidate, values: Mapping[str, Any]) -> bool:
    changed = False
    for k, v in values.items():
        current = c.organisation_id if k == "organisation" else getattr(c, k)
        if current != v:
            setattr(c, k, v)
            changed = True
    if changed:
        c.updated_at = dt.datetime.now()
        c.save()
    return changed


def _name_of(rec: Any) -> str:
    if isinstance(rec, Mapping):
        return str(rec.get("full_name") or rec.get("name") or rec.get("code") or "")[:80]
    return ""


def import_payload(payload: ReturnPayload, *, resolutions: Mapping[str, str] | None = None,
                   today: dt.date | None = None) -> ImportResult:
    """Merge a return's payload into the open database (one transaction); see the module docstring.

    ``resolutions`` maps a conflicting student's file uid to ``"replace"`` or ``"keep"``, and ``"org:<uid>"``
    of a conflicting organisation likewise; conflicts without a resolution are returned in
    ``ImportResult.conflicts`` / ``org_conflicts``. Records that break a rule are refused and listed in
    ``ImportResult.refused``. Raises ConsolidationError only for a payload that is not a return at all.
    """
    if payload.format != FORMAT:
        raise ConsolidationError("return.not_a_return")
    if not isinstance(payload.version, int) or payload.version > FORMAT_VERSION:
        raise ConsolidationError("return.too_new", version=payload.version, supported=FORMAT_VERSION)
    resolutions = dict(resolutions or {})
    today = today or dt.date.today()
    result = ImportResult()
    touched: set[int] = set()
    with database.atomic():
        org_ids, blocked = _import_organisations(payload, resolutions, result)
        cer_ids = _import_ceremonies(payload, org_ids, result, today)
        events_of = _events_by_uid(payload, result, today)
        for n, rec in enumerate(payload.students, start=1):
            uid = str(rec.get("uid") or "") if isinstance(rec, Mapping) else ""
            try:
                with database.atomic():  # a savepoint: a refused student leaves nothing behind
                    cid = _import_one_student(rec, org_ids, blocked, cer_ids, events_of.get(uid, []),
                                              resolutions, result, today, payload.period)
                if cid is not None:
                    touched.add(cid)
            except _Refuse as exc:
                result.refused.append(Refusal("student", uid or f"#{n}", _name_of(rec), tuple(exc.reasons)))
        if touched:
            writers.refresh_status(sorted(touched))
        result.touched = sorted(touched)
        AuditLog.create(user=repo.audit_user(), table="import_return", row_id=0, action="create", before=None,
                        after={"period": payload.period, "exported_at": payload.exported_at,
                               "organisations": [o.get("code") for o in payload.organisations
                                                 if isinstance(o, Mapping)],
                               "created": result.students_created, "updated": result.students_updated,
                               "conflicts": len(result.conflicts) + len(result.org_conflicts),
                               "refused": len(result.refused)})
    return result


def _org_view(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in ("code", "school_name", "name", "kind", "official_members", "secretary",
                                   "annual_target")}


def _import_organisations(payload: ReturnPayload, resolutions: Mapping[str, str],
                          result: ImportResult) -> tuple[dict[str, int], dict[str, str]]:
    """File uid -> local organisation id (only for organisations whose students may land), and the file uids
    of organisations left in conflict (their code), whose students are refused until the user decides."""
    ids: dict[str, int] = {}
    blocked: dict[str, str] = {}
    for n, rec in enumerate(payload.organisations, start=1):
        try:
            if not isinstance(rec, Mapping):
                raise _Refuse(("return.record_invalid", {"what": "organisation", "row": n}))
            uid = _text(rec, "uid", required=True, limit=64)
            values = _org_values(rec)
        except _Refuse as exc:
            result.refused.append(Refusal("organisation", f"#{n}", _name_of(rec), tuple(exc.reasons)))
            continue
        choice = resolutions.get(f"org:{uid}")
        o = Organisation.get_or_none(Organisation.uid == uid)
        if o is not None:
            local = _org_view(repo.get_organisation(o.id).__dict__)
            differ = tuple(k for k in local if local[k] != values[k])
            if differ and choice == "replace":
                _replace_org(o.id, values)
                result.organisations_updated += 1
            elif differ and choice != "keep":
                result.org_conflicts.append(OrgConflict(uid, values["code"], "changed", int(o.id), local,
                                                        _org_view(values), differ))
            ids[uid] = int(o.id)
            continue
        taken = Organisation.get_or_none(peewee.fn.UPPER(Organisation.code) == values["code"])
        if taken is not None:
            if choice in ("replace", "keep"):  # the same organisation: adopt the file's uid
                Organisation.update(uid=uid).where(Organisation.id == taken.id).execute()
                writers.record_audit("organisation", taken.id, "update", {"uid": taken.uid}, {"uid": uid})
                if choice == "replace":
                    _replace_org(taken.id, values)
                    result.organisations_updated += 1
                ids[uid] = int(taken.id)
            else:
                local = _org_view(repo.get_organisation(taken.id).__dict__)
                blocked[uid] = values["code"]
                result.org_conflicts.append(OrgConflict(uid, values["code"], "code_taken", int(taken.id), local,
                                                        _org_view(values),
                                                        tuple(k for k in local if local[k] != values[k])))
            continue
        try:
            org_id = writers.save_organisation(dict(values))
        except repo.ValidationFailed as exc:
            result.refused.append(Refusal("organisation", uid, values["name"],
                                          tuple((p.code, dict(p.params)) for p in exc.issues)))
            continue
        Organisation.update(uid=uid).where(Organisation.id == org_id).execute()
        writers.add_member_count(org_id, values["official_members"], valid_from=None, reason="")
        result.organisations_created += 1
        ids[uid] = org_id
    return ids, blocked


def _replace_org(org_id: int, values: Mapping[str, Any]) -> None:
    before = repo.get_organisation(org_id)
    writers.save_organisation(dict(values) | {"upper_committee_id": before.upper_committee_id}, org_id)
    if before.official_members != values["official_members"]:
        writers.add_member_count(org_id, values["official_members"], valid_from=dt.date.today(),
                                 reason="Theo báo cáo của trường")


def _import_ceremonies(payload: ReturnPayload, org_ids: Mapping[str, int], result: ImportResult,
                       today: dt.date) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n, rec in enumerate(payload.ceremonies, start=1):
        try:
            if not isinstance(rec, Mapping):
                raise _Refuse(("return.record_invalid", {"what": "ceremony", "row": n}))
            uid = _text(rec, "uid", required=True, limit=64)
            org_id = org_ids.get(str(rec.get("org_uid")))
            on = _date(rec.get("on"))
            if org_id is None:
                raise _Refuse(("return.org_unknown", {"uid": str(rec.get("org_uid"))[:40]}))
            if on is None or on > today:
                raise _Refuse(("return.value_invalid", {"field": "on", "value": str(rec.get("on"))[:40]}))
            ddate, drecv = _date(rec.get("decision_date")), _date(rec.get("decision_received"))
            for name, day in (("decision_date", ddate), ("decision_received", drecv)):
                if day is not None and day > today:
                    raise _Refuse(("return.value_invalid", {"field": name, "value": str(day)}))
            values = {"organisation": org_id, "on": on, "place": _text(rec, "place"),
                      "decision_no": _text(rec, "decision_no", limit=100), "decision_date": ddate,
                      "decision_received": drecv}
        except _Refuse as exc:
            result.refused.append(Refusal("ceremony", f"#{n}", "", tuple(exc.reasons)))
            continue
        cer = Ceremony.get_or_none(Ceremony.uid == uid)
        if cer is None:
            cer = Ceremony.create(uid=uid, **values)
            result.ceremonies_created += 1
        else:
            for k, v in values.items():
                setattr(cer, k, v)
            cer.save()
        ids[uid] = int(cer.id)
    return ids


def _events_by_uid(payload: ReturnPayload, result: ImportResult,
                   today: dt.date) -> dict[str, list[tuple[str, dt.date, dict[str, Any]]]]:
    wanted: dict[str, list[tuple[str, dt.date, dict[str, Any]]]] = {}
    for n, rec in enumerate(payload.events, start=1):
        if not isinstance(rec, Mapping) or rec.get("kind") not in CARRIED_EVENTS:
            result.refused.append(Refusal("event", f"#{n}", "", (("return.record_invalid",
                                                                  {"what": "event", "row": n}),)))
            continue
        on = _date(rec.get("on"))
        data = rec.get("data") or {}
        if on is None or not isinstance(data, Mapping):
            result.refused.append(Refusal("event", f"#{n}", "", (("return.record_invalid",
                                                                  {"what": "event", "row": n}),)))
            continue
        wanted.setdefault(str(rec.get("candidate_uid")), []).append((str(rec["kind"]), on, dict(data)))
    return wanted


def _import_one_student(rec: Any, org_ids: Mapping[str, int], blocked: Mapping[str, str],
                        cer_ids: Mapping[str, int], events: Sequence[tuple[str, dt.date, dict[str, Any]]],
                        resolutions: Mapping[str, str], result: ImportResult, today: dt.date,
                        period: str) -> int | None:
    """One student with their ceremony link and steps; raises _Refuse (the savepoint rolls back)."""
    if not isinstance(rec, Mapping):
        raise _Refuse(("return.record_invalid", {"what": "student"}))
    uid = _text(rec, "uid", required=True, limit=64)
    org_uid = str(rec.get("org_uid") or "")
    org_id = org_ids.get(org_uid)
    if org_uid in blocked:
        raise _Refuse(("return.org_conflict", {"code": blocked[org_uid]}))
    if org_id is None:
        raise _Refuse(("return.org_unknown", {"uid": org_uid[:40]}))
    values = _student_values(rec, org_id, today)
    cid = _import_student(uid, values, resolutions, result)
    if cid is None:
        return None
    cer_uid = rec.get("ceremony_uid")
    if cer_uid and cer_uid in cer_ids:
        link = CeremonyCandidate.get_or_none(CeremonyCandidate.candidate == cid)
        if link is None:
            CeremonyCandidate.create(ceremony=cer_ids[str(cer_uid)], candidate=cid)
        elif link.ceremony_id != cer_ids[str(cer_uid)]:
            link.ceremony_id = cer_ids[str(cer_uid)]
            link.save()
    _import_events(cid, org_id, events, result, period)
    broken = _history_problems(cid, org_id, today)
    if broken:
        raise _Refuse(*broken)
    return cid


def _event_key(kind: str, on: dt.date, data: Mapping[str, Any]) -> tuple[str, dt.date, str]:
    """Steps are matched by kind and date (and, for the dossier, by item: several share a date)."""
    return kind, on, str(data.get("item") or "") if kind == EventKind.DOSSIER else ""


def _import_events(cid: int, org_id: int, events: Sequence[tuple[str, dt.date, dict[str, Any]]],
                   result: ImportResult, period: str) -> None:
    existing: dict[tuple[str, dt.date, str], Event] = {}
    for row in Event.select().where(Event.candidate == cid):
        existing.setdefault(_event_key(row.kind, row.on, row.data or {}), row)
    members = repo.members_function(org_id)
    for kind, on, data in events:
        if kind == EventKind.VOTE and not str(data.get("members_reason") or "").strip():
            local = members(on)
            if local is not None and str(data.get("members")) != str(local):
                data["members_reason"] = f"Theo báo cáo của trường ({period})"
        key = _event_key(kind, on, data)
        ev = existing.get(key)
        if ev is None:
            existing[key] = Event.create(candidate=cid, kind=kind, on=on, data=data)
            result.events_created += 1
        elif kind != EventKind.DOSSIER and (ev.data or {}) != data:
            ev.data = data
            ev.save()


def _history_problems(cid: int, org_id: int, today: dt.date) -> list[tuple[str, Mapping[str, Any]]]:
    from lamha_desktop.domain import invariants
    from lamha_desktop.domain.organisation import OrgKind

    c = Candidate.get_by_id(cid)
    org = repo.get_organisation(org_id)
    events = repo.events_by_candidate([cid])[cid]
    found = invariants.history_problems(
        birth=c.birth, events=events, holidays=repo.default_holidays(), today=today,
        by_month=repo.age_by_month(), party_committee=OrgKind.of(org.kind).party_committee,
        members_on=repo.members_function(org_id))
    carried_dossier = any(e.kind == EventKind.DOSSIER for e in events)
    return [(v.issue.code, dict(v.issue.params) | {"step_on": v.event.on}) for v in found
            if carried_dossier or v.issue.code not in _DOSSIER_CODES]


def _import_student(uid: str, values: dict[str, Any], resolutions: Mapping[str, str],
                    result: ImportResult) -> int | None:
    pid = values["personal_id"]
    by_uid = Candidate.get_or_none(Candidate.uid == uid)
    by_pid = Candidate.get_or_none(Candidate.personal_id == pid)
    if by_uid is not None and (by_pid is None or by_pid.id == by_uid.id):
        if _apply_student(by_uid, values):
            result.students_updated += 1
        else:
            result.students_unchanged += 1
        return int(by_uid.id)
    if by_uid is None and by_pid is None:
        c = Candidate.create(uid=uid, **values)
        result.students_created += 1
        return int(c.id)
    # The personal ID belongs to another local record (matched by personal ID only, or held by a record
    # other than the uid match): the same person when the identity agrees, otherwise the user decides.
    assert by_pid is not None
    differs = _differs(by_pid, values)
    if not differs and by_uid is None:
        by_pid.uid = uid
        _apply_student(by_pid, values)
        by_pid.save()
        result.students_updated += 1
        return int(by_pid.id)
    choice = resolutions.get(uid)
    if choice == "keep":
        result.kept += 1
        return None
    if choice == "replace":
        if by_uid is not None:  # the file's uid is taken by another local record: free the personal ID first
            by_pid.personal_id = f"{by_pid.personal_id}#replaced{by_pid.id}"
            by_pid.save()
            _apply_student(by_uid, values)
            result.replaced += 1
            return int(by_uid.id)
        by_pid.uid = uid
        by_pid.save()
        _apply_student(by_pid, values)
        result.replaced += 1
        return int(by_pid.id)
    result.conflicts.append(Conflict(uid=uid, personal_id=pid, candidate_id=int(by_pid.id),
                                     local=_local_view(by_pid), incoming=dict(values) | {"uid": uid},
                                     fields=differs or ("uid",)))
    return None


"""District consolidation: what a return carries for machines, and merging it into another database.

A return written by this application carries, in a hidden sheet, a :class:`ReturnPayload`: the
organisations of the return, the students on its named list (admitted in the period), their ceremonies and
the pipeline events needed to derive their stage (class, vote, đảng ủy, decision, recognition, transfer,
not admitted, removed — not the dossier items, which name other people). Nothing about candidates not yet
admitted leaves the school (DOMAIN.md §6: collect only what is needed).

Merging (:func:`import_payload`), in one transaction:

* organisations are matched by ``uid``, then by ``code``; a match is updated from the file (the school is
  the source of truth for its own organisation), otherwise created with the file's uid;
* ceremonies by ``uid``; students by ``uid``, then by personal ID. A personal-ID match whose identity
  (full name, date of birth, gender) differs from the file is a :class:`Conflict` and is left alone until
  the user decides: ``"replace"`` overwrites the local record with the file's (and adopts its uid, so the
  next import matches directly), ``"keep"`` leaves it as it is;
* events are matched by (student, kind, date) and updated, never duplicated; local events are kept.

Re-importing the same or an updated return therefore updates records and creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import peewee

from lamha_desktop.domain import codelists, people
from lamha_desktop.domain.pipeline import EventKind
from lamha_desktop.storage import repo, writers
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import AuditLog, Candidate, Ceremony, CeremonyCandidate, Event, Organisation

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Conflict",
    "ImportResult",
    "ReturnPayload",
    "export_payload",
    "import_payload",
]

FORMAT: Final = "lamha-return"
FORMAT_VERSION: Final = 1
CARRIED_EVENTS: Final = frozenset({EventKind.SOURCE, EventKind.CLASS, EventKind.VOTE, EventKind.DANG_UY,
                                   EventKind.DECISION, EventKind.RECOGNITION, EventKind.TRANSFER,
                                   EventKind.NOT_ADMITTED, EventKind.REMOVED})
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
            payload.events.append({"candidate_uid": uid_of[ev.candidate_id], "kind": ev.kind, "on": _iso(ev.on),
                                   "data": ev.data or {}})
    for c in students:
        payload.students.append({
            "uid": c.uid, "org_uid": org_uid[c.organisation_id], "full_name": c.full_name, "gender": c.gender,
            "birth": _iso(c.birth), "ethnic": c.ethnic, "religion": c.religion, "personal_id": c.personal_id,
            "class_name": c.class_name, "union_since": _iso(c.union_since), "graduation_year": c.graduation_year,
            "ceremony_uid": cer_of.get(c.id)})
    return payload


# ---------------------------------------------------------------------------------------------- import


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


def _require(record: Mapping[str, Any], keys: Sequence[str], what: str) -> None:
    missing = [k for k in keys if record.get(k) in (None, "")]
    if missing:
        raise ConsolidationError("return.record_invalid", what=what, fields=", ".join(missing))


def _org_values(rec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "code": people.normalize_text(str(rec.get("code", ""))).upper(),
        "school_name": people.normalize_text(str(rec.get("school_name", ""))),
        "name": people.normalize_text(str(rec.get("name", ""))),
        "kind": rec.get("kind") if rec.get("kind") in repo.ORG_KINDS else "chi_bo",
        "official_members": int(rec.get("official_members") or 0),
        "secretary": people.normalize_text(str(rec.get("secretary") or "")),
        "annual_target": int(rec.get("annual_target") or 0),
    }


def _student_values(rec: Mapping[str, Any], org_id: int) -> dict[str, Any]:
    name = people.normalize_text(str(rec.get("full_name", "")))
    ethnic = codelists.find_ethnic(str(rec.get("ethnic") or ""))
    religion = codelists.find_religion(str(rec.get("religion") or ""))
    year = rec.get("graduation_year")
    return {
        "organisation": org_id,
        "full_name": name,
        "search_key": people.search_key(name),
        "sort_key": people.sort_key(name),
        "gender": "nu" if str(rec.get("gender", "")).lower() in ("nu", "nữ") else "nam",
        "birth": _date(rec.get("birth")),
        "ethnic": ethnic.code if ethnic else "01",
        "religion": religion.code if religion else "00",
        "personal_id": str(rec.get("personal_id", "")).strip(),
        "class_name": people.normalize_text(str(rec.get("class_name") or "")),
        "union_since": _date(rec.get("union_since")),
        "graduation_year": int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
    }


def _identity(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"full_name": values["full_name"], "birth": values["birth"], "gender": values["gender"]}


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


def import_payload(payload: ReturnPayload, *, resolutions: Mapping[str, str] | None = None) -> ImportResult:
    """Merge a return's payload into the open database (one transaction); see the module docstring.

    ``resolutions`` maps a conflicting student's file uid to ``"replace"`` or ``"keep"``; conflicts without
    a resolution are returned in ``ImportResult.conflicts`` and change nothing.
    """
    if payload.format != FORMAT:
        raise ConsolidationError("return.not_a_return")
    if payload.version > FORMAT_VERSION:
        raise ConsolidationError("return.too_new", version=payload.version, supported=FORMAT_VERSION)
    resolutions = dict(resolutions or {})
    result = ImportResult()
    touched: set[int] = set()
    with database.atomic():
        org_ids = _import_organisations(payload, result)
        cer_ids = _import_ceremonies(payload, org_ids, result)
        student_ids: dict[str, int] = {}
        for rec in payload.students:
            _require(rec, ("uid", "org_uid", "full_name", "birth", "personal_id"), "student")
            org_id = org_ids.get(str(rec["org_uid"]))
            if org_id is None:
                raise ConsolidationError("return.record_invalid", what="student", fields="org_uid")
            values = _student_values(rec, org_id)
            if values["birth"] is None:
                raise ConsolidationError("return.record_invalid", what="student", fields="birth")
            cid = _import_student(str(rec["uid"]), values, resolutions, result)
            if cid is None:
                continue
            student_ids[str(rec["uid"])] = cid
            touched.add(cid)
            cer_uid = rec.get("ceremony_uid")
            if cer_uid and cer_uid in cer_ids:
                link = CeremonyCandidate.get_or_none(CeremonyCandidate.candidate == cid)
                if link is None:
                    CeremonyCandidate.create(ceremony=cer_ids[cer_uid], candidate=cid)
                elif link.ceremony_id != cer_ids[cer_uid]:
                    link.ceremony_id = cer_ids[cer_uid]
                    link.save()
        _import_events(payload, student_ids, result)
        if touched:
            writers.refresh_status(sorted(touched))
        result.touched = sorted(touched)
        AuditLog.create(user=repo.audit_user(), table="import_return", row_id=0, action="create", before=None,
                        after={"period": payload.period, "exported_at": payload.exported_at,
                               "organisations": [o.get("code") for o in payload.organisations],
                               "created": result.students_created, "updated": result.students_updated,
                               "conflicts": len(result.conflicts)})
    return result


def _import_organisations(payload: ReturnPayload, result: ImportResult) -> dict[str, int]:
    ids: dict[str, int] = {}
    for rec in payload.organisations:
        _require(rec, ("uid", "code", "name"), "organisation")
        values = _org_values(rec)
        o = Organisation.get_or_none(Organisation.uid == rec["uid"])
        if o is None:
            o = Organisation.get_or_none(peewee.fn.UPPER(Organisation.code) == values["code"])
        if o is None:
            o = Organisation.create(uid=rec["uid"], **values)
            result.organisations_created += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(o, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(o, k, v)
                o.updated_at = dt.datetime.now()
                o.save()
                result.organisations_updated += 1
        ids[str(rec["uid"])] = int(o.id)
    return ids


def _import_ceremonies(payload: ReturnPayload, org_ids: Mapping[str, int], result: ImportResult) -> dict[str, int]:
    ids: dict[str, int] = {}
    for rec in payload.ceremonies:
        _require(rec, ("uid", "org_uid", "on"), "ceremony")
        org_id = org_ids.get(str(rec["org_uid"]))
        on = _date(rec.get("on"))
        if org_id is None or on is None:
            raise ConsolidationError("return.record_invalid", what="ceremony", fields="org_uid, on")
        values = {"organisation": org_id, "on": on, "place": str(rec.get("place") or ""),
                  "decision_no": str(rec.get("decision_no") or ""), "decision_date": _date(rec.get("decision_date")),
                  "decision_received": _date(rec.get("decision_received"))}
        cer = Ceremony.get_or_none(Ceremony.uid == rec["uid"])
        if cer is None:
            cer = Ceremony.create(uid=rec["uid"], **values)
            result.ceremonies_created += 1
        else:
            for k, v in values.items():
                setattr(cer, k, v)
            cer.save()
        ids[str(rec["uid"])] = int(cer.id)
    return ids


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


def _import_events(payload: ReturnPayload, student_ids: Mapping[str, int], result: ImportResult) -> None:
    wanted: dict[int, list[dict[str, Any]]] = {}
    for rec in payload.events:
        cid = student_ids.get(str(rec.get("candidate_uid")))
        if cid is None or rec.get("kind") not in CARRIED_EVENTS:
            continue
        wanted.setdefault(cid, []).append(rec)
    for chunk in _chunks(sorted(wanted)):
        existing: dict[tuple[int, str, dt.date], Event] = {}
        for row in Event.select().where(Event.candidate.in_(chunk)):
            existing.setdefault((row.candidate_id, row.kind, row.on), row)
        for cid in chunk:
            for rec in wanted[cid]:
                on = _date(rec.get("on"))
                if on is None:
                    continue
                data = dict(rec.get("data") or {})
                ev = existing.get((cid, rec["kind"], on))
                if ev is None:
                    existing[(cid, rec["kind"], on)] = Event.create(candidate=cid, kind=rec["kind"], on=on, data=data)
                    result.events_created += 1
                elif (ev.data or {}) != data:
                    ev.data = data
                    ev.save()

"""The repository writers: each change of one kind of record with its audit entry.

Only the operations layer (``lamha_desktop.operations``) calls these: it loads the state, applies the rules to the
state after the change, calls them inside its one transaction and checks the whole history before committing.
The widgets and the headless commands never do (``tests/test_layering.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import peewee

from lamha_desktop.domain import people
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage import settings
from lamha_desktop.storage.db import database
from lamha_desktop.storage.models import (
    AuditLog,
    Candidate,
    Ceremony,
    CeremonyCandidate,
    DayOff,
    DocumentCounter,
    Event,
    MemberCount,
    Organisation,
    UpperCommittee,
)
from lamha_desktop.storage.repo import (
    CANDIDATE_AUDIT_SKIP,
    CEREMONY_AUDIT_SKIP,
    ORG_AUDIT_SKIP,
    ORG_KINDS,
    DayOffRow,
    FieldProblem,
    ValidationFailed,
    as_day,
    audit_user,
    candidate_problems,
    ceremony_of,
    default_holidays,
    events_by_candidate,
    forget_days_off,
    list_days_off,
    plain_fields,
    status_of,
)
from lamha_desktop.storage.typed_peewee import raw


def record_audit(table: str, row_id: int, action: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None, *, keep: tuple[str, ...] = ()) -> None:
    """One audit entry; an update keeps only the fields that changed, and those of ``keep`` (what the entry is
    found by, e.g. a step's candidate)."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return
        before = {k: before.get(k) for k in changed | set(keep)}
        after = {k: after.get(k) for k in changed | set(keep)}
    AuditLog.create(user=audit_user(), table=table, row_id=row_id, action=action, before=before, after=after)


def save_committee(values: dict[str, Any], committee_id: int | None = None) -> int:
    name = people.normalize_text(values.get("name", ""))
    if not name:
        raise ValidationFailed([FieldProblem("name", "committee.name_required")])
    vf, vt = values.get("valid_from"), values.get("valid_to")
    if vf and vt and vt < vf:
        raise ValidationFailed([FieldProblem("valid_to", "committee.dates_order")])
    with database.atomic():
        if committee_id is None:
            c = UpperCommittee.create(name=name, valid_from=vf, valid_to=vt, place=values.get("place", ""))
            record_audit("upper_committee", c.id, "create", None, plain_fields(c))
            return int(c.id)
        c = UpperCommittee.get_by_id(committee_id)
        before = plain_fields(c)
        c.name, c.valid_from, c.valid_to, c.place = name, vf, vt, values.get("place", c.place)
        c.save()
        record_audit("upper_committee", c.id, "update", before, plain_fields(c))
        return int(c.id)


def _validate_org(values: dict[str, Any], org_id: int | None) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    code = people.normalize_text(str(values.get("code", ""))).upper()
    clean = {
        "code": code,
        "school_name": people.normalize_text(values.get("school_name", "")),
        "name": people.normalize_text(values.get("name", "")),
        "kind": values.get("kind", OrgKind.CHI_BO.value),
        "official_members": int(values.get("official_members", 0)),
        "secretary": people.normalize_text(values.get("secretary", "")),
        "annual_target": int(values.get("annual_target", 1)),
        "upper_committee": values.get("upper_committee_id"),
    }
    if "place" in values or org_id is None:  # a change that does not name the place keeps it
        clean["place"] = people.normalize_text(str(values.get("place") or ""))
    if not code:
        problems.append(FieldProblem("code", "org.code_required"))
    elif not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code) or len(code) > 16:
        problems.append(FieldProblem("code", "org.code_format"))
    else:
        clash = Organisation.select().where(peewee.fn.UPPER(Organisation.code) == code)
        if org_id is not None:
            clash = clash.where(Organisation.id != org_id)
        if clash.exists():
            problems.append(FieldProblem("code", "org.code_duplicate", {"code": code}))
    if not clean["school_name"]:
        problems.append(FieldProblem("school_name", "org.school_required"))
    if not clean["name"]:
        problems.append(FieldProblem("name", "org.name_required"))
    if clean["kind"] not in ORG_KINDS:
        problems.append(FieldProblem("kind", "org.kind_invalid"))
    if clean["official_members"] < 0:
        problems.append(FieldProblem("official_members", "org.members_negative"))
    if clean["annual_target"] < 0:
        problems.append(FieldProblem("annual_target", "org.target_negative"))
    if problems:
        raise ValidationFailed(problems)
    return clean


def save_organisation(values: dict[str, Any], org_id: int | None = None) -> int:
    with database.atomic():
        clean = _validate_org(values, org_id)
        if org_id is None:
            o = Organisation.create(**clean)
            record_audit("organisation", o.id, "create", None, plain_fields(o, skip=ORG_AUDIT_SKIP))
            return int(o.id)
        o = Organisation.get_by_id(org_id)
        before = plain_fields(o, skip=ORG_AUDIT_SKIP)
        kind_changed = o.kind != clean["kind"]
        for k, v in clean.items():
            setattr(o, k, v)
        o.updated_at, o.version, o.changed_by = dt.datetime.now(), o.version + 1, audit_user()
        o.save()
        record_audit("organisation", o.id, "update", before, plain_fields(o, skip=ORG_AUDIT_SKIP))
        if kind_changed:
            refresh_status([c.id for c in Candidate.select(Candidate.id).where(Candidate.organisation == o.id)])
        return int(o.id)


def set_organisation_active(org_id: int, active: bool) -> None:
    with database.atomic():
        o = Organisation.get_by_id(org_id)
        before = plain_fields(o, skip=ORG_AUDIT_SKIP)
        o.active = active
        o.save()
        record_audit("organisation", o.id, "update", before, plain_fields(o, skip=ORG_AUDIT_SKIP))


def save_candidate(values: dict[str, Any], candidate_id: int | None = None, *, today: dt.date | None = None) -> int:
    """Create or update a candidate after validation; raises ValidationFailed with field codes."""
    from lamha_desktop.domain import codelists

    issues = candidate_problems(values, candidate_id, today=today)
    if issues:
        raise ValidationFailed(issues)
    full_name = people.normalize_text(values.get("full_name", ""))
    pid = str(values.get("personal_id") or "").replace(" ", "")
    ethnic_item = codelists.find_ethnic(str(values.get("ethnic") or ""))
    religion_item = codelists.find_religion(str(values.get("religion", "")))
    org_id = values.get("organisation_id")
    birth = values.get("birth")
    union_since = values.get("union_since")
    clean = {
        "organisation": org_id,
        "full_name": full_name,
        "search_key": people.search_key(full_name),
        "sort_key": people.sort_key(full_name),
        "gender": values["gender"],
        "birth": birth,
        "ethnic": ethnic_item.code if ethnic_item else None,  # not given: unknown, never guessed
        "religion": religion_item.code if religion_item else "00",
        "personal_id": pid or None,
        "class_name": people.normalize_text(values.get("class_name", "")),
        "union_since": union_since,
        "graduation_year": values.get("graduation_year"),
        "residence": people.normalize_text(values.get("residence", "")),
        "notes": (values.get("notes") or "").strip(),
    }
    with database.atomic():
        if candidate_id is None:
            c = Candidate.create(**clean)
            record_audit("candidate", c.id, "create", None, plain_fields(c, skip=CANDIDATE_AUDIT_SKIP))
        else:
            c = Candidate.get_by_id(candidate_id)
            before = plain_fields(c, skip=CANDIDATE_AUDIT_SKIP)
            for k, v in clean.items():
                setattr(c, k, v)
            c.updated_at = dt.datetime.now()
            c.save()
            record_audit("candidate", c.id, "update", before, plain_fields(c, skip=CANDIDATE_AUDIT_SKIP))
        refresh_status([c.id])
        return int(c.id)


@dataclass(frozen=True)
class CandidateSnapshot:
    """Everything a deleted candidate had, so that "Hoàn tác" (undo) can put it back exactly."""

    row: dict[str, Any]
    events: tuple[dict[str, Any], ...]
    ceremony_id: int | None


def delete_candidate(candidate_id: int) -> CandidateSnapshot:
    """Delete a candidate and their steps; returns what undo needs to restore them."""
    with database.atomic():
        c = Candidate.get_by_id(candidate_id)
        before = plain_fields(c, skip=CANDIDATE_AUDIT_SKIP)
        snapshot = CandidateSnapshot(
            dict(c.__data__),
            tuple(dict(e.__data__) for e in Event.select().where(Event.candidate == candidate_id).order_by(Event.id)),
            ceremony_of(candidate_id))
        c.delete_instance()
        record_audit("candidate", candidate_id, "delete", before, None)
        return snapshot


def restore_candidate(snapshot: CandidateSnapshot) -> int:
    """Undo a deletion: the same id, the same steps, and the ceremony link while that ceremony exists."""
    with database.atomic():
        Candidate.insert(snapshot.row).execute()
        cid = int(snapshot.row["id"])
        for ev in snapshot.events:
            Event.insert(ev).execute()
        if snapshot.ceremony_id is not None and Ceremony.get_or_none(Ceremony.id == snapshot.ceremony_id):
            CeremonyCandidate.create(ceremony=snapshot.ceremony_id, candidate=cid)
        restored = plain_fields(Candidate.get_by_id(cid), skip=CANDIDATE_AUDIT_SKIP)
        record_audit("candidate", cid, "create", None, restored)
        refresh_status([cid])
        return cid


_STATUS_SQL = ('SELECT c."id", c."birth", o."kind" FROM "candidate" c JOIN "organisation" o '
               'ON o."id" = c."organisation_id" WHERE c."id" IN ({marks})')


def refresh_status(ids: Sequence[int], *, today: dt.date | None = None) -> None:
    """Recompute the derived columns (stage, eligible from, next deadline) of ``ids`` from their events."""
    if not ids:  # (the days off are not read for nothing: a new file's first start)
        return
    today = today or dt.date.today()
    holidays = default_holidays()
    by_month = bool(settings.get("age_by_month"))
    events = events_by_candidate(ids)
    db = raw(database)
    params: list[tuple[Any, ...]] = []
    for chunk_start in range(0, len(ids), 500):
        chunk = [int(i) for i in ids[chunk_start:chunk_start + 500]]
        marks = ", ".join([database.param] * len(chunk))
        for cid, birth, kind in db.execute_sql(_STATUS_SQL.format(marks=marks), chunk).fetchall():
            evs = events[cid]
            st = status_of(_day(birth), kind, evs, holidays, today, by_month)
            listed = min((e.on for e in evs), default=None)
            params.append((int(st.stage), _iso(st.eligible_from), _iso(st.next_deadline), _iso(st.admitted_on),
                           listed.year if listed else None, cid))
    if params:
        mark = database.param
        db.cursor().executemany(
            f'UPDATE "candidate" SET "stage" = {mark}, "eligible_from" = {mark}, "next_deadline" = {mark}, '
            f'"admitted_on" = {mark}, "listed_year" = {mark} WHERE "id" = {mark}', params)


def _day(value: Any) -> dt.date:
    day = as_day(value)
    assert day is not None, "a NOT NULL date column"
    return day


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def refresh_all_status() -> None:
    with database.atomic():
        refresh_status([c.id for c in Candidate.select(Candidate.id)])


def add_event(candidate_id: int, kind: str, on: dt.date, data: dict[str, Any] | None = None) -> int:
    with database.atomic():
        ev = Event.create(candidate=candidate_id, kind=kind, on=on, data=data or {})
        record_audit("event", ev.id, "create", None, {"candidate": candidate_id, "kind": kind, "on": on.isoformat(),
                                                 "data": data or {}})
        refresh_status([candidate_id])
        return int(ev.id)


def update_event(event_id: int, on: dt.date, data: dict[str, Any]) -> None:
    with database.atomic():
        ev = Event.get_by_id(event_id)
        before = {"candidate": ev.candidate_id, "on": ev.on.isoformat(), "data": ev.data}
        ev.on, ev.data = on, data
        ev.save()
        # The candidate stays in the entry: the record's history finds a correction of its steps by it.
        record_audit("event", ev.id, "update", before, {"candidate": ev.candidate_id, "on": on.isoformat(),
                                                        "data": data}, keep=("candidate",))
        refresh_status([ev.candidate_id])


def delete_event(event_id: int) -> dict[str, Any]:
    """Delete one step; returns its row for undo (``restore_event``)."""
    with database.atomic():
        ev = Event.get_by_id(event_id)
        cid = ev.candidate_id
        row = dict(ev.__data__)
        record_audit("event", ev.id, "delete", {"candidate": cid, "kind": ev.kind, "on": ev.on.isoformat(),
                                          "data": ev.data}, None)
        ev.delete_instance()
        refresh_status([cid])
        return row


def restore_event(row: dict[str, Any]) -> int:
    with database.atomic():
        Event.insert(row).execute()
        ev = Event.get_by_id(row["id"])
        record_audit("event", ev.id, "create", None, {"candidate": ev.candidate_id, "kind": ev.kind,
                                                 "on": ev.on.isoformat(), "data": ev.data})
        refresh_status([ev.candidate_id])
        return int(ev.id)


def save_ceremony(values: dict[str, Any], candidate_ids: Sequence[int], ceremony_id: int | None = None) -> int:
    problems: list[FieldProblem] = []
    org_id = values.get("organisation_id")
    on = values.get("on")
    ddate, drecv = values.get("decision_date"), values.get("decision_received")
    if org_id is None:
        problems.append(FieldProblem("organisation_id", "candidate.org_required"))
    if on is None:
        problems.append(FieldProblem("on", "date.required"))
    if ddate and drecv and drecv < ddate:
        problems.append(FieldProblem("decision_received", "order.received_before_decision"))
    if on and (drecv or ddate) and on < (drecv or ddate):
        problems.append(FieldProblem("on", "order.ceremony_before_decision"))
    for cid in candidate_ids:
        c = Candidate.get_or_none(Candidate.id == cid)
        if c is None or c.organisation_id != org_id:
            problems.append(FieldProblem("candidates", "ceremony.candidate_other_org"))
            break
    if problems:
        raise ValidationFailed(problems)
    clean = {
        "organisation": org_id, "on": on, "place": people.normalize_text(values.get("place", "")),
        "decision_no": people.normalize_text(values.get("decision_no", "")), "decision_date": ddate,
        "decision_received": drecv, "notes": (values.get("notes") or "").strip(),
    }
    if "data" in values:
        clean["data"] = dict(values.get("data") or {})
    with database.atomic():
        affected: set[int] = set(candidate_ids)
        if ceremony_id is None:
            cer = Ceremony.create(**clean)
            record_audit("ceremony", cer.id, "create", None,
                         plain_fields(cer, skip=CEREMONY_AUDIT_SKIP) | {"candidates": sorted(candidate_ids)})
        else:
            cer = Ceremony.get_by_id(ceremony_id)
            old_ids = [lk.candidate_id for lk in CeremonyCandidate.select().where(CeremonyCandidate.ceremony == cer.id)]
            before = plain_fields(cer, skip=CEREMONY_AUDIT_SKIP) | {"candidates": sorted(old_ids)}
            affected |= set(old_ids)
            for k, v in clean.items():
                setattr(cer, k, v)
            cer.updated_at, cer.version, cer.changed_by = dt.datetime.now(), cer.version + 1, audit_user()
            cer.save()
            CeremonyCandidate.delete().where(CeremonyCandidate.ceremony == cer.id).execute()
            after = plain_fields(cer, skip=CEREMONY_AUDIT_SKIP) | {"candidates": sorted(candidate_ids)}
            record_audit("ceremony", cer.id, "update", before, after)
        # A candidate is admitted in one ceremony only: moving them takes them out of any other one.
        CeremonyCandidate.delete().where(CeremonyCandidate.candidate.in_(list(candidate_ids))).execute()
        for cid in candidate_ids:
            CeremonyCandidate.create(ceremony=cer.id, candidate=cid)
        refresh_status(sorted(affected))
        return int(cer.id)


def delete_ceremony(ceremony_id: int) -> None:
    with database.atomic():
        cer = Ceremony.get_by_id(ceremony_id)
        ids = [lk.candidate_id for lk in CeremonyCandidate.select().where(CeremonyCandidate.ceremony == cer.id)]
        record_audit("ceremony", cer.id, "delete", plain_fields(cer, skip=CEREMONY_AUDIT_SKIP) | {"candidates": ids},
                     None)
        cer.delete_instance()
        refresh_status(ids)


def save_settings(values: dict[str, Any], days_off: Sequence[DayOffRow] | None = None) -> None:
    """Store settings (and replace the user's days off) in one transaction; re-derive every candidate's
    deadlines when the age reading or the calendar changed."""
    with database.atomic():
        before = settings.all_settings()
        for key, value in values.items():
            settings.set_value(key, value)
        calendar_changed = False
        if days_off is not None:
            old = list_days_off()
            new = sorted(days_off, key=lambda d: d.day)
            if [(d.day, d.working, d.note) for d in old] != [(d.day, d.working, d.note) for d in new]:
                calendar_changed = True
                DayOff.delete().execute()
                forget_days_off()
                for d in new:
                    DayOff.create(day=d.day, working=d.working, note=d.note)
        changed = {k: (before.get(k), v) for k, v in values.items() if before.get(k) != v}
        if changed:
            record_audit("setting", 0, "update", {k: b for k, (b, _) in changed.items()},
                   {k: a for k, (_, a) in changed.items()})
        if calendar_changed or "age_by_month" in changed:
            refresh_status([c.id for c in Candidate.select(Candidate.id)])



def link_ceremony(ceremony_id: int, candidate_id: int) -> None:
    """Put a candidate (back) into a ceremony, when that ceremony still exists."""
    if Ceremony.get_or_none(Ceremony.id == ceremony_id) is None:
        return
    CeremonyCandidate.delete().where(CeremonyCandidate.candidate == candidate_id).execute()
    CeremonyCandidate.create(ceremony=ceremony_id, candidate=candidate_id)
    record_audit("ceremony", ceremony_id, "update", None, {"added": candidate_id})
    refresh_status([candidate_id])


def unlink_ceremony(candidate_id: int) -> None:
    """Take a candidate out of their ceremony (the ceremony stays)."""
    link = CeremonyCandidate.get_or_none(CeremonyCandidate.candidate == candidate_id)
    if link is None:
        return
    ceremony_id = int(link.ceremony_id)
    link.delete_instance()
    record_audit("ceremony", ceremony_id, "update", {"removed": candidate_id}, None)
    refresh_status([candidate_id])


def add_member_count(organisation_id: int, count: int, *, valid_from: dt.date | None, reason: str) -> int:
    """A new dated record of the organisation's official members; the organisation mirrors the newest one."""
    row = MemberCount.create(organisation=organisation_id, valid_from=valid_from, count=count, reason=reason,
                             user=audit_user())
    record_audit("member_count", row.id, "create", None, {"organisation": organisation_id, "count": count,
                                                          "valid_from": valid_from.isoformat() if valid_from else None,
                                                          "reason": reason})
    newest = (MemberCount.select().where(MemberCount.organisation == organisation_id)
              .order_by(MemberCount.valid_from.desc(nulls="last"), MemberCount.id.desc()).first())
    if newest is not None:
        Organisation.update(official_members=newest.count).where(Organisation.id == organisation_id).execute()
    return int(row.id)


def set_ceremony_data(ceremony_id: int, data: dict[str, Any]) -> None:
    """Replace what a ceremony's programme prints besides its date and place (``Ceremony.data``)."""
    cer = Ceremony.get_by_id(ceremony_id)
    before = dict(cer.data or {})
    cer.data = data
    cer.save()
    record_audit("ceremony", cer.id, "update", {"data": before}, {"data": data})


def _counter(organisation_id: int, series: str, year: int) -> DocumentCounter:
    row = DocumentCounter.get_or_none((DocumentCounter.organisation == organisation_id)
                                      & (DocumentCounter.series == series) & (DocumentCounter.year == year))
    if row is None:
        row = DocumentCounter.create(organisation=organisation_id, series=series, year=year, last=0)
    return row


def bump_counter(organisation_id: int, series: str, year: int, number: int) -> int:
    """A document of ``series`` got ``number``: the counter moves up to it (never down); returns the counter."""
    row = _counter(organisation_id, series, year)
    if number > row.last:
        before = int(row.last)
        row.last = number
        row.save()
        record_audit("document_counter", row.id, "update", {"series": series, "year": year, "last": before},
                     {"series": series, "year": year, "last": number})
    return int(row.last)


def set_counter(organisation_id: int, series: str, year: int, last: int) -> None:
    """Set the counter by hand (the next document takes ``last + 1``)."""
    row = _counter(organisation_id, series, year)
    before = int(row.last)
    row.last = last
    row.save()
    record_audit("document_counter", row.id, "update", {"series": series, "year": year, "last": before},
                 {"series": series, "year": year, "last": last})

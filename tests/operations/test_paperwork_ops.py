"""The writes of the clerk's way through an admission: the dossier in one change, a meeting's facts with its step,
document numbers per organisation, series and year (the next one, or one typed by hand), a ceremony's programme
facts, and what stays off the returns."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from lamha_desktop.domain import meeting, pipeline
from lamha_desktop.operations import (
    ACCEPT_ALL,
    NeedsConfirmation,
    Refused,
    candidates,
    ceremonies,
    documents,
    organisations,
    steps,
)
from lamha_desktop.storage import audit, consolidation, db, document_data, migrations, repo

D = dt.date
K = pipeline.EventKind
TODAY = D(2026, 12, 1)
ITEMS = ("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the")


@pytest.fixture
def student(db_path: Path) -> tuple[int, int]:
    org = organisations.create({"code": "NB", "school_name": "Trường THPT Nam Ban",
                                "name": "Chi bộ Trường THPT Nam Ban", "official_members": 9,
                                "secretary": "Đỗ Văn Sơn"}, today=TODAY).created_id
    assert org is not None
    cid = candidates.create({"organisation_id": org, "full_name": "Hoàng Thị Lan", "gender": "nu",
                             "birth": D(2007, 2, 3), "ethnic": "02", "religion": "00",
                             "personal_id": "068307000123", "graduation_year": 2025}, today=TODAY).created_id
    assert cid is not None
    return org, cid


DOSSIER_ON = D(2025, 10, 1)
VOTE_ON = D(2025, 10, 6)


def _dossier(on: dt.date = DOSSIER_ON) -> list[dict[str, object]]:
    return [{"item": i, "on": on, **({"member": "Vũ Thị Hạnh", "together_since": "2024-01-01"}
                                     if i == "gioi_thieu" else {})} for i in ITEMS]


def _voted(cid: int, on: dt.date = VOTE_ON, **data: object) -> int:
    if not repo.list_events(cid):
        steps.record(cid, K.CLASS, D(2025, 9, 1), {"cert_no": "7/GCN"}, today=TODAY)
        steps.record_dossier(cid, _dossier(), today=TODAY)
    steps.record(cid, K.VOTE, on, {"agree": 8, "disagree": 1, **data}, today=TODAY)
    return next(e.id for e in repo.list_events(cid) if e.kind == K.VOTE and e.on == on)  # type: ignore[misc]


# ------------------------------------------------------------------------------------------------ the dossier


def test_the_dossier_goes_in_as_one_change(student: tuple[int, int]) -> None:
    _org, cid = student
    changes = steps.record_dossier(cid, _dossier(), today=TODAY)
    assert len(changes.result) == 7
    assert changes.candidates == frozenset({cid})
    events = repo.list_events(cid)
    assert sorted(e.data["item"] for e in events) == sorted(ITEMS)
    intro = next(e for e in events if e.data["item"] == "gioi_thieu")
    assert intro.data == {"item": "gioi_thieu", "member": "Vũ Thị Hạnh", "together_since": "2024-01-01"}
    assert repo.candidate_rows([cid], today=TODAY)[cid].status.stage == pipeline.Stage.DOSSIER


def test_one_bad_item_refuses_the_whole_dossier(student: tuple[int, int]) -> None:
    _org, cid = student
    items = _dossier()
    items[2] = {"item": "tham_tra", "on": TODAY + dt.timedelta(days=1)}
    items.append({"item": "don", "on": D(2025, 10, 2)})
    items.append({"item": "khong_co"})
    with pytest.raises(Refused) as refused:
        steps.record_dossier(cid, items, today=TODAY)
    found = {(p.code, p.field) for p in refused.value.problems}
    assert ("step.future", "item:tham_tra") in found
    assert ("dossier.item_twice", "item:don") in found
    assert ("date.required", "item:khong_co") in found
    assert repo.list_events(cid) == []
    with pytest.raises(Refused) as empty:
        steps.record_dossier(cid, [], today=TODAY)
    assert [p.code for p in empty.value.problems] == ["dossier.nothing_chosen"]


def test_an_item_already_recorded_is_a_warning_kept_with_the_new_copy(student: tuple[int, int]) -> None:
    _org, cid = student
    steps.record_dossier(cid, [{"item": "don", "on": D(2025, 10, 1)}], today=TODAY)
    with pytest.raises(NeedsConfirmation) as asked:
        steps.record_dossier(cid, [{"item": "don", "on": D(2025, 11, 1)}, {"item": "ly_lich", "on": D(2025, 11, 1)}],
                             today=TODAY)
    assert asked.value.codes == ("dossier.item_recorded",)
    assert len(repo.list_events(cid)) == 1
    steps.record_dossier(cid, [{"item": "don", "on": D(2025, 11, 1)}, {"item": "ly_lich", "on": D(2025, 11, 1)}],
                         accept=asked.value.codes, today=TODAY)
    second = [e for e in repo.list_events(cid) if e.data["item"] == "don"][-1]
    assert second.data["warnings"] == ["dossier.item_recorded"]
    assert "warnings" not in next(e for e in repo.list_events(cid) if e.data["item"] == "ly_lich").data


# ------------------------------------------------------------------------------------------------ facts


def test_a_meeting_s_facts_are_checked_with_its_step(student: tuple[int, int]) -> None:
    _org, cid = student
    with pytest.raises(Refused) as refused:
        _voted(cid, official_present=7, probationary=1, probationary_present=2, start="25:00", method="x")
    codes = {p.code for p in refused.value.problems}
    assert codes == {"meeting.votes_over_present", "meeting.attendance_invalid", "meeting.time_invalid",
                     "meeting.method_invalid"}
    event_id = _voted(cid, official_present=9, probationary=0, start="14h", end="16 giờ 30", method="secret")
    vote = next(e for e in repo.list_events(cid) if e.id == event_id)
    assert (vote.data["start"], vote.data["end"]) == ("14:00", "16:30")


def test_save_facts_stores_them_with_the_steps_that_hold_them(student: tuple[int, int]) -> None:
    _org, cid = student
    event_id = _voted(cid)
    changes = documents.save_facts(cid, "bien-ban-chi-bo", {
        "vote.chair": "  Đỗ   Văn Sơn ", "vote.official_present": "9", "vote.probationary": 0,
        "vote.start": "7:30", "vote.method": "hands", "class.cert_no": "7/GCN-TTCT", "vote.place": ""},
        today=TODAY)
    assert changes.candidates == frozenset({cid})
    assert changes.result is None  # the minutes were not numbered
    vote = next(e for e in repo.list_events(cid) if e.id == event_id)
    assert {k: vote.data[k] for k in ("chair", "official_present", "probationary", "start", "method")} == {
        "chair": "Đỗ Văn Sơn", "official_present": 9, "probationary": 0, "start": "07:30", "method": "hands"}
    assert vote.data["passed"] is True  # the step itself is untouched
    assert next(e for e in repo.list_events(cid) if e.kind == K.CLASS).data["cert_no"] == "7/GCN-TTCT"
    documents.save_facts(cid, "bien-ban-chi-bo", {"vote.chair": None}, today=TODAY)
    assert "chair" not in next(e for e in repo.list_events(cid) if e.id == event_id).data
    with pytest.raises(Refused) as refused:
        documents.save_facts(cid, "bien-ban-chi-bo", {"vote.official_present": "nhiều", "vote.nope": 1,
                                                      "vote.start": "giờ"}, today=TODAY)
    assert {(p.code, p.field) for p in refused.value.problems} == {
        ("fact.count_invalid", "vote.official_present"), ("document.fact_unknown", "vote.nope"),
        ("meeting.time_invalid", "vote.start")}
    with pytest.raises(Refused) as over:
        documents.save_facts(cid, "nq-chi-bo", {"vote.official_present": 5}, today=TODAY)
    assert [p.code for p in over.value.problems] == ["meeting.votes_over_present"]
    history = audit.all_entries(audit.AuditFilter(candidate_id=cid))
    # the vote and the class certificate, then the vote again: every correction in the record's history
    assert sum(1 for e in history if e.table == "event" and e.action == "update") == 3


def test_numbers_run_per_organisation_series_and_year_and_move_up_by_hand(student: tuple[int, int]) -> None:
    org, cid = student
    _voted(cid)
    assert document_data.next_number(org, "NQ/CB", 2025) == 1
    assert documents.save_facts(cid, "nq-chi-bo", {}, number="", today=TODAY).result == "01-NQ/CB"
    # Given again: the same number (kept with the vote), the counter unchanged.
    assert documents.save_facts(cid, "nq-chi-bo", {}, today=TODAY).result == "01-NQ/CB"
    assert document_data.next_number(org, "NQ/CB", 2025) == 2
    # Typed by hand: "Số 7 - NQ/CB" is read, the counter moves up to it.
    assert documents.save_facts(cid, "nq-chi-bo", {}, number="Số 7 - NQ/CB", today=TODAY).result == "07-NQ/CB"
    assert document_data.next_number(org, "NQ/CB", 2025) == 8
    # A lower number typed by hand never moves the counter down.
    assert documents.save_facts(cid, "nq-chi-bo", {}, number="03-NQ/CB", today=TODAY).result == "03-NQ/CB"
    assert document_data.next_number(org, "NQ/CB", 2025) == 8
    # The minutes have their own series; the organisation's letters theirs; another year starts at 1.
    assert documents.save_facts(cid, "bien-ban-chi-bo", {}, number="", today=TODAY).result == "01-BB/CB"
    assert documents.take_number(org, "de-nghi-hoc-lop", D(2026, 1, 5), today=TODAY).result == "01-CV/CB"
    assert documents.take_number(org, "de-nghi-hoc-lop", D(2026, 2, 5), today=TODAY).result == "02-CV/CB"
    assert document_data.next_number(org, "CV/CB", 2025) == 1
    # A counter set by hand (the manual override).
    documents.set_counter(org, "NQ/CB", 2025, 20, today=TODAY)
    assert document_data.next_number(org, "NQ/CB", 2025) == 21
    assert [(c.series, c.year, c.last) for c in document_data.counters(org)] == [
        ("CV/CB", 2026, 2), ("BB/CB", 2025, 1), ("NQ/CB", 2025, 20)]
    entries = [e for e in audit.all_entries() if e.table == "document_counter"]
    assert len(entries) == 6


def test_a_number_of_the_wrong_series_or_already_used_is_caught(student: tuple[int, int]) -> None:
    org, cid = student
    _voted(cid)
    with pytest.raises(Refused) as refused:
        documents.save_facts(cid, "nq-chi-bo", {}, number="05-BB/CB", today=TODAY)
    assert [p.code for p in refused.value.problems] == ["document.number_series"]
    with pytest.raises(Refused) as bad:
        documents.save_facts(cid, "nq-chi-bo", {}, number="năm", today=TODAY)
    assert [p.code for p in bad.value.problems] == ["meeting.number_invalid"]
    with pytest.raises(Refused) as none:
        documents.save_facts(cid, "giay-gioi-thieu", {}, number="", today=TODAY)
    assert [p.code for p in none.value.problems] == ["document.no_number"]
    documents.save_facts(cid, "nq-chi-bo", {}, number="04-NQ/CB", today=TODAY)
    other = candidates.create({"organisation_id": org, "full_name": "Lê Văn Tâm", "gender": "nam",
                               "birth": D(2007, 3, 3), "ethnic": "01", "religion": "00",
                               "personal_id": "068207000124"}, today=TODAY).created_id
    assert other is not None
    _voted(other, on=D(2025, 10, 8))
    with pytest.raises(NeedsConfirmation) as asked:
        documents.save_facts(other, "nq-chi-bo", {}, number="04-NQ/CB", today=TODAY)
    assert [(w.code, w.params["name"]) for w in asked.value.warnings] == [("document.number_taken", "Hoàng Thị Lan")]
    assert documents.save_facts(other, "nq-chi-bo", {}, number="04-NQ/CB", accept=ACCEPT_ALL,
                                today=TODAY).result == "04-NQ/CB"
    with pytest.raises(Refused) as series:
        documents.set_counter(org, "NQ", 2025, 3, today=TODAY)
    assert [p.code for p in series.value.problems] == ["document.series_invalid"]


# ------------------------------------------------------------------------------------------------ ceremonies


def test_a_ceremony_keeps_what_its_programme_prints(student: tuple[int, int]) -> None:
    org, cid = student
    _voted(cid)
    steps.record(cid, K.DECISION, D(2025, 11, 3), {"number": "12-QĐ/ĐU", "received": "2025-11-05"}, today=TODAY)
    values = {"organisation_id": org, "on": D(2025, 11, 20), "place": "Hội trường",
              "data": {"start": "8h", "chair": " Đỗ Văn  Sơn ", "upper_guest": "",
                       "helpers": {str(cid): "Vũ Thị Hạnh", "999": "Không ai"}}}
    ceremony = ceremonies.hold(values, [cid], today=TODAY).created_id
    assert ceremony is not None
    data = document_data.ceremony_source(ceremony).data
    assert data == {"start": "08:00", "chair": "Đỗ Văn Sơn", "helpers": {str(cid): "Vũ Thị Hạnh"}}
    with pytest.raises(Refused) as refused:
        ceremonies.set_details(ceremony, {"start": "sáng"}, today=TODAY)
    assert [p.code for p in refused.value.problems] == ["meeting.time_invalid"]
    ceremonies.set_details(ceremony, {"start": "7:30", "helpers": {cid: "Đỗ Văn Sơn"}}, today=TODAY)
    assert document_data.ceremony_source(ceremony).data == {"start": "07:30", "helpers": {str(cid): "Đỗ Văn Sơn"}}


def test_names_and_personal_dates_of_members_stay_off_the_returns(student: tuple[int, int]) -> None:
    org, cid = student
    _voted(cid, chair="Đỗ Văn Sơn", secretary="Vũ Thị Hạnh", official_present=9, probationary=0,
           against_reasons="vắng sinh hoạt")
    documents.save_facts(cid, "giay-gioi-thieu", {"gioi_thieu.member_birth": D(1980, 1, 2)}, today=TODAY)
    documents.save_facts(cid, "nq-chi-bo", {}, number="", today=TODAY)
    payload = consolidation.export_payload(period_code="2025", org_ids=[org], candidate_ids=[cid])
    keys = {k for e in payload.events for k in e["data"]}
    assert not keys & (meeting.PERSONAL_KEYS | {"member", "helper"})
    assert "number" in keys
    assert "official_present" in keys


# ------------------------------------------------------------------------------------------------ schema


def test_version_3_adds_the_counters_and_the_ceremony_s_facts(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    con = sqlite3.connect(path)
    for statement in migrations._statements(migrations.V1_SQL) + migrations._statements(migrations.V2_SQL):
        con.execute(statement)
    con.execute("""INSERT INTO organisation (id, uid, code, school_name, name, kind, official_members, secretary,
                   annual_target, active, updated_at) VALUES (1, 'u1', 'A', 'THPT A', 'Chi bộ A', 'chi_bo', 9, '',
                   1, 1, '2024-01-01 00:00:00')""")
    con.execute("""INSERT INTO ceremony (id, uid, organisation_id, "on", place, decision_no, notes)
                   VALUES (1, 'k1', 1, '2024-06-01', 'Hội trường', '', '')""")
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    db.open_database(path)
    try:
        assert document_data.ceremony_source(1).data == {}
        assert document_data.next_number(1, "NQ/CB", 2026) == 1
        assert db.database.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    finally:
        db.close_database()

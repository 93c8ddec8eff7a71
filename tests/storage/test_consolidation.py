"""Consolidation round trip: two school databases export their returns, one district database imports them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop.operations import candidates, ceremonies, organisations, steps
from lamha_desktop.readers import return_reader
from lamha_desktop.reports import excel_return
from lamha_desktop.storage import consolidation, db, repo, report_data, writers
from lamha_desktop.storage.models import Candidate, Ceremony, Event, Organisation

D = dt.date
TODAY = D(2024, 7, 1)


DOSSIER = ("don", "ly_lich", "tham_tra", "nq_doan", "nx_noi_cu_tru", "nx_doan_the")


def _school(path: Path, code: str, students: list[tuple[str, str]]) -> None:
    """A school database with one organisation and ``students`` (name, personal ID) admitted on 20/03/2024,
    each with the whole lawful history, recorded through the operations."""
    db.open_database(path)
    org = organisations.create({"code": code, "school_name": f"Trường THPT {code}", "name": f"Chi bộ Trường {code}",
                                "kind": "chi_bo", "official_members": 12, "annual_target": 1}, today=TODAY).created_id
    ids = []
    for name, pid in students:
        cid = candidates.create({"organisation_id": org, "full_name": name, "gender": "nu", "birth": D(2005, 4, 2),
                                 "ethnic": "Kinh", "religion": "Không", "personal_id": pid, "class_name": "12A1"},
                                today=TODAY).created_id
        assert cid is not None
        steps.record(cid, "source", D(2023, 9, 5), {"helper": "Trần Văn Lộc"}, today=TODAY)
        steps.record(cid, "class", D(2023, 11, 2), {"cert_no": "1/GCN"}, today=TODAY)
        for item in DOSSIER:
            steps.record(cid, "dossier", D(2023, 12, 1), {"item": item}, today=TODAY)
        steps.record(cid, "dossier", D(2023, 12, 1), {"item": "gioi_thieu", "member": "Ai Đó",
                                                      "together_since": "2022-09-05"}, today=TODAY)
        steps.record(cid, "vote", D(2024, 1, 10), {"agree": 11, "disagree": 1}, today=TODAY)
        steps.record(cid, "decision", D(2024, 3, 1), {"number": "12-QĐ/HU", "received": "2024-03-04"},
                     today=TODAY)
        ids.append(cid)
    ceremonies.hold({"organisation_id": org, "on": D(2024, 3, 20), "decision_no": "12-QĐ/HU",
                     "decision_date": D(2024, 3, 1)}, ids, today=TODAY)
    db.close_database()


def _export(path: Path, out: Path) -> Path:
    db.open_database(path)
    try:
        data = report_data.collect(report_data.parse_period("2024-H1"), report_date=TODAY)
        excel_return.write_atomic(out, excel_return.build(data))
    finally:
        db.close_database()
    return out


def _import(district: Path, file: Path, resolutions: dict[str, str] | None = None) -> consolidation.ImportResult:
    db.open_database(district)
    try:
        return consolidation.import_payload(return_reader.read_return(file), resolutions=resolutions)
    finally:
        db.close_database()


def _counts(path: Path) -> dict[str, Any]:
    db.open_database(path)
    try:
        return {"orgs": Organisation.select().count(), "candidates": Candidate.select().count(),
                "events": Event.select().count(), "ceremonies": Ceremony.select().count(),
                "names": sorted(c.full_name for c in Candidate.select()),
                "stages": sorted({c.stage for c in Candidate.select()})}
    finally:
        db.close_database()


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    paths = {"a": tmp_path / "a" / "db.sqlite3", "b": tmp_path / "b" / "db.sqlite3",
             "district": tmp_path / "d" / "db.sqlite3"}
    _school(paths["a"], "LQD", [("Nguyễn Thị Ánh", "068305000001"), ("Trần Thị Bích", "068305000002")])
    _school(paths["b"], "TANHA", [("Lê Thị Cúc", "068305000003"), ("Phạm Thị Dung", "068305000004")])
    db.open_database(paths["district"])
    db.close_database()
    paths["a.xlsx"] = _export(paths["a"], tmp_path / "a.xlsx")
    paths["b.xlsx"] = _export(paths["b"], tmp_path / "b.xlsx")
    return paths


def test_two_schools_into_one_district_and_reimport_is_idempotent(world: dict[str, Path]) -> None:
    r1 = _import(world["district"], world["a.xlsx"])
    r2 = _import(world["district"], world["b.xlsx"])
    assert (r1.organisations_created, r1.students_created, r1.ceremonies_created) == (1, 2, 1)
    assert (r2.organisations_created, r2.students_created) == (1, 2)
    assert not r1.conflicts
    assert not r2.conflicts
    after = _counts(world["district"])
    assert after["orgs"] == 2
    assert after["candidates"] == 4, (r1.refused, r2.refused)
    assert after["ceremonies"] == 2
    # source, class, the seven dossier items, vote, decision: the steps travel, the names of others do not
    assert after["events"] == 4 * 11
    db.open_database(world["district"])
    try:
        assert not [e.data for e in Event.select() if {"member", "helper"} & set(e.data or {})]
    finally:
        db.close_database()
    assert after["stages"] == [70]  # probation, derived from the imported events and ceremony
    again = _import(world["district"], world["a.xlsx"])
    assert (again.organisations_created, again.students_created, again.ceremonies_created,
            again.events_created) == (0, 0, 0, 0)
    assert again.students_unchanged == 2
    assert _counts(world["district"]) == after
    # the district's own return now shows both schools
    db.open_database(world["district"])
    try:
        data = report_data.collect(report_data.parse_period("2024-H1"))
        assert data.total.admitted == 4
        assert {o.code for o in data.organisations} == {"LQD", "TANHA"}
    finally:
        db.close_database()


def test_updated_return_updates_instead_of_duplicating(world: dict[str, Path], tmp_path: Path) -> None:
    _import(world["district"], world["a.xlsx"])
    db.open_database(world["a"])
    cid = Candidate.get(Candidate.personal_id == "068305000001").id
    values = repo.get_candidate(cid) | {"class_name": "12A9", "full_name": "Nguyễn Thị Ánh Hồng"}
    writers.save_candidate(values, cid, today=TODAY)
    writers.add_event(cid, "transfer", D(2024, 6, 1), {"destination": "Trường ĐH", "mode": "chinh_thuc"})
    org = Organisation.get(Organisation.code == "LQD")
    org.annual_target = 4
    org.save()
    db.close_database()
    updated = _export(world["a"], tmp_path / "a2.xlsx")
    result = _import(world["district"], updated)
    assert (result.students_created, result.students_updated, result.organisations_updated) == (0, 1, 0)
    assert result.events_created == 1
    # The organisation's new target is a conflict for the user, never taken silently.
    assert [(c.code, c.kind, c.fields) for c in result.org_conflicts] == [("LQD", "changed", ("annual_target",))]
    db.open_database(world["district"])
    try:
        c = Candidate.get(Candidate.personal_id == "068305000001")
        assert (c.full_name, c.class_name, c.stage) == ("Nguyễn Thị Ánh Hồng", "12A9", 90)
        assert Candidate.select().count() == 2
        assert Organisation.get(Organisation.code == "LQD").annual_target == 1
    finally:
        db.close_database()
    replaced = _import(world["district"], updated, {f"org:{result.org_conflicts[0].uid}": "replace"})
    assert (replaced.organisations_updated, replaced.org_conflicts) == (1, [])
    db.open_database(world["district"])
    try:
        assert Organisation.get(Organisation.code == "LQD").annual_target == 4
    finally:
        db.close_database()


def test_same_personal_id_with_other_data_is_a_conflict(world: dict[str, Path], tmp_path: Path) -> None:
    # School B also lists a student with school A's personal ID, under another name.
    db.open_database(world["b"])
    org = Organisation.get(Organisation.code == "TANHA").id
    cid = writers.save_candidate({"organisation_id": org, "full_name": "Hoàng Văn Khác", "gender": "nam",
                               "birth": D(2005, 8, 8), "ethnic": "Kinh", "religion": "Không",
                               "personal_id": "068305000001"}, today=TODAY)
    writers.save_ceremony({"organisation_id": org, "on": D(2024, 5, 5)}, [cid])
    db.close_database()
    b2 = _export(world["b"], tmp_path / "b2.xlsx")
    _import(world["district"], world["a.xlsx"])
    result = _import(world["district"], b2)
    assert len(result.conflicts) == 1, result
    conflict = result.conflicts[0]
    assert conflict.personal_id == "068305000001"
    assert conflict.local["full_name"] == "Nguyễn Thị Ánh"
    assert conflict.incoming["full_name"] == "Hoàng Văn Khác"
    assert set(conflict.fields) == {"full_name", "birth", "gender"}
    assert result.students_created == 2  # the other students are imported
    assert _counts(world["district"])["candidates"] == 4
    # keep: nothing changes; the conflict comes back on the next import
    kept = _import(world["district"], b2, {conflict.uid: "keep"})
    assert kept.kept == 1
    assert not kept.conflicts
    assert "Hoàng Văn Khác" not in _counts(world["district"])["names"]
    assert len(_import(world["district"], b2).conflicts) == 1
    # replace: the file's data wins and the next import matches by uid
    replaced = _import(world["district"], b2, {conflict.uid: "replace"})
    assert replaced.replaced == 1
    names = _counts(world["district"])["names"]
    assert "Hoàng Văn Khác" in names
    assert "Nguyễn Thị Ánh" not in names
    assert len(names) == 4
    assert not _import(world["district"], b2).conflicts


def test_a_file_that_is_not_a_return(tmp_path: Path) -> None:
    import openpyxl

    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(return_reader.ReadError) as info:
        return_reader.read_return(plain)
    assert info.value.code == "return.not_a_return"
    junk = tmp_path / "junk.xlsx"
    junk.write_text("hello")
    with pytest.raises(return_reader.ReadError) as info:
        return_reader.read_return(junk)
    assert info.value.code == "return.unreadable"
    with pytest.raises(return_reader.ReadError) as info:
        return_reader.read_return(tmp_path / "missing.xlsx")
    assert info.value.code == "return.unreadable"


# ---------------------------------------------------------------- the file is not trusted


def _payload(students: list[dict[str, Any]], *, org: dict[str, Any] | None = None,
             events: list[Any] | None = None) -> consolidation.ReturnPayload:
    org = org or {"uid": "org-x", "code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                  "kind": "chi_bo", "official_members": 3, "secretary": "", "annual_target": 99}
    return consolidation.ReturnPayload(period="2024-H1", exported_at="2024-07-01T08:00:00", organisations=[org],
                                       students=students, events=events or [])


def _student(uid: str, name: str, pid: str, **extra: Any) -> dict[str, Any]:
    return {"uid": uid, "org_uid": "org-x", "full_name": name, "gender": "nu", "birth": "2005-04-02",
            "ethnic": "01", "religion": "00", "personal_id": pid, "class_name": "12A1", "union_since": None,
            "graduation_year": 2023, "ceremony_uid": None} | extra


def test_an_organisation_with_a_taken_code_is_a_conflict_not_an_overwrite(db_path: Path) -> None:
    org = organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                                "official_members": 20, "annual_target": 1}, today=TODAY).created_id
    result = consolidation.import_payload(_payload([_student("s1", "Lê Thị Hoa", "068305000011")]), today=TODAY)
    assert [(c.kind, c.code) for c in result.org_conflicts] == [("code_taken", "LQD")]
    assert set(result.org_conflicts[0].fields) == {"official_members", "annual_target"}
    row = repo.get_organisation(org)  # name, target and members as they were
    assert (row.annual_target, row.official_members) == (1, 20)
    assert [m.count for m in repo.member_counts(org)] == [20]
    assert [(r.name, r.reasons[0][0]) for r in result.refused] == [("Lê Thị Hoa", "return.org_conflict")]
    assert Candidate.select().count() == 0


def test_values_are_checked_like_typed_ones_and_the_rest_lands(db_path: Path) -> None:
    payload = _payload([
        _student("s1", "Lê Thị Hoa", "068305000011"),
        _student("s2", "Trần Văn Bình", "not-an-id"),
        _student("s3", '=HYPERLINK("http://x","bấm")', "068305000013"),
        _student("s4", "Phạm Thị Lan", "068305000014", birth="2031-01-01"),
    ])
    result = consolidation.import_payload(payload, today=TODAY)
    assert result.students_created == 1
    assert [c.full_name for c in Candidate.select()] == ["Lê Thị Hoa"]
    refused = {r.key: [code for code, _ in r.reasons] for r in result.refused}
    assert refused["s2"] == ["pid.format"]
    assert "name.invalid" in refused["s3"] or "return.value_formula" in refused["s3"]
    assert "birth.future" in refused["s4"]


def test_a_history_that_breaks_the_rules_is_refused_whole(db_path: Path) -> None:
    payload = _payload([_student("s1", "Lê Thị Hoa", "068305000011"), _student("s2", "Vũ Thị Mai", "068305000012")],
                       events=[{"candidate_uid": "s1", "kind": "decision", "on": "2024-03-01", "data": {}},
                               {"candidate_uid": "s2", "kind": "source", "on": "2023-09-05", "data": {}}])
    result = consolidation.import_payload(payload, today=TODAY)
    assert [(r.key, r.reasons[0][0]) for r in result.refused] == [("s1", "step.no_prior")]
    assert [c.full_name for c in Candidate.select()] == ["Vũ Thị Mai"]
    assert Event.select().count() == 1


@pytest.mark.parametrize("broken", [
    {"organisations": ["not a record"]},
    {"organisations": [{"uid": "o", "code": "X", "school_name": "S", "name": "N", "kind": "chi_bo",
                        "official_members": "ba", "annual_target": 1}]},
    {"students": [["a", "list"]]},
    {"students": [{"uid": 5, "org_uid": None, "full_name": {"x": 1}}]},
    {"events": [{"candidate_uid": "s1", "kind": "vote", "on": "never", "data": []}]},
    {"ceremonies": [{"uid": "c", "org_uid": "org-x", "on": "2024-13-45"}]},
])
def test_a_malformed_payload_is_refused_record_by_record(db_path: Path, broken: dict[str, Any]) -> None:
    payload = _payload([_student("s1", "Lê Thị Hoa", "068305000011")])
    for key, value in broken.items():
        getattr(payload, key).extend(value)
    result = consolidation.import_payload(payload, today=TODAY)
    assert result.refused
    assert Candidate.select().count() in (0, 1)

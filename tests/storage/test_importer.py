"""The import plan and its one-transaction apply, on a real SQLite file and real spreadsheets."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx

from lamha_desktop.domain import people
from lamha_desktop.readers import class_list as cl
from lamha_desktop.storage import db, importer, repo, writers
from lamha_desktop.storage.models import AuditLog, Candidate, Setting

TODAY = dt.date(2025, 9, 1)


@pytest.fixture
def org_id(db_path: Path) -> int:
    return writers.save_organisation({"code": "THA", "school_name": "THPT Tân Hà", "name": "Chi bộ THPT Tân Hà",
                                   "official_members": 6})


@pytest.fixture
def other_org(db_path: Path) -> int:
    return writers.save_organisation({"code": "LQD", "school_name": "THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                                   "official_members": 5})


def parsed(path: Path) -> list[cl.ParsedRow]:
    table = cl.read_table(path)
    return cl.parse_rows(table, cl.detect_all(table), today=TODAY)


def plan_of(path: Path, org: int) -> importer.ImportPlan:
    return importer.plan_import(parsed(path), org, today=TODAY)


def class_file(tmp_path: Path, students: list[dict], name: str = "lop.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [["DANH SÁCH HỌC SINH"], list(SIMPLE_HEADER),
                                        *[simple_row(s) for s in students]])


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables an import may touch, read with plain sqlite3."""
    con = sqlite3.connect(db_path)
    try:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                for t in ("candidate", "audit_log", "setting", "event")}
    finally:
        con.close()


def test_new_rows_imported_with_normalised_values_and_audit(tmp_path: Path, db_path: Path, org_id: int) -> None:
    students = [student(i) for i in range(6)]
    plan = plan_of(class_file(tmp_path, students), org_id)
    assert plan.counts() == {"new": 6, "update": 0, "unchanged": 0, "error": 0}
    counts = importer.apply_import(plan)
    assert counts == {"new": 6, "updated": 0, "unchanged": 0, "rejected": 0}
    c = Candidate.get(Candidate.personal_id == students[4]["personal_id"])
    assert (c.full_name, c.gender, c.birth, c.ethnic, c.religion, c.class_name, c.organisation_id) == (
        students[4]["full_name"], "nam", students[4]["birth"], "16", "02", students[4]["class_name"], org_id)
    assert Candidate.get(Candidate.personal_id == students[3]["personal_id"]).ethnic == "16"  # "Cơ-ho"
    # Derived columns are the ones writers.refresh_status computes.
    derived = [(x.stage, x.eligible_from, x.next_deadline) for x in Candidate.select().order_by(Candidate.id)]
    writers.refresh_status([x.id for x in Candidate.select()], today=TODAY)
    assert derived == [(x.stage, x.eligible_from, x.next_deadline) for x in Candidate.select().order_by(Candidate.id)]
    assert c.search_key == people.search_key(students[4]["full_name"])
    assert c.sort_key == people.sort_key(students[4]["full_name"])
    # One audit entry per created candidate, the same content as the form's save.
    audit = repo.audit_rows("candidate", c.id)
    assert [(a.action, a.before) for a in audit] == [("create", None)]
    assert audit[0].after["personal_id"] == students[4]["personal_id"]
    assert audit[0].after["full_name"] == students[4]["full_name"]
    assert set(audit[0].after) == set(repo.plain_fields(c, skip=repo.CANDIDATE_AUDIT_SKIP))


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, db_path: Path, org_id: int) -> None:
    path = class_file(tmp_path, [student(i) for i in range(5)])
    importer.apply_import(plan_of(path, org_id))
    before = snapshot(db_path)
    second = plan_of(path, org_id)
    assert second.counts() == {"new": 0, "update": 0, "unchanged": 5, "error": 0}
    assert importer.apply_import(second) == {"new": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    assert snapshot(db_path) == before


def test_update_when_the_same_id_has_new_data_and_empty_cells_keep_the_database(
        tmp_path: Path, db_path: Path, org_id: int) -> None:
    s = student(0)
    importer.apply_import(plan_of(class_file(tmp_path, [s], "a.xlsx"), org_id))
    changed = {**s, "class_name": "12A1", "residence": "", "full_name": s["full_name"] + "  "}
    plan = plan_of(class_file(tmp_path, [changed], "b.xlsx"), org_id)
    (row,) = plan.rows
    assert row.status == "update"
    assert row.changes == {"class_name": (s["class_name"], "12A1")}  # the empty address keeps the stored one
    importer.apply_import(plan)
    c = Candidate.get(Candidate.personal_id == s["personal_id"])
    assert (c.class_name, c.residence) == ("12A1", s["residence"])
    audit = repo.audit_rows("candidate", c.id)
    assert [a.action for a in audit] == ["create", "update"]
    assert audit[1].before == {"class_name": s["class_name"]}
    assert audit[1].after == {"class_name": "12A1"}


def test_update_of_a_file_without_ethnic_column_uses_the_stored_value(
        tmp_path: Path, db_path: Path, org_id: int) -> None:
    s = student(3)  # Cơ-ho
    importer.apply_import(plan_of(class_file(tmp_path, [s]), org_id))
    short = write_xlsx(tmp_path / "short.xlsx", [["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Lớp"],
                                                 [s["full_name"], s["birth"], s["gender"], s["personal_id"], "12C2"]])
    (row,) = plan_of(short, org_id).rows
    assert row.status == "update"
    assert row.values["ethnic"] == "16"
    assert row.changes == {"class_name": (s["class_name"], "12C2")}


def test_errors_carry_their_cell_and_are_not_written(tmp_path: Path, db_path: Path, org_id: int) -> None:
    rows = [
        list(SIMPLE_HEADER),
        simple_row(student(0)),
        simple_row({**student(1), "birth": "31/02/2008"}),          # unreadable date
        simple_row({**student(2), "ethnic": "Người sao Hỏa"}),       # unknown ethnic group
        simple_row({**student(3), "personal_id": "12345"}),          # not 12 digits
        simple_row({**student(4), "birth": dt.date(2015, 1, 1)}),    # too young
        simple_row({**student(5), "full_name": "=HYPERLINK(\"x\")"}),  # formula-looking text
        simple_row({**student(6), "gender": "không rõ"}),
        simple_row({**student(7), "religion": "Đạo lạ"}),
    ]
    path = write_xlsx(tmp_path / "err.xlsx", rows, sheet="12A1", text_cells=[(7, 2)])
    plan = plan_of(path, org_id)
    got = [(r.status, [(p.sheet, p.row, p.column, p.code) for p in r.problems]) for r in plan.rows]
    assert got == [
        ("new", []),
        ("error", [("12A1", 3, "C", "import.date_unreadable")]),   # no extra "birth.required"
        ("error", [("12A1", 4, "E", "ethnic.unknown")]),
        ("error", [("12A1", 5, "H", "pid.format")]),
        ("error", [("12A1", 6, "C", "birth.too_young")]),
        ("error", [("12A1", 7, "B", "name.invalid")]),
        ("error", [("12A1", 8, "D", "gender.invalid")]),
        ("error", [("12A1", 9, "F", "religion.unknown")]),
    ]
    assert importer.apply_import(plan) == {"new": 1, "updated": 0, "unchanged": 0, "rejected": 7}
    assert Candidate.select().count() == 1


def test_duplicate_ids_in_file_and_against_another_organisation(
        tmp_path: Path, db_path: Path, org_id: int, other_org: int) -> None:
    taken = student(9)
    importer.apply_import(plan_of(class_file(tmp_path, [taken], "other.xlsx"), other_org))
    s0 = student(0)
    path = class_file(tmp_path, [s0, s0, taken], "dup.xlsx")
    plan = plan_of(path, org_id)
    assert [r.status for r in plan.rows] == ["new", "error", "error"]
    assert [p.code for p in plan.rows[1].problems] == ["import.duplicate_row"]
    (p,) = plan.rows[2].problems
    assert p.code == "import.pid_other_org"
    assert p.column == "H"
    assert p.params == {"pid": taken["personal_id"], "name": taken["full_name"], "org": "LQD"}
    importer.apply_import(plan)
    assert Candidate.get(Candidate.personal_id == taken["personal_id"]).organisation_id == other_org
    assert Candidate.select().where(Candidate.organisation == org_id).count() == 1


def test_restored_ids_are_marked_and_imported(tmp_path: Path, db_path: Path, org_id: int) -> None:
    s = student(0)
    row = simple_row(s)
    row[7] = int(s["personal_id"])  # stored as a number: the leading zero is lost
    plan = plan_of(write_xlsx(tmp_path / "n.xlsx", [list(SIMPLE_HEADER), row]), org_id)
    (item,) = plan.rows
    assert item.status == "new"
    assert item.source.pid_restored
    assert [w.code for w in item.warnings] == ["import.pid_restored"]
    importer.apply_import(plan)
    assert Candidate.get().personal_id == s["personal_id"]


def test_lookup_is_in_bulk_not_one_query_per_row(tmp_path: Path, db_path: Path, org_id: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = class_file(tmp_path, [student(i) for i in range(300)])
    importer.apply_import(plan_of(path, org_id))
    rows = parsed(path)
    queries: list[str] = []
    real = db.database.execute_sql

    def counting(sql: str, *args: object, **kwargs: object) -> object:
        queries.append(sql)
        return real(sql, *args, **kwargs)

    monkeypatch.setattr(db.database, "execute_sql", counting)
    plan = importer.plan_import(rows, org_id, today=TODAY)
    assert plan.counts()["unchanged"] == 300
    assert len(queries) <= 5, queries


def test_cancel_rolls_everything_back(tmp_path: Path, db_path: Path, org_id: int) -> None:
    importer.apply_import(plan_of(class_file(tmp_path, [student(0)], "first.xlsx"), org_id))
    before = snapshot(db_path)
    plan = plan_of(class_file(tmp_path, [student(i) for i in range(500)], "big.xlsx"), org_id)
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2  # after some rows were written inside the transaction

    with pytest.raises(importer.ImportCancelled):
        importer.apply_import(plan, cancel=cancel, mappings={"abc": {"full_name": 1}})
    assert snapshot(db_path) == before
    assert importer.remembered_mapping("abc") is None


def test_progress_is_reported(tmp_path: Path, db_path: Path, org_id: int) -> None:
    plan = plan_of(class_file(tmp_path, [student(i) for i in range(450)]), org_id)
    seen: list[tuple[int, int]] = []
    importer.apply_import(plan, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 450)
    assert seen[-1] == (450, 450)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_stale_plan_writes_nothing(tmp_path: Path, db_path: Path, org_id: int) -> None:
    students = [student(i) for i in range(3)]
    plan = plan_of(class_file(tmp_path, students), org_id)
    # Someone adds one of these students through the form after the preview was made.
    writers.save_candidate({**students[1], "organisation_id": org_id, "gender": "nu", "ethnic": "Kinh",
                         "religion": ""}, today=TODAY)
    before = snapshot(db_path)
    with pytest.raises(importer.ImportStale) as exc:
        importer.apply_import(plan)
    assert exc.value.params == {"count": 1}
    assert snapshot(db_path) == before


def test_mappings_remembered_only_with_an_import(tmp_path: Path, db_path: Path, org_id: int) -> None:
    assert importer.remembered_mapping("sig1") is None
    plan = plan_of(class_file(tmp_path, [student(0)]), org_id)
    importer.apply_import(plan, mappings={"sig1": {"full_name": 1, "birth": 2}})
    assert importer.remembered_mapping("sig1") == {"full_name": 1, "birth": 2}
    assert Setting.get_by_id(importer.mapping_key("sig1")).value == {"full_name": 1, "birth": 2}
    importer.remember_mapping("sig1", {"full_name": 3})
    assert importer.remembered_mapping("sig1") == {"full_name": 3}


def test_unknown_organisation(db_path: Path) -> None:
    with pytest.raises(ValueError, match=r"candidate\.org_required"):
        importer.plan_import([], 999)


def test_audit_log_has_one_row_per_written_candidate(tmp_path: Path, db_path: Path, org_id: int) -> None:
    importer.apply_import(plan_of(class_file(tmp_path, [student(i) for i in range(250)]), org_id))
    assert AuditLog.select().where(AuditLog.table == "candidate").count() == 250
    assert len({a.row_id for a in AuditLog.select().where(AuditLog.table == "candidate")}) == 250
    assert len({c.uid for c in Candidate.select()}) == 250


PLAIN_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp"]


def plain_list(tmp_path: Path, name: str = "lop_10A1.xlsx") -> Path:
    """A teacher's plain class list: no personal ID, no ethnic group."""
    rows = [["DANH SÁCH HỌC SINH LỚP 10A1"], PLAIN_HEADER]
    for i in range(6):
        s = student(i)
        rows.append([i + 1, s["full_name"], s["birth"], s["gender"], "10A1"])
    return write_xlsx(tmp_path / name, rows)


def test_a_plain_class_list_imports_all_six_students_as_incomplete_records(tmp_path: Path, db_path: Path,
                                                                          org_id: int) -> None:
    path = plain_list(tmp_path)
    table = cl.read_table(path)
    (match,) = cl.detect_all(table)
    assert match.missing == ()
    assert match.missing_optional == ("personal_id", "ethnic")
    plan = plan_of(path, org_id)
    assert plan.counts() == {"new": 6, "update": 0, "unchanged": 0, "error": 0}
    assert all(not r.problems for r in plan.rows)  # the missing columns are not said once per row
    assert importer.apply_import(plan)["new"] == 6
    stored = list(Candidate.select().order_by(Candidate.id))
    assert [(c.personal_id, c.ethnic, c.class_name) for c in stored] == [(None, None, "10A1")] * 6
    rows = repo.candidate_rows([c.id for c in stored], today=TODAY)
    assert {r.missing for r in rows.values()} == {("personal_id", "ethnic")}
    assert repo.candidate_count(repo.CandidateFilter(incomplete=True)) == 6
    # The same list again finds each student by name and birth date: nothing new, nothing changed.
    again = plan_of(path, org_id)
    assert again.counts() == {"new": 0, "update": 0, "unchanged": 6, "error": 0}


def test_a_list_without_ids_updates_the_student_it_names_and_keeps_the_known_id(tmp_path: Path, db_path: Path,
                                                                               org_id: int) -> None:
    complete = [student(i) for i in range(2)]
    importer.apply_import(plan_of(class_file(tmp_path, complete), org_id))
    rows = [["DANH SÁCH"], PLAIN_HEADER, [1, complete[0]["full_name"], complete[0]["birth"], complete[0]["gender"],
                                          "11A1"]]
    plan = plan_of(write_xlsx(tmp_path / "moved.xlsx", rows), org_id)
    assert plan.counts() == {"new": 0, "update": 1, "unchanged": 0, "error": 0}
    (item,) = plan.rows
    assert item.changes == {"class_name": (complete[0]["class_name"], "11A1")}
    importer.apply_import(plan)
    c = Candidate.get(Candidate.full_name == people.normalize_text(complete[0]["full_name"]))
    assert (c.personal_id, c.ethnic, c.class_name) == (complete[0]["personal_id"], "01", "11A1")


def test_the_same_student_twice_in_a_list_without_ids_is_imported_once(tmp_path: Path, db_path: Path,
                                                                      org_id: int) -> None:
    s = student(3)
    rows = [["DANH SÁCH"], PLAIN_HEADER, [1, s["full_name"], s["birth"], s["gender"], "10A1"],
            [2, s["full_name"], s["birth"], s["gender"], "10A1"]]
    plan = plan_of(write_xlsx(tmp_path / "twice.xlsx", rows), org_id)
    assert [r.status for r in plan.rows] == ["new", "error"]
    assert [p.code for p in plan.rows[1].problems] == ["import.duplicate_row"]

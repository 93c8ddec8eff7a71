"""The operations on both engines (the local SQLite file and a PostgreSQL server): the same calls, the same
rules, the same results; version numbers tell the second of two clerks working on the same record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop import catalogue
from lamha_desktop.domain import people, pipeline
from lamha_desktop.operations import candidates, ceremonies, organisations, steps
from lamha_desktop.operations import settings as settings_ops
from lamha_desktop.operations.core import ACCEPT_ALL, Conflict, Refused, current_version
from lamha_desktop.storage import audit, db, repo, settings
from lamha_desktop.storage.models import AuditLog, Candidate, Event

D = dt.date
TODAY = D(2026, 11, 26)
K = pipeline.EventKind


def _org(code: str = "LQD") -> int:
    changes = organisations.create({"code": code, "school_name": f"Trường THPT {code}", "name": f"Chi bộ {code}",
                                    "kind": "chi_bo", "official_members": 9, "annual_target": 1}, today=TODAY)
    assert changes.created_id is not None
    return changes.created_id


def _student(org: int, name: str, pid: str) -> int:
    changes = candidates.create({"organisation_id": org, "full_name": name, "gender": "nu", "birth": D(2006, 5, 20),
                                 "ethnic": "Kinh", "religion": "Không", "personal_id": pid}, today=TODAY)
    assert changes.created_id is not None
    return changes.created_id


def test_a_student_through_the_pipeline(store: Any) -> None:
    org = _org()
    cid = _student(org, "Nguyễn Thị Ánh", "068306001234")
    steps.record(cid, K.SOURCE, D(2024, 1, 10), {"helper": "Trần Văn Lộc"}, today=TODAY)
    steps.record(cid, K.CLASS, D(2024, 3, 1), {"cert_no": "12/GCN"}, accept=ACCEPT_ALL, today=TODAY)
    assert repo.candidate_rows([cid], today=TODAY)[cid].status.stage == pipeline.Stage.CLASS_DONE
    # An unlawful step is refused on both engines, nothing written.
    with pytest.raises(Refused):
        steps.record(cid, K.RECOGNITION, D(2024, 4, 1), {}, today=TODAY)
    assert [e.kind for e in repo.list_events(cid)] == [K.SOURCE, K.CLASS]
    # The audit trail names who did it; its filter by candidate reads the JSON of the steps on both engines.
    entries = audit.all_entries(audit.AuditFilter(candidate_id=cid))
    assert {e.table for e in entries} == {"candidate", "event"}
    assert len([e for e in entries if e.table == "event"]) == 2
    expected_user = db.database.session_user if store.on_server else repo.audit_user()
    assert {e.user for e in entries} == {expected_user}


def test_search_and_order_are_the_same_on_both_engines(store: Any) -> None:
    org = _org()
    names = ["Đỗ Bảo", "Lê An", "Nguyễn Thị Ánh", "Trần Văn Đức", "Phạm Ân", "Vũ Ăn", "Hồ Đan", "Lý Dan"]
    for i, name in enumerate(names):
        _student(org, name, f"06830600000{i}")
    order = [repo.candidate_rows([i])[i].full_name for i in repo.candidate_ids()]
    # The database orders by the stored key exactly as Python does (a < ă < â, d < đ; tones after letters).
    assert order == sorted(names, key=people.sort_key)
    assert order[:4] == ["Lê An", "Nguyễn Thị Ánh", "Vũ Ăn", "Phạm Ân"]
    found = repo.candidate_ids(repo.CandidateFilter(text="duc"))
    assert [repo.candidate_rows(found)[i].full_name for i in found] == ["Trần Văn Đức"]
    assert len(repo.candidate_ids(repo.CandidateFilter(text="0683060000"))) == len(names)


def test_settings_are_written_over_on_both_engines(store: Any) -> None:
    settings_ops.save({"signer_name": "Lê Văn Hùng"}, today=TODAY)
    settings_ops.save({"signer_name": "Trần Thị Minh Tâm"}, today=TODAY)
    assert settings.get("signer_name") == "Trần Thị Minh Tâm"


def test_the_second_clerk_editing_the_same_student_is_told_and_loses_nothing(store: Any) -> None:
    org = _org()
    cid = _student(org, "Nguyễn Thị Ánh", "068306001234")
    seen = current_version("candidate", cid)  # both clerks opened the form at this version
    first = repo.get_candidate(cid) | {"class_name": "12A1"}
    candidates.edit(cid, first, version=seen, today=TODAY)
    second = repo.get_candidate(cid) | {"class_name": "12A9", "residence": "xã Tân Hà"}
    with pytest.raises(Conflict) as info:
        candidates.edit(cid, second, version=seen, today=TODAY)
    problem = info.value.problems[0]
    message = catalogue.text(problem.code, dict(problem.params))
    who = db.database.session_user if store.on_server else repo.audit_user()
    assert f"Hồ sơ của «Nguyễn Thị Ánh» đã được {who} sửa lúc " in message
    assert repo.get_candidate(cid)["class_name"] == "12A1"  # the first clerk's change is kept
    # The second clerk reloads (the new version) and saves what they typed, knowingly.
    fresh = info.value.current[("candidate", cid)]
    assert fresh == current_version("candidate", cid)
    candidates.edit(cid, second, version=fresh, today=TODAY)
    assert (repo.get_candidate(cid)["class_name"], repo.get_candidate(cid)["residence"]) == ("12A9", "xã Tân Hà")


def test_a_step_recorded_on_a_stale_history_is_a_conflict(store: Any) -> None:
    org = _org()
    cid = _student(org, "Lê An", "068206001235")
    seen = current_version("candidate", cid)
    steps.record(cid, K.SOURCE, D(2024, 1, 10), {}, version=seen, today=TODAY)
    with pytest.raises(Conflict):
        steps.record(cid, K.SOURCE, D(2024, 1, 12), {}, version=seen, today=TODAY)
    assert Event.select().where(Event.candidate == cid).count() == 1


def test_a_ceremony_edit_raises_the_versions_and_a_stale_one_is_a_conflict(demo_store: Any) -> None:
    from lamha_desktop.operations.demo import DEMO_TODAY

    cer = next(c for c in repo.list_ceremonies() if c.on.year == 2024 and len(c.candidate_ids) >= 2)
    values = {"organisation_id": cer.organisation_id, "on": cer.on, "place": "Phòng họp",
              "decision_no": cer.decision_no, "decision_date": cer.decision_date,
              "decision_received": cer.decision_received}
    students_before = {i: current_version("candidate", i) for i in cer.candidate_ids}
    seen = current_version("ceremony", cer.id)
    ceremonies.edit(cer.id, values, list(cer.candidate_ids), accept=ACCEPT_ALL, version=seen, today=DEMO_TODAY)
    assert {i: current_version("candidate", i) for i in cer.candidate_ids} == {
        i: (v or 0) + 1 for i, v in students_before.items()}
    with pytest.raises(Conflict):
        ceremonies.edit(cer.id, values | {"place": "Sân trường"}, list(cer.candidate_ids), accept=ACCEPT_ALL,
                        version=seen, today=DEMO_TODAY)
    assert repo.get_ceremony(cer.id).place == "Phòng họp"
    assert all(Candidate.get_by_id(i).admitted_on == cer.on for i in cer.candidate_ids)
    last = AuditLog.select().where(AuditLog.table == "ceremony").order_by(AuditLog.id.desc()).first()
    assert last is not None
    assert last.after == {"place": "Phòng họp"}  # versions are bookkeeping, not audited


def test_a_class_list_and_a_school_return_land_the_same_on_both_engines(store: Any, tmp_path: Path) -> None:
    """The bulk paths (one executemany for thousands of rows, a return merged) with the engine's placeholders."""
    from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx

    from lamha_desktop.operations import importing
    from lamha_desktop.readers import class_list as cl

    org = _org("THA")
    path = write_xlsx(tmp_path / "lop.xlsx", [["DANH SÁCH HỌC SINH"], list(SIMPLE_HEADER),
                                               *[simple_row(student(i)) for i in range(40)]])
    table = cl.read_table(path)
    rows = cl.parse_rows(table, cl.detect_all(table), today=TODAY)
    plan = importing.plan(rows, org, today=TODAY)
    assert importing.apply(plan).result["new"] == 40
    assert Candidate.select().count() == 40
    assert AuditLog.select().where(AuditLog.table == "candidate").count() == 40
    again = importing.plan(rows, org, today=TODAY)
    assert again.counts()["unchanged"] == 40
    first = Candidate.select().order_by(Candidate.id).first()
    assert first is not None
    assert first.birth.year > 1990  # dates stored as dates, read back as dates, on both engines


def test_every_public_operation_that_writes_is_run_again_on_a_server_conflict() -> None:
    """A public function of ``operations`` that opens ``writing()`` is marked ``@operation``: on a server it is
    run again from the start when the server gives its transaction up (the demo builder is the exception: it
    fills a database nobody else uses yet)."""
    import ast
    from pathlib import Path

    import lamha_desktop.operations as package

    unmarked = []
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or path.stem == "core":
                continue
            decorators = {ast.unparse(d) for d in node.decorator_list}
            if "writing(" in (ast.get_source_segment(source, node) or "") and "operation" not in decorators:
                unmarked.append(f"{path.stem}.{node.name}")
    assert unmarked == ["demo.build_demo"]


def test_the_age_window_filters_agree_with_the_planner_on_both_engines(store: Any) -> None:
    """"Không kịp đủ 18 tuổi" and "sát ngày tốt nghiệp" are computed in SQL from the stored graduation year (a
    date made by each engine its own way); every student lands where the domain's planner puts them."""
    from lamha_desktop.domain import guide

    org = _org()
    births = [D(2007, 1, 15), D(2008, 7, 2), D(2008, 4, 9), D(2008, 2, 28), D(2008, 3, 1), D(2008, 5, 31),
              D(2008, 6, 1), D(2007, 12, 1)]
    ids = {}
    names = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Khánh", "Lan"]
    for i, birth in enumerate(births):
        changes = candidates.create({"organisation_id": org, "full_name": f"Lê Thị {names[i]}", "gender": "nu",
                                     "birth": birth, "ethnic": "Kinh", "religion": "Không",
                                     "personal_id": f"06830800010{i}", "graduation_year": 2026}, today=D(2025, 12, 1))
        assert changes.created_id is not None
        ids[changes.created_id] = birth
    none = set(repo.candidate_ids(repo.CandidateFilter(window=repo.WINDOW_NONE)))
    short = set(repo.candidate_ids(repo.CandidateFilter(window=repo.WINDOW_SHORT)))
    grad = guide.graduation_date(2026)
    expected_none = {c for c, b in ids.items() if guide.age_window(birth=b, graduation=grad).no_window}
    expected_short = {c for c, b in ids.items() if guide.age_window(birth=b, graduation=grad).short}
    assert (none, short) == (expected_none, expected_short)
    assert none  # both kinds are among them
    assert short



def test_a_saturday_worked_in_exchange_counts_in_every_deadline(demo_store: Any) -> None:
    """A Saturday the government declares worked ("làm bù") is a working day for the deadlines once the
    clerk enters it in the settings: the stored deadlines of the due list move one working day earlier."""
    from lamha_desktop.domain import rules
    from lamha_desktop.storage import due

    before = {r.candidate_id: r.due for r in due.list_due(TODAY) if r.kind == "ceremony"}
    assert before
    cid, deadline = min(before.items())
    saturday = deadline - dt.timedelta(days=deadline.weekday() + 2)  # the Saturday of the week before
    assert saturday.weekday() == 5
    settings_ops.save({}, [repo.DayOffRow(saturday, True, "Làm bù")], today=TODAY)
    days = repo.default_holidays()
    earlier = deadline - dt.timedelta(days=1)  # one working day earlier, the Saturday counted
    while not rules.is_working_day(earlier, holidays=days):
        earlier -= dt.timedelta(days=1)
    after = {r.candidate_id: r.due for r in due.list_due(TODAY) if r.kind == "ceremony"}
    assert after[cid] == earlier < deadline
    assert repo.candidate_rows([cid], today=TODAY)[cid].status.next_deadline == earlier
    assert saturday not in days
    assert saturday in days.working
    assert rules.add_working_days(saturday - dt.timedelta(days=1), 1, holidays=days) == saturday
    # The Sunday after it, not declared worked, is still a day off.
    assert rules.add_working_days(saturday, 1, holidays=days) == saturday + dt.timedelta(days=2)

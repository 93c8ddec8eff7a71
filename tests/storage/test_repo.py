"""Repositories over a real SQLite file: validation, search, Vietnamese order, derived stage, ceremonies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lamha_desktop.domain import pipeline
from lamha_desktop.storage import repo, writers
from lamha_desktop.storage.models import AuditLog

D = dt.date
TODAY = D(2026, 11, 26)


def _org(code: str = "LQD", kind: str = "chi_bo") -> int:
    return writers.save_organisation({"code": code, "school_name": f"Trường THPT {code}", "name": f"Chi bộ {code}",
                                   "kind": kind, "official_members": 9, "annual_target": 1})


def _candidate(org: int, name: str, pid: str, **extra: Any) -> int:
    values = {"organisation_id": org, "full_name": name, "gender": "nu", "birth": D(2008, 5, 20),
              "ethnic": "Kinh", "religion": "Không", "personal_id": pid} | extra
    return writers.save_candidate(values, today=TODAY)


def test_organisation_code_must_be_unique(store: object) -> None:
    _org("LQD")
    with pytest.raises(repo.ValidationFailed) as info:
        _org("lqd")
    assert [(p.field, p.code) for p in info.value.issues] == [("code", "org.code_duplicate")]


def test_candidate_validation_codes(store: object) -> None:
    org = _org()
    _candidate(org, "Nguyễn Thị Ánh", "068308001234")
    cases = {
        "pid.duplicate": {"personal_id": "068308001234"},
        "pid.format": {"personal_id": "12345"},
        "birth.too_young": {"birth": D(2015, 1, 1)},
        "birth.future": {"birth": D(2030, 1, 1)},
        "ethnic.unknown": {"ethnic": "Sao Hỏa"},
    }
    for code, override in cases.items():
        with pytest.raises(repo.ValidationFailed) as info:
            _candidate(org, "Trần Văn Bình", "068208009999", **override)
        assert code in [i.code for i in info.value.issues], code
    assert repo.candidate_count() == 1


def test_aliases_are_stored_as_codes(store: object) -> None:
    org = _org()
    cid = _candidate(org, "K'Brông Hoa", "068308001111", ethnic="K'Ho", religion="Thiên chúa giáo")
    row = repo.get_candidate(cid)
    assert (row["ethnic"], row["religion"]) == ("16", "02")


def test_search_ignores_case_and_diacritics(store: object) -> None:
    org = _org()
    a = _candidate(org, "Nguyễn Thị Ánh", "068308000001")
    b = _candidate(org, "Đặng Văn Dũng", "068208000002", gender="nam")
    _candidate(org, "Lê Thu Hà", "068308000003")
    assert repo.candidate_ids(repo.CandidateFilter(text="nguyen thi anh")) == [a]
    assert repo.candidate_ids(repo.CandidateFilter(text="dang")) == [b]
    assert repo.candidate_ids(repo.CandidateFilter(text="ĐẶNG")) == [b]
    assert repo.candidate_ids(repo.CandidateFilter(text="000002")) == [b]


def test_list_is_in_vietnamese_order(store: object) -> None:
    org = _org()
    names = ["Trần Văn Đức", "Lê Thị Anh", "Phạm Ngọc Ánh", "Nguyễn Văn Dũng", "Hoàng Thị Ơn", "Vũ Văn Ông"]
    for i, n in enumerate(names):
        _candidate(org, n, f"06830800{i:04d}")
    rows = repo.candidate_rows(repo.candidate_ids(), today=TODAY)
    ordered = [rows[i].full_name for i in repo.candidate_ids()]
    assert ordered == ["Lê Thị Anh", "Phạm Ngọc Ánh", "Nguyễn Văn Dũng", "Trần Văn Đức", "Vũ Văn Ông",
                       "Hoàng Thị Ơn"]


def test_stage_is_derived_from_events(store: object) -> None:
    org = _org()
    cid = _candidate(org, "Nguyễn Thị Ánh", "068308000001", birth=D(2007, 3, 10))

    def stage() -> pipeline.Stage:
        return repo.candidate_rows([cid], today=TODAY)[cid].status.stage

    assert stage() == pipeline.Stage.STUDENT  # no step: not on the source list yet
    writers.add_event(cid, pipeline.EventKind.CLASS, D(2025, 10, 1), {"cert_no": "12/GCN"})
    assert stage() == pipeline.Stage.CLASS_DONE
    vote = writers.add_event(cid, pipeline.EventKind.VOTE, D(2026, 3, 2), {"members": 9, "agree": 8, "disagree": 1,
                                                                         "passed": True})
    assert stage() == pipeline.Stage.VOTED
    assert repo.candidate_ids(repo.CandidateFilter(stage=int(pipeline.Stage.VOTED))) == [cid]
    writers.delete_event(vote)
    assert stage() == pipeline.Stage.CLASS_DONE
    assert repo.candidate_ids(repo.CandidateFilter(stage=int(pipeline.Stage.VOTED))) == []


def test_ceremony_admits_candidates_and_flags_late(store: object) -> None:
    org = _org()
    a = _candidate(org, "Nguyễn Thị Ánh", "068308000001", birth=D(2006, 3, 10))
    b = _candidate(org, "Lê Văn Bình", "068208000002", birth=D(2006, 4, 10), gender="nam")
    # Received Friday 05/01/2024; 30 working days later, with Tết 2024 (08–14/02) in between.
    cer = writers.save_ceremony({"organisation_id": org, "on": D(2024, 3, 1), "place": "Hội trường",
                              "decision_no": "12-QĐ/HU", "decision_date": D(2024, 1, 2),
                              "decision_received": D(2024, 1, 5)}, [a, b])
    row = repo.get_ceremony(cer)
    assert row.candidate_ids == (a, b)
    assert row.deadline is not None
    assert row.deadline > D(2024, 2, 16)
    assert row.late is (D(2024, 3, 1) > row.deadline)
    statuses = repo.candidate_rows([a, b], today=TODAY)
    assert {s.status.stage for s in statuses.values()} == {pipeline.Stage.PROBATION}
    assert statuses[a].status.admitted_on == D(2024, 3, 1)
    writers.delete_ceremony(cer)
    assert repo.candidate_rows([a], today=TODAY)[a].status.admitted_on is None


def test_ceremony_dates_out_of_order_are_refused(store: object) -> None:
    org = _org()
    with pytest.raises(repo.ValidationFailed) as info:
        writers.save_ceremony({"organisation_id": org, "on": D(2024, 1, 3), "decision_date": D(2024, 1, 10),
                            "decision_received": D(2024, 1, 5)}, [])
    codes = {p.code for p in info.value.issues}
    assert codes == {"order.received_before_decision", "order.ceremony_before_decision"}


def test_every_change_is_audited(store: object) -> None:
    org = _org()
    cid = _candidate(org, "Nguyễn Thị Ánh", "068308000001")
    writers.save_candidate({**repo.get_candidate(cid), "class_name": "11A2"}, cid, today=TODAY)
    entries = repo.audit_rows("candidate", cid)
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before == {"class_name": ""}
    assert entries[1].after == {"class_name": "11A2"}
    assert AuditLog.select().where(AuditLog.table == "organisation").count() == 1


def test_demo_matches_the_plan_figures(demo_store: object) -> None:
    from lamha_desktop.storage.models import Candidate, Event, Organisation

    orgs = list(Organisation.select())
    assert len(orgs) == 5
    assert sorted(o.kind for o in orgs) == ["chi_bo"] * 3 + ["dang_bo"] * 2

    def admitted(start: dt.date, end: dt.date) -> int:
        return Candidate.select().where(Candidate.admitted_on.between(start, end)).count()

    assert admitted(D(2023, 6, 1), D(2023, 12, 31)) == 4
    assert admitted(D(2024, 1, 1), D(2024, 6, 30)) == 14
    assert admitted(D(2023, 6, 14), D(2024, 6, 30)) == 18
    sent = (Event.select(Event.candidate).where((Event.kind == "class") & Event.on.between(D(2023, 6, 1),
                                                                                           D(2024, 6, 30)))
            .distinct().count())
    assert sent == 31
    stages = {c.stage for c in Candidate.select(Candidate.stage)}
    assert {int(s) for s in pipeline.Stage} <= stages


def test_ceremony_choices_put_decided_candidates_first(store: object) -> None:
    org = _org()
    waiting = _candidate(org, "Trần Văn Bình", "068208000002", birth=D(2007, 1, 1), gender="nam")
    fresh = _candidate(org, "Lê Thị Anh", "068308000001")
    writers.add_event(waiting, pipeline.EventKind.CLASS, D(2025, 3, 1), {})
    writers.add_event(waiting, pipeline.EventKind.VOTE, D(2026, 3, 2), {"members": 9, "agree": 8, "passed": True})
    writers.add_event(waiting, pipeline.EventKind.DECISION, D(2026, 4, 2), {"number": "5-QĐ/HU"})
    assert repo.ceremony_candidates_available(org) == [(waiting, "Trần Văn Bình", True),
                                                        (fresh, "Lê Thị Anh", False)]

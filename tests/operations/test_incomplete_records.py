"""Incomplete student records through the operations: the vote needs the personal ID and the ethnic group, on
every path (recording the vote, taking the ID away afterwards), and the dossier's papers recorded together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lamha_desktop.operations import Refused, candidates, organisations, steps
from lamha_desktop.storage import repo
from lamha_desktop.storage.models import Event

D = dt.date
TODAY = D(2026, 11, 26)
PAPERS = ("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the")


@pytest.fixture
def student(db_path: Path) -> int:
    org = organisations.create({"code": "NB", "school_name": "Trường THPT Nam Ban", "name": "Chi bộ Nam Ban",
                                "official_members": 5}, today=TODAY).created_id
    # As a plain class list gives them: no personal ID, no ethnic group.
    cid = candidates.create({"organisation_id": org, "full_name": "Nguyễn Thị Ánh", "gender": "nu",
                             "birth": D(2007, 1, 15), "ethnic": "", "religion": "", "personal_id": "",
                             "class_name": "12A1"}, today=TODAY).created_id
    assert cid is not None
    return cid


def _papers(on: dt.date) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, item in enumerate(PAPERS):
        data: dict[str, object] = {"item": item, "on": on + dt.timedelta(days=i)}
        if item == "gioi_thieu":
            data |= {"member": "Vũ Thị Thanh Hà", "together_since": "2024-09-01"}
        out.append(data)
    return out


def test_an_incomplete_record_goes_as_far_as_the_vote(student: int) -> None:
    assert repo.get_candidate(student)["missing"] == ("personal_id", "ethnic")
    steps.record(student, "source", D(2026, 6, 1), {}, today=TODAY)
    steps.record(student, "class", D(2026, 7, 10), {"cert_no": "15/GCN"}, today=TODAY)
    changes = steps.record_dossier(student, _papers(D(2026, 8, 3)), today=TODAY)
    assert len(changes.result) == 7
    with pytest.raises(Refused) as refused:
        steps.record(student, "vote", D(2026, 10, 5), {"agree": 5}, today=TODAY)
    assert [(p.code, p.params["facts"]) for p in refused.value.problems] == [
        ("step.facts_missing", ["personal_id", "ethnic"])]
    candidates.edit(student, repo.get_candidate(student) | {"personal_id": "068308001234"}, today=TODAY)
    with pytest.raises(Refused) as still:
        steps.record(student, "vote", D(2026, 10, 5), {"agree": 5}, today=TODAY)
    assert still.value.problems[0].params["facts"] == ["ethnic"]
    candidates.edit(student, repo.get_candidate(student) | {"ethnic": "Kinh"}, today=TODAY)
    steps.record(student, "vote", D(2026, 10, 5), {"agree": 5}, today=TODAY)
    assert repo.get_candidate(student)["missing"] == ()


def test_the_id_cannot_be_taken_away_after_the_vote(student: int) -> None:
    candidates.edit(student, repo.get_candidate(student) | {"personal_id": "068308001234", "ethnic": "Cơ-ho"},
                    today=TODAY)
    steps.record(student, "class", D(2026, 7, 10), {}, today=TODAY)
    steps.record_dossier(student, _papers(D(2026, 8, 3)), today=TODAY)
    steps.record(student, "vote", D(2026, 10, 5), {"agree": 5}, today=TODAY)
    with pytest.raises(Refused) as refused:
        candidates.edit(student, repo.get_candidate(student) | {"personal_id": ""}, today=TODAY)
    assert [(p.code, p.params.get("step")) for p in refused.value.problems] == [("step.facts_missing", "vote")]
    assert repo.get_candidate(student)["personal_id"] == "068308001234"  # nothing written


def test_the_papers_are_recorded_together_or_not_at_all(student: int) -> None:
    papers = _papers(D(2026, 8, 3))
    papers[2] = {"item": "tham_tra", "on": TODAY + dt.timedelta(days=3)}  # dated after today
    with pytest.raises(Refused) as refused:
        steps.record_dossier(student, papers, today=TODAY)
    assert [(p.code, p.field) for p in refused.value.problems] == [("step.future", "item:tham_tra")]
    assert Event.select().count() == 0  # not even the good ones

"""Searching students: the trigram index and the LIKE scan find exactly the same rows, the index follows every
change to the table, a database without it gets it at open, and the first page is the start of the list."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from lamha_desktop.domain import people
from lamha_desktop.storage import db, repo, search
from lamha_desktop.storage.models import Candidate, Organisation
from lamha_desktop.storage.typed_peewee import raw

NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Phạm Thu Hà", "K'Lin Thị Hoa", "Đặng Quốc Việt",
         "Hồ Ngọc Ánh", "Vũ Minh Khôi", "Ka Sô Liễng", "Bùi Thanh Tâm"]
WORDS = ["n", "ng", "ngu", "nguyen", "van an", "thi", "anh", "xyz", "068", "0681", "0000123", "lin", "k'lin",
         "lieng", "quoc viet", "an", "hoa", "thanh tam", "tam", "viet", "ka so"]


def fill(n: int, *, seed: int = 3) -> None:
    rng = random.Random(seed)
    with db.database.atomic():
        org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
        rows = []
        for i in range(n):
            name = rng.choice(NAMES) if i % 50 else f"Nguyễn Thị Hiếm {i}"
            rows.append({"organisation": org, "full_name": name, "search_key": people.search_key(name),
                         "sort_key": people.sort_key(name), "gender": "nu", "birth": dt.date(2008, 1, 1),
                         "personal_id": f"068{i:09d}"})
        for start in range(0, n, 500):
            Candidate.insert_many(rows[start:start + 500]).execute()


def like_ids(text: str) -> list[int]:
    """What a plain scan finds: every word a substring of the accent-free name or of the ID."""
    words = people.search_key(text).split()
    return [c.id for c in Candidate.select().order_by(Candidate.sort_key, Candidate.id)
            if all(w in c.search_key or w in c.personal_id for w in words)]


@pytest.fixture
def opened(tmp_path: Path) -> Path:
    path = tmp_path / db.DB_FILENAME
    db.open_database(path)
    assert search.ensure_index()
    yield path
    db.close_database()


def test_the_window_makes_the_index_when_it_opens_the_database(tmp_path: Path, qt_settings: None) -> None:
    import sys

    from lamha_desktop import app

    hook = sys.excepthook
    try:
        started = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
        assert search.has_index()
        started.window.close()  # type: ignore[attr-defined]
        app.close_store(started.db_path)
    finally:
        sys.excepthook = hook


@pytest.mark.parametrize("text", WORDS)
def test_index_and_scan_find_the_same_students(opened: Path, text: str) -> None:
    fill(2000)
    expected = like_ids(text)
    assert repo.candidate_ids(repo.CandidateFilter(text=text)) == expected
    assert repo.candidate_ids(repo.CandidateFilter(text=text), limit=100) == expected[:100]


def test_rare_words_go_through_the_index(opened: Path) -> None:
    fill(2000)

    def sql(text: str) -> str:
        return str(Candidate.select(Candidate.id).where(search.condition(text)).sql()[0])

    assert search.INDEX in sql("hiem")  # 40 of 2000: the index
    assert search.INDEX not in sql("nguyen")  # most of them: the scan
    assert search.INDEX not in sql("hi")  # too short for trigrams


def test_the_index_follows_every_change(opened: Path) -> None:
    fill(300)
    flt = repo.CandidateFilter(text="zzzhiem")
    assert repo.candidate_ids(flt) == []
    c = Candidate.get_by_id(7)
    c.full_name = "Lò Văn Zzzhiếm"
    c.search_key = people.search_key(c.full_name)
    c.save()
    assert repo.candidate_ids(flt) == [7]
    assert repo.candidate_ids(repo.CandidateFilter(text=c.personal_id)) == [7]
    Candidate.update(personal_id="079000000999").where(Candidate.id == 7).execute()
    assert repo.candidate_ids(repo.CandidateFilter(text=c.personal_id)) == []
    assert repo.candidate_ids(repo.CandidateFilter(text="079000000999")) == [7]
    Candidate.delete().where(Candidate.id == 7).execute()
    assert repo.candidate_ids(flt) == []
    new = Candidate.create(organisation=1, full_name="Zzzhiếm Mới", search_key="zzzhiem moi", sort_key="moi",
                           gender="nam", birth=dt.date(2008, 2, 2), personal_id="068999999999")
    assert repo.candidate_ids(flt) == [new.id]
    assert raw(db.database).execute_sql(
        f"INSERT INTO {search.INDEX}({search.INDEX}, rank) VALUES ('integrity-check', 1)").fetchall() == []


def test_without_the_index_the_scan_finds_the_same(opened: Path) -> None:
    fill(2000)
    expected = {w: like_ids(w) for w in WORDS}
    for statement in (f"DROP TRIGGER {search.INDEX}_insert", f"DROP TRIGGER {search.INDEX}_delete",
                      f"DROP TRIGGER {search.INDEX}_update", f"DROP TABLE {search.INDEX}"):
        raw(db.database).execute_sql(statement)
    search.forget()
    assert not search.has_index()
    for word, ids in expected.items():
        assert repo.candidate_ids(repo.CandidateFilter(text=word)) == ids, word


def test_a_database_without_the_index_gets_it_again(opened: Path) -> None:
    fill(500)
    raw(db.database).execute_sql(f"DROP TABLE {search.INDEX}")  # a file written before the index existed
    db.close_database()
    db.open_database(opened)
    assert not search.has_index()
    assert search.ensure_index()
    assert repo.candidate_ids(repo.CandidateFilter(text="hiem")) == like_ids("hiem")


def test_a_read_only_database_searches_without_writing(opened: Path) -> None:
    fill(500)
    raw(db.database).execute_sql(f"DROP TABLE {search.INDEX}")
    db.close_database()
    before = opened.read_bytes()
    db.open_database(opened, read_only=True)
    assert not search.has_index()
    assert repo.candidate_ids(repo.CandidateFilter(text="hiem")) == like_ids("hiem")
    db.close_database()
    assert opened.read_bytes() == before

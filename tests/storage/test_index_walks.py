"""Two queries that walk the candidate indexes instead of reading every row, on each engine: the years of the
year filter (one seek per year) and the keyset pages of the students' list (rows after a given one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lamha_desktop.domain import people
from lamha_desktop.storage import db, repo
from lamha_desktop.storage.models import Candidate, Organisation
from lamha_desktop.storage.typed_peewee import raw


def _add(org: Organisation, name: str, year: int | None) -> int:
    return int(Candidate.create(organisation=org, full_name=name, search_key=people.search_key(name),
                                sort_key=people.sort_key(name), gender="nu", birth=dt.date(2008, 3, 3),
                                listed_year=year).id)


def test_listed_years_are_the_distinct_years_newest_first(store: Any) -> None:
    assert repo.listed_years() == []
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    _add(org, "Lê Thị Không Năm", None)
    assert repo.listed_years() == []
    for i, year in enumerate((2024, 2022, 2024, 2026, 2023, 2026, 2026)):
        _add(org, f"Lê Thị {i}", year)
    distinct = [int(r[0]) for r in raw(db.database).execute_sql(
        'SELECT DISTINCT "listed_year" FROM "candidate" WHERE "listed_year" IS NOT NULL '
        'ORDER BY "listed_year" DESC').fetchall()]
    assert repo.listed_years() == distinct == [2026, 2024, 2023, 2022]


def test_keyset_pages_on_each_engine(store: Any) -> None:
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    for i in range(23):
        _add(org, f"{'Đỗ' if i % 3 else 'Ánh'} Văn {i % 5}", 2026)  # many names sort alike
    for descending in (False, True):
        whole = repo.candidate_ids(descending=descending)
        pages = repo.candidate_ids(descending=descending, limit=4)
        while len(page := repo.candidate_ids(descending=descending, limit=4, after=pages[-1])) == 4:
            pages += page
        pages += page
        assert pages == whole
        assert len(set(whole)) == 23

"""The students tab shows the first page at once and the rest of the list (and its count) just after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop.domain import people
from lamha_desktop.storage import db, repo
from lamha_desktop.storage.models import Candidate, Organisation
from lamha_desktop.ui.candidates.tab import CandidatesTab


@pytest.fixture
def many(tmp_path: Path) -> Iterator[int]:
    db.open_database(tmp_path / db.DB_FILENAME)
    n = 250
    with db.database.atomic():
        org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
        rows = []
        for i in range(n):
            name = f"{'Nguyễn' if i % 2 else 'Trần'} Văn {i:03d}"
            rows.append({"organisation": org, "full_name": name, "search_key": people.search_key(name),
                         "sort_key": people.sort_key(name), "gender": "nam", "birth": dt.date(2008, 1, 1),
                         "personal_id": f"068{i:09d}"})
        Candidate.insert_many(rows).execute()
    yield n
    db.close_database()


def test_first_page_then_the_rest(many: int, qtbot: Any) -> None:
    tab = CandidatesTab(today=dt.date(2026, 12, 1))
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == CandidatesTab.FIRST_PAGE
    assert not tab.loaded
    assert tab.count_label.text() == "Đang đếm…"
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    assert tab.model.ids == repo.candidate_ids()
    assert tab.count_label.text() == "250 quần chúng"
    tab.search.setText("tran")  # 125 rows: first page, then the rest
    tab.requery()
    tab.search.setText("van 24")  # a few rows: all of them at once, before the previous rest arrived
    tab.requery()
    few = repo.candidate_ids(tab.current_filter())
    assert 0 < len(few) < CandidatesTab.FIRST_PAGE
    assert tab.loaded
    assert tab.model.ids == few
    assert tab.count_label.text() == f"{len(few)} quần chúng"
    qtbot.wait(50)  # the superseded rest of "tran" must not land
    assert tab.model.ids == few


def test_the_selection_beyond_the_first_page_survives_a_refresh(many: int, qtbot: Any) -> None:
    tab = CandidatesTab(today=dt.date(2026, 12, 1))
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    tab.view.selectRow(200)
    chosen = tab.selected_id()
    assert chosen == tab.model.ids[200]
    tab.refresh()
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    assert tab.selected_id() == chosen

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


def test_keyset_pages_give_the_same_list_in_both_orders(many: int) -> None:
    """Pages of the name order, each after the last id of the page before, are the whole list: names that sort
    alike (all 250 share two family names; three are exact twins) are neither lost nor repeated."""
    org = Organisation.get()
    with db.database.atomic():
        for _ in range(3):
            Candidate.create(organisation=org, full_name="Trần Văn 007", search_key=people.search_key("Trần Văn 007"),
                             sort_key=people.sort_key("Trần Văn 007"), gender="nam", birth=dt.date(2008, 1, 1))
    for flt in (repo.CandidateFilter(), repo.CandidateFilter(text="tran")):
        for descending in (False, True):
            whole = repo.candidate_ids(flt, descending=descending)
            pages = repo.candidate_ids(flt, descending=descending, limit=7)
            while True:
                page = repo.candidate_ids(flt, descending=descending, limit=7, after=pages[-1])
                pages += page
                if len(page) < 7:
                    break
            assert pages == whole
            assert len(whole) == len(set(whole)) == (253 if flt == repo.CandidateFilter() else 128)
    assert repo.candidate_ids(descending=True) == repo.candidate_ids()[::-1]


def test_a_page_after_a_deleted_candidate_is_refused(many: int) -> None:
    ids = repo.candidate_ids(limit=10)
    Candidate.delete_by_id(ids[-1])
    with pytest.raises(repo.AnchorGone):
        repo.candidate_ids(limit=10, after=ids[-1])
    with pytest.raises(ValueError, match="name order"):
        repo.candidate_ids(sort="birth", limit=10, after=ids[0])


def test_the_rest_comes_a_page_per_turn_of_the_event_loop(many: int, qtbot: Any, monkeypatch: Any) -> None:
    """Between two pages the window handles its events: after one turn only the next page has come, and each
    page is twice the one before."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(CandidatesTab, "REST_PAGE", 40)
    tab = CandidatesTab(today=dt.date(2026, 12, 1))
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 100
    QApplication.processEvents()
    assert tab.model.rowCount() == 140
    assert not tab.loaded
    QApplication.processEvents()
    assert tab.model.rowCount() == 220
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    assert tab.model.ids == repo.candidate_ids()
    assert tab.count_label.text() == "250 quần chúng"
    tab.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: tab.loaded and tab.model.ids[0] != repo.candidate_ids()[0], timeout=5000)
    assert tab.model.ids == repo.candidate_ids(descending=True)


def test_a_deleted_last_row_between_pages_loads_the_whole_list(many: int, qtbot: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(CandidatesTab, "REST_PAGE", 40)
    tab = CandidatesTab(today=dt.date(2026, 12, 1))
    qtbot.addWidget(tab)
    QApplication.processEvents()
    Candidate.delete_by_id(tab.model.ids[-1])  # (another clerk on the server: no change announced here)
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    assert tab.model.ids == repo.candidate_ids()
    assert tab.count_label.text() == "249 quần chúng"


def test_a_search_comes_in_one_query_after_its_first_page(many: int, qtbot: Any, monkeypatch: Any) -> None:
    """A search's match would be computed again for each page: its rest comes in one turn."""
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(CandidatesTab, "REST_PAGE", 10)
    tab = CandidatesTab(today=dt.date(2026, 12, 1))
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    tab.search.setText("tran")
    tab.requery()
    assert tab.model.rowCount() == CandidatesTab.FIRST_PAGE
    QApplication.processEvents()
    assert tab.loaded
    assert tab.model.ids == repo.candidate_ids(tab.current_filter())
    assert len(tab.model.ids) == 125

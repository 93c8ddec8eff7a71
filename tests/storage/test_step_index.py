"""The steps' index by kind and date (``storage.due.ensure_step_index``): derived, not part of the schema.

The overdue count at every start looks for the awareness certificates about to expire; without the index that
query reads every step of the file. A writable file gets the index once at start; a file opened from a
read-only folder is read as it is, and needs no migration for it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from lamha_desktop.domain import pipeline
from lamha_desktop.storage import db, due
from lamha_desktop.storage.models import Candidate, Event, Organisation
from lamha_desktop.storage.typed_peewee import raw

TODAY = dt.date(2026, 12, 3)


def _fill(path: Path) -> None:
    db.open_database(path)
    org = Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    for i in range(40):
        c = Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                             sort_key=f"{i:06d}", gender="nam", birth="2007-01-01", personal_id=f"{i:012d}",
                             stage=int(pipeline.Stage.CLASS_DONE))
        Event.create(candidate=c, kind=pipeline.EventKind.SOURCE, on=dt.date(2021, 9, 1))
        # Certificates of 2021: the 5-year validity ends within the notice months for the even ones.
        Event.create(candidate=c, kind=pipeline.EventKind.CLASS, on=dt.date(2021, 12 if i % 2 else 11, 20),
                     data={"cert_no": str(i)})


def _indexes(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        con.close()


def test_the_index_is_made_once_and_the_overdue_count_reads_through_it(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    _fill(path)
    try:
        before = due.list_due(TODAY, overdue_only=True)
        assert sorted(r.full_name for r in before) == sorted(f"Nguyễn Văn {i}" for i in range(0, 40, 2))
        assert {r.kind for r in before} == {"certificate_expiring"}
        assert due.STEP_INDEX not in _indexes(path)
        assert due.ensure_step_index()
        assert due.ensure_step_index()  # there already: nothing to do
        assert due.STEP_INDEX in _indexes(path)
        plan = " ".join(str(r) for r in raw(db.database).execute_sql(
            'EXPLAIN QUERY PLAN SELECT "candidate_id" FROM "event" WHERE "kind" = ? AND "on" <= ?',
            (pipeline.EventKind.CLASS, "2022-03-03")).fetchall())
        assert due.STEP_INDEX in plan
        assert due.list_due(TODAY, overdue_only=True) == before  # the same answer, by the index
    finally:
        db.close_database()


def test_a_file_opened_read_only_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / db.DB_FILENAME
    _fill(path)
    db.close_database()
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    before = path.read_bytes()
    db.open_database(path, read_only=True)
    try:
        assert not due.ensure_step_index()
        assert len(due.list_due(TODAY, overdue_only=True)) == 20  # the same answer, by the scan
    finally:
        db.close_database()
    assert path.read_bytes() == before
    assert due.STEP_INDEX not in _indexes(path)


def test_the_start_makes_the_index(tmp_path: Path) -> None:
    from lamha_desktop import app

    folder = tmp_path / "data"
    folder.mkdir()
    _fill(folder / db.DB_FILENAME)
    db.close_database()
    path = app.open_store(folder, demo=False)
    try:
        assert due.STEP_INDEX in _indexes(path)
    finally:
        app.close_store(path)

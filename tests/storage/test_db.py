"""The database file: pragmas, schema version, refusing newer files, backup before migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lamha_desktop.storage import db
from lamha_desktop.storage.models import Organisation, UpperCommittee


def test_new_database_is_versioned_and_safe(db_path: Path) -> None:
    assert db.schema_version() == db.SCHEMA_VERSION >= 1
    pragma = db.database.execute_sql
    assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA synchronous").fetchone()[0] == 2
    assert [c.name for c in UpperCommittee.select()] == ["Huyện ủy Lâm Hà"]


def test_foreign_keys_are_enforced(db_path: Path) -> None:
    from peewee import IntegrityError

    from lamha_desktop.storage.models import Candidate

    with pytest.raises(IntegrityError):
        Candidate.create(organisation=999, full_name="X", search_key="x", sort_key="x", gender="nam",
                         birth="2008-01-01", personal_id="012345678901")


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lamha.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(x)")
    con.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(db.StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.too_new"
    assert info.value.params["version"] == db.SCHEMA_VERSION + 5
    assert path.read_bytes() == before


def test_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "lamha.sqlite3"
    path.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(db.StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.foreign"
    assert info.value.params["file_kind"] == "text"


def test_migration_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lamha.sqlite3"
    db.open_database(path)
    Organisation.create(code="LQD", school_name="Trường THPT Lê Quý Đôn", name="Chi bộ")
    db.close_database()

    def next_version(database: object) -> None:
        db.database.execute_sql("CREATE INDEX idx_test_next ON organisation(school_name)")

    head = db.SCHEMA_VERSION
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, next_version])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    db.open_database(path)
    try:
        assert db.schema_version() == head + 1
        backups = list((tmp_path / "backups").glob(f"pre-migration-v{head}-*.sqlite3"))
        assert len(backups) == 1
        con = sqlite3.connect(backups[0])
        assert con.execute("PRAGMA user_version").fetchone()[0] == head
        assert con.execute("SELECT code FROM organisation").fetchall() == [("LQD",)]
        con.close()
    finally:
        db.close_database()


def test_unwritable_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(db.StorageError) as info:
        db.open_database(blocker / "sub" / "lamha.sqlite3")
    assert info.value.code == "db.not_writable"

"""The schema's history: an empty database migrated to the head is exactly what the models declare."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import peewee

from lamha_desktop.storage import db, migrations, models, search


def _shape(path: Path) -> dict[str, Any]:
    con = sqlite3.connect(path)
    try:
        # The search index (storage.search) is derived data that open_database adds, not part of the schema.
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE ? ORDER BY name", (search.INDEX + "%",))]
        shape: dict[str, Any] = {}
        for t in tables:
            columns = [(r[1], r[2].upper(), r[3], r[5]) for r in con.execute(f'PRAGMA table_info("{t}")')]
            keys = sorted((r[2], r[3], r[4], r[6]) for r in con.execute(f'PRAGMA foreign_key_list("{t}")'))
            indexes = {}
            for r in con.execute(f'PRAGMA index_list("{t}")'):
                if r[3] == "pk":
                    continue
                indexes[r[1]] = (r[2], [c[2] for c in con.execute(f'PRAGMA index_info("{r[1]}")')])
            shape[t] = {"columns": columns, "foreign_keys": keys, "indexes": indexes}
        return shape
    finally:
        con.close()


def test_empty_to_head_equals_the_models(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    db.open_database(migrated)
    db.close_database()
    declared = tmp_path / "declared.sqlite3"
    fresh = peewee.SqliteDatabase(str(declared))
    with fresh.bind_ctx(models.ALL_MODELS):
        fresh.create_tables(models.ALL_MODELS)
    fresh.close()
    assert _shape(migrated) == _shape(declared)


def test_version_1_is_frozen_sql_not_the_models() -> None:
    import inspect

    assert "create_tables" not in inspect.getsource(migrations)
    assert "models" not in {name for name in dir(migrations)}


def _v1_database(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    for statement in migrations._statements(migrations.V1_SQL):
        con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    return con


def test_v2_gives_a_borrowed_ceremony_decision_to_its_candidate_and_keeps_legacy_counts(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    con = _v1_database(path)
    con.execute("""INSERT INTO organisation (id, uid, code, school_name, name, kind, official_members, secretary,
                   annual_target, active, updated_at) VALUES (1, 'u1', 'A', 'THPT A', 'Chi bộ A', 'dang_bo', 15, '',
                   1, 1, '2024-01-01 00:00:00')""")
    con.execute("""INSERT INTO candidate (id, uid, organisation_id, full_name, search_key, sort_key, gender, birth,
                   ethnic, religion, personal_id, class_name, residence, notes, stage, updated_at)
                   VALUES (1, 'c1', 1, 'Lê An', 'le an', 'an', 'nam', '2005-01-01', '01', '00', '068205000001', '',
                   '', '', 70, '2024-01-01 00:00:00')""")
    con.execute("""INSERT INTO event (candidate_id, kind, "on", data, created_at) VALUES
                   (1, 'vote', '2024-03-01', '{"members": 12, "agree": 9, "passed": true}', '2024-03-01 00:00:00')""")
    con.execute("""INSERT INTO ceremony (id, uid, organisation_id, "on", place, decision_no, decision_date,
                   decision_received, notes) VALUES (1, 'k1', 1, '2024-06-01', '', '12-QĐ/HU', '2024-05-02',
                   '2024-05-06', '')""")
    con.execute("INSERT INTO ceremony_candidate (ceremony_id, candidate_id) VALUES (1, 1)")
    con.commit()
    con.close()
    db.open_database(path)
    db.close_database()
    con = sqlite3.connect(path)
    events = {k: (on, json.loads(d)) for k, on, d in con.execute('SELECT kind, "on", data FROM event')}
    counts = con.execute("SELECT organisation_id, valid_from, count FROM member_count").fetchall()
    con.close()
    assert events["decision"] == ("2024-05-02", {"number": "12-QĐ/HU", "received": "2024-05-06",
                                                 "from_ceremony": True, "party_committee": True})
    assert events["vote"][1]["members_reason"] == migrations.LEGACY_MEMBERS_REASON
    assert counts == [(1, None, 15)]

"""The schema's history: an empty database migrated to the head is exactly what the models declare."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import peewee
import pytest

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


# ---------------------------------------------------------------- the same on a PostgreSQL server

SERVER_ONLY_TABLES = {"clerk", "lamha_schema"}
DERIVED_INDEXES = {search.PG_INDEX}  # storage.search: made by server-init beside the schema, not a model's


def _pg_shape(url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url) as con:
        tables = [r[0] for r in con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
        shape: dict[str, Any] = {}
        for t in tables:
            if t in SERVER_ONLY_TABLES:
                continue
            columns = [tuple(r) for r in con.execute(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position", (t,))]
            keys = sorted(tuple(r) for r in con.execute(
                "SELECT kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule "
                "FROM information_schema.referential_constraints rc "
                "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name "
                "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name "
                "JOIN information_schema.table_constraints tc ON tc.constraint_name = rc.constraint_name "
                "WHERE tc.table_name = %s", (t,)))
            indexes = {name: (unique, cols) for name, unique, cols in con.execute(
                "SELECT i.relname, ix.indisunique, ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY "
                "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum "
                "ORDER BY k.n) FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
                "JOIN pg_class tb ON tb.oid = ix.indrelid WHERE tb.relname = %s AND NOT ix.indisprimary", (t,))
                if name not in DERIVED_INDEXES}
            shape[t] = {"columns": columns, "foreign_keys": keys, "indexes": indexes}
        return shape


@pytest.mark.postgresql
def test_empty_to_head_equals_the_models_on_postgresql(pg_cluster: Any) -> None:
    from conftest import _admin_execute, drop_pg_database

    from lamha_desktop.storage import server

    for name in ("mig_migrated", "mig_declared"):
        _admin_execute(pg_cluster, f'CREATE DATABASE "{name}"')
    try:
        server.init_server(pg_cluster.url("mig_migrated"))
        assert server.schema_version() == db.SCHEMA_VERSION
        db.close_database()
        fresh = peewee.PostgresqlDatabase(pg_cluster.url("mig_declared"))
        with fresh.bind_ctx(models.ALL_MODELS):
            fresh.create_tables(models.ALL_MODELS)
        fresh.close()
        migrated, declared = _pg_shape(pg_cluster.url("mig_migrated")), _pg_shape(pg_cluster.url("mig_declared"))
        assert migrated == declared
        # What the server has on top of the models: the Vietnamese sort key compared byte by byte, as SQLite
        # does (a locale collation would ignore its separators), row-level security on every table of data.
        import psycopg

        with psycopg.connect(pg_cluster.url("mig_migrated")) as con:
            collation = con.execute("SELECT collation_name FROM information_schema.columns "
                                    "WHERE table_name = 'candidate' AND column_name = 'sort_key'").fetchone()
            secured = {r[0] for r in con.execute("SELECT relname FROM pg_class WHERE relrowsecurity")}
            derived = {r[0] for r in con.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'candidate'")}
        assert collation == ("C",)
        assert derived >= DERIVED_INDEXES  # the students' search index (pg_trgm is in the distribution's server)
        assert secured == {"organisation", "member_count", "candidate", "ceremony", "event", "ceremony_candidate",
                           "upper_committee", "day_off", "setting", "audit_log", "clerk"}
        # Running server-init again changes nothing (the version is the head already).
        server.init_server(pg_cluster.url("mig_migrated"))
        assert server.schema_version() == db.SCHEMA_VERSION
        db.close_database()
    finally:
        db.close_database()
        for name in ("mig_migrated", "mig_declared"):
            drop_pg_database(pg_cluster, name)


@pytest.mark.postgresql
def test_v2_data_step_runs_on_postgresql(pg_cluster: Any) -> None:
    """The data step of version 2 (a ceremony's decision given to its candidate) with psycopg's placeholders."""
    import psycopg
    from conftest import _admin_execute, drop_pg_database

    _admin_execute(pg_cluster, 'CREATE DATABASE "mig_v1"')
    try:
        url = pg_cluster.url("mig_v1")
        server_db = peewee.PostgresqlDatabase(url)
        with server_db.atomic():
            migrations._v1(server_db)
            c = server_db.connection().cursor()
            c.execute("""INSERT INTO organisation (uid, code, school_name, name, kind, official_members, secretary,
                         annual_target, active, updated_at) VALUES ('u1', 'A', 'THPT A', 'Chi bộ A', 'dang_bo', 15,
                         '', 1, TRUE, '2024-01-01 00:00:00') RETURNING id""")
            org = c.fetchone()[0]
            c.execute("""INSERT INTO candidate (uid, organisation_id, full_name, search_key, sort_key, gender, birth,
                         ethnic, religion, personal_id, class_name, residence, notes, stage, updated_at) VALUES
                         ('c1', %s, 'Lê An', 'le an', 'an', 'nam', '2005-01-01', '01', '00', '068205000001', '', '',
                         '', 70, '2024-01-01 00:00:00') RETURNING id""", (org,))
            cid = c.fetchone()[0]
            c.execute("""INSERT INTO ceremony (uid, organisation_id, "on", place, decision_no, decision_date,
                         decision_received, notes) VALUES ('k1', %s, '2024-06-01', '', '12-QĐ/HU', '2024-05-02',
                         '2024-05-06', '') RETURNING id""", (org,))
            c.execute("INSERT INTO ceremony_candidate (ceremony_id, candidate_id) VALUES (%s, %s)",
                      (c.fetchone()[0], cid))
            migrations._v2(server_db)
        server_db.close()
        with psycopg.connect(url) as con:
            events = con.execute('SELECT kind, "on"::text, data FROM event').fetchall()
            audit = con.execute("SELECT \"table\", row_id > 0 FROM audit_log").fetchall()
        assert [(k, on, json.loads(d)) for k, on, d in events] == [
            ("decision", "2024-05-02", {"number": "12-QĐ/HU", "received": "2024-05-06", "from_ceremony": True,
                                        "party_committee": True})]
        assert audit == [("event", True)]
    finally:
        drop_pg_database(pg_cluster, "mig_v1")

"""The schema's history: an empty database migrated to the head is exactly what the models declare."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import peewee
import pytest

from lamha_desktop.storage import db, due, migrations, models, search


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


def _v2_database(path: Path) -> sqlite3.Connection:
    con = _v1_database(path)
    for statement in migrations._statements(migrations.V2_SQL):
        con.execute(statement)
    con.execute("PRAGMA user_version = 2")
    return con


def _v2_school(path: Path, *, place_setting: str | None, typed: bool) -> None:
    """A version-2 school: one organisation under the district committee, a student with steps and a ceremony,
    another without any step; the old "place" setting stored (typed by a user, or the dialog's default)."""
    con = _v2_database(path)
    con.execute("""INSERT INTO organisation (id, uid, code, school_name, name, kind, official_members, secretary,
                   annual_target, upper_committee_id, active, updated_at) VALUES (1, 'u1', 'NB', 'THPT Nam Ban',
                   'Chi bộ Nam Ban', 'chi_bo', 9, 'Trần Thị Minh Tâm', 1, 1, 1, '2024-01-01 00:00:00')""")
    for cid, pid, stage in ((1, "068308001234", 70), (2, "068308001235", 10)):
        con.execute("""INSERT INTO candidate (id, uid, organisation_id, full_name, search_key, sort_key, gender, birth,
                       ethnic, religion, personal_id, class_name, residence, notes, stage, updated_at) VALUES
                       (?, ?, 1, 'Lê An', 'le an', 'an', 'nam', '2005-01-01', '01', '00', ?, '12A1', '', '', ?,
                       '2024-01-01 00:00:00')""", (cid, f"c{cid}", pid, stage))
    con.execute("""INSERT INTO event (candidate_id, kind, "on", data, created_at) VALUES
                   (1, 'class', '2023-10-01', '{}', '2023-10-01 00:00:00'),
                   (1, 'decision', '2024-05-02', '{"number": "1-QĐ/HU"}', '2024-05-02 00:00:00')""")
    con.execute("""INSERT INTO ceremony (id, uid, organisation_id, "on", place, decision_no, notes)
                   VALUES (1, 'k1', 1, '2024-06-01', '', '1-QĐ/HU', '')""")
    con.execute("INSERT INTO ceremony_candidate (ceremony_id, candidate_id) VALUES (1, 1)")
    if place_setting is not None:
        con.execute("INSERT INTO setting (key, value) VALUES ('place', ?)", (json.dumps(place_setting),))
    if typed:
        con.execute("""INSERT INTO audit_log (at, user, "table", row_id, action, before, after) VALUES
                       ('2024-02-01 00:00:00', 'thu', 'setting', 0, 'update', '{"place": "Lâm Hà"}', ?)""",
                    (json.dumps({"place": place_setting}, ensure_ascii=False),))
    con.commit()
    con.close()


@pytest.mark.parametrize(("stored", "typed", "place"), [
    ("Nam Ban", True, "Nam Ban"),  # typed by the user in the settings: it becomes the organisation's place
    ("Lâm Hà", False, ""),  # the old default, saved with the dialog but never typed: dropped
    (None, False, ""),
])
def test_v4_moves_a_typed_place_onto_the_organisations_and_drops_the_default(
        tmp_path: Path, stored: str | None, typed: bool, place: str) -> None:
    path = tmp_path / "v2.sqlite3"
    _v2_school(path, place_setting=stored, typed=typed)
    db.open_database(path)
    db.close_database()
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT place FROM organisation").fetchall() == [(place,)]
        assert con.execute("SELECT COUNT(*) FROM setting WHERE key = 'place'").fetchone() == (0,)
        assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    finally:
        con.close()


def test_v4_rebuilds_the_candidates_without_losing_a_step_and_keeps_the_id_unique(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    _v2_school(path, place_setting=None, typed=False)
    db.open_database(path)
    db.close_database()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        # Dropping the old table cascaded nothing: the steps and the ceremony link are all there.
        assert con.execute("SELECT candidate_id, kind FROM event ORDER BY id").fetchall() == [
            (1, "class"), (1, "decision")]
        assert con.execute("SELECT candidate_id FROM ceremony_candidate").fetchall() == [(1,)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA foreign_keys").fetchone() == (1,)
        # A student without any step is no longer "in the source list"; the others keep their stage.
        assert con.execute("SELECT id, stage FROM candidate ORDER BY id").fetchall() == [(1, 70), (2, 5)]
        # The ID and the ethnic group may be unknown (several records without an ID); a known ID stays unique.
        for cid in (3, 4):
            con.execute("""INSERT INTO candidate (id, uid, organisation_id, full_name, search_key, sort_key, gender,
                           birth, ethnic, religion, personal_id, class_name, residence, notes, stage, updated_at)
                           VALUES (?, ?, 1, 'Lê Vy', 'le vy', 'vy', 'nu', '2009-01-01', NULL, '00', NULL, '', '',
                           '', 5, '2026-01-01 00:00:00')""", (cid, f"c{cid}"))
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("UPDATE candidate SET personal_id = '068308001234' WHERE id = 3")
        # Deleting a candidate still cascades to their steps: the rebuilt table is the one they refer to.
        con.execute("DELETE FROM ceremony_candidate")
        con.execute("DELETE FROM candidate WHERE id = 1")
        assert con.execute("SELECT COUNT(*) FROM event").fetchone() == (0,)
    finally:
        con.close()


def test_v4_refuses_a_rebuild_that_breaks_a_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The foreign-key check before commit: a migration that left a dangling reference is rolled back."""
    path = tmp_path / "v2.sqlite3"
    _v2_school(path, place_setting="Nam Ban", typed=True)
    original = migrations.V4_CANDIDATE_SQL
    monkeypatch.setattr(migrations, "V4_CANDIDATE_SQL", original.replace(
        'SELECT "id", "uid"', 'SELECT "id" + 100, "uid"'))  # every candidate gets another id
    with pytest.raises(db.StorageError) as info:
        db.open_database(path)
    assert info.value.code == "db.migration_failed"
    db.close_database()
    con = sqlite3.connect(path)
    try:
        # Version 3 (the document counters) committed on its own; nothing of version 4 stayed.
        assert con.execute("PRAGMA user_version").fetchone() == (3,)
        assert con.execute("SELECT id FROM candidate ORDER BY id").fetchall() == [(1,), (2,)]
        assert con.execute("SELECT value FROM setting WHERE key = 'place'").fetchone() == ('"Nam Ban"',)
    finally:
        con.close()


# ---------------------------------------------------------------- the same on a PostgreSQL server

SERVER_ONLY_TABLES = {"clerk", "lamha_schema"}
# Made by server-init beside the schema, not a model's: the students' search index (storage.search) and the steps'
# index by kind and date (storage.due).
DERIVED_INDEXES = {search.PG_INDEX, due.STEP_INDEX}


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
            derived = {r[0] for r in con.execute("SELECT indexname FROM pg_indexes "
                                                 "WHERE tablename IN ('candidate', 'event')")}
        assert collation == ("C",)
        assert derived >= DERIVED_INDEXES  # (pg_trgm, for the search index, is in the distribution's server)
        assert secured == {"organisation", "member_count", "candidate", "ceremony", "event", "ceremony_candidate",
                           "document_counter", "upper_committee", "day_off", "setting", "audit_log", "clerk"}
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


@pytest.mark.postgresql
def test_v3_and_v4_data_steps_run_on_postgresql(pg_cluster: Any) -> None:
    """Versions 3 and 4 on a server with data: a typed "place" setting moves onto the organisation (audited),
    blank IDs and ethnic groups become NULL in place (a known ID stays unique), a student without a step goes to
    stage 5."""
    import psycopg
    from conftest import _admin_execute, drop_pg_database

    _admin_execute(pg_cluster, 'CREATE DATABASE "mig_v2"')
    try:
        url = pg_cluster.url("mig_v2")
        server_db = peewee.PostgresqlDatabase(url)
        with server_db.atomic():
            migrations._v1(server_db)
            migrations._v2(server_db)
            c = server_db.connection().cursor()
            c.execute("""INSERT INTO organisation (uid, code, school_name, name, kind, official_members, secretary,
                         annual_target, active, updated_at) VALUES ('u1', 'NB', 'THPT Nam Ban', 'Chi bộ Nam Ban',
                         'chi_bo', 9, '', 1, TRUE, '2024-01-01 00:00:00') RETURNING id""")
            org = c.fetchone()[0]
            for uid, pid, ethnic, stage in (("c1", "068308001234", "01", 70), ("c2", " ", "", 10)):
                c.execute("""INSERT INTO candidate (uid, organisation_id, full_name, search_key, sort_key, gender,
                             birth, ethnic, religion, personal_id, class_name, residence, notes, stage, updated_at)
                             VALUES (%s, %s, 'Lê An', 'le an', 'an', 'nam', '2005-01-01', %s, '00', %s, '', '', '',
                             %s, '2024-01-01 00:00:00') RETURNING id""", (uid, org, ethnic, pid, stage))
                if uid == "c1":
                    c.execute("""INSERT INTO event (candidate_id, kind, "on", data, created_at) VALUES
                                 (%s, 'class', '2023-10-01', '{}', '2023-10-01 00:00:00')""", (c.fetchone()[0],))
            c.execute("""INSERT INTO setting (key, value) VALUES ('place', '"Nam Ban"')""")
            c.execute("""INSERT INTO audit_log (at, "user", "table", row_id, action, before, after) VALUES
                         ('2024-02-01 00:00:00', 'thu', 'setting', 0, 'update', '{"place": "Lâm Hà"}',
                         '{"place": "Nam Ban"}')""")
            migrations._v3(server_db)
            migrations._v4(server_db)
            c.execute("""INSERT INTO candidate (uid, organisation_id, full_name, search_key, sort_key, gender, birth,
                         ethnic, religion, personal_id, class_name, residence, notes, stage, updated_at) VALUES
                         ('c3', %s, 'Lê Vy', 'le vy', 'vy', 'nu', '2009-01-01', NULL, '00', NULL, '', '', '', 5,
                         '2026-01-01 00:00:00')""", (org,))
            with pytest.raises(peewee.IntegrityError), server_db.atomic():
                server_db.execute_sql("UPDATE candidate SET personal_id = '068308001234' WHERE uid = 'c3'")
        server_db.close()
        with psycopg.connect(url) as con:
            assert con.execute("SELECT place FROM organisation").fetchall() == [("Nam Ban",)]
            assert con.execute("SELECT count(*) FROM setting WHERE key = 'place'").fetchone() == (0,)
            candidates = con.execute("SELECT uid, personal_id, ethnic, stage FROM candidate ORDER BY uid")
            assert candidates.fetchall() == [("c1", "068308001234", "01", 70), ("c2", None, None, 5),
                                             ("c3", None, None, 5)]
            moved = con.execute("""SELECT "table", before, after FROM audit_log WHERE "user" = 'migration'
                                   ORDER BY id""").fetchall()
            assert [(t, json.loads(b), json.loads(a)) for t, b, a in moved] == [
                ("organisation", {"place": ""}, {"place": "Nam Ban"}),
                ("setting", {"place": "Nam Ban"}, {"place": None})]
            assert con.execute("SELECT count(*) FROM document_counter").fetchone() == (0,)
    finally:
        drop_pg_database(pg_cluster, "mig_v2")

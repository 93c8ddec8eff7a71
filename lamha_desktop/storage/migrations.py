"""The schema's history: each migration takes the database from one version to the next, frozen as written.

The schema version lives in ``PRAGMA user_version`` (SQLite) or the one-row table ``lamha_schema`` (a
PostgreSQL server). Version 1 is the schema the first release created, kept here as the SQL it was, not rebuilt
from today's models: a model change never changes what an old database migrates through. Each version is
frozen SQL per engine (``*_SQL`` for SQLite, ``*_PG`` for PostgreSQL); the data steps in between are written
once, with the engine's own placeholders. ``tests/storage/test_migrations.py`` checks, on both engines, that an
empty database migrated to the head has exactly the tables, columns and indexes the models declare.

On a server, version 5 also creates what only a shared database needs: the group role ``lamha_clerk``, the
``clerk`` table (which login role writes for which organisation, and who reads all: the board), the row-level
security policies that hold every clerk to their organisation, and the change counter the clients poll.

A migration is a function of the open database; it runs inside the transaction that also records the new
version (``db.run_migrations``, ``server.run_migrations``), after an automatic backup of an existing file. A
migration that rebuilds a table (SQLite cannot drop a NOT NULL constraint in place) carries
``rebuilds_tables = True``: on SQLite it runs with foreign keys off, so that dropping the old table cascades
nothing, and ``PRAGMA foreign_key_check`` must find every reference whole before the transaction commits (else
``db.migration_failed``, nothing changed). PostgreSQL changes the column in place.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, cast

import peewee

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SERVER_PG", "is_postgresql"]

V1_SQL = """
CREATE TABLE "audit_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "user" VARCHAR(255) NOT NULL, "table" VARCHAR(255) NOT NULL, "row_id" INTEGER NOT NULL, "action" VARCHAR(255) NOT NULL, "before" TEXT, "after" TEXT);
CREATE INDEX "audit_log_at" ON "audit_log" ("at");
CREATE TABLE "upper_committee" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "valid_from" DATE, "valid_to" DATE, "place" VARCHAR(255) NOT NULL);
CREATE TABLE "organisation" ("id" INTEGER NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "code" VARCHAR(255) NOT NULL, "school_name" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "official_members" INTEGER NOT NULL, "secretary" VARCHAR(255) NOT NULL, "annual_target" INTEGER NOT NULL, "upper_committee_id" INTEGER, "active" INTEGER NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("upper_committee_id") REFERENCES "upper_committee" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX "organisation_uid" ON "organisation" ("uid");
CREATE UNIQUE INDEX "organisation_code" ON "organisation" ("code");
CREATE INDEX "organisation_upper_committee_id" ON "organisation" ("upper_committee_id");
CREATE TABLE "candidate" ("id" INTEGER NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "organisation_id" INTEGER NOT NULL, "full_name" VARCHAR(255) NOT NULL, "search_key" VARCHAR(255) NOT NULL, "sort_key" VARCHAR(255) NOT NULL, "gender" VARCHAR(255) NOT NULL, "birth" DATE NOT NULL, "ethnic" VARCHAR(255) NOT NULL, "religion" VARCHAR(255) NOT NULL, "personal_id" VARCHAR(255) NOT NULL, "class_name" VARCHAR(255) NOT NULL, "union_since" DATE, "graduation_year" INTEGER, "residence" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, "stage" INTEGER NOT NULL, "eligible_from" DATE, "next_deadline" DATE, "admitted_on" DATE, "listed_year" INTEGER, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE RESTRICT);
CREATE UNIQUE INDEX "candidate_uid" ON "candidate" ("uid");
CREATE INDEX "candidate_organisation_id" ON "candidate" ("organisation_id");
CREATE INDEX "candidate_search_key" ON "candidate" ("search_key");
CREATE UNIQUE INDEX "candidate_personal_id" ON "candidate" ("personal_id");
CREATE INDEX "candidate_stage" ON "candidate" ("stage");
CREATE INDEX "candidate_admitted_on" ON "candidate" ("admitted_on");
CREATE INDEX "candidate_listed_year" ON "candidate" ("listed_year");
CREATE INDEX "candidate_sort_key_id_search_key_personal_id_organisatio_5f96c95" ON "candidate" ("sort_key", "id", "search_key", "personal_id", "organisation_id", "stage", "listed_year");
CREATE TABLE "ceremony" ("id" INTEGER NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "organisation_id" INTEGER NOT NULL, "on" DATE NOT NULL, "place" VARCHAR(255) NOT NULL, "decision_no" VARCHAR(255) NOT NULL, "decision_date" DATE, "decision_received" DATE, "notes" TEXT NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE RESTRICT);
CREATE UNIQUE INDEX "ceremony_uid" ON "ceremony" ("uid");
CREATE INDEX "ceremony_organisation_id" ON "ceremony" ("organisation_id");
CREATE TABLE "ceremony_candidate" ("id" INTEGER NOT NULL PRIMARY KEY, "ceremony_id" INTEGER NOT NULL, "candidate_id" INTEGER NOT NULL, FOREIGN KEY ("ceremony_id") REFERENCES "ceremony" ("id") ON DELETE CASCADE, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);
CREATE INDEX "ceremony_candidate_ceremony_id" ON "ceremony_candidate" ("ceremony_id");
CREATE UNIQUE INDEX "ceremony_candidate_candidate_id" ON "ceremony_candidate" ("candidate_id");
CREATE TABLE "day_off" ("day" DATE NOT NULL PRIMARY KEY, "working" INTEGER NOT NULL, "note" VARCHAR(255) NOT NULL);
CREATE TABLE "event" ("id" INTEGER NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "on" DATE NOT NULL, "data" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);
CREATE INDEX "event_candidate_id" ON "event" ("candidate_id");
CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
INSERT INTO "upper_committee" ("name", "valid_from", "valid_to", "place") VALUES ('Huyện ủy Lâm Hà', NULL, '2025-06-30', 'Lâm Hà');
"""

V2_SQL = """
CREATE TABLE "member_count" ("id" INTEGER NOT NULL PRIMARY KEY, "organisation_id" INTEGER NOT NULL, "valid_from" DATE, "count" INTEGER NOT NULL, "reason" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "at" DATETIME NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE CASCADE);
CREATE INDEX "member_count_organisation_id" ON "member_count" ("organisation_id");
"""

# The same schema on a PostgreSQL server (SERIAL keys, TIMESTAMP, BOOLEAN). The covering index name is
# PostgreSQL's 63-character cut of SQLite's.
V1_PG = """
CREATE TABLE "audit_log" ("id" SERIAL NOT NULL PRIMARY KEY, "at" TIMESTAMP NOT NULL, "user" VARCHAR(255) NOT NULL, "table" VARCHAR(255) NOT NULL, "row_id" INTEGER NOT NULL, "action" VARCHAR(255) NOT NULL, "before" TEXT, "after" TEXT);
CREATE INDEX "audit_log_at" ON "audit_log" ("at");
CREATE TABLE "upper_committee" ("id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "valid_from" DATE, "valid_to" DATE, "place" VARCHAR(255) NOT NULL);
CREATE TABLE "organisation" ("id" SERIAL NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "code" VARCHAR(255) NOT NULL, "school_name" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "official_members" INTEGER NOT NULL, "secretary" VARCHAR(255) NOT NULL, "annual_target" INTEGER NOT NULL, "upper_committee_id" INTEGER, "active" BOOLEAN NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("upper_committee_id") REFERENCES "upper_committee" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX "organisation_uid" ON "organisation" ("uid");
CREATE UNIQUE INDEX "organisation_code" ON "organisation" ("code");
CREATE INDEX "organisation_upper_committee_id" ON "organisation" ("upper_committee_id");
CREATE TABLE "candidate" ("id" SERIAL NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "organisation_id" INTEGER NOT NULL, "full_name" VARCHAR(255) NOT NULL, "search_key" VARCHAR(255) NOT NULL, "sort_key" VARCHAR(255) COLLATE "C" NOT NULL, "gender" VARCHAR(255) NOT NULL, "birth" DATE NOT NULL, "ethnic" VARCHAR(255) NOT NULL, "religion" VARCHAR(255) NOT NULL, "personal_id" VARCHAR(255) NOT NULL, "class_name" VARCHAR(255) NOT NULL, "union_since" DATE, "graduation_year" INTEGER, "residence" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, "stage" INTEGER NOT NULL, "eligible_from" DATE, "next_deadline" DATE, "admitted_on" DATE, "listed_year" INTEGER, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE RESTRICT);
CREATE UNIQUE INDEX "candidate_uid" ON "candidate" ("uid");
CREATE INDEX "candidate_organisation_id" ON "candidate" ("organisation_id");
CREATE INDEX "candidate_search_key" ON "candidate" ("search_key");
CREATE UNIQUE INDEX "candidate_personal_id" ON "candidate" ("personal_id");
CREATE INDEX "candidate_stage" ON "candidate" ("stage");
CREATE INDEX "candidate_admitted_on" ON "candidate" ("admitted_on");
CREATE INDEX "candidate_listed_year" ON "candidate" ("listed_year");
CREATE INDEX "candidate_sort_key_id_search_key_personal_id_organisatio_5f96c9" ON "candidate" ("sort_key", "id", "search_key", "personal_id", "organisation_id", "stage", "listed_year");
CREATE TABLE "ceremony" ("id" SERIAL NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "organisation_id" INTEGER NOT NULL, "on" DATE NOT NULL, "place" VARCHAR(255) NOT NULL, "decision_no" VARCHAR(255) NOT NULL, "decision_date" DATE, "decision_received" DATE, "notes" TEXT NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE RESTRICT);
CREATE UNIQUE INDEX "ceremony_uid" ON "ceremony" ("uid");
CREATE INDEX "ceremony_organisation_id" ON "ceremony" ("organisation_id");
CREATE TABLE "ceremony_candidate" ("id" SERIAL NOT NULL PRIMARY KEY, "ceremony_id" INTEGER NOT NULL, "candidate_id" INTEGER NOT NULL, FOREIGN KEY ("ceremony_id") REFERENCES "ceremony" ("id") ON DELETE CASCADE, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);
CREATE INDEX "ceremony_candidate_ceremony_id" ON "ceremony_candidate" ("ceremony_id");
CREATE UNIQUE INDEX "ceremony_candidate_candidate_id" ON "ceremony_candidate" ("candidate_id");
CREATE TABLE "day_off" ("day" DATE NOT NULL PRIMARY KEY, "working" BOOLEAN NOT NULL, "note" VARCHAR(255) NOT NULL);
CREATE TABLE "event" ("id" SERIAL NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "on" DATE NOT NULL, "data" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);
CREATE INDEX "event_candidate_id" ON "event" ("candidate_id");
CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
INSERT INTO "upper_committee" ("name", "valid_from", "valid_to", "place") VALUES ('Huyện ủy Lâm Hà', NULL, '2025-06-30', 'Lâm Hà');
"""

V2_PG = """
CREATE TABLE "member_count" ("id" SERIAL NOT NULL PRIMARY KEY, "organisation_id" INTEGER NOT NULL, "valid_from" DATE, "count" INTEGER NOT NULL, "reason" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "at" TIMESTAMP NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE CASCADE);
CREATE INDEX "member_count_organisation_id" ON "member_count" ("organisation_id");
"""

# Version 5: a version number on what two clerks may edit at once (who changed it last, and when), so the
# second of two clerks editing the same record is told instead of overwriting.
V5_SQL = """
ALTER TABLE "candidate" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "candidate" ADD COLUMN "changed_by" VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE "organisation" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "organisation" ADD COLUMN "changed_by" VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE "ceremony" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "ceremony" ADD COLUMN "changed_by" VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE "ceremony" ADD COLUMN "updated_at" DATETIME NOT NULL DEFAULT '2000-01-01 00:00:00'
"""

V5_PG = V5_SQL.replace("DATETIME", "TIMESTAMP")

# What only a shared server has (version 5 on PostgreSQL): roles, policies, the change counter.
#
# * ``lamha_clerk``: the group role of every clerk's login role; it holds the table privileges, the policies
#   decide which rows. The owner of the tables (who ran ``server-init``) is not held by them.
# * ``clerk``: a login role, the organisation it writes for, and whether it reads everything (the board).
# * A school's clerk reads and writes their organisation's students, steps, ceremonies and document counters
#   only; the board reads all, and writes the shared records (organisations, committees, settings, days off)
#   and its own organisation's, if it has one. A counter the board reads but may not move is refused with an
#   error (its update policy sees the row, its check refuses it), never skipped in silence. The audit trail
#   accepts only rows signed with the connected user, and is never changed afterwards.
SERVER_PG = """
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamha_clerk') THEN CREATE ROLE lamha_clerk NOLOGIN; END IF; END $$;
CREATE TABLE "clerk" ("role" VARCHAR(63) NOT NULL PRIMARY KEY, "organisation_id" INTEGER REFERENCES "organisation" ("id") ON DELETE RESTRICT, "reads_all" BOOLEAN NOT NULL DEFAULT FALSE, "name" VARCHAR(255) NOT NULL DEFAULT '');
CREATE SEQUENCE "lamha_change_seq";
CREATE FUNCTION lamha_org() RETURNS INTEGER LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $f$ SELECT "organisation_id" FROM "clerk" WHERE "role" = session_user $f$;
CREATE FUNCTION lamha_reads_all() RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $f$ SELECT COALESCE((SELECT "reads_all" FROM "clerk" WHERE "role" = session_user), FALSE) $f$;
CREATE FUNCTION lamha_same_org(who TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $f$ SELECT EXISTS (SELECT 1 FROM "clerk" WHERE "role" = who AND "organisation_id" = (SELECT "organisation_id" FROM "clerk" WHERE "role" = session_user)) $f$;
REVOKE ALL ON FUNCTION lamha_org(), lamha_reads_all(), lamha_same_org(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lamha_org(), lamha_reads_all(), lamha_same_org(TEXT) TO lamha_clerk;
GRANT SELECT, INSERT, UPDATE, DELETE ON "organisation", "candidate", "event", "ceremony", "ceremony_candidate", "member_count", "document_counter", "upper_committee", "setting", "day_off" TO lamha_clerk;
GRANT SELECT, INSERT ON "audit_log" TO lamha_clerk;
GRANT SELECT ON "clerk", "lamha_schema" TO lamha_clerk;
GRANT USAGE, SELECT ON SEQUENCE "audit_log_id_seq", "upper_committee_id_seq", "organisation_id_seq", "candidate_id_seq", "ceremony_id_seq", "ceremony_candidate_id_seq", "event_id_seq", "member_count_id_seq", "document_counter_id_seq", "lamha_change_seq" TO lamha_clerk;
ALTER TABLE "organisation" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "organisation_read" ON "organisation" FOR SELECT TO lamha_clerk USING (lamha_reads_all() OR "id" = lamha_org());
CREATE POLICY "organisation_add" ON "organisation" FOR INSERT TO lamha_clerk WITH CHECK (lamha_reads_all());
CREATE POLICY "organisation_change" ON "organisation" FOR UPDATE TO lamha_clerk USING (lamha_reads_all() OR "id" = lamha_org()) WITH CHECK (lamha_reads_all() OR "id" = lamha_org());
CREATE POLICY "organisation_remove" ON "organisation" FOR DELETE TO lamha_clerk USING (lamha_reads_all());
ALTER TABLE "member_count" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "member_count_read" ON "member_count" FOR SELECT TO lamha_clerk USING (lamha_reads_all() OR "organisation_id" = lamha_org());
CREATE POLICY "member_count_write" ON "member_count" FOR ALL TO lamha_clerk USING (lamha_reads_all() OR "organisation_id" = lamha_org()) WITH CHECK (lamha_reads_all() OR "organisation_id" = lamha_org());
ALTER TABLE "document_counter" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "document_counter_read" ON "document_counter" FOR SELECT TO lamha_clerk USING (lamha_reads_all() OR "organisation_id" = lamha_org());
CREATE POLICY "document_counter_add" ON "document_counter" FOR INSERT TO lamha_clerk WITH CHECK ("organisation_id" = lamha_org());
CREATE POLICY "document_counter_change" ON "document_counter" FOR UPDATE TO lamha_clerk USING (lamha_reads_all() OR "organisation_id" = lamha_org()) WITH CHECK ("organisation_id" = lamha_org());
CREATE POLICY "document_counter_remove" ON "document_counter" FOR DELETE TO lamha_clerk USING ("organisation_id" = lamha_org());
ALTER TABLE "candidate" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "candidate_read" ON "candidate" FOR SELECT TO lamha_clerk USING (lamha_reads_all() OR "organisation_id" = lamha_org());
CREATE POLICY "candidate_add" ON "candidate" FOR INSERT TO lamha_clerk WITH CHECK ("organisation_id" = lamha_org());
CREATE POLICY "candidate_change" ON "candidate" FOR UPDATE TO lamha_clerk USING ("organisation_id" = lamha_org()) WITH CHECK ("organisation_id" = lamha_org());
CREATE POLICY "candidate_remove" ON "candidate" FOR DELETE TO lamha_clerk USING ("organisation_id" = lamha_org());
ALTER TABLE "ceremony" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ceremony_read" ON "ceremony" FOR SELECT TO lamha_clerk USING (lamha_reads_all() OR "organisation_id" = lamha_org());
CREATE POLICY "ceremony_add" ON "ceremony" FOR INSERT TO lamha_clerk WITH CHECK ("organisation_id" = lamha_org());
CREATE POLICY "ceremony_change" ON "ceremony" FOR UPDATE TO lamha_clerk USING ("organisation_id" = lamha_org()) WITH CHECK ("organisation_id" = lamha_org());
CREATE POLICY "ceremony_remove" ON "ceremony" FOR DELETE TO lamha_clerk USING ("organisation_id" = lamha_org());
ALTER TABLE "event" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "event_read" ON "event" FOR SELECT TO lamha_clerk USING (EXISTS (SELECT 1 FROM "candidate" c WHERE c."id" = "candidate_id"));
CREATE POLICY "event_write" ON "event" FOR ALL TO lamha_clerk USING (EXISTS (SELECT 1 FROM "candidate" c WHERE c."id" = "candidate_id" AND c."organisation_id" = lamha_org())) WITH CHECK (EXISTS (SELECT 1 FROM "candidate" c WHERE c."id" = "candidate_id" AND c."organisation_id" = lamha_org()));
ALTER TABLE "ceremony_candidate" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ceremony_candidate_read" ON "ceremony_candidate" FOR SELECT TO lamha_clerk USING (EXISTS (SELECT 1 FROM "candidate" c WHERE c."id" = "candidate_id"));
CREATE POLICY "ceremony_candidate_write" ON "ceremony_candidate" FOR ALL TO lamha_clerk USING (EXISTS (SELECT 1 FROM "candidate" c WHERE c."id" = "candidate_id" AND c."organisation_id" = lamha_org())) WITH CHECK (EXISTS (SELECT 1 FROM "candidate" c WHERE c."id" = "candidate_id" AND c."organisation_id" = lamha_org()));
ALTER TABLE "upper_committee" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "upper_committee_read" ON "upper_committee" FOR SELECT TO lamha_clerk USING (TRUE);
CREATE POLICY "upper_committee_write" ON "upper_committee" FOR ALL TO lamha_clerk USING (lamha_reads_all()) WITH CHECK (lamha_reads_all());
ALTER TABLE "day_off" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "day_off_read" ON "day_off" FOR SELECT TO lamha_clerk USING (TRUE);
CREATE POLICY "day_off_write" ON "day_off" FOR ALL TO lamha_clerk USING (lamha_reads_all()) WITH CHECK (lamha_reads_all());
ALTER TABLE "setting" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "setting_read" ON "setting" FOR SELECT TO lamha_clerk USING (TRUE);
CREATE POLICY "setting_write" ON "setting" FOR ALL TO lamha_clerk USING (lamha_reads_all() OR "key" IN ('first_run_done', 'derived_refreshed_on') OR "key" LIKE 'import\\_mapping%') WITH CHECK (lamha_reads_all() OR "key" IN ('first_run_done', 'derived_refreshed_on') OR "key" LIKE 'import\\_mapping%');
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "audit_log_read" ON "audit_log" FOR SELECT TO lamha_clerk USING (lamha_reads_all() OR "user" = session_user OR lamha_same_org("user"));
CREATE POLICY "audit_log_add" ON "audit_log" FOR INSERT TO lamha_clerk WITH CHECK ("user" = session_user);
ALTER TABLE "clerk" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "clerk_read" ON "clerk" FOR SELECT TO lamha_clerk USING ("role" = session_user OR lamha_reads_all())
"""

LEGACY_MEMBERS_REASON = "Số đảng viên ghi khi biểu quyết, trước khi phần mềm theo dõi số đảng viên theo ngày"


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";\n") if s.strip()]


def _target(db: peewee.Database) -> Any:
    """The database itself (``db`` may be the application's store, which forwards to it)."""
    return getattr(db, "obj", None) or db


def is_postgresql(db: peewee.Database) -> bool:
    return isinstance(_target(db), peewee.PostgresqlDatabase)


def _connection(db: peewee.Database) -> Any:
    """The DB-API connection under peewee (sqlite3, sqlcipher3 or psycopg)."""
    return cast(Any, db).connection()


def _run_sql(db: peewee.Database, sql: str) -> None:
    cursor = _connection(db).cursor()
    for statement in _statements(sql):
        cursor.execute(statement)


def _v1(db: peewee.Database) -> None:
    _run_sql(db, V1_PG if is_postgresql(db) else V1_SQL)


def _insert_returning_id(cursor: Any, db: peewee.Database, sql: str, params: tuple[Any, ...]) -> int:
    if is_postgresql(db):
        cursor.execute(sql + ' RETURNING "id"', params)
        return int(cursor.fetchone()[0])
    cursor.execute(sql, params)
    return int(cursor.lastrowid or 0)


def _audit(cursor: Any, db: peewee.Database, table: str, row_id: int, action: str, before: Any, after: Any) -> None:
    m = _target(db).param
    cursor.execute('INSERT INTO "audit_log" ("at", "user", "table", "row_id", "action", "before", "after") '
                   f"VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m})",
                   (dt.datetime.now().isoformat(" "), "migration", table, row_id, action,
                    None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
                    None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True)))


def _fetchall(con: Any, sql: str) -> list[Any]:
    cursor = con.cursor()
    cursor.execute(sql)
    return list(cursor.fetchall())


def _v2(db: peewee.Database) -> None:
    """Dated official-member counts; decisions of one's own; the organisation's kind kept with each decision.

    * ``member_count``: each organisation starts with one undated record, its current number.
    * A candidate admitted in a ceremony without a decision of their own used to borrow the ceremony's; that
      decision becomes theirs (marked ``from_ceremony``), so the history says what the reports already counted.
    * Each decision keeps whether its organisation was a đảng bộ cơ sở (with the đảng ủy step) when recorded.
    * A vote whose number of official members differs from its organisation's is marked as a correction with a
      reason saying where it came from (it was accepted before the count was kept by date).
    """
    _run_sql(db, V2_PG if is_postgresql(db) else V2_SQL)
    m = _target(db).param
    con = _connection(db)
    cur = con.cursor()
    now = dt.datetime.now().isoformat(" ")
    cur.execute('INSERT INTO "member_count" ("organisation_id", "valid_from", "count", "reason", "user", "at") '
                f'SELECT "id", NULL, "official_members", \'\', \'migration\', {m} FROM "organisation"', (now,))
    kinds = dict(_fetchall(con, 'SELECT "id", "kind" FROM "organisation"'))
    members = dict(_fetchall(con, 'SELECT "id", "official_members" FROM "organisation"'))
    borrowed = _fetchall(con,
        'SELECT cc."candidate_id", c."decision_no", c."decision_date", c."decision_received" '
        'FROM "ceremony_candidate" cc JOIN "ceremony" c ON c."id" = cc."ceremony_id" '
        'WHERE c."decision_date" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "event" e '
        'WHERE e."candidate_id" = cc."candidate_id" AND e."kind" = \'decision\')')
    for cid, number, on, received in borrowed:
        data = {"number": number or "", "received": str(received)[:10] if received else None, "from_ceremony": True}
        event_id = _insert_returning_id(
            cur, db, f'INSERT INTO "event" ("candidate_id", "kind", "on", "data", "created_at") VALUES ({m}, {m}, {m}, '
            f'{m}, {m})', (cid, "decision", str(on)[:10], json.dumps(data, ensure_ascii=False, sort_keys=True), now))
        _audit(cur, db, "event", event_id, "create", None,
               {"candidate": cid, "kind": "decision", "on": str(on)[:10], "data": data})
    rows = _fetchall(con, 'SELECT e."id", e."kind", e."data", c."organisation_id" FROM "event" e '
                          'JOIN "candidate" c ON c."id" = e."candidate_id" '
                          'WHERE e."kind" IN (\'decision\', \'vote\')')
    for event_id, kind, text, org_id in rows:
        data = json.loads(text) if text else {}
        before = dict(data)
        if kind == "decision" and "party_committee" not in data:
            data["party_committee"] = kinds.get(org_id) == "dang_bo"
        if kind == "vote" and not str(data.get("members_reason") or "").strip():
            try:
                count = int(str(data.get("members")))
            except (TypeError, ValueError):
                count = None
            if count is not None and count != members.get(org_id):
                data["members_reason"] = LEGACY_MEMBERS_REASON
        if data != before:
            cur.execute(f'UPDATE "event" SET "data" = {m} WHERE "id" = {m}',
                        (json.dumps(data, ensure_ascii=False, sort_keys=True), event_id))


V3_SQL = """
CREATE TABLE "document_counter" ("id" INTEGER NOT NULL PRIMARY KEY, "organisation_id" INTEGER NOT NULL, "series" VARCHAR(255) NOT NULL, "year" INTEGER NOT NULL, "last" INTEGER NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE CASCADE);
CREATE INDEX "document_counter_organisation_id" ON "document_counter" ("organisation_id");
CREATE UNIQUE INDEX "document_counter_organisation_id_series_year" ON "document_counter" ("organisation_id", "series", "year");
ALTER TABLE "ceremony" ADD COLUMN "data" TEXT NOT NULL DEFAULT '{}';
"""

V3_PG = """
CREATE TABLE "document_counter" ("id" SERIAL NOT NULL PRIMARY KEY, "organisation_id" INTEGER NOT NULL, "series" VARCHAR(255) NOT NULL, "year" INTEGER NOT NULL, "last" INTEGER NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE CASCADE);
CREATE INDEX "document_counter_organisation_id" ON "document_counter" ("organisation_id");
CREATE UNIQUE INDEX "document_counter_organisation_id_series_year" ON "document_counter" ("organisation_id", "series", "year");
ALTER TABLE "ceremony" ADD COLUMN "data" TEXT NOT NULL DEFAULT '{}';
"""


def _v3(db: peewee.Database) -> None:
    """The admission paperwork: document numbers per organisation, series and year (``document_counter``), and
    what a ceremony's programme prints besides its date and place (``ceremony.data``: start time, chair, the
    upper committee's guest, each new member's helper). Existing ceremonies start with none of them."""
    _run_sql(db, V3_PG if is_postgresql(db) else V3_SQL)


# The candidate table as version 4 has it: ``personal_id`` and ``ethnic`` may be NULL (a record imported from a
# teacher's class list lacks them until a step needs them). SQLite cannot drop a NOT NULL constraint in place,
# so the table is rebuilt (https://www.sqlite.org/lang_altertable.html, "the 12 steps"): with foreign keys
# off, so that dropping the old table cascades nothing into the steps and ceremonies that refer to it.
V4_CANDIDATE_SQL = """
CREATE TABLE "candidate_v4" ("id" INTEGER NOT NULL PRIMARY KEY, "uid" VARCHAR(255) NOT NULL, "organisation_id" INTEGER NOT NULL, "full_name" VARCHAR(255) NOT NULL, "search_key" VARCHAR(255) NOT NULL, "sort_key" VARCHAR(255) NOT NULL, "gender" VARCHAR(255) NOT NULL, "birth" DATE NOT NULL, "ethnic" VARCHAR(255), "religion" VARCHAR(255) NOT NULL, "personal_id" VARCHAR(255), "class_name" VARCHAR(255) NOT NULL, "union_since" DATE, "graduation_year" INTEGER, "residence" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, "stage" INTEGER NOT NULL, "eligible_from" DATE, "next_deadline" DATE, "admitted_on" DATE, "listed_year" INTEGER, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE RESTRICT);
INSERT INTO "candidate_v4" SELECT "id", "uid", "organisation_id", "full_name", "search_key", "sort_key", "gender", "birth", NULLIF(TRIM("ethnic"), ''), "religion", NULLIF(TRIM("personal_id"), ''), "class_name", "union_since", "graduation_year", "residence", "notes", "stage", "eligible_from", "next_deadline", "admitted_on", "listed_year", "updated_at" FROM "candidate";
DROP TABLE "candidate";
ALTER TABLE "candidate_v4" RENAME TO "candidate";
CREATE UNIQUE INDEX "candidate_uid" ON "candidate" ("uid");
CREATE INDEX "candidate_organisation_id" ON "candidate" ("organisation_id");
CREATE INDEX "candidate_search_key" ON "candidate" ("search_key");
CREATE UNIQUE INDEX "candidate_personal_id" ON "candidate" ("personal_id");
CREATE INDEX "candidate_stage" ON "candidate" ("stage");
CREATE INDEX "candidate_admitted_on" ON "candidate" ("admitted_on");
CREATE INDEX "candidate_listed_year" ON "candidate" ("listed_year");
CREATE INDEX "candidate_sort_key_id_search_key_personal_id_organisatio_5f96c95" ON "candidate" ("sort_key", "id", "search_key", "personal_id", "organisation_id", "stage", "listed_year");
"""

# The same on a server: PostgreSQL drops a NOT NULL constraint in place (its unique index, too, admits any number
# of NULLs), and the blanks become NULL as the rebuild makes them.
V4_CANDIDATE_PG = """
ALTER TABLE "candidate" ALTER COLUMN "ethnic" DROP NOT NULL;
ALTER TABLE "candidate" ALTER COLUMN "personal_id" DROP NOT NULL;
UPDATE "candidate" SET "ethnic" = NULLIF(TRIM("ethnic"), ''), "personal_id" = NULLIF(TRIM("personal_id"), '')
"""

# The value the "place" setting had by default before version 4: a district name nobody typed.
OLD_DEFAULT_PLACE = "Lâm Hà"
STUDENT_STAGE, SOURCE_STAGE = 5, 10


def _v4(db: peewee.Database) -> None:
    """One place per organisation; a record may lack its personal ID and ethnic group; the "student" stage.

    * ``organisation.place``: the place name of the dated line of the organisation's documents. The old
      application-wide "place" setting is moved onto every organisation without one when a user had set it
      (the audit log says so), and dropped otherwise: its default, "Lâm Hà", was a district name nobody
      typed. Without a place of its own an organisation falls back to its upper committee's.
    * ``candidate.personal_id`` and ``candidate.ethnic`` become nullable (on SQLite the table is rebuilt with the
      same indexes; ``personal_id`` stays unique when present: a unique index admits any number of NULLs on both
      engines).
    * A candidate with no step at all was shown "in the source list" (stage 10) while the return did not count
      them there: such a candidate is now a student not on the list yet (stage 5).
    """
    con = _connection(db)
    cur = con.cursor()
    m = _target(db).param
    cur.execute('ALTER TABLE "organisation" ADD COLUMN "place" VARCHAR(255) NOT NULL DEFAULT \'\'')
    rows = _fetchall(con, 'SELECT "value" FROM "setting" WHERE "key" = \'place\'')
    row = rows[0] if rows else None
    stored = json.loads(row[0]) if row and row[0] else None
    typed = False
    for (after,) in _fetchall(con, 'SELECT "after" FROM "audit_log" WHERE "table" = \'setting\' AND "after" IS NOT NULL'):
        try:
            changed = json.loads(after)
        except ValueError:
            continue
        if isinstance(changed, dict) and "place" in changed:
            typed = True
    place = str(stored or "").strip()
    if typed and place:
        for (org_id,) in _fetchall(con, 'SELECT "id" FROM "organisation" WHERE "place" = \'\' ORDER BY "id"'):
            cur.execute(f'UPDATE "organisation" SET "place" = {m} WHERE "id" = {m}', (place, org_id))
            _audit(cur, db, "organisation", int(org_id), "update", {"place": ""}, {"place": place})
    if row is not None:
        cur.execute('DELETE FROM "setting" WHERE "key" = \'place\'')
        _audit(cur, db, "setting", 0, "update", {"place": stored}, {"place": None})
    _run_sql(db, V4_CANDIDATE_PG if is_postgresql(db) else V4_CANDIDATE_SQL)
    cur.execute(f'UPDATE "candidate" SET "stage" = {m} WHERE "stage" = {m} AND NOT EXISTS (SELECT 1 FROM "event" e '
                'WHERE e."candidate_id" = "candidate"."id") AND NOT EXISTS (SELECT 1 FROM "ceremony_candidate" cc '
                'WHERE cc."candidate_id" = "candidate"."id")', (STUDENT_STAGE, SOURCE_STAGE))


_v4.rebuilds_tables = True  # type: ignore[attr-defined]  # run with foreign keys off (db.run_migrations)


def _v5(db: peewee.Database) -> None:
    """Version numbers on candidates, organisations and ceremonies (two clerks at once); on a server, the
    roles, the row-level security policies and the change counter (:data:`SERVER_PG`)."""
    if is_postgresql(db):
        _run_sql(db, V5_PG)
        _run_sql(db, SERVER_PG)
    else:
        _run_sql(db, V5_SQL)


MIGRATIONS: list[Callable[[peewee.Database], None]] = [_v1, _v2, _v3, _v4, _v5]
SCHEMA_VERSION = len(MIGRATIONS)

"""The schema's history: each migration takes the database from one version to the next, frozen as written.

The schema version lives in ``PRAGMA user_version``. Version 1 is the schema the first release created, kept
here as the SQL it was, not rebuilt from today's models: a model change never changes what an old database
migrates through. ``tests/storage/test_migrations.py`` checks that an empty database migrated to the head has
exactly the tables, columns and indexes the models declare.

A migration is a function of the open database; it runs inside the transaction that also sets
``user_version`` (``db.run_migrations``), after an automatic backup of an existing file. A migration that
rebuilds a table (SQLite cannot drop a NOT NULL constraint in place) carries ``rebuilds_tables = True``: it runs
with foreign keys off, so that dropping the old table cascades nothing, and ``PRAGMA foreign_key_check`` must
find every reference whole before the transaction commits (else ``db.migration_failed``, nothing changed).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, cast

import peewee

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

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

LEGACY_MEMBERS_REASON = "Số đảng viên ghi khi biểu quyết, trước khi phần mềm theo dõi số đảng viên theo ngày"


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";\n") if s.strip()]


def _connection(db: peewee.Database) -> Any:
    """The DB-API connection under peewee (sqlite3 or sqlcipher3)."""
    return cast(Any, db).connection()


def _run_sql(db: peewee.Database, sql: str) -> None:
    cursor = _connection(db).cursor()
    for statement in _statements(sql):
        cursor.execute(statement)


def _v1(db: peewee.Database) -> None:
    _run_sql(db, V1_SQL)


def _audit(cursor: Any, table: str, row_id: int, action: str, before: Any, after: Any) -> None:
    cursor.execute('INSERT INTO "audit_log" ("at", "user", "table", "row_id", "action", "before", "after") '
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (dt.datetime.now().isoformat(" "), "migration", table, row_id, action,
                    None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
                    None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True)))


def _v2(db: peewee.Database) -> None:
    """Dated official-member counts; decisions of one's own; the organisation's kind kept with each decision.

    * ``member_count``: each organisation starts with one undated record, its current number.
    * A candidate admitted in a ceremony without a decision of their own used to borrow the ceremony's; that
      decision becomes theirs (marked ``from_ceremony``), so the history says what the reports already counted.
    * Each decision keeps whether its organisation was a đảng bộ cơ sở (with the đảng ủy step) when recorded.
    * A vote whose number of official members differs from its organisation's is marked as a correction with a
      reason saying where it came from (it was accepted before the count was kept by date).
    """
    _run_sql(db, V2_SQL)
    con = _connection(db)
    cur = con.cursor()
    now = dt.datetime.now().isoformat(" ")
    cur.execute('INSERT INTO "member_count" ("organisation_id", "valid_from", "count", "reason", "user", "at") '
                'SELECT "id", NULL, "official_members", \'\', \'migration\', ? FROM "organisation"', (now,))
    kinds = dict(con.execute('SELECT "id", "kind" FROM "organisation"').fetchall())
    members = dict(con.execute('SELECT "id", "official_members" FROM "organisation"').fetchall())
    borrowed = con.execute(
        'SELECT cc."candidate_id", c."decision_no", c."decision_date", c."decision_received" '
        'FROM "ceremony_candidate" cc JOIN "ceremony" c ON c."id" = cc."ceremony_id" '
        'WHERE c."decision_date" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "event" e '
        'WHERE e."candidate_id" = cc."candidate_id" AND e."kind" = \'decision\')').fetchall()
    for cid, number, on, received in borrowed:
        data = {"number": number or "", "received": str(received)[:10] if received else None, "from_ceremony": True}
        cur.execute('INSERT INTO "event" ("candidate_id", "kind", "on", "data", "created_at") VALUES (?, ?, ?, ?, ?)',
                    (cid, "decision", str(on)[:10], json.dumps(data, ensure_ascii=False, sort_keys=True), now))
        _audit(cur, "event", int(cur.lastrowid or 0), "create", None,
               {"candidate": cid, "kind": "decision", "on": str(on)[:10], "data": data})
    rows = con.execute('SELECT e."id", e."kind", e."data", c."organisation_id" FROM "event" e '
                       'JOIN "candidate" c ON c."id" = e."candidate_id" '
                       'WHERE e."kind" IN (\'decision\', \'vote\')').fetchall()
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
            cur.execute('UPDATE "event" SET "data" = ? WHERE "id" = ?',
                        (json.dumps(data, ensure_ascii=False, sort_keys=True), event_id))


V3_SQL = """
CREATE TABLE "document_counter" ("id" INTEGER NOT NULL PRIMARY KEY, "organisation_id" INTEGER NOT NULL, "series" VARCHAR(255) NOT NULL, "year" INTEGER NOT NULL, "last" INTEGER NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE CASCADE);
CREATE INDEX "document_counter_organisation_id" ON "document_counter" ("organisation_id");
CREATE UNIQUE INDEX "document_counter_organisation_id_series_year" ON "document_counter" ("organisation_id", "series", "year");
ALTER TABLE "ceremony" ADD COLUMN "data" TEXT NOT NULL DEFAULT '{}';
"""


def _v3(db: peewee.Database) -> None:
    """The admission paperwork: document numbers per organisation, series and year (``document_counter``), and
    what a ceremony's programme prints besides its date and place (``ceremony.data``: start time, chair, the
    upper committee's guest, each new member's helper). Existing ceremonies start with none of them."""
    _run_sql(db, V3_SQL)


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

# The value the "place" setting had by default before version 4: a district name nobody typed.
OLD_DEFAULT_PLACE = "Lâm Hà"
STUDENT_STAGE, SOURCE_STAGE = 5, 10


def _v4(db: peewee.Database) -> None:
    """One place per organisation; a record may lack its personal ID and ethnic group; the "student" stage.

    * ``organisation.place``: the place name of the dated line of the organisation's documents. The old
      application-wide "place" setting is moved onto every organisation without one when a user had set it
      (the audit log says so), and dropped otherwise: its default, "Lâm Hà", was a district name nobody
      typed. Without a place of its own an organisation falls back to its upper committee's.
    * ``candidate.personal_id`` and ``candidate.ethnic`` become nullable (the table is rebuilt with the same
      indexes; ``personal_id`` stays unique when present: SQLite's unique index admits any number of NULLs).
    * A candidate with no step at all was shown "in the source list" (stage 10) while the return did not count
      them there: such a candidate is now a student not on the list yet (stage 5).
    """
    con = _connection(db)
    cur = con.cursor()
    cur.execute('ALTER TABLE "organisation" ADD COLUMN "place" VARCHAR(255) NOT NULL DEFAULT \'\'')
    row = con.execute('SELECT "value" FROM "setting" WHERE "key" = \'place\'').fetchone()
    stored = json.loads(row[0]) if row and row[0] else None
    typed = False
    for (after,) in con.execute('SELECT "after" FROM "audit_log" WHERE "table" = \'setting\' AND "after" IS NOT NULL'):
        try:
            changed = json.loads(after)
        except ValueError:
            continue
        if isinstance(changed, dict) and "place" in changed:
            typed = True
    place = str(stored or "").strip()
    if typed and place:
        for (org_id,) in con.execute('SELECT "id" FROM "organisation" WHERE "place" = \'\' ORDER BY "id"').fetchall():
            cur.execute('UPDATE "organisation" SET "place" = ? WHERE "id" = ?', (place, org_id))
            _audit(cur, "organisation", int(org_id), "update", {"place": ""}, {"place": place})
    if row is not None:
        cur.execute('DELETE FROM "setting" WHERE "key" = \'place\'')
        _audit(cur, "setting", 0, "update", {"place": stored}, {"place": None})
    _run_sql(db, V4_CANDIDATE_SQL)
    cur.execute('UPDATE "candidate" SET "stage" = ? WHERE "stage" = ? AND NOT EXISTS (SELECT 1 FROM "event" e '
                'WHERE e."candidate_id" = "candidate"."id") AND NOT EXISTS (SELECT 1 FROM "ceremony_candidate" cc '
                'WHERE cc."candidate_id" = "candidate"."id")', (STUDENT_STAGE, SOURCE_STAGE))


_v4.rebuilds_tables = True  # type: ignore[attr-defined]  # run with foreign keys off (db.run_migrations)

MIGRATIONS: list[Callable[[peewee.Database], None]] = [_v1, _v2, _v3, _v4]
SCHEMA_VERSION = len(MIGRATIONS)

"""Who may do what on a shared server, enforced by PostgreSQL's row-level security: each test connects as a
school's clerk, as the board, and as the owner, and tries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import peewee
import psycopg
import pytest
from conftest import _build_demo, _template, drop_pg_database, new_pg_database

from lamha_desktop.domain import pipeline
from lamha_desktop.operations import candidates, documents, organisations, steps
from lamha_desktop.operations import settings as settings_ops
from lamha_desktop.operations.core import Refused
from lamha_desktop.operations.demo import DEMO_TODAY
from lamha_desktop.storage import db, repo, report_data, server
from lamha_desktop.storage.models import AuditLog, Candidate, DocumentCounter, Organisation

pytestmark = pytest.mark.postgresql

PASSWORD = "mật-khẩu thử 1"


@pytest.fixture
def shared(pg_cluster: Any) -> Iterator[dict[str, Any]]:
    """The demo on a server with three clerks: LQD's, TL's and the board's."""
    name = new_pg_database(pg_cluster, _template(pg_cluster, "lamha_demo", _build_demo))
    server.open_server(pg_cluster.url(name))
    orgs = {o.code: o.id for o in repo.list_organisations()}
    counts = {code: Candidate.select().where(Candidate.organisation == oid).count() for code, oid in orgs.items()}
    total = Candidate.select().count()
    server.add_clerk(f"{name}_lqd", password=PASSWORD, organisation_id=orgs["LQD"], name="Văn thư LQD")
    server.add_clerk(f"{name}_tl", password=PASSWORD, organisation_id=orgs["TL"])
    server.add_clerk(f"{name}_board", password=PASSWORD, organisation_id=None, reads_all=True)
    db.close_database()
    world = {"name": name, "orgs": orgs, "counts": counts, "total": total,
             "url": lambda role: pg_cluster.url(name, user=f"{name}_{role}"), "owner": pg_cluster.url(name)}
    try:
        yield world
    finally:
        db.close_database()
        drop_pg_database(pg_cluster, name)


def _as(world: dict[str, Any], role: str) -> None:
    server.open_server(world["url"](role), password=PASSWORD)


def test_a_school_clerk_reads_and_writes_only_their_organisation(shared: dict[str, Any]) -> None:
    _as(shared, "lqd")
    who = server.whoami()
    assert who is not None
    assert (who.organisation_id, who.reads_all) == (shared["orgs"]["LQD"], False)
    assert repo.candidate_count() == shared["counts"]["LQD"]
    assert [o.code for o in repo.list_organisations()] == ["LQD"]
    # Their own student: created and a step recorded, signed with their database user.
    cid = candidates.create({"organisation_id": shared["orgs"]["LQD"], "full_name": "Hồ Thị Mai", "gender": "nu",
                             "birth": dt.date(2008, 2, 3), "ethnic": "Kinh", "religion": "Không",
                             "personal_id": "068308777001"}, today=DEMO_TODAY).created_id
    assert cid is not None
    steps.record(cid, pipeline.EventKind.SOURCE, dt.date(2026, 9, 1), {}, today=DEMO_TODAY)
    assert {a.user for a in AuditLog.select().where(AuditLog.row_id == cid, AuditLog.table == "candidate")} == {
        f"{shared['name']}_lqd"}
    # Another school's students do not exist for them, and cannot be written.
    with pytest.raises(Refused) as info:
        candidates.create({"organisation_id": shared["orgs"]["TL"], "full_name": "Lê Văn Tư", "gender": "nam",
                           "birth": dt.date(2008, 2, 3), "ethnic": "Kinh", "religion": "Không",
                           "personal_id": "068208777002"}, today=DEMO_TODAY)
    assert info.value.problems[0].code in ("candidate.org_required", "server.forbidden")
    hidden = db.database.execute_sql(
        'UPDATE "candidate" SET "notes" = %s WHERE "organisation_id" = %s', ("x", shared["orgs"]["TL"]))
    assert hidden.rowcount == 0
    # The shared settings and the organisations are the board's.
    with pytest.raises(Refused) as info:
        settings_ops.save({"signer_name": "Lê Văn Hùng"}, today=DEMO_TODAY)
    assert info.value.problems[0].code == "server.forbidden"
    # The audit trail cannot be signed with another name, nor changed afterwards.
    with pytest.raises(peewee.DatabaseError), db.database.atomic():
        AuditLog.create(user="someone_else", table="candidate", row_id=1, action="update")
    with pytest.raises(peewee.DatabaseError), db.database.atomic():
        AuditLog.update(user="x").execute()


def test_the_board_reads_everything_and_writes_only_its_own_records(shared: dict[str, Any]) -> None:
    _as(shared, "board")
    assert repo.candidate_count() == shared["total"]
    data = report_data.collect(report_data.period_from_settings("2024-H1"), report_date=dt.date(2024, 7, 3))
    assert (data.total.admitted, data.total.cumulative) == (14, 18)
    # A school's student: readable, not writable.
    tl = Candidate.select().where(Candidate.organisation == shared["orgs"]["TL"]).first()
    assert tl is not None
    values = repo.get_candidate(tl.id) | {"class_name": "12A7"}
    with pytest.raises(Refused) as info:
        candidates.edit(tl.id, values, today=DEMO_TODAY)
    assert info.value.problems[0].code == "server.forbidden"
    assert repo.get_candidate(tl.id)["class_name"] != "12A7"
    # Its own records: the organisations' targets, the shared settings.
    org = repo.get_organisation(shared["orgs"]["TL"])
    organisations.edit(org.id, {"code": org.code, "school_name": org.school_name, "name": org.name,
                                "kind": org.kind, "official_members": org.official_members,
                                "secretary": org.secretary, "annual_target": 4,
                                "upper_committee_id": org.upper_committee_id}, today=DEMO_TODAY)
    settings_ops.save({"signer_name": "Lê Văn Hùng"}, today=DEMO_TODAY)
    assert Organisation.get_by_id(org.id).annual_target == 4


def test_document_counters_are_each_organisations_own(shared: dict[str, Any]) -> None:
    """A school's clerk numbers their own documents and sees only their own counters; the board reads them all
    and numbers none of a school's."""
    lqd, tl = shared["orgs"]["LQD"], shared["orgs"]["TL"]
    _as(shared, "lqd")
    documents.set_counter(lqd, "NQ/CB", 2026, 4, today=DEMO_TODAY)
    with pytest.raises(Refused) as info:
        documents.set_counter(tl, "NQ/CB", 2026, 9, today=DEMO_TODAY)
    assert info.value.problems[0].code == "server.forbidden"
    db.close_database()
    _as(shared, "tl")
    assert DocumentCounter.select().count() == 0  # LQD's counter is not theirs to see
    documents.set_counter(tl, "NQ/CB", 2026, 2, today=DEMO_TODAY)
    hidden = db.database.execute_sql('UPDATE "document_counter" SET "last" = 99 WHERE "organisation_id" = %s', (lqd,))
    assert hidden.rowcount == 0
    assert [(c.organisation_id, c.last) for c in DocumentCounter.select()] == [(tl, 2)]
    db.close_database()
    _as(shared, "board")
    assert sorted((c.organisation_id, c.series, c.last) for c in DocumentCounter.select()) == sorted(
        [(lqd, "NQ/CB", 4), (tl, "NQ/CB", 2)])
    with pytest.raises(Refused) as info:
        documents.set_counter(lqd, "NQ/CB", 2026, 7, today=DEMO_TODAY)
    assert info.value.problems[0].code == "server.forbidden"
    assert DocumentCounter.get(DocumentCounter.organisation == lqd).last == 4


def test_a_clerk_without_an_organisation_sees_nothing_and_the_owner_sees_all(shared: dict[str, Any],
                                                                              pg_cluster: Any) -> None:
    # A login role of the group but not in the clerk table (made by hand, or removed from it): nothing.
    with psycopg.connect(shared["owner"], autocommit=True) as con:
        con.execute(f'CREATE ROLE "{shared["name"]}_nobody" LOGIN PASSWORD \'{PASSWORD}\'')
        con.execute(f'GRANT lamha_clerk TO "{shared["name"]}_nobody"')
    try:
        _as(shared, "nobody")
        assert repo.candidate_count() == 0
        assert repo.list_organisations() == []
        db.close_database()
        server.open_server(shared["owner"])
        who = server.whoami()
        assert who is not None
        assert who.owner
        assert repo.candidate_count() == shared["total"]
    finally:
        db.close_database()
        with psycopg.connect(shared["owner"], autocommit=True) as con:
            con.execute(f'DROP OWNED BY "{shared["name"]}_nobody"')
            con.execute(f'DROP ROLE "{shared["name"]}_nobody"')


def test_a_wrong_password_and_a_missing_one_are_said_so(shared: dict[str, Any]) -> None:
    with pytest.raises(db.StorageError) as info:
        server.open_server(shared["url"]("lqd"), password="sai")
    assert info.value.code == "server.auth_failed"
    with pytest.raises(db.StorageError) as info:
        server.open_server(shared["url"]("lqd"))
    assert info.value.code == "server.password_required"
    assert not db.is_server()


def test_a_personal_id_another_school_holds_is_refused_in_words(shared: dict[str, Any]) -> None:
    server.open_server(shared["owner"])
    taken = Candidate.select().where(Candidate.organisation == shared["orgs"]["TL"]).first()
    assert taken is not None
    pid = taken.personal_id
    db.close_database()
    _as(shared, "lqd")
    with pytest.raises(Refused) as info:
        candidates.create({"organisation_id": shared["orgs"]["LQD"], "full_name": "Hồ Văn Nam", "gender": "nam",
                           "birth": dt.date(2008, 2, 3), "ethnic": "Kinh", "religion": "Không",
                           "personal_id": pid}, today=DEMO_TODAY)
    assert [p.code for p in info.value.problems] == ["server.duplicate"]

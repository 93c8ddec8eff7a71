"""Random sequences of operations (record, edit, delete, ceremony, import, restore) never leave an unlawful history.

A hypothesis state machine drives the operations layer the way a careless (or hostile) user would: steps of any
kind on any date, edits that move a vote after the ceremony, deletions of what later steps depend on, ceremonies
of any students, class-list imports, backups and restores. Each operation either does what it says or refuses
(``Refused``, ``NeedsConfirmation``) and writes nothing. After every step, every candidate's whole history in the
database must obey the rules (``domain.invariants``) and the stage stored for sorting must be the one the domain
derives from the history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from lamha_desktop.domain import invariants, pipeline
from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.operations import (
    ACCEPT_ALL,
    NeedsConfirmation,
    Refused,
    candidates,
    ceremonies,
    importing,
    organisations,
    safety,
    steps,
)
from lamha_desktop.readers import class_list
from lamha_desktop.storage import db, repo
from lamha_desktop.storage.models import Candidate, Ceremony, Event

TODAY = dt.date(2026, 12, 1)
K = pipeline.EventKind
KINDS = [K.SOURCE, K.CLASS, K.DOSSIER, K.VOTE, K.DANG_UY, K.DECISION, K.RECOGNITION, K.TRANSFER, K.NOT_ADMITTED,
         K.REMOVED]
ITEMS = ["don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru", "nx_doan_the"]
days = st.dates(min_value=dt.date(2023, 1, 1), max_value=TODAY + dt.timedelta(days=40))


def _data(kind: str, draw_item: str, agree: int, members: int | None) -> dict[str, Any]:
    if kind == K.DOSSIER:
        extra = {"member": "Lê Văn Tám", "together_since": "2022-01-01"} if draw_item == "gioi_thieu" else {}
        return {"item": draw_item, **extra}
    if kind == K.VOTE:
        data: dict[str, Any] = {"agree": agree, "disagree": 0}
        if members is not None:
            data |= {"members": members, "members_reason": "" if members % 2 else "đính chính"}
        return data
    if kind == K.DANG_UY:
        return {"members": 9, "agree": agree % 10}
    if kind == K.DECISION:
        return {"number": "1-QĐ/HU"}
    if kind == K.RECOGNITION:
        return {"decision_no": "2-QĐ/HU"}
    if kind == K.TRANSFER:
        return {"destination": "Trường ĐH Đà Lạt", "mode": "tam_thoi"}
    if kind in (K.NOT_ADMITTED, K.REMOVED):
        return {"reason": "Lý do"}
    return {}


ADMITTED: list[int] = []  # lawful admissions made per run: the machine must reach the later steps


def whole_database_problems() -> list[str]:
    """Every unlawful history, and every stored stage that is not the derived one."""
    ids = [int(c.id) for c in Candidate.select(Candidate.id)]
    events = repo.events_by_candidate(ids)
    holidays = repo.default_holidays()
    found = []
    for c in Candidate.select():
        kind = OrgKind.of(repo.get_organisation(c.organisation_id).kind)
        for v in invariants.history_problems(birth=c.birth, events=events[c.id], holidays=holidays, today=TODAY,
                                             party_committee=kind.party_committee,
                                             members_on=repo.members_function(c.organisation_id)):
            found.append(f"{c.full_name}: {v.event.kind} {v.event.on}: {v.issue.code}")
        derived = pipeline.stage_without_today(events[c.id], kind.party_committee)
        if int(derived) != c.stage:
            found.append(f"{c.full_name}: stored stage {c.stage}, derived {int(derived)}")
    return found


class Clerk(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="lamha-sm-"))
        self.path = self.folder / db.DB_FILENAME
        db.open_database(self.path)
        self.orgs = [organisations.create({"code": code, "school_name": f"THPT {code}", "name": f"Chi bộ {code}",
                                           "kind": kind, "official_members": 9}, today=TODAY).created_id
                     for code, kind in (("A", "chi_bo"), ("B", "dang_bo"))]
        self.serial = 0
        self.admitted = 0
        self.backup: Path | None = None

    def teardown(self) -> None:
        ADMITTED.append(self.admitted)
        db.close_database()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _attempt(self, action: Any, *args: Any, **kwargs: Any) -> Any:
        """Run an operation; a refusal is a lawful outcome, a warning is accepted half of the time."""
        try:
            return action(*args, **kwargs)
        except NeedsConfirmation:
            if "accept" not in kwargs:
                try:
                    return action(*args, accept=ACCEPT_ALL, **kwargs)
                except Refused:
                    return None
        except Refused:
            return None
        return None

    def _ids(self) -> list[int]:
        return [int(c.id) for c in Candidate.select(Candidate.id).order_by(Candidate.id)]

    @rule(birth=st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2010, 12, 31)), org=st.integers(0, 1))
    def add_candidate(self, birth: dt.date, org: int) -> None:
        self.serial += 1
        self._attempt(candidates.create, {
            "organisation_id": self.orgs[org], "full_name": f"Nguyễn Thị {chr(65 + self.serial % 26)}{self.serial}"
            .replace("0", "").replace("1", "") or "Nguyễn Thị An", "gender": "nu", "birth": birth, "ethnic": "01",
            "religion": "00", "personal_id": f"068{self.serial:09d}"}, today=TODAY)

    @precondition(lambda self: bool(Candidate.select().exists()))
    @rule(pick=st.integers(0, 10_000), kind=st.sampled_from(KINDS), on=days, item=st.sampled_from(ITEMS),
          agree=st.integers(0, 12), members=st.one_of(st.none(), st.integers(3, 12)))
    def record_step(self, pick: int, kind: str, on: dt.date, item: str, agree: int, members: int | None) -> None:
        ids = self._ids()
        self._attempt(steps.record, ids[pick % len(ids)], kind, on, _data(kind, item, agree, members), today=TODAY)

    @rule(org=st.integers(0, 1))
    def admit_lawfully(self, org: int) -> None:
        """A new student and the whole lawful admission, for the other rules to attack."""
        self.serial += 1
        created = self._attempt(candidates.create, {
            "organisation_id": self.orgs[org], "full_name": "Lê Thị Hợp Lệ", "gender": "nu",
            "birth": dt.date(2004, 3, 3), "ethnic": "01", "religion": "00", "personal_id": f"070{self.serial:09d}"},
            today=TODAY)
        if created is None:
            return
        cid = created.created_id
        c = repo.get_candidate(cid)
        kind = OrgKind.of(repo.get_organisation(c["organisation_id"]).kind)
        plan: list[tuple[str, dt.date, dict[str, Any]]] = [(K.SOURCE, dt.date(2023, 2, 1), {}),
                                                           (K.CLASS, dt.date(2023, 3, 1), {"cert_no": "1/GCN"})]
        plan += [(K.DOSSIER, dt.date(2023, 4, 1), _data(K.DOSSIER, item, 0, None)) for item in ITEMS]
        members = repo.members_on(c["organisation_id"], dt.date(2023, 6, 1)) or 9
        plan.append((K.VOTE, dt.date(2023, 6, 1), {"agree": members, "disagree": 0}))
        if kind.party_committee:
            plan.append((K.DANG_UY, dt.date(2023, 6, 12), {"members": 9, "agree": 9}))
        plan.append((K.DECISION, dt.date(2023, 7, 3), {"number": "9-QĐ/HU", "received": "2023-07-05"}))
        for step, on, data in plan:
            if self._attempt(steps.record, cid, step, on, data, today=TODAY) is None:
                return
        if self._attempt(ceremonies.hold, {"organisation_id": c["organisation_id"], "on": dt.date(2023, 8, 1)},
                         [cid], today=TODAY) is not None:
            self._attempt(steps.record, cid, K.RECOGNITION, dt.date(2024, 8, 15), {}, today=TODAY)
            self.admitted += 1

    @precondition(lambda self: bool(Event.select().exists()))
    @rule(pick=st.integers(0, 10_000), on=days, agree=st.integers(0, 12))
    def edit_step(self, pick: int, on: dt.date, agree: int) -> None:
        events = list(Event.select().order_by(Event.id))
        ev = events[pick % len(events)]
        data = dict(ev.data or {})
        if ev.kind == K.VOTE:
            data["agree"] = agree
        self._attempt(steps.edit, int(ev.id), on, data, today=TODAY)

    @precondition(lambda self: bool(Event.select().exists()))
    @rule(pick=st.integers(0, 10_000), cascade=st.booleans())
    def delete_step(self, pick: int, cascade: bool) -> None:
        events = list(Event.select().order_by(Event.id))
        changes = self._attempt(steps.delete, int(events[pick % len(events)].id), cascade=cascade, today=TODAY)
        if changes is not None and changes.undo is not None and pick % 3 == 0:
            self._attempt(steps.restore, changes.undo, today=TODAY)

    @precondition(lambda self: bool(Candidate.select().exists()))
    @rule(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3), on=days, org=st.integers(0, 1))
    def hold_ceremony(self, picks: list[int], on: dt.date, org: int) -> None:
        ids = [int(c.id) for c in Candidate.select(Candidate.id).where(Candidate.organisation == self.orgs[org])]
        if not ids:
            return
        chosen = sorted({ids[p % len(ids)] for p in picks})
        self._attempt(ceremonies.hold, {"organisation_id": self.orgs[org], "on": on, "decision_date": None}, chosen,
                      today=TODAY)

    @precondition(lambda self: bool(Ceremony.select().exists()))
    @rule(pick=st.integers(0, 10_000))
    def delete_ceremony(self, pick: int) -> None:
        cers = list(Ceremony.select().order_by(Ceremony.id))
        self._attempt(ceremonies.delete, int(cers[pick % len(cers)].id), today=TODAY)

    @precondition(lambda self: bool(Candidate.select().exists()))
    @rule(pick=st.integers(0, 10_000), birth=st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2010, 1, 1)))
    def correct_birth(self, pick: int, birth: dt.date) -> None:
        ids = self._ids()
        cid = ids[pick % len(ids)]
        values = repo.get_candidate(cid) | {"birth": birth}
        self._attempt(candidates.edit, cid, values, today=TODAY)

    @rule(org=st.integers(0, 1), members=st.integers(3, 15), back=st.integers(0, 900))
    def change_member_count(self, org: int, members: int, back: int) -> None:
        self._attempt(organisations.set_member_count, self.orgs[org], members,
                      valid_from=TODAY - dt.timedelta(days=back), reason="chuyển đến, chuyển đi", today=TODAY)

    @rule(n=st.integers(1, 3), org=st.integers(0, 1))
    def import_class_list(self, n: int, org: int) -> None:
        sheet = self.folder / "lop.csv"
        lines = ["Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số định danh cá nhân"]
        for i in range(n):
            self.serial += 1
            lines.append(f"Trần Văn Nhập,0{1 + i}/02/2008,Nam,Kinh,0690{self.serial:08d}")
        sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
        table = class_list.read_table(sheet)
        rows = class_list.parse_rows(table, class_list.detect_all(table))
        with contextlib.suppress(Refused):
            importing.apply(importing.plan(rows, self.orgs[org], today=TODAY))

    @rule()
    def take_backup(self) -> None:
        self.backup = safety.backup_now(self.path, kind="manual",
                                        dest=self.folder / f"copy-{self.serial}.sqlite3").result

    @precondition(lambda self: self.backup is not None)
    @rule()
    def restore_backup(self) -> None:
        assert self.backup is not None
        safety.restore(self.path, self.backup, reopen=True)

    @invariant()
    def every_history_is_lawful(self) -> None:
        assert whole_database_problems() == []


def test_random_operations_keep_every_history_lawful() -> None:
    from hypothesis.stateful import run_state_machine_as_test

    ADMITTED.clear()
    run_state_machine_as_test(Clerk, settings=settings(max_examples=12, stateful_step_count=25, deadline=None,
                                                       suppress_health_check=[HealthCheck.too_slow,
                                                                              HealthCheck.filter_too_much]))
    assert sum(ADMITTED) > 0  # some runs reached admission and recognition, for the other rules to attack


@pytest.mark.slow
def test_many_more_random_operations_keep_every_history_lawful() -> None:
    # 40 runs of 40 operations: about 40 s on the 2-core CI machine (150 runs took 144 s, a third of the suite).
    run = settings(max_examples=40, stateful_step_count=40, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(Clerk, settings=run)

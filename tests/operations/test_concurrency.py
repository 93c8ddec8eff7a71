"""Two client processes recording steps at the same moment, on both engines: steps on different students both
land; on the same student, loaded at the same version, the second is told who changed it (a conflict) and
nothing of it is written. Two clients taking document numbers at once never get the same one."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from lamha_desktop.domain import pipeline
from lamha_desktop.operations import candidates, organisations
from lamha_desktop.operations.core import current_version
from lamha_desktop.storage import db
from lamha_desktop.storage.models import Event

CLIENT = r"""
import datetime as dt, json, sys, time
from pathlib import Path
from lamha_desktop.storage import db, server
from lamha_desktop.operations import steps
from lamha_desktop.operations.core import Conflict, Refused
from lamha_desktop import catalogue

where, candidate_id, version, go, day = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
if where.startswith("postgresql://"):
    server.open_server(where)
else:
    db.open_database(Path(where))
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
try:
    changes = steps.record(candidate_id, "source", dt.date.fromisoformat(day), {}, version=version,
                           today=dt.date(2026, 11, 26))
    print(json.dumps({"landed": changes.created_id}))
except Conflict as exc:
    p = exc.problems[0]
    print(json.dumps({"conflict": catalogue.text(p.code, dict(p.params))}, ensure_ascii=False))
except Refused as exc:
    print(json.dumps({"refused": [p.code for p in exc.problems]}))
finally:
    db.close_database()
"""

TODAY_ISO = "2026-11-26"


def _clients(where: str, jobs: list[tuple[int, int, str]], go: Path) -> list[dict[str, Any]]:
    procs = [subprocess.Popen([sys.executable, "-c", CLIENT, where, str(cid), str(version), str(go), day],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
             for cid, version, day in jobs]
    for p in procs:  # both connected and waiting: then both go at once
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "ready", p.stderr.read() if p.stderr else ""
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    go.unlink()
    return results


def _setup() -> tuple[int, int]:
    org = organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQD",
                                "kind": "chi_bo", "official_members": 9, "annual_target": 1}).created_id
    assert org is not None
    ids = []
    for name, pid in [("Nguyễn Thị Ánh", "068306001234"), ("Lê Văn An", "068206001235")]:
        cid = candidates.create({"organisation_id": org, "full_name": name, "gender": "nu",
                                 "birth": dt.date(2006, 5, 20), "ethnic": "Kinh",
                                 "religion": "Không", "personal_id": pid}).created_id
        assert cid is not None
        ids.append(cid)
    return ids[0], ids[1]


def test_two_clients_record_steps_at_once(store: Any, tmp_path: Path) -> None:
    a, b = _setup()
    where = store.url if store.on_server else str(store.path)
    va, vb = current_version("candidate", a), current_version("candidate", b)
    assert va is not None
    assert vb is not None
    db.close_database()  # the clients write; this process only looks afterwards
    go = tmp_path / "go"
    started = time.monotonic()
    # Different students at the same moment: both land.
    both = _clients(where, [(a, va, "2024-01-10"), (b, vb, "2024-01-11")], go)
    assert all("landed" in r for r in both), both
    # The same student, both loaded at the same version: one lands, the other is told.
    va2 = va + 1
    same = _clients(where, [(a, va2, "2024-02-01"), (a, va2, "2024-02-02")], go)
    elapsed = time.monotonic() - started
    landed = [r for r in same if "landed" in r]
    told = [r for r in same if "conflict" in r]
    assert (len(landed), len(told)) == (1, 1), same
    assert "Hồ sơ của «Nguyễn Thị Ánh» đã được" in told[0]["conflict"]
    assert " sửa lúc " in told[0]["conflict"]
    store.reopen()
    kinds = {cid: [e.kind for e in Event.select().where(Event.candidate == cid)] for cid in (a, b)}
    assert kinds == {a: [pipeline.EventKind.SOURCE, pipeline.EventKind.SOURCE], b: [pipeline.EventKind.SOURCE]}
    assert current_version("candidate", a) == va + 2
    assert elapsed < 60


NUMBER_CLIENT = r"""
import datetime as dt, json, sys, time
from pathlib import Path
from lamha_desktop.storage import db, server
from lamha_desktop.operations import documents

where, org, go, n = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
if where.startswith("postgresql://"):
    server.open_server(where)
else:
    db.open_database(Path(where))
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
given = [documents.take_number(org, "de-nghi-hoc-lop", dt.date(2026, 11, 20), today=dt.date(2026, 11, 26)).result
         for _ in range(n)]
db.close_database()
print(json.dumps(given))
"""


def test_two_clients_taking_the_next_number_at_once_never_get_the_same(store: Any, tmp_path: Path) -> None:
    """The next document number is read in the transaction that takes it: two clerks numbering their school's
    letters at the same moment get different numbers, and the counter ends at the last one given."""
    from lamha_desktop.storage.models import DocumentCounter, Organisation

    _setup()
    org = int(Organisation.get(Organisation.code == "LQD").id)
    where = store.url if store.on_server else str(store.path)
    db.close_database()
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", NUMBER_CLIENT, where, str(org), str(go), "6"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
             for _ in range(2)]
    for p in procs:
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "ready", p.stderr.read() if p.stderr else ""
    go.touch()
    given: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        given += json.loads(out.strip().splitlines()[-1])
    assert sorted(given) == [f"{i:02d}-CV/CB" for i in range(1, 13)], given
    store.reopen()
    assert [c.last for c in DocumentCounter.select()] == [12]

"""Crash-harness writer: the application's own storage code writing as fast as it can until it is killed.

``python tests/crash_writer.py DB_PATH SEED`` opens the database with ``storage.db.open_database`` (the
same open, check and migration as the application), takes the daily backup, then loops over the user
actions of the repository: an import (a burst of candidates in one transaction), edits, pipeline steps and
the occasional "Sao lưu ngay". After each transaction has committed it prints and flushes one line:

    COMMITTED import <id>:<personal_id>,<id>:<personal_id>,...
    COMMITTED edit <id> <seq>          (the candidate's notes now read "sửa <seq>"; seq grows across runs)
    COMMITTED event <event_id> <candidate_id>
    COMMITTED backup <path>

The harness kills it with SIGKILL and checks that every reported transaction is in the database.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lamha_desktop.storage import backup, db, repo, writers

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "K'", "Ka", "Bùi")
MIDDLE = ("Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Hữu", "")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Nhung", "Phúc", "Quỳnh", "Sơn", "Thảo")


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def name(rng: random.Random) -> str:
    family = rng.choice(FAMILY)
    if family.endswith("'"):
        family = "K'Ho"  # a name with an apostrophe, as in Lâm Đồng
    return " ".join(p for p in (family, rng.choice(MIDDLE), rng.choice(GIVEN)) if p)


def main(argv: list[str]) -> int:
    path, seed = Path(argv[0]), int(argv[1])
    rng = random.Random(seed)
    db.open_database(path)
    backup.daily_backup(path)
    org = repo.organisation_by_code("CRASH")
    org_id = org.id if org else writers.save_organisation(
        {"code": "CRASH", "school_name": "Trường THPT Thử Nghiệm", "name": "Chi bộ Trường THPT Thử Nghiệm",
         "official_members": 12})
    ids = [r[0] for r in repo.Candidate.select(repo.Candidate.id).tuples()]
    serial = 0
    emit("READY")
    while True:
        op = rng.random()
        if op < 0.25 or not ids:  # an import: a burst of candidates in one transaction
            made = []
            with db.database.atomic():
                for _ in range(rng.randint(3, 25)):
                    serial += 1
                    pid = f"{seed % 100000:05d}{serial:07d}"
                    cid = writers.save_candidate({
                        "organisation_id": org_id, "full_name": name(rng), "gender": rng.choice(("nam", "nu")),
                        "birth": dt.date(2007 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28)),
                        "ethnic": "01", "religion": "00", "personal_id": pid, "class_name": "12A1"})
                    made.append((cid, pid))
            ids.extend(c for c, _ in made)
            emit("COMMITTED import " + ",".join(f"{c}:{p}" for c, p in made))
        elif op < 0.70:  # an edit of one candidate
            cid = rng.choice(ids)
            values = repo.get_candidate(cid)
            seq = time.time_ns()
            values["notes"] = f"sửa {seq}"
            values["class_name"] = rng.choice(("12A1", "12A2", "11B3"))
            writers.save_candidate(values, cid)
            emit(f"COMMITTED edit {cid} {seq}")
        elif op < 0.99:  # a pipeline step
            cid = rng.choice(ids)
            eid = writers.add_event(cid, "source", dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)))
            emit(f"COMMITTED event {eid} {cid}")
        else:
            out = backup.backup_now(path, kind="manual")
            emit(f"COMMITTED backup {out}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

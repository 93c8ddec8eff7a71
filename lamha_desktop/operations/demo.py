"""The demo database: five school organisations and students at every step of the pipeline.

All people are fictional; the figures match the first year of plan 88-KH/HU (DOMAIN.md §1):
4 students admitted in 2023 (from June), 14 in the first half of 2024, and 31 sent to the
awareness class between June 2023 and June 2024. The schools answered to Huyện ủy Lâm Hà until 30/6/2025 and to
a new committee from 1/7/2025 (district committees ended then): decisions and the reports' headers follow.

Built through the operations, like anything a clerk records: every step meets the same rules (the warnings
of late steps are accepted and kept, as a clerk would).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from lamha_desktop.domain import pipeline
from lamha_desktop.operations import candidates, ceremonies, organisations, steps
from lamha_desktop.operations import settings as settings_ops
from lamha_desktop.operations.core import ACCEPT_ALL, writing
from lamha_desktop.storage import repo

D = dt.date
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "K'", "Ka", "Liêng", "Đinh", "Lương", "Trịnh", "Mai", "Tạ"]
MIDDLE_M = ["Văn", "Minh", "Đức", "Quốc", "Hữu", "Thanh", "Gia", "Anh", "Công", "Tuấn"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Minh", "Khánh", "Bảo", "Thanh", "Hồng", "Phương", "Mỹ"]
GIVEN_M = ["An", "Bảo", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Khang", "Khoa", "Lâm", "Long", "Nam",
           "Nghĩa", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Trung", "Tú", "Việt", "Vinh", "Ơn"]
GIVEN_F = ["Ánh", "Anh", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hương", "Lan", "Linh", "Mai",
           "My", "Ngân", "Nhi", "Oanh", "Phương", "Quỳnh", "Thảo", "Trâm", "Trang", "Uyên", "Vy", "Yến", "Ưng"]
K_HO_FAMILY = {"K'", "Ka", "Liêng"}

# The demo's "today": every date it records is on or before it.
DEMO_TODAY = D(2026, 12, 1)

# District committees ended on 1/7/2025: the demo's schools answer to a new (fictional) committee from then on,
# and their decisions from that day are its own. The place of their documents is the demo's own.
NEW_COMMITTEE: dict[str, Any] = {"name": "Đảng ủy xã Lâm Hà", "valid_from": D(2025, 7, 1), "valid_to": None,
                                 "place": "Lâm Hà"}
CHANGE_OF_COMMITTEE = D(2025, 7, 1)
DEMO_PLACE = "Lâm Hà"


def decision_number(serial: int, on: dt.date) -> str:
    """"163-QĐ/HU" by the district committee, "163-QĐ/ĐU" by the committee after it."""
    return f"{serial}-QĐ/HU" if on < CHANGE_OF_COMMITTEE else f"{serial}-QĐ/ĐU"


def issuer(on: dt.date) -> str:
    return "Ban Thường vụ Huyện ủy Lâm Hà" if on < CHANGE_OF_COMMITTEE else f"Ban Thường vụ {NEW_COMMITTEE['name']}"

ORGS: list[dict[str, Any]] = [
    {"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ Trường THPT Lê Quý Đôn",
     "kind": "chi_bo", "official_members": 18, "secretary": "Nguyễn Văn Hòa", "annual_target": 2},
    {"code": "TANHA", "school_name": "Trường THPT Tân Hà", "name": "Đảng bộ Trường THPT Tân Hà",
     "kind": "dang_bo", "official_members": 34, "secretary": "Trần Thị Minh Tâm", "annual_target": 3},
    {"code": "LAMHA", "school_name": "Trường THPT Lâm Hà", "name": "Đảng bộ Trường THPT Lâm Hà",
     "kind": "dang_bo", "official_members": 38, "secretary": "Phạm Quốc Bình", "annual_target": 3},
    {"code": "HTK", "school_name": "Trường THPT Huỳnh Thúc Kháng", "name": "Chi bộ Trường THPT Huỳnh Thúc Kháng",
     "kind": "chi_bo", "official_members": 15, "secretary": "Lê Thị Thu Hiền", "annual_target": 1},
    {"code": "TL", "school_name": "Trường THPT Thăng Long", "name": "Chi bộ Trường THPT Thăng Long",
     "kind": "chi_bo", "official_members": 12, "secretary": "Hoàng Đức Thịnh", "annual_target": 1},
]

# Ceremonies of the demo: (organisation, date, number of students, recognised?, class certificate date)
CEREMONIES: list[tuple[str, dt.date, int, bool, dt.date]] = [
    ("LQD", D(2023, 7, 20), 1, True, D(2023, 1, 12)),
    ("TANHA", D(2023, 9, 15), 1, True, D(2023, 3, 9)),
    ("LAMHA", D(2023, 11, 10), 1, True, D(2023, 4, 20)),
    ("HTK", D(2023, 12, 8), 1, False, D(2023, 5, 18)),  # transferred while on probation
    ("LQD", D(2024, 1, 18), 2, True, D(2023, 6, 22)),
    ("TANHA", D(2024, 3, 22), 3, True, D(2023, 9, 14)),
    ("LAMHA", D(2024, 4, 19), 3, True, D(2023, 10, 19)),
    ("HTK", D(2024, 5, 17), 2, True, D(2023, 11, 16)),
    ("TL", D(2024, 5, 29), 2, True, D(2023, 11, 23)),
    ("LQD", D(2024, 6, 14), 2, True, D(2023, 12, 14)),
    ("TANHA", D(2024, 10, 11), 1, True, D(2024, 3, 14)),
    ("TL", D(2024, 11, 22), 1, True, D(2024, 4, 11)),
    ("LQD", D(2024, 12, 5), 1, True, D(2024, 4, 18)),
    ("TANHA", D(2025, 1, 16), 2, True, D(2024, 4, 25)),
    ("HTK", D(2025, 3, 14), 2, True, D(2024, 5, 16)),
    ("LAMHA", D(2025, 4, 10), 2, True, D(2024, 5, 23)),
    ("TL", D(2025, 11, 20), 1, False, D(2025, 5, 15)),  # probation ends 20/11/2026: recognition due
    ("TANHA", D(2026, 3, 20), 1, False, D(2025, 9, 18)),
    ("HTK", D(2026, 4, 17), 1, False, D(2025, 10, 9)),
    ("LQD", D(2026, 5, 15), 2, False, D(2025, 10, 9)),
]


@dataclass
class _Names:
    rng: random.Random
    used: set[str]

    def make(self, female: bool) -> tuple[str, str]:
        while True:
            fam = self.rng.choice(FAMILY)
            mid = self.rng.choice(MIDDLE_F if female else MIDDLE_M)
            given = self.rng.choice(GIVEN_F if female else GIVEN_M)
            ethnic = "16" if fam in K_HO_FAMILY else self.rng.choice(["01"] * 8 + ["02", "07", "28", "36"])
            if fam == "K'":
                full = f"K'{self.rng.choice(['Brông', 'Dòng', 'Hoa', 'Lơi'])} {given}"
            else:
                full = f"{fam} {mid} {given}"
            if full not in self.used:
                self.used.add(full)
                return full, ethnic


class _Builder:
    def __init__(self, seed: int = 20230614) -> None:
        self.rng = random.Random(seed)
        self.names = _Names(self.rng, set())
        self.org_ids: dict[str, int] = {}
        self.org_kind: dict[str, str] = {}
        self.serial = 0

    def candidate(self, org: str, *, born: dt.date, class_name: str) -> int:
        female = self.rng.random() < 0.6
        full, ethnic = self.names.make(female)
        self.serial += 1
        century = (3 if female else 2) if born.year >= 2000 else (1 if female else 0)
        pid = f"068{century}{born.year % 100:02d}{self.rng.randrange(10**6):06d}"
        religion = self.rng.choice(["00"] * 7 + ["02", "08", "01"])
        changes = candidates.create({
            "organisation_id": self.org_ids[org], "full_name": full, "gender": "nu" if female else "nam",
            "birth": born, "ethnic": ethnic, "religion": religion, "personal_id": pid, "class_name": class_name,
            "union_since": D(born.year + 15, 3, 26), "graduation_year": born.year + 18,
            "residence": self.rng.choice(["TT Đinh Văn", "xã Tân Hà", "xã Đạ Đờn", "xã Phúc Thọ", "TT Nam Ban",
                                          "xã Mê Linh", "xã Hoài Đức"]) + ", Lâm Hà, Lâm Đồng",
        }, today=DEMO_TODAY)
        assert changes.created_id is not None
        return changes.created_id

    def ev(self, cid: int, kind: str, on: dt.date, **data: Any) -> None:
        steps.record(cid, kind, on, data, accept=ACCEPT_ALL, today=DEMO_TODAY)

    def up_to(self, cid: int, org: str, *, listed: dt.date, cert: dt.date | None = None,
              dossier: dt.date | None = None, vote: dt.date | None = None, vote_pass: bool = True,
              dang_uy: dt.date | None = None, decision: dt.date | None = None,
              received: dt.date | None = None, missing: tuple[str, ...] = ()) -> None:
        subordinate: dict[str, Any] = {}
        if self.org_kind[org] == "dang_bo":  # the subordinate chi bộ that lists and votes (its documents say so)
            subordinate = {"chi_bo": "Chi bộ Giáo viên 1", "chi_bo_secretary": "Lê Văn Tám"}
        self.ev(cid, pipeline.EventKind.SOURCE, listed,
                helper=self.rng.choice(["Trần Văn Lộc", "Ngô Thị Huệ", "Đỗ Minh Trí"]), **subordinate)
        if cert:
            self.ev(cid, pipeline.EventKind.CLASS, cert, class_name=f"Lớp bồi dưỡng nhận thức về Đảng khóa {cert.year}",
                    start=(cert - dt.timedelta(days=5)).isoformat(), end=cert.isoformat(),
                    cert_no=f"{self.rng.randrange(100, 999)}/GCN-TTCT")
        if dossier:
            for i, item in enumerate(("don", "ly_lich", "tham_tra", "nq_doan", "gioi_thieu", "nx_noi_cu_tru",
                                      "nx_doan_the")):
                if item in missing:
                    continue
                extra: dict[str, Any] = {}
                if item == "gioi_thieu":
                    since = dossier - dt.timedelta(days=500)
                    extra = {"member": "Vũ Thị Thanh Hà", "together_since": since.isoformat(),
                             "member_birth": "1984-06-12", "member_admitted_on": "2009-05-19",
                             "member_official_on": "2010-05-19", "member_posts": "Giáo viên, tổ trưởng chuyên môn",
                             "member_assigned_on": listed.isoformat()}
                elif item == "nx_doan_the":
                    extra = {"body": "Đoàn Trường THPT", "members": 36, "asked": 36, "agree": 35, "disagree": 1}
                elif item == "nx_noi_cu_tru":
                    extra = {"body": "Chi bộ thôn 2", "members": 14, "asked": 12, "agree": 12}
                self.ev(cid, pipeline.EventKind.DOSSIER, dossier + dt.timedelta(days=i), item=item, **extra)
        members = next(o["official_members"] for o in ORGS if o["code"] == org)
        if vote:
            agree = members - 1 if vote_pass else members // 2
            secretary = next(o["secretary"] for o in ORGS if o["code"] == org)
            # What the meeting's paperwork prints: attendance, chair and secretary (domain/meeting.py).
            self.ev(cid, pipeline.EventKind.VOTE, vote, members=members, agree=agree, disagree=members - agree,
                    passed=vote_pass, official_present=members, probationary=2, probationary_present=2,
                    chair=secretary, secretary="Ngô Thị Huệ", place="Phòng họp nhà trường", start="14:00",
                    end="16:30", method="secret")
        if dang_uy and self.org_kind[org] == "dang_bo":
            self.ev(cid, pipeline.EventKind.DANG_UY, dang_uy, members=9, agree=9, passed=True, present=9,
                    chair=next(o["secretary"] for o in ORGS if o["code"] == org), secretary="Đỗ Minh Trí")
        if decision:
            self.ev(cid, pipeline.EventKind.DECISION, decision,
                    number=decision_number(self.rng.randrange(100, 990), decision),
                    issuer=issuer(decision), received=received.isoformat() if received else None)


def build_demo() -> None:
    """Fill the open (empty) database with the demo data, in one transaction."""
    with writing(today=DEMO_TODAY, purpose="operation"):
        _build()


def _build() -> None:
    b = _Builder()
    # The district level ended on 30/06/2025; the committee in force since then heads the documents.
    after = organisations.save_committee(NEW_COMMITTEE, today=DEMO_TODAY).created_id
    for values in ORGS:
        created = organisations.create(values | {"upper_committee_id": after, "place": DEMO_PLACE},
                                       today=DEMO_TODAY)
        assert created.created_id is not None
        b.org_ids[values["code"]] = created.created_id
        b.org_kind[values["code"]] = values["kind"]
    rng = b.rng
    wd = dt.timedelta
    secretary_of = {o["code"]: o["secretary"] for o in ORGS}
    for org, on, count, recognised, cert in CEREMONIES:
        ids = []
        decision = on - wd(days=18)
        received = on - wd(days=12)
        vote = decision - wd(days=45)
        for _ in range(count):
            # Old enough by month on the vote date: born 2 to 13 months before the 18th year.
            born = D(vote.year - 18, vote.month, 1) - wd(days=rng.randrange(40, 400))
            cid = b.candidate(org, born=born, class_name=f"12A{rng.randrange(1, 9)}")
            b.up_to(cid, org, listed=cert - wd(days=70), cert=cert, dossier=cert + wd(days=20), vote=vote,
                    dang_uy=vote + wd(days=10), decision=decision, received=received)
            ids.append(cid)
        with_decision = {"organisation_id": b.org_ids[org], "on": on, "place": "Hội trường nhà trường",
                         "decision_no": decision_number(rng.randrange(100, 990), decision), "decision_date": decision,
                         "decision_received": received}
        ceremonies.hold(with_decision, ids, accept=ACCEPT_ALL, today=DEMO_TODAY)
        from lamha_desktop.domain import rules

        end = rules.probation_end(on)
        for i, cid in enumerate(ids):
            if recognised and not (org == "LQD" and on == D(2024, 6, 14) and i == 1):
                rec = end + wd(days=14)
                b.ev(cid, pipeline.EventKind.RECOGNITION, rec, members=12, agree=12,
                     decision_no=decision_number(rng.randrange(100, 990), rec + wd(days=20)),
                     decision_date=(rec + wd(days=20)).isoformat(),
                     official_present=12, probationary=1, probationary_present=1, chair=secretary_of[org],
                     secretary="Ngô Thị Huệ")
            graduated = repo.get_candidate(cid)["graduation_year"]
            if (graduated is not None and graduated <= 2026 and not (org == "HTK" and on.year == 2023)
                    and not (org == "LQD" and on == D(2024, 6, 14)) and (cid % 4 != 0)):
                # Most graduates moved on to a university or to work; a few transfers are still due.
                b.ev(cid, pipeline.EventKind.TRANSFER, max(D(graduated, 7, 15), on + wd(days=30)), mode="tam_thoi",
                     destination=rng.choice(["Đảng ủy Trường Đại học Đà Lạt", "Đảng bộ Trường Đại học Tây Nguyên",
                                             "Đảng ủy Khối Cơ quan tỉnh Lâm Đồng"]))
            if org == "HTK" and on.year == 2023:
                b.ev(cid, pipeline.EventKind.TRANSFER, D(2024, 8, 20), destination="Đảng ủy Trường Đại học Đà Lạt",
                     mode="tam_thoi")
            if org == "LQD" and on == D(2024, 6, 14) and i == 1:
                b.ev(cid, pipeline.EventKind.TRANSFER, D(2024, 9, 10),
                     destination="Đảng bộ Học viện Nông nghiệp Việt Nam",
                     mode="chinh_thuc")

    # Sent to the class in the window but not (yet) admitted.
    c = b.candidate("LAMHA", born=D(2005, 10, 3), class_name="12A2")
    b.up_to(c, "LAMHA", listed=D(2023, 8, 1), cert=D(2023, 10, 19), dossier=D(2024, 2, 1), vote=D(2024, 3, 11),
            vote_pass=False)
    b.ev(c, pipeline.EventKind.NOT_ADMITTED, D(2024, 5, 20),
         reason="Chi bộ biểu quyết không đủ 2/3; học sinh đã tốt nghiệp")
    c = b.candidate("TL", born=D(2006, 2, 14), class_name="12A1")
    b.up_to(c, "TL", listed=D(2023, 9, 4), cert=D(2023, 11, 23))
    b.ev(c, pipeline.EventKind.REMOVED, D(2024, 4, 2), reason="Vi phạm nội quy nhà trường, đưa ra khỏi danh sách nguồn")
    # Grade-10 students of 2023-24 with a certificate of early 2024, now at every later stage.
    in_window = [
        ("LQD", D(2008, 3, 9), dict(dossier=D(2026, 4, 6), vote=D(2026, 10, 5))),
        ("HTK", D(2008, 5, 21), dict(dossier=D(2026, 6, 1), vote=D(2026, 11, 2))),
        ("TANHA", D(2008, 1, 30), dict(dossier=D(2026, 2, 2), vote=D(2026, 9, 15), dang_uy=D(2026, 10, 1))),
        ("LAMHA", D(2008, 2, 11), dict(dossier=D(2026, 1, 5), vote=D(2026, 6, 1), dang_uy=D(2026, 6, 15),
                                       decision=D(2026, 8, 3), received=D(2026, 8, 10))),
        ("TL", D(2008, 4, 2), dict(dossier=D(2026, 3, 2), vote=D(2026, 7, 6), decision=D(2026, 9, 14),
                                   received=D(2026, 9, 21))),
        ("LQD", D(2008, 8, 19), dict(dossier=D(2026, 9, 7), missing=("tham_tra", "nx_noi_cu_tru"))),
    ]
    for org, born, reached in in_window:
        c = b.candidate(org, born=born, class_name="12A3")
        b.up_to(c, org, listed=D(2023, 11, 6), cert=D(2024, 1, 11), **reached)  # type: ignore[arg-type]
    # This year's intake: source, class and dossier.
    for org, born, cert, dossier in [
        ("LQD", D(2009, 7, 2), D(2026, 10, 8), None), ("TANHA", D(2009, 9, 25), D(2026, 10, 8), None),
        ("HTK", D(2009, 12, 14), D(2026, 10, 15), None), ("LAMHA", D(2009, 1, 7), D(2026, 4, 9), D(2026, 10, 19)),
        ("TL", D(2009, 6, 30), D(2026, 4, 9), D(2026, 11, 9)),
    ]:
        c = b.candidate(org, born=born, class_name="12A5")
        b.up_to(c, org, listed=D(2026, 2, 2), cert=cert, dossier=dossier, missing=("nx_doan_the",))
    for org, born in [("LQD", D(2010, 4, 4)), ("TANHA", D(2010, 11, 12)), ("LAMHA", D(2009, 12, 28)),
                      ("HTK", D(2010, 2, 17)), ("TL", D(2010, 6, 6))]:
        c = b.candidate(org, born=born, class_name="11A2")
        b.up_to(c, org, listed=D(2026, 9, 14))
    # Grade-10 students from this year's class lists: not on the source list yet. A teacher's plain list has
    # no personal ID and no ethnic group: two of them are still incomplete records.
    for org, born, complete in [("LQD", D(2011, 3, 15), True), ("TANHA", D(2011, 8, 2), False),
                                ("HTK", D(2011, 5, 20), False)]:
        if complete:
            b.candidate(org, born=born, class_name="10A1")
            continue
        female = rng.random() < 0.6
        full, _ethnic = b.names.make(female)
        candidates.create({"organisation_id": b.org_ids[org], "full_name": full, "gender": "nu" if female else "nam",
                           "birth": born, "ethnic": "", "religion": "", "personal_id": "", "class_name": "10A1"},
                          today=DEMO_TODAY)
    settings_ops.save({"signer_name": "Nguyễn Văn Hòa", "first_run_done": True, "is_demo": True}, today=DEMO_TODAY)

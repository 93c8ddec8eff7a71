"""A complete, fictional context for every kind: the variables a template may use are read off these, and
"Kiểm tra mẫu" can preview a template with them. Names, places and numbers are invented.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Final

from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.reports.documents.context import (
    Assessment,
    Attendance,
    CeremonyProgramme,
    CeremonyStudent,
    Certificate,
    ChiBoResolution,
    ClassProposal,
    CommitteeAttendance,
    DangUyResolution,
    DocumentContext,
    DossierLine,
    Introducer,
    Introduction,
    Meeting,
    MeetingMinutes,
    MemberOpinion,
    OpinionGroup,
    OpinionsSummary,
    Organisation,
    Person,
    RecognitionResolution,
    ResolutionRef,
    Vote,
)

__all__ = ["example"]

D = date

CHI_BO: Final = Organisation(
    name="Chi bộ Trường THPT Mẫu Sơn",
    upper_body="Đảng bộ xã Mẫu Sơn",
    kind=OrgKind.CHI_BO,
    place="Mẫu Sơn",
    school="Trường THPT Mẫu Sơn",
    upper_committee="Ban Thường vụ Đảng ủy xã Mẫu Sơn",
    secretary="Phạm Văn Bí",
)
DANG_UY: Final = Organisation(
    name="Đảng ủy Trường THPT Mẫu Sơn",
    upper_body="Đảng bộ xã Mẫu Sơn",
    kind=OrgKind.DANG_BO,
    place="Mẫu Sơn",
    school="Trường THPT Mẫu Sơn",
    upper_committee="Ban Thường vụ Đảng ủy xã Mẫu Sơn",
    secretary="Phạm Văn Bí",
)
STUDENT: Final = Person(
    full_name="Nguyễn Thị Mẫu",
    birth=D(2008, 3, 9),
    gender="nu",
    ethnic="Kinh",
    religion="Không",
    hometown="xã Mẫu Sơn, tỉnh Lâm Đồng",
    residence="thôn 1, xã Mẫu Sơn",
    class_name="12A1",
    union_since=D(2023, 3, 26),
    post="Bí thư chi đoàn",
    study="Giỏi",
    conduct="Tốt",
    note="",
)
SECOND: Final = Person(
    full_name="K' Mẫu Ha",
    birth=D(2008, 1, 20),
    gender="nam",
    ethnic="Cơ-ho",
    religion="Công giáo",
    hometown="xã Mẫu Sơn, tỉnh Lâm Đồng",
    class_name="12A2",
    union_since=D(2023, 3, 26),
    post="Lớp trưởng",
    study="Khá",
    conduct="Tốt",
)
MEETING: Final = Meeting(
    on=D(2026, 4, 3),
    start=time(14, 0),
    end=time(16, 30),
    place="Phòng họp nhà trường",
    chair="Phạm Văn Bí",
    secretary="Lê Thị Thư",
    guests=("Đại diện Ban Chấp hành Đoàn trường",),
    attendance=Attendance(official=12, probationary=2, official_present=11, probationary_present=2,
                          absent_reasons="1 đồng chí đi công tác"),
)
VOTE: Final = Vote(agree=11, members=12, disagree=1, method="secret", against_reasons="Chưa tích cực tham gia")
ASSESSMENT: Final = Assessment(
    background="Lý lịch rõ ràng (ví dụ).",
    strengths="Ưu điểm (ví dụ).",
    weaknesses="Khuyết điểm (ví dụ).",
    understanding="Nhận thức (ví dụ).",
)
RECIPIENTS: Final = ("Ban Thường vụ Đảng ủy xã Mẫu Sơn",)


def example(code: str) -> DocumentContext:
    """A complete fictional context for the kind ``code`` (every optional fact filled, every list non-empty).

    Raises:
        KeyError: an unknown kind.
    """
    admitted = replace(STUDENT, admitted=True)
    examples: dict[str, DocumentContext] = {
        "nq-chi-bo": ChiBoResolution(
            org=CHI_BO, person=STUDENT, meeting=MEETING, vote=VOTE, number="05-NQ/CB", signed_on=D(2026, 4, 5),
            assessment=ASSESSMENT, recipients=RECIPIENTS,
        ),
        "bien-ban-chi-bo": MeetingMinutes(
            org=CHI_BO, person=STUDENT, meeting=MEETING, vote=VOTE,
            certificate=Certificate("123/GCN", D(2025, 10, 20), "Trung tâm Chính trị"),
            dossier=(DossierLine("Đơn xin vào Đảng", D(2026, 2, 1)),
                     DossierLine("Lý lịch của người xin vào Đảng", D(2026, 2, 3), "đã thẩm tra, kết luận rõ ràng")),
            opinions=(MemberOpinion("Lê Thị Thư", "Ý kiến (ví dụ)."),),
            number="02-BB/CB", signed_on=D(2026, 4, 3),
        ),
        "nq-dang-uy": DangUyResolution(
            org=DANG_UY, person=STUDENT,
            chi_bo_resolution=ResolutionRef("05-NQ/CB", D(2026, 4, 5), "Chi bộ Trường THPT Mẫu Sơn"),
            meeting=MEETING, committee=CommitteeAttendance(members=7, present=6, absent_reasons="1 đồng chí ốm"),
            vote=Vote(agree=6, members=7, disagree=0), number="07-NQ/ĐU", signed_on=D(2026, 4, 15),
            assessment=ASSESSMENT, recipients=RECIPIENTS,
        ),
        "tong-hop-y-kien": OpinionsSummary(
            org=CHI_BO, person=STUDENT,
            union=OpinionGroup("Chi đoàn 12A1", members=38, asked=38, agree=37, disagree=1,
                               against_reasons="Chưa gương mẫu", strengths="Ưu điểm (ví dụ).",
                               weaknesses="Khuyết điểm (ví dụ)."),
            residence=OpinionGroup("Chi bộ thôn 1", members=20, asked=18, agree=18, strengths="Ưu điểm (ví dụ).",
                                   weaknesses="Khuyết điểm (ví dụ)."),
            signed_on=D(2026, 3, 20),
        ),
        "giay-gioi-thieu": Introduction(
            org=CHI_BO, person=STUDENT,
            introducer=Introducer("Trần Văn Giới", birth=D(1985, 6, 1), admitted_on=D(2010, 5, 19),
                                  official_on=D(2011, 5, 19), posts="Giáo viên, tổ trưởng chuyên môn",
                                  hometown="xã Mẫu Sơn, tỉnh Lâm Đồng", chi_bo="Chi bộ Trường THPT Mẫu Sơn",
                                  assigned_on=D(2024, 9, 10), together_since=D(2023, 9, 5)),
            signed_on=D(2026, 3, 1), assessment=ASSESSMENT,
        ),
        "de-nghi-hoc-lop": ClassProposal(
            org=CHI_BO, recipient="Ban Thường vụ Đảng ủy xã Mẫu Sơn", students=(STUDENT, SECOND),
            number="03-CV/CB", signed_on=D(2025, 9, 15), course="khóa 2 năm 2025",
            recipients=("Ban Tổ chức Đảng ủy xã Mẫu Sơn",),
        ),
        "chuong-trinh-le": CeremonyProgramme(
            org=CHI_BO, on=D(2026, 6, 12), start=time(8, 0), place="Hội trường nhà trường", chair="Phạm Văn Bí",
            upper_guest="Ban Thường vụ Đảng ủy xã Mẫu Sơn", signed_on=D(2026, 6, 10),
            students=(
                CeremonyStudent(STUDENT, "145-QĐ/ĐU", D(2026, 5, 25), "Ban Thường vụ Đảng ủy xã Mẫu Sơn",
                                "Trần Văn Giới"),
                CeremonyStudent(SECOND, "146-QĐ/ĐU", D(2026, 5, 25), "Ban Thường vụ Đảng ủy xã Mẫu Sơn",
                                "Lê Thị Thư"),
            ),
        ),
        "nq-cong-nhan": RecognitionResolution(
            org=CHI_BO, person=admitted, admitted_on=D(2026, 6, 12), probation_end=D(2027, 6, 12),
            meeting=MEETING, vote=VOTE, number="09-NQ/CB", signed_on=D(2027, 6, 20), assessment=ASSESSMENT,
            recipients=RECIPIENTS,
        ),
    }
    return examples[code]

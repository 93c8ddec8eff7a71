"""Texts of the guide ("Bước tiếp theo", the step menu, the age-window planner): ``domain/guide.py``'s codes.

Besides the messages: the names of who signs (:data:`SIGNER_NAMES`), of the papers a step rests on
(:data:`PAPER_NAMES`; dossier items are worded by their labels in ``resources/codelists/dossier_items.json``),
of the reasons of an earliest or latest date (:data:`BOUND_NAMES`) and of the way out of a missing age window
(:data:`WAY_OUT_NAMES`).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "guide.too_few_members": "Chi bộ chỉ có {members} đảng viên chính thức; cần ít nhất {minimum} đảng viên chính "
                             "thức để xét kết nạp.",
    "guide.vote_failed": "Lần biểu quyết gần nhất ({step}, ngày {on}) không đủ 2/3: có thể xét lại hoặc ghi "
                         "\"không kết nạp\".",
    "guide.certificate_retake": "Giấy chứng nhận lớp nhận thức về Đảng chỉ còn giá trị đến {valid_until}, không kịp "
                                "cho ngày biểu quyết sớm nhất ({needed_on}): cần học lại lớp.",
    "guide.no_window": "Học sinh đủ 18 tuổi từ {eligible_from}, sau khi tốt nghiệp ({graduation}): đề nghị bàn giao "
                       "cho tổ chức đảng nơi học sinh sẽ cư trú hoặc học tập để tiếp tục bồi dưỡng, kết nạp.",
    "guide.no_vote_window": "Không còn ngày phù hợp cho chi bộ biểu quyết: sớm nhất {earliest} nhưng muộn nhất "
                            "{latest}.",
    "guide.second_route": "Mới có 1 đảng viên giới thiệu: cần thêm nghị quyết giới thiệu của BCH Đoàn cơ sở, hoặc "
                          "đảng viên chính thức thứ hai giới thiệu.",
    "guide.already_admitted": "Học sinh đã được kết nạp ngày {admitted_on}: không ghi \"không kết nạp\" được.",
}

SIGNER_NAMES: dict[str, str] = {
    "chi_bo": "Bí thư chi bộ (T/M chi bộ)",
    "class_organiser": "Cấp ủy hoặc trung tâm chính trị mở lớp (cấp giấy chứng nhận)",
    "candidate": "Học sinh tự viết và ký",
    "union_committee": "Ban Chấp hành Đoàn cơ sở",
    "introducer": "Đảng viên chính thức giới thiệu",
    "dang_uy": "Bí thư đảng ủy cơ sở (T/M đảng ủy)",
    "upper_standing_committee": "Ban Thường vụ cấp ủy cấp trên",
}

PAPER_NAMES: dict[str, str] = {
    "source_list": "Danh sách quần chúng ưu tú và phân công đảng viên giúp đỡ",
    "certificate": "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
    "decision": "Quyết định kết nạp đảng viên",
    "self_review": "Bản tự kiểm điểm của đảng viên dự bị",
    "helper_review": "Bản nhận xét của đảng viên được phân công giúp đỡ",
    "opinions": "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú",
    "transfer_letter": "Giấy giới thiệu sinh hoạt đảng",
}

BOUND_NAMES: dict[str, str] = {
    "age_18": "đủ 18 tuổi",
    "class": "ngày cấp giấy chứng nhận lớp nhận thức",
    "dossier": "ngày của giấy tờ hồ sơ gần nhất",
    "vote": "ngày chi bộ biểu quyết",
    "dang_uy": "ngày đảng ủy cơ sở xét",
    "decision_received": "ngày nhận quyết định",
    "probation_end": "hết thời hạn dự bị",
    "graduation": "tốt nghiệp",
    "certificate": "giấy chứng nhận hết hạn",
    "age_60": "quá 60 tuổi",
    "decision_deadline": "60 ngày làm việc kể từ nghị quyết chi bộ",
    "ceremony_deadline": "30 ngày làm việc kể từ khi nhận quyết định",
    "recognition_deadline": "30 ngày làm việc kể từ khi hết dự bị",
    "transfer_deadline": "60 ngày làm việc kể từ khi tốt nghiệp",
    "ceremony": "lễ kết nạp sau khi tốt nghiệp",
    "transfer_after_ceremony": "60 ngày làm việc kể từ lễ kết nạp",
}

WAY_OUT_NAMES: dict[str, str] = {
    "hand_over": "Bàn giao cho tổ chức đảng nơi học sinh sẽ cư trú hoặc học tập",
}

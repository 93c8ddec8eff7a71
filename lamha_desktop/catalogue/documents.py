"""Texts of the documents feature: the kinds' names, the facts a document may lack, the paragraphs left for the
signer to write, and the messages of rendering and of "Kiểm tra mẫu" (``reports/documents``).

The form numbers ("Mẫu 6-KNĐ") are not here: they are data (``resources/codelists/documents.json``).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "document.unknown_kind": "Không có loại văn bản \"{kind}\". Các loại: {kinds}.",
    "document.context_mismatch": "Dữ liệu không đúng cho văn bản {kind}.",
    "document.counts_invalid": "Số liệu không hợp lệ ({what}): số có mặt hoặc số phiếu vượt tổng số, hoặc số âm.",
    "document.missing_facts": "Văn bản còn để trống (đã tô vàng): {facts}.",
    "document.template_fallback": "Mẫu riêng {path} có lỗi nên đã dùng mẫu có sẵn: {reason}",
    "document.template_unreadable": "Không đọc được mẫu {path}: không phải tệp Word (.docx) hoặc tệp bị hỏng.",
    "document.template_syntax": "Mẫu {path} viết sai cú pháp ở dòng {line}: {detail}",
    "document.template_unknown": "Mẫu {path} dùng trường không có: {names}.",
    "document.template_missing": "Mẫu {path} thiếu trường bắt buộc: {names}.",
    "document.template_render": "Không điền được mẫu {path}: {detail}",
    "document.template_ok": "Mẫu {path} hợp lệ.",
    "document.done": "Đã lưu văn bản: {path}",
}

DOCUMENT_NAMES: dict[str, str] = {
    "nq-chi-bo": "Nghị quyết chi bộ đề nghị kết nạp đảng viên",
    "bien-ban-chi-bo": "Biên bản họp chi bộ xét đề nghị kết nạp đảng viên",
    "nq-dang-uy": "Nghị quyết đảng ủy cơ sở đề nghị kết nạp đảng viên",
    "tong-hop-y-kien": "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú",
    "giay-gioi-thieu": "Giấy giới thiệu người vào Đảng",
    "de-nghi-hoc-lop": "Công văn đề nghị cử quần chúng học lớp bồi dưỡng nhận thức về Đảng",
    "chuong-trinh-le": "Chương trình lễ kết nạp đảng viên",
    "nq-cong-nhan": "Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức",
}

FACT_NAMES: dict[str, str] = {
    "number": "số văn bản",
    "signed_on": "ngày ký văn bản",
    "org.name": "tên tổ chức đảng",
    "org.upper_body": "tên cấp ủy cấp trên (đầu văn bản)",
    "org.place": "địa danh ghi ở dòng ngày tháng",
    "org.secretary": "họ tên người ký",
    "org.upper_committee": "cấp ủy cấp trên nhận đề nghị",
    "org.school": "tên trường",
    "person.full_name": "họ và tên học sinh",
    "person.birth": "ngày sinh",
    "person.gender": "giới tính",
    "person.ethnic": "dân tộc",
    "person.religion": "tôn giáo",
    "meeting.on": "ngày họp",
    "meeting.start": "giờ bắt đầu cuộc họp",
    "meeting.end": "giờ kết thúc cuộc họp",
    "meeting.place": "địa điểm họp",
    "meeting.chair": "người chủ trì cuộc họp",
    "meeting.secretary": "thư ký cuộc họp",
    "meeting.attendance": "số đảng viên có mặt, vắng mặt (chính thức, dự bị)",
    "vote": "kết quả biểu quyết",
    "vote.method": "hình thức biểu quyết (bỏ phiếu kín hay giơ tay)",
    "certificate": "giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
    "certificate.number": "số giấy chứng nhận lớp nhận thức",
    "certificate.on": "ngày cấp giấy chứng nhận lớp nhận thức",
    "chi_bo_resolution.number": "số nghị quyết của chi bộ",
    "chi_bo_resolution.on": "ngày nghị quyết của chi bộ",
    "chi_bo_resolution.body": "chi bộ ra nghị quyết",
    "committee": "số cấp ủy viên có mặt, vắng mặt",
    "union.body": "tên tổ chức Đoàn nơi học tập",
    "union.members": "số đoàn viên của tổ chức Đoàn",
    "union.asked": "số đoàn viên được hỏi ý kiến",
    "union.agree": "số đoàn viên tán thành",
    "residence.body": "tên chi ủy (chi bộ) nơi cư trú",
    "residence.members": "số đảng viên của chi bộ nơi cư trú",
    "residence.asked": "số người được hỏi ý kiến nơi cư trú",
    "residence.agree": "số người tán thành nơi cư trú",
    "introducer.full_name": "họ tên đảng viên giới thiệu",
    "introducer.birth": "ngày sinh của đảng viên giới thiệu",
    "introducer.admitted_on": "ngày vào Đảng của đảng viên giới thiệu",
    "introducer.official_on": "ngày chính thức của đảng viên giới thiệu",
    "introducer.chi_bo": "chi bộ của đảng viên giới thiệu",
    "introducer.assigned_on": "ngày chi bộ phân công giúp đỡ",
    "recipient": "nơi nhận công văn (cấp ủy mở lớp)",
    "students": "danh sách học sinh",
    "ceremony.on": "ngày tổ chức lễ",
    "ceremony.start": "giờ tổ chức lễ",
    "ceremony.place": "địa điểm tổ chức lễ",
    "students.decision_number": "số quyết định kết nạp",
    "students.decision_on": "ngày quyết định kết nạp",
    "students.decision_issuer": "cấp ủy ra quyết định kết nạp",
    "students.helper": "đảng viên được phân công giúp đỡ",
    "admitted_on": "ngày kết nạp",
    "probation_end": "ngày hết thời hạn dự bị",
}

WRITE_PROMPTS: dict[str, str] = {
    "background": "(Người ký ghi nhận xét về lý lịch: bản thân, gia đình, kết quả thẩm tra lý lịch.)",
    "strengths": "(Người ký ghi ưu điểm chính: phẩm chất chính trị, đạo đức, lối sống, học tập, rèn luyện, "
                 "quan hệ với mọi người.)",
    "weaknesses": "(Người ký ghi khuyết điểm chính.)",
    "understanding": "(Người ký ghi nhận xét về nhận thức đối với Đảng, động cơ vào Đảng.)",
    "probation_strengths": "(Người ký ghi ưu điểm chính trong thời gian dự bị: nhận thức, phẩm chất chính trị, "
                           "đạo đức, lối sống, thực hiện nhiệm vụ đảng viên.)",
    "probation_weaknesses": "(Người ký ghi khuyết điểm chính trong thời gian dự bị.)",
    "opinion": "(Thư ký ghi ý kiến phát biểu.)",
    "opinions": "(Thư ký ghi ý kiến phát biểu của từng đảng viên, kèm họ tên.)",
    "group_strengths": "(Ghi ưu điểm theo ý kiến nhận xét đã tổng hợp.)",
    "group_weaknesses": "(Ghi khuyết điểm theo ý kiến nhận xét đã tổng hợp.)",
}

VOTE_METHODS: dict[str, str] = {"secret": "bỏ phiếu kín", "hands": "giơ tay"}
GENDERS: dict[str, str] = {"nam": "Nam", "nu": "Nữ"}

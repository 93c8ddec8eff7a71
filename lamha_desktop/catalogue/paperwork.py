"""Texts of the clerk's way through an admission: the dossier checklist, the facts and numbers of documents, and
the headless ``document`` command (``operations/documents.py``, ``domain/meeting.py``, ``cli_documents.py``).

Besides the messages: :data:`FIELD_LABELS`, the label of every fact a document may ask for, by
``holder.key`` (``reports.documents.assemble.FACTS``).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # the dossier checklist
    "dossier.nothing_chosen": "Chưa chọn giấy tờ nào để ghi.",
    "dossier.item_twice": "Giấy tờ \u201c{item}\u201d được chọn hai lần.",
    "dossier.item_recorded": "\u201c{item}\u201d đã được ghi ngày {on}; sẽ ghi thêm một bản.",
    # facts of a meeting, an introducer, a summary of opinions
    "meeting.attendance_invalid": "Số có mặt vượt tổng số đảng viên (chính thức {official_present}/{official}, "
                                  "dự bị {probationary_present}/{probationary}).",
    "meeting.votes_over_present": "Số phiếu ({agree} tán thành, {disagree} không tán thành) vượt số đảng viên "
                                  "chính thức có mặt ({present}).",
    "meeting.time_invalid": "Giờ \u201c{value}\u201d không hợp lệ (nhập dạng 14:00).",
    "meeting.end_before_start": "Giờ kết thúc ({end}) không sau giờ bắt đầu ({start}).",
    "meeting.method_invalid": "Hình thức biểu quyết phải là bỏ phiếu kín hoặc giơ tay.",
    "meeting.number_invalid": "Số văn bản \u201c{number}\u201d không đúng dạng (ví dụ 05-NQ/CB).",
    "meeting.committee_invalid": "Số cấp ủy viên có mặt ({present}) vượt tổng số ({members}).",
    "opinions.counts_invalid": "Số người được hỏi ý kiến vượt tổng số, hoặc số phiếu vượt số người được hỏi.",
    "fact.date_invalid": "Ngày \u201c{value}\u201d không hợp lệ.",
    "fact.count_invalid": "\u201c{value}\u201d không phải một số nguyên không âm.",
    # documents: facts and numbers
    "document.step_missing": "Chưa ghi bước {step} nên chưa lưu được thông tin này; hãy ghi bước đó trước.",
    "document.fact_unknown": "Văn bản {kind} không có thông tin \u201c{name}\u201d.",
    "document.no_number": "Văn bản {kind} không đánh số.",
    "document.number_series": "Số {number} không thuộc loại số của văn bản này ({series}).",
    "document.number_taken": "Số {number} đã dùng cho văn bản của {name} trong năm.",
    "document.series_invalid": "Loại số \u201c{series}\u201d không hợp lệ (ví dụ NQ/CB).",
    "document.upper_missing": "Chưa có cấp ủy cấp trên có hiệu lực vào ngày {on}: thêm trong Thiết lập → Cấp ủy "
                              "cấp trên.",
    # the headless command
    "document.list": "Các loại văn bản: {kinds}.",
    "document.who_unknown": "Không tìm thấy học sinh \u201c{who}\u201d (nhập số định danh hoặc họ và tên đầy đủ).",
    "document.who_ambiguous": "Có {count} học sinh tên \u201c{who}\u201d: {matches}. Hãy dùng số định danh.",
    "document.candidate_required": "Văn bản {kind} cần --candidate (số định danh hoặc họ và tên).",
    "document.org_required": "Văn bản {kind} cần --org (mã tổ chức đảng).",
    "document.org_unknown": "Không có tổ chức đảng mã \u201c{org}\u201d.",
    "document.not_applicable": "Văn bản {kind} không dùng cho {name} ({reason}).",
    "document.ceremony_required": "Văn bản chuong-trinh-le cần --ceremony NGÀY (hoặc --candidate của một học "
                                  "sinh đã có lễ kết nạp).",
    "document.ceremony_unknown": "Không có lễ kết nạp nào ngày {on}{org}.",
    "document.ceremony_ambiguous": "Ngày {on} có {count} lễ kết nạp ({orgs}): thêm --org.",
    "document.introducer_ambiguous": "{name} có {count} đảng viên giới thiệu ({names}): thêm --introducer.",
    "document.introducer_unknown": "{name} không có đảng viên giới thiệu \u201c{introducer}\u201d.",
    "document.arguments": "Văn bản {kind} cần --data-dir (thư mục dữ liệu) và --out (tệp .docx sẽ ghi).",
    "document.bad_date": "Ngày \u201c{value}\u201d không hợp lệ (nhập dạng 05/04/2026).",
    "document.written": "Đã lưu văn bản {kind}: {path}",
    "document.written_missing": "Đã lưu văn bản {kind}: {path}. Còn để trống (tô vàng): {facts}.",
    "document.number_given": "Số văn bản: {number}.",
    "document.refused": "Không lưu được số văn bản: {reasons}",
}

FIELD_LABELS: dict[str, str] = {
    # a meeting (vote, recognition, đảng ủy)
    "vote.chair": "Người chủ trì cuộc họp",
    "vote.secretary": "Thư ký cuộc họp",
    "vote.probationary": "Tổng số đảng viên dự bị",
    "vote.official_present": "Đảng viên chính thức có mặt",
    "vote.probationary_present": "Đảng viên dự bị có mặt",
    "vote.absent_reasons": "Lý do vắng mặt",
    "vote.against_reasons": "Lý do không tán thành",
    "vote.place": "Địa điểm họp",
    "vote.start": "Giờ bắt đầu",
    "vote.end": "Giờ kết thúc",
    "vote.method": "Hình thức biểu quyết",
    "vote.number": "Số nghị quyết của chi bộ",
    "recognition.chair": "Người chủ trì cuộc họp",
    "recognition.secretary": "Thư ký cuộc họp",
    "recognition.probationary": "Tổng số đảng viên dự bị",
    "recognition.official_present": "Đảng viên chính thức có mặt",
    "recognition.probationary_present": "Đảng viên dự bị có mặt",
    "recognition.absent_reasons": "Lý do vắng mặt",
    "recognition.against_reasons": "Lý do không tán thành",
    "dang_uy.chair": "Người chủ trì hội nghị đảng ủy",
    "dang_uy.secretary": "Thư ký hội nghị",
    "dang_uy.present": "Số đảng ủy viên có mặt",
    "dang_uy.disagree": "Số không tán thành",
    "dang_uy.absent_reasons": "Lý do vắng mặt",
    # the subordinate chi bộ of a đảng bộ cơ sở
    "source.chi_bo": "Chi bộ trực thuộc xét kết nạp",
    "source.chi_bo_secretary": "Bí thư chi bộ trực thuộc",
    # the awareness class
    "class.cert_no": "Số giấy chứng nhận lớp nhận thức",
    # the introducer
    "gioi_thieu.member_birth": "Ngày sinh của đảng viên giới thiệu",
    "gioi_thieu.member_admitted_on": "Ngày vào Đảng của đảng viên giới thiệu",
    "gioi_thieu.member_official_on": "Ngày chính thức của đảng viên giới thiệu",
    "gioi_thieu.member_posts": "Chức vụ của đảng viên giới thiệu",
    "gioi_thieu.member_hometown": "Quê quán của đảng viên giới thiệu",
    "gioi_thieu.member_chi_bo": "Chi bộ của đảng viên giới thiệu",
    "gioi_thieu.member_assigned_on": "Ngày chi bộ phân công giúp đỡ",
    # the summary of opinions
    "nx_doan_the.body": "Tổ chức Đoàn nơi học tập",
    "nx_doan_the.members": "Tổng số đoàn viên",
    "nx_doan_the.asked": "Số đoàn viên được hỏi ý kiến",
    "nx_doan_the.agree": "Số tán thành",
    "nx_doan_the.disagree": "Số không tán thành",
    "nx_doan_the.against_reasons": "Lý do không tán thành",
    "nx_noi_cu_tru.body": "Chi ủy (chi bộ) nơi cư trú",
    "nx_noi_cu_tru.members": "Tổng số đảng viên nơi cư trú",
    "nx_noi_cu_tru.asked": "Số người được hỏi ý kiến",
    "nx_noi_cu_tru.agree": "Số tán thành",
    "nx_noi_cu_tru.disagree": "Số không tán thành",
    "nx_noi_cu_tru.against_reasons": "Lý do không tán thành",
    # the ceremony
    "ceremony.start": "Giờ bắt đầu buổi lễ",
    "ceremony.chair": "Người điều hành buổi lễ",
    "ceremony.upper_guest": "Đại diện cấp ủy cấp trên dự lễ",
}
"""Every fact a document may ask for, by ``holder.key``."""

METHOD_NAMES: dict[str, str] = {"secret": "Bỏ phiếu kín", "hands": "Giơ tay"}

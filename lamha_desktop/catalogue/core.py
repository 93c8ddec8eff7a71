"""Texts of the core codes: candidate and organisation fields, pipeline checks, stages, steps, due items.

Qt-free: the headless commands and the GUI word a code the same way (``catalogue.text``).
"""

from __future__ import annotations

from lamha_desktop.domain import pipeline

MESSAGES: dict[str, str] = {
    # candidate fields
    "name.required": "Chưa nhập họ và tên.",
    "name.invalid": "Họ và tên chỉ gồm chữ cái và khoảng trắng.",
    "gender.required": "Chọn giới tính.",
    "gender.invalid": "Giới tính phải là Nam hoặc Nữ.",
    "ethnic.required": "Chưa chọn dân tộc.",
    "birth.required": "Chưa nhập ngày sinh.",
    "birth.too_young": "Theo ngày sinh này, học sinh chưa đủ 14 tuổi.",
    "birth.too_old": "Theo ngày sinh này, người này đã quá 60 tuổi.",
    "birth.future": "Ngày sinh ở tương lai.",
    "pid.required": "Chưa nhập mã định danh cá nhân (12 chữ số).",
    "pid.format": "Mã định danh phải gồm đúng 12 chữ số.",
    "pid.duplicate": "Mã định danh này đã có trong dữ liệu (trùng với một quần chúng khác).",
    "ethnic.unknown": "Dân tộc không có trong danh mục 54 dân tộc.",
    "religion.unknown": "Tôn giáo không có trong danh mục.",
    "candidate.org_required": "Chọn tổ chức đảng.",
    "union.before_birth": "Ngày vào Đoàn trước ngày sinh.",
    "date.future": "Ngày ở tương lai.",
    "date.invalid": "Ngày không hợp lệ (nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2008).",
    "date.required": "Chưa nhập ngày.",
    "day.already_working": "Ngày {day} là ngày làm việc bình thường (thứ Hai đến thứ Sáu, không phải ngày nghỉ): "
                           "chỉ khai làm bù cho thứ Bảy, Chủ nhật hoặc một ngày nghỉ lễ mà cơ quan vẫn đi làm.",
    "day.already_off": "Ngày {day} là thứ Bảy hoặc Chủ nhật, vốn đã là ngày nghỉ: không cần khai thêm.",
    # organisations and committees
    "org.code_required": "Chưa nhập mã viết tắt.",
    "org.code_format": "Mã viết tắt chỉ gồm chữ không dấu, số, '-' hoặc '_' (tối đa 16 ký tự).",
    "org.code_duplicate": "Mã {code} đã được dùng cho tổ chức khác.",
    "org.school_required": "Chưa nhập tên trường.",
    "org.name_required": "Chưa nhập tên tổ chức đảng.",
    "org.kind_invalid": "Loại hình tổ chức không hợp lệ.",
    "org.members_negative": "Số đảng viên chính thức không được âm.",
    "org.target_negative": "Chỉ tiêu không được âm.",
    "committee.name_required": "Chưa nhập tên cấp ủy.",
    "committee.dates_order": "Ngày hết hiệu lực trước ngày bắt đầu.",
    # ceremonies
    "order.received_before_decision": "Ngày nhận quyết định trước ngày ký quyết định.",
    "order.ceremony_before_decision": "Ngày lễ kết nạp trước ngày nhận quyết định.",
    "ceremony.candidate_other_org": "Quần chúng được chọn không thuộc tổ chức đảng của buổi lễ.",
    # database
    "db.too_new": "Cơ sở dữ liệu {path} được tạo bởi phiên bản mới hơn (lược đồ {version}, phần mềm này hỗ trợ "
                  "đến {supported}). Hãy cập nhật phần mềm; dữ liệu được giữ nguyên.",
    "db.not_writable": "Không ghi được vào {path}: {detail}",
    "db.corrupt": "Tệp cơ sở dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu: {detail}",
    # pipeline checks
    "vote.too_young": "Chưa đủ 18 tuổi vào ngày chi bộ biểu quyết (đủ tuổi từ {eligible_from}).",
    "vote.birth_month_warning": "Ngày biểu quyết nằm trong tháng sinh nhưng trước ngày sinh nhật 18 tuổi.",
    "vote.too_old": "Quá 60 tuổi vào ngày biểu quyết.",
    "vote.no_certificate": "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng.",
    "vote.certificate_expired": "Giấy chứng nhận lớp nhận thức về Đảng đã hết hạn (quá 60 tháng).",
    "vote.missing_dossier": "Hồ sơ còn thiếu: {items}.",
    "vote.missing_dossier_overridden": "Hồ sơ còn thiếu ({items}) — đã ghi nhận lý do bỏ qua.",
    "vote.no_introduction": "Cần nghị quyết giới thiệu của Đoàn và 1 đảng viên chính thức, "
                            "hoặc 2 đảng viên chính thức.",
    "vote.introducer_short": "Đảng viên giới thiệu mới công tác/học tập cùng học sinh dưới 12 tháng.",
    "vote.counts_invalid": "Số phiếu không hợp lệ (tán thành + không tán thành vượt số đảng viên, hoặc chi bộ dưới 3 "
                           "đảng viên chính thức).",
    "vote.members_mismatch": "Chi bộ có {official_members} đảng viên chính thức vào ngày biểu quyết (theo sổ của tổ "
                             "chức), không phải {members}. Muốn dùng số khác phải đính chính và ghi rõ lý do.",
    "vote.members_corrected": "Số đảng viên chính thức được đính chính: {members} thay cho {official_members} "
                              "(lý do: {reason}).",
    "vote.dossier_archived": "Hồ sơ của lần biểu quyết này lưu trong hồ sơ lưu trữ ({source}), không kiểm tra "
                             "ở đây.",
    "step.future": "Ngày {on} của bước {step} ở sau ngày hôm nay.",
    "order.before_previous": "Ngày {step} trước ngày {previous_step} ({previous_date}).",
    "step.no_prior": "Chưa có bước {required} nên chưa ghi được bước {step}.",
    "dang_uy.not_applicable": "Tổ chức là chi bộ cơ sở: không có bước đảng ủy cơ sở.",
    "step.unknown_kind": "Loại bước không hợp lệ.",
    "step.after_terminal": "Quần chúng đã ở trạng thái kết thúc ({terminal}); hãy kiểm tra lại trước khi ghi thêm.",
    "step.duplicate": "Bước {step} đã được ghi trước đó; bước này sẽ được ghi thêm.",
    "step.reason_required": "Cần ghi rõ lý do.",
    "vote.birth_unknown": "Chưa có ngày sinh nên không kiểm tra được tuổi.",
    "vote.result_mismatch": "Kết quả ghi nhận không khớp quy tắc 2/3.",
    "dang_uy.counts_invalid": "Số phiếu của đảng ủy không hợp lệ.",
    "recognition.counts_invalid": "Số phiếu công nhận chính thức không hợp lệ.",
    "recognition.not_passed": "Số tán thành ({agree}/{members}) dưới 2/3: chưa đủ để công nhận chính thức.",
    "decision.late": "Quyết định sau hạn 60 ngày làm việc kể từ nghị quyết chi bộ (hạn {deadline}).",
    "ceremony.late": "Lễ kết nạp sau hạn 30 ngày làm việc kể từ khi nhận quyết định (hạn {deadline}).",
    "recognition.late": "Chi bộ xét công nhận sau hạn 30 ngày làm việc kể từ khi hết dự bị (hạn {deadline}).",
    "transfer.mode_invalid": "Hình thức chuyển sinh hoạt không hợp lệ.",
    "transfer.destination_required": "Chưa nhập nơi chuyển đến.",
    "dossier.unknown_item": "Loại giấy tờ không có trong danh mục hồ sơ.",
    "class.dates_invalid": "Ngày kết thúc lớp trước ngày bắt đầu.",
}

DUE_NAMES: dict[str, str] = {
    "turns_18": "Sắp đủ 18 tuổi",
    "turns_18_after_graduation": "Đủ 18 tuổi sau khi tốt nghiệp",
    "certificate_expiring": "Giấy chứng nhận lớp nhận thức sắp hết hạn",
    "decision": "Chờ quyết định kết nạp (60 ngày làm việc)",
    "ceremony": "Chờ tổ chức lễ kết nạp (30 ngày làm việc)",
    "probation_ending": "Sắp hết thời hạn dự bị",
    "recognition": "Xét công nhận chính thức (30 ngày làm việc)",
    "transfer": "Chuyển sinh hoạt đảng sau tốt nghiệp (60 ngày làm việc)",
    "vote_by_graduation": "Chi bộ biểu quyết trước khi học sinh tốt nghiệp",
}

STAGE_NAMES: dict[int, str] = {
    int(pipeline.Stage.STUDENT): "Học sinh",  # not on the source list: no step recorded yet
    int(pipeline.Stage.SOURCE): "Trong nguồn",
    int(pipeline.Stage.CLASS_DONE): "Đã học lớp nhận thức",
    int(pipeline.Stage.DOSSIER): "Đang làm hồ sơ",
    int(pipeline.Stage.VOTED): "Chi bộ đã đề nghị",
    int(pipeline.Stage.DANG_UY): "Đảng ủy đã xét",
    int(pipeline.Stage.DECISION): "Có quyết định, chờ kết nạp",
    int(pipeline.Stage.PROBATION): "Đảng viên dự bị",
    int(pipeline.Stage.OFFICIAL): "Đảng viên chính thức",
    int(pipeline.Stage.TRANSFERRED): "Đã chuyển sinh hoạt",
    int(pipeline.Stage.NOT_ADMITTED): "Không kết nạp",
    int(pipeline.Stage.REMOVED): "Đã xóa tên",
}

ACTION_NAMES: dict[str, str] = {
    "vote": "Chi bộ biểu quyết",
    "decision": "Quyết định kết nạp",
    "ceremony": "Lễ kết nạp",
    "probation_end": "Hết dự bị",
    "recognition": "Xét công nhận chính thức",
    "transfer": "Chuyển sinh hoạt",
    "certificate_renew": "Học lại lớp nhận thức",
}

STEP_NAMES: dict[str, str] = {
    pipeline.EventKind.SOURCE: "đưa vào nguồn",
    pipeline.EventKind.CLASS: "lớp nhận thức",
    pipeline.EventKind.DOSSIER: "hồ sơ",
    pipeline.EventKind.VOTE: "chi bộ biểu quyết",
    pipeline.EventKind.DANG_UY: "đảng ủy cơ sở xét",
    pipeline.EventKind.DECISION: "quyết định kết nạp",
    pipeline.EventKind.CEREMONY: "lễ kết nạp",
    pipeline.EventKind.RECOGNITION: "công nhận chính thức",
    pipeline.EventKind.TRANSFER: "chuyển sinh hoạt",
    pipeline.EventKind.NOT_ADMITTED: "không kết nạp",
    pipeline.EventKind.REMOVED: "xóa tên",
    "decision_received": "nhận quyết định",
    "probation_end": "hết dự bị",
    "class_end": "kết thúc lớp",
    "class_certificate": "cấp giấy chứng nhận",
}

ORG_KIND_NAMES = {"dang_bo": "Đảng bộ cơ sở", "chi_bo": "Chi bộ cơ sở"}
GENDER_NAMES = {"nam": "Nam", "nu": "Nữ"}

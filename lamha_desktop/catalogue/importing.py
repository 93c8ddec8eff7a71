"""Texts of the class-list import: file errors, row problems with their cell, column names."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # the file as a whole
    "import.unreadable": "Không đọc được tệp {path}: tệp không phải bảng tính Excel (.xlsx, .xls) hay CSV, "
                         "hoặc đã bị hỏng ({detail}).",
    "import.encrypted": "Tệp {path} được đặt mật khẩu. Hãy mở tệp bằng Excel, bỏ mật khẩu rồi lưu lại và nhập lại.",
    "import.empty": "Tệp {path} không có dữ liệu.",
    "import.no_header": "Không tìm thấy dòng tiêu đề cột (Họ và tên, Ngày sinh, Giới tính…) trong {rows} dòng đầu "
                        "của tệp {path}.",
    "import.html_xls": "Tệp {path} thực chất là một trang web (HTML) mang đuôi .xls. Hãy mở tệp bằng Excel rồi "
                       "lưu lại dạng Sổ làm việc Excel (.xlsx).",
    "import.csv_encoding": "Tệp CSV {path} không dùng bảng mã UTF-8 hay UTF-16. Hãy lưu lại với kiểu \"CSV UTF-8\" "
                           "hoặc \"Unicode Text\".",
    "import.no_org": "Không có tổ chức đảng có mã {code}.",
    "import.no_database": "Không có cơ sở dữ liệu trong thư mục {path}.",
    "import.stale": "Dữ liệu đã thay đổi trong lúc xem trước ({count} dòng); chưa ghi gì. Hãy xem trước lại.",
    "import.cancelled": "Đã hủy; không ghi gì vào dữ liệu.",
    # one row
    "import.date_unreadable": "{field} không đọc được: “{value}” (cần dạng ngày/tháng/năm, ví dụ 05/09/2008).",
    "import.date_incomplete": "{field} chưa đủ ngày, tháng, năm: “{value}”.",
    "import.mark_unknown": "Cột {field} chỉ nhận dấu x (hoặc để trống), ở đây ghi “{value}”.",
    "import.gender_conflict": "Đánh dấu cả Nam và Nữ.",
    "import.duplicate_row": "Lặp lại dòng {other} (cùng học sinh, cùng thông tin); chỉ nhập một lần.",
    "import.pid_conflict": "Mã định danh {pid} có ở nhiều dòng với thông tin khác nhau (cả dòng {others}).",
    "import.pid_other_org": "Mã định danh {pid} đã có trong dữ liệu: {name}, thuộc tổ chức {org}. "
                            "Việc nhập không chuyển học sinh sang tổ chức khác.",
    "import.pid_restored": "Mã định danh lưu dạng số đã mất số 0 ở đầu: {value} → {pid} (đã thêm lại, hãy kiểm tra).",
    "import.union_no_date": "Đánh dấu là đoàn viên nhưng không có ngày vào Đoàn: ngày vào Đoàn để trống.",
    "history.no_header": "Không tìm thấy dòng tiêu đề của tệp lịch sử kết nạp trong {path}: cần ít nhất các cột "
                         "{columns} (tải tệp mẫu bằng «import-history --template TỆP.xlsx»).",
    "history.number_unreadable": "{field} phải là một số, ở đây ghi “{value}”.",
    "history.done": "Đã nhập lịch sử kết nạp từ {path}: {new} học sinh mới, {updated} bổ sung bước, {unchanged} "
                    "không đổi, {refused} dòng bị từ chối.",
    "history.dry_run": "Chạy thử (--dry-run) tệp {path}: {new} học sinh mới, {updated} bổ sung bước, {unchanged} "
                       "không đổi, {refused} dòng bị từ chối; chưa ghi gì vào dữ liệu.",
    "history.template": "Đã ghi tệp mẫu nhập lịch sử kết nạp: {path}",
    "history.refused_row": "Dòng {row} ({name}): {reasons}",
    "history.needs_args": "Cần --data-dir, --org và tệp lịch sử (hoặc --template TỆP.xlsx để lấy tệp mẫu).",
    "import.location": "Trang “{sheet}”, dòng {row}, cột {column}",
    "import.location_row": "Trang “{sheet}”, dòng {row}",
}

IMPORT_FIELD_NAMES: dict[str, str] = {
    "": "(bỏ qua)",
    "stt": "Số thứ tự",
    "full_name": "Họ và tên",
    "family_middle": "Họ đệm",
    "given_name": "Tên",
    "birth": "Ngày sinh",
    "birth_day": "Ngày sinh — ngày",
    "birth_month": "Ngày sinh — tháng",
    "birth_year": "Ngày sinh — năm",
    "gender": "Giới tính",
    "female": "Nữ (đánh dấu x)",
    "male": "Nam (đánh dấu x)",
    "ethnic": "Dân tộc",
    "religion": "Tôn giáo",
    "class_name": "Lớp",
    "personal_id": "Mã định danh (CCCD)",
    "union_member": "Đoàn viên (x hoặc ngày)",
    "union_since": "Ngày vào Đoàn",
    "residence": "Nơi ở hiện nay",
    "certificate_on": "Ngày cấp giấy chứng nhận",
    "certificate_no": "Số giấy chứng nhận",
    "vote_on": "Ngày chi bộ biểu quyết",
    "members": "Số đảng viên chính thức",
    "agree": "Số tán thành",
    "decision_no": "Số quyết định",
    "decision_on": "Ngày quyết định",
    "received_on": "Ngày nhận quyết định",
    "ceremony_on": "Ngày lễ kết nạp",
    "recognition_on": "Ngày công nhận chính thức",
}

GROUP_NAMES: dict[str, str] = {
    "name": "Họ và tên",
    "birth": "Ngày sinh",
    "gender": "Giới tính",
    "personal_id": "Mã định danh",
    "ethnic": "Dân tộc",
}

STATUS_NAMES: dict[str, str] = {
    "new": "Mới",
    "update": "Cập nhật",
    "unchanged": "Không đổi",
    "error": "Lỗi",
}


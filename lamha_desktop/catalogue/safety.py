"""Texts of the data-safety codes: start-up, backups, restore, locking, damaged files, encryption, audit."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # start-up and environment
    "data.busy": "Dữ liệu {path} đang được {purpose} dùng (máy {host}, tiến trình {pid}, người dùng {user}, từ "
                 "{since}). Mỗi lúc chỉ một chương trình được ghi dữ liệu: hãy chờ việc đó xong hoặc dùng cửa sổ "
                 "đang mở, rồi thử lại. Dữ liệu không bị thay đổi.",
    "app.already_running": "Phần mềm đang mở trên dữ liệu này (tiến trình {pid} trên máy {host}). Mỗi lúc chỉ một "
                           "cửa sổ được ghi dữ liệu; hãy dùng cửa sổ đang mở.",
    "db.read_only": "Thư mục dữ liệu {path} chỉ đọc hoặc không có quyền ghi ({detail}). Hãy chép dữ liệu sang thư "
                    "mục có quyền ghi hoặc nhờ cấp quyền; dữ liệu không bị thay đổi.",
    "db.disk_full": "Ổ đĩa chứa {path} đã đầy. Hãy giải phóng dung lượng rồi thử lại; dữ liệu đã lưu không bị "
                    "ảnh hưởng và thao tác dở dang đã được hủy trọn vẹn.",
    "db.locked": "Cơ sở dữ liệu đang bị một chương trình khác khóa. Hãy thử lại sau giây lát.",
    "db.write_failed": "Không ghi được dữ liệu ({detail}). Thao tác đã được hủy trọn vẹn; dữ liệu đã lưu không bị "
                       "ảnh hưởng.",
    "db.network_share": "Cơ sở dữ liệu {path} nằm trên ổ mạng ({fstype}). Dùng chung cơ sở dữ liệu qua mạng dễ làm "
                        "hỏng dữ liệu. Hãy để dữ liệu trên ổ đĩa của máy này; dùng «Sao lưu ra…» để chuyển dữ liệu.",
    "db.corrupt_backup_available": "{problem} Có bản sao lưu tốt: {backup} (ngày {date}; {organisations} tổ chức "
                                   "đảng, {candidates} quần chúng). Hãy mở phần mềm để khôi phục, hoặc dùng lệnh "
                                   "«lamha-desktop restore --data-dir THƯ_MỤC TỆP». Tệp hỏng được giữ nguyên.",
    # backups
    "backup.done": "Đã sao lưu vào {path}.",
    "backup.failed": "Không sao lưu được vào {path}: {detail}. Không có tệp dở dang nào được để lại.",
    "backup.failed_at_start": "Không sao lưu tự động được ({detail}). Phần mềm vẫn hoạt động bình thường; hãy "
                              "kiểm tra chỗ trống trên ổ đĩa và sao lưu thủ công (Tệp › Sao lưu ngay).",
    "backup.no_database": "Chưa có cơ sở dữ liệu {path} để sao lưu.",
    "backup.missing": "Không tìm thấy tệp sao lưu {path}.",
    "backup.not_database": "Tệp {path} không phải cơ sở dữ liệu hoặc không đọc được ({detail}). Dữ liệu hiện tại "
                           "không bị thay đổi.",
    "backup.damaged": "Tệp sao lưu {path} bị hỏng ({detail}). Dữ liệu hiện tại không bị thay đổi; hãy chọn bản "
                      "sao lưu khác.",
    "backup.too_new": "Tệp sao lưu {path} do phiên bản mới hơn tạo ra (lược đồ {version}, phần mềm này hỗ trợ đến "
                      "{supported}). Hãy cập nhật phần mềm; dữ liệu hiện tại không bị thay đổi.",
    "backup.not_lamha": "Tệp {path} không phải dữ liệu của phần mềm này. Dữ liệu hiện tại không bị thay đổi.",
    "backup.is_current": "Tệp {path} chính là cơ sở dữ liệu đang dùng; hãy chọn một bản sao lưu.",
    "restore.done": "Đã khôi phục dữ liệu từ {path} ({organisations} tổ chức đảng, {candidates} quần chúng). "
                    "Dữ liệu trước khi khôi phục được giữ tại {kept}.",
    "audit.exported": "Đã xuất nhật ký thay đổi ({count} dòng) ra {path}.",
    # encryption at rest
    "db.password_required": "Dữ liệu {path} đã được đặt mật khẩu. Hãy nhập mật khẩu để mở (chạy bằng dòng lệnh: "
                            "--password-env TÊN_BIẾN_MÔI_TRƯỜNG chứa mật khẩu).",
    "db.wrong_password": "Mật khẩu không đúng: không giải mã được dữ liệu {path}. Hãy kiểm tra chữ hoa, chữ thường, "
                         "dấu tiếng Việt và bàn phím (Unikey/EVKey). Dữ liệu không bị thay đổi.",
    "db.password_env_missing": "Biến môi trường {name} (mật khẩu dữ liệu) chưa được đặt.",
    "db.password_cancelled": "Chưa nhập mật khẩu; dữ liệu không được mở.",
    "db.encryption_unavailable": "Máy này thiếu thành phần mã hóa (gói sqlcipher3) nên không dùng được mật khẩu "
                                 "dữ liệu. Phần mềm vẫn chạy bình thường với dữ liệu không mã hóa; dữ liệu đã mã hóa "
                                 "chỉ mở được trên máy có cài đặt đầy đủ.",
    "db.password_short": "Mật khẩu cần ít nhất {minimum} ký tự.",
    "db.password_mismatch": "Hai lần nhập mật khẩu không giống nhau.",
    "db.password_invalid": "Mật khẩu chứa ký tự không dùng được.",
    "db.password_same": "Mật khẩu mới trùng với mật khẩu hiện tại.",
    "db.not_encrypted": "Dữ liệu chưa được đặt mật khẩu.",
    "db.rekey_failed": "Không đổi được mật khẩu dữ liệu ({detail}). Dữ liệu được giữ nguyên như trước.",
    "db.password_set": "Đã đặt mật khẩu: dữ liệu và {count} bản sao lưu đã được mã hóa.",
    "db.password_changed": "Đã đổi mật khẩu dữ liệu; {count} bản sao lưu đã được mã hóa lại.",
    "db.password_removed": "Đã bỏ mật khẩu: dữ liệu và {count} bản sao lưu không còn được mã hóa.",
    "db.backups_left": "{count} bản sao lưu cũ không mở được bằng mật khẩu trước đó nên được giữ nguyên; "
                       "muốn khôi phục chúng cần mật khẩu đã dùng khi tạo.",
    "backup.password_required": "Bản sao lưu {path} được mã hóa; cần mật khẩu đã dùng khi tạo bản sao lưu này.",
    "backup.wrong_password": "Mật khẩu không mở được bản sao lưu {path}. Dữ liệu hiện tại không bị thay đổi.",
    "export.failed": "Không ghi được tệp {path}: {detail}",
}

BACKUP_KIND_NAMES: dict[str, str] = {
    "daily": "Tự động hằng ngày",
    "manual": "Sao lưu thủ công",
    "pre-migration": "Trước khi nâng cấp",
    "pre-restore": "Trước khi khôi phục",
    "pre-password": "Trước khi đổi mật khẩu",
    "other": "Khác",
}

AUDIT_TABLE_NAMES: dict[str, str] = {
    "organisation": "Tổ chức đảng",
    "candidate": "Quần chúng",
    "event": "Bước kết nạp",
    "ceremony": "Lễ kết nạp",
    "upper_committee": "Cấp ủy cấp trên",
}

AUDIT_ACTION_NAMES: dict[str, str] = {"create": "Thêm", "update": "Sửa", "delete": "Xóa"}

AUDIT_FIELD_NAMES: dict[str, str] = {
    "full_name": "Họ và tên", "gender": "Giới tính", "birth": "Ngày sinh", "ethnic": "Dân tộc",
    "religion": "Tôn giáo", "personal_id": "Mã định danh", "class_name": "Lớp", "union_since": "Ngày vào Đoàn",
    "graduation_year": "Năm tốt nghiệp", "residence": "Nơi cư trú", "notes": "Ghi chú",
    "organisation": "Tổ chức đảng", "code": "Mã", "school_name": "Trường", "name": "Tên", "kind": "Loại",
    "official_members": "Số đảng viên chính thức", "secretary": "Bí thư", "annual_target": "Chỉ tiêu",
    "upper_committee": "Cấp ủy cấp trên", "active": "Đang hoạt động", "on": "Ngày", "data": "Chi tiết",
    "candidate": "Quần chúng", "place": "Địa điểm", "decision_no": "Số quyết định",
    "decision_date": "Ngày quyết định", "decision_received": "Ngày nhận quyết định", "candidates": "Danh sách",
    "valid_from": "Hiệu lực từ", "valid_to": "Hiệu lực đến", "uid": "Mã nội bộ", "id": "Số dòng",
}

# What a holder of the data-folder lock is doing (``data.busy``'s ``purpose``).
LOCK_PURPOSE_NAMES: dict[str, str] = {
    "app": "cửa sổ phần mềm",
    "import-students": "lệnh nhập danh sách học sinh",
    "import-return": "lệnh nhập báo cáo của trường",
    "import-history": "lệnh nhập lịch sử kết nạp",
    "restore": "lệnh khôi phục dữ liệu",
    "backup": "lệnh sao lưu",
    "operation": "một thao tác ghi dữ liệu",
    "": "một chương trình khác",
}

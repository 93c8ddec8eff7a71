"""Texts of the codes about the machine itself: files another program holds, paths SQLite cannot open, a
backup that could not be taken before a migration, a restore that could not replace the file, fonts."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "db.cannot_open": "Không mở được tệp cơ sở dữ liệu {path} ({detail}). Tệp không bị thay đổi. Nếu dữ liệu nằm "
                      "trên ổ mạng hoặc ổ USB, hãy kiểm tra ổ đó còn kết nối rồi thử lại.",
    "db.migration_backup_failed": "Không sao lưu được dữ liệu trước khi nâng cấp ({path}: {detail}), nên chưa nâng "
                                  "cấp. Dữ liệu không bị thay đổi; hãy kiểm tra chỗ trống và quyền ghi của thư mục "
                                  "dữ liệu rồi mở lại.",
    "export.read_only": "Không ghi được {path}: tệp chỉ đọc hoặc không có quyền ghi. Hãy lưu với tên khác hoặc "
                        "vào thư mục khác.",
    "export.busy": "Không ghi được {path}: tệp đang bị một chương trình khác tạm giữ (thường là phần mềm diệt "
                   "virus hoặc sao lưu đang quét). Hãy đợi vài giây rồi thử lại.",
    "backup.busy": "Không sao lưu được vào {path}: tệp đang bị một chương trình khác tạm giữ (thường là phần mềm "
                   "diệt virus đang quét). Hãy đợi vài giây rồi thử lại. Không có tệp dở dang nào được để lại.",
    "restore.failed": "Không khôi phục được dữ liệu: không thay được tệp {path} ({detail}). Bản sao lưu và dữ "
                      "liệu cũ vẫn được giữ nguyên; hãy thử lại.",
    "restore.busy": "Không khôi phục được dữ liệu: tệp {path} đang bị một chương trình khác tạm giữ (thường là "
                    "phần mềm diệt virus đang quét). Bản sao lưu và dữ liệu cũ vẫn được giữ nguyên; hãy đợi vài "
                    "giây rồi thử lại.",
    "pdf.no_fonts": "Không tìm thấy phông chữ có dấu tiếng Việt (Times New Roman) để in báo cáo ra PDF; tệp "
                    "không được tạo. Hãy chạy lệnh trên máy có phông chữ này.",
}

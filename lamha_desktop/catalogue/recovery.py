"""Texts of damaged storage and its way out: what a database file was found to be, the environment's
refusals (full disk, read-only folder), the backup that can replace it, and what rotation kept.

Each message says what happened in the user's words and what to do next; the file itself is never changed.
"""

from __future__ import annotations

_RESTORE = "Hãy khôi phục từ bản sao lưu gần nhất còn tốt; tệp này được giữ nguyên."

MESSAGES: dict[str, str] = {
    # what the database file is
    "db.empty_file": "Tệp dữ liệu {path} rỗng (0 byte), dù ở đây đã từng có dữ liệu. Thường do mất điện hoặc rút "
                     "USB khi đang ghi, hoặc do phần mềm đồng bộ (OneDrive, Google Drive…). Phần mềm không tạo dữ "
                     "liệu trống đè lên. " + _RESTORE + " Nếu thật sự muốn bắt đầu lại từ đầu, hãy đổi tên tệp "
                     "rỗng này rồi mở lại phần mềm.",
    "db.truncated": "Tệp dữ liệu {path} bị cắt cụt: chỉ còn {size} byte, lẽ ra ít nhất {expected} byte (chép dở "
                    "dang, mất điện khi đang ghi hoặc ổ đĩa lỗi). " + _RESTORE,
    "db.zeroed": "Tệp dữ liệu {path} chỉ còn toàn byte 0 ({size} byte): nội dung đã mất, thường do mất điện khi đang "
                 "ghi trên USB hoặc thẻ nhớ. " + _RESTORE,
    "db.foreign": "Tệp {path} không phải dữ liệu của phần mềm mà là {file_kind} (có thể đã bị lưu đè hoặc đổi tên "
                  "nhầm). " + _RESTORE,
    "db.garbage": "Tệp dữ liệu {path} đã bị ghi đè bằng dữ liệu không đọc được ({size} byte). Đây không phải dữ liệu "
                  "đặt mật khẩu: các bản sao lưu cho thấy dữ liệu này không được mã hóa. " + _RESTORE,
    "db.not_lamha": "Tệp {path} là cơ sở dữ liệu của một chương trình khác, không phải của phần mềm này; phần mềm "
                    "không ghi gì vào đó. Hãy chọn đúng thư mục dữ liệu, hoặc khôi phục từ bản sao lưu.",
    "db.no_access": "Không có quyền đọc tệp dữ liệu {path} ({detail}). Hãy nhờ người quản trị máy cấp quyền, hoặc "
                    "chép cả thư mục dữ liệu sang nơi có quyền rồi mở từ đó.",
    "db.missing": "Không có tệp dữ liệu {path}.",
    "db.io_error": "Ổ đĩa báo lỗi khi đọc hoặc ghi {path} ({detail}). Ổ đĩa hoặc USB có thể đang hỏng: hãy chép cả "
                   "thư mục dữ liệu sang ổ khác ngay và sao lưu; dữ liệu đã lưu không bị thay đổi.",
    "db.read_only_unsaved": "Thư mục dữ liệu {path} chỉ đọc nhưng còn thay đổi chưa được ghi hẳn vào tệp dữ liệu "
                            "(tệp lamha.sqlite3-wal). Hãy chép cả thư mục dữ liệu (kể cả tệp -wal) sang nơi có "
                            "quyền ghi rồi chạy lại từ đó; đừng xóa tệp -wal.",
    "db.needs_upgrade": "Dữ liệu {path} ở lược đồ {version}, cũ hơn phần mềm (lược đồ {supported}), cần được nâng cấp "
                        "trước khi đọc, nhưng thư mục dữ liệu không ghi được. Hãy chép thư mục dữ liệu sang nơi có "
                        "quyền ghi và mở phần mềm một lần từ đó.",
    # the way out
    "db.restore_hint": "Bản sao lưu tốt gần nhất: {backup} (ngày {date}; {organisations} tổ chức đảng, {candidates} "
                       "quần chúng). Khôi phục: mở phần mềm, hoặc chạy «lamha-desktop restore --data-dir "
                       "\"{data_dir}\" \"{backup}\"».",
    "db.no_good_backup": "Không có bản sao lưu dùng được trong {folder}. Nếu có bản sao lưu trên USB hoặc máy khác, "
                         "hãy khôi phục từ đó («lamha-desktop restore --data-dir THƯ_MỤC TỆP»).",
    "db.damaged_question": "{problem}\n\nCó thể khôi phục từ bản sao lưu gần nhất còn tốt: {backup} (ngày {date}; "
                           "{organisations} tổ chức đảng, {candidates} quần chúng). Những thay đổi sau thời điểm đó sẽ "
                           "không có trong dữ liệu khôi phục.\n\nTệp hỏng không bị xóa: nó được đổi tên và giữ lại "
                           "bên cạnh.\n\nKhôi phục ngay?",
    # backups: copies that cannot be written, targets refused, files that cannot be restored
    "backup.disk_full": "Không sao lưu được vào {path}: ổ đĩa đã đầy. Hãy giải phóng dung lượng hoặc sao lưu ra ổ "
                        "khác (Tệp › Sao lưu ra…, hoặc --out TỆP). Không có tệp dở dang nào được để lại.",
    "backup.read_only": "Không sao lưu được vào {path}: thư mục chỉ đọc hoặc không có quyền ghi. Hãy sao lưu ra nơi "
                        "khác (Tệp › Sao lưu ra…, hoặc --out TỆP). Không có tệp dở dang nào được để lại.",
    "backup.out_is_database": "Không sao lưu đè lên chính tệp dữ liệu đang dùng ({path}). Hãy chọn một tệp khác, ví "
                              "dụ trên USB.",
    "backup.out_in_use": "Tệp {path} đang được một chương trình mở như một cơ sở dữ liệu (có tệp -wal/-journal bên "
                         "cạnh); không ghi đè. Hãy chọn tên tệp khác.",
    "backup.out_is_backup": "Tệp {path} là một bản sao lưu trong thư mục backups; không ghi đè lên lịch sử sao lưu. "
                            "Hãy chọn tên tệp khác.",
    "backup.empty_file": "Tệp sao lưu {path} rỗng (0 byte), không dùng được. Dữ liệu hiện tại không bị thay đổi; hãy "
                         "chọn bản sao lưu khác.",
    "backup.truncated": "Tệp sao lưu {path} bị cắt cụt ({size} byte, lẽ ra ít nhất {expected} byte), có thể chép "
                        "chưa xong. Dữ liệu hiện tại không bị thay đổi; hãy chọn bản sao lưu khác.",
    "backup.zeroed": "Tệp sao lưu {path} chỉ còn toàn byte 0, không dùng được. Dữ liệu hiện tại không bị thay đổi; "
                     "hãy chọn bản sao lưu khác.",
    "backup.foreign": "Tệp {path} không phải bản sao lưu mà là {file_kind}. Dữ liệu hiện tại không bị thay đổi.",
    # what the daily backup did
    "backup.daily_unchanged": "Dữ liệu không thay đổi kể từ bản sao lưu {path}; không cần bản sao lưu mới.",
    "backup.data_shrunk": "Dữ liệu hiện tại có {current} quần chúng, ít hơn bản sao lưu {backup} ({candidates} quần "
                          "chúng, ngày {date}). Nếu không phải bạn chủ động xóa, hãy khôi phục từ bản sao lưu đó "
                          "(Tệp › Khôi phục…). Các bản sao lưu cũ được giữ nguyên, không bị xóa khi xoay vòng.",
    # exports
    "export.disk_full": "Không ghi được {path}: ổ đĩa đã đầy. Hãy giải phóng dung lượng hoặc lưu vào ổ khác (USB); "
                        "tệp cũ (nếu có) được giữ nguyên.",
}

# What ``db.foreign``/``backup.foreign`` call the file found instead (``file_kind`` from storage.health).
FILE_KIND_NAMES: dict[str, str] = {
    "zip": "một tệp nén ZIP (có thể là tệp Excel .xlsx hoặc Word .docx)",
    "ole": "một tệp Excel/Word đời cũ (.xls, .doc)",
    "pdf": "một tệp PDF",
    "gzip": "một tệp nén",
    "rar": "một tệp nén",
    "7z": "một tệp nén",
    "image": "một tệp ảnh",
    "program": "một tệp chương trình",
    "html": "một trang web (HTML/XML)",
    "text": "một tệp văn bản",
    "folder": "một thư mục",
}

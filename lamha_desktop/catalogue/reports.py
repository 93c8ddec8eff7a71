"""Texts of the reports codes: periods, templates, exports, returns and their consolidation."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "period.invalid": "Kỳ báo cáo không hợp lệ: \"{value}\" (dùng YYYY-H1 cho 6 tháng đầu năm, YYYY-H2 cho 6 tháng "
                      "cuối năm, YYYY cho cả năm).",
    "period.cutoff_invalid": "Mốc kỳ báo cáo trong cài đặt ({key} = {value}) không hợp lệ (dạng MM-DD).",
    "report.unknown_org": "Không có tổ chức đảng mã {org}.",
    "template.unreadable": "Không đọc được mẫu báo cáo {path}: {detail}",
    "template.no_anchor": "Mẫu báo cáo thiếu ô đánh dấu bảng {{{{table:{table}}}}}.",
    "template.unknown_placeholder": "Mẫu báo cáo có ô {cell} dùng trường không có: {{{{{name}}}}}.",
    "template.table_cell": "Ô {cell} trong dòng bảng {table} của mẫu phải chỉ chứa một trường {{{{...}}}}.",
    "export.locked": "Không ghi được {path}: tệp đang được mở trong một chương trình khác (ví dụ Excel). "
                     "Hãy đóng tệp rồi thử lại.",
    "export.not_writable": "Không ghi được {path}: thư mục không tồn tại hoặc không có quyền ghi.",
    "export.done": "Đã xuất báo cáo {period}: {path}",
    "export.cancelled": "Đã hủy xuất báo cáo.",
    "pdf.done": "Đã lưu báo cáo ra PDF: {path}",
    "return.unreadable": "Không đọc được tệp {path}: không phải tệp Excel (.xlsx) hoặc tệp bị hỏng.",
    "return.not_a_return": "Tệp {path} không phải báo cáo do phần mềm này xuất (thiếu phần dữ liệu tổng hợp).",
    "return.too_new": "Tệp được xuất bởi phiên bản mới hơn (định dạng {version}, phần mềm hỗ trợ đến {supported}).",
    "return.record_invalid": "Dữ liệu tổng hợp trong tệp bị hỏng ({what} {fields}{row}).",
    "return.import_done": "Đã nhập báo cáo {period}: {orgs_new} tổ chức mới, {orgs_upd} cập nhật; {new} học sinh mới, "
                   "{upd} cập nhật, {same} không đổi.",
    "return.value_missing": "thiếu {field}",
    "return.value_invalid": "{field} không hợp lệ: “{value}”",
    "return.value_too_long": "{field} dài quá {limit} ký tự",
    "return.value_formula": "{field} bắt đầu bằng dấu của công thức Excel: “{value}”",
    "return.org_unknown": "tổ chức đảng của học sinh không có trong báo cáo (mã nội bộ {uid})",
    "return.org_conflict": "tổ chức {code} trùng mã với một tổ chức khác trong dữ liệu này, cần quyết định trước",
    "return.refused": "{what} {name}: {reasons}",
    "return.org_conflicts": "{count} tổ chức đảng trong tệp khác với dữ liệu đang có; dữ liệu đang có được giữ nguyên "
                            "(cần quyết định trong phần mềm).",
    "return.refused_count": "{count} bản ghi không hợp lệ, không nhập:",
    "return.conflicts": "{count} học sinh trùng mã định danh nhưng khác thông tin, chưa nhập (cần quyết định).",
    "cli.unexpected": "Lệnh {command} dừng vì một lỗi không lường trước ({error}: {detail}). Dữ liệu không bị "
                      "thay đổi dở dang; chi tiết ghi trong tệp nhật ký (thư mục logs cạnh dữ liệu).",
    "cli.no_database": "Không tìm thấy cơ sở dữ liệu trong thư mục {path}.",
    "cli.db_error": "Không mở được cơ sở dữ liệu {path} ({code}).",
}

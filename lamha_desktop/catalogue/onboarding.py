"""Texts of a new school's first hour: incomplete student records, the place and signer of the reports, the
columns a class list lacks, the basis of the cumulative total, and the help of the headless commands."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # a record imported from a teacher's class list
    "step.facts_missing": "Hồ sơ của học sinh còn thiếu {facts}: cần bổ sung (nút Thông tin cá nhân) trước khi ghi "
                          "bước {step}.",
    "import.columns_optional_missing": "Tệp không có cột {columns}: học sinh được nhập với hồ sơ thiếu thông tin "
                                       "(lọc “Thiếu thông tin” ở thẻ Quần chúng) và bổ sung sau, trước khi chi bộ "
                                       "biểu quyết.",
    "import.columns_required_missing": "Chưa có cột {columns}: chọn cột tương ứng ở bảng dưới (mỗi học sinh đều "
                                       "cần thông tin này).",
    "import.name_birth_ambiguous": "Có {count} học sinh cùng họ tên và ngày sinh trong tổ chức; dòng không có mã "
                                   "định danh nên không biết cập nhật ai. Hãy thêm mã định danh vào tệp.",
    "import.pid_restored_text": "Mã định danh lưu dạng chữ chỉ có {length} chữ số, có lẽ đã mất số 0 ở đầu: "
                                "{value} → {pid} (đã thêm lại, hãy kiểm tra).",
    # storage
    "db.migration_failed": "Nâng cấp dữ liệu {path} lên phiên bản {version} không giữ được các liên kết giữa các "
                           "bảng, nên đã được hủy; dữ liệu giữ nguyên như trước.",
    # the application
    "app.no_display": "Không tìm thấy màn hình để hiện cửa sổ (chưa có DISPLAY hay WAYLAND_DISPLAY, ví dụ khi chạy "
                      "qua SSH). Hãy chạy trên máy có màn hình, hoặc dùng các lệnh không cần cửa sổ "
                      "(lamha-desktop --help).",
}

# The optional facts of a student's record (``validation.OPTIONAL_FACTS``), as a sentence names them.
FACT_NAMES: dict[str, str] = {
    "personal_id": "mã định danh",
    "ethnic": "dân tộc",
}


# The dossier papers in a word or two, for a one-line summary of a student's dossier (the full names are in
# resources/codelists/dossier_items.json).
DOSSIER_SHORT_NAMES: dict[str, str] = {
    "don": "Đơn",
    "ly_lich": "Lý lịch",
    "tham_tra": "Thẩm tra lý lịch",
    "nq_doan": "NQ Đoàn",
    "gioi_thieu": "Giới thiệu",
    "nx_noi_cu_tru": "Nhận xét nơi cư trú",
    "nx_doan_the": "Nhận xét đoàn thể",
}


def fact_list(facts: object) -> str:
    """"mã định danh và dân tộc" for ("personal_id", "ethnic")."""
    items = [facts] if isinstance(facts, str) else list(facts) if isinstance(facts, list | tuple) else []
    names = [FACT_NAMES.get(str(f), str(f)) for f in items]
    return " và ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " và " + names[-1]

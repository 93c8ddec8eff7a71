"""Texts of the codes about checks the application runs while it works (the daily check of the database
file in the background)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "db.damaged_in_background": "Lần kiểm tra định kỳ phát hiện tệp dữ liệu {path} bị hỏng ({detail}). Phần mềm "
                                "sẽ không ghi thêm gì vào tệp này. Hãy đóng phần mềm rồi mở lại để khôi phục từ "
                                "bản sao lưu gần nhất còn tốt.",
}

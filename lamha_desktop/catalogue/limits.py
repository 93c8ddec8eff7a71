"""Texts of the limits on what is read (``readers/limits.py``) and on text fields (``domain/validation.py``).

Each refusal says which limit was passed and by how much, in one line; ``docs/safety.md`` explains them.
Numbers and sizes arrive already written the Vietnamese way ("100.000", "1,2 GB").
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # size and shape of the file, checked before it is parsed
    "limit.file_size": "Tệp {path} quá lớn: {size} (phần mềm chỉ đọc tệp đến {limit}). Hãy bỏ bớt phần không "
                       "cần thiết (hình ảnh, trang, dòng thừa) hoặc chia nhỏ tệp.",
    "limit.zip_parts": "Tệp {path} gồm {count} phần bên trong (giới hạn {limit}); đây không phải một danh sách "
                       "bình thường, tệp không được đọc.",
    "limit.unpacked_bytes": "Tệp {path} khi giải nén lên tới {size} (giới hạn {limit}); có thể là tệp độc hại "
                            "(“bom nén”), tệp không được đọc.",
    "limit.ratio": "Phần {part} của tệp {path} nén nhỏ đi {ratio} lần (giới hạn {limit} lần); có thể là tệp "
                   "độc hại (“bom nén”), tệp không được đọc.",
    "limit.xml_dtd": "Phần {part} của tệp {path} có khai báo DOCTYPE/ENTITY mà Excel không bao giờ ghi; có thể "
                     "là tệp độc hại, tệp không được đọc.",
    "limit.xml_elements": "Tệp {path} có quá nhiều ô, dòng hoặc định dạng (hơn {limit} phần tử XML); hãy xóa "
                          "các dòng, cột, trang thừa hoặc chia nhỏ tệp.",
    "limit.text_run": "Phần {part} của tệp {path} có một đoạn chữ dài hơn {limit} ký tự; tệp không được đọc.",
    "limit.text_chars": "Tệp {path} chứa hơn {limit} ký tự chữ; hãy chia nhỏ tệp.",
    "limit.memory": "Không đủ bộ nhớ để đọc tệp {path}; tệp không được đọc, dữ liệu không thay đổi.",
    # while reading
    "limit.rows": "Tệp {path} có hơn {limit} dòng (trang “{sheet}”), kể cả dòng trống có định dạng; hãy xóa "
                  "các dòng thừa bên dưới danh sách hoặc chia nhỏ tệp.",
    "limit.columns": "Dòng {row} của trang “{sheet}” trong tệp {path} có {columns} cột (giới hạn {limit}); hãy "
                     "xóa các cột thừa bên phải danh sách.",
    "limit.cell_chars": "Ô {cell} của trang “{sheet}” trong tệp {path} dài {length} ký tự, quá giới hạn {limit} "
                        "ký tự của một ô Excel.",
    "limit.line_chars": "Dòng {line} của tệp {path} dài {length} ký tự (giới hạn {limit}); tệp không được đọc.",
    "limit.csv_field": "Tệp {path} có một ô (gần dòng {line}) dài hơn {limit} ký tự, quá giới hạn của một ô "
                       "Excel; có thể một dấu ngoặc kép (\") bị thiếu.",
    # damaged inside
    "file.damaged": "Tệp {path} bị hỏng: phần {part} bên trong bị cắt cụt hoặc sai ({detail}). Hãy xin lại tệp "
                    "gốc, hoặc mở bằng Excel rồi lưu lại.",
    "file.invalid": "Tệp {path} bị hỏng hoặc không đúng định dạng Excel .xlsx ({detail}). Hãy xin lại tệp gốc, "
                    "hoặc mở bằng Excel rồi lưu lại.",
    "file.no_workbook": "Tệp {path} là tệp nén nhưng không chứa sổ làm việc Excel .xlsx (có thể là tệp .xlsb, "
                        "Word hay tệp khác đổi đuôi). Hãy mở bằng Excel và lưu lại dạng Sổ làm việc Excel (.xlsx).",
    # text fields (typing, importing, consolidating)
    "text.too_long": "Quá dài: {length} ký tự (tối đa {limit} ký tự).",
    "return.text_too_long": "Báo cáo {path} có {field} dài {length} ký tự (tối đa {limit}) ở dòng dữ liệu {row}; "
                            "tệp không được nhập.",
}

TEXT_FIELD_NAMES: dict[str, str] = {
    "full_name": "họ và tên",
    "family_middle": "họ đệm",
    "given_name": "tên",
    "secretary": "tên bí thư",
    "signer_name": "tên người ký",
    "introducer": "tên người giới thiệu",
    "org_name": "tên tổ chức đảng",
    "school_name": "tên trường",
    "committee_name": "tên cấp ủy",
    "place": "địa điểm",
    "gender": "giới tính",
    "personal_id": "mã định danh",
    "ethnic": "dân tộc",
    "religion": "tôn giáo",
    "class_name": "lớp",
    "org_code": "mã tổ chức",
    "document_number": "số văn bản",
    "certificate_number": "số giấy chứng nhận",
    "residence": "nơi ở",
    "notes": "ghi chú",
    "reason": "lý do",
    "free_text": "nội dung",
}


def field_label(field: str) -> str:
    """The Vietnamese name of a field of ``validation.TEXT_LIMITS``, for a sentence."""
    return TEXT_FIELD_NAMES.get(field, field)

"""The audit trail as an .xlsx workbook: ``build(entries) -> bytes``; the caller writes the file atomically.

Dates are real ``datetime`` cells shown dd/mm/yyyy hh:mm; text is always text (a value starting with
``= + - @`` never becomes a formula); characters Excel cannot store are dropped.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from lamha_desktop.storage.audit import AuditEntry
from lamha_desktop.ui.safety.messages import AUDIT_ACTION_NAMES, AUDIT_TABLE_NAMES, FIELD_NAMES

HEADERS = ("Thời gian", "Người dùng", "Đối tượng", "Số dòng", "Thao tác", "Mục", "Trước", "Sau")
SHEET_TITLE = "Nhật ký thay đổi"


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def describe(entry: AuditEntry) -> str:
    """One line: "Họ và tên: A → B; Lớp: 12A1 → 12A2"."""
    before, after = entry.before or {}, entry.after or {}
    parts = []
    for key in entry.changed_fields():
        label = FIELD_NAMES.get(key, key)
        if entry.action == "update":
            parts.append(f"{label}: {value_text(before.get(key))} → {value_text(after.get(key))}")
        else:
            parts.append(f"{label}: {value_text((after or before).get(key))}")
    return "; ".join(parts)


def _set_text(cell: Any, text: str) -> None:
    text = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")  # XML has no bare CR
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the first character
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True


def build(entries: Iterable[AuditEntry]) -> bytes:
    """One row per changed field of each audit entry (a create or delete lists its fields)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    r = 2
    for e in entries:
        before, after = e.before or {}, e.after or {}
        for key in e.changed_fields() or [""]:
            at = ws.cell(row=r, column=1, value=e.at)
            at.number_format = "DD/MM/YYYY HH:MM:SS"
            _set_text(ws.cell(row=r, column=2), e.user)
            _set_text(ws.cell(row=r, column=3), AUDIT_TABLE_NAMES.get(e.table, e.table))
            ws.cell(row=r, column=4, value=e.row_id)
            _set_text(ws.cell(row=r, column=5), AUDIT_ACTION_NAMES.get(e.action, e.action))
            _set_text(ws.cell(row=r, column=6), FIELD_NAMES.get(key, key))
            _set_text(ws.cell(row=r, column=7), value_text(before.get(key)) if key else "")
            _set_text(ws.cell(row=r, column=8), value_text(after.get(key)) if key else "")
            for c in (7, 8):
                ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    for col, width in zip("ABCDEFGH", (20, 14, 16, 9, 9, 24, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

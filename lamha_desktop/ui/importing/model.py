"""The preview table: one line per row of the file, coloured by what importing it would do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QBrush, QColor

from lamha_desktop.domain import codelists
from lamha_desktop.storage.importer import ERROR, NEW, UNCHANGED, UPDATE, PlannedRow
from lamha_desktop.ui import messages
from lamha_desktop.ui.importing import messages as im
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_models import Column, RowsModel

STATUS_BRUSHES: dict[str, QBrush] = {
    NEW: QBrush(QColor("#e3f4e1")),
    UPDATE: QBrush(QColor("#fff4cc")),
    UNCHANGED: QBrush(QColor("#eeeeee")),
    ERROR: QBrush(QColor("#fbdada")),
}

COLUMNS = ("status", "where", "full_name", "birth", "gender", "personal_id", "class_name", "details")
HEADERS = {
    "status": "Kết quả",
    "where": "Vị trí",
    "full_name": "Họ và tên",
    "birth": "Ngày sinh",
    "gender": "Giới tính",
    "personal_id": "Mã định danh",
    "class_name": "Lớp",
    "details": "Chi tiết",
}
_CHANGE_FIELDS = {
    "full_name": "Họ và tên", "gender": "Giới tính", "birth": "Ngày sinh", "ethnic": "Dân tộc",
    "religion": "Tôn giáo", "class_name": "Lớp", "residence": "Nơi ở", "union_since": "Ngày vào Đoàn",
}


def _value_text(key: str, value: Any) -> str:
    if value is None or value == "":
        return tr("(trống)")
    if key == "gender":
        return tr(messages.GENDER_NAMES.get(str(value), str(value)))
    if key == "ethnic":
        item = codelists.find_ethnic(str(value))
        return item.name if item else str(value)
    if key == "religion":
        item = codelists.find_religion(str(value))
        return item.name if item else str(value)
    if hasattr(value, "strftime"):
        return messages.fmt_date(value)
    return str(value)


def details(item: PlannedRow) -> list[str]:
    """Every line to tell about a row: its problems (with the cell), warnings, and the changes of an update."""
    lines = [im.problem_text(p) for p in item.problems]
    lines += [tr("Lưu ý: ") + im.problem_text(w, with_location=False) for w in item.warnings]
    for key, (before, after) in item.changes.items():
        lines.append(tr("{field}: {before} → {after}").format(
            field=tr(_CHANGE_FIELDS.get(key, key)), before=_value_text(key, before), after=_value_text(key, after)))
    return lines


def _display(item: PlannedRow, key: str) -> str:
    src = item.source
    values = item.values if item.status != ERROR else src.values
    if key == "status":
        return tr(im.STATUS_NAMES[item.status])
    if key == "where":
        return f"{src.sheet} — {tr('dòng')} {src.row}"
    if key == "details":
        lines = details(item)
        if not lines:
            return ""
        more = tr(" (và {n} ý khác)").format(n=len(lines) - 1) if len(lines) > 1 else ""
        return lines[0] + more
    value = values.get(key)
    if key == "birth":
        return messages.fmt_date(value) if value else ""
    if key == "gender":
        return tr(messages.GENDER_NAMES.get(str(value), str(value or "")))
    return "" if value is None else str(value)


def _tooltip(item: PlannedRow) -> str | None:
    lines = details(item)
    return "\n".join(lines) if lines else None


_TEXT_BRUSH = QBrush(QColor("#1a1a1a"))  # readable on the light status colours in a dark theme too


def _column(key: str) -> Column[PlannedRow]:
    return Column(tr(HEADERS[key]), lambda item: _display(item, key),
                  background=lambda item: STATUS_BRUSHES[item.status], foreground=lambda _item: _TEXT_BRUSH,
                  tooltip=_tooltip if key in ("details", "status") else None)


class PreviewModel(RowsModel[PlannedRow]):
    """Planned rows, optionally filtered by status; read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([_column(key) for key in COLUMNS], parent)
        self._all: list[PlannedRow] = []
        self.status_filter: str | None = None

    def set_rows(self, rows: Sequence[PlannedRow]) -> None:
        self._all = list(rows)
        super().set_rows(self._filtered())

    def set_filter(self, status: str | None) -> None:
        self.status_filter = status
        super().set_rows(self._filtered())

    def _filtered(self) -> list[PlannedRow]:
        if self.status_filter is None:
            return list(self._all)
        return [r for r in self._all if r.status == self.status_filter]

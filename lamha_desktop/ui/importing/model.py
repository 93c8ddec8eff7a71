"""The preview table: one line per row of the file, coloured by what importing it would do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from lamha_desktop.domain import codelists
from lamha_desktop.storage.importer import ERROR, NEW, UNCHANGED, UPDATE, PlannedRow
from lamha_desktop.ui import messages
from lamha_desktop.ui.importing import messages as im
from lamha_desktop.ui.messages import tr

Index = QModelIndex | QPersistentModelIndex

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


class PreviewModel(QAbstractTableModel):
    """Planned rows, optionally filtered by status; read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PlannedRow] = []
        self.rows: list[PlannedRow] = []
        self.status_filter: str | None = None

    def set_rows(self, rows: Sequence[PlannedRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self.rows = self._filtered()
        self.endResetModel()

    def set_filter(self, status: str | None) -> None:
        self.beginResetModel()
        self.status_filter = status
        self.rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[PlannedRow]:
        if self.status_filter is None:
            return list(self._all)
        return [r for r in self._all if r.status == self.status_filter]

    def row_at(self, row: int) -> PlannedRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return tr(HEADERS[COLUMNS[section]])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return section + 1
        return None

    def _display(self, item: PlannedRow, key: str) -> str:
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.row_at(index.row())
        if item is None or not 0 <= index.column() < len(COLUMNS):
            return None
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_BRUSHES[item.status]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1a1a1a"))  # readable on the light status colours in a dark theme too
        if role == Qt.ItemDataRole.ToolTipRole and key in ("details", "status"):
            lines = details(item)
            return "\n".join(lines) if lines else None
        return None

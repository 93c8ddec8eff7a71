"""Table models: a small in-memory one for short lists, and a lazy one (ids + row cache) for long lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

# Roles as plain ints: data() runs thousands of times per paint, and comparing with the enum members costs
# an enum lookup each time.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_USER = int(Qt.ItemDataRole.UserRole)
_CHECK = int(Qt.ItemDataRole.CheckStateRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ROLES = frozenset({_DISPLAY, _ALIGN, _FOREGROUND, _TOOLTIP, _BACKGROUND, _FONT, _USER, _CHECK, _DECORATION})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

# Text colours for ``Column.foreground``. A colour, not a brush: Qt paints a cell's ForegroundRole colour as a
# brush of it, and making a QBrush from Python first would make PySide6 build QGradient's and QImage's classes
# and enumerations (3 ms at start) to choose the constructor.
OVERDUE_COLOR = QColor("#b00020")
MUTED_COLOR = QColor("#707070")


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column of a table model: its header, its cell text, and optionally the other roles of its cells."""

    header: str
    value: Callable[[R], Any]
    align_right: bool = False
    sort_key: str | None = None  # the repository's sort name; None: not sortable in the query
    foreground: Callable[[R], QColor | QBrush | None] | None = None
    tooltip: Callable[[R], str | None] | None = None
    background: Callable[[R], QBrush | None] | None = None
    font: Callable[[R], QFont | None] | None = None
    user_data: Callable[[R], Any] | None = None  # Qt.UserRole, e.g. a path or an id behind the text
    checked: Callable[[R], bool] | None = None  # a check box in the cell (Qt.CheckStateRole)
    set_checked: Callable[[R, bool], None] | None = None  # with ``checked``: the user may tick it
    decoration: Callable[[R], Any] | None = None  # an icon before the text (Qt.DecorationRole), e.g. a badge
    header_tip: str = ""  # the header's tooltip when it says more than the header (default: the header itself)
    stretch: bool = False  # a text column: it takes the room left and is elided (in the middle) when short of it


class RowsModel(QAbstractTableModel, Generic[R]):
    """A table over a short list of plain rows (organisations, ceremonies).

    ``row_numbers``: the vertical header shows 1, 2, 3…; a subclass whose view hides it may turn it off.
    """

    row_numbers = True

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if int(role) == _DISPLAY:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
                return self.columns[section].header
            if orientation == Qt.Orientation.Vertical and self.row_numbers and 0 <= section < self.rowCount():
                return section + 1
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            # A header elided for want of room is read in full here (with what it stands for, when it says).
            column = self.columns[section]
            return f"{column.header} — {column.header_tip}" if column.header_tip else column.header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ROLES or not index.isValid():  # size hints, decorations…: nothing to fetch
            return None
        row = self._row(index.row())
        if row is None:
            return None
        col = self.columns[index.column()]
        if role == _DISPLAY:
            value = col.value(row)
            return "" if value is None else value
        if role == _ALIGN and col.align_right:
            return _RIGHT
        if role == _FOREGROUND and col.foreground is not None:
            return col.foreground(row)
        if role == _TOOLTIP:
            # A text elided for want of room is read in full here (a column may say more).
            if col.tooltip is not None:
                return col.tooltip(row)
            value = col.value(row)
            return None if value is None or value == "" else str(value)
        if role == _DECORATION and col.decoration is not None:
            return col.decoration(row)
        if role == _BACKGROUND and col.background is not None:
            return col.background(row)
        if role == _FONT and col.font is not None:
            return col.font(row)
        if role == _USER and col.user_data is not None:
            return col.user_data(row)
        if role == _CHECK and col.checked is not None:
            return Qt.CheckState.Checked if col.checked(row) else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()].set_checked is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        setter = self.columns[index.column()].set_checked
        row = self._row(index.row())
        if setter is None or row is None:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        setter(row, state == Qt.CheckState.Checked)
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True

    def refresh_column(self, column: int) -> None:
        """Repaint one column after its rows changed in place (e.g. every check box set at once)."""
        if self.rowCount():
            self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column))

    def _row(self, row: int) -> R | None:
        return self.row_at(row)


class LazyRowsModel(RowsModel[R]):
    """A table over many rows: it holds only ids and fetches rows a page at a time.

    ``fetch(ids)`` returns a dict id -> row; the cache is bounded so memory stays flat.
    """

    PAGE = 100
    CACHE_LIMIT = 5000

    def __init__(self, columns: Sequence[Column[R]], fetch: Callable[[Sequence[int]], dict[int, R]],
                 parent: Any = None) -> None:
        super().__init__(columns, parent)
        self.ids: list[int] = []
        self._fetch = fetch
        self._cache: dict[int, R] = {}

    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self.ids = list(ids)
        self._cache.clear()
        self.endResetModel()

    def append_ids(self, ids: Sequence[int]) -> None:
        """Add rows at the end (the rest of a list whose first page is shown already)."""
        if not ids:
            return
        self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(ids) - 1)
        self.ids.extend(ids)
        self.endInsertRows()

    def invalidate(self) -> None:
        """Forget cached rows (after a change) and repaint."""
        self._cache.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.columns) - 1))

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of_id(self, ident: int) -> int:
        try:
            return self.ids.index(ident)
        except ValueError:
            return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def row_at(self, row: int) -> R | None:
        return self._row(row)

    def _row(self, row: int) -> R | None:
        if not 0 <= row < len(self.ids):
            return None
        ident = self.ids[row]
        cached = self._cache.get(ident)
        if cached is not None:
            return cached
        if len(self._cache) > self.CACHE_LIMIT:
            self._cache.clear()
        start = max(0, row - self.PAGE // 4)
        page = self.ids[start:start + self.PAGE]
        self._cache.update(self._fetch(page))
        return self._cache.get(ident)

"""Dialogs of the reports feature: the period (and file) of a return or summary, and import conflicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.storage import repo
from lamha_desktop.storage.consolidation import Conflict
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.widgets import FormDialog, standard_buttons

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ReportRequest:
    """What the user asked for: a period code ("2024-H1" / "2024"), an organisation code or None (all),
    and the output file (None for the print preview)."""

    period: str
    org_code: str | None
    path: Path | None


def default_file_name(period: str, org_code: str | None) -> str:
    return f"bao_cao_ket_nap_{period}{'_' + org_code if org_code else ''}.xlsx"


class PeriodDialog(FormDialog):
    """Year, first half / whole year, organisation (or all), and for an export the target file."""

    def __init__(self, *, title: str, with_file: bool, suffix: str = ".xlsx", folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.with_file = with_file
        self.suffix = suffix
        self.folder = folder or Path.home()
        today = dt.date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.add_field("year", tr("&Năm:"), self.year)
        kinds = QWidget()
        h = QHBoxLayout(kinds)
        h.setContentsMargins(0, 0, 0, 0)
        self.first_half = QRadioButton(tr("&6 tháng đầu năm"))
        self.whole_year = QRadioButton(tr("&Cả năm"))
        group = QButtonGroup(self)
        group.addButton(self.first_half)
        group.addButton(self.whole_year)
        (self.first_half if today.month <= 9 else self.whole_year).setChecked(True)
        h.addWidget(self.first_half)
        h.addWidget(self.whole_year)
        h.addStretch(1)
        self.add_field("period", tr("Kỳ báo cáo:"), kinds)
        self.org = QComboBox()
        self.org.addItem(tr("Tất cả tổ chức đảng"), None)
        for o in repo.list_organisations():
            self.org.addItem(f"{o.code} — {o.name}", o.code)
        self.add_field("org", tr("&Tổ chức đảng:"), self.org)
        self.path = QLineEdit()
        if with_file:
            row = QWidget()
            r = QHBoxLayout(row)
            r.setContentsMargins(0, 0, 0, 0)
            browse = QPushButton(tr("&Chọn…"))
            browse.clicked.connect(self._browse)
            r.addWidget(self.path, 1)
            r.addWidget(browse)
            self.add_field("path", tr("&Lưu vào tệp:"), row)
            note = QLabel(tr("Tệp xuất ra không được mã hóa; hãy giữ cẩn thận (dữ liệu cá nhân nhạy cảm). Tệp chứa "
                             "thông tin của học sinh được kết nạp (dân tộc, tôn giáo): chỉ gửi qua kênh được phép và "
                             "xóa bản thừa."))
            note.setWordWrap(True)
            note.setObjectName("privacy_note")
            self.form.addRow(note)
            self._update_path()
            self.year.valueChanged.connect(lambda _v: self._update_path())
            self.first_half.toggled.connect(lambda _v: self._update_path())
            self.org.currentIndexChanged.connect(lambda _i: self._update_path())
        ok_text = tr("&Xuất") if with_file and suffix == ".xlsx" else (tr("&Lưu") if with_file else tr("&Xem"))
        self.buttons.button(self.buttons.StandardButton.Ok).setText(ok_text)
        self.resize(560, self.sizeHint().height())
        self._auto_path = True

    def period_code(self) -> str:
        return f"{self.year.value()}-H1" if self.first_half.isChecked() else str(self.year.value())

    def _update_path(self) -> None:
        if getattr(self, "_auto_path", True):
            name = default_file_name(self.period_code(), self.org.currentData())
            self.path.setText(str(self.folder / Path(name).with_suffix(self.suffix)))
            self._auto_path = True

    def _browse(self) -> None:
        kind = tr("Bảng tính Excel (*.xlsx)") if self.suffix == ".xlsx" else tr("Tệp PDF (*.pdf)")
        name, _f = QFileDialog.getSaveFileName(self, tr("Lưu báo cáo"), self.path.text(), kind)
        if name:
            self._auto_path = False
            self.path.setText(name)

    def request(self) -> ReportRequest | None:
        """The request, or None after showing what is missing."""
        self.clear_errors()
        path: Path | None = None
        if self.with_file:
            text = self.path.text().strip()
            if not text:
                self.show_errors([("path", tr("Chưa chọn tệp để lưu."))])
                return None
            path = Path(text)
            if path.suffix.lower() != self.suffix:
                path = path.with_name(path.name + self.suffix)
        return ReportRequest(self.period_code(), self.org.currentData(), path)

    def accept(self) -> None:
        if self.request() is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, with_file: bool, suffix: str = ".xlsx",
            folder: Path | None = None) -> ReportRequest | None:
        dlg = cls(title=title, with_file=with_file, suffix=suffix, folder=folder, parent=parent)
        return dlg.request() if dlg.exec() == QDialog.DialogCode.Accepted else None


class DoneDialog:
    """"Export finished" with a button that opens the folder."""

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path) -> bool:
        """True when the user wants the folder opened."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(tr("Đã xuất báo cáo"))
        box.setText(tr("Đã lưu báo cáo vào:\n{path}").format(path=str(path)))
        open_button = box.addButton(tr("&Mở thư mục"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(tr("Đó&ng"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is open_button


class OpenReturnDialog:
    """Choose a return (.xlsx) to import."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> Path | None:
        name, _f = QFileDialog.getOpenFileName(parent, tr("Nhập báo cáo của trường"), str(Path.home()),
                                               tr("Bảng tính Excel (*.xlsx)"))
        return Path(name) if name else None


class SavePdfDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _f = QFileDialog.getSaveFileName(parent, tr("Lưu báo cáo sơ kết ra PDF"), str(suggested),
                                               tr("Tệp PDF (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


# ------------------------------------------------------------------------------------------ conflicts


class ConflictsModel(QAbstractTableModel):
    """Conflicting students: this database's record against the file's, and a checkable "replace"."""

    HEADERS = ("Thay bằng dữ liệu trong tệp", "Mã định danh", "Họ và tên (máy này)", "Họ và tên (tệp)",
               "Ngày sinh (máy này)", "Ngày sinh (tệp)", "Giới tính (máy này)", "Giới tính (tệp)",
               "Tổ chức (máy này)")

    def __init__(self, conflicts: list[Conflict], parent: Any = None) -> None:
        super().__init__(parent)
        self.conflicts = list(conflicts)
        self.replace = [False] * len(self.conflicts)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.conflicts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return tr(self.HEADERS[section])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def _value(self, c: Conflict, column: int) -> str:
        gender = messages.GENDER_NAMES
        values = [
            "",
            c.personal_id,
            str(c.local.get("full_name", "")),
            str(c.incoming.get("full_name", "")),
            messages.fmt_date(c.local.get("birth")),
            messages.fmt_date(c.incoming.get("birth")),
            gender.get(str(c.local.get("gender")), ""),
            gender.get(str(c.incoming.get("gender")), ""),
            str(c.local.get("organisation", "")),
        ]
        return values[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.conflicts):
            return None
        c = self.conflicts[index.row()]
        col = index.column()
        if col == 0:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if self.replace[index.row()] else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return tr("Thay") if self.replace[index.row()] else tr("Giữ")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._value(c, col)
        if role == Qt.ItemDataRole.FontRole and col in (2, 3, 4, 5, 6, 7):
            field = ("full_name", "birth", "gender")[(col - 2) // 2]
            if field in c.fields:
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        self.replace[index.row()] = state == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True

    def set_all(self, replace: bool) -> None:
        self.replace = [replace] * len(self.conflicts)
        if self.conflicts:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.conflicts) - 1, 0))

    def resolutions(self) -> dict[str, str]:
        return {c.uid: ("replace" if r else "keep") for c, r in zip(self.conflicts, self.replace, strict=True)}


class ConflictsDialog(QDialog):
    """Students whose personal ID is already here with other data: keep ours or take the file's."""

    def __init__(self, conflicts: list[Conflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Học sinh trùng mã định danh"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Các học sinh dưới đây có mã định danh đã có trên máy này nhưng khác họ tên, ngày sinh "
                          "hoặc giới tính (chữ đậm). Đánh dấu những dòng cần thay bằng dữ liệu trong tệp; các dòng "
                          "không đánh dấu giữ nguyên dữ liệu trên máy."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = ConflictsModel(conflicts, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        all_replace = QPushButton(tr("Thay &tất cả"))
        all_replace.clicked.connect(lambda: self.model.set_all(True))
        all_keep = QPushButton(tr("&Giữ tất cả"))
        all_keep.clicked.connect(lambda: self.model.set_all(False))
        row.addWidget(all_replace)
        row.addWidget(all_keep)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(standard_buttons(self, save_text=tr("Á&p dụng")))
        self.resize(900, 420)

    @classmethod
    def ask(cls, parent: QWidget | None, conflicts: list[Conflict]) -> dict[str, str] | None:
        """uid -> "replace" | "keep", or None when cancelled (nothing applied)."""
        dlg = cls(conflicts, parent)
        return dlg.model.resolutions() if dlg.exec() == QDialog.DialogCode.Accepted else None

"""Dialogs of the reports feature: the period (and file) of a return or summary, and import conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QFont
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
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_models import Column, RowsModel
from lamha_desktop.ui.widgets import FormDialog, standard_buttons

if TYPE_CHECKING:  # the consolidation code loads with the first report, not at start-up
    from lamha_desktop.storage.consolidation import Conflict, OrgConflict


@dataclass(frozen=True)
class ReportRequest:
    """What the user asked for: a period code ("2024-H1", "2024-H2", "2024"), an organisation code or None
    (all), the output file (None for the print preview), and for a return whether it is the totals-only one
    (no personal data) rather than the full one the consolidating level reads."""

    period: str
    org_code: str | None
    path: Path | None
    totals_only: bool = False


def default_file_name(period: str, org_code: str | None, *, totals_only: bool = False) -> str:
    return f"bao_cao_ket_nap_{period}{'_' + org_code if org_code else ''}{'_so_lieu' if totals_only else ''}.xlsx"


NOT_ENCRYPTED = "Tệp xuất ra không được mã hóa; hãy giữ cẩn thận (dữ liệu cá nhân nhạy cảm)."
FULL_NOTE = (f"{NOT_ENCRYPTED} Báo cáo đầy đủ gồm danh sách học sinh được kết nạp (ngày sinh, dân tộc, tôn giáo) và "
             "một phần dữ liệu ẩn chứa mã định danh của từng học sinh, để cấp trên tổng hợp: chỉ gửi cấp trên qua "
             "kênh được phép và xóa bản thừa. Để gửi nơi khác, chọn “Chỉ số liệu tổng hợp”.")
TOTALS_NOTE = ("Bản chỉ số liệu tổng hợp không có dữ liệu cá nhân: không danh sách học sinh, không mã định danh, "
               "không phần dữ liệu ẩn. Cấp trên không nhập được bản này để tổng hợp.")
PDF_NOTE = f"{NOT_ENCRYPTED} Báo cáo sơ kết có thể có họ tên học sinh: chỉ gửi qua kênh được phép và xóa bản thừa."


class PeriodDialog(FormDialog):
    """Year, first half / second half / whole year, organisation (or all), and for an export the target file."""

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
        self.second_half = QRadioButton(tr("6 tháng c&uối năm"))
        self.whole_year = QRadioButton(tr("&Cả năm"))
        group = QButtonGroup(self)
        for button in (self.first_half, self.second_half, self.whole_year):
            group.addButton(button)
            h.addWidget(button)
        (self.first_half if today.month <= 9 else self.whole_year).setChecked(True)
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
            if suffix == ".xlsx":
                contents = QWidget()
                v = QVBoxLayout(contents)
                v.setContentsMargins(0, 0, 0, 0)
                self.full = QRadioButton(tr("Báo cáo đầy đủ, để cấp trên &tổng hợp (kèm danh sách và mã định danh)"))
                self.totals_only = QRadioButton(tr("Chỉ số liệu tổng hợp, không có &dữ liệu cá nhân (để gửi nơi khác)"))
                self.totals_only.setObjectName("totals_only")
                kind = QButtonGroup(self)
                kind.addButton(self.full)
                kind.addButton(self.totals_only)
                self.full.setChecked(True)
                v.addWidget(self.full)
                v.addWidget(self.totals_only)
                self.add_field("contents", tr("Nội dung:"), contents)
            self.note = QLabel()
            self.note.setWordWrap(True)
            self.note.setObjectName("privacy_note")
            self.form.addRow(self.note)
            self._update_path()
            self.year.valueChanged.connect(lambda _v: self._update_path())
            for button in (self.first_half, self.second_half):
                button.toggled.connect(lambda _v: self._update_path())
            self.org.currentIndexChanged.connect(lambda _i: self._update_path())
            if suffix == ".xlsx":
                self.totals_only.toggled.connect(lambda _v: self._update_path())
        ok_text = tr("&Xuất") if with_file and suffix == ".xlsx" else (tr("&Lưu") if with_file else tr("&Xem"))
        self.buttons.button(self.buttons.StandardButton.Ok).setText(ok_text)
        hint = self.sizeHint()
        self.resize(max(560, hint.width()), hint.height())
        self._auto_path = True

    def period_code(self) -> str:
        """"2026-H1", "2026-H2" or "2026"."""
        if self.first_half.isChecked():
            return f"{self.year.value()}-H1"
        if self.second_half.isChecked():
            return f"{self.year.value()}-H2"
        return str(self.year.value())

    def is_totals_only(self) -> bool:
        return self.with_file and self.suffix == ".xlsx" and self.totals_only.isChecked()

    def _update_path(self) -> None:
        if self.suffix == ".xlsx":
            self.note.setText(tr(TOTALS_NOTE) if self.is_totals_only() else tr(FULL_NOTE))
        else:
            self.note.setText(tr(PDF_NOTE))
        if getattr(self, "_auto_path", True):
            name = default_file_name(self.period_code(), self.org.currentData(), totals_only=self.is_totals_only())
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
        return ReportRequest(self.period_code(), self.org.currentData(), path,
                             totals_only=self.with_file and self.is_totals_only())

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
        name, _f = QFileDialog.getSaveFileName(parent, tr("Lưu báo cáo ra PDF"), str(suggested),
                                               tr("Tệp PDF (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


# ------------------------------------------------------------------------------------------ conflicts


@dataclass
class _Choice:
    """A conflict and whether the file's record is to replace this database's."""

    conflict: Conflict
    replace: bool = False


def _set_replace(choice: _Choice, replace: bool) -> None:
    choice.replace = replace


def _bold_if_differs(field: str) -> Callable[[_Choice], QFont | None]:
    def font(choice: _Choice) -> QFont | None:
        if field not in choice.conflict.fields:
            return None
        bold = QFont()
        bold.setBold(True)
        return bold
    return font


def _of_conflict(get: Callable[[Conflict], str]) -> Callable[[_Choice], str]:
    return lambda choice: get(choice.conflict)


class ConflictsModel(RowsModel[_Choice]):
    """Conflicting students: this database's record against the file's, and a checkable "replace"."""

    HEADERS = ("Thay bằng dữ liệu trong tệp", "Mã định danh", "Họ và tên (máy này)", "Họ và tên (tệp)",
               "Ngày sinh (máy này)", "Ngày sinh (tệp)", "Giới tính (máy này)", "Giới tính (tệp)",
               "Tổ chức (máy này)")

    def __init__(self, conflicts: list[Conflict], parent: Any = None) -> None:
        gender = messages.GENDER_NAMES
        name, birth, sex = (_bold_if_differs(f) for f in ("full_name", "birth", "gender"))
        getters: tuple[tuple[Callable[[Conflict], str], Callable[[_Choice], QFont | None] | None], ...] = (
            (lambda c: c.personal_id, None),
            (lambda c: str(c.local.get("full_name", "")), name),
            (lambda c: str(c.incoming.get("full_name", "")), name),
            (lambda c: messages.fmt_date(c.local.get("birth")), birth),
            (lambda c: messages.fmt_date(c.incoming.get("birth")), birth),
            (lambda c: gender.get(str(c.local.get("gender")), ""), sex),
            (lambda c: gender.get(str(c.incoming.get("gender")), ""), sex),
            (lambda c: str(c.local.get("organisation", "")), None),
        )
        replace: Column[_Choice] = Column(tr(self.HEADERS[0]), lambda ch: tr("Thay") if ch.replace else tr("Giữ"),
                                          checked=lambda ch: ch.replace, set_checked=_set_replace)
        super().__init__([replace] + [Column(tr(header), _of_conflict(get), font=font)
                                      for header, (get, font) in zip(self.HEADERS[1:], getters, strict=True)], parent)
        self.conflicts = list(conflicts)
        self.rows = [_Choice(c) for c in self.conflicts]

    @property
    def replace(self) -> list[bool]:
        return [ch.replace for ch in self.rows]

    def set_all(self, replace: bool) -> None:
        for ch in self.rows:
            ch.replace = replace
        self.refresh_column(0)

    def resolutions(self) -> dict[str, str]:
        return {ch.conflict.uid: ("replace" if ch.replace else "keep") for ch in self.rows}


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


@dataclass
class _OrgChoice:
    conflict: OrgConflict
    replace: bool = False


ORG_FIELD_NAMES = {"code": "Mã", "school_name": "Trường", "name": "Tên", "kind": "Loại hình",
                   "official_members": "Số đảng viên chính thức", "secretary": "Bí thư", "annual_target": "Chỉ tiêu"}


def _org_differences(c: OrgConflict) -> str:
    return "; ".join(f"{tr(ORG_FIELD_NAMES.get(f, f))}: {c.local.get(f)} → {c.incoming.get(f)}" for f in c.fields)


class OrgConflictsDialog(QDialog):
    """Organisations of the file that differ from this database's: never overwritten unless the user says so."""

    def __init__(self, conflicts: list[OrgConflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Tổ chức đảng khác với dữ liệu trên máy"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Các tổ chức dưới đây trong tệp khác với tổ chức cùng mã trên máy này. Dữ liệu trên máy "
                          "được giữ nguyên, trừ những dòng được đánh dấu \u201cLấy theo tệp\u201d. Một tổ chức "
                          "trùng mã với tổ chức khác trên máy được coi là cùng một tổ chức khi bấm Áp dụng; bấm Hủy "
                          "để không nhập học sinh của tổ chức đó."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model: RowsModel[_OrgChoice] = RowsModel([
            Column(tr("Lấy theo tệp"), lambda ch: tr("Lấy theo tệp") if ch.replace else tr("Giữ"),
                   checked=lambda ch: ch.replace, set_checked=lambda ch, on: setattr(ch, "replace", on)),
            Column(tr("Mã"), lambda ch: ch.conflict.code),
            Column(tr("Khác nhau"), lambda ch: _org_differences(ch.conflict),
                   tooltip=lambda ch: _org_differences(ch.conflict)),
        ], self)
        self.model.rows = [_OrgChoice(c) for c in conflicts]
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.view, 1)
        layout.addWidget(standard_buttons(self, save_text=tr("Á&p dụng")))
        self.resize(820, 320)

    def resolutions(self) -> dict[str, str]:
        return {f"org:{ch.conflict.uid}": ("replace" if ch.replace else "keep") for ch in self.model.rows}

    @classmethod
    def ask(cls, parent: QWidget | None, conflicts: list[OrgConflict]) -> dict[str, str] | None:
        dlg = cls(conflicts, parent)
        return dlg.resolutions() if dlg.exec() == QDialog.DialogCode.Accepted else None

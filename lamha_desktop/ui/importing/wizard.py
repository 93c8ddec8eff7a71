"""The import wizard: choose a file -> check the columns -> preview -> import in one transaction.

Nothing is written before the user presses "Nhập": the preview is a plan; the import runs in one
transaction with a progress dialog that can cancel (and then nothing is written). The columns the user
corrects are remembered, in the same transaction, for files of the same shape.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.lazy import lazy_import
from lamha_desktop.operations import Refused
from lamha_desktop.operations import importing as importing_ops
from lamha_desktop.reports.files import ExportError, write_atomic
from lamha_desktop.storage import importer, repo
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui import messages
from lamha_desktop.ui.changes import announce, problems_text
from lamha_desktop.ui.importing import messages as im
from lamha_desktop.ui.importing.model import PreviewModel
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.widgets import fitting_size

# openpyxl and xlrd load when a file is first read, not at start-up.
class_list = lazy_import("lamha_desktop.readers.class_list")
error_report = lazy_import("lamha_desktop.reports.error_report")

FILE_FILTER = "Bảng tính (*.xlsx *.xls *.csv *.txt);;Mọi tệp (*)"  # .txt: Excel's "Unicode Text"
_EXAMPLE_ROWS = 5


LAST_FOLDER_KEY = "import/last_folder"


def last_folder() -> str:
    """The folder of the last class list chosen (remembered between sessions), or ""."""
    value = QSettings().value(LAST_FOLDER_KEY, "")
    folder = str(value or "")
    return folder if folder and Path(folder).is_dir() else ""


def remember_folder(path: str) -> None:
    QSettings().setValue(LAST_FOLDER_KEY, str(Path(path).parent))


def choose_file(parent: QWidget | None, folder: str = "") -> str:
    """The open-file dialog, opened in ``folder`` (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, tr("Chọn danh sách học sinh"), folder, tr(FILE_FILTER))
    return path


def choose_save_path(parent: QWidget | None, suggested: str) -> str:
    """The save-file dialog for the error report (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, tr("Lưu báo cáo lỗi"), suggested, tr("Sổ làm việc Excel (*.xlsx)"))
    return path


class MappingPage(QWidget):
    """One combo per column of the chosen sheet: what the column was recognised as, and the user's choice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("mapping_sheet")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setObjectName("mapping_info")
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_holder)
        top = QHBoxLayout()
        self.sheet_label = QLabel(tr("&Trang:"))
        self.sheet_label.setBuddy(self.sheet_combo)
        top.addWidget(self.sheet_label)
        top.addWidget(self.sheet_combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Kiểm tra phần mềm đã hiểu đúng từng cột; chọn lại nếu cần. "
                                   "Lựa chọn được ghi nhớ cho các tệp cùng dạng.")))
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(scroll, 1)
        self.combos: list[QComboBox] = []


class ImportDialog(QDialog):
    """The wizard. Use :meth:`ask`; tests drive the methods directly (no modal loop)."""

    PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW = range(3)

    def __init__(self, parent: QWidget | None = None, *, path: str | Path | None = None,
                 organisation_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Nhập danh sách học sinh"))
        self.resize(*fitting_size(self, 980, 640))
        self.table: class_list.Table | None = None
        self.auto: dict[str, class_list.HeaderMatch] = {}
        self.current: dict[str, class_list.HeaderMatch] = {}
        self.had_remembered: set[str] = set()
        self.plan: importer.ImportPlan | None = None
        self.import_counts: dict[str, int] | None = None
        self._loading_combos = False

        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page(path, organisation_id))
        self.mapping = MappingPage()
        self.mapping.sheet_combo.currentIndexChanged.connect(lambda _i: self._show_mapping())
        self.pages.addWidget(self.mapping)
        self.pages.addWidget(self._preview_page())

        self.back_button = QPushButton(tr("< &Quay lại"))
        self.next_button = QPushButton(tr("&Tiếp >"))
        self.import_button = QPushButton(tr("&Nhập"))
        self.report_button = QPushButton(tr("&Lưu báo cáo lỗi…"))
        self.cancel_button = QPushButton(tr("&Hủy"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.import_button.clicked.connect(lambda: self.run_import())
        self.report_button.clicked.connect(lambda: self.save_error_report())
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        # Every button keeps its place on every page ("Nhập" is greyed until the preview): a second quick press
        # of "Tiếp" never lands on "Nhập" before the preview was seen.
        for b in (self.back_button, self.next_button, self.import_button, self.cancel_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        # As wide as its longest text ("Nhập 100.000 dòng"), so that the count it shows moves nothing.
        self.import_button.setText(tr("&Nhập {n} dòng").format(n="100.000"))
        self.import_button.setMinimumWidth(self.import_button.sizeHint().width())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # ------------------------------------------------------------ pages

    def _file_page(self, path: str | Path | None, organisation_id: int | None) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.path_edit = QLineEdit(str(path) if path else "")
        self.path_edit.setPlaceholderText(tr("Tệp .xlsx, .xls, .csv hoặc .txt (Unicode Text)"))
        browse = QPushButton(tr("&Chọn tệp…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(tr("&Tệp:"))
        label.setBuddy(self.path_edit)
        form.addRow(label, holder)
        self.org_combo = QComboBox()
        for o in repo.list_organisations(include_inactive=False):
            self.org_combo.addItem(f"{o.code} — {o.name}", o.id)
        if organisation_id is not None:
            self.org_combo.setCurrentIndex(max(0, self.org_combo.findData(organisation_id)))
        org_label = QLabel(tr("Tổ chức đả&ng nhận danh sách:"))
        org_label.setBuddy(self.org_combo)
        form.addRow(org_label, self.org_combo)
        self.file_error = QLabel()
        self.file_error.setObjectName("file_error")
        self.file_error.setWordWrap(True)
        self.file_error.setStyleSheet("color: #b00020;")
        form.addRow(self.file_error)
        hint = QLabel(tr("Danh sách có thể lấy từ CSDL ngành, vnEdu hoặc danh sách lớp của giáo viên chủ nhiệm: "
                         "phần mềm tự tìm dòng tiêu đề, nhận các cột Họ và tên, Ngày sinh, Giới tính, Lớp, Dân tộc, "
                         "Tôn giáo, Mã định danh… Mã định danh và dân tộc có thể bổ sung sau. "
                         "Chưa ghi gì cho tới khi bạn xem trước và bấm Nhập."))
        hint.setWordWrap(True)
        form.addRow(hint)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("preview_summary")
        self.summary.setWordWrap(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem(tr("Mọi dòng"), None)
        for key in (importer.ERROR, importer.NEW, importer.UPDATE, importer.UNCHANGED):
            self.status_filter.addItem(tr(im.STATUS_NAMES[key]), key)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(self.status_filter.currentData()))
        top.addWidget(self.summary, 1)
        show = QLabel(tr("&Hiện:"))
        show.setBuddy(self.status_filter)
        top.addWidget(show)
        top.addWidget(self.status_filter)
        self.model = PreviewModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.done_label = QLabel()
        self.done_label.setObjectName("done_label")
        self.done_label.setWordWrap(True)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.done_label)
        return page

    # ------------------------------------------------------------ navigation

    def page(self) -> int:
        return self.pages.currentIndex()

    def _update_buttons(self) -> None:
        page = self.page()
        self.back_button.setEnabled(page > self.PAGE_FILE and self.import_counts is None)
        self.next_button.setEnabled(page < self.PAGE_PREVIEW)
        can_import = (page == self.PAGE_PREVIEW and self.plan is not None and self.import_counts is None
                      and bool(self.plan.to_write()))
        self.import_button.setEnabled(can_import)
        n = len(self.plan.to_write()) if self.plan is not None and page == self.PAGE_PREVIEW else 0
        self.import_button.setText(tr("&Nhập {n} dòng").format(n=f"{n:,}".replace(",", ".")) if n else tr("&Nhập"))
        self.report_button.setVisible(page == self.PAGE_PREVIEW)
        self.report_button.setEnabled(bool(self.plan is not None and self.plan.rejected()))
        self.cancel_button.setText(tr("Đó&ng") if self.import_counts is not None else tr("&Hủy"))
        # Enter moves on; it never imports (importing is a deliberate press of "Nhập").
        self.next_button.setDefault(page < self.PAGE_PREVIEW)
        self.import_button.setDefault(False)

    def go_next(self) -> bool:
        if self.page() == self.PAGE_FILE:
            if not self.load_file(self.path_edit.text().strip()):
                return False
            self.pages.setCurrentIndex(self.PAGE_MAPPING)
        elif self.page() == self.PAGE_MAPPING:
            if self.required_missing():  # said once here, not once per row of the preview
                self._show_mapping_info(stop=True)
                return False
            self.build_preview()
            self.pages.setCurrentIndex(self.PAGE_PREVIEW)
        self._update_buttons()
        return True

    def go_back(self) -> None:
        if self.page() > self.PAGE_FILE:
            self.pages.setCurrentIndex(self.page() - 1)
        self._update_buttons()

    def browse(self) -> None:
        """Choose the file; the wizard stays on this page (the organisation may still need choosing)."""
        path = choose_file(self, last_folder() or str(Path(self.path_edit.text()).parent if self.path_edit.text()
                                                      else ""))
        if path:
            self.path_edit.setText(path)
            remember_folder(path)
            self.next_button.setFocus()

    # ------------------------------------------------------------ step 1: the file

    def load_file(self, path: str) -> bool:
        """Read and detect; show a clear message under the file field when the file cannot be used."""
        self.file_error.clear()
        if not path:
            self.file_error.setText(tr("Chọn một tệp danh sách."))
            return False
        if self.org_combo.currentData() is None:
            self.file_error.setText(tr("Chưa có tổ chức đảng nào: hãy thêm tổ chức trước khi nhập danh sách."))
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        reading = QProgressDialog(tr("Đang đọc tệp…"), tr("&Dừng"), 0, 0, self)
        reading.setWindowTitle(tr("Nhập danh sách học sinh"))
        reading.setWindowModality(Qt.WindowModality.WindowModal)
        reading.setMinimumDuration(400)

        def on_rows(count: int) -> bool:
            reading.setLabelText(tr("Đang đọc tệp… {n} dòng").format(n=f"{count:,}".replace(",", ".")))
            QApplication.processEvents()
            return not reading.wasCanceled()

        try:
            table = class_list.read_table(path, progress=on_rows)
            matches = class_list.detect_all(table)
        except class_list.ImportFileError as exc:
            self.file_error.setText(messages.text(exc.code, exc.params))
            return False
        except class_list.ReadCancelled:
            self.file_error.setText(tr("Đã dừng đọc tệp; chưa có gì được ghi."))
            return False
        finally:
            reading.reset()
            reading.deleteLater()
            QGuiApplication.restoreOverrideCursor()
        self.table = table
        self.auto = {m.sheet: m for m in matches}
        self.current = {}
        self.had_remembered = set()
        for m in matches:
            remembered = importer.remembered_mapping(m.signature)
            if remembered is not None:
                self.had_remembered.add(m.sheet)
                self.current[m.sheet] = m.with_fields(remembered)
            else:
                self.current[m.sheet] = m
        self.plan = None
        self.mapping.sheet_combo.blockSignals(True)
        self.mapping.sheet_combo.clear()
        for m in matches:
            self.mapping.sheet_combo.addItem(m.sheet, m.sheet)
        self.mapping.sheet_combo.blockSignals(False)
        self.mapping.sheet_combo.setEnabled(len(matches) > 1)
        self._show_mapping()
        return True

    # ------------------------------------------------------------ step 2: the columns

    def current_sheet(self) -> str:
        return str(self.mapping.sheet_combo.currentData() or "")

    def _examples(self, match: class_list.HeaderMatch, col: int) -> str:
        assert self.table is not None
        sheet = next(s for s in self.table.sheets if s.name == match.sheet)
        found: list[str] = []
        for r in range(match.first_data_row, min(len(sheet.rows), match.first_data_row + 40)):
            text = class_list.cell_text(sheet.cell(r, col))
            if text:
                found.append(text)
            if len(found) >= _EXAMPLE_ROWS // 2 + 1:
                break
        return "; ".join(found)

    def _show_mapping(self) -> None:
        page = self.mapping
        while page.grid.count():
            item = page.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        page.combos = []
        match = self.current.get(self.current_sheet())
        if match is None:
            return
        for col, text in enumerate((tr("Cột"), tr("Tiêu đề trong tệp"), tr("Ví dụ"), tr("Nhận là"))):
            lbl = QLabel(f"<b>{text}</b>")
            page.grid.addWidget(lbl, 0, col)
        by_col = match.field_of_column()
        self._loading_combos = True
        for col, label in enumerate(match.labels):
            row = col + 1
            page.grid.addWidget(QLabel(class_list.column_letter(col)), row, 0)
            page.grid.addWidget(QLabel(label), row, 1)
            example = QLabel(self._examples(match, col))
            example.setStyleSheet("color: #555;")
            page.grid.addWidget(example, row, 2)
            combo = QComboBox()
            combo.setObjectName(f"field_{col}")
            combo.addItem(im.field_name(""), "")
            for f in class_list.FIELDS:
                combo.addItem(im.field_name(f), f)
            combo.setCurrentIndex(max(0, combo.findData(by_col.get(col, ""))))
            combo.currentIndexChanged.connect(lambda _i, c=col: self._combo_changed(c))
            page.grid.addWidget(combo, row, 3)
            page.combos.append(combo)
        self._loading_combos = False
        page.grid.setRowStretch(len(match.labels) + 1, 1)
        self._show_mapping_info()

    def required_missing(self) -> list[str]:
        """Required groups (name, birth, gender) some sheet has no column for."""
        return [g for m in self.current.values() for g in m.missing]

    def _show_mapping_info(self, *, stop: bool = False) -> None:
        """What the page says about the columns, once for the file: a required one missing (in red when "Tiếp"
        was pressed), the optional ones missing (the students are imported with incomplete records)."""
        match = self.current.get(self.current_sheet())
        if match is None:
            return
        rows = ", ".join(str(r + 1) for r in match.header_rows)
        parts = [tr("Dòng tiêu đề: {rows}; dữ liệu từ dòng {first}.").format(rows=rows, first=match.first_data_row + 1)]
        if match.missing:
            parts.append(messages.text("import.columns_required_missing", {
                "columns": ", ".join(tr(im.GROUP_NAMES.get(g, g)) for g in match.missing)}))
        if match.missing_optional:
            parts.append(messages.text("import.columns_optional_missing", {
                "columns": tr(" và ").join(tr(im.GROUP_NAMES.get(g, g)) for g in match.missing_optional)}))
        if match.sheet in self.had_remembered:
            parts.append(tr("Đang dùng cách nhận cột đã lưu cho các tệp cùng dạng."))
        self.mapping.info.setText(" ".join(parts))
        self.mapping.info.setStyleSheet("color: #b00020;" if stop and match.missing else "")

    def _combo_changed(self, col: int) -> None:
        if self._loading_combos:
            return
        combos = self.mapping.combos
        chosen = combos[col].currentData()
        if chosen:
            # A field comes from one column only: the column that had it lets it go.
            self._loading_combos = True
            for other, combo in enumerate(combos):
                if other != col and combo.currentData() == chosen:
                    combo.setCurrentIndex(0)
            self._loading_combos = False
        self.set_mapping(self.current_sheet(), {c.currentData(): i for i, c in enumerate(combos) if c.currentData()})

    def set_mapping(self, sheet: str, fields: dict[str, int]) -> None:
        """Use ``fields`` (field -> column) for ``sheet`` instead of what was recognised."""
        self.current[sheet] = self.current[sheet].with_fields(fields)
        self.plan = None
        if sheet == self.current_sheet() and not self._loading_combos:
            by_col = self.current[sheet].field_of_column()
            self._loading_combos = True
            for i, combo in enumerate(self.mapping.combos):
                combo.setCurrentIndex(max(0, combo.findData(by_col.get(i, ""))))
            self._loading_combos = False
            self._show_mapping_info()

    def corrections(self) -> dict[str, dict[str, int]]:
        """Mappings to remember (signature -> fields): those the user changed, or that came from memory."""
        out: dict[str, dict[str, int]] = {}
        for sheet, match in self.current.items():
            auto = self.auto[sheet]
            if dict(match.fields) != dict(auto.fields) or sheet in self.had_remembered:
                out[auto.signature] = dict(match.fields)
        return out

    # ------------------------------------------------------------ step 3: preview

    def build_preview(self) -> None:
        assert self.table is not None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            rows = class_list.parse_rows(self.table, list(self.current.values()))
            self.plan = importing_ops.plan(rows, int(self.org_combo.currentData()))
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.model.set_rows(self.plan.rows)
        self.view.resizeColumnsToContents()
        c = self.plan.counts()
        self.summary.setText(
            tr("{total} dòng: {new} mới, {update} cập nhật, {unchanged} không đổi, {error} lỗi.").format(
                total=len(self.plan.rows), new=c["new"], update=c["update"], unchanged=c["unchanged"],
                error=c["error"]))
        if c["error"]:
            self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(importer.ERROR)))
        self.done_label.clear()

    # ------------------------------------------------------------ step 4: import

    def run_import(self) -> bool:
        """Write the valid rows in one transaction, with a cancellable progress dialog."""
        if self.plan is None or self.import_counts is not None:
            return False
        total = len(self.plan.to_write())
        progress = QProgressDialog(tr("Đang nhập {n} dòng…").format(n=total), tr("&Hủy"), 0, max(total, 1), self)
        progress.setWindowTitle(tr("Nhập danh sách học sinh"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def on_progress(done: int, _total: int) -> None:
            progress.setValue(done)
            QApplication.processEvents()

        try:
            changes = importing_ops.apply(self.plan, progress=on_progress, cancel=progress.wasCanceled,
                                          mappings=self.corrections())
            self.import_counts = changes.result
        except (Refused, StorageError) as exc:
            self.done_label.setText(problems_text(exc.problems) if isinstance(exc, Refused)
                                    else messages.text(exc.code, exc.params))
            return False
        except importer.ImportCancelled:
            self.done_label.setText(messages.text("import.cancelled"))
            return False
        except importer.ImportStale as exc:
            self.done_label.setText(messages.text(exc.code, exc.params))
            self.plan = None
            return False
        finally:
            progress.close()
            progress.deleteLater()
        announce(changes)
        r = self.import_counts
        self.done_label.setText(tr("Đã nhập: {new} mới, {updated} cập nhật; {unchanged} không đổi; {rejected} dòng "
                                   "lỗi không nhập.").format(**r))
        self._update_buttons()
        return True

    def save_error_report(self, path: str | Path | None = None) -> Path | None:
        """Save the rejected rows with their reasons (.xlsx) to send back to whoever made the file."""
        if self.plan is None or self.table is None:
            return None
        if path is None:
            suggested = str(Path(self.table.path).with_name(Path(self.table.path).stem + " - dòng lỗi.xlsx"))
            path = choose_save_path(self, suggested)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        data = build_error_report(self.plan, self.table, self.current)
        try:
            write_atomic(target, data)
        except ExportError as exc:
            self.done_label.setText(tr("Không lưu được {path}: {detail}").format(path=str(target),
                                                                                  detail=exc.params.get("detail", "")))
            return None
        self.done_label.setText(tr("Đã lưu báo cáo lỗi: {path}").format(path=str(target)))
        return target

    # ------------------------------------------------------------ running

    def reject(self) -> None:
        if self.import_counts is not None:
            self.accept()
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, path: str | Path | None = None,
            organisation_id: int | None = None) -> dict[str, int] | None:
        """Run the wizard; the counts of a finished import, or None when nothing was imported."""
        dialog = cls(parent, path=path, organisation_id=organisation_id)
        if path:
            dialog.go_next()
        dialog.exec()
        result = dialog.import_counts
        dialog.deleteLater()
        return result


def build_error_report(plan: importer.ImportPlan, table: class_list.Table,
                       matches: dict[str, class_list.HeaderMatch]) -> bytes:
    """The error report of a plan: the rejected rows as in the file, with worded reasons."""
    rejected = []
    for item in plan.rejected():
        src = item.source
        reasons = [f"{im.short_location(p)}: {im.problem_text(p, with_location=False)}" for p in item.problems]
        rejected.append(error_report.RejectedRow(src.sheet, src.row, reasons, list(src.raw)))
    headers = {name: list(m.labels) for name, m in matches.items()}
    title = tr("Các dòng chưa nhập được từ tệp {name}").format(name=Path(table.path).name)
    return error_report.build(rejected, headers=headers, title=title, row_label=tr("Dòng gốc"),
                              reason_label=tr("Lý do"))

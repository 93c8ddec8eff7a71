""""Nhập lịch sử kết nạp…": a school's past admissions from a spreadsheet, checked before anything is written.

The file (the template is offered by "Tải tệp mẫu…") is read, then checked row by row against the rules with a
dry run of the same operation the headless ``import-history`` runs; the table shows what each row would become
(new, steps added, unchanged, refused with every reason). "Nhập" runs it for real; the refused rows can be saved
as an error file to correct and import again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop import catalogue
from lamha_desktop.operations import Refused
from lamha_desktop.operations import history as history_ops
from lamha_desktop.readers import history
from lamha_desktop.readers.class_list import ImportFileError
from lamha_desktop.reports.files import ExportError, write_atomic
from lamha_desktop.storage import repo
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui import messages
from lamha_desktop.ui.changes import announce, problems_text
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_models import OVERDUE_COLOR, Column, RowsModel

STATUS_NAMES = {"new": "Học sinh mới", "updated": "Bổ sung bước", "unchanged": "Không đổi", "refused": "Bị từ chối"}
FOLDER_KEY = "import_history/folder"


def reasons_text(outcome: history_ops.RowOutcome) -> str:
    parts = []
    for p in outcome.reasons:
        params = dict(p.params)
        if "field" in params:
            params["field"] = catalogue.import_field_name(str(params["field"]))
        parts.append(messages.text(p.code, params).rstrip("."))
    return "; ".join(parts)


class HistoryImportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, organisation_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Nhập lịch sử kết nạp"))
        self.rows: list[history.HistoryRow] = []
        self.checked: history_ops.HistoryResult | None = None
        self.imported: history_ops.HistoryResult | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Mỗi dòng là một học sinh đã kết nạp (hoặc đang làm thủ tục) với ngày của từng bước; ô "
                          "trống là \u201cchưa có\u201d. Mỗi dòng được kiểm tra theo đúng quy định như khi ghi "
                          "tay; dòng vi phạm bị từ chối cả dòng, kèm lý do."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText(tr("Tệp Excel (.xlsx, .xls) hoặc CSV"))
        browse = QPushButton(tr("&Chọn tệp…"))
        browse.clicked.connect(self.choose_file)
        template = QPushButton(tr("Tải tệp &mẫu…"))
        template.clicked.connect(self.save_template)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        file_row.addWidget(template)
        form.addRow(tr("Tệp lịch sử:"), file_row)
        self.organisation = QComboBox()
        for o in repo.list_organisations(include_inactive=False):
            self.organisation.addItem(f"{o.code} — {o.name}", o.id)
        if organisation_id is not None:
            self.organisation.setCurrentIndex(max(0, self.organisation.findData(organisation_id)))
        form.addRow(tr("Tổ chức đả&ng:"), self.organisation)
        layout.addLayout(form)
        self.model: RowsModel[history_ops.RowOutcome] = RowsModel([
            Column(tr("Dòng"), lambda r: r.row, align_right=True),
            Column(tr("Họ và tên"), lambda r: r.name),
            Column(tr("Kết quả"), lambda r: tr(STATUS_NAMES.get(r.status, r.status)),
                   foreground=lambda r: OVERDUE_COLOR if r.status == "refused" else None),
            Column(tr("Lý do"), reasons_text, tooltip=lambda r: reasons_text(r) or None),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.check_button = buttons.addButton(tr("&Kiểm tra"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.addButton(tr("&Nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.errors_button = buttons.addButton(tr("Lưu danh sách &lỗi…"), QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("Đó&ng"))
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.errors_button.clicked.connect(self.save_errors)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.path.textChanged.connect(lambda _t: self._reset())
        self.organisation.currentIndexChanged.connect(lambda _i: self._reset())
        self._reset()
        self.resize(900, 560)

    # ------------------------------------------------------------ state

    def _reset(self) -> None:
        self.checked = None
        self.model.set_rows([])
        self.import_button.setEnabled(False)
        self.errors_button.setEnabled(False)
        self.check_button.setEnabled(bool(self.path.text().strip()) and self.organisation.currentData() is not None)

    def _show(self, result: history_ops.HistoryResult, line: str) -> None:
        self.model.set_rows(result.rows)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary.setText(line)
        self.errors_button.setEnabled(bool(result.refused))

    # ------------------------------------------------------------ actions

    def choose_file(self) -> None:
        folder = str(QSettings().value(FOLDER_KEY, str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp lịch sử kết nạp"), folder,
                                              tr("Bảng tính (*.xlsx *.xls *.csv)"))
        if name:
            QSettings().setValue(FOLDER_KEY, str(Path(name).parent))
            self.path.setText(name)

    def save_template(self) -> Path | None:
        folder = str(QSettings().value(FOLDER_KEY, str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(self, tr("Lưu tệp mẫu"), str(Path(folder) / "mau-lich-su-ket-nap.xlsx"),
                                              tr("Sổ làm việc Excel (*.xlsx)"))
        if not name:
            return None
        try:
            write_atomic(Path(name), history.template())
        except ExportError as exc:
            self.summary.setText(messages.text(exc.code, exc.params))
            return None
        self.summary.setText(messages.text("history.template", {"path": name}))
        return Path(name)

    def _run(self, *, dry_run: bool) -> history_ops.HistoryResult | None:
        path = Path(self.path.text().strip())
        try:
            self.rows = history.read_history(path)
        except ImportFileError as exc:
            self.summary.setText(messages.text(exc.code, exc.params))
            return None
        try:
            changes = history_ops.import_history(self.rows, int(self.organisation.currentData()), source=path.name,
                                                 dry_run=dry_run)
        except Refused as exc:
            self.summary.setText(problems_text(exc.problems))
            return None
        except StorageError as exc:
            self.summary.setText(messages.text(exc.code, exc.params))
            return None
        if not dry_run:
            announce(changes)
        result: history_ops.HistoryResult = changes.result
        counts = history_ops.outcome_counts(result)
        self._show(result, messages.text("history.dry_run" if dry_run else "history.done",
                                         {"path": path.name, **counts}))
        return result

    def check(self) -> history_ops.HistoryResult | None:
        self.checked = self._run(dry_run=True)
        landing = self.checked is not None and any(r.status in ("new", "updated") for r in self.checked.rows)
        self.import_button.setEnabled(landing)
        if self.checked is not None:
            self.import_button.setText(tr("&Nhập {n} dòng").format(
                n=sum(1 for r in self.checked.rows if r.status in ("new", "updated"))))
        return self.checked

    def run_import(self) -> history_ops.HistoryResult | None:
        self.imported = self._run(dry_run=False)
        self.import_button.setEnabled(False)
        return self.imported

    def save_errors(self) -> Path | None:
        from lamha_desktop.reports import error_report

        result = self.imported or self.checked
        if result is None or not result.refused:
            return None
        source = Path(self.path.text().strip())
        name, _ = QFileDialog.getSaveFileName(self, tr("Lưu danh sách lỗi"),
                                              str(source.with_name(source.stem + "-loi.xlsx")),
                                              tr("Sổ làm việc Excel (*.xlsx)"))
        if not name:
            return None
        by_row = {(r.sheet, r.row): r for r in self.rows}
        rejected = []
        for outcome in result.refused:
            src = by_row.get((outcome.sheet, outcome.row))
            cells: Sequence[object] = [src.values.get(key) for key, _t in history.COLUMNS] if src else []
            rejected.append(error_report.RejectedRow(outcome.sheet, outcome.row, [reasons_text(outcome)], cells))
        data = error_report.build(rejected, headers={r.sheet: [t for _k, t in history.COLUMNS] for r in rejected},
                                  title=source.name)
        try:
            write_atomic(Path(name), data)
        except ExportError as exc:
            self.summary.setText(messages.text(exc.code, exc.params))
            return None
        return Path(name)

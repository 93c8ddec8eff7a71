"""Settings: the age reading, days off, reporting periods, the plan's start and number, signatures, committees,
backups, and the documents (the folder of the user's own templates, "Kiểm tra mẫu", the margins). The place of
the reports is each organisation's (first-run setup, the organisation's dialog)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.domain import calendar
from lamha_desktop.operations import settings as settings_ops
from lamha_desktop.storage import repo, settings
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_fit import ColumnFitter
from lamha_desktop.ui.table_models import Column, RowsModel
from lamha_desktop.ui.widgets import DateField, FormDialog, fitting_size


def _md_to_text(md: str) -> str:
    month, day = md.split("-")
    return f"{day}/{month}"


def _text_to_md(text: str) -> str | None:
    try:
        day, month = (int(p) for p in text.strip().split("/"))
        dt.date(2024, month, day)  # a leap year accepts 29/02
    except ValueError:
        return None
    return f"{month:02d}-{day:02d}"


class SettingsDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Thiết lập"), parent)
        values = settings.all_settings()
        self.by_month = QRadioButton(tr("Tính theo tháng (đủ tuổi từ ngày 1 của tháng sinh) — mặc định"))
        self.by_birthday = QRadioButton(tr("Tính theo ngày sinh nhật"))
        group = QButtonGroup(self)
        group.addButton(self.by_month)
        group.addButton(self.by_birthday)
        (self.by_month if values["age_by_month"] else self.by_birthday).setChecked(True)
        age = QWidget()
        v = QVBoxLayout(age)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.by_month)
        v.addWidget(self.by_birthday)
        self.add_field("age_by_month", tr("Cách tính tuổi 18:"), age)
        self.plan_start = self.add_field("plan_start", tr("Ngày bắt đầu &kế hoạch:"),
                                         DateField(settings.get_date("plan_start")))
        self.plan_number = self.add_field("plan_number", tr("Số kế &hoạch (căn cứ tính lũy kế):"),
                                          QLineEdit(str(values.get("plan_number") or "")))
        self.plan_number.setPlaceholderText(tr("ví dụ: 88-KH/HU"))
        self.h1_start = self.add_field("h1_start", tr("Kỳ 6 tháng đầu năm &từ (ngày/tháng):"),
                                       QLineEdit(_md_to_text(values["h1_start"])))
        self.h1_end = self.add_field("h1_end", tr("… đến (ngày/tháng):"), QLineEdit(_md_to_text(values["h1_end"])))
        self.report_number = self.add_field("report_number", tr("Số &báo cáo:"), QLineEdit(values["report_number"]))
        self.signer_role = QPlainTextEdit(values["signer_role"])
        self.signer_role.setFixedHeight(48)
        self.signer_role.setTabChangesFocus(True)
        self.add_field("signer_role", tr("Chức vụ người &ký:"), self.signer_role)
        self.signer_name = self.add_field("signer_name", tr("Họ tên người ký:"), QLineEdit(values["signer_name"]))
        self.signer_name.setPlaceholderText(tr("để trống: bí thư của tổ chức đảng"))
        self.due_months = QSpinBox()
        self.due_months.setRange(1, 24)
        self.due_months.setValue(int(values["due_months_ahead"]))
        self.add_field("due_months_ahead", tr("Báo trước sắp đủ 18 tuổi (tháng):"), self.due_months)
        self.keep_daily = QSpinBox()
        self.keep_daily.setRange(1, 365)
        self.keep_daily.setValue(int(values["backup_keep_daily"]))
        self.add_field("backup_keep_daily", tr("Giữ số bản sao lưu hằng ngày:"), self.keep_daily)
        self.keep_weekly = QSpinBox()
        self.keep_weekly.setRange(1, 520)
        self.keep_weekly.setValue(int(values["backup_keep_weekly"]))
        self.add_field("backup_keep_weekly", tr("… và mỗi tuần một bản, trong (tuần):"), self.keep_weekly)
        self.keep_monthly = QSpinBox()
        self.keep_monthly.setRange(1, 240)
        self.keep_monthly.setValue(int(values["backup_keep_monthly"]))
        self.add_field("backup_keep_monthly", tr("… và mỗi tháng một bản, trong (tháng):"), self.keep_monthly)
        self.keep_pre = QSpinBox()
        self.keep_pre.setRange(1, 3650)
        self.keep_pre.setValue(int(values["backup_keep_premigration_days"]))
        self.add_field("backup_keep_premigration_days", tr("Giữ bản sao trước nâng cấp (ngày):"), self.keep_pre)
        # Days off the holidays package does not know, and substituted working days.
        box = QGroupBox(tr("Ngày nghỉ thêm và ngày làm bù"))
        bv = QVBoxLayout(box)
        self.days: RowsModel[repo.DayOffRow] = RowsModel([
            Column(tr("Ngày"), lambda d: messages.fmt_date(d.day)),
            Column(tr("Loại"), lambda d: tr("Làm bù (không nghỉ)") if d.working else tr("Nghỉ")),
            Column(tr("Ghi chú"), lambda d: d.note, stretch=True),
        ], self)
        self.days.set_rows(repo.list_days_off())
        self.days_view = QTableView()
        self.days_view.setModel(self.days)
        self.days_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days_view.setMinimumHeight(110)
        self.days_fitter = ColumnFitter(self.days_view)
        self.days_fitter.watch_model()
        box.setMinimumWidth(360)
        bv.addWidget(self.days_view)
        row = QHBoxLayout()
        self.new_day = DateField()
        self.new_working = QCheckBox(tr("làm bù"))
        self.new_note = QLineEdit()
        self.new_note.setPlaceholderText(tr("ghi chú"))
        add = QPushButton(tr("Thêm &ngày"))
        add.clicked.connect(self.add_day)
        remove = QPushButton(tr("Bỏ ngày đã chọn"))
        remove.clicked.connect(self.remove_day)
        row.addWidget(self.new_day)
        row.addWidget(self.new_working)
        row.addWidget(self.new_note, 1)
        bv.addLayout(row)
        buttons_row = QHBoxLayout()
        buttons_row.addStretch(1)
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        bv.addLayout(buttons_row)
        # The days off beside the form, not under it: one above the other the dialog was taller than a 1366×768
        # laptop screen at 125 % (614 pixels).
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeItem(self.form)
        self.form.setParent(None)  # type: ignore[call-overload]
        beside = QHBoxLayout()
        beside.addLayout(self.form, 3)
        right = QVBoxLayout()
        right.addWidget(box, 1)
        right.addWidget(self._documents_box(values))
        beside.addLayout(right, 2)
        outer.insertLayout(0, beside)
        extra = QHBoxLayout()
        committees = QPushButton(tr("Cấp ủy cấp &trên…"))
        committees.clicked.connect(self.manage_committees)
        extra.addWidget(committees)
        self.first_run = QPushButton(tr("Thiết lập &ban đầu…"))
        self.first_run.clicked.connect(self.open_first_run)
        extra.addWidget(self.first_run)
        extra.addStretch(1)
        outer.insertLayout(1, extra)
        self.resize(*fitting_size(self, 980, self.sizeHint().height()))

    def _documents_box(self, values: dict[str, Any]) -> QGroupBox:
        """The documents: the folder of the user's own templates, "Kiểm tra mẫu", and the margins."""
        box = QGroupBox(tr("Văn bản (nghị quyết, biên bản…)"))
        form = QFormLayout(box)
        row = QHBoxLayout()
        self.templates = QLineEdit(str(values.get("document_templates") or ""))
        self.templates.setPlaceholderText(tr("(để trống: dùng mẫu có sẵn)"))
        row.addWidget(self.templates, 1)
        choose = QPushButton(tr("Chọn…"))
        choose.clicked.connect(self.choose_templates)
        row.addWidget(choose)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.add_field("document_templates", tr("Thư mục mẫu riêng:"), holder, form=form)
        # Under the folder, not beside it: the box sits in the dialog's narrower right-hand column.
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        copy = QPushButton(tr("Chép mẫu có sẵn vào…"))
        copy.setToolTip(tr("Chép các mẫu có sẵn vào thư mục để sửa bằng Word (không ghi đè tệp đã có)"))
        copy.clicked.connect(self.copy_templates)
        actions.addWidget(copy)
        check = QPushButton(tr("&Kiểm tra mẫu…"))
        check.clicked.connect(self.check_templates)
        actions.addWidget(check)
        actions.addStretch(1)
        form.addRow(actions)
        margins = QGridLayout()  # two by two: top and bottom, left and right
        margins.setContentsMargins(0, 0, 0, 0)
        self.margins: list[QDoubleSpinBox] = []
        current = values.get("document_margins") or [20, 20, 30, 15]
        for i, (label, value) in enumerate(zip((tr("trên"), tr("dưới"), tr("trái"), tr("phải")), current,
                                               strict=False)):
            spin = QDoubleSpinBox()
            spin.setRange(0, 60)
            spin.setDecimals(0)
            spin.setSuffix(" mm")
            spin.setValue(float(value))
            margins.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            margins.addWidget(spin, i // 2, (i % 2) * 2 + 1)
            self.margins.append(spin)
        margins.setColumnStretch(4, 1)
        holder2 = QWidget()
        holder2.setLayout(margins)
        self.add_field("document_margins", tr("Lề trang:"), holder2, form=form)
        return box

    def templates_folder(self) -> Path | None:
        text = self.templates.text().strip()
        return Path(text) if text else None

    def choose_templates(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Thư mục mẫu văn bản riêng"), self.templates.text())
        if folder:
            self.templates.setText(folder)

    def copy_templates(self) -> None:
        from lamha_desktop.ui.documents import copy_builtin_templates

        folder = self.templates_folder()
        if folder is None:
            self.choose_templates()
            folder = self.templates_folder()
        if folder is None:
            return
        try:
            copied = copy_builtin_templates(folder)
        except OSError as exc:
            self.show_errors([("document_templates", tr("Không chép được vào {f}: {e}").format(f=folder, e=exc))])
            return
        self.clear_errors()
        self.show_warnings_text(tr("Đã chép {n} mẫu vào {f}.").format(n=len(copied), f=folder))

    def show_warnings_text(self, text: str) -> None:
        self.general_error.setStyleSheet("color: #1b5e20;")
        self.general_error.setText(text)
        self.general_error.show()

    def check_templates(self) -> None:
        from lamha_desktop.ui.documents import TemplateCheckDialog

        TemplateCheckDialog(self.templates_folder(), self).exec()

    def add_day(self) -> None:
        self.clear_errors()
        try:
            day = self.new_day.date()
        except ValueError:
            self.show_errors([("", messages.text("date.invalid"))])
            return
        if day is None:
            return
        working = self.new_working.isChecked()
        # The calendar before the list's own make-up days: a day already listed may change its kind.
        before = frozenset(repo.holiday_set([day.year])) | {d.day for d in self.days.rows}
        problem = calendar.day_entry_problem(day, working=working, days_off=before)
        if problem is not None:  # it would change no deadline: say why instead of listing it
            self.show_errors([("", messages.text(problem, {"day": day}))])
            return
        rows = [d for d in self.days.rows if d.day != day]
        rows.append(repo.DayOffRow(day, working, self.new_note.text().strip()))
        self.days.set_rows(sorted(rows, key=lambda d: d.day))
        self.new_day.clear()
        self.new_note.clear()

    def remove_day(self) -> None:
        row = self.days.row_at(self.days_view.currentIndex().row())
        if row is not None:
            self.days.set_rows([d for d in self.days.rows if d is not row])

    def manage_committees(self) -> None:
        from lamha_desktop.ui.organisations.dialogs import CommitteesDialog

        CommitteesDialog(self).exec()

    def open_first_run(self) -> None:
        from lamha_desktop.ui.first_run import open_first_run

        open_first_run(self.parent())

    def values(self, problems: list[tuple[str, str]]) -> dict[str, Any]:
        plan_start = self.read_date("plan_start", problems)
        if plan_start is None and not problems:
            problems.append(("plan_start", messages.text("date.required")))
        h1_start, h1_end = _text_to_md(self.h1_start.text()), _text_to_md(self.h1_end.text())
        if h1_start is None:
            problems.append(("h1_start", tr("Nhập ngày/tháng, ví dụ 15/12.")))
        if h1_end is None:
            problems.append(("h1_end", tr("Nhập ngày/tháng, ví dụ 14/06.")))
        return {
            "age_by_month": self.by_month.isChecked(),
            "plan_start": plan_start.isoformat() if plan_start else None,
            "h1_start": h1_start, "h1_end": h1_end,
            "plan_number": self.plan_number.text().strip(), "report_number": self.report_number.text().strip(),
            "signer_role": self.signer_role.toPlainText().strip(), "signer_name": self.signer_name.text().strip(),
            "due_months_ahead": self.due_months.value(), "backup_keep_daily": self.keep_daily.value(),
            "backup_keep_weekly": self.keep_weekly.value(), "backup_keep_monthly": self.keep_monthly.value(),
            "backup_keep_premigration_days": self.keep_pre.value(),
            "document_templates": self.templates.text().strip(),
            "document_margins": [int(m.value()) for m in self.margins],
        }

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        values = self.values(problems)
        if problems:
            self.show_errors(problems)
            return
        if self.try_save(problems, lambda: settings_ops.save(values, self.days.rows)) is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> bool:
        return cls(parent).exec() == QDialog.DialogCode.Accepted

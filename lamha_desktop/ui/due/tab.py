"""The "Việc cần làm" tab: every due or overdue step for a chosen "today"; a row opens the candidate, and
"Ghi bước tiếp theo…" opens the dialog of the student's next step ("Bước tiếp theo") directly."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

from lamha_desktop.operations import OpChanges
from lamha_desktop.storage import due, repo, settings
from lamha_desktop.ui import messages
from lamha_desktop.ui.candidates import guide_view
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.tab_base import TableTab
from lamha_desktop.ui.table_models import OVERDUE_COLOR, Column, RowsModel
from lamha_desktop.ui.widgets import DateField

# Items that warn rather than fall due: their date (here the day the student turns 18, after graduating) may
# be past without anything being late.
NOTICE_KINDS = frozenset({"turns_18_after_graduation"})


def status_text(row: due.DueRow) -> str:
    """The "Tình trạng" cell: late, a warning to heed, or coming."""
    if row.overdue:
        return tr("QUÁ HẠN")
    return tr("Lưu ý") if row.kind in NOTICE_KINDS else tr("Sắp đến")


def due_columns() -> list[Column[due.DueRow]]:
    def red(r: due.DueRow) -> object:
        return OVERDUE_COLOR if r.overdue else None

    return [
        Column(tr("Hạn"), lambda r: messages.fmt_date(r.due), foreground=red),
        Column(tr("Tình trạng"), status_text, foreground=red),
        Column(tr("Việc"), lambda r: tr(messages.DUE_NAMES.get(r.kind, r.kind)), foreground=red, stretch=True),
        Column(tr("Họ và tên"), lambda r: r.full_name, stretch=True),
        Column(tr("Lớp"), lambda r: r.class_name),
        Column(tr("Tổ chức"), lambda r: r.organisation_code),
        Column(tr("Giai đoạn"), lambda r: tr(messages.stage_name(r.stage))),
        Column(tr("Bước tiếp theo"), lambda r: guide_view.short_text(r.next_steps),
               tooltip=lambda r: guide_view.tooltip_text(r.next_steps) or None),
    ]


class DueTab(TableTab):
    overdue_count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.model: RowsModel[due.DueRow] = RowsModel(due_columns(), self)
        self.view.setModel(self.model)
        self.today = DateField(today or dt.date.today())
        self.today.setMaximumWidth(120)
        self.today.editingFinished.connect(self.refresh)
        self.months = QSpinBox()
        self.months.setRange(1, 24)
        self.months.setValue(int(settings.get("due_months_ahead") or 3))
        self.months.setSuffix(tr(" tháng"))
        self.months.valueChanged.connect(lambda _v: self.refresh())
        self.org_filter = QComboBox()
        self.org_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.controls.addWidget(QLabel(tr("Tính đến ngày:")))
        self.controls.addWidget(self.today)
        self.controls.addWidget(QLabel(tr("Sắp đủ 18 tuổi trong:")))
        self.controls.addWidget(self.months)
        self.controls.addWidget(QLabel(tr("Tổ chức:")))
        self.controls.addWidget(self.org_filter)
        self.add_button(tr("&Mở hồ sơ…"), self.edit, tooltip=tr("Enter"))
        self.next_button = self.add_button(tr("&Ghi bước tiếp theo…"), self.record_next,
                                           tooltip=tr("Mở ngay hộp ghi bước tiếp theo của học sinh đã chọn"))
        self.controls.addStretch(1)
        self.summary = QLabel()
        self.controls.addWidget(self.summary)
        self.overdue = 0
        self._stale = True
        self._reload_orgs()
        self.refresh()

    def _reload_orgs(self) -> None:
        self.org_filter.blockSignals(True)
        current = self.org_filter.currentData()
        self.org_filter.clear()
        self.org_filter.addItem(tr("Tất cả"), None)
        for o in repo.list_organisations(include_inactive=False):
            self.org_filter.addItem(o.code, o.id)
        self.org_filter.setCurrentIndex(max(0, self.org_filter.findData(current)))
        self.org_filter.blockSignals(False)

    def reference_date(self) -> dt.date:
        try:
            return self.today.date() or dt.date.today()
        except ValueError:
            self.today.set_date(dt.date.today())
            return dt.date.today()

    def refresh(self) -> None:
        """While the tab is hidden only the overdue count is kept current (it needs only the candidates who
        can be overdue); the whole list is computed when the tab is shown."""
        if self.isVisible():
            self.load()
            return
        self._stale = True
        self.overdue = len(due.list_due(self.reference_date(), overdue_only=True))
        self.overdue_count_changed.emit(self.overdue)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        self._stale = False
        self._reload_orgs()
        rows = due.list_due(self.reference_date(), months_ahead=self.months.value(),
                            organisation_id=self.org_filter.currentData())
        self.model.set_rows(rows)
        self.fit_columns()
        self.overdue = sum(1 for r in rows if r.overdue)
        self.summary.setText(tr("{n} việc, {o} quá hạn").format(n=len(rows), o=self.overdue))
        self.overdue_count_changed.emit(self.overdue)

    def edit(self) -> None:
        from lamha_desktop.ui.candidates.detail import CandidateDetailDialog

        row = self.model.row_at(self.current_row())
        if row is None:
            return
        CandidateDetailDialog.ask(self, row.candidate_id, undo_stack=self.undo_stack)

    def record_next(self) -> None:
        from lamha_desktop.ui.candidates.detail import open_step

        row = self.model.row_at(self.current_row())
        if row is None or not row.next_steps:
            return
        open_step(self, row.candidate_id, row.next_steps[0], row.next_steps)

    def wants(self, changes: OpChanges) -> bool:
        return changes.touches_due()

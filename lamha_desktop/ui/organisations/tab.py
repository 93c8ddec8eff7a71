"""The "Tổ chức đảng" tab: school party organisations."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QWidget

from lamha_desktop.operations import OpChanges, organisations
from lamha_desktop.storage import due, repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.changes import run
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.organisations.dialogs import CommitteesDialog, OrganisationDialog
from lamha_desktop.ui.tab_base import TableTab
from lamha_desktop.ui.table_models import MUTED_COLOR, OVERDUE_COLOR, Column, RowsModel
from lamha_desktop.ui.widgets import confirm


def organisation_columns(admitted: dict[int, int], year: int) -> list[Column[repo.OrgRow]]:
    """``admitted`` maps organisation ids to the students admitted in ``year`` (filled on refresh)."""

    def muted(o: repo.OrgRow) -> object:
        return None if o.active else MUTED_COLOR

    def target(o: repo.OrgRow) -> object:
        if not o.active:
            return MUTED_COLOR
        return OVERDUE_COLOR if admitted.get(o.id, 0) < o.annual_target else None

    return [
        Column(tr("Mã"), lambda o: o.code, foreground=muted),
        Column(tr("Trường"), lambda o: o.school_name, foreground=muted, stretch=True),
        Column(tr("Tổ chức đảng"), lambda o: o.name, foreground=muted, stretch=True),
        Column(tr("Loại hình"), lambda o: tr(messages.ORG_KIND_NAMES.get(o.kind, o.kind)), foreground=muted),
        Column(tr("ĐV chính thức"), lambda o: o.official_members, align_right=True, foreground=muted,
               header_tip=tr("Số đảng viên chính thức")),
        Column(tr("Bí thư"), lambda o: o.secretary, foreground=muted, stretch=True),
        Column(tr("Chỉ tiêu"), lambda o: o.annual_target, align_right=True, foreground=muted,
               header_tip=tr("Chỉ tiêu kết nạp mỗi năm")),
        Column(tr("Kết nạp {y}").format(y=year), lambda o: admitted.get(o.id, 0), align_right=True,
               foreground=target, header_tip=tr("Số học sinh đã kết nạp trong năm {y}").format(y=year)),
        Column(tr("Đạt {y}").format(y=year), lambda o: tr("Đạt") if admitted.get(o.id, 0) >= o.annual_target
               else tr("Chưa đạt"), foreground=target,
               header_tip=tr("Đã đạt chỉ tiêu kết nạp năm {y} hay chưa").format(y=year)),
        Column(tr("Quần chúng"), lambda o: o.candidates, align_right=True, foreground=muted,
               header_tip=tr("Số quần chúng (học sinh) của tổ chức")),
        Column(tr("Địa danh"), lambda o: o.place, foreground=muted,
               header_tip=tr("Địa danh ở dòng ngày tháng của văn bản (trống: của cấp ủy cấp trên)")),
        Column(tr("Cấp ủy cấp trên"), lambda o: o.upper_committee_name, foreground=muted, stretch=True),
        Column(tr("Trạng thái"), lambda o: tr("Hoạt động") if o.active else tr("Ngừng hoạt động"),
               foreground=muted),
    ]


class OrganisationsTab(TableTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = dt.date.today().year
        self.admitted: dict[int, int] = {}
        self.model: RowsModel[repo.OrgRow] = RowsModel(organisation_columns(self.admitted, self.year), self)
        self.view.setModel(self.model)
        self.add_button(tr("&Thêm tổ chức…"), self.add, tooltip=tr("Thêm tổ chức đảng (Ctrl+N)"))
        self.add_button(tr("&Sửa…"), self.edit, tooltip=tr("Sửa tổ chức đang chọn (Enter)"))
        self.toggle_button = self.add_button(tr("Ngừng &hoạt động"), self.remove,
                                             tooltip=tr("Ngừng/khôi phục hoạt động của tổ chức (Delete)"))
        self.add_button(tr("Cấp ủy cấp &trên…"), self.manage_committees)
        self.controls.addStretch(1)
        self.show_inactive = QCheckBox(tr("Hiện cả tổ chức đã ngừng hoạt động"))
        self.show_inactive.setChecked(True)
        self.show_inactive.toggled.connect(lambda _b: self.refresh())
        self.controls.addWidget(self.show_inactive)
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_buttons())
        self.refresh()

    def refresh(self) -> None:
        current = self.model.row_at(self.current_row())
        self.admitted.clear()
        self.admitted.update({t.organisation_id: t.admitted for t in due.targets(self.year)})
        self.model.set_rows(repo.list_organisations(include_inactive=self.show_inactive.isChecked(), with_counts=True))
        self.fit_columns()
        if current is not None:
            self.select_id(current.id)
        self._update_buttons()

    def select_id(self, org_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == org_id:
                self.view.selectRow(i)
                return

    def _update_buttons(self) -> None:
        row = self.model.row_at(self.current_row())
        self.toggle_button.setEnabled(row is not None)
        self.toggle_button.setText(tr("Khôi phục &hoạt động") if row and not row.active else tr("Ngừng &hoạt động"))

    def wants(self, changes: OpChanges) -> bool:
        return changes.touches_organisations()

    def add(self) -> None:
        self.show_added(OrganisationDialog.ask(self), tr("Đã thêm tổ chức đảng."))

    def edit(self) -> None:
        row = self.model.row_at(self.current_row())
        if row is None:
            return
        if OrganisationDialog.ask(self, row.id) is not None:
            self.select_id(row.id)
            self.status_message.emit(tr("Đã lưu tổ chức {code}.").format(code=row.code))

    def remove(self) -> None:
        row = self.model.row_at(self.current_row())
        if row is None:
            return
        if row.active and not confirm(
                self, tr("Ngừng hoạt động"),
                tr("Ngừng hoạt động tổ chức {name}? Dữ liệu được giữ nguyên và có thể khôi phục.").format(
                    name=row.name)):
            return
        if run(self, lambda: organisations.set_active(row.id, not row.active), title=tr("Ngừng hoạt động")):
            self.status_message.emit(tr("Đã cập nhật trạng thái của {code}.").format(code=row.code))

    def manage_committees(self) -> None:
        CommitteesDialog(self).exec()
        self.refresh()

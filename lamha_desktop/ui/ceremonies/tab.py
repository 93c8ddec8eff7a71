"""The "Lễ kết nạp" tab: admission ceremonies, with the 30-working-day deadline and late ones flagged."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from lamha_desktop.operations import OpChanges, ceremonies
from lamha_desktop.storage import repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog
from lamha_desktop.ui.changes import run
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.tab_base import TableTab
from lamha_desktop.ui.table_models import OVERDUE_COLOR, Column, RowsModel
from lamha_desktop.ui.widgets import confirm


def ceremony_columns() -> list[Column[repo.CeremonyRow]]:
    def late(r: repo.CeremonyRow) -> object:
        return OVERDUE_COLOR if r.late else None

    return [
        Column(tr("Ngày lễ"), lambda r: messages.fmt_date(r.on)),
        Column(tr("Tổ chức"), lambda r: r.organisation_code),
        Column(tr("Địa điểm"), lambda r: r.place),
        Column(tr("Số quyết định"), lambda r: r.decision_no),
        Column(tr("Ngày quyết định"), lambda r: messages.fmt_date(r.decision_date)),
        Column(tr("Ngày nhận QĐ"), lambda r: messages.fmt_date(r.decision_received)),
        Column(tr("Hạn tổ chức"), lambda r: messages.fmt_date(r.deadline), foreground=late),
        Column(tr("Đúng hạn"), lambda r: tr("Trễ hạn") if r.late else (tr("Đúng hạn") if r.deadline else ""),
               foreground=late),
        Column(tr("Số người"), lambda r: len(r.candidate_ids), align_right=True),
        Column(tr("Quần chúng được kết nạp"), lambda r: ", ".join(r.candidate_names)),
    ]


class CeremoniesTab(TableTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowsModel[repo.CeremonyRow] = RowsModel(ceremony_columns(), self)
        self.view.setModel(self.model)
        self.add_button(tr("&Thêm lễ kết nạp…"), self.add, tooltip=tr("Ctrl+N"))
        self.add_button(tr("&Sửa…"), self.edit, tooltip=tr("Enter"))
        self.add_button(tr("&Xóa…"), self.remove, tooltip=tr("Delete"))
        self.controls.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(repo.list_ceremonies())
        self.fit_columns()

    def select_id(self, ceremony_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == ceremony_id:
                self.view.selectRow(i)
                return

    def add(self) -> None:
        if not repo.list_organisations(include_inactive=False):
            QMessageBox.information(self, tr("Lễ kết nạp"), tr("Hãy thêm tổ chức đảng trước."))
            return
        self.show_added(CeremonyDialog.ask(self), tr("Đã thêm lễ kết nạp."))

    def wants(self, changes: OpChanges) -> bool:
        return changes.touches_ceremonies()

    def edit(self) -> None:
        row = self.model.row_at(self.current_row())
        if row is None:
            return
        if CeremonyDialog.ask(self, row.id) is not None:
            self.select_id(row.id)
            self.status_message.emit(tr("Đã lưu lễ kết nạp."))

    def remove(self) -> None:
        row = self.model.row_at(self.current_row())
        if row is None:
            return
        if confirm(
            self, tr("Xóa lễ kết nạp"),
            tr("Xóa lễ kết nạp ngày {d}? Các quần chúng trong lễ sẽ trở lại bước chờ kết nạp.").format(
                d=messages.fmt_date(row.on))) and run(self, lambda: ceremonies.delete(row.id),
                                                      title=tr("Xóa lễ kết nạp")):
            self.status_message.emit(tr("Đã xóa lễ kết nạp."))

"""Dialogs of the organisations tab: an organisation, and the list of upper committees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.operations import organisations
from lamha_desktop.storage import repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_models import Column, RowsModel
from lamha_desktop.ui.widgets import DateField, FormDialog


class OrganisationDialog(FormDialog):
    """Add or edit one school party organisation; saves through the repository."""

    def __init__(self, org_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Sửa tổ chức đảng") if org_id else tr("Thêm tổ chức đảng"), parent)
        self.org_id = org_id
        self.saved_id: int | None = None
        self.code = self.add_field("code", tr("&Mã viết tắt:"), QLineEdit())
        self.code.setPlaceholderText(tr("ví dụ: LQD (dùng trong tên tệp)"))
        self.school_name = self.add_field("school_name", tr("&Trường:"), QLineEdit())
        self.school_name.setPlaceholderText(tr("Trường THPT …"))
        self.name = self.add_field("name", tr("Tên tổ chức đả&ng:"), QLineEdit())
        self.name.setPlaceholderText(tr("Chi bộ Trường THPT … / Đảng bộ Trường THPT …"))
        self.place = self.add_field("place", tr("Địa &danh trên văn bản:"), QLineEdit())
        self.place.setPlaceholderText(tr("ví dụ: Nam Ban (để trống: địa danh của cấp ủy cấp trên)"))
        self.kind = QComboBox()
        for key, label in messages.ORG_KIND_NAMES.items():
            self.kind.addItem(tr(label), key)
        self.kind.setCurrentIndex(1)
        self.add_field("kind", tr("&Loại hình:"), self.kind)
        self.members = QSpinBox()
        self.members.setRange(0, 10000)
        self.members.setValue(3)
        self.add_field("official_members", tr("Số đảng viên &chính thức:"), self.members)
        # In an existing organisation a new number is a dated record: votes are judged against the number in
        # force on their date.
        self.members_from = DateField(dt.date.today())
        self.members_reason = QLineEdit()
        self.members_reason.setPlaceholderText(tr("ví dụ: kết nạp mới, chuyển đến, chuyển đi"))
        if org_id is not None:
            self.add_field("members_from", tr("Số mới áp dụng từ ngày:"), self.members_from)
            self.add_field("members_reason", tr("Lý do thay đổi số đảng viên:"), self.members_reason)
            self.members.valueChanged.connect(lambda _v: self._update_members_fields())
        self.secretary = self.add_field("secretary", tr("&Bí thư (ký báo cáo):"), QLineEdit())
        self.target = QSpinBox()
        self.target.setRange(0, 1000)
        self.target.setValue(1)
        self.add_field("annual_target", tr("Chỉ tiêu kết nạp mỗi &năm:"), self.target)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        self.committee = QComboBox()
        self.manage = QPushButton(tr("Danh sách cấp ủy…"))
        self.manage.clicked.connect(self._manage_committees)
        h.addWidget(self.committee, 1)
        h.addWidget(self.manage)
        self.add_field("upper_committee_id", tr("Cấp ủy cấp &trên:"), row)
        self._load_committees()
        if org_id is not None:
            self._load(repo.get_organisation(org_id))
            self._stored_members = self.members.value()
            self._update_members_fields()
        self.resize(560, self.sizeHint().height())
        if org_id is not None:
            self.add_history_button("organisation", org_id)

    def _update_members_fields(self) -> None:
        changed = self.members.value() != getattr(self, "_stored_members", self.members.value())
        self.members_from.setEnabled(changed)
        self.members_reason.setEnabled(changed)

    def _load_committees(self, select: int | None = None) -> None:
        current = select if select is not None else self.committee.currentData()
        self.committee.clear()
        self.committee.addItem(tr("(chưa chọn)"), None)
        for c in repo.list_committees():
            until = f" — {tr('đến')} {messages.fmt_date(c.valid_to)}" if c.valid_to else ""
            self.committee.addItem(c.name + until, c.id)
        if current is None:  # a new organisation answers to the committee in force today
            in_force = repo.committee_in_force(dt.date.today())
            current = in_force.id if in_force is not None else None
        idx = self.committee.findData(current)
        self.committee.setCurrentIndex(idx if idx >= 0 else 0)

    def _load(self, o: repo.OrgRow) -> None:
        self.code.setText(o.code)
        self.school_name.setText(o.school_name)
        self.name.setText(o.name)
        self.place.setText(o.place)
        self.kind.setCurrentIndex(max(0, self.kind.findData(o.kind)))
        self.members.setValue(o.official_members)
        self.secretary.setText(o.secretary)
        self.target.setValue(o.annual_target)
        self._load_committees(o.upper_committee_id)

    def _manage_committees(self) -> None:
        CommitteesDialog(self).exec()
        self._load_committees()

    def values(self) -> dict[str, Any]:
        return {
            "code": self.code.text(), "school_name": self.school_name.text(), "name": self.name.text(),
            "kind": self.kind.currentData(), "official_members": self.members.value(),
            "secretary": self.secretary.text(), "annual_target": self.target.value(),
            "upper_committee_id": self.committee.currentData(), "place": self.place.text(),
        }

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        values = self.values()
        if self.org_id is None:
            saved = self.try_save(problems, lambda: organisations.create(values))
        else:
            org_id = self.org_id
            members_from = self.read_date("members_from", problems)
            reason = self.members_reason.text()
            saved = self.try_save(problems, lambda: organisations.edit(
                org_id, values, members_from=members_from, members_reason=reason))
        if saved is not None:
            self.saved_id = saved.created_id or self.org_id
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, org_id: int | None = None) -> int | None:
        dlg = cls(org_id, parent)
        return dlg.saved_id if dlg.exec() == QDialog.DialogCode.Accepted else None


class CommitteeDialog(FormDialog):
    def __init__(self, committee: repo.CommitteeRow | None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Cấp ủy cấp trên"), parent)
        self.committee = committee
        self.name = self.add_field("name", tr("&Tên cấp ủy:"), QLineEdit(committee.name if committee else ""))
        self.place = self.add_field("place", tr("Địa &danh (dòng ngày tháng):"),
                                    QLineEdit(committee.place if committee else ""))
        self.place.setPlaceholderText(tr("dùng khi tổ chức đảng không ghi địa danh riêng"))
        self.valid_from = self.add_field("valid_from", tr("Hiệu lực &từ ngày:"),
                                         DateField(committee.valid_from if committee else None))
        self.valid_to = self.add_field("valid_to", tr("Hiệu lực đế&n ngày:"),
                                       DateField(committee.valid_to if committee else None))

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        vf = self.read_date("valid_from", problems)
        vt = self.read_date("valid_to", problems)
        if self.try_save(problems, lambda: organisations.save_committee({
                "name": self.name.text(), "place": self.place.text(), "valid_from": vf, "valid_to": vt},
                self.committee.id if self.committee else None)) is not None:
            super().accept()


class CommitteesDialog(QDialog):
    """The upper committees with their validity dates (the district level ended on 30/06/2025)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Danh sách cấp ủy cấp trên"))
        layout = QVBoxLayout(self)
        self.model: RowsModel[repo.CommitteeRow] = RowsModel([
            Column(tr("Tên cấp ủy"), lambda c: c.name),
            Column(tr("Từ ngày"), lambda c: messages.fmt_date(c.valid_from)),
            Column(tr("Đến ngày"), lambda c: messages.fmt_date(c.valid_to)),
            Column(tr("Địa danh"), lambda c: c.place),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self._edit_current())
        layout.addWidget(self.view)
        buttons = QHBoxLayout()
        add = QPushButton(tr("&Thêm…"))
        edit = QPushButton(tr("&Sửa…"))
        close = QPushButton(tr("Đó&ng"))
        add.clicked.connect(lambda: self._edit(None))
        edit.clicked.connect(self._edit_current)
        close.clicked.connect(self.accept)
        for b in (add, edit):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._reload()
        self.view.resizeColumnsToContents()
        self.resize(620, 300)

    def _reload(self) -> None:
        self.model.set_rows(repo.list_committees())

    def _edit_current(self) -> None:
        row = self.model.row_at(self.view.currentIndex().row())
        if row is not None:
            self._edit(row)

    def _edit(self, committee: repo.CommitteeRow | None) -> None:
        if CommitteeDialog(committee, self).exec() == QDialog.DialogCode.Accepted:
            self._reload()

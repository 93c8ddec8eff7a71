"""The ceremony dialog: when and where, the decision, the candidates admitted, and what the programme prints.

Besides the date and place, the programme of the ceremony ("Soạn văn bản…", ``chuong-trinh-le``) prints the
start time, who chairs, the upper committee's guest and, for each new member, the official member assigned to
help them: the dialog keeps them with the ceremony (``Ceremony.data``). Each student's helper starts as the
member the chi bộ assigned when listing them (shown, and the clerk may change it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from lamha_desktop.domain import pipeline, rules
from lamha_desktop.operations import OpChanges, ceremonies
from lamha_desktop.storage import document_data, repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_models import MUTED_COLOR
from lamha_desktop.ui.widgets import DateField, FormDialog


class CeremonyDialog(FormDialog):
    def __init__(self, ceremony_id: int | None = None, parent: QWidget | None = None, *,
                 candidate_id: int | None = None, suggested: dt.date | None = None) -> None:
        super().__init__(tr("Sửa lễ kết nạp") if ceremony_id else tr("Thêm lễ kết nạp"), parent)
        self.ceremony_id = ceremony_id
        self.saved_id: int | None = None
        self.organisation = QComboBox()
        for o in repo.list_organisations(include_inactive=False):
            self.organisation.addItem(f"{o.code} — {o.name}", o.id)
        self.add_field("organisation_id", tr("Tổ chức đả&ng:"), self.organisation)
        self.on = self.add_field("on", tr("Ngày &tổ chức lễ:"), DateField())
        self.place = self.add_field("place", tr("Đị&a điểm:"), QLineEdit())
        self.decision_no = self.add_field("decision_no", tr("Số &quyết định:"), QLineEdit())
        self.decision_no.setPlaceholderText(tr("ví dụ: 123-QĐ/HU"))
        self.decision_date = self.add_field("decision_date", tr("Ngày &ký quyết định:"), DateField())
        self.decision_received = self.add_field("decision_received", tr("Ngày &nhận quyết định:"), DateField())
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.add_field("deadline", tr("Hạn tổ chức lễ:"), self.deadline)
        self.start = self.add_field("start", tr("&Giờ bắt đầu:"), QLineEdit())
        self.start.setPlaceholderText(tr("giờ:phút, ví dụ 08:00"))
        self.chair = self.add_field("chair", tr("Người điều &hành buổi lễ:"), QLineEdit())
        self.upper_guest = self.add_field("upper_guest", tr("Đại diện cấp ủy &cấp trên dự lễ:"), QLineEdit())
        self.upper_guest.setPlaceholderText(tr("để trống nếu không có"))
        self.candidates_model = QStandardItemModel(self)
        self.candidates = QTableView()
        self.candidates.setModel(self.candidates_model)
        self.candidates.setMinimumHeight(160)
        self.candidates.verticalHeader().hide()
        self.candidates.horizontalHeader().setStretchLastSection(True)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.add_field("candidates", tr("Quần chúng được &kết nạp:"), self.candidates)
        self._holidays = repo.default_holidays()
        self._helpers: dict[str, str] = {}
        selected: Sequence[int] = ()
        if ceremony_id is not None:
            row = repo.get_ceremony(ceremony_id)
            idx = self.organisation.findData(row.organisation_id)
            if idx < 0:
                org = repo.get_organisation(row.organisation_id)
                self.organisation.addItem(f"{org.code} — {org.name}", org.id)
                idx = self.organisation.count() - 1
            self.organisation.setCurrentIndex(idx)
            self.on.set_date(row.on)
            self.place.setText(row.place)
            self.decision_no.setText(row.decision_no)
            self.decision_date.set_date(row.decision_date)
            self.decision_received.set_date(row.decision_received)
            selected = row.candidate_ids
            details = document_data.ceremony_source(ceremony_id).data
            self.start.setText(str(details.get("start") or ""))
            self.chair.setText(str(details.get("chair") or ""))
            self.upper_guest.setText(str(details.get("upper_guest") or ""))
            self._helpers = {str(k): str(v) for k, v in dict(details.get("helpers") or {}).items()}
        if candidate_id is not None:  # opened from a candidate: their organisation, them ticked
            org_id = repo.get_candidate(candidate_id)["organisation_id"]
            self.organisation.setCurrentIndex(max(0, self.organisation.findData(org_id)))
            selected = (candidate_id,)
            decision = next((e for e in reversed(repo.pipeline_events(candidate_id))
                             if e.kind == "decision"), None)
            if decision is not None:
                self.decision_no.setText(str(decision.data.get("number", "")))
                self.decision_date.set_date(decision.on)
                self.decision_received.set_date(pipeline.as_date(decision.data.get("received")))
            if suggested is not None:
                self.on.set_date(suggested)
            self.chair.setText(repo.get_organisation(org_id).secretary)
        self._load_candidates(selected)
        self.organisation.currentIndexChanged.connect(lambda _i: self._load_candidates(()))
        for field in (self.on, self.decision_date, self.decision_received):
            field.textChanged.connect(lambda _t: self._update_deadline())
        self._update_deadline()
        self.compose_button = self.buttons.addButton(tr("Soạn &văn bản…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.compose_button.setToolTip(tr("Lưu lễ kết nạp rồi soạn chương trình buổi lễ (tệp Word)"))
        self.compose_button.clicked.connect(self.compose)
        self.resize(620, self.sizeHint().height())
        if ceremony_id is not None:
            self.add_history_button("ceremony", ceremony_id)

    def _default_helper(self, candidate_id: int) -> str:
        """The member assigned to help the student when they were listed (the source step), if any."""
        source = next((e for e in repo.pipeline_events(candidate_id) if e.kind == pipeline.EventKind.SOURCE), None)
        return str(source.data.get("helper") or "") if source is not None else ""

    def _load_candidates(self, selected: Sequence[int]) -> None:
        self.candidates_model.clear()
        self.candidates_model.setHorizontalHeaderLabels([tr("Quần chúng"), tr("Đảng viên giúp đỡ khi dự bị")])
        org_id = self.organisation.currentData()
        if org_id is None:
            return
        for cid, name, has_decision in repo.ceremony_candidates_available(org_id, self.ceremony_id):
            item = QStandardItem(name if has_decision else tr("{name} — chưa có quyết định kết nạp").format(name=name))
            item.setData(cid, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if cid in selected else Qt.CheckState.Unchecked)
            helper = QStandardItem(self._helpers.get(str(cid)) or (self._default_helper(cid) if has_decision else ""))
            helper.setToolTip(tr("Đảng viên chính thức được phân công giúp đỡ đảng viên dự bị (in trong chương trình "
                                 "buổi lễ)"))
            if not has_decision and cid not in selected:
                # Only a student with an admission decision of their own can be admitted: not even tickable.
                item.setForeground(MUTED_COLOR)
                item.setEnabled(False)
                helper.setEnabled(False)
                item.setToolTip(tr("Chưa có quyết định kết nạp của chính học sinh này: ghi quyết định ở hồ sơ "
                                   "của học sinh trước."))
            self.candidates_model.appendRow([item, helper])
        self.candidates.resizeColumnToContents(0)

    def helpers(self) -> dict[str, str]:
        """The helper typed for each ticked student, by candidate id (as text)."""
        out = {}
        for i in range(self.candidates_model.rowCount()):
            item = self.candidates_model.item(i, 0)
            helper = self.candidates_model.item(i, 1)
            if item.checkState() == Qt.CheckState.Checked and helper is not None and helper.text().strip():
                out[str(item.data(Qt.ItemDataRole.UserRole))] = helper.text().strip()
        return out

    def set_helper(self, candidate_id: int, name: str) -> None:
        for i in range(self.candidates_model.rowCount()):
            if self.candidates_model.item(i, 0).data(Qt.ItemDataRole.UserRole) == candidate_id:
                self.candidates_model.item(i, 1).setText(name)

    def set_checked(self, candidate_ids: Sequence[int]) -> None:
        for i in range(self.candidates_model.rowCount()):
            item = self.candidates_model.item(i)
            cid = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if cid in candidate_ids else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[int]:
        out = []
        for i in range(self.candidates_model.rowCount()):
            item = self.candidates_model.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _safe_date(self, field: DateField) -> dt.date | None:
        try:
            return field.date()
        except ValueError:
            return None

    def _update_deadline(self) -> None:
        start = self._safe_date(self.decision_received) or self._safe_date(self.decision_date)
        if start is None:
            self.deadline.setText(tr("(nhập ngày nhận quyết định)"))
            self.deadline.setStyleSheet("")
            return
        deadline = rules.ceremony_deadline(start, holidays=self._holidays)
        on = self._safe_date(self.on)
        text = tr("{d} (30 ngày làm việc kể từ khi nhận quyết định)").format(d=messages.fmt_date(deadline))
        if on is not None and on > deadline:
            text += " — " + tr("TRỄ HẠN")
            self.deadline.setStyleSheet("color: #b00020; font-weight: bold;")
        else:
            self.deadline.setStyleSheet("")
        self.deadline.setText(text)

    def save(self) -> OpChanges | None:
        """Save the ceremony (the dialog stays open); the change, or None when refused."""
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        on = self.read_date("on", problems)
        ddate = self.read_date("decision_date", problems)
        drecv = self.read_date("decision_received", problems)
        values = {
            "organisation_id": self.organisation.currentData(), "on": on, "place": self.place.text(),
            "decision_no": self.decision_no.text(), "decision_date": ddate, "decision_received": drecv,
            "data": {"start": self.start.text(), "chair": self.chair.text(),
                     "upper_guest": self.upper_guest.text(), "helpers": self.helpers()},
        }
        chosen = self.checked_ids()
        ceremony_id = self.ceremony_id

        def save(accept: Sequence[str] = ()) -> OpChanges:
            if ceremony_id is None:
                return ceremonies.hold(values, chosen, accept=accept)
            return ceremonies.edit(ceremony_id, values, chosen, accept=accept)

        saved = self.try_save(problems, save, confirmable=save)
        if saved is not None:
            self.saved_id = saved.created_id if saved.created_id is not None else ceremony_id
        return saved

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

    def compose(self) -> None:
        """"Soạn văn bản…": save the ceremony as it stands, then write its programme."""
        from lamha_desktop.ui.documents import DocumentDialog

        if self.save() is None:
            return
        if self.ceremony_id is None and self.saved_id is not None:  # now saved: further saves edit it
            self.ceremony_id = self.saved_id
            self.setWindowTitle(tr("Sửa lễ kết nạp"))
        if self.ceremony_id is not None:
            DocumentDialog.ask(self, ceremony_id=self.ceremony_id, kind="chuong-trinh-le")

    @classmethod
    def ask(cls, parent: QWidget | None, ceremony_id: int | None = None, *,
            candidate_id: int | None = None, suggested: dt.date | None = None) -> int | None:
        dlg = cls(ceremony_id, parent, candidate_id=candidate_id, suggested=suggested)
        return dlg.saved_id if dlg.exec() == QDialog.DialogCode.Accepted else None

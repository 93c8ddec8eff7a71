"""A candidate's whole pipeline: a timeline of dated steps, the dossier at a glance, and the history."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.catalogue.onboarding import DOSSIER_SHORT_NAMES
from lamha_desktop.domain import codelists, guide, pipeline
from lamha_desktop.operations import OpChanges, steps
from lamha_desktop.storage import repo
from lamha_desktop.storage.audit import AuditFilter
from lamha_desktop.ui import messages
from lamha_desktop.ui.candidates.steps import RECORDABLE, DossierDialog, StepDialog, step_title
from lamha_desktop.ui.changes import hub
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.audit import AuditView
from lamha_desktop.ui.table_fit import ColumnFitter
from lamha_desktop.ui.table_models import OVERDUE_BRUSH, Column, RowsModel
from lamha_desktop.ui.undo import DeleteStep, push_or_run
from lamha_desktop.ui.widgets import confirm, fitting_size

K = pipeline.EventKind


@dataclass(frozen=True)
class TimelineRow:
    event: repo.EventRow | None  # None: the ceremony, recorded in the ceremonies tab
    kind: str
    on: dt.date
    detail: str
    warnings: str


def _detail(kind: str, data: dict[str, Any]) -> str:
    d = data
    if kind == K.SOURCE:
        return tr("Đảng viên giúp đỡ: {h}").format(h=d.get("helper", "")) if d.get("helper") else ""
    if kind == K.CLASS:
        return tr("{c}; GCN số {n}").format(c=d.get("class_name", ""), n=d.get("cert_no", ""))
    if kind == K.DOSSIER:
        item = codelists.dossier_item(str(d.get("item", "")))
        text = item.label if item else str(d.get("item", ""))
        if d.get("member"):
            text += tr(" — {m}, cùng công tác/học tập từ {s}").format(
                m=d["member"], s=messages.fmt_date(pipeline.as_date(d.get("together_since"))))
        return text
    if kind in (K.VOTE, K.RECOGNITION, K.DANG_UY):
        text = tr("Tán thành {a}/{m}").format(a=d.get("agree", "?"), m=d.get("members", "?"))
        if kind == K.VOTE:
            text += " — " + (tr("đạt") if d.get("passed") else tr("không đạt"))
            if d.get("override_reason"):
                text += tr("; bỏ qua hồ sơ thiếu: {r}").format(r=d["override_reason"])
        if kind == K.RECOGNITION and d.get("decision_no"):
            text += tr("; QĐ {n} ngày {d}").format(n=d["decision_no"],
                                                   d=messages.fmt_date(pipeline.as_date(d.get("decision_date"))))
        return text
    if kind == K.DECISION:
        return tr("Số {n}; {i}; nhận ngày {r}").format(n=d.get("number", ""), i=d.get("issuer", ""),
                                                     r=messages.fmt_date(pipeline.as_date(d.get("received"))))
    if kind == K.TRANSFER:
        mode = tr("chính thức") if d.get("mode") == "chinh_thuc" else tr("tạm thời")
        return tr("Đến {d} ({m})").format(d=d.get("destination", ""), m=mode)
    if kind in (K.NOT_ADMITTED, K.REMOVED):
        return str(d.get("reason", ""))
    if kind == K.CEREMONY:
        return tr("Ghi ở thẻ Lễ kết nạp")
    return ""


class CandidateDetailDialog(QDialog):
    """Opened from the candidates table with Enter or a double-click."""

    def __init__(self, candidate_id: int, parent: QWidget | None = None, *, today: dt.date | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.candidate_id = candidate_id
        self.undo_stack = undo_stack
        self.today = today or dt.date.today()
        self.changed = False
        self.resize(*fitting_size(self, 980, 640))
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        info = QFormLayout()
        self.stage = QLabel()
        self.stage.setObjectName("stage")
        self.eligible = QLabel()
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.dossier = QLabel()
        self.dossier.setWordWrap(True)
        self.dossier.setTextFormat(Qt.TextFormat.RichText)
        self.dossier.setObjectName("dossier")
        info.addRow(tr("Giai đoạn:"), self.stage)
        info.addRow(tr("Đủ tuổi từ:"), self.eligible)
        info.addRow(tr("Hạn tiếp theo:"), self.deadline)
        info.addRow(tr("Hồ sơ:"), self.dossier)
        # The next step of the procedure in one click (the "Ghi bước…" menu takes two); when the student's
        # record lacks what that step needs, the button asks for it first.
        self.next_button = QPushButton()
        self.next_button.setObjectName("next_step")
        self.next_button.clicked.connect(self.record_next)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_button)
        next_row.addStretch(1)
        info.addRow(tr("Bước tiếp theo:"), next_row)
        self._next: tuple[str, bool] | None = None  # (kind, the record lacks facts it needs)
        layout.addLayout(info)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.timeline: RowsModel[TimelineRow] = RowsModel([
            Column(tr("Ngày"), lambda r: messages.fmt_date(r.on)),
            Column(tr("Bước"), lambda r: step_title(r.kind)),
            Column(tr("Chi tiết"), lambda r: r.detail, stretch=True),
            Column(tr("Cảnh báo"), lambda r: r.warnings, foreground=lambda r: OVERDUE_BRUSH
                   if r.warnings else None, stretch=True,
                   header_tip=tr("Cảnh báo đã được chấp nhận khi ghi bước (ai chấp nhận, khi nào: xem lịch sử)")),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.timeline)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.fitter = ColumnFitter(self.view)  # the warnings column stays in view; long details elided
        self.view.doubleClicked.connect(lambda _i: self.edit_step())
        self.tabs.addTab(self.view, tr("Các bước"))
        self.history_view = AuditView(AuditFilter(candidate_id=candidate_id), self)
        self.history = self.history_view.model
        self.history_view.export_requested.connect(self._export_history)
        self.tabs.addTab(self.history_view, tr("Lịch sử thay đổi"))
        buttons = QHBoxLayout()
        self.record = QPushButton(tr("&Ghi bước…"))
        menu = QMenu(self.record)
        self.step_actions = {kind: menu.addAction(step_title(kind), lambda k=kind: self.add_step(k))
                             for kind in RECORDABLE}
        self.record.setMenu(menu)
        self.ceremony = QPushButton(tr("Ghi &lễ kết nạp…"))
        self.ceremony.clicked.connect(self.record_ceremony)
        self.edit_button = QPushButton(tr("&Sửa bước…"))
        self.edit_button.clicked.connect(self.edit_step)
        self.delete_button = QPushButton(tr("&Xóa bước…"))
        self.delete_button.clicked.connect(self.delete_step)
        self.person = QPushButton(tr("Thông tin &cá nhân…"))
        self.person.clicked.connect(self.edit_person)
        close = QPushButton(tr("Đó&ng"))
        close.clicked.connect(self.accept)
        for b in (self.record, self.ceremony, self.edit_button, self.delete_button, self.person):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()
        hub().changed.connect(self._data_changed)

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.everything or self.candidate_id in changes.candidates or changes.ceremonies:
            self.changed = True
            if repo.candidate_exists(self.candidate_id):
                self.reload()

    def reload(self) -> None:
        c = repo.get_candidate(self.candidate_id)
        org = repo.get_organisation(c["organisation_id"])
        # The đảng ủy step exists only where the school's organisation is a đảng bộ cơ sở.
        self.step_actions[K.DANG_UY].setVisible(org.kind == "dang_bo")
        self.setWindowTitle(tr("Quần chúng: {n}").format(n=c["full_name"]))
        self.header.setText(f"<b style='font-size:14pt'>{c['full_name']}</b> — "
                            f"{tr(messages.GENDER_NAMES.get(c['gender'], ''))}, "
                            f"{tr('sinh ngày')} {messages.fmt_date(c['birth'])}; {tr('lớp')} {c['class_name']}; "
                            f"{org.name}")
        status = repo.candidate_rows([self.candidate_id], today=self.today)[self.candidate_id].status
        self.stage.setText(f"<b>{messages.stage_name(status.stage)}</b>"
                           + (" — " + tr("lần biểu quyết gần nhất không đạt") if status.failed_vote else ""))
        self.eligible.setText(messages.fmt_date(status.eligible_from))
        if status.next_deadline:
            action = tr(messages.ACTION_NAMES.get(status.next_action or "", ""))
            text = f"{messages.fmt_date(status.next_deadline)} — {action}"
            if status.overdue:
                text += " — " + tr("QUÁ HẠN")
            self.deadline.setText(text)
            self.deadline.setStyleSheet("color: #b00020; font-weight: bold;" if status.overdue else "")
        else:
            self.deadline.setText(tr("(không có)"))
            self.deadline.setStyleSheet("")
        events = repo.list_events(self.candidate_id)
        rows = [TimelineRow(e, e.kind, e.on, _detail(e.kind, e.data),
                            "; ".join(messages.text(w) for w in e.data.get("warnings", []))) for e in events]
        for e in repo.pipeline_events(self.candidate_id):
            if e.kind == K.CEREMONY:
                rows.append(TimelineRow(None, e.kind, e.on, _detail(e.kind, dict(e.data)), ""))
                if status.probation_end:
                    rows.append(TimelineRow(None, "probation_end", status.probation_end,
                                            tr("Hết thời hạn dự bị (tính tự động)"), ""))
        rows.sort(key=lambda r: r.on)
        self.timeline.set_rows(rows)
        self.fitter.fit()
        have = {str(e.data.get("item")): e.on for e in events if e.kind == K.DOSSIER}
        parts, tips = [], []
        for item in codelists.dossier_items():
            short = DOSSIER_SHORT_NAMES.get(item.code, item.label)
            if item.code in have:
                parts.append(f"✔ {html.escape(short)}")
                tips.append(f"✔ {item.label} ({messages.fmt_date(have[item.code])})")
            elif item.required:
                parts.append(f"<span style='color:#b00020'>✘ {html.escape(short)}</span>")
                tips.append(f"✘ {item.label}")
        # One or two lines, the papers by their forms; each paper in full in the tooltip (the list of seven
        # used to push the steps below the visible area on a small screen).
        self.dossier.setText(" &nbsp;·&nbsp; ".join(parts))
        self.dossier.setToolTip("\n".join(tips))
        self._update_next(c, org)
        self.history_view.refresh()

    def _update_next(self, c: dict[str, Any], org: repo.OrgRow) -> None:
        steps = guide.next_steps(
            birth=c["birth"], events=repo.pipeline_events(self.candidate_id), holidays=repo.default_holidays(),
            today=self.today, by_month=repo.age_by_month(), party_committee=org.kind == "dang_bo",
            official_members=repo.members_on(org.id, self.today), missing_facts=c["missing"])
        main = next((s for s in steps if s.kind in guide.PROCEDURE_ORDER), None)
        if main is None:
            self._next = None
            self.next_button.hide()
            return
        lacking = any(i.code == "step.facts_missing" for i in main.blockers)
        self._next = (main.kind, lacking)
        if lacking:
            self.next_button.setText(tr("Bổ sung {facts}…").format(
                facts=tr(" và ").join(tr(messages.RECORD_FACT_NAMES.get(f, f)) for f in c["missing"])))
            self.next_button.setToolTip(tr("Cần trước khi ghi bước “{s}”").format(s=step_title(main.kind)))
        else:
            title = step_title(main.kind)
            self.next_button.setText(tr("Ghi: {s}…").format(s=title[:1].upper() + title[1:]))
            self.next_button.setToolTip("")
        self.next_button.show()

    def record_next(self) -> None:
        """Record the next step of the procedure (or first fill in what the record lacks for it)."""
        if self._next is None:
            return
        kind, lacking = self._next
        if lacking:
            self.edit_person()
        elif kind == K.CEREMONY:
            self.record_ceremony()
        else:
            self.add_step(kind)

    def _export_history(self) -> None:
        from lamha_desktop.ui.safety import export_audit

        export_audit(self, self.history_view.current_filter())

    def selected(self) -> TimelineRow | None:
        return self.timeline.row_at(self.view.currentIndex().row())

    def add_step(self, kind: str) -> None:
        if kind == K.DOSSIER:  # every paper of the dossier in one form
            ids = DossierDialog.ask(self, self.candidate_id)
            if ids:
                self.show_event(ids[-1])
            return
        saved = StepDialog.ask(self, self.candidate_id, kind)
        if saved is not None:
            self.show_event(saved)

    def show_event(self, event_id: int) -> None:
        """Select a step just recorded and bring it into view (new rows used to land below the visible area)."""
        for i, row in enumerate(self.timeline.rows):
            if row.event is not None and row.event.id == event_id:
                index = self.timeline.index(i, 0)
                self.view.selectRow(i)
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
                return

    def edit_step(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.event is None:
            self.record_ceremony()
            return
        StepDialog.ask(self, self.candidate_id, row.kind, event=row.event)

    def delete_step(self) -> None:
        row = self.selected()
        if row is None or row.event is None or row.event.id is None:
            return
        also = steps.dependents(row.event.id)
        question = tr("Xóa bước \u201c{s}\u201d ngày {d}? Thao tác được ghi vào lịch sử.").format(
            s=step_title(row.kind), d=messages.fmt_date(row.on))
        if also:
            listed = "\n".join(f"• {step_title(r.kind)} ({messages.fmt_date(r.on)})" for r in also)
            question = tr("Các bước sau dựa vào bước \u201c{s}\u201d ngày {d} nên sẽ bị xóa cùng:\n{steps}\n\n"
                          "Vẫn xóa? (Ctrl+Z để hoàn tác)").format(s=step_title(row.kind),
                                                                 d=messages.fmt_date(row.on), steps=listed)
        if confirm(self, tr("Xóa bước"), question):
            push_or_run(self.undo_stack, DeleteStep(row.event.id, step_title(row.kind), self, cascade=bool(also)))

    def record_ceremony(self) -> None:
        from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog

        existing = repo.ceremony_of(self.candidate_id)
        CeremonyDialog.ask(self, existing, candidate_id=None if existing else self.candidate_id)

    def edit_person(self) -> None:
        from lamha_desktop.ui.candidates.dialogs import CandidateDialog

        CandidateDialog.ask(self, self.candidate_id)

    @classmethod
    def ask(cls, parent: QWidget | None, candidate_id: int, *, undo_stack: QUndoStack | None = None) -> bool:
        """Show the candidate; True when something was changed."""
        dlg = cls(candidate_id, parent, undo_stack=undo_stack)
        dlg.exec()
        return dlg.changed

"""A student's record: "Bước tiếp theo", the age window, a timeline of dated steps, the dossier at a glance, the
history, and the documents.

"Bước tiếp theo" (``domain/guide.py``, read by ``storage/guide_data.py``) lists what is still to do in the
order of the procedure — the dossier's missing items as one step —, each with what it needs, its earliest and
latest dates and why, and what blocks it today; its button opens the right dialog on the suggested date (the
dossier checklist with the missing items ticked). "Ghi bước…" lists every kind numbered in procedure order,
greyed with the reason when it cannot be recorded today. "Soạn văn bản…" writes the paperwork.
"""

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
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.catalogue import DOCUMENT_NAMES
from lamha_desktop.catalogue.onboarding import DOSSIER_SHORT_NAMES
from lamha_desktop.domain import codelists, guide, pipeline
from lamha_desktop.operations import OpChanges, steps
from lamha_desktop.storage import guide_data, repo
from lamha_desktop.storage.audit import AuditFilter
from lamha_desktop.ui import messages
from lamha_desktop.ui.candidates import guide_view
from lamha_desktop.ui.candidates.dossier import DossierDialog
from lamha_desktop.ui.candidates.steps import StepDialog, step_title
from lamha_desktop.ui.changes import hub
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.safety.audit import AuditView
from lamha_desktop.ui.table_fit import ColumnFitter
from lamha_desktop.ui.table_models import OVERDUE_COLOR, Column, RowsModel
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


_RED = "#b00020"
_AMBER = "#8a5a00"
_GREEN = "#1b5e20"


def _tone(text: str, colour: str) -> str:
    return f"<span style='color:{colour}'>{guide_view.escape(text)}</span>"


def open_step(parent: QWidget | None, candidate_id: int, step: guide.NextStep,
              steps: tuple[guide.NextStep, ...] = ()) -> None:
    """Open the dialog that records ``step`` on its suggested date: the dossier checklist with every missing
    item of ``steps`` ticked, the ceremony dialog with the student ticked, or the step's own dialog."""
    if step.kind == K.DOSSIER:
        items = [s.item for s in steps if s.kind == K.DOSSIER and s.item is not None] or [step.item or ""]
        DossierDialog.ask(parent, candidate_id, suggested=step.suggested, items=items)
    elif step.kind == K.CEREMONY:
        from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog

        existing = repo.ceremony_of(candidate_id)
        CeremonyDialog.ask(parent, existing, candidate_id=None if existing else candidate_id,
                           suggested=None if existing else step.suggested)
    else:
        StepDialog.ask(parent, candidate_id, step.kind, suggested=step.suggested)


class NextStepRow(QFrame):
    """One step of "Bước tiếp theo": what, when, what it needs, what blocks it, and the button that records it."""

    def __init__(self, title: str, lines: list[str], *, button: QPushButton | None,
                 document: QPushButton | None = None) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        self.text = QLabel(f"<b>{guide_view.escape(title)}</b>" + "".join(f"<br>{line}" for line in lines))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # rows stack from the top
        row.addWidget(self.text, 1)
        buttons = QVBoxLayout()
        for b in (button, document):
            if b is not None:
                buttons.addWidget(b)
        buttons.addStretch(1)
        row.addLayout(buttons)


class CandidateDetailDialog(QDialog):
    """Opened from the candidates table with Enter or a double-click."""

    def __init__(self, candidate_id: int, parent: QWidget | None = None, *, today: dt.date | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.candidate_id = candidate_id
        self.undo_stack = undo_stack
        self.today = today or dt.date.today()
        self.changed = False
        self.guide: guide_data.CandidateGuide | None = None
        self.next_buttons: dict[str, QPushButton] = {}
        self.next_rows: list[NextStepRow] = []
        self.next_widgets: list[QWidget] = []
        self.resize(*fitting_size(self, 1100, 800))
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        top = QHBoxLayout()
        layout.addLayout(top, 3)
        left = QVBoxLayout()
        top.addLayout(left, 2)
        info = QFormLayout()
        self.stage = QLabel()
        self.stage.setObjectName("stage")
        self.eligible = QLabel()
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)  # a long reason must not take the next steps' room
        self.dossier = QLabel()
        self.dossier.setWordWrap(True)
        self.dossier.setTextFormat(Qt.TextFormat.RichText)
        self.dossier.setObjectName("dossier")
        info.addRow(tr("Giai đoạn:"), self.stage)
        info.addRow(tr("Đủ tuổi từ:"), self.eligible)
        info.addRow(tr("Hạn tiếp theo:"), self.deadline)
        info.addRow(tr("Hồ sơ:"), self.dossier)
        left.addLayout(info)
        self.window_box = QGroupBox(tr("Tuổi và thời gian còn học"))
        window_layout = QVBoxLayout(self.window_box)
        self.window_label = QLabel()
        self.window_label.setObjectName("age_window")
        self.window_label.setWordWrap(True)
        self.window_label.setTextFormat(Qt.TextFormat.RichText)
        window_layout.addWidget(self.window_label)
        left.addWidget(self.window_box)
        left.addStretch(1)
        self.next_box = QGroupBox(tr("Bước tiếp theo"))
        self.next_box.setObjectName("next_steps")
        next_layout = QVBoxLayout(self.next_box)
        next_layout.setContentsMargins(4, 4, 4, 4)
        self.next_scroll = QScrollArea()
        self.next_scroll.setWidgetResizable(True)
        self.next_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.next_holder = QWidget()
        self.next_layout = QVBoxLayout(self.next_holder)
        self.next_layout.setContentsMargins(0, 0, 0, 0)
        self.next_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.next_scroll.setWidget(self.next_holder)
        next_layout.addWidget(self.next_scroll)
        top.addWidget(self.next_box, 3)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 2)
        self.timeline: RowsModel[TimelineRow] = RowsModel([
            Column(tr("Ngày"), lambda r: messages.fmt_date(r.on)),
            Column(tr("Bước"), lambda r: step_title(r.kind)),
            Column(tr("Chi tiết"), lambda r: r.detail, stretch=True),
            Column(tr("Cảnh báo"), lambda r: r.warnings, foreground=lambda r: OVERDUE_COLOR
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
        self.step_menu = QMenu(self.record)
        self.step_menu.setToolTipsVisible(True)
        self.step_actions: dict[str, Any] = {}
        self.record.setMenu(self.step_menu)
        self.ceremony = QPushButton(tr("Ghi &lễ kết nạp…"))
        self.ceremony.clicked.connect(self.record_ceremony)
        self.edit_button = QPushButton(tr("&Sửa bước…"))
        self.edit_button.clicked.connect(self.edit_step)
        self.delete_button = QPushButton(tr("&Xóa bước…"))
        self.delete_button.clicked.connect(self.delete_step)
        self.person = QPushButton(tr("Thông tin &cá nhân…"))
        self.person.clicked.connect(self.edit_person)
        self.documents = QPushButton(tr("Soạn &văn bản…"))
        self.documents.setToolTip(tr("Nghị quyết, biên bản, giấy giới thiệu… soạn sẵn từ hồ sơ, lưu ra tệp Word"))
        self.documents.clicked.connect(lambda: self.compose())
        close = QPushButton(tr("Đó&ng"))
        close.clicked.connect(self.accept)
        for b in (self.record, self.ceremony, self.edit_button, self.delete_button, self.person, self.documents):
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
        self.setWindowTitle(tr("Quần chúng: {n}").format(n=c["full_name"]))
        self.header.setText(f"<b style='font-size:14pt'>{guide_view.escape(c['full_name'])}</b> — "
                            f"{tr(messages.GENDER_NAMES.get(c['gender'], ''))}, "
                            f"{tr('sinh ngày')} {messages.fmt_date(c['birth'])}; {tr('lớp')} "
                            f"{guide_view.escape(c['class_name'])}; {guide_view.escape(org.name)}")
        self.guide = guide_data.candidate_guide(self.candidate_id, today=self.today)
        status = self.guide.status
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
            latest = next((s.latest for s in self.guide.steps if s.latest is not None), None)
            if latest is not None:  # before the vote: the guide's first deadline (graduation, the certificate)
                self.deadline.setText(guide_view.bound_text(latest))
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
        self._show_window()
        self._show_next_steps()
        self._fill_menu()
        self.history_view.refresh()

    # ---------------------------------------------------------------- the guide

    def _show_window(self) -> None:
        assert self.guide is not None
        window = self.guide.window
        before_vote = self.guide.status.stage < pipeline.Stage.VOTED
        self.window_box.setVisible(window is not None and before_vote)
        if window is None:
            return
        colours = {"bad": _RED, "warn": _AMBER}
        self.window_label.setText("<br>".join(
            _tone(text, colours[tone]) if tone else guide_view.escape(text)
            for text, tone in guide_view.window_lines(window)))

    def _clear_next(self) -> None:
        # The rows are removed through the list kept of them: PySide6 6.12's QLayout.takeAt() and
        # QLayoutItem.widget() release None once too often for a spacer item, which crashes the interpreter later.
        for widget in self.next_widgets:
            self.next_layout.removeWidget(widget)
            widget.deleteLater()
        self.next_widgets = []
        self.next_buttons = {}
        self.next_rows = []

    def _add_row(self, row: QWidget) -> None:
        if isinstance(row, NextStepRow):
            self.next_rows.append(row)
        self.next_widgets.append(row)
        self.next_layout.addWidget(row)

    def next_texts(self) -> list[str]:
        """The text of each row of "Bước tiếp theo", as shown (rich text)."""
        return [row.text.text() for row in self.next_rows]

    def _button(self, key: str, text: str, slot: Any, *, enabled: bool = True, tip: str = "") -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(f"next_{key}")
        b.clicked.connect(slot)
        b.setEnabled(enabled)
        if tip:
            b.setToolTip(tip)
        self.next_buttons[key] = b
        return b

    def _dates_line(self, s: guide.NextStep) -> str:
        parts = []
        if s.earliest is not None:
            parts.append(guide_view.escape(tr("sớm nhất {b}").format(b=guide_view.bound_text(s.earliest))))
        if s.latest is not None:
            text = guide_view.escape(tr("muộn nhất {b}").format(b=guide_view.bound_text(s.latest)))
            parts.append(f"<b style='color:{_RED}'>{text} — {tr('QUÁ HẠN')}</b>" if s.overdue else text)
        return guide_view.escape(tr("Thời gian: ")) + "; ".join(parts) if parts else ""

    def _issue_lines(self, s: guide.NextStep) -> list[str]:
        lines = [_tone("✘ " + guide_view.issue_text(b), _RED) for b in s.blockers]
        lines += [_tone("⚠ " + guide_view.issue_text(n), _AMBER) for n in s.notes]
        return lines

    def _available(self, kind: str) -> bool:
        assert self.guide is not None
        availability = self.guide.availability.get(kind)
        return availability is None or availability.possible

    def _show_next_steps(self) -> None:
        assert self.guide is not None
        self._clear_next()
        items, _others = guide_view.dossier_group(self.guide.steps)
        if not self.guide.steps:
            done = QLabel(tr("Không còn bước nào phải làm."))
            done.setStyleSheet(f"color: {_GREEN};")
            self._add_row(done)
        shown_dossier = False
        for s in self.guide.steps:
            if s.kind == K.DOSSIER:
                if shown_dossier:
                    continue
                shown_dossier = True
                number = s.number.split(".")[0]
                title = tr("{n}. Hồ sơ — còn {c} giấy tờ").format(n=number, c=len(items))
                lines = [guide_view.escape(tr("Còn thiếu: ") + "; ".join(
                    guide_view.step_name(i.kind, i.item) for i in items))]
                latest = items[0].latest
                if latest is not None:
                    lines.append(guide_view.escape(tr("Hoàn thành trước {b}").format(b=guide_view.bound_text(latest))))
                for i in items:
                    lines += [_tone("⚠ " + guide_view.issue_text(n), _AMBER) for n in i.notes]
                documents = sorted({d for i in items for d in i.needs.documents})
                button = self._button("dossier", tr("Ghi hồ sơ…"), lambda _c=False: self.open_dossier(items))
                doc = (self._button("dossier_documents", tr("Soạn văn bản…"),
                                    lambda _c=False, k=documents[0]: self.compose(k)) if documents else None)
                if documents:
                    lines.append(guide_view.escape(tr("Văn bản soạn sẵn: {d}").format(
                        d="; ".join(tr(DOCUMENT_NAMES.get(d, d)) for d in documents))))
                self._add_row(NextStepRow(title, lines, button=button, document=doc))
                continue
            title = (f"{s.number}. " if s.number else "") + guide_view.step_name(s.kind)
            lines = []
            dates = self._dates_line(s)
            if dates:
                lines.append(dates)
            lines += [guide_view.escape(line) for line in guide_view.needs_lines(s.needs)]
            lines += self._issue_lines(s)
            lacking = next((b for b in s.blockers if b.code == "step.facts_missing"), None)
            if lacking is not None:  # the record lacks what the step needs: its form first
                button = self._button(s.kind, tr("Bổ sung thông tin…"), lambda _c=False: self.edit_person(),
                                      tip=guide_view.issue_text(lacking))
            else:
                enabled = self._available(s.kind)
                tip = "" if enabled else guide_view.issue_text(s.blockers[0]) if s.blockers else ""
                button = self._button(s.kind, tr("Ghi bước này…"), lambda _c=False, step=s: self.open_next(step),
                                      enabled=enabled, tip=tip)
            doc = (self._button(f"{s.kind}_documents", tr("Soạn văn bản…"),
                                lambda _c=False, k=s.needs.documents[0]: self.compose(k))
                   if s.needs.documents else None)
            self._add_row(NextStepRow(title, lines, button=button, document=doc))

    def _fill_menu(self) -> None:
        assert self.guide is not None
        self.step_menu.clear()
        self.step_actions = {}
        off_line = False
        for entry in guide.menu_kinds(party_committee=self.guide.party_committee):
            if not entry.main_line and not off_line:
                self.step_menu.addSeparator()
                off_line = True
            name = step_title(entry.kind) + ("…" if entry.kind == K.DOSSIER else "")
            text = f"&{entry.number}. {name}" if entry.number else name
            action = self.step_menu.addAction(text, lambda k=entry.kind: self.add_step(k))
            availability = self.guide.availability.get(entry.kind)
            if availability is not None:
                action.setEnabled(availability.possible)
                if availability.reason is not None:
                    action.setToolTip(guide_view.issue_text(availability.reason))
            self.step_actions[entry.kind] = action

    def open_next(self, step: guide.NextStep) -> None:
        """The button of a next step: the right dialog, on the suggested date; when the student's record lacks
        what that step needs (a class list without personal IDs), the record's form first."""
        if any(b.code == "step.facts_missing" for b in step.blockers):
            self.edit_person()
            return
        open_step(self, self.candidate_id, step, self.guide.steps if self.guide is not None else ())

    def open_dossier(self, items: list[guide.NextStep]) -> list[int] | None:
        """The dossier checklist with the missing items ticked, on the first one's suggested date; the ids of
        the steps recorded."""
        suggested = items[0].suggested if items else None
        return DossierDialog.ask(self, self.candidate_id, suggested=suggested,
                                 items=[i.item for i in items if i.item is not None])

    def next_step(self) -> guide.NextStep | None:
        """The first step still to do."""
        return self.guide.steps[0] if self.guide is not None and self.guide.steps else None

    def compose(self, kind: str | None = None) -> None:
        from lamha_desktop.ui.documents import DocumentDialog

        DocumentDialog.ask(self, candidate_id=self.candidate_id, kind=kind)

    def _export_history(self) -> None:
        from lamha_desktop.ui.safety import export_audit

        export_audit(self, self.history_view.current_filter())

    def selected(self) -> TimelineRow | None:
        return self.timeline.row_at(self.view.currentIndex().row())

    def add_step(self, kind: str) -> None:
        if kind == K.DOSSIER:
            assert self.guide is not None
            ids = self.open_dossier([s for s in self.guide.steps if s.kind == K.DOSSIER])
            if ids:
                self.show_event(ids[-1])
        elif kind == K.CEREMONY:
            self.record_ceremony()
        else:
            suggested = next((s.suggested for s in self.guide.steps if s.kind == kind), None) if self.guide else None
            saved = StepDialog.ask(self, self.candidate_id, kind, suggested=suggested)
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

    def record_ceremony(self, suggested: dt.date | None = None) -> None:
        from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog

        existing = repo.ceremony_of(self.candidate_id)
        CeremonyDialog.ask(self, existing, candidate_id=None if existing else self.candidate_id,
                           suggested=None if existing else suggested)

    def edit_person(self) -> None:
        from lamha_desktop.ui.candidates.dialogs import CandidateDialog

        CandidateDialog.ask(self, self.candidate_id)

    @classmethod
    def ask(cls, parent: QWidget | None, candidate_id: int, *, undo_stack: QUndoStack | None = None) -> bool:
        """Show the candidate; True when something was changed."""
        dlg = cls(candidate_id, parent, undo_stack=undo_stack)
        dlg.exec()
        return dlg.changed

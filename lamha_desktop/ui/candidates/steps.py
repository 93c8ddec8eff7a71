"""Recording one dated step of a candidate's pipeline, with the rules checked as the user records.

Errors refuse the step (a missing dossier can be overridden with a reason, which is kept); warnings are
shown first and the step is saved on a second press of "Lưu" ("Vẫn lưu").

A meeting's step (the chi bộ's vote, the đảng ủy's, the recognition) also takes what its paperwork prints —
chair, secretary, attendance, and for the vote the place, times and how it was voted — in a group of its own;
all of it may stay empty ("(chưa ghi)") and be asked again when a document needs it. Opened from "Bước tiếp
theo" the dialog starts on the suggested date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from lamha_desktop.catalogue.paperwork import METHOD_NAMES
from lamha_desktop.domain import codelists, pipeline, rules
from lamha_desktop.operations import steps
from lamha_desktop.storage import repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.candidates.guide_view import step_title
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.widgets import DateField, FormDialog

K = pipeline.EventKind


@dataclass(frozen=True)
class FieldSpec:
    """A field of a step's form: its name, its label, its kind of input and, for a list, its choices."""

    name: str
    label: str
    kind: str  # text | date | int | count (may stay unrecorded) | time | combo | check
    choices: tuple[tuple[str, str], ...] = ()


NOT_RECORDED = -1  # the value of a "count" spin box left empty ("(chưa ghi)")


def _meeting_spec(kind: str) -> list[FieldSpec]:
    """The paperwork's facts a meeting's step takes (``domain/meeting.py``)."""
    people = [FieldSpec("chair", tr("Người chủ trì:"), "text"), FieldSpec("secretary", tr("Thư ký:"), "text")]
    if kind == K.DANG_UY:
        return [*people, FieldSpec("present", tr("Số đảng ủy viên có mặt:"), "count"),
                FieldSpec("disagree", tr("Không tán thành:"), "count")]
    attendance = [FieldSpec("official_present", tr("Đảng viên chính thức có mặt:"), "count"),
                  FieldSpec("probationary", tr("Tổng số đảng viên dự bị:"), "count"),
                  FieldSpec("probationary_present", tr("Đảng viên dự bị có mặt:"), "count")]
    if kind == K.RECOGNITION:
        return [*people, *attendance]
    if kind == K.VOTE:
        methods = (("", tr("(chưa ghi)")), *((k, tr(v)) for k, v in METHOD_NAMES.items()))
        return [*people, *attendance, FieldSpec("place", tr("Địa điểm họp:"), "text"),
                FieldSpec("start", tr("Giờ bắt đầu:"), "time"), FieldSpec("end", tr("Giờ kết thúc:"), "time"),
                FieldSpec("method", tr("Hình thức biểu quyết:"), "combo", methods)]
    return []


# Keys of a step's data the dialog itself manages or the operation computes: never carried over from the
# stored step when it is corrected (every other key — a document's number, an introducer's dates — is kept).
_NOT_CARRIED = frozenset({"warnings", "accepted", "passed", "members", "members_reason", "party_committee"})


def _spec() -> dict[str, tuple[str, list[FieldSpec]]]:
    dossier = tuple((d.code, f"{d.label}" + (f" ({d.form})" if d.form else ""))
                    for d in codelists.dossier_items())
    return {
        K.SOURCE: (step_title(K.SOURCE), [
            FieldSpec("on", tr("Ngày đưa vào nguồn:"), "date"),
            FieldSpec("helper", tr("Đảng viên được phân công giúp đỡ:"), "text")]),
        K.CLASS: (step_title(K.CLASS), [
            FieldSpec("class_name", tr("Tên lớp:"), "text"),
            FieldSpec("start", tr("Học từ ngày:"), "date"),
            FieldSpec("end", tr("Đến ngày:"), "date"),
            FieldSpec("cert_no", tr("Số giấy chứng nhận:"), "text"),
            FieldSpec("on", tr("Ngày cấp giấy chứng nhận:"), "date")]),
        K.DOSSIER: (step_title(K.DOSSIER), [
            FieldSpec("item", tr("Loại giấy tờ:"), "combo", dossier),
            FieldSpec("on", tr("Ngày của giấy tờ:"), "date"),
            FieldSpec("member", tr("Đảng viên giới thiệu:"), "text"),
            FieldSpec("together_since", tr("Cùng công tác/học tập từ:"), "date"),
            FieldSpec("replacement", tr("Người giới thiệu thay thế (do chi bộ phân công)"), "check")]),
        K.VOTE: (step_title(K.VOTE), [
            FieldSpec("on", tr("Ngày nghị quyết chi bộ:"), "date"),
            FieldSpec("members", tr("Tổng số đảng viên chính thức:"), "int"),
            FieldSpec("agree", tr("Tán thành:"), "int"),
            FieldSpec("disagree", tr("Không tán thành:"), "int"),
            FieldSpec("override_reason", tr("Lý do ghi dù hồ sơ còn thiếu:"), "text")]),
        K.DANG_UY: (step_title(K.DANG_UY), [
            FieldSpec("on", tr("Ngày nghị quyết đảng ủy:"), "date"),
            FieldSpec("members", tr("Số đảng ủy viên:"), "int"),
            FieldSpec("agree", tr("Tán thành:"), "int")]),
        K.DECISION: (step_title(K.DECISION), [
            FieldSpec("number", tr("Số quyết định:"), "text"),
            FieldSpec("on", tr("Ngày ký quyết định:"), "date"),
            FieldSpec("issuer", tr("Cơ quan ra quyết định:"), "text"),
            FieldSpec("received", tr("Ngày nhận quyết định:"), "date")]),
        K.RECOGNITION: (step_title(K.RECOGNITION), [
            FieldSpec("on", tr("Ngày nghị quyết chi bộ:"), "date"),
            FieldSpec("members", tr("Tổng số đảng viên chính thức:"), "int"),
            FieldSpec("agree", tr("Tán thành:"), "int"),
            FieldSpec("decision_no", tr("Số quyết định công nhận:"), "text"),
            FieldSpec("decision_date", tr("Ngày quyết định:"), "date")]),
        K.TRANSFER: (step_title(K.TRANSFER), [
            FieldSpec("on", tr("Ngày chuyển:"), "date"),
            FieldSpec("destination", tr("Nơi chuyển đến:"), "text"),
            FieldSpec("mode", tr("Hình thức:"), "combo", (("tam_thoi", tr("Tạm thời")),
                                                           ("chinh_thuc", tr("Chính thức"))))]),
        K.NOT_ADMITTED: (step_title(K.NOT_ADMITTED), [
            FieldSpec("on", tr("Ngày kết luận:"), "date"),
            FieldSpec("reason", tr("Lý do:"), "text")]),
        K.REMOVED: (step_title(K.REMOVED), [
            FieldSpec("on", tr("Ngày xóa tên:"), "date"),
            FieldSpec("reason", tr("Lý do:"), "text")]),
    }


RECORDABLE = (K.SOURCE, K.CLASS, K.DOSSIER, K.VOTE, K.DANG_UY, K.DECISION, K.RECOGNITION, K.TRANSFER,
              K.NOT_ADMITTED, K.REMOVED)


class StepDialog(FormDialog):
    """Record (or correct) one step; ``saved_id`` is the event id after saving."""

    def __init__(self, candidate_id: int, kind: str, *, event: repo.EventRow | None = None,
                 parent: QWidget | None = None, suggested: dt.date | None = None) -> None:
        title, fields = _spec()[kind]
        super().__init__(title, parent)
        self.candidate_id = candidate_id
        self.kind = kind
        self.event = event
        self.saved_id: int | None = None
        self.candidate = repo.get_candidate(candidate_id)
        self.org = repo.get_organisation(self.candidate["organisation_id"])
        self.widgets: dict[str, QWidget] = {}
        for f in fields:
            self.widgets[f.name] = self.add_field(f.name, f.label, self._make(f))
        self.meeting_box: QGroupBox | None = None
        meeting_fields = _meeting_spec(kind)
        if meeting_fields:
            self.meeting_box = QGroupBox(tr("Cuộc họp — để soạn nghị quyết, biên bản (có thể ghi sau)"))
            self.meeting_box.setObjectName("meeting")
            box_form = QFormLayout(self.meeting_box)
            box_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for f in meeting_fields:
                self.widgets[f.name] = self.add_field(f.name, f.label, self._make(f), form=box_form)
            layout = self.layout()
            assert layout is not None
            layout.insertWidget(1, self.meeting_box)  # type: ignore[attr-defined]
        if kind == K.VOTE:
            self.vote_result = QLabel()
            self.vote_result.setObjectName("vote_result")
            self.add_field("result", tr("Kết quả:"), self.vote_result)
            # The number of official members comes from the organisation's dated record; another number is
            # a correction that must say why.
            self.members_fix = QCheckBox(tr("Đính chính số đảng viên chính thức (ghi rõ lý do)"))
            self.members_reason = QLineEdit()
            self.members_reason.setPlaceholderText(tr("ví dụ: 2 đồng chí chuyển sinh hoạt tạm thời"))
            self.add_field("members_fix", "", self.members_fix)
            self.add_field("members_reason", tr("Lý do đính chính:"), self.members_reason)
            self.members_fix.toggled.connect(lambda _c: self._update_members())
            self.date_field("on").textChanged.connect(lambda _t: self._update_members())
            for name in ("members", "agree", "disagree"):
                self.int_field(name).valueChanged.connect(lambda _v: self._update_vote())
            self._update_members()
        if kind == K.DECISION:
            self.date_field("on").textChanged.connect(lambda _t: self._suggest_issuer())
        if kind == K.CLASS and event is None:
            # The certificate is dated the day the class ends, unless the clerk types another date.
            self._on_typed = False
            self.date_field("on").textEdited.connect(lambda _t: setattr(self, "_on_typed", True))
            self.date_field("end").textChanged.connect(self._certificate_from_end)
        if kind == K.DOSSIER:
            combo = self.widgets["item"]
            assert isinstance(combo, QComboBox)
            combo.currentIndexChanged.connect(lambda _i: self._update_dossier())
            self._update_dossier()
        if event is not None:
            self._load(event)
        elif "on" in self.widgets:
            self.date_field("on").set_date(suggested or dt.date.today())
            if kind == K.DECISION:
                self._suggest_issuer()
            if "chair" in self.widgets:  # the secretary usually chairs; visible, and the clerk may change it
                self.text_field("chair").setText(self.org.secretary)
        self.resize(560, self.sizeHint().height())

    # ---------------------------------------------------------------- widgets

    def _make(self, f: FieldSpec) -> QWidget:
        if f.kind == "date":
            return DateField()
        if f.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 10000)
            return spin
        if f.kind == "count":
            spin = QSpinBox()
            spin.setRange(NOT_RECORDED, 10000)
            spin.setSpecialValueText(tr("(chưa ghi)"))
            spin.setValue(NOT_RECORDED)
            return spin
        if f.kind == "time":
            edit = QLineEdit()
            edit.setPlaceholderText(tr("giờ:phút, ví dụ 14:00"))
            edit.setMaxLength(12)
            return edit
        if f.kind == "combo":
            combo = QComboBox()
            for key, label in f.choices:
                combo.addItem(label, key)
            return combo
        if f.kind == "check":
            return QCheckBox()
        return QLineEdit()

    def date_field(self, name: str) -> DateField:
        w = self.widgets[name]
        assert isinstance(w, DateField)
        return w

    def int_field(self, name: str) -> QSpinBox:
        w = self.widgets[name]
        assert isinstance(w, QSpinBox)
        return w

    def text_field(self, name: str) -> QLineEdit:
        w = self.widgets[name]
        assert isinstance(w, QLineEdit)
        return w

    def _update_vote(self) -> None:
        members, agree = self.int_field("members").value(), self.int_field("agree").value()
        try:
            passed = rules.vote_passes(agree, members)
        except ValueError:
            self.vote_result.setText(tr("Số phiếu không hợp lệ"))
            return
        need = -(-2 * members // 3)
        verdict = tr("ĐẠT") if passed else tr("KHÔNG ĐẠT")
        text = tr("{v} — tán thành {a}/{m}, cần ít nhất {n} (2/3 tổng số đảng viên chính thức)")
        self.vote_result.setText(text.format(v=verdict, a=agree, m=members, n=need))
        self.vote_result.setStyleSheet("color: #1b5e20; font-weight: bold;" if passed else "color: #b00020;")

    def official_members_on(self) -> int:
        try:
            on = self.date_field("on").date() or dt.date.today()
        except ValueError:
            on = dt.date.today()
        count = repo.members_on(self.org.id, on)
        return self.org.official_members if count is None else count

    def _update_members(self) -> None:
        fixed = self.members_fix.isChecked()
        spin = self.int_field("members")
        spin.setReadOnly(not fixed)
        self.members_reason.setEnabled(fixed)
        if not fixed:
            spin.setValue(self.official_members_on())
        self._update_vote()

    def _suggest_issuer(self) -> None:
        try:
            on = self.date_field("on").date()
        except ValueError:
            return
        committee = repo.committee_in_force(on) if on else None
        if committee is not None:
            self.text_field("issuer").setText(tr("Ban Thường vụ {name}").format(name=committee.name))

    def _certificate_from_end(self, text: str) -> None:
        if not self._on_typed:
            try:
                end = self.date_field("end").date()
            except ValueError:
                return
            if end is not None:
                self.date_field("on").set_date(end)

    def _update_dossier(self) -> None:
        combo = self.widgets["item"]
        assert isinstance(combo, QComboBox)
        intro = combo.currentData() == "gioi_thieu"
        for name in ("member", "together_since", "replacement"):
            self.widgets[name].setEnabled(intro)

    def _load(self, ev: repo.EventRow) -> None:
        self.date_field("on").set_date(ev.on)
        if self.kind == K.VOTE and ev.data.get("members_reason"):
            self.members_fix.setChecked(True)
            self.members_reason.setText(str(ev.data["members_reason"]))
        for name, w in self.widgets.items():
            if name == "on" or name not in ev.data or (name == "members" and self.kind == K.VOTE
                                                       and not ev.data.get("members_reason")):
                continue
            value = ev.data[name]
            if isinstance(w, DateField):
                w.set_date(pipeline.as_date(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(value)))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QLineEdit):
                w.setText(str(value or ""))

    # ---------------------------------------------------------------- saving

    def collect(self, problems: list[tuple[str, str]]) -> tuple[dt.date | None, dict[str, Any]]:
        # A correction keeps what the dialog does not show (a document's number, an introducer's dates…).
        data: dict[str, Any] = ({k: v for k, v in self.event.data.items() if k not in _NOT_CARRIED}
                                if self.event is not None else {})
        on: dt.date | None = None
        for name, w in self.widgets.items():
            if isinstance(w, DateField):
                value = self.read_date(name, problems)
                if name == "on":
                    on = value
                    if value is None and not any(n == "on" for n, _ in problems):
                        problems.append(("on", messages.text("date.required")))
                else:
                    data[name] = value.isoformat() if value else None
            elif isinstance(w, QSpinBox):
                data[name] = w.value() if w.value() != NOT_RECORDED else None
            elif isinstance(w, QComboBox):
                data[name] = w.currentData()
            elif isinstance(w, QCheckBox):
                data[name] = w.isChecked()
            elif isinstance(w, QLineEdit):
                data[name] = w.text().strip()
        if self.kind == K.VOTE:
            if self.members_fix.isChecked():
                data["members_reason"] = self.members_reason.text().strip()
            else:
                data.pop("members", None)  # the operation takes the organisation's count on the vote date
        if self.kind == K.DOSSIER and data.get("item") != "gioi_thieu":
            for name in ("member", "together_since", "replacement"):
                data.pop(name, None)
        return on, {k: v for k, v in data.items() if v not in (None, "")}

    def issues(self, on: dt.date, data: dict[str, Any]) -> list[pipeline.Issue]:
        """What saving would meet (errors and warnings), without writing."""
        return steps.check(self.candidate_id, self.kind, on, data, event_id=self.event.id if self.event else None)

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        on, data = self.collect(problems)
        if problems or on is None:
            self.show_errors(problems)
            return
        event = self.event
        if event is not None and event.id is not None:
            event_id = event.id
            saved = self.try_save(problems, lambda: steps.edit(event_id, on, data), confirmable=lambda accept: (
                steps.edit(event_id, on, data, accept=accept)))
        else:
            saved = self.try_save(problems, lambda: steps.record(self.candidate_id, self.kind, on, data),
                                  confirmable=lambda accept: steps.record(self.candidate_id, self.kind, on, data,
                                                                          accept=accept))
        if saved is None:
            if any(p.code == "vote.missing_dossier" for p in self.last_refusal):
                self.text_field("override_reason").setFocus()
            return
        self.saved_id = saved.created_id if saved.created_id is not None else (event.id if event else None)
        super().accept()

    def warning_text(self) -> str:
        return "" if self.general_error.isHidden() else self.general_error.text()

    @classmethod
    def ask(cls, parent: QWidget | None, candidate_id: int, kind: str, *,
            event: repo.EventRow | None = None, suggested: dt.date | None = None) -> int | None:
        dlg = cls(candidate_id, kind, event=event, parent=parent, suggested=suggested)
        return dlg.saved_id if dlg.exec() == QDialog.DialogCode.Accepted else None


Asker = Callable[..., int | None]

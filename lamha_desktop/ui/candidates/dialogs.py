"""The candidate (student) dialog: the person's data, validated field by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from lamha_desktop.domain import codelists
from lamha_desktop.operations import candidates
from lamha_desktop.storage import repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.widgets import DateField, FormDialog


def code_combo(items: list[codelists.CodeItem], default: str) -> QComboBox:
    """An editable combo over a code list; typed aliases are resolved when saving. ``default`` "" leaves it
    empty (an unknown fact, never guessed)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for item in items:
        combo.addItem(f"{item.name}", item.code)
    completer = combo.completer()
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    set_code(combo, default)
    return combo


def set_code(combo: QComboBox, code: str | None) -> None:
    """Select ``code``; an empty or unknown code leaves the box empty."""
    index = combo.findData(code) if code else -1
    combo.setCurrentIndex(index)
    if index < 0 and combo.lineEdit() is not None:
        combo.lineEdit().clear()


def combo_text_code(combo: QComboBox) -> str:
    """The code of what the user typed or picked ("" when the text is empty)."""
    text = combo.currentText().strip()
    idx = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if idx >= 0:
        return str(combo.itemData(idx))
    return text


class CandidateDialog(FormDialog):
    """Add or edit a candidate; saving runs the domain validation and the duplicate-ID check."""

    def __init__(self, candidate_id: int | None = None, *, organisation_id: int | None = None,
                 parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(tr("Sửa thông tin quần chúng") if candidate_id else tr("Thêm quần chúng"), parent)
        self.candidate_id = candidate_id
        self.today = today
        self.saved_id: int | None = None
        self.organisation = QComboBox()
        for o in repo.list_organisations(include_inactive=False):
            self.organisation.addItem(f"{o.code} — {o.name}", o.id)
        if organisation_id is not None:
            self.organisation.setCurrentIndex(max(0, self.organisation.findData(organisation_id)))
        self.add_field("organisation_id", tr("Tổ chức đả&ng:"), self.organisation)
        self.full_name = self.add_field("full_name", tr("&Họ và tên:"), QLineEdit())
        self.gender = QComboBox()
        self.gender.addItem(tr("— chọn —"), "")
        self.gender.addItem(tr("Nam"), "nam")
        self.gender.addItem(tr("Nữ"), "nu")
        self.add_field("gender", tr("&Giới tính:"), self.gender)
        self.birth = self.add_field("birth", tr("Ngày &sinh:"), DateField())
        self.ethnic = code_combo(codelists.ethnic_groups(), "")
        self.ethnic.lineEdit().setPlaceholderText(tr("chưa có — cần trước khi chi bộ biểu quyết"))
        self.add_field("ethnic", tr("&Dân tộc:"), self.ethnic)
        self.religion = code_combo(codelists.religions(), "00")
        self.add_field("religion", tr("&Tôn giáo:"), self.religion)
        self.personal_id = self.add_field("personal_id", tr("&Mã định danh:"), QLineEdit())
        self.personal_id.setPlaceholderText(tr("12 chữ số — có thể bổ sung sau, trước khi chi bộ biểu quyết"))
        self.personal_id.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9 ]{0,14}")))
        self.class_name = self.add_field("class_name", tr("&Lớp:"), QLineEdit())
        self.union_since = self.add_field("union_since", tr("Ngày vào Đ&oàn:"), DateField())
        self.graduation = QSpinBox()
        self.graduation.setRange(0, 2100)
        self.graduation.setSpecialValueText(tr("(không rõ)"))
        self.add_field("graduation_year", tr("Năm tốt ng&hiệp dự kiến:"), self.graduation)
        self.residence = self.add_field("residence", tr("Nơi ở &hiện nay:"), QLineEdit())
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        self.add_field("notes", tr("Ghi &chú:"), self.notes)
        if candidate_id is not None:
            self._load(repo.get_candidate(candidate_id))
        self.resize(560, self.sizeHint().height())

    def _load(self, c: dict[str, Any]) -> None:
        self.organisation.setCurrentIndex(max(0, self.organisation.findData(c["organisation_id"])))
        if self.organisation.currentData() != c["organisation_id"]:  # an inactive organisation
            org = repo.get_organisation(c["organisation_id"])
            self.organisation.addItem(f"{org.code} — {org.name}", org.id)
            self.organisation.setCurrentIndex(self.organisation.count() - 1)
        self.full_name.setText(c["full_name"])
        self.gender.setCurrentIndex(max(0, self.gender.findData(c["gender"])))
        self.birth.set_date(c["birth"])
        set_code(self.ethnic, c["ethnic"])
        self.religion.setCurrentIndex(max(0, self.religion.findData(c["religion"])))
        self.personal_id.setText(c["personal_id"])
        self.class_name.setText(c["class_name"])
        self.union_since.set_date(c["union_since"])
        self.graduation.setValue(c["graduation_year"] or 0)
        self.residence.setText(c["residence"])
        self.notes.setPlainText(c["notes"])

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        birth = self.read_date("birth", problems)
        union_since = self.read_date("union_since", problems)
        values = {
            "organisation_id": self.organisation.currentData(),
            "full_name": self.full_name.text(), "gender": self.gender.currentData(), "birth": birth,
            "ethnic": combo_text_code(self.ethnic), "religion": combo_text_code(self.religion),
            "personal_id": self.personal_id.text(), "class_name": self.class_name.text(),
            "union_since": union_since, "graduation_year": self.graduation.value() or None,
            "residence": self.residence.text(), "notes": self.notes.toPlainText(),
        }
        # Every problem at once: the fields' own checks run even when a date could not be read.
        unreadable = {name for name, _ in problems}
        problems.extend((p.field, messages.text(p.code, p.params))
                        for p in candidates.problems(values, self.candidate_id, today=self.today)
                        if not (p.field in unreadable and p.code.endswith(".required")))
        if self.candidate_id is None:
            saved = self.try_save(problems, lambda: candidates.create(values, today=self.today))
        else:
            cid = self.candidate_id
            saved = self.try_save(problems, lambda: candidates.edit(cid, values, today=self.today))
        if saved is not None:
            self.saved_id = saved.created_id or self.candidate_id
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, candidate_id: int | None = None, *,
            organisation_id: int | None = None) -> int | None:
        dlg = cls(candidate_id, organisation_id=organisation_id, parent=parent)
        return dlg.saved_id if dlg.exec() == QDialog.DialogCode.Accepted else None

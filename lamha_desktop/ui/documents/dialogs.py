"""'Soạn văn bản…': pick a document, fill in once what it still lacks, save it as a Word file and open it.

The dialog shows, for the chosen kind, its number (the one already given, or the next of its series) and the
facts it needs that a step stores (``reports.documents.assemble.FACTS``), with the ones still missing marked.
"Lưu văn bản…" stores what was typed and the number through ``operations.documents`` (or, for a ceremony,
``operations.ceremonies.set_details``), renders the document from the database with the user's template folder
and margins, asks where to save it, writes it atomically, and says what is still blank in it (highlighted in the
document). "Mở bằng Word" opens the saved file with the program Windows associates with .docx.

"Kiểm tra mẫu" (:class:`TemplateCheckDialog`) lists, for every kind, the user's own template and what its check
found: unknown or missing variables, a file that is not a Word document, a syntax error — and that the built-in
template is used instead.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.catalogue import DOCUMENT_NAMES, FACT_NAMES, FIELD_LABELS
from lamha_desktop.catalogue.paperwork import METHOD_NAMES
from lamha_desktop.domain import people
from lamha_desktop.domain.pipeline import as_date
from lamha_desktop.operations import OpChanges, ceremonies
from lamha_desktop.operations import documents as document_ops
from lamha_desktop.reports import documents
from lamha_desktop.reports.documents import assemble
from lamha_desktop.reports.documents.variables import build
from lamha_desktop.reports.files import ExportError, write_atomic
from lamha_desktop.storage import document_data
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.table_models import OVERDUE_COLOR, Column, RowsModel
from lamha_desktop.ui.widgets import DateField, FormDialog

__all__ = ["DocumentDialog", "TemplateCheckDialog", "copy_builtin_templates"]

NOT_RECORDED = -1
_MISSING_STYLE = "background: #fff59d;"


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", people.search_key(text))) or "van-ban"


def _step_name(holder: str | None) -> str:
    from lamha_desktop.ui.candidates.guide_view import step_name

    if holder is None:
        return ""
    if holder in ("gioi_thieu", "nx_doan_the", "nx_noi_cu_tru"):
        return step_name("dossier", holder)
    return step_name(holder)


def missing_text(missing: tuple[documents.MissingFact, ...]) -> str:
    """The facts a rendered document left blank, in words (a list item's with whom it is about)."""
    words = []
    for m in missing:
        word = tr(FACT_NAMES.get(m.path, m.path))
        words.append(f"{word} ({m.label})" if m.label else word)
    return "; ".join(dict.fromkeys(words))


@dataclass
class _Field:
    fact: assemble.Fact
    widget: QWidget
    label: QLabel


class DocumentDialog(FormDialog):
    """Write one of the admission documents of a student, or a ceremony's programme.

    ``saved_path`` is the file written last (None until then); ``last`` the last :class:`documents.Rendered`.
    """

    def __init__(self, parent: QWidget | None = None, *, candidate_id: int | None = None,
                 ceremony_id: int | None = None, kind: str | None = None, event_id: int | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(tr("Soạn văn bản"), parent)
        if candidate_id is None and ceremony_id is None:
            raise ValueError("a document is about a student or a ceremony")
        self.candidate_id = candidate_id
        self.ceremony_id = ceremony_id
        self.today = today or dt.date.today()
        self.saved_path: Path | None = None
        self.last: documents.Rendered | None = None
        self.prepared: assemble.Prepared | None = None
        self.fields: dict[str, _Field] = {}
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        self.add_field("kind", tr("&Văn bản:"), self.kind_combo)
        self.home = QLabel()
        self.home.setWordWrap(True)
        self.home.setObjectName("home")
        self.form.addRow(self.home)
        self.number = QLineEdit()
        self.number.setObjectName("number")
        self.add_field("number", tr("&Số văn bản:"), self.number)
        # de-nghi-hoc-lop: an organisation's letter with its list of students
        self.letter_box = QGroupBox(tr("Công văn và danh sách"))
        letter = QFormLayout(self.letter_box)
        self.signed_on = DateField(self.today)
        self.add_field("signed_on", tr("Ngày ký:"), self.signed_on, form=letter)
        self.recipient = QLineEdit()
        self.add_field("recipient", tr("Kính gửi:"), self.recipient, form=letter)
        self.course = QLineEdit()
        self.course.setPlaceholderText(tr("ví dụ: khóa 2 năm 2026 (có thể để trống)"))
        self.add_field("course", tr("Khóa học:"), self.course, form=letter)
        self.students_model = QStandardItemModel(self)
        self.students = QListView()
        self.students.setModel(self.students_model)
        self.students.setMinimumHeight(120)
        self.add_field("students", tr("Học sinh được đề nghị:"), self.students, form=letter)
        self.facts_box = QGroupBox(tr("Thông tin văn bản cần (ghi một lần, được lưu lại)"))
        self.facts_form = QFormLayout(self.facts_box)
        self.facts_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.letter_box)
        layout.insertWidget(2, self.facts_box)
        layout.insertWidget(3, self.status)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("&Lưu văn bản…"))
        ok.setToolTip(tr("Lưu các thông tin đã nhập, đánh số và lưu văn bản ra tệp Word (Ctrl+S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Đó&ng"))
        self.open_button = self.buttons.addButton(tr("&Mở bằng Word"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_in_word)
        self._fill_kinds(kind, event_id)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.load()
        self.resize(720, self.sizeHint().height())

    # ------------------------------------------------------------------ choosing

    def _fill_kinds(self, kind: str | None, event_id: int | None) -> None:
        if self.ceremony_id is not None and self.candidate_id is None:
            choices = [assemble.Choice("chuong-trinh-le")]
        else:
            assert self.candidate_id is not None
            choices = assemble.candidate_kinds(document_data.candidate_source(self.candidate_id))
        for choice in choices:
            name = tr(DOCUMENT_NAMES.get(choice.kind, choice.kind))
            if choice.detail:
                name += f" — {choice.detail}"
            self.kind_combo.addItem(name, choice)
        for i in range(self.kind_combo.count()):
            c = self.kind_combo.itemData(i)
            if c.kind == kind and (event_id is None or c.event_id == event_id):
                self.kind_combo.setCurrentIndex(i)
                break

    def choice(self) -> assemble.Choice:
        data = self.kind_combo.currentData()
        assert isinstance(data, assemble.Choice)
        return data

    def select_kind(self, kind: str) -> None:
        for i in range(self.kind_combo.count()):
            if self.kind_combo.itemData(i).kind == kind:
                self.kind_combo.setCurrentIndex(i)
                return
        raise KeyError(kind)

    # ------------------------------------------------------------------ preparing

    def _prepare(self) -> assemble.Prepared:
        choice = self.choice()
        if choice.kind == "chuong-trinh-le":
            ceremony = self.ceremony_id
            if ceremony is None:
                assert self.candidate_id is not None
                ceremony = document_data.candidate_source(self.candidate_id).ceremony_id
            assert ceremony is not None
            self.ceremony_id = ceremony
            return assemble.ceremony_document(document_data.ceremony_source(ceremony))
        assert self.candidate_id is not None
        if choice.kind == "de-nghi-hoc-lop":
            org_id = document_data.candidate_source(self.candidate_id).issuer.id
            try:
                signed = self.signed_on.date() or self.today
            except ValueError:
                signed = self.today
            recipient = self.recipient.text().strip() or None
            source = document_data.class_source(org_id, self.checked_students())
            return assemble.class_document(source, signed_on=signed, recipient=recipient,
                                           course=self.course.text().strip())
        return assemble.candidate_document(choice.kind, document_data.candidate_source(self.candidate_id),
                                           event_id=choice.event_id)

    def load(self) -> None:
        """Show the chosen kind: its home step, number, facts (missing ones marked) and letter fields."""
        self.clear_errors()
        self.status.clear()
        kind = self.choice().kind
        letter = kind == "de-nghi-hoc-lop"
        self.letter_box.setVisible(letter)
        if letter:
            self._load_students()
        prepared = self._prepare()
        self.prepared = prepared
        if letter and not self.recipient.text().strip():
            context = prepared.context
            assert isinstance(context, documents.ClassProposal)
            self.recipient.setText(context.recipient)
        self._show_home(prepared)
        self._show_number(prepared)
        self._show_facts(prepared)

    def _load_students(self) -> None:
        if self.students_model.rowCount() or self.candidate_id is None:
            return
        org_id = document_data.candidate_source(self.candidate_id).issuer.id
        for cid, name, certified in document_data.class_candidates(org_id):
            item = QStandardItem(name + (tr(" — đã có giấy chứng nhận") if certified else ""))
            item.setData(cid, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if cid == self.candidate_id else Qt.CheckState.Unchecked)
            self.students_model.appendRow(item)

    def checked_students(self) -> list[int]:
        out = []
        for i in range(self.students_model.rowCount()):
            item = self.students_model.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _show_home(self, prepared: assemble.Prepared) -> None:
        if prepared.home is None:
            self.home.setText(tr("Công văn của tổ chức: chọn học sinh, ngày ký và nơi nhận."))
            self.home.setStyleSheet("")
        elif not prepared.home_recorded:
            self.home.setText(tr("Chưa ghi bước \u201c{s}\u201d: văn bản vẫn soạn được nhưng còn chỗ trống, và các "
                                 "thông tin dưới đây chỉ lưu được khi đã ghi bước đó.").format(
                s=_step_name(prepared.home)))
            self.home.setStyleSheet("color: #8a5a00;")
        else:
            self.home.setText(tr("Văn bản soạn từ bước \u201c{s}\u201d của {n}.").format(
                s=_step_name(prepared.home), n=prepared.subject if prepared.kind != "chuong-trinh-le"
                else tr("buổi lễ")))
            self.home.setStyleSheet("")

    def _show_number(self, prepared: assemble.Prepared) -> None:
        plan = prepared.number
        self.number.setEnabled(plan is not None and (plan.event_id is not None or plan.key == ""))
        if plan is None:
            self.number.setText("")
            self.number.setPlaceholderText(tr("văn bản này không đánh số"))
            return
        next_text = plan.text(document_data.next_number(prepared.organisation_id, plan.series, plan.year))
        if plan.stored:
            self.number.setText(plan.stored)
        elif plan.optional:
            self.number.setText("")
        else:
            self.number.setText(next_text)
        self.number.setPlaceholderText(tr("để trống: không đánh số") if plan.optional else next_text)
        self.number.setToolTip(tr("Số tiếp theo của loại {s} năm {y}: {n}. Có thể sửa tay; số đã dùng được ghi "
                                  "nhớ để không cấp trùng.").format(s=plan.series, y=plan.year, n=next_text))

    def _missing_paths(self, prepared: assemble.Prepared) -> set[str]:
        try:
            _variables, missing = build(prepared.context)
        except documents.DocumentError:
            return set()
        return {m.path for m in missing}

    def _show_facts(self, prepared: assemble.Prepared) -> None:
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        for name in list(self.fields):  # a fact is a field by its name ("vote.chair"), as the operation names it
            self._errors.pop(name, None)
            self._fields.pop(name, None)
        self.fields = {}
        missing = self._missing_paths(prepared)
        for fact in prepared.facts:
            widget = self._widget(fact)
            name = fact.spec.name
            self.add_field(name, tr(FIELD_LABELS.get(name, name)) + ":", widget, form=self.facts_form)
            label = self.facts_form.labelForField(widget.parentWidget())
            assert isinstance(label, QLabel)
            if missing & set(fact.spec.answers):
                label.setStyleSheet(_MISSING_STYLE)
                label.setToolTip(tr("Văn bản còn để trống thông tin này."))
            can_store = fact.event_id is not None
            widget.setEnabled(can_store)
            if not can_store:
                widget.setToolTip(tr("Ghi bước \u201c{s}\u201d trước để lưu được thông tin này.").format(
                    s=_step_name(fact.spec.holder)))
            self.fields[name] = _Field(fact, widget, label)
        self.facts_box.setVisible(bool(prepared.facts))
        answered = {a for f in prepared.facts for a in f.spec.answers}
        others = sorted(missing - answered - {"number"})
        if others:
            self.status.setText(tr("Văn bản còn để trống (sửa ở hồ sơ, ở bước đã ghi hoặc trong Thiết lập): {f}.")
                                .format(f="; ".join(tr(FACT_NAMES.get(p, p)) for p in others)))
            self.status.setStyleSheet("color: #8a5a00;")

    def _widget(self, fact: assemble.Fact) -> QWidget:
        kind, value = fact.spec.kind, fact.value
        if kind == "count":
            spin = QSpinBox()
            spin.setRange(NOT_RECORDED, 100000)
            spin.setSpecialValueText(tr("(chưa ghi)"))
            spin.setValue(int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit())
                          else NOT_RECORDED)
            return spin
        if kind == "date":
            return DateField(as_date(value))
        if kind == "method":
            combo = QComboBox()
            combo.addItem(tr("(chưa ghi)"), "")
            for key, text in METHOD_NAMES.items():
                combo.addItem(tr(text), key)
            combo.setCurrentIndex(max(0, combo.findData(value or "")))
            return combo
        if kind == "long":
            edit = QPlainTextEdit(str(value or ""))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(48)
            return edit
        line = QLineEdit(str(value or ""))
        if kind == "time":
            line.setPlaceholderText(tr("giờ:phút, ví dụ 14:00"))
        return line

    def set_fact(self, name: str, value: Any) -> None:
        """Type ``value`` into the fact ``name`` ("vote.chair") as a user would."""
        w = self.fields[name].widget
        if isinstance(w, QSpinBox):
            w.setValue(NOT_RECORDED if value is None else int(value))
        elif isinstance(w, DateField):
            w.set_date(value)
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))

    def _typed(self, problems: list[tuple[str, str]]) -> dict[str, Any]:
        """The facts typed that differ from what is stored, by name."""
        out: dict[str, Any] = {}
        for name, f in self.fields.items():
            if f.fact.event_id is None:
                continue
            w = f.widget
            value: Any
            if isinstance(w, QSpinBox):
                value = None if w.value() == NOT_RECORDED else w.value()
            elif isinstance(w, DateField):
                try:
                    day = w.date()
                except ValueError:
                    problems.append((name, messages.text("date.invalid")))
                    continue
                value = day.isoformat() if day else None
            elif isinstance(w, QComboBox):
                value = w.currentData() or None
            elif isinstance(w, QPlainTextEdit):
                value = w.toPlainText().strip() or None
            else:
                assert isinstance(w, QLineEdit)
                value = w.text().strip() or None
            stored = f.fact.value if f.fact.value not in ("",) else None
            if value != stored and not (value is None and stored is None):
                out[name] = value
        return out

    # ------------------------------------------------------------------ saving

    def _store(self, prepared: assemble.Prepared, problems: list[tuple[str, str]]) -> str | bool | None:
        """Store the typed facts and the number; the number (None without one), or False when refused."""
        typed = self._typed(problems)
        plan = prepared.number
        number_text = self.number.text().strip()
        if problems:
            self.show_errors(problems)
            return False
        if prepared.kind == "chuong-trinh-le":
            assert self.ceremony_id is not None
            if typed:
                details = dict(document_data.ceremony_source(self.ceremony_id).data)
                details |= {name.split(".", 1)[1]: value for name, value in typed.items()}
                ceremony = self.ceremony_id
                if self.try_save([], lambda: ceremonies.set_details(ceremony, details)) is None:
                    return False
            return None
        if prepared.kind == "de-nghi-hoc-lop":
            assert plan is not None
            try:
                signed = self.signed_on.date()
            except ValueError:
                self.show_errors([("signed_on", messages.text("date.invalid"))])
                return False
            if signed is None:
                self.show_errors([("signed_on", messages.text("date.required"))])
                return False
            org = prepared.organisation_id
            changes = self.try_save([], lambda: document_ops.take_number(org, prepared.kind, signed,
                                                                         number=number_text))
            return False if changes is None else str(changes.result)
        assert self.candidate_id is not None
        # A number is given when the home step is recorded, unless the document may go without one and the
        # field was left empty; an empty field of a numbered document takes the next number.
        wants_number = plan is not None and plan.event_id is not None and not (plan.optional and not number_text)
        number_arg: str | None = None
        if wants_number and plan is not None and number_text != (plan.stored or ""):
            number_arg = number_text
        if not typed and number_arg is None:
            return plan.stored if plan is not None else None
        cid, kind, event_id = self.candidate_id, prepared.kind, self.choice().event_id

        def save(accept: Any = ()) -> OpChanges:
            return document_ops.save_facts(cid, kind, typed, event_id=event_id, number=number_arg, accept=accept)

        changes = self.try_save([], save, confirmable=save)
        if changes is None:
            return False
        return None if changes.result is None else str(changes.result)

    def accept(self) -> None:
        """"Lưu văn bản…": store what was typed, number, render, save the file; the dialog stays open."""
        self.clear_errors()
        prepared = self.prepared or self._prepare()
        if prepared.kind == "de-nghi-hoc-lop" and not self.checked_students():
            self.show_errors([("students", tr("Chọn ít nhất một học sinh."))])
            return
        stored = self._store(prepared, [])
        if stored is False:
            return
        prepared = self._prepare()
        if prepared.kind == "de-nghi-hoc-lop":
            context = prepared.context
            assert isinstance(context, documents.ClassProposal)
            prepared = assemble.class_document(
                document_data.class_source(prepared.organisation_id, self.checked_students()),
                signed_on=context.signed_on or self.today, recipient=context.recipient, course=context.course,
                number=str(stored) if stored else None)
        rendered = self.render(prepared)
        if rendered is None:
            return
        path = self.choose_path(f"{prepared.kind}-{_slug(prepared.subject)}.docx")
        if path is None:
            self.load()
            return
        try:
            write_atomic(path, rendered.data)
        except ExportError as exc:
            self.show_errors([("", messages.text(exc.code, exc.params))])
            return
        self.saved_path = path
        self.last = rendered
        QSettings().setValue("documents/folder", str(path.parent))
        self.open_button.setEnabled(True)
        self.load()
        lines = [messages.text("document.done", {"path": str(path)})]
        if rendered.missing:
            lines.append(tr("Còn để trống (đã tô vàng trong văn bản): {f}.").format(f=missing_text(rendered.missing)))
        if rendered.fallback is not None:
            first = rendered.fallback.problems()[0]
            lines.append(messages.text("document.template_fallback", {
                "path": str(rendered.fallback.path), "reason": messages.text(first[0], first[1])}))
        self.status.setText("\n".join(lines))
        self.status.setStyleSheet("color: #8a5a00;" if rendered.missing or rendered.fallback else
                                  "color: #1b5e20;")

    def render(self, prepared: assemble.Prepared) -> documents.Rendered | None:
        top, bottom, left, right = document_data.margins()
        try:
            return documents.render(prepared.kind, prepared.context, override_dir=document_data.template_folder(),
                                    margins=documents.Margins(top, bottom, left, right))
        except documents.DocumentError as exc:
            self.show_errors([("", messages.text(exc.code, exc.params))])
            return None

    def choose_path(self, name: str) -> Path | None:
        """Where to save: the user picks (the last folder used, else Documents)."""
        folder = str(QSettings().value("documents/folder", "") or "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _f = QFileDialog.getSaveFileName(self, tr("Lưu văn bản"), str(Path(folder) / name),
                                                 tr("Văn bản Word (*.docx)"))
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".docx" else path.with_suffix(".docx")

    def open_in_word(self) -> bool:
        """Open the saved file with the program the system associates with .docx (Word on an office PC)."""
        if self.saved_path is None:
            return False
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path))))

    @classmethod
    def ask(cls, parent: QWidget | None, *, candidate_id: int | None = None, ceremony_id: int | None = None,
            kind: str | None = None, event_id: int | None = None) -> Path | None:
        dlg = cls(parent, candidate_id=candidate_id, ceremony_id=ceremony_id, kind=kind, event_id=event_id)
        dlg.exec()
        return dlg.saved_path


# ------------------------------------------------------------------------------------------------ templates


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    path: Path | None
    check: documents.TemplateCheck | None


def template_rows(folder: Path | None) -> list[TemplateRow]:
    """For every kind: the user's own template in ``folder`` and its check (None: no template of its own)."""
    rows = []
    for kind in documents.KINDS.values():
        path = folder / kind.template if folder is not None else None
        if path is not None and path.is_file():
            rows.append(TemplateRow(kind.code, path, documents.check_template(path, kind.code)))
        else:
            rows.append(TemplateRow(kind.code, None, None))
    return rows


def _verdict(row: TemplateRow) -> str:
    if row.check is None:
        return tr("Dùng mẫu có sẵn")
    problems = row.check.problems()
    text = "; ".join(messages.text(code, params) for code, params in problems)
    return text if row.check.ok else text + " " + tr("→ dùng mẫu có sẵn thay thế.")


def copy_builtin_templates(folder: Path) -> list[Path]:
    """Copy the built-in templates into ``folder`` to be edited in Word (an existing file is never replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for kind in documents.KINDS.values():
        target = folder / kind.template
        if not target.exists():
            shutil.copyfile(kind.builtin, target)
            copied.append(target)
    return copied


class TemplateCheckDialog(QDialog):
    """"Kiểm tra mẫu": the user's templates checked, kind by kind."""

    def __init__(self, folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Kiểm tra mẫu văn bản"))
        self.folder = folder
        layout = QVBoxLayout(self)
        head = QLabel(tr("Thư mục mẫu riêng: {f}").format(f=str(folder)) if folder else
                      tr("Chưa chọn thư mục mẫu riêng: mọi văn bản dùng mẫu có sẵn."))
        head.setWordWrap(True)
        layout.addWidget(head)
        self.model: RowsModel[TemplateRow] = RowsModel([
            Column(tr("Văn bản"), lambda r: tr(DOCUMENT_NAMES.get(r.kind, r.kind))),
            Column(tr("Tệp mẫu"), lambda r: r.path.name if r.path else tr("(mẫu có sẵn)")),
            Column(tr("Kết quả kiểm tra"), _verdict,
                   foreground=lambda r: OVERDUE_COLOR if r.check is not None and not r.check.ok else None),
        ], self)
        self.model.set_rows(template_rows(folder))
        view = QTableView()
        view.setModel(self.model)
        view.setWordWrap(True)
        view.horizontalHeader().setStretchLastSection(True)
        view.resizeColumnsToContents()
        view.resizeRowsToContents()
        layout.addWidget(view, 1)
        close = QPushButton(tr("Đó&ng"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(900, 420)

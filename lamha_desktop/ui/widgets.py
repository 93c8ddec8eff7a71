"""Small widgets shared by the dialogs: a date field that takes dd/mm/yyyy, and a form with errors per field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lamha_desktop.domain import validation
from lamha_desktop.ui import messages
from lamha_desktop.ui.messages import tr

if TYPE_CHECKING:
    from lamha_desktop.operations import OpChanges


def fitting_size(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """``width`` × ``height``, or less on a small screen: a dialog never reaches past the screen's free area
    (1093×614 at 125 % scaling of a 1366×768 laptop)."""
    from PySide6.QtGui import QGuiApplication

    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    free = screen.availableGeometry()
    return min(width, int(free.width() * 0.96)), min(height, int(free.height() * 0.92))


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """A Yes/No question whose default is No; True when the user answered Yes."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy (also d/m/yy, yyyy-mm-dd); empty means no date."""

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(tr("ngày/tháng/năm"))
        self.setMaxLength(10)
        self.setClearButtonEnabled(True)
        self.set_date(value)

    def set_date(self, value: dt.date | None) -> None:
        self.setText(messages.fmt_date(value))

    def date(self) -> dt.date | None:
        """The date, None when empty; raises ValueError("date.invalid") for text that is no real date."""
        text = self.text().strip()
        if not text:
            return None
        return validation.parse_date_vn(text)


def standard_buttons(dialog: QDialog, *, save_text: str | None = None) -> QDialogButtonBox:
    """OK/Cancel with Vietnamese texts (Qt's own Vietnamese catalogue is incomplete)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(save_text or tr("&Lưu"))
    ok.setShortcut("Ctrl+S")
    ok.setToolTip(tr("Lưu (Ctrl+S)"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("&Hủy"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _edit_signals(widget: QWidget) -> list[Any]:
    """The signals a user's change of ``widget`` (or of the editors inside it) emits."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QPlainTextEdit, QSpinBox

    found: list[Any] = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if isinstance(w, QLineEdit):
            found.append(w.textEdited)
        elif isinstance(w, QComboBox):
            found.append(w.activated)
            if w.isEditable() and w.lineEdit() is not None:
                found.append(w.lineEdit().textEdited)
        elif isinstance(w, QSpinBox):
            found.append(w.valueChanged)
        elif isinstance(w, QAbstractSpinBox):
            found.append(w.editingFinished)
        elif isinstance(w, QPlainTextEdit):
            found.append(w.textChanged)
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            found.append(w.toggled)
    return found


class FormDialog(QDialog):
    """A dialog with a form whose fields each have an error label under them."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._errors: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet("color: #b00020;")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        self.buttons = standard_buttons(self)
        layout.addWidget(self.buttons)
        self._accepted_warnings: tuple[str, ...] = ()
        self.last_refusal: list[Any] = []  # the problems of the last refused save

    def add_field(self, name: str, label: str, widget: QWidget, *, form: QFormLayout | None = None) -> QWidget:
        """Add ``widget`` as the field ``name`` (with its error label under it) to the dialog's form, or to
        another ``form`` of the dialog (a group of fields)."""
        holder = QWidget()
        v = QVBoxLayout(holder)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(widget)
        err = QLabel()
        err.setObjectName(f"error_{name}")
        err.setStyleSheet("color: #b00020;")
        err.setWordWrap(True)
        err.hide()
        v.addWidget(err)
        lbl = QLabel(label)
        lbl.setBuddy(widget)
        (form or self.form).addRow(lbl, holder)
        self._errors[name] = err
        self._fields[name] = widget
        # Correcting a field takes its message away at once (it used to stay red until the next save).
        for signal in _edit_signals(widget):
            signal.connect(lambda *_args, field=name: self.clear_error(field))
        return widget

    def clear_error(self, name: str) -> None:
        """Hide the message of one field (the user is correcting it)."""
        lbl = self._errors.get(name)
        if lbl is not None and not lbl.isHidden():
            lbl.clear()
            lbl.hide()

    def add_history_button(self, table: str, row_id: int) -> QPushButton:
        """ "Lịch sử thay đổi…": the audit trail of the record this dialog edits."""
        button = self.buttons.addButton(tr("Lịch sử &thay đổi…"), QDialogButtonBox.ButtonRole.HelpRole)
        button.clicked.connect(lambda: self.show_history(table, row_id))
        return button

    def show_history(self, table: str, row_id: int) -> QDialog:
        from lamha_desktop.storage.audit import AuditFilter
        from lamha_desktop.ui.safety.audit import AuditDialog

        dialog = AuditDialog(AuditFilter(table=table, row_id=row_id), self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def field_widget(self, name: str) -> QWidget:
        return self._fields[name]

    def register_field(self, name: str, widget: QWidget, error: QLabel) -> None:
        """Make ``widget`` a field of the dialog whose errors ``error`` shows (for layouts other than a form)."""
        error.setObjectName(f"error_{name}")
        error.setStyleSheet("color: #b00020;")
        error.setWordWrap(True)
        error.hide()
        self._errors[name] = error
        self._fields[name] = widget

    def clear_errors(self) -> None:
        for lbl in self._errors.values():
            lbl.clear()
            lbl.hide()
        self.general_error.hide()

    def error_text(self, name: str) -> str:
        return self._errors[name].text() if name in self._errors else ""

    def show_errors(self, problems: Iterable[tuple[str, str]]) -> None:
        """Show (field, message) pairs next to their fields; focus the first one."""
        self.general_error.setStyleSheet("color: #b00020;")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None and ok.text() == tr("&Vẫn lưu"):
            ok.setText(tr("&Lưu"))
        first: QWidget | None = None
        general: list[str] = []
        for name, message in problems:
            lbl = self._errors.get(name)
            if lbl is None:
                general.append(message)
                continue
            lbl.setText((lbl.text() + "\n" if lbl.text() else "") + message)
            lbl.show()
            if first is None:
                first = self._fields[name]
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_save(self, problems: list[tuple[str, str]], save: Callable[[], OpChanges],
                 *, confirmable: Callable[[Sequence[str]], OpChanges] | None = None) -> OpChanges | None:
        """Run ``save`` (an operation) unless ``problems`` already has some; a refusal's problems join them and
        are shown beside their fields. On success the change is announced to every view and returned.

        With ``confirmable`` (an operation taking the accepted warning codes) warnings are shown first and the
        change is made on a second press of the button, which then reads "Vẫn lưu"."""
        from lamha_desktop.operations import NeedsConfirmation, Refused
        from lamha_desktop.storage.db import StorageError
        from lamha_desktop.ui.changes import announce, problem_line, reload_after

        result: OpChanges | None = None
        self.last_refusal = []
        if not problems:
            try:
                result = confirmable(self._accepted_warnings) if confirmable is not None else save()
            except Refused as exc:
                self.last_refusal = list(exc.problems)
                problems.extend((p.field if p.field in self._errors else "", problem_line(p))
                                for p in exc.problems)
                reload_after(exc)  # changed by another clerk: the views reload, this form keeps its values
            except NeedsConfirmation as exc:
                self._accepted_warnings = exc.codes
                self.show_warnings([problem_line(w) for w in exc.warnings])
                return None
            except StorageError as exc:
                problems.append(("", messages.text(exc.code, exc.params)))
        if problems:
            self._accepted_warnings = ()
            self.show_errors(problems)
            return None
        assert result is not None
        announce(result)
        return result

    def show_warnings(self, texts: list[str]) -> None:
        self.general_error.setStyleSheet("color: #8a5a00;")
        self.general_error.setText(tr("Cảnh báo:") + "\n• " + "\n• ".join(texts) + "\n" +
                                   tr("Bấm \u201cVẫn lưu\u201d để ghi cùng các cảnh báo."))
        self.general_error.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("&Vẫn lưu"))

    def read_date(self, name: str, problems: list[tuple[str, str]]) -> dt.date | None:
        widget = self._fields[name]
        assert isinstance(widget, DateField)
        try:
            return widget.date()
        except ValueError:
            problems.append((name, messages.text("date.invalid")))
            return None

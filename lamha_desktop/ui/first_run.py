"""First start on an empty database: a short setup of the upper committee, the school and its party organisation.

``run_if_needed(window)`` is called by ``app.main`` (never by ``app.build``, so tests building the window see no
dialog); ``open_first_run(window)`` opens the same setup again from the settings. The choice is remembered in the
database setting ``first_run_done`` (set when the setup is saved or skipped; not when the user only tries the demo).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import sys
from typing import Any

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.operations import Refused, setup
from lamha_desktop.storage import repo, settings
from lamha_desktop.storage.db import StorageError
from lamha_desktop.ui import messages
from lamha_desktop.ui.changes import announce
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.widgets import DateField, FormDialog

__all__ = ["FirstRunDialog", "Outcome", "demo_command", "launch_demo", "needed", "open_first_run",
           "run_if_needed"]

NEW_COMMITTEE = -1  # the combo entry "add the committee in force now"


class Outcome(enum.StrEnum):
    SAVED = "saved"  # the organisation (and committee) were saved
    LATER = "later"  # "Để sau", Esc or the window's close button
    DEMO = "demo"  # the demo was started in a new process


def needed() -> bool:
    """An empty database whose first-run setup was neither done nor skipped."""
    return not repo.list_organisations() and not settings.get("first_run_done")


def demo_command() -> tuple[str, list[str]]:
    """The program and arguments that start this application on the demo data."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "lamha_desktop", "--demo"]


def launch_demo() -> bool:
    program, args = demo_command()
    started = QProcess.startDetached(program, args)
    return bool(started[0] if isinstance(started, tuple) else started)


def _field_of(problem: repo.FieldProblem) -> str:
    """The dialog's field for a problem of the committee ("committee.*") or of the organisation."""
    if problem.code.startswith("committee."):
        return {"valid_from": "committee_from", "valid_to": "committee_to"}.get(problem.field, "committee_name")
    return problem.field


class FirstRunDialog(FormDialog):
    """The setup: upper committee, school and party organisation; or try the demo; or later."""

    def __init__(self, org_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Thiết lập ban đầu"), parent)
        self.setObjectName("first_run")
        self.org_id = org_id
        self.saved_id: int | None = None
        self.outcome = Outcome.LATER
        intro = QLabel(tr(
            "<b>Chào mừng!</b> Nhập vài thông tin về trường và tổ chức đảng của trường để bắt đầu. "
            "Mọi thông tin đều sửa lại được sau (thẻ <i>Tổ chức đảng</i>). "
            "Muốn xem thử trước, hãy bấm <i>Mở dữ liệu mẫu</i>: dữ liệu mẫu mở trong cửa sổ riêng, "
            "không động tới dữ liệu thật."))
        intro.setWordWrap(True)
        self.layout().insertWidget(0, intro)

        self.form.addRow(self._heading(tr("Cấp ủy cấp trên")))
        self.committee = QComboBox()
        self.add_field("committee", tr("&Cấp ủy:"), self.committee)
        self.committee_name = self.add_field("committee_name", tr("&Tên cấp ủy:"), QLineEdit())
        self.committee_name.setPlaceholderText(tr("ví dụ: Đảng ủy xã … / Tỉnh ủy …"))
        self.committee_from = self.add_field("committee_from", tr("Hiệu lực từ ngà&y:"), DateField())
        self.committee_to = self.add_field("committee_to", tr("Hiệu lực đế&n ngày:"), DateField())
        self.committee_hint = QLabel()
        self.committee_hint.setWordWrap(True)
        self.committee_hint.setStyleSheet("color: #555;")
        self.form.addRow(self.committee_hint)

        self.form.addRow(self._heading(tr("Trường và tổ chức đảng")))
        self.school_name = self.add_field("school_name", tr("T&rường:"), QLineEdit())
        self.school_name.setPlaceholderText(tr("Trường THPT …"))
        self.code = self.add_field("code", tr("&Mã viết tắt:"), QLineEdit())
        self.code.setPlaceholderText(tr("ví dụ: LQD (dùng trong tên tệp)"))
        self.kind = QComboBox()
        for key, label in messages.ORG_KIND_NAMES.items():
            self.kind.addItem(tr(label), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(str(OrgKind.CHI_BO))))
        self.add_field("kind", tr("&Loại hình:"), self.kind)
        self.name = self.add_field("name", tr("Tên tổ chức đả&ng:"), QLineEdit())
        self.name.setPlaceholderText(tr("Chi bộ Trường THPT … / Đảng bộ Trường THPT …"))
        # The one place of the organisation's documents ("Nam Ban, ngày … tháng … năm …"), asked once here.
        self.place = self.add_field("place", tr("Địa &danh trên văn bản:"), QLineEdit())
        self.place.setPlaceholderText(tr("ví dụ: Nam Ban (in ở dòng “…, ngày … tháng … năm …”)"))
        self.members = QSpinBox()
        self.members.setRange(0, 10000)
        self.members.setValue(3)
        self.add_field("official_members", tr("Số đảng viên c&hính thức:"), self.members)
        self.secretary = self.add_field("secretary", tr("&Bí thư (ký báo cáo):"), QLineEdit())
        self.target = QSpinBox()
        self.target.setRange(0, 1000)
        self.target.setValue(1)
        self.add_field("annual_target", tr("Chỉ tiê&u kết nạp mỗi năm:"), self.target)

        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("&Lưu và bắt đầu"))
        self.later_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.later_button.setText(tr("Để &sau"))
        self.demo_button = QPushButton(tr("Mở dữ liệu &mẫu"))
        self.demo_button.setToolTip(tr("Mở chương trình với dữ liệu mẫu (5 trường) để dùng thử"))
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button.clicked.connect(self.open_demo)

        self._name_edited = False
        self._code_edited = False
        self.name.textEdited.connect(self._on_name_edited)
        self.code.textEdited.connect(self._on_code_edited)
        self.school_name.textChanged.connect(self._suggest_name)
        self.school_name.textChanged.connect(self._suggest_code)
        self.kind.currentIndexChanged.connect(self._suggest_name)
        self.committee.currentIndexChanged.connect(self._committee_chosen)
        self._load_committees()
        if org_id is not None:
            self._load(repo.get_organisation(org_id))
        self.resize(600, self.sizeHint().height())

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setContentsMargins(0, 8, 0, 0)
        return label

    # ------------------------------------------------------------ committee

    def _load_committees(self, select: int | None = None) -> None:
        self._committees = {c.id: c for c in repo.list_committees()}
        self.committee.blockSignals(True)
        self.committee.clear()
        for c in self._committees.values():
            until = f" — {tr('đến')} {messages.fmt_date(c.valid_to)}" if c.valid_to else ""
            self.committee.addItem(c.name + until, c.id)
        self.committee.addItem(tr("— Thêm cấp ủy cấp trên hiện nay —"), NEW_COMMITTEE)
        self.committee.blockSignals(False)
        if select is None:
            current = repo.committee_in_force(dt.date.today())
            select = current.id if current is not None else NEW_COMMITTEE
        self.committee.setCurrentIndex(max(0, self.committee.findData(select)))
        self._committee_chosen()

    def _committee_chosen(self) -> None:
        cid = self.committee.currentData()
        c = self._committees.get(cid)
        if c is not None:
            self.committee_name.setText(c.name)
            self.committee_from.set_date(c.valid_from)
            self.committee_to.set_date(c.valid_to)
            self.committee_hint.setText("")
            return
        ended = [x.valid_to for x in self._committees.values() if x.valid_to is not None]
        self.committee_name.clear()
        self.committee_from.set_date(max(ended) + dt.timedelta(days=1) if ended else None)
        self.committee_to.set_date(None)
        self.committee_hint.setText(tr(
            "Cấp ủy trực tiếp quyết định kết nạp (tên in ở đầu báo cáo). Từ 01/07/2025 không còn cấp huyện: "
            "nhập cấp ủy hiện nay; để trống nếu chưa rõ."))

    def _committee_values(self, problems: list[tuple[str, str]]) -> dict[str, Any]:
        """The committee's name and dates (its place, a fallback for organisations without one, is not asked
        here: the organisation's own place is)."""
        return {"name": self.committee_name.text(),
                "valid_from": self.read_date("committee_from", problems),
                "valid_to": self.read_date("committee_to", problems)}

    # ------------------------------------------------------------ organisation

    def _on_name_edited(self, text: str) -> None:
        self._name_edited = bool(text.strip())

    def _on_code_edited(self, text: str) -> None:
        self._code_edited = bool(text.strip())

    def _suggest_code(self) -> None:
        """"LQD" from "Trường THPT Lê Quý Đôn" (the initials after the kind of school), until the user types one."""
        if self._code_edited:
            return
        self.code.setText(suggested_code(self.school_name.text()))

    def _suggest_name(self) -> None:
        """"Chi bộ Trường THPT X" / "Đảng bộ Trường THPT X" from the school, until the user types a name."""
        school = self.school_name.text().strip()
        if self._name_edited or not school:
            return
        prefix = tr("Đảng bộ") if OrgKind.of(self.kind.currentData()).party_committee else tr("Chi bộ")
        self.name.setText(f"{prefix} {school}")

    def _load(self, o: repo.OrgRow) -> None:
        self.code.setText(o.code)
        self.school_name.setText(o.school_name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(o.kind)))
        self.name.setText(o.name)
        self._name_edited = True
        self._code_edited = True
        self.place.setText(o.place)
        self.members.setValue(o.official_members)
        self.secretary.setText(o.secretary)
        self.target.setValue(o.annual_target)
        if o.upper_committee_id is not None:
            self._load_committees(o.upper_committee_id)

    def org_values(self) -> dict[str, Any]:
        return {
            "code": self.code.text(), "school_name": self.school_name.text(), "name": self.name.text(),
            "kind": self.kind.currentData(), "official_members": self.members.value(),
            "secretary": self.secretary.text(), "annual_target": self.target.value(), "place": self.place.text(),
        }

    # ------------------------------------------------------------ buttons

    def accept(self) -> None:
        self.clear_errors()
        problems: list[tuple[str, str]] = []
        committee = self._committee_values(problems)
        if problems:
            self.show_errors(problems)
            return
        cid = self.committee.currentData()
        changed = cid == NEW_COMMITTEE or (cid is not None and self._committee_changed(cid, committee))
        try:
            changes = setup.first_run(committee if changed else None,
                                      setup.NEW_COMMITTEE if cid == NEW_COMMITTEE else cid,
                                      self.org_values(), self.org_id)
        except Refused as exc:
            self.show_errors((_field_of(p), messages.text(p.code, p.params)) for p in exc.problems)
            return
        except StorageError as exc:
            self.show_errors([("", messages.text(exc.code, exc.params))])
            return
        announce(changes)
        self.saved_id = changes.created_id
        self.outcome = Outcome.SAVED
        super().accept()

    def _committee_changed(self, cid: int, values: dict[str, Any]) -> bool:
        c = self._committees[cid]
        return (c.name, c.valid_from, c.valid_to) != (values["name"].strip(), values["valid_from"], values["valid_to"])

    def open_demo(self) -> None:
        if not launch_demo():
            QMessageBox.warning(self, tr("Không mở được dữ liệu mẫu"),
                                tr("Không khởi động được chương trình với dữ liệu mẫu."))
            return
        self.outcome = Outcome.DEMO
        super().reject()

    def done(self, result: int) -> None:
        """Remember the setup as done when it was saved or skipped (not when only the demo was opened)."""
        if self.outcome not in (Outcome.DEMO, Outcome.SAVED) and not settings.get("first_run_done"):
            with contextlib.suppress(StorageError):
                setup.finish()
        super().done(result)

    # ------------------------------------------------------------ entry points

    @classmethod
    def run(cls, parent: QWidget | None, org_id: int | None = None) -> Outcome:
        dlg = cls(org_id, parent)
        dlg.exec()
        return dlg.outcome

    @classmethod
    def ask(cls, parent: QWidget | None, org_id: int | None = None) -> bool:
        """Run the setup; True when an organisation was saved."""
        return cls.run(parent, org_id) == Outcome.SAVED




def suggested_code(school_name: str) -> str:
    """A short code for a school: the initials of its name after "Trường THPT" ("Lê Quý Đôn" -> "LQD", "Nam
    Ban" -> "NB"); a one-word name is kept whole. Only a suggestion: the user may type another."""
    from lamha_desktop.domain import people

    words = people.search_key(school_name).upper().split()
    while words and words[0].lower() in {"truong", "thpt", "thcs", "pt", "ptdtnt", "dtnt", "ptth", "va"}:
        words.pop(0)
    words = [w for w in words if w.isalnum()]
    if not words:
        return ""
    code = words[0] if len(words) == 1 else "".join(w[0] for w in words)
    return code[:16]


def run_if_needed(window: QWidget | None) -> Outcome | None:
    """At start-up: the setup when the database is empty and the setup was never done; None otherwise."""
    if not needed():
        return None
    return FirstRunDialog.run(window)


def open_first_run(window: QWidget | None) -> Outcome:
    """The setup again, from the settings: edits the organisation when there is exactly one, else adds one."""
    orgs = repo.list_organisations()
    return FirstRunDialog.run(window, orgs[0].id if len(orgs) == 1 else None)

"""A new school's first hour, driven through the real windows like a clerk, counting what it takes.

Starts on an empty data folder: the first-run setup; a teacher's plain class list (STT, Họ và tên, Ngày sinh,
Giới tính, Lớp: no personal ID, no ethnic group) imported through the wizard; one student admitted with the
whole lawful history the rules ask for (the missing facts filled in, source, awareness class, the seven papers of
the dossier, the chi bộ's vote, the decision, the ceremony); the summary saved as PDF. The place and the signer
typed at the setup must be the ones printed. The number of dialogs and clicks is printed and kept in
docs/ux.md; the test fails when it grows past that figure.

What counts: every top-level dialog shown (the file dialog too); one click per button, tab, table row or
check box pressed, per menu entry (two: the menu, then the entry) and per field typed into (the click that puts
the cursor there). Fields left as the program fills them are not touched.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from classlist_files import write_xlsx
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from lamha_desktop import app
from lamha_desktop.storage import db, repo
from lamha_desktop.ui import first_run
from lamha_desktop.ui.importing import wizard

# The figures of docs/ux.md ("after"): the journey may not take more.
MAX_DIALOGS = 13
MAX_CLICKS = 60

SECRETARY = "Trần Thị Minh Tâm"
PLACE = "Nam Ban"


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class Journey(QObject):
    """Counts dialogs (every top-level dialog shown) and clicks; runs a handler for each expected dialog."""

    SEEN: ClassVar[str] = "journey_seen"

    dialogs: list[str] = field(default_factory=list)
    clicks: int = 0
    typed: int = 0
    failures: list[str] = field(default_factory=list)
    handlers: deque[tuple[type, Callable[[Any], None]]] = field(default_factory=deque)

    def __post_init__(self) -> None:
        QObject.__init__(self)

    # ------------------------------------------------------------------ dialogs

    def expect(self, kind: type, handler: Callable[[Any], None]) -> None:
        """Run ``handler`` on the next dialog of ``kind`` that shows (inside its own event loop)."""
        self.handlers.append((kind, handler))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A dialog is marked on itself, not remembered by ``id()``: a closed dialog's wrapper is collected and its
        # id may come back for the next one, which then went unhandled and left its modal loop waiting.
        if (event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow()
                and not watched.property(self.SEEN)):
            watched.setProperty(self.SEEN, True)
            self.dialogs.append(f"{type(watched).__name__}: {watched.windowTitle()}")
            if self.handlers and isinstance(watched, self.handlers[0][0]):
                _kind, handler = self.handlers.popleft()
                QTimer.singleShot(0, lambda: self._run(handler, watched))
        return False

    def _run(self, handler: Callable[[Any], None], dialog: QDialog) -> None:
        try:
            handler(dialog)
        except BaseException as exc:  # a failed step closes its dialog, so that the test ends and says why
            self.failures.append(f"{type(dialog).__name__}: {exc!r}")
        if dialog.isVisible():
            problem = getattr(dialog, "general_error", None)
            errors = [w.text() for w in dialog.findChildren(QWidget) if w.objectName().startswith("error_")
                      and hasattr(w, "text") and w.text()]
            self.failures.append(f"{type(dialog).__name__} stayed open: {errors} "
                                 f"{problem.text() if problem is not None else ''}")
            dialog.reject()

    def file_dialog(self) -> None:
        """A native file dialog (replaced in the test): one dialog, a click on the file and one on Open."""
        self.dialogs.append("QFileDialog")
        self.clicks += 2

    # ------------------------------------------------------------------ the mouse and the keyboard

    def click(self, widget: QWidget) -> None:
        assert widget.isEnabled(), widget
        assert widget.isVisible(), widget
        self.clicks += 1
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    def press(self, parent: QWidget, text: str) -> None:
        """Click the button of ``parent`` whose text (without its "&") is ``text``."""
        for b in parent.findChildren(QAbstractButton):
            if b.text().replace("&", "") == text and b.isVisible():
                self.click(b)
                return
        raise AssertionError(f"no button “{text}” in {parent.windowTitle()}")

    def save(self, dialog: QDialog) -> None:
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        self.click(box.button(QDialogButtonBox.StandardButton.Ok))

    def type(self, widget: QWidget, text: str) -> None:
        """Click into a field and type (QTest cannot type "Đ": the text is set as typing leaves it)."""
        self.clicks += 1
        self.typed += 1
        widget.setFocus()
        if isinstance(widget, QSpinBox):
            widget.setValue(int(text))
            return
        edit = widget.lineEdit() if isinstance(widget, QComboBox) else widget
        assert isinstance(edit, QLineEdit), widget
        edit.setText(text)
        edit.textEdited.emit(text)

    def menu(self, action: Any) -> None:
        """A menu entry: the menu, then the entry."""
        assert action.isEnabled()
        self.clicks += 2
        action.trigger()

    def tab(self, tabs: Any, widget: QWidget) -> None:
        bar = tabs.tabBar()
        self.clicks += 1
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tabs.indexOf(widget)).center())

    def row(self, view: Any, row: int) -> None:
        self.clicks += 1
        rect = view.visualRect(view.model().index(row, 0))
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def journey(qapp: QApplication) -> Iterator[Journey]:
    j = Journey()
    qapp.installEventFilter(j)
    yield j
    qapp.removeEventFilter(j)


def class_list(path: Path, today: dt.date) -> tuple[Path, str]:
    """A teacher's plain class list of six students; the first is old enough to be admitted now."""
    rows = [["DANH SÁCH HỌC SINH LỚP 12A1"], ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp"]]
    students = [("Nguyễn Thị Ánh", dt.date(today.year - 19, 1, 15), "Nữ"),
                ("Trần Văn Bình", dt.date(today.year - 17, 3, 2), "Nam"),
                ("Lê Thị Châu", dt.date(today.year - 17, 7, 21), "Nữ"),
                ("K'Brông Dũng", dt.date(today.year - 17, 11, 9), "Nam"),
                ("Phạm Ngọc Hà", dt.date(today.year - 16, 5, 30), "Nữ"),
                ("Hoàng Minh Khoa", dt.date(today.year - 16, 12, 1), "Nam")]
    for i, (name, born, gender) in enumerate(students, start=1):
        rows.append([i, name, born, gender, "12A1"])
    return write_xlsx(path, rows, sheet="12A1"), students[0][0]


def dates(today: dt.date) -> dict[str, dt.date]:
    """The steps of the admission, counted back from a ceremony inside the period the summary proposes (the
    first half until September, then the whole year), so that the student is in that summary."""
    proposed_end = dt.date(today.year, 6, 30) if today.month <= 9 else dt.date(today.year, 12, 31)
    ceremony = min(today - dt.timedelta(days=3), proposed_end)
    if ceremony.year < today.year:  # the first days of January: the ceremony is today
        ceremony = today
    back = lambda n: ceremony - dt.timedelta(days=n)  # noqa: E731
    return {"source": back(150), "class_start": back(125), "class_end": back(121), "dossier": back(90),
            "together": back(600), "vote": back(40), "decision": back(20), "received": back(15),
            "ceremony": ceremony}


def test_first_hour(tmp_path: Path, qt_settings: None, journey: Journey, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:
    today = dt.date.today()
    when = dates(today)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the summary is saved in the clerk's folder
    (tmp_path / "home").mkdir()
    plain, name = class_list(tmp_path / "lop_12A1.xlsx", today)
    monkeypatch.setattr(wizard, "choose_file", lambda *_a: journey.file_dialog() or str(plain))

    started = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
    window: Any = started.window
    window.resize(1366, 728)
    window.show()

    # 1. The first-run setup, shown over the main window at the first start (as app.main does).
    def setup(dlg: first_run.FirstRunDialog) -> None:
        journey.type(dlg.committee_name, "Đảng ủy xã Nam Ban")
        journey.type(dlg.school_name, "Trường THPT Nam Ban")
        assert dlg.code.text() == "NB"
        assert dlg.name.text() == "Chi bộ Trường THPT Nam Ban"
        journey.type(dlg.place, PLACE)
        journey.type(dlg.members, "5")
        journey.type(dlg.secretary, SECRETARY)
        journey.save(dlg)

    journey.expect(first_run.FirstRunDialog, setup)
    assert first_run.run_if_needed(window) == first_run.Outcome.SAVED
    (org,) = repo.list_organisations()
    assert (org.place, org.secretary, org.official_members) == (PLACE, SECRETARY, 5)

    # 2. The teacher's plain class list: all six students, as incomplete records.
    def import_list(dlg: wizard.ImportDialog) -> None:
        journey.press(dlg, "Chọn tệp…")
        assert dlg.page() == dlg.PAGE_FILE  # choosing the file does not jump past this page
        journey.click(dlg.next_button)
        info = dlg.mapping.info.text()
        assert info.count("Tệp không có cột Mã định danh và Dân tộc") == 1, info
        journey.click(dlg.next_button)
        assert dlg.plan is not None
        assert dlg.plan.counts() == {"new": 6, "update": 0, "unchanged": 0, "error": 0}
        journey.click(dlg.import_button)
        assert dlg.import_counts == {"new": 6, "updated": 0, "unchanged": 0, "rejected": 0}
        journey.click(dlg.cancel_button)  # "Đóng"

    journey.expect(wizard.ImportDialog, import_list)
    journey.menu(window.act_import_students)
    assert repo.candidate_count() == 6
    assert repo.candidate_count(repo.CandidateFilter(incomplete=True)) == 6

    # 3. One student admitted, with the whole history the rules ask for.
    journey.tab(window.tabs, window.candidates)
    model = window.candidates.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).full_name == name)
    journey.row(window.candidates.view, row)

    from lamha_desktop.ui.candidates.detail import CandidateDetailDialog
    from lamha_desktop.ui.candidates.dialogs import CandidateDialog
    from lamha_desktop.ui.candidates.dossier import DossierDialog
    from lamha_desktop.ui.candidates.steps import StepDialog
    from lamha_desktop.ui.ceremonies.dialogs import CeremonyDialog

    def person(dlg: CandidateDialog) -> None:
        journey.type(dlg.personal_id, "068308001234")
        journey.type(dlg.ethnic, "Kinh")
        journey.save(dlg)

    def step(values: dict[str, str]) -> Callable[[StepDialog], None]:
        def fill(dlg: StepDialog) -> None:
            for key, value in values.items():
                journey.type(dlg.widgets[key], value)
            journey.save(dlg)
        return fill

    def dossier(dlg: DossierDialog) -> None:
        # Opened from "Bước tiếp theo": the missing papers are ticked already; each gets its own date.
        for i, code in enumerate(dlg.checked()):
            journey.type(dlg.row(code).on, d(when["dossier"] + dt.timedelta(days=i)))
        journey.type(dlg.row("gioi_thieu").member, "Vũ Thị Thanh Hà")
        journey.type(dlg.row("gioi_thieu").together, d(when["together"]))
        journey.save(dlg)

    def ceremony(dlg: CeremonyDialog) -> None:
        assert dlg.decision_no.text() == "12-QĐ/ĐU"  # the student's own decision, filled in
        journey.type(dlg.on, d(when["ceremony"]))
        journey.save(dlg)

    def record(dlg: CandidateDetailDialog) -> None:
        # Each step through the first button of "Bước tiếp theo", which names the step (and asks for the
        # missing facts first).
        for kind, handler, title, label in (
                (StepDialog, step({"on": d(when["source"]), "helper": "Ngô Thị Huệ"}), "danh sách nguồn",
                 "Ghi bước này…"),
                (StepDialog, step({"class_name": "Lớp bồi dưỡng nhận thức về Đảng", "start": d(when["class_start"]),
                                   "end": d(when["class_end"]), "cert_no": "15/GCN"}),  # dated as it ended
                 "Lớp bồi dưỡng", "Ghi bước này…"),
                (DossierDialog, dossier, "Hồ sơ", "Ghi hồ sơ…"),
                (CandidateDialog, person, "biểu quyết", "Bổ sung thông tin…"),
                (StepDialog, step({"on": d(when["vote"]), "agree": "5"}), "biểu quyết", "Ghi bước này…"),
                (StepDialog, step({"number": "12-QĐ/ĐU", "on": d(when["decision"]), "received": d(when["received"])}),
                 "Quyết định kết nạp", "Ghi bước này…"),
                (CeremonyDialog, ceremony, "Lễ kết nạp", "Ghi bước này…")):
            QApplication.processEvents()  # rows added to the shown panel are shown in the next turn of the loop
            first = next(iter(dlg.next_buttons.values()))
            assert title in dlg.next_texts()[0], dlg.next_texts()[0]
            assert first.text() == label
            journey.expect(kind, handler)
            journey.click(first)
        assert "Đảng viên dự bị" in dlg.stage.text()
        journey.press(dlg, "Đóng")

    journey.expect(CandidateDetailDialog, record)
    journey.press(window.candidates, "Mở hồ sơ…")
    assert not journey.failures, journey.failures
    admitted = next(r for r in repo.candidate_rows(repo.candidate_ids()).values() if r.full_name == name)
    assert admitted.status.admitted_on == when["ceremony"]
    assert admitted.missing == ()

    # 4. The summary of the period the dialog proposes, saved as PDF.
    from lamha_desktop.ui.reports.dialogs import PeriodDialog

    saved: list[Path] = []

    def period(dlg: PeriodDialog) -> None:
        saved.append(Path(dlg.path.text()))
        journey.save(dlg)

    journey.expect(PeriodDialog, period)
    journey.expect(QMessageBox, lambda box: journey.press(box, "Đóng"))
    journey.menu(window.act_summary_pdf)
    assert not journey.failures, journey.failures
    window.close()
    db.close_database()
    app.release_instance_lock()

    pdf = saved[0]
    assert pdf.is_file()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing (poppler-utils): the PDF cannot be checked")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert f"{PLACE}, ngày" in text  # the place typed at the setup, no other
    assert "Lâm Hà" not in text
    assert SECRETARY in text  # the secretary signs
    assert name in text  # the student admitted in the period

    with capsys.disabled():
        print(f"\nfirst hour: {len(journey.dialogs)} dialogs, {journey.clicks} clicks "
              f"({journey.typed} fields typed)")
        for shown in journey.dialogs:
            print(f"  {shown}")
    assert len(journey.dialogs) <= MAX_DIALOGS
    assert journey.clicks <= MAX_CLICKS

"""Nothing cut without a way to read it, at the office screens: 1366×768 and 1093×614 (125 % scaling).

Every tab of the main window and the student's record, on the demo data: no horizontal scrolling; each
column header either fits or carries its full text as a tooltip; each cell elided for want of room carries its
full text as a tooltip. Screenshots of every tab at both sizes are written next to the test's files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from lamha_desktop import app
from lamha_desktop.storage import db
from lamha_desktop.ui.table_fit import MIN_TEXT_WIDTH, MIN_WIDTH, fit_widths

# The main window maximised on each screen: the screen less the taskbar (40 px).
SIZES = [(1366, 728), (1093, 574)]


def test_fit_widths_gives_room_to_text_columns_and_takes_it_from_them_first() -> None:
    # Room to spare: it goes to the text columns, in proportion.
    assert fit_widths([50, 100, 200], [False, True, True], 650) == [50, 200, 400]
    # No text column marked: the last one stretches (as Qt's stretchLastSection did).
    assert fit_widths([50, 100], [False, False], 300) == [50, 250]
    # Short of room: the text columns give it up first, down to their minimum, the others keep their width.
    assert fit_widths([60, 300, 80, 300], [False, True, False, True], 500) == [60, 180, 80, 180]
    # Still short once they are at their minimum: every column gives up room in proportion.
    squeezed = fit_widths([60, 300, 80, 300], [False, True, False, True], 300)
    assert sum(squeezed) <= 300
    assert squeezed[1] == squeezed[3] <= MIN_TEXT_WIDTH
    assert squeezed[0] < 60
    assert squeezed[2] < 80
    assert all(w >= MIN_WIDTH for w in fit_widths([100] * 12, [True] * 12, 200))


@pytest.fixture
def window(demo_db_template: Path, tmp_path: Path, qtbot: Any, qt_settings: None) -> Iterator[Any]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(demo_db_template, data / db.DB_FILENAME)
    w = app.build(["--data-dir", str(data), "--no-err-windows"]).window
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    db.close_database()


def _settle() -> None:
    for _ in range(6):
        QApplication.processEvents()


def unreadable(view: QTableView, *, rows: int = 40) -> list[str]:
    """What a user could not read in ``view``: a scrollbar to the right, a header cut without a tooltip, a cell
    cut without one."""
    found: list[str] = []
    model = view.model()
    header = view.horizontalHeader()
    if view.horizontalScrollBar().maximum() > 0:
        found.append(f"horizontal scrolling ({view.horizontalScrollBar().maximum()} px)")
    for c in range(model.columnCount()):
        if header.isSectionHidden(c):
            continue
        text = str(model.headerData(c, Qt.Orientation.Horizontal))
        tip = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if header.sectionSizeHint(c) > header.sectionSize(c) and not (tip and text in str(tip)):
            found.append(f"header “{text}” cut without a tooltip")
        for r in range(min(rows, model.rowCount())):
            index = model.index(r, c)
            shown = model.data(index)
            if shown in (None, ""):
                continue
            if view.sizeHintForIndex(index).width() > header.sectionSize(c):
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if not (tip and str(shown) in str(tip)):
                    found.append(f"cell “{shown}” ({text}) cut without a tooltip")
    return found


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_tab_fits_or_says_the_rest_in_tooltips(window: Any, size: tuple[int, int], tmp_path: Path) -> None:
    window.resize(*size)
    assert window.width() == size[0]  # the window fits the screen (its controls do not force it wider)
    problems: dict[str, list[str]] = {}
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        _settle()
        tab = window.tabs.currentWidget()
        found = unreadable(tab.view)
        if found:
            problems[window.tabs.tabText(i)] = found
        window.grab().save(str(tmp_path / f"tab-{i + 1}-{size[0]}.png"))
    assert problems == {}


def test_the_overview_shows_every_organisation_beside_its_chart(window: Any) -> None:
    window.resize(*SIZES[1])
    window.tabs.setCurrentWidget(window.overview)
    _settle()
    overview = window.overview
    assert overview.splitter.orientation() == Qt.Orientation.Horizontal
    view = overview.view
    last = view.visualRect(overview.model.index(overview.model.rowCount() - 1, 0))
    assert overview.model.rowCount() == 5
    assert last.bottom() <= view.viewport().height()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_students_record_fits_and_shows_a_new_step(window: Any, qtbot: Any, size: tuple[int, int],
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import datetime as dt

    from lamha_desktop.storage import repo
    from lamha_desktop.ui.candidates.detail import CandidateDetailDialog
    from lamha_desktop.ui.candidates.steps import StepDialog

    screen = QApplication.primaryScreen()
    monkeypatch.setattr(type(screen), "availableGeometry", lambda _s: __import__("PySide6.QtCore").QtCore.QRect(
        0, 0, size[0], size[1]))
    # The probationary member with the longest record of the demo (no transfer recorded yet).
    probation = [c for c in repo.candidate_ids(repo.CandidateFilter(stage=70))]
    cid = max(probation, key=lambda c: len(repo.list_events(c)))
    dlg = CandidateDetailDialog(cid, window, today=dt.date(2026, 12, 1))
    qtbot.addWidget(dlg)
    dlg.show()
    _settle()
    assert dlg.width() <= size[0]
    assert dlg.height() <= size[1]
    assert unreadable(dlg.view) == []
    header = dlg.view.horizontalHeader()
    warnings_column = dlg.timeline.columnCount() - 1
    assert header.sectionViewportPosition(warnings_column) + header.sectionSize(warnings_column) <= \
        dlg.view.viewport().width()  # the warnings column is in view
    # A step recorded now is selected and scrolled into view, whatever the length of the record.
    def fill_and_save(step: StepDialog) -> int:
        step.date_field("on").setText("30/11/2026")
        step.text_field("destination").setText("Đảng ủy Trường Đại học Đà Lạt")
        step.accept()
        return int(step.result())

    monkeypatch.setattr(StepDialog, "exec", fill_and_save)
    dlg.add_step("transfer")
    _settle()
    row = dlg.view.currentIndex().row()
    assert dlg.timeline.row_at(row).kind == "transfer"
    assert dlg.view.viewport().rect().contains(dlg.view.visualRect(dlg.timeline.index(row, 0)).center())
    dlg.grab().save(str(tmp_path / f"record-{size[0]}.png"))


def test_the_dialogs_of_the_first_hour_fit_a_small_screen(window: Any, qtbot: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """At 1093×614 (less the taskbar) every dialog of a new school's first hour is on the screen whole."""
    from PySide6.QtCore import QRect

    from lamha_desktop.storage import repo
    from lamha_desktop.ui.candidates.detail import CandidateDetailDialog
    from lamha_desktop.ui.candidates.dialogs import CandidateDialog
    from lamha_desktop.ui.candidates.dossier import DossierDialog
    from lamha_desktop.ui.candidates.steps import StepDialog
    from lamha_desktop.ui.first_run import FirstRunDialog
    from lamha_desktop.ui.importing.wizard import ImportDialog
    from lamha_desktop.ui.reports.dialogs import PeriodDialog
    from lamha_desktop.ui.settings.dialog import SettingsDialog

    width, height = SIZES[1]
    screen = QApplication.primaryScreen()
    monkeypatch.setattr(type(screen), "availableGeometry", lambda _s: QRect(0, 0, width, height))
    student = repo.candidate_ids(repo.CandidateFilter(stage=5))[0]
    dialogs = [FirstRunDialog(None, window), SettingsDialog(window), ImportDialog(window),
               CandidateDialog(student, parent=window), DossierDialog(student, parent=window),
               CandidateDetailDialog(student, window),
               StepDialog(student, "class", parent=window),
               PeriodDialog(title="Báo cáo", with_file=True, suffix=".pdf", parent=window)]
    too_big = []
    for dlg in dialogs:
        qtbot.addWidget(dlg)
        dlg.show()
        _settle()
        if dlg.width() > width or dlg.height() > height:
            too_big.append(f"{type(dlg).__name__}: {dlg.width()}×{dlg.height()}")
        dlg.hide()
    assert too_big == []


def test_the_first_paint_already_has_the_fitted_columns(qtbot: Any) -> None:
    """The columns are fitted when the table gets its size, before its first paint: the first frame a clerk sees
    is not one of squeezed columns replaced a moment later. Afterwards a resize is fitted once, a turn later (a
    window dragged wider is not fitted at every pixel)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from lamha_desktop.ui.table_fit import ColumnFitter

    model = QStandardItemModel(3, 3)
    for c, text in enumerate(("Số thứ tự", "Họ và tên của học sinh", "Lớp")):
        model.setHorizontalHeaderItem(c, QStandardItem(text))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    fitter = ColumnFitter(view)
    fitter.watch_model()
    view.resize(700, 300)
    fired: list[int] = []
    QTimer.singleShot(0, lambda: fired.append(1))  # (a turn of the event loop would come before it)
    view.show()
    view.viewport().repaint()  # the first paint, at once, before any timer of the fit could run
    assert not fired
    assert sum(view.horizontalHeader().sectionSize(c) for c in range(3)) == view.viewport().width()
    view.resize(900, 300)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: view.horizontalHeader().length() == view.viewport().width(), timeout=2000)


def test_a_fitted_table_s_viewports_are_set_up_as_qt_sets_up_its_own(qtbot: Any) -> None:
    """``own_viewport`` replaces Qt's viewports of a fitted table and of its header by widgets made in Python
    (asking for Qt's own costs the start 10-15 ms); what can be read of them must be what Qt gives."""
    from PySide6.QtGui import QStandardItemModel

    from lamha_desktop.ui.table_fit import ColumnFitter

    stock, fitted = QTableView(), QTableView()
    for view in (stock, fitted):
        qtbot.addWidget(view)
        view.setModel(QStandardItemModel(3, 2, view))
    fitter = ColumnFitter(fitted)
    for view in (stock, fitted):
        view.show()
    qtbot.waitExposed(fitted)

    def state(port: Any) -> dict[str, Any]:
        seen = {name: getattr(port, name)() for name in (
            "objectName", "backgroundRole", "foregroundRole", "autoFillBackground", "hasMouseTracking",
            "acceptDrops", "focusPolicy", "contextMenuPolicy", "isVisible", "sizePolicy", "layoutDirection")}
        seen["focus proxy is the view"] = port.focusProxy() is port.parent()
        seen["attributes"] = [a.name for a in Qt.WidgetAttribute if port.testAttribute(a)]
        seen["geometry"] = port.geometry().getRect()
        return seen

    assert fitted.viewport() is fitter._viewport
    assert state(fitted.viewport()) == state(stock.viewport())
    assert fitted.horizontalHeader().viewport() is fitter._header_port
    assert state(fitted.horizontalHeader().viewport()) == state(stock.horizontalHeader().viewport())

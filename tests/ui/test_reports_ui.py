"""The reports actions in the real main window (offscreen): export, print preview, PDF, import; models."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from lamha_desktop import app
from lamha_desktop.reports import excel_return
from lamha_desktop.storage import db, report_data
from lamha_desktop.storage.consolidation import Conflict
from lamha_desktop.ui import messages
from lamha_desktop.ui.reports import actions, install
from lamha_desktop.ui.reports.dialogs import (
    ConflictsDialog,
    ConflictsModel,
    DoneDialog,
    OpenReturnDialog,
    PeriodDialog,
    ReportRequest,
)


@pytest.fixture
def window(demo_db_template: Path, tmp_path: Path, qtbot: Any, qt_settings: None) -> Iterator[Any]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(demo_db_template, data / db.DB_FILENAME)
    started = app.build(["--data-dir", str(data), "--no-err-windows"])
    w = started.window
    install(w)
    qtbot.addWidget(w)
    yield w
    w.close()
    db.close_database()


def test_actions_in_menu_and_toolbar(window: Any) -> None:
    texts = [a.text() for a in window.file_menu.actions()]
    for label in ("&Xuất báo cáo…", "&In báo cáo sơ kết, tổng kết…", "&Lưu báo cáo sơ kết, tổng kết ra PDF…",
                  "&Nhập báo cáo của trường…"):
        assert label in texts
    assert window.act_export_return.shortcut() == QKeySequence("Ctrl+E")
    assert window.act_print_summary.shortcut() == QKeySequence("Ctrl+P")
    assert window.act_export_return in window.toolbar.actions()
    assert window.act_print_summary in window.toolbar.actions()
    assert texts[-1] == window.act_quit.text()  # "Thoát" stays last
    assert "export.locked" in messages.MESSAGES


def test_export_through_the_dialog(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   qtbot: Any) -> None:
    out = tmp_path / "out" / "bc.xlsx"
    out.parent.mkdir()
    opened: list[Path] = []
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(lambda cls, *a, **k: ReportRequest("2024-H1", None, out)))
    monkeypatch.setattr(DoneDialog, "ask", classmethod(lambda cls, parent, path: True))
    monkeypatch.setattr(actions, "open_folder", lambda path: opened.append(path) or True)
    window.act_export_return.trigger()
    wb = openpyxl.load_workbook(out)
    assert wb["Danh sách"]["A19"].value == 14
    assert opened == [out]
    assert "bc.xlsx" in window.statusBar().currentMessage()


def test_export_error_is_shown_not_raised(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(
        lambda cls, *a, **k: ReportRequest("2024-H1", None, tmp_path / "missing" / "x.xlsx")))
    monkeypatch.setattr(actions.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window.act_export_return.trigger()
    assert len(shown) == 1
    assert "Không ghi được" in shown[0]


def test_period_dialog_builds_the_request(window: Any, qtbot: Any, tmp_path: Path) -> None:
    dlg = PeriodDialog(title="x", with_file=True, folder=tmp_path, parent=window)
    qtbot.addWidget(dlg)
    dlg.year.setValue(2024)
    dlg.whole_year.setChecked(True)
    dlg.org.setCurrentIndex(dlg.org.findData("LQD"))
    req = dlg.request()
    assert req == ReportRequest("2024", "LQD", tmp_path / "bao_cao_ket_nap_2024_LQD.xlsx")
    assert dlg.findChild(type(dlg.general_error), "privacy_note") is not None
    dlg.path.setText("")
    assert dlg.request() is None
    assert dlg.error_text("path")


def test_print_preview_paints_pages(window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    painted: list[int] = []
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(lambda cls, *a, **k: ReportRequest("2024-H1", None, None)))

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer: QPrinter = dialog.printer  # type: ignore[attr-defined]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "preview.pdf"))
        dialog.paintRequested.emit(printer)
        painted.append(1)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    dialog = window.report_actions.print_summary()
    assert painted == [1]
    assert (tmp_path / "preview.pdf").stat().st_size > 10_000
    assert dialog.findChild(actions.QAction, "save_pdf") is not None


def test_save_summary_pdf(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "so_ket.pdf"
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(lambda cls, *a, **k: ReportRequest("2024-H1", "TL", out)))
    monkeypatch.setattr(DoneDialog, "ask", classmethod(lambda cls, parent, path: False))
    window.act_summary_pdf.trigger()
    assert out.read_bytes().startswith(b"%PDF")


def test_import_with_a_conflict_decided_in_the_dialog(window: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data = report_data.collect(report_data.period_from_settings("2024-H1"))
    payload = data.payload
    # the same personal ID arriving under another name and uid, from another school's return
    other = dict(payload.students[0]) | {"uid": "f" * 32, "full_name": "Người Khác Hẳn"}
    payload.students.append(other)
    payload.students.pop(0)
    file = tmp_path / "ret.xlsx"
    excel_return.write_atomic(file, excel_return.build(data))
    seen: list[list[Conflict]] = []
    monkeypatch.setattr(OpenReturnDialog, "ask", classmethod(lambda cls, parent: file))

    def decide(cls: type, parent: Any, conflicts: list[Conflict]) -> dict[str, str]:
        seen.append(conflicts)
        return {c.uid: "replace" for c in conflicts}

    monkeypatch.setattr(ConflictsDialog, "ask", classmethod(decide))
    result = window.report_actions.import_return()
    assert len(seen) == 1
    assert seen[0][0].incoming["full_name"] == "Người Khác Hẳn"
    assert result.replaced == 1
    assert not result.conflicts
    from lamha_desktop.storage.models import Candidate

    assert Candidate.get(Candidate.personal_id == other["personal_id"]).full_name == "Người Khác Hẳn"


def _conflicts() -> list[Conflict]:
    import datetime as dt

    return [Conflict("u1", "068305000001", 1, {"full_name": "A", "birth": dt.date(2005, 1, 1), "gender": "nu",
                                                 "organisation": "Chi bộ X"},
                     {"full_name": "B", "birth": dt.date(2005, 1, 1), "gender": "nu"}, ("full_name",)),
            Conflict("u2", "068305000002", 2, {"full_name": "C", "birth": dt.date(2005, 2, 1), "gender": "nam"},
                     {"full_name": "C", "birth": dt.date(2006, 2, 1), "gender": "nu"}, ("birth", "gender"))]


def test_conflicts_model(qtmodeltester: Any, qapp: Any) -> None:
    model = ConflictsModel(_conflicts())
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.columnCount() == len(ConflictsModel.HEADERS)
    assert model.data(model.index(0, 2)) == "A"
    assert model.data(model.index(0, 3)) == "B"
    assert model.data(model.index(1, 4)) == "01/02/2005"
    assert model.data(model.index(1, 5)) == "01/02/2006"
    assert model.data(model.index(0, 2), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, 4), Qt.ItemDataRole.FontRole) is None
    assert model.resolutions() == {"u1": "keep", "u2": "keep"}
    assert model.setData(model.index(1, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.resolutions() == {"u1": "keep", "u2": "replace"}
    model.set_all(True)
    assert set(model.resolutions().values()) == {"replace"}
    qtmodeltester.check(model)


def test_conflicts_dialog_buttons(qtbot: Any, qapp: Any) -> None:
    dlg = ConflictsDialog(_conflicts())
    qtbot.addWidget(dlg)
    assert dlg.view.model() is dlg.model
    buttons = {b.text(): b for b in dlg.findChildren(actions.QWidget) if hasattr(b, "click") and hasattr(b, "text")}
    buttons["Thay &tất cả"].click()
    assert set(dlg.model.resolutions().values()) == {"replace"}
    buttons["&Giữ tất cả"].click()
    assert set(dlg.model.resolutions().values()) == {"keep"}


def test_export_dialog_says_ids_are_in_the_return_and_offers_totals_only(window: Any, qtbot: Any,
                                                                          tmp_path: Path) -> None:
    dlg = PeriodDialog(title="Xuất báo cáo", with_file=True, folder=tmp_path, parent=window)
    qtbot.addWidget(dlg)
    dlg.year.setValue(2024)
    dlg.first_half.setChecked(True)
    dlg.show()
    qtbot.waitExposed(dlg)
    note = dlg.findChild(type(dlg.general_error), "privacy_note")
    assert "mã định danh" in note.text()
    assert "tổng hợp" in note.text()
    assert dlg.request() == ReportRequest("2024-H1", None, tmp_path / "bao_cao_ket_nap_2024-H1.xlsx")
    dlg.grab().save(str(tmp_path / "export_full.png"))
    dlg.totals_only.setChecked(True)
    assert "không có dữ liệu cá nhân" in note.text()
    assert dlg.request() == ReportRequest("2024-H1", None, tmp_path / "bao_cao_ket_nap_2024-H1_so_lieu.xlsx",
                                          totals_only=True)
    dlg.grab().save(str(tmp_path / "export_totals_only.png"))
    pdf = PeriodDialog(title="PDF", with_file=True, suffix=".pdf", folder=tmp_path, parent=window)
    qtbot.addWidget(pdf)
    assert pdf.findChild(type(pdf.general_error), "totals_only") is None
    assert pdf.request() is not None
    assert pdf.request().totals_only is False


def test_totals_only_export_through_the_dialog(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "so_lieu.xlsx"
    monkeypatch.setattr(PeriodDialog, "ask", classmethod(
        lambda cls, *a, **k: ReportRequest("2024-H1", None, out, totals_only=True)))
    monkeypatch.setattr(DoneDialog, "ask", classmethod(lambda cls, parent, path: False))
    window.act_export_return.trigger()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp"]
    assert excel_return.DATA_SHEET not in wb.sheetnames


def test_an_organisation_that_differs_is_asked_about_never_overwritten(window: Any, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from lamha_desktop.storage import repo
    from lamha_desktop.ui.reports.dialogs import OrgConflictsDialog

    data = report_data.collect(report_data.period_from_settings("2024-H1"))
    org = dict(data.payload.organisations[0])
    before = repo.organisation_by_code(org["code"])
    assert before is not None
    data.payload.organisations[0] = org | {"annual_target": 99, "official_members": 3}
    file = tmp_path / "ret.xlsx"
    excel_return.write_atomic(file, excel_return.build(data))
    monkeypatch.setattr(OpenReturnDialog, "ask", classmethod(lambda cls, parent: file))
    asked: list[Any] = []

    def keep(cls: type, parent: Any, conflicts: list[Any]) -> None:
        asked.append(conflicts)
        return None  # cancelled: ours stays

    monkeypatch.setattr(OrgConflictsDialog, "ask", classmethod(keep))
    result = window.report_actions.import_return()
    assert [(c.code, set(c.fields)) for c in asked[0]] == [(org["code"], {"annual_target", "official_members"})]
    assert [(c.code, c.kind) for c in result.org_conflicts] == [(org["code"], "changed")]
    after = repo.organisation_by_code(org["code"])
    assert after is not None
    assert (after.annual_target, after.official_members) == (before.annual_target, before.official_members)
    monkeypatch.setattr(OrgConflictsDialog, "ask",
                        classmethod(lambda cls, parent, conflicts: {f"org:{c.uid}": "replace" for c in conflicts}))
    window.report_actions.import_return()
    replaced = repo.organisation_by_code(org["code"])
    assert replaced is not None
    assert replaced.annual_target == 99


def test_the_organisation_conflicts_dialog_reads_well(qtbot: Any, tmp_path: Path) -> None:
    from lamha_desktop.storage.consolidation import OrgConflict
    from lamha_desktop.ui.reports.dialogs import OrgConflictsDialog

    dlg = OrgConflictsDialog([OrgConflict("u1", "LQD", "changed", 1, {"annual_target": 1, "official_members": 20},
                                          {"annual_target": 99, "official_members": 3},
                                          ("annual_target", "official_members"))])
    qtbot.addWidget(dlg)
    assert dlg.model.data(dlg.model.index(0, 2)) == "Chỉ tiêu: 1 → 99; Số đảng viên chính thức: 20 → 3"
    assert dlg.resolutions() == {"org:u1": "keep"}
    dlg.model.setData(dlg.model.index(0, 0), 2, 10)  # Qt.CheckStateRole, Qt.Checked
    assert dlg.resolutions() == {"org:u1": "replace"}
    dlg.grab().save(str(tmp_path / "org-conflicts.png"))

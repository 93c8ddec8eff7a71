"""The import wizard on the real main window (offscreen): mapping, preview, import, cancel, error report, drops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QProgressDialog

from lamha_desktop import app
from lamha_desktop.storage import db, importer, repo, writers
from lamha_desktop.storage.models import Candidate
from lamha_desktop.ui.importing import install
from lamha_desktop.ui.importing import wizard as wiz
from lamha_desktop.ui.importing.model import STATUS_BRUSHES
from lamha_desktop.ui.importing.wizard import ImportDialog


@pytest.fixture
def window(tmp_path: Path, qtbot: Any, qt_settings: None) -> Iterator[Any]:
    started = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
    w = started.window
    qtbot.addWidget(w)
    writers.save_organisation({"code": "THA", "school_name": "THPT Tân Hà", "name": "Chi bộ THPT Tân Hà",
                            "official_members": 6})
    w.refresh_all()
    install(w)
    w.show()
    yield w
    w.close()
    db.close_database()


@pytest.fixture
def org_id(window: Any) -> int:
    return repo.organisation_by_code("THA").id  # type: ignore[union-attr]


def class_file(tmp_path: Path, name: str = "lop.xlsx", *, n: int = 4, bad: bool = False,
               header: tuple[str, ...] = SIMPLE_HEADER) -> Path:
    rows = [["DANH SÁCH HỌC SINH"], list(header), *[simple_row(student(i)) for i in range(n)]]
    if bad:
        rows.append(simple_row({**student(50), "birth": "31/02/2008"}))
        rows.append(simple_row({**student(51), "full_name": "=HYPERLINK(\"http://x\")"}))
    return write_xlsx(tmp_path / name, rows, sheet="12A1", text_cells=[(len(rows), 2)] if bad else [])


def open_dialog(window: Any, qtbot: Any, org_id: int, path: Path) -> ImportDialog:
    dlg = ImportDialog(window, organisation_id=org_id)
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(path))
    assert dlg.go_next(), dlg.file_error.text()
    return dlg


def test_install_adds_the_menu_action_with_ctrl_i(window: Any) -> None:
    act = window.act_import_students
    assert act in window.file_menu.actions()
    assert act.text().replace("&", "") == "Nhập danh sách học sinh…"
    assert act.shortcut() == QKeySequence("Ctrl+I")
    assert window.candidates.acceptDrops()


def test_full_flow_mapping_preview_import(window: Any, qtbot: Any, org_id: int, tmp_path: Path,
                                          qtmodeltester: Any) -> None:
    dlg = open_dialog(window, qtbot, org_id, class_file(tmp_path, bad=True))
    assert dlg.page() == dlg.PAGE_MAPPING
    combos = dlg.mapping.combos
    assert [c.currentData() for c in combos] == ["stt", "full_name", "birth", "gender", "ethnic", "religion",
                                                 "class_name", "personal_id", "residence"]
    assert "Dòng tiêu đề: 2" in dlg.mapping.info.text()
    assert dlg.go_next()
    assert dlg.page() == dlg.PAGE_PREVIEW
    qtmodeltester.check(dlg.model)
    assert dlg.summary.text() == "6 dòng: 4 mới, 0 cập nhật, 0 không đổi, 2 lỗi."
    # Errors are shown first, with their cell, coloured.
    assert dlg.model.rowCount() == 2
    details = dlg.model.index(0, dlg.model.columnCount() - 1).data()
    assert details.startswith("Trang “12A1”, dòng 7, cột C: Ngày sinh không đọc được")
    assert dlg.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == STATUS_BRUSHES["error"]
    dlg.status_filter.setCurrentIndex(0)
    assert dlg.model.rowCount() == 6
    assert dlg.import_button.text() == "&Nhập 4 dòng"
    assert Candidate.select().count() == 0  # nothing written before "Nhập"
    assert dlg.run_import()
    assert dlg.import_counts == {"new": 4, "updated": 0, "unchanged": 0, "rejected": 2}
    assert Candidate.select().count() == 4
    assert "Đã nhập: 4 mới" in dlg.done_label.text()
    assert not dlg.import_button.isEnabled()


def test_second_import_of_the_same_file_is_all_unchanged(window: Any, qtbot: Any, org_id: int,
                                                         tmp_path: Path) -> None:
    path = class_file(tmp_path)
    first = open_dialog(window, qtbot, org_id, path)
    first.go_next()
    assert first.run_import()
    again = open_dialog(window, qtbot, org_id, path)
    again.go_next()
    assert again.summary.text() == "4 dòng: 0 mới, 0 cập nhật, 4 không đổi, 0 lỗi."
    assert not again.import_button.isEnabled()


def test_corrected_mapping_is_remembered_for_the_same_shape(window: Any, qtbot: Any, org_id: int,
                                                            tmp_path: Path) -> None:
    header = tuple("Cột lạ" if h == "Dân tộc" else h for h in SIMPLE_HEADER)
    dlg = open_dialog(window, qtbot, org_id, class_file(tmp_path, "a.xlsx", header=header))
    combos = dlg.mapping.combos
    assert combos[4].currentData() == ""
    # Said once for the file: the students would be imported with incomplete records (no error per row).
    assert "Tệp không có cột Dân tộc: học sinh được nhập với hồ sơ thiếu thông tin" in dlg.mapping.info.text()
    dlg.go_next()
    assert dlg.plan is not None
    assert dlg.plan.counts() == {"new": 4, "update": 0, "unchanged": 0, "error": 0}
    assert {r.values["ethnic"] for r in dlg.plan.rows} == {None}  # never guessed
    dlg.go_back()
    combos[4].setCurrentIndex(combos[4].findData("ethnic"))
    combos[6].setCurrentIndex(combos[6].findData("ethnic"))  # moving a field takes it from the other column
    assert combos[4].currentData() == ""
    combos[4].setCurrentIndex(combos[4].findData("ethnic"))
    assert combos[6].currentData() == ""
    combos[6].setCurrentIndex(combos[6].findData("class_name"))
    signature = dlg.auto["12A1"].signature
    assert importer.remembered_mapping(signature) is None  # not before the import
    dlg.go_next()
    assert dlg.plan.counts()["error"] == 0
    assert dlg.run_import()
    assert importer.remembered_mapping(signature)["ethnic"] == 4  # type: ignore[index]
    # Another file of the same shape (other title, other students) starts with the correction.
    other = write_xlsx(tmp_path / "b.xlsx", [["LỚP 10A2"], [], list(header),
                                             *[simple_row(student(i)) for i in range(10, 13)]])
    dlg2 = open_dialog(window, qtbot, org_id, other)
    assert dlg2.mapping.combos[4].currentData() == "ethnic"
    assert "đã lưu" in dlg2.mapping.info.text()
    dlg2.go_next()
    assert dlg2.plan.counts() == {"new": 3, "update": 0, "unchanged": 0, "error": 0}


def test_cancel_in_the_progress_dialog_writes_nothing(window: Any, qtbot: Any, org_id: int, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    header = tuple("Cột lạ" if h == "Dân tộc" else h for h in SIMPLE_HEADER)
    dlg = open_dialog(window, qtbot, org_id, class_file(tmp_path, header=header, n=300))
    dlg.set_mapping("12A1", {**dlg.current["12A1"].fields, "ethnic": 4})
    dlg.go_next()
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda _self: True)
    assert not dlg.run_import()
    assert dlg.done_label.text() == "Đã hủy; không ghi gì vào dữ liệu."
    assert Candidate.select().count() == 0
    assert importer.remembered_mapping(dlg.auto["12A1"].signature) is None
    assert dlg.import_button.isEnabled()  # the user may try again


def test_error_report_saved_and_read_back(window: Any, qtbot: Any, org_id: int, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    dlg = open_dialog(window, qtbot, org_id, class_file(tmp_path, bad=True))
    dlg.go_next()
    target = tmp_path / "out" / "loi"
    target.parent.mkdir()
    monkeypatch.setattr(wiz, "choose_save_path", lambda _parent, suggested: str(target))
    assert dlg.report_button.isEnabled()
    dlg.report_button.click()
    saved = target.with_suffix(".xlsx")
    assert saved.exists()
    assert "Đã lưu báo cáo lỗi" in dlg.done_label.text()
    wb = openpyxl.load_workbook(saved)
    ws = wb["12A1"]
    assert ws.cell(1, 1).value == "Các dòng chưa nhập được từ tệp lop.xlsx"
    assert [c.value for c in ws[3]][:4] == ["Dòng gốc", "Lý do", "STT", "Họ và tên"]
    assert ws.cell(4, 1).value == 7
    assert ws.cell(4, 2).value.startswith("C7: Ngày sinh không đọc được: “31/02/2008”")
    assert ws.cell(5, 1).value == 8
    assert ws.cell(5, 4).value == "=HYPERLINK(\"http://x\")"
    assert ws.cell(5, 4).data_type == "s"  # text, never a formula
    assert ws.cell(5, 10).value == student(51)["personal_id"]
    assert Candidate.select().count() == 0  # saving the report writes nothing to the database


def test_unreadable_file_is_explained_under_the_field(window: Any, qtbot: Any, org_id: int, tmp_path: Path) -> None:
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    dlg = ImportDialog(window, organisation_id=org_id)
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(bad))
    assert not dlg.go_next()
    assert dlg.page() == dlg.PAGE_FILE
    assert dlg.file_error.text().startswith(f"Tệp {bad} bị hỏng hoặc không đúng định dạng Excel .xlsx")


def test_ask_with_a_path_opens_on_the_mapping_step(window: Any, org_id: int, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pages: list[int] = []

    def fake_exec(self: ImportDialog) -> int:
        pages.append(self.page())
        self.go_next()
        self.run_import()
        return 1

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    result = ImportDialog.ask(window, path=class_file(tmp_path), organisation_id=org_id)
    assert pages == [ImportDialog.PAGE_MAPPING]
    assert result == {"new": 4, "updated": 0, "unchanged": 0, "rejected": 0}


def _drop(widget: Any, paths: list[Path]) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.rect().center())
    try:  # Qt 6.12 takes a QPointF (its QPoint form is deprecated), earlier versions a QPoint only
        enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    except TypeError:
        enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_spreadsheet_on_the_candidates_tab_starts_an_import(
        window: Any, qtbot: Any, org_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def fake_ask(_cls: type, parent: Any, **kwargs: Any) -> dict[str, int]:
        calls.append({"parent": parent, **kwargs})
        return {"new": 1, "updated": 0, "unchanged": 0, "rejected": 0}

    monkeypatch.setattr(ImportDialog, "ask", classmethod(fake_ask))
    path = class_file(tmp_path)
    assert _drop(window.candidates, [path]) == (True, True)
    qtbot.waitUntil(lambda: bool(calls))
    assert calls[0]["path"] == str(path)
    assert calls[0]["parent"] is window
    assert window.statusBar().currentMessage() == "Đã nhập danh sách: 1 mới, 0 cập nhật."


def test_dropping_other_files_is_refused(window: Any, qtbot: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(ImportDialog, "ask", classmethod(lambda _cls, *a, **k: calls.append(a)))
    note = tmp_path / "ghichu.txt"
    note.write_text("x", encoding="utf-8")
    accepted_enter, _ = _drop(window.candidates, [note])
    assert not accepted_enter
    qtbot.wait(20)
    assert calls == []


def test_menu_action_opens_the_wizard_and_refreshes_the_tabs(window: Any, org_id: int, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = class_file(tmp_path)

    def fake_exec(self: ImportDialog) -> int:
        assert self.org_combo.currentData() == org_id
        self.path_edit.setText(str(path))
        self.go_next()
        self.go_next()
        self.run_import()
        return 1

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    assert window.candidates.model.rowCount() == 0
    window.act_import_students.trigger()
    assert window.candidates.model.rowCount() == 4  # refreshed after the import


def test_reading_a_long_file_shows_progress_and_can_be_stopped(window: Any, qtbot: Any, org_id: int,
                                                               tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from classlist_files import big_xlsx

    from lamha_desktop.readers import class_list

    path = big_xlsx(tmp_path / "dai.xlsx", 1200)
    seen: list[int] = []
    table = class_list.read_table(path, progress=lambda n: seen.append(n) or True)
    assert seen == [500, 1000]
    assert len(table.sheets[0].rows) == 1204  # three title rows, the header and the students
    with pytest.raises(class_list.ReadCancelled):
        class_list.read_table(path, progress=lambda n: False)
    dlg = ImportDialog(window, organisation_id=org_id)
    qtbot.addWidget(dlg)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda _self: True)
    dlg.path_edit.setText(str(path))
    assert not dlg.go_next()
    assert dlg.page() == dlg.PAGE_FILE
    assert dlg.file_error.text() == "Đã dừng đọc tệp; chưa có gì được ghi."
    assert Candidate.select().count() == 0

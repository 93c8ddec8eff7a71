"""The small things a new school's clerk tripped over, each on the real widgets (offscreen)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from lamha_desktop import app
from lamha_desktop.storage import db, repo, settings, writers
from lamha_desktop.ui.candidates.dialogs import CandidateDialog

D = dt.date


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


def test_a_corrected_field_loses_its_red_message_at_once(db_path: Path, qtbot: Any) -> None:
    org = writers.save_organisation({"code": "NB", "school_name": "Trường THPT Nam Ban", "name": "Chi bộ"})
    dlg = CandidateDialog(organisation_id=org)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.error_text("full_name") == "Chưa nhập họ và tên."
    assert dlg.error_text("birth") == "Chưa nhập ngày sinh."
    label = dlg.findChild(type(dlg.general_error), "error_full_name")
    assert label.isVisible()
    QTest.keyClicks(dlg.full_name, "Le An")  # typing the correction
    assert label.isHidden()
    assert dlg.error_text("full_name") == ""
    assert dlg.error_text("birth") == "Chưa nhập ngày sinh."  # the other field still says what is wrong


def test_window_titles_carry_no_program_name_suffix(window: Any) -> None:
    qapp = QApplication.instance()
    # Qt appends the display name to every window title when one is set; none is.
    assert qapp.applicationDisplayName() == qapp.applicationName()
    assert window.windowTitle() == "Quản lý kết nạp đảng viên học sinh"


def test_the_incomplete_records_have_a_filter_and_a_badge(window: Any) -> None:
    tab = window.candidates
    total = tab.model.rowCount()
    tab.incomplete_filter.setChecked(True)
    assert tab.model.rowCount() == 2  # the demo's two grade-10 students from a teacher's list
    for r in range(tab.model.rowCount()):
        index = tab.model.index(r, 0)
        assert tab.model.data(index, Qt.ItemDataRole.DecorationRole) is not None
        assert "Thiếu thông tin: mã định danh, dân tộc" in tab.model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert tab.model.data(tab.model.index(r, 3)) == "(chưa có)"  # the ethnic group: unknown, not "Kinh"
        assert tab.model.data(tab.model.index(r, 6)) == "Học sinh"
    tab.incomplete_filter.setChecked(False)
    assert tab.model.rowCount() == total
    complete = next(r for r in range(total) if not tab.model.row_at(r).missing)
    assert tab.model.data(tab.model.index(complete, 0), Qt.ItemDataRole.DecorationRole) is None


def test_the_demo_shows_the_change_of_upper_committee(window: Any) -> None:
    from lamha_desktop.storage import report_data

    committees = [(c.name, c.valid_from, c.valid_to) for c in repo.list_committees()]
    assert committees == [("Huyện ủy Lâm Hà", None, D(2025, 6, 30)), ("Đảng ủy xã Lâm Hà", D(2025, 7, 1), None)]
    assert {o.upper_committee_name for o in repo.list_organisations()} == {"Đảng ủy xã Lâm Hà"}
    model = window.organisations.model
    column = next(i for i, c in enumerate(model.columns) if c.header == "Cấp ủy cấp trên")
    assert {model.data(model.index(r, column)) for r in range(model.rowCount())} == {"Đảng ủy xã Lâm Hà"}
    decisions = [e for c in repo.candidate_ids() for e in repo.list_events(c) if e.kind == "decision"]
    assert {e.data["number"].split("-")[-1] for e in decisions if e.on < D(2025, 7, 1)} == {"QĐ/HU"}
    after = [e for e in decisions if e.on >= D(2025, 7, 1)]
    assert after
    assert {(e.data["number"].split("-")[-1], e.data["issuer"]) for e in after} == {
        ("QĐ/ĐU", "Ban Thường vụ Đảng ủy xã Lâm Hà")}
    h2024 = report_data.collect(report_data.period_from_settings("2024-H1"), report_date=D(2024, 7, 3)).header
    h2026 = report_data.collect(report_data.period_from_settings("2026-H1"), report_date=D(2026, 7, 3)).header
    assert (h2024.upper_body, h2026.upper_body) == ("HUYỆN ỦY LÂM HÀ", "ĐẢNG ỦY XÃ LÂM HÀ")
    assert h2026.place == "Lâm Hà"  # the demo keeps its own place


def test_the_summary_dialog_offers_the_second_half(db_path: Path, qtbot: Any, tmp_path: Path) -> None:
    from lamha_desktop.ui.reports.dialogs import PeriodDialog

    dlg = PeriodDialog(title="Báo cáo", with_file=True, suffix=".pdf", folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.year.setValue(2026)
    dlg.second_half.setChecked(True)
    assert dlg.period_code() == "2026-H2"
    assert Path(dlg.path.text()).name == "bao_cao_ket_nap_2026-H2.pdf"
    dlg.whole_year.setChecked(True)
    assert dlg.period_code() == "2026"


def test_the_settings_have_no_place_and_name_the_plan(db_path: Path, qtbot: Any) -> None:
    from lamha_desktop.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    assert not hasattr(dlg, "place")  # one place per organisation, not a second one here
    assert dlg.plan_number.text() == "88-KH/HU"
    assert dlg.signer_name.placeholderText() == "để trống: bí thư của tổ chức đảng"
    dlg.plan_number.setText("12-KH/ĐU")
    dlg.accept()
    assert settings.get("plan_number") == "12-KH/ĐU"
    assert "place" not in settings.all_settings()


def test_the_organisation_dialog_keeps_its_place(db_path: Path, qtbot: Any) -> None:
    from lamha_desktop.ui.organisations.dialogs import OrganisationDialog

    dlg = OrganisationDialog()
    qtbot.addWidget(dlg)
    dlg.code.setText("NB")
    dlg.school_name.setText("Trường THPT Nam Ban")
    dlg.name.setText("Chi bộ Trường THPT Nam Ban")
    dlg.place.setText("Nam Ban")
    dlg.accept()
    assert dlg.saved_id is not None
    org = repo.get_organisation(dlg.saved_id)
    assert org.place == "Nam Ban"
    # A new organisation answers to the committee in force today, not to the district committee that ended.
    assert org.upper_committee_id is None or repo.committee_in_force(dt.date.today()) is not None


def test_the_window_models_and_database_close_in_order_at_exit(tmp_path: Path, qt_settings: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import shiboken6

    from lamha_desktop.ui import changes, first_run

    order: list[str] = []
    built: list[Any] = []
    real_build = app.build

    def build(argv: Any = None) -> Any:
        started = real_build(argv)
        built.append(started.window)
        return started

    real_close = db.close_database

    def close_database() -> None:
        window = built[0]
        order.append("database" + (" (window gone)" if not shiboken6.isValid(window) else " (window alive)"))
        real_close()

    monkeypatch.setattr(app, "build", build)
    monkeypatch.setattr(db, "close_database", close_database)
    monkeypatch.setattr(first_run, "run_if_needed", lambda _w: None)
    monkeypatch.setattr(QApplication, "exec", lambda *_a: order.append("event loop") or 0)
    hub_before = changes.hub()
    assert app.main(["--data-dir", str(tmp_path / "data"), "--no-err-windows"]) == 0
    assert order == ["event loop", "database (window gone)"]
    assert not shiboken6.isValid(hub_before)  # the hub went with the window, before the database
    assert db.database.is_closed()
    assert app._instance_dir is None  # the data-folder lock released last


def test_the_import_wizard_stays_on_its_first_page_and_remembers_the_folder(db_path: Path, qtbot: Any,
                                                                            qt_settings: None, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx

    from lamha_desktop.ui.importing import wizard

    writers.save_organisation({"code": "NB", "school_name": "Trường THPT Nam Ban", "name": "Chi bộ"})
    lists = tmp_path / "danh_sach"
    lists.mkdir()
    path = write_xlsx(lists / "lop.xlsx", [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(3)]])
    asked: list[str] = []
    monkeypatch.setattr(wizard, "choose_file", lambda _parent, folder="": asked.append(folder) or str(path))
    dlg = wizard.ImportDialog()
    qtbot.addWidget(dlg)
    dlg.resize(980, 640)
    dlg.show()
    dlg.browse()
    assert dlg.page() == dlg.PAGE_FILE  # the organisation can still be checked before going on
    assert dlg.path_edit.text() == str(path)
    assert QSettings().value(wizard.LAST_FOLDER_KEY) == str(lists)
    again = wizard.ImportDialog()
    qtbot.addWidget(again)
    again.browse()
    assert asked == ["", str(lists)]  # the next time, the dialog opens in the folder of the last list


def test_the_import_button_never_takes_the_place_of_next(db_path: Path, qtbot: Any, qt_settings: None,
                                                          tmp_path: Path) -> None:
    from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx

    from lamha_desktop.ui.importing import wizard

    writers.save_organisation({"code": "NB", "school_name": "Trường THPT Nam Ban", "name": "Chi bộ"})
    path = write_xlsx(tmp_path / "lop.xlsx", [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(3)]])
    dlg = wizard.ImportDialog(path=path)
    qtbot.addWidget(dlg)
    dlg.resize(980, 640)
    dlg.show()
    places: dict[int, Any] = {}
    for page in (dlg.PAGE_FILE, dlg.PAGE_MAPPING, dlg.PAGE_PREVIEW):
        QApplication.processEvents()
        assert dlg.page() == page
        places[page] = (dlg.next_button.geometry(), dlg.import_button.geometry(), dlg.next_button.isEnabled(),
                        dlg.import_button.isEnabled())
        if page != dlg.PAGE_PREVIEW:
            QTest.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    # The buttons never move; "Tiếp" is greyed on the preview and "Nhập" until then.
    assert places[0][:2] == places[1][:2] == places[2][:2]
    assert [p[2:] for p in places.values()] == [(True, False), (True, False), (False, True)]
    # A second quick press where "Tiếp" was does not import before the preview was seen.
    QTest.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.import_counts is None
    assert not dlg.import_button.isDefault()
    QTest.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.import_counts is not None
    assert dlg.import_counts["new"] == 3


def test_a_missing_required_column_is_said_once_at_the_columns(db_path: Path, qtbot: Any, qt_settings: None,
                                                               tmp_path: Path) -> None:
    from classlist_files import write_xlsx

    from lamha_desktop.ui.importing import wizard

    writers.save_organisation({"code": "NB", "school_name": "Trường THPT Nam Ban", "name": "Chi bộ"})
    path = write_xlsx(tmp_path / "lop.xlsx", [["STT", "Họ và tên", "Giới tính", "Lớp"],
                                              [1, "Lê An", "Nam", "10A1"], [2, "Lê Vy", "Nữ", "10A1"]])
    dlg = wizard.ImportDialog(path=path)
    qtbot.addWidget(dlg)
    assert dlg.go_next()
    assert not dlg.go_next()  # not on to a preview where every row would say it
    assert dlg.page() == dlg.PAGE_MAPPING
    assert dlg.plan is None
    assert dlg.mapping.info.text().count("Chưa có cột Ngày sinh") == 1
    assert "b00020" in dlg.mapping.info.styleSheet()

"""The due view against a fixed "today", the overview chart, the organisations' targets and the settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lamha_desktop.domain import pipeline
from lamha_desktop.storage import due, repo, settings, writers

D = dt.date
K = pipeline.EventKind


@pytest.fixture
def two_orgs(db_path: Path, qt_settings: None) -> tuple[int, int]:
    a = writers.save_organisation({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                                "official_members": 9, "annual_target": 1})
    b = writers.save_organisation({"code": "TH", "school_name": "Trường THPT Tân Hà", "name": "Đảng bộ TH",
                                "kind": "dang_bo", "official_members": 20, "annual_target": 2})
    return a, b


def _student(org: int, name: str, pid: str, birth: dt.date, grad: int | None = None) -> int:
    return writers.save_candidate({"organisation_id": org, "full_name": name, "gender": "nam", "birth": birth,
                                "ethnic": "01", "religion": "00", "personal_id": pid, "graduation_year": grad},
                               today=D(2026, 11, 26))


def test_due_view_on_a_fixed_today(two_orgs: tuple[int, int], qtbot: Any) -> None:
    a, b = two_orgs
    young = _student(a, "Lê Văn An", "068209000001", D(2009, 1, 20))
    late = _student(a, "Trần Văn Bình", "068209000002", D(2009, 12, 3), grad=2027)
    waiting = _student(b, "Phạm Văn Cường", "068207000003", D(2007, 1, 1))
    writers.add_event(waiting, K.CLASS, D(2025, 3, 1), {})
    writers.add_event(waiting, K.VOTE, D(2026, 9, 1), {"members": 20, "agree": 18, "passed": True})
    writers.add_event(waiting, K.DANG_UY, D(2026, 9, 10), {"members": 9, "agree": 9, "passed": True})
    writers.add_event(waiting, K.DECISION, D(2026, 10, 1), {"number": "9-QĐ/HU", "received": "2026-10-05"})
    rows = due.list_due(D(2026, 11, 26))
    assert [(r.candidate_id, r.kind, r.due, r.overdue) for r in rows] == [
        (waiting, "ceremony", D(2026, 11, 16), True),
        (young, "turns_18", D(2027, 1, 1), False),
        (late, "turns_18_after_graduation", D(2027, 12, 1), False),
    ]
    assert [r.kind for r in due.list_due(D(2026, 11, 26), organisation_id=b)] == ["ceremony"]

    from lamha_desktop.ui.due.tab import DueTab

    tab = DueTab(today=D(2026, 11, 26))
    qtbot.addWidget(tab)
    assert tab.overdue == 1  # counted while hidden
    assert tab.model.rowCount() == 0  # the list itself waits until the tab is shown
    with qtbot.waitSignal(tab.overdue_count_changed) as blocker:
        tab.show()
    assert blocker.args == [1]
    assert tab.model.rowCount() == 3
    assert [tab.model.data(tab.model.index(i, 1)) for i in range(3)] == ["QUÁ HẠN", "Sắp đến", "Lưu ý"]
    assert tab.model.data(tab.model.index(0, 3)) == "Phạm Văn Cường"
    assert "1 quá hạn" in tab.summary.text()
    tab.today.setText("01/10/2026")
    tab.refresh()
    assert tab.overdue == 0


def test_targets_and_overview_chart(two_orgs: tuple[int, int], qtbot: Any, qtmodeltester: Any,
                                    tmp_path: Path) -> None:
    a, _ = two_orgs
    ids = [_student(a, n, f"06820600000{i}", D(2006, 1, 1)) for i, n in enumerate(["Lê An", "Lê Bình"])]
    writers.save_ceremony({"organisation_id": a, "on": D(2025, 5, 20), "decision_date": D(2025, 5, 2),
                        "decision_received": D(2025, 5, 6)}, ids)
    rows = {t.code: t for t in due.targets(2025)}
    assert (rows["LQD"].admitted, rows["LQD"].met) == (2, True)
    assert (rows["TH"].admitted, rows["TH"].met) == (0, False)
    assert due.targets(2024)[0].admitted == 0

    from lamha_desktop.ui.overview.tab import OverviewTab

    tab = OverviewTab()
    qtbot.addWidget(tab)
    tab.year.setValue(2025)
    qtmodeltester.check(tab.model)
    series = tab.chart.series()[0]
    admitted, target = series.barSets()
    assert [admitted.at(i) for i in range(admitted.count())] == [2, 0]
    assert [target.at(i) for i in range(target.count())] == [1, 2]
    assert tab.chart.axes()[0].categories() == ["LQD", "TH ▼"]
    assert tab.summary.text() == "1/2 tổ chức đạt chỉ tiêu năm 2025"
    assert tab.model.data(tab.model.index(1, 4)) == "Chưa đạt (thiếu 2)"
    tab.resize(900, 600)
    tab.show()
    tab.grab().save(str(tmp_path / "overview.png"))


def test_settings_change_the_age_reading_and_days_off(two_orgs: tuple[int, int], qtbot: Any) -> None:
    a, _ = two_orgs
    cid = _student(a, "Lê Văn An", "068209000001", D(2008, 11, 15))
    assert repo.candidate_rows([cid])[cid].status.eligible_from == D(2026, 11, 1)

    from lamha_desktop.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    dlg.by_birthday.setChecked(True)
    dlg.h1_start.setText("15/12")
    dlg.h1_end.setText("14/06")
    dlg.new_day.setText("28/12/2026")
    dlg.new_note.setText("Nghỉ bù của trường")
    dlg.add_day()
    dlg.h1_end.setText("31/02")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert "ngày/tháng" in dlg.error_text("h1_end")
    assert settings.get("age_by_month") is True
    dlg.h1_end.setText("14/06")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert settings.get("age_by_month") is False
    assert (settings.get("h1_start"), settings.get("h1_end")) == ("12-15", "06-14")
    assert [d.day for d in repo.list_days_off()] == [D(2026, 12, 28)]
    assert D(2026, 12, 28) in repo.default_holidays()
    # The cached column used for sorting and filtering follows the new reading.
    from lamha_desktop.storage.models import Candidate

    assert Candidate.get_by_id(cid).eligible_from == D(2026, 11, 15)


def test_the_day_list_refuses_an_entry_that_changes_nothing(two_orgs: tuple[int, int], qtbot: Any) -> None:
    from lamha_desktop.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)

    def add(day: str, working: bool) -> None:
        dlg.new_day.setText(day)
        dlg.new_working.setChecked(working)
        dlg.add_day()

    add("14/10/2026", True)  # a Wednesday, already a working day
    assert not dlg.general_error.isHidden()
    assert "ngày làm việc bình thường" in dlg.general_error.text()
    add("11/10/2026", False)  # a Sunday, already a day off
    assert "vốn đã là ngày nghỉ" in dlg.general_error.text()
    assert dlg.days.rows == []
    add("10/10/2026", True)  # a Saturday worked in exchange for a bridge day
    add("02/09/2026", True)  # National Day, worked after all
    add("14/10/2026", False)  # a local break; the same day may then become a make-up day again
    add("14/10/2026", True)
    assert [(d.day, d.working) for d in dlg.days.rows] == [
        (D(2026, 9, 2), True), (D(2026, 10, 10), True), (D(2026, 10, 14), True)]
    assert dlg.general_error.isHidden()


def test_settings_keep_weekly_and_monthly_backups(two_orgs: tuple[int, int], qtbot: Any) -> None:
    from lamha_desktop.storage import backup
    from lamha_desktop.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    assert (dlg.keep_weekly.value(), dlg.keep_monthly.value()) == (8, 12)
    dlg.keep_weekly.setValue(4)
    dlg.keep_monthly.setValue(24)
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert (settings.get("backup_keep_weekly"), settings.get("backup_keep_monthly")) == (4, 24)
    assert (backup.keep_weekly(), backup.keep_monthly()) == (4, 24)

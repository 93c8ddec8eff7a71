"""The data-safety menu on the real window: backups, restore through the dialog's model, the audit trail
viewer and its Excel export."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt

from lamha_desktop import app
from lamha_desktop.storage import backup, db, repo, writers
from lamha_desktop.storage.audit import AuditFilter
from lamha_desktop.ui import safety
from lamha_desktop.ui.safety import dialogs
from lamha_desktop.ui.safety.audit import AuditTableModel, AuditView
from lamha_desktop.ui.safety.dialogs import BackupTableModel, RestoreDialog


@pytest.fixture
def window(tmp_path: Path, qtbot: Any, qt_settings: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    started = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
    w = started.window
    qtbot.addWidget(w)
    safety.install(w)
    w.show()
    yield w
    w.close()
    db.close_database()
    app.release_instance_lock()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(safety, "_warn", lambda parent, message: shown.append(message))
    return shown


def add_org(code: str = "LQD", school: str = "Trường THPT Lê Quý Đôn") -> int:
    return writers.save_organisation({"code": code, "school_name": school, "name": f"Chi bộ {code}",
                                   "official_members": 12})


def add_candidate(org_id: int, pid: str = "068308001234", notes: str = "") -> int:
    return writers.save_candidate({"organisation_id": org_id, "full_name": "Nguyễn Thị Ánh", "gender": "nu",
                                "birth": dt.date(2008, 11, 15), "ethnic": "01", "religion": "00",
                                "personal_id": pid, "notes": notes})


def test_actions_are_in_the_file_menu_before_quit(window: Any) -> None:
    safety.install(window)  # a second call adds nothing
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    ours = ["Sao lưu &ngay", "Sao lưu &ra…", "&Khôi phục…", "&Nhật ký thay đổi…", "Xuất nhật ký ra &Excel…"]
    start = texts.index(ours[0])
    assert texts[start:start + len(ours)] == ours
    assert texts[-1] == window.act_quit.text()
    assert all(texts.count(t) == 1 for t in ours)
    assert window.safety.act_backup_now.shortcut().toString() == "Ctrl+Shift+B"


def test_backup_now_and_backup_to(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  warnings: list[str]) -> None:
    add_org()
    window.safety.act_backup_now.trigger()
    made = list((window.db_path.parent / "backups").glob("manual-*.sqlite3"))
    assert len(made) == 1
    assert "Đã sao lưu" in window.statusBar().currentMessage()
    usb = tmp_path / "usb" / "copy.sqlite3"
    usb.parent.mkdir()
    monkeypatch.setattr(dialogs, "ask_backup_target", lambda parent, suggested: usb)
    window.safety.act_backup_to.trigger()
    assert backup.verify(usb).organisations == 1
    (tmp_path / "a file").write_text("not a folder")
    monkeypatch.setattr(dialogs, "ask_backup_target", lambda parent, suggested: tmp_path / "a file" / "x")
    window.safety.act_backup_to.trigger()
    assert len(warnings) == 1
    assert "Không sao lưu được" in warnings[0]


def test_backup_model(qtmodeltester: Any, window: Any) -> None:
    add_org()
    backup.backup_now(window.db_path, now=dt.datetime(2025, 2, 3, 4, 5, 6))
    (window.db_path.parent / "backups" / "daily-20250101-000000.sqlite3").write_bytes(b"junk" * 100)
    model = BackupTableModel(backup.list_backups(window.db_path))
    qtmodeltester.check(model)
    rows = {model.data(model.index(r, 6)): r for r in range(model.rowCount())}
    r = rows["manual-20250203-040506.sqlite3"]
    assert model.data(model.index(r, 0)) == "03/02/2025 04:05:06"
    assert model.data(model.index(r, 1)) == "Sao lưu thủ công"
    assert model.data(model.index(r, 2)) == "1"
    assert model.data(model.index(r, 3)) == "0"
    junk = rows["daily-20250101-000000.sqlite3"]
    assert model.flags(model.index(junk, 0)) == Qt.ItemFlag.NoItemFlags  # unreadable: cannot be chosen


def test_restore_dialog_returns_the_selected_backup(window: Any, qtbot: Any) -> None:
    add_org()
    path = backup.backup_now(window.db_path)
    dlg = RestoreDialog(backup.list_backups(window.db_path), window)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() >= 2  # the daily backup of the start and this one
    row = next(r for r in range(dlg.model.rowCount()) if dlg.model.info(r).path == path)
    dlg.view.selectRow(row)
    assert dlg.restore_button.isEnabled()
    dlg.restore_button.click()
    assert dlg.chosen == path


def test_restore_through_the_menu(window: Any, monkeypatch: pytest.MonkeyPatch, warnings: list[str]) -> None:
    org = add_org()
    saved = backup.backup_now(window.db_path)
    add_org("NTMK", "Trường THPT Nguyễn Thị Minh Khai")
    add_candidate(org)
    window.refresh_all()
    assert window.organisations.model.rowCount() == 2
    offered: list[list[backup.BackupInfo]] = []

    def ask(cls: type, infos: list[backup.BackupInfo], parent: Any = None) -> Path:
        offered.append(infos)
        return saved

    monkeypatch.setattr(RestoreDialog, "ask", classmethod(ask))
    window.safety.act_restore.trigger()
    assert warnings == []
    assert saved in [i.path for i in offered[0]]
    assert [o.code for o in repo.list_organisations()] == ["LQD"]
    assert repo.candidate_count() == 0
    assert window.organisations.model.rowCount() == 1  # the window shows the restored data
    assert "Đã khôi phục" in window.statusBar().currentMessage()
    kept = list((window.db_path.parent / "backups").glob("pre-restore-*.sqlite3"))
    assert len(kept) == 1
    assert backup.verify(kept[0]).candidates == 1


def test_a_damaged_backup_is_refused_and_the_window_keeps_working(window: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   warnings: list[str]) -> None:
    add_org()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x01" * 9000)
    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, infos, parent=None: bad))
    window.safety.act_restore.trigger()
    assert len(warnings) == 1
    assert "không bị thay đổi" in warnings[0]
    assert not db.database.is_closed()
    assert [o.code for o in repo.list_organisations()] == ["LQD"]


def test_audit_model_and_view(window: Any, qtmodeltester: Any, qtbot: Any) -> None:
    org = add_org()
    cid = add_candidate(org)
    writers.add_event(cid, "source", dt.date(2024, 9, 5))
    values = repo.get_candidate(cid)
    values["class_name"] = "12A2"
    writers.save_candidate(values, cid)
    model = AuditTableModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    newest = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert newest[2] == "Quần chúng"
    assert newest[4] == "Sửa"
    assert newest[5] == "Lớp:  → 12A2"
    view = AuditView(AuditFilter(candidate_id=cid))
    qtbot.addWidget(view)
    assert view.model.rowCount() == 3  # the candidate's create and edit, and its pipeline step
    view.kind.setCurrentIndex(view.kind.findData("organisation"))
    assert view.model.rowCount() == 0
    dlg = window.safety.show_audit()
    assert dlg.audit_view.model.rowCount() == 4
    assert dlg.audit_view.model.data(QModelIndex()) is None


def test_audit_export_to_xlsx(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = add_org("F1", "=HYPERLINK(\"http://x\")")
    add_candidate(org, notes="+84 912 345 678")
    out = tmp_path / "nhat ky.xlsx"
    monkeypatch.setattr(dialogs, "ask_export_target", lambda parent, suggested, note="": out)
    window.safety.act_export_audit.trigger()
    assert "Đã xuất nhật ký" in window.statusBar().currentMessage()
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws.title == "Nhật ký thay đổi"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == ("Thời gian", "Người dùng", "Đối tượng", "Số dòng", "Thao tác", "Mục")
    assert isinstance(rows[1][0], dt.datetime)
    school = next(r for r in rows if r[5] == "Trường")
    assert school[7] == "=HYPERLINK(\"http://x\")"  # text, not a formula
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(r[7] == "+84 912 345 678" for r in rows)
    assert not list(tmp_path.glob("*.tmp"))
    assert not list(tmp_path.glob("*.part"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30), st.text(max_size=12)), min_size=1,
                max_size=5))
def test_audit_writer_keeps_any_text_as_text(values: list[tuple[str, str, str]]) -> None:
    import io

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from lamha_desktop.storage.audit import AuditEntry
    from lamha_desktop.ui.safety import audit_export

    at = dt.datetime(2025, 1, 2, 3, 4, 5)
    entries = [AuditEntry(i + 1, at, user or "?", "candidate", i + 1, "update", {"notes": before},
                          {"notes": after}) for i, (before, after, user) in enumerate(values)]
    ws = openpyxl.load_workbook(io.BytesIO(audit_export.build(entries))).active
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(values)
    for row, (before, after, user) in zip(rows, values, strict=True):
        assert row[0].value == at
        assert all(c.data_type != "f" for c in row)
        clean = [ILLEGAL_CHARACTERS_RE.sub("", v).replace("\r\n", "\n").replace("\r", "\n")
                 for v in (before, after, user or "?")]
        assert [row[6].value or "", row[7].value or "", row[1].value or ""] == clean

"""``import-history``: a school's past admissions become their steps through the rules, row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lamha_desktop import cli
from lamha_desktop.operations import history as history_ops
from lamha_desktop.operations import organisations
from lamha_desktop.readers import history
from lamha_desktop.storage import db, repo
from lamha_desktop.storage.models import Candidate, Ceremony, Event

D = dt.date
HEADER = [text for _key, text in history.COLUMNS]


def row(name: str, pid: str, birth: dt.date, **steps: Any) -> list[Any]:
    values = {"full_name": name, "birth": birth, "gender": "Nữ", "ethnic": "Kinh", "personal_id": pid,
              "class_name": "12A1"} | steps
    return [values.get(key) for key, _text in history.COLUMNS]


ADMITTED = dict(certificate_on=D(2023, 11, 2), certificate_no="15/GCN", vote_on=D(2024, 1, 10), members=15,
                agree=12, decision_no="123-QĐ/HU", decision_on=D(2024, 3, 1), received_on=D(2024, 3, 4),
                ceremony_on=D(2024, 3, 20), recognition_on=D(2025, 3, 25))


def write_file(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["LỊCH SỬ KẾT NẠP ĐẢNG VIÊN LÀ HỌC SINH"])  # a title row above the header
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    db.open_database(folder / db.DB_FILENAME)
    organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                          "official_members": 15})
    db.close_database()
    return folder


def _open(folder: Path) -> None:
    db.open_database(folder / db.DB_FILENAME)


def test_the_template_is_the_header_the_reader_finds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mau.xlsx"
    assert cli.main(["import-history", "--template", str(out)]) == 0
    assert "Đã ghi tệp mẫu" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert [c.value for c in ws[1]] == HEADER
    assert history.read_history(out) == []


def test_rows_become_their_steps_and_a_row_that_breaks_a_rule_is_refused_whole(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write_file(tmp_path / "lich-su.xlsx", [
        row("Nguyễn Thị Ánh", "068305000001", D(2005, 4, 2), **ADMITTED),
        row("Trần Thị Bé", "068306000002", D(2006, 3, 2), **ADMITTED),  # 17 on the vote date
        row("Lê Thị Cúc", "068305000003", D(2005, 1, 9), **(ADMITTED | {"agree": 8})),  # 8 of 15: not 2/3
        row("Phạm Thị Dung", "068307000004", D(2007, 6, 1), certificate_on=D(2025, 10, 9)),  # in progress
        row("Võ Thị Én", "not-an-id", D(2005, 2, 2)),
    ])
    code = cli.main(["import-history", "--data-dir", str(data), "--org", "LQD", str(file)])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_REFUSED
    assert "2 học sinh mới" in out
    assert "3 dòng bị từ chối" in out
    lines = err.strip().splitlines()
    assert lines[0].startswith("Dòng 4 (Trần Thị Bé): Chưa đủ 18 tuổi")
    assert lines[1].startswith("Dòng 5 (Lê Thị Cúc)")
    assert "Chưa có bước chi bộ biểu quyết" in lines[1]  # the decision needs a vote that passed
    assert lines[2].startswith("Dòng 7 (Võ Thị Én): Mã định danh phải gồm đúng 12 chữ số")
    _open(data)
    try:
        assert sorted(c.full_name for c in Candidate.select()) == ["Nguyễn Thị Ánh", "Phạm Thị Dung"]
        anh = Candidate.get(Candidate.full_name == "Nguyễn Thị Ánh")
        assert [e.kind for e in repo.list_events(anh.id)] == ["class", "vote", "decision", "recognition"]
        status = repo.candidate_rows([anh.id])[anh.id].status
        assert (status.stage, status.admitted_on) == (80, D(2024, 3, 20))
        vote = next(e for e in repo.list_events(anh.id) if e.kind == "vote")
        assert vote.data["dossier_archived"] == "lich-su.xlsx"
        assert "vote.dossier_archived" in vote.data["warnings"]
        assert Ceremony.select().count() == 1
    finally:
        db.close_database()

    # The same file again changes nothing.
    code = cli.main(["import-history", "--data-dir", str(data), "--org", "LQD", str(file)])
    out, _err = capsys.readouterr()
    assert code == cli.EXIT_REFUSED
    assert "0 học sinh mới, 0 bổ sung bước, 2 không đổi, 3 dòng bị từ chối" in out
    _open(data)
    try:
        assert (Candidate.select().count(), Event.select().count(), Ceremony.select().count()) == (2, 5, 1)
    finally:
        db.close_database()


def test_a_dry_run_writes_nothing(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write_file(tmp_path / "lich-su.xlsx", [row("Nguyễn Thị Ánh", "068305000001", D(2005, 4, 2), **ADMITTED)])
    assert cli.main(["import-history", "--data-dir", str(data), "--org", "LQD", "--dry-run", str(file)]) == 0
    assert "chưa ghi gì" in capsys.readouterr().out
    _open(data)
    try:
        assert Candidate.select().count() == 0
    finally:
        db.close_database()


def test_a_file_without_the_columns_is_unreadable(data: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Tên", "Lớp"])
    wb.save(tmp_path / "khac.xlsx")
    assert cli.main(["import-history", "--data-dir", str(data), "--org", "LQD", str(tmp_path / "khac.xlsx")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "Không tìm thấy dòng tiêu đề" in err[0]


def test_a_different_member_count_is_kept_as_a_correction_naming_the_row(db_path: Path, tmp_path: Path) -> None:
    org = organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                                "official_members": 15}).created_id
    assert org is not None
    rows = history.read_history(write_file(tmp_path / "ls.xlsx", [
        row("Nguyễn Thị Ánh", "068305000001", D(2005, 4, 2), **(ADMITTED | {"members": 12, "agree": 8}))]))
    result = history_ops.import_history(rows, org, source="ls.xlsx").result
    assert [r.status for r in result.rows] == ["new"]
    cid = Candidate.get().id
    vote = next(e for e in repo.list_events(cid) if e.kind == "vote")
    assert (vote.data["members"], vote.data["members_reason"]) == (12, "Theo hồ sơ lưu trữ (ls.xlsx, dòng 3)")


def test_the_window_checks_first_then_imports(qtbot: Any, qt_settings: None, db_path: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from lamha_desktop.ui.importing.history import HistoryImportDialog

    org = organisations.create({"code": "LQD", "school_name": "Trường THPT Lê Quý Đôn", "name": "Chi bộ LQĐ",
                                "official_members": 15}).created_id
    file = write_file(tmp_path / "lich-su.xlsx", [
        row("Nguyễn Thị Ánh", "068305000001", D(2005, 4, 2), **ADMITTED),
        row("Trần Thị Bé", "068306000002", D(2006, 3, 2), **ADMITTED)])
    dlg = HistoryImportDialog(organisation_id=org)
    qtbot.addWidget(dlg)
    assert not dlg.check_button.isEnabled()
    dlg.path.setText(str(file))
    dlg.check_button.click()
    assert [(r.name, r.status) for r in dlg.model.rows] == [("Nguyễn Thị Ánh", "new"), ("Trần Thị Bé", "refused")]
    assert "Chưa đủ 18 tuổi" in dlg.model.data(dlg.model.index(1, 3))
    assert Candidate.select().count() == 0  # checking writes nothing
    assert dlg.import_button.text() == "&Nhập 1 dòng"
    dlg.import_button.click()
    assert [c.full_name for c in Candidate.select()] == ["Nguyễn Thị Ánh"]
    assert "1 học sinh mới" in dlg.summary.text()
    errors = tmp_path / "loi.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(errors), ""))
    assert dlg.save_errors() == errors
    ws = openpyxl.load_workbook(errors).active
    assert ws is not None
    texts = [str(c.value) for r in ws.iter_rows() for c in r if c.value]
    assert any("Chưa đủ 18 tuổi" in t for t in texts)
    assert "Trần Thị Bé" in texts
    dlg.grab().save(str(tmp_path / "history-dialog.png"))

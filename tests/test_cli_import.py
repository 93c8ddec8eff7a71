"""`python -m lamha_desktop import-students`: counts, rejections with their cell, exit codes 0/1/2."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx

from lamha_desktop.storage import db, writers

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with a database holding one organisation (code THA); closed before the command runs."""
    folder = tmp_path / "data"
    db.open_database(folder / db.DB_FILENAME)
    writers.save_organisation({"code": "THA", "school_name": "THPT Tân Hà", "name": "Chi bộ THPT Tân Hà",
                            "official_members": 6})
    db.close_database()
    return folder


def run(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONIOENCODING": "utf-8"}
    env.pop("QT_QPA_PLATFORM", None)  # a headless command needs no display at all
    return subprocess.run([sys.executable, "-m", "lamha_desktop", "import-students", "--data-dir", str(data_dir),
                           *map(str, args)], capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=PROJECT, timeout=120, check=False)


def candidates(data_dir: Path) -> list[tuple[str, str, str]]:
    con = sqlite3.connect(data_dir / db.DB_FILENAME)
    try:
        return con.execute("SELECT personal_id, full_name, class_name FROM candidate ORDER BY personal_id").fetchall()
    finally:
        con.close()


def table_dump(data_dir: Path) -> list[tuple]:
    con = sqlite3.connect(data_dir / db.DB_FILENAME)
    try:
        return [*con.execute("SELECT * FROM candidate"), *con.execute("SELECT * FROM audit_log")]
    finally:
        con.close()


def good_file(tmp_path: Path, n: int = 4) -> Path:
    return write_xlsx(tmp_path / "lop.xlsx", [["DANH SÁCH HỌC SINH LỚP 12A1"], list(SIMPLE_HEADER),
                                              *[simple_row(student(i)) for i in range(n)]])


def mixed_file(tmp_path: Path) -> Path:
    rows = [list(SIMPLE_HEADER), simple_row(student(0)), simple_row({**student(1), "birth": "31/02/2008"}),
            simple_row(student(2)), simple_row({**student(3), "personal_id": "12345"})]
    return write_xlsx(tmp_path / "mixed.xlsx", rows, sheet="12A1")


def test_clean_file_exit_0_and_second_run_changes_nothing(tmp_path: Path, data_dir: Path) -> None:
    path = good_file(tmp_path)
    first = run(data_dir, "--org", "THA", path)
    assert first.returncode == 0, first.stderr
    assert "Mới: 4, cập nhật: 0, không đổi: 0, bị từ chối: 0" in first.stdout
    assert len(candidates(data_dir)) == 4
    before = table_dump(data_dir)
    second = run(data_dir, "--org", "tha", path)  # the code is case-insensitive
    assert second.returncode == 0, second.stderr
    assert "Mới: 0, cập nhật: 0, không đổi: 4, bị từ chối: 0" in second.stdout
    assert table_dump(data_dir) == before


def test_rejected_rows_exit_2_with_reason_and_cell_valid_rows_imported(tmp_path: Path, data_dir: Path) -> None:
    result = run(data_dir, "--org", "THA", mixed_file(tmp_path))
    assert result.returncode == 2, result.stderr
    assert "Mới: 2, cập nhật: 0, không đổi: 0, bị từ chối: 2" in result.stdout
    assert "Trang “12A1”, dòng 3, cột C: Ngày sinh không đọc được: “31/02/2008”" in result.stdout
    assert "Trang “12A1”, dòng 5, cột H: Mã định danh phải gồm đúng 12 chữ số." in result.stdout
    assert [pid for pid, _n, _c in candidates(data_dir)] == sorted([student(0)["personal_id"],
                                                                    student(2)["personal_id"]])


def test_dry_run_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    before = table_dump(data_dir)
    result = run(data_dir, "--org", "THA", "--dry-run", mixed_file(tmp_path))
    assert result.returncode == 2
    assert "bị từ chối: 2" in result.stdout
    assert "không ghi gì" in result.stdout
    assert table_dump(data_dir) == before
    clean = run(data_dir, "--org", "THA", "--dry-run", good_file(tmp_path))
    assert clean.returncode == 0
    assert "Mới: 4" in clean.stdout
    assert candidates(data_dir) == []


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken zip", bytes(range(256)) * 4])
def test_unreadable_file_exit_1_nothing_written(tmp_path: Path, data_dir: Path, content: bytes) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_bytes(content)
    db_file = data_dir / db.DB_FILENAME
    stamp = db_file.stat().st_mtime_ns
    before = table_dump(data_dir)
    result = run(data_dir, "--org", "THA", path)
    assert result.returncode == 1
    assert str(path) in result.stderr
    assert result.stderr.startswith(("Không đọc được tệp", "Tệp"))
    assert result.stdout == ""
    assert table_dump(data_dir) == before
    assert db_file.stat().st_mtime_ns == stamp


def test_password_protected_and_headerless_files_exit_1(tmp_path: Path, data_dir: Path) -> None:
    secret = tmp_path / "matkhau.xlsx"
    secret.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
                       + b"\x00" * 1024)
    result = run(data_dir, "--org", "THA", secret)
    assert result.returncode == 1
    assert "mật khẩu" in result.stderr
    noheader = write_xlsx(tmp_path / "so_lieu.xlsx", [["Báo cáo"], ["a", 1, 2], ["b", 3, 4]])
    result = run(data_dir, "--org", "THA", noheader)
    assert result.returncode == 1
    assert "Không tìm thấy dòng tiêu đề" in result.stderr


def test_empty_workbook_exit_1(tmp_path: Path, data_dir: Path) -> None:
    result = run(data_dir, "--org", "THA", write_xlsx(tmp_path / "trong.xlsx", []))
    assert result.returncode == 1
    assert "không có dữ liệu" in result.stderr


def test_unknown_organisation_exit_2(tmp_path: Path, data_dir: Path) -> None:
    result = run(data_dir, "--org", "KHONGCO", good_file(tmp_path))
    assert result.returncode == 2
    assert "KHONGCO" in result.stderr
    assert candidates(data_dir) == []


def test_missing_database_exit_1_and_not_created(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    result = run(empty, "--org", "THA", good_file(tmp_path))
    assert result.returncode == 1
    assert not (empty / db.DB_FILENAME).exists()


def test_update_reported(tmp_path: Path, data_dir: Path) -> None:
    assert run(data_dir, "--org", "THA", good_file(tmp_path, 2)).returncode == 0
    moved = write_xlsx(tmp_path / "moi.xlsx", [list(SIMPLE_HEADER), simple_row({**student(0), "class_name": "12C9"}),
                                               simple_row(student(1))])
    result = run(data_dir, "--org", "THA", moved)
    assert result.returncode == 0
    assert "Mới: 0, cập nhật: 1, không đổi: 1, bị từ chối: 0" in result.stdout
    assert sorted(c for _p, _n, c in candidates(data_dir)) == sorted(["12C9", student(1)["class_name"]])


# ---------------------------------------------------------------- hostile files, long texts, masked IDs


def _cut(src: Path, dest: Path, part: str) -> Path:
    import zipfile

    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            b.writestr(info, data[: len(data) // 2] if info.filename == part else data)
    return dest


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
                                  "xl/_rels/workbook.xml.rels", "_rels/.rels"])
def test_a_damaged_part_is_one_line_naming_it(tmp_path: Path, data_dir: Path, part: str) -> None:
    path = _cut(good_file(tmp_path), tmp_path / "hong.xlsx", part)
    before = table_dump(data_dir)
    result = run(data_dir, "--org", "THA", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert f"phần {part} bên trong bị cắt cụt" in result.stderr
    assert table_dump(data_dir) == before


def test_a_zip_bomb_is_refused_in_one_line(tmp_path: Path, data_dir: Path) -> None:
    import zipfile

    path = good_file(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z, \
            z.open("xl/media/image1.xml", "w", force_zip64=True) as fh:
        for _ in range(60):
            fh.write(b"A" * (4 * 1024 * 1024))  # 240 MB from about 240 KB
    assert path.stat().st_size < 1024 * 1024
    result = run(data_dir, "--org", "THA", path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "khi giải nén lên tới 240 MB (giới hạn 200 MB)" in result.stderr


def test_a_name_past_its_limit_rejects_its_row(tmp_path: Path, data_dir: Path) -> None:
    long_name = "Nguyễn Thị" + " Ánh" * 150  # 610 characters
    path = write_xlsx(tmp_path / "dai.xlsx", [list(SIMPLE_HEADER), simple_row({**student(0), "full_name": long_name}),
                                             simple_row(student(1)),
                                             simple_row({**student(2), "class_name": "12A" * 40})])
    result = run(data_dir, "--org", "THA", path)
    assert result.returncode == 2, result.stderr
    assert "Trang “Sheet1”, dòng 2, cột B: Quá dài: 610 ký tự (tối đa 500 ký tự)." in result.stdout
    assert "Trang “Sheet1”, dòng 4, cột G: Quá dài: 120 ký tự (tối đa 100 ký tự)." in result.stdout
    assert [c[1] for c in candidates(data_dir)] == [student(1)["full_name"]]


def test_personal_ids_are_masked_on_the_console(tmp_path: Path, data_dir: Path) -> None:
    other = {**student(1), "personal_id": student(0)["personal_id"]}  # one ID, two different people
    restored = {**student(2), "personal_id": int(student(2)["personal_id"])}  # lost its leading zero
    path = write_xlsx(tmp_path / "ids.xlsx", [list(SIMPLE_HEADER), simple_row(student(0)), simple_row(other),
                                             simple_row(restored)])
    result = run(data_dir, "--org", "THA", "--dry-run", path)
    assert result.returncode == 2, result.stderr
    out = result.stdout + result.stderr
    for s in (student(0), student(2)):
        pid = s["personal_id"]
        assert pid not in out
        assert pid.lstrip("0") not in out
        assert "*" * 8 + pid[-4:] in out
    assert "Mã định danh ********" in out

"""The headless report commands, run as subprocesses: exit codes, one-line messages, the demo figures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from lamha_desktop.storage import db


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen itself
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@pytest.fixture
def demo_dir(demo_db_template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    d.mkdir()
    shutil.copy(demo_db_template, d / db.DB_FILENAME)
    return d


def test_export_return_demo_figures(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    r = _run("export-return", "--data-dir", demo_dir, "--period", "2024-H1", "--out", out)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 1
    wb = openpyxl.load_workbook(out)
    totals = wb["Tổng hợp"]
    total_row = next(row for row in totals.iter_rows() if row[0].value == "Tổng cộng")
    assert total_row[7].value == 14  # admitted in the period
    assert total_row[12].value == 18  # since the plan's start, 14/06/2023
    lst = wb["Danh sách"]
    numbered = [row[0].value for row in lst.iter_rows(min_row=6) if isinstance(row[0].value, int)]
    assert numbered == list(range(1, 15))


def test_export_return_one_organisation_and_whole_year(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "lqd.xlsx"
    assert _run("export-return", "--data-dir", demo_dir, "--period", "2024", "--org", "LQD", "--out",
                out).returncode == 0
    ws = openpyxl.load_workbook(out)["Tổng hợp"]
    assert ws["B14"].value == "Chi bộ Trường THPT Lê Quý Đôn"
    assert ws["A15"].value == "Tổng cộng"


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--period", "2024-H3"], 2, "Kỳ báo cáo không hợp lệ"),
    (["--period", "2024", "--org", "NOPE"], 2, "NOPE"),
])
def test_export_return_bad_arguments(demo_dir: Path, tmp_path: Path, args: list[str], code: int,
                                     words: str) -> None:
    out = tmp_path / "x.xlsx"
    r = _run("export-return", "--data-dir", demo_dir, *args, "--out", out)
    assert r.returncode == code
    assert len(r.stderr.strip().splitlines()) == 1
    assert words in r.stderr
    assert not out.exists()


def test_export_return_unwritable_path_and_missing_database(demo_dir: Path, tmp_path: Path) -> None:
    r = _run("export-return", "--data-dir", demo_dir, "--period", "2024-H1", "--out", tmp_path / "no" / "x.xlsx")
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Không ghi được" in r.stderr
    r = _run("export-return", "--data-dir", tmp_path / "empty", "--period", "2024-H1", "--out", tmp_path / "x.xlsx")
    assert r.returncode == 1
    assert "Không tìm thấy cơ sở dữ liệu" in r.stderr
    assert not (tmp_path / "empty").exists()  # never creates a database by mistake


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_summary_pdf(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    r = _run("summary-pdf", "--data-dir", demo_dir, "--period", "2024-H1", "--out", out)
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "(14 học sinh)" in " ".join(text.split())
    r = _run("summary-pdf", "--data-dir", demo_dir, "--period", "x", "--out", out)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    r = _run("summary-pdf", "--data-dir", demo_dir, "--period", "2024", "--out", tmp_path / "no" / "s.pdf")
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1


def test_import_return_into_a_district_database(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    assert _run("export-return", "--data-dir", demo_dir, "--period", "2024-H1", "--out", out).returncode == 0
    district = tmp_path / "district"
    db.open_database(district / db.DB_FILENAME)
    db.close_database()
    r = _run("import-return", "--data-dir", district, out)
    assert r.returncode == 0, r.stderr
    assert "5 tổ chức mới" in r.stdout
    assert "14 học sinh mới" in r.stdout
    r = _run("import-return", "--data-dir", district, out)
    assert r.returncode == 0
    assert "0 học sinh mới" in r.stdout
    assert "14 không đổi" in r.stdout
    r = _run("import-return", "--data-dir", district, tmp_path / "missing.xlsx")
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1


def test_export_return_totals_only_carries_no_personal_data(demo_dir: Path, tmp_path: Path) -> None:
    import zipfile

    from lamha_desktop.readers import return_reader

    out = tmp_path / "so_lieu.xlsx"
    r = _run("export-return", "--data-dir", demo_dir, "--period", "2024-H1", "--totals-only", "--out", out)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp"]
    wb.close()
    with zipfile.ZipFile(out) as z:
        text = b"".join(z.read(n) for n in z.namelist())
    assert b"068" not in text  # no personal ID (the demo's all start with Lam Dong's 068)
    with pytest.raises(return_reader.ReadError) as info:
        return_reader.read_return(out)
    assert info.value.code == "return.not_a_return"
    district = tmp_path / "district"
    db.open_database(district / db.DB_FILENAME)
    db.close_database()
    r = _run("import-return", "--data-dir", district, out)
    assert r.returncode == 1
    assert "không phải báo cáo do phần mềm này xuất" in r.stderr


@pytest.fixture(scope="module")
def demo_return_file(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo_return")
    shutil.copy(demo_db_template, folder / db.DB_FILENAME)
    out = folder / "return.xlsx"
    assert _run("export-return", "--data-dir", folder, "--period", "2024-H1", "--out", out).returncode == 0
    return out


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
                                  "xl/_rels/workbook.xml.rels", "_rels/.rels"])
def test_import_return_with_a_damaged_part_is_one_line(demo_return_file: Path, demo_dir: Path, tmp_path: Path,
                                                       part: str) -> None:
    import zipfile

    good = demo_return_file
    bad = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(good) as a, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            b.writestr(info, data[: len(data) // 2] if info.filename == part else data)
    r = _run("import-return", "--data-dir", demo_dir, bad)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1
    assert f"phần {part} bên trong bị cắt cụt" in r.stderr


def test_the_second_half_of_a_year(demo_dir: Path, tmp_path: Path) -> None:
    """``YYYY-H2``: July to December (the cut-offs of the settings), in both commands."""
    out = tmp_path / "h2.xlsx"
    r = _run("export-return", "--data-dir", demo_dir, "--period", "2026-H2", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "6 tháng cuối năm 2026" in r.stdout
    totals = openpyxl.load_workbook(out)["Tổng hợp"]
    assert totals["A7"].value.endswith("6 tháng cuối năm 2026")
    assert totals["A9"].value.startswith("(Từ ngày 01/07/2026 đến ngày 31/12/2026;")
    out = tmp_path / "h2-2025.xlsx"
    assert _run("export-return", "--data-dir", demo_dir, "--period", "2025-H2", "--out", out).returncode == 0
    total = next(row for row in openpyxl.load_workbook(out)["Tổng hợp"].iter_rows() if row[0].value == "Tổng cộng")
    assert total[7].value == 1  # the one ceremony of the demo between July and December 2025 (TL, 20/11/2025)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_summary_pdf_of_the_second_half(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "h2.pdf"
    r = _run("summary-pdf", "--data-dir", demo_dir, "--period", "2026-H2", "--out", out)
    assert r.returncode == 0, r.stderr
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Kết quả kết nạp đảng viên là học sinh trung học phổ thông 6 tháng cuối năm 2026" in text

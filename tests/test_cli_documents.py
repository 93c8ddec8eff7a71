"""The headless ``document`` command: every kind from the demo, WHO as an ID or a name (ambiguous names refused with
the matches), a reader that never touches the database unless it gives a number, exit codes and one-line endings."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from docx_checks import assert_clean_document, flat, read

from lamha_desktop import cli
from lamha_desktop.storage import db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo_dir(demo_db_template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    d.mkdir()
    shutil.copy(demo_db_template, d / db.DB_FILENAME)
    return d


def query(folder: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(folder / db.DB_FILENAME)
    try:
        return list(con.execute(sql, args))
    finally:
        con.close()


def student(folder: Path, stage: int, org: str) -> tuple[str, str]:
    """(personal ID, full name) of the first demo student of ``org`` at ``stage``."""
    rows = query(folder, 'SELECT c.personal_id, c.full_name FROM candidate c JOIN organisation o ON o.id = '
                         'c.organisation_id WHERE c.stage = ? AND o.code = ? ORDER BY c.id', stage, org)
    return str(rows[0][0]), str(rows[0][1])


def digest(folder: Path) -> str:
    return hashlib.sha256((folder / db.DB_FILENAME).read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = cli.main(["document", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_names_the_kinds_through_the_entry_point() -> None:
    r = subprocess.run([sys.executable, "-m", "lamha_desktop", "document", "--list"], capture_output=True, text=True,
                       cwd=ROOT, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].split()[0] == "nq-chi-bo"
    assert lines[-1].startswith("Các loại văn bản: nq-chi-bo, bien-ban-chi-bo, nq-dang-uy")


def test_a_reader_writes_the_document_and_leaves_the_database_as_it_was(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pid, name = student(demo_dir, 40, "LQD")  # voted on, no number given yet
    before = digest(demo_dir)
    out = tmp_path / "nq.docx"
    code, stdout, _err = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--out", out)
    assert code == 0
    assert stdout.strip().splitlines()[-1] == (f"Đã lưu văn bản nq-chi-bo: {out}. Còn để trống (tô vàng): "
                                               "số văn bản.")
    text = flat(assert_clean_document(out.read_bytes()))
    assert f"kết nạp quần chúng {name}" in text
    assert digest(demo_dir) == before  # a reader: not a byte changed


def test_number_auto_gives_and_keeps_the_next_number(demo_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pid, name = student(demo_dir, 40, "LQD")
    out = tmp_path / "nq.docx"
    code, stdout, _ = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", name, "--number", "auto",
                          "--out", out)
    assert code == 0
    assert stdout.splitlines() == ["Số văn bản: 01-NQ/CB.", f"Đã lưu văn bản nq-chi-bo: {out}"]
    assert "Số 01-NQ/CB" in flat(read(out.read_bytes()))
    # Asked again without --number: the number already given.
    code, stdout, _ = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--out", out)
    assert stdout.splitlines()[0] == "Số văn bản: 01-NQ/CB."
    # A number typed by hand is completed with the series and moves the counter.
    code, stdout, _ = run(capsys, "bien-ban-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--number", "5",
                          "--out", tmp_path / "bb.docx")
    assert code == 0
    assert stdout.splitlines()[0] == "Số văn bản: 05-BB/CB."
    assert query(demo_dir, "SELECT series, last FROM document_counter ORDER BY series") == [("BB/CB", 5),
                                                                                          ("NQ/CB", 1)]
    code, _out, err = run(capsys, "bien-ban-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--number",
                          "05-NQ/CB", "--out", tmp_path / "bb.docx")
    assert code == 2
    assert err.strip() == ("Không lưu được số văn bản: Số 05-NQ/CB không thuộc loại số của văn bản này (BB/CB)")


def test_who_unknown_or_shared_is_refused_with_the_matches(demo_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    pid, name = student(demo_dir, 40, "LQD")
    code, _out, err = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", "Không Có Ai", "--out",
                          tmp_path / "x.docx")
    assert (code, err.strip()) == (2, "Không tìm thấy học sinh “Không Có Ai” (nhập số định danh hoặc họ và tên "
                                      "đầy đủ).")
    con = sqlite3.connect(demo_dir / db.DB_FILENAME)
    con.execute("UPDATE candidate SET full_name = ?, search_key = (SELECT search_key FROM candidate WHERE "
                "personal_id = ?) WHERE id = (SELECT MIN(id) FROM candidate)", (name, pid))
    con.commit()
    con.close()
    code, _out, err = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", name, "--out",
                          tmp_path / "x.docx")
    assert code == 2
    assert err.startswith(f"Có 2 học sinh tên “{name}”: ")
    assert f"****{pid[-4:]}" in err
    assert pid not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.docx").exists()
    code, _out, _err = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--out",
                           tmp_path / "x.docx")
    assert code == 0


@pytest.mark.parametrize(("args", "words"), [
    (["nope"], "Không có loại văn bản \"nope\""),
    (["nq-chi-bo", "--candidate", "x"], "cần --data-dir"),
    (["de-nghi-hoc-lop"], "cần --org"),
    (["de-nghi-hoc-lop", "--org", "XYZ"], "Không có tổ chức đảng mã “XYZ”"),
    (["nq-chi-bo"], "cần --candidate"),
    (["chuong-trinh-le"], "cần --ceremony"),
    (["chuong-trinh-le", "--ceremony", "31/02/2026"], "Ngày “31/02/2026” không hợp lệ"),
    (["chuong-trinh-le", "--ceremony", "01/01/2020"], "Không có lễ kết nạp nào ngày 01/01/2020"),
    (["chuong-trinh-le", "--ceremony", "15/05/2026", "--number", "auto"], "không đánh số"),
])
def test_bad_arguments_exit_2_in_one_line(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         args: list[str], words: str) -> None:
    extra = [] if args[1:2] == ["--candidate"] else ["--data-dir", str(demo_dir)]
    code, _out, err = run(capsys, *args, *extra, "--out", tmp_path / "x.docx")
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1


def test_a_document_that_does_not_apply_is_refused(demo_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pid, name = student(demo_dir, 40, "LQD")
    code, _out, err = run(capsys, "nq-dang-uy", "--data-dir", demo_dir, "--candidate", pid, "--out",
                          tmp_path / "x.docx")
    assert (code, err.strip()) == (2, f"Văn bản nq-dang-uy không dùng cho {name} (tổ chức là chi bộ cơ sở, không "
                                      "có bước đảng ủy).")


def test_every_kind_from_the_demo(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    voted, _ = student(demo_dir, 40, "LQD")
    dang_uy, _ = student(demo_dir, 50, "TANHA")
    official, _ = student(demo_dir, 80, "LQD")
    runs = {
        "nq-chi-bo": ["--candidate", voted], "bien-ban-chi-bo": ["--candidate", voted],
        "nq-dang-uy": ["--candidate", dang_uy, "--number", "auto"], "tong-hop-y-kien": ["--candidate", voted],
        "giay-gioi-thieu": ["--candidate", voted], "de-nghi-hoc-lop": ["--org", "LQD", "--date", "20/09/2026"],
        "chuong-trinh-le": ["--ceremony", "15/05/2026"], "nq-cong-nhan": ["--candidate", official],
    }
    for kind, args in runs.items():
        out = tmp_path / f"{kind}.docx"
        code, stdout, err = run(capsys, kind, "--data-dir", demo_dir, *args, "--out", out)
        assert code == 0, (kind, err)
        assert stdout.strip().splitlines()[-1].startswith(f"Đã lưu văn bản {kind}: {out}")
        assert_clean_document(out.read_bytes())
    letter = flat(read((tmp_path / "de-nghi-hoc-lop.docx").read_bytes()))
    assert "Lâm Hà, ngày 20 tháng 9 năm 2026" in letter
    assert "Kính gửi: Ban Thường vụ Đảng ủy xã Lâm Hà" in letter


def test_numbering_waits_for_another_writer(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from test_cli_lock import finish, hold

    monkeypatch.setattr(cli, "LOCK_WAIT_SECONDS", 0.5)
    pid, _ = student(demo_dir, 40, "LQD")
    holder = hold(demo_dir, "import-students", 60)
    try:
        code, _out, err = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--number", "auto",
                              "--out", tmp_path / "x.docx")
        assert code == cli.EXIT_BUSY
        assert len(err.strip().splitlines()) == 1
        # Reading needs no lock: the same document without a number is written meanwhile.
        code, _out, _err = run(capsys, "nq-chi-bo", "--data-dir", demo_dir, "--candidate", pid, "--out",
                               tmp_path / "x.docx")
        assert code == 0
    finally:
        finish(holder)
    assert query(demo_dir, "SELECT COUNT(*) FROM document_counter") == [(0,)]

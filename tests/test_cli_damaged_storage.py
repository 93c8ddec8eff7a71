"""Headless commands on damaged storage: one Vietnamese line that names the problem and the way out, exit 1,
and the damaged file left as it is; a read-only data folder still exports and backs up elsewhere; a full disk
is "disk full"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from classlist_files import SIMPLE_HEADER, simple_row, student, write_xlsx

from lamha_desktop.storage import backup, db, writers
from lamha_desktop.storage.models import Candidate

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _closed() -> Iterator[None]:
    yield
    db.close_database()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder: one organisation (THA) with 120 candidates and its daily backup; closed."""
    folder = tmp_path / "data"
    path = folder / db.DB_FILENAME
    db.open_database(path)
    org = writers.save_organisation({"code": "THA", "school_name": "THPT Tân Hà", "name": "Chi bộ THPT Tân Hà",
                                     "official_members": 6})
    with db.database.atomic():
        for i in range(120):
            Candidate.create(organisation=org, full_name=f"Nguyễn Văn {i}", search_key=f"nguyen van {i}",
                             sort_key=f"{i:06d}", gender="nam", birth="2008-01-01", personal_id=f"{i:012d}")
    db.close_database()
    backup.backup_now(path, kind="daily")
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return folder


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("QT_QPA_PLATFORM", None)
    return env


def run(*args: str | Path, prefix: tuple[str, ...] = (), preexec: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m lamha_desktop ARGS`` in a child (after ``preexec`` Python code, behind ``prefix``)."""
    code = textwrap.dedent(preexec) + "\nimport sys\nfrom lamha_desktop.app import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([*prefix, sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=_env(), cwd=PROJECT, timeout=120, check=False)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def class_list(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "lop.xlsx", [list(SIMPLE_HEADER), *[simple_row(student(i)) for i in range(3)]])


def commands(data: Path, tmp_path: Path) -> dict[str, list[str | Path]]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return {
        "export-return": ["export-return", "--data-dir", data, "--period", "2025", "--out", out / "bc.xlsx"],
        "summary-pdf": ["summary-pdf", "--data-dir", data, "--period", "2025", "--out", out / "bc.pdf"],
        "import-students": ["import-students", "--data-dir", data, "--org", "THA", class_list(tmp_path)],
        "backup": ["backup", "--data-dir", data, "--out", out / "copy.sqlite3"],
    }


@pytest.mark.parametrize("command", ["export-return", "summary-pdf", "import-students", "backup"])
def test_a_zero_byte_database_stops_every_command_with_the_way_out(data: Path, tmp_path: Path,
                                                                   command: str) -> None:
    path = data / db.DB_FILENAME
    good = next(backup.backups_dir(path).glob("daily-*.sqlite3"))
    path.write_bytes(b"")
    result = run(*commands(data, tmp_path)[command])
    assert result.returncode == 1, result.stdout + result.stderr
    line = one_line(result)
    assert "rỗng (0 byte)" in line
    assert good.name in line  # the newest good backup, with the command that restores it
    assert "lamha-desktop restore" in line
    assert path.stat().st_size == 0  # not re-created empty
    assert sorted(backup.backups_dir(path).iterdir()) == [good]
    assert not (tmp_path / "out" / "bc.xlsx").exists()


def test_random_bytes_are_named_with_the_backup_not_as_a_password(data: Path, tmp_path: Path) -> None:
    path = data / db.DB_FILENAME
    path.write_bytes(os.urandom(path.stat().st_size))
    line = one_line(run(*commands(data, tmp_path)["export-return"]))
    assert "ghi đè" in line
    assert "đặt mật khẩu. Hãy nhập" not in line
    assert "daily-" in line


def test_backup_onto_the_live_database_is_refused(data: Path) -> None:
    path = data / db.DB_FILENAME
    before = path.read_bytes()
    result = run("backup", "--data-dir", data, "--out", path)
    assert result.returncode == 1
    assert "chính tệp dữ liệu đang dùng" in one_line(result)
    assert path.read_bytes() == before


# ---------------------------------------------------------------- a read-only data folder


def _no_override() -> tuple[str, ...]:
    if os.geteuid() != 0:
        return ()
    drop = "-dac_override,-dac_read_search"
    return ("setpriv", "--bounding-set", drop, "--inh-caps", drop)


@pytest.fixture
def read_only(data: Path, tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "out"
    out.mkdir()
    for p in (data / "backups", data):
        p.chmod(0o555)
    yield data
    for p in (data, data / "backups"):
        p.chmod(0o755)


@pytest.mark.parametrize("command", ["export-return", "summary-pdf", "backup"])
def test_a_read_only_data_folder_still_exports_and_backs_up_elsewhere(read_only: Path, tmp_path: Path,
                                                                      command: str) -> None:
    args = commands(read_only, tmp_path)[command]
    result = run(*args, prefix=_no_override())
    assert result.returncode == 0, result.stderr
    assert Path(args[-1]).stat().st_size > 0
    assert sorted(p.name for p in read_only.iterdir()) == ["backups", db.DB_FILENAME]


def test_import_into_a_read_only_folder_says_so(read_only: Path, tmp_path: Path) -> None:
    result = run(*commands(read_only, tmp_path)["import-students"], prefix=_no_override())
    assert result.returncode == 1
    line = one_line(result)
    assert "chỉ đọc" in line
    assert "Lỗi không xác định" not in line


def test_a_backup_into_a_read_only_folder_points_elsewhere(read_only: Path) -> None:
    result = run("backup", "--data-dir", read_only, prefix=_no_override())
    assert result.returncode == 1
    line = one_line(result)
    assert "chỉ đọc" in line
    assert "--out" in line


# ---------------------------------------------------------------- a full disk


def test_a_full_disk_export_is_disk_full_not_folder_missing(data: Path, tmp_path: Path) -> None:
    args = commands(data, tmp_path)["export-return"]
    result = run(*args, preexec="""
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    """)
    assert result.returncode == 1
    line = one_line(result)
    assert "ổ đĩa đã đầy" in line
    assert "không tồn tại" not in line
    assert not Path(args[-1]).exists()
    assert [p.name for p in Path(args[-1]).parent.iterdir()] == []  # no temporary file left


def test_import_messages_are_worded_not_unknown(data: Path, tmp_path: Path) -> None:
    """The codes a database refusal raises have texts: never "Lỗi không xác định (db.…)"."""
    from lamha_desktop import catalogue

    for code in ("db.read_only", "db.password_required", "db.wrong_password", "db.disk_full", "db.empty_file",
                 "db.garbage", "db.truncated", "db.needs_upgrade", "db.read_only_unsaved", "db.io_error"):
        assert not catalogue.text(code, {"path": "x"}).startswith("Lỗi không xác định"), code

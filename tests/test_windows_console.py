"""What Windows does to a program's output, imitated on Linux: no stdout/stderr at all (the windowed
executable), a cp1258 or ASCII stdout (a redirected console on a Vietnamese or English Windows), the log file
that keeps what a windowed program cannot print, and Qt's offscreen platform without fonts (Windows' case)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from lamha_desktop import logs
from lamha_desktop.storage import db
from lamha_desktop.ui import headless


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONIOENCODING")}
    env.pop("QT_QPA_PLATFORM", None)
    env.update(extra)
    return env


def _python(code: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(**env), timeout=120,
                          check=False)


def _lamha(*args: str | Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *map(str, args)], capture_output=True,
                          env=_env(**env), timeout=120, check=False)


@pytest.fixture
def demo_dir(demo_db_template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    d.mkdir()
    shutil.copy(demo_db_template, d / db.DB_FILENAME)
    return d


def nfc(data: bytes, encoding: str) -> str:
    return unicodedata.normalize("NFC", data.decode(encoding))


# ---------------------------------------------------------------- no stdout, no stderr (console=False)

WINDOWED = "import sys\nsys.stdout = None\nsys.stderr = None\nfrom lamha_desktop import app\n"


def test_headless_commands_without_stdout_and_stderr(demo_dir: Path, tmp_path: Path) -> None:
    """PyInstaller's windowed executable starts with sys.stdout and sys.stderr set to None."""
    out = tmp_path / "summary.pdf"
    code = WINDOWED + (
        f"a = app.main(['backup', '--data-dir', {str(demo_dir)!r}])\n"
        f"b = app.main(['restore', '--data-dir', {str(demo_dir)!r}, 'missing.sqlite3'])\n"
        f"c = app.main(['summary-pdf', '--data-dir', {str(demo_dir)!r}, '--period', '2024-H1',"
        f" '--out', {str(out)!r}])\n"
        "try:\n"
        "    app.main(['backup', '--no-such-option'])\n"
        "except SystemExit as exc:\n"
        "    d = exc.code\n"
        "sys.__stdout__.write(f'{a} {b} {c} {d}')\n")
    r = _python(code)
    assert r.stdout.decode() == "0 1 0 2", r.stderr.decode()
    assert r.stderr == b""
    assert out.stat().st_size > 1000
    assert list((demo_dir / "backups").glob("manual-*.sqlite3"))
    log = logs.log_path(demo_dir).read_text(encoding="utf-8")
    assert "INFO lamha_desktop.storage.backup: backup written" in log  # what a windowed program could not print


def test_the_window_starts_without_stdout_and_stderr(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = _python(WINDOWED + f"sys.exit(app.main(['--smoke-test', '--data-dir', {str(data)!r}]))\n")
    assert r.returncode == 0, r.stderr.decode()
    assert r.stderr == b""
    assert (data / db.DB_FILENAME).is_file()
    assert "INFO" in logs.log_path(data).read_text(encoding="utf-8")


# ---------------------------------------------------------------- a cp1258 or ASCII stdout


def test_vietnamese_on_a_cp1258_pipe(demo_dir: Path) -> None:
    """A redirected stdout on a Vietnamese Windows: cp1258 holds ê, ư, ơ, đ and the tone marks separately."""
    r = _lamha("backup", "--data-dir", demo_dir, PYTHONIOENCODING="cp1258")
    assert r.returncode == 0, r.stderr.decode("cp1258", "replace")
    assert "5 tổ chức đảng\t53 quần chúng" in nfc(r.stdout, "cp1258")  # every letter back, after NFC
    r = _lamha("restore", "--data-dir", demo_dir, "khong-co.sqlite3", PYTHONIOENCODING="cp1258")
    assert r.returncode == 1
    assert "Không tìm thấy tệp sao lưu" in nfc(r.stderr, "cp1258")
    assert b"Traceback" not in r.stderr


def test_vietnamese_on_an_ascii_pipe_and_help(demo_dir: Path) -> None:
    r = _lamha("backup", "--data-dir", demo_dir, PYTHONIOENCODING="ascii")
    assert r.returncode == 0, r.stderr.decode("ascii", "replace")
    assert "5 to chuc dang\t53 quan chung" in r.stdout.decode("ascii")  # letters without their marks
    for args in (["--help"], ["backup", "--help"]):
        r = _lamha(*args, PYTHONIOENCODING="cp1258")
        assert r.returncode == 0, r.stderr.decode("cp1258", "replace")
        assert "thư mục dữ liệu" in nfc(r.stdout, "cp1258")


def test_nearest_text_for_each_encoding() -> None:
    text = "Đã lưu báo cáo sơ kết: Nguyễn Thị Ánh Tuyết"
    cp1258 = text.encode("cp1258", logs.errors_for("cp1258"))
    assert unicodedata.normalize("NFC", cp1258.decode("cp1258")) == text
    assert text.encode("ascii", logs.errors_for("ascii")) == b"Da luu bao cao so ket: Nguyen Thi Anh Tuyet"
    cp1252 = text.encode("cp1252", logs.errors_for("cp1252")).decode("cp1252")
    assert cp1252 == "Dã luu báo cáo so kêt: Nguyên Thi Ánh Tuyêt"
    assert "日本".encode("cp1258", logs.errors_for("cp1258")) == b"??"


# ---------------------------------------------------------------- the log file


def test_the_log_file_rotates_masks_and_survives_a_refused_rename(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    level = root.level
    path = logs.add_file(tmp_path)
    try:
        assert path == logs.log_path(tmp_path).absolute()
        assert logs.add_file(tmp_path) == path  # once
        ours = [h for h in root.handlers if isinstance(h, logs._RotatingFile)]
        assert len(ours) == 1
        log = logging.getLogger("lamha_desktop.test")
        log.info("candidate %s imported", "068308001234")
        line = "x" * 1000
        for _ in range(1100):
            log.info(line)
        assert (path.parent / f"{logs.LOG_FILENAME}.1").is_file()

        def refused(_src: str, _dst: str) -> None:  # Windows: the other process has the log open
            raise PermissionError(13, "The process cannot access the file because it is being used")

        monkeypatch.setattr(os, "rename", refused)
        size = path.stat().st_size
        for _ in range(1100):
            log.info(line)
        log.warning("still logging")
        assert path.stat().st_size > size
        assert "still logging" in path.read_text(encoding="utf-8")
        everything = "".join(p.read_text(encoding="utf-8") for p in path.parent.iterdir())
        assert "068308001234" not in everything
        assert "********1234 imported" in everything
    finally:
        for handler in [h for h in root.handlers if isinstance(h, logs._RotatingFile)]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


def test_no_log_file_where_the_folder_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert logs.add_file(blocker) is None


# ---------------------------------------------------------------- Qt without a window, and its fonts


@pytest.mark.parametrize(("environ", "platform", "offscreen", "expected"), [
    ({}, "win32", False, {}),  # the native platform: the system's fonts, and no window is shown
    ({"WINDIR": r"D:\WINDOWS"}, "win32", True,
     {"QT_QPA_PLATFORM": "offscreen", "QT_QPA_FONTDIR": r"D:\WINDOWS\Fonts"}),
    ({"QT_QPA_PLATFORM": "offscreen"}, "win32", False, {"QT_QPA_FONTDIR": r"C:\Windows\Fonts"}),
    ({"QT_QPA_PLATFORM": "offscreen", "QT_QPA_FONTDIR": r"E:\fonts"}, "win32", False, {}),
    ({"QT_QPA_PLATFORM": "windows"}, "win32", True, {}),
    ({}, "linux", False, {"QT_QPA_PLATFORM": "offscreen"}),
    ({"DISPLAY": ":0"}, "linux", False, {}),
    ({"DISPLAY": ":0"}, "linux", True, {"QT_QPA_PLATFORM": "offscreen"}),
])
def test_the_platform_of_a_run_without_a_window(environ: dict[str, str], platform: str, offscreen: bool,
                                                  expected: dict[str, str]) -> None:
    assert headless.platform_environment(environ, platform=platform, offscreen=offscreen) == expected


def test_font_folders() -> None:
    windows = {"WINDIR": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\Thư ký\AppData\Local"}
    assert [str(p) for p in headless.font_folders(windows, platform="win32")] == [
        r"C:\Windows\Fonts", r"C:\Users\Thư ký\AppData\Local\Microsoft\Windows\Fonts"]
    assert headless.font_folders({}, platform="linux") == []
    assert headless.font_folders({"QT_QPA_FONTDIR": "/opt/fonts"}, platform="linux") == [Path("/opt/fonts")]


def _no_fonts(tmp_path: Path) -> dict[str, str]:
    """Qt offscreen with no font at all, as on Windows: fontconfig configured with no font folder."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>',
                    encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}


@pytest.mark.posix_only
def test_summary_pdf_without_fonts_is_refused_not_empty(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    r = _lamha("summary-pdf", "--data-dir", demo_dir, "--period", "2024-H1", "--out", out, **_no_fonts(tmp_path))
    assert r.returncode == 1
    assert "Không tìm thấy phông chữ" in r.stderr.decode()
    assert len(r.stderr.decode().strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.posix_only
def test_summary_pdf_registers_the_fonts_folder_qt_was_given(demo_dir: Path, tmp_path: Path) -> None:
    """Windows' offscreen platform reads fonts only from QT_QPA_FONTDIR: a folder with a Times New Roman
    substitute stands in for C:\\Windows\\Fonts here."""
    liberation = sorted(Path("/usr/share/fonts").rglob("LiberationSerif-*.ttf"))
    assert liberation, "fonts-liberation2 is installed by build_scripts/setup_env.sh"
    fonts = tmp_path / "Windows" / "Fonts"
    fonts.mkdir(parents=True)
    for ttf in liberation:
        shutil.copy(ttf, fonts / ttf.name.replace("LiberationSerif", "times"))
    out = tmp_path / "summary.pdf"
    r = _lamha("summary-pdf", "--data-dir", demo_dir, "--period", "2024-H1", "--out", out,
               QT_QPA_FONTDIR=str(fonts), **_no_fonts(tmp_path))
    assert r.returncode == 0, r.stderr.decode()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "BÁO CÁO" in text
    assert "Trường THPT" in text


def test_the_headless_font_probe_asks_for_the_reports_font() -> None:
    from lamha_desktop.ui import headless, printing

    assert headless.REPORT_FAMILY == printing.FONT_FAMILY

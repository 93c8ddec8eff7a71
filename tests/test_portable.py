"""Portable mode: a ``portable`` file beside the executable keeps the data folder beside it (a USB drive)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lamha_desktop import app


@pytest.fixture
def exe_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "usb" / "lamha-desktop"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "executable", str(folder / "lamha-desktop.exe"))
    monkeypatch.setattr(app, "default_data_dir", lambda: tmp_path / "appdata")
    return folder


@pytest.mark.parametrize("frozen", [True, False])
def test_the_marker_puts_the_data_beside_the_executable(exe_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                        frozen: bool) -> None:
    monkeypatch.setattr(sys, "frozen", frozen, raising=False)
    (exe_dir / "portable").write_text("")
    assert app.resolve_data_dir(app.parse_args([])) == exe_dir / "data"


def test_without_the_marker_the_users_data_folder(exe_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert app.portable_data_dir() is None
    assert app.resolve_data_dir(app.parse_args([])) == tmp_path / "appdata"
    (exe_dir / "portable").mkdir()  # a folder of that name is no marker
    assert app.resolve_data_dir(app.parse_args([])) == tmp_path / "appdata"


def test_data_dir_and_demo_win_over_the_marker(exe_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    (exe_dir / "portable").write_text("")
    chosen = tmp_path / "chosen"
    assert app.resolve_data_dir(app.parse_args(["--data-dir", str(chosen)])) == chosen.resolve()
    demo = app.resolve_data_dir(app.parse_args(["--demo"]))
    assert demo.name.startswith("lamha-demo-")
    assert exe_dir not in demo.parents
    demo.rmdir()


def test_portable_start_keeps_database_and_window_settings_beside_the_executable(
        exe_dir: Path, qtbot: object, qt_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QSettings

    from lamha_desktop.storage import db

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(Path(app.__file__).resolve().parent.parent), raising=False)
    (exe_dir / "portable").write_text("")
    started = app.build(["--no-err-windows"])
    try:
        assert started.db_path == exe_dir / "data" / db.DB_FILENAME
        assert started.db_path.is_file()
        settings = QSettings()
        assert settings.format() == QSettings.Format.IniFormat
        assert Path(settings.fileName()).is_relative_to(exe_dir / "data")
    finally:
        started.window.close()  # type: ignore[attr-defined]
        db.close_database()
        app.release_instance_lock()

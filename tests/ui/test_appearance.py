"""Icon, High-DPI policy and Qt's translations, as the application sets them up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from lamha_desktop import app
from lamha_desktop.storage import db
from lamha_desktop.ui import appearance


def test_the_icon_has_every_drawn_size(qapp: Any) -> None:
    sizes = appearance.app_icon().availableSizes()
    for n in (16, 32, 48, 256):
        assert QSize(n, n) in sizes


def test_build_gives_the_application_and_window_its_icon(tmp_path: Path, qtbot: Any, qt_settings: None) -> None:
    started = app.build(["--data-dir", str(tmp_path / "data"), "--no-err-windows"])
    qtbot.addWidget(started.window)
    try:
        assert not QApplication.windowIcon().isNull()
        assert QSize(32, 32) in started.window.windowIcon().availableSizes()  # type: ignore[attr-defined]
    finally:
        db.close_database()
        app.release_instance_lock()


def test_no_vietnamese_qt_catalogue_is_shipped_and_none_is_needed(qapp: Any, tmp_path: Path) -> None:
    # PySide6 ships no qtbase_vi.qm: the dialogs set their Vietnamese button texts themselves.
    assert appearance.install_qt_translations(qapp, folders=(tmp_path,)) is False


def test_standard_buttons_speak_vietnamese(qapp: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from lamha_desktop.ui import appearance

    appearance.apply(qapp)
    appearance.apply(qapp)  # the translator is installed once
    assert sum(isinstance(t, appearance.StandardTexts) for t in appearance._translators) <= 1
    box = QMessageBox(QMessageBox.Icon.Question, "Xóa", "Xóa?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert sorted(b.text() for b in box.buttons()) == ["&Có", "&Không"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in buttons.buttons()) == ["Hủy", "Đồng ý"]
    # Texts it has no entry for are left to Qt.
    assert qapp.translate("QPlatformTheme", "Something else") == "Something else"

"""How the application looks before any window exists: High-DPI rendering, the icon, Qt's own translations.

``configure_high_dpi()`` must run before the QApplication is created; ``apply(app)`` right after it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from lamha_desktop.paths import resources_dir

__all__ = ["ICON_SIZES", "app_icon", "apply", "configure_high_dpi", "install_qt_translations"]

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # resources/icons/lamha-<size>.png (build_scripts/make_icon.py)
_translators: list[QTranslator] = []  # kept alive as long as the application


def configure_high_dpi() -> None:
    """Sharp rendering at 125 % and 150 % (common on office laptops): no rounding of the scale factor.

    Qt 6 always scales by the screen's factor; it only has to be told not to round 1.25 down to 1.
    """
    if QGuiApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def app_icon() -> QIcon:
    """The application's icon in every size drawn by ``build_scripts/make_icon.py``."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"lamha-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


def install_qt_translations(app: QApplication, *, folders: tuple[Path, ...] = ()) -> bool:
    """Load Qt's Vietnamese catalogue (``qtbase_vi.qm``) when one is found; return whether one was.

    PySide6 6.12 ships none, so standard buttons get their Vietnamese texts explicitly in our dialogs
    (``ui.widgets.standard_buttons``); a ``qtbase_vi.qm`` placed in ``resources/translations`` is used if present.
    """
    locale = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    search = (*folders, resources_dir() / "translations",
              Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    for folder in search:
        translator = QTranslator(app)
        if folder.is_dir() and translator.load(locale, "qtbase", "_", str(folder)):
            app.installTranslator(translator)
            _translators.append(translator)
            return True
    return False


# Qt's own texts on standard buttons (message boxes, button boxes), which PySide6 ships no Vietnamese for.
STANDARD_TEXTS: dict[str, dict[str, str]] = {
    "QPlatformTheme": {
        "OK": "Đồng ý", "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "&Yes": "&Có",
        "Yes to &All": "Có với &tất cả", "&No": "&Không", "N&o to All": "K&hông với tất cả", "Abort": "Hủy bỏ",
        "Retry": "Thử lại", "Ignore": "Bỏ qua", "Close": "Đóng", "Cancel": "Hủy", "Discard": "Bỏ qua thay đổi",
        "Don't Save": "Không lưu", "Close without Saving": "Đóng không lưu", "Help": "Trợ giúp",
        "Apply": "Áp dụng", "Reset": "Đặt lại", "Restore Defaults": "Khôi phục mặc định",
    },
    "QMessageBox": {"Show Details...": "Xem chi tiết...", "Hide Details...": "Ẩn chi tiết..."},
}


class StandardTexts(QTranslator):
    """A translator for Qt's standard button texts: every QMessageBox and QDialogButtonBox says Vietnamese."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        text = STANDARD_TEXTS.get(context, {}).get(source)
        return text  # None: no translation here, Qt keeps looking


def apply(app: QApplication) -> None:
    """The icon and the translations, on a freshly created (or reused) application."""
    app.setWindowIcon(app_icon())
    if not install_qt_translations(app) and not any(isinstance(t, StandardTexts) for t in _translators):
        standard = StandardTexts(app)
        app.installTranslator(standard)
        _translators.append(standard)

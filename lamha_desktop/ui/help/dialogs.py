"""The user guide window (resources/help/huong_dan.html with a table of contents) and the About dialog."""

from __future__ import annotations

import html
import platform
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamha_desktop.ui.main_window import MainWindow

import PySide6
from PySide6.QtCore import QModelIndex, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import lamha_desktop
from lamha_desktop.paths import resources_dir
from lamha_desktop.ui.appearance import app_icon
from lamha_desktop.ui.messages import tr

__all__ = ["AboutDialog", "HelpDialog", "guide_path", "guide_sections", "show_guide"]

GUIDE_FILE = "huong_dan.html"
_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.DOTALL)


def guide_path() -> Path:
    return resources_dir() / "help" / GUIDE_FILE


def guide_sections(text: str) -> list[tuple[str, str]]:
    """(anchor, title) of every ``<h2 id=…>`` of the guide, in order."""
    return [(anchor, html.unescape(re.sub(r"<[^>]+>", "", title)).strip()) for anchor, title in _SECTION.findall(text)]


class HelpDialog(QDialog):
    """The guide in a QTextBrowser, its sections listed on the left; not modal, so it stays open beside the work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_dialog")
        self.setWindowTitle(tr("Hướng dẫn sử dụng"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        path = guide_path()
        text = path.read_text(encoding="utf-8")
        self.sections = [(a, t) for a, t in guide_sections(text) if a != "muc-luc"]
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        self.toc_model = QStandardItemModel(self)
        for anchor, title in self.sections:
            item = QStandardItem(title)
            item.setData(anchor, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self.toc_model.appendRow(item)
        self.toc = QListView()
        self.toc.setModel(self.toc_model)
        self.toc.setWordWrap(True)
        self.toc.setSpacing(3)
        self.toc.clicked.connect(self._go)
        self.toc.activated.connect(self._go)
        split = QSplitter()
        split.addWidget(self.toc)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 660])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đó&ng"))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(960, 680)

    def _go(self, index: QModelIndex) -> None:
        self.go_to(str(index.data(Qt.ItemDataRole.UserRole)))

    def go_to(self, anchor: str) -> None:
        if anchor:
            self.browser.scrollToAnchor(anchor)


def show_guide(window: MainWindow, anchor: str = "") -> HelpDialog:
    """Show the guide (one per window, raised when already open), at ``anchor`` if given."""
    dialog = window.help_dialog
    if not isinstance(dialog, HelpDialog):
        dialog = HelpDialog(window)
        window.help_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.go_to(anchor)
    return dialog


class AboutDialog(QDialog):
    """Version, data folder and database path, with a button to open the folder and one to copy the details."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(tr("Giới thiệu"))
        self.db_path = Path(db_path)
        self.data_dir = self.db_path.parent
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.info = QLabel(self._html())
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.info.setOpenExternalLinks(False)
        self.info.linkActivated.connect(lambda _link: self.open_data_folder())
        self.info.setWordWrap(True)
        self.info.setMinimumWidth(460)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.info, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đó&ng"))
        self.open_button = QPushButton(tr("&Mở thư mục dữ liệu"))
        self.copy_button = QPushButton(tr("&Sao chép thông tin"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_data_folder)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)

    def details(self) -> str:
        """The plain-text facts, for a support request."""
        return "\n".join([
            f"{tr('Quản lý kết nạp đảng viên là học sinh THPT')} {lamha_desktop.__version__}",
            f"{tr('Thư mục dữ liệu')}: {self.data_dir}",
            f"{tr('Cơ sở dữ liệu')}: {self.db_path}",
            f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}, "
            f"{platform.system()} {platform.release()}",
        ])

    def _html(self) -> str:
        e = html.escape
        blurb = tr("Theo dõi việc kết nạp học sinh ưu tú vào Đảng: từ danh sách nguồn đến công nhận "
                   "đảng viên chính thức. Chạy hoàn toàn trên máy, không cần mạng.")
        return (
            f"<h3>{e(tr('Quản lý kết nạp đảng viên là học sinh THPT'))}</h3>"
            f"<p>{e(tr('Phiên bản'))} <b>{e(lamha_desktop.__version__)}</b></p>"
            f"<p>{e(blurb)}</p>"
            f"<p>{e(tr('Thư mục dữ liệu'))}: <a href='data-folder'>{e(str(self.data_dir))}</a><br>"
            f"{e(tr('Cơ sở dữ liệu'))}: {e(str(self.db_path))}</p>"
            f"<p style='color:#555'>Python {e(platform.python_version())} · Qt {e(qVersion())} · "
            f"PySide6 {e(PySide6.__version__)}</p>")

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())

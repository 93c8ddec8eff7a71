"""A window of the same shape as the program's first one, with none of its code: ``bench_startup.py``'s reference.

What the main window shows at start, built with PySide6 alone and fixed data: five tabs (four of them empty
placeholders, as ours are until first shown), the students' page (a search line, four lists, a check box,
three labels and four buttons over a table of 100 rows and 10 columns, from a Python model with its header
texts and row numbers, sortable), the four menus with the same 33 entries and shortcuts, the tool bar, the
status bar's two labels (one styled), 1200×720, shown and painted once. No database, no settings, no domain
code: what is left between this window and ``--smoke-test`` is the program's own work.

    .venv/bin/python tests/bench/same_shape_window.py
"""

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Lớp", "Chi bộ", "Giai đoạn", "Việc tiếp theo",
           "Hạn", "Thiếu")
MENUS = {
    "&Tệp": ["&Nhập danh sách học sinh…|Ctrl+I", "Nhập &lịch sử kết nạp…", "-", "&Xuất báo cáo…|Ctrl+E",
             "&In báo cáo sơ kết, tổng kết…|Ctrl+P", "&Lưu báo cáo sơ kết, tổng kết ra PDF…",
             "&Nhập báo cáo của trường…", "-", "Sao lưu &ngay|Ctrl+Shift+B", "Sao lưu &ra…", "&Khôi phục…", "-",
             "&Nhật ký thay đổi…", "Xuất nhật ký ra &Excel…", "-", "Đặt &mật khẩu dữ liệu…", "Đổi mật &khẩu…",
             "&Bỏ mật khẩu…", "-", "&Thiết lập…|Ctrl+,", "-", "T&hoát|Ctrl+Q"],
    "&Sửa": ["&Hoàn tác|Ctrl+Z", "&Làm lại|Ctrl+Y", "-", "&Thêm mới…|Ctrl+N", "&Sửa…", "&Xóa…|Del"],
    "&Xem": ["&Tìm kiếm|Ctrl+F", "&Làm mới|F5"],
    "Trợ &giúp": ["&Hướng dẫn sử dụng|F1", "&Giới thiệu"],
}
TOOLBAR = ("&Thêm mới…", "&Sửa…", "&Xóa…", "&Làm mới", "-", "&Xuất báo cáo…", "&In báo cáo sơ kết, tổng kết…")


class Rows(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows = [(f"Nguyễn Thị Bích {i:03}", "Nữ" if i % 2 else "Nam", f"{1 + i % 28:02}/0{1 + i % 9}/2008",
                      "Kinh", f"12A{1 + i % 9}", "LQD", "Danh sách nguồn", "Học lớp nhận thức về Đảng",
                      f"{1 + i % 28:02}/12/2026", "") for i in range(100)]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role == 0:
            return COLUMNS[section] if orientation == Qt.Orientation.Horizontal else section + 1
        return None

    def data(self, index: QModelIndex, role: int = 0) -> object:
        if role == 0 and index.isValid():
            return self.rows[index.row()][index.column()]
        return None


def main() -> None:
    app = QApplication(sys.argv)
    window = QMainWindow()
    actions: dict[str, QAction] = {}
    for title, entries in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
                continue
            text, _, keys = entry.partition("|")
            act = actions[text] = QAction(text, window)
            if keys:
                act.setShortcut(QKeySequence(keys))
            menu.addAction(act)
    bar = window.addToolBar("Thanh công cụ")
    for text in TOOLBAR:
        if text == "-":
            bar.addSeparator()
        else:
            bar.addAction(actions[text])
    page = QWidget()
    layout = QVBoxLayout(page)
    filters = QHBoxLayout()
    filters.addWidget(QLineEdit(placeholderText="Tìm theo tên, lớp, số định danh…"))
    for label, items in (("Chi bộ:", ["Tất cả", "LQD", "THPT Lâm Hà"]), ("Giai đoạn:", ["Tất cả", "Nguồn"]),
                         ("Năm:", ["Tất cả", "2026", "2025"]), ("", ["Tất cả", "Chưa biểu quyết"])):
        if label:
            filters.addWidget(QLabel(label))
        combo = QComboBox()
        combo.addItems(items)
        filters.addWidget(combo)
    filters.addWidget(QCheckBox("Thiếu thông tin"))
    filters.addWidget(QLabel("100 học sinh"))
    layout.addLayout(filters)
    view = QTableView()
    view.setModel(Rows())
    view.setSortingEnabled(True)
    layout.addWidget(view)
    buttons = QHBoxLayout()
    for text in ("Thêm…", "Sửa…", "Xóa…", "Nhập danh sách…"):
        buttons.addWidget(QPushButton(text))
    layout.addLayout(buttons)
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    for i, title in enumerate(("Tổ chức đảng", "Quần chúng", "Lễ kết nạp", "Việc cần làm (3 quá hạn)",
                               "Tổng quan")):
        tabs.addTab(page if i == 1 else QWidget(), title)
    tabs.setCurrentIndex(1)
    window.setCentralWidget(tabs)
    overdue = QLabel("3 việc quá hạn")
    overdue.setStyleSheet("color: #b00020; font-weight: bold;")
    window.statusBar().addPermanentWidget(overdue)
    window.statusBar().addPermanentWidget(QLabel("Dữ liệu: lamha.sqlite3"))
    window.setWindowTitle("Kết nạp đảng viên học sinh")
    window.resize(1200, 720)
    window.show()
    app.processEvents()
    window.close()


if __name__ == "__main__":
    main()

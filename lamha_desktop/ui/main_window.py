"""The main window: three tabs over the database, menus, toolbar, shortcuts and the status bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QTabWidget, QWidget

from lamha_desktop.operations import OpChanges, maintenance
from lamha_desktop.storage import repo
from lamha_desktop.ui.changes import hub, run
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.tab_base import TableTab

if TYPE_CHECKING:
    from lamha_desktop.ui.candidates.tab import CandidatesTab
    from lamha_desktop.ui.ceremonies.tab import CeremoniesTab
    from lamha_desktop.ui.due.tab import DueTab
    from lamha_desktop.ui.organisations.tab import OrganisationsTab
    from lamha_desktop.ui.overview.tab import OverviewTab
    from lamha_desktop.ui.safety import SafetyController
    from lamha_desktop.ui.safety.encryption import EncryptionController

# The tabs in their order: (attribute, title, module, class). Only the tab shown at start is built with the
# window; the others on first show or first use (until the due list is built, the window counts what is overdue).
TABS: tuple[tuple[str, str, str, str], ...] = (
    ("organisations", "Tổ chức đảng", "lamha_desktop.ui.organisations.tab", "OrganisationsTab"),
    ("candidates", "Quần chúng", "lamha_desktop.ui.candidates.tab", "CandidatesTab"),
    ("ceremonies", "Lễ kết nạp", "lamha_desktop.ui.ceremonies.tab", "CeremoniesTab"),
    ("due", "Việc cần làm", "lamha_desktop.ui.due.tab", "DueTab"),
    ("overview", "Tổng quan", "lamha_desktop.ui.overview.tab", "OverviewTab"),
)
TAB_NAMES = tuple(t[0] for t in TABS)


class MainWindow(QMainWindow):
    def __init__(self, *, db_path: Path, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.demo = demo
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._built: dict[str, TableTab] = {}
        self._swapping = False
        self.undo_stack: QUndoStack | None = None
        for _name, title, _module, _cls in TABS:
            self.tabs.addTab(QWidget(), tr(title))  # a placeholder until the tab is first shown
        self.setCentralWidget(self.tabs)
        # What the feature packages install (ui.safety, ui.safety.encryption, ui.reports, ui.help, ui.importing).
        self.safety: SafetyController | None = None
        self.encryption: EncryptionController | None = None
        self.help_dialog: QDialog | None = None
        self.act_help: QAction | None = None
        self.act_about: QAction | None = None
        hub().changed.connect(self._data_changed)
        self._day = dt.date.today()
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(60_000)
        self.day_timer.timeout.connect(self.check_new_day)
        self.day_timer.start()
        self.db_label = QLabel()
        self.overdue_label = QLabel()
        self.overdue_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.statusBar().addPermanentWidget(self.overdue_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self._build_actions()
        orgs = repo.list_organisations()
        self._count_overdue()
        self._install_features()
        self.update_title(orgs)
        self.resize(1200, 720)
        self._restore_geometry()
        self.tabs.currentChanged.connect(self._tab_shown)
        start = 1 if orgs else 0
        self._tab(TAB_NAMES[start])
        self.tabs.setCurrentIndex(start)

    # ------------------------------------------------------------ tabs, built when first needed

    @property
    def organisations(self) -> OrganisationsTab:
        return self._tab("organisations")  # type: ignore[return-value]

    @property
    def candidates(self) -> CandidatesTab:
        return self._tab("candidates")  # type: ignore[return-value]

    @property
    def ceremonies(self) -> CeremoniesTab:
        return self._tab("ceremonies")  # type: ignore[return-value]

    @property
    def due(self) -> DueTab:
        return self._tab("due")  # type: ignore[return-value]

    @property
    def overview(self) -> OverviewTab:
        return self._tab("overview")  # type: ignore[return-value]

    def _tab(self, name: str) -> TableTab:
        """The tab ``name``, built (and put in place of its placeholder) on first use."""
        tab = self._built.get(name)
        if tab is not None:
            return tab
        import importlib

        _name, _title, module, cls = TABS[TAB_NAMES.index(name)]
        tab = getattr(importlib.import_module(module), cls)()
        self._built[name] = tab
        tab.undo_stack = self.undo_stack
        tab.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        if name == "due":
            tab.overdue_count_changed.connect(self.show_overdue)  # the tab keeps the count from now on
        self._restore_tab_layout(name)
        index = TAB_NAMES.index(name)
        placeholder = self.tabs.widget(index)
        text = self.tabs.tabText(index)
        current = self.tabs.currentIndex()
        self._swapping = True
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, text)
            self.tabs.setCurrentIndex(current)
        finally:
            self._swapping = False
        placeholder.deleteLater()
        return tab

    def _tab_shown(self, index: int) -> None:
        if not self._swapping and 0 <= index < len(TAB_NAMES):
            self._tab(TAB_NAMES[index])

    def all_tabs(self) -> list[TableTab]:
        """The tabs built so far (one not yet shown has nothing to refresh: it reads the data when built)."""
        return [self._built[n] for n in TAB_NAMES if n in self._built]

    def current_tab(self) -> TableTab | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, TableTab) else None

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: object, *, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.undo_stack = QUndoStack(self)
        for tab in self.all_tabs():
            tab.undo_stack = self.undo_stack
        self.act_undo = self.undo_stack.createUndoAction(self, tr("&Hoàn tác"))
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_stack.createRedoAction(self, tr("&Làm lại"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_new = self._action(tr("&Thêm mới…"), QKeySequence.StandardKey.New,
                                    lambda: self._on_tab(lambda t: t.add()), tip=tr("Thêm mới trong thẻ đang mở"))
        self.act_edit = self._action(tr("&Sửa…"), None, lambda: self._on_tab(lambda t: t.edit()))
        self.act_delete = self._action(tr("&Xóa…"), QKeySequence.StandardKey.Delete,
                                       lambda: self._on_tab(lambda t: t.remove()))
        self.act_find = self._action(tr("&Tìm kiếm"), QKeySequence.StandardKey.Find, self.focus_search)
        self.act_refresh = self._action(tr("&Làm mới"), QKeySequence.StandardKey.Refresh, self.refresh_all)
        self.act_quit = self._action(tr("T&hoát"), "Ctrl+Q", self.close)
        self.act_settings = self._action(tr("&Thiết lập…"), "Ctrl+,", self.open_settings,
                                         tip=tr("Cách tính tuổi, ngày nghỉ, kỳ báo cáo, người ký…"))
        menu = self.menuBar()
        file_menu = menu.addMenu(tr("&Tệp"))
        file_menu.addAction(self.act_settings)
        file_menu.addAction(self.act_quit)
        edit_menu = menu.addMenu(tr("&Sửa"))
        edit_menu.addAction(self.act_undo)
        edit_menu.addAction(self.act_redo)
        edit_menu.addSeparator()
        for act in (self.act_new, self.act_edit, self.act_delete):
            edit_menu.addAction(act)
        view_menu = menu.addMenu(tr("&Xem"))
        view_menu.addAction(self.act_find)
        view_menu.addAction(self.act_refresh)
        help_menu = menu.addMenu(tr("Trợ &giúp"))
        tb = self.addToolBar(tr("Thanh công cụ"))
        tb.setObjectName("main_toolbar")
        for act in (self.act_new, self.act_edit, self.act_delete, self.act_refresh):
            tb.addAction(act)
        self.file_menu, self.edit_menu, self.view_menu, self.help_menu, self.toolbar = (
            file_menu, edit_menu, view_menu, help_menu, tb)

    def _install_features(self) -> None:
        """Menus and actions that each feature package adds to the window."""
        from lamha_desktop.ui import help as help_ui
        from lamha_desktop.ui import importing, reports, safety
        from lamha_desktop.ui.safety import encryption

        importing.install(self)
        reports.install(self)
        safety.install(self)
        encryption.install(self)
        # Settings and quit close the File menu, after what the features added.
        self.file_menu.removeAction(self.act_settings)
        self.file_menu.insertAction(self.act_quit, self.act_settings)
        self.file_menu.insertSeparator(self.act_quit)
        help_ui.install(self)

    def _on_tab(self, action: Callable[[TableTab], None]) -> None:
        tab = self.current_tab()
        if tab is not None:
            action(tab)

    def _count_overdue(self) -> None:
        """The overdue count of the status bar and of the due list's title, while that tab is not built (it
        keeps the count itself once it is): one query over the students who can be overdue."""
        if "due" in self._built:
            return
        from lamha_desktop.storage import due

        self.show_overdue(len(due.list_due(dt.date.today(), overdue_only=True)))

    def show_overdue(self, count: int) -> None:
        index = TAB_NAMES.index("due")
        self.tabs.setTabText(index, tr("Việc cần làm ({n} quá hạn)").format(n=count) if count else tr("Việc cần làm"))
        self.overdue_label.setText(tr("{n} việc quá hạn").format(n=count) if count else "")

    def open_settings(self) -> None:
        from lamha_desktop.ui.settings.dialog import SettingsDialog

        if SettingsDialog.ask(self):
            self.statusBar().showMessage(tr("Đã lưu thiết lập."), 5000)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.candidates)
        self.candidates.focus_search()

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.everything or changes.organisations:
            self.update_title()
        self._count_overdue()

    def check_new_day(self, today: dt.date | None = None) -> bool:
        """At a change of day the deadlines that depend on the day are derived again (the table sorts by
        them); True when the day changed."""
        today = today or dt.date.today()
        if today == self._day:
            return False
        self._day = today
        run(self, lambda: maintenance.refresh_for_today(today), title=tr("Làm mới hạn"))
        return True

    def refresh_all(self) -> None:
        for tab in self.all_tabs():
            tab.refresh()
        self.update_title()
        self.statusBar().showMessage(tr("Đã làm mới dữ liệu."), 3000)

    def update_title(self, organisations: list[repo.OrgRow] | None = None) -> None:
        orgs = [o for o in (repo.list_organisations() if organisations is None else organisations) if o.active]
        name = orgs[0].name if len(orgs) == 1 else ""
        title = tr("Quản lý kết nạp đảng viên học sinh")
        if name:
            title = f"{name} — {title}"
        if self.demo:
            title = f"[{tr('DỮ LIỆU MẪU')}] {title}"
        self.setWindowTitle(title)
        self.db_label.setText(tr("CSDL: {path}").format(path=str(self.db_path)))

    def _state_widgets(self, name: str) -> dict[str, object]:
        """The widgets of tab ``name`` whose layout is remembered between sessions: column widths and
        splitter positions."""
        tab = self._built[name]
        widgets: dict[str, object] = {f"{name}/header": tab.view.horizontalHeader()}
        if name == "overview":
            widgets["overview/beside"] = tab.splitter  # type: ignore[attr-defined]  # side by side since the table was cut short
        return widgets

    def _restore_geometry(self) -> None:
        s = QSettings()
        geometry = s.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.value("main_window/state")
        if state is not None:
            self.restoreState(state)

    def _restore_tab_layout(self, name: str) -> None:
        """The column widths (and sort order) the user left on tab ``name``, as it is built."""
        s = QSettings()
        tab = self._built[name]
        header = tab.view.horizontalHeader()
        sort_before = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        for key, widget in self._state_widgets(name).items():
            saved = s.value(f"layout/{key}")
            if saved is None:
                continue
            widget.blockSignals(True)  # type: ignore[attr-defined]
            if widget.restoreState(saved):  # type: ignore[attr-defined]
                tab.columns_fitted = True
                if key.endswith("/header"):
                    tab.fitter.user_sized = True  # widths the user set by hand stay theirs
            widget.blockSignals(False)  # type: ignore[attr-defined]
        if name == "candidates":
            sort = s.value("layout/candidates/sort")
            if isinstance(sort, list) and len(sort) == 2:
                header.blockSignals(True)
                header.setSortIndicator(int(sort[0]), Qt.SortOrder(int(sort[1])))
                header.blockSignals(False)
            if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != sort_before:
                tab.requery()  # type: ignore[attr-defined]  # the remembered sort order, run once

    def closeEvent(self, event: QCloseEvent) -> None:
        s = QSettings()
        s.setValue("main_window/geometry", self.saveGeometry())
        s.setValue("main_window/state", self.saveState())
        for name, tab in self._built.items():  # a tab never shown keeps the layout saved before
            for key, widget in self._state_widgets(name).items():
                if key.endswith("/header") and not tab.fitter.user_sized:
                    s.remove(f"layout/{key}")  # fitted to the window again at the next start, whatever its size
                    continue
                s.setValue(f"layout/{key}", widget.saveState())  # type: ignore[attr-defined]
            if name == "candidates":
                header = tab.view.horizontalHeader()
                s.setValue("layout/candidates/sort", [header.sortIndicatorSection(), header.sortIndicatorOrder().value])
        super().closeEvent(event)

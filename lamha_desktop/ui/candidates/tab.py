"""The "Quần chúng" tab: the students, searched as you type and filtered in the query.

The "Bước tiếp theo" column is computed for the rows fetched (a page at a time, like the stage), never stored;
the age-window filter ("Không kịp đủ 18 tuổi trước khi tốt nghiệp") runs in the query on the stored eligible-from
date and graduation year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from lamha_desktop.domain import codelists, guide, pipeline
from lamha_desktop.operations import OpChanges
from lamha_desktop.storage import repo
from lamha_desktop.ui import messages
from lamha_desktop.ui.candidates import guide_view
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.tab_base import TableTab
from lamha_desktop.ui.table_models import MUTED_COLOR, OVERDUE_COLOR, Column, LazyRowsModel
from lamha_desktop.ui.widgets import confirm


def _deadline_text(r: repo.CandidateRow) -> str:
    st = r.status
    if st.next_deadline is None:
        return ""
    action = messages.ACTION_NAMES.get(st.next_action or "", "")
    return f"{messages.fmt_date(st.next_deadline)} — {tr(action)}" if action else messages.fmt_date(st.next_deadline)


def _overdue(r: repo.CandidateRow) -> QColor | None:
    return OVERDUE_COLOR if r.status.overdue else None


def missing_text(r: repo.CandidateRow) -> str:
    """"Thiếu: mã định danh, dân tộc" for an incomplete record, "" otherwise."""
    if not r.missing:
        return ""
    return tr("Thiếu thông tin: {facts} — bổ sung trước khi chi bộ biểu quyết").format(
        facts=", ".join(tr(messages.RECORD_FACT_NAMES.get(f, f)) for f in r.missing))


def incomplete_badge() -> QIcon:
    """The badge of a record that lacks facts: a small orange disc with "!" (drawn, no image file)."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#e07b00"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 12, 12)
    painter.setPen(QColor("white"))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(10)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), "!")
    painter.end()
    return QIcon(pixmap)


def _next_overdue(r: repo.CandidateRow) -> QColor | None:
    return OVERDUE_COLOR if r.next_steps and r.next_steps[0].overdue else None


def _next_tooltip(r: repo.CandidateRow) -> str | None:
    """The cell's text in full (it may be elided), then every step still to do."""
    texts = (guide_view.short_text(r.next_steps), guide_view.tooltip_text(r.next_steps))
    return "\n".join(t for t in texts if t) or None


def candidate_columns() -> list[Column[repo.CandidateRow]]:
    ethnic = {e.code: e.name for e in codelists.ethnic_groups()}
    badge = incomplete_badge()  # one per table, gone with it (never a module-level Qt object)
    return [
        Column(tr("Họ và tên"), lambda r: r.full_name, sort_key="name", stretch=True,
               decoration=lambda r: badge if r.missing else None,
               tooltip=lambda r: "\n".join(t for t in (r.full_name, missing_text(r)) if t)),
        Column(tr("Giới tính"), lambda r: tr(messages.GENDER_NAMES.get(r.gender, r.gender)), sort_key="gender"),
        Column(tr("Ngày sinh"), lambda r: messages.fmt_date(r.birth), sort_key="birth"),
        Column(tr("Dân tộc"), lambda r: ethnic.get(r.ethnic, r.ethnic) if r.ethnic else tr("(chưa có)"),
               foreground=lambda r: None if r.ethnic else MUTED_COLOR),
        Column(tr("Lớp"), lambda r: r.class_name, sort_key="class"),
        Column(tr("Tổ chức"), lambda r: r.organisation_code, sort_key="organisation"),
        Column(tr("Giai đoạn"), lambda r: tr(messages.stage_name(r.status.stage)), sort_key="stage",
               tooltip=lambda r: tr("Chưa ở trong danh sách nguồn (chưa ghi bước nào)")
               if r.status.stage == pipeline.Stage.STUDENT else tr(messages.stage_name(r.status.stage))),
        Column(tr("Đủ tuổi từ"), lambda r: messages.fmt_month(r.status.eligible_from), sort_key="eligible_from",
               tooltip=lambda r: tr("Đủ 18 tuổi (tính theo tháng) từ {d}").format(
                   d=messages.fmt_date(r.status.eligible_from))),
        Column(tr("Hạn tiếp theo"), _deadline_text, sort_key="next_deadline", foreground=_overdue),
        Column(tr("Bước tiếp theo"), lambda r: guide_view.short_text(r.next_steps), foreground=_next_overdue,
               tooltip=_next_tooltip, stretch=True),
    ]


# Typical widths of the columns of rows not fetched yet (measuring 100,000 rows would take seconds).
COLUMN_SAMPLES = ["Nguyễn Thị Phương Anh", "Nam", "30/12/2008", "Bru-Vân Kiều", "12A10", "TANHA",
                  "Có quyết định, chờ kết nạp", "12/2026", "30/12/2026 — Xét công nhận",
                  "4. Chi bộ biểu quyết — từ 01/11/2026"]


class CandidatesTab(TableTab):
    # The first page comes from a LIMIT query and is painted at once; the rest of the list (and its count)
    # follows in the next turns of the event loop, unless the first page already held every row. In the name
    # order the rest comes in keyset pages on the name index, REST_PAGE rows and then twice as many each turn
    # (each turn also repaints the table: 100,000 ids come in 4 turns of 10–40 ms), so the window answers the
    # keyboard and mouse meanwhile. Another order, or a search (whose match each page would compute again),
    # comes in one query.
    FIRST_PAGE = 100
    REST_PAGE = 10_000

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self._generation = 0
        self.loaded = True  # False while the rest of the list is still to come
        self.model: LazyRowsModel[repo.CandidateRow] = LazyRowsModel(candidate_columns(), self._fetch, self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().sortIndicatorChanged.connect(lambda _c, _o: self.requery())
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm theo tên hoặc mã định danh (không cần dấu)… Ctrl+F"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(170)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(60)
        self._debounce.timeout.connect(self.requery)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.org_filter = QComboBox()
        self.stage_filter = QComboBox()
        self.stage_filter.addItem(tr("Mọi giai đoạn"), None)
        for stage in pipeline.Stage:
            self.stage_filter.addItem(tr(messages.stage_name(stage)), int(stage))
        self.year_filter = QComboBox()
        self.year_filter.addItem(tr("Mọi năm"), None)
        self.window_filter = QComboBox()
        self.window_filter.setObjectName("window_filter")
        self.window_filter.addItem(tr("Mọi độ tuổi"), None)
        self.window_filter.addItem(tr("Không kịp đủ 18 tuổi trước khi tốt nghiệp"), repo.WINDOW_NONE)
        self.window_filter.addItem(tr("Đủ 18 tuổi sát ngày tốt nghiệp (≤ {n} tháng)").format(
            n=guide.SHORT_WINDOW_MONTHS), repo.WINDOW_SHORT)
        self.window_filter.setToolTip(tr("Học sinh chưa được chi bộ biểu quyết, theo khoảng thời gian từ khi đủ 18 "
                                         "tuổi đến khi tốt nghiệp (cần năm tốt nghiệp dự kiến)"))
        for combo in (self.org_filter, self.stage_filter, self.year_filter, self.window_filter):
            combo.currentIndexChanged.connect(lambda _i: self.requery())
        for combo, chars in ((self.org_filter, 6), (self.stage_filter, 9), (self.year_filter, 6),
                             (self.window_filter, 6)):
            # Long entries (stage names) do not widen the window: the list drops down wider than the box.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(chars)
        self.incomplete_filter = QCheckBox(tr("Thiếu thông tin"))
        self.incomplete_filter.setToolTip(tr("Chỉ hiện học sinh chưa có mã định danh hoặc dân tộc (thường là nhập từ "
                                             "danh sách lớp): cần bổ sung trước khi chi bộ biểu quyết"))
        self.incomplete_filter.toggled.connect(lambda _b: self.requery())
        self.controls.addWidget(self.search, 2)
        self.controls.addWidget(QLabel(tr("Tổ chức:")))
        self.controls.addWidget(self.org_filter)
        self.controls.addWidget(QLabel(tr("Giai đoạn:")))
        self.controls.addWidget(self.stage_filter)
        self.controls.addWidget(QLabel(tr("Năm vào nguồn:")))
        self.controls.addWidget(self.year_filter)
        self.controls.addWidget(self.window_filter)  # its first entry says what it filters: no label
        self.controls.addWidget(self.incomplete_filter)
        self.count_label = QLabel()
        self.controls.addWidget(self.count_label)
        row = QHBoxLayout()  # the add/edit/delete row under the table
        self.layout_.addLayout(row)
        for text, slot, tip in ((tr("&Thêm quần chúng…"), self.add, tr("Ctrl+N")),
                                (tr("&Mở hồ sơ…"), self.edit, tr("Xem và ghi các bước (Enter)")),
                                (tr("Sửa thông tin cá &nhân…"), self.edit_person, ""),
                                (tr("&Xóa…"), self.remove, tr("Delete"))):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        self.reload_filters()
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.requery()
        self._size_columns()

    def _size_columns(self) -> None:
        """Widths from typical contents, within the width (``ui.table_fit``); the rows are not measured (a cut
        cell shows its whole text as a tooltip)."""
        self.fitter.samples = dict(enumerate(COLUMN_SAMPLES))
        self.fitter.measure_content = False
        self.fitter.watch_model()
        self.fit_columns()

    def _fetch(self, ids: Sequence[int]) -> dict[int, repo.CandidateRow]:
        return repo.candidate_rows(ids, today=self.today)

    def reload_filters(self) -> None:
        """Refill the organisation and year choices, keeping what was chosen."""
        for combo in (self.org_filter, self.year_filter):
            combo.blockSignals(True)
        org = self.org_filter.currentData()
        self.org_filter.clear()
        self.org_filter.addItem(tr("Tất cả"), None)
        for o in repo.list_organisations():
            self.org_filter.addItem(o.code, o.id)
        self.org_filter.setCurrentIndex(max(0, self.org_filter.findData(org)))
        year = self.year_filter.currentData()
        self.year_filter.clear()
        self.year_filter.addItem(tr("Mọi năm"), None)
        for y in repo.listed_years():
            self.year_filter.addItem(str(y), y)
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findData(year)))
        for combo in (self.org_filter, self.year_filter):
            combo.blockSignals(False)
        for combo in (self.org_filter, self.stage_filter, self.year_filter):
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)

    def current_filter(self) -> repo.CandidateFilter:
        return repo.CandidateFilter(text=self.search.text(), organisation_id=self.org_filter.currentData(),
                                    stage=self.stage_filter.currentData(), year=self.year_filter.currentData(),
                                    window=self.window_filter.currentData(),
                                    incomplete=self.incomplete_filter.isChecked())

    def requery(self) -> None:
        """Run the filter and sort in SQLite: the first page at once, the rest after it is painted."""
        header = self.view.horizontalHeader()
        col = self.model.columns[header.sortIndicatorSection()] if 0 <= header.sortIndicatorSection() < len(
            self.model.columns) else self.model.columns[0]
        current = self.model.id_at(self.current_row())
        query = (self.current_filter(), col.sort_key or "name",
                 header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
        self._generation += 1
        first = repo.candidate_ids(query[0], sort=query[1], descending=query[2], limit=self.FIRST_PAGE)
        self.model.set_ids(first)
        if len(first) < self.FIRST_PAGE:
            self._loaded(current)
            return
        self.loaded = False
        self.count_label.setText(tr("Đang đếm…"))
        generation = self._generation
        if query[1] == "name" and not query[0].text:
            QTimer.singleShot(0, self, lambda: self._load_page(generation, query, current, self.REST_PAGE))
        else:
            QTimer.singleShot(0, self, lambda: self._load_rest(generation, query, first, current))

    def _load_rest(self, generation: int, query: tuple[repo.CandidateFilter, str, bool], first: list[int],
                   current: int | None) -> None:
        """The whole list in one query; ``first``: the ids shown already, kept when it still begins with them."""
        if generation != self._generation:  # another search or sort came first
            return
        ids = repo.candidate_ids(query[0], sort=query[1], descending=query[2])
        if ids[:len(first)] == first:
            self.model.append_ids(ids[len(first):])
        else:  # the data changed in between
            self.model.set_ids(ids)
        self._loaded(current)

    def _load_page(self, generation: int, query: tuple[repo.CandidateFilter, str, bool],
                   current: int | None, size: int) -> None:
        """The next ``size`` ids of the name order after the last one shown, then the next turn for more."""
        if generation != self._generation:  # another search, sort or change came first
            return
        try:
            ids = repo.candidate_ids(query[0], sort="name", descending=query[2], limit=size,
                                     after=self.model.ids[-1])
        except repo.AnchorGone:  # the last row shown was deleted by someone else meanwhile: all of it again
            self._load_rest(generation, query, list(self.model.ids), current)
            return
        self.model.append_ids(ids)
        if len(ids) < size:
            self._loaded(current)
            return
        QTimer.singleShot(0, self, lambda: self._load_page(generation, query, current, 2 * size))

    def _loaded(self, current: int | None) -> None:
        self.loaded = True
        n = len(self.model.ids)
        self.count_label.setText(tr("{n} quần chúng").format(n=f"{n:,}".replace(",", ".")))
        if current is not None:
            self.select_id(current)

    def select_id(self, candidate_id: int) -> None:
        row = self.model.row_of_id(candidate_id)
        if row >= 0:
            self.view.selectRow(row)

    def refresh(self) -> None:
        self.reload_filters()
        self.model.invalidate()
        self.requery()

    def wants(self, changes: OpChanges) -> bool:
        return changes.touches_candidates()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> int | None:
        return self.model.id_at(self.current_row())

    def add(self) -> None:
        from lamha_desktop.ui.candidates.dialogs import CandidateDialog

        self.show_added(CandidateDialog.ask(self, organisation_id=self.org_filter.currentData()),
                        tr("Đã thêm quần chúng."))

    def edit(self) -> None:
        """Enter or a double-click: the candidate's pipeline (detail view)."""
        from lamha_desktop.ui.candidates.detail import CandidateDetailDialog

        cid = self.selected_id()
        if cid is None:
            return
        if CandidateDetailDialog.ask(self, cid, undo_stack=self.undo_stack):
            self.status_message.emit(tr("Đã cập nhật quần chúng."))

    def edit_person(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        from lamha_desktop.ui.candidates.dialogs import CandidateDialog

        if CandidateDialog.ask(self, cid) is not None:
            self.status_message.emit(tr("Đã lưu thông tin quần chúng."))

    def remove(self) -> None:
        cid = self.selected_id()
        row = self.model.row_at(self.current_row())
        if cid is None or row is None:
            return
        if not confirm(
            self, tr("Xóa quần chúng"),
            tr("Xóa {name} và mọi bước đã ghi? Thao tác được ghi vào nhật ký; có thể hoàn tác bằng Ctrl+Z.").format(
                name=row.full_name)):
            return
        from lamha_desktop.ui.undo import DeleteCandidate, push_or_run  # (and the step operations behind it)

        if push_or_run(self.undo_stack, DeleteCandidate(cid, row.full_name, self)):
            self.status_message.emit(tr("Đã xóa {name} (Ctrl+Z để hoàn tác).").format(name=row.full_name))

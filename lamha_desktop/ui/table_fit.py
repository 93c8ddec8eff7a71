"""Columns that fit the window: sized to their content within the width, text columns stretched and elided.

A :class:`ColumnFitter` keeps a table's columns inside its viewport at any window size (1366×768 and
1093×614 are the office screens it is checked at), so that nothing needs horizontal scrolling:

* each column wants the width of its content (the rows Qt samples, ``resizeContentsPrecision``) or of its
  header, whichever is wider, plus any typical ``samples`` a lazy table gives for rows not fetched yet;
* when the wants fit, the room left goes to the text columns (``Column.stretch``; without any, the last
  column), so no empty strip is left at the right;
* when they do not, the text columns give up room first, down to a minimum, then the others; a cell or a
  header that no longer fits is elided in the middle (cells) or at the end (headers), and the models carry
  the full text as a tooltip (``table_models.RowsModel``).

The fitting follows the window until the user drags a column's border: from then on the widths are theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QHeaderView, QTableView, QWidget

__all__ = ["ColumnFitter", "fit_widths", "own_viewport"]

MIN_TEXT_WIDTH = 90  # a text column never shrinks below this (then the others give up room)
MIN_WIDTH = 36  # nor does any column
PADDING = 18  # a cell's margins and grid line


def fit_widths(wants: Sequence[int], stretch: Sequence[bool], available: int) -> list[int]:
    """Widths for columns that want ``wants`` within ``available`` pixels (pure arithmetic, tested alone).

    Extra room goes to the ``stretch`` columns in proportion to what they want; missing room is taken from
    them first (down to :data:`MIN_TEXT_WIDTH`), then from every column in proportion (down to
    :data:`MIN_WIDTH`)."""
    widths = [max(MIN_WIDTH, int(w)) for w in wants]
    if not widths:
        return []
    flexible = [i for i, s in enumerate(stretch) if s] or [len(widths) - 1]
    total = sum(widths)
    if total <= available:
        extra = available - total
        weight = sum(widths[i] for i in flexible) or 1
        given = 0
        for n, i in enumerate(flexible):
            share = extra - given if n == len(flexible) - 1 else extra * widths[i] // weight
            widths[i] += share
            given += share
        return widths
    over = total - available
    # First the text columns, in proportion to what they can give.
    room = {i: max(0, widths[i] - MIN_TEXT_WIDTH) for i in flexible}
    can = sum(room.values())
    if can:
        take = min(over, can)
        taken = 0
        for n, i in enumerate(flexible):
            share = take - taken if n == len(flexible) - 1 else take * room[i] // can
            share = min(share, room[i])
            widths[i] -= share
            taken += share
        over -= taken
    if over > 0:  # then every column, in proportion to its width above the minimum
        room = {i: max(0, w - MIN_WIDTH) for i, w in enumerate(widths)}
        can = sum(room.values())
        if can:
            take = min(over, can)
            for i in room:
                widths[i] -= min(room[i], -(-take * room[i] // can))
    return widths


ROWS_MEASURED = 100  # one page of the students' table


def own_viewport(area: QAbstractScrollArea, role: QPalette.ColorRole, *, tracking: bool = False) -> QWidget:
    """Give ``area`` a viewport made here, set up as Qt sets up its own, and return it.

    Asking PySide6 for the viewport Qt made (``area.viewport()``) costs 10–15 ms the first time: the
    object has no Python wrapper yet, so PySide6 looks for its most derived class among every widget class
    of QtWidgets, creating each class and its enumerations on the way. A viewport made in Python has its
    wrapper already. What Qt sets on its own viewport (name, background, filling, the header's mouse
    tracking) is set here; ``setViewport`` does the rest (parent, focus proxy, event filter, gestures), and
    a test compares the two viewports."""
    port = QWidget()
    port.setObjectName("qt_scrollarea_viewport")
    port.setBackgroundRole(role)
    port.setAutoFillBackground(True)
    port.setMouseTracking(tracking)
    area.setViewport(port)
    return port


class ColumnFitter(QObject):
    """Fits the columns of ``view`` to its width; see the module docstring."""

    def __init__(self, view: QTableView, *, samples: Mapping[int, str] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.samples = dict(samples or {})
        # Whether the rows themselves are measured; a table of many lazily fetched rows says False and gives a
        # typical sample for every column instead (measuring even one page cost the students' tab 0.2 s).
        self.measure_content = True
        self.user_sized = False
        self._fitting = False
        self._width = -1
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        view.setWordWrap(False)
        # What a column's content wants is read from at most this many rows: Qt reads up to 1,000 while the view
        # is hidden, which made the students' tab fetch (and compute the next step of) ten pages before its first
        # paint. A cell cut by this guess still shows its whole text as a tooltip.
        view.verticalHeader().setResizeContentsPrecision(ROWS_MEASURED)  # QTableView.sizeHintForColumn reads it
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setMinimumSectionSize(MIN_WIDTH)
        header.sectionResized.connect(self._section_resized)
        self._pressed = False  # a mouse button is down on the header: a resize now is the user's
        self._painted = False  # the table has been painted once
        self._viewport = own_viewport(view, QPalette.ColorRole.Base)
        self._header_port = own_viewport(header, QPalette.ColorRole.Button, tracking=True)
        self._viewport.installEventFilter(self)  # (once every attribute the filter reads is set)
        self._header_port.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)

    def watch_model(self) -> None:
        """Fit again when the model gets its rows (call after ``view.setModel``)."""
        model = self.view.model()
        if model is not None:
            model.modelReset.connect(self.schedule)
            model.layoutChanged.connect(self.schedule)

    def schedule(self) -> None:
        if not self.user_sized:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only the event itself is read here: while the table is being destroyed its viewport still sends
        # events, and the view must not be asked anything then.
        if "_header_port" not in self.__dict__:
            return False  # at exit the collector may clear this object before Qt has destroyed the table
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self._viewport and isinstance(event, QResizeEvent):
            width = event.size().width()
            if width != self._width:
                self._width = width
                if not self._painted and not self.user_sized:
                    self.fit()  # now, before the first paint, which would otherwise show them unfitted
                self.schedule()  # (again) once the layout has settled: a window dragged wider, a scroll bar shown
        elif kind == QEvent.Type.Paint and watched is self._viewport:
            self._painted = True
        elif watched is self._header_port and kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self._pressed = kind == QEvent.Type.MouseButtonPress
        return False

    def _section_resized(self, _index: int, _old: int, _new: int) -> None:
        if not self._fitting and self._pressed:
            self.user_sized = True  # the user dragged a border: their widths from now on

    def _stretch_flags(self) -> list[bool]:
        model = self.view.model()
        columns = getattr(model, "columns", None)
        count = model.columnCount() if model is not None else 0
        if not columns or len(columns) != count:
            return [False] * count
        return [bool(getattr(c, "stretch", False)) for c in columns]

    def wants(self) -> list[int]:
        """What each visible column wants: its content, its header, its typical sample."""
        model = self.view.model()
        if model is None:
            return []
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        out = []
        for c in range(model.columnCount()):
            if header.isSectionHidden(c):
                out.append(0)
                continue
            want = header.sectionSizeHint(c)
            if self.measure_content:
                want = max(want, self.view.sizeHintForColumn(c))
            if c in self.samples:
                want = max(want, metrics.horizontalAdvance(self.samples[c]) + PADDING)
            out.append(want)
        return out

    def fit(self) -> None:
        """Size every column now (also when the user had sized them: an explicit call)."""
        model = self.view.model()
        if model is None or model.columnCount() == 0:
            return
        header = self.view.horizontalHeader()
        visible = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
        wants = self.wants()
        stretch = self._stretch_flags()
        available = self._viewport.width()
        if available <= 0:
            return
        widths = fit_widths([wants[c] for c in visible], [stretch[c] for c in visible], available)
        self._fitting = True
        try:
            for c, w in zip(visible, widths, strict=True):
                if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive:
                    header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(c, w)
        finally:
            self._fitting = False

"""The "Tổng quan" tab: each organisation's admissions in a year against its target, as a table and a chart."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QLabel, QSpinBox, QSplitter, QWidget

from lamha_desktop.storage import due
from lamha_desktop.ui.messages import tr
from lamha_desktop.ui.tab_base import TableTab
from lamha_desktop.ui.table_models import OVERDUE_COLOR, Column, RowsModel


def target_columns() -> list[Column[due.TargetRow]]:
    def below(r: due.TargetRow) -> object:
        return None if r.met else OVERDUE_COLOR

    return [
        Column(tr("Mã"), lambda r: r.code, foreground=below),
        Column(tr("Trường"), lambda r: r.school_name, foreground=below, stretch=True),
        Column(tr("Chỉ tiêu"), lambda r: r.target, align_right=True, foreground=below),
        Column(tr("Đã kết nạp"), lambda r: r.admitted, align_right=True, foreground=below),
        Column(tr("Kết quả"), lambda r: tr("Đạt") if r.met else tr("Chưa đạt (thiếu {n})").format(
            n=r.target - r.admitted), foreground=below, stretch=True),
    ]


class OverviewTab(TableTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowsModel[due.TargetRow] = RowsModel(target_columns(), self)
        self.view.setModel(self.model)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.controls.addWidget(QLabel(tr("Năm:")))
        self.controls.addWidget(self.year)
        self.controls.addStretch(1)
        self.summary = QLabel()
        self.controls.addWidget(self.summary)
        self.chart = QChart()
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(320, 220)
        self.layout_.removeWidget(self.view)
        # The table beside the chart, not under it: on a 768-pixel screen it showed about 4 rows under the chart;
        # beside it every organisation of a district is in view.
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.chart_view)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.layout_.addWidget(splitter, 1)
        self.refresh()

    def refresh(self) -> None:
        rows = due.targets(self.year.value())
        self.model.set_rows(rows)
        # The table as wide as its columns want (up to about half a small screen), the chart takes the rest.
        frame = self.view.verticalHeader().sizeHint().width() + 2 * self.view.frameWidth() + 20
        self.view.setMinimumWidth(min(sum(self.fitter.wants()) + frame, 520))
        self.fit_columns()
        below = [r for r in rows if not r.met]
        self.summary.setText(tr("{m}/{n} tổ chức đạt chỉ tiêu năm {y}").format(
            m=len(rows) - len(below), n=len(rows), y=self.year.value()))
        self._draw(rows)

    def _draw(self, rows: list[due.TargetRow]) -> None:
        old = self.chart
        self.chart = QChart()  # a fresh chart: reused axes keep their old labels on screen
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        admitted = QBarSet(tr("Đã kết nạp"))
        admitted.setColor(QColor("#c62828"))
        target = QBarSet(tr("Chỉ tiêu"))
        target.setColor(QColor("#9e9e9e"))
        for r in rows:
            admitted.append(r.admitted)
            target.append(r.target)
        series = QBarSeries()
        series.append(admitted)
        series.append(target)
        series.setLabelsVisible(True)
        self.chart.addSeries(series)
        labels = [f"{r.code}{'' if r.met else ' ▼'}" for r in rows]
        x = QBarCategoryAxis()
        x.append(labels)
        y = QValueAxis()
        top = max([r.admitted for r in rows] + [r.target for r in rows] + [1])
        y.setRange(0, top + 1)
        y.setTickCount(min(top + 2, 11))
        y.setLabelFormat("%d")
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.chart.setTitle(tr("Kết nạp năm {y} so với chỉ tiêu (▼: chưa đạt)").format(y=self.year.value()))
        self.chart_view.setChart(self.chart)
        old.deleteLater()

    def edit(self) -> None:
        pass

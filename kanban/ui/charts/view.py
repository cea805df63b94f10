"""A chart on screen: a QChartView that shows a KanbanChart's hover texts as tooltips."""

from __future__ import annotations

from PySide6.QtCharts import QBarSet, QChartView
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QCursor, QPainter, Qt
from PySide6.QtWidgets import QFrame, QToolTip, QWidget

from kanban.charts.base import BarHover, KanbanChart, XYHover


class ChartView(QChartView):
    """Shows one chart at a time; hovering a series shows its value in a tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)  # the chart's own background is the frame
        self.setMinimumSize(480, 300)
        self.shown: KanbanChart | None = None
        self.last_tooltip = ""

    def show_chart(self, chart: KanbanChart) -> None:
        """Replace the chart shown (the old one is deleted)."""
        old = self.shown
        self.shown = chart
        self.setChart(chart)
        # Qt Charts leaves a few pixels round the chart's background: paint them alike.
        self.setBackgroundBrush(QColor(chart.chart_palette.background))
        for series, xy_hover in chart.xy_hovers:
            series.hovered.connect(self._xy_handler(xy_hover))
        for bars, bar_hover in chart.bar_hovers:
            bars.hovered.connect(self._bar_handler(bar_hover))
        if old is not None:
            old.deleteLater()  # the view released it to us

    def _xy_handler(self, hover: XYHover) -> object:
        def handle(point: QPointF, state: bool) -> None:
            self.tooltip(hover(point) if state else "")

        return handle

    def _bar_handler(self, hover: BarHover) -> object:
        def handle(state: bool, index: int, bars: QBarSet) -> None:
            self.tooltip(hover(index, bars) if state else "")

        return handle

    def tooltip(self, text: str) -> None:
        """Show (or, for '', hide) a plain-text tooltip at the pointer.

        A tooltip that looks like HTML is shown as rich text, and hover texts quote user text
        (an item's title), so the text goes in converted: every character shows as it is.
        """
        self.last_tooltip = text
        if text:
            QToolTip.showText(QCursor.pos(), Qt.convertFromPlainText(text), self)
        else:
            QToolTip.hideText()

"""What every chart shares: the themed QChart, day and value axes, hover texts, empty states."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QAbstractSeries,
    QAreaSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QLegend,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from kanban.charts.palette import ChartPalette

XYSeries = QXYSeries | QAreaSeries
"""A series whose hover reports a point: lines, scatters and areas."""
XYHover = Callable[[QPointF], str]
"""The tooltip of a point of an XY series (a line, area or scatter), from its value."""
BarHover = Callable[[int, QBarSet], str]
"""The tooltip of one bar: its index in the set, and the set."""

TITLE_PT = 11.0
LABEL_PT = 8.5
FOOTNOTE_PT = 7.5
FONT_FAMILY = "DejaVu Sans"


def plain(text: str) -> str:
    """User text made safe for a chart's title, legend or axis labels.

    WORKAROUND: Qt Charts shows titles, legend entries and axis labels as rich text (a
    ``<b>`` in a sprint's name turns bold, and an ``<img src>`` would read a local file),
    so every word that is not ours is escaped first.
    """
    return html.escape(text, quote=False)


def day_text(day: dt.date) -> str:
    """A day as tooltips and captions write it (ISO 8601, as every report does)."""
    return day.isoformat()


def number_text(value: float) -> str:
    """A count or a number of points without a needless ``.0``."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def font(size: float, bold: bool = False) -> QFont:
    """The charts' font at a point size."""
    chosen = QFont(FONT_FAMILY)
    chosen.setPointSizeF(size)
    chosen.setBold(bold)
    return chosen


class KanbanChart(QChart):
    """A QChart in one of our palettes, with what the screen and the files need beside it.

    ``kind`` names the chart (``cfd``, ``throughput``...); ``empty_message`` replaces the
    plot when there is nothing to draw; ``caption`` is a line to print under it (what a
    forecast drew from); ``xy_hovers`` and ``bar_hovers`` say what hovering a series shows
    (the Charts screen turns them into tooltips).
    """

    def __init__(self, kind: str, title: str, palette: ChartPalette) -> None:
        super().__init__()
        self.kind = kind
        self.chart_palette = palette
        self.empty_message: str | None = None
        self.caption = ""
        self._message: QGraphicsSimpleTextItem | None = None
        self._footnote: QGraphicsSimpleTextItem | None = None
        self.xy_hovers: list[tuple[XYSeries, XYHover]] = []
        self.bar_hovers: list[tuple[QAbstractBarSeries, BarHover]] = []
        self.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setBackgroundRoundness(0)
        self.setBackgroundBrush(QBrush(QColor(palette.background)))
        self.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        self.setPlotAreaBackgroundVisible(False)
        self.setMargins(QMargins(6, 6, 10, 6))
        self.setTitleFont(font(TITLE_PT, bold=True))
        self.setTitleBrush(QBrush(QColor(palette.text)))
        self.setTitle(plain(title))
        legend = self.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        legend.setFont(font(LABEL_PT))
        legend.setLabelColor(QColor(palette.text))
        # WORKAROUND: a marker 'from the series' of an area is an empty square, and Qt cuts its
        # label short ("D..."); line charts ask for line markers themselves.
        legend.setMarkerShape(QLegend.MarkerShape.MarkerShapeRectangle)

    def set_empty(self, message: str) -> None:
        """Show ``message`` instead of a plot (no series, no axes, no legend)."""
        self.empty_message = message
        self.legend().setVisible(False)
        self._message = QGraphicsSimpleTextItem(message, self)
        self._message.setFont(font(TITLE_PT))
        self._message.setBrush(QBrush(QColor(self.chart_palette.muted)))
        self.plotAreaChanged.connect(self._place_message)
        self._place_message()

    def set_footnote(self, lines: Sequence[str]) -> None:
        """Plain-text lines under the legend (what a forecast drew from), never cut short:
        the chart's bottom margin grows to hold them."""
        self._footnote = QGraphicsSimpleTextItem("\n".join(lines), self)
        self._footnote.setFont(font(FOOTNOTE_PT))
        self._footnote.setBrush(QBrush(QColor(self.chart_palette.muted)))
        margins = self.margins()
        margins.setBottom(margins.bottom() + round(self._footnote.boundingRect().height()) + 4)
        self.setMargins(margins)
        self.geometryChanged.connect(self._place_footnote)
        self._place_footnote()

    def _place_footnote(self) -> None:
        if self._footnote is not None:
            box, area = self._footnote.boundingRect(), self.rect()
            self._footnote.setPos(
                area.center().x() - box.width() / 2, area.bottom() - box.height() - 6
            )

    def _place_message(self) -> None:
        if self._message is not None:
            box = self._message.boundingRect()
            centre = self.plotArea().center()
            self._message.setPos(centre.x() - box.width() / 2, centre.y() - box.height() / 2)

    def add_xy(
        self, series: XYSeries, x_axis: QAbstractAxis, y_axis: QAbstractAxis, hover: XYHover
    ) -> None:
        """Add a line, area or scatter series on two axes, with its hover text."""
        self.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        self.xy_hovers.append((series, hover))

    def add_axis(self, axis: QAbstractAxis, alignment: Qt.AlignmentFlag) -> None:
        """Add an axis in the chart's colours."""
        palette = self.chart_palette
        axis.setLabelsFont(font(LABEL_PT))
        axis.setLabelsBrush(QBrush(QColor(palette.muted)))
        axis.setTitleFont(font(LABEL_PT))
        axis.setTitleBrush(QBrush(QColor(palette.muted)))
        axis.setLinePen(QPen(QColor(palette.axis), 1))
        axis.setGridLinePen(QPen(QColor(palette.grid), 1))
        axis.setShadesVisible(False)
        self.addAxis(axis, alignment)

    def series_of(self, kind: type[QAbstractSeries]) -> list[QAbstractSeries]:
        """The chart's series of a type (for tests and the screen)."""
        return [s for s in self.series() if isinstance(s, kind)]


# --- axes ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayScale:
    """Days as x values: day ``origin`` is 0, the next day 1, and so on."""

    origin: dt.date

    def x(self, day: dt.date) -> float:
        """The x value of a day."""
        return float((day - self.origin).days)

    def day(self, x: float) -> dt.date:
        """The day an x value falls on (rounded to the nearest day)."""
        return self.origin + dt.timedelta(days=round(x))


def _dated(days: Sequence[dt.date], every_year: bool) -> list[tuple[dt.date, str]]:
    """Labels ``12 Oct`` (the axis title names the years), or ``12 Oct 2027`` with
    ``every_year`` (dates as values, which may lie in any year)."""
    return [(day, day.strftime("%-d %b %Y" if every_year else "%-d %b")) for day in days]


def _months(days: list[dt.date], step: int) -> list[tuple[dt.date, str]]:
    firsts = [d for d in days if d.day == 1 and (d.month - 1) % step == 0]
    ticks = []
    for n, d in enumerate(firsts):
        with_year = step > 1 or n == 0 or d.month == 1
        ticks.append((d, d.strftime("%b %Y" if with_year else "%b")))
    return ticks


def _ticks(
    start: dt.date, end: dt.date, most: int, every_year: bool = False
) -> list[tuple[dt.date, str]]:
    """At most ``most`` days to label from ``start`` to ``end``, and their labels: every day,
    every other day, Mondays, every other Monday, months, quarters or years, whichever is the
    finest that fits."""
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    mondays = [d for d in days if d.weekday() == 0]
    choices: list[list[tuple[dt.date, str]]] = [
        _dated(days, every_year),
        _dated(days[::2], every_year),
        _dated(mondays, every_year),
        _dated(mondays[::2], every_year),
        _months(days, 1),
        _months(days, 3),
        _months(days, 12),
    ]
    return next((ticks for ticks in choices if len(ticks) <= most), choices[-1])


class DayAxis(QCategoryAxis):
    """An axis over days, labelled as densely as its length allows (see ``_ticks``); at the
    bottom of a chart (days along x) or on its left (dates as values, e.g. forecasts)."""

    def __init__(
        self,
        chart: KanbanChart,
        start: dt.date,
        end: dt.date,
        alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignBottom,
    ) -> None:
        super().__init__()
        self.scale = DayScale(start)
        self.end = max(end, start + dt.timedelta(days=1))
        self._labelled = -1
        across = alignment in (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignTop)
        self._every_year = not across
        metrics = QFontMetrics(font(LABEL_PT))
        self._label_size = (
            metrics.horizontalAdvance("28 Sep") + 16 if across else metrics.height() * 2.2
        )
        self.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.setStartValue(0)
        self.setRange(0, self.scale.x(self.end))
        chart.add_axis(self, alignment)
        if across:  # day labels leave the year out: the title says it
            years = sorted({start.year, self.end.year})
            self.setTitleText("–".join(str(year) for year in years))

        def length(area: QRectF) -> float:
            return area.width() if across else area.height()

        chart.plotAreaChanged.connect(lambda area: self.relabel(length(area)))
        self.relabel(length(chart.plotArea()) or (600 if across else 300))

    def relabel(self, length: float) -> None:
        """Choose the labels again for a plot this long (only when their number changes)."""
        most = max(2, int(length // self._label_size))
        ticks = _ticks(self.scale.origin, self.end, most, self._every_year)
        if len(ticks) == self._labelled:
            return
        self._labelled = len(ticks)
        for label in self.categoriesLabels():
            self.remove(label)
        for day, label in ticks:
            self.append(label, self.scale.x(day))
        self.setRange(0, self.scale.x(self.end))


def day_axis(
    chart: KanbanChart,
    start: dt.date,
    end: dt.date,
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignBottom,
) -> tuple[DayAxis, DayScale]:
    """An axis over the days from ``start`` to ``end`` (at least one day long)."""
    axis = DayAxis(chart, start, end, alignment)
    return axis, axis.scale


def bar_axis(chart: KanbanChart, labels: Sequence[str], widest: str) -> QCategoryAxis:
    """A bottom axis with one slot per bar (bar ``n`` at x = n), labelled on every bar, every
    other bar, every third... whichever is the densest that fits the plot's width without
    cutting a label short (``widest`` is the longest label to expect)."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setStartValue(-0.5)
    axis.setRange(-0.5, len(labels) - 0.5)
    chart.add_axis(axis, Qt.AlignmentFlag.AlignBottom)
    axis.setGridLineVisible(False)
    width = QFontMetrics(font(LABEL_PT)).horizontalAdvance(widest) + 16
    shown = [-1]

    def relabel(length: float) -> None:
        step = max(1, math.ceil(len(labels) * width / max(1.0, length)))
        if step == shown[0]:
            return
        shown[0] = step
        for label in axis.categoriesLabels():
            axis.remove(label)
        for n in range(0, len(labels), step):
            axis.append(labels[n], float(n))
        axis.setRange(-0.5, len(labels) - 0.5)

    chart.plotAreaChanged.connect(lambda area: relabel(area.width()))
    relabel(chart.plotArea().width() or 600)
    return axis


def nice_step(top: float, ticks: int = 5, integer: bool = True) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) that reaches ``top`` in about
    ``ticks`` steps; at least 1 when the values are whole numbers."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude))
    return max(step, 1.0) if integer else float(step)


def value_axis(
    chart: KanbanChart,
    title: str,
    top: float,
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    integer: bool = True,
) -> QValueAxis:
    """A value axis from 0 to the first round tick at or above ``top``, with whole-number
    labels when the values are counts (``integer``)."""
    step = nice_step(top, integer=integer)
    steps = max(1, math.ceil(top * 1.04 / step))  # headroom: the peak never touches the top
    axis = QValueAxis()
    axis.setRange(0, step * steps)
    axis.setTickCount(steps + 1)
    axis.setLabelFormat("%d" if step.is_integer() else "%.1f")
    axis.setTitleText(plain(title))
    chart.add_axis(axis, alignment)
    return axis


def points_of(values: Sequence[tuple[float, float]]) -> list[QPointF]:
    """QPointFs for a series' ``replace`` (one call instead of one ``append`` per point)."""
    return [QPointF(x, y) for x, y in values]


def pen(color: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A pen of a palette colour, ``width`` logical pixels wide (not cosmetic: as thick on a
    300 dpi PDF page as on screen)."""
    result = QPen(QColor(color), width)
    result.setStyle(style)
    result.setCosmetic(False)
    return result

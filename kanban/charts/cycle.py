"""Cycle times: the scatter of finished items with percentile lines, and the aging of the work
in progress per column against the same percentiles as bands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QLegend,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor

from kanban.charts.base import (
    KanbanChart,
    day_axis,
    day_text,
    number_text,
    pen,
    plain,
    points_of,
    value_axis,
)
from kanban.charts.palette import ChartPalette
from kanban.domain import plural

CYCLE_TIME = "cycle-time"
AGING = "aging"
TITLE_CHARS = 60
"""A tooltip quotes this much of an item's title."""
MARKER_PX = 9.0


class CyclePointLike(Protocol):
    """One finished item (``kanban.metrics.charts.CyclePoint``)."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def done(self) -> dt.date: ...

    @property
    def days(self) -> float: ...


class CycleTimeLike(Protocol):
    """The items finished in a range and their percentiles (``CycleTimeChart``)."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...

    @property
    def points(self) -> Sequence[CyclePointLike]: ...

    @property
    def p50(self) -> float | None: ...

    @property
    def p85(self) -> float | None: ...

    @property
    def p95(self) -> float | None: ...


def short(title: str) -> str:
    """An item's title cut to fit a tooltip."""
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def _percentiles(data: CycleTimeLike) -> list[tuple[int, float]]:
    marks = ((50, data.p50), (85, data.p85), (95, data.p95))
    return [(share, value) for share, value in marks if value is not None]


def cycle_time_chart(
    data: CycleTimeLike, palette: ChartPalette, title: str = "Cycle time"
) -> KanbanChart:
    """One dot per finished item (the day it was done, the days it took from its first
    'doing' column), and a line at each of the 50th, 85th and 95th percentiles."""
    chart = KanbanChart(CYCLE_TIME, title, palette)
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
    if not data.points:
        chart.set_empty("No work item finished in this range yet")
        return chart
    axis_x, scale = day_axis(chart, data.start, data.end)
    top = max(p.days for p in data.points)
    axis_y = value_axis(chart, "Days from start to done", top, integer=False)

    dots = QScatterSeries()
    dots.setName(plural(len(data.points), "item"))
    dots.setMarkerSize(MARKER_PX)
    dots.setColor(QColor(palette.primary))
    dots.setBorderColor(QColor(palette.background))
    dots.replace(points_of([(scale.x(p.done), p.days) for p in data.points]))
    located = [(scale.x(p.done), p.days, p) for p in data.points]

    def dot_hover(at: QPointF) -> str:
        _x, _y, item = min(located, key=lambda c: (c[0] - at.x()) ** 2 + (c[1] - at.y()) ** 2)
        return (
            f"{item.key} {short(item.title)}\n"
            f"done {day_text(item.done)} after {number_text(item.days)} days"
        )

    chart.add_xy(dots, axis_x, axis_y, dot_hover)
    right = scale.x(data.end)
    for share, value in _percentiles(data):
        line = QLineSeries()
        line.setName(f"{share}%: {number_text(value)} days")
        line.replace(points_of([(0.0, value), (right, value)]))
        line.setPen(pen(palette.percentiles[share], 1.5, Qt.PenStyle.DashLine))

        def line_hover(_at: QPointF, share: int = share, value: float = value) -> str:
            return f"{share}% of these items took {number_text(value)} days or less"

        chart.add_xy(line, axis_x, axis_y, line_hover)
    return chart


# --- aging work in progress ----------------------------------------------------------------


class AgingPointLike(Protocol):
    """An item in progress (``kanban.metrics.charts.AgingPoint``)."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def started(self) -> dt.date: ...

    @property
    def age_days(self) -> int: ...


class AgingColumnLike(Protocol):
    """A 'doing' column and its items (``AgingColumn``)."""

    @property
    def name(self) -> str: ...

    @property
    def items(self) -> Sequence[AgingPointLike]: ...


class AgingLike(Protocol):
    """The work in progress per column, and the cycle-time percentiles (``AgingChart``)."""

    @property
    def as_of(self) -> dt.date: ...

    @property
    def columns(self) -> Sequence[AgingColumnLike]: ...

    @property
    def p50(self) -> float | None: ...

    @property
    def p85(self) -> float | None: ...

    @property
    def p95(self) -> float | None: ...


def _spread(index: int) -> float:
    """Where, across its column, the ``index``-th dot goes: a golden-ratio sequence, evenly
    spread for any number of dots, so equal ages do not hide one another."""
    return ((index * 0.6180339887) % 1 - 0.5) * 0.7


def _column_axis(chart: KanbanChart, names: Sequence[str]) -> QCategoryAxis:
    axis = QCategoryAxis()
    axis.setStartValue(-0.5)
    seen: set[str] = set()
    for n, name in enumerate(names):
        label = plain(name)
        while label in seen:  # the axis keys its labels by text: keep two equal names apart
            label += "\u200b"
        seen.add(label)
        axis.append(label, n + 0.5)
    axis.setRange(-0.5, len(names) - 0.5)
    chart.add_axis(axis, Qt.AlignmentFlag.AlignBottom)
    axis.setGridLineVisible(False)
    return axis


BAND_NAMES = ("under p50", "p50 to p85", "p85 to p95", "over p95")
SHARES = (50, 85, 95)


def _bands(
    chart: KanbanChart,
    palette: ChartPalette,
    edges: Sequence[float],
    top: float,
    axis_x: QCategoryAxis,
    axis_y: QValueAxis,
) -> None:
    """Four bands across the plot: 0 to p50, p50 to p85, p85 to p95, p95 to the top."""
    left, right = axis_x.min(), axis_x.max()
    floors = [0.0, *edges]
    for n, (low, high) in enumerate(zip(floors, [*edges, top], strict=True)):
        lower, upper = QLineSeries(chart), QLineSeries(chart)  # the chart keeps them alive
        lower.replace(points_of([(left, low), (right, low)]))
        upper.replace(points_of([(left, high), (right, high)]))
        band = QAreaSeries(upper, lower)
        last = n == len(edges)
        band.setName(
            f"{BAND_NAMES[n]} ({'over ' if last else ''}{number_text(low)}"
            f"{'' if last else '–' + number_text(high)} days)"
        )
        band.setBrush(QBrush(QColor(palette.bands[n])))
        band.setPen(pen(palette.background, 0.0, Qt.PenStyle.NoPen))

        def hover(_at: QPointF, n: int = n, low: float = low, high: float = high) -> str:
            if n == len(edges):
                return (
                    f"Over p95: in progress longer than 95% of the recent items took "
                    f"({number_text(low)} days)"
                )
            return (
                f"{BAND_NAMES[n].capitalize()}: {number_text(low)} to {number_text(high)} days "
                f"({SHARES[n]}% of the recent items were done within {number_text(high)})"
            )

        chart.add_xy(band, axis_x, axis_y, hover)
        # The band's own tint is too faint for a small legend square (on dark most of all).
        solid = QColor(palette.bands[n])
        solid.setAlpha(210)
        for marker in chart.legend().markers(band):
            marker.setBrush(QBrush(solid))


def aging_chart(
    data: AgingLike, palette: ChartPalette, title: str = "Aging work in progress"
) -> KanbanChart:
    """The items in each 'doing' column by age (days since they started), over bands of the
    recent cycle-time percentiles: below p50, to p85, to p95, above p95."""
    chart = KanbanChart(AGING, title, palette)
    if not data.columns:
        chart.set_empty("No column of this board holds work in progress")
        return chart
    if not any(c.items for c in data.columns):
        chart.set_empty(f"Nothing was in progress on {day_text(data.as_of)}")
        return chart
    axis_x = _column_axis(chart, [c.name for c in data.columns])
    bands = [(s, v) for s, v in ((50, data.p50), (85, data.p85), (95, data.p95)) if v is not None]
    oldest = max(p.age_days for c in data.columns for p in c.items)
    axis_y = value_axis(chart, "Days in progress", max([oldest, *(v for _s, v in bands)]))
    top = axis_y.max()
    if bands:
        _bands(chart, palette, [value for _share, value in bands], top, axis_x, axis_y)

    dots = QScatterSeries()
    dots.setName("Items in progress")
    dots.setMarkerSize(MARKER_PX)
    dots.setColor(QColor(palette.primary))
    dots.setBorderColor(QColor(palette.background))
    located = []
    for column_index, column in enumerate(data.columns):
        for n, point in enumerate(column.items):
            located.append((column_index + _spread(n), float(point.age_days), point, column.name))
    dots.replace(points_of([(x, y) for x, y, _p, _c in located]))

    def dot_hover(at: QPointF) -> str:
        _x, _y, item, column = min(
            located, key=lambda c: (c[0] - at.x()) ** 2 + ((c[1] - at.y()) / top) ** 2
        )
        return (
            f"{item.key} {short(item.title)}\n{column}: "
            f"{plural(item.age_days, 'day')} in progress, since {day_text(item.started)}"
        )

    chart.add_xy(dots, axis_x, axis_y, dot_hover)
    return chart

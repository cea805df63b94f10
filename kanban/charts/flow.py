"""The cumulative flow diagram: items per column category at the end of each day, stacked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import QAreaSeries, QLineSeries
from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor

from kanban.charts.base import KanbanChart, day_axis, day_text, pen, points_of, value_axis
from kanban.charts.palette import CATEGORY_LABELS, ChartPalette

KIND = "cfd"


class FlowDayLike(Protocol):
    """Items per category at the end of one day (``kanban.metrics.FlowDay``)."""

    @property
    def day(self) -> dt.date: ...

    @property
    def counts(self) -> tuple[int, ...]: ...


class CumulativeFlowLike(Protocol):
    """Every day of a range (``kanban.metrics.charts.CumulativeFlowChart``)."""

    @property
    def categories(self) -> Sequence[str]: ...

    @property
    def days(self) -> Sequence[FlowDayLike]: ...


def cumulative_flow_chart(
    data: CumulativeFlowLike, palette: ChartPalette, title: str = "Cumulative flow"
) -> KanbanChart:
    """Stacked areas, 'done' at the bottom and the backlog on top; the ``counts`` of each day
    follow ``categories``. Hovering a day lists its counts."""
    days, categories = data.days, data.categories
    chart = KanbanChart(KIND, title, palette)
    if not days or not any(any(d.counts) for d in days):
        chart.set_empty("No work items in this range yet")
        return chart
    axis_x, scale = day_axis(chart, days[0].day, days[-1].day)
    peak = max(sum(d.counts) for d in days)
    axis_y = value_axis(chart, "Items", peak)
    xs = [scale.x(d.day) for d in days]
    if len(days) == 1:  # one day (a product born today): a band as wide as the day's axis
        days = [days[0], days[0]]
        xs.append(scale.x(days[0].day + dt.timedelta(days=1)))

    def hover(point: QPointF) -> str:
        index = min(range(len(xs)), key=lambda n: abs(xs[n] - point.x()))
        day = days[index]
        lines = [day_text(day.day)]
        for category, count in reversed(list(zip(categories, day.counts, strict=True))):
            lines.append(f"{CATEGORY_LABELS.get(category, category)}: {count}")
        lines.append(f"Total: {sum(day.counts)}")
        return "\n".join(lines)

    below = [0] * len(days)
    for position in reversed(range(len(categories))):  # 'done' first, at the bottom
        category = categories[position]
        above = [b + d.counts[position] for b, d in zip(below, days, strict=True)]
        upper, lower = QLineSeries(chart), QLineSeries(chart)  # the chart keeps them alive
        upper.replace(points_of(list(zip(xs, above, strict=True))))
        lower.replace(points_of(list(zip(xs, below, strict=True))))
        area = QAreaSeries(upper, lower)
        area.setName(CATEGORY_LABELS.get(category, category))
        color = QColor(palette.categories.get(category, palette.primary))
        area.setBrush(QBrush(color))
        edge = color.darker(125) if not palette.dark else color.lighter(120)
        area.setPen(pen(edge.name(), 1.0))
        chart.add_xy(area, axis_x, axis_y, hover)
        below = above
    return chart

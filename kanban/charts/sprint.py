"""A sprint's burndown (what is left, against the straight line to zero)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import QLegend, QLineSeries
from PySide6.QtCore import QPointF, Qt

from kanban.charts.base import (
    KanbanChart,
    day_axis,
    day_text,
    number_text,
    pen,
    points_of,
    value_axis,
)
from kanban.charts.palette import ChartPalette

BURNDOWN = "burndown"
UNITS = ("points", "items")


class SprintLike(Protocol):
    """The sprint a chart is about (``kanban.metrics.FlowSprint``)."""

    @property
    def name(self) -> str: ...

    @property
    def start_date(self) -> dt.date | None: ...

    @property
    def end_date(self) -> dt.date | None: ...


class BurndownDayLike(Protocol):
    """What was left of a sprint at the end of one day (``kanban.metrics.BurndownDay``)."""

    @property
    def day(self) -> dt.date: ...

    @property
    def remaining_points(self) -> float: ...

    @property
    def remaining_items(self) -> int: ...


class BurndownLike(Protocol):
    """A sprint's days (``kanban.metrics.Burndown``)."""

    @property
    def sprint(self) -> SprintLike: ...

    @property
    def total_points(self) -> float: ...

    @property
    def total_items(self) -> int: ...

    @property
    def days(self) -> Sequence[BurndownDayLike]: ...


def _remaining(day: BurndownDayLike, unit: str) -> float:
    return float(day.remaining_points if unit == "points" else day.remaining_items)


def burndown_chart(
    burndown: BurndownLike, palette: ChartPalette, unit: str = "points"
) -> KanbanChart:
    """The remaining points (or items) at the end of each day of the sprint so far, and the
    ideal line from the full scope on the first day to zero on the last."""
    sprint = burndown.sprint
    chart = KanbanChart(BURNDOWN, f"Burndown of {sprint.name} ({unit})", palette)
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
    if sprint.start_date is None or sprint.end_date is None:
        chart.set_empty("This sprint has no start and end dates yet")
        return chart
    total = float(burndown.total_points if unit == "points" else burndown.total_items)
    if not burndown.days or total == 0:
        chart.set_empty(f"Nothing is planned into {sprint.name} yet")
        return chart
    start, end = sprint.start_date, sprint.end_date
    axis_x, scale = day_axis(chart, start, end)
    top = max(total, *(_remaining(d, unit) for d in burndown.days))
    axis_y = value_axis(chart, f"Remaining {unit}", top, integer=unit == "items")

    ideal = QLineSeries()
    ideal.setName("Ideal")
    ideal.replace(points_of([(scale.x(start), total), (scale.x(end), 0.0)]))
    ideal.setPen(pen(palette.ideal, 1.5, Qt.PenStyle.DashLine))
    length = max(1, (end - start).days)

    def ideal_hover(point: QPointF) -> str:
        day = scale.day(point.x())
        left = total * max(0.0, 1 - (day - start).days / length)
        return f"{day_text(day)}: ideal {number_text(left)} {unit} left"

    chart.add_xy(ideal, axis_x, axis_y, ideal_hover)

    remaining = QLineSeries()
    remaining.setName(f"Remaining {unit}")
    remaining.replace(points_of([(scale.x(d.day), _remaining(d, unit)) for d in burndown.days]))
    remaining.setPen(pen(palette.primary, 2.5))
    remaining.setPointsVisible(len(burndown.days) <= 31)
    by_x = {scale.x(d.day): d for d in burndown.days}

    def remaining_hover(point: QPointF) -> str:
        nearest = min(by_x, key=lambda x: abs(x - point.x()))
        day = by_x[nearest]
        return (
            f"{day_text(day.day)}: {number_text(day.remaining_points)} points and "
            f"{day.remaining_items} items left"
        )

    chart.add_xy(remaining, axis_x, axis_y, remaining_hover)
    return chart

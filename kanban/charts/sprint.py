"""A sprint's burndown (what is left, against the straight line to zero) and burnup (done
against the scope), in points or items, with every change of scope marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import QLegend, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen

from kanban.charts.base import (
    DayAxis,
    DayScale,
    KanbanChart,
    XYHover,
    day_axis,
    day_text,
    number_text,
    pen,
    points_of,
    value_axis,
)
from kanban.charts.palette import ChartPalette
from kanban.domain import plural

BURNDOWN = "burndown"
BURNUP = "burnup"
UNITS = ("points", "items")
MARKER_PX = 11.0


class SprintLike(Protocol):
    """The sprint a chart is about (``kanban.metrics.FlowSprint``)."""

    @property
    def name(self) -> str: ...

    @property
    def start_date(self) -> dt.date | None: ...

    @property
    def end_date(self) -> dt.date | None: ...


class BurnDayLike(Protocol):
    """A sprint at the end of one day (``kanban.metrics.sprints.BurnDay``)."""

    @property
    def day(self) -> dt.date: ...

    @property
    def scope_points(self) -> float: ...

    @property
    def scope_items(self) -> int: ...

    @property
    def done_points(self) -> float: ...

    @property
    def done_items(self) -> int: ...

    @property
    def remaining_points(self) -> float: ...

    @property
    def remaining_items(self) -> int: ...


class ScopeChangeLike(Protocol):
    """An item that came into the sprint or left it after it started (``ScopeChange``)."""

    @property
    def day(self) -> dt.date: ...

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def points(self) -> float | None: ...

    @property
    def added(self) -> bool: ...


class SprintBurnLike(Protocol):
    """A sprint's days and scope changes (``kanban.metrics.sprints.SprintBurn``)."""

    @property
    def sprint(self) -> SprintLike: ...

    @property
    def committed_points(self) -> float: ...

    @property
    def committed_items(self) -> int: ...

    @property
    def days(self) -> Sequence[BurnDayLike]: ...

    @property
    def changes(self) -> Sequence[ScopeChangeLike]: ...


def _value(day: BurnDayLike, what: str, unit: str) -> float:
    return float(getattr(day, f"{what}_{unit}"))


def _committed(burn: SprintBurnLike, unit: str) -> float:
    return float(burn.committed_points if unit == "points" else burn.committed_items)


def _frame(
    burn: SprintBurnLike, palette: ChartPalette, kind: str, unit: str
) -> tuple[KanbanChart, DayAxis, DayScale] | KanbanChart:
    """The chart with its day axis, or an empty chart saying why there is nothing to draw."""
    sprint = burn.sprint
    word = "Burndown" if kind == BURNDOWN else "Burnup"
    chart = KanbanChart(kind, f"{word} of {sprint.name} ({unit})", palette)
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
    if sprint.start_date is None or sprint.end_date is None:
        chart.set_empty("This sprint has no start and end dates yet")
        return chart
    if not burn.days or not any(_value(d, "scope", unit) for d in burn.days):
        chart.set_empty(f"Nothing is planned into {sprint.name} yet")
        return chart
    axis_x, scale = day_axis(chart, sprint.start_date, sprint.end_date)
    return chart, axis_x, scale


def _line(
    chart: KanbanChart,
    axes: tuple[DayAxis, QValueAxis],
    name: str,
    values: list[tuple[float, float]],
    line_pen: QPen,
    hover: XYHover,
) -> QLineSeries:
    line = QLineSeries()
    line.setName(name)
    line.replace(points_of(values))
    line.setPen(line_pen)
    chart.add_xy(line, axes[0], axes[1], hover)
    return line


def _changes(
    chart: KanbanChart,
    burn: SprintBurnLike,
    axes: tuple[DayAxis, QValueAxis],
    scale: DayScale,
    height: dict[dt.date, float],
    palette: ChartPalette,
) -> None:
    """A marker on the line for every day the scope grew (triangle) or shrank (diamond)."""
    for added, shape, color in (
        (True, QScatterSeries.MarkerShape.MarkerShapeTriangle, palette.secondary),
        (False, QScatterSeries.MarkerShape.MarkerShapeRotatedRectangle, palette.muted),
    ):
        changes = [c for c in burn.changes if c.added == added and c.day in height]
        if not changes:
            continue
        by_day: dict[dt.date, list[ScopeChangeLike]] = {}
        for change in changes:
            by_day.setdefault(change.day, []).append(change)
        marks = QScatterSeries()
        count = len(changes)
        marks.setName(f"{plural(count, 'item')} {'added' if added else 'taken out'}")
        marks.setMarkerShape(shape)
        marks.setMarkerSize(MARKER_PX)
        marks.setColor(QColor(color))
        marks.setBorderColor(QColor(palette.background))
        marks.replace(points_of([(scale.x(day), height[day]) for day in by_day]))

        def hover(at: QPointF, by_day: dict[dt.date, list[ScopeChangeLike]] = by_day) -> str:
            day = min(by_day, key=lambda d: abs(scale.x(d) - at.x()))
            lines = [f"{day_text(day)}: the scope changed"]
            for change in by_day[day]:
                sign = "+" if change.added else "−"
                size = "" if change.points is None else f" ({number_text(change.points)} points)"
                lines.append(f"{sign} {change.key} {change.title}{size}")
            return "\n".join(lines)

        chart.add_xy(marks, axes[0], axes[1], hover)


def _day_text(day: BurnDayLike) -> str:
    return (
        f"{day_text(day.day)}: {number_text(day.done_points)} of "
        f"{number_text(day.scope_points)} points and {day.done_items} of "
        f"{plural(day.scope_items, 'item')} done"
    )


def burndown_chart(
    burn: SprintBurnLike, palette: ChartPalette, unit: str = "points"
) -> KanbanChart:
    """What is left of the sprint's scope at the end of each day so far, the ideal line from
    the committed scope to zero, and a marker where the scope changed."""
    framed = _frame(burn, palette, BURNDOWN, unit)
    if isinstance(framed, KanbanChart):
        return framed
    chart, axis_x, scale = framed
    start, end = scale.origin, axis_x.end
    committed = _committed(burn, unit)
    top = max(committed, *(_value(d, "scope", unit) for d in burn.days))
    axis_y = value_axis(chart, f"Remaining {unit}", top, integer=unit == "items")
    axes = (axis_x, axis_y)
    length = max(1, (end - start).days)

    def ideal_hover(at: QPointF) -> str:
        day = scale.day(at.x())
        left = committed * max(0.0, 1 - (day - start).days / length)
        return f"{day_text(day)}: ideally {number_text(left)} {unit} left"

    ideal = [(scale.x(start), committed), (scale.x(end), 0.0)]
    _line(chart, axes, "Ideal", ideal, pen(palette.ideal, 1.5, Qt.PenStyle.DashLine), ideal_hover)
    by_x = {scale.x(d.day): d for d in burn.days}

    def hover(at: QPointF) -> str:
        day = by_x[min(by_x, key=lambda x: abs(x - at.x()))]
        return f"{_day_text(day)}; {number_text(_value(day, 'remaining', unit))} {unit} left"

    values = [(scale.x(d.day), _value(d, "remaining", unit)) for d in burn.days]
    line = _line(chart, axes, f"Remaining {unit}", values, pen(palette.primary, 2.5), hover)
    line.setPointsVisible(len(burn.days) <= 31)
    height = {d.day: _value(d, "remaining", unit) for d in burn.days}
    _changes(chart, burn, axes, scale, height, palette)
    return chart


def burnup_chart(burn: SprintBurnLike, palette: ChartPalette, unit: str = "points") -> KanbanChart:
    """What was done by the end of each day against the scope (which steps up or down where
    items came in or left, each change marked), and the ideal line from zero to the commitment."""
    framed = _frame(burn, palette, BURNUP, unit)
    if isinstance(framed, KanbanChart):
        return framed
    chart, axis_x, scale = framed
    committed = _committed(burn, unit)
    top = max(committed, *(_value(d, "scope", unit) for d in burn.days))
    axis_y = value_axis(chart, unit.capitalize(), top, integer=unit == "items")
    axes = (axis_x, axis_y)
    by_x = {scale.x(d.day): d for d in burn.days}

    def hover(at: QPointF) -> str:
        return _day_text(by_x[min(by_x, key=lambda x: abs(x - at.x()))])

    ideal = [(0.0, 0.0), (scale.x(axis_x.end), committed)]
    ideal_pen = pen(palette.ideal, 1.5, Qt.PenStyle.DashLine)

    def ideal_hover(_at: QPointF) -> str:
        return f"Committed at the start: {number_text(committed)} {unit}"

    _line(chart, axes, "Ideal", ideal, ideal_pen, ideal_hover)
    scope: list[tuple[float, float]] = []
    for day in burn.days:  # a step: the scope holds until the day it changes
        x, y = scale.x(day.day), _value(day, "scope", unit)
        if scope and scope[-1][1] != y:
            scope.append((x, scope[-1][1]))
        scope.append((x, y))
    _line(chart, axes, f"Scope ({unit})", scope, pen(palette.secondary, 2.0), hover)
    done = [(scale.x(d.day), _value(d, "done", unit)) for d in burn.days]
    line = _line(chart, axes, f"Done ({unit})", done, pen(palette.primary, 2.5), hover)
    line.setPointsVisible(len(burn.days) <= 31)
    height = {d.day: _value(d, "scope", unit) for d in burn.days}
    _changes(chart, burn, axes, scale, height, palette)
    return chart

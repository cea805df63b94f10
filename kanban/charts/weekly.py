"""Throughput: work items finished in each ISO week (Monday to Sunday), as bars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import QBarSeries, QBarSet
from PySide6.QtGui import QBrush, QColor

from kanban.charts.base import KanbanChart, bar_axis, day_text, number_text, pen, value_axis
from kanban.charts.palette import ChartPalette
from kanban.domain import plural

KIND = "throughput"


class WeekLike(Protocol):
    """Items (and their points) finished in one ISO week (``ThroughputWeek``)."""

    @property
    def week_start(self) -> dt.date: ...

    @property
    def items(self) -> int: ...

    @property
    def points(self) -> float: ...


def week_label(monday: dt.date) -> str:
    """A week as its Monday, short: ``12 Oct``."""
    return monday.strftime("%-d %b")


class ThroughputLike(Protocol):
    """Every ISO week of a range (``kanban.metrics.charts.ThroughputChart``)."""

    @property
    def weeks(self) -> Sequence[WeekLike]: ...


def throughput_chart(
    data: ThroughputLike, palette: ChartPalette, title: str = "Throughput per week"
) -> KanbanChart:
    """One bar per week: the work items finished in it. Hovering a bar names the ISO week,
    its days, its items and points."""
    weeks = data.weeks
    chart = KanbanChart(KIND, title, palette)
    if not weeks or not any(w.items for w in weeks):
        chart.set_empty("No work item finished in these weeks yet")
        return chart
    bars = QBarSet("Items finished")
    bars.append([float(w.items) for w in weeks])
    bars.setBrush(QBrush(QColor(palette.primary)))
    bars.setPen(pen(palette.primary, 1.0))
    series = QBarSeries()
    series.append(bars)
    series.setBarWidth(0.7)
    chart.addSeries(series)
    axis_x = bar_axis(chart, [week_label(w.week_start) for w in weeks], "28 Sep")
    axis_y = value_axis(chart, "Items finished", max(w.items for w in weeks))
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    chart.legend().setVisible(False)

    def hover(index: int, _bars: QBarSet) -> str:
        week = weeks[index]
        year, number, _ = week.week_start.isocalendar()
        sunday = week.week_start + dt.timedelta(days=6)
        return (
            f"Week {number} of {year}: {day_text(week.week_start)} to {day_text(sunday)}\n"
            f"{plural(week.items, 'item')} finished, {number_text(week.points)} points"
        )

    chart.bar_hovers.append((series, hover))
    return chart

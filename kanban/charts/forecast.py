"""Forecasts: the histogram of a Monte Carlo's finish dates with its percentile markers, and
the history of a product's target date against the forecasts made over time."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import QBarSeries, QBarSet, QLegend, QLineSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor

from kanban.charts.base import (
    KanbanChart,
    bar_axis,
    day_axis,
    day_text,
    pen,
    points_of,
    value_axis,
)
from kanban.charts.palette import ChartPalette

FORECAST = "forecast"
TARGET_HISTORY = "target-history"
ROW_TITLES = {"update": "Update of", "target": "Target moved on", "now": "Today,"}
CAPTION_CHARS = 72
"""A forecast's caption is wrapped to lines this long (a chart half a page wide fits them)."""


class DateRunsLike(Protocol):
    """How many runs finished on one date (``kanban.metrics.forecast.DateRuns``)."""

    @property
    def date(self) -> dt.date: ...

    @property
    def runs(self) -> int: ...


class MarkLike(Protocol):
    """A percentile's date (``kanban.metrics.charts.PercentileMark``); None: beyond the horizon."""

    @property
    def percentile(self) -> int: ...

    @property
    def date(self) -> dt.date | None: ...


class ForecastLike(Protocol):
    """The histogram of a forecast (``kanban.metrics.charts.ForecastChart``)."""

    @property
    def as_of(self) -> dt.date: ...

    @property
    def bars(self) -> Sequence[DateRunsLike]: ...

    @property
    def beyond_horizon(self) -> int: ...

    @property
    def runs(self) -> int: ...

    @property
    def markers(self) -> Sequence[MarkLike]: ...

    @property
    def reason(self) -> str: ...

    @property
    def caption(self) -> str: ...

    @property
    def target(self) -> dt.date | None: ...

    @property
    def by_target(self) -> int: ...


def _bar_position(bars: Sequence[DateRunsLike], day: dt.date) -> float:
    """Where ``day`` falls on the histogram's bar axis: a bar's index on its date, between
    two bars in proportion to the days, half a bar past either end outside them."""
    if day <= bars[0].date:
        return 0.0 if day == bars[0].date else -0.5
    for n in range(1, len(bars)):
        after = bars[n].date
        if day <= after:
            before = bars[n - 1].date
            return n - 1 + (day - before).days / (after - before).days
    return len(bars) - 0.5


def forecast_chart(
    data: ForecastLike, palette: ChartPalette, title: str = "Forecast: when will it be done?"
) -> KanbanChart:
    """One bar per finish date (how many simulated futures finished then), a marker line
    at each percentile's date and a dashed one at the target date with the share of runs
    done by then; runs beyond the horizon are counted in the legend."""
    chart = KanbanChart(FORECAST, title, palette)
    chart.caption = data.caption
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
    if not data.bars:
        chart.set_empty(data.reason or "No forecast")
        return chart
    counts = QBarSet("Runs")
    counts.append([float(b.runs) for b in data.bars])
    counts.setBrush(QBrush(QColor(palette.quiet)))
    counts.setPen(pen(palette.quiet, 0.5))
    series = QBarSeries()
    series.append(counts)
    series.setBarWidth(0.85)
    chart.addSeries(series)
    axis_x = bar_axis(chart, [b.date.strftime("%-d %b %Y") for b in data.bars], "28 Sep 2026")
    peak = max(b.runs for b in data.bars)
    axis_y = value_axis(chart, f"Runs (of {data.runs:,})", peak)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    chart.legend().markers(series)[0].setVisible(False)  # the bars need no legend: the axis says
    beyond = f"; {data.beyond_horizon:,} runs beyond the horizon" if data.beyond_horizon else ""
    axis_x.setTitleText(f"Finish date{beyond}")
    # What the forecast drew from, under the chart: one clause a line, short lines, so a
    # narrow chart (a PDF's column) keeps every word.
    chart.set_footnote(
        [
            line
            for clause in data.caption.split("; ")
            for line in textwrap.wrap(clause, CAPTION_CHARS)
        ]
    )
    finished = [0]
    for bar in data.bars:
        finished.append(finished[-1] + bar.runs)

    def bar_hover(index: int, _set: QBarSet) -> str:
        bar = data.bars[index]
        share = 100 * finished[index + 1] / data.runs
        return (
            f"Done on {day_text(bar.date)} in {bar.runs:,} of {data.runs:,} runs\n"
            f"{share:.0f}% of the runs were done by then"
        )

    chart.bar_hovers.append((series, bar_hover))
    index = {b.date: n for n, b in enumerate(data.bars)}
    dated: dict[dt.date, list[int]] = {}  # percentiles falling on one date share a marker
    for mark in data.markers:
        if mark.date is not None:  # else beyond the horizon: no date to mark
            dated.setdefault(mark.date, []).append(mark.percentile)
    for day, shares in dated.items():
        # A percentile is one of the runs, so its date has a bar; else the nearest bar's.
        at = index.get(day, min(index.items(), key=lambda i: abs((i[0] - day).days))[1])
        line = QLineSeries()
        names = " and ".join(f"{share}%" for share in shares)
        line.setName(f"{names}: {day_text(day)}")
        line.replace(points_of([(float(at), 0.0), (float(at), axis_y.max())]))
        line.setPen(pen(palette.percentiles.get(shares[0], palette.secondary), 2.0))

        def mark_hover(_at: QPointF, names: str = names, day: dt.date = day) -> str:
            return f"{names} of the runs were done by {day_text(day)}"

        chart.add_xy(line, axis_x, axis_y, mark_hover)
    if data.target is not None:
        at_target = _bar_position(data.bars, data.target)
        share = round(100 * data.by_target / data.runs)
        text = f"Target {day_text(data.target)}: {share}% of the runs done by then"
        line = QLineSeries()
        line.setName(text)
        line.replace(points_of([(at_target, 0.0), (at_target, axis_y.max())]))
        line.setPen(pen(palette.ideal, 2.0, Qt.PenStyle.DashLine))

        def target_hover(_at: QPointF, text: str = text) -> str:
            return text

        chart.add_xy(line, axis_x, axis_y, target_hover)
    return chart


# --- the history of the target date --------------------------------------------------------


class TargetPointLike(Protocol):
    """The target and the forecast at one status update, change of the target, or today
    (``kanban.metrics.history.DateHistoryRow``)."""

    @property
    def day(self) -> dt.date: ...

    @property
    def kind(self) -> str:
        """``update``, ``target`` (it moved) or ``now`` (today's forecast)."""
        ...

    @property
    def target(self) -> dt.date | None: ...

    @property
    def forecast_p50(self) -> dt.date | None: ...

    @property
    def forecast_p85(self) -> dt.date | None: ...

    @property
    def reason(self) -> str: ...


def target_history_chart(
    points: Sequence[TargetPointLike],
    palette: ChartPalette,
    title: str = "Target date and forecast over time",
) -> KanbanChart:
    """The target date (a step line, since it holds until moved) and the 50% and 85% forecast
    dates at each update, so a slip shows when it began. Dates on both axes."""
    chart = KanbanChart(TARGET_HISTORY, title, palette)
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
    dated = [d for p in points for d in (p.target, p.forecast_p50, p.forecast_p85) if d is not None]
    if not points or not dated:
        chart.set_empty("No status update has recorded a target or a forecast yet")
        return chart
    first, last = points[0].day, points[-1].day
    axis_x, scale_x = day_axis(chart, first, max(last, first + dt.timedelta(days=7)))
    low, high = min(dated), max(dated)
    margin = dt.timedelta(days=max(3, (high - low).days // 10))
    axis_y, scale_y = day_axis(chart, low - margin, high + margin, Qt.AlignmentFlag.AlignLeft)
    by_x = {scale_x.x(p.day): p for p in points}

    def hover(at: QPointF) -> str:
        point = by_x[min(by_x, key=lambda x: abs(x - at.x()))]
        lines = [f"{ROW_TITLES.get(point.kind, 'On')} {day_text(point.day)}"]
        for label, value in (
            ("target", point.target),
            ("forecast, 50%", point.forecast_p50),
            ("forecast, 85%", point.forecast_p85),
        ):
            lines.append(f"{label}: {day_text(value) if value else 'none'}")
        if point.reason:
            lines.append(f"why the target moved: {point.reason}")
        return "\n".join(lines)

    def series(name: str, color: str, values: list[tuple[float, float]], width: float) -> None:
        line = QLineSeries()
        line.setName(name)
        line.replace(points_of(values))
        line.setPen(pen(color, width))
        line.setPointsVisible(True)
        chart.add_xy(line, axis_x, axis_y, hover)

    targets: list[tuple[float, float]] = []
    for point in points:
        if point.target is not None:
            x, y = scale_x.x(point.day), scale_y.x(point.target)
            if targets and targets[-1][1] != y:
                targets.append((x, targets[-1][1]))  # the old target held until this update
            if not targets or targets[-1] != (x, y):
                targets.append((x, y))
    if targets:
        series("Target", palette.ideal, targets, 2.5)
    for name, color, attribute in (
        ("Forecast, 50%", palette.primary, "forecast_p50"),
        ("Forecast, 85%", palette.secondary, "forecast_p85"),
    ):
        values = [
            (scale_x.x(p.day), scale_y.x(getattr(p, attribute)))
            for p in points
            if getattr(p, attribute) is not None
        ]
        if values:
            series(name, color, values, 2.0)
    return chart

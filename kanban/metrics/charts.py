"""The data of every chart, as plain frozen records: what ``kanban.charts`` draws.

One function per chart, each a pure function of a :class:`~kanban.metrics.records.Flow` (or a
forecast); each record carries the flow's data-quality note, so a chart can say which items it
left out. Weeks are ISO weeks; percentiles are nearest rank (``kanban.metrics.records``).

=====================  ===========================  =========================================
chart                  function                      record
=====================  ===========================  =========================================
cumulative flow        ``cumulative_flow_chart``      :class:`CumulativeFlowChart`
burndown and burnup    ``sprint_burn_chart``          :class:`kanban.metrics.sprints.SprintBurn`
cycle-time scatter     ``cycle_time_chart``           :class:`CycleTimeChart`
throughput per week    ``throughput_chart``           :class:`ThroughputChart`
aging work in progress ``aging_chart``                :class:`AgingChart`
forecast histogram     ``forecast_chart``             :class:`ForecastChart`
=====================  ===========================  =========================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kanban.domain import Category, plural
from kanban.metrics.flow import (
    CATEGORIES,
    FlowDay,
    WeekCount,
    cumulative_flow,
    cycle_days,
    finished_between,
    throughput,
)
from kanban.metrics.forecast import DateRuns, Forecast
from kanban.metrics.records import (
    PERCENTILES,
    DataQuality,
    Flow,
    percentile,
    week_label,
    week_start,
)
from kanban.metrics.sprints import SprintBurn, sprint_burn

DEFAULT_WEEKS = 12
"""A chart's default range: the last twelve ISO weeks up to its day."""


def default_range(as_of: dt.date, weeks: int = DEFAULT_WEEKS) -> tuple[dt.date, dt.date]:
    """From the Monday ``weeks`` ISO weeks back (this week included) to ``as_of``."""
    return week_start(as_of) - dt.timedelta(weeks=weeks - 1), as_of


def first_day(flow: Flow) -> dt.date | None:
    """The day the product's first item (of those with a sound history) was created."""
    return min((item.created.date() for item in flow.items), default=None)


def flow_range(flow: Flow, as_of: dt.date, weeks: int = DEFAULT_WEEKS) -> tuple[dt.date, dt.date]:
    """A chart's default range for a product: :func:`default_range`, starting no earlier than
    the day its first item was created (a young product's charts start with its history)."""
    start, end = default_range(as_of, weeks)
    first = first_day(flow)
    if first is not None and start < first <= end:
        start = first
    return start, end


@dataclass(frozen=True, slots=True)
class CumulativeFlowChart:
    """Items per column category at the end of each day (stack them, 'done' at the bottom)."""

    start: dt.date
    end: dt.date
    categories: tuple[str, ...]
    """The order of each day's counts: backlog, todo, doing, done."""
    days: tuple[FlowDay, ...]
    quality: DataQuality


def cumulative_flow_chart(flow: Flow, start: dt.date, end: dt.date) -> CumulativeFlowChart:
    """The cumulative flow diagram from ``start`` to ``end``."""
    return CumulativeFlowChart(
        start, end, CATEGORIES, cumulative_flow(flow, start, end), flow.quality
    )


def sprint_burn_chart(flow: Flow, sprint_id: int, as_of: dt.date) -> SprintBurn:
    """The burndown and burnup of a sprint up to ``as_of`` (see ``SprintBurn``); the flow's
    quality note is ``flow.quality``."""
    return sprint_burn(flow, sprint_id, as_of)


@dataclass(frozen=True, slots=True)
class CyclePoint:
    """One finished item: the day it was done and the days it took."""

    key: str
    title: str
    done: dt.date
    days: float


@dataclass(frozen=True, slots=True)
class CycleTimeChart:
    """Cycle times of the items finished in a range, with the percentile lines."""

    start: dt.date
    end: dt.date
    points: tuple[CyclePoint, ...]
    """In the order they were done."""
    p50: float | None
    p85: float | None
    p95: float | None
    quality: DataQuality


def cycle_time_chart(flow: Flow, start: dt.date, end: dt.date) -> CycleTimeChart:
    """The cycle-time scatter of the items finished from ``start`` to ``end``.

    Items that never passed a 'doing' column have no cycle time and are not drawn.
    """
    points = sorted(
        (
            CyclePoint(item.key, item.title, done.date(), days)
            for item, done in finished_between(flow, start, end)
            if done.date() <= end and (days := cycle_days(item, done)) is not None
        ),
        key=lambda p: (p.done, p.key),
    )
    values = sorted(p.days for p in points)
    p50, p85, p95 = (percentile(values, share) if values else None for share in (0.5, 0.85, 0.95))
    return CycleTimeChart(start, end, tuple(points), p50, p85, p95, flow.quality)


@dataclass(frozen=True, slots=True)
class ThroughputWeek:
    """Items (and points) finished in one ISO week, with its label (``2024-W11``)."""

    label: str
    week_start: dt.date
    items: int
    points: float


@dataclass(frozen=True, slots=True)
class ThroughputChart:
    """Throughput per ISO week over a range: one bar per week, empty weeks included."""

    weeks: tuple[ThroughputWeek, ...]
    quality: DataQuality


def throughput_chart(flow: Flow, start: dt.date, end: dt.date) -> ThroughputChart:
    """Items finished per ISO week from ``start``'s week to ``end``'s."""
    weeks: tuple[WeekCount, ...] = throughput(flow, start, end)
    return ThroughputChart(
        tuple(
            ThroughputWeek(week_label(w.week_start), w.week_start, w.items, w.points) for w in weeks
        ),
        flow.quality,
    )


@dataclass(frozen=True, slots=True)
class AgingPoint:
    """An item in progress: how many days since it first entered a 'doing' column."""

    key: str
    title: str
    started: dt.date
    age_days: int


@dataclass(frozen=True, slots=True)
class AgingColumn:
    """A 'doing' column and the items in it, oldest first."""

    column_id: int
    name: str
    items: tuple[AgingPoint, ...]


@dataclass(frozen=True, slots=True)
class AgingChart:
    """Work in progress per 'doing' column, against the cycle-time percentiles as bands
    (an item older than the p85 band is slower than 85% of the recent finished work)."""

    as_of: dt.date
    columns: tuple[AgingColumn, ...]
    """In board order."""
    p50: float | None
    p85: float | None
    p95: float | None
    """Cycle-time percentiles (days) of the items finished in the last ``weeks`` weeks."""
    quality: DataQuality


def aging_chart(flow: Flow, as_of: dt.date, weeks: int = DEFAULT_WEEKS) -> AgingChart:
    """Aging work in progress at the end of ``as_of``, per column, with the bands of the
    cycle times of the last ``weeks`` ISO weeks."""
    start, _end = default_range(as_of, weeks)
    bands = cycle_time_chart(flow, start, as_of)
    by_column: dict[int | None, list[AgingPoint]] = {}
    for item in flow.items:
        move = item.move_on(as_of)
        started = item.started_on(as_of)
        if move is None or item.category_on(as_of) != Category.DOING or started is None:
            continue
        if not item.counts or not item.live_on(as_of):
            continue
        point = AgingPoint(item.key, item.title, started.date(), (as_of - started.date()).days)
        by_column.setdefault(move.column_id, []).append(point)
    columns = tuple(
        AgingColumn(
            c.id,
            c.name,
            tuple(sorted(by_column.get(c.id, ()), key=lambda p: (p.started, p.key))),
        )
        for c in flow.columns
        if c.category == Category.DOING
    )
    return AgingChart(as_of, columns, bands.p50, bands.p85, bands.p95, flow.quality)


@dataclass(frozen=True, slots=True)
class PercentileMark:
    """A percentile marker on the forecast histogram."""

    percentile: int
    date: dt.date | None
    """None: beyond the horizon."""


@dataclass(frozen=True, slots=True)
class ForecastChart:
    """The forecast as a histogram of finish dates with the percentile markers."""

    as_of: dt.date
    bars: tuple[DateRuns, ...]
    """Finish dates (Sundays with weekly sampling) and how many runs finished then."""
    beyond_horizon: int
    runs: int
    markers: tuple[PercentileMark, ...]
    caption: str
    """Scope, window, sampling, runs and seed in one line."""
    reason: str
    """Why there is nothing to draw ('' when there is)."""
    target: dt.date | None = None
    """The target date the forecast is held against, if there is one."""
    by_target: int = 0
    """How many runs finished on or before the target."""


def forecast_chart(forecast: Forecast) -> ForecastChart:
    """The histogram of a forecast's finish dates."""
    sample = forecast.sample
    caption = (
        f"Scope: {forecast.scope.label}, {plural(forecast.remaining_items, 'item')} left; "
        f"{forecast.runs:,} runs (seed {forecast.seed}) drawing per {sample.sampling} from "
        f"{sample.start.isoformat()} to {sample.end.isoformat()} "
        f"({plural(sample.weeks, 'ISO week')})"
    )
    when = forecast.when
    if when is None:
        return ForecastChart(forecast.as_of, (), 0, forecast.runs, (), caption, forecast.reason)
    markers = tuple(PercentileMark(p, when.at(p)) for p in PERCENTILES)
    target = forecast.target
    by_target = 0 if target is None else sum(b.runs for b in when.distribution if b.date <= target)
    return ForecastChart(
        forecast.as_of,
        when.distribution,
        when.beyond_horizon,
        forecast.runs,
        markers,
        caption,
        "",
        target,
        by_target,
    )

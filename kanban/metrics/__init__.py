"""Flow metrics, forecasts and the figures of the reports: pure functions of plain records.

No SQL and no Qt: ``kanban.services.figures`` reads the records (``records.Flow`` and the
rest) in one read transaction, these modules compute, ``kanban.reports`` and the UI show.

- ``records``: the records, and the two rules of counting (ISO weeks; nearest-rank percentiles)
- ``quality``: items whose history is missing or impossible, left out and listed
- ``flow``: throughput per ISO week, cycle time, aging, cumulative flow
- ``sprints``: burndown, velocity
- ``forecast``: Monte Carlo forecasts from past throughput
- ``status``: the figures of a status report; ``snapshot``: frozen into a status update

The names most callers need are importable from the package itself.
"""

from __future__ import annotations

from kanban.metrics.flow import (
    CATEGORIES,
    AgingItem,
    CycleTimes,
    FlowDay,
    WeekCount,
    aging,
    cumulative_flow,
    cycle_times,
    finished_between,
    in_progress,
    throughput,
)
from kanban.metrics.forecast import FORECAST_WEEKS, Forecast, forecast, weekly_sample
from kanban.metrics.records import (
    PERCENTILES,
    DataIssue,
    DataQuality,
    Flow,
    FlowColumn,
    FlowItem,
    FlowSprint,
    Move,
    SprintEntry,
    percentile,
    today_utc,
    unfinished,
    week_end,
    week_label,
    week_start,
)
from kanban.metrics.sprints import (
    Burndown,
    BurndownDay,
    SprintVelocity,
    burndown,
    sprint_items,
    velocity,
)

__all__ = [
    "CATEGORIES",
    "FORECAST_WEEKS",
    "PERCENTILES",
    "AgingItem",
    "Burndown",
    "BurndownDay",
    "CycleTimes",
    "DataIssue",
    "DataQuality",
    "Flow",
    "FlowColumn",
    "FlowDay",
    "FlowItem",
    "FlowSprint",
    "Forecast",
    "Move",
    "SprintEntry",
    "SprintVelocity",
    "WeekCount",
    "aging",
    "burndown",
    "cumulative_flow",
    "cycle_times",
    "finished_between",
    "forecast",
    "in_progress",
    "percentile",
    "sprint_items",
    "throughput",
    "today_utc",
    "unfinished",
    "velocity",
    "week_end",
    "week_label",
    "week_start",
    "weekly_sample",
]

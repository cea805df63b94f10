"""Flow metrics, forecasts and the figures of the reports: pure functions of plain records.

No SQL and no Qt: ``kanban.services.figures`` reads the records (``records.Flow`` and the
rest) in one read transaction, these modules compute, ``kanban.reports`` and the UI show.

- ``records``: the records, and the two rules of counting (ISO weeks; nearest-rank percentiles)
- ``quality``: items whose history is missing or impossible, left out and listed
- ``flow``: throughput per ISO week, cycle time, aging, cumulative flow
- ``sprints``: burndown and burnup with scope changes, velocity
- ``forecast``: Monte Carlo forecasts from past throughput
- ``charts``: the data of every chart, for ``kanban.charts``
- ``status``: the figures of a status report; ``snapshot``: frozen into a status update

The names most callers need are importable from the package itself (the forecast function
from ``kanban.metrics.forecast``, whose name it shares).
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
from kanban.metrics.forecast import (
    WINDOW_WEEKS,
    Forecast,
    Sampling,
    Scope,
    ScopeKind,
    throughput_sample,
)
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
    BurnDay,
    ScopeChange,
    SprintBurn,
    SprintVelocity,
    sprint_burn,
    sprint_items,
    velocity,
)

__all__ = [
    "CATEGORIES",
    "PERCENTILES",
    "WINDOW_WEEKS",
    "AgingItem",
    "BurnDay",
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
    "Sampling",
    "Scope",
    "ScopeChange",
    "ScopeKind",
    "SprintBurn",
    "SprintEntry",
    "SprintVelocity",
    "WeekCount",
    "aging",
    "cumulative_flow",
    "cycle_times",
    "finished_between",
    "in_progress",
    "percentile",
    "sprint_burn",
    "sprint_items",
    "throughput",
    "throughput_sample",
    "today_utc",
    "unfinished",
    "velocity",
    "week_end",
    "week_label",
    "week_start",
]

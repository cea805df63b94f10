"""Flow metrics of a product: throughput per ISO week, cycle time, aging, cumulative flow.

Pure functions of a :class:`~kanban.metrics.records.Flow`; every figure is replayed from the
moves, so it can be asked "as of" any past day.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from kanban.domain import COLUMN_CATEGORIES, Category
from kanban.metrics.records import Flow, FlowItem, days, percentile, points_of, week_start

CATEGORIES: tuple[str, ...] = COLUMN_CATEGORIES


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Items (and their points) finished in one ISO week, Monday first."""

    week_start: dt.date
    items: int
    points: float


def finished_between(
    flow: Flow, start: dt.date, end: dt.date
) -> list[tuple[FlowItem, dt.datetime]]:
    """Work items (no epics) done at the end of ``end`` that entered 'done' from ``start`` on,
    with the moment they did."""
    finished = []
    for item in flow.items:
        if item.counts:
            done = item.finished_on(end)
            if done is not None and start <= done.date():
                finished.append((item, done))
    return finished


def throughput(flow: Flow, start: dt.date, end: dt.date) -> tuple[WeekCount, ...]:
    """Items finished per ISO week, for every week from ``start``'s to ``end``'s."""
    first = week_start(start)
    weeks: dict[dt.date, list[FlowItem]] = {
        first + dt.timedelta(weeks=n): [] for n in range((week_start(end) - first).days // 7 + 1)
    }
    for item, done in finished_between(flow, start, end):
        weeks[week_start(done.date())].append(item)
    return tuple(WeekCount(week, len(done), points_of(done)) for week, done in weeks.items())


@dataclass(frozen=True, slots=True)
class CycleTimes:
    """Cycle times (first 'doing' to 'done', in days) of the items finished in a range, with
    their nearest-rank percentiles: 50% (85%, 95%) of the items took at most that long."""

    count: int
    mean_days: float | None
    p50_days: float | None
    p85_days: float | None
    p95_days: float | None


def cycle_days(item: FlowItem, done: dt.datetime) -> float | None:
    """Days from the first 'doing' column to ``done`` (None without a 'doing' column)."""
    if item.started is None:
        return None
    return (done - item.started).total_seconds() / 86400


def cycle_times(flow: Flow, start: dt.date, end: dt.date) -> CycleTimes:
    """Cycle-time statistics of the items finished from ``start`` to ``end``.

    Items that went to 'done' without passing a 'doing' column have no cycle time.
    """
    values = sorted(
        d
        for i, done in finished_between(flow, start, end)
        if (d := cycle_days(i, done)) is not None
    )
    if not values:
        return CycleTimes(0, None, None, None, None)
    return CycleTimes(
        len(values),
        statistics.fmean(values),
        percentile(values, 0.50),
        percentile(values, 0.85),
        percentile(values, 0.95),
    )


@dataclass(frozen=True, slots=True)
class AgingItem:
    """An item in progress and how long since it first entered a 'doing' column."""

    id: int
    key: str
    title: str
    started: dt.datetime
    age_days: int


def in_progress(flow: Flow, day: dt.date) -> list[FlowItem]:
    """Live items that were in a 'doing' column at the end of ``day``."""
    return [i for i in flow.items if not i.archived and i.category_on(day) == Category.DOING]


def aging(flow: Flow, today: dt.date) -> tuple[AgingItem, ...]:
    """The work in progress at the end of ``today``, oldest first."""
    wip = [
        AgingItem(i.id, i.key, i.title, i.started, (today - i.started.date()).days)
        for i in in_progress(flow, today)
        if i.started is not None
    ]
    return tuple(sorted(wip, key=lambda a: (a.started, a.id)))


@dataclass(frozen=True, slots=True)
class FlowDay:
    """How many items were in each category at the end of one day."""

    day: dt.date
    counts: tuple[int, ...]
    """One count per category, in the order of ``CATEGORIES``."""


def cumulative_flow(flow: Flow, start: dt.date, end: dt.date) -> tuple[FlowDay, ...]:
    """Items per category at the end of each day from ``start`` to ``end``.

    Work items only (no epics). An item archived unfinished was taken out of scope: it counts
    at the end of every day before the one it was archived on, and not from then on. An item
    archived once done stays in 'done'.
    """
    index = {category: n for n, category in enumerate(CATEGORIES)}
    counts = [0] * len(CATEGORIES)
    changes: dict[dt.date, list[int]] = {}

    def change(day: dt.date, category: str, delta: int) -> None:
        row = counts if day < start else changes.setdefault(day, [0] * len(CATEGORIES))
        row[index[category]] += delta

    for item in flow.items:
        if not item.counts:
            continue
        leaves: dt.date | None = None
        if item.archived and item.category != Category.DONE:
            if item.archived_at is None:
                continue  # no record of when it left: it has no place on any day
            leaves = item.archived_at.date()
        previous: str | None = None
        for at, category in item.path:
            day = at.date()
            if day > end or (leaves is not None and day >= leaves):
                break
            change(day, category, 1)
            if previous is not None:
                change(day, previous, -1)
            previous = category
        if leaves is not None and previous is not None and leaves <= end:
            change(leaves, previous, -1)
    result = []
    for day in days(start, end):
        for n, delta in enumerate(changes.get(day, ())):
            counts[n] += delta
        result.append(FlowDay(day, tuple(counts)))
    return tuple(result)

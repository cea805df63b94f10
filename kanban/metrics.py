"""Flow metrics from the transitions table: throughput, cycle time, aging, flow, forecasts.

Every figure is computed from the moves recorded in ``transitions`` (and the items' own
timestamps only for an item that has no transitions at all, such as a restored one). All
timestamps are naive UTC, so a day here is a UTC calendar day. No Qt.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanban.domain import COLUMN_CATEGORIES, Category, ItemKind, SprintState
from kanban.errors import NotFoundError
from kanban.services.common import driver_rows, find_product, to_datetime
from kanban.services.records import SprintInfo
from kanban.storage.database import Database
from kanban.storage.models import (
    BoardColumn,
    Item,
    Sprint,
    TeamMember,
    Transition,
    utcnow,
)

DOING = Category.DOING
DONE = Category.DONE
FORECAST_WEEKS = 8
FORECAST_RUNS = 1000
FORECAST_SEED = 20240101
MAX_FORECAST_WEEKS = 520  # beyond ten years a forecast says nothing useful


# --- the flow of a product's items ---------------------------------------------------------


class Move(NamedTuple):
    """An item entering a column (the first one, when the item was made)."""

    at: dt.datetime
    category: str
    column_id: int | None
    """None once the column was deleted (the category stays on record)."""


@dataclass(frozen=True, slots=True)
class FlowItem:
    """One item, where it is now, and every column it entered over time."""

    id: int
    key: str
    title: str
    kind: str
    points: float | None
    category: str
    column_id: int
    sprint_id: int | None
    archived: bool
    created: dt.datetime
    started: dt.datetime | None
    """First entry into a 'doing' column (None if it never was in one)."""
    done: dt.datetime | None
    """Entry into 'done' while the item is done (None when it is not done)."""
    moves: tuple[Move, ...]
    """Oldest first; never empty for an item read from the database."""
    settled: dt.date
    """The day of its last move: from then on, it is where it is now."""
    assignee: str | None = None
    blocked_reason: str | None = None

    @property
    def counts(self) -> bool:
        """Whether the item is work that flows (epics only group other items)."""
        return self.kind != ItemKind.EPIC

    @property
    def path(self) -> list[tuple[dt.datetime, str]]:
        """(when, category entered), oldest first; moves within one category left out."""
        path: list[tuple[dt.datetime, str]] = []
        for move in self.moves:
            if not path or path[-1][1] != move.category:
                path.append((move.at, move.category))
        return path

    def _moves_by(self, day: dt.date) -> int:
        """How many moves were made by the end of ``day``."""
        if day >= self.settled:
            return len(self.moves)
        return bisect_right(self.moves, day, key=lambda move: move.at.date())

    def move_on(self, day: dt.date) -> Move | None:
        """The column the item was in at the end of ``day`` (None before it existed)."""
        count = self._moves_by(day)
        return self.moves[count - 1] if count else None

    def category_on(self, day: dt.date) -> str | None:
        """The item's category at the end of ``day`` (None before it existed)."""
        if day >= self.settled:
            return self.category
        move = self.move_on(day)
        return move.category if move else None

    def started_on(self, day: dt.date) -> dt.datetime | None:
        """When it first entered a 'doing' column, if that was by the end of ``day``."""
        return self.started if self.started and self.started.date() <= day else None

    def finished_on(self, day: dt.date) -> dt.datetime | None:
        """When it entered 'done', if it was done at the end of ``day``."""
        if day >= self.settled:
            return self.done
        count = self._moves_by(day)
        if not count or self.moves[count - 1].category != DONE:
            return None
        while count > 1 and self.moves[count - 2].category == DONE:
            count -= 1
        return self.moves[count - 1].at


@dataclass(frozen=True, slots=True)
class Flow:
    """Everything the metrics need about one product, read in one transaction."""

    product_id: int
    product_key: str
    items: tuple[FlowItem, ...]
    sprints: tuple[SprintInfo, ...]


def _maybe_datetime(value: Any) -> dt.datetime | None:
    return None if value is None else to_datetime(value)


def read_flow(session: Session, product_id: int, product_key: str) -> Flow:
    """Read a product's items, transitions and sprints in the caller's read transaction."""
    moves: dict[int, list[Move]] = {}
    transitions = (
        select(Transition.item_id, Transition.at, Transition.to_category, Transition.to_column_id)
        .join(Item, Item.id == Transition.item_id)
        .where(Item.product_id == product_id)
        .order_by(Transition.item_id, Transition.at, Transition.id)
    )
    parse = dt.datetime.fromisoformat
    for item_id, at, category, column_id in driver_rows(session, transitions):
        history = moves.get(item_id)
        if history is None:
            history = moves[item_id] = []
        history.append(Move(parse(at) if type(at) is str else at, category, column_id))
    rows = driver_rows(
        session,
        select(
            Item.id,
            Item.number,
            Item.title,
            Item.kind,
            Item.points,
            BoardColumn.category,
            Item.column_id,
            Item.sprint_id,
            Item.archived,
            TeamMember.name,
            Item.blocked_reason,
            Item.created_at,
            Item.started_at,
            Item.done_at,
        )
        .join(BoardColumn, BoardColumn.id == Item.column_id)
        .outerjoin(TeamMember, TeamMember.id == Item.assignee_id)
        .where(Item.product_id == product_id)
        .order_by(Item.rank),
    )
    items = []
    for id_, number, title, kind, points, category, column, sprint, archived, *more in rows:
        assignee, blocked, *stamps = more
        created = to_datetime(stamps[0])
        history = moves.get(id_)
        if history:
            started = done = None
            for move in history:  # a plain loop: a generator per item cost 50 ms at 10,000
                if move.category == DOING:
                    started = move.at
                    break
            if history[-1].category == DONE:
                run = len(history) - 1
                while run and history[run - 1].category == DONE:
                    run -= 1
                done = history[run].at
        else:  # no recorded moves (a restored item): its own timestamps are all there is
            history = [Move(created, category, column)]
            started, done = _maybe_datetime(stamps[1]), _maybe_datetime(stamps[2])
        items.append(
            FlowItem(
                id_,
                f"{product_key}-{number}",
                title,
                kind,
                points,
                category,
                column,
                sprint,
                bool(archived),
                created,
                started,
                done if category == DONE else None,
                tuple(history),
                history[-1].at.date(),
                assignee,
                (blocked or "").strip() or None,
            )
        )
    sprints = session.execute(
        select(
            Sprint.id,
            Sprint.product_id,
            Sprint.name,
            Sprint.goal,
            Sprint.start_date,
            Sprint.end_date,
            Sprint.state,
        )
        .where(Sprint.product_id == product_id)
        .order_by(Sprint.id)
    )
    return Flow(product_id, product_key, tuple(items), tuple(SprintInfo(*r) for r in sprints))


def load_flow(db: Database, product_ref: str | int) -> Flow:
    """Read a product's flow (by id, key or name) in one read transaction."""
    with db.read() as session:
        product = find_product(session, product_ref)
        return read_flow(session, product.id, product.key)


def today_utc() -> dt.date:
    """Today's date in UTC, the calendar every metric uses."""
    return utcnow().date()


def _points(items: Iterable[FlowItem]) -> float:
    return float(sum(i.points or 0 for i in items))


def week_start(day: dt.date) -> dt.date:
    """The Monday of a day's calendar week."""
    return day - dt.timedelta(days=day.weekday())


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of an ascending, non-empty list."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


# --- throughput, cycle time, aging ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Items (and their points) finished in one calendar week, Monday first."""

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
    """Items finished per calendar week, for every week from ``start``'s to ``end``'s."""
    first = week_start(start)
    weeks = {
        first + dt.timedelta(weeks=n): [] for n in range((week_start(end) - first).days // 7 + 1)
    }
    for item, done in finished_between(flow, start, end):
        weeks[week_start(done.date())].append(item)
    return tuple(WeekCount(week, len(done), _points(done)) for week, done in weeks.items())


@dataclass(frozen=True, slots=True)
class CycleTimes:
    """Cycle times (first 'doing' to 'done', in days) of the items finished in a range."""

    count: int
    mean_days: float | None
    median_days: float | None
    p85_days: float | None


def cycle_times(flow: Flow, start: dt.date, end: dt.date) -> CycleTimes:
    """Cycle-time statistics of the items finished from ``start`` to ``end``.

    Items that went to 'done' without passing a 'doing' column have no cycle time.
    """
    days = sorted(
        (done - i.started).total_seconds() / 86400
        for i, done in finished_between(flow, start, end)
        if i.started is not None
    )
    if not days:
        return CycleTimes(0, None, None, None)
    return CycleTimes(
        len(days), statistics.fmean(days), statistics.median(days), _percentile(days, 0.85)
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
    return [i for i in flow.items if not i.archived and i.category_on(day) == DOING]


def aging(flow: Flow, today: dt.date) -> tuple[AgingItem, ...]:
    """The work in progress at the end of ``today``, oldest first."""
    wip = [
        AgingItem(i.id, i.key, i.title, i.started, (today - i.started.date()).days)
        for i in in_progress(flow, today)
        if i.started is not None
    ]
    return tuple(sorted(wip, key=lambda a: (a.started, a.id)))


# --- cumulative flow -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlowDay:
    """How many items were in each category at the end of one day."""

    day: dt.date
    counts: tuple[int, ...]
    """One count per category, in the order of ``CATEGORIES``."""


CATEGORIES: tuple[str, ...] = COLUMN_CATEGORIES


def cumulative_flow(flow: Flow, start: dt.date, end: dt.date) -> tuple[FlowDay, ...]:
    """Items per category at the end of each day from ``start`` to ``end``.

    Work items only (no epics); archived items count only if they were done (an item archived
    unfinished was taken out of scope, so it leaves the chart altogether).
    """
    index = {category: n for n, category in enumerate(CATEGORIES)}
    counts = [0] * len(CATEGORIES)
    changes: dict[dt.date, list[int]] = {}
    for item in flow.items:
        if not item.counts or (item.archived and item.category != DONE):
            continue
        previous: str | None = None
        for at, category in item.path:
            day = at.date()
            if day > end:
                break
            delta = counts if day < start else changes.setdefault(day, [0] * len(CATEGORIES))
            delta[index[category]] += 1
            if previous is not None:
                delta[index[previous]] -= 1
            previous = category
    result = []
    for day in _days(start, end):
        for n, change in enumerate(changes.get(day, ())):
            counts[n] += change
        result.append(FlowDay(day, tuple(counts)))
    return tuple(result)


# --- sprints -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BurndownDay:
    """What was left of a sprint at the end of one day, and the straight line to zero."""

    day: dt.date
    remaining_points: float
    remaining_items: int
    ideal_points: float


@dataclass(frozen=True, slots=True)
class Burndown:
    """A sprint's burndown from its start to its end or today, whichever comes first."""

    sprint: SprintInfo
    total_points: float
    total_items: int
    days: tuple[BurndownDay, ...]


def _sprint(flow: Flow, sprint_id: int) -> SprintInfo:
    sprint = next((s for s in flow.sprints if s.id == sprint_id), None)
    if sprint is None:
        raise NotFoundError(f"No sprint with id {sprint_id} in {flow.product_key}")
    return sprint


def sprint_items(flow: Flow, sprint_id: int) -> list[FlowItem]:
    """The live work items planned into a sprint."""
    return [i for i in flow.items if i.sprint_id == sprint_id and i.counts and not i.archived]


def burndown(flow: Flow, sprint_id: int, today: dt.date) -> Burndown:
    """Remaining points and items of a sprint per day (its current scope, by done dates)."""
    sprint = _sprint(flow, sprint_id)
    items = sprint_items(flow, sprint_id)
    total = _points(items)
    if sprint.start_date is None or sprint.end_date is None:
        return Burndown(sprint, total, len(items), ())
    length = max(1, (sprint.end_date - sprint.start_date).days)
    days = []
    for day in _days(sprint.start_date, min(sprint.end_date, today)):
        left = [i for i in items if i.finished_on(day) is None]
        ideal = total * max(0.0, 1 - (day - sprint.start_date).days / length)
        days.append(BurndownDay(day, _points(left), len(left), ideal))
    return Burndown(sprint, total, len(items), tuple(days))


@dataclass(frozen=True, slots=True)
class SprintVelocity:
    """Points and items a closed sprint finished."""

    sprint_id: int
    name: str
    end_date: dt.date | None
    points: float
    items: int


def velocity(flow: Flow) -> tuple[SprintVelocity, ...]:
    """Points done per closed sprint, oldest first (per week: see :func:`throughput`)."""
    result = []
    for sprint in flow.sprints:
        if sprint.state != SprintState.CLOSED:
            continue
        done = [i for i in flow.items if i.sprint_id == sprint.id and i.counts and i.done]
        result.append(
            SprintVelocity(sprint.id, sprint.name, sprint.end_date, _points(done), len(done))
        )
    return tuple(result)


# --- forecast ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Forecast:
    """When the unfinished work items should be done, from recent weekly throughput.

    The Monte Carlo draws weeks at random from the last weeks' throughput (fixed seed, so the
    same data gives the same dates); 50% and 85% of the simulated futures finish by the dates.
    """

    as_of: dt.date
    remaining_items: int
    remaining_points: float
    unestimated_items: int
    weekly_throughput: tuple[int, ...]
    """Items finished in each of the last 7-day windows, oldest first."""
    mean_per_week: float
    finish_at_mean: dt.date | None
    finish_50: dt.date | None
    finish_85: dt.date | None
    target: dt.date | None
    delay_days: int | None
    """Days the 85% date falls after the target (negative: ahead of it)."""


def weekly_sample(flow: Flow, today: dt.date, weeks: int = FORECAST_WEEKS) -> tuple[int, ...]:
    """Items finished in each of the last ``weeks`` 7-day windows ending today, oldest first.

    Windows before the product's first item are left out, so a young product is not
    judged by weeks in which nobody worked on it.
    """
    first = min((i.created.date() for i in flow.items if i.created.date() <= today), default=None)
    if first is None:
        return ()
    weeks = max(1, min(weeks, (today - first).days // 7 + 1))
    counts = [0] * weeks
    for _item, done in finished_between(flow, today - dt.timedelta(days=7 * weeks - 1), today):
        counts[weeks - 1 - (today - done.date()).days // 7] += 1
    return tuple(counts)


def unfinished(item: FlowItem, day: dt.date) -> bool:
    """Whether the item existed and was not done at the end of ``day``."""
    return item.category_on(day) not in (None, DONE)


def _simulate(sample: tuple[int, ...], remaining: int, runs: int, seed: int) -> list[int]:
    """Weeks each simulated future needs to finish ``remaining`` items (capped), ascending."""
    rng = random.Random(seed)
    chunk = min(MAX_FORECAST_WEEKS, math.ceil(remaining / statistics.fmean(sample)) + 4)
    results = []
    for _ in range(runs):
        done = weeks = 0
        while weeks < MAX_FORECAST_WEEKS:
            totals = list(accumulate(rng.choices(sample, k=chunk), initial=done))[1:]
            reached = bisect_left(totals, remaining)
            if reached < chunk:
                weeks += reached + 1
                break
            done, weeks = totals[-1], weeks + chunk
        results.append(min(weeks, MAX_FORECAST_WEEKS + 1))
    return sorted(results)


def forecast(
    flow: Flow,
    today: dt.date,
    *,
    target: dt.date | None = None,
    weeks: int = FORECAST_WEEKS,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> Forecast:
    """Forecast, as of the end of ``today``, when the unfinished live work items will be done.

    ``finish_at_mean`` divides the remaining items by the mean weekly throughput;
    ``finish_50``/``finish_85`` come from a Monte Carlo over the last ``weeks`` weeks. Dates
    are None when nothing was finished in those weeks or the answer lies past ten years.
    """
    open_items = [i for i in flow.items if i.counts and not i.archived and unfinished(i, today)]
    remaining = len(open_items)
    sample = weekly_sample(flow, today, weeks)
    mean = statistics.fmean(sample) if sample else 0.0

    def after(weeks_needed: float) -> dt.date | None:
        if weeks_needed > MAX_FORECAST_WEEKS:
            return None
        return today + dt.timedelta(days=math.ceil(7 * weeks_needed))

    if remaining == 0:
        at_mean = p50 = p85 = today
    elif mean == 0:
        at_mean = p50 = p85 = None
    else:
        at_mean = after(remaining / mean)
        futures = _simulate(sample, remaining, runs, seed)
        p50 = after(_percentile(futures, 0.50))
        p85 = after(_percentile(futures, 0.85))
    delay = (p85 - target).days if p85 is not None and target is not None else None
    return Forecast(
        as_of=today,
        remaining_items=remaining,
        remaining_points=_points(open_items),
        unestimated_items=sum(1 for i in open_items if i.points is None),
        weekly_throughput=sample,
        mean_per_week=mean,
        finish_at_mean=at_mean,
        finish_50=p50,
        finish_85=p85,
        target=target,
        delay_days=delay,
    )

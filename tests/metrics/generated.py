"""Generated histories whose answers are known exactly: plain flow records, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kanban.domain import Category, ItemKind
from kanban.metrics.records import Flow, FlowColumn, FlowItem, Move

COLUMNS = (
    FlowColumn(1, "Backlog", Category.BACKLOG, 1),
    FlowColumn(2, "To Do", Category.TODO, 2),
    FlowColumn(3, "In Progress", Category.DOING, 3),
    FlowColumn(4, "Done", Category.DONE, 4),
)
COLUMN = {c.category: c.id for c in COLUMNS}
ORIGIN = dt.datetime(2023, 1, 2, 9)  # a Monday, long before every generated week


def item(
    number: int,
    path: list[tuple[dt.datetime, str]],
    *,
    created: dt.datetime | None = None,
    points: float | None = 1.0,
    kind: str = ItemKind.STORY,
    **extra: object,
) -> FlowItem:
    """An item that went through the categories of ``path`` (when, category), oldest first."""
    moves = tuple(Move(at, category, COLUMN[category]) for at, category in path)
    started = next((m.at for m in moves if m.category == Category.DOING), None)
    done = moves[-1].at if moves[-1].category == Category.DONE else None
    return FlowItem(
        id=number,
        key=f"GEN-{number}",
        title=f"Item {number}",
        kind=kind,
        points=points,
        category=moves[-1].category,
        column_id=COLUMN[moves[-1].category],
        sprint_id=None,
        archived=False,
        created=created or moves[0].at,
        started=started,
        done=done,
        moves=moves,
        settled=moves[-1].at.date(),
        **extra,  # type: ignore[arg-type]
    )


def flow_of(done_per_day: Mapping[dt.date, int], open_items: int, cycle_days: int = 2) -> Flow:
    """A product whose items were finished ``done_per_day[day]`` at a time, each after
    ``cycle_days`` in progress, with ``open_items`` still in the backlog."""
    items = []
    number = 0
    for day, count in sorted(done_per_day.items()):
        finished = dt.datetime.combine(day, dt.time(15))
        for _ in range(count):
            number += 1
            started = finished - dt.timedelta(days=cycle_days)
            items.append(
                item(
                    number,
                    [
                        (ORIGIN, Category.BACKLOG),
                        (started, Category.DOING),
                        (finished, Category.DONE),
                    ],
                )
            )
    for _ in range(open_items):
        number += 1
        items.append(item(number, [(ORIGIN, Category.BACKLOG)]))
    return Flow(1, "GEN", tuple(items), (), COLUMNS)


def weekly(counts: list[int], last_sunday: dt.date, weekday: int = 2) -> dict[dt.date, int]:
    """``counts[i]`` items finished on one day of each ISO week, the last week ending on
    ``last_sunday`` (``weekday``: 0 Monday ... 6 Sunday)."""
    assert last_sunday.weekday() == 6
    first_monday = last_sunday - dt.timedelta(days=7 * len(counts) - 1)
    return {
        first_monday + dt.timedelta(weeks=n, days=weekday): c for n, c in enumerate(counts) if c
    }

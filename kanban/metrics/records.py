"""The plain records every figure is computed from, and the app's two rules of counting.

**Weeks** are ISO weeks, Monday to Sunday (``week_start``, ``week_label``); **percentiles** are
nearest rank on the sorted values (``percentile``): the p-th percentile of n values is the
``ceil(p/100 * n)``-th smallest, never an interpolation. Metrics, reports, the command line and
the UI all count this way. Timestamps are naive UTC, so a day is a UTC calendar day.

The services read these records (``kanban.services.figures``) in one read transaction; nothing
here touches a database.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from kanban.domain import Category, ItemKind
from kanban.domain import today_utc as today_utc  # the calendar's rule lives in the domain

PERCENTILES: tuple[int, ...] = (50, 70, 85, 95)
"""The percentiles every forecast states."""


# --- the two rules -------------------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    """The Monday of a day's ISO week."""
    return day - dt.timedelta(days=day.weekday())


def week_end(day: dt.date) -> dt.date:
    """The Sunday of a day's ISO week."""
    return week_start(day) + dt.timedelta(days=6)


def week_label(day: dt.date) -> str:
    """A day's ISO week as ``2024-W11``."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of an ascending, non-empty list (``share`` 0.85 for p85)."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values) - 1e-9) - 1)]


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def points_of(items: Iterable[FlowItem]) -> float:
    """The story points of items (unestimated ones count 0)."""
    return float(sum(i.points or 0 for i in items))


# --- the flow of a product's items ---------------------------------------------------------


class Move(NamedTuple):
    """An item entering a column (the first one, when the item was made)."""

    at: dt.datetime
    category: str
    column_id: int | None
    """None once the column was deleted (the category stays on record)."""


class FlowItem(NamedTuple):
    """One item, where it is now, and every column it entered over time.

    A named tuple, not a dataclass: a forecast reads 10,000 of them, and a frozen dataclass
    took 40 ms of that to build (one ``object.__setattr__`` per field).
    """

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
    epic_id: int | None = None
    release_id: int | None = None
    archived_at: dt.datetime | None = None
    """When an archived item was archived (its last 'archived' activity), if known."""

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

    def live_on(self, day: dt.date) -> bool:
        """Whether the item existed and was not archived at the end of ``day``."""
        if self.created.date() > day:
            return False
        if not self.archived:
            return True
        return self.archived_at is not None and self.archived_at.date() > day

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
        if not count or self.moves[count - 1].category != Category.DONE:
            return None
        while count > 1 and self.moves[count - 2].category == Category.DONE:
            count -= 1
        return self.moves[count - 1].at


def unfinished(item: FlowItem, day: dt.date) -> bool:
    """Whether the item existed and was not done at the end of ``day``."""
    return item.category_on(day) not in (None, Category.DONE)


@dataclass(frozen=True, slots=True)
class FlowSprint:
    """A sprint as the figures see it."""

    id: int
    name: str
    goal: str
    start_date: dt.date | None
    end_date: dt.date | None
    state: str


@dataclass(frozen=True, slots=True)
class SprintEntry:
    """An item's time in a sprint's scope (``sprint_entries``): added, and maybe taken out."""

    sprint_id: int
    item_id: int
    added_at: dt.datetime
    removed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class FlowColumn:
    """A board column: its name for the reports, its category for the figures."""

    id: int
    name: str
    category: str
    position: int


class Problem(StrEnum):
    """What is wrong with an item's recorded history (see ``kanban.metrics.quality``)."""

    MISSING = "missing"
    """No move recorded and no timestamp for where it is (e.g. done without a done date)."""
    DONE_BEFORE_CREATED = "done_before_created"
    MOVED_BEFORE_CREATED = "moved_before_created"
    NEGATIVE_TIME = "negative_time"
    """Finished before it started."""
    OUT_OF_ORDER = "out_of_order"
    """Moves recorded in an order their times contradict."""


PROBLEM_TEXT = {
    Problem.MISSING: "history missing",
    Problem.DONE_BEFORE_CREATED: "done before it was created",
    Problem.MOVED_BEFORE_CREATED: "moved before it was created",
    Problem.NEGATIVE_TIME: "finished before it started",
    Problem.OUT_OF_ORDER: "moves recorded out of order",
}


@dataclass(frozen=True, slots=True)
class DataIssue:
    """One item left out of the figures, and why."""

    item_id: int
    key: str
    title: str
    problem: str
    """A :class:`Problem` value."""
    detail: str


@dataclass(frozen=True, slots=True)
class DataQuality:
    """The items whose history is missing or impossible: counted, listed, left out."""

    checked: int
    """Items looked at (the good and the bad)."""
    issues: tuple[DataIssue, ...] = ()

    @property
    def count(self) -> int:
        """How many items were left out."""
        return len(self.issues)

    def note(self) -> str:
        """One sentence for a report or a chart ('' when every history is sound)."""
        if not self.issues:
            return ""
        shown = ", ".join(
            f"{i.key} ({PROBLEM_TEXT.get(Problem(i.problem), i.problem)})" for i in self.issues[:5]
        )
        more = f" and {len(self.issues) - 5} more" if len(self.issues) > 5 else ""
        verb, whose = ("is", "its") if len(self.issues) == 1 else ("are", "their")
        return (
            f"{len(self.issues)} of {self.checked} items {verb} left out of the figures because "
            f"{whose} history is missing or impossible: {shown}{more}."
        )


@dataclass(frozen=True, slots=True)
class Flow:
    """Everything the flow metrics need about one product, read in one transaction.

    ``items`` are in rank order and hold only items with a sound history; the others are in
    ``quality`` (see :func:`kanban.metrics.quality.screened`).
    """

    product_id: int
    product_key: str
    items: tuple[FlowItem, ...]
    sprints: tuple[FlowSprint, ...]
    columns: tuple[FlowColumn, ...] = ()
    sprint_entries: tuple[SprintEntry, ...] = ()
    quality: DataQuality = DataQuality(0)

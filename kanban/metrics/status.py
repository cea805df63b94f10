"""The figures of a status report: what was done, in progress, blocked, added and removed in a
period, the team's questions, the running sprint, the outlook. Frozen into a status update when
it is saved, so a past update's report shows what was true then.

A pure function of :class:`StatusInputs`, which ``kanban.services.figures`` reads in one
transaction; ``kanban.reports`` renders the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

from kanban.domain import QuestionState, SprintState, question_age
from kanban.metrics import flow as flow_metrics
from kanban.metrics.forecast import Forecast, forecast
from kanban.metrics.history import TargetChangeRecord, target_on
from kanban.metrics.records import DataQuality, Flow, FlowItem, points_of, unfinished
from kanban.metrics.sprints import sprint_items

LIST_LIMIT = 50
"""Rows shown per section of a report; counts and point totals always cover every item."""
ARCHIVED = "archived"
DELETED = "deleted"
"""The activity actions that take an item out of scope."""


# --- what the services read ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """A question of the team as stored (any state)."""

    id: int
    text: str
    item_key: str | None
    asked_by: str | None
    urgency: str
    state: str
    asked_at: dt.datetime
    answer: str
    answered_by: str
    answered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class RemovalEvent:
    """An item archived or deleted (an activity row): when, which, and its "KEY title"."""

    at: dt.datetime
    action: str
    """``archived`` or ``deleted``."""
    item_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class NotReadyRow:
    """An item of the sprint that does not meet the Definition of Ready, and why."""

    key: str
    title: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BlockedChain:
    """Unfinished items each waiting on the next: ``keys[0]`` waits on ``keys[1]``..."""

    keys: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Refinement:
    """Where refinement stands (as it is when the report is made: readiness has no history):
    the items of the running (else the next) sprint that are not Ready, and the chains of
    unfinished items blocked by unfinished items."""

    sprint: str | None = None
    not_ready: tuple[NotReadyRow, ...] = ()
    not_ready_count: int = 0
    chains: tuple[BlockedChain, ...] = ()
    recorded: bool = True
    """False in an update saved before reports showed refinement."""


@dataclass(frozen=True, slots=True)
class StatusInputs:
    """Everything a status report takes from the database, as plain records."""

    flow: Flow
    questions: tuple[QuestionRecord, ...]
    removals: tuple[RemovalEvent, ...]
    """Oldest first."""
    target: dt.date | None
    """The product's target date now."""
    target_changes: tuple[TargetChangeRecord, ...] = ()
    """Its history, oldest first: the figures of a past day hold it to the target of then."""
    refinement: Refinement = Refinement()


# --- what a report shows -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One item as a report lists it (dates are UTC days)."""

    key: str
    title: str
    kind: str
    column: str
    points: float | None
    assignee: str | None
    blocked_reason: str | None
    created: dt.date | None
    started: dt.date | None
    done: dt.date | None
    age_days: int | None
    """Days since it first entered a 'doing' column, while unfinished."""

    @property
    def cycle_days(self) -> int | None:
        """Days from the first 'doing' column to 'done', for a finished item."""
        if self.started is None or self.done is None:
            return None
        return (self.done - self.started).days


@dataclass(frozen=True, slots=True)
class ItemList:
    """A section of items: the first ``LIST_LIMIT`` of them, and figures over all of them."""

    items: tuple[ReportItem, ...]
    count: int
    points: float

    @property
    def more(self) -> int:
        """How many items the section counts but does not list."""
        return self.count - len(self.items)


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """A question of the team, open or answered."""

    id: int
    text: str
    item_key: str | None
    asked_by: str | None
    urgency: str
    asked_on: dt.date
    days_open: int
    """Days from asking to the answer, or to the report's day while open."""
    answer: str
    answered_by: str
    answered_on: dt.date | None


@dataclass(frozen=True, slots=True)
class QuestionList:
    """Questions oldest first: the first ``LIST_LIMIT`` and how many there are."""

    items: tuple[QuestionRow, ...]
    count: int

    @property
    def more(self) -> int:
        """How many questions the section counts but does not list."""
        return self.count - len(self.items)

    @property
    def oldest_days(self) -> int | None:
        """Days the oldest question has been waiting (None without questions)."""
        return max((q.days_open for q in self.items), default=None)


@dataclass(frozen=True, slots=True)
class SprintProgress:
    """The running sprint: its work items done and planned."""

    name: str
    goal: str
    start_date: dt.date | None
    end_date: dt.date | None
    days_left: int | None
    done_points: float
    total_points: float
    done_items: int
    total_items: int


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything a report takes from the data; frozen into a status update when it is saved."""

    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    done: ItemList
    in_progress: ItemList
    blocked: ItemList
    added: ItemList
    removed: ItemList
    open_questions: QuestionList
    answered_questions: QuestionList
    sprint: SprintProgress | None
    forecast: Forecast
    """The backlog's forecast as of the day, against the product's target."""
    throughput: tuple[flow_metrics.WeekCount, ...]
    """Per ISO week from the forecast window's first week to the day's own (partial) week: the
    window's weeks are exactly the forecast's sample."""
    cycle_time: flow_metrics.CycleTimes
    """Of the items finished from the window's first day to the day."""
    quality: DataQuality
    """The items left out of every figure above, and why."""
    refinement: Refinement = Refinement()


# --- computing them ------------------------------------------------------------------------


class ReportRows(Mapping[int, ReportItem]):
    """Every item of the flow (archived ones too) as a report row as of ``today``, by id, each
    row made when first asked for: a report lists a few hundred of 10,000 items (only the CSV
    lists them all), and a row took 4 us to make.

    Columns and dates are replayed from the moves; the other fields (title, points, assignee,
    blocked reason) have no history and are as they are now.
    """

    __slots__ = ("_columns", "_flow", "_items", "_made", "_today")

    def __init__(self, flow: Flow, today: dt.date) -> None:
        self._flow = flow
        self._today = today
        self._columns = {c.id: c.name for c in flow.columns}
        self._items: dict[int, FlowItem] | None = None  # by id, once a row is asked for
        self._made: dict[int, ReportItem] = {}

    def __getitem__(self, item_id: int) -> ReportItem:
        row = self._made.get(item_id)
        if row is None:
            if self._items is None:
                self._items = {i.id: i for i in self._flow.items}
            row = self._made[item_id] = self._row(self._items[item_id])
        return row

    def __iter__(self) -> Iterator[int]:
        return (i.id for i in self._flow.items)

    def __len__(self) -> int:
        return len(self._flow.items)

    def _row(self, item: FlowItem) -> ReportItem:
        today = self._today
        if today >= item.settled:  # where it is now: the common case, kept cheap
            column, started, done = self._columns.get(item.column_id, ""), item.started, item.done
        else:
            move = item.move_on(today)
            column = self._columns.get(move.column_id or 0, move.category) if move else ""
            started, done = item.started_on(today), item.finished_on(today)
        return ReportItem(
            key=item.key,
            title=item.title,
            kind=item.kind,
            column=column,
            points=item.points,
            assignee=item.assignee,
            blocked_reason=item.blocked_reason,
            created=item.created.date(),
            started=started.date() if started else None,
            done=done.date() if done else None,
            age_days=(today - started.date()).days if started and not done else None,
        )


def report_rows(flow: Flow, today: dt.date) -> ReportRows:
    """Every item of the flow as a report row as of ``today``, by id (see :class:`ReportRows`)."""
    return ReportRows(flow, today)


class LiveRows(Sequence[ReportItem]):
    """The rows of the live items that existed by ``today``, in priority order (for the CSV),
    made when first used."""

    __slots__ = ("_flow", "_made", "_rows", "_today")

    def __init__(self, flow: Flow, rows: Mapping[int, ReportItem], today: dt.date) -> None:
        self._flow, self._rows, self._today = flow, rows, today
        self._made: tuple[ReportItem, ...] | None = None

    def _all(self) -> tuple[ReportItem, ...]:
        if self._made is None:
            today, rows = self._today, self._rows
            self._made = tuple(
                rows[i.id] for i in self._flow.items if not i.archived and i.created.date() <= today
            )
        return self._made

    @overload
    def __getitem__(self, index: int) -> ReportItem: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[ReportItem, ...]: ...

    def __getitem__(self, index: int | slice) -> ReportItem | tuple[ReportItem, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[ReportItem]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LiveRows):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"LiveRows({self._all()!r})"


def live_rows(flow: Flow, rows: Mapping[int, ReportItem], today: dt.date) -> LiveRows:
    """The rows of the live items that existed by ``today``, in priority order (for the CSV),
    made when first used (see :class:`LiveRows`)."""
    return LiveRows(flow, rows, today)


def _section(items: Iterable[ReportItem]) -> ItemList:
    every = list(items)
    points = float(sum(i.points or 0 for i in every))
    return ItemList(tuple(every[:LIST_LIMIT]), len(every), points)


def _item_section(items: Sequence[FlowItem], rows: Mapping[int, ReportItem]) -> ItemList:
    """The section of these items: only the rows it lists are made (a row's points are its
    item's)."""
    return ItemList(tuple(rows[i.id] for i in items[:LIST_LIMIT]), len(items), points_of(items))


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment else None


def _bounds(period: tuple[dt.date, dt.date]) -> tuple[dt.datetime, dt.datetime]:
    """The period as [first moment, first moment after it)."""
    start, end = period
    low = dt.datetime.combine(start, dt.time())
    return low, dt.datetime.combine(end + dt.timedelta(days=1), dt.time())


def status_figures(
    inputs: StatusInputs,
    period: tuple[dt.date, dt.date],
    today: dt.date,
    rows: Mapping[int, ReportItem] | None = None,
) -> Figures:
    """The figures of a period, as of the end of ``today`` (``rows``: ``report_rows``'s)."""
    flow = inputs.flow
    rows = report_rows(flow, today) if rows is None else rows
    start, end = period

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= min(end, today)

    done = sorted(
        (i for i in flow.items if within(_day(i.finished_on(today)))),
        key=lambda i: (i.finished_on(today), i.id),
    )
    doing = sorted(
        flow_metrics.in_progress(flow, today), key=lambda i: (i.started or dt.datetime.max, i.id)
    )
    blocked = [
        i for i in flow.items if not i.archived and unfinished(i, today) and i.blocked_reason
    ]
    added = sorted((i for i in flow.items if within(i.created.date())), key=lambda i: i.created)
    outlook = forecast(flow, today, target=target_on(inputs.target_changes, inputs.target, today))
    window_start = min(outlook.sample.start, today)
    return Figures(
        as_of=today,
        period_start=start,
        period_end=end,
        done=_item_section(done, rows),
        in_progress=_item_section(doing, rows),
        blocked=_item_section(blocked, rows),
        added=_item_section(added, rows),
        removed=_section(_removed(inputs, rows, period)),
        open_questions=_open_questions(inputs.questions, today),
        answered_questions=_answered_questions(inputs.questions, period),
        refinement=inputs.refinement,
        sprint=sprint_progress(flow, today),
        forecast=outlook,
        throughput=flow_metrics.throughput(flow, window_start, today),
        cycle_time=flow_metrics.cycle_times(flow, window_start, today),
        quality=flow.quality,
    )


def _removed(
    inputs: StatusInputs, rows: Mapping[int, ReportItem], period: tuple[dt.date, dt.date]
) -> list[ReportItem]:
    """Items archived in the period (and still archived), and items deleted in it."""
    low, high = _bounds(period)
    archived = {i.id for i in inputs.flow.items if i.archived}
    live_keys = {i.key for i in inputs.flow.items} | {i.key for i in inputs.flow.quality.issues}
    removed: dict[str, ReportItem] = {}
    for event in inputs.removals:
        if not low <= event.at < high:
            continue
        if event.action == ARCHIVED and event.item_id in archived:
            row = rows[event.item_id]
            removed[row.key] = row
        elif event.action == DELETED:
            # The item is gone; its activity row keeps "KEY title" (unless it was restored).
            key, _, title = event.detail.partition(" ")
            if key not in live_keys:
                removed[key] = ReportItem(
                    key=key,
                    title=title,
                    kind="",
                    column="(deleted)",
                    points=None,
                    assignee=None,
                    blocked_reason=None,
                    created=None,
                    started=None,
                    done=None,
                    age_days=None,
                )
    return list(removed.values())


def question_row(
    q: QuestionRecord, today: dt.date, answered_after: dt.datetime | None = None
) -> QuestionRow:
    """A question as a row; an answer given after ``answered_after`` is left out (not yet)."""
    answer, by, answered = q.answer, q.answered_by, q.answered_at
    if answered_after is not None and answered is not None and answered >= answered_after:
        answer, by, answered = "", "", None
    return QuestionRow(
        id=q.id,
        text=q.text,
        item_key=q.item_key,
        asked_by=q.asked_by,
        urgency=q.urgency,
        asked_on=q.asked_at.date(),
        days_open=question_age(q.asked_at, answered, q.state, today),
        answer=answer,
        answered_by=by,
        answered_on=answered.date() if answered is not None else None,
    )


def _question_list(rows: list[QuestionRow]) -> QuestionList:
    return QuestionList(tuple(rows[:LIST_LIMIT]), len(rows))


def _open_questions(questions: Iterable[QuestionRecord], today: dt.date) -> QuestionList:
    """Questions open at the end of ``today``: asked by then, and unanswered then."""
    _low, high = _bounds((today, today))
    waiting = sorted(
        (
            q
            for q in questions
            if q.asked_at < high
            and (
                q.state == QuestionState.OPEN
                or (
                    q.state == QuestionState.ANSWERED
                    and q.answered_at is not None
                    and q.answered_at >= high
                )
            )
        ),
        key=lambda q: (q.asked_at, q.id),
    )
    return _question_list([question_row(q, today, answered_after=high) for q in waiting])


def _answered_questions(
    questions: Iterable[QuestionRecord], period: tuple[dt.date, dt.date]
) -> QuestionList:
    low, high = _bounds(period)
    answered = sorted(
        (
            q
            for q in questions
            if q.state == QuestionState.ANSWERED
            and q.answered_at is not None
            and low <= q.answered_at < high
        ),
        key=lambda q: (q.answered_at or low, q.id),
    )
    return _question_list([question_row(q, period[1]) for q in answered])


def sprint_progress(flow: Flow, today: dt.date) -> SprintProgress | None:
    """The sprint running at the end of ``today``: started by then, and active or not over."""
    running = [
        s
        for s in flow.sprints
        if s.start_date is not None
        and s.start_date <= today
        and (s.state == SprintState.ACTIVE or (s.end_date is not None and today <= s.end_date))
    ]
    if not running:
        return None
    sprint = max(running, key=lambda s: (s.start_date or today, s.id))
    items = sprint_items(flow, sprint.id)
    done: list[FlowItem] = [i for i in items if i.finished_on(today) is not None]
    days_left = max(0, (sprint.end_date - today).days) if sprint.end_date else None
    return SprintProgress(
        name=sprint.name,
        goal=sprint.goal,
        start_date=sprint.start_date,
        end_date=sprint.end_date,
        days_left=days_left,
        done_points=points_of(done),
        total_points=points_of(items),
        done_items=len(done),
        total_items=len(items),
    )

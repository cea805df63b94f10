"""The status report: one model, built from the database or from an update's frozen figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanban import metrics
from kanban.domain import QuestionState, SprintState
from kanban.errors import NotFoundError
from kanban.reports.snapshot import decode, encode
from kanban.services.common import find_product, get_row
from kanban.storage.database import Database
from kanban.storage.models import (
    Activity,
    BoardColumn,
    Item,
    Product,
    Question,
    Stakeholder,
    StatusUpdate,
    TeamMember,
    status_update_recipients,
)

HEALTH_UNKNOWN = "unknown"
DEFAULT_PERIOD_DAYS = 14
LIST_LIMIT = 50
"""Rows shown per section of a report; counts and point totals always cover every item."""
SNAPSHOT_SCHEMA = 1
TREND_WEEKS = metrics.FORECAST_WEEKS


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
    forecast: metrics.Forecast
    throughput: tuple[metrics.WeekCount, ...]
    cycle_time: metrics.CycleTimes


@dataclass(frozen=True, slots=True)
class UpdateText:
    """What the product owner wrote: health, headline and the narrative, and for whom."""

    health: str
    headline: str = ""
    progress: str = ""
    problems: str = ""
    schedule_outlook: str = ""
    next_steps: str = ""
    recipients: tuple[str, ...] = ()
    id: int | None = None
    """The saved update's id (None for a draft)."""
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class StatusReport:
    """A status report of one product, ready for any renderer."""

    product_key: str
    product_name: str
    update: UpdateText | None
    figures: Figures
    items: tuple[ReportItem, ...]
    """Every live item in priority order; for a frozen update, the items its figures name."""
    frozen: bool
    """Whether the figures are those frozen into the update when it was saved."""
    note: str = ""

    @property
    def health(self) -> str:
        """The update's health, or 'unknown' without an update."""
        return self.update.health if self.update else HEALTH_UNKNOWN


# --- building ------------------------------------------------------------------------------


def build_status_report(
    db: Database,
    product_ref: str | int,
    update_id: int | None = None,
    today: dt.date | None = None,
) -> StatusReport:
    """The report of a status update (``update_id``, else the product's latest one).

    A saved update shows the figures frozen into it, what was true then. Without any
    update, the report covers the last 14 days from today's data, health unknown.
    """
    today = today or metrics.today_utc()
    with db.read() as session:
        product = find_product(session, product_ref)
        update = _find_update(session, product.id, update_id)
        if update is None:
            period = (today - dt.timedelta(days=DEFAULT_PERIOD_DAYS), today)
            return _live_report(session, product, None, period, today)
        text = _update_text(session, update)
        figures = _frozen_figures(update.snapshot)
        if figures is None:
            note = (
                "This update was saved without frozen figures: the figures below are "
                f"computed from the data as of {today.isoformat()}."
            )
            period = (update.period_start, update.period_end)
            return _live_report(session, product, text, period, today, note)
        return StatusReport(
            product.key, product.name, text, figures, _named_items(figures), frozen=True
        )


def build_draft_report(
    db: Database,
    product_ref: str | int,
    text: UpdateText | None = None,
    today: dt.date | None = None,
) -> StatusReport:
    """A report from today's data for the period since the last update, e.g. to preview a draft."""
    today = today or metrics.today_utc()
    with db.read() as session:
        product = find_product(session, product_ref)
        period = _next_period(session, product.id, today)
        return _live_report(session, product, text, period, today)


def next_period(
    db: Database, product_ref: str | int, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The period a new status update covers: from the last update's end (or 14 days) to today."""
    today = today or metrics.today_utc()
    with db.read() as session:
        return _next_period(session, find_product(session, product_ref).id, today)


def compute_snapshot(
    db: Database,
    product_ref: str | int,
    period_start: dt.date,
    period_end: dt.date,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The figures of a period as JSON-able values, to freeze into a status update."""
    today = today or metrics.today_utc()
    with db.read() as session:
        product = find_product(session, product_ref)
        flow = metrics.read_flow(session, product.id, product.key)
        rows = _report_items(session, flow, today)
        figures = _figures(session, flow, rows, (period_start, period_end), today)
    return snapshot_of(figures)


def snapshot_of(figures: Figures) -> dict[str, Any]:
    """The JSON-able snapshot of figures (what ``StatusUpdate.snapshot`` stores)."""
    return {"schema": SNAPSHOT_SCHEMA, "figures": encode(figures)}


def _frozen_figures(snapshot: str | None) -> Figures | None:
    try:
        data = json.loads(snapshot or "{}")
        if not isinstance(data, dict) or data.get("schema") != SNAPSHOT_SCHEMA:
            return None
        figures: Figures = decode(Figures, data["figures"])
        return figures
    except (KeyError, TypeError, ValueError):  # damaged or foreign JSON: as if there were none
        return None


def _find_update(session: Session, product_id: int, update_id: int | None) -> StatusUpdate | None:
    if update_id is None:
        return session.scalars(
            select(StatusUpdate)
            .where(StatusUpdate.product_id == product_id)
            .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
            .limit(1)
        ).first()
    update = get_row(session, StatusUpdate, update_id, "status update")
    if update.product_id != product_id:
        key = session.scalar(select(Product.key).where(Product.id == product_id))
        raise NotFoundError(f"Status update {update_id} is not an update of {key}")
    return update


def _update_text(session: Session, update: StatusUpdate) -> UpdateText:
    recipients = session.scalars(
        select(Stakeholder.name)
        .join(
            status_update_recipients,
            status_update_recipients.c.stakeholder_id == Stakeholder.id,
        )
        .where(status_update_recipients.c.status_update_id == update.id)
        .order_by(func.lower(Stakeholder.name))
    )
    return UpdateText(
        health=update.health,
        headline=update.headline,
        progress=update.progress,
        problems=update.problems,
        schedule_outlook=update.schedule_outlook,
        next_steps=update.next_steps,
        recipients=tuple(recipients),
        id=update.id,
        created_at=update.created_at,
    )


def _next_period(session: Session, product_id: int, today: dt.date) -> tuple[dt.date, dt.date]:
    # The last update's end day starts the new period too: nothing done that day is lost.
    last_end = session.scalar(
        select(func.max(StatusUpdate.period_end)).where(StatusUpdate.product_id == product_id)
    )
    if last_end is None or last_end > today:
        return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS), today
    return last_end, today


def _live_report(
    session: Session,
    product: Product,
    text: UpdateText | None,
    period: tuple[dt.date, dt.date],
    today: dt.date,
    note: str = "",
) -> StatusReport:
    flow = metrics.read_flow(session, product.id, product.key)
    rows = _report_items(session, flow, today)
    figures = _figures(session, flow, rows, period, today)
    live = tuple(rows[i.id] for i in flow.items if not i.archived and i.created.date() <= today)
    return StatusReport(product.key, product.name, text, figures, live, frozen=False, note=note)


def _named_items(figures: Figures) -> tuple[ReportItem, ...]:
    unique: dict[str, ReportItem] = {}
    for section in (
        figures.done,
        figures.in_progress,
        figures.blocked,
        figures.added,
        figures.removed,
    ):
        for item in section.items:
            unique.setdefault(item.key, item)
    return tuple(unique.values())


# --- figures from the data -----------------------------------------------------------------


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _report_items(session: Session, flow: metrics.Flow, today: dt.date) -> dict[int, ReportItem]:
    """Every item of the flow (archived ones too) as a report row as of ``today``, by id.

    Columns and dates are replayed from the moves; the other fields (title, points, assignee,
    blocked reason) have no history and are as they are now.
    """
    columns = dict(
        session.execute(
            select(BoardColumn.id, BoardColumn.name).where(
                BoardColumn.product_id == flow.product_id
            )
        ).all()
    )
    rows = {}
    for item in flow.items:
        if today >= item.settled:  # where it is now: the common case, kept cheap
            column, started, done = columns[item.column_id], item.started, item.done
        else:
            move = item.move_on(today)
            column = columns.get(move.column_id, move.category) if move else ""
            started, done = item.started_on(today), item.finished_on(today)
        rows[item.id] = ReportItem(
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
    return rows


def _section(items: Iterable[ReportItem]) -> ItemList:
    every = list(items)
    points = float(sum(i.points or 0 for i in every))
    return ItemList(tuple(every[:LIST_LIMIT]), len(every), points)


def _figures(
    session: Session,
    flow: metrics.Flow,
    rows: dict[int, ReportItem],
    period: tuple[dt.date, dt.date],
    today: dt.date,
) -> Figures:
    start, end = period

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= min(end, today)

    done = sorted(
        (i for i in flow.items if within(rows[i.id].done)),
        key=lambda i: (i.finished_on(today), i.id),
    )
    doing = sorted(
        metrics.in_progress(flow, today), key=lambda i: (i.started or dt.datetime.max, i.id)
    )
    blocked = [
        i
        for i in flow.items
        if not i.archived and metrics.unfinished(i, today) and rows[i.id].blocked_reason
    ]
    added = sorted((i for i in flow.items if within(i.created.date())), key=lambda i: i.created)
    trend_start = metrics.week_start(today) - dt.timedelta(weeks=TREND_WEEKS - 1)
    return Figures(
        as_of=today,
        period_start=start,
        period_end=end,
        done=_section(rows[i.id] for i in done),
        in_progress=_section(rows[i.id] for i in doing),
        blocked=_section(rows[i.id] for i in blocked),
        added=_section(rows[i.id] for i in added),
        removed=_section(_removed(session, flow, rows, period)),
        open_questions=_open_questions(session, flow.product_id, today),
        answered_questions=_answered_questions(session, flow.product_id, period),
        sprint=_sprint_progress(flow, today),
        forecast=metrics.forecast(flow, today, target=_target(session, flow, today)),
        throughput=metrics.throughput(flow, trend_start, today),
        cycle_time=metrics.cycle_times(flow, today - dt.timedelta(days=7 * TREND_WEEKS - 1), today),
    )


def _bounds(period: tuple[dt.date, dt.date]) -> tuple[dt.datetime, dt.datetime]:
    start, end = period
    return dt.datetime.combine(start, dt.time()), dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time()
    )


def _removed(
    session: Session,
    flow: metrics.Flow,
    rows: dict[int, ReportItem],
    period: tuple[dt.date, dt.date],
) -> list[ReportItem]:
    """Items archived in the period (and still archived), and items deleted in it."""
    low, high = _bounds(period)
    archived = {i.id for i in flow.items if i.archived}
    live_keys = {i.key for i in flow.items}
    removed: dict[str, ReportItem] = {}
    events = session.execute(
        select(Activity.item_id, Activity.action, Activity.detail)
        .where(
            Activity.product_id == flow.product_id,
            Activity.action.in_(("archived", "deleted")),
            Activity.at >= low,
            Activity.at < high,
        )
        .order_by(Activity.at, Activity.id)
    )
    for item_id, action, detail in events:
        if action == "archived" and item_id in archived:
            removed[rows[item_id].key] = rows[item_id]
        elif action == "deleted":
            # The item is gone; its activity row keeps "KEY title" (unless it was restored).
            key, _, title = detail.partition(" ")
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


def _question_select(product_id: int) -> Any:
    return (
        select(
            Question.id,
            Question.text,
            Product.key,
            Item.number,
            TeamMember.name,
            Question.urgency,
            Question.asked_at,
            Question.answer,
            Question.answered_by,
            Question.answered_at,
        )
        .join(Product, Product.id == Question.product_id)
        .outerjoin(Item, Item.id == Question.item_id)
        .outerjoin(TeamMember, TeamMember.id == Question.asked_by_id)
        .where(Question.product_id == product_id)
    )


def _question_list(
    session: Session, query: Any, today: dt.date, answered_after: dt.datetime | None = None
) -> QuestionList:
    """Question rows; an answer given after ``answered_after`` is left out (not given yet)."""
    rows = []
    for id_, text, key, number, asker, urgency, asked, answer, by, answered in session.execute(
        query
    ):
        if answered_after is not None and answered is not None and answered >= answered_after:
            answer, by, answered = "", "", None
        until = answered.date() if answered is not None else today
        rows.append(
            QuestionRow(
                id=id_,
                text=text,
                item_key=f"{key}-{number}" if number is not None else None,
                asked_by=asker,
                urgency=urgency,
                asked_on=asked.date(),
                days_open=(until - asked.date()).days,
                answer=answer,
                answered_by=by,
                answered_on=_day(answered),
            )
        )
    return QuestionList(tuple(rows[:LIST_LIMIT]), len(rows))


def _open_questions(session: Session, product_id: int, today: dt.date) -> QuestionList:
    """Questions open at the end of ``today``: asked by then, and unanswered then."""
    _low, high = _bounds((today, today))
    query = (
        _question_select(product_id)
        .where(
            Question.asked_at < high,
            (Question.state == QuestionState.OPEN)
            | ((Question.state == QuestionState.ANSWERED) & (Question.answered_at >= high)),
        )
        .order_by(Question.asked_at, Question.id)
    )
    return _question_list(session, query, today, answered_after=high)


def _answered_questions(
    session: Session, product_id: int, period: tuple[dt.date, dt.date]
) -> QuestionList:
    low, high = _bounds(period)
    query = (
        _question_select(product_id)
        .where(
            Question.state == QuestionState.ANSWERED,
            Question.answered_at >= low,
            Question.answered_at < high,
        )
        .order_by(Question.answered_at, Question.id)
    )
    return _question_list(session, query, period[1])


def _sprint_progress(flow: metrics.Flow, today: dt.date) -> SprintProgress | None:
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
    sprint = max(running, key=lambda s: (s.start_date, s.id))
    items = metrics.sprint_items(flow, sprint.id)
    done = [i for i in items if i.finished_on(today) is not None]
    days_left = max(0, (sprint.end_date - today).days) if sprint.end_date else None
    return SprintProgress(
        name=sprint.name,
        goal=sprint.goal,
        start_date=sprint.start_date,
        end_date=sprint.end_date,
        days_left=days_left,
        done_points=float(sum(i.points or 0 for i in done)),
        total_points=float(sum(i.points or 0 for i in items)),
        done_items=len(done),
        total_items=len(items),
    )


def _target(session: Session, flow: metrics.Flow, today: dt.date) -> dt.date | None:
    """The latest due date among the live items unfinished at ``today`` (a release epic's,
    typically)."""
    due = dict(
        session.execute(
            select(Item.id, Item.due_date).where(
                Item.product_id == flow.product_id,
                Item.archived.is_(False),
                Item.due_date.is_not(None),
            )
        ).all()
    )
    return max(
        (due[i.id] for i in flow.items if i.id in due and metrics.unfinished(i, today)),
        default=None,
    )

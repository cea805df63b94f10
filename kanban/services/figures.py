"""The figures' reads: a product's flow, questions, removals, targets and status updates as
plain records (``kanban.metrics.records`` and ``kanban.metrics.status``), in one transaction.

Every SQL query behind a metric, a forecast, a chart or a report is here; ``kanban.metrics``
computes from what these functions return and ``kanban.reports`` renders it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, or_, select

from kanban.domain import Category, ItemKind, plural
from kanban.errors import NotFoundError, ValidationError
from kanban.metrics.forecast import (
    BACKLOG,
    FORECAST_RUNS,
    FORECAST_SEED,
    WINDOW_WEEKS,
    Forecast,
    Pace,
    ReleaseWork,
    Sampling,
    Scope,
    ScopeKind,
    Work,
    forecast,
    window_end,
)
from kanban.metrics.history import DateHistory
from kanban.metrics.quality import screened
from kanban.metrics.records import (
    DataQuality,
    Flow,
    FlowColumn,
    FlowItem,
    FlowSprint,
    Move,
    SprintEntry,
    today_utc,
    week_start,
)
from kanban.metrics.snapshot import thaw
from kanban.metrics.status import (
    ARCHIVED,
    DELETED,
    Figures,
    QuestionRecord,
    RemovalEvent,
    StatusInputs,
    status_figures,
)
from kanban.services.common import (
    driver_rows,
    find_item,
    find_product,
    gc_paused,
    get_row,
    product_info,
    to_datetime,
)
from kanban.services.readiness import refinement_figures
from kanban.services.records import ProductInfo
from kanban.services.targets import read_history, target_changes
from kanban.storage.database import Database
from kanban.storage.models import (
    Activity,
    BoardColumn,
    Item,
    Product,
    Question,
    Release,
    Sprint,
    Stakeholder,
    StatusUpdate,
    TeamMember,
    Transition,
    status_update_recipients,
)
from kanban.storage.models import (
    SprintEntry as SprintEntryRow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_RUNS = 1_000_000
DEFAULT_PERIOD_DAYS = 14
"""A status report without an earlier update covers the last two weeks."""


# --- the flow ------------------------------------------------------------------------------


def _archive_times(session: Session, product_id: int) -> dict[int, dt.datetime]:
    """When each item was last archived (its latest 'archived' activity)."""
    query = (
        select(Activity.item_id, func.max(Activity.at))
        .where(
            Activity.product_id == product_id,
            Activity.action == ARCHIVED,
            Activity.item_id.is_not(None),
        )
        .group_by(Activity.item_id)
    )
    return {item_id: to_datetime(at) for item_id, at in driver_rows(session, query)}


def _same(value: Any) -> Any:
    return value


def _parser(sample: Any) -> Callable[[Any], dt.datetime]:
    """How to turn a driver's timestamps into datetimes, judged by one of them: SQLite hands
    back the stored Unix seconds, PostgreSQL datetimes (decided once, not per value)."""
    return _same if isinstance(sample, dt.datetime) else to_datetime


def read_flow(session: Session, product_id: int, product_key: str) -> Flow:
    """Read a product's items, moves, columns and sprints in the caller's transaction.

    Items whose history is missing or impossible are left out and listed in ``Flow.quality``.
    """
    with gc_paused():  # tens of thousands of small records, no cycles among them
        return _read_flow(session, product_id, product_key)


def _read_flow(session: Session, product_id: int, product_key: str) -> Flow:
    moves: dict[int, list[Move]] = {}
    out_of_order: set[int] = set()
    transitions = (
        select(
            Transition.item_id,
            Transition.at,
            Transition.to_category,
            Transition.to_column_id,
            Transition.id,
        )
        .join(Item, Item.id == Transition.item_id)
        .where(Item.product_id == product_id)
        .order_by(Transition.item_id, Transition.at, Transition.id)
    )
    rows = driver_rows(session, transitions)
    # A plain loop over the rows in item order, Move built without its keyword handling: the
    # read of 27,000 moves is most of a forecast's time.
    parse = _parser(rows[0][1] if rows else None)
    new = tuple.__new__
    current, last = None, 0
    history: list[Move] = []
    for item_id, at, category, column_id, row_id in rows:
        if item_id != current:
            current, history = item_id, []
            moves[item_id] = history
        elif row_id < last:  # recorded after a move its time says came later
            out_of_order.add(item_id)
        last = row_id
        history.append(new(Move, (parse(at), category, column_id)))
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
            Item.epic_id,
            Item.release_id,
            Item.created_at,
            Item.started_at,
            Item.done_at,
            Item.updated_at,
        )
        .join(BoardColumn, BoardColumn.id == Item.column_id)
        .outerjoin(TeamMember, TeamMember.id == Item.assignee_id)
        .where(Item.product_id == product_id)
        .order_by(Item.rank),
    )
    archived_at = _archive_times(session, product_id)
    items = []
    make_item = FlowItem._make
    doing, finished = str(Category.DOING), str(Category.DONE)  # plain str: cheaper compares
    stamp = _parser(rows[0][13] if rows else None)
    for (
        id_, number, title, kind, points, category, column, sprint, archived, assignee, blocked,
        epic, release, created_at, started_at, done_at, updated_at,
    ) in rows:  # fmt: skip
        created = stamp(created_at)
        history = moves.get(id_) or []
        if history:
            started = done = None
            for move in history:  # a plain loop: a generator per item cost 50 ms at 10,000
                if move[1] == doing:
                    started = move[0]
                    break
            if history[-1][1] == finished:
                run = len(history) - 1
                while run and history[run - 1][1] == finished:
                    run -= 1
                done = history[run][0]
        else:  # no recorded moves (a restored item): its own timestamps are all there is
            history.append(Move(created, category, column))
            started = None if started_at is None else stamp(started_at)
            done = None if done_at is None else stamp(done_at)
        archived = bool(archived)
        items.append(
            make_item(
                (
                    id_,
                    f"{product_key}-{number}",
                    title,
                    kind,
                    points,
                    category,
                    column,
                    sprint,
                    archived,
                    created,
                    started,
                    done if category == finished else None,
                    tuple(history),
                    history[-1][0].date(),
                    assignee,
                    (blocked or "").strip() or None,
                    epic,
                    release,
                    (archived_at.get(id_) or stamp(updated_at)) if archived else None,
                )
            )
        )
    sprints = session.execute(
        select(
            Sprint.id, Sprint.name, Sprint.goal, Sprint.start_date, Sprint.end_date, Sprint.state
        )
        .where(Sprint.product_id == product_id)
        .order_by(Sprint.id)
    )
    columns = session.execute(
        select(BoardColumn.id, BoardColumn.name, BoardColumn.category, BoardColumn.position)
        .where(BoardColumn.product_id == product_id)
        .order_by(BoardColumn.position)
    )
    entries = session.execute(
        select(
            SprintEntryRow.sprint_id,
            SprintEntryRow.item_id,
            SprintEntryRow.added_at,
            SprintEntryRow.removed_at,
        )
        .join(Sprint, Sprint.id == SprintEntryRow.sprint_id)
        .where(Sprint.product_id == product_id)
        .order_by(SprintEntryRow.added_at, SprintEntryRow.id)
    )
    flow = Flow(
        product_id,
        product_key,
        tuple(items),
        tuple(FlowSprint(*r) for r in sprints),
        tuple(FlowColumn(*r) for r in columns),
        tuple(SprintEntry(*r) for r in entries),
    )
    return screened(flow, out_of_order)


def load_flow(db: Database, product_ref: str | int) -> Flow:
    """A product's flow (by id, key or name), read in one read transaction."""
    with db.read() as session:
        product = find_product(session, product_ref)
        return read_flow(session, product.id, product.key)


# --- the status report's inputs ------------------------------------------------------------


def read_questions(session: Session, product_id: int) -> tuple[QuestionRecord, ...]:
    """A product's questions, the oldest asked first, in the caller's transaction."""
    query = (
        select(
            Question.id,
            Question.text,
            Product.key,
            Item.number,
            TeamMember.name,
            Question.urgency,
            Question.state,
            Question.asked_at,
            Question.answer,
            Question.answered_by,
            Question.answered_at,
        )
        .join(Product, Product.id == Question.product_id)
        .outerjoin(Item, Item.id == Question.item_id)
        .outerjoin(TeamMember, TeamMember.id == Question.asked_by_id)
        .where(Question.product_id == product_id)
        .order_by(Question.asked_at, Question.id)
    )
    return tuple(
        QuestionRecord(
            id=id_,
            text=text,
            item_key=f"{key}-{number}" if number is not None else None,
            asked_by=asker,
            urgency=urgency,
            state=state,
            asked_at=asked,
            answer=answer,
            answered_by=by,
            answered_at=answered,
        )
        for id_, text, key, number, asker, urgency, state, asked, answer, by, answered in (
            session.execute(query)
        )
    )


def _removals(session: Session, product_id: int) -> tuple[RemovalEvent, ...]:
    query = (
        select(Activity.at, Activity.action, Activity.item_id, Activity.detail)
        .where(Activity.product_id == product_id, Activity.action.in_((ARCHIVED, DELETED)))
        .order_by(Activity.at, Activity.id)
    )
    return tuple(RemovalEvent(*row) for row in session.execute(query))


def read_status_inputs(session: Session, product: Product) -> StatusInputs:
    """Everything a status report of ``product`` needs, in the caller's transaction."""
    return StatusInputs(
        flow=read_flow(session, product.id, product.key),
        questions=read_questions(session, product.id),
        removals=_removals(session, product.id),
        target=product.target_date,
        target_changes=target_changes(session, product.id),
        refinement=refinement_figures(session, product.id),
    )


def figures_in(
    session: Session,
    product: Product,
    period: tuple[dt.date, dt.date],
    today: dt.date,
) -> Figures:
    """The figures of a period as of ``today``, read in the caller's transaction."""
    return status_figures(read_status_inputs(session, product), period, today)


# --- what a report is built from -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedUpdate:
    """A saved status update as a report shows it: the words, for whom, its frozen figures."""

    id: int
    created_at: dt.datetime
    period_start: dt.date
    period_end: dt.date
    health: str
    headline: str
    progress: str
    problems: str
    schedule_outlook: str
    next_steps: str
    recipients: tuple[str, ...]
    """The recipients' names, alphabetical."""
    figures: Figures | None
    """The figures frozen when it was saved (None: saved without, or unreadable)."""


@dataclass(frozen=True, slots=True)
class ReportSource:
    """What one status report is built from, read in one transaction."""

    product: ProductInfo
    update: SavedUpdate | None
    period: tuple[dt.date, dt.date]
    today: dt.date
    inputs: StatusInputs | None
    """The live data, read unless the report shows an update's frozen figures."""
    history: DateHistory
    """The target's history up to the update (or up to now, for a live report)."""


def _saved_update(session: Session, update: StatusUpdate) -> SavedUpdate:
    recipients = session.scalars(
        select(Stakeholder.name)
        .join(
            status_update_recipients,
            status_update_recipients.c.stakeholder_id == Stakeholder.id,
        )
        .where(status_update_recipients.c.status_update_id == update.id)
        .order_by(func.lower(Stakeholder.name))
    )
    return SavedUpdate(
        id=update.id,
        created_at=update.created_at,
        period_start=update.period_start,
        period_end=update.period_end,
        health=update.health,
        headline=update.headline,
        progress=update.progress,
        problems=update.problems,
        schedule_outlook=update.schedule_outlook,
        next_steps=update.next_steps,
        recipients=tuple(recipients),
        figures=thaw(update.snapshot),
    )


def _find_update(session: Session, product: Product, update_id: int | None) -> StatusUpdate | None:
    if update_id is None:
        return session.scalars(
            select(StatusUpdate)
            .where(StatusUpdate.product_id == product.id)
            .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
            .limit(1)
        ).first()
    update = get_row(session, StatusUpdate, update_id, "status update")
    if update.product_id != product.id:
        raise NotFoundError(f"Status update {update_id} is not an update of {product.key}")
    return update


def _next_period(session: Session, product_id: int, today: dt.date) -> tuple[dt.date, dt.date]:
    # The last update's end day starts the new period too: nothing done that day is lost.
    last_end = session.scalar(
        select(func.max(StatusUpdate.period_end)).where(StatusUpdate.product_id == product_id)
    )
    if last_end is None or last_end > today:
        return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS), today
    return last_end, today


def next_period(
    db: Database, product_ref: str | int, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The period a new status update covers: from the last update's end (or 14 days) to today."""
    today = today or today_utc()
    with db.read() as session:
        return _next_period(session, find_product(session, product_ref).id, today)


def report_source(
    db: Database,
    product_ref: str | int,
    update_id: int | None = None,
    today: dt.date | None = None,
    draft: bool = False,
) -> ReportSource:
    """What a product's status report is built from, in one read transaction.

    ``draft``: today's data for the period since the last update (a new update's preview).
    Otherwise the update ``update_id`` (else the latest one) with its frozen figures; the live
    data is read only when there is no update or it was saved without figures (then for the
    last 14 days, or the update's own period).
    """
    today = today or today_utc()
    with db.read() as session:
        product = find_product(session, product_ref)
        info = product_info(product)
        row = None if draft else _find_update(session, product, update_id)
        if row is None:
            period = (
                _next_period(session, product.id, today)
                if draft
                else (today - dt.timedelta(days=DEFAULT_PERIOD_DAYS), today)
            )
            inputs = read_status_inputs(session, product)
            return ReportSource(info, None, period, today, inputs, read_history(session, product))
        update = _saved_update(session, row)
        period = (update.period_start, update.period_end)
        history = read_history(session, product, until=update.created_at)
        if update.figures is not None:
            return ReportSource(info, update, period, update.figures.as_of, None, history)
        inputs = read_status_inputs(session, product)
        return ReportSource(info, update, period, today, inputs, history)


# --- forecasts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductForecast:
    """A forecast of one product's work, with the product it is about."""

    product_key: str
    product_name: str
    forecast: Forecast
    quality: DataQuality
    """The items left out of the forecast (history missing or impossible): in neither its
    sample nor its scope."""


def _one_scope(
    session: Session,
    product: Product,
    items: int | None,
    epic: str | None,
    until: str | None,
    sprint: str | int | None,
    release: str | int | None,
) -> tuple[Scope, dt.date | None]:
    """The scope the options name (at most one), and the target it is measured against."""
    options = {"items": items, "epic": epic, "until": until, "sprint": sprint, "release": release}
    chosen = [name for name, value in options.items() if value is not None]
    if len(chosen) > 1:
        raise ValidationError(f"Choose one scope, not {' and '.join(chosen)}")
    if items is not None:
        if items < 1:
            raise ValidationError("The number of items must be at least 1")
        return Scope(ScopeKind.ITEMS, plural(items, "item"), count=items), product.target_date
    if epic is not None or until is not None:
        ref = epic if epic is not None else until
        assert ref is not None
        item = find_item(session, ref)
        key = f"{product.key}-{item.number}"
        if item.product_id != product.id:
            raise NotFoundError(f"{ref.strip().upper()} is not an item of {product.key}")
        if epic is not None:
            if item.kind != ItemKind.EPIC:
                raise ValidationError(f"{key} is not an epic (it is a {item.kind})")
            return Scope(ScopeKind.EPIC, f"epic {key}", item.id), item.due_date
        return Scope(ScopeKind.UNTIL, f"the backlog down to {key}", item.id), product.target_date
    if sprint is not None:
        row = _named(session, Sprint, product, sprint, "sprint")
        return Scope(ScopeKind.SPRINT, f"sprint {row.name}", row.id), row.end_date
    if release is not None:
        found = _named(session, Release, product, release, "release")
        return Scope(ScopeKind.RELEASE, f"release {found.name}", found.id), found.target_date
    return BACKLOG, product.target_date


def _named(session: Session, model: Any, product: Product, ref: str | int, what: str) -> Any:
    """A product's sprint or release by id or name (case-insensitive); NotFoundError else."""
    if isinstance(ref, int):
        row = session.get(model, ref)
    else:
        row = session.scalar(
            select(model).where(
                model.product_id == product.id, func.lower(model.name) == ref.strip().lower()
            )
        )
    if row is None or row.product_id != product.id:
        raise NotFoundError(f"No {what} {ref!r} in {product.key}")
    return row


def product_forecast(
    db: Database,
    product_ref: str | int,
    *,
    items: int | None = None,
    epic: str | None = None,
    until: str | None = None,
    sprint: str | int | None = None,
    release: str | int | None = None,
    by: dt.date | None = None,
    as_of: dt.date | None = None,
    window_weeks: int = WINDOW_WEEKS,
    sampling: str = Sampling.WEEK,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> ProductForecast:
    """Forecast a product's work from its history up to ``as_of`` (default today).

    The scope is the whole backlog, or one of: ``items`` (a number of items), ``epic`` (an
    epic's key: its children), ``until`` (an item's key: the backlog down to it, in rank
    order), ``sprint`` or ``release`` (a name, or an id). With ``by``, also how many of the
    scope's items are done by that date. The target is the product's (an epic's due date, a
    sprint's end, a release's target for those scopes).

    Raises:
        ValidationError: Two scopes, or a number out of range.
        NotFoundError: No such product, item, sprint or release.
    """
    if window_weeks < 1:
        raise ValidationError("The window must be at least 1 week")
    if not 1 <= runs <= MAX_RUNS:
        raise ValidationError(f"The number of runs must be from 1 to {MAX_RUNS:,}")
    if sampling not in tuple(Sampling):
        raise ValidationError(f"Sample per {' or '.join(Sampling)}, not {sampling!r}")
    as_of = as_of or today_utc()
    if by is not None and by <= as_of:
        raise ValidationError(f"The date to forecast for must come after {as_of.isoformat()}")
    with db.read() as session:
        product = find_product(session, product_ref)
        scope, target = _one_scope(session, product, items, epic, until, sprint, release)
        flow = read_flow(session, product.id, product.key)
    with gc_paused():  # the runs' lists hold no cycles; a collection would walk the flow too
        result = forecast(
            flow,
            as_of,
            scope=scope,
            by=by,
            target=target,
            window_weeks=window_weeks,
            sampling=sampling,
            runs=runs,
            seed=seed,
        )
    return ProductForecast(product.key, product.name, result, flow.quality)


def release_forecast(db: Database, release_id: int, as_of: dt.date | None = None) -> Forecast:
    """The forecast of a release's items (default settings), against its target date."""
    with db.read() as session:
        product_id = get_row(session, Release, release_id, "release").product_id
    return product_forecast(db, product_id, release=release_id, as_of=as_of).forecast


# --- the forecast's inputs in SQL (the portfolio) ------------------------------------------


@dataclass(frozen=True, slots=True)
class CardTally:
    """A product's cards in one column and one release (None: in none), as they are now."""

    product_id: int
    column_id: int
    release_id: int | None
    cards: int
    """Live cards (epics too)."""
    blocked: int
    """Live cards with a blocked reason."""
    work: int
    """Live work items (no epics)."""
    points: float
    """Their story points."""


@dataclass(frozen=True, slots=True)
class PaceRead:
    """Several products' :class:`Pace` and their cards per column and release, read in one
    pass over the items and one over the moves."""

    paces: dict[int, Pace]
    tallies: tuple[CardTally, ...]


def _midnight_after(day: dt.date) -> dt.datetime:
    """The first moment after ``day``: what happened before it happened by the end of it."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _live(by: dt.datetime) -> Any:
    """An item not archived, or archived (its last 'archived' activity, else its last
    update) from ``by`` on: live at the end of the day before ``by``."""
    archived_at = (
        select(func.max(Activity.at))
        .where(
            Activity.product_id == Item.product_id,
            Activity.item_id == Item.id,
            Activity.action == ARCHIVED,
        )
        .scalar_subquery()
    )
    return or_(Item.archived.is_(False), func.coalesce(archived_at, Item.updated_at) >= by)


def _turns(
    session: Session, since: dt.datetime, by: dt.datetime
) -> list[tuple[int, int, int, dt.datetime, bool]]:
    """Every move into 'done' from another category (or from none: an item made there) or
    out of it from ``since`` on, by the move's own ``from_category`` (which the app and the
    importers record), and every move from ``by`` on: (product, item, id, when, into 'done').
    One scan of the moves (the column moved to names the product; the item's own row only
    when the column is gone)."""
    into = Transition.to_category == Category.DONE
    was_done = Transition.from_category == Category.DONE
    entry = and_(into, or_(Transition.from_category.is_(None), ~was_done))
    exit_ = and_(Transition.to_category != Category.DONE, was_done)
    item_product = select(Item.product_id).where(Item.id == Transition.item_id)
    rows = driver_rows(
        session,
        select(
            func.coalesce(BoardColumn.product_id, item_product.scalar_subquery()),
            Transition.item_id,
            Transition.id,
            Transition.at,
            into,
        )
        .select_from(Transition)
        .outerjoin(BoardColumn, BoardColumn.id == Transition.to_column_id)
        .where(
            or_(
                Transition.at >= by,
                and_(Transition.at >= since, or_(entry, exit_)),
            )
        ),
    )
    return [(p, i, n, to_datetime(at), bool(done)) for p, i, n, at, done in rows]


def _tallies(
    session: Session, product_ids: Sequence[int], by: dt.datetime, since: dt.datetime
) -> list[Any]:
    """One pass over the items: per product, column and release, the cards as they are now
    and the work items made and live before ``by``. Epics, and done items without recorded
    moves done from ``since`` on, make groups of their own (their id in the group's key):
    (product, column, release, epic, stamped, cards, blocked, work, points, items then,
    their points, their unestimated, first made, made since, done stamp, made stamp)."""
    live = Item.archived.is_(False)
    work = Item.kind != ItemKind.EPIC
    made = Item.created_at < by
    then = and_(work, made, _live(by))
    points = func.coalesce(Item.points, 0)
    unmoved = ~select(Transition.id).where(Transition.item_id == Item.id).exists()
    epic = case((Item.kind == ItemKind.EPIC, Item.id), else_=None)
    stamped = case(
        (
            and_(work, BoardColumn.category == Category.DONE, Item.done_at >= since, unmoved),
            Item.id,
        ),
        else_=None,
    )
    return driver_rows(
        session,
        select(
            Item.product_id,
            Item.column_id,
            Item.release_id,
            epic,
            stamped,
            func.count().filter(live),
            func.count(Item.blocked_reason).filter(live),
            func.count().filter(live, work),
            func.sum(points).filter(live, work),
            func.count().filter(then),
            func.sum(points).filter(then),
            func.count().filter(then, Item.points.is_(None)),
            func.min(Item.created_at).filter(made),
            func.count().filter(~made),
            func.min(Item.done_at),
            func.min(Item.created_at),
        )
        .join(BoardColumn, BoardColumn.id == Item.column_id)
        .where(Item.product_id.in_(product_ids))
        .group_by(Item.product_id, Item.column_id, Item.release_id, epic, stamped),
    )


def _open_replayed(session: Session, product_id: int, by: dt.datetime) -> list[ReleaseWork]:
    """Live work items not done just before ``by``, by release, replayed from the moves (an
    item made and moved at least once by then whose last move then was not into 'done';
    without recorded moves: its column)."""
    last = (
        select(Transition.to_category)
        .where(Transition.item_id == Item.id, Transition.at < by)
        .order_by(Transition.at.desc(), Transition.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    unmoved = ~select(Transition.id).where(Transition.item_id == Item.id).exists()
    category = func.coalesce(last, case((unmoved, BoardColumn.category), else_=None))
    rows = driver_rows(
        session,
        select(
            Item.release_id,
            func.count(),
            func.sum(func.coalesce(Item.points, 0)),
            func.count().filter(Item.points.is_(None)),
        )
        .join(BoardColumn, BoardColumn.id == Item.column_id)
        .where(
            Item.product_id == product_id,
            Item.kind != ItemKind.EPIC,
            Item.created_at < by,
            _live(by),
            category != Category.DONE,
        )
        .group_by(Item.release_id),
    )
    return [ReleaseWork(r, Work(int(n), float(p or 0), int(u))) for r, n, p, u in rows]


def _by_release(work: Sequence[tuple[int | None, int, float, int]]) -> tuple[ReleaseWork, ...]:
    totals: dict[int | None, list[float]] = {}
    for release, items, points, unestimated in work:
        total = totals.setdefault(release, [0, 0.0, 0])
        total[0] += items
        total[1] += points
        total[2] += unestimated
    return tuple(
        ReleaseWork(release, Work(int(n), float(p), int(u)))
        for release, (n, p, u) in sorted(totals.items(), key=lambda r: (r[0] is None, r[0] or 0))
        if n
    )


def read_paces(
    session: Session,
    product_ids: Sequence[int],
    as_of: dt.date,
    window_weeks: int = WINDOW_WEEKS,
    recent_since: dt.date | None = None,
) -> PaceRead:
    """What the backlog's and releases' forecasts need of each product's history as of the
    end of ``as_of`` (``window_weeks``: the longest window they use; ``recent_since``: the
    first day whose finished items are counted as of ``as_of``, default its ISO week's
    Monday), in the caller's transaction: one pass over the items (aggregated in SQL) and
    one scan of the moves, whose rows are read only for moves into and out of 'done'.

    It gives what the flow's figures replay (the last run of 'done' moves as of a day, the
    items open then), telling an entry into 'done' by the move's own ``from_category``. It
    does not screen out items whose recorded history is impossible, as :func:`read_flow`
    does (that takes every move of every item): such items count here.
    """
    by = _midnight_after(as_of)
    last = window_end(as_of)
    ends = _midnight_after(last)
    since = week_start(last) - dt.timedelta(weeks=max(1, window_weeks) - 1)
    recent = min(week_start(as_of), recent_since or as_of)
    first = _at(min(since, recent))
    groups: dict[int, list[Any]] = {p: [] for p in product_ids}
    finished: dict[int, list[dt.date]] = {p: [] for p in product_ids}
    lately: dict[int, list[dt.date]] = {p: [] for p in product_ids}
    tallies, epics = [], set()
    for row in _tallies(session, product_ids, by, first):
        product, column, release, epic, stamped, cards, blocked, work, points = row[:9]
        tallies.append(
            CardTally(product, column, release, cards, blocked, work, float(points or 0))
        )
        groups[product].append((column, release, *row[9:14]))
        if epic is not None:
            epics.add(epic)
        if stamped is not None:  # done, without recorded moves: the flow reads its own stamps
            done, created = to_datetime(row[14]), to_datetime(row[15])
            if created < ends and done.date() >= since:
                finished[product].append(done.date())
            if created < by and done.date() >= recent:
                lately[product].append(done.date())
    turns: dict[int, list[tuple[dt.datetime, int, bool]]] = {}
    owner: dict[int, int] = {}
    moved_later = set()
    for product, item, move, at, into in _turns(session, first, by):
        if product not in groups or item in epics:
            continue
        if at >= by:
            moved_later.add(product)
        else:
            turns.setdefault(item, []).append((at, move, into))
            owner[item] = product
    for item, history in turns.items():
        history.sort()
        product = owner[item]
        held = _held(history, ends)
        if held is not None and held.date() >= since:
            finished[product].append(held.date())
        held = _held(history, by)
        if held is not None and held.date() >= recent:
            lately[product].append(held.date())
    columns = select(BoardColumn.id, BoardColumn.category).where(
        BoardColumn.product_id.in_(product_ids)
    )
    categories = {column: category for column, category in session.execute(columns)}
    paces = {}
    for product in product_ids:
        rows = groups[product]
        first_made = [to_datetime(r[5]) for r in rows if r[5] is not None]
        if product in moved_later or any(r[6] for r in rows):  # moved or made after the day
            open_work = tuple(_open_replayed(session, product, by))
        else:  # every item is where it was then: its column says whether it is done
            open_work = _by_release(
                [(r[1], r[2], float(r[3] or 0), r[4]) for r in rows
                 if categories.get(r[0]) != Category.DONE]
            )  # fmt: skip
        paces[product] = Pace(
            as_of=as_of,
            first_created=min(first_made).date() if first_made else None,
            finished=tuple(sorted(finished[product])),
            finished_since=since,
            recent=tuple(sorted(lately[product])),
            recent_since=recent,
            open_work=open_work,
            any_work=any(r[2] for r in rows),
        )
    return PaceRead(paces, tuple(tallies))


def _held(history: Sequence[tuple[dt.datetime, int, bool]], by: dt.datetime) -> dt.datetime | None:
    """When an item entered 'done' for the last time before ``by``, if it was still there."""
    last = None
    for at, _move, into in history:
        if at >= by:
            break
        if not into:
            last = None
        elif last is None:  # the first of a run (a move from 'done' to 'done' continues it)
            last = at
    return last


def read_pace(session: Session, product_id: int, as_of: dt.date) -> Pace:
    """One product's :func:`read_paces`."""
    return read_paces(session, [product_id], as_of).paces[product_id]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())

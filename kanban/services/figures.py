"""The figures' reads: a product's flow, questions, removals, targets and status updates as
plain records (``kanban.metrics.records`` and ``kanban.metrics.status``), in one transaction.

Every SQL query behind a metric, a forecast, a chart or a report is here; ``kanban.metrics``
computes from what these functions return and ``kanban.reports`` renders it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kanban.domain import Category, ItemKind, plural
from kanban.errors import NotFoundError, ValidationError
from kanban.metrics.forecast import (
    BACKLOG,
    FORECAST_RUNS,
    FORECAST_SEED,
    WINDOW_WEEKS,
    Forecast,
    Sampling,
    Scope,
    ScopeKind,
    forecast,
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
    back the stored ISO text, PostgreSQL datetimes (decided once, not per value)."""
    return dt.datetime.fromisoformat if type(sample) is str else _same


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


def _questions(session: Session, product_id: int) -> tuple[QuestionRecord, ...]:
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
        questions=_questions(session, product.id),
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

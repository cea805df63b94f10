"""Scrum sprints: plan, fill, start, close, with their scope over time and their capacity.

Every change of a sprint's membership writes ``sprint_entries`` (an item's time in a sprint's
scope: added, and maybe taken out or carried on), so the figures know what was committed at
the start, added after it and carried over. Starting and closing are each one transaction that
returns a :class:`~kanban.services.records.SprintStep`, from which :func:`undo_start` and
:func:`reopen_sprint` take the step back exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, or_, select, update

from kanban.domain import CAPACITY_UNITS, Category, Definition, SprintState, plural
from kanban.errors import ConflictError, NotFoundError, OverlapError, ValidationError
from kanban.services.common import (
    find_product,
    get_row,
    item_key,
    log_activity,
    product_infos,
    require_text,
)
from kanban.services.items import (
    enter_column,
    load_items,
    read_cards,
    read_detail,
    undo_moves,
)
from kanban.services.readiness import record_overrides
from kanban.services.records import (
    Change,
    MemberCapacity,
    Moved,
    SprintCapacity,
    SprintInfo,
    SprintStep,
)
from kanban.services.rules import NAME_LENGTH, check_sprint_dates
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import (
    BoardColumn,
    Item,
    Sprint,
    SprintEntry,
    SprintMember,
    TeamMember,
    Transition,
    utcnow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SPRINT_DAYS = 14
"""A sprint's length when nothing says otherwise: two weeks, Monday to the Sunday after next."""

_SPRINT = tables.sprints.c
_SPRINT_INFO = (
    _SPRINT.id,
    _SPRINT.product_id,
    _SPRINT.name,
    _SPRINT.goal,
    _SPRINT.start_date,
    _SPRINT.end_date,
    _SPRINT.state,
    _SPRINT.started_at,
    _SPRINT.closed_at,
    _SPRINT.goal_met,
    _SPRINT.capacity_unit,
)


def sprint_info(sprint: Sprint) -> SprintInfo:
    """A sprint row as its plain record."""
    return SprintInfo(
        sprint.id,
        sprint.product_id,
        sprint.name,
        sprint.goal,
        sprint.start_date,
        sprint.end_date,
        sprint.state,
        sprint.started_at,
        sprint.closed_at,
        sprint.goal_met,
        sprint.capacity_unit,
    )


def list_sprints(db: Database, product_ref: str | int) -> list[SprintInfo]:
    """A product's sprints, oldest first."""
    with db.connect() as connection:
        (product,) = product_infos(connection, product_ref)
        query = select(*_SPRINT_INFO).where(_SPRINT.product_id == product.id).order_by(_SPRINT.id)
        return [SprintInfo(*row) for row in connection.execute(query)]


def get_sprint(db: Database, sprint_id: int) -> SprintInfo:
    """One sprint by id; NotFoundError when there is none."""
    with db.read() as session:
        return sprint_info(get_row(session, Sprint, sprint_id, "sprint"))


def find_sprint(db: Database, product_ref: str | int, name: str) -> SprintInfo:
    """A product's sprint by name (any case); NotFoundError naming the sprints there are."""
    found = list_sprints(db, product_ref)
    wanted = name.strip().casefold()
    for sprint in found:
        if sprint.name.casefold() == wanted:
            return sprint
    names = ", ".join(s.name for s in found) or "none yet"
    raise NotFoundError(f"No sprint {name!r}; the sprints are: {names}")


def active_sprint(db: Database, product_ref: str | int) -> SprintInfo | None:
    """The product's running sprint, if any."""
    return next((s for s in list_sprints(db, product_ref) if s.state == SprintState.ACTIVE), None)


# --- dates ---------------------------------------------------------------------------------


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def next_sprint_dates(
    db: Database, product_ref: str | int, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The dates a new sprint of the product is offered: from the day after the last
    sprint's end (never before today), as long as that sprint was planned to be; with no
    sprint yet, two weeks from next Monday."""
    today = today or dt.date.today()
    dated = [s for s in list_sprints(db, product_ref) if s.start_date and s.end_date]
    if not dated:
        start = _next_monday(today)
        return start, start + dt.timedelta(days=SPRINT_DAYS - 1)
    last = max(dated, key=lambda s: (s.end_date, s.id))
    assert last.start_date is not None and last.end_date is not None
    length = (last.end_date - last.start_date).days
    start = max(last.end_date + dt.timedelta(days=1), today)
    return start, start + dt.timedelta(days=length)


def _check_overlap(
    session: Session,
    product_id: int,
    start: dt.date | None,
    end: dt.date | None,
    exclude: int | None = None,
) -> None:
    """Raise OverlapError when these dates overlap another sprint of the product (a sprint
    may start on the day a closed one ended: the review and the planning share a day)."""
    if start is None or end is None:
        return
    closed = Sprint.state == SprintState.CLOSED
    others = session.scalars(
        select(Sprint)
        .where(
            Sprint.product_id == product_id,
            Sprint.start_date <= end,
            or_(Sprint.end_date > start, and_(Sprint.end_date == start, ~closed)),
            Sprint.id != (exclude or 0),
        )
        .order_by(Sprint.start_date, Sprint.id)
    ).all()
    if others:
        spans = "; ".join(f"{s.name} ({s.start_date} to {s.end_date})" for s in others)
        raise OverlapError(
            f"{start} to {end} overlaps {spans}", tuple(sprint.name for sprint in others)
        )


def create_sprint(
    db: Database,
    product_ref: str | int,
    name: str,
    *,
    goal: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    allow_overlap: bool = False,
) -> SprintInfo:
    """Plan a new sprint.

    Raises:
        OverlapError: Its dates overlap another sprint's (unless ``allow_overlap``).
        ValidationError: No name, a name taken, or an end before the start.
    """
    name = require_text(name, "A sprint name", NAME_LENGTH)
    check_sprint_dates(start_date, end_date)
    with db.write() as session:
        product = find_product(session, product_ref)
        if session.scalar(
            select(Sprint.id).where(Sprint.product_id == product.id, Sprint.name == name)
        ):
            raise ValidationError(f"There is already a sprint named {name!r}")
        if not allow_overlap:
            _check_overlap(session, product.id, start_date, end_date)
        sprint = Sprint(
            product_id=product.id, name=name, goal=goal, start_date=start_date, end_date=end_date
        )
        session.add(sprint)
        session.flush()
        log_activity(session, product.id, "sprint_created", name)
        return sprint_info(sprint)


# --- membership ----------------------------------------------------------------------------

NOTHING = "nothing was planned"


def _open_entries(session: Session, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(sprint id, item id) -> the id of the item's open entry in that sprint."""
    wanted = set(pairs)
    if not wanted:
        return {}
    entry = tables.sprint_entries.c
    rows = session.execute(
        select(entry.id, entry.sprint_id, entry.item_id).where(
            entry.removed_at.is_(None),
            entry.sprint_id.in_({sprint_id for sprint_id, _ in wanted}),
            entry.item_id.in_({item_id for _, item_id in wanted}),
        )
    )
    return {(s, i): e for e, s, i in rows if (s, i) in wanted}


def _enter(
    session: Session,
    sprint_id: int,
    item_ids: Sequence[int],
    now: dt.datetime,
    carried_from: int | None = None,
) -> list[int]:
    """Open an entry for each item in a sprint's scope (one already open stays); their ids."""
    having = _open_entries(session, ((sprint_id, item_id) for item_id in item_ids))
    added = []
    for item_id in item_ids:
        if (sprint_id, item_id) in having:
            continue
        entry = SprintEntry(
            sprint_id=sprint_id, item_id=item_id, added_at=now, carried_from_id=carried_from
        )
        session.add(entry)
        session.flush()
        added.append(entry.id)
    return added


def _leave(
    session: Session, sprint_id: int, item_ids: Sequence[int], now: dt.datetime
) -> list[int]:
    """Close the items' open entries in a sprint's scope; the ids of the entries closed."""
    ended = list(_open_entries(session, ((sprint_id, item_id) for item_id in item_ids)).values())
    if ended:
        session.execute(
            update(SprintEntry)
            .where(SprintEntry.id.in_(ended))
            .values(removed_at=now)
            .execution_options(synchronize_session=False)
        )
    return ended


def set_items_sprint(db: Database, sprint_of: Mapping[int, int | None]) -> Change:
    """Put each item into its sprint (None: out of any sprint), in one transaction.

    A closed sprint neither takes items nor gives them up; an item joins only a sprint of its
    own product. The sprints' scopes over time (``sprint_entries``) follow. Returns a Change
    with the items whose sprint changed: ``cards`` as now and ``previous`` as before (an undo
    passes ``{d.id: d.sprint_id for d in previous}``).
    """
    with db.write() as session:
        return _set_sprints(session, sprint_of)


def _set_sprints(session: Session, sprint_of: Mapping[int, int | None]) -> Change:
    items = {item.id: item for item in load_items(session, list(sprint_of), NOTHING)}
    sprints: dict[int, Sprint] = {}
    for sprint_id in {*sprint_of.values(), *(item.sprint_id for item in items.values())}:
        if sprint_id is not None:
            sprints[sprint_id] = get_row(session, Sprint, sprint_id, "sprint")
    changed = [item for item_id, item in items.items() if item.sprint_id != sprint_of[item_id]]
    counts: dict[int, list[int]] = {}  # sprint id -> [items in, items out]
    for item in changed:
        target = sprint_of[item.id]
        if target is not None:
            _check_open(sprints[target])
            if sprints[target].product_id != item.product_id:
                raise ValidationError("An item can only join a sprint of its own product")
            counts.setdefault(target, [0, 0])[0] += 1
        if item.sprint_id is not None:
            if target is None:  # taking an item out of a closed sprint would rewrite it
                _check_open(sprints[item.sprint_id])
            counts.setdefault(item.sprint_id, [0, 0])[1] += 1
    previous = tuple(read_detail(session, item) for item in changed)
    now = utcnow()
    for item in changed:
        if item.sprint_id is not None:
            _leave(session, item.sprint_id, [item.id], now)
    for item in changed:
        item.sprint_id = sprint_of[item.id]
    for sprint_id in counts:
        # An item that joins while not Ready joins (the product owner was asked first); the
        # history records the override.
        joining = [item for item in changed if sprint_of[item.id] == sprint_id]
        _enter(session, sprint_id, [item.id for item in joining], now)
        record_overrides(session, joining, Definition.READY, f"into {sprints[sprint_id].name}")
    for sprint_id, (added, removed) in counts.items():
        sprint = sprints[sprint_id]
        detail = f"{sprint.name}: +{added} -{removed}"
        log_activity(session, sprint.product_id, "sprint_planned", detail)
    session.flush()
    cards = read_cards(session, [item.id for item in changed]) if changed else []
    return Change(cards=tuple(cards), previous=previous)


def set_sprint_items(
    db: Database, sprint_id: int, add: Sequence[int] = (), remove: Sequence[int] = ()
) -> SprintInfo:
    """Add items to a sprint and take others out of it (those in it); see
    :func:`set_items_sprint`."""
    with db.write() as session:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        _check_open(sprint)
        leaving = [i.id for i in load_items(session, remove, NOTHING) if i.sprint_id == sprint.id]
        _set_sprints(session, {**dict.fromkeys(leaving), **dict.fromkeys(add, sprint.id)})
        return sprint_info(sprint)


def _check_open(sprint: Sprint) -> None:
    if sprint.state == SprintState.CLOSED:
        raise ValidationError(f"Sprint {sprint.name!r} is closed")


# --- starting ------------------------------------------------------------------------------


def _columns(session: Session, product_id: int) -> list[BoardColumn]:
    return list(
        session.scalars(
            select(BoardColumn)
            .where(BoardColumn.product_id == product_id)
            .order_by(BoardColumn.position)
        )
    )


def _first(columns: Sequence[BoardColumn], category: str) -> BoardColumn | None:
    return next((c for c in columns if c.category == category), None)


def _planned_dates(sprint: Sprint, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a start gives a sprint unless told otherwise: its planned dates when they
    have begun (a late start keeps the plan), else from today for its planned length (two
    weeks when not planned)."""
    start, end = sprint.start_date, sprint.end_date
    if start is not None and end is not None and start <= today:
        return start, end
    length = (end - start).days if start and end else SPRINT_DAYS - 1
    return today, today + dt.timedelta(days=length)


def start_dates(
    db: Database, sprint_id: int, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The dates :func:`start_sprint` gives the sprint when none are given: its planned
    dates once they have begun, else from today for its planned length."""
    with db.read() as session:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        return _planned_dates(sprint, today or dt.date.today())


def start_sprint(
    db: Database,
    sprint_id: int,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    *,
    allow_overlap: bool = False,
) -> SprintStep:
    """Start a planned sprint (a product runs one sprint at a time).

    Its dates are those given, else :func:`start_dates` (a sprint started ahead of its plan
    keeps its planned length). Its items still in a backlog column move to the first to-do
    column, and every item in it enters its scope (``sprint_entries``). The returned step
    says what moved; :func:`undo_start` takes it back.

    Raises:
        ValidationError: The sprint is not planned, another one runs, or the end comes
            before the start.
        OverlapError: The dates overlap another sprint's (unless ``allow_overlap``).
    """
    with db.write() as session:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        if sprint.state != SprintState.PLANNED:
            raise ValidationError(f"Sprint {sprint.name!r} is {sprint.state}, not planned")
        running = session.scalar(
            select(Sprint.name).where(
                Sprint.product_id == sprint.product_id, Sprint.state == SprintState.ACTIVE
            )
        )
        if running:
            raise ValidationError(f"Sprint {running!r} is still running; close it first")
        before = sprint_info(sprint)
        planned_start, planned_end = _planned_dates(sprint, dt.date.today())
        start = start_date or planned_start
        end = end_date or start + (planned_end - planned_start)  # the planned length
        check_sprint_dates(start, end)
        if not allow_overlap:
            _check_overlap(session, sprint.product_id, start, end, exclude=sprint.id)
        now = utcnow()
        sprint.state = SprintState.ACTIVE
        sprint.start_date, sprint.end_date, sprint.started_at = start, end, now
        members = list(session.scalars(select(Item).where(Item.sprint_id == sprint.id)))
        entries = _enter(session, sprint.id, [item.id for item in members], now)
        moves = _to_first_todo(session, sprint, members)
        log_activity(
            session,
            sprint.product_id,
            "sprint_started",
            f"{sprint.name}: {start} to {end}, {plural(len(moves), 'item')} moved to do",
        )
        session.flush()
        moved = _flushed(moves)
        cards = read_cards(session, [m.item_id for m in moved])
        return SprintStep(
            sprint=sprint_info(sprint),
            before=before,
            change=Change(cards=tuple(cards), moves=moved),
            entries_added=tuple(entries),
        )


def _to_first_todo(session: Session, sprint: Sprint, members: Sequence[Item]) -> list[_Move]:
    """Move the sprint's items that wait in a backlog column into the first to-do column."""
    columns = _columns(session, sprint.product_id)
    todo = _first(columns, Category.TODO)
    by_id = {c.id: c for c in columns}
    if todo is None:
        return []
    moves = []
    for item in sorted(members, key=lambda i: i.rank):
        source = by_id[item.column_id]
        if source.category != Category.BACKLOG or item.archived:
            continue
        moves.append(_move(session, item, source, todo))
    return moves


_Move = tuple[
    Item, BoardColumn, str, dt.datetime, dt.datetime | None, dt.datetime | None, Transition
]
"""A move made inside a sprint's step: the item, where it was (column, rank, timestamps) and
the transition written."""


def _move(session: Session, item: Item, source: BoardColumn, target: BoardColumn) -> _Move:
    """Move one item in the caller's transaction, keeping what takes the move back."""
    origin = (item, source, item.rank, item.column_since, item.started_at, item.done_at)
    key = item_key(session, item)
    transition = enter_column(session, item, source, target)
    log_activity(
        session, item.product_id, "moved", f"{key}: {source.name} → {target.name}", item.id
    )
    return (*origin, transition)


def _flushed(moves: Sequence[_Move]) -> tuple[Moved, ...]:
    """The moves as records, their transitions' ids known (after a flush)."""
    return tuple(
        Moved(
            item.id, source.id, rank, since, started, done, item.column_id, item.rank,
            transition.id,
        )
        for item, source, rank, since, started, done, transition in moves
    )  # fmt: skip


def undo_start(db: Database, step: SprintStep) -> Change:
    """Take a start back: the sprint is planned again with its old dates, the items it moved
    return to their columns, the scope entries it opened are gone.

    Raises ConflictError, changing nothing, when the sprint has changed state since or an item
    it moved was moved again. Returns a Change with the moved items' cards as now.
    """
    with db.write() as session:
        sprint = get_row(session, Sprint, step.sprint.id, "sprint")
        if sprint.state != SprintState.ACTIVE or sprint.started_at != step.sprint.started_at:
            raise ConflictError(
                f"Sprint {sprint.name!r} changed since it was started; nothing was undone"
            )
        undo_moves(session, step.change.moves)
        _delete_entries(session, step.entries_added)
        _restore(sprint, step.before)
        log_activity(session, sprint.product_id, "sprint_start_undone", sprint.name)
        session.flush()
        ids = [m.item_id for m in step.change.moves]
        return Change(cards=tuple(read_cards(session, ids)))


def _delete_entries(session: Session, entry_ids: Sequence[int]) -> None:
    if entry_ids:
        session.execute(
            delete(SprintEntry)
            .where(SprintEntry.id.in_(list(entry_ids)))
            .execution_options(synchronize_session=False)
        )


def _restore(sprint: Sprint, info: SprintInfo) -> None:
    sprint.state = info.state
    sprint.start_date, sprint.end_date = info.start_date, info.end_date
    sprint.started_at, sprint.closed_at = info.started_at, info.closed_at
    sprint.goal_met = info.goal_met


# --- closing -------------------------------------------------------------------------------


def carry_targets(db: Database, sprint_id: int) -> list[SprintInfo]:
    """The sprints a closing sprint's unfinished items can go to: the product's planned
    sprints, the next one (by start date, then as made) first."""
    sprint = get_sprint(db, sprint_id)
    planned = [
        s
        for s in list_sprints(db, sprint.product_id)
        if s.state == SprintState.PLANNED and s.id != sprint.id
    ]
    return sorted(planned, key=lambda s: (s.start_date is None, s.start_date or dt.date.min, s.id))


def close_sprint(
    db: Database,
    sprint_id: int,
    carry_to: int | None = None,
    *,
    goal_met: bool | None = None,
) -> SprintStep:
    """Close the running sprint; its unfinished items go where the product owner says.

    ``carry_to`` a planned sprint of the product: they join it (carried over, in their
    columns). None: they go back to the backlog: items not started (in a to-do column) return
    to the first backlog column, items in progress keep their column (the work is real).
    Done items stay in the sprint. ``goal_met`` records whether the sprint goal was met.
    :func:`reopen_sprint` takes the closing back.
    """
    with db.write() as session:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        if sprint.state != SprintState.ACTIVE:
            raise ValidationError(f"Sprint {sprint.name!r} is not running")
        target = None
        if carry_to is not None:
            target = get_row(session, Sprint, carry_to, "sprint")
            if target.product_id != sprint.product_id or target.state != SprintState.PLANNED:
                raise ValidationError(
                    f"Unfinished work can go to a planned sprint of {sprint.name}'s product; "
                    f"{target.name!r} is {target.state}"
                )
        before = sprint_info(sprint)
        columns = {c.id: c for c in _columns(session, sprint.product_id)}
        backlog = _first(list(columns.values()), Category.BACKLOG)
        members = session.scalars(
            select(Item).where(Item.sprint_id == sprint.id).order_by(Item.rank)
        ).all()
        unfinished = [
            item
            for item in members
            if columns[item.column_id].category != Category.DONE and not item.archived
        ]
        previous = tuple(read_detail(session, item) for item in unfinished)
        now = utcnow()
        ended = _leave(session, sprint.id, [item.id for item in unfinished], now)
        moves: list[_Move] = []
        added: list[int] = []
        for item in unfinished:
            item.sprint_id = target.id if target is not None else None
            column = columns[item.column_id]
            if target is None and column.category == Category.TODO and backlog is not None:
                moves.append(_move(session, item, column, backlog))
        if target is not None:
            added = _enter(session, target.id, [i.id for i in unfinished], now, sprint.id)
            record_overrides(session, list(unfinished), Definition.READY, f"into {target.name}")
        sprint.state = SprintState.CLOSED
        sprint.closed_at = now
        sprint.goal_met = goal_met
        today = dt.date.today()
        end = min(sprint.end_date or today, today)
        sprint.end_date = max(end, sprint.start_date) if sprint.start_date else end
        where = target.name if target is not None else "the backlog"
        detail = f"{sprint.name}: {plural(len(unfinished), 'unfinished item')} to {where}"
        log_activity(session, sprint.product_id, "sprint_closed", detail)
        session.flush()
        cards = read_cards(session, [item.id for item in unfinished])
        return SprintStep(
            sprint=sprint_info(sprint),
            before=before,
            change=Change(cards=tuple(cards), moves=_flushed(moves), previous=previous),
            carried_to=sprint_info(target) if target is not None else None,
            entries_added=tuple(added),
            entries_ended=tuple(ended),
        )


def reopen_sprint(db: Database, step: SprintStep) -> Change:
    """Take a closing back: the sprint runs again with its old end, its unfinished items
    return to it (and to the columns they left), the scope entries are as before.

    Raises ConflictError, changing nothing, when the sprint was changed since, another sprint
    of the product runs now, or an unfinished item has moved on (another sprint, another
    column). Returns a Change with those items' cards as now.
    """
    with db.write() as session:
        sprint = get_row(session, Sprint, step.sprint.id, "sprint")
        if sprint.state != SprintState.CLOSED or sprint.closed_at != step.sprint.closed_at:
            raise ConflictError(
                f"Sprint {sprint.name!r} changed since it closed; nothing was undone"
            )
        running = session.scalar(
            select(Sprint.name).where(
                Sprint.product_id == sprint.product_id, Sprint.state == SprintState.ACTIVE
            )
        )
        if running:
            raise ConflictError(f"Sprint {running!r} runs now; nothing was undone. Close it first.")
        carried_to = step.carried_to.id if step.carried_to is not None else None
        ids = [detail.id for detail in step.change.previous]
        for item in load_items(session, ids, "nothing was undone"):
            if item.sprint_id != carried_to:
                raise ConflictError(
                    f"{item_key(session, item)} was re-planned since; nothing was undone"
                )
        undo_moves(session, step.change.moves)
        for item in load_items(session, ids, "nothing was undone"):
            item.sprint_id = sprint.id
        _delete_entries(session, step.entries_added)
        if step.entries_ended:
            session.execute(
                update(SprintEntry)
                .where(SprintEntry.id.in_(list(step.entries_ended)))
                .values(removed_at=None)
                .execution_options(synchronize_session=False)
            )
        _restore(sprint, step.before)
        log_activity(session, sprint.product_id, "sprint_reopened", sprint.name)
        session.flush()
        return Change(cards=tuple(read_cards(session, ids)))


# --- capacity ------------------------------------------------------------------------------


def _working_days(start: dt.date | None, end: dt.date | None) -> int:
    if start is None or end is None:
        return 0
    return sum(1 for n in range((end - start).days + 1) if (start + dt.timedelta(n)).weekday() < 5)


def _capacity(session: Session, sprint: Sprint) -> SprintCapacity:
    working = _working_days(sprint.start_date, sprint.end_date)
    rows = session.execute(
        select(
            SprintMember.member_id, TeamMember.name, SprintMember.capacity, SprintMember.days_off
        )
        .join(TeamMember, TeamMember.id == SprintMember.member_id)
        .where(SprintMember.sprint_id == sprint.id)
        .order_by(TeamMember.name)
    )
    members = []
    for member_id, name, capacity, days_off in rows:
        share = max(0.0, working - days_off) / working if working else 1.0
        members.append(MemberCapacity(member_id, name, capacity, days_off, capacity * share))
    planned = session.execute(
        select(Item.points).where(Item.sprint_id == sprint.id, Item.archived.is_(False))
    ).all()
    return SprintCapacity(
        sprint_id=sprint.id,
        unit=sprint.capacity_unit,
        working_days=working,
        members=tuple(members),
        planned_points=float(sum(points or 0 for (points,) in planned)),
        planned_items=len(planned),
    )


def sprint_capacity(db: Database, sprint_id: int) -> SprintCapacity:
    """A sprint's capacity per member (days off counted) beside the points planned into it."""
    with db.read() as session:
        return _capacity(session, get_row(session, Sprint, sprint_id, "sprint"))


def set_capacity(
    db: Database,
    sprint_id: int,
    unit: str,
    members: Mapping[int, tuple[float, float]],
) -> SprintCapacity:
    """Set a sprint's capacity: its unit and, per team member, ``(capacity, days off)``; the
    members left out have none. Returns the capacity as now (an undo passes the old one back
    through :func:`restore_capacity`)."""
    if unit not in CAPACITY_UNITS:
        raise ValidationError(f"Capacity counts {' or '.join(CAPACITY_UNITS)}, not {unit!r}")
    for capacity, days_off in members.values():
        if capacity < 0 or days_off < 0:
            raise ValidationError("A capacity and the days off cannot be negative")
    with db.write() as session:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        _check_open(sprint)
        for member_id in members:
            get_row(session, TeamMember, member_id, "team member")
        sprint.capacity_unit = unit
        session.execute(delete(SprintMember).where(SprintMember.sprint_id == sprint.id))
        for member_id, (capacity, days_off) in members.items():
            session.add(
                SprintMember(
                    sprint_id=sprint.id, member_id=member_id, capacity=capacity, days_off=days_off
                )
            )
        session.flush()
        result = _capacity(session, sprint)
        log_activity(
            session,
            sprint.product_id,
            "sprint_capacity",
            f"{sprint.name}: {result.total:g} {unit} from {plural(len(members), 'member')}",
        )
        return result


def restore_capacity(db: Database, capacity: SprintCapacity) -> SprintCapacity:
    """Give a sprint back the capacity it had (an undo of :func:`set_capacity`)."""
    members = {m.member_id: (m.capacity, m.days_off) for m in capacity.members}
    return set_capacity(db, capacity.sprint_id, capacity.unit, members)

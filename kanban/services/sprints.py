"""Scrum sprints: plan, start, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select

from kanban.domain import Category, Definition, SprintState
from kanban.errors import ValidationError
from kanban.services.common import (
    find_product,
    get_row,
    item_key,
    log_activity,
    product_infos,
    require_text,
)
from kanban.services.items import enter_column, load_items, read_cards, read_detail
from kanban.services.readiness import record_overrides
from kanban.services.records import Change, SprintInfo
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Item, Sprint

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _info(sprint: Sprint) -> SprintInfo:
    return SprintInfo(
        sprint.id,
        sprint.product_id,
        sprint.name,
        sprint.goal,
        sprint.start_date,
        sprint.end_date,
        sprint.state,
    )


def list_sprints(db: Database, product_ref: str | int) -> list[SprintInfo]:
    """A product's sprints, oldest first."""
    sprint = tables.sprints.c
    with db.connect() as connection:
        (product,) = product_infos(connection, product_ref)
        query = (
            select(
                sprint.id,
                sprint.product_id,
                sprint.name,
                sprint.goal,
                sprint.start_date,
                sprint.end_date,
                sprint.state,
            )
            .where(sprint.product_id == product.id)
            .order_by(sprint.id)
        )
        return [SprintInfo(*row) for row in connection.execute(query)]


def active_sprint(db: Database, product_ref: str | int) -> SprintInfo | None:
    """The product's running sprint, if any."""
    return next((s for s in list_sprints(db, product_ref) if s.state == SprintState.ACTIVE), None)


def create_sprint(
    db: Database,
    product_ref: str | int,
    name: str,
    *,
    goal: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> SprintInfo:
    """Plan a new sprint."""
    name = require_text(name, "A sprint name")
    if start_date and end_date and end_date < start_date:
        raise ValidationError("A sprint cannot end before it starts")
    with db.write() as session:
        product = find_product(session, product_ref)
        if session.scalar(
            select(Sprint.id).where(Sprint.product_id == product.id, Sprint.name == name)
        ):
            raise ValidationError(f"There is already a sprint named {name!r}")
        sprint = Sprint(
            product_id=product.id, name=name, goal=goal, start_date=start_date, end_date=end_date
        )
        session.add(sprint)
        session.flush()
        log_activity(session, product.id, "sprint_created", name)
        return _info(sprint)


NOTHING = "nothing was planned"


def set_items_sprint(db: Database, sprint_of: Mapping[int, int | None]) -> Change:
    """Put each item into its sprint (None: out of any sprint), in one transaction.

    A closed sprint neither takes items nor gives them up; an item joins only a sprint of its
    own product. Returns a Change with the items whose sprint changed: ``cards`` as now and
    ``previous`` as before (an undo passes ``{d.id: d.sprint_id for d in previous}``).
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
    for item in changed:
        item.sprint_id = sprint_of[item.id]
    for sprint_id in counts:
        # An item that joins while not Ready joins (the product owner was asked first); the
        # history records the override.
        joining = [item for item in changed if sprint_of[item.id] == sprint_id]
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
        return _info(sprint)


def _check_open(sprint: Sprint) -> None:
    if sprint.state == SprintState.CLOSED:
        raise ValidationError(f"Sprint {sprint.name!r} is closed")


def start_sprint(db: Database, sprint_id: int, start_date: dt.date | None = None) -> SprintInfo:
    """Start a planned sprint; a product runs one sprint at a time."""
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
        sprint.state = SprintState.ACTIVE
        today = dt.date.today()
        # Started ahead of its planned date, a sprint starts today (closing it today must not
        # give it an end before its start).
        planned = sprint.start_date if sprint.start_date and sprint.start_date <= today else None
        sprint.start_date = start_date or planned or today
        if sprint.end_date is not None and sprint.end_date < sprint.start_date:
            sprint.end_date = None
        if sprint.end_date is None:
            sprint.end_date = sprint.start_date + dt.timedelta(days=14)
        log_activity(session, sprint.product_id, "sprint_started", sprint.name)
        return _info(sprint)


def close_sprint(db: Database, sprint_id: int) -> tuple[SprintInfo, int]:
    """Close the sprint; unfinished items leave it and go back to the backlog.

    Items not started (in a 'todo' column) return to the first backlog column; items in
    progress keep their column (the work is real) but leave the sprint. Returns the sprint
    and how many items went back.
    """
    with db.write() as session:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        if sprint.state != SprintState.ACTIVE:
            raise ValidationError(f"Sprint {sprint.name!r} is not running")
        columns = {
            c.id: c
            for c in session.scalars(
                select(BoardColumn)
                .where(BoardColumn.product_id == sprint.product_id)
                .order_by(BoardColumn.position)
            )
        }
        backlog = next((c for c in columns.values() if c.category == Category.BACKLOG), None)
        returned = 0
        for item in session.scalars(select(Item).where(Item.sprint_id == sprint.id)):
            column = columns[item.column_id]
            if column.category == Category.DONE:
                continue
            item.sprint_id = None
            returned += 1
            if column.category == Category.TODO and backlog is not None:
                enter_column(session, item, column, backlog)
                move = f"{item_key(session, item)}: {column.name} → {backlog.name}"
                log_activity(session, item.product_id, "moved", move, item.id)
        sprint.state = SprintState.CLOSED
        end = min(sprint.end_date or dt.date.today(), dt.date.today())
        sprint.end_date = max(end, sprint.start_date) if sprint.start_date else end
        log_activity(
            session, sprint.product_id, "sprint_closed", f"{sprint.name}: {returned} returned"
        )
        return _info(sprint), returned

"""What only PostgreSQL shows about the services: the rows a write touched (each row version
carries its writer, ``xmin``), byte-wise rank order whatever the server's collation, the ORM's
version guard and the partial unique index against a raw connection. Every services test
also runs on PostgreSQL (tests/conftest.py); these are not copies of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kanban.errors import ConflictError, ValidationError
from kanban.services import Database
from kanban.services.items import (
    add_item,
    edit_item,
    get_item,
    load_board,
    move_item,
)
from kanban.services.products import (
    list_columns,
)
from kanban.services.records import Card, ProductInfo
from kanban.services.sprints import active_sprint, close_sprint, create_sprint, start_sprint
from kanban.storage.models import Item

Rows = Callable[..., list[dict[str, Any]]]
Written = Callable[[str], Callable[[], list[int]]]


@pytest.fixture
def columns(db: Database, product: ProductInfo) -> dict[str, int]:
    """Column ids by name: Backlog, To Do, In Progress, Done."""
    return {c.name: c.id for c in list_columns(db, product.id)}


@pytest.fixture
def cards(db: Database, product: ProductInfo) -> list[Card]:
    """Five backlog items, WEB-1 (top) to WEB-5 (bottom)."""
    return [add_item(db, "WEB", f"Item {n}") for n in range(1, 6)]


def keys(db: Database) -> list[str]:
    return [c.key for c in load_board(db, "WEB").cards]


def test_added_items_take_numbers_and_ranks_in_order_at_either_end(
    db: Database, product: ProductInfo, rows: Rows
) -> None:
    add_item(db, "WEB", "Middle")
    add_item(db, "WEB", "Bottom")
    # At the top twice: the second top rank comes from min(rank), which only byte-wise
    # ordering (collation "C") gets right for ranks like "Zz" < "a0"; a linguistic
    # collation would give "a0", hand out "Zz" again and break the unique constraint.
    add_item(db, "WEB", "Top", top=True)
    add_item(db, "WEB", "Very top", top=True)
    board = load_board(db, "WEB")
    assert [c.title for c in board.cards] == ["Very top", "Top", "Middle", "Bottom"]
    ranks = [c.rank for c in board.cards]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4
    assert ranks[0][0].isupper() and ranks[-1][0].islower()  # where the orders would differ
    assert [r["rank"] for r in rows("items", order="rank")] == ranks
    assert [c.key for c in board.cards] == ["WEB-4", "WEB-3", "WEB-1", "WEB-2"]


def test_a_move_writes_one_item_row_a_transition_and_an_activity(
    db: Database, cards: list[Card], columns: dict[str, int], rows: Rows, written: Written
) -> None:
    items = written("items")
    transitions, activities = len(rows("transitions")), len(rows("activities"))

    result = move_item(db, cards[2].id, column_id=columns["In Progress"])

    assert items() == [cards[2].id]  # no neighbour renumbered
    assert len(rows("transitions")) == transitions + 1
    assert len(rows("activities")) == activities + 1
    moved = rows("items", columns="id, column_id, started_at, version")[2]
    assert moved["column_id"] == columns["In Progress"] and moved["version"] == 2
    assert isinstance(moved["started_at"], dt.datetime) and moved["started_at"].tzinfo is None
    assert result.cards[0].column_id == columns["In Progress"]
    assert isinstance(result.cards[0].column_since, dt.datetime)


def test_reprioritising_writes_one_row_and_keeps_the_ranks_ordered(
    db: Database, cards: list[Card], written: Written
) -> None:
    items = written("items")
    move_item(db, cards[4].id, before_id=cards[0].id)
    assert items() == [cards[4].id]
    move_item(db, cards[0].id, after_id=cards[2].id)
    move_item(db, cards[3].id, before_id=cards[4].id)
    assert keys(db) == ["WEB-4", "WEB-5", "WEB-2", "WEB-3", "WEB-1"]
    ranks = [c.rank for c in load_board(db, "WEB").cards]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_edits_bump_the_version_and_a_stale_edit_is_refused_writing_nothing(
    db: Database, cards: list[Card], written: Written, rows: Rows
) -> None:
    first = get_item(db, cards[0].id)
    edited = edit_item(db, first.id, first.version, title="Sharper", points=3.5, labels=["ux"])
    assert edited.version > first.version
    assert (edited.points, edited.labels) == (3.5, ("ux",))
    items, activities = written("items"), len(rows("activities"))

    with pytest.raises(ConflictError, match="changed elsewhere"):
        edit_item(db, first.id, first.version, title="Stale")

    assert items() == []
    assert len(rows("activities")) == activities
    assert get_item(db, first.id).title == "Sharper"


def test_the_orm_version_guard_holds_on_postgresql(
    db: Database, cards: list[Card], raw: Engine
) -> None:
    with Session(raw) as session:
        item = session.get(Item, cards[0].id)
        assert item is not None and item.version == 1
        with raw.begin() as other:  # someone else's update lands meanwhile
            other.execute(text("UPDATE items SET version = 2 WHERE id = :id"), {"id": item.id})
        item.title = "Lost update"
        with pytest.raises(StaleDataError):
            session.flush()
    assert get_item(db, cards[0].id).title == "Item 1"


def test_one_active_sprint_per_product(db: Database, product: ProductInfo, raw: Engine) -> None:
    first = create_sprint(db, "WEB", "Sprint 1", start_date=dt.date(2026, 11, 2))
    second = create_sprint(db, "WEB", "Sprint 2")
    started = start_sprint(db, first.id).sprint
    assert started.state == "active" and active_sprint(db, "WEB") == started
    with pytest.raises(ValidationError, match="still running"):
        start_sprint(db, second.id)
    # The partial unique index refuses it too, whatever the service checks.
    with pytest.raises(IntegrityError, match="ix_sprints_one_active"), raw.begin() as conn:
        conn.execute(text("UPDATE sprints SET state = 'active' WHERE id = :id"), {"id": second.id})
    close_sprint(db, first.id)
    assert start_sprint(db, second.id).sprint.state == "active"

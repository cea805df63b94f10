"""The services on PostgreSQL: products, columns, items and moves, conflicts, sprints,
questions and status updates, each proved against the rows the server holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.checklists import get_checklist
from kanban.services.items import (
    add_item,
    archive_item,
    archive_items,
    delete_item,
    edit_item,
    edit_items,
    get_item,
    load_board,
    move_item,
    move_items,
    restore_item,
    revert_moves,
)
from kanban.services.people import add_stakeholder
from kanban.services.products import (
    add_column,
    create_product,
    delete_column,
    list_columns,
    set_wip_limit,
    update_product,
)
from kanban.services.questions import answer_question, ask_question, list_questions
from kanban.services.records import Card, ProductInfo
from kanban.services.sprints import active_sprint, close_sprint, create_sprint, start_sprint
from kanban.services.status_updates import create_status_update, list_status_updates
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


def test_products_and_columns(db: Database, product: ProductInfo, rows: Rows) -> None:
    assert product.key == "WEB" and product.archived is False
    with pytest.raises(ValidationError, match="already"):
        create_product(db, "web", "Another")  # keys are unique whatever their case
    update_product(db, product.id, name="Web shop 2", vision="Sell more")
    review = add_column(db, product.id, "Review", wip_limit=3)
    set_wip_limit(db, review.id, 2)
    names = [(c.name, c.position, c.wip_limit, c.category) for c in list_columns(db, product.id)]
    assert names == [
        ("Backlog", 0, None, "backlog"),
        ("To Do", 1, None, "todo"),
        ("In Progress", 2, None, "doing"),
        ("Review", 3, 2, "doing"),
        ("Done", 4, None, "done"),
    ]
    delete_column(db, review.id)
    assert [c.name for c in list_columns(db, product.id)][-1] == "Done"
    assert rows("products", columns="name, vision, archived") == [
        {"name": "Web shop 2", "vision": "Sell more", "archived": False}
    ]


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


def test_archive_delete_and_restore(db: Database, cards: list[Card], rows: Rows) -> None:
    archive_item(db, cards[1].id)
    assert "WEB-2" not in keys(db)
    assert rows("items", columns="archived")[1] == {"archived": True}
    archive_item(db, cards[1].id, archived=False)
    gone = delete_item(db, cards[4].id)
    newcomer = add_item(db, "WEB", "Newcomer")
    assert newcomer.id > gone.id  # the sequence never hands a deleted id out again
    restore_item(db, gone)  # its rank went to the newcomer: back at the bottom
    assert keys(db) == ["WEB-1", "WEB-2", "WEB-3", "WEB-4", "WEB-6", "WEB-5"]


def test_several_items_are_one_transaction_and_a_move_is_taken_back_exactly(
    db: Database, cards: list[Card], columns: dict[str, int], rows: Rows
) -> None:
    transitions = rows("transitions")
    before = [get_item(db, c.id) for c in cards[:2]]
    change = move_items(db, [cards[0].id, cards[1].id], column_id=columns["Done"])
    assert [c.column_id for c in change.cards] == [columns["Done"]] * 2
    revert_moves(db, change.moves)
    after = [get_item(db, c.id) for c in cards[:2]]
    assert [(a.column_id, a.rank, a.column_since, a.done_at) for a in after] == [
        (b.column_id, b.rank, b.column_since, b.done_at) for b in before
    ]
    assert rows("transitions") == transitions
    edited = edit_items(db, [cards[0].id, cards[1].id], [a.version for a in after], points=5)
    assert [c.points for c in edited.cards] == [5, 5]

    delete_item(db, cards[3].id)
    with pytest.raises(NotFoundError, match="Nothing was archived"):
        archive_items(db, [cards[2].id, cards[3].id])
    assert "WEB-3" in keys(db)


def test_one_active_sprint_per_product(db: Database, product: ProductInfo, raw: Engine) -> None:
    first = create_sprint(db, "WEB", "Sprint 1", start_date=dt.date(2026, 11, 2))
    second = create_sprint(db, "WEB", "Sprint 2")
    started = start_sprint(db, first.id)
    assert started.state == "active" and active_sprint(db, "WEB") == started
    with pytest.raises(ValidationError, match="still running"):
        start_sprint(db, second.id)
    # The partial unique index refuses it too, whatever the service checks.
    with pytest.raises(IntegrityError, match="ix_sprints_one_active"), raw.begin() as conn:
        conn.execute(text("UPDATE sprints SET state = 'active' WHERE id = :id"), {"id": second.id})
    close_sprint(db, first.id)
    assert start_sprint(db, second.id).state == "active"


def test_questions_asked_answered_and_listed(db: Database, cards: list[Card]) -> None:
    low = ask_question(db, "WEB", "Which colours?", urgency="low", asked_by="Ana")
    urgent = ask_question(db, "WEB", "Is checkout blocked?", item_ref="WEB-2", urgency="high")
    assert [q.id for q in list_questions(db, "WEB", state="open")] == [urgent.id, low.id]
    assert load_board(db, "WEB").cards[1].open_questions == 1
    answered = answer_question(db, urgent.id, "No", answered_by="PO", append_to_criteria=True)
    assert answered.state == "answered" and isinstance(answered.answered_at, dt.datetime)
    assert [q.id for q in list_questions(db, "WEB", state="open")] == [low.id]
    assert get_checklist(db, "WEB-2")[-1].text == f"No (answer to question #{urgent.id})"
    assert low.asked_by == "Ana" and low.asked_at.tzinfo is None


def test_status_updates_with_recipients_and_figures(db: Database, product: ProductInfo) -> None:
    boss = add_stakeholder(db, "Boss", product_ids=[product.id])
    update = create_status_update(
        db,
        "WEB",
        health="at_risk",
        period_start=dt.date(2026, 11, 2),
        period_end=dt.date(2026, 11, 13),
        headline="Checkout slips a week",
        recipient_ids=[boss.id],
        as_of=dt.date(2026, 11, 13),
    )
    (listed,) = list_status_updates(db, "WEB")
    assert listed == update
    assert listed.recipient_ids == (boss.id,)
    assert listed.snapshot["figures"]["as_of"] == "2026-11-13"
    assert listed.period_end == dt.date(2026, 11, 13)

"""Moving cards between columns and within one: exactly what each move writes (services.items)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import add_item, archive_item, get_item, load_board, move_item
from kanban.services.products import create_product, list_columns
from kanban.services.records import Card, Change, ProductInfo


@pytest.fixture
def columns(db: Database, product: ProductInfo) -> dict[str, int]:
    """Column ids by name: Backlog, To Do, In Progress, Done."""
    return {c.name: c.id for c in list_columns(db, product.id)}


@pytest.fixture
def cards(db: Database, product: ProductInfo) -> list[Card]:
    """Five backlog items, WEB-1 (top) to WEB-5 (bottom)."""
    return [add_item(db, "WEB", f"Item {n}") for n in range(1, 6)]


def order(db: Database, column_id: int | None = None) -> list[str]:
    """Card keys in priority order (of one column, or the whole product)."""
    return [
        c.key for c in load_board(db, "WEB").cards if column_id is None or c.column_id == column_id
    ]


def changed_rows(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[int]:
    assert [r["id"] for r in before] == [r["id"] for r in after]
    return [a["id"] for b, a in zip(before, after, strict=True) if a != b]


# --- what a move writes --------------------------------------------------------------------


def test_a_move_between_columns_writes_one_item_one_transition_one_activity(
    db: Database, cards: list[Card], columns: dict[str, int], rows, count
) -> None:
    items, transitions, activities = rows("items"), count("transitions"), count("activities")
    other_tables = {t: rows(t) for t in ("board_columns", "labels", "products")}

    result = move_item(db, cards[2].id, column_id=columns["In Progress"])

    assert changed_rows(items, rows("items")) == [cards[2].id]  # no neighbour renumbered
    assert count("transitions") == transitions + 1
    assert count("activities") == activities + 1
    assert {t: rows(t) for t in other_tables} == other_tables
    transition = rows("transitions")[-1]
    assert (transition["item_id"], transition["from_column_id"], transition["to_column_id"]) == (
        cards[2].id,
        columns["Backlog"],
        columns["In Progress"],
    )
    assert (transition["from_category"], transition["to_category"]) == ("backlog", "doing")
    activity = rows("activities")[-1]
    assert (activity["action"], activity["detail"], activity["item_id"]) == (
        "moved",
        "WEB-3: Backlog → In Progress",
        cards[2].id,
    )
    (moved,) = result.moves
    assert (moved.from_column_id, moved.from_rank) == (columns["Backlog"], cards[2].rank)
    assert result.cards[0].column_id == columns["In Progress"]
    assert result.cards[0].version == cards[2].version + 1
    assert result.cards[0] == load_board(db, "WEB").cards[2]


def test_reprioritising_within_a_column_writes_no_transition(
    db: Database, cards: list[Card], rows, count
) -> None:
    items, transitions, activities = rows("items"), count("transitions"), count("activities")

    result = move_item(db, cards[4].id, before_id=cards[0].id)

    assert order(db) == ["WEB-5", "WEB-1", "WEB-2", "WEB-3", "WEB-4"]
    assert changed_rows(items, rows("items")) == [cards[4].id]
    assert count("transitions") == transitions
    assert count("activities") == activities + 1
    assert rows("activities")[-1]["action"] == "reprioritized"
    assert result.cards[0].column_id == cards[4].column_id


def test_a_move_to_where_the_card_already_is_writes_nothing(
    db: Database, cards: list[Card], columns: dict[str, int], snapshot
) -> None:
    before = snapshot()
    move_item(db, cards[1].id, after_id=cards[0].id)
    move_item(db, cards[1].id, before_id=cards[2].id)
    move_item(db, cards[4].id)  # already the bottom of its column
    result = move_item(db, cards[4].id, column_id=columns["Backlog"])
    assert snapshot() == before
    assert result == Change()  # nothing moved: nothing to show, nothing to undo


# --- where a card lands --------------------------------------------------------------------


def test_after_a_card(db: Database, cards: list[Card]) -> None:
    move_item(db, cards[0].id, after_id=cards[3].id)
    assert order(db) == ["WEB-2", "WEB-3", "WEB-4", "WEB-1", "WEB-5"]
    move_item(db, cards[1].id, after_id=cards[4].id)  # after the last
    assert order(db) == ["WEB-3", "WEB-4", "WEB-1", "WEB-5", "WEB-2"]


def test_before_a_card(db: Database, cards: list[Card]) -> None:
    move_item(db, cards[4].id, before_id=cards[1].id)
    assert order(db) == ["WEB-1", "WEB-5", "WEB-2", "WEB-3", "WEB-4"]
    move_item(db, cards[3].id, before_id=cards[0].id)  # before the first
    assert order(db) == ["WEB-4", "WEB-1", "WEB-5", "WEB-2", "WEB-3"]


def test_into_another_column_next_to_a_card_there(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    todo = columns["To Do"]
    move_item(db, cards[0].id, column_id=todo)
    move_item(db, cards[4].id, column_id=todo, before_id=cards[0].id)
    move_item(db, cards[2].id, column_id=todo, after_id=cards[4].id)
    assert order(db, todo) == ["WEB-5", "WEB-3", "WEB-1"]
    assert order(db, columns["Backlog"]) == ["WEB-2", "WEB-4"]


def test_the_bottom_of_a_column_is_just_below_its_last_card(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    todo = columns["To Do"]
    move_item(db, cards[1].id, column_id=todo)
    result = move_item(db, cards[0].id, column_id=todo)  # no neighbour: the bottom
    assert order(db, todo) == ["WEB-2", "WEB-1"]
    # In the product's priority it sits right below WEB-2, above the backlog below WEB-2.
    assert order(db) == ["WEB-2", "WEB-1", "WEB-3", "WEB-4", "WEB-5"]
    assert result.cards[0].rank > cards[1].rank


def test_an_empty_column_keeps_the_cards_rank(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    result = move_item(db, cards[2].id, column_id=columns["Done"])
    assert result.cards[0].rank == cards[2].rank  # its priority among all items is kept
    assert order(db) == ["WEB-1", "WEB-2", "WEB-3", "WEB-4", "WEB-5"]


def test_archived_cards_do_not_count_as_the_bottom_of_a_column(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    todo = columns["To Do"]
    move_item(db, cards[4].id, column_id=todo)
    archive_item(db, cards[4].id)
    result = move_item(db, cards[0].id, column_id=todo)
    assert result.cards[0].rank == cards[0].rank  # the column looked empty, as the board shows it


def test_an_exact_rank_puts_a_card_back_undo(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    moved = move_item(db, cards[0].id, column_id=columns["To Do"], after_id=cards[3].id)
    origin = moved.moves[0]
    back = move_item(db, cards[0].id, column_id=origin.from_column_id, rank=origin.from_rank)
    assert (back.cards[0].column_id, back.cards[0].rank) == (cards[0].column_id, cards[0].rank)
    assert order(db) == ["WEB-1", "WEB-2", "WEB-3", "WEB-4", "WEB-5"]


def test_an_exact_rank_that_is_taken_falls_back_to_the_bottom(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    result = move_item(db, cards[0].id, column_id=columns["To Do"], rank=cards[1].rank)
    assert result.cards[0].rank != cards[1].rank
    assert len({c.rank for c in load_board(db, "WEB").cards}) == 5


# --- timestamps ----------------------------------------------------------------------------


def test_started_and_done_are_stamped_by_column_category(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    item = cards[0].id
    move_item(db, item, column_id=columns["To Do"])
    assert (get_item(db, item).started_at, get_item(db, item).done_at) == (None, None)
    move_item(db, item, column_id=columns["In Progress"])
    started = get_item(db, item).started_at
    assert started is not None and get_item(db, item).done_at is None
    move_item(db, item, column_id=columns["Done"])
    done = get_item(db, item)
    assert done.started_at == started and done.done_at is not None
    assert done.done_at >= started
    move_item(db, item, column_id=columns["In Progress"])  # reopened
    reopened = get_item(db, item)
    assert (reopened.started_at, reopened.done_at) == (started, None)


def test_column_since_moves_with_the_card_not_with_reprioritising(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    moved = move_item(db, cards[0].id, column_id=columns["To Do"]).cards[0]
    assert moved.column_since > cards[0].column_since
    move_item(db, cards[1].id, column_id=columns["To Do"], before_id=cards[0].id)
    again = move_item(db, cards[0].id, before_id=cards[1].id).cards[0]  # same column
    assert again.column_since == moved.column_since


# --- refusals ------------------------------------------------------------------------------


def test_a_move_across_products_is_refused(
    db: Database, cards: list[Card], columns: dict[str, int], snapshot
) -> None:
    other = create_product(db, "APP", "App")
    foreign_card = add_item(db, "APP", "Theirs")
    foreign_column = list_columns(db, other.id)[1].id
    before = snapshot()
    with pytest.raises(NotFoundError, match="No column with id"):
        move_item(db, cards[0].id, column_id=foreign_column)
    with pytest.raises(ValidationError, match="item of another product"):
        move_item(db, cards[0].id, after_id=foreign_card.id)
    with pytest.raises(NotFoundError, match="No item with id 999"):
        move_item(db, cards[0].id, before_id=999)
    with pytest.raises(NotFoundError, match="No item with id 999"):
        move_item(db, 999, column_id=columns["Done"])
    assert snapshot() == before


# --- many moves ----------------------------------------------------------------------------


def test_many_moves_keep_the_order_a_list_would(
    db: Database, product: ProductInfo, columns: dict[str, int], rows
) -> None:
    """Random moves (seeded) against a plain Python list of the same cards."""
    chance = random.Random(20240611)
    column_of: dict[int, int] = {}
    model: list[int] = []  # item ids in priority order
    for n in range(8):
        card = add_item(db, "WEB", f"Card {n}", column=chance.choice(list(columns.values())))
        model.append(card.id)
        column_of[card.id] = card.column_id
    for _ in range(30):
        item = chance.choice(model)
        target = chance.choice(list(columns.values()))
        others = [i for i in model if i != item]
        in_target = [i for i in others if column_of[i] == target]
        how = chance.choice(["after", "before", "bottom"])
        if how != "bottom" and in_target:
            anchor = chance.choice(in_target)
            move_item(db, item, column_id=target, **{f"{how}_id": anchor})
            model = others
            model.insert(model.index(anchor) + (how == "after"), item)
        else:
            move_item(db, item, column_id=target)
            if in_target:  # just below the column's last card; an empty column keeps the place
                model = others
                model.insert(model.index(in_target[-1]) + 1, item)
        column_of[item] = target
        board = load_board(db, "WEB").cards
        assert [c.id for c in board] == model
        assert all(column_of[c.id] == c.column_id for c in board)
    ranks = [r["rank"] for r in rows("items", order="rank")]
    assert len(set(ranks)) == len(ranks)
    assert max(len(r) for r in ranks) <= 6

"""Several items in one intent: one transaction, all or nothing, one Change (services.items)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import (
    add_item,
    archive_items,
    delete_item,
    delete_items,
    edit_each,
    edit_items,
    get_card,
    get_cards,
    get_item,
    load_board,
    move_items,
    restore_items,
    revert_moves,
)
from kanban.services.products import create_product, list_columns
from kanban.services.records import Card, Change, ProductInfo
from kanban.services.sprints import close_sprint, create_sprint, set_items_sprint, start_sprint


@pytest.fixture
def columns(db: Database, product: ProductInfo) -> dict[str, int]:
    """Column ids by name: Backlog, To Do, In Progress, Done."""
    return {c.name: c.id for c in list_columns(db, product.id)}


@pytest.fixture
def cards(db: Database, product: ProductInfo) -> list[Card]:
    """Four backlog items, WEB-1 (top) to WEB-4 (bottom)."""
    return [add_item(db, "WEB", f"Item {n}", points=n) for n in range(1, 5)]


def live_keys(db: Database) -> list[str]:
    return [c.key for c in load_board(db, "WEB").cards]


def age_items(db_path: Path, days: int) -> None:
    """Make every item look as if it entered its column (and was started) ``days`` ago."""
    then = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).replace(tzinfo=None)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE items SET column_since = ?, created_at = ?", (then.isoformat(" "),) * 2
        )


# --- archive, delete: all or nothing -------------------------------------------------------


def test_archiving_several_items_is_one_change(db: Database, cards: list[Card], snapshot) -> None:
    change = archive_items(db, [cards[0].id, cards[2].id])
    assert change == Change(removed=(cards[0].id, cards[2].id))
    assert live_keys(db) == ["WEB-2", "WEB-4"]
    back = archive_items(db, [cards[0].id, cards[2].id], archived=False)
    assert [c.key for c in back.cards] == ["WEB-1", "WEB-3"]
    assert live_keys(db) == ["WEB-1", "WEB-2", "WEB-3", "WEB-4"]


def test_archiving_with_one_item_gone_archives_nothing(
    db: Database, cards: list[Card], snapshot
) -> None:
    delete_item(db, cards[1].id)  # another window deleted it
    before = snapshot()
    with pytest.raises(NotFoundError, match=f"No item with id {cards[1].id}.*Nothing was archived"):
        archive_items(db, [cards[0].id, cards[1].id])
    assert snapshot() == before  # the first item is not archived either


def test_delete_and_restore_several_items_keep_their_age(
    db: Database, db_path: Path, cards: list[Card], columns: dict[str, int]
) -> None:
    move_items(db, [cards[0].id], column_id=columns["In Progress"])
    age_items(db_path, 7)
    before = [get_item(db, c.id) for c in cards[:2]]
    change = delete_items(db, [cards[0].id, cards[1].id])
    assert change.removed == (cards[0].id, cards[1].id)
    assert change.deleted == tuple(before)
    assert live_keys(db) == ["WEB-3", "WEB-4"]

    restored = restore_items(db, change.deleted)
    assert [c.key for c in restored.cards] == ["WEB-1", "WEB-2"]
    again = [get_item(db, c.id) for c in cards[:2]]
    for old, new in zip(before, again, strict=True):
        assert (new.column_since, new.started_at, new.rank) == (
            old.column_since,
            old.started_at,
            old.rank,
        )


def test_deleting_with_one_item_gone_deletes_nothing(
    db: Database, cards: list[Card], snapshot
) -> None:
    delete_item(db, cards[3].id)
    before = snapshot()
    with pytest.raises(NotFoundError, match="Nothing was deleted"):
        delete_items(db, [cards[0].id, cards[3].id])
    assert snapshot() == before


# --- moves and taking them back -------------------------------------------------------------


def test_moving_several_cards_keeps_their_order_and_says_where_each_came_from(
    db: Database, cards: list[Card], columns: dict[str, int], count
) -> None:
    transitions = count("transitions")
    todo = columns["To Do"]
    change = move_items(db, [cards[3].id, cards[1].id], column_id=todo)
    assert [c.key for c in change.cards] == ["WEB-4", "WEB-2"]
    assert all(c.column_id == todo for c in change.cards)
    assert [c.key for c in load_board(db, "WEB").cards if c.column_id == todo] == [
        "WEB-4",
        "WEB-2",
    ]
    assert [(m.item_id, m.from_column_id, m.from_rank) for m in change.moves] == [
        (cards[3].id, columns["Backlog"], cards[3].rank),
        (cards[1].id, columns["Backlog"], cards[1].rank),
    ]
    assert count("transitions") == transitions + 2
    assert all(m.transition_id is not None for m in change.moves)


def test_a_move_with_one_card_gone_moves_nothing(
    db: Database, cards: list[Card], columns: dict[str, int], snapshot
) -> None:
    delete_item(db, cards[2].id)
    before = snapshot()
    with pytest.raises(NotFoundError, match="Nothing was moved"):
        move_items(db, [cards[0].id, cards[2].id], column_id=columns["Done"])
    assert snapshot() == before


def test_cards_already_in_place_make_an_empty_change(db: Database, cards: list[Card]) -> None:
    assert move_items(db, [cards[1].id], after_id=cards[0].id) == Change()


def test_reverting_a_move_restores_age_started_and_done_exactly(
    db: Database, db_path: Path, cards: list[Card], columns: dict[str, int], rows, snapshot
) -> None:
    move_items(db, [cards[0].id, cards[1].id], column_id=columns["In Progress"])
    age_items(db_path, 7)
    before = {c.id: get_item(db, c.id) for c in cards[:2]}
    transitions = rows("transitions")

    change = move_items(db, [cards[0].id, cards[1].id], column_id=columns["Done"])
    moved = get_item(db, cards[0].id)
    assert moved.done_at is not None and moved.column_since > before[cards[0].id].column_since

    back = revert_moves(db, change.moves)
    assert [c.column_id for c in back.cards] == [columns["In Progress"]] * 2
    for item_id, old in before.items():
        now = get_item(db, item_id)
        assert (now.column_id, now.rank, now.column_since, now.started_at, now.done_at) == (
            old.column_id,
            old.rank,
            old.column_since,
            old.started_at,
            old.done_at,
        )
        assert get_card(db, item_id).column_since == old.column_since  # the card shows 7d
    assert rows("transitions") == transitions  # the flow metrics never saw the trip


def test_reverting_a_reorder_gives_the_old_ranks_back(db: Database, cards: list[Card]) -> None:
    change = move_items(db, [cards[2].id, cards[3].id], before_id=cards[0].id)
    assert live_keys(db) == ["WEB-3", "WEB-4", "WEB-1", "WEB-2"]
    assert all(m.transition_id is None for m in change.moves)
    revert_moves(db, change.moves)
    assert [(c.id, c.rank) for c in load_board(db, "WEB").cards] == [(c.id, c.rank) for c in cards]


def test_reverting_a_card_someone_moved_since_reverts_nothing(
    db: Database, cards: list[Card], columns: dict[str, int], snapshot
) -> None:
    change = move_items(db, [cards[0].id, cards[1].id], column_id=columns["To Do"])
    move_items(db, [cards[1].id], column_id=columns["Done"])  # another window
    before = snapshot()
    with pytest.raises(ConflictError, match="WEB-2 was moved elsewhere since; nothing was undone"):
        revert_moves(db, change.moves)
    assert snapshot() == before


def test_a_move_to_another_products_column_is_refused(
    db: Database, cards: list[Card], columns: dict[str, int]
) -> None:
    create_product(db, "APP", "App")
    foreign = add_item(db, "APP", "Theirs")
    with pytest.raises(ValidationError, match="column of another product"):
        move_items(db, [cards[0].id, foreign.id], column_id=columns["Done"])
    assert get_card(db, foreign.id).column_id == foreign.column_id
    assert get_card(db, cards[0].id).column_id == columns["Backlog"]


# --- edits ----------------------------------------------------------------------------------


def test_one_change_to_several_items(db: Database, cards: list[Card]) -> None:
    ids = [cards[0].id, cards[1].id]
    change = edit_items(db, ids, [1, 1], points=13, add_labels=["ux"])
    assert [(c.points, c.labels, c.version) for c in change.cards] == [(13, ("ux",), 2)] * 2
    assert [d.points for d in change.details] == [13, 13]
    assert [d.points for d in change.previous] == [1, 2]  # what an undo writes back
    undo = edit_each(
        db, [(d.id, c.version, {"points": d.points, "labels": d.labels})
             for d, c in zip(change.previous, change.cards, strict=True)]
    )  # fmt: skip
    assert [(c.points, c.labels) for c in undo.cards] == [(1, ()), (2, ())]


def test_labels_are_added_and_taken_per_item(db: Database, product: ProductInfo) -> None:
    one = add_item(db, "WEB", "One", labels=["web", "seo"])
    two = add_item(db, "WEB", "Two", labels=["web"])
    change = edit_items(db, [one.id, two.id], [1, 1], add_labels=["new"], remove_labels=["WEB"])
    assert [c.labels for c in change.cards] == [("new", "seo"), ("new",)]


def test_a_stale_item_in_a_bulk_edit_saves_nothing(
    db: Database, cards: list[Card], snapshot
) -> None:
    edit_items(db, [cards[1].id], [1], title="Theirs")  # another window saved first
    before = snapshot()
    with pytest.raises(ConflictError, match="WEB-2 was changed elsewhere"):
        edit_items(db, [cards[0].id, cards[1].id], [1, 1], points=8)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"colour": "red"}, "Unknown item field"),
        ({"title": "  "}, "A title is required"),
        ({"points": -1}, "cannot be negative"),
    ],
)
def test_bad_bulk_edits_are_refused(
    db: Database, cards: list[Card], changes: dict[str, Any], error: str
) -> None:
    with pytest.raises(ValidationError, match=error):
        edit_items(db, [cards[0].id, cards[1].id], [1, 1], **changes)


def test_the_same_item_twice_in_one_edit_is_refused(db: Database, cards: list[Card]) -> None:
    with pytest.raises(ValidationError, match="once in one change"):
        edit_each(db, [(cards[0].id, 1, {"points": 1}), (cards[0].id, 1, {"points": 2})])


# --- sprints --------------------------------------------------------------------------------


def test_sprint_membership_of_several_items_and_its_undo(
    db: Database, product: ProductInfo, cards: list[Card]
) -> None:
    one = create_sprint(db, "WEB", "One")
    two = create_sprint(db, "WEB", "Two")
    set_items_sprint(db, {cards[0].id: one.id})
    change = set_items_sprint(db, dict.fromkeys([cards[0].id, cards[1].id, cards[2].id], two.id))
    assert [c.sprint_id for c in change.cards] == [two.id] * 3
    previous = {d.id: d.sprint_id for d in change.previous}
    assert previous == {cards[0].id: one.id, cards[1].id: None, cards[2].id: None}
    undo = set_items_sprint(db, previous)
    assert [c.sprint_id for c in undo.cards] == [one.id, None, None]
    assert set_items_sprint(db, previous) == Change()  # already so: nothing changed


def test_a_closed_sprint_keeps_its_items(
    db: Database, product: ProductInfo, cards: list[Card], columns: dict[str, int], snapshot
) -> None:
    sprint = create_sprint(db, "WEB", "Past")
    set_items_sprint(db, {cards[0].id: sprint.id})
    move_items(db, [cards[0].id], column_id=columns["Done"])
    start_sprint(db, sprint.id)
    close_sprint(db, sprint.id)
    before = snapshot()
    with pytest.raises(ValidationError, match="'Past' is closed"):
        set_items_sprint(db, {cards[1].id: None, cards[0].id: None})
    with pytest.raises(ValidationError, match="'Past' is closed"):
        set_items_sprint(db, {cards[1].id: sprint.id})
    assert snapshot() == before


# --- reading several cards ------------------------------------------------------------------


def test_cards_read_together_carry_their_product(db: Database, cards: list[Card]) -> None:
    app = create_product(db, "APP", "App")
    theirs = add_item(db, "APP", "Theirs")
    read = get_cards(db, [theirs.id, cards[1].id, 999])
    assert [(c.key, c.product_id) for c in read] == [
        ("APP-1", app.id),
        ("WEB-2", cards[1].product_id),
    ]
    assert read[1] == get_card(db, cards[1].id) == load_board(db, "WEB").cards[1]

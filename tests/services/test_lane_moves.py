"""A move that sets a field with it (a drop into another swimlane, issue 14.12): one
transaction, one Change; ``revert_moves`` with ``restore`` takes both back."""

from __future__ import annotations

import pytest

from kanban.errors import ValidationError
from kanban.services import Database
from kanban.services.items import (
    add_item,
    edit_item,
    get_card,
    get_item,
    item_history,
    load_board,
    move_items,
    revert_moves,
)
from kanban.services.people import add_member
from kanban.services.products import create_product, list_columns
from kanban.services.records import ProductInfo
from kanban.storage.models import Release


@pytest.fixture
def columns(db: Database, product: ProductInfo) -> dict[str, int]:
    return {c.name: c.id for c in list_columns(db, product.id)}


def release_of(db: Database, product_id: int, name: str) -> int:
    with db.write() as session:
        release = Release(product_id=product_id, name=name, description="", state="planned",
                          notes="")  # fmt: skip
        session.add(release)
        session.flush()
        return release.id


def test_cards_carry_their_epic_and_release(db: Database, product: ProductInfo) -> None:
    epic = add_item(db, "WEB", "Checkout", kind="epic")
    release = release_of(db, product.id, "1.0")
    card = add_item(db, "WEB", "Guest checkout")
    edit_item(db, card.id, card.version, epic_id=epic.id, release_id=release)
    shown = next(c for c in load_board(db, "WEB").cards if c.id == card.id)
    assert (shown.epic_id, shown.release_id) == (epic.id, release)
    assert get_item(db, card.id).release_id == release


def test_a_move_into_another_lane_moves_and_sets_the_field_at_once(
    db: Database, product: ProductInfo, columns: dict[str, int], rows
) -> None:
    ana = add_member(db, "Ana Silva")
    one, two = add_item(db, "WEB", "One"), add_item(db, "WEB", "Two")
    activities = len(rows("activities"))
    change = move_items(
        db, [one.id], column_id=columns["In Progress"], changes={"assignee_id": ana.id}
    )
    (card,) = change.cards
    assert (card.column_id, card.assignee) == (columns["In Progress"], "Ana Silva")
    assert [m.item_id for m in change.moves] == [one.id]
    assert [p.assignee_id for p in change.previous] == [None]
    assert [d.assignee_id for d in change.details] == [ana.id]
    assert [a["action"] for a in rows("activities")[activities:]] == ["moved", "edited"]
    assert get_card(db, two.id).assignee is None  # only the dropped card


def test_a_move_within_its_column_to_another_lane_changes_the_field(
    db: Database, product: ProductInfo, columns: dict[str, int]
) -> None:
    one, two = add_item(db, "WEB", "One"), add_item(db, "WEB", "Two", kind="bug")
    change = move_items(db, [two.id], column_id=columns["Backlog"], before_id=one.id,
                        changes={"kind": "story"})  # fmt: skip
    assert [(c.key, c.kind) for c in change.cards] == [("WEB-2", "story")]
    assert [c.key for c in load_board(db, "WEB").cards] == ["WEB-2", "WEB-1"]
    # Dropped on its own place, in its own lane: nothing at all.
    assert move_items(db, [two.id], column_id=columns["Backlog"], before_id=one.id,
                      changes={"kind": "story"}).empty  # fmt: skip


def test_undo_takes_back_the_move_and_the_field(
    db: Database, product: ProductInfo, columns: dict[str, int], rows
) -> None:
    ana = add_member(db, "Ana Silva")
    card = add_item(db, "WEB", "One")
    transitions = len(rows("transitions"))
    change = move_items(
        db, [card.id], column_id=columns["In Progress"], changes={"assignee_id": ana.id}
    )
    restore = {p.id: {"assignee_id": p.assignee_id} for p in change.previous}
    undone = revert_moves(db, change.moves, restore)
    (back,) = undone.cards
    assert (back.column_id, back.assignee) == (columns["Backlog"], None)
    assert len(rows("transitions")) == transitions  # the move's transition is gone
    assert item_history(db, card.id)[-1].action == "edited"


def test_a_lane_of_another_product_is_refused_and_nothing_moves(
    db: Database, product: ProductInfo, columns: dict[str, int], snapshot
) -> None:
    other = create_product(db, "APP", "App")
    theirs = release_of(db, other.id, "2.0")
    card = add_item(db, "WEB", "One")
    before = snapshot()
    with pytest.raises(ValidationError, match="release belongs to another product"):
        move_items(db, [card.id], column_id=columns["Done"], changes={"release_id": theirs})
    assert snapshot() == before


def test_labels_are_no_lane(db: Database, product: ProductInfo, columns: dict[str, int]) -> None:
    card = add_item(db, "WEB", "One")
    with pytest.raises(ValueError, match="plain fields only"):
        move_items(db, [card.id], column_id=columns["Done"], changes={"labels": ["x"]})

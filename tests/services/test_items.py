"""Items: add, edit with optimistic concurrency, archive, delete, restore (services.items)."""

from __future__ import annotations

import datetime as dt

import pytest

from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import (
    add_item,
    archive_item,
    delete_item,
    edit_item,
    get_card,
    get_item,
    item_history,
    load_board,
    restore_item,
)
from kanban.services.people import add_member, add_stakeholder
from kanban.services.products import create_product, list_columns
from kanban.services.questions import ask_question, get_question
from kanban.services.records import ProductInfo
from kanban.services.sprints import create_sprint


def column_id(db: Database, product: ProductInfo, name: str) -> int:
    return next(c.id for c in list_columns(db, product.id) if c.name == name)


# --- add -----------------------------------------------------------------------------------


def test_add_an_item_to_the_bottom_of_the_backlog(db: Database, product: ProductInfo, rows) -> None:
    card = add_item(db, "WEB", "  Pay by card  ", kind="bug", points=3)
    assert (card.key, card.kind, card.title, card.points) == ("WEB-1", "bug", "Pay by card", 3)
    assert card.column_id == column_id(db, product, "Backlog")
    assert card.version == 1
    assert card.labels == () and card.open_questions == 0
    (item,) = rows("items")
    assert (item["number"], item["started_at"], item["done_at"]) == (1, None, None)
    (transition,) = rows("transitions")  # the item's arrival, for cumulative flow
    assert (transition["from_column_id"], transition["to_column_id"]) == (None, card.column_id)
    assert (transition["from_category"], transition["to_category"]) == (None, "backlog")
    assert [(a["action"], a["detail"], a["item_id"]) for a in rows("activities")][-1] == (
        "created",
        "WEB-1 Pay by card",
        card.id,
    )


def test_keys_count_up_per_product_and_are_never_reused(db: Database, product: ProductInfo) -> None:
    create_product(db, "APP", "App")
    assert add_item(db, "WEB", "One").key == "WEB-1"
    two = add_item(db, "web", "Two")  # the product by key, any case
    assert add_item(db, "App", "Other product").key == "APP-1"  # or by name
    assert two.key == "WEB-2"
    delete_item(db, two.id)
    assert add_item(db, product.id, "Three").key == "WEB-3"


def test_new_items_go_to_the_bottom_or_the_top(db: Database, product: ProductInfo) -> None:
    first = add_item(db, "WEB", "First")
    last = add_item(db, "WEB", "Last")
    top = add_item(db, "WEB", "Urgent", top=True)
    assert top.rank < first.rank < last.rank
    assert [c.title for c in load_board(db, "WEB").cards] == ["Urgent", "First", "Last"]


def test_add_into_a_named_column_stamps_started_and_done(
    db: Database, product: ProductInfo
) -> None:
    todo = get_item(db, add_item(db, "WEB", "Planned", column="to do").id)
    doing = get_item(db, add_item(db, "WEB", "Started", column="In Progress").id)
    done = get_item(db, add_item(db, "WEB", "Shipped", column=column_id(db, product, "Done")).id)
    assert (todo.column_name, todo.started_at, todo.done_at) == ("To Do", None, None)
    assert doing.started_at is not None and doing.done_at is None
    assert done.started_at is not None and done.done_at is not None


def test_add_with_every_field(db: Database, product: ProductInfo) -> None:
    member = add_member(db, "Ada")
    person = add_stakeholder(db, "Grace", product_ids=[product.id])
    sprint = create_sprint(db, "WEB", "Sprint 1")
    epic = add_item(db, "WEB", "Checkout", kind="epic")
    card = add_item(
        db,
        "WEB",
        "Pay by card",
        points=2.5,
        labels=["payments", " ", "ux", "payments"],
        description="Card payments",
        business_value=8,
        sprint_id=sprint.id,
        epic_id=epic.id,
        assignee_id=member.id,
        requested_by_id=person.id,
        due_date=dt.date(2030, 1, 31),
        blocked_reason="Waiting for the bank",
    )
    assert (card.assignee, card.requested_by, card.labels) == ("Ada", "Grace", ("payments", "ux"))
    detail = get_item(db, card.key)
    assert detail.description == "Card payments"
    assert (detail.business_value, detail.points, detail.due_date) == (8, 2.5, dt.date(2030, 1, 31))
    assert (detail.sprint_id, detail.epic_id) == (sprint.id, epic.id)
    assert detail.blocked_reason == "Waiting for the bank"


@pytest.mark.parametrize(
    ("title", "options", "error", "message"),
    [
        ("", {}, ValidationError, "title is required"),
        ("   ", {}, ValidationError, "title is required"),
        ("Ok", {"points": -1}, ValidationError, "cannot be negative"),
        ("Ok", {"kind": "feature"}, ValidationError, "'feature' must be one of story, bug,"),
        ("Ok", {"colour": "red"}, ValidationError, "Unknown item field"),
        ("Ok", {"column": "Review"}, NotFoundError, "the columns are: Backlog, To Do"),
        ("Ok", {"epic_id": 999}, NotFoundError, "No epic with id 999"),
        ("Ok", {"assignee_id": 999}, NotFoundError, "No team member"),
    ],
)
def test_a_bad_item_is_refused(
    db: Database,
    product: ProductInfo,
    snapshot,
    title: str,
    options: dict,
    error: type[Exception],
    message: str,
) -> None:
    before = snapshot()
    with pytest.raises(error, match=message):
        add_item(db, "WEB", title, **options)
    assert snapshot() == before


def test_zero_points_are_fine(db: Database, product: ProductInfo) -> None:
    assert add_item(db, "WEB", "Trivial", points=0).points == 0


def test_an_item_of_an_unknown_product(db: Database) -> None:
    with pytest.raises(NotFoundError, match="No product 'NOPE'"):
        add_item(db, "NOPE", "Lost")


# --- edit ----------------------------------------------------------------------------------


def test_edit_changes_fields_and_bumps_the_version(
    db: Database, product: ProductInfo, rows
) -> None:
    card = add_item(db, "WEB", "Pay", points=1)
    detail = edit_item(db, card.id, 1, title=" Pay by card ", points=3, kind="bug")
    assert (detail.title, detail.points, detail.kind, detail.version) == (
        "Pay by card",
        3,
        "bug",
        2,
    )
    assert detail.updated_at >= detail.created_at
    assert get_item(db, card.id) == detail
    assert rows("activities")[-1]["action"] == "edited"
    assert rows("activities")[-1]["detail"] == "title, points, kind"


def test_an_edit_that_changes_nothing_writes_nothing(
    db: Database, product: ProductInfo, snapshot
) -> None:
    card = add_item(db, "WEB", "Pay", points=1)
    before = snapshot()
    assert edit_item(db, card.id, 1, title="Pay", points=1).version == 1
    assert snapshot() == before


def test_a_stale_edit_is_refused_names_the_item_and_writes_nothing(
    db: Database, product: ProductInfo, snapshot
) -> None:
    card = add_item(db, "WEB", "Pay")
    edit_item(db, card.id, card.version, title="Pay by card")  # another window saved first
    before = snapshot()
    with pytest.raises(ConflictError) as caught:
        edit_item(db, card.id, card.version, title="Pay by cash", points=5)
    assert "WEB-1 was changed elsewhere" in str(caught.value)
    assert "now version 2, yours 1" in str(caught.value)
    assert snapshot() == before
    assert get_item(db, card.id).title == "Pay by card"


def test_any_write_to_an_item_makes_older_edits_stale(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Pay")
    assert edit_item(db, card.id, 1, labels=["payments"]).version == 2  # labels alone
    archive_item(db, card.id)
    with pytest.raises(ConflictError):
        edit_item(db, card.id, 2, title="Old view")
    assert edit_item(db, card.id, 3, title="Fresh view").version == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "title is required"),
        ({"points": -0.5}, "cannot be negative"),
        ({"kind": "chore"}, "must be one of"),
        ({"rank": "a0"}, "Unknown item field"),
        ({"version": 7}, "Unknown item field"),
    ],
)
def test_a_bad_edit_is_refused(
    db: Database, product: ProductInfo, snapshot, changes: dict, message: str
) -> None:
    card = add_item(db, "WEB", "Pay")
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        edit_item(db, card.id, 1, **changes)
    assert snapshot() == before


def test_edit_checks_references(db: Database, product: ProductInfo, snapshot) -> None:
    other = create_product(db, "APP", "App")
    foreign_sprint = create_sprint(db, "APP", "App sprint")
    story = add_item(db, "WEB", "Not an epic")
    epic = add_item(db, "WEB", "An epic", kind="epic")
    foreign_epic = add_item(db, other.id, "Their epic", kind="epic")
    card = add_item(db, "WEB", "Pay")
    before = snapshot()
    with pytest.raises(ValidationError, match="sprint belongs to another product"):
        edit_item(db, card.id, 1, sprint_id=foreign_sprint.id)
    with pytest.raises(ValidationError, match="must be an epic of the same product"):
        edit_item(db, card.id, 1, epic_id=story.id)
    with pytest.raises(ValidationError, match="must be an epic of the same product"):
        edit_item(db, card.id, 1, epic_id=foreign_epic.id)
    with pytest.raises(ValidationError, match="cannot be its own epic"):
        edit_item(db, epic.id, 1, epic_id=epic.id)
    with pytest.raises(NotFoundError, match="No item with id 999"):
        edit_item(db, 999, 1, title="Ghost")
    assert snapshot() == before
    assert edit_item(db, card.id, 1, epic_id=epic.id).epic_id == epic.id


def test_labels_are_replaced_and_cleared(db: Database, product: ProductInfo, count) -> None:
    card = add_item(db, "WEB", "Pay", labels=["ux"])
    detail = edit_item(db, card.id, 1, labels=["payments", "Backend", "ux"])
    assert detail.labels == ("Backend", "payments", "ux")
    assert edit_item(db, card.id, 2, labels=[]).labels == ()
    assert count("labels") == 3  # labels stay for reuse; only the links go
    assert count("item_labels") == 0


def test_a_blank_blocked_reason_unblocks(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Pay", blocked_reason="Bank")
    assert edit_item(db, card.id, 1, blocked_reason="  ").blocked_reason is None


def test_history_lists_what_happened_oldest_first(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Pay")
    edit_item(db, card.id, 1, points=2)
    archive_item(db, card.id)
    history = item_history(db, "WEB-1")
    assert [(h.action, h.actor) for h in history] == [
        ("created", "po"),
        ("edited", "po"),
        ("archived", "po"),
    ]


# --- archive, delete, restore --------------------------------------------------------------


def test_archive_takes_an_item_off_the_board_and_restore_brings_it_back(
    db: Database, product: ProductInfo
) -> None:
    keep = add_item(db, "WEB", "Keep")
    card = add_item(db, "WEB", "Old idea")
    archive_item(db, card.id)
    assert get_item(db, card.id).archived
    assert get_item(db, card.id).version == 2
    assert [c.id for c in load_board(db, "WEB").cards] == [keep.id]
    assert get_card(db, card.id).title == "Old idea"  # still readable
    archive_item(db, card.id, archived=False)
    assert [c.id for c in load_board(db, "WEB").cards] == [keep.id, card.id]
    assert get_card(db, card.id).rank == card.rank  # back at its old priority


def test_delete_then_restore_brings_back_the_same_item(
    db: Database, product: ProductInfo, count
) -> None:
    member = add_member(db, "Ada")
    card = add_item(
        db, "WEB", "Pay", points=5, labels=["ux"], description="Text", assignee_id=member.id
    )
    after = add_item(db, "WEB", "After")
    question = ask_question(db, "WEB", "Which cards?", item_ref=card.key)

    detail = delete_item(db, card.id)

    assert (detail.key, detail.labels, detail.points) == ("WEB-1", ("ux",), 5)  # its last state
    with pytest.raises(NotFoundError, match="No item WEB-1"):
        get_item(db, "WEB-1")
    assert [c.id for c in load_board(db, "WEB").cards] == [after.id]
    assert get_question(db, question.id).item_id is None  # the question stays, unlinked
    assert count("item_labels") == 0

    restored = restore_item(db, detail)

    assert (restored.id, restored.key, restored.rank) == (card.id, "WEB-1", card.rank)
    again = get_item(db, card.id)
    for field in ("title", "points", "labels", "description", "assignee_id", "created_at"):
        assert getattr(again, field) == getattr(detail, field)
    assert [c.id for c in load_board(db, "WEB").cards] == [card.id, after.id]


def test_restore_puts_an_item_at_the_bottom_when_its_rank_was_taken(
    db: Database, product: ProductInfo
) -> None:
    card = add_item(db, "WEB", "Pay")
    detail = delete_item(db, card.id)
    taker = add_item(db, "WEB", "Took the rank", top=True)
    assert taker.rank == card.rank  # the freed rank went to the newcomer
    restored = restore_item(db, detail)
    assert restored.rank > taker.rank
    assert len({c.rank for c in load_board(db, "WEB").cards}) == 2


def test_restore_refuses_an_item_that_exists(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Pay")
    with pytest.raises(ValidationError, match="WEB-1 exists already"):
        restore_item(db, get_item(db, card.id))


def test_a_deleted_items_id_is_not_handed_to_the_next_item(
    db: Database, product: ProductInfo, snapshot
) -> None:
    """A stale window editing the deleted newest item must not hit the next new item."""
    card = add_item(db, "WEB", "Deleted in another window")
    delete_item(db, card.id)
    newcomer = add_item(db, "WEB", "Newcomer")
    assert newcomer.id != card.id
    before = snapshot()
    with pytest.raises(NotFoundError, match=f"No item with id {card.id}"):
        edit_item(db, card.id, card.version, title="Stale edit")
    assert snapshot() == before


@pytest.mark.parametrize("points", [float("nan"), float("inf")])
def test_points_must_be_a_finite_number(
    db: Database, product: ProductInfo, snapshot, points: float
) -> None:
    """`kanban add --points nan` parses as a float: NaN would be stored as no points."""
    card = add_item(db, "WEB", "Pay")
    before = snapshot()
    with pytest.raises(ValidationError, match="Story points must be a number"):
        add_item(db, "WEB", "Pay", points=points)
    with pytest.raises(ValidationError, match="Story points must be a number"):
        edit_item(db, card.id, 1, points=points)
    assert snapshot() == before


def test_restore_drops_links_to_what_was_deleted_meanwhile(
    db: Database, product: ProductInfo
) -> None:
    """Window 1 deletes a story, window 2 deletes its epic, window 1 undoes its delete."""
    epic = add_item(db, "WEB", "Checkout", kind="epic")
    story = add_item(db, "WEB", "Pay", epic_id=epic.id, points=3)
    detail = delete_item(db, story.id)
    delete_item(db, epic.id)
    restore_item(db, detail)
    again = get_item(db, story.id)
    assert (again.title, again.points, again.epic_id) == ("Pay", 3, None)

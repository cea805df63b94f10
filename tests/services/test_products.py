"""Products and their board columns (kanban.services.products)."""

from __future__ import annotations

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import add_item, archive_item, load_board
from kanban.services.products import (
    add_column,
    archive_product,
    create_product,
    delete_column,
    get_product,
    list_columns,
    list_products,
    move_column,
    set_wip_limit,
    update_column,
    update_product,
)
from kanban.services.records import ColumnInfo, ProductInfo


def names(columns: list[ColumnInfo]) -> list[str]:
    return [c.name for c in columns]


def column(db: Database, product: ProductInfo, name: str) -> ColumnInfo:
    return next(c for c in list_columns(db, product.id) if c.name == name)


def assert_positions_contiguous(db: Database, product: ProductInfo) -> None:
    assert [c.position for c in list_columns(db, product.id)] == list(
        range(len(list_columns(db, product.id)))
    )


# --- products ------------------------------------------------------------------------------


def test_a_new_product_has_the_four_default_columns_in_order(db: Database, rows) -> None:
    product = create_product(db, " web ", "  Web shop ", vision="Sell online")
    assert product == ProductInfo(product.id, "WEB", "Web shop", "Sell online", False)
    assert [
        (c.name, c.category, c.position, c.wip_limit) for c in list_columns(db, product.id)
    ] == [
        ("Backlog", "backlog", 0, None),
        ("To Do", "todo", 1, None),
        ("In Progress", "doing", 2, None),
        ("Done", "done", 3, None),
    ]
    assert [(a["action"], a["actor"]) for a in rows("activities")] == [("product_created", "po")]


@pytest.mark.parametrize("key", ["", "  ", "1WEB", "WE-B", "WE B", "ABCDEFGHIJK", "WÉB"])
def test_a_bad_product_key_is_refused(db: Database, snapshot, key: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="1 to 10 letters or digits"):
        create_product(db, key, "Web shop")
    assert snapshot() == before


def test_keys_of_one_to_ten_characters_are_accepted(db: Database) -> None:
    assert create_product(db, "w", "One").key == "W"
    assert create_product(db, "abcde12345", "Ten").key == "ABCDE12345"


def test_a_product_needs_a_name(db: Database, snapshot) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="name is required"):
        create_product(db, "WEB", "   ")
    assert snapshot() == before


def test_keys_and_names_are_unique(db: Database, product: ProductInfo, snapshot) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match=r"'Web shop' \(WEB\) already exists"):
        create_product(db, "web", "Another name")
    with pytest.raises(ValidationError, match="already exists"):
        create_product(db, "SHOP", "Web shop")
    with pytest.raises(ValidationError, match="already exists"):
        create_product(db, "SHOP", "WEB SHOP")  # names are looked up in any case
    assert snapshot() == before


def test_a_product_is_found_by_key_name_or_id(db: Database, product: ProductInfo) -> None:
    assert get_product(db, "web") == product
    assert get_product(db, "Web shop") == product
    assert get_product(db, product.id) == product
    with pytest.raises(NotFoundError, match="No product 'APP'"):
        get_product(db, "APP")
    with pytest.raises(NotFoundError):
        get_product(db, 999)


def test_rename_and_change_the_vision(db: Database, product: ProductInfo) -> None:
    renamed = update_product(db, "WEB", name=" Online shop ", vision="Sell more")
    assert (renamed.key, renamed.name, renamed.vision) == ("WEB", "Online shop", "Sell more")
    assert get_product(db, product.id) == renamed
    assert update_product(db, product.id, vision="").name == "Online shop"  # name kept


def test_rename_refuses_a_blank_or_taken_name(db: Database, product: ProductInfo, snapshot) -> None:
    create_product(db, "APP", "Mobile app")
    before = snapshot()
    with pytest.raises(ValidationError, match="'Mobile app' already exists"):
        update_product(db, "WEB", name="Mobile app")
    with pytest.raises(ValidationError, match="already exists"):
        update_product(db, "WEB", name="mobile APP")
    with pytest.raises(ValidationError, match="name is required"):
        update_product(db, "WEB", name=" ")
    assert snapshot() == before
    assert update_product(db, "WEB", name="Web shop").name == "Web shop"  # its own name is fine


def test_archive_hides_a_product_and_restore_brings_it_back(
    db: Database, product: ProductInfo
) -> None:
    other = create_product(db, "APP", "App")
    assert archive_product(db, "WEB").archived
    assert list_products(db) == [other]
    assert [p.key for p in list_products(db, include_archived=True)] == ["APP", "WEB"]
    assert get_product(db, "WEB").archived  # still there, by key
    assert not archive_product(db, "WEB", archived=False).archived
    assert [p.key for p in list_products(db)] == ["APP", "WEB"]  # by name


# --- columns -------------------------------------------------------------------------------


def test_a_new_column_goes_before_done_by_default(db: Database, product: ProductInfo) -> None:
    review = add_column(db, product.id, "Review", wip_limit=2)
    assert (review.category, review.wip_limit, review.position) == ("doing", 2, 3)
    assert names(list_columns(db, product.id)) == [
        "Backlog", "To Do", "In Progress", "Review", "Done",
    ]  # fmt: skip
    add_column(db, product.id, "Released", category="done")
    assert names(list_columns(db, product.id))[-1] == "Released"
    assert_positions_contiguous(db, product)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (0, ["New", "Backlog", "To Do", "In Progress", "Done"]),
        (2, ["Backlog", "To Do", "New", "In Progress", "Done"]),
        (4, ["Backlog", "To Do", "In Progress", "Done", "New"]),
        (99, ["Backlog", "To Do", "In Progress", "Done", "New"]),
        (-5, ["New", "Backlog", "To Do", "In Progress", "Done"]),
    ],
)
def test_a_column_is_added_at_a_position(
    db: Database, product: ProductInfo, position: int, expected: list[str]
) -> None:
    add_column(db, product.id, "New", category="todo", position=position)
    assert names(list_columns(db, product.id)) == expected
    assert_positions_contiguous(db, product)


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("in progress", {}, "already a column named"),
        ("  ", {}, "column name is required"),
        ("Review", {"category": "blocked"}, "must be one of backlog, todo, doing, done"),
        ("Review", {"wip_limit": 0}, "at least 1"),
        ("Review", {"wip_limit": -3}, "at least 1"),
    ],
)
def test_a_bad_column_is_refused(
    db: Database, product: ProductInfo, snapshot, name: str, options: dict, message: str
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        add_column(db, product.id, name, **options)
    assert snapshot() == before


def test_rename_a_column_and_change_its_category(db: Database, product: ProductInfo) -> None:
    doing = column(db, product, "In Progress")
    renamed = update_column(db, doing.id, name=" Doing ")
    assert renamed.name == "Doing"
    assert update_column(db, doing.id, name="doing").name == "doing"  # case of its own name
    assert update_column(db, doing.id, category="todo").category == "todo"
    assert names(list_columns(db, product.id)) == ["Backlog", "To Do", "doing", "Done"]


def test_renaming_a_column_refuses_a_taken_or_blank_name(
    db: Database, product: ProductInfo, snapshot
) -> None:
    doing = column(db, product, "In Progress")
    before = snapshot()
    with pytest.raises(ValidationError, match="already a column named 'done'"):
        update_column(db, doing.id, name="done")
    with pytest.raises(ValidationError, match="required"):
        update_column(db, doing.id, name="")
    with pytest.raises(ValidationError, match="must be one of"):
        update_column(db, doing.id, category="waiting")
    with pytest.raises(NotFoundError, match="No column with id 999"):
        update_column(db, 999, name="X")
    assert snapshot() == before


def test_a_columns_name_may_repeat_across_products(db: Database, product: ProductInfo) -> None:
    other = create_product(db, "APP", "App")
    add_column(db, product.id, "Review")
    assert add_column(db, other.id, "Review").product_id == other.id


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (0, ["Done", "Backlog", "To Do", "In Progress"]),
        (2, ["Backlog", "To Do", "Done", "In Progress"]),
        (3, ["Backlog", "To Do", "In Progress", "Done"]),
        (50, ["Backlog", "To Do", "In Progress", "Done"]),
    ],
)
def test_reorder_columns(
    db: Database, product: ProductInfo, position: int, expected: list[str]
) -> None:
    done = column(db, product, "Done")
    moved = move_column(db, done.id, position)
    assert names(moved) == expected
    assert moved == list_columns(db, product.id)
    assert_positions_contiguous(db, product)


def test_set_and_clear_a_wip_limit(db: Database, product: ProductInfo, snapshot) -> None:
    doing = column(db, product, "In Progress")
    assert set_wip_limit(db, doing.id, 3).wip_limit == 3
    assert column(db, product, "In Progress").wip_limit == 3
    assert set_wip_limit(db, doing.id, None).wip_limit is None
    before = snapshot()
    with pytest.raises(ValidationError, match="at least 1"):
        set_wip_limit(db, doing.id, 0)
    assert snapshot() == before


def test_the_wip_limit_is_advice_a_full_column_still_takes_cards(
    db: Database, product: ProductInfo
) -> None:
    """The board turns the header red past the limit; the service does not refuse."""
    doing = set_wip_limit(db, column(db, product, "In Progress").id, 1)
    add_item(db, "WEB", "One", column=doing.id)
    add_item(db, "WEB", "Two", column=doing.id)
    assert sum(card.column_id == doing.id for card in load_board(db, "WEB").cards) == 2


def test_an_empty_column_can_be_deleted(db: Database, product: ProductInfo) -> None:
    add_item(db, "WEB", "Stays in the backlog")
    delete_column(db, column(db, product, "To Do").id)
    assert names(list_columns(db, product.id)) == ["Backlog", "In Progress", "Done"]
    assert_positions_contiguous(db, product)


def test_a_column_with_items_is_not_deleted(db: Database, product: ProductInfo, snapshot) -> None:
    todo = column(db, product, "To Do")
    add_item(db, "WEB", "Live", column="To Do")
    archived = add_item(db, "WEB", "Archived", column="To Do")
    archive_item(db, archived.id)
    before = snapshot()
    with pytest.raises(ValidationError, match=r"'To Do' still holds 2 items; move them first"):
        delete_column(db, todo.id)
    assert snapshot() == before


def test_delete_a_column_after_moving_its_items(
    db: Database, product: ProductInfo, rows, count
) -> None:
    todo = column(db, product, "To Do")
    doing = column(db, product, "In Progress")
    first = add_item(db, "WEB", "First", column=todo.id)
    second = add_item(db, "WEB", "Second", column=todo.id)
    archive_item(db, second.id)
    transitions = count("transitions")

    delete_column(db, todo.id, move_items_to=doing.id)

    assert names(list_columns(db, product.id)) == ["Backlog", "In Progress", "Done"]
    assert_positions_contiguous(db, product)
    moved = rows("items")
    assert [(i["id"], i["column_id"], i["rank"]) for i in moved] == [
        (first.id, doing.id, first.rank),  # the priority is kept
        (second.id, doing.id, second.rank),
    ]
    assert all(i["started_at"] is not None for i in moved)  # they entered a 'doing' column
    new = rows("transitions", where=f"id > {transitions}")
    assert [(t["item_id"], t["from_category"], t["to_category"]) for t in new] == [
        (first.id, "todo", "doing"),
        (second.id, "todo", "doing"),
    ]
    # The deleted column's id is cleared from history; its category stays for the metrics.
    assert all(t["from_column_id"] is None for t in new)


def test_items_cannot_be_moved_into_the_deleted_column_or_another_product(
    db: Database, product: ProductInfo, snapshot
) -> None:
    todo = column(db, product, "To Do")
    add_item(db, "WEB", "Live", column=todo.id)
    other = create_product(db, "APP", "App")
    foreign = list_columns(db, other.id)[0]
    before = snapshot()
    with pytest.raises(ValidationError, match="into the column itself"):
        delete_column(db, todo.id, move_items_to=todo.id)
    with pytest.raises(NotFoundError):
        delete_column(db, todo.id, move_items_to=foreign.id)
    assert snapshot() == before

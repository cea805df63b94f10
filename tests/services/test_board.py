"""Reading a board and an item: load_board, get_card, get_item, list_epics (services.items)."""

from __future__ import annotations

import datetime as dt

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database, items
from kanban.services.items import (
    add_item,
    archive_item,
    get_card,
    get_item,
    list_epics,
    load_board,
    move_item,
)
from kanban.services.people import add_member, add_stakeholder
from kanban.services.products import add_column, create_product, list_columns, move_column
from kanban.services.questions import answer_question, ask_question, set_question_state
from kanban.services.records import Card, ProductInfo


def test_an_empty_board(db: Database, product: ProductInfo) -> None:
    board = load_board(db, "WEB")
    assert board.product == product
    assert [c.name for c in board.columns] == ["Backlog", "To Do", "In Progress", "Done"]
    assert board.cards == ()


def test_columns_come_in_position_order(db: Database, product: ProductInfo) -> None:
    add_column(db, product.id, "Review")
    done = next(c for c in list_columns(db, product.id) if c.name == "Done")
    move_column(db, done.id, 0)
    assert [c.name for c in load_board(db, "WEB").columns] == [
        "Done", "Backlog", "To Do", "In Progress", "Review",
    ]  # fmt: skip
    assert load_board(db, "WEB").columns == tuple(list_columns(db, product.id))


def test_cards_come_in_rank_order_with_their_names_labels_and_questions(
    db: Database, product: ProductInfo
) -> None:
    ada = add_member(db, "Ada")
    grace = add_stakeholder(db, "Grace")
    first = add_item(db, "WEB", "First", labels=["ux", "Backend"], assignee_id=ada.id)
    second = add_item(db, "WEB", "Second", points=2.5, requested_by_id=grace.id)
    top = add_item(db, "WEB", "Top", top=True, kind="bug", blocked_reason="Waiting")
    ask_question(db, "WEB", "Open one?", item_ref=first.key)
    ask_question(db, "WEB", "Open two?", item_ref=first.key)
    answered = ask_question(db, "WEB", "Answered?", item_ref=first.key)
    answer_question(db, answered.id, "Yes")
    obsolete = ask_question(db, "WEB", "Obsolete?", item_ref=second.key)
    set_question_state(db, obsolete.id, "obsolete")
    ask_question(db, "WEB", "About the product, not a card")

    board = load_board(db, "WEB")

    assert [c.title for c in board.cards] == ["Top", "First", "Second"]
    by_title = {c.title: c for c in board.cards}
    assert by_title["First"].labels == ("Backend", "ux")
    assert by_title["First"].assignee == "Ada"
    assert by_title["First"].open_questions == 2
    assert by_title["Second"].open_questions == 0
    assert by_title["Second"].requested_by == "Grace"
    assert by_title["Second"].points == 2.5
    assert (by_title["Top"].kind, by_title["Top"].blocked_reason) == ("bug", "Waiting")
    assert isinstance(by_title["Top"].column_since, dt.datetime)
    for card in board.cards:
        assert get_card(db, card.id) == card  # one card reads the same as the board
    assert top.key == "WEB-3"


def test_archived_cards_and_other_products_stay_off_the_board(
    db: Database, product: ProductInfo
) -> None:
    create_product(db, "APP", "App")
    add_item(db, "APP", "Theirs")
    kept = add_item(db, "WEB", "Kept")
    gone = add_item(db, "WEB", "Gone")
    archive_item(db, gone.id)
    assert [c.id for c in load_board(db, "WEB").cards] == [kept.id]
    assert [c.key for c in load_board(db, "APP").cards] == ["APP-1"]


def test_cards_in_every_column_share_one_priority_order(db: Database, product: ProductInfo) -> None:
    columns = [c.id for c in list_columns(db, product.id)]
    cards = [add_item(db, "WEB", f"Item {n}", column=columns[n % 4]) for n in range(8)]
    board = load_board(db, "WEB")
    for column in columns:
        in_column = [c for c in board.cards if c.column_id == column]
        assert [c.rank for c in in_column] == sorted(c.rank for c in in_column)
    assert [c.id for c in board.cards] == [c.id for c in cards]


def test_a_large_board_reads_as_each_card_does(
    db: Database, product: ProductInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``_SMALL`` cards the board reads whole columns, every label link and the people
    by id: each card as get_card reads it, in the product's rank order across columns."""
    monkeypatch.setattr(items, "_SMALL", 2)
    columns = [c.id for c in list_columns(db, product.id)]
    ada, grace = add_member(db, "Ada"), add_stakeholder(db, "Grace")
    create_product(db, "APP", "App")
    add_item(db, "APP", "Theirs", labels=["ux", "api"])  # the same label names, another product
    made = [
        add_item(
            db, "WEB", f"Item {n}", column=columns[n % 3], labels=labels,
            assignee_id=ada.id if n % 2 else None, requested_by_id=grace.id if n == 4 else None,
        )
        for n, labels in enumerate([["ux", "Backend", "api"], [], ["api"], ["ux"], ["api", "ux"]])
    ]  # fmt: skip
    move_item(db, made[0].id, column_id=columns[2], after_id=made[2].id)
    archive_item(db, made[3].id)

    board = load_board(db, "WEB")

    assert board.cards == tuple(get_card(db, i) for i in (made[1].id, made[2].id, made[0].id,
                                                          made[4].id))  # fmt: skip
    assert [c.rank for c in board.cards] == sorted(c.rank for c in board.cards)
    # In the database's name order (as the one card's read orders them, above).
    assert sorted(board.cards[2].labels) == ["Backend", "api", "ux"]
    assert board.cards[3].labels == ("api", "ux")
    assert (board.cards[0].assignee, board.cards[3].requested_by) == ("Ada", "Grace")
    assert isinstance(board.cards[0].column_since, dt.datetime)


def test_a_board_is_found_by_key_name_or_id(db: Database, product: ProductInfo) -> None:
    add_item(db, "WEB", "One")
    assert load_board(db, "web") == load_board(db, "Web shop") == load_board(db, product.id)
    with pytest.raises(NotFoundError, match="No product 'NOPE'"):
        load_board(db, "NOPE")


def test_get_item_reads_every_field(db: Database, product: ProductInfo) -> None:
    card = add_item(
        db,
        "WEB",
        "Pay",
        kind="bug",
        points=3,
        labels=["payments"],
        description="Cards",
        due_date=dt.date(2030, 5, 1),
    )
    move_item(db, card.id, column_id=list_columns(db, product.id)[2].id)
    detail = get_item(db, " web-1 ")
    assert (detail.id, detail.key, detail.number, detail.kind) == (card.id, "WEB-1", 1, "bug")
    assert (detail.title, detail.description, detail.points) == ("Pay", "Cards", 3)
    assert (detail.column_name, detail.labels, detail.due_date) == (
        "In Progress",
        ("payments",),
        dt.date(2030, 5, 1),
    )
    assert detail.started_at is not None and detail.version == 2
    assert get_item(db, card.id) == detail


@pytest.mark.parametrize(
    ("ref", "error", "message"),
    [
        ("WEB-9", NotFoundError, "No item WEB-9"),
        ("APP-1", NotFoundError, "No item APP-1"),
        ("WEB 1", ValidationError, "not an item key"),
        ("42", ValidationError, "not an item key"),
        (42, NotFoundError, "No item with id 42"),
    ],
)
def test_an_unknown_item(
    db: Database, product: ProductInfo, ref: str | int, error: type, message: str
) -> None:
    add_item(db, "WEB", "One")
    with pytest.raises(error, match=message):
        get_item(db, ref)


def test_list_epics(db: Database, product: ProductInfo) -> None:
    add_item(db, "WEB", "A story")
    second = add_item(db, "WEB", "Second epic", kind="epic")
    first = add_item(db, "WEB", "First epic", kind="epic", top=True)
    archive_item(db, add_item(db, "WEB", "Old epic", kind="epic").id)
    epics: list[Card] = list_epics(db, "WEB")
    assert [e.id for e in epics] == [first.id, second.id]

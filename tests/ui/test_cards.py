"""The window's one card store (kanban.ui.cards): what it holds and how a Change reaches it."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from kanban.services import Database, items
from kanban.services.records import Board, Card, Change, ColumnInfo, ProductInfo
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.board.screen import BoardScreen
from kanban.ui.cards import CardStore
from kanban.ui.main_window import MainWindow

TODO, DOING = 1, 2
COLUMNS = (
    ColumnInfo(TODO, 1, "To Do", 0, None, "todo"),
    ColumnInfo(DOING, 1, "Doing", 1, None, "doing"),
)


def card(item_id: int, rank: str, column_id: int = TODO, product_id: int = 1) -> Card:
    return Card(
        item_id, product_id, f"WEB-{item_id}", "story", f"Card {item_id}", None, None,
        column_id, rank, None, None, None, None, dt.datetime(2026, 1, 1), 1,
    )  # fmt: skip


def loaded(*cards: Card) -> CardStore:
    store = CardStore()
    store.load(Board(ProductInfo(1, "WEB", "Web", "", False), COLUMNS, cards))
    return store


def ids(cards: list[Card]) -> list[int]:
    return [c.id for c in cards]


def test_a_change_reaches_every_index_and_says_what_was_held() -> None:
    store = loaded(card(1, "a1"), card(2, "a2"), card(3, "a3", DOING))
    revision = store.revision
    moved = card(1, "a4", DOING)
    update = store.apply(Change(cards=(moved, card(9, "a0", product_id=2)), removed=(2, 99)))
    assert update.pairs == ((card(1, "a1"), moved), (card(2, "a2"), None))  # theirs ignored
    assert ids(store.order) == [3, 1]
    assert ids(store.by_column[TODO]) == [] and ids(store.by_column[DOING]) == [3, 1]
    assert sorted(store.by_id) == [1, 3] and len(store) == 2
    assert store.revision == revision + 1
    added = store.apply(Change(cards=(card(4, "a0"),)))
    assert added.pairs == ((None, card(4, "a0")),)
    assert ids(store.order) == [4, 3, 1]


def test_an_outdated_store_takes_no_change_and_columns_that_came_outdate_it() -> None:
    store = loaded(card(1, "a1"))
    assert store.set_columns([COLUMNS[1], COLUMNS[0]])  # moved: the same columns
    assert not store.outdated and store.columns[0].id == DOING
    assert not store.set_columns(COLUMNS[:1])  # one went: read again
    assert store.outdated
    assert store.apply(Change(removed=(1,))).pairs == ()
    assert 1 in store.by_id
    generation = store.generation
    store.clear()
    assert (len(store), store.product_id, store.generation) == (0, None, generation + 1)


def test_board_and_backlog_share_one_read_of_the_cards(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    a, b = (items.add_item(db, product.id, title) for title in ("A", "B"))
    board = window.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    window.ctx.check_for_external_changes()  # the items added above: noticed now, not later
    qtbot.waitUntil(lambda: len(board.store) == 2)
    store = window.ctx.cards
    generation = store.generation
    assert board.drop_cards((b.id,), a.column_id, None, a.id)  # B above A
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    assert [c.title for c in backlog.model.rows] == ["B", "A"]
    assert store.generation == generation  # no second read: the move reached the one store
    assert backlog.store is board.store is store

"""The board's Qt-free filters over the card store, and the store's search cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kanban.services.records import Board, Card, Change, ColumnInfo, ProductInfo
from kanban.ui.board.state import NO_SPRINT, UNASSIGNED, CardFilter, matches, select
from kanban.ui.cards import CardStore

TODO, DOING = 1, 2


def card(item_id: int, rank: str, title: str, column_id: int = TODO, **fields: object) -> Card:
    base = Card(
        item_id, 1, f"WEB-{item_id}", "story", title, None, None, column_id, rank, None, None,
        None, None, dt.datetime(2026, 1, 1), 1,
    )  # fmt: skip
    return base._replace(**fields)


def store() -> CardStore:
    columns = (
        ColumnInfo(TODO, 1, "To Do", 0, None, "todo"),
        ColumnInfo(DOING, 1, "Doing", 1, 3, "doing"),
    )
    cards = CardStore()
    cards.load(
        Board(
            ProductInfo(1, "WEB", "Web", "", False),
            columns,
            (
                card(1, "a1", "Checkout page", assignee="Ann", labels=("web",), sprint_id=7),
                card(2, "a2", "Check stock", DOING),
                card(3, "a3", "Search results", labels=("web", "seo")),
                card(4, "a4", "Login form", sprint_id=7),
                card(5, "a5", "Card in no column of the board", column_id=99),
            ),
        )
    )
    return cards


def titles(cards: Sequence[Card]) -> list[str]:
    return [c.title for c in cards]


def test_cards_by_column_in_rank_order_and_strays_ignored() -> None:
    board = store()
    assert len(board) == 4
    assert titles(board.by_column[TODO]) == ["Checkout page", "Search results", "Login form"]
    assert titles(select(board, DOING, CardFilter())) == ["Check stock"]


def test_filters() -> None:
    board = store()
    assert titles(select(board, TODO, CardFilter(text="CHECK"))) == ["Checkout page"]
    assert titles(select(board, TODO, CardFilter(text="web-4"))) == ["Login form"]
    assert titles(select(board, TODO, CardFilter(assignee="Ann"))) == ["Checkout page"]
    assert titles(select(board, TODO, CardFilter(assignee=UNASSIGNED))) == [
        "Search results",
        "Login form",
    ]
    assert titles(select(board, TODO, CardFilter(label="seo"))) == ["Search results"]
    assert titles(select(board, TODO, CardFilter(sprint_id=7))) == ["Checkout page", "Login form"]
    assert titles(select(board, TODO, CardFilter(sprint_id=NO_SPRINT))) == ["Search results"]
    both = CardFilter(text="e", label="web")  # every key "web-n" has an e
    assert titles(select(board, TODO, both)) == ["Checkout page", "Search results"]
    assert not CardFilter().active and CardFilter(text=" x ").active and both.active


def test_search_results_follow_moves_and_cannot_be_changed() -> None:
    board = store()
    found = select(board, TODO, CardFilter(text="ch"))
    assert titles(found) == ["Checkout page", "Search results"]
    # The board shows the store's own results (no copy per keystroke), which nobody can
    # change; the same search again hands back the same result.
    assert not isinstance(found, list) and not hasattr(found, "clear")
    assert select(board, TODO, CardFilter(text="ch")) is found
    assert [found[1], found[0], found[-1]] == [found[1], *found]  # read in any order
    assert isinstance(select(board, TODO, CardFilter()), tuple)
    assert titles(select(board, TODO, CardFilter(text="che"))) == ["Checkout page"]

    before = select(board, TODO, CardFilter())
    moved = board.by_id[2]._replace(column_id=TODO, rank="a0")
    board.apply(Change(cards=(moved,)))  # "Check stock" joins To Do at the top
    assert titles(before) == ["Checkout page", "Search results", "Login form"]  # as it was
    assert titles(select(board, TODO, CardFilter())) == ["Check stock", *titles(before)]
    assert titles(select(board, TODO, CardFilter(text="che"))) == ["Check stock", "Checkout page"]
    assert titles(select(board, TODO, CardFilter(text="ch"))) == [
        "Check stock",
        "Checkout page",
        "Search results",
    ]
    assert list(select(board, DOING, CardFilter(text="ch"))) == []
    board.apply(Change(removed=(1,)))
    assert titles(select(board, TODO, CardFilter(text="che"))) == ["Check stock"]
    assert matches(moved, CardFilter(text="stock"))
    assert not matches(moved, CardFilter(text="stock", label="web"))


def test_big_results_are_picked_as_far_as_read_and_match_a_plain_filter() -> None:
    columns = (ColumnInfo(TODO, 1, "To Do", 0, None, "todo"),)
    many = [card(n, f"r{n:05}", f"{'red' if n % 3 else 'blue'} task {n}") for n in range(1, 1200)]
    board = CardStore()
    board.load(Board(ProductInfo(1, "WEB", "Web", "", False), columns, tuple(many)))
    for text in ("red", "red task 1", "red task 11", "blue", "blue task 9"):
        found = select(board, TODO, CardFilter(text=text))
        expected = [c for c in many if text in f"{c.key} {c.title}".casefold()]
        assert len(found) == len(expected)
        assert found[0] == expected[0] and found[-1] == expected[-1]
        assert found[len(found) // 2] == expected[len(expected) // 2]
        assert list(found) == expected

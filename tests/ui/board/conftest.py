"""Board fixtures: a product with cards in several columns, the Board page shown."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kanban.services import Database, items
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow

SEED = {
    "Backlog": ["Wishlist", "Gift cards"],
    "To Do": ["Checkout page", "Search results", "Login form"],
    "In Progress": ["Payment API"],
    "Done": [],
}


@pytest.fixture
def seeded(db: Database, product: ProductInfo) -> dict[str, Card]:
    """Cards of product WEB by title, added column by column (rank order = this order)."""
    cards = {}
    for column, titles in SEED.items():
        for title in titles:
            cards[title] = items.add_item(db, product.id, title, column=column)
    return cards


@pytest.fixture
def board(seeded: dict[str, Card], window: MainWindow, qtbot: QtBot) -> BoardScreen:
    """The Board page of the window, showing WEB with the seeded cards."""
    screen = window.show_screen(BoardScreen)
    assert isinstance(screen, BoardScreen)
    qtbot.waitUntil(lambda: len(screen.store) == len(seeded))
    qtbot.waitExposed(screen)
    return screen

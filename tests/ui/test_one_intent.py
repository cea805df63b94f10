"""One user intent is one transaction and one undo entry, seen through the real widgets of two
windows on one database file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from ui_helpers import delete_in_backlog

from kanban.services import Database, items
from kanban.services.records import Card, ProductInfo
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow

ARCHIVE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def cards(db: Database, product: ProductInfo) -> list[Card]:
    return [items.add_item(db, product.id, title) for title in ("A", "B", "C")]


def backlog_of(window: MainWindow) -> BacklogScreen:
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    return screen


def shown(screen: BacklogScreen) -> list[str]:
    return [card.title for card in screen.model.rows]


def messages() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_archiving_two_items_one_deleted_elsewhere_changes_nothing_and_says_why(
    qtbot: QtBot,
    db: Database,
    product: ProductInfo,
    window: MainWindow,
    other: MainWindow,
    cards: list[Card],
) -> None:
    a, b, _ = cards
    mine = backlog_of(window)
    mine.reload()
    assert shown(mine) == ["A", "B", "C"]
    window.ctx._poll.stop()  # this window must not notice the delete before the key press
    delete_in_backlog(other, qtbot, b)
    assert [c.title for c in items.load_board(db, product.id).cards] == ["A", "C"]

    mine.select_ids([a.id, b.id])  # this window has not noticed the delete yet
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    mine.view.setFocus()
    qtbot.keyClick(mine.view, Qt.Key.Key_A, ARCHIVE)

    assert not items.get_item(db, a.id).archived  # all or nothing: nothing
    assert window.ctx.undo_stack.count() == 0
    assert any("Nothing was archived" in text for text in messages()), messages()
    # The window then notices the other's delete and shows what is there.
    window.ctx._poll.start()
    qtbot.waitUntil(lambda: shown(mine) == ["A", "C"], timeout=3000)


def test_archiving_two_cards_from_the_board_menu_is_one_undo_entry(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow, cards: list[Card]
) -> None:
    a, _, c = cards
    board = window.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    qtbot.waitUntil(lambda: len(board.store) == 3)
    menu = board.card_menu([a.id, c.id])
    archive = next(x for x in menu.actions() if x.text() == "Archive 2 cards")
    archive.trigger()
    assert [x.title for x in items.load_board(db, product.id).cards] == ["B"]
    assert window.ctx.undo_stack.count() == 1
    assert window.undo_action.text() == "&Undo Archive 2 items"

    window.undo_action.trigger()
    assert [x.title for x in items.load_board(db, product.id).cards] == ["A", "B", "C"]
    assert sorted(board.store.by_id) == sorted(x.id for x in cards)

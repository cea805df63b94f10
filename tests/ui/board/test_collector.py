"""Opening a board: the cycle collector waits until the cards are on screen, then walks them."""

from __future__ import annotations

import gc

from board_helpers import view_titles
from pytestqt.qtbot import QtBot

from kanban.services import Database, items
from kanban.services.products import create_product
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow


def test_the_collector_walks_a_read_once_the_board_has_painted_it(
    db: Database, window: MainWindow, qtbot: QtBot
) -> None:
    app = create_product(db, "APP", "App")
    for title in ("Sign in", "Sign out", "Settings"):
        items.add_item(db, app.id, title, column="To Do")
    board = window.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    qtbot.waitUntil(gc.isenabled)  # WEB's read settled

    window.ctx.select_product(app)  # reads the cards and hands them to the screens

    assert not gc.isenabled()  # paused through the read and the first paint
    assert [c.title for c in window.ctx.cards.order] == ["Sign in", "Sign out", "Settings"]
    qtbot.waitUntil(gc.isenabled)  # resumed once the event loop had time to paint
    assert view_titles(board, "To Do") == ["Sign in", "Sign out", "Settings"]
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation)}
    assert not young & {id(card) for card in window.ctx.cards.order}  # walked, and aged

"""Changes made by another connection or the command line show on the board within 2 s."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from board_helpers import column, view_titles
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, open_database
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow


def test_a_move_by_another_connection_appears(
    board: BoardScreen, db_path: Path, seeded: dict[str, Card], qtbot: QtBot
) -> None:
    other = open_database(str(db_path))
    try:
        done = next(c for c in items.load_board(other, "WEB").columns if c.name == "Done")
        items.move_item(other, seeded["Login form"].id, column_id=done.id)
    finally:
        other.close()
    qtbot.waitUntil(lambda: view_titles(board, "Done") == ["Login form"], timeout=2000)
    assert view_titles(board, "To Do") == ["Checkout page", "Search results"]
    assert column(board, "Done").count_label.text() == "1"


def test_a_move_from_the_command_line_appears(
    board: BoardScreen, db_path: Path, seeded: dict[str, Card], qtbot: QtBot
) -> None:
    key = seeded["Wishlist"].key
    result = subprocess.run(
        [sys.executable, "-m", "kanban", "move", key, "In Progress", "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(
        lambda: view_titles(board, "In Progress") == ["Payment API", "Wishlist"], timeout=2000
    )
    assert view_titles(board, "Backlog") == ["Gift cards"]


def test_a_hidden_board_reloads_when_shown_again(
    board: BoardScreen,
    window: MainWindow,
    db_path: Path,
    product: ProductInfo,
    qtbot: QtBot,
) -> None:
    window.nav.setCurrentRow(0)  # another page in front
    assert board.isHidden()
    with qtbot.waitSignal(window.ctx.events.external_change, timeout=2000):
        other = Database.open(f"sqlite:///{db_path}")
        try:
            items.add_item(other, product.id, "Added elsewhere", column="Done")
        finally:
            other.close()
    assert view_titles(board, "Done") == []  # not read while hidden
    window.show_screen(BoardScreen)
    assert view_titles(board, "Done") == ["Added elsewhere"]

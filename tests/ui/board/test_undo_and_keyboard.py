"""Undo and redo of moves (Edit menu, Ctrl+Z), and moving cards from the keyboard."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from board_helpers import below_last_card, column, db_titles, drop, row_point, view_titles
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kanban.services import Database, items
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.delegate import days_since
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow

MOVE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def ranks(db: Database, product: ProductInfo) -> dict[int, tuple[int, str]]:
    return {c.id: (c.column_id, c.rank) for c in items.load_board(db, product.id).cards}


def test_undo_and_redo_a_drop_restore_the_database_and_the_views(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    before_db = ranks(db, product)
    before_views = {name: view_titles(board, name) for name in ("To Do", "In Progress")}
    source = column(board, "To Do").model
    mime = source.mimeData([source.index(0), source.index(2)])  # Checkout page, Login form
    target = column(board, "In Progress").view
    assert drop(target, row_point(target, 0, "above"), mime)
    after_db = ranks(db, product)
    after_views = {name: view_titles(board, name) for name in ("To Do", "In Progress")}
    assert after_views["In Progress"] == ["Checkout page", "Login form", "Payment API"]

    window.undo_action.trigger()
    assert ranks(db, product) == before_db  # same columns, exact old ranks
    assert {n: view_titles(board, n) for n in ("To Do", "In Progress")} == before_views

    window.redo_action.trigger()
    assert ranks(db, product) == after_db
    assert {n: view_titles(board, n) for n in ("To Do", "In Progress")} == after_views
    assert window.undo_action.text().startswith("&Undo Move 2 cards to In Progress")


def test_ctrl_z_undoes_a_move(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow, qtbot: QtBot
) -> None:
    before = db_titles(db, product)
    target = column(board, "Done").view
    source = column(board, "Backlog").model
    assert drop(target, below_last_card(target), source.mimeData([source.index(0)]))
    assert db_titles(db, product)["Done"] == ["Wishlist"]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    target.setFocus()
    QTest.keyClick(target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert db_titles(db, product) == before
    assert view_titles(board, "Done") == []
    assert view_titles(board, "Backlog") == ["Wishlist", "Gift cards"]

    QTest.keyClick(target, Qt.Key.Key_Z, MOVE)  # Ctrl+Shift+Z: redo
    assert db_titles(db, product)["Done"] == ["Wishlist"]


def focus_card(board: BoardScreen, qtbot: QtBot, card: Card):
    view = board.select_cards([card.id])
    assert view is not None
    board.window().activateWindow()
    qtbot.waitUntil(lambda: view.hasFocus())
    return view


def test_ctrl_shift_right_and_left_move_to_the_next_and_previous_column(
    board: BoardScreen, db: Database, db_path: Path, product: ProductInfo, seeded, qtbot: QtBot
) -> None:
    card = seeded["Search results"]
    view = focus_card(board, qtbot, card)
    QTest.keyClick(view, Qt.Key.Key_Right, MOVE)
    assert db_titles(db, product)["In Progress"] == ["Search results", "Payment API"]
    moved = items.get_card(db, card.id)
    assert moved.rank == card.rank  # its priority kept: only the column changed
    in_progress = column(board, "In Progress").view
    assert in_progress.selected_ids() == [card.id]  # selection and focus follow the card
    assert in_progress.hasFocus()

    QTest.keyClick(in_progress, Qt.Key.Key_Right, MOVE)
    QTest.keyClick(column(board, "Done").view, Qt.Key.Key_Left, MOVE)
    assert view_titles(board, "In Progress") == ["Search results", "Payment API"]
    QTest.keyClick(column(board, "In Progress").view, Qt.Key.Key_Left, MOVE)
    assert db_titles(db, product)["To Do"] == ["Checkout page", "Search results", "Login form"]


def test_the_last_column_has_no_next(
    board: BoardScreen, db: Database, product: ProductInfo, seeded, qtbot: QtBot, window
) -> None:
    view = focus_card(board, qtbot, seeded["Wishlist"])
    QTest.keyClick(view, Qt.Key.Key_Left, MOVE)  # Backlog is the first column
    assert db_titles(db, product)["Backlog"] == ["Wishlist", "Gift cards"]
    assert window.ctx.undo_stack.count() == 0


def test_ctrl_shift_up_and_down_reorder_within_the_column(
    board: BoardScreen, db: Database, product: ProductInfo, seeded, qtbot: QtBot, window
) -> None:
    view = focus_card(board, qtbot, seeded["Checkout page"])
    QTest.keyClick(view, Qt.Key.Key_Down, MOVE)
    assert db_titles(db, product)["To Do"] == ["Search results", "Checkout page", "Login form"]
    QTest.keyClick(view, Qt.Key.Key_Down, MOVE)
    assert db_titles(db, product)["To Do"] == ["Search results", "Login form", "Checkout page"]
    assert view_titles(board, "To Do") == ["Search results", "Login form", "Checkout page"]
    QTest.keyClick(view, Qt.Key.Key_Down, MOVE)  # already at the bottom: nothing
    QTest.keyClick(view, Qt.Key.Key_Up, MOVE)
    assert view_titles(board, "To Do") == ["Search results", "Checkout page", "Login form"]
    assert view.selected_ids() == [seeded["Checkout page"].id]

    window.undo_action.trigger()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert db_titles(db, product)["To Do"] == ["Checkout page", "Search results", "Login form"]
    assert view_titles(board, "To Do") == ["Checkout page", "Search results", "Login form"]


def test_several_selected_cards_move_together(
    board: BoardScreen, db: Database, product: ProductInfo, seeded, qtbot: QtBot
) -> None:
    ids = [seeded["Search results"].id, seeded["Login form"].id]
    view = focus_card(board, qtbot, seeded["Search results"])
    view.select_ids(ids)
    QTest.keyClick(view, Qt.Key.Key_Up, MOVE)
    assert db_titles(db, product)["To Do"] == ["Search results", "Login form", "Checkout page"]
    QTest.keyClick(view, Qt.Key.Key_Right, MOVE)
    assert db_titles(db, product)["In Progress"] == ["Search results", "Login form", "Payment API"]
    assert sorted(column(board, "In Progress").view.selected_ids()) == sorted(ids)


def test_enter_opens_the_item_editor(board: BoardScreen, seeded, qtbot: QtBot) -> None:
    from kanban.ui.dialogs.item_editor import ItemEditor

    view = focus_card(board, qtbot, seeded["Login form"])
    QTest.keyClick(view, Qt.Key.Key_Return)
    editor = board.findChild(ItemEditor)
    assert editor is not None
    qtbot.waitExposed(editor)
    assert editor.item_id == seeded["Login form"].id
    editor.reject()


def _age_every_card(db_path: Path, days: int) -> dt.datetime:
    then = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).replace(tzinfo=None)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE items SET column_since = ?, started_at = CASE WHEN started_at IS NULL "
            "THEN NULL ELSE ? END",
            (then.isoformat(" "), then.isoformat(" ")),
        )
    return then


def test_undoing_a_move_gives_the_card_its_age_back(
    board: BoardScreen, db: Database, db_path: Path, product: ProductInfo, seeded, window
) -> None:
    then = _age_every_card(db_path, 7)
    board.reload()
    card = seeded["Payment API"]
    shown = lambda name: next(c for c in column(board, name).model.cards if c.id == card.id)  # noqa: E731
    assert days_since(shown("In Progress").column_since) == 7  # the card shows 7d
    started = items.get_item(db, card.id).started_at
    source = column(board, "In Progress").model
    target = column(board, "Done").view
    assert drop(target, below_last_card(target), source.mimeData([source.index(0)]))
    assert days_since(shown("Done").column_since) == 0
    assert items.get_item(db, card.id).done_at is not None

    window.undo_action.trigger()
    assert days_since(shown("In Progress").column_since) == 7  # 7d again, not 0d
    detail = items.get_item(db, card.id)
    assert (detail.column_since, detail.started_at, detail.done_at) == (then, started, None)
    window.redo_action.trigger()
    assert view_titles(board, "Done") == ["Payment API"]

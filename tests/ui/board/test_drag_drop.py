"""Dropping cards on the board's views: the database, the views and the undo stack follow."""

from __future__ import annotations

from pathlib import Path

from board_helpers import (
    below_last_card,
    column,
    db_titles,
    drop,
    row_point,
    transitions,
    view_titles,
)
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot
from ui_helpers import delete_in_backlog

from kanban.services import Database
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow


def drag_mime(board: BoardScreen, column_name: str, *titles: str):
    """What a drag of these cards carries (the source model's own mimeData)."""
    model = column(board, column_name).model
    rows = [row for row, card in enumerate(model.cards) if card.title in titles]
    return model.mimeData([model.index(row) for row in rows])


def test_drop_between_two_cards_of_another_column(
    board: BoardScreen, db: Database, db_path: Path, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    target = column(board, "To Do").view
    mime = drag_mime(board, "Backlog", "Wishlist")

    # Just inside the top edge of "Login form": above it, below "Search results".
    assert drop(target, row_point(target, 2, "above"), mime)

    expected = ["Checkout page", "Search results", "Wishlist", "Login form"]
    assert db_titles(db, product)["To Do"] == expected
    assert view_titles(board, "To Do") == expected
    assert view_titles(board, "Backlog") == ["Gift cards"]
    wishlist = seeded["Wishlist"]
    backlog, todo = column(board, "Backlog").column.id, column(board, "To Do").column.id
    assert transitions(db_path, wishlist.id) == [(None, backlog), (backlog, todo)]
    assert column(board, "To Do").count_label.text() == "4"
    assert column(board, "Backlog").count_label.text() == "1"


def test_drop_below_the_last_card_goes_to_the_bottom(
    board: BoardScreen, db: Database, product: ProductInfo
) -> None:
    target = column(board, "In Progress").view
    mime = drag_mime(board, "To Do", "Checkout page")
    assert drop(target, below_last_card(target), mime)
    assert db_titles(db, product)["In Progress"] == ["Payment API", "Checkout page"]
    assert view_titles(board, "In Progress") == ["Payment API", "Checkout page"]


def test_drop_into_an_empty_column(board: BoardScreen, db: Database, product: ProductInfo) -> None:
    target = column(board, "Done").view
    assert drop(target, below_last_card(target), drag_mime(board, "In Progress", "Payment API"))
    assert db_titles(db, product)["Done"] == ["Payment API"]
    assert view_titles(board, "Done") == ["Payment API"]
    assert view_titles(board, "In Progress") == []


def test_several_cards_at_once_keep_their_order(
    board: BoardScreen,
    db: Database,
    db_path: Path,
    product: ProductInfo,
    seeded: dict[str, Card],
    qtbot: QtBot,
) -> None:
    target = column(board, "In Progress").view
    mime = drag_mime(board, "To Do", "Login form", "Checkout page")
    assert drop(target, row_point(target, 0, "above"), mime)

    expected = ["Checkout page", "Login form", "Payment API"]
    assert db_titles(db, product)["In Progress"] == expected
    assert view_titles(board, "In Progress") == expected
    assert view_titles(board, "To Do") == ["Search results"]
    for title in ("Checkout page", "Login form"):
        assert len(transitions(db_path, seeded[title].id)) == 2  # created + one move each
    # The moved cards are selected where they landed, once the drag is over.
    moved = sorted([seeded["Checkout page"].id, seeded["Login form"].id])
    qtbot.waitUntil(lambda: sorted(target.selected_ids()) == moved)


def test_reorder_within_a_column(
    board: BoardScreen, db: Database, db_path: Path, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    view = column(board, "To Do").view
    # "Checkout page" (row 0) dropped below "Login form" (the last row): moving down.
    assert drop(view, row_point(view, 2, "below"), drag_mime(board, "To Do", "Checkout page"))
    expected = ["Search results", "Login form", "Checkout page"]
    assert db_titles(db, product)["To Do"] == expected
    assert view_titles(board, "To Do") == expected
    assert len(transitions(db_path, seeded["Checkout page"].id)) == 1  # no column change


def test_reorder_up_within_a_column(board: BoardScreen, db: Database, product: ProductInfo) -> None:
    view = column(board, "To Do").view
    assert drop(view, row_point(view, 0, "below"), drag_mime(board, "To Do", "Login form"))
    expected = ["Checkout page", "Login form", "Search results"]
    assert db_titles(db, product)["To Do"] == expected
    assert view_titles(board, "To Do") == expected


def test_drop_on_its_own_place_changes_nothing(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    view = column(board, "To Do").view
    before = db_titles(db, product)
    drop(view, row_point(view, 1, "above"), drag_mime(board, "To Do", "Search results"))
    assert db_titles(db, product) == before
    assert window.ctx.undo_stack.count() == 0  # nothing moved: nothing to undo


def test_source_remove_rows_after_the_drag_does_no_harm(board: BoardScreen) -> None:
    # What QAbstractItemView::startDrag does once a drag returns MoveAction: remove the
    # dragged rows from the source model. The command already moved them; nothing goes.
    source = column(board, "To Do")
    drop(column(board, "Done").view, below_last_card(column(board, "Done").view),
         drag_mime(board, "To Do", "Login form"))  # fmt: skip
    assert source.model.removeRows(0, 1, QModelIndex()) is False
    assert view_titles(board, "To Do") == ["Checkout page", "Search results"]


def test_a_refused_move_changes_nothing_and_says_why(
    board: BoardScreen, db: Database, product: ProductInfo, qtbot: QtBot, window: MainWindow
) -> None:
    # A card that someone else has deleted meanwhile: the move fails with a message.
    from kanban.services import items

    gone = items.add_item(db, product.id, "Ghost", column="Backlog")
    qtbot.waitUntil(lambda: "Ghost" in view_titles(board, "Backlog"), timeout=3000)
    items.delete_item(db, gone.id)
    mime = drag_mime(board, "Backlog", "Ghost")
    target = column(board, "Done").view
    assert not drop(target, below_last_card(target), mime)
    assert db_titles(db, product)["Done"] == []
    assert window.ctx.undo_stack.count() == 0
    box = qtbot.waitUntil(lambda: _message_box(window) is not None) or _message_box(window)
    assert "not found" in box.text().lower() or "no item" in box.text().lower()
    box.close()


def _message_box(window: MainWindow):
    from PySide6.QtWidgets import QMessageBox

    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    return boxes[0] if boxes else None


def test_drag_flags(board: BoardScreen) -> None:
    view = column(board, "To Do").view
    assert view.dragDropMode() == view.DragDropMode.DragDrop
    assert view.defaultDropAction() == Qt.DropAction.MoveAction
    assert view.uniformItemSizes()


def test_a_drop_of_two_cards_one_deleted_elsewhere_moves_neither(
    board: BoardScreen, db: Database, product: ProductInfo, qtbot: QtBot, window: MainWindow,
    other: MainWindow, seeded: dict[str, Card],
) -> None:  # fmt: skip
    delete_in_backlog(other, qtbot, seeded["Gift cards"])  # the other window deletes one
    assert "Gift cards" not in db_titles(db, product)["Backlog"]
    mime = drag_mime(board, "Backlog", "Wishlist", "Gift cards")  # this window still shows it
    target = column(board, "Done").view
    assert not drop(target, below_last_card(target), mime)
    assert db_titles(db, product)["Backlog"] == ["Wishlist"]  # all or nothing: nothing
    assert window.ctx.undo_stack.count() == 0
    box = qtbot.waitUntil(lambda: _message_box(window) is not None) or _message_box(window)
    assert "Nothing was moved" in box.text()

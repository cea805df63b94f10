"""Columns from the board: add, rename, reorder, WIP limit (and its red header), delete, undo."""

from __future__ import annotations

from board_helpers import below_last_card, column, db_titles, drop, view_titles
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, products
from kanban.services.records import ProductInfo
from kanban.ui.board.column_dialogs import AddColumnDialog, DeleteColumnDialog, WipLimitDialog
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow


def names(db: Database, product: ProductInfo) -> list[str]:
    return [c.name for c in products.list_columns(db, product.id)]


def shown_names(board: BoardScreen) -> list[str]:
    layout = board.columns_layout
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return [w.column.name for w in widgets if w is not None]


def trigger(board: BoardScreen, column_name: str, text: str) -> None:
    """Click an entry of a column header's menu."""
    menu = board.column_menu(column(board, column_name).column.id)
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled(), text
    action.trigger()


def ok(dialog: AddColumnDialog | DeleteColumnDialog | WipLimitDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def red_pixels(image: QImage) -> int:
    return sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if _is_red(QColor(image.pixel(x, y)))
    )


def _is_red(color: QColor) -> bool:
    return color.red() > 180 and color.green() < 90 and color.blue() < 90


def test_wip_limit_turns_the_header_red_past_it(
    board: BoardScreen, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    todo = column(board, "To Do")
    assert todo.count_label.text() == "3"
    trigger(board, "To Do", "Set WIP limit…")
    dialog = board.findChild(WipLimitDialog)
    dialog.wip_spin.setValue(3)
    ok(dialog)
    assert products.list_columns(db, product.id)[1].wip_limit == 3
    assert todo.count_label.text() == "3 / 3"
    assert not todo.over_limit  # at the limit is fine
    assert red_pixels(todo.header.grab().toImage()) == 0

    source = column(board, "Backlog").model
    drop(todo.view, below_last_card(todo.view), source.mimeData([source.index(0)]))
    assert todo.count_label.text() == "4 / 3"
    assert todo.over_limit
    assert todo.count_label.over_limit
    qtbot.wait(10)
    assert red_pixels(todo.header.grab().toImage()) > 20  # the count is painted red

    board.window().undo_action.trigger()  # the move back: under the limit again
    assert todo.count_label.text() == "3 / 3"
    assert not todo.over_limit
    board.window().undo_action.trigger()  # the limit itself
    assert todo.count_label.text() == "3"
    assert products.list_columns(db, product.id)[1].wip_limit is None


def test_add_a_column_after_another_and_undo(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    trigger(board, "In Progress", "Add column after…")
    dialog = board.findChild(AddColumnDialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.name_edit.setText("Review")
    dialog.wip_spin.setValue(2)
    ok(dialog)
    assert names(db, product) == ["Backlog", "To Do", "In Progress", "Review", "Done"]
    assert shown_names(board) == ["Backlog", "To Do", "In Progress", "Review", "Done"]
    assert column(board, "Review").count_label.text() == "0 / 2"

    window.undo_action.trigger()
    assert names(db, product) == ["Backlog", "To Do", "In Progress", "Done"]
    assert shown_names(board) == ["Backlog", "To Do", "In Progress", "Done"]
    window.redo_action.trigger()
    assert shown_names(board) == ["Backlog", "To Do", "In Progress", "Review", "Done"]
    review = column(board, "Review")
    assert drop(
        review.view,
        below_last_card(review.view),
        column(board, "In Progress").model.mimeData([column(board, "In Progress").model.index(0)]),
    )
    assert db_titles(db, product)["Review"] == ["Payment API"]


def test_the_add_column_button(board: BoardScreen, db: Database, product: ProductInfo) -> None:
    board.add_column_button.click()
    dialog = board.findChild(AddColumnDialog)
    dialog.name_edit.setText("Blocked")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("todo"))
    ok(dialog)
    added = next(c for c in products.list_columns(db, product.id) if c.name == "Blocked")
    assert added.category == "todo"
    assert "Blocked" in shown_names(board)


def test_rename_a_column_and_undo(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    trigger(board, "To Do", "Rename…")
    dialog = board.findChild(QInputDialog)
    assert dialog.textValue() == "To Do"
    dialog.setTextValue("Ready")
    dialog.accept()
    assert names(db, product)[1] == "Ready"
    assert column(board, "Ready").name_label.text() == "Ready"
    assert view_titles(board, "Ready") == ["Checkout page", "Search results", "Login form"]
    window.undo_action.trigger()
    assert names(db, product)[1] == "To Do"
    assert column(board, "To Do").name_label.text() == "To Do"


def test_rename_to_a_taken_name_is_refused_with_a_message(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QMessageBox

    trigger(board, "To Do", "Rename…")
    dialog = board.findChild(QInputDialog)
    dialog.setTextValue("done")
    dialog.accept()
    assert names(db, product)[1] == "To Do"
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "already a column named" in box.text()
    box.close()


def test_move_columns_left_and_right(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    first = board.column_menu(column(board, "Backlog").column.id)
    assert not next(a for a in first.actions() if a.text() == "Move left").isEnabled()
    trigger(board, "Done", "Move left")
    assert names(db, product) == ["Backlog", "To Do", "Done", "In Progress"]
    assert shown_names(board) == ["Backlog", "To Do", "Done", "In Progress"]
    trigger(board, "Backlog", "Move right")
    assert shown_names(board) == ["To Do", "Backlog", "Done", "In Progress"]
    assert view_titles(board, "Backlog") == ["Wishlist", "Gift cards"]  # the cards stayed
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert names(db, product) == ["Backlog", "To Do", "In Progress", "Done"]
    assert shown_names(board) == ["Backlog", "To Do", "In Progress", "Done"]


def test_delete_an_empty_column_and_undo(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    done_id = column(board, "Done").column.id
    trigger(board, "Done", "Delete column…")
    ok(board.findChild(DeleteColumnDialog))
    assert names(db, product) == ["Backlog", "To Do", "In Progress"]
    assert shown_names(board) == ["Backlog", "To Do", "In Progress"]
    window.undo_action.trigger()
    assert names(db, product) == ["Backlog", "To Do", "In Progress", "Done"]
    assert column(board, "Done").column.id == done_id  # the same column, id and all


def test_delete_a_column_moving_its_cards_and_undo(
    board: BoardScreen, db: Database, product: ProductInfo, window: MainWindow, seeded
) -> None:
    archived = items.add_item(db, product.id, "Old idea", column="To Do")
    items.archive_item(db, archived.id)
    todo = column(board, "To Do").column
    trigger(board, "To Do", "Delete column…")
    dialog = board.findChild(DeleteColumnDialog)
    dialog.target_combo.setCurrentIndex(
        dialog.target_combo.findData(column(board, "Done").column.id)
    )
    ok(dialog)
    assert names(db, product) == ["Backlog", "In Progress", "Done"]
    assert db_titles(db, product)["Done"] == ["Checkout page", "Search results", "Login form"]
    assert view_titles(board, "Done") == ["Checkout page", "Search results", "Login form"]
    assert items.get_item(db, archived.id).column_id != todo.id

    window.undo_action.trigger()
    assert db_titles(db, product)["To Do"] == ["Checkout page", "Search results", "Login form"]
    assert view_titles(board, "To Do") == ["Checkout page", "Search results", "Login form"]
    assert view_titles(board, "Done") == []
    assert items.get_item(db, archived.id).column_id == todo.id  # archived cards return too

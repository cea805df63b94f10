"""The card context menu (edit, move, block, archive, ask) and how the delegate paints cards."""

from __future__ import annotations

import datetime as dt

from board_helpers import column, db_titles, view_titles
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, questions
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.delegate import BLOCKED_COLOR, CardDelegate, days_since, initials, is_dark
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow


def action(menu: QMenu, text: str):
    for each in menu.actions():
        if each.text() == text:
            return each
        if each.menu() is not None:
            found = next((a for a in each.menu().actions() if a.text() == text), None)
            if found is not None:
                return found
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def test_move_to_from_the_menu(
    board: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card], window
) -> None:
    menu = board.card_menu([seeded["Checkout page"].id])
    assert not action(menu, "To Do").isEnabled()  # its own column
    action(menu, "Done").trigger()
    assert db_titles(db, product)["Done"] == ["Checkout page"]
    assert view_titles(board, "Done") == ["Checkout page"]
    window.undo_action.trigger()
    assert db_titles(db, product)["To Do"][0] == "Checkout page"


def test_block_and_unblock_from_the_menu(
    board: BoardScreen, db: Database, seeded: dict[str, Card], window: MainWindow
) -> None:
    card = seeded["Payment API"]
    action(board.card_menu([card.id]), "Block…").trigger()
    dialog = board.findChild(QInputDialog)
    dialog.setTextValue("Waiting for the bank's sandbox")
    dialog.accept()
    assert items.get_item(db, card.id).blocked_reason == "Waiting for the bank's sandbox"
    shown = column(board, "In Progress").model.card(0)
    assert shown.blocked_reason == "Waiting for the bank's sandbox"

    action(board.card_menu([card.id]), "Unblock").trigger()
    assert items.get_item(db, card.id).blocked_reason is None
    window.undo_action.trigger()
    assert items.get_item(db, card.id).blocked_reason == "Waiting for the bank's sandbox"


def test_archive_from_the_menu_and_undo(
    board: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card], window
) -> None:
    ids = [seeded["Checkout page"].id, seeded["Login form"].id]
    menu = board.card_menu(ids)
    action(menu, "Archive 2 cards").trigger()
    assert db_titles(db, product)["To Do"] == ["Search results"]
    assert view_titles(board, "To Do") == ["Search results"]
    assert column(board, "To Do").count_label.text() == "1"
    window.undo_action.trigger()
    assert view_titles(board, "To Do") == ["Checkout page", "Search results", "Login form"]


def test_edit_and_ask_open_their_dialogs(
    board: BoardScreen, seeded: dict[str, Card], qtbot: QtBot
) -> None:
    from kanban.ui.dialogs.item_editor import ItemEditor
    from kanban.ui.questions.ask_dialog import AskQuestionDialog

    card = seeded["Search results"]
    action(board.card_menu([card.id]), "Edit…").trigger()
    editor = board.findChild(ItemEditor)
    assert editor is not None and editor.item_id == card.id
    editor.reject()
    action(board.card_menu([card.id]), "Ask a question about this card…").trigger()
    ask = board.findChild(AskQuestionDialog)
    assert ask is not None
    qtbot.waitExposed(ask)
    ask.reject()
    several = board.card_menu([card.id, seeded["Login form"].id])
    assert not action(several, "Edit…").isEnabled()
    assert not action(several, "Ask a question about this card…").isEnabled()


def test_double_click_opens_the_editor(board: BoardScreen, seeded, qtbot: QtBot) -> None:
    from kanban.ui.dialogs.item_editor import ItemEditor

    view = column(board, "To Do").view
    rect = view.visualRect(view.model().index(1, 0))
    # A real double click starts with a press (QAbstractItemView checks the pressed card).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = board.findChild(ItemEditor)
    assert editor is not None and editor.item_id == seeded["Search results"].id
    editor.reject()


def test_cards_have_one_height_and_paint_their_parts(
    db: Database, product: ProductInfo, seeded: dict[str, Card], window: MainWindow, qtbot: QtBot
) -> None:
    card = items.get_card(db, seeded["Payment API"].id)
    items.edit_item(
        db, card.id, card.version, points=5, labels=["api", "payments"],
        blocked_reason="<b>Bank</b> sandbox down",
    )  # fmt: skip
    questions.ask_question(db, product.id, "Which bank first?", item_ref=card.id)
    board = window.show_screen(BoardScreen)
    board.reload()
    view = column(board, "In Progress").view
    shown = column(board, "In Progress").model.card(0)
    assert shown.open_questions == 1 and shown.points == 5

    delegate = view.itemDelegate()
    assert isinstance(delegate, CardDelegate)
    option = QStyleOptionViewItem()
    option.rect = view.visualRect(view.model().index(0, 0))
    option.font = view.font()
    hint = delegate.sizeHint(option, view.model().index(0, 0))
    todo = column(board, "To Do").view
    assert hint.height() == todo.visualRect(todo.model().index(0, 0)).height()

    geo = delegate.layout(option.rect, shown, delegate.fonts(view.font()))
    assert geo.blocked is not None and geo.questions is not None and geo.points is not None
    assert [text for _rect, text, _more in geo.chips] == ["api", "payments"]
    tip = delegate.tooltip_at(geo.blocked.center(), option, shown)
    assert "Blocked: &lt;b&gt;Bank&lt;/b&gt; sandbox down" in tip  # escaped, never rendered
    assert "1 open question" in delegate.tooltip_at(geo.questions.center(), option, shown)

    image = view.viewport().grab().toImage()
    sign = image.pixelColor(geo.blocked.center() + QPoint(0, geo.blocked.height() // 3))
    assert _near(sign, BLOCKED_COLOR)


def test_card_rows_follow_a_bigger_font(
    board: BoardScreen, seeded: dict[str, Card], qtbot: QtBot
) -> None:
    view = column(board, "To Do").view
    delegate = view.itemDelegate()
    assert isinstance(delegate, CardDelegate)
    before = view.visualRect(view.model().index(1, 0))
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    view.doItemsLayout()
    option = QStyleOptionViewItem()
    option.font = view.font()
    hint = delegate.sizeHint(option, view.model().index(1, 0))
    after = view.visualRect(view.model().index(1, 0))
    assert hint.height() > before.height()
    assert (after.top(), after.height()) == (hint.height(), hint.height())  # row 1: one row down
    assert after.width() == view.viewport().width()  # cards span the column, grid or not


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def test_cards_follow_a_dark_palette(board: BoardScreen, qtbot: QtBot) -> None:
    light = QApplication.palette()
    dark = QPalette(light)
    for role, color in (
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Text, "#e0e0e0"),
        (QPalette.ColorRole.WindowText, "#e0e0e0"),
    ):
        dark.setColor(role, QColor(color))
    view = column(board, "To Do").view
    rect = view.visualRect(view.model().index(0, 0))
    point = QPoint(rect.center().x() + 60, rect.top() + 40)  # inside the card, on no text
    assert view.viewport().grab().toImage().pixelColor(point).lightness() > 200
    QApplication.setPalette(dark)  # what the system's dark mode does
    try:
        qtbot.waitUntil(lambda: is_dark(view.palette()))
        assert view.viewport().grab().toImage().pixelColor(point).lightness() < 60
        column_bg = column(board, "To Do").grab().toImage().pixelColor(4, 4)
        assert column_bg.lightness() < 80  # the column follows too (its style sheet)
    finally:
        QApplication.setPalette(light)


def test_small_helpers() -> None:
    assert initials("Ada Lovelace") == "AL"
    assert initials("cher") == "C"
    assert initials("") == "?"
    now = dt.datetime(2026, 1, 10, 12)
    assert days_since(dt.datetime(2026, 1, 7, 13), now) == 2
    assert days_since(dt.datetime(2026, 1, 11), now) == 0  # a clock running late: not -1

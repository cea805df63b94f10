"""Filtering the board: text as you type, assignee, label, sprint (the active one too)."""

from __future__ import annotations

from board_helpers import below_last_card, column, drop, view_titles
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, people, sprints
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow


def shown(board: BoardScreen) -> dict[str, list[str]]:
    return {w.column.name: view_titles(board, w.column.name) for w in board.column_widgets.values()}


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)


def test_text_filter_narrows_as_you_type_and_widens_again(board: BoardScreen, qtbot: QtBot) -> None:
    edit = board.filter_edit
    qtbot.keyClicks(edit, "pa")
    assert shown(board) == {
        "Backlog": [],
        "To Do": ["Checkout page"],
        "In Progress": ["Payment API"],
        "Done": [],
    }
    qtbot.keyClicks(edit, "y")
    assert shown(board)["To Do"] == []
    assert shown(board)["In Progress"] == ["Payment API"]
    assert board.summary_label.text() == "1 of 6 cards"
    assert column(board, "In Progress").count_label.text() == "1"
    assert column(board, "To Do").count_label.text() == "0 of 3"
    assert column(board, "To Do").view.empty_text == "No cards match the filter"

    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert shown(board)["To Do"] == ["Checkout page"]
    edit.clear()
    assert shown(board)["To Do"] == ["Checkout page", "Search results", "Login form"]
    assert board.summary_label.text() == "6 cards"
    assert column(board, "Done").view.empty_text == "No cards — drop one here"


def test_text_filter_matches_keys_case_insensitively(board: BoardScreen, seeded) -> None:
    board.filter_edit.setText(seeded["Login form"].key.lower())
    assert shown(board)["To Do"] == ["Login form"]
    board.filter_edit.setText("LOGIN")
    assert shown(board)["To Do"] == ["Login form"]


def test_assignee_and_label_filters(
    db: Database, product: ProductInfo, seeded: dict[str, Card], window: MainWindow, qtbot: QtBot
) -> None:
    ann = people.add_member(db, "Ann")
    for title in ("Checkout page", "Payment API"):
        card = items.get_card(db, seeded[title].id)
        items.edit_item(db, card.id, card.version, assignee_id=ann.id, labels=["payments"])
    board = window.show_screen(BoardScreen)
    board.reload()

    choose(board.assignee_combo, "Ann")
    assert shown(board)["To Do"] == ["Checkout page"]
    assert shown(board)["In Progress"] == ["Payment API"]
    choose(board.assignee_combo, "Unassigned")
    assert shown(board)["To Do"] == ["Search results", "Login form"]
    choose(board.assignee_combo, "Anyone")
    choose(board.label_combo, "payments")
    assert shown(board)["To Do"] == ["Checkout page"]
    assert shown(board)["Backlog"] == []
    board.filter_edit.setText("api")
    assert sum(len(v) for v in shown(board).values()) == 1


def test_sprint_filter_and_active_sprint(
    db: Database, product: ProductInfo, seeded: dict[str, Card], window: MainWindow
) -> None:
    first = sprints.create_sprint(db, product.id, "Sprint 1")
    sprints.set_sprint_items(db, first.id, add=[seeded["Login form"].id, seeded["Payment API"].id])
    sprints.start_sprint(db, first.id)
    second = sprints.create_sprint(db, product.id, "Sprint 2")
    sprints.set_sprint_items(db, second.id, add=[seeded["Wishlist"].id])
    board = window.show_screen(BoardScreen)
    board.reload()

    choose(board.sprint_combo, "Active sprint (Sprint 1)")
    assert shown(board) == {
        "Backlog": [],
        "To Do": ["Login form"],
        "In Progress": ["Payment API"],
        "Done": [],
    }
    choose(board.sprint_combo, "Sprint 2")
    assert shown(board)["Backlog"] == ["Wishlist"]
    assert sum(len(v) for v in shown(board).values()) == 1
    choose(board.sprint_combo, "No sprint")
    assert shown(board)["To Do"] == ["Checkout page", "Search results"]


def test_a_card_moved_while_filtered_follows_the_filter(
    board: BoardScreen, db: Database, product: ProductInfo
) -> None:
    board.filter_edit.setText("form")
    source = column(board, "To Do").model
    target = column(board, "Done").view
    assert drop(target, below_last_card(target), source.mimeData([source.index(0)]))
    assert shown(board)["Done"] == ["Login form"]
    assert column(board, "Done").count_label.text() == "1"
    assert column(board, "To Do").count_label.text() == "0 of 2"
    board.filter_edit.clear()
    assert shown(board)["To Do"] == ["Checkout page", "Search results"]


def test_new_labels_appear_in_the_label_filter(
    board: BoardScreen, db: Database, seeded: dict[str, Card], window: MainWindow
) -> None:
    from kanban.ui.commands.items import EditItemCommand, push

    card = seeded["Wishlist"]
    command = EditItemCommand(
        window.ctx, card.id, card.version, {"labels": ()}, {"labels": ("ux",)}
    )
    assert push(window.ctx, command)
    assert board.label_combo.findText("ux") >= 0

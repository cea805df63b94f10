"""The Backlog screen on a real database: drops, keyboard moves, quick add, filters, undo."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

import kanban
from kanban.services import Database, checklists, items, open_database, sprints
from kanban.services.records import Card, ProductInfo
from kanban.ui.backlog.model import MIME_TYPE, BacklogModel, decode_ids, encode_ids
from kanban.ui.backlog.screen import BacklogScreen, parse_quick_add
from kanban.ui.dialogs.sprint_steps import StartSprintDialog
from kanban.ui.main_window import MainWindow

REPO = Path(kanban.__file__).resolve().parent.parent


@pytest.fixture
def screen(window: MainWindow) -> BacklogScreen:
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    return backlog


def add(db: Database, product: ProductInfo, *titles: str, **fields: object) -> list[Card]:
    return [items.add_item(db, product.id, title, **fields) for title in titles]  # type: ignore[arg-type]


def shown(screen: BacklogScreen) -> list[str]:
    return [card.title for card in screen.model.rows]


def stored_order(db: Database, product: ProductInfo) -> list[str]:
    return [card.title for card in items.load_board(db, product.id).cards]


def ranks(db: Database, product: ProductInfo) -> dict[str, str]:
    return {card.title: card.rank for card in items.load_board(db, product.id).cards}


def drop(
    screen: BacklogScreen, ids: list[int], row: int, parent: QModelIndex | None = None
) -> bool:
    model = screen.model
    data = encode_ids(ids)
    return model.dropMimeData(
        data, Qt.DropAction.MoveAction, row, 0, parent if parent is not None else QModelIndex()
    )


def test_backlog_lists_unfinished_items_in_rank_order(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    a, b, _ = add(db, product, "A", "B", "C")
    done = items.load_board(db, product.id).columns[-1]
    items.move_item(db, b.id, column_id=done.id)
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    assert shown(screen) == ["A", "C"]
    screen.done_check.setChecked(True)
    assert shown(screen) == ["A", "B", "C"]
    row = screen.model.row_of(b.id)
    assert row is not None
    assert screen.model.index(row, 9).data() == "Done"
    assert screen.model.index(0, 0).data() == a.key


def test_drop_reorders_and_writes_one_rank(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    cards = add(db, product, "A", "B", "C", "D")
    screen.reload()
    before = ranks(db, product)

    assert drop(screen, [cards[3].id], 1)  # D dropped between A and B

    assert stored_order(db, product) == ["A", "D", "B", "C"]
    after = ranks(db, product)
    assert [t for t in after if after[t] != before[t]] == ["D"]
    assert shown(screen) == ["A", "D", "B", "C"]

    window.undo_action.trigger()
    assert stored_order(db, product) == ["A", "B", "C", "D"]
    assert ranks(db, product) == before
    assert shown(screen) == ["A", "B", "C", "D"]
    window.redo_action.trigger()
    assert stored_order(db, product) == ["A", "D", "B", "C"]


def test_drop_onto_a_row_and_below_the_last_row(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    cards = add(db, product, "A", "B", "C")
    screen.reload()
    # Qt delivers row -1 with the row dropped on as parent: the items go before it.
    assert drop(screen, [cards[2].id], -1, screen.model.index(0, 0))
    assert stored_order(db, product) == ["C", "A", "B"]
    # Below the last row: row -1 and no parent, the items go to the bottom.
    assert drop(screen, [cards[2].id], -1)
    assert stored_order(db, product) == ["A", "B", "C"]


def test_dropping_several_items_keeps_their_order(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    cards = add(db, product, "A", "B", "C", "D", "E")
    screen.reload()
    assert drop(screen, [cards[3].id, cards[0].id], 5)
    assert stored_order(db, product) == ["B", "C", "E", "A", "D"]
    assert shown(screen) == ["B", "C", "E", "A", "D"]


def test_view_selection_drags_ids_and_qt_remove_rows_after_a_move_does_no_harm(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    cards = add(db, product, "A", "B", "C")
    screen.reload()
    screen.select_ids([cards[0].id, cards[2].id])
    indexes = screen.view.selectionModel().selectedIndexes()
    data = screen.model.mimeData(indexes)
    assert data.hasFormat(MIME_TYPE)
    assert decode_ids(data) == (cards[0].id, cards[2].id)
    # After a move-drag Qt asks the source model to remove the dragged rows: refused.
    assert not screen.model.removeRows(0, 1)
    assert shown(screen) == ["A", "B", "C"]


def test_foreign_or_malformed_payloads_are_refused(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    add(db, product, "A", "B")
    screen.reload()
    data = encode_ids([])
    data.setData(MIME_TYPE, b"not json")
    assert not screen.model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not screen.model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert stored_order(db, product) == ["A", "B"]


def test_move_to_top_and_bottom_from_the_keyboard(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    cards = add(db, product, "A", "B", "C", "D")
    screen.reload()
    screen.view.setFocus()
    screen.select_ids([cards[2].id, cards[3].id])
    qtbot.keyClick(screen.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert stored_order(db, product) == ["C", "D", "A", "B"]
    assert screen.selected_ids() == [cards[2].id, cards[3].id]

    screen.select_ids([cards[2].id])
    qtbot.keyClick(screen.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert stored_order(db, product) == ["D", "A", "B", "C"]
    assert shown(screen) == ["D", "A", "B", "C"]

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_order(db, product) == ["C", "D", "A", "B"]


def test_quick_add_with_kind_prefix_and_undo_redo(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    add(db, product, "A")
    screen.reload()
    qtbot.keyClicks(screen.quick_add, "bug: Crash on login")
    qtbot.keyClick(screen.quick_add, Qt.Key.Key_Return)

    board = items.load_board(db, product.id)
    assert [(c.title, c.kind) for c in board.cards] == [("A", "story"), ("Crash on login", "bug")]
    assert screen.quick_add.text() == ""
    assert shown(screen) == ["A", "Crash on login"]
    key = board.cards[1].key

    window.undo_action.trigger()
    assert stored_order(db, product) == ["A"]
    assert shown(screen) == ["A"]
    window.redo_action.trigger()
    assert [c.key for c in items.load_board(db, product.id).cards] == [board.cards[0].key, key]
    assert shown(screen) == ["A", "Crash on login"]


def test_parse_quick_add() -> None:
    assert parse_quick_add("task: Write docs") == ("task", "Write docs")
    assert parse_quick_add("Note: this is a story") == ("story", "Note: this is a story")
    assert parse_quick_add("  plain ") == ("story", "plain")


def test_filters_by_text_label_and_kind_with_totals(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    add(db, product, "Pay by card", points=3, labels=["checkout"])
    add(db, product, "Pay by invoice", points=5, labels=["checkout", "b2b"])
    add(db, product, "Card crash", kind="bug", points=1)
    add(db, product, "Search", points=8)
    screen.reload()
    assert [screen.model.index(r, 4).data() for r in range(4)] == ["3", "8", "9", "17"]
    assert screen.summary.text().startswith("4 items · 17 points")

    qtbot.keyClicks(screen.filter_edit, "card")
    assert shown(screen) == ["Pay by card", "Card crash"]
    screen.filter_edit.clear()
    screen.label_combo.setCurrentIndex(screen.label_combo.findData("checkout"))
    assert shown(screen) == ["Pay by card", "Pay by invoice"]
    assert screen.summary.text().startswith("2 items · 8 points")
    screen.label_combo.setCurrentIndex(0)
    screen.kind_combo.setCurrentIndex(screen.kind_combo.findData("bug"))
    assert shown(screen) == ["Card crash"]
    # The running total is the backlog's, whatever is filtered out.
    assert screen.model.index(0, 4).data() == "9"


def test_delete_and_archive_with_undo(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    a, b, c = add(db, product, "A", "B", "C", labels=["x"])
    screen.reload()
    screen.view.setFocus()
    screen.select_ids([b.id])
    qtbot.keyClick(screen.view, Qt.Key.Key_Delete)
    assert stored_order(db, product) == ["A", "C"]
    assert shown(screen) == ["A", "C"]
    window.undo_action.trigger()
    restored = items.get_item(db, b.id)
    assert (restored.key, restored.title, restored.labels) == (b.key, "B", ("x",))
    assert shown(screen) == ["A", "B", "C"]

    screen.select_ids([a.id, c.id])
    assert screen.archive_selected()
    assert shown(screen) == ["B"]
    assert stored_order(db, product) == ["B"]
    window.undo_action.trigger()
    assert shown(screen) == ["A", "B", "C"]


def test_enter_opens_the_item_editor(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    (a,) = add(db, product, "A")
    screen.reload()
    screen.view.setFocus()
    screen.select_ids([a.id])
    qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    assert screen.editor is not None
    qtbot.waitExposed(screen.editor)
    assert screen.editor.title_edit.text() == "A"
    screen.editor.reject()


def test_a_change_from_another_connection_appears_within_two_seconds(
    qtbot: QtBot, db: Database, db_path: Path, product: ProductInfo, screen: BacklogScreen
) -> None:
    add(db, product, "A")
    screen.reload()
    other = open_database(str(db_path))
    try:
        items.add_item(other, product.id, "From another window")
    finally:
        other.close()
    qtbot.waitUntil(lambda: shown(screen) == ["A", "From another window"], timeout=2000)


def test_an_item_added_from_the_command_line_appears_within_two_seconds(
    qtbot: QtBot, db: Database, db_path: Path, product: ProductInfo, screen: BacklogScreen
) -> None:
    add(db, product, "A")
    screen.reload()
    result = subprocess.run(
        [sys.executable, "-m", "kanban", "--db", str(db_path), "add", "WEB", "From a terminal"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: "From a terminal" in shown(screen), timeout=2000)


def _closed_sprint_with(db: Database, product: ProductInfo, points: float) -> None:
    columns = items.load_board(db, product.id).columns
    sprint = sprints.create_sprint(db, product.id, "Past sprint")
    (card,) = add(db, product, "Done work", points=points)
    sprints.set_sprint_items(db, sprint.id, add=[card.id])
    sprints.start_sprint(db, sprint.id)
    items.move_item(db, card.id, column_id=columns[-1].id)
    sprints.close_sprint(db, sprint.id)


def test_next_sprint_line_at_recent_velocity(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    add(db, product, "A", "B", "C", "D", points=3)
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    assert screen.velocity is None
    assert screen.view.line_row is None  # no history, no line

    _closed_sprint_with(db, product, 8)
    screen.reload()
    assert screen.velocity == 8
    assert screen.view.line_row == 2  # A and B (6 points) fit; C would make 9
    assert "8 pts" in screen.view.line_text
    assert "velocity 8 points per sprint" in screen.summary.text()
    window.grab()  # paints the line without error


def test_plan_start_and_close_a_sprint_through_the_ui(
    qtbot: QtBot,
    db: Database,
    product: ProductInfo,
    screen: BacklogScreen,
    answer_box: Callable[..., str],
) -> None:
    a, b, c = add(db, product, "A", "B", "C", points=2)
    screen.reload()
    bar = screen.sprint_bar
    assert not bar.add_button.isEnabled()

    dialog = bar.new_sprint()
    assert dialog is not None
    dialog.name_edit.setText("Sprint 1")
    dialog.goal_edit.setPlainText("Checkout works")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    (sprint,) = sprints.list_sprints(db, product.id)
    assert (sprint.name, sprint.goal, sprint.state) == ("Sprint 1", "Checkout works", "planned")
    assert bar.current() == sprint

    screen.select_ids([a.id, b.id])
    bar.add_button.click()
    asked = answer_box("Not Ready")  # they have no acceptance criteria
    assert asked.startswith("2 items are not Ready:\n• WEB-1: It has no acceptance criteria.")
    assert [items.get_card(db, i).sprint_id for i in (a.id, b.id, c.id)] == [
        sprint.id,
        sprint.id,
        None,
    ]
    assert "2 items, 4 pts" in bar.summary.text()
    assert screen.model.index(0, 8).data() == "Sprint 1"

    bar.start_button.click()
    start = bar.step_dialog
    assert isinstance(start, StartSprintDialog)
    with qtbot.waitSignal(screen.ctx.events.sprints_changed):
        start.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert sprints.active_sprint(db, product.id) is not None
    assert bar.close_button.isEnabled()

    columns = items.load_board(db, product.id).columns
    assert items.get_card(db, b.id).column_id == columns[1].id  # the start moved B to do
    items.move_item(db, a.id, column_id=columns[-1].id)  # the team finishes A
    box = bar.ask_close()
    assert box is not None
    assert box.backlog_radio.isChecked()  # no sprint planned to carry the work to
    box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert sprints.list_sprints(db, product.id)[0].state == "closed"
    assert items.get_card(db, a.id).sprint_id == sprint.id  # done stays in the sprint
    b_now = items.get_card(db, b.id)
    assert (b_now.sprint_id, b_now.column_id) == (None, columns[0].id)  # back to the backlog
    assert bar.current() is None
    assert screen.velocity == 2


def test_sprint_membership_is_undoable(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    (a,) = add(db, product, "A", points=1)
    checklists.add_criteria(db, a.id, "It works")  # Ready: no question asked
    one = sprints.create_sprint(db, product.id, "One")
    two = sprints.create_sprint(db, product.id, "Two")
    sprints.set_sprint_items(db, one.id, add=[a.id])
    screen.reload()
    assert screen.sprint_bar.select_sprint(two.id)
    screen.select_ids([a.id])
    assert screen.sprint_bar.add_selected()
    assert items.get_card(db, a.id).sprint_id == two.id
    window.undo_action.trigger()
    assert items.get_card(db, a.id).sprint_id == one.id
    assert screen.sprint_bar.remove_selected()
    assert items.get_card(db, a.id).sprint_id is None
    window.undo_action.trigger()
    assert items.get_card(db, a.id).sprint_id == one.id


def test_backlog_model_passes_the_model_tester(
    qtmodeltester: ModelTester,
    db: Database,
    product: ProductInfo,
) -> None:
    model = BacklogModel()
    model.set_rows(list(items.load_board(db, product.id).cards))
    qtmodeltester.check(model)
    cards = add(db, product, "A", "B", "C", labels=["x"], points=1)
    model.set_rows(cards)
    qtmodeltester.check(model)
    model.set_rows([cards[1], cards[2], cards[0]])  # one move
    model.set_rows([cards[1], cards[0]])  # one removal
    qtmodeltester.check(model)


def test_the_sprint_summary_follows_an_edit_of_points(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    planned = add(db, product, "A", "B", "C", points=5) + add(db, product, "D", points=14)
    sprint = sprints.create_sprint(db, product.id, "Sprint 1")
    sprints.set_sprint_items(db, sprint.id, add=[c.id for c in planned])
    screen.reload()
    bar = screen.sprint_bar
    assert "4 items, 29 pts" in bar.summary.text()

    screen.select_ids([planned[0].id])
    editor = screen.edit_current()
    assert editor is not None
    editor.points_spin.setValue(13)
    assert editor.save()
    assert items.get_card(db, planned[0].id).points == 13
    assert "4 items, 37 pts" in bar.summary.text()
    assert bar.select_sprint(sprint.id)  # choosing the sprint again shows the same
    assert "4 items, 37 pts" in bar.summary.text()


def test_the_next_sprint_label_shows_whole_when_the_line_tops_the_list(
    db: Database, product: ProductInfo, screen: BacklogScreen, qtbot: QtBot
) -> None:
    """When not even the first item fits the velocity (carried work in progress often does
    not), the line runs above the first row; its label used to lose its upper half under
    the header."""
    add(db, product, "Checkout", "Search", points=8)
    screen.reload()
    view = screen.view
    qtbot.waitUntil(lambda: view.rowHeight(0) > 0)
    view.set_line(0, "next sprint at 5 pts")
    box = view.line_label_rect()
    assert box is not None and box.height() > 0
    assert view.viewport().rect().contains(box)
    view.set_line(1, "next sprint at 5 pts")  # lower down: centred on the line
    lower = view.line_label_rect()
    assert lower is not None and lower.center().y() in range(
        view.rowViewportPosition(1) - 1, view.rowViewportPosition(1) + 2
    )

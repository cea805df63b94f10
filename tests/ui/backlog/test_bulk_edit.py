"""Bulk edit of a backlog selection: points, labels, sprint, assignee and kind in one
transaction and one undo entry; a stale selection changes nothing; joining a sprint asks first
for items that are not Ready. And the backlog's refinement view: the Ready column and filter,
unestimated items marked, blockers first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from kanban.services import (
    Database,
    checklists,
    estimation,
    items,
    links,
    open_database,
    people,
    sprints,
)
from kanban.services.records import ProductInfo
from kanban.ui.backlog.model import NOT_READY_COLOR, POINTS, READY
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.main_window import MainWindow


def backlog(window: MainWindow, qtbot: QtBot) -> BacklogScreen:
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    return screen


def test_bulk_edit_changes_the_selection_in_one_undo_entry(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow,
    answer_box: Callable[..., str],
) -> None:  # fmt: skip
    a = items.add_item(db, product.id, "A", points=1, labels=["ux", "old"])
    b = items.add_item(db, product.id, "B", labels=["old"])
    c = items.add_item(db, product.id, "C")
    ann = people.add_member(db, "Ann")
    sprint = sprints.create_sprint(db, product.id, "Sprint 1")
    screen = backlog(window, qtbot)
    screen.select_ids([a.id, b.id])
    dialog = screen.edit_selected()
    assert dialog is not None
    assert dialog.points_combo.itemText(2) == "1"  # the product's points scale
    dialog.points_check.setChecked(True)
    dialog.points_combo.setCurrentIndex(dialog.points_combo.findData(5.0))
    dialog.add_labels_check.setChecked(True)
    dialog.add_labels_edit.setText("checkout, mobile")
    dialog.remove_labels_check.setChecked(True)
    dialog.remove_labels_edit.setText("OLD")
    dialog.assignee_check.setChecked(True)
    dialog.assignee_combo.setCurrentIndex(dialog.assignee_combo.findData(ann.id))
    dialog.kind_check.setChecked(True)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("bug"))
    dialog.sprint_check.setChecked(True)
    dialog.sprint_combo.setCurrentIndex(dialog.sprint_combo.findData(sprint.id))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    asked = answer_box("Not Ready")  # no acceptance criteria: ask before they join
    assert asked.startswith("2 items are not Ready")

    for item_id, labels in ((a.id, ("checkout", "mobile", "ux")), (b.id, ("checkout", "mobile"))):
        card = items.get_card(db, item_id)
        assert (card.points, card.labels, card.assignee, card.kind, card.sprint_id) == (
            5.0, labels, "Ann", "bug", sprint.id,
        )  # fmt: skip
    assert items.get_card(db, c.id).points is None  # not selected: untouched
    stack = window.ctx.undo_stack
    assert stack.count() == 1 and stack.text(0) == "Edit 2 items"
    stack.undo()
    undone = items.get_card(db, a.id)
    assert (undone.points, undone.labels, undone.assignee, undone.kind, undone.sprint_id) == (
        1.0, ("old", "ux"), None, "story", None,
    )  # fmt: skip
    assert items.get_card(db, b.id).labels == ("old",)
    stack.redo()
    assert items.get_card(db, b.id).points == 5.0
    history = [h.action for h in items.item_history(db, a.id)]
    assert history.count("ready_overridden") == 2  # the first time and the redo


def test_a_stale_selection_changes_nothing(
    qtbot: QtBot, db_path, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    a = items.add_item(db, product.id, "A")
    b = items.add_item(db, product.id, "B")
    screen = backlog(window, qtbot)
    screen.select_ids([a.id, b.id])
    dialog = screen.edit_selected()
    assert dialog is not None
    other = open_database(str(db_path))
    try:
        items.edit_item(other, b.id, 1, title="B, changed in a terminal")
    finally:
        other.close()
    dialog.points_check.setChecked(True)
    dialog.points_combo.setCurrentIndex(dialog.points_combo.findData(3.0))
    assert not dialog.save()
    assert "WEB-2 was changed elsewhere" in dialog.error_label.text()
    assert items.get_card(db, a.id).points is None
    assert window.ctx.undo_stack.count() == 0


def test_the_backlog_shows_ready_and_unestimated_and_filters_on_ready(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    ready = items.add_item(db, product.id, "Ready one", points=2)
    checklists.add_criteria(db, ready.id, "It works")
    blocked = items.add_item(db, product.id, "Waits", points=3)
    checklists.add_criteria(db, blocked.id, "It works")
    rough = items.add_item(db, product.id, "Rough idea")
    links.link_items(db, blocked.id, "blocked-by", rough.id)
    screen = backlog(window, qtbot)
    model = screen.model
    ready_texts = [model.index(r, READY).data() for r in range(model.rowCount())]
    assert ready_texts == ["Ready", "Not ready", "Not ready"]
    assert model.index(1, READY).data(Qt.ItemDataRole.ToolTipRole) == (
        "Not ready: It is blocked by WEB-3, which is not done."
    )
    assert model.index(2, POINTS).data() == "?"
    assert model.index(2, POINTS).data(Qt.ItemDataRole.ToolTipRole) == "Not estimated yet"
    assert "1 not estimated" in screen.summary.text()

    screen.ready_combo.setCurrentIndex(screen.ready_combo.findData("not_ready"))
    assert [c.title for c in model.rows] == ["Waits", "Rough idea"]
    screen.ready_combo.setCurrentIndex(0)
    screen.dependency_check.setChecked(True)  # every item after what blocks it
    assert [c.title for c in model.rows] == ["Ready one", "Rough idea", "Waits"]
    assert not screen.view.dragEnabled()


def test_the_velocity_line_says_how_many_items_above_it_are_unestimated(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    items.add_item(db, product.id, "Estimated", points=3)
    items.add_item(db, product.id, "Idea", top=True)  # counts as 0 in the running total
    items.add_item(db, product.id, "Big", points=8)
    screen = backlog(window, qtbot)
    screen.velocity = 4.0  # as if the last sprints had closed at 4 points
    screen.refresh()
    assert screen.view.line_row == 2  # "Big" no longer fits
    assert screen.view.line_text == "next sprint at 4 pts · 1 unestimated above"


def test_points_off_the_products_scale_are_marked_and_follow_the_scale(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    items.add_item(db, product.id, "On the scale", points=5)
    items.add_item(db, product.id, "Off the scale", points=4)
    screen = backlog(window, qtbot)
    model = screen.model
    assert model.index(0, POINTS).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(0, POINTS).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, POINTS).data() == "4"
    assert model.index(1, POINTS).data(Qt.ItemDataRole.ToolTipRole) == (
        "4 points is not on the product's points scale (0, 1, 2, 3, 5, 8, 13, 21)"
    )
    assert model.index(1, POINTS).data(Qt.ItemDataRole.ForegroundRole) == NOT_READY_COLOR

    estimation.set_points_scale(db, product.id, "1, 2, 4, 8")  # another writer changes it
    window.ctx.check_for_external_changes()
    assert model.index(1, POINTS).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(0, POINTS).data(Qt.ItemDataRole.ToolTipRole) == (
        "5 points is not on the product's points scale (1, 2, 4, 8)"
    )

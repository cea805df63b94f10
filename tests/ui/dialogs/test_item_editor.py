"""The item editor on a real database: every field, preview escaping, undo, conflicts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from kanban.services import Database, checklists, items, open_database, people, questions, sprints
from kanban.services.records import ProductInfo
from kanban.ui.context import AppContext
from kanban.ui.dialogs.item_editor import open_item_editor
from kanban.ui.dialogs.markdown_preview import markdown_to_html
from kanban.ui.main_window import MainWindow


def _select_data(combo: QComboBox, value: int | str) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def test_editor_edits_every_field_and_saves(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Checkout", points=3)
    checklists.add_criteria(db, card.id, "PayPal button shown")  # Ready: joins the sprint
    epic = items.add_item(db, product.id, "Payments", kind="epic")
    ann = people.add_member(db, "Ann")
    sam = people.add_stakeholder(db, "Sam", product_ids=[product.id])
    sprint = sprints.create_sprint(db, product.id, "Sprint 1")

    editor = open_item_editor(ctx, card.id)
    qtbot.waitExposed(editor)
    editor.title_edit.setText("Checkout with PayPal")
    _select_data(editor.kind_combo, "bug")
    editor.points_spin.setValue(5)
    editor.value_spin.setValue(80)
    _select_data(editor.assignee_combo, ann.id)
    _select_data(editor.requester_combo, sam.id)
    _select_data(editor.sprint_combo, sprint.id)
    _select_data(editor.epic_combo, epic.id)
    editor.labels_edit.setText("mobile, checkout , mobile")
    editor.due_check.setChecked(True)
    editor.due_edit.setDate(QDate(2030, 5, 17))
    editor.blocked_edit.setText("Waiting for the PSP contract")
    editor.description_edit.setPlainText("As a buyer I pay **fast**.")
    with qtbot.waitSignal(ctx.events.items_changed) as changed:
        editor.buttons.button(editor.buttons.StandardButton.Save).click()

    detail = items.get_item(db, card.id)
    assert detail.title == "Checkout with PayPal"
    assert detail.kind == "bug"
    assert detail.points == 5
    assert detail.business_value == 80
    assert detail.assignee_id == ann.id
    assert detail.requested_by_id == sam.id
    assert detail.sprint_id == sprint.id
    assert detail.epic_id == epic.id
    assert detail.labels == ("checkout", "mobile")
    assert detail.due_date == dt.date(2030, 5, 17)
    assert detail.blocked_reason == "Waiting for the PSP contract"
    assert detail.description == "As a buyer I pay **fast**."
    assert changed.args[0].cards[0].title == "Checkout with PayPal"
    assert ctx.undo_stack.count() == 1


def test_clearing_optional_fields_stores_none(
    qtbot: QtBot, db: Database, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Search", points=3, blocked_reason="x")
    editor = open_item_editor(ctx, card.id)
    assert editor.points_spin.text() == "3.0"
    editor.points_spin.setValue(editor.points_spin.minimum())
    editor.blocked_edit.clear()
    assert editor.save()
    detail = items.get_item(db, card.id)
    assert detail.points is None
    assert detail.blocked_reason is None


def test_preview_renders_markdown_and_escapes_html(
    qtbot: QtBot, db: Database, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Preview")
    editor = open_item_editor(ctx, card.id)
    editor.description_edit.setPlainText("**bold** <b>raw</b> ![x](file:///etc/passwd)")
    html = editor.description_preview.toHtml()
    assert "font-weight" in html  # **bold** rendered
    assert "&lt;b&gt;raw&lt;/b&gt;" in html  # the user's HTML shown as text
    assert "<img" not in html
    assert "<img" not in markdown_to_html("![x](file:///etc/passwd)")
    assert "&lt;script&gt;" in markdown_to_html("<script>alert(1)</script>")


def test_history_tab_lists_activity(
    qtbot: QtBot, db: Database, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "History")
    items.move_item(db, card.id, column_id=items.load_board(db, product.id).columns[2].id)
    editor = open_item_editor(ctx, card.id)
    actions = [
        editor.history.topLevelItem(i).text(2) for i in range(editor.history.topLevelItemCount())
    ]
    assert actions == ["created", "moved"]


def test_edit_undo_and_redo_through_the_edit_menu(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Old title")
    editor = open_item_editor(ctx, card.id)
    editor.title_edit.setText("New title")
    assert editor.save()
    assert items.get_item(db, card.id).title == "New title"
    window.undo_action.trigger()
    assert items.get_item(db, card.id).title == "Old title"
    window.redo_action.trigger()
    assert items.get_item(db, card.id).title == "New title"


def test_stale_save_shows_conflict_and_keeps_both_sides(
    qtbot: QtBot,
    db: Database,
    db_path,
    product: ProductInfo,
    ctx: AppContext,
) -> None:
    card = items.add_item(db, product.id, "Shared")
    editor = open_item_editor(ctx, card.id)
    editor.title_edit.setText("My title")
    editor.description_edit.setPlainText("My long description")

    other = open_database(str(db_path))
    try:
        before = items.get_item(other, card.id)
        items.edit_item(other, card.id, before.version, title="Their title", points=8)
    finally:
        other.close()

    assert not editor.save()
    assert editor.isVisible()
    assert editor.banner.isVisible()
    assert "changed elsewhere" in editor.message.text()
    assert editor.title_edit.text() == "My title"
    assert editor.description_edit.toPlainText() == "My long description"
    stored = items.get_item(db, card.id)
    assert (stored.title, stored.points, stored.description) == ("Their title", 8, "")
    assert ctx.undo_stack.count() == 0

    editor.reload()  # takes in their points, keeps my title and description
    assert editor.title_edit.text() == "My title"
    assert editor.points_spin.value() == 8
    assert "Their title" in editor.message.text()
    assert editor.save()
    stored = items.get_item(db, card.id)
    assert (stored.title, stored.points, stored.description) == (
        "My title",
        8,
        "My long description",
    )


def test_questions_tab_embeds_the_item_questions_panel(
    qtbot: QtBot, db: Database, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Asked about")
    questions.ask_question(db, product.id, "Which PSP?", item_ref=card.id)
    editor = open_item_editor(ctx, card.id)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert "Questions" in titles
    assert editor.questions.model.rowCount() == 1


def test_reload_keeps_my_choices_and_names_theirs(
    qtbot: QtBot, db: Database, db_path: Path, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Shared")
    ann, bob = people.add_member(db, "Ann"), people.add_member(db, "Bob")
    editor = open_item_editor(ctx, card.id)
    _select_data(editor.assignee_combo, ann.id)

    other = open_database(str(db_path))
    try:
        items.edit_item(other, card.id, 1, assignee_id=bob.id, business_value=40)
    finally:
        other.close()
    assert not editor.save()
    editor.reload()
    assert editor.assignee_combo.currentData() == ann.id  # mine kept
    assert editor.value_spin.value() == 40  # theirs taken in
    assert "assignee: Bob" in editor.message.text()
    editor.discard_mine()
    assert editor.assignee_combo.currentData() == bob.id
    assert not editor.banner.isVisible()


def test_an_untouched_editor_follows_changes_made_elsewhere(
    qtbot: QtBot, db: Database, db_path: Path, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Before")
    editor = open_item_editor(ctx, card.id)
    qtbot.waitExposed(editor)
    other = open_database(str(db_path))
    try:
        items.edit_item(other, card.id, 1, title="After")
    finally:
        other.close()
    qtbot.waitUntil(lambda: editor.title_edit.text() == "After", timeout=2000)


def test_the_points_scale_shows_the_estimate_and_says_when_it_is_off_the_scale(
    qtbot: QtBot, db: Database, product: ProductInfo, ctx: AppContext
) -> None:
    card = items.add_item(db, product.id, "Checkout", points=5)
    editor = open_item_editor(ctx, card.id)
    qtbot.waitExposed(editor)
    checked = [b.text() for b in editor.scale_buttons if b.isChecked()]
    assert checked == ["5"] and editor.points_spin.toolTip() == ""

    [three] = [b for b in editor.scale_buttons if b.text() == "3"]
    three.click()
    assert editor.points_spin.value() == 3
    assert [b.text() for b in editor.scale_buttons if b.isChecked()] == ["3"]

    editor.points_spin.setValue(4)  # typed: saved all the same, and said
    assert not any(b.isChecked() for b in editor.scale_buttons)
    assert editor.points_spin.toolTip() == (
        "4 points is not on the product's points scale (0, 1, 2, 3, 5, 8, 13, 21)"
    )
    editor.save()
    assert items.get_card(db, card.id).points == 4

"""Refining an item in the item editor: the criteria checklist, comments, links and resources,
the Ready tab; each change saved at once and undoable; the board follows; another writer's
changes show up."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services import Database, checklists, comments, items, links, open_database, questions
from kanban.services.readiness import list_rules, set_rules
from kanban.services.records import Card, ChecklistLine, ProductInfo, RuleInfo
from kanban.ui.board.screen import BoardScreen
from kanban.ui.context import AppContext
from kanban.ui.dialogs.item_editor import ItemEditor, open_item_editor
from kanban.ui.main_window import MainWindow
from kanban.ui.refinement.checklist import ChecklistModel
from kanban.ui.refinement.comments import ACTION_SCHEME


@pytest.fixture
def card(db: Database, product: ProductInfo) -> Card:
    return items.add_item(db, product.id, "Pay by card", points=3)


@pytest.fixture
def editor(qtbot: QtBot, ctx: AppContext, card: Card) -> ItemEditor:
    dialog = open_item_editor(ctx, card.id)
    qtbot.waitExposed(dialog)
    return dialog


def lines(db: Database, card: Card) -> list[tuple[str, bool]]:
    return [(line.text, line.done) for line in checklists.get_checklist(db, card.id)]


def board_card(window: MainWindow, card: Card) -> Card:
    """The card as the window's card store (the board's and backlog's) holds it now; the
    store is read once when it does not hold the card (added by the test's own service
    calls), and from then on follows what the editor's commands publish."""
    store = window.ctx.load_cards()
    if card.id not in store.by_id:
        store.outdate()
        store = window.ctx.load_cards()
    return store.by_id[card.id]


def test_criteria_are_added_checked_off_and_undone_from_the_checklist_tab(
    qtbot: QtBot, db: Database, window: MainWindow, editor: ItemEditor, card: Card
) -> None:
    panel = editor.checklist
    editor.tabs.setCurrentWidget(panel)
    board_card(window, card)  # the card store is read, and follows from here on
    qtbot.keyClicks(panel.new_edit, "Visa works")
    qtbot.keyClick(panel.new_edit, Qt.Key.Key_Return)
    assert editor.isVisible()  # Enter adds the line; it does not also press Save
    panel.new_edit.setText("- Mastercard works\n- [x] Declined cards say why")  # a pasted list
    panel.add_button.click()
    assert lines(db, card) == [
        ("Visa works", False),
        ("Mastercard works", False),
        ("Declined cards say why", True),
    ]
    assert panel.summary.text() == "1 of 3 checked off"
    assert (board_card(window, card).checklist_done, board_card(window, card).checklist_total) == (
        1,
        3,
    )

    panel.view.setCurrentIndex(panel.model.index(0))
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Space)  # checks the box, as a click would
    assert lines(db, card)[0] == ("Visa works", True)
    assert board_card(window, card).checklist_done == 2
    assert "☑ Visa works" in editor.summary_preview.toPlainText()

    panel.view.setCurrentIndex(panel.model.index(2))
    panel.up_button.click()
    assert [text for text, _ in lines(db, card)][1] == "Declined cards say why"
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.remove_button.click()
    assert len(lines(db, card)) == 2

    stack = window.ctx.undo_stack
    texts = [stack.text(i) for i in range(stack.count())]
    assert texts == [
        "Add acceptance criteria",
        "Add acceptance criteria",
        "Check off “Visa works”",
        "Move acceptance criterion",
        "Remove “Visa works”",
    ]
    stack.undo()  # the removed line comes back, checked, where it was
    assert lines(db, card)[0] == ("Visa works", True)
    stack.undo()
    stack.undo()
    assert lines(db, card)[0] == ("Visa works", False)
    assert panel.summary.text() == "1 of 3 checked off"
    # The editor's own fields were never touched: saving them works, no conflict.
    editor.title_edit.setText("Pay by card or PayPal")
    assert editor.save()


def test_an_edited_line_keeps_its_place_and_history(
    db: Database, editor: ItemEditor, card: Card
) -> None:
    checklists.add_criteria(db, card.id, "Visa")
    editor.checklist.reload()
    index = editor.checklist.model.index(0)
    assert editor.checklist.model.setData(index, "  Visa   and Amex ", Qt.ItemDataRole.EditRole)
    assert lines(db, card) == [("Visa and Amex", False)]
    edited = [h.detail for h in items.item_history(db, card.id) if h.action == "criterion_edited"]
    assert edited == ["WEB-1: Visa → Visa and Amex"]


def test_the_checklist_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = ChecklistModel()
    model.set_lines([ChecklistLine(i, 1, i, f"Line {i}", i % 2 == 0, None) for i in (1, 2, 3)])
    qtmodeltester.check(model)
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.rowCount(model.index(0)) == 0 and not model.setData(QModelIndex(), "x")


def test_comments_render_safely_and_only_the_author_edits_or_deletes(
    db: Database, window: MainWindow, editor: ItemEditor, card: Card
) -> None:
    comments.add_comment(db, card.id, "Mine? [Delete](kanban-comment:0/delete/2)", by="Ana")
    panel = editor.comments
    panel.reload()
    panel.editor.setPlainText("Ask **Finance** <script>alert(1)</script> ![x](/etc/passwd)")
    panel.post_button.click()
    [_theirs, mine] = panel.shown
    assert mine.author == "po"
    html = panel.view.toHtml()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<img" not in html  # image syntax stays text: nothing is loaded
    assert "Finance" in panel.view.toPlainText()
    assert board_card(window, card).comments == 2
    # Only one's own comment has Edit and Delete; a link written in a comment acts on nothing.
    assert panel.view.toPlainText().count("Delete") == 2  # the forged link's text and mine
    panel.view.anchorClicked.emit(QUrl(f"{ACTION_SCHEME}:0/delete/{mine.id}"))
    assert len(comments.list_comments(db, card.id)) == 2
    assert ACTION_SCHEME + ":" + panel._nonce in html

    panel.view.anchorClicked.emit(QUrl(f"{ACTION_SCHEME}:{panel._nonce}/edit/{mine.id}"))
    assert panel.editing == mine and panel.post_button.text() == "Save edit"
    panel.editor.setPlainText("Ask Finance first")
    panel.post_button.click()
    assert comments.list_comments(db, card.id)[1].text == "Ask Finance first"
    panel.view.anchorClicked.emit(QUrl(f"{ACTION_SCHEME}:{panel._nonce}/delete/{mine.id}"))
    assert [c.author for c in comments.list_comments(db, card.id)] == ["Ana"]
    assert board_card(window, card).comments == 1
    window.ctx.undo_stack.undo()
    assert len(comments.list_comments(db, card.id)) == 2
    window.ctx.undo_stack.undo()
    assert comments.list_comments(db, card.id)[1].text.startswith("Ask **Finance**")


def test_linking_shows_the_blocker_on_the_card_until_it_is_done(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow, editor: ItemEditor,
    card: Card,
) -> None:  # fmt: skip
    contract = items.add_item(db, product.id, "Provider contract")
    panel = editor.links
    panel.load_candidates()
    assert "WEB-2 Provider contract" in panel._candidates.stringList()
    panel.role_combo.setCurrentIndex(panel.role_combo.findData("blocked_by"))
    panel.other_edit.setText("WEB-2 Provider contract")  # as the completer fills it in
    panel.link_button.click()
    assert [(x.role, x.other_key) for x in links.list_links(db, card.id)] == [
        ("blocked_by", "WEB-2")
    ]
    assert panel.links_tree.topLevelItem(0).text(0) == "is blocked by"
    assert board_card(window, card).blocked_by == ("WEB-2",)
    assert editor.readiness.refinement is not None
    assert not editor.readiness.refinement.ready.met

    done = next(c for c in items.load_board(db, product.id).columns if c.name == "Done")
    board = window.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    board.select_cards([contract.id])
    board.card_menu([contract.id])  # the menu's Move to would do the same as this drop
    board.drop_cards((contract.id,), done.id, None, None)  # no criteria: no question
    qtbot.waitUntil(lambda: board.store.by_id[card.id].blocked_by == ())
    assert board.store.by_id[card.id].ready is False  # it has no criteria yet
    assert panel.links_tree.topLevelItem(0).text(3) == "done"

    panel.links_tree.setCurrentItem(panel.links_tree.topLevelItem(0))
    panel.unlink_button.click()
    assert links.list_links(db, card.id) == []
    window.ctx.undo_stack.undo()
    assert len(links.list_links(db, card.id)) == 1


def test_a_resource_opens_without_running_anything(
    db: Database, editor: ItemEditor, card: Card, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.pdf"
    spec.write_bytes(b"%PDF")
    script = tmp_path / "install.sh"
    script.write_text("#!/bin/sh\necho gone\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    opened: list[QUrl] = []
    panel = editor.links
    panel.opener = lambda url: opened.append(url) or True
    for target, title in ((str(spec), "Spec"), (str(script), "Installer"),
                          ("https://example.com/a?b=1", "Page")):  # fmt: skip
        panel.title_edit.setText(title)
        panel.target_edit.setText(target)
        panel.add_resource_button.click()
    assert [r.title for r in links.list_resources(db, card.id)] == ["Spec", "Installer", "Page"]

    def open_row(row: int) -> None:
        panel.resource_tree.setCurrentItem(panel.resource_tree.topLevelItem(row))
        panel.open_resource_button.click()

    open_row(0)
    open_row(1)
    open_row(2)
    assert opened == [
        QUrl.fromLocalFile(str(spec)),
        QUrl.fromLocalFile(str(tmp_path)),  # the script's folder, never the script
        QUrl("https://example.com/a?b=1"),
    ]
    notices = [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("install.sh is a program or a launcher" in text for text in notices)
    panel.target_edit.setText("javascript:alert(1)")
    panel.add_resource_button.click()  # refused with a message, nothing stored
    assert len(links.list_resources(db, card.id)) == 3


def test_the_ready_tab_follows_the_questions_and_confirms_custom_rules(
    qtbot: QtBot,
    db: Database,
    product: ProductInfo,
    window: MainWindow,
    editor: ItemEditor,
    card: Card,
) -> None:
    checklists.add_criteria(db, card.id, "Visa works")
    asked = questions.ask_question(db, product.id, "Amex?", item_ref=card.id)
    window.ctx.check_for_external_changes()
    panel = editor.readiness
    assert panel.ready_label.text() == "Not ready: It has 1 open question."
    assert editor.ready_label.text() == panel.ready_label.text()
    questions.answer_question(db, asked.id, "No")
    window.ctx.check_for_external_changes()
    assert panel.ready_label.text() == "Ready"

    rules = list_rules(db, product.id, "ready")
    custom = RuleInfo(None, product.id, "ready", "custom", "UX signed off", True, "UX signed off")
    set_rules(db, product.id, "ready", [*rules, custom])
    window.ctx.check_for_external_changes()
    assert panel.ready_label.text() == "Not ready: Not confirmed: UX signed off."
    group = panel.tree.topLevelItem(0)
    row = next(
        group.child(i)
        for i in range(group.childCount())
        if group.child(i).text(0) == "UX signed off"
    )
    row.setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: panel.ready_label.text() == "Ready")
    assert board_card(window, card).ready is True
    window.ctx.undo_stack.undo()
    assert board_card(window, card).ready is False


def test_another_writers_refinement_shows_up_in_the_open_editor(
    db_path: Path, window: MainWindow, editor: ItemEditor, card: Card
) -> None:
    other = open_database(str(db_path))
    try:
        checklists.add_criteria(other, card.id, "From a terminal")
        comments.add_comment(other, card.id, "Hello from the terminal", by="Ana")
    finally:
        other.close()
    assert window.ctx.check_for_external_changes()
    assert [line.text for line in editor.checklist.model.lines] == ["From a terminal"]
    assert "Hello from the terminal" in editor.comments.view.toPlainText()

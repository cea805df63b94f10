"""Questions about one item: the ask dialog opened for a card, and the item editor's panel."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, questions
from kanban.services.products import create_product
from kanban.services.records import Card, ProductInfo
from kanban.ui.context import AppContext
from kanban.ui.main_window import MainWindow
from kanban.ui.questions.ask_dialog import ask_question_dialog
from kanban.ui.questions.item_panel import ItemQuestionsPanel
from kanban.ui.questions.model import ANSWER, ASKER, STATE, TEXT


def test_ask_from_a_cards_dialog_links_the_item_and_updates_its_marker(
    window: MainWindow,
    ctx: AppContext,
    db: Database,
    product: ProductInfo,
    card: Card,
    qtbot: QtBot,
) -> None:
    dialog = ask_question_dialog(ctx, card.id, window)
    assert dialog.isVisible()
    assert dialog.item_edit.text() == "WEB-1"
    assert dialog.item_edit.isReadOnly()
    assert dialog.item_hint.text() == "Guest checkout"
    dialog.asker.setEditText("Ana")
    qtbot.keyClicks(dialog.text, "Must guests confirm their e-mail?")
    with (
        qtbot.waitSignal(ctx.events.items_changed) as cards,
        qtbot.waitSignal(ctx.events.questions_changed) as changed,
    ):
        dialog.ask_button.click()

    assert items.get_card(db, card.id).open_questions == 1
    [marked] = cards.args[0].cards
    assert (marked.id, marked.open_questions) == (card.id, 1)
    assert changed.args == [product.id]
    [asked] = questions.list_questions(db, product.id, item_id=card.id)
    assert (asked.text, asked.asked_by, asked.item_key) == (
        "Must guests confirm their e-mail?",
        "Ana",
        "WEB-1",
    )


def test_ask_dialog_for_an_item_of_another_product_than_the_current_one(
    window: MainWindow, ctx: AppContext, db: Database, qtbot: QtBot
) -> None:
    create_product(db, "APP", "Mobile app")
    other = items.add_item(db, "APP", "Offline mode")
    dialog = ask_question_dialog(ctx, other.id, window)
    qtbot.keyClicks(dialog.text, "How long offline?")
    dialog.ask_button.click()
    [asked] = questions.list_questions(db, "APP")
    assert asked.item_key == "APP-1"
    assert questions.list_questions(db, "WEB") == []


def test_item_panel_lists_only_the_items_questions_and_follows_changes(
    ctx: AppContext,
    db: Database,
    product: ProductInfo,
    card: Card,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
) -> None:
    other = items.add_item(db, product.id, "Search")
    mine = questions.ask_question(db, "WEB", "Guest e-mail?", item_ref=card.id, asked_by="Ana")
    questions.ask_question(db, "WEB", "Search ranking?", item_ref=other.id)
    questions.ask_question(db, "WEB", "About the product")
    panel = ItemQuestionsPanel(ctx, card.id)
    qtbot.addWidget(panel)
    panel.show()
    model = panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in (STATE, ASKER, TEXT, ANSWER)] == [
        "open",
        "Ana",
        "Guest e-mail?",
        "",
    ]
    assert panel.summary.text() == "1 question, 1 open"
    assert not panel.answer_button.isEnabled()

    panel.select_question(mine.id)
    assert panel.selected_id == mine.id
    dialog = panel.answer_selected()
    assert dialog is not None
    qtbot.keyClicks(dialog.answer, "Yes, double opt-in")
    dialog.answer_button.click()
    assert [model.index(0, c).data() for c in (STATE, ANSWER)] == [
        "answered",
        "Yes, double opt-in",
    ]
    assert panel.summary.text() == "1 question, 0 open"

    ask = panel.ask()
    assert ask.item_edit.text() == "WEB-1"
    qtbot.keyClicks(ask.text, "Which mail provider?")
    ask.ask_button.click()
    assert model.rowCount() == 2
    assert panel.summary.text() == "2 questions, 1 open"
    assert items.get_card(db, card.id).open_questions == 1
    ctx.undo_stack.clear()

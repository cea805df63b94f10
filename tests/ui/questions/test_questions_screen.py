"""The Questions screen in the main window: asking, answering, filters, badge, undo, reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services import Database, checklists, items, open_database, people, questions
from kanban.services.records import Card, ProductInfo
from kanban.ui.main_window import MainWindow
from kanban.ui.questions.ask_dialog import AskQuestionDialog
from kanban.ui.questions.model import HEADERS
from kanban.ui.questions.screen import QuestionsScreen


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def nav_text(window: MainWindow, screen: QuestionsScreen) -> str:
    return window.nav.item(window.screens.index(screen)).text()


def shown_texts(screen: QuestionsScreen) -> list[str]:
    model = screen.model
    return [model.record(row).text for row in range(model.rowCount())]


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_ask_from_the_screen_with_ctrl_n_adds_a_new_asker_and_links_the_item(
    window: MainWindow, screen: QuestionsScreen, db: Database, card: Card, qtbot: QtBot
) -> None:
    assert nav_text(window, screen) == "Questions"
    screen.view.setFocus()
    qtbot.keyClick(screen.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    [dialog] = screen.findChildren(AskQuestionDialog)
    assert dialog.isVisible()
    assert not dialog.ask_button.isEnabled()  # the question is required
    dialog.asker.setEditText("Ana")  # not yet a team member
    choose(dialog.urgency, "high")
    qtbot.keyClicks(dialog.item_edit, "web-1")
    assert dialog.item_hint.text() == "Guest checkout"
    qtbot.keyClicks(dialog.text, "Do guests need an account to pay?")
    dialog.ask_button.click()

    [asked] = questions.list_questions(db, "WEB")
    assert (asked.text, asked.asked_by, asked.urgency, asked.item_key, asked.state) == (
        "Do guests need an account to pay?",
        "Ana",
        "high",
        "WEB-1",
        "open",
    )
    assert "Ana" in [m.name for m in people.list_members(db)]
    assert not dialog.isVisible()
    assert shown_texts(screen) == ["Do guests need an account to pay?"]
    assert screen.selected_question() == asked
    assert screen.detail.text.text() == "Do guests need an account to pay?"
    assert nav_text(window, screen) == "Questions  (1)"
    assert items.get_card(db, card.id).open_questions == 1
    assert screen.count_label.text() == "1 of 1 question"


def test_asker_is_picked_from_the_team(screen: QuestionsScreen, db: Database, qtbot: QtBot) -> None:
    people.add_member(db, "Ben Carter")
    people.add_member(db, "Ana Silva")
    dialog = screen.ask()
    assert dialog is not None
    names = [dialog.asker.itemText(i) for i in range(dialog.asker.count())]
    assert names == ["Ana Silva", "Ben Carter"]
    dialog.asker.setCurrentIndex(1)
    qtbot.keyClicks(dialog.text, "Which browsers?")
    dialog.ask_button.click()
    assert [q.asked_by for q in questions.list_questions(db, "WEB")] == ["Ben Carter"]
    assert len(people.list_members(db)) == 2  # no duplicate member


def test_an_unknown_item_is_refused_and_the_dialog_stays_open(
    screen: QuestionsScreen, db: Database, card: Card, qtbot: QtBot
) -> None:
    dialog = screen.ask()
    assert dialog is not None
    qtbot.keyClicks(dialog.item_edit, "WEB-99")
    assert dialog.item_hint.text() == "No item WEB-99"
    qtbot.keyClicks(dialog.text, "Is this still needed?")
    dialog.ask_button.click()
    box = dialog.findChild(QMessageBox)
    assert box is not None and "WEB-99" in box.text()
    assert dialog.isVisible()
    assert questions.list_questions(db, "WEB") == []
    box.close()
    dialog.reject()


def test_answer_records_who_and_when_and_appends_to_acceptance_criteria(
    window: MainWindow, screen: QuestionsScreen, db: Database, card: Card, qtbot: QtBot
) -> None:
    asked = questions.ask_question(db, "WEB", "Pay by invoice?", item_ref="WEB-1", asked_by="Ana")
    screen.reload()
    window.refresh_badges()
    assert nav_text(window, screen) == "Questions  (1)"
    assert screen.select_question(asked.id)
    before = utcnow().replace(microsecond=0)
    dialog = screen.answer_selected()
    assert dialog is not None
    assert dialog.answered_by.text() == "po"  # the current user ($KANBAN_USER in the tests)
    assert dialog.append_criteria.isEnabled()
    qtbot.keyClicks(dialog.answer, "Only for business customers")
    dialog.append_criteria.setChecked(True)
    with qtbot.waitSignal(window.ctx.events.items_changed) as changed:
        dialog.answer_button.click()

    now = questions.get_question(db, asked.id)
    assert (now.state, now.answer, now.answered_by) == (
        "answered",
        "Only for business customers",
        "po",
    )
    assert now.answered_at is not None and before <= now.answered_at <= utcnow()
    line = f"Only for business customers (answer to question #{asked.id})"
    assert [x.text for x in checklists.get_checklist(db, card.id)] == [line]
    [changed_card] = changed.args[0].cards
    assert (changed_card.id, changed_card.open_questions) == (card.id, 0)
    assert nav_text(window, screen) == "Questions"
    assert shown_texts(screen) == []  # the open filter hides it now
    choose(screen.state_filter, "answered")
    assert screen.select_question(asked.id)
    assert screen.detail.answer.text() == "Only for business customers"
    assert screen.detail.answered.text().startswith("Answered by po on ")

    window.ctx.undo_stack.undo()
    undone = questions.get_question(db, asked.id)
    assert (undone.state, undone.answer, undone.answered_at) == ("open", "", None)
    assert checklists.get_checklist(db, card.id) == []
    assert nav_text(window, screen) == "Questions  (1)"
    window.ctx.undo_stack.redo()
    assert questions.get_question(db, asked.id).answer == "Only for business customers"
    assert [x.text for x in checklists.get_checklist(db, card.id)] == [line]


def test_changing_an_answer_asks_first_keeps_the_old_one_in_the_history_and_undo_restores_it(
    window: MainWindow, screen: QuestionsScreen, db: Database, qtbot: QtBot
) -> None:
    asked = questions.ask_question(db, "WEB", "Which currency?")
    first = questions.answer_question(db, asked.id, "Euro", answered_by="Jordan")
    screen.reload()
    choose(screen.state_filter, "")
    assert screen.select_question(asked.id)
    dialog = screen.answer_selected()
    assert dialog is not None
    assert dialog.answer.toPlainText() == "Euro"
    assert not dialog.append_criteria.isEnabled()  # not about an item
    dialog.answer.setPlainText("Euro and Swiss franc")
    dialog.answer_button.click()

    box = dialog.confirm
    assert box is not None and box.isVisible()  # asked before replacing
    assert "already has an answer, by Jordan:" in box.text() and "\nEuro\n" in box.text()
    assert questions.get_question(db, asked.id) == first  # nothing replaced yet
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert questions.get_question(db, asked.id) == first
    assert dialog.isVisible()  # the dialog stays, with the new text
    dialog.answer_button.click()
    assert dialog.confirm is not None
    dialog.confirm.button(QMessageBox.StandardButton.Yes).click()

    assert questions.get_question(db, asked.id).answer == "Euro and Swiss franc"
    assert screen.select_question(asked.id)
    history = screen.detail.history.text().splitlines()
    assert history[0] == "History"
    assert history[-2].endswith(" · po replaced the answer: Euro")
    assert history[-1].endswith(" · po answered: Euro and Swiss franc")
    window.ctx.undo_stack.undo()
    assert questions.get_question(db, asked.id) == first
    assert screen.detail.answer.text() == "Euro"
    window.ctx.undo_stack.redo()
    redone = questions.get_question(db, asked.id)
    assert (redone.answer, redone.answered_by) == ("Euro and Swiss franc", "po")


def test_an_answer_given_elsewhere_while_the_dialog_is_open_is_never_silently_replaced(
    window: MainWindow, screen: QuestionsScreen, db: Database, db_path: Path, qtbot: QtBot
) -> None:
    asked = questions.ask_question(db, "WEB", "Which currency?")
    screen.reload()
    assert screen.select_question(asked.id)
    dialog = screen.answer_selected()
    assert dialog is not None
    dialog.answer.setPlainText("Pound")
    terminal = open_database(str(db_path))  # a teammate answers from a terminal meanwhile
    try:
        questions.answer_question(terminal, asked.id, "Euro", answered_by="Jordan")
    finally:
        terminal.close()

    dialog.answer_button.click()

    assert questions.get_question(db, asked.id).answer == "Euro"
    box = dialog.confirm
    assert box is not None and "by Jordan:\n\nEuro\n" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert questions.get_question(db, asked.id).answer == "Pound"
    events = [(e.action, e.text) for e in questions.question_history(db, asked.id)]
    assert events[-2:] == [("answer_replaced", "Euro"), ("answered", "Pound")]


def test_reopen_and_mark_obsolete_are_undoable(
    window: MainWindow, screen: QuestionsScreen, db: Database, card: Card
) -> None:
    answered = questions.ask_question(db, "WEB", "Dark mode?", item_ref=card.id)
    answered = questions.answer_question(db, answered.id, "Later", answered_by="Jordan")
    pending = questions.ask_question(db, "WEB", "Cookie banner?", item_ref=card.id)
    screen.reload()
    assert screen.select_question(pending.id)
    assert not screen.reopen_button.isEnabled()
    screen.obsolete_button.click()
    assert questions.get_question(db, pending.id).state == "obsolete"
    assert items.get_card(db, card.id).open_questions == 0
    assert shown_texts(screen) == []
    window.ctx.undo_stack.undo()
    assert questions.get_question(db, pending.id).state == "open"
    assert items.get_card(db, card.id).open_questions == 1

    choose(screen.state_filter, "answered")
    assert screen.select_question(answered.id)
    screen.reopen_button.click()
    reopened = questions.get_question(db, answered.id)
    assert (reopened.state, reopened.answer) == ("open", "Later")
    assert items.get_card(db, card.id).open_questions == 2
    window.ctx.undo_stack.undo()
    assert questions.get_question(db, answered.id) == answered
    window.ctx.undo_stack.redo()
    assert questions.get_question(db, answered.id).state == "open"
    window.ctx.undo_stack.undo()

    dialog = screen.answer_selected() if screen.select_question(answered.id) else None
    assert dialog is not None
    dialog.obsolete_button.click()
    assert questions.get_question(db, answered.id).state == "obsolete"
    assert not dialog.isVisible()


def test_undo_of_ask_marks_obsolete_and_redo_reopens(
    window: MainWindow, screen: QuestionsScreen, db: Database, card: Card, qtbot: QtBot
) -> None:
    dialog = screen.ask()
    assert dialog is not None
    dialog.item_edit.setText("WEB-1")
    qtbot.keyClicks(dialog.text, "Mobile first?")
    dialog.ask_button.click()
    [asked] = questions.list_questions(db, "WEB")
    window.ctx.undo_stack.undo()
    assert questions.get_question(db, asked.id).state == "obsolete"
    assert items.get_card(db, card.id).open_questions == 0
    assert nav_text(window, screen) == "Questions"
    window.ctx.undo_stack.redo()
    assert questions.get_question(db, asked.id).state == "open"
    assert items.get_card(db, card.id).open_questions == 1
    assert nav_text(window, screen) == "Questions  (1)"


def test_filters_by_state_asker_item_and_text_in_urgency_then_age_order(
    screen: QuestionsScreen, db: Database, product: ProductInfo, card: Card
) -> None:
    items.add_item(db, product.id, "Search")
    ask = questions.ask_question
    old = ask(db, "WEB", "Old normal one", asked_by="Ana")
    ask(db, "WEB", "Critical about checkout", item_ref="WEB-1", asked_by="Ben", urgency="critical")
    ask(db, "WEB", "Low about search", item_ref="WEB-2", asked_by="Ana", urgency="low")
    newer = ask(db, "WEB", "New normal one", asked_by="Ben")
    done = ask(db, "WEB", "Answered one", item_ref="WEB-1", asked_by="Ana")
    questions.answer_question(db, done.id, "Yes, with PayPal")
    gone = ask(db, "WEB", "Obsolete one", asked_by="Cleo")
    questions.set_question_state(db, gone.id, "obsolete")
    screen.reload()
    assert old.asked_at <= newer.asked_at

    assert shown_texts(screen) == [
        "Critical about checkout",
        "Old normal one",
        "New normal one",
        "Low about search",
    ]
    assert screen.count_label.text() == "4 of 6 questions"
    choose(screen.state_filter, "answered")
    assert shown_texts(screen) == ["Answered one"]
    choose(screen.state_filter, "obsolete")
    assert shown_texts(screen) == ["Obsolete one"]
    choose(screen.state_filter, "")
    assert len(shown_texts(screen)) == 6

    choose(screen.asker_filter, "Ana")
    assert shown_texts(screen) == ["Old normal one", "Answered one", "Low about search"]
    choose(screen.item_filter, "WEB-1")
    assert shown_texts(screen) == ["Answered one"]
    choose(screen.asker_filter, None)
    assert shown_texts(screen) == ["Critical about checkout", "Answered one"]
    choose(screen.item_filter, "")  # questions about no item
    assert shown_texts(screen) == ["Old normal one", "New normal one", "Obsolete one"]
    choose(screen.item_filter, None)

    screen.text_filter.setText("PAYPAL")  # the answer counts, case does not
    assert shown_texts(screen) == ["Answered one"]
    screen.text_filter.setText("normal one")
    assert shown_texts(screen) == ["Old normal one", "New normal one"]
    screen.text_filter.setText("nothing like this")
    assert shown_texts(screen) == []
    assert screen.count_label.text() == "0 of 6 questions"


def test_filters_survive_a_reload_and_keep_the_selection(
    screen: QuestionsScreen, db: Database
) -> None:
    first = questions.ask_question(db, "WEB", "First", asked_by="Ana")
    questions.ask_question(db, "WEB", "Second", asked_by="Ben")
    screen.reload()
    choose(screen.asker_filter, "Ana")
    assert screen.select_question(first.id)
    questions.ask_question(db, "WEB", "Third", asked_by="Ana", urgency="high")
    screen.reload()
    assert screen.asker_filter.currentData() == "Ana"
    assert shown_texts(screen) == ["Third", "First"]
    assert screen.selected_question() == first


def test_another_connection_asking_shows_up_in_the_window(
    window: MainWindow,
    screen: QuestionsScreen,
    db_path: Path,
    qtbot: QtBot,
) -> None:
    other = open_database(str(db_path))
    try:
        questions.ask_question(other, "WEB", "Asked elsewhere", asked_by="Dev")
    finally:
        other.close()
    qtbot.waitUntil(lambda: shown_texts(screen) == ["Asked elsewhere"], timeout=3000)
    qtbot.waitUntil(lambda: nav_text(window, screen) == "Questions  (1)", timeout=1000)


def test_the_table_model_passes_the_model_tester(
    screen: QuestionsScreen, db: Database, card: Card, qtmodeltester: ModelTester
) -> None:
    asked = questions.ask_question(db, "WEB", "Line one\nline two", item_ref="WEB-1", asked_by="A")
    questions.ask_question(db, "WEB", "Without asker", urgency="critical")
    screen.reload()
    qtmodeltester.check(screen.model)
    model = screen.model
    row = model.row_of(asked.id)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == list(HEADERS)
    assert [model.index(row, c).data() for c in range(7)] == [
        "normal",
        "today",
        "open",
        "A",
        "WEB-1",
        "Line one line two",
        "",
    ]
    assert model.index(row, 5).data(Qt.ItemDataRole.ToolTipRole) == "Line one\nline two"
    assert model.index(1 - row, 3).data() == "—"

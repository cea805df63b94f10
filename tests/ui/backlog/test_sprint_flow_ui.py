"""Sprints that flow, through the sprint bar's real dialogs (issue 13.5): dates offered after
the last sprint, overlaps asked about, a start that says what it moves, a closing that asks
where unfinished work goes, capacity; each undoable from the Edit menu."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, sprints
from kanban.services.people import add_member
from kanban.services.products import list_columns
from kanban.services.records import ProductInfo
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.dialogs.sprint_dialog import SprintDialog
from kanban.ui.dialogs.sprint_steps import CapacityDialog, CloseSprintDialog, StartSprintDialog
from kanban.ui.main_window import MainWindow

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
OK = QDialogButtonBox.StandardButton.Ok


@pytest.fixture
def screen(window: MainWindow) -> BacklogScreen:
    shown = window.show_screen(BacklogScreen)
    assert isinstance(shown, BacklogScreen)
    return shown


def _press(dialog: object, button: QDialogButtonBox.StandardButton = OK) -> None:
    box = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    box.button(button).click()


def test_a_new_sprint_is_offered_the_dates_after_the_planned_one(
    db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    start = TODAY + 2 * DAY
    sprints.create_sprint(db, "WEB", "Sprint 1", start_date=start, end_date=start + 13 * DAY)
    screen.reload()
    dialog = screen.sprint_bar.new_sprint()
    assert isinstance(dialog, SprintDialog)
    assert dialog.name_edit.text() == "Sprint 2"
    assert dialog.start_edit.date().toPython() == start + 14 * DAY
    assert dialog.end_edit.date().toPython() == start + 27 * DAY
    _press(dialog, QDialogButtonBox.StandardButton.Save)
    assert [s.name for s in sprints.list_sprints(db, "WEB")] == ["Sprint 1", "Sprint 2"]


def test_overlapping_dates_ask_before_the_sprint_is_planned(
    db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    sprints.create_sprint(db, "WEB", "Sprint 1", start_date=TODAY, end_date=TODAY + 13 * DAY)
    screen.reload()
    dialog = screen.sprint_bar.new_sprint()
    assert isinstance(dialog, SprintDialog)
    dialog.start_edit.setDate(QDate(TODAY + 7 * DAY))
    _press(dialog, QDialogButtonBox.StandardButton.Save)
    assert dialog.ask is not None and "overlaps Sprint 1" in dialog.ask.text()
    dialog.ask.button(QMessageBox.StandardButton.No).click()
    assert len(sprints.list_sprints(db, "WEB")) == 1  # No: nothing planned, dialog still open
    _press(dialog, QDialogButtonBox.StandardButton.Save)
    dialog.ask.button(QMessageBox.StandardButton.Yes).click()
    assert [s.start_date for s in sprints.list_sprints(db, "WEB")] == [TODAY, TODAY + 7 * DAY]


def test_a_start_says_what_it_moves_and_is_undone_from_the_edit_menu(
    qtbot: QtBot, db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    planned = TODAY + 4 * DAY
    sprint = sprints.create_sprint(
        db, "WEB", "Sprint 1", goal="Checkout", start_date=planned, end_date=planned + 13 * DAY
    )
    cards = [items.add_item(db, "WEB", title, points=3) for title in ("A", "B")]
    sprints.set_sprint_items(db, sprint.id, add=[c.id for c in cards])
    screen.reload()
    bar = screen.sprint_bar
    bar.start_button.click()
    dialog = bar.step_dialog
    assert isinstance(dialog, StartSprintDialog)
    assert dialog.start_edit.date().toPython() == TODAY  # early: from today...
    assert dialog.end_edit.date().toPython() == TODAY + 13 * DAY  # ...for its planned length
    assert dialog.length_label.text() == "14 days"
    assert "moves 2 items of the sprint from the backlog into To Do (WEB-1, WEB-2)" in (
        dialog.moves_label.text()
    )
    dialog.start_edit.setDate(QDate(TODAY - DAY))  # a start by hand keeps the length
    assert dialog.end_edit.date().toPython() == TODAY + 12 * DAY
    _press(dialog)
    todo = next(c.id for c in list_columns(db, product.id) if c.name == "To Do")
    assert {items.get_card(db, c.id).column_id for c in cards} == {todo}
    assert {screen.store.by_id[c.id].column_id for c in cards} == {todo}  # the window knows
    assert "2 items moved from the backlog to do" in screen.notice.text()
    assert window.undo_action.text() == "&Undo Start Sprint 1"

    window.undo_action.trigger()
    (planned_again,) = sprints.list_sprints(db, "WEB")
    assert (planned_again.state, planned_again.start_date) == ("planned", planned)
    assert {screen.store.by_id[c.id].column_id for c in cards} != {todo}
    assert bar.start_button.isEnabled()
    window.redo_action.trigger()
    assert sprints.active_sprint(db, "WEB") is not None


def test_closing_asks_where_the_unfinished_work_goes_and_is_undoable(
    db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    columns = {c.name: c.id for c in list_columns(db, product.id)}
    one = sprints.create_sprint(db, "WEB", "One", goal="Pay by card")
    sprints.create_sprint(db, "WEB", "Two")
    three = sprints.create_sprint(db, "WEB", "Three")
    done = items.add_item(db, "WEB", "Done work", column=columns["Done"], points=5)
    left = items.add_item(db, "WEB", "Left over", column=columns["In Progress"], points=3)
    sprints.set_sprint_items(db, one.id, add=[done.id, left.id])
    sprints.start_sprint(db, one.id)
    screen.reload()
    dialog = screen.sprint_bar.ask_close()
    assert isinstance(dialog, CloseSprintDialog)
    assert "1 item (3 pts) not done: WEB-2" in dialog.summary_label.text()
    assert dialog.next_radio.isChecked() and "Two" in dialog.next_radio.text()
    dialog.other_radio.setChecked(True)
    dialog.other_combo.setCurrentIndex(dialog.other_combo.findData(three.id))
    dialog.goal_combo.setCurrentIndex(dialog.goal_combo.findData(True))
    _press(dialog)
    assert items.get_card(db, left.id).sprint_id == three.id
    assert items.get_card(db, done.id).sprint_id == one.id
    assert sprints.list_sprints(db, "WEB")[0].goal_met is True
    assert screen.store.by_id[left.id].sprint_id == three.id
    assert "1 unfinished item went to Three" in screen.notice.text()

    window.undo_action.trigger()
    assert sprints.active_sprint(db, "WEB") == sprints.list_sprints(db, "WEB")[0]
    assert items.get_card(db, left.id).sprint_id == one.id
    assert screen.store.by_id[left.id].sprint_id == one.id
    assert screen.sprint_bar.combo.itemText(0) == "One  (active)"  # running again


def test_capacity_per_member_beside_the_planned_points(
    db: Database, product: ProductInfo, screen: BacklogScreen, window: MainWindow
) -> None:
    monday = dt.date(2026, 11, 2)
    sprint = sprints.create_sprint(
        db, "WEB", "Sprint 1", start_date=monday, end_date=monday + 13 * DAY
    )
    ana, ben = add_member(db, "Ana Silva"), add_member(db, "Ben Okafor")
    card = items.add_item(db, "WEB", "A", points=8)
    sprints.set_sprint_items(db, sprint.id, add=[card.id])
    screen.reload()
    dialog = screen.sprint_bar.edit_capacity()
    assert isinstance(dialog, CapacityDialog)
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert names == ["Ana Silva", "Ben Okafor"]
    dialog.spins[0][0].setValue(10)
    dialog.spins[1][0].setValue(10)
    dialog.spins[1][1].setValue(5)  # half the sprint's ten working days off
    assert dialog.total_label.text() == "Capacity 15 pts · planned 8 pts (1 item)"
    _press(dialog)
    capacity = sprints.sprint_capacity(db, sprint.id)
    assert {(m.member_id, m.available) for m in capacity.members} == {(ana.id, 10), (ben.id, 5)}
    assert "capacity 15 pts (2 members)" in screen.sprint_bar.summary.text()
    window.undo_action.trigger()
    assert sprints.sprint_capacity(db, sprint.id).members == ()
    assert "capacity" not in screen.sprint_bar.summary.text()


def test_a_new_sprint_offers_the_last_sprint_team_and_no_more_days_off_than_it_has(
    db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    """Planning the next sprint, the team's capacity is filled in from the last sprint that
    had one (days off are the new sprint's own: none yet), said so, and saved only on OK;
    a member cannot be off more days than the sprint's working days."""
    monday = dt.date(2026, 11, 2)
    one = sprints.create_sprint(db, "WEB", "One", start_date=monday, end_date=monday + 13 * DAY)
    ana, ben = add_member(db, "Ana Silva"), add_member(db, "Ben Okafor")
    sprints.set_capacity(db, one.id, "days", {ana.id: (8.0, 2.0), ben.id: (6.0, 0.0)})
    two = sprints.create_sprint(
        db, "WEB", "Two", start_date=monday + 14 * DAY, end_date=monday + 27 * DAY
    )
    screen.reload()
    assert screen.sprint_bar.select_sprint(two.id)
    dialog = screen.sprint_bar.edit_capacity()
    assert isinstance(dialog, CapacityDialog)
    assert [(c.value(), off.value()) for c, off in dialog.spins] == [(8.0, 0.0), (6.0, 0.0)]
    assert dialog.unit_combo.currentData() == "days"
    assert "Filled in from One" in dialog.findChild(QLabel, "capacity_from").text()
    assert sprints.sprint_capacity(db, two.id).members == ()  # nothing saved before OK
    assert dialog.spins[0][1].maximum() == 10  # the sprint's working days
    _press(dialog)
    saved = sprints.sprint_capacity(db, two.id)
    assert saved.unit == "days"
    assert {(m.member_id, m.capacity, m.days_off) for m in saved.members} == {
        (ana.id, 8.0, 0.0), (ben.id, 6.0, 0.0),
    }  # fmt: skip
    again = screen.sprint_bar.edit_capacity()  # a sprint with its own capacity keeps it
    assert isinstance(again, CapacityDialog)
    assert again.findChild(QLabel, "capacity_from") is None


def test_closing_with_no_next_sprint_plans_one_from_the_dialog(
    db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    """No sprint planned after the running one: the closing dialog plans the next one itself
    (the same New sprint dialog), then offers it; no cancelling, planning and closing again."""
    one = sprints.create_sprint(db, "WEB", "One", start_date=TODAY, end_date=TODAY + 13 * DAY)
    left = items.add_item(db, "WEB", "Left over", points=3)
    sprints.set_sprint_items(db, one.id, add=[left.id])
    sprints.start_sprint(db, one.id)
    screen.reload()
    dialog = screen.sprint_bar.ask_close()
    assert isinstance(dialog, CloseSprintDialog)
    assert not dialog.next_radio.isEnabled() and dialog.backlog_radio.isChecked()
    assert dialog.plan_button is not None and dialog.plan_button.isVisible()
    dialog.plan_button.click()
    planner = dialog.plan_dialog
    assert isinstance(planner, SprintDialog) and planner.isVisible()
    assert planner.name_edit.text() == "Sprint 2"
    _press(planner, QDialogButtonBox.StandardButton.Save)
    assert dialog.next_radio.isEnabled() and dialog.next_radio.isChecked()
    assert "Sprint 2" in dialog.next_radio.text()
    assert not dialog.plan_button.isVisible()
    _press(dialog)
    (two,) = [s for s in sprints.list_sprints(db, "WEB") if s.name == "Sprint 2"]
    assert items.get_card(db, left.id).sprint_id == two.id
    assert "went to Sprint 2" in screen.notice.text()


def test_start_waits_for_the_running_sprint_to_close(
    db: Database, product: ProductInfo, screen: BacklogScreen
) -> None:
    """Another sprint running: Start… is off and says why (it opened the dialog, took the
    dates, then refused)."""
    one = sprints.create_sprint(db, "WEB", "One", start_date=TODAY, end_date=TODAY + 13 * DAY)
    two = sprints.create_sprint(db, "WEB", "Two")
    sprints.start_sprint(db, one.id)
    screen.reload()
    bar = screen.sprint_bar
    assert bar.select_sprint(two.id)
    assert not bar.start_button.isEnabled()
    assert bar.start_button.toolTip() == "One is running: close it first"
    assert bar.start() is None
    sprints.close_sprint(db, one.id)
    screen.reload()
    assert bar.select_sprint(two.id)
    assert bar.start_button.isEnabled() and bar.start_button.toolTip() == ""


def test_tabbing_into_a_capacity_field_and_typing_replaces_its_value(
    db: Database, product: ProductInfo, screen: BacklogScreen, qtbot: QtBot
) -> None:
    """Tab into "Days off" and type 2: the field holds 2, not "20.0" (its text was not
    selected, so the 2 went in front of the 0.0 already there)."""
    monday = dt.date(2026, 11, 2)
    sprints.create_sprint(db, "WEB", "Sprint 1", start_date=monday, end_date=monday + 13 * DAY)
    add_member(db, "Ana Silva")
    screen.reload()
    dialog = screen.sprint_bar.edit_capacity()
    assert isinstance(dialog, CapacityDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    capacity, days_off = dialog.spins[0]
    capacity.setFocus()
    qtbot.waitUntil(capacity.hasFocus)
    qtbot.keyClicks(capacity, "8")
    qtbot.keyClick(capacity, Qt.Key.Key_Tab)
    qtbot.waitUntil(days_off.hasFocus)
    qtbot.keyClicks(days_off, "2")
    assert (capacity.value(), days_off.value()) == (8.0, 2.0)
    dialog.reject()

"""A 1280-pixel-wide window (issue 14.6): every board column shows, backlog titles get the
room, the sprint summary is cut at a word; counts read "1 item"; a note about undo goes once
the undo is done."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from kanban.services import Database, items, sprints
from kanban.services.products import add_column
from kanban.services.records import ProductInfo
from kanban.ui.backlog.model import LABELS, REQUESTER, TITLE
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.backlog.view import COLUMN_WIDTHS
from kanban.ui.board.screen import BoardScreen
from kanban.ui.main_window import MainWindow

GOAL = (
    "Guest checkout and card payments, with 3-D Secure for every card brand we take, then "
    "Apple Pay and Google Pay on the phone, with receipts sent in the shopper's own language"
)  # longer than the sprint line's whole width


@pytest.fixture
def wide(window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The window at 1280 x 800."""
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    return window


def test_five_board_columns_all_show_in_1280_pixels(
    wide: MainWindow, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    add_column(db, product.id, "Review", "doing")
    items.add_item(db, "WEB", "Guest checkout")
    board = wide.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    board.reload()
    qtbot.waitUntil(lambda: len(board.column_widgets) == 5)
    viewport = board.columns_scroll.viewport()
    columns = list(board.column_widgets.values())

    def right_edge(widget: QWidget) -> int:
        return widget.mapTo(viewport, widget.rect().topRight()).x()

    # Laid out: side by side (until then every column sits at the left).
    qtbot.waitUntil(lambda: right_edge(columns[-1]) > right_edge(columns[0]) > 0)
    assert [right_edge(w) < viewport.width() for w in columns] == [True] * 5
    assert board.columns_scroll.horizontalScrollBar().maximum() == 0


def test_a_narrow_window_gives_backlog_titles_the_room(
    wide: MainWindow, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    items.add_item(db, "WEB", "Fix: search ignores accents ('cafe' does not find 'Café')")
    screen = wide.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    view = screen.view
    qtbot.waitUntil(lambda: view.columnWidth(TITLE) > 0)
    assert view.columnWidth(LABELS) < COLUMN_WIDTHS[LABELS]
    assert view.columnWidth(REQUESTER) < COLUMN_WIDTHS[REQUESTER]
    # about a third of the table, beside eleven columns (Σ Points and Ready came later)
    assert view.columnWidth(TITLE) >= 0.3 * view.viewport().width()
    wide.resize(1900, 1000)
    qtbot.waitUntil(lambda: view.columnWidth(LABELS) == COLUMN_WIDTHS[LABELS])
    assert view.columnWidth(REQUESTER) == COLUMN_WIDTHS[REQUESTER]


def test_the_sprint_summary_is_cut_at_a_word_and_says_1_item(
    wide: MainWindow, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    card = items.add_item(db, "WEB", "Guest checkout", points=5)
    sprint = sprints.create_sprint(db, "WEB", "Sprint 1", goal=GOAL)
    sprints.set_items_sprint(db, {card.id: sprint.id})
    screen = wide.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    summary = screen.sprint_bar.summary
    assert summary.text() == f"1 item, 5 pts · goal: {GOAL}"
    shown = summary.shown_text()
    assert shown != summary.text() and shown.endswith("…")
    kept = shown[:-1]
    assert summary.text().startswith(kept)
    assert summary.text()[len(kept)] in " ,", "cut inside a word"
    assert summary.toolTip() == summary.text()
    assert screen.summary.text().startswith("1 item · 5 points")


def test_the_note_that_undo_brings_items_back_goes_once_they_are_back(
    window: MainWindow, db: Database, product: ProductInfo
) -> None:
    card = items.add_item(db, "WEB", "Wish list")
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    screen.select_ids([card.id])
    assert screen.delete_selected()
    assert screen.notice.text() == "Deleted 1 item; Ctrl+Z brings it back"
    window.ctx.undo_stack.undo()
    assert screen.notice.text() == ""
    assert [c.title for c in screen.model.rows] == ["Wish list"]


def test_a_long_note_after_closing_a_sprint_does_not_widen_the_window(
    wide: MainWindow, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    from kanban.ui.dialogs.sprint_steps import CloseSprintDialog  # the dialog the bar opens

    cards = [items.add_item(db, "WEB", f"Story {n}", points=3) for n in range(8)]
    one = sprints.create_sprint(db, "WEB", "Sprint of the winter checkout", goal=GOAL)
    sprints.create_sprint(db, "WEB", "Sprint of the spring catalogue and wish lists")
    sprints.set_sprint_items(db, one.id, add=[c.id for c in cards])
    sprints.start_sprint(db, one.id)
    screen = wide.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    screen.select_ids([c.id for c in cards])  # the selection's line: the summary grows too
    dialog = screen.sprint_bar.ask_close()
    assert isinstance(dialog, CloseSprintDialog)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert "went to Sprint of the spring catalogue" in screen.notice.text()
    QApplication.sendPostedEvents()  # the layout's request for room, handled now
    assert wide.minimumSizeHint().width() <= 1280
    assert wide.width() == 1280


def test_the_sprint_line_shows_its_points_beside_the_capacity_in_1280_pixels(
    wide: MainWindow, db: Database, product: ProductInfo
) -> None:
    """The planned total and the capacity (issue 13.5) show whole beside the buttons' row;
    they were cut to the dates ('Dec 21 – Jan 03…') by the seven buttons beside them."""
    from kanban.services.people import add_member

    card = items.add_item(db, "WEB", "Guest checkout", points=5)
    start = dt.date(2026, 12, 21)
    sprint = sprints.create_sprint(
        db, "WEB", "Sprint 6", goal="Offline browsing works", start_date=start,
        end_date=start + dt.timedelta(days=13),
    )  # fmt: skip
    sprints.set_items_sprint(db, {card.id: sprint.id})
    ana = add_member(db, "Ana Silva")
    sprints.set_capacity(db, sprint.id, "points", {ana.id: (8.0, 0.0)})
    screen = wide.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()
    summary = screen.sprint_bar.summary
    assert summary.text() == (
        "Dec 21 – Jan 03 · 1 item, 5 pts · capacity 8 pts (1 member) · goal: Offline browsing works"
    )
    assert summary.shown_text() == summary.text()

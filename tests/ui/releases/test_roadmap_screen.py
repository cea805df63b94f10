"""The Roadmap screen and the backlog's Release menu (issue 13.1, 13.2) through the real
widgets: a release added from its dialog, its target dragged (a reason asked; undoable),
items assigned from the backlog's context menu (undoable), a PNG and an SVG exported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import add_item, get_item
from kanban.services.records import ProductInfo
from kanban.services.releases import create_release, find_release, list_releases
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.commands.releases import ReleaseMembershipCommand
from kanban.ui.main_window import MainWindow
from kanban.ui.releases.menu import release_menu
from kanban.ui.releases.roadmap import RoadmapScreen


def roadmap_of(window: MainWindow) -> RoadmapScreen:
    screen = window.show_screen(RoadmapScreen)
    assert isinstance(screen, RoadmapScreen)
    return screen


def test_a_release_added_from_its_dialog_and_undone(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    screen = roadmap_of(window)
    dialog = screen.new_release()
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "2.0")
    dialog.accept()
    (release,) = list_releases(db, "WEB")
    assert release.name == "2.0" and release.target_date == dialog.target()
    assert [line.name for line in screen.view.lines] == ["2.0"]
    window.ctx.undo_stack.undo()
    assert list_releases(db, "WEB") == [] and screen.view.lines == []
    window.ctx.undo_stack.redo()
    assert find_release(db, "WEB", "2.0").id == release.id


def test_dragging_a_target_asks_why_and_undo_takes_it_back(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    target = dt.date.today() + dt.timedelta(weeks=6)
    release = create_release(db, "WEB", "2.0", target=target)
    screen = roadmap_of(window)
    screen.reload()
    view = screen.view
    start = view.diamond_at(0)
    assert start is not None
    later = view.x_of(target + dt.timedelta(days=14))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start.toPoint())
    qtbot.mouseMove(view, QPoint(round(later), round(start.y())))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(round(later), round(start.y())))
    dialog = screen.dialog
    assert dialog is not None and "Why does the target move" in dialog.labelText()
    dialog.setTextValue("Payments slipped")
    dialog.accept()
    moved = find_release(db, "WEB", "2.0").target_date
    assert moved is not None and abs((moved - target).days - 14) <= 2
    assert view.lines[0].target == moved
    window.ctx.undo_stack.undo()
    assert find_release(db, "WEB", "2.0").target_date == target
    assert view.lines[0].target == target and release.id == view.lines[0].ref_id


def test_the_roadmap_exports_as_png_and_svg(
    db: Database, product: ProductInfo, window: MainWindow, tmp_path: Path
) -> None:
    create_release(db, "WEB", "2.0", target=dt.date.today() + dt.timedelta(weeks=6))
    screen = roadmap_of(window)
    screen.reload()
    png = screen.export(tmp_path / "roadmap.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = screen.export(tmp_path / "roadmap.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "2.0" in svg


def test_the_backlog_release_menu_assigns_the_selection_undoably(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    cards = [add_item(db, "WEB", title) for title in ("Checkout", "Search")]
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    backlog.reload()
    backlog.select_ids([c.id for c in cards])
    menu = release_menu(window.ctx, backlog, backlog.selected_ids)
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["2.0 · 01 Mar 2027", "No release"]
    menu.actions()[0].trigger()
    assert [get_item(db, c.id).release_id for c in cards] == [release.id, release.id]
    command = window.ctx.undo_stack.command(window.ctx.undo_stack.count() - 1)
    assert isinstance(command, ReleaseMembershipCommand)
    assert command.text() == "Assign 2 items to 2.0"
    window.ctx.undo_stack.undo()
    assert [get_item(db, c.id).release_id for c in cards] == [None, None]


def test_the_window_backlog_menu_has_release_and_rank_by_score(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    """Not only the context menu: the Backlog menu of the menu bar plans releases and
    proposes a scored order for the selection too."""
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    card = add_item(db, "WEB", "Checkout")
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    backlog.reload()
    backlog.select_ids([card.id])
    menu = window.screen_menu
    assert menu.title() == "&Backlog"
    texts = [a.text() for a in menu.actions()]
    assert "Rank by score…" in texts
    submenus = {a.menu().title(): a.menu() for a in menu.actions() if a.menu() is not None}
    assert list(submenus) == ["Sprint re&view", "Release"]
    sub = submenus["Release"]
    assert sub.isEnabled()
    sub.aboutToShow.emit()
    sub.actions()[0].trigger()
    assert get_item(db, card.id).release_id == release.id
    rank = next(a for a in menu.actions() if a.text() == "Rank by score…")
    rank.trigger()
    from kanban.ui.releases.scores import ScoreDialog

    dialogs = [w for w in backlog.findChildren(ScoreDialog) if w.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].close()


def test_a_release_is_marked_released_from_its_row_and_undone(
    db: Database, product: ProductInfo, window: MainWindow
) -> None:
    """Shipping a release in the app (only `kanban release --released` could): its row's
    context menu marks it released today, one Edit ▸ Undo entry; then back to planned."""
    from kanban.domain import today_utc
    from kanban.services.releases import get_release

    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    screen = roadmap_of(window)
    screen.reload()
    menu = screen.view.release_menu(release.id)
    texts = [a.text() for a in menu.actions()]
    assert "Mark &released today" in texts and "Back to &planned" not in texts
    next(a for a in menu.actions() if a.text() == "Mark &released today").trigger()
    shipped = get_release(db, release.id)
    assert (shipped.state, shipped.released_on) == ("released", today_utc())
    assert window.undo_action.text() == "&Undo Mark 2.0 released"
    assert [line.done for line in screen.view.lines] == [True]
    again = screen.view.release_menu(release.id)
    assert "Back to &planned" in [a.text() for a in again.actions()]
    window.undo_action.trigger()
    planned = get_release(db, release.id)
    assert (planned.state, planned.released_on) == ("planned", None)
    assert [line.done for line in screen.view.lines] == [False]
    window.redo_action.trigger()
    back = screen.view.release_menu(release.id)
    next(a for a in back.actions() if a.text() == "Back to &planned").trigger()
    assert get_release(db, release.id).state == "planned"
    window.undo_action.trigger()
    assert get_release(db, release.id).released_on == today_utc()


def test_a_new_release_takes_a_description_and_its_labels_show_whole(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    """A release has a name, a target date and a description (issue 13.1): the dialog asks
    for all three, wide enough for its labels and the name's example."""
    screen = roadmap_of(window)
    dialog = screen.new_release()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    label = dialog.form.labelForField(dialog.target_edit)
    assert label.width() >= label.sizeHint().width()
    hint = dialog.name_edit.fontMetrics().horizontalAdvance(dialog.name_edit.placeholderText())
    assert dialog.name_edit.width() > hint
    qtbot.keyClicks(dialog.name_edit, "2.0")
    dialog.description_edit.setPlainText("Guest checkout and card payments")
    dialog.accept()
    (release,) = list_releases(db, "WEB")
    assert release.description == "Guest checkout and card payments"


def test_a_dragged_target_shows_the_day_it_would_move_to(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    """While the diamond is dragged, its note is the day it would drop on, beside it (the
    old note stayed behind at the old target, and the day showed only in the question)."""
    target = dt.date.today() + dt.timedelta(weeks=6)
    create_release(db, "WEB", "2.0", target=target)
    screen = roadmap_of(window)
    screen.reload()
    view = screen.view
    start = view.diamond_at(0)
    assert start is not None and view.drag_note() is None
    later = QPoint(round(view.x_of(target + dt.timedelta(days=14))), round(start.y()))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start.toPoint())
    qtbot.mouseMove(view, later)
    day = view.day_at(later.x())
    assert view.drag_note() == f"→ {day:%d %b %Y}"
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=later)
    assert view.drag_note() is None
    assert screen.dialog is not None and f"{day:%d %B %Y}" in screen.dialog.labelText()
    screen.dialog.reject()


def test_marking_a_release_with_open_items_released_says_how_many(
    db: Database, product: ProductInfo, window: MainWindow
) -> None:
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    card = add_item(db, "WEB", "Checkout")
    from kanban.services.releases import set_items_release

    set_items_release(db, {card.id: release.id})
    screen = roadmap_of(window)
    screen.reload()
    texts = [a.text() for a in screen.view.release_menu(release.id).actions()]
    assert "Mark &released today (1 item not done)" in texts


def test_the_backlog_filters_by_release(
    db: Database, product: ProductInfo, window: MainWindow
) -> None:
    """Planning a release means seeing its items: the backlog's Release filter shows one
    release's items (or those in none), and follows assignments and new releases."""
    from kanban.services.releases import set_items_release

    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    checkout, search = (add_item(db, "WEB", title) for title in ("Checkout", "Search"))
    set_items_release(db, {checkout.id: release.id})
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    backlog.reload()
    combo = backlog.release_combo
    assert combo.count() == 2  # the releases are read when the list opens
    combo.popup_opening.emit()  # what showPopup says first (a popup grabs the keyboard)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts == ["All releases", "No release", "2.0"]
    combo.setCurrentIndex(combo.findText("2.0"))
    assert [c.title for c in backlog.model.rows] == ["Checkout"]
    combo.setCurrentIndex(combo.findText("No release"))
    assert [c.title for c in backlog.model.rows] == ["Search"]
    backlog.select_ids([search.id])
    window.ctx.undo_stack.push(ReleaseMembershipCommand(window.ctx, [search.id], release))
    assert backlog.model.rows == []
    combo.setCurrentIndex(combo.findText("2.0"))
    assert [c.title for c in backlog.model.rows] == ["Checkout", "Search"]
    roadmap_of(window).new_release()  # a release added on the Roadmap joins the filter
    dialog = roadmap_of(window).dialog
    assert dialog is not None
    dialog.name_edit.setText("3.0")
    dialog.accept()
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    assert backlog.release_combo.findText("3.0") >= 0
    assert backlog.release_combo.currentText() == "2.0"

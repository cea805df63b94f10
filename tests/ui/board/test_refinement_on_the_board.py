"""Refinement on the board: a move into Done asks first when the Definition of Done is not met
(and the override is recorded); a blocked card moved into progress warns; the card delegate
marks not Ready, criteria checked off, comments and which item blocks it."""

from __future__ import annotations

from collections.abc import Callable

from board_helpers import column, db_titles, drop, row_point
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from kanban.services import Database, checklists, comments, items, links
from kanban.services.records import Card, ProductInfo
from kanban.ui.board.delegate import CardDelegate
from kanban.ui.board.screen import BoardScreen


def open_boxes(title: str) -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == title
    ]


def test_a_move_into_done_asks_first_when_the_definition_of_done_is_not_met(
    qtbot: QtBot,
    board: BoardScreen,
    db: Database,
    product: ProductInfo,
    seeded: dict[str, Card],
    answer_box: Callable[..., str],
) -> None:
    api = seeded["Payment API"]
    checklists.add_criteria(db, api.id, "- [x] Charges a card\n- Refunds a card")
    done = column(board, "Done")
    source = column(board, "In Progress").model
    mime = source.mimeData([source.index(0)])

    assert not drop(done.view, QPoint(20, 20), mime)  # nothing moves yet: a question is open
    text = answer_box("Definition of Done not met", QMessageBox.StandardButton.No)
    assert "WEB-6: 1 of 2 acceptance criteria is not checked off." in text
    assert db_titles(db, product)["Done"] == []
    assert board.ctx.undo_stack.count() == 0

    drop(done.view, QPoint(20, 20), mime)
    answer_box("Definition of Done not met")  # yes: move it anyway
    assert db_titles(db, product)["Done"] == ["Payment API"]
    assert [c.title for c in done.model.cards] == ["Payment API"]
    history = [h for h in items.item_history(db, api.id) if h.action == "done_overridden"]
    assert [h.detail for h in history] == [
        "WEB-6 went into Done without meeting its Definition of Done: "
        "1 of 2 acceptance criteria is not checked off."
    ]
    board.ctx.undo_stack.undo()
    assert db_titles(db, product)["In Progress"] == ["Payment API"]


def test_a_blocked_card_moved_into_progress_warns(
    qtbot: QtBot, board: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    links.link_items(db, seeded["Gift cards"].id, "blocks", seeded["Checkout page"].id)
    board.reload()
    todo = column(board, "To Do")
    assert todo.model.cards[0].blocked_by == ("WEB-2",)
    target = column(board, "In Progress").view
    assert drop(target, row_point(target, 0, "above"), todo.model.mimeData([todo.model.index(0)]))
    assert db_titles(db, product)["In Progress"] == ["Checkout page", "Payment API"]
    [box] = open_boxes("Blocked")
    assert box.text() == (
        "Moved into In Progress, though blocked by unfinished items:\n• WEB-3 waits on WEB-2"
    )
    box.close()


def test_the_keyboard_move_into_done_asks_too(
    board: BoardScreen, db: Database, seeded: dict[str, Card], answer_box: Callable[..., str]
) -> None:
    api = seeded["Payment API"]
    checklists.add_criteria(db, api.id, "Refunds a card")
    board.reload()
    board.select_cards([api.id])
    assert not board.move_to_column(1)
    answer_box("Definition of Done not met")
    assert items.get_card(db, api.id).column_id == column(board, "Done").column.id


def test_the_card_shows_its_refinement_markers_with_tooltips(
    board: BoardScreen, db: Database, seeded: dict[str, Card]
) -> None:
    wish, gift = seeded["Wishlist"], seeded["Gift cards"]
    checklists.add_criteria(db, wish.id, "- [x] One\n- Two\n- Three")
    comments.add_comment(db, wish.id, "Hello")
    links.link_items(db, gift.id, "blocks", wish.id)
    card = items.get_card(db, wish.id)
    delegate = CardDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(column(board, "Backlog").view)
    option.rect = QRect(0, 0, 300, delegate.fonts(option.font).height)
    geo = delegate.layout(option.rect, card, delegate.fonts(option.font))
    assert None not in (geo.not_ready, geo.checklist, geo.comments, geo.blocked_by)
    tips = {
        name: delegate.tooltip_at(getattr(geo, name).center(), option, card)
        for name in ("not_ready", "checklist", "comments", "blocked_by")
    }
    assert tips == {
        "not_ready": "<qt>Not ready: It has no story points. It is blocked by WEB-2, which is "
        "not done.</qt>",
        "checklist": "<qt>1 of 3 acceptance criteria checked off</qt>",
        "comments": "<qt>1 comment</qt>",
        "blocked_by": "<qt>Blocked by WEB-2, which is not done</qt>",
    }
    plain = delegate.layout(option.rect, items.get_card(db, seeded["Login form"].id),
                            delegate.fonts(option.font))  # fmt: skip
    assert (plain.checklist, plain.comments, plain.blocked_by) == (None, None, None)
    # What the view paints follows the card: a checked-off line is a new picture, not a
    # cached one.
    view = column(board, "Backlog").view
    before = view.viewport().grab().toImage()
    checklists.check_criterion(db, wish.id, 2)
    board.reload()
    assert view.viewport().grab().toImage() != before

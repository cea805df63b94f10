"""Swimlanes on the board (issue 14.12): none by default; rows by assignee, kind, epic or
release with each lane's count in its header; collapsible; a drop into another lane sets the
lane's field with the move, one undoable change; the columns' WIP counts cover every lane."""

from __future__ import annotations

import pytest
from board_helpers import drop, row_point
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from kanban.services import Database, items
from kanban.services.people import add_member
from kanban.services.products import create_product, list_columns, list_products, set_wip_limit
from kanban.services.records import Card, ProductInfo
from kanban.storage.models import Release
from kanban.ui.app import create_window
from kanban.ui.board.lanes import LaneField
from kanban.ui.board.screen import BoardScreen
from kanban.ui.board.view import CardListView
from kanban.ui.drag import encode_ids
from kanban.ui.main_window import MainWindow


@pytest.fixture
def team(db: Database, seeded: dict[str, Card]) -> dict[str, int]:
    """Ana has "Checkout page" and "Payment API", Ben "Login form"; the rest nobody's."""
    ana, ben = add_member(db, "Ana Silva"), add_member(db, "Ben Carter")
    for title, member in (("Checkout page", ana), ("Payment API", ana), ("Login form", ben)):
        card = items.get_card(db, seeded[title].id)
        items.edit_item(db, card.id, card.version, assignee_id=member.id)
    return {"Ana Silva": ana.id, "Ben Carter": ben.id}


@pytest.fixture
def lanes(
    board: BoardScreen, team: dict[str, int], seeded: dict[str, Card], qtbot: QtBot
) -> BoardScreen:
    """The board in lanes by assignee."""
    board.reload()
    login = seeded["Login form"].id
    qtbot.waitUntil(
        lambda: login in board.store.by_id and board.store.by_id[login].assignee == "Ben Carter"
    )
    board.set_lanes(LaneField.ASSIGNEE)
    return board


def end_of(view: CardListView) -> QPoint:
    """Where a drop goes below a cell's last card: the lower edge of that card (a lane is
    as tall as its cards), or the empty cell's middle."""
    count = view.model().rowCount()
    if count:
        return row_point(view, count - 1, "below")
    return view.viewport().rect().center()


def columns_of(db: Database, product: ProductInfo) -> dict[str, int]:
    return {c.name: c.id for c in list_columns(db, product.id)}


def cell_titles(board: BoardScreen, lane: object, column_id: int) -> list[str]:
    view = board.lane_board.cell(lane, column_id)
    assert view is not None
    return [card.title for card in view.column_model().cards]


def test_no_lanes_by_default(board: BoardScreen) -> None:
    assert board.lane_field == LaneField.NONE
    assert board.board_stack.currentWidget() is board.columns_scroll


def test_lanes_by_assignee_hold_each_ones_cards_with_counts(
    lanes: BoardScreen, db: Database, product: ProductInfo
) -> None:
    assert lanes.board_stack.currentWidget() is lanes.lane_scroll
    columns = columns_of(db, product)
    rows = lanes.lane_board.rows
    assert [row.lane.title for row in rows.values()] == ["Ana Silva", "Ben Carter", "Unassigned"]
    assert cell_titles(lanes, "Ana Silva", columns["To Do"]) == ["Checkout page"]
    assert cell_titles(lanes, "Ana Silva", columns["In Progress"]) == ["Payment API"]
    assert cell_titles(lanes, None, columns["To Do"]) == ["Search results"]
    assert cell_titles(lanes, None, columns["Backlog"]) == ["Wishlist", "Gift cards"]
    assert [row.header.count.text() for row in rows.values()] == ["2", "1", "3"]
    headers = lanes.lane_board.headers
    assert headers[columns["To Do"]].count.text() == "3"  # every lane's cards


def test_the_wip_count_of_a_column_covers_every_lane(
    lanes: BoardScreen, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    columns = columns_of(db, product)
    set_wip_limit(db, columns["To Do"], 2)
    lanes.ctx.check_for_external_changes()
    qtbot.waitUntil(lambda: lanes.lane_board.headers.get(columns["To Do"]) is not None and
                    lanes.lane_board.headers[columns["To Do"]].count.text() == "3 / 2")  # fmt: skip
    badge = lanes.lane_board.headers[columns["To Do"]].count
    assert badge.over_limit  # 3 cards in three lanes, over a limit of 2: red


def test_a_drop_into_another_lane_moves_and_reassigns_as_one_undoable_change(
    lanes: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card],
    team: dict[str, int], window: MainWindow,
) -> None:  # fmt: skip
    columns = columns_of(db, product)
    login = seeded["Login form"].id  # Ben's, in To Do
    target = lanes.lane_board.cell("Ana Silva", columns["In Progress"])
    assert target is not None
    depth = window.ctx.undo_stack.count()
    assert drop(target, end_of(target), encode_ids([login]))
    moved = items.get_card(db, login)
    assert (moved.column_id, moved.assignee) == (columns["In Progress"], "Ana Silva")
    assert cell_titles(lanes, "Ana Silva", columns["In Progress"]) == ["Payment API", "Login form"]
    assert cell_titles(lanes, "Ben Carter", columns["To Do"]) == []
    assert window.ctx.undo_stack.count() == depth + 1
    assert [row.header.count.text() for row in lanes.lane_board.rows.values()] == ["3", "0", "3"]

    window.ctx.undo_stack.undo()
    back = items.get_card(db, login)
    assert (back.column_id, back.assignee) == (columns["To Do"], "Ben Carter")
    assert cell_titles(lanes, "Ben Carter", columns["To Do"]) == ["Login form"]
    window.ctx.undo_stack.redo()
    assert items.get_card(db, login).assignee == "Ana Silva"


def test_a_drop_into_the_lane_of_nobody_unassigns(
    lanes: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    columns = columns_of(db, product)
    target = lanes.lane_board.cell(None, columns["To Do"])
    assert target is not None
    assert drop(target, end_of(target), encode_ids([seeded["Checkout page"].id]))
    assert items.get_card(db, seeded["Checkout page"].id).assignee is None


def test_a_lane_collapses_and_opens_again(lanes: BoardScreen, db: Database, product) -> None:
    row = lanes.lane_board.rows["Ana Silva"]
    cells = list(row.cells.values())
    assert all(not view.isHidden() for view in cells)
    lanes.lane_board.toggle("Ana Silva")
    assert all(view.isHidden() for view in cells)
    assert row.header.arrow.text() == "▸" and row.header.count.text() == "2"
    lanes.lane_board.toggle("Ana Silva")
    assert all(not view.isHidden() for view in cells)


def test_a_click_on_a_lane_header_collapses_it(lanes: BoardScreen, qtbot: QtBot) -> None:
    header = lanes.lane_board.rows["Ben Carter"].header
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton)
    assert not lanes.lane_board.rows["Ben Carter"].open


def test_the_filter_applies_within_lanes(
    lanes: BoardScreen, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    columns = columns_of(db, product)
    qtbot.keyClicks(lanes.filter_edit, "pay")
    assert cell_titles(lanes, "Ana Silva", columns["To Do"]) == []
    assert cell_titles(lanes, "Ana Silva", columns["In Progress"]) == ["Payment API"]
    assert lanes.lane_board.rows["Ana Silva"].header.count.text() == "1 of 2"
    assert lanes.summary_label.text() == "1 of 6 cards"


def test_lanes_by_kind_and_a_drop_that_changes_the_kind(
    board: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    board.set_lanes(LaneField.KIND)
    rows = board.lane_board.rows
    assert [row.lane.title for row in rows.values()] == ["Story", "Bug", "Task", "Spike", "Epic"]
    columns = columns_of(db, product)
    target = board.lane_board.cell("bug", columns["Backlog"])
    assert target is not None
    assert drop(target, end_of(target), encode_ids([seeded["Wishlist"].id]))
    assert items.get_card(db, seeded["Wishlist"].id).kind == "bug"


def test_lanes_by_epic_and_by_release(
    board: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    epic = items.add_item(db, product.id, "Checkout redesign", kind="epic")
    with db.write() as session:
        release = Release(product_id=product.id, name="Spring", description="", state="planned",
                          notes="")  # fmt: skip
        session.add(release)
        session.flush()
        release_id = release.id
    card = items.get_card(db, seeded["Checkout page"].id)
    items.edit_item(db, card.id, card.version, epic_id=epic.id)
    board.reload()
    board.set_lanes(LaneField.EPIC)
    titles = [row.lane.title for row in board.lane_board.rows.values()]
    assert titles == [f"{epic.key} Checkout redesign", "No epic"]
    columns = columns_of(db, product)
    assert cell_titles(board, epic.id, columns["To Do"]) == ["Checkout page"]

    board.set_lanes(LaneField.RELEASE)
    assert [row.lane.title for row in board.lane_board.rows.values()] == ["Spring", "No release"]
    target = board.lane_board.cell(release_id, columns["Backlog"])
    assert target is not None
    assert drop(target, end_of(target), encode_ids([seeded["Gift cards"].id]))
    assert items.get_card(db, seeded["Gift cards"].id).release_id == release_id


def test_back_to_no_lanes_shows_the_columns_as_they_are(
    lanes: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card]
) -> None:
    columns = columns_of(db, product)
    target = lanes.lane_board.cell("Ana Silva", columns["Done"])
    assert target is not None
    assert drop(target, end_of(target), encode_ids([seeded["Wishlist"].id]))
    lanes.set_lanes(LaneField.NONE)
    assert lanes.board_stack.currentWidget() is lanes.columns_scroll
    done = lanes.column_widgets[columns["Done"]]
    assert [c.title for c in done.model.cards] == ["Wishlist"]
    assert done.count_label.text() == "1"


def test_the_lanes_chosen_and_the_lanes_collapsed_are_remembered(
    lanes: BoardScreen, window: MainWindow, db: Database, qtbot: QtBot
) -> None:
    header = lanes.lane_board.rows["Ben Carter"].header
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton)  # collapse Ben's lane
    other = create_product(db, "OPS", "Operations")
    window.ctx.check_for_external_changes()
    combo = window.product_combo
    qtbot.waitUntil(lambda: "OPS" in [combo.itemData(i).key for i in range(combo.count())])
    window.select_product(other)
    qtbot.waitUntil(lambda: lanes.product is not None and lanes.product.key == "OPS")
    assert lanes.lane_field == LaneField.NONE  # another product: its own choice (none yet)
    assert lanes.board_stack.currentWidget() is lanes.columns_scroll

    later = create_window(db)  # the app opened again on the same file
    qtbot.addWidget(later)
    later.select_product(next(p for p in list_products(db) if p.key == "WEB"))
    later.show()
    board = later.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    qtbot.waitUntil(lambda: "Ben Carter" in board.lane_board.rows)
    assert board.lane_field == LaneField.ASSIGNEE
    assert board.board_stack.currentWidget() is board.lane_scroll
    assert not board.lane_board.rows["Ben Carter"].open
    assert board.lane_board.rows["Ana Silva"].open
    assert board.lane_board.rows["Ben Carter"].header.arrow.text() == "▸"


def test_a_keyboard_move_keeps_the_card_in_its_lane(
    lanes: BoardScreen, db: Database, product: ProductInfo, seeded: dict[str, Card], qtbot: QtBot
) -> None:
    columns = columns_of(db, product)
    checkout = seeded["Checkout page"].id  # Ana's, in To Do
    view = lanes.select_cards([checkout])
    assert view is lanes.lane_board.cell("Ana Silva", columns["To Do"])
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert items.get_card(db, checkout).column_id == columns["In Progress"]
    assert cell_titles(lanes, "Ana Silva", columns["In Progress"]) == [
        "Checkout page",
        "Payment API",
    ]
    assert lanes.selected_ids() == [checkout]


def test_a_column_header_over_the_lanes_asks_for_the_column_menu(
    lanes: BoardScreen, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    columns = columns_of(db, product)
    header = lanes.lane_board.headers[columns["To Do"]]
    lanes.lane_board.column_menu_requested.disconnect()  # no popup (it grabs the keyboard)
    with qtbot.waitSignal(lanes.lane_board.column_menu_requested) as asked:
        qtbot.mouseClick(header.menu_button, Qt.MouseButton.LeftButton)
    assert asked.args is not None and asked.args[0] == columns["To Do"]
    texts = [a.text() for a in lanes.column_menu(columns["To Do"]).actions() if a.text()]
    assert any("WIP" in text for text in texts), texts

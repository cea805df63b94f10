"""The backlog's WSJF and RICE columns on the sample: shown from the header's context menu
(or the Backlog menu) and remembered; an item without a score shows an em dash naming what
it lacks; a click on a score header sorts the view, never the backlog's priority order."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import edit_item, get_item, load_board
from kanban.ui.backlog.model import RICE, SCORE_ROLE, WSJF
from kanban.ui.backlog.screen import SCORE_COLUMNS_SETTING, BacklogScreen
from kanban.ui.commands.items import EditItemCommand, push
from kanban.ui.main_window import MainWindow

WSJF_INPUTS = ("business_value", "time_criticality", "risk_reduction", "job_size")


def _backlog(window: MainWindow) -> BacklogScreen:
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    return screen


def _score(db: Database, key: str, value: int, size: float) -> None:
    item = get_item(db, key)
    edit_item(db, item.id, item.version, business_value=value, time_criticality=1.0,
              risk_reduction=1.0, job_size=size)  # fmt: skip


def _cell(
    screen: BacklogScreen, key: str, column: int, role: int = Qt.ItemDataRole.DisplayRole
) -> object:
    row = next(r for r, c in enumerate(screen.model.rows) if c.key == key)
    return screen.model.index(row, column).data(role)


def test_score_columns_are_shown_from_the_header_and_remembered(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database, qtmodeltester: ModelTester
) -> None:
    QSettings().remove(SCORE_COLUMNS_SETTING)
    screen = _backlog(sample_window)
    assert screen.view.isColumnHidden(WSJF) and screen.view.isColumnHidden(RICE)
    open_keys = [c.key for c in screen.model.rows]
    scored, unscored = open_keys[0], open_keys[1]
    for key in open_keys:  # whatever the sample holds: clear WSJF's inputs
        item = get_item(sample_db, key)
        edit_item(sample_db, item.id, item.version, **dict.fromkeys(WSJF_INPUTS))
    _score(sample_db, scored, 7, 3.0)
    screen.reload()

    menu = screen.header_menu()  # what a right click on the header pops up
    entry = next(a for a in menu.actions() if a.text() == "Show WSJF scores")
    assert entry.isCheckable() and not entry.isChecked()
    entry.trigger()
    assert not screen.view.isColumnHidden(WSJF) and screen.view.isColumnHidden(RICE)
    assert QSettings().value(SCORE_COLUMNS_SETTING) == "wsjf"
    assert _cell(screen, scored, WSJF) == "3.00"  # (7 + 1 + 1) / 3
    assert "= (7 + 1 + 1) / 3 = 3.00" in _cell(screen, scored, WSJF, Qt.ItemDataRole.ToolTipRole)
    assert _cell(screen, unscored, WSJF) == "—"
    assert _cell(screen, unscored, WSJF, Qt.ItemDataRole.ToolTipRole) == (
        "No WSJF score: needs Business value, Time criticality, Risk reduction, Job size "
        "(the item editor's Scoring tab)"
    )
    qtmodeltester.check(screen.model)

    # An edit through the undoable command shows at once, and its undo too.
    item = get_item(sample_db, unscored)
    command = EditItemCommand(
        sample_window.ctx, item.id, item.version,
        {n: getattr(item, n) for n in WSJF_INPUTS},
        {"business_value": 20, "time_criticality": 2.0, "risk_reduction": 2.0, "job_size": 4.0},
    )  # fmt: skip
    assert push(sample_window.ctx, command)
    assert _cell(screen, unscored, WSJF) == "6.00"
    sample_window.ctx.undo_stack.undo()
    assert _cell(screen, unscored, WSJF) == "—"

    # The Backlog menu has the same entries; a new window shows what was chosen.
    screen.score_actions["rice"].trigger()
    assert QSettings().value(SCORE_COLUMNS_SETTING) == "wsjf,rice"
    from kanban.ui.app import create_window

    second = create_window(sample_db)
    qtbot.addWidget(second)
    again = _backlog(second)
    assert not again.view.isColumnHidden(WSJF) and not again.view.isColumnHidden(RICE)
    screen.show_score_columns([])
    assert QSettings().value(SCORE_COLUMNS_SETTING) == ""


def test_a_click_on_a_score_header_sorts_the_view_and_never_the_priority(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database
) -> None:
    screen = _backlog(sample_window)
    screen.show_score_columns(["wsjf"])
    keys = [c.key for c in screen.model.rows]
    for key in keys:
        item = get_item(sample_db, key)
        edit_item(sample_db, item.id, item.version, **dict.fromkeys(WSJF_INPUTS))
    low, high, middle = keys[0], keys[1], keys[2]
    _score(sample_db, low, 1, 3.0)  # 1.00
    _score(sample_db, high, 10, 2.0)  # 6.00
    _score(sample_db, middle, 4, 2.0)  # 3.00
    screen.reload()
    ranks = [c.key for c in load_board(sample_db, "WEB").cards]
    header = screen.view.horizontalHeader()

    def click() -> None:
        x = header.sectionViewportPosition(WSJF) + header.sectionSize(WSJF) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 10))

    click()
    shown = [c.key for c in screen.model.rows]
    assert shown[:3] == [high, middle, low]
    assert all(screen.model.index(r, WSJF).data(SCORE_ROLE) is None for r in range(3, len(shown)))
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == WSJF
    assert not screen.view.dragEnabled()  # a drop would place by priority: no drag while sorted
    assert "sorted by WSJF, highest first (a view only)" in screen.summary.text()
    assert sample_window.width() == 1280  # the note does not widen the window
    assert screen.view.line_row is None  # the next-sprint line belongs to the priority order
    click()
    assert [c.key for c in screen.model.rows][:3] == [low, middle, high]
    click()
    assert [c.key for c in screen.model.rows] == keys  # the priority order again
    assert screen.view.dragEnabled() and not header.isSortIndicatorShown()
    assert [c.key for c in load_board(sample_db, "WEB").cards] == ranks  # no rank changed
    assert sample_window.ctx.undo_stack.count() == 0
    screen.show_score_columns([])

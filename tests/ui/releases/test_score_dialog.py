"""Rank by score (issue 13.4) through the real dialog: the formula shown, the proposal beside
the current order, nothing moved until applied, one undo entry that takes it back."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import add_item, edit_item, load_board
from kanban.services.records import ProductInfo
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.main_window import MainWindow
from kanban.ui.releases.menu import rank_by_score
from kanban.ui.releases.scores import ScoreDialog


def test_the_proposal_is_reviewed_then_applied_as_one_undoable_reorder(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    for title, value in (("Small", 1), ("Unscored", None), ("Big", 9)):
        card = add_item(db, "WEB", title)
        if value is not None:
            edit_item(db, card.id, card.version, business_value=value, time_criticality=1.0,
                      risk_reduction=1.0, job_size=2.0)  # fmt: skip
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    backlog.reload()
    dialog = rank_by_score(window.ctx, backlog)
    assert isinstance(dialog, ScoreDialog)
    assert dialog.formula.text().startswith("WSJF = (business value + time criticality")
    keys = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert keys == ["WEB-3", "WEB-2", "WEB-1"]
    assert dialog.table.item(1, 5).text() == (
        "Business value, Time criticality, Risk reduction, Job size"
    )
    assert dialog.summary.text().startswith(
        "2 of 3 not-started items scored; the proposal moves 2 items"
    )
    assert [c.key for c in load_board(db, "WEB").cards] == ["WEB-1", "WEB-2", "WEB-3"]

    dialog.method.setCurrentIndex(1)  # RICE: no inputs, nothing to apply
    assert dialog.formula.text().startswith("RICE") and not dialog.apply_button.isEnabled()
    dialog.method.setCurrentIndex(0)
    assert dialog.apply()
    assert [c.key for c in load_board(db, "WEB").cards] == ["WEB-3", "WEB-2", "WEB-1"]
    qtbot.waitUntil(lambda: [c.key for c in backlog.model.rows] == ["WEB-3", "WEB-2", "WEB-1"])
    stack = window.ctx.undo_stack
    assert stack.undoText() == "Rank by WSJF"
    stack.undo()
    assert [c.key for c in load_board(db, "WEB").cards] == ["WEB-1", "WEB-2", "WEB-3"]
    stack.redo()
    assert [c.key for c in load_board(db, "WEB").cards] == ["WEB-3", "WEB-2", "WEB-1"]

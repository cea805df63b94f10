"""The item editor's Scoring tab (issue 13.4) on the sample: the inputs of both methods,
each formula worked out as one types, one undoable save through the edit command, the
rule's message for a value no score can use, and the old inputs kept in the history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import get_item, item_history
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.dialogs.item_editor import ItemEditor
from kanban.ui.main_window import MainWindow

INPUTS = ("business_value", "time_criticality", "risk_reduction", "job_size", "reach",
          "impact", "confidence", "effort")  # fmt: skip


def _open_editor(qtbot: QtBot, window: MainWindow) -> ItemEditor:
    """Double-click an open story's title in the backlog; the editor on its Scoring tab."""
    backlog = window.show_screen(BacklogScreen)
    assert isinstance(backlog, BacklogScreen)
    card = next(c for c in backlog.model.rows if c.kind == "story")  # an open story
    backlog.select_ids([card.id])
    row = backlog.model.row_of(card.id)
    assert row is not None
    index = backlog.model.index(row, 2)
    backlog.view.scrollTo(index)
    rect = backlog.view.visualRect(index)
    # A real double click starts with a press (QAbstractItemView checks the pressed row).
    qtbot.mouseClick(backlog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(backlog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert backlog.editor is not None and backlog.editor.item_id == card.id
    editor = backlog.editor
    editor.tabs.setCurrentWidget(editor.scoring)
    return editor


def test_scores_are_worked_out_live_and_saved_as_one_undoable_edit(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database
) -> None:
    editor = _open_editor(qtbot, sample_window)
    before = get_item(sample_db, editor.item_id)
    panel = editor.scoring
    panel.business_value.setValue(8)
    for name, text in (("time_criticality", "5"), ("risk_reduction", "3"), ("job_size", "")):
        panel.edits[name].setText(text)
    assert panel.results["wsjf"].text() == "No score yet: needs Job size"
    qtbot.keyClicks(panel.edits["job_size"], "4")
    assert panel.results["wsjf"].text() == "= (8 + 5 + 3) / 4 = 4.00"
    assert panel.formulas["wsjf"].text().startswith("WSJF = (business value + time criticality")
    for name, text in (("reach", "500"), ("impact", "2"), ("confidence", "80%"), ("effort", "")):
        panel.edits[name].setText(text)
    assert panel.results["rice"].text() == "No score yet: needs Effort"
    panel.edits["effort"].setText("0")
    assert panel.results["rice"].text() == "No score yet: needs Effort above 0"
    panel.edits["effort"].setText("2")
    assert panel.results["rice"].text() == "= 500 × 2 × 0.8 / 2 = 400.00"

    stack = sample_window.ctx.undo_stack
    entries = stack.count()
    assert editor.save()
    after = get_item(sample_db, editor.item_id)
    assert [getattr(after, n) for n in INPUTS] == [8, 5.0, 3.0, 4.0, 500.0, 2.0, 0.8, 2.0]
    assert stack.count() == entries + 1 and stack.undoText() == f"Edit {after.key}"
    logged = item_history(sample_db, after.id)[-1]
    assert logged.action == "edited" and "job size " in logged.detail
    assert "confidence " in logged.detail and "→ 0.8" in logged.detail

    stack.undo()
    undone = get_item(sample_db, after.id)
    assert [getattr(undone, n) for n in INPUTS] == [getattr(before, n) for n in INPUTS]
    # The old inputs stay in the history: the save and its undo, each old value to new.
    details = [e.detail for e in item_history(sample_db, after.id) if e.action == "edited"]
    assert "→ 4" in details[-2] and "4 →" in details[-1]
    stack.redo()
    assert get_item(sample_db, after.id).effort == 2.0

    again = _open_editor(qtbot, sample_window)
    assert again.scoring.edits["confidence"].text() == "0.8"
    assert again.scoring.results["wsjf"].text().endswith("= 4.00")
    assert again.scoring.history.topLevelItemCount() >= 2  # the earlier inputs, shown
    again.reject()


def test_a_value_no_score_can_use_is_refused_with_the_rules_message(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database
) -> None:
    editor = _open_editor(qtbot, sample_window)
    before = get_item(sample_db, editor.item_id)
    panel = editor.scoring
    cases = (
        ("effort", "-2", "Effort must be a number of 0 or more, not -2"),
        ("confidence", "1.5", "Confidence is a share from 0 to 1 (80% is 0.8), not 1.5"),
        ("confidence", "150%", "Confidence is a share from 0 to 1 (80% is 0.8), not 1.5"),
        ("reach", "lots", "Reach must be a number, not 'lots'"),
    )
    for name, text, message in cases:
        panel.edits[name].setText(text)
        assert panel.error.isVisible() and panel.error.text() == message
        editor.tabs.setCurrentIndex(0)
        assert not editor.save()
        assert editor.tabs.currentWidget() is panel  # shown where the problem is
        assert editor.banner.isVisible() and editor.message.text() == message
        assert get_item(sample_db, editor.item_id).version == before.version  # nothing saved
        panel.edits[name].setText("")
    assert not panel.error.isVisible()
    editor.reject()

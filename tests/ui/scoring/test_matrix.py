"""The value/effort matrix on the sample, through real mouse events on the real view: a
dot dragged changes its inputs (snapped, shown while dragging) as one undoable edit; a
double click opens the item; hovering names it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem, QToolTip
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import edit_item, edit_items, get_item
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.dialogs.item_editor import ItemEditor
from kanban.ui.main_window import MainWindow
from kanban.ui.scoring.matrix import MatrixDialog, nice_axis, snapped

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def _open(qtbot: QtBot, window: MainWindow) -> tuple[BacklogScreen, MatrixDialog]:
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.view.setFocus()
    qtbot.keyClick(
        screen.view, Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # fmt: skip
    assert isinstance(screen.matrix, MatrixDialog) and screen.matrix.isVisible()
    return screen, screen.matrix


def _dot(matrix: MatrixDialog, item_id: int) -> QPoint:
    item = matrix.view.items_by_id[item_id]
    return matrix.view.mapFromScene(item.pos())


def test_a_dragged_dot_changes_its_inputs_as_one_undoable_edit(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database
) -> None:
    screen = sample_window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    card = screen.model.rows[0]
    edit_item(sample_db, card.id, card.version, business_value=5, time_criticality=2.0,
              risk_reduction=1.0, job_size=3.0)  # fmt: skip
    screen.reload()
    _, matrix = _open(qtbot, sample_window)
    view = matrix.view
    assert matrix.current_method() == "wsjf"
    assert card.id in view.items_by_id
    # Hovering a dot names the item: the view answers the tooltip event at the dot.
    here = _dot(matrix, card.id)
    QTest.mouseMove(view.viewport(), here)
    event = QHelpEvent(QEvent.Type.ToolTip, here, view.viewport().mapToGlobal(here))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.isVisible()
    assert card.key in QToolTip.text() and card.title.split()[0] in QToolTip.text()
    QToolTip.hideText()

    start = _dot(matrix, card.id)
    assert view.dot_at(QPointF(start)) is not None
    target = view.point_of(12, 5).toPoint()  # cost of delay 12, job size 5
    QTest.mousePress(view.viewport(), LEFT, NONE, start)
    QTest.mouseMove(view.viewport(), (start + target) / 2)
    QTest.mouseMove(view.viewport(), target)
    shown = f"{card.key}: business value 5 → 9, job size 3 → 5 (WSJF 2.40)"
    assert matrix.status.text() == f"Drop to set {shown}"  # the exact inputs, while dragging
    assert view.drag_label is not None and view.drag_label.text() == shown
    stack = sample_window.ctx.undo_stack
    entries = stack.count()
    QTest.mouseRelease(view.viewport(), LEFT, NONE, target)

    after = get_item(sample_db, card.id)
    assert (after.business_value, after.job_size) == (9, 5.0)
    assert (after.time_criticality, after.risk_reduction) == (2.0, 1.0)  # kept
    assert stack.count() == entries + 1
    assert stack.undoText() == f"Drag {card.key} on the value/effort matrix"
    moved = _dot(matrix, card.id)
    assert (moved - view.point_of(12, 5).toPoint()).manhattanLength() <= 2

    stack.undo()
    before = get_item(sample_db, card.id)
    assert (before.business_value, before.job_size) == (5, 3.0)
    assert (_dot(matrix, card.id) - view.point_of(8, 3).toPoint()).manhattanLength() <= 2
    stack.redo()
    assert get_item(sample_db, card.id).job_size == 5.0

    # Dropped where it was: nothing changes, nothing is added to the undo stack.
    here = _dot(matrix, card.id)
    QTest.mousePress(view.viewport(), LEFT, NONE, here)
    QTest.mouseMove(view.viewport(), here + QPoint(1, 0))
    QTest.mouseRelease(view.viewport(), LEFT, NONE, here + QPoint(1, 0))
    assert stack.count() == entries + 1

    # A double click opens the item.
    QTest.mouseDClick(view.viewport(), LEFT, NONE, _dot(matrix, card.id))
    assert isinstance(matrix.editor, ItemEditor) and matrix.editor.item_id == card.id
    matrix.editor.reject()
    matrix.close()


def test_rice_plots_reach_impact_confidence_and_a_drag_snaps_reach_and_effort(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database
) -> None:
    screen = sample_window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    card, *others = screen.model.rows
    # The sample's own RICE inputs out of the way: this item alone draws the axes.
    edit_items(sample_db, [c.id for c in others], [c.version for c in others], reach=None,
               impact=None, confidence=None, effort=None)  # fmt: skip
    edit_item(sample_db, card.id, card.version, reach=500.0, impact=2.0, confidence=0.5,
              effort=2.0)  # fmt: skip
    screen.reload()
    _, matrix = _open(qtbot, sample_window)
    matrix.method.setCurrentIndex(1)
    view = matrix.view
    start = _dot(matrix, card.id)
    assert (start - view.point_of(500, 2).toPoint()).manhattanLength() <= 2
    target = view.point_of(700, 1.4).toPoint()  # reach 700, effort 1.5 (in halves)
    QTest.mousePress(view.viewport(), LEFT, NONE, start)
    QTest.mouseMove(view.viewport(), target)
    QTest.mouseRelease(view.viewport(), LEFT, NONE, target)
    after = get_item(sample_db, card.id)
    assert (after.reach, after.effort, after.impact, after.confidence) == (700.0, 1.5, 2.0, 0.5)
    sample_window.ctx.undo_stack.undo()
    assert get_item(sample_db, card.id).reach == 500.0
    matrix.close()


def test_snapping_and_axes() -> None:
    from kanban.metrics.scoring import ScoreInputs

    inputs = ScoreInputs(1, "WEB-1", "t", "a", 5, 2.0, 1.0, 3.0, 100.0, 2.0, 0.5, 1.0)
    assert snapped(inputs, "wsjf", 1.2, 0.2) == {"business_value": 0, "job_size": 1.0}
    assert snapped(inputs, "rice", 333.0, 0.1) == {"reach": 333.0, "effort": 0.5}
    assert nice_axis(8) == (12.0, 2.0) and nice_axis(4000) == (6000.0, 1000.0)


def test_every_dot_is_labelled_with_its_key_and_a_click_on_a_label_grabs_nothing(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    _, matrix = _open(qtbot, sample_window)
    view = matrix.view
    assert view.dots
    keys = {dot.inputs.item_id: dot.inputs.key for dot in view.dots}
    for item_id, item in view.items_by_id.items():
        labels = [c for c in item.childItems() if isinstance(c, QGraphicsSimpleTextItem)]
        assert [label.text() for label in labels] == [keys[item_id]]
        assert labels[0].acceptedMouseButtons() == Qt.MouseButton.NoButton
    some = next(iter(view.items_by_id.values()))
    label = some.childItems()[0]
    assert not label.sceneBoundingRect().intersects(some.sceneBoundingRect().adjusted(1, 1, -1, -1))

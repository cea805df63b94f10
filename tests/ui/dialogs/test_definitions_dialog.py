"""Product ▸ Definitions of Ready and Done: rules switched on and written, templates per kind,
the points scale; saving is one undo entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from kanban.services import Database, checklists, estimation, items
from kanban.services.readiness import list_rules
from kanban.services.records import ProductInfo
from kanban.ui.main_window import MainWindow


def test_writing_the_definitions_templates_and_scale_is_one_undo_entry(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    dialog = window.edit_definitions()
    assert dialog is not None
    ready = dialog.ready_rules.list
    labels = [ready.item(i).text() for i in range(ready.count())]
    assert labels[:4] == [
        "It has story points",
        "It has acceptance criteria",
        "No open question about it",
        "Not blocked by an unfinished item",
    ]
    ready.item(1).setCheckState(Qt.CheckState.Unchecked)  # criteria not needed to be Ready
    qtbot.keyClicks(dialog.ready_rules.new_edit, "UX has signed the designs off")
    qtbot.keyClick(dialog.ready_rules.new_edit, Qt.Key.Key_Return)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("bug"))
    dialog.template_edit.setPlainText("Steps to reproduce\n\nFix verified\n")
    dialog.scale_edit.setText("1, 2, 4, 8")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    rules = list_rules(db, product.id, "ready")
    assert [(r.label, r.enabled) for r in rules if r.enabled] == [
        ("It has story points", True),
        ("No open question about it", True),
        ("Not blocked by an unfinished item", True),
        ("UX has signed the designs off", True),
    ]
    assert [t.text for t in checklists.list_templates(db, product.id)] == [
        "Steps to reproduce",
        "Fix verified",
    ]
    assert estimation.get_points_scale(db, product.id) == (1, 2, 4, 8)
    bug = items.add_item(db, product.id, "Crash", kind="bug", points=2)
    assert [x.text for x in checklists.get_checklist(db, bug.id)] == [
        "Steps to reproduce",
        "Fix verified",
    ]
    assert items.get_card(db, bug.id).not_ready_because == (
        "Not confirmed: UX has signed the designs off.",
    )

    stack = window.ctx.undo_stack
    assert stack.text(stack.count() - 1) == "Edit the refinement settings"
    stack.undo()
    assert all(rule.id is None for rule in list_rules(db, product.id, "ready"))
    assert checklists.list_templates(db, product.id) == []
    assert estimation.get_points_scale(db, product.id) == (0, 1, 2, 3, 5, 8, 13, 21)


def test_a_bad_scale_keeps_the_dialog_open_and_saves_nothing(
    db: Database, product: ProductInfo, window: MainWindow
) -> None:
    dialog = window.edit_definitions()
    assert dialog is not None
    dialog.scale_edit.setText("1, two, 3")
    assert not dialog.save()
    assert dialog.error_label.text() == "A points scale holds numbers, not 'two'"
    assert window.ctx.undo_stack.count() == 0

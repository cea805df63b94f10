"""Edit a selection at once: points, labels (added or taken off), sprint, assignee, kind.

Only the fields ticked change; every item changes in one transaction (one undo entry), each
checked against the version the backlog showed, so a stale selection changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ITEM_KINDS, SprintState, plural
from kanban.errors import KanbanError
from kanban.services import estimation, items, people, sprints
from kanban.services.records import Card, ItemDetail
from kanban.ui.commands.items import ServiceCommand, push
from kanban.ui.context import AppContext
from kanban.ui.forms import SAVE, error_label, ok_cancel, open_dialog
from kanban.ui.refinement.gates import gate_sprint

NONE_TEXT = "—"


def _labels(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))


class BulkEditCommand(ServiceCommand):
    """The same change to several items in one transaction; undo writes each item's own old
    values back (in one transaction too)."""

    def __init__(self, ctx: AppContext, cards: Sequence[Card], changes: dict[str, Any]) -> None:
        super().__init__(ctx, f"Edit {plural(len(cards), 'item')}")
        self.versions = {card.id: card.version for card in cards}
        self.changes = changes
        self.previous: tuple[ItemDetail, ...] = ()

    def do(self) -> None:
        ids = list(self.versions)
        change = self.ctx.change(
            items.edit_items, ids, [self.versions[i] for i in ids], **self.changes
        )
        if not self.previous:
            self.previous = change.previous
        self.versions = {d.id: d.version for d in change.details}

    def undo_change(self) -> None:
        fields = [name for name in self.changes if name not in items.LABEL_CHANGES]
        if items.LABEL_CHANGES & set(self.changes):
            fields.append("labels")
        edits = [
            (d.id, self.versions[d.id], {name: getattr(d, name) for name in fields})
            for d in self.previous
        ]
        change = self.ctx.change(items.edit_each, edits)
        self.versions = {d.id: d.version for d in change.details}


class BulkEditDialog(QDialog):
    """Tick a field to change it on every selected item."""

    def __init__(
        self, ctx: AppContext, cards: Sequence[Card], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cards = list(cards)
        self.command: BulkEditCommand | None = None
        product_id = self.cards[0].product_id
        self.setWindowTitle(f"Edit {plural(len(self.cards), 'item')}")

        self.points_check = QCheckBox("Story points")
        self.points_combo = QComboBox()
        self.points_combo.addItem(f"{NONE_TEXT} (not estimated)", None)
        for value in ctx.read(estimation.get_points_scale, product_id):
            self.points_combo.addItem(f"{value:g}", value)
        self.add_labels_check = QCheckBox("Add labels")
        self.add_labels_edit = QLineEdit()
        self.add_labels_edit.setPlaceholderText("comma-separated, e.g. checkout, mobile")
        self.remove_labels_check = QCheckBox("Remove labels")
        self.remove_labels_edit = QLineEdit()
        self.sprint_check = QCheckBox("Sprint")
        self.sprint_combo = QComboBox()
        self.sprint_combo.addItem(f"{NONE_TEXT} (no sprint)", None)
        for sprint in ctx.read(sprints.list_sprints, product_id):
            if sprint.state != SprintState.CLOSED:
                self.sprint_combo.addItem(f"{sprint.name} ({sprint.state})", sprint.id)
        self.assignee_check = QCheckBox("Assignee")
        self.assignee_combo = QComboBox()
        self.assignee_combo.addItem(f"{NONE_TEXT} (nobody)", None)
        for member in ctx.read(people.list_members):
            self.assignee_combo.addItem(member.name, member.id)
        self.kind_check = QCheckBox("Kind")
        self.kind_combo = QComboBox()
        for kind in ITEM_KINDS:
            self.kind_combo.addItem(kind.capitalize(), kind)
        self.fields: list[tuple[QCheckBox, QWidget]] = [
            (self.points_check, self.points_combo),
            (self.add_labels_check, self.add_labels_edit),
            (self.remove_labels_check, self.remove_labels_edit),
            (self.sprint_check, self.sprint_combo),
            (self.assignee_check, self.assignee_combo),
            (self.kind_check, self.kind_combo),
        ]
        form = QFormLayout()
        for check, widget in self.fields:
            widget.setEnabled(False)
            check.toggled.connect(widget.setEnabled)
            form.addRow(check, widget)
        keys = ", ".join(card.key for card in self.cards[:6])
        more = f" and {len(self.cards) - 6} more" if len(self.cards) > 6 else ""
        summary = QLabel(f"{keys}{more}: only the ticked fields change.")
        summary.setWordWrap(True)
        self.error_label = error_label()
        self.buttons = ok_cancel(self, SAVE, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def changes(self) -> dict[str, Any]:
        """The fields ticked, with their new values."""
        out: dict[str, Any] = {}
        if self.points_check.isChecked():
            out["points"] = self.points_combo.currentData()
        if self.add_labels_check.isChecked() and _labels(self.add_labels_edit.text()):
            out["add_labels"] = _labels(self.add_labels_edit.text())
        if self.remove_labels_check.isChecked() and _labels(self.remove_labels_edit.text()):
            out["remove_labels"] = _labels(self.remove_labels_edit.text())
        if self.sprint_check.isChecked():
            out["sprint_id"] = self.sprint_combo.currentData()
        if self.assignee_check.isChecked():
            out["assignee_id"] = self.assignee_combo.currentData()
        if self.kind_check.isChecked():
            out["kind"] = self.kind_combo.currentData()
        return out

    def save(self) -> bool:
        """Apply the change (asking first when not-Ready items would join a sprint)."""
        changes = self.changes()
        if not changes:
            self.reject()
            return False
        if changes.get("sprint_id") is not None:
            name = self.sprint_combo.currentText()
            ids = [card.id for card in self.cards if card.sprint_id != changes["sprint_id"]]
            return gate_sprint(self.ctx, ids, name, lambda: self._apply(changes), self)
        return self._apply(changes)

    def _apply(self, changes: dict[str, Any]) -> bool:
        self.command = BulkEditCommand(self.ctx, self.cards, changes)
        if push(self.ctx, self.command, quiet=True):
            self.accept()
            return True
        error = self.command.error
        assert isinstance(error, KanbanError)
        self.error_label.setText(str(error))
        self.error_label.show()
        return False


def open_bulk_edit(
    ctx: AppContext, cards: Sequence[Card], parent: QWidget | None = None
) -> BulkEditDialog:
    """Open the bulk editor on these cards (of one product) without blocking."""
    return open_dialog(BulkEditDialog(ctx, cards, parent or ctx.main_window))

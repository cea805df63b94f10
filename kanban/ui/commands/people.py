"""Stakeholder intents: add (not undoable), edit and archive (undoable)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from kanban.errors import KanbanError
from kanban.services import people
from kanban.services.records import StakeholderInfo
from kanban.ui.context import AppContext, show_error

FIELDS = (
    "name", "role", "organization", "email", "contact", "notes", "archived", "product_ids",
)  # fmt: skip


def _normalise(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "product_ids" in out:
        out["product_ids"] = tuple(sorted(set(out["product_ids"])))
    return out


def add_stakeholder(ctx: AppContext, values: Mapping[str, Any]) -> StakeholderInfo:
    """Add a stakeholder (errors propagate to the dialog) and tell the screens."""
    person = ctx.write(people.add_stakeholder, **_normalise(values))
    ctx.events.people_changed.emit()
    return person


def edit_stakeholder(
    ctx: AppContext, before: StakeholderInfo, values: Mapping[str, Any], text: str = ""
) -> StakeholderInfo:
    """Write the fields of ``values`` that differ from ``before``; push the undo step.

    The write happens here, before the command is pushed, so a refused change raises to the
    caller (the dialog shows it) and never lands on the undo stack.
    """
    changes = {
        field: value
        for field, value in _normalise(values).items()
        if field in FIELDS and getattr(before, field) != value
    }
    if not changes:
        return before
    after = ctx.write(people.update_stakeholder, before.id, **changes)
    command = EditStakeholderCommand(ctx, before, changes, text or f"Edit {before.name}")
    ctx.undo_stack.push(command)
    ctx.events.people_changed.emit()
    return after


def set_stakeholder_archived(
    ctx: AppContext, before: StakeholderInfo, archived: bool
) -> StakeholderInfo:
    """Archive a stakeholder (kept for past reports, hidden from lists) or restore one."""
    verb = "Archive" if archived else "Restore"
    return edit_stakeholder(ctx, before, {"archived": archived}, f"{verb} {before.name}")


class EditStakeholderCommand(QUndoCommand):
    """One change to a stakeholder's fields; undo writes the previous values back."""

    def __init__(
        self, ctx: AppContext, before: StakeholderInfo, changes: Mapping[str, Any], text: str
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.stakeholder_id = before.id
        self.after = dict(changes)
        self.before = {field: getattr(before, field) for field in changes}
        # The change was written before the push: the first redo (from push) does nothing.
        self._written = True

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)

    def _apply(self, values: dict[str, Any]) -> None:
        try:
            self.ctx.write(people.update_stakeholder, self.stakeholder_id, **values)
        except KanbanError as error:
            # The stakeholder changed under us (e.g. in another window): drop this step.
            self.setObsolete(True)
            show_error(QApplication.activeWindow(), error, "Undo")
        self.ctx.events.people_changed.emit()

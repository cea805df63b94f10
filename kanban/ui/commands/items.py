"""Undoable item commands: add, edit, archive, delete, sprint membership (moves: moves.py).

Each command holds ids and plain values and calls one service per step (one transaction for the
whole intent) through ``ctx.change``, which hands the service's Change to the event hub. The
first ``redo()`` (run by ``QUndoStack.push``) is where the change happens, so a widget builds a
command and pushes it with :func:`push`, which reports whether it worked and leaves the first
error to the caller (a dialog may show it in place). A step that fails later, from the Edit
menu (e.g. undo after someone else changed the item), shows the error and drops the command
from the stack instead of leaving it half-done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from kanban.domain import plural
from kanban.errors import KanbanError
from kanban.services import items, sprints
from kanban.services.records import Card, Change, ItemDetail
from kanban.ui.context import AppContext, show_error


class ServiceCommand(QUndoCommand):
    """A command whose steps call services; failures become messages, never tracebacks."""

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.error: KanbanError | None = None
        self._ran = False

    def redo(self) -> None:
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.undo_change)

    def _guard(self, step: Callable[[], None]) -> None:
        self.error = None
        try:
            step()
        except KanbanError as error:
            self.error = error
            # A step that could not run leaves the stack's idea of the data wrong: drop it.
            self.setObsolete(True)
            if self._ran:
                show_error(self.ctx.main_window, error)
        self._ran = True

    def do(self) -> None:
        """Make the change (or make it again after an undo)."""
        raise NotImplementedError

    def undo_change(self) -> None:
        """Take the change back."""
        raise NotImplementedError


def push(ctx: AppContext, command: ServiceCommand, *, quiet: bool = False) -> bool:
    """Push a command (which runs it); True when the change was made.

    A failure is shown in a message box, unless ``quiet`` (the caller shows ``command.error``).
    """
    ctx.undo_stack.push(command)
    if command.error is not None and not quiet:
        show_error(ctx.main_window, command.error)
    return command.error is None


class AddItemCommand(ServiceCommand):
    """Add an item; undo deletes it, redo restores it with the same id and key."""

    def __init__(self, ctx: AppContext, product_id: int, title: str, **fields: Any) -> None:
        super().__init__(ctx, f"Add “{title}”")
        self.product_id = product_id
        self.title = title
        self.fields = fields
        self.card: Card | None = None
        self._deleted: tuple[ItemDetail, ...] = ()

    def do(self) -> None:
        if not self._deleted:
            self.card = self.ctx.write(items.add_item, self.product_id, self.title, **self.fields)
            self.ctx.publish(Change(cards=(self.card,)))
        else:
            (self.card,) = self.ctx.change(items.restore_items, self._deleted).cards

    def undo_change(self) -> None:
        assert self.card is not None
        self._deleted = self.ctx.change(items.delete_items, [self.card.id]).deleted


class EditItemCommand(ServiceCommand):
    """Change fields of one item; undo writes the old values back.

    ``before`` and ``after`` hold the same field names. Each step checks the version the
    previous step left, so an undo after someone else's edit is refused, not overwriting it.
    """

    def __init__(
        self,
        ctx: AppContext,
        item_id: int,
        version: int,
        before: dict[str, Any],
        after: dict[str, Any],
        text: str = "Edit item",
    ) -> None:
        super().__init__(ctx, text)
        self.item_id = item_id
        self.version = version
        self.before = before
        self.after = after
        self.detail: ItemDetail | None = None

    def _apply(self, values: dict[str, Any]) -> None:
        change = self.ctx.change(items.edit_items, [self.item_id], [self.version], **values)
        (self.detail,) = change.details
        self.version = self.detail.version

    def do(self) -> None:
        self._apply(self.after)

    def undo_change(self) -> None:
        self._apply(self.before)


class ArchiveItemsCommand(ServiceCommand):
    """Archive items (off the backlog and board); undo brings them back. One transaction
    each way: when one item cannot be archived, none is."""

    def __init__(self, ctx: AppContext, item_ids: Sequence[int]) -> None:
        super().__init__(ctx, f"Archive {_count(item_ids)}")
        self.item_ids = tuple(item_ids)

    def do(self) -> None:
        self.ctx.change(items.archive_items, self.item_ids, True)

    def undo_change(self) -> None:
        self.ctx.change(items.archive_items, self.item_ids, False)


class DeleteItemsCommand(ServiceCommand):
    """Delete items for good; undo re-creates them from their last state."""

    def __init__(self, ctx: AppContext, item_ids: Sequence[int]) -> None:
        super().__init__(ctx, f"Delete {_count(item_ids)}")
        self.item_ids = tuple(item_ids)
        self.details: tuple[ItemDetail, ...] = ()

    def do(self) -> None:
        self.details = self.ctx.change(items.delete_items, self.item_ids).deleted

    def undo_change(self) -> None:
        self.ctx.change(items.restore_items, self.details)


class SprintMembershipCommand(ServiceCommand):
    """Put items into a sprint (or take them out, ``sprint_id=None``); undo restores each
    item's previous sprint. Items already there are left out (nothing to undo for them)."""

    def __init__(self, ctx: AppContext, item_ids: Sequence[int], sprint_id: int | None) -> None:
        verb = "Add to sprint" if sprint_id is not None else "Take out of sprint"
        super().__init__(ctx, f"{verb}: {_count(item_ids)}")
        self.item_ids = tuple(item_ids)
        self.sprint_id = sprint_id
        self.previous: dict[int, int | None] | None = None

    def do(self) -> None:
        if self.previous is None:
            wanted = dict.fromkeys(self.item_ids, self.sprint_id)
            change = self.ctx.change(sprints.set_items_sprint, wanted)
            self.previous = {detail.id: detail.sprint_id for detail in change.previous}
            if not self.previous:
                self.setObsolete(True)  # nothing changed: keep it off the undo stack
        else:
            self.ctx.change(sprints.set_items_sprint, dict.fromkeys(self.previous, self.sprint_id))
        self._sprints_changed()

    def undo_change(self) -> None:
        assert self.previous is not None
        self.ctx.change(sprints.set_items_sprint, self.previous)
        self._sprints_changed()

    def _sprints_changed(self) -> None:
        if self.ctx.product is not None:
            self.ctx.events.sprints_changed.emit(self.ctx.product.id)


def _count(item_ids: Sequence[int]) -> str:
    return plural(len(item_ids), "item")

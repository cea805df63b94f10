"""Undoable item commands: add, edit, archive, delete, reorder, sprint membership.

Each command holds ids and plain values, calls one service per step through ``ctx.write`` and
tells the event hub what changed. The first ``redo()`` (run by ``QUndoStack.push``) is where the
change happens, so a widget builds a command and pushes it with :func:`push`, which reports
whether it worked and leaves the first error to the caller (a dialog may show it in place). A step
that fails later, from the Edit menu (e.g. undo after someone else changed the item), shows the
error and drops the command from the stack instead of leaving it half-done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from kanban.errors import KanbanError
from kanban.services import items, sprints
from kanban.services.records import Card, ItemDetail, MoveResult
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

    def _cards_changed(self, ids: Sequence[int]) -> None:
        cards = tuple(self.ctx.read(items.get_card, item_id) for item_id in ids)
        self.ctx.events.cards_changed.emit(cards)


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
        self._deleted: ItemDetail | None = None

    def do(self) -> None:
        if self._deleted is None:
            self.card = self.ctx.write(items.add_item, self.product_id, self.title, **self.fields)
        else:
            self.card = self.ctx.write(items.restore_item, self._deleted)
        self.ctx.events.cards_changed.emit((self.card,))

    def undo_change(self) -> None:
        assert self.card is not None
        self._deleted = self.ctx.write(items.delete_item, self.card.id)
        self.ctx.events.cards_removed.emit((self.card.id,))


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
        self.detail = self.ctx.write(items.edit_item, self.item_id, self.version, **values)
        self.version = self.detail.version
        self._cards_changed((self.item_id,))

    def do(self) -> None:
        self._apply(self.after)

    def undo_change(self) -> None:
        self._apply(self.before)


class ArchiveItemsCommand(ServiceCommand):
    """Archive items (off the backlog and board); undo brings them back."""

    def __init__(self, ctx: AppContext, item_ids: Sequence[int]) -> None:
        super().__init__(ctx, f"Archive {_count(item_ids)}")
        self.item_ids = tuple(item_ids)

    def do(self) -> None:
        for item_id in self.item_ids:
            self.ctx.write(items.archive_item, item_id, True)
        self.ctx.events.cards_removed.emit(self.item_ids)

    def undo_change(self) -> None:
        for item_id in self.item_ids:
            self.ctx.write(items.archive_item, item_id, False)
        self._cards_changed(self.item_ids)


class DeleteItemsCommand(ServiceCommand):
    """Delete items for good; undo re-creates them from their last state."""

    def __init__(self, ctx: AppContext, item_ids: Sequence[int]) -> None:
        super().__init__(ctx, f"Delete {_count(item_ids)}")
        self.item_ids = tuple(item_ids)
        self.details: list[ItemDetail] = []

    def do(self) -> None:
        self.details = [self.ctx.write(items.delete_item, item_id) for item_id in self.item_ids]
        self.ctx.events.cards_removed.emit(self.item_ids)

    def undo_change(self) -> None:
        cards = tuple(self.ctx.write(items.restore_item, d) for d in reversed(self.details))
        self.ctx.events.cards_changed.emit(cards)


class ReorderCommand(ServiceCommand):
    """Move items, in order, to one place in the priority order (one rank written per item).

    The place is just after ``after_id`` or just before ``before_id`` (neither: the bottom of
    the backlog, as the service defines it). Undo gives each item its old rank back.
    """

    def __init__(
        self,
        ctx: AppContext,
        item_ids: Sequence[int],
        *,
        after_id: int | None = None,
        before_id: int | None = None,
        text: str = "",
    ) -> None:
        super().__init__(ctx, text or f"Reorder {_count(item_ids)}")
        self.item_ids = tuple(item_ids)
        self.after_id = after_id
        self.before_id = before_id
        self.old_ranks: dict[int, str] = {}
        self.new_ranks: dict[int, str] = {}

    def do(self) -> None:
        if self.new_ranks:
            for item_id in self.item_ids:
                self._move(item_id, rank=self.new_ranks[item_id])
            return
        after, before = self.after_id, self.before_id
        for item_id in self.item_ids:
            result = self._move(item_id, after_id=after, before_id=before)
            self.old_ranks.setdefault(item_id, result.from_rank)
            self.new_ranks[item_id] = result.card.rank
            # The next item goes just below this one, keeping the selection's order.
            after, before = item_id, None

    def undo_change(self) -> None:
        for item_id in reversed(self.item_ids):
            self._move(item_id, rank=self.old_ranks[item_id])

    def _move(self, item_id: int, **place: Any) -> MoveResult:
        result = self.ctx.write(items.move_item, item_id, **place)
        self.ctx.events.card_moved.emit(result)
        return result


class SprintMembershipCommand(ServiceCommand):
    """Put items into a sprint (or take them out, ``sprint_id=None``); undo restores each
    item's previous sprint."""

    def __init__(self, ctx: AppContext, item_ids: Sequence[int], sprint_id: int | None) -> None:
        verb = "Add to sprint" if sprint_id is not None else "Take out of sprint"
        super().__init__(ctx, f"{verb}: {_count(item_ids)}")
        self.item_ids = tuple(item_ids)
        self.sprint_id = sprint_id
        self.previous: dict[int, int | None] = {}

    def do(self) -> None:
        if not self.previous:
            self.previous = {
                item_id: self.ctx.read(items.get_card, item_id).sprint_id
                for item_id in self.item_ids
            }
        self._assign(self.previous, dict.fromkeys(self.item_ids, self.sprint_id))

    def undo_change(self) -> None:
        self._assign(dict.fromkeys(self.item_ids, self.sprint_id), self.previous)

    def _assign(self, current: dict[int, int | None], wanted: dict[int, int | None]) -> None:
        by_sprint: dict[int, list[int]] = {}
        for item_id, target in wanted.items():
            now = current[item_id]
            if target is None and now is not None:
                self.ctx.write(sprints.set_sprint_items, now, remove=[item_id])
            elif target is not None and target != now:
                by_sprint.setdefault(target, []).append(item_id)
        for sprint_id, ids in by_sprint.items():
            self.ctx.write(sprints.set_sprint_items, sprint_id, add=ids)
        self._cards_changed(self.item_ids)
        if self.ctx.product is not None:
            self.ctx.events.sprints_changed.emit(self.ctx.product.id)


def _count(item_ids: Sequence[int]) -> str:
    return "1 item" if len(item_ids) == 1 else f"{len(item_ids)} items"

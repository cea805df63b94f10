"""A drop into another swimlane: the cards move and take the lane's field, as one change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kanban.domain import plural
from kanban.services import items
from kanban.services.records import Change
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class LaneMoveCommand(ServiceCommand):
    """Move cards into a column of a lane (between two cards, or at its bottom), setting the
    lane's field (``changes``, e.g. ``{"assignee_id": 7}``) on each in the same transaction.

    Undo is ``revert_moves`` with the fields' old values (from the Change's ``previous``):
    one transaction, both back. Redo makes the move again at the ranks the first one gave.
    A step that changed nothing keeps the command off the undo stack.
    """

    def __init__(
        self,
        ctx: AppContext,
        item_ids: Sequence[int],
        changes: Mapping[str, Any],
        *,
        column_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
        text: str = "",
    ) -> None:
        super().__init__(ctx, text or f"Move {plural(len(item_ids), 'card')}")
        self.item_ids = tuple(item_ids)
        self.changes = dict(changes)
        self.column_id = column_id
        self.after_id = after_id
        self.before_id = before_id
        self.placed: dict[int, str] = {}
        self.change: Change | None = None

    def do(self) -> None:
        first = self.change is None
        self.change = self.ctx.change(
            items.move_items,
            list(self.placed) if self.placed else self.item_ids,
            column_id=self.column_id,
            after_id=None if self.placed else self.after_id,
            before_id=None if self.placed else self.before_id,
            ranks=self.placed,
            changes=self.changes,
        )
        if first:
            self.placed = {card.id: card.rank for card in self.change.cards}
            if self.change.empty:
                self.setObsolete(True)

    def undo_change(self) -> None:
        assert self.change is not None
        restore = {
            before.id: {name: getattr(before, name) for name in self.changes}
            for before in self.change.previous
        }
        self.ctx.change(items.revert_moves, self.change.moves, restore)

"""Moving cards on the board: to another column and to a place in the priority order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kanban.domain import plural
from kanban.services import items
from kanban.services.records import Change
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class MoveCardsCommand(ServiceCommand):
    """Move cards, in order: into a column (``column_id``; None: each stays in its own, a
    reorder of the backlog), just after ``after_id`` or just before ``before_id`` (neither:
    the bottom of the column), or each keeping its rank (``keep_ranks``: item id -> its rank,
    e.g. a keyboard move to the next column).

    One ``move_items`` per step, one transaction for every card: all move or none. Undo is
    ``revert_moves`` on the Change the move returned (old columns, ranks and ages exactly);
    redo moves the cards again to the ranks the first move gave them. A step that moved
    nothing (cards dropped on their own place) keeps the command off the undo stack.
    """

    def __init__(
        self,
        ctx: AppContext,
        item_ids: Sequence[int],
        *,
        column_id: int | None,
        after_id: int | None = None,
        before_id: int | None = None,
        keep_ranks: Mapping[int, str] | None = None,
        text: str = "",
    ) -> None:
        super().__init__(ctx, text or f"Move {plural(len(item_ids), 'card')}")
        self.item_ids = tuple(item_ids)
        self.column_id = column_id
        self.after_id = after_id
        self.before_id = before_id
        self.keep_ranks = dict(keep_ranks or {})
        self.placed: dict[int, str] = {}  # item id -> rank after the first move
        self.change: Change | None = None  # the last move's, to take back

    def do(self) -> None:
        if self.change is None:
            self.change = self.ctx.change(
                items.move_items, self.item_ids, column_id=self.column_id,
                after_id=self.after_id, before_id=self.before_id, ranks=self.keep_ranks,
            )  # fmt: skip
            self.placed = {card.id: card.rank for card in self.change.cards}
            if self.change.empty:
                self.setObsolete(True)  # nothing moved: keep it off the undo stack
        else:
            self.change = self.ctx.change(
                items.move_items, list(self.placed), column_id=self.column_id, ranks=self.placed
            )

    def undo_change(self) -> None:
        assert self.change is not None
        self.ctx.change(items.revert_moves, self.change.moves)

"""Moving cards on the board: to another column and to a place in the priority order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kanban.errors import KanbanError
from kanban.services import items
from kanban.services.records import MoveResult
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class MoveCardsCommand(ServiceCommand):
    """Move cards, in order, into a column: just after ``after_id`` or just before
    ``before_id`` (neither: the bottom of the column), or each keeping its rank
    (``keep_ranks``: item id -> its rank, e.g. a keyboard move to the next column).

    One ``move_item`` per card, each returning a MoveResult that goes out on
    ``events.card_moved`` (the board moves its rows from it). Undo puts every card back into
    its old column at its exact old rank; redo gives each the rank its first move gave it.
    A move that fails part-way takes back the cards it had moved, so the step is all or nothing.
    """

    def __init__(
        self,
        ctx: AppContext,
        item_ids: Sequence[int],
        *,
        column_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
        keep_ranks: Mapping[int, str] | None = None,
        text: str = "",
    ) -> None:
        count = "1 card" if len(item_ids) == 1 else f"{len(item_ids)} cards"
        super().__init__(ctx, text or f"Move {count}")
        self.item_ids = tuple(item_ids)
        self.column_id = column_id
        self.after_id = after_id
        self.before_id = before_id
        self.keep_ranks = dict(keep_ranks or {})
        self.origins: dict[int, tuple[int, str]] = {}  # item id -> (column id, rank) before
        self.placed: dict[int, str] = {}  # item id -> rank after the first move

    def do(self) -> None:
        first = not self.placed
        moved: list[MoveResult] = []
        after, before = self.after_id, self.before_id
        try:
            for item_id in self.item_ids:
                if not first:
                    place: dict[str, Any] = {"rank": self.placed[item_id]}
                elif item_id in self.keep_ranks:
                    place = {"rank": self.keep_ranks[item_id]}
                else:
                    place = {"after_id": after, "before_id": before}
                moved.append(self._move(item_id, column_id=self.column_id, **place))
                # The next card goes just below this one, keeping the selection's order.
                after, before = item_id, None
        except KanbanError:
            for result in reversed(moved):
                self._move(result.card.id, column_id=result.from_column_id, rank=result.from_rank)
            raise
        if first:
            for result in moved:
                self.origins[result.card.id] = (result.from_column_id, result.from_rank)
                self.placed[result.card.id] = result.card.rank
            if all(_unchanged(result) for result in moved):
                self.setObsolete(True)  # nothing moved: keep it off the undo stack

    def undo_change(self) -> None:
        for item_id in reversed(self.item_ids):
            column_id, rank = self.origins[item_id]
            self._move(item_id, column_id=column_id, rank=rank)

    def _move(self, item_id: int, **place: Any) -> MoveResult:
        result = self.ctx.write(items.move_item, item_id, **place)
        if not _unchanged(result):
            self.ctx.events.card_moved.emit(result)
        return result


def _unchanged(result: MoveResult) -> bool:
    return result.card.column_id == result.from_column_id and result.card.rank == result.from_rank

"""The item model of one board column: the cards it shows, in rank order."""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)

from kanban.services.records import Card
from kanban.ui.drag import MIME_TYPE, decode_ids, encode_ids

CARD_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 2

DropHandler = Callable[[tuple[int, ...], int, "int | None", "int | None"], bool]
"""``(item_ids, column_id, after_id, before_id) -> done``: makes a drop happen."""

Index = QModelIndex | QPersistentModelIndex
_rank = attrgetter("rank")


class ColumnModel(QStringListModel):
    """The visible cards of one column, in rank order, with a row cache of ``Card`` records.

    The model never reorders itself on a drop: ``dropMimeData`` hands the ids and the place
    (between which two cards) to ``on_drop``, which pushes the move command; the Change it
    returns then reaches the rows through one of the entry points: :meth:`reset`,
    :meth:`insert`, :meth:`remove`, :meth:`replace`, or :meth:`apply` (one card's change,
    dispatched to those). Nothing else changes them (:meth:`_change` checks each change).

    Why a QStringListModel: laying out a list, Qt asks ``rowCount`` twice per row. Answered in
    Python that cost 5.6 µs a row (0.35 s before a 55,000-card column first painted, and again
    after every move); answered by the base class in C++, 0.45 µs. So the base holds one empty
    string per card, only to count rows, and its own insert/remove/move emit the signals; see
    :meth:`_change` for how ``_cards`` follows them.
    """

    def __init__(
        self, column_id: int, on_drop: DropHandler | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.column_id = column_id
        self._on_drop = on_drop
        # The cards shown. reset() takes the caller's sequence as it is (a board's filter hands
        # over the store's tuples); the first change of a row makes it a list of our own.
        self._cards: Sequence[Card] = ()
        self._owned = False  # True once _cards is a list of the model's own
        self._pending: Callable[[], object] | None = None
        for done in (self.rowsInserted, self.rowsRemoved, self.rowsMoved, self.modelReset):
            done.connect(self._apply_pending)

    def _apply_pending(self, *_: object) -> None:
        """Make the change to ``_cards`` that :meth:`_change` left waiting (connected first)."""
        if self._pending is not None:
            change, self._pending = self._pending, None
            change()

    # --- reading ---------------------------------------------------------------------------

    @property
    def cards(self) -> Sequence[Card]:
        """The cards shown, in rank order."""
        return self._cards

    def _own_cards(self) -> list[Card]:
        """The cards shown, as a list this model may change (copied from what reset took)."""
        if not self._owned or not isinstance(self._cards, list):
            self._cards, self._owned = list(self._cards), True
        return self._cards

    def card(self, row: int) -> Card:
        """The card at a row."""
        return self._cards[row]

    def row_of(self, item_id: int, rank: str | None = None) -> int:
        """The row of a card, or -1; ``rank`` (the card's rank as shown) finds it by bisection."""
        if rank is not None:
            row = bisect_left(self._cards, rank, key=_rank)
            if row < len(self._cards) and self._cards[row].id == item_id:
                return row
        return next((row for row, card in enumerate(self._cards) if card.id == item_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == CARD_ROLE:
            return card
        if role == ITEM_ID_ROLE:
            return card.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{card.key} {card.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(card)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Drops land on the column itself (between cards or below the last one)...
            return Qt.ItemFlag.ItemIsDropEnabled
        # ...never onto a card, so Qt offers "above" or "below" it, never "on" it.
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # --- drag and drop -----------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids([self._cards[row].id for row in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return (
            self._on_drop is not None
            and action == Qt.DropAction.MoveAction
            and not parent.isValid()
            and bool(decode_ids(data))
        )

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Hand a drop to the move command: the ids, this column, and the neighbours.

        ``row`` is where Qt would insert: -1 when the drop is below the last card (on the
        empty part of the view). The neighbours skip the dragged cards themselves.
        """
        if self._on_drop is None or action != Qt.DropAction.MoveAction or parent.isValid():
            return False
        ids = decode_ids(data)
        if not ids:
            return False
        if row < 0 or row > len(self._cards):
            row = len(self._cards)
        dragged = set(ids)
        above = (c.id for c in reversed(self._cards[:row]) if c.id not in dragged)
        below = (c.id for c in self._cards[row:] if c.id not in dragged)
        return self._on_drop(ids, self.column_id, next(above, None), next(below, None))

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # WORKAROUND: after a drag that ended in a MoveAction, QAbstractItemView removes the
        # dragged rows from the source model itself. The move command has already moved them
        # (and the database holds the truth), so refuse: rows only leave through a move result.
        return False

    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return False  # rows only come through the entry points (insert, reset, ...)

    def moveRows(
        self,
        source_parent: Index,
        source_row: int,
        count: int,
        destination_parent: Index,
        destination_child: int,
    ) -> bool:
        # WORKAROUND: QListView tries moveRows for a drop inside the same view; refusing sends
        # the drop to dropMimeData, where the move command (and the database) decide.
        return False

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False  # cards change through the item editor and commands, not in place

    # --- changes: the entry points ---------------------------------------------------------
    #
    # The rows change only through these: reset (another list), insert, remove, replace (a
    # shown card moved or changed) and apply (one card's change, dispatched to those). Each
    # makes one Qt change through _change, the one place where _cards changes.

    def reset(self, cards: Sequence[Card]) -> None:
        """Show other cards (rank order; a filter, a reload): one model reset. The model keeps
        ``cards`` as given and never changes it (it copies before its first row change)."""

        def resize() -> None:
            # setStringList would convert one Python string per row (9 ms for 82,000 rows);
            # the base's insertRows/removeRows resize its list in C++. Their row signals are
            # blocked: views and testers see one reset.
            rows = QStringListModel.rowCount(self)
            self.beginResetModel()
            blocked = self.blockSignals(True)
            try:
                if len(cards) > rows:
                    # At the front: Qt's list grows there in amortised constant time per row;
                    # inserting anywhere else moves the rows already inserted, once per row.
                    QStringListModel.insertRows(self, 0, len(cards) - rows, QModelIndex())
                elif len(cards) < rows:
                    QStringListModel.removeRows(self, len(cards), rows - len(cards), QModelIndex())
            finally:
                self.blockSignals(blocked)
            self.endResetModel()

        def take() -> None:
            self._cards, self._owned = cards, False

        self._change(resize, take)

    def insert(self, card: Card) -> int:
        """Show a card at its place in rank order; returns its row."""
        row = bisect_right(self._cards, card.rank, key=_rank)
        self._change(
            lambda: QStringListModel.insertRows(self, row, 1, QModelIndex()),
            lambda: self._own_cards().insert(row, card),
        )
        return row

    def remove(self, card: Card) -> bool:
        """Stop showing a card (as shown: its rank finds its row); False when not shown."""
        row = self.row_of(card.id, card.rank)
        if row < 0:
            return False
        self._change(
            lambda: QStringListModel.removeRows(self, row, 1, QModelIndex()),
            lambda: self._own_cards().pop(row),
        )
        return True

    def replace(self, old: Card, new: Card) -> int:
        """A shown card changed (``old`` as shown, ``new`` as now): it moves to the row its
        new rank gives it, or its data changes in place. Its row; -1 when it was not shown."""
        old_row = self.row_of(old.id, old.rank)
        if old_row < 0:
            return -1
        # Where the card lands among the others (the list still holds it at its old rank).
        new_row = bisect_right(self._cards, new.rank, key=_rank)
        if old.rank <= new.rank:
            new_row -= 1
        if new_row == old_row:
            self._own_cards()[old_row] = new  # no row moves: only its data changes
            index = self.index(old_row)
            self.dataChanged.emit(index, index)
            return old_row
        # Qt wants the destination as a row of the list *before* the move: moving down, that
        # is one past the new row (beginMoveRows refuses row -> row + 1 as a no-op).
        destination = new_row + 1 if new_row > old_row else new_row

        def move() -> None:
            cards = self._own_cards()
            del cards[old_row]
            cards.insert(new_row, new)

        self._change(
            lambda: QStringListModel.moveRows(
                self, QModelIndex(), old_row, 1, QModelIndex(), destination
            ),
            move,
        )
        return new_row

    def apply(self, old: Card | None, new: Card | None) -> None:
        """One card's change as this column sees it: ``old`` as shown here (None: it was not),
        ``new`` as it should be shown here (None: it leaves or does not pass the filter)."""
        if old is not None and new is not None:
            if self.replace(old, new) < 0:
                self.insert(new)
        elif old is not None:
            self.remove(old)
        elif new is not None:
            self.insert(new)

    def _change(self, rows: Callable[[], object], cards: Callable[[], object]) -> None:
        """Make one change of the rows: ``rows`` calls the base class, which emits Qt's
        signals and changes its list of empty strings in C++; ``cards`` makes the same change
        to ``_cards``.

        ``cards`` waits in ``_pending`` and runs in :meth:`_apply_pending`, the model's own
        slot on the signal that ends the change, connected in ``__init__`` before any view
        can connect (Qt calls slots in connection order): views and testers read the old rows
        while a change is announced and the new ones once it is done.
        """
        assert self._pending is None, "one change at a time"
        self._pending = cards
        try:
            rows()
        finally:
            self._pending = None
        assert QStringListModel.rowCount(self) == len(self._cards), "rows and cards disagree"


def _tooltip(card: Card) -> str:
    lines = [f"{card.key} · {card.kind}", card.title]
    if card.assignee:
        lines.append(f"Assignee: {card.assignee}")
    if card.labels:
        lines.append("Labels: " + ", ".join(card.labels))
    if card.blocked_reason:
        lines.append(f"Blocked: {card.blocked_reason}")
    if card.open_questions:
        noun = "question" if card.open_questions == 1 else "questions"
        lines.append(f"{card.open_questions} open {noun}")
    # Escaped and marked as rich text: Qt would otherwise guess, and render a title with tags.
    return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"

"""What the board holds, without Qt: the product's live cards by column, and the filter."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from kanban.services.records import Card, ColumnInfo

NO_SPRINT = -1
"""``CardFilter.sprint_id`` for cards in no sprint."""
UNASSIGNED = ""
"""``CardFilter.assignee`` for cards nobody is assigned to."""

_rank = attrgetter("rank")


@dataclass(frozen=True, slots=True)
class CardFilter:
    """Which cards the board shows; the default shows all."""

    text: str = ""
    assignee: str | None = None
    label: str | None = None
    sprint_id: int | None = None

    @property
    def active(self) -> bool:
        """True when the filter hides anything."""
        return bool(self.text.strip()) or any(
            value is not None for value in (self.assignee, self.label, self.sprint_id)
        )

    def narrows(self, previous: CardFilter) -> bool:
        """True when every card this filter shows is also shown by ``previous``
        (e.g. one more letter typed), so filtering can start from its result."""
        return (
            self.text.casefold().strip().find(previous.text.casefold().strip()) >= 0
            and self.assignee == previous.assignee
            and self.label == previous.label
            and self.sprint_id == previous.sprint_id
        )


class BoardCards:
    """Every live card of a product by column id, each column's list in rank order."""

    def __init__(self, columns: Iterable[ColumnInfo] = (), cards: Iterable[Card] = ()) -> None:
        self.by_column: dict[int, list[Card]] = {column.id: [] for column in columns}
        self.by_id: dict[int, Card] = {}
        self._haystacks: dict[int, str] = {}
        for card in cards:  # rank order already: appending keeps each column sorted
            column = self.by_column.get(card.column_id)
            if column is not None:
                column.append(card)
                self.by_id[card.id] = card

    def __len__(self) -> int:
        return len(self.by_id)

    def add(self, card: Card) -> bool:
        """Hold a card at its place in rank order; False when its column is not on this board."""
        column = self.by_column.get(card.column_id)
        if column is None:
            return False
        self.remove(card.id)
        column.insert(bisect_right(column, card.rank, key=_rank), card)
        self.by_id[card.id] = card
        if self._haystacks:
            self._haystacks[card.id] = _haystack(card)
        return True

    def remove(self, item_id: int) -> Card | None:
        """Forget a card; returns it as it was held (None when unknown)."""
        card = self.by_id.pop(item_id, None)
        if card is None:
            return None
        self._haystacks.pop(item_id, None)
        column = self.by_column[card.column_id]
        row = bisect_left(column, card.rank, key=_rank)
        if row < len(column) and column[row].id == item_id:
            del column[row]
        else:  # pragma: no cover - ranks are unique; kept safe for a corrupt file
            column.remove(card)
        return card

    def select(
        self, column_id: int, flt: CardFilter, among: list[Card] | None = None
    ) -> list[Card]:
        """The cards of a column that pass a filter, in rank order (a new list).

        ``among``: a subset to filter instead of the whole column (a previous, wider result).
        """
        source = self.by_column.get(column_id, []) if among is None else among
        cards = source
        if flt.sprint_id is not None:
            wanted = None if flt.sprint_id == NO_SPRINT else flt.sprint_id
            cards = [c for c in cards if c.sprint_id == wanted]
        if flt.assignee is not None:
            who = flt.assignee or None
            cards = [c for c in cards if c.assignee == who]
        if flt.label is not None:
            label = flt.label
            cards = [c for c in cards if label in c.labels]
        needle = flt.text.casefold().strip()
        if needle:
            if len(self._haystacks) < len(self.by_id):
                self._fill_haystacks()
            haystacks = self._haystacks
            cards = [c for c in cards if needle in haystacks[c.id]]
        return list(cards) if cards is source else cards

    def _fill_haystacks(self) -> None:
        self._haystacks = {card.id: _haystack(card) for card in self.by_id.values()}

    def assignees(self) -> list[str]:
        """The names cards are assigned to, sorted."""
        return sorted({c.assignee for c in self.by_id.values() if c.assignee}, key=str.casefold)

    def labels(self) -> list[str]:
        """The labels cards carry, sorted."""
        found: set[str] = set()
        for card in self.by_id.values():
            if card.labels:
                found.update(card.labels)
        return sorted(found, key=str.casefold)


def _haystack(card: Card) -> str:
    return f"{card.key} {card.title}".casefold()

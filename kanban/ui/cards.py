"""The one card store of a window: the current product's live cards, for the board and backlog."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, islice
from operator import attrgetter
from typing import overload

from kanban.services.records import Board, Card, Change, ColumnInfo

RECENT_SEARCHES = 10  # per column, for typing and deleting letters
PICK_AHEAD = 256  # cards of a search result picked at once while only its first ones are read

_rank = attrgetter("rank")

CardPair = tuple[Card | None, Card | None]
"""``(card as the store held it, card as it is now)``; None: not held / no longer live."""


@dataclass(frozen=True, slots=True)
class CardsUpdate:
    """What the store did with a Change: its cards before and after, one pair per card.

    Only cards of the store's product are paired; ``change`` is the Change as published.
    """

    change: Change
    pairs: tuple[CardPair, ...]


class CardStore:
    """Every live card of one product, by id, by column and in rank order (Qt-free).

    ``AppContext`` owns one per window. It is read by :meth:`load` (``AppContext.load_cards``)
    and then kept up to date by :meth:`apply`, with every Change ``AppContext.publish`` sends;
    it is marked :attr:`outdated` (read again when next needed) when the product changes,
    another writer committed, columns came or went, or names shown on cards changed.
    ``generation`` counts loads and ``revision`` every change, so a screen knows whether what
    it shows is still the store's.

    For text search each column also keeps, once :meth:`prepare_search` has run, a parallel
    list of lower-cased "key title" strings: scanning 100,000 of those takes 8 ms, against
    30 ms when each card's text is looked up by id. The hits are picked with ``compress``
    (in C): a letter that 82,000 of 100,000 cards contain took 25 ms through index lists
    and list comprehensions, 13 ms so.

    What :meth:`column_cards` and :meth:`search` return (a tuple, a :class:`Found`) the store
    keeps until the column changes, and nobody can change: a board shows them without copying
    100,000 references per keystroke (and freeing them at the next).
    """

    def __init__(self, columns: Iterable[ColumnInfo] = (), cards: Iterable[Card] = ()) -> None:
        self.product_id: int | None = None
        self.outdated = True
        self.generation = 0
        self.revision = 0
        self._fill(list(columns), cards)

    def _fill(self, columns: list[ColumnInfo], cards: Iterable[Card]) -> None:
        self.columns = columns
        self.by_column: dict[int, list[Card]] = {column.id: [] for column in columns}
        self.by_id: dict[int, Card] = {}
        self.order: list[Card] = []  # every card held, in the product's rank order
        self._texts: dict[int, list[str]] | None = None  # column id -> haystacks, aligned
        # column id -> recent searches: text -> what it found, oldest first
        self._found: dict[int, dict[str, Found]] = {}
        self._snapshots: dict[int, tuple[Card, ...]] = {}  # column id -> its cards, as a tuple
        by_column, by_id, order = self.by_column, self.by_id, self.order
        for card in cards:  # rank order already: appending keeps each list sorted
            column = by_column.get(card.column_id)
            if column is not None:
                column.append(card)
                by_id[card.id] = card
                order.append(card)

    def __len__(self) -> int:
        return len(self.by_id)

    # --- whole reads -------------------------------------------------------------------------

    def load(self, board: Board) -> None:
        """Hold a product's board as read (its columns and live cards in rank order)."""
        self.product_id = board.product.id
        self._fill(list(board.columns), board.cards)
        self.outdated = False
        self.generation += 1
        self.revision += 1

    def clear(self) -> None:
        """Hold no product."""
        self.product_id = None
        self._fill([], ())
        self.outdated = False
        self.generation += 1
        self.revision += 1

    def outdate(self) -> None:
        """Have the cards read again when next needed."""
        self.outdated = True

    def set_columns(self, columns: Iterable[ColumnInfo]) -> bool:
        """Take renamed or re-limited columns; False (and outdated) when the set of columns
        changed, so the cards must be read again."""
        columns = list(columns)
        if {c.id for c in columns} != set(self.by_column):
            self.outdate()
            return False
        self.columns = columns
        self.revision += 1
        return True

    # --- changes -----------------------------------------------------------------------------

    def apply(self, change: Change) -> CardsUpdate:
        """Take what an operation changed; the cards of this product before and after."""
        if self.outdated:
            return CardsUpdate(change, ())  # read again anyway before anyone shows it
        pairs: list[CardPair] = []
        for card in change.cards:
            if card.product_id != self.product_id:
                continue
            old = self._remove(card.id)
            pairs.append((old, card if self._add(card) else None))
        for item_id in change.removed:
            old = self._remove(item_id)
            if old is not None:
                pairs.append((old, None))
        if pairs:
            self.revision += 1
        return CardsUpdate(change, tuple(pairs))

    def _add(self, card: Card) -> bool:
        column = self.by_column.get(card.column_id)
        if column is None:
            return False
        row = bisect_right(column, card.rank, key=_rank)
        column.insert(row, card)
        self.order.insert(bisect_right(self.order, card.rank, key=_rank), card)
        self.by_id[card.id] = card
        if self._texts is not None:
            self._texts[card.column_id].insert(row, _haystack(card))
        self._found.pop(card.column_id, None)
        self._snapshots.pop(card.column_id, None)
        return True

    def _remove(self, item_id: int) -> Card | None:
        card = self.by_id.pop(item_id, None)
        if card is None:
            return None
        column = self.by_column[card.column_id]
        row = _find(column, card)
        del column[row]
        del self.order[_find(self.order, card)]
        if self._texts is not None:
            del self._texts[card.column_id][row]
        self._found.pop(card.column_id, None)
        self._snapshots.pop(card.column_id, None)
        return card

    def column_cards(self, column_id: int) -> tuple[Card, ...]:
        """The cards of a column in rank order, as a tuple kept until the column changes."""
        cards = self._snapshots.get(column_id)
        if cards is None:
            cards = self._snapshots[column_id] = tuple(self.by_column.get(column_id, ()))
        return cards

    # --- text search ---------------------------------------------------------------------------

    def prepare_search(self) -> None:
        """Build the texts that text searches scan (done once; kept up to date after)."""
        if self._texts is None:
            self._texts = {
                column_id: [_haystack(card) for card in cards]
                for column_id, cards in self.by_column.items()
            }

    def search(self, column_id: int, needle: str) -> Found:
        """The cards of a column whose key or title contains ``needle`` (lower case), in rank
        order.

        The last few searches are kept: typing one more letter searches only what the
        shorter text found, and deleting a letter finds the earlier result again.
        """
        recent = self._found.setdefault(column_id, {})
        found = recent.pop(needle, None)
        if found is None:
            wider = max((text for text in recent if text in needle), key=len, default=None)
            source: Sequence[Card]
            if wider is not None:
                source = recent[wider]
                texts = recent[wider].texts
            else:
                self.prepare_search()
                assert self._texts is not None
                source, texts = self.column_cards(column_id), self._texts.get(column_id, [])
            hits = [needle in text for text in texts]
            found = Found(source, hits, list(compress(texts, hits)))
            while len(recent) >= RECENT_SEARCHES:
                del recent[next(iter(recent))]
        recent[needle] = found
        return found


class Found(Sequence[Card]):
    """What a text search found in a column: its cards in rank order, picked when read.

    A search notes which cards of the wider result (or of the column) it hit; the cards are
    picked from there only as far as someone reads them. A board shows the first few of each
    column: a letter that 82,000 of 100,000 cards contain picks a handful, not 82,000 (picking
    them all took as long as the search). Like the tuples it reads from, it never changes.
    """

    __slots__ = ("_complete", "_count", "_hits", "_picked", "_source", "texts")

    def __init__(self, source: Sequence[Card], hits: list[bool], texts: list[str]) -> None:
        self._source = source  # a tuple or a Found: neither changes
        self._hits = hits  # one per card of the source
        self._count = hits.count(True)
        self._picked: tuple[Card, ...] = ()  # the first cards found, as far as read
        self._complete = False
        self.texts = texts
        """The haystacks of the cards found, in the same order (a narrower search scans them)."""

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Card]:
        if self._complete:
            return iter(self._picked)
        return compress(self._source, self._hits)

    @overload
    def __getitem__(self, index: int) -> Card: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Card]: ...

    def __getitem__(self, index: int | slice) -> Card | Sequence[Card]:
        if isinstance(index, int) and 0 <= index < len(self._picked):
            return self._picked[index]
        if isinstance(index, int) and 0 <= index < PICK_AHEAD <= self._count:
            self._picked = tuple(islice(self, PICK_AHEAD))
            return self._picked[index]
        if not self._complete:
            self._picked, self._complete = tuple(self), True
        return self._picked[index]


def haystack_matches(card: Card, needle: str) -> bool:
    """True when a card's key or title contains ``needle`` (lower case), as :meth:`search`."""
    return needle in _haystack(card)


def _haystack(card: Card) -> str:
    return f"{card.key} {card.title}".casefold()


def _find(cards: list[Card], card: Card) -> int:
    row = bisect_left(cards, card.rank, key=_rank)
    if not (row < len(cards) and cards[row].id == card.id):  # pragma: no cover
        row = cards.index(card)  # ranks are unique; kept safe for a damaged file
    return row

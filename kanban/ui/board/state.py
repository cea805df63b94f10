"""What the board shows of the card store, without Qt: the filter and the cards it lets through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kanban.services.records import Card
from kanban.ui.cards import CardStore, haystack_matches

NO_SPRINT = -1
"""``CardFilter.sprint_id`` for cards in no sprint."""
UNASSIGNED = ""
"""``CardFilter.assignee`` for cards nobody is assigned to."""


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


def select(store: CardStore, column_id: int, flt: CardFilter) -> Sequence[Card]:
    """The cards of a column that pass a filter, in rank order: a tuple the store keeps (and
    never changes) when only text or nothing filters, else a new list."""
    cards: Sequence[Card]
    needle = flt.text.casefold().strip()
    cards = store.search(column_id, needle) if needle else store.column_cards(column_id)
    return _other_criteria(cards, flt)


def matches(card: Card, flt: CardFilter) -> bool:
    """True when one card passes a filter."""
    needle = flt.text.casefold().strip()
    return (not needle or haystack_matches(card, needle)) and bool(_other_criteria([card], flt))


def _other_criteria(cards: Sequence[Card], flt: CardFilter) -> Sequence[Card]:
    if flt.sprint_id is not None:
        wanted = None if flt.sprint_id == NO_SPRINT else flt.sprint_id
        cards = [c for c in cards if c.sprint_id == wanted]
    if flt.assignee is not None:
        who = flt.assignee or None
        cards = [c for c in cards if c.assignee == who]
    if flt.label is not None:
        label = flt.label
        cards = [c for c in cards if label in c.labels]
    return cards

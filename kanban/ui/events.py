"""One signal hub: services' results fan out to every screen that shows them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventHub(QObject):
    """Past-tense events about the data; screens update only what an event touched."""

    product_selected = Signal(object)  # ProductInfo | None
    products_changed = Signal()
    # The Change one operation on items made (kanban.services.records.Change): cards added,
    # edited, moved or restored, ids archived or deleted. Sent by AppContext.publish only.
    items_changed = Signal(object)
    # The card store (AppContext.cards) took a Change: a CardsUpdate with each card of the
    # store's product as held before and as now. For screens that show the store's cards.
    cards_updated = Signal(object)
    board_changed = Signal(int)  # product id: columns added, renamed, moved, deleted
    questions_changed = Signal(int)  # product id
    status_changed = Signal(int)  # product id: status updates
    people_changed = Signal()  # team members or stakeholders
    sprints_changed = Signal(int)  # product id
    releases_changed = Signal(int)  # product id: releases added, deleted, their targets moved
    external_change = Signal()  # another window or the command line changed the file
    # tuple[int, ...]: items whose checklist, comments, links or confirmations changed
    # (empty: a whole definition changed)
    refinement_changed = Signal(object)

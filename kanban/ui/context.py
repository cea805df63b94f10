"""What every screen needs, passed in explicitly: the database, the event hub, undo, cards."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from kanban.errors import KanbanError
from kanban.services import Database, items, products
from kanban.services.records import Change, ProductInfo
from kanban.ui.cards import CardStore
from kanban.ui.events import EventHub
from kanban.ui.forms import open_dialog

T = TypeVar("T")
POLL_INTERVAL_MS = 1000
COLLECT_AFTER_MS = 250  # a read's first paint comes sooner; a person's first keystroke later


@contextlib.contextmanager
def collection_deferred() -> Iterator[None]:
    """Keep Python's cycle collector paused through a read of the cards and until the screens
    have painted them (``COLLECT_AFTER_MS`` after the read), then let it walk what was made
    meanwhile, once (:func:`settle_collection`).

    A board's read makes 100,000 cards (tuples the collector tracks, holding no cycles) with
    the collector paused (services.common.gc_paused); resumed at once, its first collection
    walked them all before the board could paint (92M instructions, 2-3% of opening 100,000
    cards), and the next ones walked them again.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        QTimer.singleShot(COLLECT_AFTER_MS, settle_collection)


def settle_collection() -> None:
    """Resume the cycle collector and walk the young objects once (they leave its young
    generations: the next collections, at a keystroke, no longer walk them)."""
    gc.enable()
    gc.collect(1)


class AppContext(QObject):
    """The open database and the window's shared state; one per main window."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.events = EventHub(self)
        self.undo_stack = QUndoStack(self)
        self.cards = CardStore()  # the current product's live cards: see load_cards
        self.product: ProductInfo | None = None
        self.main_window: QWidget | None = None  # parent for messages; set by the window
        self._seen_version = db.data_version()
        self._external_pending = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_INTERVAL_MS)
        self._poll.timeout.connect(self.check_for_external_changes)
        self._poll.start()

    def write(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a writing service; remember the file's version so our own write is not
        mistaken for someone else's. Errors propagate (commands and dialogs show them)."""
        if self.db.data_version() != self._seen_version:
            self._external_pending = True
        try:
            return service(self.db, *args, **kwargs)
        finally:
            self._seen_version = self.db.data_version()
            if self._external_pending:
                QTimer.singleShot(0, self.check_for_external_changes)

    def change(self, service: Callable[..., Change], *args: Any, **kwargs: Any) -> Change:
        """Call a service that returns a Change (:meth:`write`), then :meth:`publish` it."""
        change = self.write(service, *args, **kwargs)
        self.publish(change)
        return change

    def publish(self, change: Change) -> None:
        """Tell every screen what an operation on items changed: the card store takes the
        change first and says what it did (``cards_updated``), then ``items_changed``."""
        self.events.cards_updated.emit(self.cards.apply(change))
        self.events.items_changed.emit(change)

    def load_cards(self, newer_than: int | None = None) -> CardStore:
        """The card store, holding the current product's cards: read first when outdated, or
        when its read is not newer than generation ``newer_than`` (a screen asked to reload
        while hidden, and nobody read the cards since).

        Raises KanbanError when the product cannot be read (the store stays outdated).
        """
        store = self.cards
        if newer_than is not None and store.generation <= newer_than:
            store.outdate()
        if self.product is None:
            if store.outdated or store.product_id is not None:
                store.clear()
        elif store.outdated or store.product_id != self.product.id:
            with collection_deferred():
                store.load(self.read(items.load_board, self.product.id))
        return store

    def columns_changed(self, product_id: int) -> None:
        """A product's columns were added, renamed, moved or deleted: the store takes the
        columns (or reads everything again when columns came or went), then
        ``board_changed``."""
        store = self.cards
        if store.product_id == product_id and not store.outdated:
            store.set_columns(self.read(products.list_columns, product_id))
        self.events.board_changed.emit(product_id)

    def read(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a reading service."""
        return service(self.db, *args, **kwargs)

    def check_for_external_changes(self) -> bool:
        """Emit external_change when another connection committed since we last looked."""
        version = self.db.data_version()
        if version == self._seen_version and not self._external_pending:
            return False
        self._seen_version = version
        self._external_pending = False
        self.cards.outdate()
        self.events.external_change.emit()
        return True

    def close(self) -> None:
        """Stop watching the file (the window is closing)."""
        self._poll.stop()

    def select_product(self, product: ProductInfo | None) -> None:
        """Make a product the current one on every screen."""
        self.product = product
        self.cards.outdate()
        self.events.product_selected.emit(product)


def show_error(parent: QWidget | None, error: BaseException, title: str = "kanban") -> QMessageBox:
    """Show a user-facing error in a window-modal dialog: plain text, never a traceback.

    The dialog is opened without blocking (tests and the event loop go on) and deletes
    itself when closed.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(str(error) if isinstance(error, KanbanError) else f"Unexpected error: {error}")
    return open_dialog(box)

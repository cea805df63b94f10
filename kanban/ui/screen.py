"""The contract every screen of the main window follows, and that of the screens of cards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from kanban.errors import KanbanError
from kanban.services.records import ProductInfo
from kanban.ui.cards import CardStore, CardsUpdate
from kanban.ui.context import AppContext, show_error


def heading_label(text: str) -> QLabel:
    """A screen's (or a panel's) heading: its text bold, 1.3 times the label's font."""
    heading = QLabel(text)
    heading.setObjectName("screen_heading")
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    heading.setFont(font)
    return heading


class Screen(QWidget):
    """A page of the main window, showing one product at a time.

    Subclasses build their widgets in ``__init__``, show the product given to
    :meth:`set_product`, and refresh from the database in :meth:`reload` (called after another
    window or the command line changed the file). ``title`` names the page; the main window's
    ``PAGES`` repeats it, with the module path, so a screen is imported only when first shown.
    """

    title = "Screen"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product: ProductInfo | None = None
        ctx.events.product_selected.connect(self.set_product)
        ctx.events.external_change.connect(self.file_changed)

    def set_product(self, product: ProductInfo | None) -> None:
        """Show another product (None: no product)."""
        self.product = product
        self.reload()

    def file_changed(self) -> None:
        """Another window or the command line changed the file: by default, :meth:`reload`."""
        self.reload()

    def reload(self) -> None:
        """Read the current product's data again."""

    def menu_actions(self) -> list[QAction]:
        """The screen's own actions, for the main window's menu named after the screen (and
        Help > Keyboard shortcuts): the QActions the screen owns, in the order made."""
        return [
            action
            for action in self.findChildren(
                QAction, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if action.text() and not action.isSeparator()
        ]


class CardsScreen(Screen):
    """A screen that shows the window's card store (``ctx.cards``): the board, the backlog.

    It shows the store when on screen, and catches up when next shown otherwise: it rebuilds
    from the store (:meth:`show_store`) after another read of it, and follows a change the
    store took (:meth:`show_update`, or :meth:`catch_up` once shown again). Only
    :meth:`reload` makes the store read the file again (unless someone read it since); a new
    product, or another writer's commit, outdates the store in ``AppContext`` already.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._read_after: int | None = None  # reload asked: a read newer than this generation
        self._refresh_when_shown = True  # something changed while hidden
        self._generation = -1  # the store's read this screen shows
        self._revision = -1  # the store's revision this screen shows
        ctx.events.cards_updated.connect(self._cards_updated)

    @property
    def store(self) -> CardStore:
        """The window's card store: every live card of the product."""
        return self.ctx.cards

    def set_product(self, product: ProductInfo | None) -> None:
        self.product = product
        self.refresh_soon()

    def file_changed(self) -> None:
        self.refresh_soon()  # the store is outdated already

    def reload(self) -> None:
        """Read the product's cards (and what the screen shows with them) again."""
        self._read_after = self.store.generation
        self.refresh_soon()

    def refresh_soon(self) -> None:
        """Show the store (and what goes with it) now when on screen, else when next shown."""
        if self.isVisible():
            self._show_fresh()
        else:
            self._refresh_when_shown = True

    def _show_fresh(self) -> None:
        try:
            store = self.ctx.load_cards(self._read_after)
            self.show_store(store)
        except KanbanError as error:
            show_error(self, error)
            return
        self._read_after = None
        self._refresh_when_shown = False
        self._generation = store.generation
        self._revision = store.revision

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        store = self.store
        if (
            self._read_after is not None
            or self._refresh_when_shown
            or store.outdated
            or store.generation != self._generation
        ):
            self._show_fresh()
        elif store.revision != self._revision:
            self._revision = store.revision
            self.catch_up()

    def _cards_updated(self, update: CardsUpdate) -> None:
        if self._generation != self.store.generation or not update.pairs:
            return  # this screen shows an older read: it is rebuilt when next shown
        if self.isVisible() or self.follows_hidden:
            self._revision = self.store.revision
            self.show_update(update)

    follows_hidden = False
    """True when :meth:`show_update` is cheap enough to run while hidden (the board's is)."""

    def show_store(self, store: CardStore) -> None:
        """Show the store's cards and what goes with them (read now); may raise KanbanError."""
        raise NotImplementedError

    def show_update(self, update: CardsUpdate) -> None:
        """Show a change the store took."""
        raise NotImplementedError

    def catch_up(self) -> None:
        """Show the changes the store took while this screen was hidden."""
        self.show_store(self.store)

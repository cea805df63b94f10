"""The contract every screen of the main window follows."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kanban.services.records import ProductInfo
from kanban.ui.context import AppContext


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
        ctx.events.external_change.connect(self.reload)

    def set_product(self, product: ProductInfo | None) -> None:
        """Show another product (None: no product)."""
        self.product = product
        self.reload()

    def reload(self) -> None:
        """Read the current product's data again."""

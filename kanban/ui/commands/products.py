"""Undoable product commands."""

from __future__ import annotations

from kanban.services import products
from kanban.services.records import ProductInfo
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class ArchiveProductCommand(ServiceCommand):
    """Archive a product (it leaves the switcher, its data stays); undo restores it."""

    def __init__(self, ctx: AppContext, product: ProductInfo) -> None:
        super().__init__(ctx, f"Archive product {product.key}")
        self.product_id = product.id

    def do(self) -> None:
        self.ctx.write(products.archive_product, self.product_id, True)
        self.ctx.events.products_changed.emit()

    def undo_change(self) -> None:
        self.ctx.write(products.archive_product, self.product_id, False)
        self.ctx.events.products_changed.emit()

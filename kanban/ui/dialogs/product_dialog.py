"""Create a product, or rename one and change its vision."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.services import products
from kanban.services.records import ProductInfo
from kanban.ui.context import AppContext
from kanban.ui.forms import SAVE, error_label, ok_cancel


class ProductDialog(QDialog):
    """New product (``product`` None) or edit one; ``saved`` holds the result after Save."""

    def __init__(
        self, ctx: AppContext, product: ProductInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product = product
        self.saved: ProductInfo | None = None
        self.setWindowTitle("New product" if product is None else f"Product {product.key}")

        self.key_edit = QLineEdit(product.key if product else "")
        self.key_edit.setPlaceholderText("short, e.g. WEB: items become WEB-1, WEB-2…")
        self.key_edit.setMaxLength(10)
        self.key_edit.setReadOnly(product is not None)
        self.name_edit = QLineEdit(product.name if product else "")
        self.vision_edit = QPlainTextEdit(product.vision if product else "")
        self.vision_edit.setPlaceholderText("Who it is for and why it matters")
        self.vision_edit.setFixedHeight(90)
        self.error_label = error_label()

        form = QFormLayout()
        form.addRow("Key", self.key_edit)
        form.addRow("Name", self.name_edit)
        form.addRow("Vision", self.vision_edit)
        self.buttons = ok_cancel(self, SAVE, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def save(self) -> bool:
        """Create or update the product; keep the dialog open with the reason on failure."""
        vision = self.vision_edit.toPlainText().strip()
        try:
            if self.product is None:
                self.saved = self.ctx.write(
                    products.create_product, self.key_edit.text(), self.name_edit.text(), vision
                )
            else:
                self.saved = self.ctx.write(
                    products.update_product,
                    self.product.id,
                    name=self.name_edit.text(),
                    vision=vision,
                )
        except KanbanError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        self.ctx.events.products_changed.emit()
        self.accept()
        return True

"""The dialog that adds or edits one stakeholder, including the products they follow."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.services.records import ProductInfo, StakeholderInfo
from kanban.ui.context import show_error
from kanban.ui.forms import ok_cancel

Save = Callable[[dict[str, Any]], object]


class StakeholderDialog(QDialog):
    """Name, role, organization, e-mail, contact, notes and followed products of a stakeholder.

    ``save`` receives the values (keyword arguments of ``add_stakeholder`` /
    ``update_stakeholder``) when the user presses OK; if it raises a KanbanError the dialog
    shows the error and stays open, so nothing typed is lost.
    """

    def __init__(
        self,
        products: Sequence[ProductInfo],
        save: Save,
        stakeholder: StakeholderInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.stakeholder = stakeholder
        self.setWindowTitle("Edit stakeholder" if stakeholder else "Add stakeholder")
        self.setMinimumWidth(460)

        self.name_edit = QLineEdit()
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText("e.g. Head of Sales")
        self.organization_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("maria@example.com: where status reports go")
        self.email_edit.setAccessibleName("E-mail")
        self.contact_edit = QLineEdit()
        self.contact_edit.setPlaceholderText("phone, chat, office…")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(80)
        self.products_list = QListWidget()
        self.products_list.setAccessibleName("Follows products")
        self.products_list.setMaximumHeight(140)
        followed = set(stakeholder.product_ids) if stakeholder else set()
        for product in products:
            archived = " — archived" if product.archived else ""
            entry = QListWidgetItem(f"{product.name} ({product.key}){archived}")
            entry.setData(Qt.ItemDataRole.UserRole, product.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = product.id in followed
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.products_list.addItem(entry)

        if stakeholder is not None:
            self.name_edit.setText(stakeholder.name)
            self.role_edit.setText(stakeholder.role)
            self.organization_edit.setText(stakeholder.organization)
            self.email_edit.setText(stakeholder.email)
            self.contact_edit.setText(stakeholder.contact)
            self.notes_edit.setPlainText(stakeholder.notes)

        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("&Role", self.role_edit)
        form.addRow("&Organization", self.organization_edit)
        form.addRow("&E-mail", self.email_edit)
        form.addRow("&Contact", self.contact_edit)
        form.addRow("No&tes", self.notes_edit)
        follows_label = QLabel("&Follows")
        follows_label.setBuddy(self.products_list)
        form.addRow(follows_label, self.products_list)

        self.buttons = ok_cancel(self)
        self.name_edit.textChanged.connect(self._update_ok)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def set_followed(self, product_id: int, followed: bool) -> None:
        """Check or uncheck a product in the Follows list."""
        for row in range(self.products_list.count()):
            entry = self.products_list.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == product_id:
                state = Qt.CheckState.Checked if followed else Qt.CheckState.Unchecked
                entry.setCheckState(state)

    def followed_ids(self) -> tuple[int, ...]:
        """The ids of the products checked in the Follows list."""
        return tuple(
            self.products_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.products_list.count())
            if self.products_list.item(row).checkState() == Qt.CheckState.Checked
        )

    def values(self) -> dict[str, Any]:
        """What the user entered, as keyword arguments of the stakeholder services."""
        return {
            "name": self.name_edit.text().strip(),
            "role": self.role_edit.text().strip(),
            "organization": self.organization_edit.text().strip(),
            "email": self.email_edit.text().strip(),
            "contact": self.contact_edit.text().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
            "product_ids": self.followed_ids(),
        }

    def accept(self) -> None:
        try:
            self._save(self.values())
        except KanbanError as error:
            show_error(self, error, self.windowTitle())
            return
        super().accept()

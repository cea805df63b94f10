"""The Stakeholders screen: who gets the status reports and which products they follow."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.services import people, products
from kanban.services.records import ProductInfo, StakeholderInfo
from kanban.ui.commands import people as commands
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import open_dialog
from kanban.ui.screen import Screen, heading_label
from kanban.ui.stakeholders.dialog import StakeholderDialog
from kanban.ui.stakeholders.model import StakeholderTableModel
from kanban.ui.table_model import RecordTableView


class StakeholdersScreen(Screen):
    """List, add, edit and archive stakeholders; every product they follow shows in the table."""

    title = "Stakeholders"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._products: list[ProductInfo] = []

        heading = heading_label("Stakeholders")

        self.add_button = QPushButton("&Add stakeholder…")
        self.add_button.clicked.connect(self.add_stakeholder)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button = QPushButton("A&rchive")
        self.archive_button.clicked.connect(self.toggle_archived)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(self.reload)

        self.model = StakeholderTableModel(self)
        self.table = RecordTableView(self.model, "stakeholders_table")
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((200, 180, 180, 220)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel(
            "No stakeholders yet. Add the people who receive your status reports."
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addStretch(1)
        bar.addWidget(self.show_archived)
        bar.addWidget(self.archive_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

        ctx.events.people_changed.connect(self.reload)
        ctx.events.products_changed.connect(self.reload)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the stakeholders and products again, keeping the selection."""
        selected = self.selected()
        try:
            self._products = self.ctx.read(products.list_products, include_archived=True)
            rows = self.ctx.read(
                people.list_stakeholders, include_archived=self.show_archived.isChecked()
            )
        except KanbanError as error:
            show_error(self, error)
            return
        self.model.set_rows(rows, {p.id: p.key for p in self._products})
        if selected is not None:
            self.select(selected.id)
        self.empty_label.setVisible(not rows)
        self._update_buttons()

    def selected(self) -> StakeholderInfo | None:
        """The stakeholder of the selected row, if any."""
        return self.table.selected_record()

    def select(self, stakeholder_id: int) -> bool:
        """Select a stakeholder's row; False when it is not shown."""
        return self.table.select_record(stakeholder_id)

    def _update_buttons(self) -> None:
        person = self.selected()
        self.edit_button.setEnabled(person is not None)
        self.archive_button.setEnabled(person is not None)
        self.archive_button.setText("Resto&re" if person and person.archived else "A&rchive")

    # --- writing -------------------------------------------------------------------------------

    def add_stakeholder(self) -> StakeholderDialog:
        """Open the dialog that adds a stakeholder (following the current product by default)."""
        dialog = StakeholderDialog(self._products, self._add, parent=self)
        if self.product is not None:
            dialog.set_followed(self.product.id, True)
        return open_dialog(dialog)

    def _add(self, values: dict[str, Any]) -> None:
        person = commands.add_stakeholder(self.ctx, values)
        self.select(person.id)

    def edit_selected(self) -> StakeholderDialog | None:
        """Open the dialog that edits the selected stakeholder."""
        person = self.selected()
        if person is None:
            return None
        dialog = StakeholderDialog(
            self._products,
            lambda values: commands.edit_stakeholder(self.ctx, person, values),
            stakeholder=person,
            parent=self,
        )
        return open_dialog(dialog)

    def toggle_archived(self) -> None:
        """Archive the selected stakeholder, or restore it when it is archived."""
        person = self.selected()
        if person is None:
            return
        try:
            commands.set_stakeholder_archived(self.ctx, person, not person.archived)
        except KanbanError as error:
            show_error(self, error)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()

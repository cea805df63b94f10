"""An item's links: to other items (blocks, is blocked by, relates to, duplicates) and to
outside resources (web pages, mail addresses, local files), which open without running
anything."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import LinkRole
from kanban.errors import KanbanError, ValidationError
from kanban.services import links
from kanban.services.links import Opening
from kanban.services.records import LinkInfo, ResourceInfo
from kanban.ui.commands.items import push
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import EnterLineEdit, open_dialog
from kanban.ui.refinement.commands import (
    AddResourceCommand,
    LinkCommand,
    RemoveResourceCommand,
    UnlinkCommand,
)

ROLE_ORDER = (
    LinkRole.BLOCKED_BY,
    LinkRole.BLOCKS,
    LinkRole.RELATES_TO,
    LinkRole.DUPLICATES,
    LinkRole.DUPLICATED_BY,
)

Opener = Callable[[QUrl], bool]


def open_resource(target: str, opener: Opener = QDesktopServices.openUrl) -> Opening:
    """Open a resource link the safe way (see :func:`kanban.services.links.how_to_open`):
    web and mail addresses and documents open, a folder opens, a program's folder is shown
    instead of the program; anything else opens nothing. Returns what was decided."""
    opening = links.how_to_open(target)
    if opening.action == "url":
        opener(QUrl(opening.location))
    elif opening.action in ("file", "folder"):
        opener(QUrl.fromLocalFile(opening.location))
    return opening


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setAccessibleName(name)
    tree.setStyleSheet("QTreeView::item { padding: 3px 8px 3px 0; }")
    return tree


class LinksPanel(QWidget):
    """The Links tab of the item editor."""

    def __init__(
        self,
        ctx: AppContext,
        item_id: int,
        product_id: int,
        open_item: Callable[[int], object] | None = None,
        opener: Opener = QDesktopServices.openUrl,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.product_id = product_id
        self.open_item = open_item
        self.opener = opener
        self.item_links: list[LinkInfo] = []
        self.resources: list[ResourceInfo] = []

        self.links_tree = _tree(["Link", "Item", "Title", "State"], "Linked items")
        self.links_tree.itemDoubleClicked.connect(lambda *_: self.open_selected_item())
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Link type")
        for role in ROLE_ORDER:
            self.role_combo.addItem(links.ROLE_LABELS[role].capitalize(), role.value)
        self.role_combo.setCurrentIndex(ROLE_ORDER.index(LinkRole.BLOCKED_BY))
        self.other_edit = EnterLineEdit()
        self.other_edit.setPlaceholderText("Item key, such as WEB-12 (type to search titles)")
        self.other_edit.setAccessibleName("Linked item")
        self._candidates = QStringListModel(self)
        completer = QCompleter(self._candidates, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.other_edit.setCompleter(completer)
        self.other_edit.returnPressed.connect(self.link)
        self._candidates_loaded = False
        self.link_button = QPushButton("Link")
        self.link_button.clicked.connect(self.link)
        self.unlink_button = QPushButton("Remove link")
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.open_item_button = QPushButton("Open item")
        self.open_item_button.clicked.connect(self.open_selected_item)

        adding = QHBoxLayout()
        adding.addWidget(self.role_combo)
        adding.addWidget(self.other_edit, 1)
        adding.addWidget(self.link_button)
        item_buttons = QHBoxLayout()
        item_buttons.addStretch(1)
        item_buttons.addWidget(self.open_item_button)
        item_buttons.addWidget(self.unlink_button)
        items_box = QGroupBox("Other items")
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.links_tree, 1)
        items_layout.addLayout(item_buttons)
        items_layout.addLayout(adding)

        self.resource_tree = _tree(["Title", "Where"], "Resource links")
        self.resource_tree.itemDoubleClicked.connect(lambda *_: self.open_selected_resource())
        self.title_edit = EnterLineEdit()
        self.title_edit.setPlaceholderText("Title (optional)")
        self.title_edit.setAccessibleName("Resource title")
        self.target_edit = EnterLineEdit()
        self.target_edit.setPlaceholderText(
            "https://…, mailto:…, or a local path such as ~/spec.pdf"
        )
        self.target_edit.setAccessibleName("Resource address")
        self.target_edit.returnPressed.connect(self.add_resource)
        self.add_resource_button = QPushButton("Add")
        self.add_resource_button.clicked.connect(self.add_resource)
        self.open_resource_button = QPushButton("Open")
        self.open_resource_button.setToolTip(
            "Web pages and documents open; a program is never run (its folder is shown)"
        )
        self.open_resource_button.clicked.connect(self.open_selected_resource)
        self.remove_resource_button = QPushButton("Remove")
        self.remove_resource_button.clicked.connect(self.remove_selected_resource)
        resource_adding = QHBoxLayout()
        resource_adding.addWidget(self.title_edit, 1)
        resource_adding.addWidget(self.target_edit, 2)
        resource_adding.addWidget(self.add_resource_button)
        resource_buttons = QHBoxLayout()
        resource_buttons.addStretch(1)
        resource_buttons.addWidget(self.open_resource_button)
        resource_buttons.addWidget(self.remove_resource_button)
        resources_box = QGroupBox("Resources")
        resources_layout = QVBoxLayout(resources_box)
        resources_layout.addWidget(self.resource_tree, 1)
        resources_layout.addLayout(resource_buttons)
        resources_layout.addLayout(resource_adding)

        hint = QLabel("Changes here are saved at once; Ctrl+Z undoes them.")
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(items_box, 3)
        layout.addWidget(resources_box, 2)
        layout.addWidget(hint)

        for tree in (self.links_tree, self.resource_tree):
            tree.itemSelectionChanged.connect(self._update_buttons)
        ctx.events.refinement_changed.connect(self._refinement_changed)
        ctx.events.external_change.connect(self.reload)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the item's links and resources again."""
        try:
            self.item_links = self.ctx.read(links.list_links, self.item_id)
            self.resources = self.ctx.read(links.list_resources, self.item_id)
        except KanbanError:  # the item went away under us
            self.item_links, self.resources = [], []
        self.links_tree.clear()
        for link in self.item_links:
            state = "done" if link.other_done else "not done"
            row = QTreeWidgetItem(
                [links.ROLE_LABELS[LinkRole(link.role)], link.other_key, link.other_title, state]
            )
            if link.role == LinkRole.BLOCKED_BY and not link.other_done:
                row.setForeground(3, Qt.GlobalColor.red)
            self.links_tree.addTopLevelItem(row)
        self.resource_tree.clear()
        for resource in self.resources:
            self.resource_tree.addTopLevelItem(
                QTreeWidgetItem([resource.title or resource.target, resource.target])
            )
        for tree in (self.links_tree, self.resource_tree):
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
        self._update_buttons()

    def _refinement_changed(self, item_ids: tuple[int, ...]) -> None:
        if not item_ids or self.item_id in item_ids:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load_candidates()

    def load_candidates(self) -> None:
        """Offer the product's items to the item field (read when first needed)."""
        if self._candidates_loaded:
            return
        self._candidates_loaded = True
        choices = self.ctx.read(links.link_candidates, self.product_id)
        self._candidates.setStringList([f"{key} {title}" for key, title in choices])

    def _update_buttons(self) -> None:
        has_link = self._selected_link() is not None
        self.unlink_button.setEnabled(has_link)
        self.open_item_button.setEnabled(has_link and self.open_item is not None)
        has_resource = self._selected_resource() is not None
        self.open_resource_button.setEnabled(has_resource)
        self.remove_resource_button.setEnabled(has_resource)

    def _selected_link(self) -> LinkInfo | None:
        row = self.links_tree.currentItem()
        if row is None or not row.isSelected():
            return None
        return self.item_links[self.links_tree.indexOfTopLevelItem(row)]

    def _selected_resource(self) -> ResourceInfo | None:
        row = self.resource_tree.currentItem()
        if row is None or not row.isSelected():
            return None
        return self.resources[self.resource_tree.indexOfTopLevelItem(row)]

    # --- actions -------------------------------------------------------------------------------

    def link(self) -> bool:
        """Link this item to the one the field names (its key is the first word)."""
        text = self.other_edit.text().strip()
        if not text:
            return False
        command = LinkCommand(
            self.ctx, self.item_id, self.role_combo.currentData(), text.split()[0]
        )
        if push(self.ctx, command):
            self.other_edit.clear()
            return True
        return False

    def unlink_selected(self) -> bool:
        """Remove the selected link (undoable)."""
        link = self._selected_link()
        return link is not None and push(self.ctx, UnlinkCommand(self.ctx, self.item_id, link))

    def open_selected_item(self) -> None:
        """Open the linked item's editor."""
        link = self._selected_link()
        if link is not None and self.open_item is not None:
            self.open_item(link.other_id)

    def add_resource(self) -> bool:
        """Add the resource link the fields describe."""
        target = self.target_edit.text().strip()
        if not target:
            return False
        command = AddResourceCommand(self.ctx, self.item_id, target, self.title_edit.text())
        if push(self.ctx, command):
            self.target_edit.clear()
            self.title_edit.clear()
            return True
        return False

    def remove_selected_resource(self) -> bool:
        """Remove the selected resource link (undoable)."""
        resource = self._selected_resource()
        return resource is not None and push(self.ctx, RemoveResourceCommand(self.ctx, resource))

    def open_selected_resource(self) -> Opening | None:
        """Open the selected resource without running anything; say so when a program's folder
        was shown instead, or why nothing opened."""
        resource = self._selected_resource()
        if resource is None:
            return None
        opening = open_resource(resource.target, self.opener)
        if opening.action == "refused":
            show_error(self, ValidationError(opening.message))
        elif opening.message:
            box = QMessageBox(QMessageBox.Icon.Information, "kanban", opening.message, parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            open_dialog(box)
        return opening

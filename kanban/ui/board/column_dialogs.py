"""Board column menus and dialogs: add, rename, WIP limit, reorder, delete; each pushes its
undoable command."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import plural
from kanban.services.records import ColumnInfo
from kanban.ui.commands.columns import (
    AddColumnCommand,
    DeleteColumnCommand,
    MoveColumnCommand,
    RenameColumnCommand,
    SetWipLimitCommand,
)
from kanban.ui.commands.items import push
from kanban.ui.context import AppContext
from kanban.ui.forms import ok_cancel, open_dialog

CATEGORIES = (
    ("doing", "In progress (work started)"),
    ("todo", "To do (committed, not started)"),
    ("backlog", "Backlog (not committed)"),
    ("done", "Done (finished)"),
)


def _wip_spin(value: int | None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 9999)
    spin.setSpecialValueText("No limit")
    spin.setValue(value or 0)
    spin.setAccessibleName("WIP limit")
    return spin


class AddColumnDialog(QDialog):
    """Name, category and WIP limit of a new column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add column")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Review")
        self.category_combo = QComboBox()
        for value, text in CATEGORIES:
            self.category_combo.addItem(text, value)
        self.wip_spin = _wip_spin(None)
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("&Kind of work", self.category_combo)
        form.addRow("&WIP limit", self.wip_spin)
        self.buttons = ok_cancel(self)
        self.name_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def values(self) -> tuple[str, str, int | None]:
        """The name, category and WIP limit (None: no limit) entered."""
        return (
            self.name_edit.text().strip(),
            str(self.category_combo.currentData()),
            self.wip_spin.value() or None,
        )


class WipLimitDialog(QDialog):
    """A column's WIP limit (0 = no limit)."""

    def __init__(self, column: ColumnInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"WIP limit of {column.name}")
        self.wip_spin = _wip_spin(column.wip_limit)
        label = QLabel("Most cards this column should hold at once:")
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.wip_spin)
        layout.addWidget(buttons)

    def limit(self) -> int | None:
        """The limit chosen; None for no limit."""
        return self.wip_spin.value() or None


class DeleteColumnDialog(QDialog):
    """Confirm deleting a column and choose where its cards go (archived ones too)."""

    def __init__(
        self,
        column: ColumnInfo,
        card_count: int,
        others: Sequence[ColumnInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Delete column {column.name}")
        layout = QVBoxLayout(self)
        if card_count:
            them = "it" if card_count == 1 else "them"
            text = f"“{column.name}” holds {plural(card_count, 'card')}. Move {them} to:"
        else:
            text = f"Delete the column “{column.name}”? Archived cards in it, if any, move to:"
        message = QLabel(text)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.target_combo = QComboBox()
        self.target_combo.setAccessibleName("Move cards to")
        for other in others:
            self.target_combo.addItem(other.name, other.id)
        layout.addWidget(self.target_combo)
        buttons = ok_cancel(self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Delete column")
        layout.addWidget(buttons)

    def target(self) -> int | None:
        """The column the cards go to (None when there is no other column)."""
        data = self.target_combo.currentData()
        return int(data) if data is not None else None


def column_menu(
    parent: QWidget,
    ctx: AppContext,
    columns: Sequence[ColumnInfo],
    column: ColumnInfo,
    card_count: int,
) -> QMenu:
    """The menu of a column header; ``card_count``: the live cards in it."""
    position = [c.id for c in columns].index(column.id)
    menu = QMenu(parent)
    menu.addAction("Rename…").triggered.connect(lambda: open_rename_dialog(parent, ctx, column))
    menu.addAction("Set WIP limit…").triggered.connect(lambda: open_wip_dialog(parent, ctx, column))
    left = menu.addAction("Move left")
    left.setEnabled(position > 0)
    left.triggered.connect(lambda: push(ctx, MoveColumnCommand(ctx, column, position - 1)))
    right = menu.addAction("Move right")
    right.setEnabled(position < len(columns) - 1)
    right.triggered.connect(lambda: push(ctx, MoveColumnCommand(ctx, column, position + 1)))
    menu.addSeparator()
    menu.addAction("Add column after…").triggered.connect(
        lambda: open_add_dialog(parent, ctx, column.product_id, position + 1)
    )
    others = [c for c in columns if c.id != column.id]
    delete = menu.addAction("Delete column…")
    delete.setEnabled(bool(others))
    delete.triggered.connect(lambda: open_delete_dialog(parent, ctx, column, others, card_count))
    return menu


def open_add_dialog(
    parent: QWidget, ctx: AppContext, product_id: int, position: int | None = None
) -> AddColumnDialog:
    """Ask for a new column's name, kind and WIP limit; OK adds it at ``position`` (default:
    before the first "done" column)."""
    dialog = AddColumnDialog(parent)

    def add() -> None:
        name, category, wip = dialog.values()
        push(ctx, AddColumnCommand(ctx, product_id, name, category, wip, position))

    dialog.accepted.connect(add)
    return open_dialog(dialog)


def open_rename_dialog(parent: QWidget, ctx: AppContext, column: ColumnInfo) -> QInputDialog:
    """Ask for a column's new name; OK renames it."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Rename column")
    dialog.setLabelText("Column name:")
    dialog.setTextValue(column.name)

    def rename(name: str) -> None:
        if name.strip() != column.name:
            push(ctx, RenameColumnCommand(ctx, column, name.strip()))

    dialog.textValueSelected.connect(rename)
    return open_dialog(dialog)


def open_wip_dialog(parent: QWidget, ctx: AppContext, column: ColumnInfo) -> WipLimitDialog:
    """Ask for a column's WIP limit; OK sets it."""
    dialog = WipLimitDialog(column, parent)

    def set_limit() -> None:
        if dialog.limit() != column.wip_limit:
            push(ctx, SetWipLimitCommand(ctx, column, dialog.limit()))

    dialog.accepted.connect(set_limit)
    return open_dialog(dialog)


def open_delete_dialog(
    parent: QWidget,
    ctx: AppContext,
    column: ColumnInfo,
    others: Sequence[ColumnInfo],
    card_count: int,
) -> DeleteColumnDialog:
    """Confirm deleting a column and choose where its cards go; OK deletes it."""
    dialog = DeleteColumnDialog(column, card_count, others, parent)
    dialog.accepted.connect(lambda: push(ctx, DeleteColumnCommand(ctx, column, dialog.target())))
    return open_dialog(dialog)

"""Dialogs for board columns: add one, set a WIP limit, delete one (moving its cards)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kanban.services.records import ColumnInfo

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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
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
            noun = "card" if card_count == 1 else "cards"
            text = f"“{column.name}” holds {card_count} {noun}. Move them to:"
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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Delete column")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def target(self) -> int | None:
        """The column the cards go to (None when there is no other column)."""
        data = self.target_combo.currentData()
        return int(data) if data is not None else None

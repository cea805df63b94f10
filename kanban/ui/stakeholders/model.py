"""The table of stakeholders: one row per person, plain text cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from kanban.services.records import StakeholderInfo
from kanban.ui.table_model import RecordTableModel

HEADERS = ("Name", "Role", "Organization", "E-mail", "Contact", "Follows")


class StakeholderTableModel(RecordTableModel[StakeholderInfo]):
    """Stakeholders as rows; ``product_keys`` maps product ids to the keys shown in Follows."""

    HEADERS = HEADERS

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)
        self._product_keys: Mapping[int, str] = {}

    def set_rows(
        self, rows: Sequence[StakeholderInfo], product_keys: Mapping[int, str] | None = None
    ) -> None:
        """Show another list (a few hundred rows at most: a reset is cheap); ``product_keys``
        replaces the keys shown in Follows (None keeps them)."""
        if product_keys is not None:
            self._product_keys = dict(product_keys)
        super().set_rows(rows)

    def follows(self, person: StakeholderInfo) -> str:
        """The keys of the products a stakeholder follows, comma separated."""
        return ", ".join(sorted(self._product_keys.get(p, f"#{p}") for p in person.product_ids))

    def cell(self, person: StakeholderInfo, column: int, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (
                person.name,
                person.role,
                person.organization,
                person.email,
                person.contact,
                self.follows(person),
            )[column]
            if column == 0 and person.archived:
                text += " (archived)"
            if role == Qt.ItemDataRole.ToolTipRole:
                # The name's tooltip shows the notes; other cells show their (maybe cut) text.
                return (person.notes if column == 0 else text) or None
            return text
        if role == Qt.ItemDataRole.ForegroundRole and person.archived:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and person.archived:
            font = QFont()
            font.setItalic(True)
            return font
        return None

"""The table of stakeholders: one row per person, plain text cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from kanban.services.records import StakeholderInfo

HEADERS = ("Name", "Role", "Organization", "Contact", "Follows")
STAKEHOLDER_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


class StakeholderTableModel(QAbstractTableModel):
    """Stakeholders as rows; ``product_keys`` maps product ids to the keys shown in Follows."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[StakeholderInfo] = []
        self._product_keys: Mapping[int, str] = {}

    def set_rows(self, rows: Sequence[StakeholderInfo], product_keys: Mapping[int, str]) -> None:
        """Show another list (a few hundred rows at most: a reset is cheap)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._product_keys = dict(product_keys)
        self.endResetModel()

    def stakeholder(self, row: int) -> StakeholderInfo:
        """The stakeholder shown in a row."""
        return self._rows[row]

    def row_of(self, stakeholder_id: int) -> int:
        """The row showing a stakeholder, or -1."""
        return next((r for r, s in enumerate(self._rows) if s.id == stakeholder_id), -1)

    def follows(self, person: StakeholderInfo) -> str:
        """The keys of the products a stakeholder follows, comma separated."""
        return ", ".join(sorted(self._product_keys.get(p, f"#{p}") for p in person.product_ids))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (
                person.name,
                person.role,
                person.organization,
                person.contact,
                self.follows(person),
            )[column]
            if column == 0 and person.archived:
                text += " (archived)"
            if role == Qt.ItemDataRole.ToolTipRole:
                # The name's tooltip shows the notes; other cells show their (maybe cut) text.
                return (person.notes if column == 0 else text) or None
            return text
        if role == STAKEHOLDER_ROLE:
            return person.id
        if role == Qt.ItemDataRole.ForegroundRole and person.archived:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and person.archived:
            font = QFont()
            font.setItalic(True)
            return font
        return None

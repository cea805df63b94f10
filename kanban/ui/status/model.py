"""The log of a product's status updates as a table: date, health, headline."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kanban.services.records import StatusUpdateInfo
from kanban.ui.status.health import health_label

HEADERS = ("Date", "Health", "Headline")
DATE_COLUMN, HEALTH_COLUMN, HEADLINE_COLUMN = range(3)
UPDATE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


class StatusUpdateTableModel(QAbstractTableModel):
    """Status updates in the order given (the service lists them newest first).

    The Health column's EditRole is the raw value (``at_risk``) the pill delegate paints;
    its DisplayRole is the words, for accessibility and copying.
    """

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[StatusUpdateInfo] = []

    def set_rows(self, rows: Sequence[StatusUpdateInfo]) -> None:
        """Show another product's log (tens of rows: a reset is cheap)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update(self, row: int) -> StatusUpdateInfo:
        """The status update shown in a row."""
        return self._rows[row]

    def row_of(self, update_id: int) -> int:
        """The row showing a status update, or -1."""
        return next((r for r, u in enumerate(self._rows) if u.id == update_id), -1)

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
        update = self._rows[index.row()]
        column = index.column()
        if role == UPDATE_ID_ROLE:
            return update.id
        if role == Qt.ItemDataRole.EditRole and column == HEALTH_COLUMN:
            return update.health
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DATE_COLUMN:
                return update.created_at.date().isoformat()
            if column == HEALTH_COLUMN:
                return health_label(update.health)
            return update.headline or "(no headline)"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DATE_COLUMN:
                return f"Period {update.period_start} to {update.period_end}"
            if column == HEADLINE_COLUMN:
                return update.headline or None
        return None

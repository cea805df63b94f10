"""The log of a product's status updates as a table: date, health, headline."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kanban.services.records import StatusUpdateInfo
from kanban.ui.status.health import health_label
from kanban.ui.table_model import RecordTableModel

HEADERS = ("Date", "Health", "Headline")
DATE_COLUMN, HEALTH_COLUMN, HEADLINE_COLUMN = range(3)


class StatusUpdateTableModel(RecordTableModel[StatusUpdateInfo]):
    """Status updates in the order given (the service lists them newest first).

    The Health column's EditRole is the raw value (``at_risk``) the pill delegate paints;
    its DisplayRole is the words, for accessibility and copying.
    """

    HEADERS = HEADERS

    def cell(self, update: StatusUpdateInfo, column: int, role: int) -> object:
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

"""A read-only table over a short list of records that each have an ``id``: model and view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex


class _Record(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_Record)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Records as rows and ``HEADERS`` as columns; a subclass answers :meth:`cell`.

    The owner hands it a fresh list after each read or filter: the tables hold tens to hundreds
    of rows, so a reset is cheap.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show these records, in this order."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> R:
        """The record shown on a row."""
        return self._rows[row]

    def row_of(self, record_id: int) -> int:
        """The row showing the record with this id, or -1."""
        return next((r for r, record in enumerate(self._rows) if record.id == record_id), -1)

    def cell(self, record: R, column: int, role: int) -> Any:
        """What a cell of ``record`` shows in ``role`` (None for nothing)."""
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)


class RecordTableView(QTableView, Generic[R]):
    """A view of a :class:`RecordTableModel`: whole rows, one at a time, read-only, no row
    numbers."""

    def __init__(
        self, model: RecordTableModel[R], object_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setModel(model)
        self._records = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()

    def selected_record(self) -> R | None:
        """The record of the selected row, if any."""
        rows = self.selectionModel().selectedRows()
        return self._records.record(rows[0].row()) if rows else None

    def select_record(self, record_id: int) -> bool:
        """Select (and scroll to) a record's row; False when it is not shown."""
        row = self._records.row_of(record_id)
        if row >= 0:
            self.selectRow(row)
            self.scrollTo(self._records.index(row, 0))
        return row >= 0

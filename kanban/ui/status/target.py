"""A product's target date on the Status screen: the history of the date as a sentence, a
small chart and a table, and the dialog that sets the target (with a reason when it moves)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.charts.forecast import target_history_chart
from kanban.charts.palette import palette_for
from kanban.errors import KanbanError
from kanban.metrics.history import DateHistory, long_day
from kanban.reports.text import HISTORY_HEADER, history_rows
from kanban.services.records import ProductInfo
from kanban.services.targets import set_target
from kanban.ui.charts.view import ChartView
from kanban.ui.context import AppContext
from kanban.ui.forms import error_label, ok_cancel

REASON_COLUMN = len(HISTORY_HEADER) - 1


CHART_HEIGHT = 230
"""The small chart of the target and the forecasts, in pixels."""


class DateHistoryView(QWidget):
    """The target's history: one sentence (when the slip began), a small chart of the target
    and the 50%/85% forecasts over time, then one row per target change and per status
    update, oldest first. Plain text only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: DateHistory | None = None
        self.chart = ChartView()
        self.chart.setObjectName("date_history_chart")
        self.chart.setMinimumSize(240, CHART_HEIGHT)
        self.chart.setMaximumHeight(CHART_HEIGHT)
        self.sentence = QLabel()
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("Target date history")
        self.table = QTableWidget(0, len(HISTORY_HEADER))
        self.table.setObjectName("date_history_table")
        self.table.setHorizontalHeaderLabels(list(HISTORY_HEADER))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sentence)
        layout.addWidget(self.chart)
        layout.addWidget(self.table)

    def show_history(self, history: DateHistory) -> None:
        """Show a date history (the newest row scrolled into view)."""
        self.history = history
        self.sentence.setText(history.sentence())
        self._draw()
        rows = history_rows(history)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(r, c, cell)
        self.table.setVisible(bool(rows))
        if rows:
            self.table.scrollToBottom()

    def _draw(self) -> None:
        """The chart, in the window's light or dark palette; hidden while nothing is dated."""
        rows = self.history.rows if self.history is not None else ()
        dated = any(r.target or r.forecast_p50 or r.forecast_p85 for r in rows)
        self.chart.setVisible(dated)
        if dated:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            self.chart.show_chart(target_history_chart(rows, palette_for(dark), title=""))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        shown = self.chart.shown
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            if shown is not None and shown.chart_palette != palette_for(dark):
                self._draw()

    def rows(self) -> list[tuple[str, ...]]:
        """The table's cells as text, row by row."""
        return [
            tuple(self._text(r, c) for c in range(self.table.columnCount()))
            for r in range(self.table.rowCount())
        ]

    def _text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text() if cell is not None else ""


class TargetDialog(QDialog):
    """Set (or clear) a product's target date; a target that moves needs a reason."""

    def __init__(
        self,
        ctx: AppContext,
        product: ProductInfo,
        current: dt.date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product = product
        self.current = current
        self.saved: DateHistory | None = None
        self.setWindowTitle(f"Target date — {product.name}")
        self.setMinimumWidth(460)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        start = current or dt.date.today() + dt.timedelta(weeks=12)
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.none_box = QCheckBox("No target date")
        self.none_box.toggled.connect(self.date_edit.setDisabled)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setPlaceholderText(
            "Why it moves (stakeholders read this beside the slip)"
            if current
            else "Where the date comes from (optional for a first target)"
        )
        now = QLabel(f"Now: {long_day(current)}" if current else "Now: no target date")
        now.setTextFormat(Qt.TextFormat.PlainText)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(now)
        form.addRow("&Target", self.date_edit)
        form.addRow("", self.none_box)
        form.addRow("&Reason", self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self))
        self.reason_edit.setFocus()

    def chosen(self) -> dt.date | None:
        """The target the dialog would set (None: no target)."""
        if self.none_box.isChecked():
            return None
        value = self.date_edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def set_chosen(self, target: dt.date | None) -> None:
        """Choose a target, as the user would."""
        self.none_box.setChecked(target is None)
        if target is not None:
            self.date_edit.setDate(QDate(target.year, target.month, target.day))

    def accept(self) -> None:
        try:
            self.saved = self.ctx.write(
                set_target, self.product.id, self.chosen(), self.reason_edit.text()
            )
        except KanbanError as error:  # e.g. a move without a reason: say so, keep the input
            self.error.setText(str(error))
            self.error.show()
            return
        self.ctx.events.status_changed.emit(self.product.id)
        super().accept()

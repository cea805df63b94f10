"""The backlog table view: rows dragged to reorder, and the next-sprint line painted on top."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kanban.ui.backlog.model import (
    HEADERS,
    KEY,
    KIND,
    LABELS,
    POINTS,
    READY,
    REQUESTER,
    SPRINT,
    STATUS,
    TITLE,
    TOTAL,
    VALUE,
)

COLUMN_WIDTHS = {
    KEY: 72,
    KIND: 80,
    POINTS: 58,
    TOTAL: 72,
    VALUE: 56,
    LABELS: 130,
    REQUESTER: 118,
    SPRINT: 86,
    STATUS: 100,
    READY: 84,
}


class BacklogView(QTableView):
    """A table of cards. ``line_row`` (when not None) is the first row that does not fit in the
    next sprint: a line with ``line_text`` is painted above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_row: int | None = None
        self.line_text = ""
        self.setObjectName("backlog_table")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropOverwriteMode(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )

    def size_columns(self) -> None:
        """Fixed widths for the short columns; the title takes the rest."""
        header = self.horizontalHeader()
        for column in range(len(HEADERS)):
            if column == TITLE:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(column, COLUMN_WIDTHS[column])

    def set_line(self, row: int | None, text: str = "") -> None:
        """Mark the next-sprint boundary above ``row`` (None: no line)."""
        if (row, text) != (self.line_row, self.line_text):
            self.line_row, self.line_text = row, text
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.line_row is None or model is None or not 0 <= self.line_row <= model.rowCount():
            return
        if self.line_row < model.rowCount():
            y = self.rowViewportPosition(self.line_row)
        else:
            last = model.rowCount() - 1
            y = self.rowViewportPosition(last) + self.rowHeight(last)
        painter = QPainter(self.viewport())
        color = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, 2, Qt.PenStyle.DashLine))
        width = self.viewport().width()
        painter.drawLine(QPoint(0, y), QPoint(width, y))
        if self.line_text:
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 0.85)
            font.setBold(True)
            painter.setFont(font)
            metrics = painter.fontMetrics()
            box = QRect(0, 0, metrics.horizontalAdvance(self.line_text) + 16, metrics.height() + 2)
            box.moveBottomRight(QPoint(width - 8, y + box.height() // 2))
            painter.fillRect(box, color)
            painter.setPen(self.palette().color(QPalette.ColorRole.HighlightedText))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.line_text)
        painter.end()

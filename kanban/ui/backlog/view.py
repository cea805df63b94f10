"""The backlog table view: rows dragged to reorder, and the next-sprint line painted on top."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kanban.ui.backlog.model import (
    HEADERS,
    KEY,
    KIND,
    LABELS,
    POINTS,
    READY,
    REQUESTER,
    RICE,
    SCORE_COLUMNS,
    SPRINT,
    STATUS,
    TITLE,
    TOTAL,
    VALUE,
    WSJF,
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
    WSJF: 64,
    RICE: 72,
}


FLEXIBLE = (LABELS, REQUESTER, SPRINT)
"""Columns that give up width to the title when the window is narrow (down to FLEXIBLE_MIN):
at 1280 pixels the title keeps about a third of the table beside Σ Points and Ready."""
FLEXIBLE_MIN = 72
TITLE_SHARE = 0.45
"""The share of the table's width the title gets before the flexible columns shrink."""


class BacklogView(QTableView):
    """A table of cards. ``line_row`` (when not None) is the first row that does not fit in the
    next sprint: a line with ``line_text`` is painted above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # WORKAROUND: PySide wraps a QWidget made in C++ (the view's own viewport) by setting
        # up every QWidget subclass it knows first, ~20 ms at the first viewport() of the
        # process, on the first screen's way to its first paint; a viewport made here is
        # wrapped already. As Qt sets up its own: named, on the Base colour, filled.
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
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
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # "Requested…"
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
        self.fit_columns()

    def fit_columns(self) -> None:
        """Narrow the FLEXIBLE columns (down to FLEXIBLE_MIN) while the title would get less
        than TITLE_SHARE of the table: on a 1280-pixel screen the title is what one reads;
        they take their full width back when there is room."""
        room = self.viewport().width()
        fixed = sum(
            w for c, w in COLUMN_WIDTHS.items() if c not in FLEXIBLE and not self.isColumnHidden(c)
        )
        wanted = sum(COLUMN_WIDTHS[c] for c in FLEXIBLE)
        spare = room - fixed - int(room * TITLE_SHARE)
        scale = min(1.0, max(spare, 0) / wanted)
        for column in FLEXIBLE:
            width = max(FLEXIBLE_MIN, int(COLUMN_WIDTHS[column] * scale))
            if self.columnWidth(column) != width:
                self.setColumnWidth(column, width)

    def show_scores(self, methods: Collection[str]) -> None:
        """Show the score columns of these methods, hide the others."""
        for column, method in SCORE_COLUMNS.items():
            self.setColumnHidden(column, method not in methods)
        self.fit_columns()

    def show_sorted(self, column: int | None, descending: bool = True) -> None:
        """Mark the header of the column the view is sorted by (None: rank order)."""
        header = self.horizontalHeader()
        header.setSortIndicatorShown(column is not None)
        if column is not None:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(column, order)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def set_line(self, row: int | None, text: str = "") -> None:
        """Mark the next-sprint boundary above ``row`` (None: no line)."""
        if (row, text) != (self.line_row, self.line_text):
            self.line_row, self.line_text = row, text
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        y = self._line_y()
        if y is None:
            return
        painter = QPainter(self.viewport())
        color = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, 2, Qt.PenStyle.DashLine))
        width = self.viewport().width()
        painter.drawLine(QPoint(0, y), QPoint(width, y))
        box = self.line_label_rect()
        if box is not None:
            painter.setFont(self._label_font())
            painter.fillRect(box, color)
            painter.setPen(self.palette().color(QPalette.ColorRole.HighlightedText))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.line_text)
        painter.end()

    def _line_y(self) -> int | None:
        model = self.model()
        if self.line_row is None or model is None or not 0 <= self.line_row <= model.rowCount():
            return None
        if self.line_row < model.rowCount():
            return self.rowViewportPosition(self.line_row)
        last = model.rowCount() - 1
        return self.rowViewportPosition(last) + self.rowHeight(last)

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setBold(True)
        return font

    def line_label_rect(self) -> QRect | None:
        """Where the line's label is drawn: at the line's right end, centred on it, but never
        above the viewport's top (a line above the first row kept only half its label)."""
        y = self._line_y()
        if y is None or not self.line_text:
            return None
        metrics = QFontMetrics(self._label_font())
        box = QRect(0, 0, metrics.horizontalAdvance(self.line_text) + 16, metrics.height() + 2)
        box.moveBottomRight(QPoint(self.viewport().width() - 8, y + box.height() // 2))
        if box.top() < 0:
            box.moveTop(0)
        return box

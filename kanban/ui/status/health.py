"""A status update's health: its words and colours, and the coloured pill that shows it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kanban.reports import text

# The report's words and colours, so the pill matches the exported report.
HEALTH_LABELS = text.HEALTH_LABELS
HEALTH_COLORS = text.HEALTH_COLOURS
PILL_PADDING = 8


def health_label(health: str) -> str:
    """The words for a health value (the raw value if it is unknown)."""
    return HEALTH_LABELS.get(health, health)


class HealthPillDelegate(QStyledItemDelegate):
    """Paints a health value (the index's EditRole data) as a rounded, coloured pill."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        health = index.data(Qt.ItemDataRole.EditRole)
        text = health_label(str(health or ""))
        # Draw the cell's background and selection as usual, without its text.
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        if not health:
            return
        background = HEALTH_COLORS.get(str(health), HEALTH_COLORS["unknown"])
        metrics = QFontMetrics(option.font)
        width = metrics.horizontalAdvance(text) + 2 * PILL_PADDING
        height = metrics.height() + 4
        rect = QRectF(
            option.rect.x() + 4,
            option.rect.y() + (option.rect.height() - height) / 2,
            min(width, option.rect.width() - 8),
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(option.font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        width = metrics.horizontalAdvance("Off track") + 2 * PILL_PADDING + 8
        return QSize(max(hint.width(), width), max(hint.height(), metrics.height() + 8))

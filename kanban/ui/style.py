"""The proxy style a dark palette needs: Fusion, with item views' check boxes framed visibly."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

DARK_CHECK_WINDOW = QColor("#8e949d")
"""The window colour Fusion is handed for an item view's check box on a dark base: it draws the
box's frame a shade darker than the window (#6f747b here), which on the dark palette's window
would be the base's own colour, so the boxes of a checklist could not be seen."""


class KanbanStyle(QProxyStyle):
    """Fusion, with the check boxes of item views (checklists, rules) framed visibly on a
    dark palette."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if (
            element == QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck
            and option.palette.color(QPalette.ColorRole.Base).lightness() < 128
        ):
            framed: Any = QStyleOption(option)
            palette = QPalette(option.palette)
            palette.setColor(QPalette.ColorRole.Window, DARK_CHECK_WINDOW)
            framed.palette = palette
            option = framed
        super().drawPrimitive(element, option, painter, widget)

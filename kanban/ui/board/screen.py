"""The Board screen (placeholder until its engineer lands it)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kanban.ui.context import AppContext
from kanban.ui.screen import Screen


class BoardScreen(Screen):
    """The Board page."""

    title = "Board"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Board"))

"""What an empty backlog shows instead of an empty table: how to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kanban.ui.screen import heading_label


class EmptyBacklogHint(QFrame):
    """ "This backlog is empty": add an item, load the sample products, or import an export."""

    sample_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_backlog")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = heading_label("This backlog is empty")
        text = QLabel(
            "Type a title in the line below and press Enter to add the first item. "
            "To look around first, load the sample products: a web shop and a mobile app, "
            "with eight weeks of history, sprints, questions and status updates. "
            "Or import a kanban export (JSON) as a new database file."
        )
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setMaximumWidth(620)
        self.sample_button = QPushButton("&Load the sample")
        self.sample_button.setDefault(True)
        self.sample_button.clicked.connect(self.sample_requested)
        self.import_button = QPushButton("&Import…")
        self.import_button.clicked.connect(self.import_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(12)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addStretch(2)

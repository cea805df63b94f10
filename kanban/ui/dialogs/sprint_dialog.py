"""Create a sprint: name, goal and dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.services import sprints
from kanban.services.records import SprintInfo
from kanban.ui.context import AppContext
from kanban.ui.forms import SAVE, error_label, ok_cancel

SPRINT_DAYS = 14


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


class SprintDialog(QDialog):
    """Plan a new sprint of the current product; ``created`` holds it after saving."""

    def __init__(self, ctx: AppContext, product_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.created: SprintInfo | None = None
        self.setWindowTitle("New sprint")
        existing = ctx.read(sprints.list_sprints, product_id)

        self.name_edit = QLineEdit(f"Sprint {len(existing) + 1}")
        self.goal_edit = QPlainTextEdit()
        self.goal_edit.setPlaceholderText("What the sprint should achieve")
        self.goal_edit.setFixedHeight(80)
        start = _next_monday(dt.date.today())
        self.start_edit = _date_edit(start)
        self.end_edit = _date_edit(start + dt.timedelta(days=SPRINT_DAYS - 1))
        self.error_label = error_label()

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Goal", self.goal_edit)
        form.addRow("Starts", self.start_edit)
        form.addRow("Ends", self.end_edit)
        self.buttons = ok_cancel(self, SAVE, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def save(self) -> bool:
        """Create the sprint; keep the dialog open with the reason when it cannot be."""
        try:
            self.created = self.ctx.write(
                sprints.create_sprint,
                self.product_id,
                self.name_edit.text(),
                goal=self.goal_edit.toPlainText().strip(),
                start_date=self.start_edit.date().toPython(),
                end_date=self.end_edit.date().toPython(),
            )
        except KanbanError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        self.ctx.events.sprints_changed.emit(self.product_id)
        self.accept()
        return True


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit

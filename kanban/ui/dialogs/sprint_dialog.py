"""Create a sprint: name, goal and dates (offered after the last sprint; an overlap asks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError, OverlapError
from kanban.services import sprints
from kanban.services.records import SprintInfo
from kanban.ui.context import AppContext
from kanban.ui.forms import SAVE, error_label, ok_cancel, open_dialog


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
        self.ask: QMessageBox | None = None  # "overlaps Sprint 1: plan it anyway?"
        start, end = ctx.read(sprints.next_sprint_dates, product_id)
        self.start_edit = date_edit(start)
        self.end_edit = date_edit(end)
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

    def save(self, allow_overlap: bool = False) -> bool:
        """Create the sprint; keep the dialog open with the reason when it cannot be (dates
        that overlap another sprint's ask first)."""
        try:
            self.created = self.ctx.write(
                sprints.create_sprint,
                self.product_id,
                self.name_edit.text(),
                goal=self.goal_edit.toPlainText().strip(),
                start_date=day_of(self.start_edit),
                end_date=day_of(self.end_edit),
                allow_overlap=allow_overlap,
            )
        except OverlapError as error:
            self.ask = ask_overlap(self, error, "Plan it anyway?", lambda: self.save(True))
            return False
        except KanbanError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        self.ctx.events.sprints_changed.emit(self.product_id)
        self.accept()
        return True


def ask_overlap(
    parent: QWidget, error: OverlapError, question: str, go_on: Callable[[], object]
) -> QMessageBox:
    """Ask whether to go on with dates that overlap other sprints (non-blocking): Yes calls
    ``go_on``."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Sprints overlap",
        f"{error}. {question}",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.accepted.connect(go_on)
    return open_dialog(box)


def qdate(day: dt.date) -> QDate:
    """A date as Qt holds it."""
    return QDate(day.year, day.month, day.day)


def day_of(edit: QDateEdit) -> dt.date:
    """The date a date field shows."""
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def date_edit(day: dt.date) -> QDateEdit:
    """A date field with a calendar, ISO 8601."""
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit

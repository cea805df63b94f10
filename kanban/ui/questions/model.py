"""A light table model over a list of questions (already filtered and ordered)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kanban.services.records import QuestionInfo

QUESTION_ROLE = Qt.ItemDataRole.UserRole + 1

URGENCY, AGE, STATE, ASKER, ITEM, TEXT, ANSWER = range(7)
HEADERS = ("Urgency", "Age", "State", "Asked by", "Item", "Question", "Answer")

URGENCY_COLORS = {"critical": QColor("#c62828"), "high": QColor("#e65100")}
STATE_COLORS = {"answered": QColor("#2e7d32"), "obsolete": QColor("#757575")}

AnyIndex = QModelIndex | QPersistentModelIndex


def age_days(asked_at: dt.datetime, now: dt.datetime) -> int:
    """Whole days between asking and ``now`` (both naive UTC)."""
    return max((now - asked_at).days, 0)


def age_text(days: int) -> str:
    """A question's age as people say it."""
    if days == 0:
        return "today"
    return "1 day" if days == 1 else f"{days} days"


def one_line(text: str) -> str:
    """Text folded onto one line for a table cell."""
    return " ".join(text.split())


class QuestionsModel(QAbstractTableModel):
    """Rows of questions; the owner hands it a fresh list after each read or filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[QuestionInfo] = []
        self._now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def set_questions(self, rows: Sequence[QuestionInfo]) -> None:
        """Show these questions, in this order."""
        self.beginResetModel()
        self._rows = list(rows)
        self._now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.endResetModel()

    def question(self, row: int) -> QuestionInfo:
        """The question shown on a row."""
        return self._rows[row]

    def row_of(self, question_id: int) -> int:
        """The row showing a question, or -1."""
        return next((i for i, q in enumerate(self._rows) if q.id == question_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        question = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(question, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (TEXT, ANSWER):
            return (question.text if column == TEXT else question.answer) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            color = None
            if column == URGENCY:
                color = URGENCY_COLORS.get(question.urgency)
            elif column == STATE:
                color = STATE_COLORS.get(question.state)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == QUESTION_ROLE:
            return question
        return None

    def _display(self, question: QuestionInfo, column: int) -> str:
        if column == URGENCY:
            return question.urgency
        if column == AGE:
            return age_text(age_days(question.asked_at, self._now))
        if column == STATE:
            return question.state
        if column == ASKER:
            return question.asked_by or "—"
        if column == ITEM:
            return question.item_key or ""
        if column == TEXT:
            return one_line(question.text)
        return one_line(question.answer)

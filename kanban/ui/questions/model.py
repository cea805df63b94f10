"""A light table model over a list of questions (already filtered and ordered)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from kanban.domain import question_age, today_utc
from kanban.services.records import QuestionInfo
from kanban.ui.table_model import RecordTableModel

URGENCY, AGE, STATE, ASKER, ITEM, TEXT, ANSWER = range(7)
HEADERS = ("Urgency", "Age", "State", "Asked by", "Item", "Question", "Answer")

AGE_TIP = "Days from the day it was asked to the day it was answered, or to today (UTC days)"
URGENCY_COLORS = {"critical": QColor("#c62828"), "high": QColor("#e65100")}
STATE_COLORS = {"answered": QColor("#2e7d32"), "obsolete": QColor("#757575")}


def age_text(days: int) -> str:
    """A question's age as people say it."""
    if days == 0:
        return "today"
    return "1 day" if days == 1 else f"{days} days"


def one_line(text: str) -> str:
    """Text folded onto one line for a table cell."""
    return " ".join(text.split())


class QuestionsModel(RecordTableModel[QuestionInfo]):
    """Rows of questions; the owner hands it a fresh list after each read or filter."""

    HEADERS = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = today_utc()

    def set_rows(self, rows: Sequence[QuestionInfo]) -> None:
        """Show these questions, in this order, their ages counted from now."""
        self._today = today_utc()
        super().set_rows(rows)

    def cell(self, question: QuestionInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(question, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == AGE:
            return AGE_TIP
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
        return None

    def _display(self, question: QuestionInfo, column: int) -> str:
        if column == URGENCY:
            return question.urgency
        if column == AGE:
            return age_text(
                question_age(question.asked_at, question.answered_at, question.state, self._today)
            )
        if column == STATE:
            return question.state
        if column == ASKER:
            return question.asked_by or "—"
        if column == ITEM:
            return question.item_key or ""
        if column == TEXT:
            return one_line(question.text)
        return one_line(question.answer)

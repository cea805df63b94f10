"""Reading one question in full: who asked what, when, and the answer on record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kanban.services.records import QuestionEvent, QuestionInfo


def local_time(moment: dt.datetime) -> str:
    """A stored (naive UTC) time as the user's local date and minute."""
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def asked_line(question: QuestionInfo) -> str:
    """'#3 · high urgency · open · asked by Ana on … · about WEB-12'."""
    parts = [
        f"#{question.id}",
        f"{question.urgency} urgency",
        question.state,
        f"asked by {question.asked_by or 'someone'} on {local_time(question.asked_at)}",
    ]
    if question.item_key:
        parts.append(f"about {question.item_key}")
    return " · ".join(parts)


def answered_line(question: QuestionInfo) -> str:
    """Who answered and when, or that no answer is on record."""
    if not question.answer:
        return "Not answered yet."
    when = f" on {local_time(question.answered_at)}" if question.answered_at else ""
    return f"Answered by {question.answered_by or 'someone'}{when}"


_EVENT_WORDS = {
    "answered": "answered: {text}",
    "answer_replaced": "replaced the answer: {text}",
    "reopened": "reopened it",
    "obsolete": "marked it obsolete",
    "restored": "undid a change; the answer was again: {text}",
}


def history_lines(history: Sequence[QuestionEvent]) -> str:
    """A question's history after it was asked, one line per event, oldest first
    (empty when nothing happened to it yet)."""
    lines = []
    for event in history:
        words = _EVENT_WORDS.get(event.action)
        if words is None:
            continue
        text = " ".join(event.text.split()) or "(not recorded)"
        if event.action == "restored" and not event.text:
            words = "undid a change"
        lines.append(
            f"{local_time(event.at)} · {event.actor or 'someone'} " + words.format(text=text)
        )
    return "History\n" + "\n".join(lines) if lines else ""


def plain_label(object_name: str = "") -> QLabel:
    """A wrapping, selectable label that never interprets user text as rich text."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is never rich text
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


class QuestionDetail(QFrame):
    """The full question and answer of the selected row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.asked = plain_label("asked")
        self.asked.setEnabled(False)  # greyed meta line
        self.text = plain_label("question_text")
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.text.setFont(font)
        self.answered = plain_label("answered")
        self.answered.setEnabled(False)
        self.answer = plain_label("answer_text")
        self.history = plain_label("history")
        self.history.setEnabled(False)  # greyed, like the meta lines
        layout = QVBoxLayout(self)
        for label in (self.asked, self.text, self.answered, self.answer, self.history):
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_question(None)

    def show_question(
        self, question: QuestionInfo | None, history: Sequence[QuestionEvent] = ()
    ) -> None:
        """Show a question in full with its history, earlier answers included (None: a hint
        to pick one)."""
        if question is None:
            self.asked.setText("")
            self.text.setText("Select a question to read it in full.")
            self.answered.setText("")
            self.answer.setText("")
            self.history.setText("")
            return
        self.asked.setText(asked_line(question))
        self.text.setText(question.text)
        self.answered.setText(answered_line(question))
        self.answer.setText(question.answer)
        self.history.setText(history_lines(history))

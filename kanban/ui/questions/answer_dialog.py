"""The product owner's dialog on one question: read it, answer it, reopen or obsolete it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import QuestionState
from kanban.errors import ConflictError, KanbanError
from kanban.services import questions
from kanban.services.records import QuestionInfo
from kanban.ui.commands import questions as commands
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import open_dialog
from kanban.ui.preferences import your_name
from kanban.ui.questions.detail import asked_line, plain_label


class AnswerQuestionDialog(QDialog):
    """Answer a question (or change its answer), reopen it, or mark it obsolete."""

    question_changed = Signal(object)  # QuestionInfo as it is now

    def __init__(self, ctx: AppContext, question_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.question: QuestionInfo = ctx.read(questions.get_question, question_id)
        question = self.question
        self.setWindowTitle(f"Question #{question.id}")
        self.setMinimumWidth(520)

        self.asked = plain_label("asked")
        self.asked.setText(asked_line(question))
        self.asked.setEnabled(False)
        self.text = plain_label("question_text")
        self.text.setText(question.text)

        self.answer = QPlainTextEdit(question.answer)
        self.answer.setPlaceholderText("The product owner's answer")
        self.answer.setTabChangesFocus(True)
        self.answer.setAccessibleName("Answer")
        self.answer.textChanged.connect(self._update_buttons)
        self.answered_by = QLineEdit(your_name())
        self.answered_by.setAccessibleName("Answered by")
        self.append_criteria = QCheckBox("Append the answer to the item's acceptance criteria")
        self.append_criteria.setEnabled(question.item_id is not None)
        if question.item_id is None:
            self.append_criteria.setToolTip("Only for questions about an item")

        form = QFormLayout()
        form.addRow("&Answer", self.answer)
        form.addRow("Answered &by", self.answered_by)
        form.addRow("", self.append_criteria)

        self.confirm: QMessageBox | None = None  # the question before replacing an answer
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.answer_button = QPushButton("Save answer" if question.answer else "&Answer")
        self.answer_button.setDefault(True)
        self.reopen_button = QPushButton("&Reopen")
        self.obsolete_button = QPushButton("Mark &obsolete")
        self.buttons.addButton(self.answer_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.reopen_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.obsolete_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reopen_button.setVisible(question.state != QuestionState.OPEN)
        self.obsolete_button.setVisible(question.state != "obsolete")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reopen_button.clicked.connect(lambda: self.set_state("open"))
        self.obsolete_button.clicked.connect(lambda: self.set_state("obsolete"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.asked)
        layout.addWidget(self.text)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.answer.setFocus()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.answer_button.setEnabled(bool(self.answer.toPlainText().strip()))

    def _finish(self, changed: QuestionInfo) -> None:
        self.question = changed
        self.question_changed.emit(changed)
        super().accept()

    def accept(self) -> None:
        """Record the answer, who gave it and when. Replacing an answer on record is asked
        first (see :meth:`ask_replace`); on a refusal, say why and stay open."""
        earlier = self.question.answer
        if earlier and self.answer.toPlainText().strip() != earlier:
            self.ask_replace()
            return
        self.save(replace=False)

    def ask_replace(self) -> QMessageBox:
        """Ask (without blocking) before the answer on record is replaced; Yes saves."""
        question = self.question
        by = f", by {question.answered_by}" if question.answered_by else ""
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the answer",
            f"Question #{question.id} already has an answer{by}:\n\n{question.answer}\n\n"
            "Replace it? The earlier answer stays in the question's history, and Undo brings "
            "it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm.accepted.connect(lambda: self.save(replace=True))
        self.confirm.open()
        return self.confirm

    def save(self, *, replace: bool) -> None:
        """Save the answer; ``replace`` only the answer this dialog last showed."""
        try:
            changed = commands.answer(
                self.ctx,
                self.question.id,
                self.answer.toPlainText(),
                answered_by=self.answered_by.text().strip() or None,
                append_to_criteria=self.append_criteria.isChecked(),
                replace=replace,
                seen_answer=self.question.answer if replace else None,
            )
        except ConflictError as error:
            # Answered (or answered again) elsewhere since this dialog read the question:
            # show what is on record now, and ask again.
            try:
                self.question = self.ctx.read(questions.get_question, self.question.id)
            except KanbanError:
                show_error(self, error)
                return
            self.asked.setText(asked_line(self.question))
            self.answer_button.setText("Save answer")
            self.ask_replace()
            return
        except KanbanError as error:
            show_error(self, error)
            return
        self._finish(changed)

    def set_state(self, state: str) -> None:
        """Reopen the question (``"open"``) or mark it obsolete, then close."""
        try:
            changed = commands.set_state(self.ctx, self.question.id, state)
        except KanbanError as error:
            show_error(self, error)
            return
        self._finish(changed)


def answer_question_dialog(
    ctx: AppContext, question_id: int, parent: QWidget | None = None
) -> AnswerQuestionDialog:
    """Open the answer dialog on a question without blocking and return it."""
    return open_dialog(AnswerQuestionDialog(ctx, question_id, parent))

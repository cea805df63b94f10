"""Undoable intents on the team's questions: ask, answer, reopen, mark obsolete.

Each intent is done once by a function here (errors reach the caller, who shows them), then
pushed as a command whose undo and redo call the services again. Every change is announced:
``questions_changed`` for the product and ``items_changed`` for the item's card, so the board's
open-question marker follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from kanban.domain import QuestionState
from kanban.errors import KanbanError
from kanban.services import items, questions
from kanban.services.records import Change, QuestionInfo
from kanban.ui.context import AppContext, show_error


def announce(ctx: AppContext, question: QuestionInfo) -> None:
    """Tell every screen that a question (and so perhaps its card's marker) changed."""
    ctx.events.questions_changed.emit(question.product_id)
    if question.item_id is not None:
        # The item may have been deleted meanwhile: then there is no card to update.
        cards = ctx.read(items.get_cards, [question.item_id])
        if cards:
            ctx.publish(Change(cards=tuple(cards)))


class _QuestionCommand(QUndoCommand):
    """A command whose first redo only announces the change its creator already made."""

    def __init__(self, ctx: AppContext, question: QuestionInfo, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.question = question
        self._first = True

    def _apply(self, service: Callable[..., QuestionInfo], *args: Any, **kwargs: Any) -> None:
        try:
            self.question = self.ctx.write(service, *args, **kwargs)
        except KanbanError as error:
            # Another window or the command line removed what this step needs.
            self.setObsolete(True)
            show_error(QApplication.activeWindow(), error, "kanban: cannot undo or redo")
            return
        announce(self.ctx, self.question)

    def redo(self) -> None:
        if self._first:
            self._first = False
            announce(self.ctx, self.question)
            return
        self._redo()

    def _redo(self) -> None:
        raise NotImplementedError


class AskQuestionCommand(_QuestionCommand):
    """A question was asked; undo marks it obsolete, redo reopens it."""

    def __init__(self, ctx: AppContext, question: QuestionInfo) -> None:
        super().__init__(ctx, question, f"Ask question #{question.id}")

    def undo(self) -> None:
        self._apply(questions.set_question_state, self.question.id, "obsolete")

    def _redo(self) -> None:
        self._apply(questions.set_question_state, self.question.id, "open")


class AnswerQuestionCommand(_QuestionCommand):
    """A question was answered; undo restores its previous state and answer."""

    def __init__(
        self,
        ctx: AppContext,
        previous: QuestionInfo,
        answered: QuestionInfo,
        appended_to_criteria: bool,
    ) -> None:
        super().__init__(ctx, answered, f"Answer question #{answered.id}")
        self.previous = previous
        self.answer = answered.answer
        self.answered_by = answered.answered_by
        self.appended_to_criteria = appended_to_criteria

    def undo(self) -> None:
        self._apply(
            questions.restore_question,
            self.previous,
            withdraw_from_criteria=self.appended_to_criteria,
        )

    def _redo(self) -> None:
        self._apply(
            questions.answer_question,
            self.previous.id,
            self.answer,
            answered_by=self.answered_by,
            append_to_criteria=self.appended_to_criteria,
            replace=True,
            seen_answer=self.previous.answer,  # the undo put it back; nobody changed it since
        )


class SetQuestionStateCommand(_QuestionCommand):
    """A question was reopened or marked obsolete; undo restores it as it was (answer too)."""

    def __init__(self, ctx: AppContext, previous: QuestionInfo, changed: QuestionInfo) -> None:
        verb = "Reopen" if changed.state == QuestionState.OPEN else "Mark obsolete"
        super().__init__(ctx, changed, f"{verb} question #{changed.id}")
        self.previous = previous
        self.state = changed.state

    def undo(self) -> None:
        self._apply(questions.restore_question, self.previous)

    def _redo(self) -> None:
        self._apply(questions.set_question_state, self.previous.id, self.state)


def ask(
    ctx: AppContext,
    product_id: int,
    text: str,
    *,
    item_ref: str | int | None = None,
    asked_by: str | None = None,
    urgency: str = "normal",
) -> QuestionInfo:
    """Log a question (undoable); KanbanError when the input is refused."""
    question = ctx.write(
        questions.ask_question,
        product_id,
        text,
        item_ref=item_ref,
        asked_by=asked_by,
        urgency=urgency,
    )
    if asked_by and asked_by.strip():
        ctx.events.people_changed.emit()  # the asker may have joined the team just now
    ctx.undo_stack.push(AskQuestionCommand(ctx, question))
    return question


def answer(
    ctx: AppContext,
    question_id: int,
    text: str,
    *,
    answered_by: str | None = None,
    append_to_criteria: bool = False,
    replace: bool = False,
    seen_answer: str | None = None,
) -> QuestionInfo:
    """Answer a question (undoable); KanbanError when refused, ConflictError when it holds
    another answer and ``replace`` is not given, or it is no longer ``seen_answer``."""
    previous = ctx.read(questions.get_question, question_id)
    answered = ctx.write(
        questions.answer_question,
        question_id,
        text,
        answered_by=answered_by,
        append_to_criteria=append_to_criteria,
        replace=replace,
        seen_answer=seen_answer,
    )
    ctx.undo_stack.push(AnswerQuestionCommand(ctx, previous, answered, append_to_criteria))
    return answered


def set_state(ctx: AppContext, question_id: int, state: str) -> QuestionInfo:
    """Reopen a question (``"open"``) or mark it obsolete (undoable); KanbanError when refused."""
    previous = ctx.read(questions.get_question, question_id)
    changed = ctx.write(questions.set_question_state, question_id, state)
    ctx.undo_stack.push(SetQuestionStateCommand(ctx, previous, changed))
    return changed

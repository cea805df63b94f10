"""One item's questions, for the item editor: state, asker, answer, and an Ask… button."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import QuestionState
from kanban.errors import NotFoundError
from kanban.services import items, questions
from kanban.ui.context import AppContext
from kanban.ui.questions.answer_dialog import AnswerQuestionDialog, answer_question_dialog
from kanban.ui.questions.ask_dialog import AskQuestionDialog, ask_question_dialog
from kanban.ui.questions.model import AGE, ANSWER, ITEM, TEXT, QuestionsModel
from kanban.ui.table_model import RecordTableView


class ItemQuestionsPanel(QWidget):
    """Lists the questions about one item; asks and answers them through the dialogs."""

    def __init__(self, ctx: AppContext, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.product_id = ctx.read(items.get_item, item_id).product_id

        self.summary = QLabel()
        self.ask_button = QPushButton("Ask…")
        self.ask_button.setToolTip("Log a question from the team about this item")
        self.ask_button.clicked.connect(self.ask)
        self.answer_button = QPushButton("Answer…")
        self.answer_button.setToolTip("Answer, reopen or obsolete the selected question")
        self.answer_button.clicked.connect(self.answer_selected)

        self.model = QuestionsModel(self)
        self.view = RecordTableView(self.model, "item_questions")
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.setColumnHidden(ITEM, True)
        self.view.setColumnHidden(AGE, True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ANSWER, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._open_row)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.answer_button)
        top.addWidget(self.ask_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)

        ctx.events.questions_changed.connect(self._questions_changed)
        ctx.events.external_change.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """Read the item's questions again."""
        try:
            rows = self.ctx.read(questions.list_questions, self.product_id, item_id=self.item_id)
        except NotFoundError:  # the product went away under us
            rows = []
        self.model.set_rows(rows)
        open_count = sum(q.state == QuestionState.OPEN for q in rows)
        if not rows:
            self.summary.setText("No questions about this item.")
        else:
            noun = "question" if len(rows) == 1 else "questions"
            self.summary.setText(f"{len(rows)} {noun}, {open_count} open")
        self._update_buttons()

    def _questions_changed(self, product_id: int) -> None:
        if product_id == self.product_id:
            self.reload()

    def _update_buttons(self) -> None:
        self.answer_button.setEnabled(self.view.selectionModel().hasSelection())

    def ask(self) -> AskQuestionDialog:
        """Open the ask dialog about this item."""
        return ask_question_dialog(self.ctx, self.item_id, self)

    def answer_selected(self) -> AnswerQuestionDialog | None:
        """Open the answer dialog on the selected question."""
        rows = self.view.selectionModel().selectedRows()
        return self._open_row(rows[0]) if rows else None

    def _open_row(self, index: QModelIndex) -> AnswerQuestionDialog:
        question = self.model.record(index.row())
        return answer_question_dialog(self.ctx, question.id, self)

    @property
    def selected_id(self) -> int | None:
        """The selected question's id, if any."""
        question = self.view.selected_record()
        return question.id if question else None

    def select_question(self, question_id: int) -> None:
        """Select a question's row, when it is listed."""
        self.view.select_record(question_id)

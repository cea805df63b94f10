"""The Questions screen: every question of the product, filtered, read in full, answered."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import QuestionState
from kanban.errors import KanbanError
from kanban.services import questions
from kanban.services.records import QuestionInfo
from kanban.ui.commands import questions as commands
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import refill_combo
from kanban.ui.questions.answer_dialog import AnswerQuestionDialog, answer_question_dialog
from kanban.ui.questions.ask_dialog import AskQuestionDialog, ask_question_dialog
from kanban.ui.questions.detail import QuestionDetail
from kanban.ui.questions.model import AGE, ANSWER, STATE, TEXT, URGENCY, QuestionsModel
from kanban.ui.screen import Screen
from kanban.ui.table_model import RecordTableView

STATE_FILTERS = (("Open", "open"), ("Answered", "answered"), ("Obsolete", "obsolete"), ("All", ""))
ANY = None  # combo data meaning "no filter"
NO_ITEM = ""  # item combo data meaning "questions about the product, not an item"


def _item_sort_key(key: str) -> tuple[str, int]:
    prefix, _, number = key.rpartition("-")
    return prefix, int(number) if number.isdigit() else 0


class QuestionsScreen(Screen):
    """The team's questions to the product owner, most urgent and oldest first."""

    title = "Questions"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._questions: list[QuestionInfo] = []

        self.state_filter = QComboBox()
        for label, state in STATE_FILTERS:
            self.state_filter.addItem(label, state)
        self.state_filter.setAccessibleName("State")
        self.asker_filter = QComboBox()
        self.asker_filter.setAccessibleName("Asked by")
        self.asker_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.item_filter = QComboBox()
        self.item_filter.setAccessibleName("Item")
        self.item_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Search questions and answers")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setAccessibleName("Search")
        for combo in (self.state_filter, self.asker_filter, self.item_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.text_filter.textChanged.connect(self.apply_filters)

        self.ask_action = QAction("&Ask…", self)
        self.ask_action.setShortcut(QKeySequence.StandardKey.New)
        self.ask_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.ask_action.setToolTip("Log a question from the team (Ctrl+N)")
        self.ask_action.triggered.connect(self.ask)
        self.addAction(self.ask_action)
        self.ask_button = QPushButton("Ask…")
        self.ask_button.setToolTip(self.ask_action.toolTip())
        self.ask_button.clicked.connect(self.ask_action.trigger)

        self.model = QuestionsModel(self)
        self.view = RecordTableView(self.model, "questions_table")
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ANSWER, QHeaderView.ResizeMode.Stretch)
        for column in (URGENCY, AGE, STATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.view.setColumnWidth(column, 80)
        self.view.activated.connect(lambda index: self.answer_selected())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QuestionDetail()
        self.answer_button = QPushButton("Answer…")
        self.answer_button.setToolTip("Answer the question or change its answer (Enter)")
        self.answer_button.clicked.connect(self.answer_selected)
        self.reopen_button = QPushButton("Reopen")
        self.reopen_button.clicked.connect(lambda: self.set_selected_state("open"))
        self.obsolete_button = QPushButton("Mark obsolete")
        self.obsolete_button.clicked.connect(lambda: self.set_selected_state("obsolete"))
        self.count_label = QLabel()

        filters = QHBoxLayout()
        for label, widget in (
            ("&State", self.state_filter),
            ("Asked &by", self.asker_filter),
            ("&Item", self.item_filter),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addWidget(self.text_filter, 1)
        filters.addSpacing(8)
        filters.addWidget(self.ask_button)

        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.answer_button)
        actions.addWidget(self.reopen_button)
        actions.addWidget(self.obsolete_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(actions)
        lower_layout.addWidget(self.detail, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        ctx.events.questions_changed.connect(self._questions_changed)
        self.reload()

    # --- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the product's questions again and show those the filters let through."""
        product = self.product
        self._questions = self.ctx.read(questions.list_questions, product.id) if product else []
        askers = sorted({q.asked_by for q in self._questions if q.asked_by}, key=str.casefold)
        refill_combo(self.asker_filter, [("Anyone", ANY), *((a, a) for a in askers)])
        keys = sorted({q.item_key for q in self._questions if q.item_key}, key=_item_sort_key)
        refill_combo(
            self.item_filter, [("Any item", ANY), ("No item", NO_ITEM), *((k, k) for k in keys)]
        )
        self.ask_action.setEnabled(product is not None)
        self.ask_button.setEnabled(product is not None)
        self.apply_filters()

    def _questions_changed(self, product_id: int) -> None:
        if self.product is not None and product_id == self.product.id:
            self.reload()

    # --- filtering -----------------------------------------------------------------------------

    def _matches(self, question: QuestionInfo) -> bool:
        state = self.state_filter.currentData()
        asker = self.asker_filter.currentData()
        item = self.item_filter.currentData()
        words = self.text_filter.text().casefold().split()
        if state and question.state != state:
            return False
        if asker is not ANY and question.asked_by != asker:
            return False
        if item is not ANY and (question.item_key or NO_ITEM) != item:
            return False
        haystack = f"{question.text}\n{question.answer}".casefold()
        return all(word in haystack for word in words)

    def apply_filters(self) -> None:
        """Show the questions that pass every filter (in the service's order), keeping the
        selected question selected when it still shows."""
        selected = self.selected_question()
        shown = [q for q in self._questions if self._matches(q)]
        self.model.set_rows(shown)
        if selected is not None:
            self.select_question(selected.id)
        self._selection_changed()
        total = len(self._questions)
        if total == 0:
            self.count_label.setText("No questions yet." if self.product else "No product.")
        else:
            noun = "question" if total == 1 else "questions"
            self.count_label.setText(f"{len(shown)} of {total} {noun}")

    def clear_filters(self) -> None:
        """Show every question of the product: all states, anyone, any item, no search."""
        for combo in (self.state_filter, self.asker_filter, self.item_filter):
            combo.blockSignals(True)
        self.state_filter.setCurrentIndex(self.state_filter.findData(""))
        self.asker_filter.setCurrentIndex(0)
        self.item_filter.setCurrentIndex(0)
        for combo in (self.state_filter, self.asker_filter, self.item_filter):
            combo.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        self.apply_filters()

    # --- selection and actions -----------------------------------------------------------------

    def selected_question(self) -> QuestionInfo | None:
        """The question of the selected row, if any."""
        return self.view.selected_record()

    def select_question(self, question_id: int) -> bool:
        """Select a question's row; False when the filters hide it."""
        return self.view.select_record(question_id)

    def _selection_changed(self, *_: QItemSelection) -> None:
        question = self.selected_question()
        history = self.ctx.read(questions.question_history, question.id) if question else []
        self.detail.show_question(question, history)
        self.answer_button.setEnabled(question is not None)
        self.reopen_button.setEnabled(question is not None and question.state != QuestionState.OPEN)
        self.obsolete_button.setEnabled(question is not None and question.state != "obsolete")

    def ask(self) -> AskQuestionDialog | None:
        """Open the ask dialog for the current product (no item unless one is typed)."""
        if self.product is None:
            return None
        dialog = ask_question_dialog(self.ctx, None, self)
        item = self.item_filter.currentData()
        if item:
            dialog.item_edit.setText(item)
        dialog.question_asked.connect(lambda question: self.select_question(question.id))
        return dialog

    def answer_selected(self) -> AnswerQuestionDialog | None:
        """Open the answer dialog on the selected question."""
        question = self.selected_question()
        if question is None:
            return None
        dialog = answer_question_dialog(self.ctx, question.id, self)
        dialog.question_changed.connect(lambda changed: self.select_question(changed.id))
        return dialog

    def set_selected_state(self, state: str) -> None:
        """Reopen the selected question or mark it obsolete (undoable)."""
        question = self.selected_question()
        if question is None:
            return
        try:
            commands.set_state(self.ctx, question.id, state)
        except KanbanError as error:
            show_error(self, error)

"""The dialog that logs a question from the team, about the product or one item."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import URGENCIES
from kanban.errors import KanbanError, ValidationError
from kanban.services import items, people
from kanban.services.records import QuestionInfo
from kanban.ui.commands import questions as commands
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import ok_cancel, open_dialog


class AskQuestionDialog(QDialog):
    """Who asks, how urgent, about which item, and the question itself.

    With ``item_id`` the question is linked to that item (and its product); otherwise it is
    about the current product, and an item can be named by key.
    """

    question_asked = Signal(object)  # QuestionInfo

    def __init__(
        self, ctx: AppContext, item_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.question: QuestionInfo | None = None
        self.setWindowTitle("Ask the product owner")
        self.setMinimumWidth(480)

        if item_id is not None:
            item = ctx.read(items.get_item, item_id)
            self.product_id: int | None = item.product_id
            self._product_key = item.key.rsplit("-", 1)[0]
        else:
            self.product_id = ctx.product.id if ctx.product else None
            self._product_key = ctx.product.key if ctx.product else ""

        self.asker = QComboBox()
        self.asker.setEditable(True)
        self.asker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.asker.addItems([m.name for m in ctx.read(people.list_members)])
        self.asker.setCurrentIndex(-1)
        line = self.asker.lineEdit()
        assert line is not None  # the combo box is editable
        line.setPlaceholderText("A team member; a new name joins the team")
        self.asker.setAccessibleName("Asked by")

        self.urgency = QComboBox()
        for urgency in URGENCIES:
            self.urgency.addItem(urgency.capitalize(), urgency)
        self.urgency.setCurrentIndex(URGENCIES.index("normal"))
        self.urgency.setAccessibleName("Urgency")

        self.item_edit = QLineEdit()
        self.item_edit.setPlaceholderText(f"Optional, e.g. {self._product_key or 'WEB'}-12")
        self.item_edit.setClearButtonEnabled(True)
        self.item_edit.setAccessibleName("Item")
        self.item_hint = QLabel()
        self.item_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.item_hint.setWordWrap(True)
        self.item_hint.setEnabled(False)  # greyed: a hint, not an input
        if item_id is not None:
            self.item_edit.setText(item.key)
            self.item_edit.setReadOnly(True)
            self.item_edit.setClearButtonEnabled(False)
            self.item_hint.setText(item.title)
        self.item_edit.textChanged.connect(self._item_typed)

        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What does the team need to know?")
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Question")
        self.text.textChanged.connect(self._update_buttons)

        self.form = QFormLayout()
        self.form.addRow("Asked &by", self.asker)
        self.form.addRow("&Urgency", self.urgency)
        self.form.addRow("&Item", self.item_edit)
        self.form.addRow("", self.item_hint)
        self.form.addRow("&Question", self.text)
        self._show_hint(self.item_hint.text())

        self.buttons = ok_cancel(self)
        self.ask_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ask_button.setText("&Ask")

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.text.setFocus()
        self._update_buttons()

    def _item_typed(self, text: str) -> None:
        key = text.strip()
        if not key:
            self._show_hint("")
            return
        try:
            card = self.ctx.read(items.get_card, key)
        except KanbanError:
            self._show_hint(f"No item {key.upper()}")
            return
        same_product = card.key.rsplit("-", 1)[0].upper() == self._product_key.upper()
        self._show_hint(card.title if same_product else f"{card.key} is in another product")

    def _show_hint(self, hint: str) -> None:
        """Say which item the typed key names (its title), or that it names none."""
        self.item_hint.setText(hint)
        self.form.setRowVisible(self.item_hint, bool(hint))

    def _update_buttons(self) -> None:
        self.ask_button.setEnabled(bool(self.text.toPlainText().strip()))

    def accept(self) -> None:
        """Log the question; on a refusal, say why and keep the dialog open."""
        try:
            if self.product_id is None:
                raise ValidationError("Choose a product first")
            item_ref: str | int | None = self.item_id
            if item_ref is None and self.item_edit.text().strip():
                item_ref = self.item_edit.text().strip()
            self.question = commands.ask(
                self.ctx,
                self.product_id,
                self.text.toPlainText(),
                item_ref=item_ref,
                asked_by=self.asker.currentText().strip() or None,
                urgency=self.urgency.currentData(),
            )
        except KanbanError as error:
            show_error(self, error)
            return
        self.question_asked.emit(self.question)
        super().accept()


def ask_question_dialog(
    ctx: AppContext, item_id: int | None = None, parent: QWidget | None = None
) -> AskQuestionDialog:
    """Open the ask dialog without blocking (about ``item_id`` when given) and return it."""
    return open_dialog(AskQuestionDialog(ctx, item_id, parent))

"""The sprint bar above the backlog: pick a sprint, plan it from the selection, start, close."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from kanban.domain import SprintState
from kanban.errors import KanbanError
from kanban.services import items, sprints
from kanban.services.records import Card, Change, SprintInfo
from kanban.ui.commands.items import SprintMembershipCommand, push
from kanban.ui.context import AppContext, show_error
from kanban.ui.dialogs.sprint_dialog import SprintDialog
from kanban.ui.forms import open_dialog
from kanban.ui.refinement.gates import gate_sprint


class SprintBar(QWidget):
    """Sprint planning for one product. ``selected_ids`` gives the backlog's selection.

    Every change is announced with ``ctx.events.sprints_changed(product_id)``; the board reads
    ``sprints.active_sprint`` when it hears it.
    """

    message = Signal(str)  # a short confirmation for the status line

    def __init__(
        self,
        ctx: AppContext,
        selected_ids: Callable[[], list[int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected_ids = selected_ids
        self.product_id: int | None = None
        self.sprints: list[SprintInfo] = []
        self.dialog: SprintDialog | None = None
        self.confirm: QMessageBox | None = None

        self.combo = QComboBox()
        self.combo.setAccessibleName("Sprint")
        self.combo.setMinimumWidth(180)
        self.combo.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        # Long goals must not widen the window: the label takes what room there is.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.new_button = QPushButton("New sprint…")
        self.new_button.clicked.connect(self.new_sprint)
        self.add_button = QPushButton("Add selected")
        self.add_button.setToolTip("Put the selected backlog items into this sprint")
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setToolTip("Take the selected items out of their sprint")
        self.remove_button.clicked.connect(self.remove_selected)
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close…")
        self.close_button.clicked.connect(self.ask_close)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(QLabel("Sprint"))
        layout.addWidget(self.combo)
        layout.addWidget(self.summary, 1)
        for button in (
            self.add_button,
            self.remove_button,
            self.start_button,
            self.close_button,
            self.new_button,
        ):
            layout.addWidget(button)

    # --- state -------------------------------------------------------------------------------

    def current(self) -> SprintInfo | None:
        """The sprint chosen in the bar."""
        return self.combo.currentData()

    def select_sprint(self, sprint_id: int) -> bool:
        """Choose a sprint in the bar by id; False when it is not an open sprint."""
        for index in range(self.combo.count()):
            if self.combo.itemData(index).id == sprint_id:
                self.combo.setCurrentIndex(index)
                return True
        return False

    def set_product(self, product_id: int | None) -> None:
        """Show the open sprints of a product (its cards are those of ``ctx.cards``)."""
        keep = self.current().id if self.current() else None
        self.product_id = product_id
        self.sprints = [] if product_id is None else self.ctx.read(sprints.list_sprints, product_id)
        open_sprints = sorted(
            (s for s in self.sprints if s.state != SprintState.CLOSED),
            key=lambda s: (s.state != SprintState.ACTIVE, s.id),
        )
        self.combo.blockSignals(True)
        self.combo.clear()
        for sprint in open_sprints:
            self.combo.addItem(f"{sprint.name}  ({sprint.state})", sprint)
        index = next((i for i, s in enumerate(open_sprints) if s.id == keep), 0)
        self.combo.setCurrentIndex(index if open_sprints else -1)
        self.combo.blockSignals(False)
        self.refresh()

    def _cards(self) -> list[Card]:
        store = self.ctx.cards
        return store.order if store.product_id == self.product_id else []

    def refresh(self) -> None:
        """Show the chosen sprint's dates, items, points and goal (from the card store)."""
        sprint = self.current()
        has_product = self.product_id is not None
        self.new_button.setEnabled(has_product)
        for button in (self.add_button, self.remove_button):
            button.setEnabled(sprint is not None)
        self.start_button.setEnabled(sprint is not None and sprint.state == SprintState.PLANNED)
        self.close_button.setEnabled(sprint is not None and sprint.state == SprintState.ACTIVE)
        if sprint is None:
            self.summary.setText("No open sprint. Create one to plan it from the backlog.")
            return
        members = [c for c in self._cards() if c.sprint_id == sprint.id]
        points = sum(c.points or 0 for c in members)
        dates = ""
        if sprint.start_date and sprint.end_date:
            dates = f"{sprint.start_date:%b %d} – {sprint.end_date:%b %d} · "
        goal = f" · {sprint.goal}" if sprint.goal else ""
        self.summary.setText(f"{dates}{len(members)} items, {points:g} pts{goal}")

    # --- actions -----------------------------------------------------------------------------

    def new_sprint(self) -> SprintDialog | None:
        """Open the dialog that creates a sprint (non-blocking); returns it."""
        if self.product_id is None:
            return None
        self.dialog = SprintDialog(self.ctx, self.product_id, self)
        self.dialog.accepted.connect(self._created)
        return open_dialog(self.dialog)

    def _created(self) -> None:
        assert self.dialog is not None and self.dialog.created is not None
        created = self.dialog.created
        self.set_product(self.product_id)
        self.select_sprint(created.id)
        self.message.emit(f"Sprint {created.name!r} created")

    def add_selected(self) -> bool:
        """Put the backlog's selected items into the chosen sprint (undoable)."""
        sprint, ids = self.current(), self.selected_ids()
        if sprint is None or not ids:
            return False
        return gate_sprint(
            self.ctx,
            ids,
            sprint.name,
            lambda: push(self.ctx, SprintMembershipCommand(self.ctx, ids, sprint.id)),
            self,
        )

    def remove_selected(self) -> bool:
        """Take the selected items out of any sprint (undoable)."""
        ids = self.selected_ids()
        if not ids:
            return False
        return push(self.ctx, SprintMembershipCommand(self.ctx, ids, None))

    def start(self) -> bool:
        """Start the chosen sprint."""
        sprint = self.current()
        if sprint is None:
            return False
        try:
            self.ctx.write(sprints.start_sprint, sprint.id)
        except KanbanError as error:
            show_error(self, error)
            return False
        self._changed()
        self.message.emit(f"Sprint {sprint.name!r} started")
        return True

    def ask_close(self) -> QMessageBox | None:
        """Ask before closing the chosen sprint (non-blocking); returns the question."""
        sprint = self.current()
        if sprint is None:
            return None
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Close sprint",
            f"Close {sprint.name}? Unfinished items leave the sprint; those not started go "
            "back to the backlog.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm.accepted.connect(self.close_sprint)
        self.confirm.open()
        return self.confirm

    def close_sprint(self) -> bool:
        """Close the chosen sprint now; unfinished items return per ``sprints.close_sprint``."""
        sprint = self.current()
        if sprint is None:
            return False
        members = [c.id for c in self._cards() if c.sprint_id == sprint.id]
        try:
            _, returned = self.ctx.write(sprints.close_sprint, sprint.id)
        except KanbanError as error:
            show_error(self, error)
            return False
        self.ctx.publish(Change(cards=tuple(self.ctx.read(items.get_cards, members))))
        self._changed()
        self.message.emit(f"{sprint.name} closed; {returned} unfinished item(s) left it")
        return True

    def _changed(self) -> None:
        if self.product_id is not None:
            self.ctx.events.sprints_changed.emit(self.product_id)

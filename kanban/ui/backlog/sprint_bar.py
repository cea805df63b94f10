"""The sprint bar above the backlog: pick a sprint, plan it from the selection, its capacity,
start and close it (each undoable), and export a closed sprint's review pack."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import CapacityUnit, SprintState, plural
from kanban.errors import KanbanError
from kanban.services import sprints
from kanban.services.products import get_product
from kanban.services.records import Card, SprintCapacity, SprintInfo
from kanban.ui.commands.items import SprintMembershipCommand, push
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import ElidedLabel, open_dialog
from kanban.ui.refinement.gates import gate_sprint

if TYPE_CHECKING:  # the dialogs' modules load when one first opens, not at start-up
    from kanban.ui.dialogs.sprint_dialog import SprintDialog
    from kanban.ui.dialogs.sprint_steps import CapacityDialog, CloseSprintDialog, StartSprintDialog

UNIT_SHORT = {CapacityUnit.POINTS: "pts", CapacityUnit.DAYS: "person-days"}


def capacity_text(capacity: SprintCapacity) -> str:
    """``capacity 18 pts (2 members) · planned 13 pts`` for the sprint bar ('' when none)."""
    if not capacity.members:
        return ""
    unit = UNIT_SHORT.get(CapacityUnit(capacity.unit), capacity.unit)
    return f"capacity {capacity.total:g} {unit} ({plural(len(capacity.members), 'member')})"


REVIEW_FILTERS = {
    "pdf": "PDF document (*.pdf)",
    "html": "HTML page (*.html)",
    "md": "Markdown text (*.md)",
}
"""The review pack's formats and their file-dialog filters, the default first."""


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
        self.step_dialog: StartSprintDialog | CloseSprintDialog | CapacityDialog | None = None
        self.capacity_line = ""  # the chosen sprint's capacity, read when it changes

        self.combo = QComboBox()
        self.combo.setAccessibleName("Sprint")
        self.combo.setMinimumWidth(180)
        self.combo.currentIndexChanged.connect(self._sprint_chosen)
        # Long goals must not widen the window: the label takes what room there is, cut at a
        # word with "…" (the whole text in its tooltip).
        self.summary = ElidedLabel()
        self.new_button = QPushButton("New sprint…")
        self.new_button.clicked.connect(self.new_sprint)
        self.add_button = QPushButton("Add selected")
        self.add_button.setToolTip("Put the selected backlog items into this sprint")
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setToolTip("Take the selected items out of their sprint")
        self.remove_button.clicked.connect(self.remove_selected)
        self.capacity_button = QPushButton("Capacity…")
        self.capacity_button.setToolTip("Each member's capacity and days off in this sprint")
        self.capacity_button.clicked.connect(self.edit_capacity)
        self.start_button = QPushButton("Start…")
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close…")
        self.close_button.clicked.connect(self.ask_close)
        # A closed sprint's review pack: one entry per closed sprint, the latest first.
        self.review_menu = QMenu("Sprint re&view", self)  # also in the window's Backlog menu
        self.review_button = QPushButton()
        self.review_button.setText("Sprint review…")
        self.review_button.setToolTip(
            "Export a closed sprint's review: committed against done, carried over, the "
            "burndown, the goal and the questions answered (PDF, HTML or Markdown)"
        )
        self.review_button.setMenu(self.review_menu)
        self.exported: QMessageBox | None = None  # "Exported to", Open, Show in folder

        # The summary (dates, planned total, capacity, goal) on its own line under the
        # buttons: beside seven buttons it kept only the dates in a 1280-pixel window.
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(QLabel("Sprint"))
        row.addWidget(self.combo)
        row.addStretch(1)
        for button in (
            self.add_button,
            self.remove_button,
            self.capacity_button,
            self.start_button,
            self.close_button,
            self.review_button,
            self.new_button,
        ):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.summary)

    # --- state -------------------------------------------------------------------------------

    def current(self) -> SprintInfo | None:
        """The sprint chosen in the bar."""
        sprint: SprintInfo | None = self.combo.currentData()
        return sprint

    def select_sprint(self, sprint_id: int) -> bool:
        """Choose a sprint in the bar by id; False when it is not an open sprint."""
        for index in range(self.combo.count()):
            if self.combo.itemData(index).id == sprint_id:
                self.combo.setCurrentIndex(index)
                return True
        return False

    def set_product(self, product_id: int | None) -> None:
        """Show the open sprints of a product (its cards are those of ``ctx.cards``)."""
        chosen = self.current()
        keep = chosen.id if chosen else None
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
        self._fill_review_menu()
        self._sprint_chosen()

    def closed_sprints(self) -> list[SprintInfo]:
        """The product's closed sprints, the one closed last first."""
        closed = [s for s in self.sprints if s.state == SprintState.CLOSED]
        return sorted(closed, key=lambda s: (s.closed_at is not None, s.closed_at, s.id))[::-1]

    def _fill_review_menu(self) -> None:
        self.review_menu.clear()
        for sprint in self.closed_sprints():
            action = self.review_menu.addAction(f"{sprint.name}…")
            action.triggered.connect(lambda _=False, chosen=sprint: self.ask_review(chosen))
        self.review_button.setEnabled(not self.review_menu.isEmpty())
        self.review_menu.setEnabled(not self.review_menu.isEmpty())

    def _sprint_chosen(self, *_: object) -> None:
        sprint = self.current()
        capacity = None if sprint is None else self.ctx.read(sprints.sprint_capacity, sprint.id)
        self.capacity_line = capacity_text(capacity) if capacity is not None else ""
        self.refresh()

    def _cards(self) -> list[Card]:
        store = self.ctx.cards
        return store.order if store.product_id == self.product_id else []

    def refresh(self) -> None:
        """Show the chosen sprint's dates, items, points and goal (from the card store)."""
        sprint = self.current()
        has_product = self.product_id is not None
        self.new_button.setEnabled(has_product)
        for button in (self.add_button, self.remove_button, self.capacity_button):
            button.setEnabled(sprint is not None)
        # One sprint runs at a time: Start… waits for the running one to close (and says so).
        running = next((s for s in self.sprints if s.state == SprintState.ACTIVE), None)
        planned = sprint is not None and sprint.state == SprintState.PLANNED
        self.start_button.setEnabled(planned and running is None)
        self.start_button.setToolTip(
            f"{running.name} is running: close it first" if planned and running else ""
        )
        self.close_button.setEnabled(sprint is not None and sprint.state == SprintState.ACTIVE)
        if sprint is None:
            self.summary.setText("No open sprint. Create one to plan it from the backlog.")
            return
        members = [c for c in self._cards() if c.sprint_id == sprint.id]
        points = sum(c.points or 0 for c in members)
        dates = ""
        if sprint.start_date and sprint.end_date:
            dates = f"{sprint.start_date:%b %d} – {sprint.end_date:%b %d} · "
        capacity = f" · {self.capacity_line}" if self.capacity_line else ""
        goal = f" · goal: {sprint.goal}" if sprint.goal else ""
        self.summary.setText(
            f"{dates}{plural(len(members), 'item')}, {points:g} pts{capacity}{goal}"
        )

    # --- actions -----------------------------------------------------------------------------

    def new_sprint(self) -> SprintDialog | None:
        """Open the dialog that creates a sprint (non-blocking); returns it."""
        if self.product_id is None:
            return None
        from kanban.ui.dialogs.sprint_dialog import SprintDialog

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

    def edit_capacity(self) -> CapacityDialog | None:
        """Open the chosen sprint's capacity (non-blocking); saving is undoable."""
        sprint = self.current()
        if sprint is None:
            return None
        from kanban.ui.dialogs.sprint_steps import CapacityDialog

        self.step_dialog = open_dialog(CapacityDialog(self.ctx, sprint, self))
        return self.step_dialog

    def start(self) -> StartSprintDialog | None:
        """Open the dialog that starts the chosen sprint (non-blocking): its dates, and what
        starting moves; the start is undoable."""
        sprint = self.current()
        if sprint is None or not self.start_button.isEnabled():
            return None
        from kanban.ui.dialogs.sprint_steps import StartSprintDialog

        dialog = StartSprintDialog(self.ctx, sprint, self)
        dialog.accepted.connect(lambda: self._started(dialog))
        self.step_dialog = open_dialog(dialog)
        return dialog

    def _started(self, dialog: StartSprintDialog) -> None:
        assert dialog.command is not None and dialog.command.step is not None
        step = dialog.command.step
        moved = len(step.change.moves)
        self.message.emit(
            f"{step.sprint.name} started, {step.sprint.start_date} to {step.sprint.end_date}; "
            f"{plural(moved, 'item')} moved from the backlog to do (Ctrl+Z undoes the start)"
        )

    def ask_close(self) -> CloseSprintDialog | None:
        """Open the dialog that closes the chosen sprint (non-blocking): where its unfinished
        items go, and whether its goal was met; closing is undoable."""
        sprint = self.current()
        if sprint is None or sprint.state != SprintState.ACTIVE:
            return None
        from kanban.ui.dialogs.sprint_steps import CloseSprintDialog

        dialog = CloseSprintDialog(self.ctx, sprint, self)
        dialog.accepted.connect(lambda: self._closed(dialog))
        self.step_dialog = open_dialog(dialog)
        return dialog

    def _closed(self, dialog: CloseSprintDialog) -> None:
        assert dialog.command is not None and dialog.command.step is not None
        step = dialog.command.step
        where = step.carried_to.name if step.carried_to is not None else "the backlog"
        self.message.emit(
            f"{step.sprint.name} closed; {plural(step.left, 'unfinished item')} went to "
            f"{where} (Ctrl+Z undoes the closing)"
        )

    # --- the review pack ---------------------------------------------------------------------

    def ask_review(self, sprint: SprintInfo) -> Path | None:
        """Ask where to save a closed sprint's review (the format by the filter or the
        file's extension), then write it there."""
        key = self.ctx.read(get_product, sprint.product_id).key
        name = f"{key}-{sprint.name}-review.pdf".replace(" ", "-")
        path, chosen = QFileDialog.getSaveFileName(
            self,
            f"Export the review of {sprint.name}",
            str(Path.home() / name),
            ";;".join(REVIEW_FILTERS.values()),
        )
        if not path:
            return None
        target = Path(path)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in REVIEW_FILTERS:
            fmt = next((f for f, text in REVIEW_FILTERS.items() if text == chosen), "pdf")
            target = target.with_name(f"{target.name}.{fmt}")
        return self.export_review(sprint, target, fmt)

    def export_review(self, sprint: SprintInfo, path: Path, fmt: str) -> Path | None:
        """Write a closed sprint's review in ``fmt`` to ``path`` and say where it went (Open,
        Show in folder); an error is shown, not raised."""
        from kanban.reports.review_export import write_review  # Qt drawing: on use
        from kanban.ui.exported import exported_box

        try:
            self.ctx.read(write_review, sprint.product_id, sprint.id, fmt, path)
        except KanbanError as error:  # a FileWriteError names the file and the reason
            show_error(self, error, "Export failed")
            return None
        self.exported = exported_box(self, path, f"Review of {sprint.name}")
        self.message.emit(f"Review of {sprint.name} exported to {path}")
        return path

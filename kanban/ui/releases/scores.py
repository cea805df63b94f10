"""Rank by score: the backlog's not-started items scored by WSJF or RICE, the formula shown,
the proposed order beside the current one; Apply reorders as one undoable change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ScoreMethod, plural
from kanban.errors import KanbanError
from kanban.metrics.scoring import missing
from kanban.services import scoring
from kanban.services.records import Reordered, ScoreProposal
from kanban.ui.commands.items import ServiceCommand, push
from kanban.ui.context import AppContext, show_error

HEADERS = ("Now", "Proposed", "Key", "Score", "Title", "Still needs")


class ApplyScoresCommand(ServiceCommand):
    """Reorder the backlog by a scoring method's proposal; undo gives every moved item its
    rank back (refused when the backlog was reordered since)."""

    def __init__(self, ctx: AppContext, product_id: int, method: str) -> None:
        super().__init__(ctx, f"Rank by {method.upper()}")
        self.product_id = product_id
        self.method = method
        self.done: Reordered | None = None

    def do(self) -> None:
        if self.done is None:
            self.done = self.ctx.write(scoring.apply_proposal, self.product_id, self.method)
            self.ctx.publish(self.done.change)
            if not self.done.previous:
                self.setObsolete(True)
        else:
            ranks = {card.id: card.rank for card in self.done.change.cards}
            self.ctx.change(scoring.set_ranks, ranks)

    def undo_change(self) -> None:
        assert self.done is not None
        self.ctx.change(scoring.set_ranks, dict(self.done.previous))


class ScoreDialog(QDialog):
    """The proposal of a method, reviewed before it is applied (or not)."""

    def __init__(self, ctx: AppContext, product_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.proposal: ScoreProposal | None = None
        self.setWindowTitle("Rank by score")
        self.resize(760, 480)
        self.method = QComboBox()
        for method in ScoreMethod:
            self.method.addItem(method.upper(), method.value)
        self.method.currentIndexChanged.connect(self.refresh)
        self.formula = QLabel()
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = self.buttons.addButton(
            "&Apply this order", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("&Method"))
        top.itemAt(0).widget().setBuddy(self.method)  # type: ignore[union-attr]
        top.addWidget(self.method)
        top.addSpacing(12)
        top.addWidget(self.formula, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.refresh()

    def refresh(self, *_: Any) -> None:
        """Read the proposal of the chosen method again."""
        method = str(self.method.currentData())
        try:
            self.proposal = self.ctx.read(scoring.score_proposal, self.product_id, method)
        except KanbanError as error:
            show_error(self, error)
            return
        proposal = self.proposal
        self.formula.setText(f"{proposal.formula}   (every weight is 1)")
        self.table.setRowCount(len(proposal.rows))
        for r, row in enumerate(proposal.rows):
            cells = (
                str(row.place),
                str(row.proposed_place),
                row.inputs.key,
                f"{row.score:.2f}" if row.score is not None else "—",
                row.inputs.title,
                ", ".join(missing(row.inputs, method)),
            )
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c in (0, 1, 3):
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        scored = sum(1 for row in proposal.rows if row.score is not None)
        self.summary.setText(
            f"{scored:,} of {plural(len(proposal.rows), 'not-started item')} "
            f"scored; the proposal moves {plural(proposal.moves, 'item')} (unscored items keep "
            "their places). Nothing changes until you apply it; Edit ▸ Undo takes it back."
        )
        self.apply_button.setEnabled(proposal.moves > 0)

    def apply(self) -> bool:
        """Apply the proposal (one undoable reorder) and close."""
        method = str(self.method.currentData())
        if push(self.ctx, ApplyScoresCommand(self.ctx, self.product_id, method)):
            self.accept()
            return True
        return False

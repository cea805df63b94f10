"""Where an item stands against its product's Definition of Ready and of Done: each rule met
or not and why; custom rules are confirmed here, item by item."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ReadinessCheck
from kanban.errors import KanbanError
from kanban.services.records import Change, Readiness, Refinement, RuleCheck
from kanban.services.refinement import get_refinement
from kanban.ui.commands.items import push
from kanban.ui.context import AppContext
from kanban.ui.refinement.commands import ConfirmRuleCommand

MET_COLOR = QColor("#16a34a")
UNMET_COLOR = QColor("#dc2626")
DARK_MET_COLOR = QColor("#4ade80")
DARK_UNMET_COLOR = QColor("#f87171")


def verdict_color(met: bool, palette: QPalette) -> QColor:
    """Green or red that reads on the palette's base (lighter shades on a dark one)."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    if dark:
        return DARK_MET_COLOR if met else DARK_UNMET_COLOR
    return MET_COLOR if met else UNMET_COLOR


CHECK = Qt.CheckState


def verdict_text(verdict: Readiness) -> str:
    """``Ready`` / ``Not ready`` (or Done's wording) and the reasons, on one line."""
    ready = verdict.definition == "ready"
    if verdict.met:
        return "Ready" if ready else "Meets the Definition of Done"
    head = "Not ready" if ready else "Does not meet the Definition of Done yet"
    return f"{head}: {' '.join(verdict.reasons)}"


class ReadinessPanel(QWidget):
    """The Ready tab of the item editor; ``reloaded`` follows each read."""

    reloaded = Signal()

    def __init__(
        self,
        ctx: AppContext,
        item_id: int,
        edit_definitions: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.refinement: Refinement | None = None
        self._filling = False

        self.ready_label = QLabel()
        self.ready_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ready_label.setWordWrap(True)
        self.ready_label.setObjectName("readyVerdict")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Rule", "Why not"])
        self.tree.setAccessibleName("Definitions of Ready and Done")
        self.tree.setStyleSheet("QTreeView::item { padding: 3px 8px 3px 0; }")
        self.tree.itemChanged.connect(self._confirmed)
        self.edit_button = QPushButton("Edit the definitions…")
        self.edit_button.setEnabled(edit_definitions is not None)
        if edit_definitions is not None:
            self.edit_button.clicked.connect(edit_definitions)
        hint = QLabel(
            "Tick a rule the product owner wrote once this item meets it; the built-in rules "
            "follow the item itself."
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.ready_label, 1)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)

        ctx.events.refinement_changed.connect(lambda *_: self.reload())
        ctx.events.items_changed.connect(self._items_changed)
        ctx.events.questions_changed.connect(lambda *_: self.reload())
        ctx.events.external_change.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """Read the item's verdicts again."""
        try:
            self.refinement = self.ctx.read(get_refinement, self.item_id)
        except KanbanError:
            return
        self._filling = True
        self.tree.clear()
        for verdict, title in (
            (self.refinement.ready, "Definition of Ready"),
            (self.refinement.done, "Definition of Done"),
        ):
            group = QTreeWidgetItem([title, "met" if verdict.met else "not met"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for check in verdict.checks:
                group.addChild(self._row(check))
            if not verdict.checks:
                group.addChild(QTreeWidgetItem(["(no rule switched on)", ""]))
            group.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self._filling = False
        self.ready_label.setText(verdict_text(self.refinement.ready))
        color = verdict_color(self.refinement.ready.met, self.palette())
        self.ready_label.setStyleSheet(f"color: {color.name()}; font-weight: 600;")
        self.reloaded.emit()

    def _row(self, check: RuleCheck) -> QTreeWidgetItem:
        mark = "✓" if check.met else "✗"
        row = QTreeWidgetItem([f"{mark}  {check.rule.label}", check.reason])
        row.setForeground(0, QBrush(verdict_color(check.met, self.palette())))
        row.setData(0, Qt.ItemDataRole.UserRole, check.rule)
        if check.rule.rule == ReadinessCheck.CUSTOM:
            row.setText(0, check.rule.label)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(0, CHECK.Checked if check.met else CHECK.Unchecked)
        return row

    def _confirmed(self, row: QTreeWidgetItem, column: int) -> None:
        rule = row.data(0, Qt.ItemDataRole.UserRole)
        if self._filling or column != 0 or rule is None or rule.rule != ReadinessCheck.CUSTOM:
            return
        confirmed = row.checkState(0) == CHECK.Checked
        command = ConfirmRuleCommand(self.ctx, self.item_id, rule, confirmed)
        # After the signal: saving reloads the tree, which deletes the row that sent it.
        QTimer.singleShot(0, lambda: push(self.ctx, command))

    def _items_changed(self, change: Change) -> None:
        if any(card.id == self.item_id for card in change.cards):
            self.reload()

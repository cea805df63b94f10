"""Starting and closing a sprint, and its capacity: each a dialog that says what will happen
and pushes one undoable command."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import CapacityUnit, Category, plural
from kanban.errors import OverlapError
from kanban.services import people, sprints
from kanban.services.records import Card, SprintCapacity, SprintInfo
from kanban.ui.backlog.sprint_bar import UNIT_SHORT
from kanban.ui.commands.items import push
from kanban.ui.commands.sprints import CapacityCommand, CloseSprintCommand, StartSprintCommand
from kanban.ui.context import AppContext
from kanban.ui.dialogs.sprint_dialog import SprintDialog, ask_overlap, date_edit, day_of, qdate
from kanban.ui.forms import OK, error_label, ok_cancel, open_dialog

UNIT_LABELS = {CapacityUnit.POINTS: "Story points", CapacityUnit.DAYS: "Person-days"}


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _members(ctx: AppContext, sprint: SprintInfo) -> list[Card]:
    """The sprint's cards, from the window's card store (it holds the sprint's product)."""
    store = ctx.cards
    if store.product_id != sprint.product_id:
        return []
    return [c for c in store.order if c.sprint_id == sprint.id]


class StartSprintDialog(QDialog):
    """Start a sprint: its dates (from the plan, keeping its length) and what starting moves."""

    def __init__(self, ctx: AppContext, sprint: SprintInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.sprint = ctx, sprint
        self.command: StartSprintCommand | None = None
        self.ask: QMessageBox | None = None
        self.setWindowTitle(f"Start {sprint.name}")
        start, end = ctx.read(sprints.start_dates, sprint.id)
        self._length = end - start
        self.start_edit = date_edit(start)
        self.end_edit = date_edit(end)
        self.start_edit.dateChanged.connect(self._start_moved)
        self.end_edit.dateChanged.connect(self._end_moved)
        self.length_label = _label()
        self.moves_label = _label(self._moves_text())
        self.moves_label.setObjectName("start_moves")
        self.error_label = error_label()
        form = QFormLayout()
        form.addRow("Starts", self.start_edit)
        form.addRow("Ends", self.end_edit)
        form.addRow("", self.length_label)
        layout = QVBoxLayout(self)
        if sprint.goal:
            layout.addWidget(_label(f"Goal: {sprint.goal}"))
        layout.addLayout(form)
        layout.addWidget(self.moves_label)
        layout.addWidget(self.error_label)
        layout.addWidget(ok_cancel(self, OK, self.start))
        self._show_length()
        self.resize(480, self.sizeHint().height())

    def _moves_text(self) -> str:
        columns = self.ctx.cards.columns
        backlog = {c.id for c in columns if c.category == Category.BACKLOG}
        todo = next((c.name for c in columns if c.category == Category.TODO), None)
        waiting = [c for c in _members(self.ctx, self.sprint) if c.column_id in backlog]
        if not waiting or todo is None:
            return "Its items are all on the board already: starting moves none."
        keys = ", ".join(c.key for c in waiting[:6]) + (" …" if len(waiting) > 6 else "")
        return (
            f"Starting moves {plural(len(waiting), 'item')} of the sprint from the backlog into "
            f"{todo} ({keys}). Edit ▸ Undo takes the start back."
        )

    def _start_moved(self, _date: QDate) -> None:
        self.end_edit.blockSignals(True)
        self.end_edit.setDate(qdate(day_of(self.start_edit) + self._length))
        self.end_edit.blockSignals(False)
        self._show_length()

    def _end_moved(self, _date: QDate) -> None:
        self._length = day_of(self.end_edit) - day_of(self.start_edit)
        self._show_length()

    def _show_length(self) -> None:
        self.length_label.setText(plural(self._length.days + 1, "day"))

    def start(self, allow_overlap: bool = False) -> bool:
        """Start the sprint (undoable); overlapping dates ask first."""
        command = StartSprintCommand(
            self.ctx, self.sprint, day_of(self.start_edit), day_of(self.end_edit), allow_overlap
        )
        if push(self.ctx, command, quiet=True):
            self.command = command
            self.accept()
            return True
        if isinstance(command.error, OverlapError):
            self.ask = ask_overlap(
                self, command.error, "Start it anyway?", lambda: self.start(True)
            )
        else:
            self.error_label.setText(str(command.error))
            self.error_label.show()
        return False


class CloseSprintDialog(QDialog):
    """Close the running sprint: where its unfinished items go (the next sprint, another
    planned sprint, or the backlog) and whether its goal was met."""

    NEXT, OTHER, BACKLOG = range(3)

    def __init__(self, ctx: AppContext, sprint: SprintInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.sprint = ctx, sprint
        self.command: CloseSprintCommand | None = None
        self.setWindowTitle(f"Close {sprint.name}")
        done = {c.id for c in ctx.cards.columns if c.category == Category.DONE}
        self.unfinished = [c for c in _members(ctx, sprint) if c.column_id not in done]
        self.targets = ctx.read(sprints.carry_targets, sprint.id)

        points = sum(c.points or 0 for c in self.unfinished)
        keys = ", ".join(c.key for c in self.unfinished[:8])
        keys += " …" if len(self.unfinished) > 8 else ""
        summary = (
            f"{plural(len(self.unfinished), 'item')} ({points:g} pts) not done: {keys}. "
            "Where do they go?"
            if self.unfinished
            else "Every item of the sprint is done."
        )
        self.choice = QButtonGroup(self)
        following = self.targets[0].name if self.targets else "none planned yet"
        self.next_radio = QRadioButton(f"To the next sprint ({following})")
        self.other_radio = QRadioButton("To the sprint")
        self.other_combo = QComboBox()
        self.other_combo.setAccessibleName("Carry to sprint")
        for target in self.targets:
            self.other_combo.addItem(target.name, target.id)
        self.backlog_radio = QRadioButton(
            "Back to the backlog (not started: the Backlog column; under way: their column)"
        )
        for index, radio in enumerate((self.next_radio, self.other_radio, self.backlog_radio)):
            self.choice.addButton(radio, index)
        has_targets = bool(self.targets)
        self.next_radio.setEnabled(has_targets)
        self.other_radio.setEnabled(len(self.targets) > 1)
        self.other_combo.setEnabled(len(self.targets) > 1)
        (self.next_radio if has_targets else self.backlog_radio).setChecked(True)
        self.goal_combo = QComboBox()
        self.goal_combo.setAccessibleName("Goal met")
        for text, value in (("Not said", None), ("Yes", True), ("No", False)):
            self.goal_combo.addItem(text, value)
        self.error_label = error_label()

        other = QHBoxLayout()
        other.addWidget(self.other_radio)
        other.addWidget(self.other_combo, 1)
        self.summary_label = _label(summary)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.next_radio)
        layout.addLayout(other)
        layout.addWidget(self.backlog_radio)
        # No sprint after this one: plan it from here (the New sprint dialog), then offer it.
        self.plan_button: QPushButton | None = None
        self.plan_dialog: SprintDialog | None = None
        if not has_targets and self.unfinished:
            self.plan_hint = _label("No sprint is planned after this one to carry the work to.")
            self.plan_button = QPushButton("Plan the next sprint…")
            self.plan_button.clicked.connect(self.plan_next)
            plan = QHBoxLayout()
            plan.addWidget(self.plan_hint, 1)
            plan.addWidget(self.plan_button)
            layout.addLayout(plan)
        goal = QFormLayout()
        goal.addRow(f"Goal met? ({sprint.goal or 'no goal set'})", self.goal_combo)
        layout.addLayout(goal)
        layout.addWidget(self.error_label)
        layout.addWidget(ok_cancel(self, OK, self.close_sprint))
        self.resize(520, self.sizeHint().height())

    def plan_next(self) -> SprintDialog:
        """Open the New sprint dialog (non-blocking); once saved, the new sprint is offered
        as the next one."""
        self.plan_dialog = SprintDialog(self.ctx, self.sprint.product_id, self)
        self.plan_dialog.accepted.connect(self._planned)
        return open_dialog(self.plan_dialog)

    def _planned(self) -> None:
        self.targets = self.ctx.read(sprints.carry_targets, self.sprint.id)
        self.other_combo.clear()
        for target in self.targets:
            self.other_combo.addItem(target.name, target.id)
        if self.targets:
            self.next_radio.setText(f"To the next sprint ({self.targets[0].name})")
            self.next_radio.setEnabled(True)
            self.next_radio.setChecked(True)
            self.other_radio.setEnabled(len(self.targets) > 1)
            self.other_combo.setEnabled(len(self.targets) > 1)
            if self.plan_button is not None:
                self.plan_button.hide()
                self.plan_hint.hide()

    def carry_to(self) -> int | None:
        """The sprint chosen for the unfinished items (None: the backlog)."""
        chosen = self.choice.checkedId()
        if chosen == self.NEXT and self.targets:
            return self.targets[0].id
        if chosen == self.OTHER:
            value: int = self.other_combo.currentData()
            return value
        return None

    def close_sprint(self) -> bool:
        """Close the sprint (undoable)."""
        command = CloseSprintCommand(
            self.ctx, self.sprint, self.carry_to(), self.goal_combo.currentData()
        )
        if push(self.ctx, command, quiet=True):
            self.command = command
            self.accept()
            return True
        self.error_label.setText(str(command.error))
        self.error_label.show()
        return False


class _FieldSpinBox(QDoubleSpinBox):
    """A number in a table's cell: focused, its text is selected, so typing replaces it (a
    cell widget gets the focus with no Tab reason, and Qt selects only on a Tab)."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.MouseFocusReason:  # a click places the cursor
            self.selectAll()


class CapacityDialog(QDialog):
    """A sprint's capacity: the unit, and each team member's capacity and days off."""

    def __init__(self, ctx: AppContext, sprint: SprintInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.sprint = ctx, sprint
        self.setWindowTitle(f"Capacity of {sprint.name}")
        self.before: SprintCapacity = ctx.read(sprints.sprint_capacity, sprint.id)
        # A sprint without a capacity yet is offered the last one's team (their days off
        # are this sprint's own: none yet); nothing is saved before OK.
        self.earlier = None if self.before.members else self._earlier_capacity()
        shown = self.earlier[1] if self.earlier else self.before
        given = {m.member_id: m for m in shown.members}
        days = self.before.working_days
        self.members = [m for m in ctx.read(people.list_members) if not m.archived or m.id in given]
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Unit")
        for unit, text in UNIT_LABELS.items():
            self.unit_combo.addItem(text, str(unit))
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(shown.unit)))
        self.unit_combo.currentIndexChanged.connect(self._update_total)
        self.table = QTableWidget(len(self.members), 3)
        self.table.setHorizontalHeaderLabels(["Member", "Capacity", "Days off"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.spins: list[tuple[QDoubleSpinBox, QDoubleSpinBox]] = []
        for row, member in enumerate(self.members):
            name = QTableWidgetItem(member.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, name)
            held = given.get(member.id)
            capacity = self._spin(held.capacity if held else 0, 999)
            off = held.days_off if held and self.earlier is None else 0
            days_off = self._spin(off, days or 99)  # off no more than the sprint's days
            self.table.setCellWidget(row, 1, capacity)
            self.table.setCellWidget(row, 2, days_off)
            self.spins.append((capacity, days_off))
        self.total_label = _label()
        self.total_label.setObjectName("capacity_total")
        self.error_label = error_label()
        form = QFormLayout()
        form.addRow("Capacity in", self.unit_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self.earlier is not None:
            source = _label(
                f"Filled in from {self.earlier[0].name} (no days off yet); OK saves it "
                f"for {sprint.name}."
            )
            source.setObjectName("capacity_from")
            layout.addWidget(source)
        layout.addWidget(
            _label(
                f"{plural(days, 'working day')} in the sprint; a member's days off take their "
                "share of it from their capacity."
                if days
                else "The sprint has no dates yet: days off are not counted."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.error_label)
        layout.addWidget(ok_cancel(self, OK, self.save))
        self._update_total()
        self.resize(460, 420)

    def _earlier_capacity(self) -> tuple[SprintInfo, SprintCapacity] | None:
        """The latest other sprint of the product that has a capacity, with it."""
        others = [
            s
            for s in self.ctx.read(sprints.list_sprints, self.sprint.product_id)
            if s.id != self.sprint.id
        ]
        others.sort(key=lambda s: (s.start_date or dt.date.min, s.id), reverse=True)
        for other in others:
            capacity: SprintCapacity = self.ctx.read(sprints.sprint_capacity, other.id)
            if capacity.members:
                return other, capacity
        return None

    def _spin(self, value: float, top: float) -> QDoubleSpinBox:
        spin = _FieldSpinBox()
        spin.setRange(0, top)
        spin.setDecimals(1)
        spin.setValue(value)
        spin.valueChanged.connect(self._update_total)
        return spin

    def chosen(self) -> dict[int, tuple[float, float]]:
        """Per member with a capacity or days off: (capacity, days off)."""
        return {
            member.id: (capacity.value(), days_off.value())
            for member, (capacity, days_off) in zip(self.members, self.spins, strict=True)
            if capacity.value() or days_off.value()
        }

    def _update_total(self, *_: object) -> None:
        days = self.before.working_days
        total = sum(
            capacity * (max(0.0, days - off) / days if days else 1.0)
            for capacity, off in self.chosen().values()
        )
        unit = UNIT_SHORT[CapacityUnit(self.unit_combo.currentData())]
        self.total_label.setText(
            f"Capacity {total:g} {unit} · planned {self.before.planned_points:g} pts "
            f"({plural(self.before.planned_items, 'item')})"
        )

    def save(self) -> bool:
        """Set the capacity (undoable)."""
        command = CapacityCommand(
            self.ctx, self.sprint, self.before, self.unit_combo.currentData(), self.chosen()
        )
        if push(self.ctx, command, quiet=True):
            self.accept()
            return True
        self.error_label.setText(str(command.error))
        self.error_label.show()
        return False

"""A product's refinement settings: its Definition of Ready and of Done (built-in rules switched
on or off, and lines the product owner writes), its checklist templates, its points scale.

Saving is one undo entry (a macro of one command per part that changed).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ITEM_KINDS, Definition, ReadinessCheck
from kanban.errors import KanbanError, ValidationError
from kanban.services import checklists, estimation, readiness
from kanban.services.records import RuleInfo, TemplateLine
from kanban.ui.commands.items import ServiceCommand, push
from kanban.ui.context import AppContext
from kanban.ui.forms import SAVE, error_label, ok_cancel, open_dialog
from kanban.ui.refinement.commands import SetRulesCommand, SetTemplateCommand

RULE_ROLE = Qt.ItemDataRole.UserRole + 1
EVERY_KIND = "every kind"


def open_definitions_dialog(
    ctx: AppContext, product_id: int, parent: QWidget | None = None
) -> DefinitionsDialog:
    """Open the product's refinement settings without blocking."""
    return open_dialog(DefinitionsDialog(ctx, product_id, parent or ctx.main_window))


class RuleList(QWidget):
    """One definition: every built-in rule with a box to switch it on, then the custom lines;
    lines are added, edited in place, moved and removed."""

    def __init__(self, rules: list[RuleInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.product_id = rules[0].product_id
        self.definition = rules[0].definition
        self.list = QListWidget()
        self.list.setAccessibleName(f"Definition of {self.definition}")
        self.list.setStyleSheet("QListView::item { padding: 4px 2px; }")
        for rule in rules:
            self._add_row(rule)
        self.new_edit = QLineEdit()
        self.new_edit.setPlaceholderText("A rule of your own, e.g. “UX has signed the designs off”")
        self.new_edit.returnPressed.connect(self.add_custom)
        add = QPushButton("Add")
        add.clicked.connect(self.add_custom)
        up, down, remove = QPushButton("Move up"), QPushButton("Move down"), QPushButton("Remove")
        up.clicked.connect(lambda: self.move(-1))
        down.clicked.connect(lambda: self.move(1))
        remove.clicked.connect(self.remove_custom)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (up, down, remove):
            buttons.addWidget(button)
        adding = QHBoxLayout()
        adding.addWidget(self.new_edit, 1)
        adding.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(adding)

    def _add_row(self, rule: RuleInfo, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(rule.label)
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if rule.rule == ReadinessCheck.CUSTOM:
            flags |= Qt.ItemFlag.ItemIsEditable
            item.setToolTip("Your own rule: confirmed item by item in the item editor")
        else:
            item.setToolTip("Built in: checked from the item itself")
        item.setFlags(flags)
        item.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
        item.setData(RULE_ROLE, rule)
        if row is None:
            self.list.addItem(item)
        else:
            self.list.insertItem(row, item)
        return item

    def add_custom(self) -> None:
        """Add the typed line as a custom rule, switched on."""
        text = " ".join(self.new_edit.text().split())
        if not text:
            return
        rule = RuleInfo(None, self.product_id, self.definition, "custom", text, True, text)
        self.list.setCurrentItem(self._add_row(rule))
        self.new_edit.clear()

    def move(self, step: int) -> None:
        """Move the selected line up (-1) or down (+1)."""
        row = self.list.currentRow()
        if row < 0 or not 0 <= row + step < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(row + step, item)
        self.list.setCurrentRow(row + step)

    def remove_custom(self) -> None:
        """Remove the selected custom line (built-in rules are switched off instead)."""
        item = self.list.currentItem()
        if item is not None and item.data(RULE_ROLE).rule == ReadinessCheck.CUSTOM:
            self.list.takeItem(self.list.row(item))

    def rules(self) -> list[RuleInfo]:
        """The definition as the list shows it."""
        out = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            rule: RuleInfo = item.data(RULE_ROLE)
            text = " ".join(item.text().split()) if rule.rule == ReadinessCheck.CUSTOM else ""
            enabled = item.checkState() == Qt.CheckState.Checked
            label = text or rule.label
            out.append(RuleInfo(rule.id, rule.product_id, rule.definition, rule.rule, text,
                                enabled, label))  # fmt: skip
        return out


def _same(a: list[RuleInfo], b: list[RuleInfo]) -> bool:
    return [(r.id, r.rule, r.text, r.enabled) for r in a] == [
        (r.id, r.rule, r.text, r.enabled) for r in b
    ]


class DefinitionsDialog(QDialog):
    """Definition of Ready, Definition of Done, checklist templates and points scale."""

    def __init__(self, ctx: AppContext, product_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.setWindowTitle("Definitions of Ready and Done")
        self.resize(640, 520)
        self.stored = {
            d: ctx.read(readiness.list_rules, product_id, d)
            for d in (Definition.READY, Definition.DONE)
        }
        self.ready = RuleList(self.stored[Definition.READY])
        self.done = RuleList(self.stored[Definition.DONE])
        self.templates: list[TemplateLine] = ctx.read(checklists.list_templates, product_id)
        self.template_texts = {
            kind: "\n".join(t.text for t in self.templates if t.kind == kind)
            for kind in (None, *ITEM_KINDS)
        }
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(f"Every new item ({EVERY_KIND})", None)
        for kind in ITEM_KINDS:
            self.kind_combo.addItem(f"Every new {kind}", kind)
        self.template_edit = QPlainTextEdit()
        self.template_edit.setPlaceholderText("One line per criterion, e.g. “Steps to reproduce”")
        self._shown_kind: str | None = None
        self.template_edit.setPlainText(self.template_texts[None])
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        templates = QWidget()
        template_layout = QVBoxLayout(templates)
        template_layout.addWidget(self.kind_combo)
        template_layout.addWidget(self.template_edit, 1)
        note = QLabel("New items start with these acceptance criteria (every kind's first).")
        note.setEnabled(False)
        template_layout.addWidget(note)

        scale = ctx.read(estimation.get_points_scale, product_id)
        self.scale_edit = QLineEdit(estimation.scale_text(scale).replace(",", ", "))
        self.scale_edit.setAccessibleName("Points scale")
        estimates = QWidget()
        form = QFormLayout(estimates)
        form.addRow("Points scale", self.scale_edit)
        form.addRow("", QLabel("The values an estimate may take (Fibonacci by default)."))

        self.tabs = QTabWidget()
        self.tabs.addTab(self.ready, "Definition of Ready")
        self.tabs.addTab(self.done, "Definition of Done")
        self.tabs.addTab(templates, "Checklist templates")
        self.tabs.addTab(estimates, "Estimates")
        self.error_label = error_label()
        self.buttons = ok_cancel(self, SAVE, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _kind_changed(self) -> None:
        self.template_texts[self._shown_kind] = self.template_edit.toPlainText()
        self._shown_kind = self.kind_combo.currentData()
        self.template_edit.setPlainText(self.template_texts[self._shown_kind])

    def save(self) -> bool:
        """Save what changed as one undo entry; keep the dialog open with the reason if not."""
        self.template_texts[self._shown_kind] = self.template_edit.toPlainText()
        try:
            scale = estimation.parse_scale(self.scale_edit.text())
        except ValidationError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        commands: list[ServiceCommand] = []
        for definition, rules in ((Definition.READY, self.ready), (Definition.DONE, self.done)):
            wanted = rules.rules()
            if not _same(wanted, self.stored[definition]):
                commands.append(SetRulesCommand(self.ctx, self.product_id, definition,
                                                self.stored[definition], wanted))  # fmt: skip
        for kind, text in self.template_texts.items():
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            before = [t for t in self.templates if t.kind == kind]
            if lines != [t.text for t in before]:
                commands.append(SetTemplateCommand(self.ctx, self.product_id, kind, before, lines))
        if scale != self.ctx.read(estimation.get_points_scale, self.product_id):
            commands.append(PointsScaleCommand(self.ctx, self.product_id, scale))
        if not commands:
            self.accept()
            return True
        stack = self.ctx.undo_stack
        stack.beginMacro("Edit the refinement settings")
        try:
            for command in commands:
                if not push(self.ctx, command, quiet=True):
                    assert command.error is not None
                    raise command.error
        except KanbanError as error:
            stack.endMacro()
            stack.undo()  # take back the parts already saved
            self.error_label.setText(str(error))
            self.error_label.show()
            return False
        stack.endMacro()
        self.accept()
        return True


class PointsScaleCommand(ServiceCommand):
    """Change a product's points scale; undo restores the previous one."""

    def __init__(self, ctx: AppContext, product_id: int, scale: tuple[float, ...]) -> None:
        super().__init__(ctx, "Change the points scale")
        self.product_id = product_id
        self.after = estimation.scale_text(scale)
        self.before = estimation.scale_text(ctx.read(estimation.get_points_scale, product_id))

    def do(self) -> None:
        self.ctx.write(estimation.set_points_scale, self.product_id, self.after)
        self.ctx.events.board_changed.emit(self.product_id)

    def undo_change(self) -> None:
        self.ctx.write(estimation.set_points_scale, self.product_id, self.before)
        self.ctx.events.board_changed.emit(self.product_id)

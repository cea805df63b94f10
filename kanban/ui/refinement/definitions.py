"""A product's refinement settings: its Definition of Ready and of Done (built-in rules switched
on or off, and lines the product owner writes), its checklist templates, its points scale.

Saving is one service call (one transaction) and one undo entry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
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
from kanban.services import estimation, refinement
from kanban.services.records import RuleInfo
from kanban.services.refinement import Settings
from kanban.ui.commands.items import ServiceCommand, push
from kanban.ui.context import AppContext
from kanban.ui.forms import SAVE, EnterLineEdit, error_label, ok_cancel, open_dialog

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
        self.new_edit = EnterLineEdit()
        self.new_edit.setPlaceholderText("A rule of your own, e.g. “UX has signed the designs off”")
        self.new_edit.returnPressed.connect(self.add_custom)
        add = QPushButton("Add")
        add.clicked.connect(self.add_custom)
        up, down, remove = QPushButton("Move up"), QPushButton("Move down"), QPushButton("Remove")
        up.clicked.connect(lambda: self.move_line(-1))
        down.clicked.connect(lambda: self.move_line(1))
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

    def move_line(self, step: int) -> None:
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


class DefinitionsDialog(QDialog):
    """Definition of Ready, Definition of Done, checklist templates and points scale."""

    def __init__(self, ctx: AppContext, product_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.setWindowTitle("Definitions of Ready and Done")
        self.resize(640, 520)
        self.stored: Settings = ctx.read(refinement.get_settings, product_id)
        # Not "done": a QDialog's done() is a virtual that accept() calls.
        self.ready_rules = RuleList(list(self.stored.rules[Definition.READY]))
        self.done_rules = RuleList(list(self.stored.rules[Definition.DONE]))
        self.template_texts = {
            kind: "\n".join(lines) for kind, lines in self.stored.templates.items()
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

        scale = estimation.scale_text(self.stored.points_scale).replace(",", ", ")
        self.scale_edit = EnterLineEdit(scale)
        self.scale_edit.setAccessibleName("Points scale")
        estimates = QWidget()
        form = QFormLayout(estimates)
        form.addRow("Points scale", self.scale_edit)
        form.addRow("", QLabel("The values an estimate may take (Fibonacci by default)."))

        self.tabs = QTabWidget()
        self.tabs.addTab(self.ready_rules, "Definition of Ready")
        self.tabs.addTab(self.done_rules, "Definition of Done")
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
        """Save what changed as one undo entry (one transaction); keep the dialog open with the
        reason if it cannot be saved."""
        self.template_texts[self._shown_kind] = self.template_edit.toPlainText()
        try:
            scale = estimation.parse_scale(self.scale_edit.text())
        except ValidationError as error:
            return self._refuse(error)
        wanted = Settings(
            rules={Definition.READY: tuple(self.ready_rules.rules()),
                   Definition.DONE: tuple(self.done_rules.rules())},
            templates={kind: tuple(x.strip() for x in text.splitlines() if x.strip())
                       for kind, text in self.template_texts.items()},
            points_scale=scale,
        )  # fmt: skip
        if wanted == self.stored:
            self.accept()
            return True
        command = SettingsCommand(self.ctx, self.product_id, wanted)
        if not push(self.ctx, command, quiet=True):
            assert command.error is not None
            return self._refuse(command.error)
        self.accept()
        return True

    def _refuse(self, error: KanbanError) -> bool:
        self.error_label.setText(str(error))
        self.error_label.show()
        return False


class SettingsCommand(ServiceCommand):
    """Save a product's refinement settings; undo saves the previous ones back."""

    def __init__(self, ctx: AppContext, product_id: int, wanted: Settings) -> None:
        super().__init__(ctx, "Edit the refinement settings")
        self.product_id = product_id
        self.wanted = wanted
        self.before: Settings | None = None

    def do(self) -> None:
        self.before = self.ctx.write(refinement.save_settings, self.product_id, self.wanted)
        self._changed()

    def undo_change(self) -> None:
        assert self.before is not None
        self.ctx.write(refinement.save_settings, self.product_id, self.before)
        self._changed()

    def _changed(self) -> None:
        # Every card's verdict may have changed: the screens read the product again.
        self.ctx.events.refinement_changed.emit(())
        self.ctx.events.board_changed.emit(self.product_id)

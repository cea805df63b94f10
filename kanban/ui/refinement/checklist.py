"""An item's acceptance criteria as a checklist: check lines off, add, edit, reorder, remove.

Each change is saved at once as its own undoable command (the item's fields are not touched,
so an unsaved edit of the item's fields never conflicts with it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.services import checklists
from kanban.services.records import ChecklistLine
from kanban.ui.commands.items import ServiceCommand, push
from kanban.ui.context import AppContext
from kanban.ui.forms import EnterLineEdit
from kanban.ui.refinement.commands import (
    AddCriteriaCommand,
    CheckLineCommand,
    EditLineCommand,
    MoveLineCommand,
    RemoveLineCommand,
)

AnyIndex = QModelIndex | QPersistentModelIndex
LINE_ROLE = Qt.ItemDataRole.UserRole + 1


class ChecklistModel(QAbstractListModel):
    """The lines of one checklist; checking or editing a row asks ``on_change`` to save it
    (the rows change when the saved checklist is read back)."""

    def __init__(
        self,
        on_change: Callable[[ChecklistLine, dict[str, Any]], bool] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.lines: list[ChecklistLine] = []
        self.on_change = on_change

    def set_lines(self, lines: Sequence[ChecklistLine]) -> None:
        """Show these lines (a reset: a checklist holds a handful)."""
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return line.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if line.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Criterion {line.number}" + (" (checked off)" if line.done else "")
        if role == LINE_ROLE:
            return line
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEditable
        )

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.on_change is None:
            return False
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            done = Qt.CheckState(value) == Qt.CheckState.Checked
            return done != line.done and self.on_change(line, {"done": done})
        if role == Qt.ItemDataRole.EditRole:
            text = " ".join(str(value).split())
            return bool(text) and text != line.text and self.on_change(line, {"text": text})
        return False


class ChecklistPanel(QWidget):
    """The Acceptance criteria tab of the item editor."""

    def __init__(self, ctx: AppContext, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.model = ChecklistModel(self._save_change, self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Acceptance criteria")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setSpacing(2)
        self.view.setStyleSheet("QListView::item { padding: 4px 2px; }")
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        self.new_edit = EnterLineEdit()
        self.new_edit.setPlaceholderText(
            "A new criterion (paste a Markdown list to add several; “- [x] …” comes checked)"
        )
        self.new_edit.setAccessibleName("New criterion")
        self.new_edit.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add)
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        for keys, slot in (
            ("Ctrl+Up", lambda: self.move_selected(-1)),
            ("Ctrl+Down", lambda: self.move_selected(1)),
            (QKeySequence.StandardKey.Delete, self.remove_selected),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        adding = QHBoxLayout()
        adding.addWidget(self.new_edit, 1)
        adding.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addWidget(self.remove_button)
        hint = QLabel("Changes here are saved at once; Ctrl+Z undoes them.")
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)
        layout.addLayout(adding)
        layout.addWidget(hint)

        ctx.events.refinement_changed.connect(self._refinement_changed)
        ctx.events.external_change.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """Read the checklist again, keeping the selected line selected."""
        selected = self.selected_line()
        try:
            lines = self.ctx.read(checklists.get_checklist, self.item_id)
        except KanbanError:  # the item went away under us
            lines = []
        self.model.set_lines(lines)
        done = sum(line.done for line in lines)
        self.progress.setRange(0, max(1, len(lines)))
        self.progress.setValue(done)
        self.progress.setVisible(bool(lines))
        self.summary.setText(
            f"{done} of {len(lines)} checked off" if lines else "No acceptance criteria yet."
        )
        if selected is not None:
            row = next((r for r, line in enumerate(lines) if line.id == selected.id), None)
            if row is not None:
                self.view.setCurrentIndex(self.model.index(row))
        self._update_buttons()

    def _refinement_changed(self, item_ids: tuple[int, ...]) -> None:
        if not item_ids or self.item_id in item_ids:
            self.reload()

    def selected_line(self) -> ChecklistLine | None:
        """The selected line, if any."""
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.lines[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        line = self.selected_line()
        count = len(self.model.lines)
        self.remove_button.setEnabled(line is not None)
        self.up_button.setEnabled(line is not None and line.number > 1)
        self.down_button.setEnabled(line is not None and line.number < count)

    def _push(self, command: ServiceCommand) -> bool:
        return push(self.ctx, command)

    def _save_change(self, line: ChecklistLine, change: dict[str, Any]) -> bool:
        if "done" in change:
            return self._push(CheckLineCommand(self.ctx, line, change["done"]))
        return self._push(EditLineCommand(self.ctx, line, change["text"]))

    def add(self) -> bool:
        """Add what the new-criterion field holds (several lines for a pasted list)."""
        text = self.new_edit.text()
        if not text.strip():
            return False
        if self._push(AddCriteriaCommand(self.ctx, self.item_id, text)):
            self.new_edit.clear()
            return True
        return False

    def move_selected(self, step: int) -> bool:
        """Move the selected line up (-1) or down (+1)."""
        line = self.selected_line()
        if line is None or not 1 <= line.number + step <= len(self.model.lines):
            return False
        return self._push(MoveLineCommand(self.ctx, line, line.number + step))

    def remove_selected(self) -> bool:
        """Remove the selected line (undoable)."""
        line = self.selected_line()
        return line is not None and self._push(RemoveLineCommand(self.ctx, line))

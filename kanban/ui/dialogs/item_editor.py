"""The item editor: every field of one item, its description previewed, its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ITEM_KINDS, SCORE_FIELDS, SprintState
from kanban.errors import ConflictError, KanbanError, ValidationError
from kanban.metrics.scoring import FIELD_LABELS
from kanban.services import estimation, items, people, sprints
from kanban.services.records import ItemDetail
from kanban.ui.commands.items import EditItemCommand, push
from kanban.ui.context import AppContext
from kanban.ui.dialogs.markdown_preview import MarkdownPreview
from kanban.ui.forms import SAVE, ok_cancel, open_dialog
from kanban.ui.questions.item_panel import ItemQuestionsPanel
from kanban.ui.refinement.checklist import ChecklistPanel
from kanban.ui.refinement.comments import CommentsPanel
from kanban.ui.refinement.definitions import open_definitions_dialog
from kanban.ui.refinement.gates import gate_sprint
from kanban.ui.refinement.links import LinksPanel
from kanban.ui.refinement.readiness import ReadinessPanel, verdict_color, verdict_text
from kanban.ui.scoring.inputs import ScoringPanel

NONE_TEXT = "—"
FIELD_NAMES = {
    "title": "title",
    "kind": "kind",
    "points": "points",
    "business_value": "business value",
    "assignee_id": "assignee",
    "requested_by_id": "requester",
    "sprint_id": "sprint",
    "epic_id": "epic",
    "labels": "labels",
    "due_date": "due date",
    "blocked_reason": "blocked reason",
    "description": "description",
    **{name: FIELD_LABELS[name].lower() for name in SCORE_FIELDS},
}


def parse_labels(text: str) -> tuple[str, ...]:
    """Comma-separated label names, trimmed, without duplicates, sorted as the service does."""
    return normalize_labels(text.split(","))


def normalize_labels(names: Sequence[str]) -> tuple[str, ...]:
    """Label names trimmed, deduplicated and sorted case-insensitively."""
    return tuple(sorted({n.strip() for n in names if n.strip()}, key=str.lower))


def detail_values(detail: ItemDetail) -> dict[str, Any]:
    """The editable fields of an item, in the form the editor compares them."""
    values = {name: getattr(detail, name) for name in FIELD_NAMES}
    values["labels"] = normalize_labels(detail.labels)
    return values


def open_item_editor(ctx: AppContext, item_id: int, parent: QWidget | None = None) -> ItemEditor:
    """Open the editor on an item without blocking; returns the dialog."""
    return open_dialog(ItemEditor(ctx, item_id, parent or ctx.main_window))


class ItemEditor(QDialog):
    """Edit one item. Saving is one undoable command; a stale save keeps the user's text."""

    def __init__(self, ctx: AppContext, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.base: ItemDetail = ctx.read(items.get_item, item_id)
        self.resize(920, 640)

        self.key_label = QLabel()
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setObjectName("item_key")
        self.key_label.setStyleSheet("font-weight: 600;")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Title")
        self.title_edit.setAccessibleName("Title")
        font = self.title_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title_edit.setFont(font)
        header = QHBoxLayout()
        header.addWidget(self.key_label)
        header.addWidget(self.title_edit, 1)

        self.tabs = QTabWidget()
        self.scoring = ScoringPanel()
        self.value_spin = self.scoring.business_value  # a WSJF input, on the Scoring tab
        self.tabs.addTab(self._details_tab(), "Details")
        self.description_edit, self.description_preview = _markdown_pair()
        self.tabs.addTab(_split(self.description_edit, self.description_preview), "Description")
        self.description_edit.textChanged.connect(self._update_summary_preview)
        self.checklist = ChecklistPanel(ctx, item_id)
        self.tabs.addTab(self.checklist, "Acceptance criteria")
        self.checklist.model.modelReset.connect(self._update_summary_preview)
        self.comments = CommentsPanel(ctx, item_id)
        self.tabs.addTab(self.comments, "Comments")
        self.links = LinksPanel(
            ctx, item_id, self.base.product_id, open_item=lambda i: open_item_editor(ctx, i)
        )
        self.tabs.addTab(self.links, "Links")
        self.readiness = ReadinessPanel(
            ctx,
            item_id,
            edit_definitions=lambda: open_definitions_dialog(ctx, self.base.product_id, self),
        )
        self.tabs.addTab(self.readiness, "Ready")
        self.tabs.addTab(self.scoring, "Scoring")
        self.readiness.reloaded.connect(self._show_readiness)
        self.history = QTreeWidget()
        self.history.setHeaderLabels(["When", "Who", "What", "Detail"])
        self.history.setRootIsDecorated(False)
        self.history.setAlternatingRowColors(True)
        self.history.setStyleSheet("QTreeView::item { padding: 3px 8px 3px 0; }")
        self.tabs.addTab(self.history, "History")
        self.questions = ItemQuestionsPanel(ctx, item_id)
        self.tabs.addTab(self.questions, "Questions")

        self.banner = self._conflict_banner()
        self.buttons = ok_cancel(self, SAVE, self.save)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.buttons)

        self._fill_choices()
        self._show(self.base)
        ctx.events.external_change.connect(self._external_change)

    # --- building ----------------------------------------------------------------------------

    def _details_tab(self) -> QWidget:
        self.kind_combo = QComboBox()
        for kind in ITEM_KINDS:
            self.kind_combo.addItem(kind.capitalize(), kind)
        self.points_spin = QDoubleSpinBox()
        self.points_spin.setRange(-1, 999)
        self.points_spin.setDecimals(1)
        self.points_spin.setSpecialValueText(NONE_TEXT)  # shown at the minimum: no estimate
        self.assignee_combo = QComboBox()
        self.requester_combo = QComboBox()
        self.sprint_combo = QComboBox()
        self.epic_combo = QComboBox()
        self.labels_edit = QLineEdit()
        self.labels_edit.setPlaceholderText("comma-separated, e.g. checkout, mobile")
        self.due_check = QCheckBox("Due")
        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        due = QHBoxLayout()
        due.addWidget(self.due_check)
        due.addWidget(self.due_edit, 1)
        self.blocked_edit = QLineEdit()
        self.blocked_edit.setPlaceholderText("empty: not blocked")
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        form.addRow("Kind", self.kind_combo)
        form.addRow("Story points", self._points_row())
        form.addRow("Assignee", self.assignee_combo)
        form.addRow("Requested by", self.requester_combo)
        form.addRow("Sprint", self.sprint_combo)
        form.addRow("Epic", self.epic_combo)
        form.addRow("Labels", self.labels_edit)
        form.addRow("Due date", due)
        form.addRow("Blocked because", self.blocked_edit)
        form.addRow("Status", self.status_label)
        self.ready_label = QLabel()
        self.ready_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ready_label.setWordWrap(True)
        self.ready_label.setObjectName("readySummary")
        form.addRow("Ready", self.ready_label)
        form_box = QWidget()
        form_box.setFixedWidth(460)
        outer = QVBoxLayout(form_box)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.addLayout(form)
        outer.addStretch(1)
        # The description as it reads, beside the fields, so the first tab tells the whole story.
        self.summary_preview = MarkdownPreview()
        self.summary_preview.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(form_box)
        row.addWidget(self.summary_preview, 1)
        return page

    def _points_row(self) -> QWidget:
        """The points field and one button per value of the product's points scale."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.points_spin, 1)
        self.scale_buttons: list[QToolButton] = []
        self.points_scale = self.ctx.read(estimation.get_points_scale, self.base.product_id)
        for value in self.points_scale:
            button = QToolButton()
            button.setText(f"{value:g}")
            button.setToolTip(f"{value:g} points (the product's points scale)")
            button.setAutoRaise(True)
            button.setCheckable(True)  # checked: the estimate's value
            button.clicked.connect(lambda _=False, v=value: self.points_spin.setValue(v))
            layout.addWidget(button)
            self.scale_buttons.append(button)
        self.points_spin.valueChanged.connect(self._show_scale)
        return row

    def _show_scale(self) -> None:
        """Check the scale's button of the estimate; say so when it is off the scale."""
        points = self.points_spin.value()
        for button, value in zip(self.scale_buttons, self.points_scale, strict=True):
            button.setChecked(points == value)
        off = points >= 0 and points not in self.points_scale
        scale = ", ".join(f"{v:g}" for v in self.points_scale)
        self.points_spin.setToolTip(
            f"{points:g} points is not on the product's points scale ({scale})" if off else ""
        )

    def _show_readiness(self) -> None:
        ready = self.readiness.refinement.ready if self.readiness.refinement else None
        if ready is None:
            return
        self.ready_label.setText(verdict_text(ready))
        color = verdict_color(ready.met, self.palette()).name()
        self.ready_label.setStyleSheet(f"color: {color};")

    def _conflict_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("conflict_banner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setStyleSheet(
            "#conflict_banner { background: rgba(220, 120, 0, 40); border: 1px solid #d97706;"
            " border-radius: 4px; }"
        )
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.reload_button = QPushButton("Reload (keep my changes)")
        self.reload_button.setToolTip(
            "Take in what was changed elsewhere; fields you changed keep your values"
        )
        self.reload_button.clicked.connect(self.reload)
        self.discard_button = QPushButton("Show theirs (discard mine)")
        self.discard_button.clicked.connect(self.discard_mine)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.reload_button)
        layout = QVBoxLayout(banner)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        banner.hide()
        return banner

    def _fill_choices(self) -> None:
        product_id = self.base.product_id
        members = [(m.name, m.id) for m in self.ctx.read(people.list_members)]
        _fill(self.assignee_combo, members, self.base.assignee_id)
        stakeholders = [(s.name, s.id) for s in self.ctx.read(people.list_stakeholders)]
        _fill(self.requester_combo, stakeholders, self.base.requested_by_id)
        sprint_list = [
            (f"{s.name} ({s.state})", s.id)
            for s in self.ctx.read(sprints.list_sprints, product_id)
            if s.state != SprintState.CLOSED or s.id == self.base.sprint_id
        ]
        _fill(self.sprint_combo, sprint_list, self.base.sprint_id)
        epics = [
            (f"{e.key} {e.title}", e.id)
            for e in self.ctx.read(items.list_epics, product_id)
            if e.id != self.item_id
        ]
        _fill(self.epic_combo, epics, self.base.epic_id)

    # --- values ------------------------------------------------------------------------------

    def _set_field(self, name: str, value: Any) -> None:
        """Put one field's value in its widget."""
        combos = {
            "assignee_id": self.assignee_combo,
            "requested_by_id": self.requester_combo,
            "sprint_id": self.sprint_combo,
            "epic_id": self.epic_combo,
        }
        if name in combos:
            _select(combos[name], value)
        elif name == "title":
            self.title_edit.setText(value)
        elif name == "kind":
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(value))
        elif name == "points":
            self.points_spin.setValue(-1 if value is None else value)
        elif name == "business_value" or name in SCORE_FIELDS:
            self.scoring.set_value(name, value)
        elif name == "labels":
            self.labels_edit.setText(", ".join(value))
        elif name == "due_date":
            self._set_due(value)
        elif name == "blocked_reason":
            self.blocked_edit.setText(value or "")
        elif name == "description":
            self.description_edit.setPlainText(value)

    def _show(self, detail: ItemDetail, keep: dict[str, Any] | None = None) -> None:
        """Put an item's values in the widgets; ``keep`` holds the user's values to put back
        over them (after a reload)."""
        values = {**detail_values(detail), **(keep or {})}
        for name, value in values.items():
            self._set_field(name, value)
        self.key_label.setText(detail.key)
        self.setWindowTitle(f"{detail.key} — {detail.title}")
        state = "archived" if detail.archived else detail.column_name
        self.status_label.setText(
            f"{state} · created {_local(detail.created_at)} · updated {_local(detail.updated_at)}"
        )
        self._update_summary_preview()
        self._show_readiness()
        self._show_history()

    def _update_summary_preview(self) -> None:
        text = self.description_edit.toPlainText().strip()
        lines = self.checklist.model.lines
        if lines:
            # Boxes drawn as characters: the Markdown parser has no task lists.
            ticked = "  \n".join(f"{'☑' if x.done else '☐'} {_escape(x.text)}" for x in lines)
            text += f"\n\n#### Acceptance criteria\n\n{ticked}"
        self.summary_preview.set_markdown(text or "*No description yet.*")

    def _set_due(self, value: dt.date | None) -> None:
        self.due_check.setChecked(value is not None)
        self.due_edit.setEnabled(value is not None)
        self.due_edit.setDate(
            QDate(value.year, value.month, value.day) if value else QDate.currentDate()
        )

    def _show_history(self) -> None:
        self.history.clear()
        entries = self.ctx.read(items.item_history, self.item_id)
        for entry in entries:
            row = QTreeWidgetItem([_local(entry.at), entry.actor, entry.action, entry.detail])
            self.history.addTopLevelItem(row)
        self.scoring.show_history(
            [(_local(e.at), e.actor, e.detail) for e in entries if e.action == "edited"]
        )
        for column in range(3):
            self.history.resizeColumnToContents(column)

    def values(self) -> dict[str, Any]:
        """What the widgets hold now, field by field."""
        points = self.points_spin.value()
        return {
            "title": self.title_edit.text().strip(),
            "kind": self.kind_combo.currentData(),
            "points": None if points < 0 else points,
            "business_value": self.scoring.business(),
            "assignee_id": self.assignee_combo.currentData(),
            "requested_by_id": self.requester_combo.currentData(),
            "sprint_id": self.sprint_combo.currentData(),
            "epic_id": self.epic_combo.currentData(),
            "labels": parse_labels(self.labels_edit.text()),
            "due_date": self.due_edit.date().toPython() if self.due_check.isChecked() else None,
            "blocked_reason": self.blocked_edit.text().strip() or None,
            "description": self.description_edit.toPlainText(),
            **self.scoring.values(),
        }

    def changes(self) -> dict[str, Any]:
        """The fields the user changed since the item was loaded (or reloaded)."""
        base = detail_values(self.base)
        return {name: value for name, value in self.values().items() if value != base[name]}

    # --- actions -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the changed fields as one undoable edit; close on success."""
        changes = self.changes()
        if not changes:
            self.accept()
            return True
        problem = self.scoring.problem()
        if problem is not None and any(name in SCORE_FIELDS for name in changes):
            self.tabs.setCurrentWidget(self.scoring)
            self._show_error(ValidationError(problem))
            return False
        if changes.get("sprint_id") is not None:  # joining a sprint: asks first if not Ready
            sprint = self.sprint_combo.currentText()
            return gate_sprint(self.ctx, [self.item_id], sprint, self._save_changes, self)
        return self._save_changes()

    def _save_changes(self) -> bool:
        changes = self.changes()
        base = detail_values(self.base)
        command = EditItemCommand(
            self.ctx,
            self.item_id,
            self.base.version,
            {name: base[name] for name in changes},
            changes,
            text=f"Edit {self.base.key}",
        )
        if push(self.ctx, command, quiet=True):
            self.accept()
            return True
        assert command.error is not None
        self._show_error(command.error)
        return False

    def _show_error(self, error: KanbanError) -> None:
        conflict = isinstance(error, ConflictError)
        text = str(error)
        if conflict:
            text += (
                "\n\nYour changes are still here. “Reload” takes in the other side's changes "
                "and keeps yours, so you can check them and save again."
            )
        self.message.setText(text)
        self.reload_button.setVisible(conflict)
        self.discard_button.setVisible(conflict)
        self.banner.show()

    def reload(self) -> None:
        """Read the item again: fields the user changed keep the user's values, the others take
        the stored ones. Fields changed on both sides are listed with the other side's value."""
        try:
            fresh = self.ctx.read(items.get_item, self.item_id)
        except KanbanError as error:
            self._show_error(error)
            return
        mine = self.changes()
        old, theirs = detail_values(self.base), detail_values(fresh)
        both = [n for n in mine if theirs[n] != old[n] and theirs[n] != mine[n]]
        self.base = fresh
        self._fill_choices()
        self._show(fresh, keep=mine)
        if both:
            lines = "\n".join(f"• {FIELD_NAMES[n]}: {self._describe(n, theirs[n])}" for n in both)
            self.message.setText(
                "Reloaded. These fields were changed on both sides; your values are kept in the "
                f"editor, and the other side's were:\n{lines}\nSave to keep yours."
            )
            self.reload_button.hide()
            self.discard_button.show()
            self.banner.show()
        else:
            self.banner.hide()

    def _describe(self, name: str, value: object) -> str:
        """A field's value as the user knows it (names, not ids)."""
        combos = {
            "assignee_id": self.assignee_combo,
            "requested_by_id": self.requester_combo,
            "sprint_id": self.sprint_combo,
            "epic_id": self.epic_combo,
            "kind": self.kind_combo,
        }
        if name in combos and value is not None:
            combo = combos[name]
            index = combo.findData(value)
            return combo.itemText(index) if index >= 0 else str(value)
        return _describe(value)

    def discard_mine(self) -> None:
        """Throw away the user's changes and show the item as it is stored now."""
        try:
            self.base = self.ctx.read(items.get_item, self.item_id)
        except KanbanError as error:
            self._show_error(error)
            return
        self._fill_choices()
        self._show(self.base)
        self.banner.hide()

    def _external_change(self) -> None:
        # Another window or the command line wrote to the file: follow it when the user has
        # typed nothing; otherwise warn now rather than at save time.
        if not self.isVisible() or self.reload_button.isVisible():
            return  # not shown, or a conflict is on screen already
        try:
            fresh = self.ctx.read(items.get_item, self.item_id)
        except KanbanError as error:
            self._show_error(error)
            return
        if fresh.version == self.base.version:
            return
        if not self.changes():
            self.discard_mine()
            return
        self._show_error(
            ConflictError(f"{fresh.key} was changed elsewhere while you were editing it.")
        )


# --- helpers -------------------------------------------------------------------------------


def _markdown_pair() -> tuple[QPlainTextEdit, MarkdownPreview]:
    editor = QPlainTextEdit()
    editor.setPlaceholderText("Markdown: **bold**, *italic*, - lists, `code`")
    preview = MarkdownPreview()
    editor.textChanged.connect(lambda: preview.set_markdown(editor.toPlainText()))
    return editor, preview


def _split(editor: QWidget, preview: QWidget) -> QSplitter:
    splitter = QSplitter(Qt.Orientation.Horizontal)
    for title, widget in (("Markdown", editor), ("Preview", preview)):
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(widget, 1)
        splitter.addWidget(pane)
    splitter.setChildrenCollapsible(False)
    return splitter


def _fill(combo: QComboBox, choices: list[tuple[str, int]], current: int | None) -> None:
    combo.clear()
    combo.addItem(NONE_TEXT, None)
    for text, value in choices:
        combo.addItem(text, value)
    if current is not None and combo.findData(current) < 0:
        combo.addItem(f"#{current} (archived)", current)
    _select(combo, current)


def _select(combo: QComboBox, value: int | None) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)


def _local(moment: dt.datetime) -> str:
    """A stored (naive UTC) time in the user's time zone."""
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _escape(text: str) -> str:
    """Text shown as itself inside Markdown: its punctuation escaped (HTML is off anyway)."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!<>|~" else c for c in text)


def _describe(value: object) -> str:
    if value is None or value == "" or value == ():
        return "(empty)"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    text = str(value).replace("\n", " ")
    return f"“{text[:120]}…”" if len(text) > 120 else f"“{text}”"

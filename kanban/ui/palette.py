"""The command palette (Ctrl+K): find an item of any product by key or title, a question, a
screen or an action, and open or run it with Enter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
)

from kanban.errors import KanbanError
from kanban.services import search
from kanban.services.records import Found
from kanban.ui.context import show_error

if TYPE_CHECKING:
    from kanban.ui.main_window import MainWindow

SEARCH_DELAY_MS = 120
"""Typing pauses this long before the database is searched (a 100,000-item scan is ~80 ms)."""
ENTRY_ROLE = Qt.ItemDataRole.UserRole
NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class Entry:
    """One line of the palette and what picking it does."""

    kind: str  # "Screen", "Action", "Item", "Question"
    text: str
    hint: str
    run: Callable[[], object]

    @property
    def line(self) -> str:
        return f"{self.text}    {self.hint}" if self.hint else self.text


def plain(text: str) -> str:
    """A menu text without its mnemonic ampersand and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def menu_actions(
    menu: QMenu, path: str = "", enabled_only: bool = True
) -> Iterator[tuple[str, QAction]]:
    """Every visible (and, with ``enabled_only``, enabled) action of a menu and its
    submenus, with its menu path."""
    where = f"{path} ▸ {plain(menu.title())}" if path else plain(menu.title())
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_actions(sub, where, enabled_only)
        elif (action.isEnabled() or not enabled_only) and plain(action.text()):
            yield where, action


def matches(text: str, words: list[str]) -> bool:
    """Whether every typed word is in the text (any case)."""
    folded = text.casefold()
    return all(word in folded for word in words)


class EntryDelegate(QStyledItemDelegate):
    """A row: the kind in a muted tag, the text, and the hint right-aligned and muted."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), option.fontMetrics.height() + 12)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, Entry):
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        painter.save()
        if selected:
            painter.fillRect(option.rect, palette.highlight())
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        muted = QColor(text_color)
        muted.setAlphaF(0.62)
        metrics = option.fontMetrics
        area = option.rect.adjusted(10, 0, -10, 0)
        tag_width = metrics.horizontalAdvance("Question") + 14
        painter.setPen(muted)
        painter.drawText(
            area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, entry.kind
        )
        hint_width = min(metrics.horizontalAdvance(entry.hint) + 4, area.width() // 3)
        hint = metrics.elidedText(entry.hint, Qt.TextElideMode.ElideLeft, hint_width)
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, hint)
        text_area = area.adjusted(tag_width, 0, -(hint_width + 16), 0)
        painter.setPen(text_color)
        text = metrics.elidedText(entry.text, Qt.TextElideMode.ElideRight, text_area.width())
        painter.drawText(
            text_area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text
        )
        painter.restore()


class CommandPalette(QDialog):
    """A search line over a list of what can be opened or run; Enter picks, Esc closes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Find and run")
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)

        self.setMinimumWidth(620)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            "Find an item (key or title), a question, a screen, an action…"
        )
        self.edit.setAccessibleName("Find and run")
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._typed)
        self.list = QListWidget()
        self.list.setAccessibleName("Results")
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(EntryDelegate(self.list))
        self.list.itemActivated.connect(self._picked)
        self.hint = QLabel("↑↓ choose · Enter open or run · Esc close")
        self.hint.setEnabled(False)
        frame = QFrame()  # the border a frameless window lacks
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(frame)
        inner.addWidget(self.edit)
        inner.addWidget(self.list, 1)
        inner.addWidget(self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        self.resize(680, 420)
        self._commands = list(self._command_entries())
        self._found: list[Entry] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self._show()

    # --- what there is -------------------------------------------------------------------------

    def _command_entries(self) -> Iterator[Entry]:
        from kanban.ui.main_window import PAGES

        window = self.window_
        for row, page in enumerate(PAGES):
            keys = QKeySequence(f"Ctrl+{row + 1}").toString(NATIVE)
            yield Entry(
                "Screen", f"Go to {page.title}", keys, partial(window.nav.setCurrentRow, row)
            )
        for where, action in self._actions():
            keys = action.shortcut().toString(NATIVE)
            hint = f"{where} · {keys}" if keys else where
            yield Entry("Action", plain(action.text()), hint, action.trigger)

    def _actions(self) -> Iterator[tuple[str, QAction]]:
        window = self.window_
        seen: set[int] = set()
        for menu_action in window.menuBar().actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu) and menu_action.isVisible():
                for where, action in menu_actions(menu):
                    if id(action) not in seen and action is not window.palette_action:
                        seen.add(id(action))
                        yield where, action

    # --- typing and searching ------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self._found = []
        self._show()
        self._timer.start()

    def search_now(self) -> None:
        """Search the items and questions for what is typed (also called after a pause)."""
        self._timer.stop()
        text = self.edit.text().strip()
        if len(text) < 2:
            self._found = []
        else:
            try:
                ctx = self.window_.ctx
                prefer = ctx.product.id if ctx.product else None
                hits = ctx.read(search.find, text, prefer=prefer)
            except KanbanError as error:
                show_error(self, error)
                hits = []
            self._found = [self._found_entry(hit) for hit in hits]
        self._show()

    def _found_entry(self, hit: Found) -> Entry:
        window = self.window_
        if hit.kind == search.ITEM:
            return Entry("Item", f"{hit.label}  {hit.text}", f"{hit.product_key} · {hit.where}",
                         lambda: window.open_item(hit.product_id, hit.id))  # fmt: skip
        return Entry("Question", f"{hit.label}  {hit.text}", f"{hit.product_key} · {hit.where}",
                     lambda: window.show_question(hit.product_id, hit.id))  # fmt: skip

    def entries(self) -> list[Entry]:
        """What the list shows now, in order."""
        words = self.edit.text().casefold().split()
        commands = [e for e in self._commands if matches(f"{e.text} {e.hint}", words)]
        # A key or title typed: the items and questions found come first.
        return [*self._found, *commands] if words else commands

    def _show(self) -> None:
        self.list.clear()
        for entry in self.entries():
            row = QListWidgetItem(entry.line)
            row.setToolTip(entry.line)
            row.setData(ENTRY_ROLE, entry)
            self.list.addItem(row)
        if self.list.count():
            self.list.setCurrentRow(0)

    # --- picking -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.list.keyPressEvent(event)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self.search_now()  # Enter right after typing a key: find it first
                self.pick()
                return True
        return super().eventFilter(watched, event)

    def pick(self) -> bool:
        """Open or run the current entry, closing the palette first; False when there is none."""
        row = self.list.currentItem()
        if row is None:
            return False
        entry: Entry = row.data(ENTRY_ROLE)
        self.accept()
        entry.run()
        return True

    def _picked(self, row: QListWidgetItem) -> None:
        self.list.setCurrentItem(row)
        self.pick()

"""Swimlanes on the board: one row of cells per epic, assignee, release or kind.

A lane is a row across every column; each cell is a card list of its own (a ``ColumnModel``
whose drops carry the lane), so dragging a card into another lane sets that lane's field as
the same change as the move (``items.move_items(..., changes=...)``, one undo step). The
column headers above the lanes count every card of the column, whatever lane it is in: the
WIP rule is the column's. Partitioning is one pass over each column's cards.
"""

from __future__ import annotations

import json
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QPoint, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from kanban.domain import ITEM_KINDS, over_wip_limit, plural
from kanban.services.records import Card, ColumnInfo
from kanban.ui.board.delegate import blend
from kanban.ui.board.model import ColumnModel, DropHandler
from kanban.ui.board.view import COLUMN_FIT_WIDTH, CardListView, CountBadge

LANE_ROWS = 3
"""Cards a lane shows at most before its cells scroll (each on its own)."""
EMPTY_LANE_HEIGHT = 44
"""The height of a lane without cards (shown or filtered): a strip to drop a card into."""
OPEN_LANES = 20
"""Lanes open at first; the rest start collapsed, their cells made when opened."""


class LaneField(StrEnum):
    """What the board's lanes group cards by ("" for no lanes)."""

    NONE = ""
    EPIC = "epic"
    ASSIGNEE = "assignee"
    RELEASE = "release"
    KIND = "kind"


LANE_CHOICES = (
    ("No swimlanes", LaneField.NONE),
    ("Lanes by epic", LaneField.EPIC),
    ("Lanes by assignee", LaneField.ASSIGNEE),
    ("Lanes by release", LaneField.RELEASE),
    ("Lanes by kind", LaneField.KIND),
)

_CARD_FIELD = {
    LaneField.EPIC: "epic_id",
    LaneField.ASSIGNEE: "assignee",
    LaneField.RELEASE: "release_id",
    LaneField.KIND: "kind",
}
ITEM_FIELD = {
    LaneField.EPIC: "epic_id",
    LaneField.ASSIGNEE: "assignee_id",
    LaneField.RELEASE: "release_id",
    LaneField.KIND: "kind",
}
"""The item's field a drop into a lane sets (``items.EDITABLE_FIELDS``)."""
NOBODY = {
    LaneField.EPIC: "No epic",
    LaneField.ASSIGNEE: "Unassigned",
    LaneField.RELEASE: "No release",
}


def _setting(database: str, product_id: int, what: str) -> str:
    return f"board/lanes/{database}/{product_id}/{what}"


def remembered_field(database: str, product_id: int) -> LaneField:
    """The lanes last chosen for a product of a database (none at first)."""
    value = QSettings().value(_setting(database, product_id, "field"), "")
    try:
        return LaneField(str(value or ""))
    except ValueError:  # a choice of a later version
        return LaneField.NONE


def remember_field(database: str, product_id: int, field: LaneField) -> None:
    """Keep the product's lanes choice for the next time it is shown."""
    QSettings().setValue(_setting(database, product_id, "field"), str(field))


def remembered_collapsed(database: str, product_id: int, field: LaneField) -> set[Any]:
    """The keys of the product's lanes of ``field`` that the user collapsed."""
    value = QSettings().value(_setting(database, product_id, f"collapsed-{field}"), "")
    try:
        keys = json.loads(str(value)) if value else []
    except ValueError:
        return set()
    return {key for key in keys if key is None or isinstance(key, int | str)}


def remember_collapsed(database: str, product_id: int, field: LaneField, keys: set[Any]) -> None:
    """Keep which lanes of ``field`` are collapsed (keys: ids, names, kinds, None)."""
    ordered = sorted(keys, key=lambda key: (key is not None, str(key)))
    QSettings().setValue(_setting(database, product_id, f"collapsed-{field}"), json.dumps(ordered))


_KEY_OF = {field: attrgetter(name) for field, name in _CARD_FIELD.items()}
_RANK = attrgetter("rank")
_POINTS = attrgetter("points")


def lane_key(card: Card, field: LaneField) -> Any:
    """The lane a card is in: its epic's id, assignee's name, release's id or kind."""
    return _KEY_OF[field](card)


def lane_keys(cards: Iterable[Card], field: LaneField) -> set[Any]:
    """Every lane the cards are in (one pass in C: 100,000 cards in a few ms)."""
    return set(map(_KEY_OF[field], cards))


@dataclass(frozen=True, slots=True)
class Lane:
    """One lane: its key (a card's value), its title, and the value a drop writes."""

    key: Any
    title: str
    value: Any


def lanes_for(
    field: LaneField, names: Mapping[Any, str], values: Mapping[Any, Any], held: set[Any]
) -> list[Lane]:
    """The lanes of a field, in order: every known value (``names``: key -> title, in the
    order to show; ``values``: key -> the value a drop writes, when not the key), then any
    other value a card holds (``held``: :func:`lane_keys`), then the lane of none (except
    for kinds)."""
    others = sorted((k for k in held if k is not None and k not in names), key=str)
    keys = [*names, *others]
    lanes = [Lane(key, names.get(key, str(key)), values.get(key, key)) for key in keys]
    if field in NOBODY:
        lanes.append(Lane(None, NOBODY[field], None))
    return lanes


def kind_names() -> dict[str, str]:
    """The kind lanes' titles, in the vocabulary's order."""
    return {kind: kind.capitalize() for kind in ITEM_KINDS}


def partition(cards: Iterable[Card], field: LaneField) -> dict[Any, list[Card]]:
    """A column's cards (rank order) by lane, each lane's list in rank order: one pass."""
    by_lane: dict[Any, list[Card]] = {}
    for key, card in zip(map(_KEY_OF[field], cards), cards, strict=True):
        held = by_lane.get(key)
        if held is None:
            by_lane[key] = [card]
        else:
            held.append(card)
    return by_lane


# --- widgets -------------------------------------------------------------------------------


class LaneHeader(QFrame):
    """A lane's title with its card count and points; a click opens or collapses it."""

    toggled = Signal(object)  # the lane's key

    def __init__(self, lane: Lane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self.setObjectName("laneHeader")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open = True
        self.arrow = QLabel()
        self.title = QLabel(lane.title)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.count = CountBadge()
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setEnabled(False)  # greyed
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 2)
        layout.setSpacing(8)
        layout.addWidget(self.arrow)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setAccessibleName(f"Lane {lane.title}")
        self.set_open(True)

    def set_open(self, open_: bool) -> None:
        self.open = open_
        self.arrow.setText("▾" if open_ else "▸")
        self.setToolTip(("Collapse" if open_ else "Open") + f" the lane {self.lane.title}")

    def set_counts(self, cards: int, points: float, shown: int) -> None:
        """Show how many cards the lane holds (of them, how many the filter shows)."""
        self.count.set_text(f"{cards:,}" if shown == cards else f"{shown:,} of {cards:,}", False)
        self.detail.setText(f"{points:g} {'point' if points == 1 else 'points'}" if points else "")
        self.count.setToolTip(f"{plural(cards, 'card')} in this lane, in every column")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.toggled.emit(self.lane.key)
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # A band across the columns: where one lane ends and the next begins.
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(blend(window, text, 0.07))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0, 2, 0, 0), 6, 6)


class ColumnHeader(QFrame):
    """A column's name and count over the lanes; the count is every card of the column. Its
    ⋯ button (or a right click) asks for the column's menu, as on the board without lanes."""

    menu_requested = Signal(int, QPoint)  # column id, global position

    def __init__(self, column: ColumnInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laneColumnHeader")
        self.column = column
        self.name = QLabel(column.name)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.name.font())
        bold.setBold(True)
        self.name.setFont(bold)
        self.count = CountBadge()
        self.menu_button = QToolButton()
        self.menu_button.setText("⋯")
        self.menu_button.setToolTip("Column actions")
        self.menu_button.setAutoRaise(True)
        self.menu_button.clicked.connect(
            lambda: self.menu_requested.emit(
                column.id, self.menu_button.mapToGlobal(self.menu_button.rect().bottomLeft())
            )
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: self.menu_requested.emit(column.id, self.mapToGlobal(pos))
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 4)
        layout.addWidget(self.name)
        layout.addWidget(self.count)
        layout.addStretch(1)
        layout.addWidget(self.menu_button)
        self.setMinimumWidth(COLUMN_FIT_WIDTH)

    def update_count(self, total: int, shown: int) -> None:
        """The column's cards against its WIP limit (red past it), as the board's header."""
        limit = self.column.wip_limit
        text = f"{total:,}" if limit is None else f"{total:,} / {limit:,}"
        self.count.set_text(text if shown == total else f"{shown:,} of {text}",
                            over_wip_limit(total, limit))  # fmt: skip
        self.count.setToolTip(
            f"Over the WIP limit: {total} cards, limit {limit}"
            if over_wip_limit(total, limit)
            else "Cards in this column, in every lane"
        )


@dataclass
class LaneRow:
    """A lane on screen: its header and, once it has been open, one cell per column."""

    lane: Lane
    header: LaneHeader
    cells: dict[int, CardListView]
    open: bool


class LaneBoard(QWidget):
    """The columns' headers over one row per lane; each cell a card list of its own.

    ``on_drop(lane_key)`` gives the drop handler of a lane's cells; ``make_view`` sets up a
    new cell's view as the board does its columns (menus, editor, selection).
    """

    collapsed_changed = Signal()  # the user opened or collapsed a lane
    column_menu_requested = Signal(int, QPoint)  # a column header's menu: column id, where

    def __init__(
        self,
        on_drop: Callable[[Any], DropHandler],
        make_view: Callable[[CardListView], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("boardLanes")
        self._on_drop = on_drop
        self._make_view = make_view
        self.field = LaneField.NONE
        self.columns: list[ColumnInfo] = []
        self.headers: dict[int, ColumnHeader] = {}
        self.rows: dict[Any, LaneRow] = {}
        self.collapsed: set[Any] = set()  # lanes the user closed (kept across refills)
        self.opened: set[Any] = set()  # lanes the user opened beyond OPEN_LANES
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(12, 6, 12, 12)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        self._cards: dict[Any, dict[int, list[Card]]] = {}  # lane -> column -> cards shown
        self._totals: dict[Any, list[float]] = {}  # lane -> [cards, points] of every card

    # --- building ------------------------------------------------------------------------------

    def build(
        self,
        field: LaneField,
        columns: Sequence[ColumnInfo],
        lanes: Sequence[Lane],
        collapsed: set[Any] | None = None,
    ) -> None:
        """Lay out the headers and lanes anew (a new field, columns, or set of lanes);
        ``collapsed``: the lanes to show collapsed (default: those the user collapsed)."""
        if field != self.field:
            self.opened.clear()
        if collapsed is not None:
            self.collapsed = set(collapsed)
        elif field != self.field:
            self.collapsed.clear()
        self.field = field
        self._clear()
        self.columns = list(columns)
        for position, column in enumerate(self.columns):
            header = ColumnHeader(column)
            header.menu_requested.connect(self.column_menu_requested)
            self.headers[column.id] = header
            self.grid.addWidget(header, 0, position)
            header.show()
            self.grid.setColumnStretch(position, 1)
        for index, lane in enumerate(lanes):
            title = LaneHeader(lane)
            title.toggled.connect(self.toggle)
            self.grid.addWidget(title, 1 + 2 * index, 0, 1, max(1, len(self.columns)))
            title.show()  # now, not when the event loop next runs (Qt's default)
            open_ = self._starts_open(lane.key, index)
            row = LaneRow(lane, title, {}, open_)
            self.rows[lane.key] = row
            title.set_open(open_)
            if open_:
                self._make_cells(row, 2 + 2 * index)
        self.grid.setRowStretch(2 + 2 * len(lanes), 1)

    def _starts_open(self, key: Any, index: int) -> bool:
        if key in self.collapsed:
            return False
        return index < OPEN_LANES or key in self.opened

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.headers.clear()
        self.rows.clear()
        self._cards.clear()

    def _make_cells(self, row: LaneRow, grid_row: int) -> None:
        for position, column in enumerate(self.columns):
            model = ColumnModel(column.id, self._on_drop(row.lane.key), self)
            view = CardListView()
            view.setModel(model)
            view.setProperty("lane_key", row.lane.key)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            view.setMinimumWidth(COLUMN_FIT_WIDTH)
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            view.setAccessibleName(f"{column.name}, lane {row.lane.title}")
            self._make_view(view)
            row.cells[column.id] = view
            self.grid.addWidget(view, grid_row, position)
            view.setVisible(row.open)
            cards = self._cards.get(row.lane.key, {}).get(column.id, [])
            model.reset(list(cards))
        self._fit_height(row)

    def _grid_row(self, key: Any) -> int:
        return 2 + 2 * list(self.rows).index(key)

    # --- showing cards ---------------------------------------------------------------------------

    def fill(self, shown: Mapping[int, Sequence[Card]], every: Iterable[Card]) -> None:
        """Show these cards (column id -> the cards the filter lets through, rank order);
        ``every`` card of the product counts in its lane's header."""
        self._cards = {key: {} for key in self.rows}
        for column_id, cards in shown.items():
            for key, in_lane in partition(cards, self.field).items():
                self._cards.setdefault(key, {})[column_id] = in_lane
        every = list(every)
        counts = Counter(map(_KEY_OF[self.field], every))
        points: dict[Any, float] = dict.fromkeys(counts, 0.0)
        for key, card_points in zip(
            map(_KEY_OF[self.field], every), map(_POINTS, every), strict=True
        ):
            if card_points:
                points[key] += card_points
        self._totals = {key: [count, points[key]] for key, count in counts.items()}
        for key, row in self.rows.items():
            for column_id, view in row.cells.items():
                view.column_model().reset(list(self._cards.get(key, {}).get(column_id, [])))
            self._fit_height(row)

    def count(self, old: Card | None, new: Card | None) -> None:
        """A card of the product changed (``old`` as held, ``new`` as now; None: not live):
        its lanes' totals follow."""
        for card, step in ((old, -1), (new, 1)):
            if card is not None:
                total = self._totals.setdefault(lane_key(card, self.field), [0, 0.0])
                total[0] += step
                total[1] += step * (card.points or 0)

    def views(self) -> list[CardListView]:
        """Every cell made, lane by lane."""
        return [view for row in self.rows.values() for view in row.cells.values()]

    def shown_count(self) -> int:
        """How many cards the lanes show (those of collapsed lanes too)."""
        return sum(len(cards) for lane in self._cards.values() for cards in lane.values())

    def knows(self, key: Any) -> bool:
        """Whether a lane is on the board."""
        return key in self.rows

    def cell(self, key: Any, column_id: int) -> CardListView | None:
        """The cell of a lane and a column, when made (its lane has been open)."""
        row = self.rows.get(key)
        return row.cells.get(column_id) if row is not None else None

    def apply(self, old: Card | None, new: Card | None) -> None:
        """One card's change, as shown (``old``) and as it should show (``new``; None:
        it leaves or the filter hides it): its cells' rows, and what the lanes hold."""
        for card, gone in ((old, True), (new, False)):
            if card is None:
                continue
            key = lane_key(card, self.field)
            cards = self._cards.setdefault(key, {}).setdefault(card.column_id, [])
            if gone:  # ranks are unique in a product: the card is where its rank sorts
                at = bisect_left(cards, card.rank, key=_RANK)
                if at < len(cards) and cards[at].id == card.id:
                    del cards[at]
                else:  # not where expected (never, barring a bug): look everywhere
                    cards[:] = [c for c in cards if c.id != card.id]
            else:
                insort(cards, card, key=_RANK)
        old_view = self.cell(lane_key(old, self.field), old.column_id) if old else None
        new_view = self.cell(lane_key(new, self.field), new.column_id) if new else None
        if old_view is new_view:
            if old_view is not None:
                old_view.column_model().apply(old, new)
        else:
            if old_view is not None:
                old_view.column_model().apply(old, None)
            if new_view is not None:
                new_view.column_model().apply(None, new)
        for key in {lane_key(c, self.field) for c in (old, new) if c is not None}:
            if key in self.rows:
                self._fit_height(self.rows[key])

    def update_counts(self, totals: Mapping[int, int]) -> None:
        """The column headers' counts (``totals``: every card of each column, in any lane)
        and each lane's (every card of the lane, and how many of them show)."""
        for column_id, header in self.headers.items():
            shown = sum(len(self._cards.get(k, {}).get(column_id, ())) for k in self.rows)
            header.update_count(totals.get(column_id, 0), shown)
        for key, row in self.rows.items():
            cards, points = self._totals.get(key, (0, 0.0))
            shown = sum(len(v) for v in self._cards.get(key, {}).values())
            row.header.set_counts(int(cards), float(points), shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Each column as one panel from its header down through every lane, as on the
        board without lanes."""
        if not self.headers:
            return
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.WindowText)
        bottom = max(
            (w.geometry().bottom() for row in self.rows.values() for w in (row.header,)),
            default=0,
        )
        for row in self.rows.values():
            for view in row.cells.values():
                if view.isVisible():
                    bottom = max(bottom, view.geometry().bottom())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(blend(window, base, 0.5))
        painter.setPen(QPen(blend(window, text, 0.12), 1.0))
        for header in self.headers.values():
            area = header.geometry()
            panel = QRectF(area.left(), area.top(), area.width(), bottom + 6 - area.top())
            painter.drawRoundedRect(panel.adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)

    # --- opening and collapsing ----------------------------------------------------------------

    def toggle(self, key: Any) -> None:
        """Open a collapsed lane (making its cells) or collapse an open one."""
        row = self.rows.get(key)
        if row is None:
            return
        row.open = not row.open
        row.header.set_open(row.open)
        (self.opened if row.open else self.collapsed).add(key)
        (self.collapsed if row.open else self.opened).discard(key)
        if row.open and not row.cells:
            self._make_cells(row, self._grid_row(key))
        for view in row.cells.values():
            view.setVisible(row.open)
        self.update()  # the columns' panels end with the last lane shown
        self.collapsed_changed.emit()

    def _fit_height(self, row: LaneRow) -> None:
        """A lane as tall as its fullest cell, up to LANE_ROWS cards (then its cells scroll);
        an empty lane is a strip of EMPTY_LANE_HEIGHT pixels, room to drop a card."""
        if not row.cells:
            return
        most = max((v.column_model().rowCount() for v in row.cells.values()), default=0)
        any_view = next(iter(row.cells.values()))
        card = any_view.gridSize().height() or QSize(0, 90).height()
        frame = 2 * any_view.frameWidth() + 4
        height = card * min(most, LANE_ROWS) + frame if most else EMPTY_LANE_HEIGHT
        for view in row.cells.values():
            if view.height() != height:
                view.setFixedHeight(height)

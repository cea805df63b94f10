"""The backlog table model: the visible cards in rank order, dragged by id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPixmap

from kanban.domain import ItemKind, ScoreMethod
from kanban.services.records import Card
from kanban.ui.drag import MIME_TYPE, decode_ids, encode_ids
from kanban.ui.theme import KIND_COLORS

if TYPE_CHECKING:
    from kanban.metrics.scoring import ScoreInputs

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1

KEY, KIND, TITLE, POINTS, TOTAL, VALUE, LABELS, REQUESTER, SPRINT, STATUS, READY, WSJF, RICE = (
    range(13)
)
SCORE_COLUMNS = {WSJF: ScoreMethod.WSJF, RICE: ScoreMethod.RICE}
"""The score columns (hidden until the user shows them) and the method each shows."""
SCORE_ROLE = Qt.ItemDataRole.UserRole + 2
"""A score column's number (None: no score), what sorting by it compares."""
NO_SCORE = "—"
_SCORE_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SCORE_ROLE)
HEADERS = (
    "Key",
    "Kind",
    "Title",
    "Points",
    "Σ Points",
    "Value",
    "Labels",
    "Requested by",
    "Sprint",
    "Status",
    "Ready",
    "WSJF",
    "RICE",
)
UNESTIMATED = "?"
READY_TEXT = {True: "Ready", False: "Not ready", None: ""}
READY_COLOR = QColor("#16a34a")
NOT_READY_COLOR = QColor("#d97706")
UNESTIMATED_FILL = QColor(217, 119, 6, 46)
NUMERIC = frozenset({POINTS, TOTAL, VALUE, WSJF, RICE})

# (dragged item ids, after_id, before_id) -> whether the move was made
Mover = Callable[[Sequence[int], int | None, int | None], bool]
Index = QModelIndex | QPersistentModelIndex


@cache
def blocked_icon() -> QPixmap:
    """A small red "no entry" sign marking a blocked item (drawn: no font has to carry it)."""
    size = 14
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#dc2626"))
    painter.drawEllipse(0, 0, size, size)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(3, size // 2 - 1, size - 6, 3)
    painter.end()
    return pixmap


def _unestimated(card: Card) -> bool:
    """An item that should have an estimate and has none (epics are not estimated)."""
    return card.points is None and card.kind != ItemKind.EPIC


def _fmt_points(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


class BacklogModel(QAbstractTableModel):
    """Rows are cards; names for column and sprint ids and running totals are given to it.

    :meth:`set_rows` changes the rows with the smallest signal it can (one move, insert or
    removal), and resets the model only for bigger changes such as a new filter.
    """

    def __init__(self, mover: Mover | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.mover = mover
        self.rows: list[Card] = []
        self.column_names: dict[int, str] = {}
        self.done_columns: frozenset[int] = frozenset()
        self.sprint_names: dict[int, str] = {}
        self.totals: dict[int, float] = {}
        self.points_scale: tuple[float, ...] = ()  # the product's; () marks no estimate off it
        self.scores: dict[int, ScoreInputs] = {}  # by item id, read while a score column shows
        self._rows_by_id: dict[int, int] | None = None

    # --- data --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        card = self.rows[index.row()]
        column = index.column()
        if column in SCORE_COLUMNS and role in _SCORE_ROLES:
            return self._score_data(card, SCORE_COLUMNS[column], role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(card, column)
        if role == ITEM_ID_ROLE:
            return card.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(card, column)
        if column == READY and role == Qt.ItemDataRole.ForegroundRole and card.ready is not None:
            return READY_COLOR if card.ready else NOT_READY_COLOR
        if column == POINTS and role == Qt.ItemDataRole.BackgroundRole and _unestimated(card):
            return UNESTIMATED_FILL
        if column == POINTS and role == Qt.ItemDataRole.ForegroundRole and self._off_scale(card):
            return NOT_READY_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == KIND:
            return KIND_COLORS.get(card.kind)
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE:
            return blocked_icon() if card.blocked_reason or card.blocked_by else None
        if role == Qt.ItemDataRole.ForegroundRole and card.column_id in self.done_columns:
            return QColor(128, 128, 128)
        return None

    def _text(self, card: Card, column: int) -> str:
        if column == KEY:
            return card.key
        if column == KIND:
            return card.kind.capitalize()
        if column == TITLE:
            return card.title
        if column == POINTS:
            return UNESTIMATED if _unestimated(card) else _fmt_points(card.points)
        if column == TOTAL:
            return _fmt_points(self.totals.get(card.id))
        if column == VALUE:
            return "" if card.business_value is None else str(card.business_value)
        if column == LABELS:
            return ", ".join(card.labels)
        if column == REQUESTER:
            return card.requested_by or ""
        if column == SPRINT:
            return self.sprint_names.get(card.sprint_id, "") if card.sprint_id else ""
        if column == READY:
            return READY_TEXT[card.ready]
        return self.column_names.get(card.column_id, "")

    def score_of(self, card: Card, method: str) -> float | None:
        """A card's score by a method (None: no score, or its inputs not read)."""
        from kanban.metrics.scoring import score  # loaded once a score column shows

        inputs = self.scores.get(card.id)
        return None if inputs is None else score(inputs, method)

    def _score_data(self, card: Card, method: str, role: int) -> Any:
        value = self.score_of(card, method)
        if role == SCORE_ROLE:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return NO_SCORE if value is None else f"{value:.2f}"
        from kanban.metrics.scoring import FORMULAS, missing
        from kanban.services.scoring import no_inputs
        from kanban.ui.scoring.inputs import worked

        inputs = self.scores.get(card.id) or no_inputs(card.id, card.key, card.title, card.rank)
        if value is None:
            needs = ", ".join(missing(inputs, method))
            return f"No {method.upper()} score: needs {needs} (the item editor's Scoring tab)"
        return f"{FORMULAS[ScoreMethod(method)]}\n{worked(inputs, method)}"

    def _tooltip(self, card: Card, column: int) -> str | None:
        if column == READY and card.not_ready_because:
            return "Not ready: " + " ".join(card.not_ready_because)
        if column == POINTS and _unestimated(card):
            return "Not estimated yet"
        if column == POINTS and self._off_scale(card):
            scale = ", ".join(f"{v:g}" for v in self.points_scale)
            points = _fmt_points(card.points)
            return f"{points} points is not on the product's points scale ({scale})"
        tip = [card.title] if column == TITLE else []
        if card.blocked_by:
            tip.append(f"Blocked by {', '.join(card.blocked_by)} (not done)")
        if card.blocked_reason:
            tip.append(f"Blocked: {card.blocked_reason}")
        return "\n".join(tip) or None

    def _off_scale(self, card: Card) -> bool:
        """An open item estimated with points that are not on the product's scale."""
        return (
            card.points is not None
            and bool(self.points_scale)
            and card.points not in self.points_scale
            and card.column_id not in self.done_columns
        )

    def card_at(self, row: int) -> Card:
        """The card shown on a row."""
        return self.rows[row]

    def row_of(self, item_id: int) -> int | None:
        """The row showing an item, or None."""
        if self._rows_by_id is None:  # built on first use after a change, O(rows) once
            self._rows_by_id = {card.id: row for row, card in enumerate(self.rows)}
        return self._rows_by_id.get(item_id)

    # --- changing the rows -------------------------------------------------------------------

    def set_rows(self, rows: list[Card]) -> None:
        """Show these cards, signalling a single move, insert or removal when that is all."""
        self._rows_by_id = None
        old = [card.id for card in self.rows]
        new = [card.id for card in rows]
        if old != new and not self._small_change(old, new, rows):
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        self.rows = rows
        if rows:  # titles, totals, sprint or status may have changed on any row
            last = self.index(len(rows) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _small_change(self, old: list[int], new: list[int], rows: list[Card]) -> bool:
        parent = QModelIndex()
        start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
        if start is None:
            start = min(len(old), len(new))
        if len(new) == len(old) + 1 and old[start:] == new[start + 1 :]:
            self.beginInsertRows(parent, start, start)
            self.rows = rows
            self.endInsertRows()
            return True
        if len(new) == len(old) - 1 and old[start + 1 :] == new[start:]:
            self.beginRemoveRows(parent, start, start)
            self.rows = rows
            self.endRemoveRows()
            return True
        if len(new) != len(old):
            return False
        end = next(i for i in range(len(old) - 1, -1, -1) if old[i] != new[i])
        if old[start] == new[end] and old[start + 1 : end + 1] == new[start:end]:
            # One row moved down: Qt wants the destination *after* removal is undone (end + 1).
            self.beginMoveRows(parent, start, start, parent, end + 1)
        elif old[end] == new[start] and old[start:end] == new[start + 1 : end + 1]:
            self.beginMoveRows(parent, end, end, parent, start)
        else:
            return False
        self.rows = rows
        self.endMoveRows()
        return True

    # --- drag and drop -----------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemIsDragEnabled)
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        return encode_ids([self.rows[row].id for row in rows])

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self.mover is not None and bool(decode_ids(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Hand the move to the mover: the ids go just before the row dropped on.

        ``row`` is -1 when dropped onto a row (``parent`` is that row: place before it) or
        below the last row (place after the last row).
        """
        ids = decode_ids(data)
        if not ids or self.mover is None or action == Qt.DropAction.IgnoreAction:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.rows)
        dragged = set(ids)
        before = next((c.id for c in self.rows[row:] if c.id not in dragged), None)
        after = None
        if before is None:
            after = next((c.id for c in reversed(self.rows[:row]) if c.id not in dragged), None)
            if after is None:
                return False  # nothing else to place them against
        # The service moves; our rows follow from the event it triggers. After a move-drag Qt
        # calls removeRows on the dragged rows, which this model refuses (the default): no harm.
        return self.mover(ids, after, before)

"""The value/effort matrix: a product's open items as dots, value up, effort across, the four
quadrants named. Drag a dot to change the inputs it stands for (one undoable edit per drag,
the exact new inputs shown while dragging); double-click one to open it.

WSJF plots the cost of delay (business value + time criticality + risk reduction) against the
job size; a drag changes the business value (a whole number, the other two kept) and the job
size (a whole number from 1). RICE plots reach × impact × confidence against the effort; a
drag changes the reach (a whole number, impact and confidence kept) and the effort (in halves
from 0.5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import Category, ItemKind, ScoreMethod, plural
from kanban.errors import KanbanError
from kanban.metrics.scoring import FIELD_LABELS, ScoreInputs, missing
from kanban.services import items, scoring
from kanban.ui.commands.items import EditItemCommand, push
from kanban.ui.context import AppContext, show_error
from kanban.ui.theme import KIND_COLORS

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 20, 20, 48
DOT = 7.0  # radius
ITEM_ID = 0  # the dot's data key holding its item id
QUADRANTS = (
    # (high value, high effort) -> name
    ((True, False), "Quick wins"),
    ((True, True), "Big bets"),
    ((False, False), "Fill-ins"),
    ((False, True), "Money pits"),
)
AXES = {
    ScoreMethod.WSJF: ("Cost of delay (business value + time criticality + risk reduction)",
                       "Job size"),
    ScoreMethod.RICE: ("Reach × impact × confidence", "Effort"),
}  # fmt: skip
VALUE_FIELD = {ScoreMethod.WSJF: "business_value", ScoreMethod.RICE: "reach"}
"""The input a vertical drag changes (the others of the value are kept)."""
EFFORT_FIELD = {ScoreMethod.WSJF: "job_size", ScoreMethod.RICE: "effort"}
EFFORT_STEP = {ScoreMethod.WSJF: 1.0, ScoreMethod.RICE: 0.5}
"""What a dragged effort snaps to: whole job sizes from 1, efforts in halves from 0.5."""


def value_of(inputs: ScoreInputs, method: str) -> float | None:
    """An item's value on the matrix (None: an input is missing)."""
    if method == ScoreMethod.WSJF:
        parts = (inputs.business_value, inputs.time_criticality, inputs.risk_reduction)
        return None if None in parts else float(sum(p for p in parts if p is not None))
    reach, impact, confidence = inputs.reach, inputs.impact, inputs.confidence
    if reach is None or impact is None or confidence is None:
        return None
    return reach * impact * confidence


def effort_of(inputs: ScoreInputs, method: str) -> float | None:
    """An item's effort on the matrix (None: missing, or not above 0)."""
    effort: float | None = inputs.value(EFFORT_FIELD[ScoreMethod(method)])
    return effort if effort is not None and effort > 0 else None


def snapped(inputs: ScoreInputs, method: str, value: float, effort: float) -> dict[str, Any]:
    """The inputs a dot dropped at (value, effort) stands for, on the scale they allow: the
    value's other inputs kept, the one it changes a whole number of 0 or more."""
    chosen = ScoreMethod(method)
    step = EFFORT_STEP[chosen]
    new_effort = max(step, round(effort / step) * step)
    if chosen == ScoreMethod.WSJF:
        rest = (inputs.time_criticality or 0.0) + (inputs.risk_reduction or 0.0)
        business = max(0, round(value - rest))
        return {"business_value": business, "job_size": new_effort}
    share = (inputs.impact or 0.0) * (inputs.confidence or 0.0)
    reach = float(max(0, round(value / share))) if share > 0 else inputs.reach or 0.0
    return {"reach": reach, "effort": new_effort}


def nice_axis(highest: float) -> tuple[float, float]:
    """An axis's end, a little above ``highest`` (room to drag up), and its tick step: at most
    six steps of 1, 2 or 5 times a power of ten."""
    wanted = max(highest * 1.5, 1.0)
    power = 10.0 ** math.floor(math.log10(wanted / 6))
    step = next(m * power for m in (1, 2, 5, 10) if m * power * 6 >= wanted)
    return round(math.ceil(wanted / step - 1e-9) * step, 9), step


@dataclass(frozen=True, slots=True)
class Dot:
    """One item on the matrix."""

    inputs: ScoreInputs
    kind: str
    value: float
    effort: float


class MatrixView(QGraphicsView):
    """The matrix, drawn on a scene the size of the view: axes, quadrants and their names in
    the background (the palette's colours, so both themes read), one ellipse per dot."""

    dot_dragged = Signal(int, object)  # item id, the new inputs (dict)
    dot_opened = Signal(int)  # item id
    drag_moved = Signal(str)  # the new inputs as words, while dragging

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("value_effort_matrix")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(480, 360)
        self.setMouseTracking(True)
        self.method: str = ScoreMethod.WSJF
        self.dots: list[Dot] = []
        self.items_by_id: dict[int, QGraphicsEllipseItem] = {}
        self.value_top = self.effort_top = self.value_step = self.effort_step = 1.0
        self.value_split = self.effort_split = 0.5
        self._drag: tuple[Dot, dict[str, Any]] | None = None
        self.drag_label: QGraphicsSimpleTextItem | None = None

    # --- data ----------------------------------------------------------------------------------

    def set_dots(self, dots: Sequence[Dot], method: str) -> None:
        """Show these dots by ``method``'s value and effort."""
        self.method = method
        self.dots = list(dots)
        values = [d.value for d in self.dots] or [1.0]
        efforts = [d.effort for d in self.dots] or [1.0]
        self.value_top, self.value_step = nice_axis(max(values))
        self.effort_top, self.effort_step = nice_axis(max(efforts))
        # The quadrants split at the medians: half the items are above, half to the right.
        self.value_split = median(values) if self.dots else self.value_top / 2
        self.effort_split = median(efforts) if self.dots else self.effort_top / 2
        self._drag = None
        self._layout()

    def _layout(self) -> None:
        scene = self.scene()
        scene.clear()
        self.items_by_id = {}
        self.drag_label = None
        scene.setSceneRect(QRectF(0, 0, self.viewport().width(), self.viewport().height()))
        pen = QPen(self.palette().color(QPalette.ColorRole.Base), 1.5)
        seen: dict[tuple[float, float], int] = {}
        for dot in self.dots:
            where = self.point_of(dot.value, dot.effort)
            # Items with the same inputs are fanned out a little, so each can be grabbed.
            twins = seen.get((dot.value, dot.effort), 0)
            seen[(dot.value, dot.effort)] = twins + 1
            if twins:
                angle = twins * 2.4
                where += QPointF(math.cos(angle), math.sin(angle)) * (DOT * 1.1 * math.sqrt(twins))
            item = scene.addEllipse(
                QRectF(-DOT, -DOT, 2 * DOT, 2 * DOT),
                pen,
                QBrush(KIND_COLORS.get(dot.kind, QColor("#3b82f6"))),
            )
            item.setPos(where)
            item.setData(ITEM_ID, dot.inputs.item_id)
            # A tooltip that looks like HTML is rich text: the title goes in as plain text.
            item.setToolTip(QtGui.Qt.convertFromPlainText(self.describe(dot)))
            item.setCursor(Qt.CursorShape.OpenHandCursor)
            # The key beside the dot (it moves with it): which item is which, without hovering.
            label = QGraphicsSimpleTextItem(dot.inputs.key, item)
            label.setBrush(self.palette().color(QPalette.ColorRole.Text))
            label.setFont(self.font())
            label.setPos(DOT + 3, -label.boundingRect().height() / 2)
            label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the dot is what is grabbed
            self.items_by_id[dot.inputs.item_id] = item

    def describe(self, dot: Dot) -> str:
        """A dot's hover text: key and title, then its value and effort."""
        value_name, effort_name = AXES[ScoreMethod(self.method)]
        return (
            f"{dot.inputs.key}  {dot.inputs.title}\n"
            f"{value_name.split(' (')[0]} {dot.value:g} · {effort_name.lower()} {dot.effort:g}"
        )

    # --- geometry ------------------------------------------------------------------------------

    def plot(self) -> QRectF:
        """Where the dots go, inside the axes."""
        size = self.viewport().size()
        return QRectF(
            MARGIN_LEFT,
            MARGIN_TOP,
            max(1, size.width() - MARGIN_LEFT - MARGIN_RIGHT),
            max(1, size.height() - MARGIN_TOP - MARGIN_BOTTOM),
        )

    def point_of(self, value: float, effort: float) -> QPointF:
        """Where (value, effort) is drawn, in scene (and viewport) coordinates."""
        plot = self.plot()
        x = plot.left() + plot.width() * min(effort / self.effort_top, 1.0)
        y = plot.bottom() - plot.height() * min(value / self.value_top, 1.0)
        return QPointF(x, y)

    def at(self, point: QPointF) -> tuple[float, float]:
        """The (value, effort) drawn at a point, inside the axes' range."""
        plot = self.plot()
        effort = (point.x() - plot.left()) / plot.width() * self.effort_top
        value = (plot.bottom() - point.y()) / plot.height() * self.value_top
        return (min(max(value, 0.0), self.value_top), min(max(effort, 0.0), self.effort_top))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: the dots' outlines
            self._layout()

    # --- painting ------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | Any) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        plot = self.plot()
        split = self.point_of(self.value_split, self.effort_split)
        # The quick wins' quadrant tinted: where a product owner looks first.
        tint = QColor("#16a34a")
        tint.setAlpha(28)
        painter.fillRect(
            QRectF(plot.left(), plot.top(), split.x() - plot.left(), split.y() - plot.top()), tint
        )
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(split.x(), plot.top()), QPointF(split.x(), plot.bottom()))
        painter.drawLine(QPointF(plot.left(), split.y()), QPointF(plot.right(), split.y()))
        # the axes and their ticks
        painter.setPen(QPen(text, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        metrics = painter.fontMetrics()
        for tick in _ticks(self.effort_top, self.effort_step):
            x = self.point_of(0, tick).x()
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            label = f"{tick:g}"
            painter.drawText(
                QPointF(
                    x - metrics.horizontalAdvance(label) / 2, plot.bottom() + 6 + metrics.ascent()
                ),
                label,
            )
        for tick in _ticks(self.value_top, self.value_step):
            y = self.point_of(tick, 0).y()
            painter.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y))
            label = f"{tick:g}"
            painter.drawText(
                QPointF(
                    plot.left() - 8 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2 - 1
                ),
                label,
            )
        value_name, effort_name = AXES[ScoreMethod(self.method)]
        painter.drawText(
            QRectF(
                plot.left(), plot.bottom() + 8 + metrics.height(), plot.width(), metrics.height()
            ),
            Qt.AlignmentFlag.AlignCenter,
            f"{effort_name} →",
        )
        painter.save()
        painter.translate(14, plot.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(
                -plot.height() / 2, -metrics.height() / 2 - 4, plot.height(), metrics.height() + 4
            ),
            Qt.AlignmentFlag.AlignCenter,
            metrics.elidedText(f"{value_name} →", Qt.TextElideMode.ElideMiddle, int(plot.height())),
        )
        painter.restore()
        if not self.dots:
            painter.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "No open item has a value and an effort yet:\nset their inputs on the item "
                "editor's Scoring tab.",
            )
        # the quadrants' names, in their outer corners
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        quiet = QColor(text)
        quiet.setAlpha(150)
        painter.setPen(quiet)
        inner = plot.adjusted(10, 8, -10, -8)
        for (high_value, high_effort), name in QUADRANTS:
            horizontal = Qt.AlignmentFlag.AlignRight if high_effort else Qt.AlignmentFlag.AlignLeft
            vertical = Qt.AlignmentFlag.AlignTop if high_value else Qt.AlignmentFlag.AlignBottom
            painter.drawText(inner, horizontal | vertical, name)

    # --- the mouse -----------------------------------------------------------------------------

    def dot_at(self, point: QPointF) -> Dot | None:
        """The dot under a viewport point (the top one), or None."""
        for item in self.items(point.toPoint()):
            if isinstance(item, QGraphicsEllipseItem):
                item_id = item.data(ITEM_ID)
                return next((d for d in self.dots if d.inputs.item_id == item_id), None)
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        dot = self.dot_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and dot is not None:
            self._drag = (dot, {})
            self.items_by_id[dot.inputs.item_id].setZValue(1)
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            super().mouseMoveEvent(event)
            return
        dot, _ = self._drag
        value, effort = self.at(event.position())
        changes = snapped(dot.inputs, self.method, value, effort)
        self._drag = (dot, changes)
        merged = _with(dot.inputs, changes)
        new_value, new_effort = value_of(merged, self.method), effort_of(merged, self.method)
        text = self.drag_text(dot, changes)
        if new_value is not None and new_effort is not None:
            where = self.point_of(new_value, new_effort)
            self.items_by_id[dot.inputs.item_id].setPos(where)
            self._show_label(text, where)
        self.drag_moved.emit(text)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            super().mouseReleaseEvent(event)
            return
        dot, changes = self._drag
        self._drag = None
        self.viewport().unsetCursor()
        wanted = {n: v for n, v in changes.items() if dot.inputs.value(n) != v}
        if wanted:
            self.dot_dragged.emit(dot.inputs.item_id, wanted)
        else:  # dropped where it was: put it back exactly
            self._layout()
        self.drag_moved.emit("")
        event.accept()

    def _show_label(self, text: str, where: QPointF) -> None:
        """The inputs a drop would set, beside the dragged dot (kept inside the plot)."""
        if self.drag_label is None:
            self.drag_label = self.scene().addSimpleText("")
            self.drag_label.setZValue(2)
            self.drag_label.setBrush(self.palette().color(QPalette.ColorRole.WindowText))
        self.drag_label.setText(text)
        box = self.drag_label.boundingRect()
        plot = self.plot()
        x = min(where.x() + DOT + 6, plot.right() - box.width())
        y = max(where.y() - DOT - box.height() - 2, plot.top())
        self.drag_label.setPos(max(plot.left(), x), y)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        dot = self.dot_at(event.position())
        if dot is not None:
            self._drag = None
            self.dot_opened.emit(dot.inputs.item_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def drag_text(self, dot: Dot, changes: dict[str, Any]) -> str:
        """The inputs a drag would set, old to new (``WEB-7: business value 5 → 8, ...``)."""
        parts = [
            f"{FIELD_LABELS[n].lower()} {_shown(dot.inputs.value(n))} → {_shown(v)}"
            for n, v in changes.items()
        ]
        merged = _with(dot.inputs, changes)
        from kanban.metrics.scoring import score

        result = score(merged, self.method)
        tail = f" ({self.method.upper()} {result:.2f})" if result is not None else ""
        return f"{dot.inputs.key}: {', '.join(parts)}{tail}"


def _with(inputs: ScoreInputs, changes: dict[str, Any]) -> ScoreInputs:
    from dataclasses import replace

    return replace(inputs, **changes)


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _ticks(top: float, step: float) -> list[float]:
    return [round(step * n, 6) for n in range(round(top / step) + 1)]


class MatrixDialog(QDialog):
    """The current product's open items on the value/effort matrix (non-blocking)."""

    def __init__(self, ctx: AppContext, product_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.setWindowTitle("Value and effort")
        self.resize(900, 640)
        self.method = QComboBox()
        self.method.setAccessibleName("Method")
        self.method.addItem("WSJF: cost of delay against job size", ScoreMethod.WSJF.value)
        self.method.addItem("RICE: reach × impact × confidence against effort",
                            ScoreMethod.RICE.value)  # fmt: skip
        self.method.currentIndexChanged.connect(self.reload)
        self.view = MatrixView()
        self.view.dot_dragged.connect(self.change_inputs)
        self.view.dot_opened.connect(self.open_item)
        self.view.drag_moved.connect(self._dragging)
        self.status = QLabel()
        self.status.setObjectName("matrix_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.left_out = QLabel()
        self.left_out.setTextFormat(Qt.TextFormat.PlainText)
        self.left_out.setWordWrap(True)
        self.left_out.setEnabled(False)  # the palette's quieter text
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        label = QLabel("&Plot")
        label.setBuddy(self.method)
        top.addWidget(label)
        top.addWidget(self.method)
        top.addStretch(1)
        self.legend = QLabel()  # our own words and colours only: rich text is safe here
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.left_out)
        layout.addWidget(buttons)
        self.editor: QDialog | None = None
        ctx.events.cards_updated.connect(self.reload)
        ctx.events.external_change.connect(self.reload)
        # Not modal: the backlog stays usable beside it. Undo and redo work from here too.
        for action, keys in (
            (ctx.undo_stack.createUndoAction(self, "&Undo"), QKeySequence.StandardKey.Undo),
            (ctx.undo_stack.createRedoAction(self, "&Redo"), QKeySequence.StandardKey.Redo),
        ):
            action.setShortcut(keys)
            self.addAction(action)
        self.reload()

    def current_method(self) -> str:
        """The method plotted."""
        return str(self.method.currentData())

    def reload(self, *_: Any) -> None:
        """Read the product's open items and their inputs again, and plot them."""
        method = self.current_method()
        try:
            store = self.ctx.load_cards()
            inputs = self.ctx.read(scoring.item_scores, self.product_id)
        except KanbanError as error:
            show_error(self, error)
            return
        done = {c.id for c in store.columns if c.category == Category.DONE}
        dots, lacking = [], []
        for card in store.order:
            if card.column_id in done or card.kind == ItemKind.EPIC:
                continue
            scored = inputs.get(card.id) or scoring.no_inputs(
                card.id, card.key, card.title, card.rank
            )
            value, effort = value_of(scored, method), effort_of(scored, method)
            if value is None or effort is None:
                lacking.append(scored)
            else:
                dots.append(Dot(scored, card.kind, value, effort))
        self.view.set_dots(dots, method)
        kinds = [k for k in ItemKind if any(d.kind == k for d in dots)]
        self.legend.setText(
            "&nbsp;&nbsp;".join(
                f'<span style="color:{KIND_COLORS[k].name()}">●</span> {k.capitalize()}'
                for k in kinds
            )
        )
        self.status.setText(
            f"{plural(len(dots), 'open item')} plotted. Drag a dot to change its "
            f"{_drag_fields(method)}; double-click one to open it."
        )
        if lacking:
            shown = "; ".join(f"{s.key} ({', '.join(_needs(s, method))})" for s in lacking[:8])
            more = f"; and {len(lacking) - 8} more" if len(lacking) > 8 else ""
            self.left_out.setText(f"Not on the matrix, inputs missing: {shown}{more}.")
        else:
            self.left_out.setText("")
        self.left_out.setVisible(bool(lacking))

    def _dragging(self, text: str) -> None:
        if text:
            self.status.setText(f"Drop to set {text}")
        else:
            self.reload()

    def change_inputs(self, item_id: int, changes: dict[str, Any]) -> bool:
        """Set an item's inputs as a drag left them: one undoable edit."""
        try:
            detail = self.ctx.read(items.get_item, item_id)
        except KanbanError as error:
            show_error(self, error)
            return False
        before = {name: getattr(detail, name) for name in changes}
        command = EditItemCommand(
            self.ctx, item_id, detail.version, before, changes,
            text=f"Drag {detail.key} on the value/effort matrix",
        )  # fmt: skip
        done = push(self.ctx, command)
        self.reload()
        return done

    def open_item(self, item_id: int) -> QDialog:
        """Open an item in its editor."""
        from kanban.ui.dialogs.item_editor import open_item_editor

        self.editor = open_item_editor(self.ctx, item_id, self)
        return self.editor


def _drag_fields(method: str) -> str:
    chosen = ScoreMethod(method)
    value, effort = FIELD_LABELS[VALUE_FIELD[chosen]], FIELD_LABELS[EFFORT_FIELD[chosen]]
    return f"{value.lower()} (up and down) and {effort.lower()} (across)"


def _needs(inputs: ScoreInputs, method: str) -> list[str]:
    return list(missing(inputs, method))


def open_matrix(ctx: AppContext, parent: QWidget) -> MatrixDialog | None:
    """Open the value/effort matrix of the current product (non-blocking)."""
    if ctx.product is None:
        return None
    dialog = MatrixDialog(ctx, ctx.product.id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog

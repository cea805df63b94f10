"""One board column on screen: a header (name, count / WIP limit) over a list view of cards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import cast

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QProxyStyle,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import over_wip_limit
from kanban.services.records import ColumnInfo
from kanban.ui.board.delegate import BLOCKED_COLOR, CARD_HINT_WIDTH, CardDelegate, blend
from kanban.ui.board.model import ColumnModel

COLUMN_MIN_WIDTH = 250
COLUMN_FIT_WIDTH = 190
"""How narrow a column may get so that the board's columns all show (see BoardScreen)."""
COLUMN_MAX_WIDTH = 380


class FlatScrollBarStyle(QProxyStyle):
    """Fusion, with scroll bars drawn as flat, opaque rectangles (the card lists' bars).

    WORKAROUND: Fusion fills a scroll bar's groove and handle with gradients and translucent
    lines, which Qt's raster engine hands to QtGui's thread pool (in 64-line pieces) once a fill
    is taller than 96 lines, and then waits for the threads: the four columns' bars took ~10 ms
    and ~60 thread hand-offs per filter keystroke, more on a busy machine. The app now turns
    that pool off (``app.application`` sets QT_NO_GUI_THREADPOOL), which spares the hand-offs
    there; wherever it is on (a QApplication made elsewhere, as the benchmarks and tests make)
    these bars still cost none, and with it off they cost about what Fusion's do (0.2 ms each).
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control != QStyle.ComplexControl.CC_ScrollBar or not isinstance(
            option, QStyleOptionSlider
        ):
            super().drawComplexControl(control, option, painter, widget)
            return
        palette = option.palette
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(option.rect, blend(window, palette.color(QPalette.ColorRole.Base), 0.5))
        vertical = option.orientation == Qt.Orientation.Vertical
        owner = cast(QWidget, widget)  # Qt takes None too; the stubs do not say so
        arrows = (
            (QStyle.SubControl.SC_ScrollBarSubLine, QStyle.PrimitiveElement.PE_IndicatorArrowUp
             if vertical else QStyle.PrimitiveElement.PE_IndicatorArrowLeft),
            (QStyle.SubControl.SC_ScrollBarAddLine, QStyle.PrimitiveElement.PE_IndicatorArrowDown
             if vertical else QStyle.PrimitiveElement.PE_IndicatorArrowRight),
        )  # fmt: skip
        for part, arrow in arrows:
            rect = self.subControlRect(control, option, part, owner)
            if rect.isValid():
                indicator = QStyleOption(option)
                indicator.rect = rect
                self.drawPrimitive(arrow, indicator, painter, widget)
        slider = self.subControlRect(control, option, QStyle.SubControl.SC_ScrollBarSlider, owner)
        if slider.isValid() and option.maximum > option.minimum:
            on_slider = bool(option.activeSubControls & QStyle.SubControl.SC_ScrollBarSlider)
            pressed = on_slider and bool(option.state & QStyle.StateFlag.State_Sunken)
            hovered = on_slider and bool(option.state & QStyle.StateFlag.State_MouseOver)
            shade = 0.5 if pressed else 0.38 if hovered else 0.26
            inset = slider.adjusted(3, 1, -3, -1) if vertical else slider.adjusted(1, 3, -1, -3)
            painter.fillRect(inset, blend(window, text, shade))


_flat_scroll_bars: FlatScrollBarStyle | None = None


def flat_scroll_bars() -> FlatScrollBarStyle:
    """The one style of the card lists' scroll bars (a widget does not own its style)."""
    global _flat_scroll_bars
    if _flat_scroll_bars is None:
        _flat_scroll_bars = FlatScrollBarStyle()
    return _flat_scroll_bars


class CardListView(QListView):
    """The cards of one column: uniform rows, single-pass layout, drag and drop of cards."""

    open_requested = Signal(int)  # item id: Enter on a card
    focused = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Uniform sizes: variable item sizes cost 13.7 s to the first paint at 100,000 rows.
        # Single pass: batched layout paints no card until every batch is laid out, and
        # leaves the scroll range incomplete meanwhile (docs/ARCHITECTURE.md).
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setItemDelegate(CardDelegate(self))
        self.viewport().setAutoFillBackground(False)
        self.verticalScrollBar().setStyle(flat_scroll_bars())
        self.empty_text = "No cards"
        self._fit_grid()

    def _fit_grid(self) -> None:
        # A grid of the cards' own size lays rows out as without one, but Qt then skips asking
        # each row for its size: relaying out 82,000 rows after a filter takes 7 ms, not 14.
        delegate = self.itemDelegate()
        assert isinstance(delegate, CardDelegate)
        self.setGridSize(QSize(CARD_HINT_WIDTH, delegate.fonts(self.font()).height))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_grid()

    def column_model(self) -> ColumnModel:
        """The column model this view shows."""
        model = self.model()
        assert isinstance(model, ColumnModel)
        return model

    def selected_ids(self) -> list[int]:
        """The ids of the selected cards, top to bottom."""
        model = self.column_model()
        rows = sorted({index.row() for index in self.selectionModel().selectedIndexes()})
        return [model.card(row).id for row in rows if row < model.rowCount()]

    def select_ids(self, item_ids: Iterable[int], ranks: Mapping[int, str] | None = None) -> None:
        """Select these cards (those shown here), make the first current and scroll to it.

        ``ranks`` (item id -> rank) finds the rows by bisection instead of a scan.
        """
        model = self.column_model()
        selection = QItemSelection()
        first = None
        for item_id in item_ids:
            row = model.row_of(item_id, ranks.get(item_id) if ranks else None)
            if row >= 0:
                index = model.index(row)
                selection.select(index, index)
                first = first or index
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)
        if first is not None:
            self.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(first)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.column_model().card(self.currentIndex().row()).id)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            palette = self.palette()
            text = palette.color(QPalette.ColorRole.WindowText)
            painter.setPen(blend(text, palette.color(QPalette.ColorRole.Window), 0.5))
            area = self.viewport().rect().adjusted(12, 24, -12, 0)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            painter.drawText(area, flags | Qt.TextFlag.TextWordWrap, self.empty_text)


class CountBadge(QWidget):
    """A column's card count (and WIP limit) in a pill; red past the limit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnCount")
        self._text = ""
        self.over_limit = False
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        """The text shown, e.g. ``"4 / 3"``."""
        return self._text

    def set_text(self, text: str, over_limit: bool) -> None:
        """Show a count; ``over_limit`` paints the pill red."""
        if (text, over_limit) != (self._text, self.over_limit):
            self._text, self.over_limit = text, over_limit
            self.updateGeometry()
            self.update()

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font())
        return QSize(max(metrics.horizontalAdvance(self._text) + 16, 24), metrics.height() + 4)

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(self.over_limit)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BLOCKED_COLOR if self.over_limit else blend(window, text, 0.1))
        radius = self.height() / 2
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        painter.setPen(QColor("white") if self.over_limit else text)
        painter.setFont(self._font())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._text)


class ColumnWidget(QFrame):
    """A board column: its header and its card list, on a rounded panel in palette colours."""

    menu_requested = Signal(int, QPoint)  # column id, global position

    def __init__(
        self, column: ColumnInfo, model: ColumnModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("boardColumn")
        self.setMinimumWidth(COLUMN_MIN_WIDTH)
        self.setMaximumWidth(COLUMN_MAX_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.column = column
        self.total = 0
        self.shown = 0
        self._panel: tuple[tuple[object, ...], QPixmap] | None = None  # see paintEvent

        self.name_label = QLabel()
        self.name_label.setObjectName("columnName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.name_label.font())
        bold.setBold(True)
        self.name_label.setFont(bold)
        self.count_label = CountBadge()
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("columnMenuButton")
        self.menu_button.setText("⋯")
        self.menu_button.setToolTip("Column actions")
        self.menu_button.setAutoRaise(True)
        self.menu_button.clicked.connect(self._menu_clicked)

        self.header = QWidget()
        self.header.setObjectName("columnHeader")
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(
            lambda pos: self.menu_requested.emit(self.column.id, self.header.mapToGlobal(pos))
        )
        header_layout = QHBoxLayout(self.header)
        header_layout.setContentsMargins(12, 8, 6, 4)
        header_layout.setSpacing(8)
        header_layout.addWidget(self.name_label)
        header_layout.addWidget(self.count_label)
        header_layout.addStretch(1)
        header_layout.addWidget(self.menu_button)

        self.view = CardListView()
        self.view.setModel(model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        self.set_column(column)

    @property
    def model(self) -> ColumnModel:
        """The column's card model."""
        return self.view.column_model()

    @property
    def over_limit(self) -> bool:
        """True when the column holds more cards than its WIP limit."""
        return over_wip_limit(self.total, self.column.wip_limit)

    def set_column(self, column: ColumnInfo) -> None:
        """Show a column's (new) name and WIP limit."""
        self.column = column
        self.name_label.setText(column.name)
        self.view.setAccessibleName(f"{column.name} column")
        self.update_count(self.total, self.shown)
        self.update()  # a new WIP limit may turn the border red (or back)

    def update_count(self, total: int, shown: int) -> None:
        """Show how many cards the column holds (and shows, when filtered) against its limit."""
        was_over = self.over_limit
        self.total, self.shown = total, shown
        limit = self.column.wip_limit
        text = f"{total:,}" if limit is None else f"{total:,} / {limit:,}"
        shown_text = text if shown == total else f"{shown:,} of {text}"
        self.count_label.set_text(shown_text, self.over_limit)
        if self.over_limit:
            tip = f"Over the WIP limit: {total} cards, limit {limit}"
        elif limit is None:
            tip = "Cards in this column"
        else:
            tip = f"Cards in this column / WIP limit {limit}"
        self.count_label.setToolTip(tip)
        if self.over_limit != was_over:
            self.update()  # the panel's border turns red (or back); the badge repaints itself

    def paintEvent(self, event: QPaintEvent) -> None:
        # The panel shows through the card list (its viewport paints no background), so it
        # repaints with every filter keystroke: drawn once per size and look, it is a blit.
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, self.palette().cacheKey(), self.over_limit)
        if self._panel is None or self._panel[0] != key:
            self._panel = (key, self._draw_panel(ratio))
        QPainter(self).drawPixmap(0, 0, self._panel[1])

    def _draw_panel(self, ratio: float) -> QPixmap:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.WindowText)
        panel = QPixmap(self.size() * ratio)
        panel.setDevicePixelRatio(ratio)
        panel.fill(Qt.GlobalColor.transparent)
        painter = QPainter(panel)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(blend(window, base, 0.5))
        border = BLOCKED_COLOR if self.over_limit else blend(window, text, 0.12)
        painter.setPen(QPen(border, 1.0))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        painter.end()
        return panel

    def _menu_clicked(self) -> None:
        corner = self.menu_button.rect().bottomLeft()
        self.menu_requested.emit(self.column.id, self.menu_button.mapToGlobal(corner))

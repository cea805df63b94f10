"""The Board screen: one column per board column, cards moved by drag and drop or keyboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import SprintState
from kanban.services import items, people, sprints
from kanban.services.lanes import LaneTitles, lane_titles
from kanban.services.records import Card, ColumnInfo, ProductInfo, SprintInfo
from kanban.ui.board import column_dialogs
from kanban.ui.board.lanes import (
    ITEM_FIELD,
    LANE_CHOICES,
    NOBODY,
    LaneBoard,
    LaneField,
    kind_names,
    lane_key,
    lane_keys,
    lanes_for,
    remember_collapsed,
    remember_field,
    remembered_collapsed,
    remembered_field,
)
from kanban.ui.board.model import ColumnModel, DropHandler
from kanban.ui.board.state import NO_SPRINT, UNASSIGNED, CardFilter, matches, select
from kanban.ui.board.view import COLUMN_FIT_WIDTH, COLUMN_MIN_WIDTH, CardListView, ColumnWidget
from kanban.ui.cards import CardStore, CardsUpdate
from kanban.ui.commands.items import ArchiveItemsCommand, EditItemCommand, push
from kanban.ui.commands.lanes import LaneMoveCommand
from kanban.ui.commands.moves import MoveCardsCommand
from kanban.ui.context import AppContext
from kanban.ui.dialogs.item_editor import open_item_editor
from kanban.ui.forms import open_dialog, refill_combo
from kanban.ui.questions.ask_dialog import ask_question_dialog
from kanban.ui.refinement.gates import gate_move
from kanban.ui.screen import CardsScreen

ACTIVE_SPRINT = "active"
SEARCH_PREPARE_DELAY_MS = 250


class BoardScreen(CardsScreen):
    """The Board page: the product's columns side by side, filters above them."""

    title = "Board"
    follows_hidden = True  # a change moves a few rows: cheap, and the columns stay current

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.columns: list[ColumnInfo] = []
        self.column_widgets: dict[int, ColumnWidget] = {}
        self.sprint_list: list[SprintInfo] = []
        self.member_names: list[str] = []  # the assignee filter's choices
        self.label_names: list[str] = []  # the label filter's choices
        self.shown_filter = CardFilter()
        self._active_view: CardListView | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter cards by key or title")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(240)
        self.filter_edit.setAccessibleName("Filter cards")
        self.assignee_combo = _combo("Assignee")
        self.label_combo = _combo("Label")
        self.sprint_combo = _combo("Sprint")
        self.lanes_combo = _combo("Swimlanes")
        self.lanes_combo.setToolTip("Rows of cards by epic, assignee, release or kind")
        for text, field in LANE_CHOICES:
            self.lanes_combo.addItem(text, field)
        self.lanes_combo.currentIndexChanged.connect(self._lanes_chosen)
        self.lane_titles: dict[object, str] = {}  # lane key -> title (of the known lanes)
        self.lane_values: dict[object, object] = {}  # lane key -> what a drop writes
        self.summary_label = QLabel()
        self.summary_label.setObjectName("boardSummary")
        self.add_column_button = QPushButton("Add column")
        self.add_column_button.clicked.connect(self.open_add_column_dialog)
        self.filter_edit.textChanged.connect(self.apply_filter)
        for combo in (self.assignee_combo, self.label_combo, self.sprint_combo):
            combo.currentIndexChanged.connect(self.apply_filter)

        bar = QHBoxLayout()
        bar.setContentsMargins(12, 10, 12, 4)
        bar.setSpacing(8)
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.assignee_combo)
        bar.addWidget(self.label_combo)
        bar.addWidget(self.sprint_combo)
        bar.addWidget(self.lanes_combo)
        bar.addStretch(1)
        bar.addWidget(self.summary_label)
        bar.addWidget(self.add_column_button)

        self.columns_host = QWidget()
        self.columns_host.setObjectName("boardColumns")
        self.columns_layout = QHBoxLayout(self.columns_host)
        self.columns_layout.setContentsMargins(12, 6, 12, 12)
        self.columns_layout.setSpacing(10)
        self.columns_layout.addStretch(0)  # takes space only once the columns are at full width
        self.columns_scroll = QScrollArea()
        self.columns_scroll.setWidgetResizable(True)
        self.columns_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.columns_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.columns_scroll.setWidget(self.columns_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        # Swimlanes: the same cards in rows of cells, scrolled up and down as a whole.
        self.lane_board = LaneBoard(self._lane_drop, self._setup_view)
        self.lane_board.collapsed_changed.connect(self._lanes_collapsed)
        self.lane_board.column_menu_requested.connect(self._show_column_menu)
        self.lane_scroll = QScrollArea()
        self.lane_scroll.setWidgetResizable(True)
        self.lane_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.lane_scroll.setWidget(self.lane_board)
        self.board_stack = QStackedWidget()
        self.board_stack.addWidget(self.columns_scroll)
        self.board_stack.addWidget(self.lane_scroll)
        layout.addWidget(self.board_stack, 1)

        self._add_shortcut(
            "Move to previous column", "Ctrl+Shift+Left", lambda: self.move_to_column(-1)
        )
        self._add_shortcut(
            "Move to next column", "Ctrl+Shift+Right", lambda: self.move_to_column(1)
        )
        self._add_shortcut("Move up", "Ctrl+Shift+Up", lambda: self.move_within_column(-1))
        self._add_shortcut("Move down", "Ctrl+Shift+Down", lambda: self.move_within_column(1))
        self._add_shortcut("Find", QKeySequence.StandardKey.Find, self._focus_filter)

        events = ctx.events
        events.board_changed.connect(self._board_changed)
        events.sprints_changed.connect(self._sprints_changed)
        events.people_changed.connect(self.reload)

    def _add_shortcut(
        self, text: str, keys: str | QKeySequence.StandardKey, slot: Callable[[], object]
    ) -> None:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    # --- loading -------------------------------------------------------------------------------

    def set_product(self, product: ProductInfo | None) -> None:
        if product is None or self.product is None or product.id != self.product.id:
            for combo in (self.assignee_combo, self.label_combo, self.sprint_combo):
                combo.blockSignals(True)  # another product's people, labels and sprints
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self._restore_lanes(product)
        super().set_product(product)

    def show_store(self, store: CardStore) -> None:
        if self.product is None:
            sprint_list, members, labels = [], [], []
        else:
            sprint_list = self.ctx.read(sprints.list_sprints, self.product.id)
            members = self.ctx.read(people.list_members, include_archived=True)
            labels = self.ctx.read(items.list_labels, self.product.id)
        self.member_names = sorted((m.name for m in members), key=str.casefold)
        self.label_names = [label.name for label in labels]
        self.show_board(store, sprint_list)

    def show_board(self, store: CardStore, sprint_list: Sequence[SprintInfo]) -> None:
        """Show the store's cards (as columns, or in lanes), keeping the selection and scroll
        positions."""
        if self.lane_field:
            self.columns = list(store.columns)
            self.sprint_list = list(sprint_list)
            self._fill_filter_choices()
            self.shown_filter = self.current_filter()
            self._show_lanes()
            return
        view = self._active_view
        keep_selection = view.selected_ids() if view is not None else []
        keep_column = view.column_model().column_id if view is not None else None
        scrolled = {
            cid: w.view.verticalScrollBar().value() for cid, w in self.column_widgets.items()
        }
        self.columns = list(store.columns)
        self.sprint_list = list(sprint_list)
        self._layout_columns()
        self._fill_filter_choices()
        self.apply_filter(force=True)
        # The texts a text filter searches are built once the board is on screen, not before.
        generation = store.generation
        QTimer.singleShot(SEARCH_PREPARE_DELAY_MS, self, lambda: self._prepare_search(generation))
        for cid, value in scrolled.items():
            if cid in self.column_widgets:
                self.column_widgets[cid].view.verticalScrollBar().setValue(value)
        if keep_column in self.column_widgets and keep_selection:
            self.column_widgets[keep_column].view.select_ids(
                keep_selection, self._ranks(keep_selection)
            )

    def _prepare_search(self, generation: int) -> None:
        # Only for the read it was asked for: a later read of the (shared) store prepares its
        # own, once that board is on screen.
        if self.store.generation == generation:
            # The collector walked the read's cards once the board painted
            # (context.defer_collection): they are no longer young at a keystroke.
            self.store.prepare_search()

    def _layout_columns(self) -> None:
        """One column widget per board column, in order: those still there stay, those of
        columns gone serve new ones (another product's, mostly), the rest are made."""
        wanted = {column.id for column in self.columns}
        spare = [self.column_widgets.pop(c) for c in list(self.column_widgets) if c not in wanted]
        for position, column in enumerate(self.columns):
            widget = self.column_widgets.get(column.id)
            if widget is None:
                widget = spare.pop(0) if spare else self._make_column(column)
                widget.model.column_id = column.id
                self.column_widgets[column.id] = widget
            widget.set_column(column)
            self.columns_layout.insertWidget(position, widget, 1)
        for widget in spare:
            if self._active_view is widget.view:
                self._active_view = None
            self.columns_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Let the columns narrow (down to COLUMN_FIT_WIDTH) so that every one shows: five
        columns fit a 1280-pixel window; with more, the board scrolls sideways."""
        count = len(self.column_widgets)
        if not count:
            return
        margins = self.columns_layout.contentsMargins()
        # The scroll area spans the screen (no frame, no vertical scroll bar): the screen's
        # width is known at once, its viewport's only once the layout has run.
        room = (
            self.width()
            - margins.left()
            - margins.right()
            - self.columns_layout.spacing() * (count - 1)
        )
        width = max(COLUMN_FIT_WIDTH, min(COLUMN_MIN_WIDTH, room // count))
        for widget in self.column_widgets.values():
            if widget.minimumWidth() != width:
                widget.setMinimumWidth(width)

    def _make_column(self, column: ColumnInfo) -> ColumnWidget:
        model = ColumnModel(column.id, self.drop_cards, self)
        widget = ColumnWidget(column, model)
        self._setup_view(widget.view)
        widget.menu_requested.connect(self._show_column_menu)
        return widget

    def _setup_view(self, view: CardListView) -> None:
        """A card list's editor, menu, focus and selection, for a column or a lane's cell."""
        view.open_requested.connect(self.open_editor)
        view.doubleClicked.connect(
            lambda index, v=view: self.open_editor(v.column_model().card(index.row()).id)
        )
        view.customContextMenuRequested.connect(lambda pos, v=view: self._show_card_menu(v, pos))
        view.focused.connect(lambda v=view: self._activate(v))
        view.selectionModel().selectionChanged.connect(
            lambda *_, v=view: self._selection_changed(v)
        )

    # --- filtering -------------------------------------------------------------------------------

    def current_filter(self) -> CardFilter:
        """The filter the bar's fields describe."""
        sprint = self.sprint_combo.currentData()
        if sprint == ACTIVE_SPRINT:
            active = next((s for s in self.sprint_list if s.state == SprintState.ACTIVE), None)
            sprint = active.id if active else NO_SPRINT
        return CardFilter(
            text=self.filter_edit.text(),
            assignee=self.assignee_combo.currentData(),
            label=self.label_combo.currentData(),
            sprint_id=sprint,
        )

    def apply_filter(self, *_: object, force: bool = False) -> None:
        """Show each column the cards that pass the filter: a fresh list per column model."""
        flt = self.current_filter()
        if flt == self.shown_filter and not force:
            return
        empty = "No cards match the filter" if flt.active else "No cards — drop one here"
        self.shown_filter = flt
        if self.lane_field:
            self._fill_lanes()
            return
        for cid, widget in self.column_widgets.items():
            widget.model.reset(select(self.store, cid, flt))
            widget.view.empty_text = empty
        self._update_counts()

    def _passes(self, card: Card) -> bool:
        return matches(card, self.shown_filter)

    def _update_counts(self, column_ids: Sequence[int] | None = None) -> None:
        if self.lane_field:
            totals = {cid: len(cards) for cid, cards in self.store.by_column.items()}
            self.lane_board.update_counts(totals)
            self._update_summary(self.lane_board.shown_count())
            return
        ids = self.column_widgets if column_ids is None else column_ids
        for cid in ids:
            widget = self.column_widgets.get(cid)
            if widget is not None:
                widget.update_count(len(self.store.by_column.get(cid, ())), widget.model.rowCount())
        self._update_summary(sum(w.model.rowCount() for w in self.column_widgets.values()))

    def _update_summary(self, shown: int) -> None:
        total = len(self.store)
        noun = "card" if total == 1 else "cards"
        self.summary_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        )

    def _fill_filter_choices(self) -> None:
        refill_combo(
            self.assignee_combo,
            [("Anyone", None), ("Unassigned", UNASSIGNED)]
            + [(name, name) for name in self.member_names],
        )
        refill_combo(
            self.label_combo,
            [("Any label", None)] + [(label, label) for label in self.label_names],
        )
        self._fill_sprint_choices()

    def _fill_sprint_choices(self) -> None:
        choices: list[tuple[str, object]] = [("All sprints", None)]
        active = next((s for s in self.sprint_list if s.state == SprintState.ACTIVE), None)
        if active is not None:
            choices.append((f"Active sprint ({active.name})", ACTIVE_SPRINT))
        choices.append(("No sprint", NO_SPRINT))
        choices += [(s.name, s.id) for s in self.sprint_list if s.state != SprintState.CLOSED]
        refill_combo(self.sprint_combo, choices)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # --- changes from the event hub ----------------------------------------------------------

    def show_update(self, update: CardsUpdate) -> None:
        touched: set[int] = set()
        for old, new in update.pairs:
            self._show_change(old, new)
            touched.update(c.column_id for c in (old, new) if c is not None)
        if touched:
            self._update_counts(list(touched))
        labels = {label for _old, new in update.pairs if new for label in new.labels}
        if labels - set(self.label_names):
            self.label_names = sorted({*self.label_names, *labels}, key=str.casefold)
            self._fill_filter_choices()

    def _show_change(self, old: Card | None, new: Card | None) -> None:
        """Show one card's change (as the store held it, as it is now; None: not on the board)
        in the column models: each shows the cards of its column that pass the filter."""
        old_shown = old if old is not None and self._passes(old) else None
        new_shown = new if new is not None and self._passes(new) else None
        if self.lane_field:
            if new is not None and not self.lane_board.knows(lane_key(new, self.lane_field)):
                self._show_lanes()  # a lane the board did not have: lay the lanes out again
                return
            self.lane_board.count(old, new)
            self.lane_board.apply(old_shown, new_shown)
            return
        old_widget = self.column_widgets.get(old_shown.column_id) if old_shown else None
        new_widget = self.column_widgets.get(new_shown.column_id) if new_shown else None
        if old_widget is new_widget:
            if old_widget is not None:
                old_widget.model.apply(old_shown, new_shown)
            return
        if old_widget is not None:
            old_widget.model.apply(old_shown, None)
        if new_widget is not None:
            new_widget.model.apply(None, new_shown)

    def _board_changed(self, product_id: int) -> None:
        if self.product is None or product_id != self.product.id:
            return
        if not self.isVisible() or self.store.outdated:
            self.refresh_soon()  # columns came or went (the store reads them again), or hidden
            return
        self.columns = list(self.store.columns)  # renamed, moved, their WIP limits changed
        self._layout_columns()
        self._update_counts()

    def _sprints_changed(self, product_id: int) -> None:
        if self.product is not None and product_id == self.product.id:
            self.sprint_list = self.ctx.read(sprints.list_sprints, product_id)
            self._fill_sprint_choices()
            self.apply_filter(force=True)

    # --- selection -----------------------------------------------------------------------------

    def _activate(self, view: CardListView) -> None:
        self._active_view = view

    def _selection_changed(self, view: CardListView) -> None:
        if not view.selectionModel().hasSelection():
            return
        self._active_view = view
        for other in self._views():
            if other is not view and other.selectionModel().hasSelection():
                other.clearSelection()

    def _views(self) -> list[CardListView]:
        """Every card list on the board: the columns', or the lanes' cells."""
        if self.lane_field:
            return self.lane_board.views()
        return [widget.view for widget in self.column_widgets.values()]

    def _view_of(self, card: Card) -> CardListView | None:
        """The card list that shows a card's column (and lane)."""
        if self.lane_field:
            return self.lane_board.cell(lane_key(card, self.lane_field), card.column_id)
        widget = self.column_widgets.get(card.column_id)
        return widget.view if widget is not None else None

    def selected_ids(self) -> list[int]:
        """The selected cards, top to bottom."""
        return self._active_view.selected_ids() if self._active_view is not None else []

    def select_cards(self, item_ids: Sequence[int]) -> CardListView | None:
        """Select cards (of one column) and focus their column; returns its view."""
        card = self.store.by_id.get(item_ids[0]) if item_ids else None
        view = self._view_of(card) if card else None
        if view is None:
            return None
        view.select_ids(item_ids, self._ranks(item_ids))
        view.setFocus()
        self._active_view = view
        return view

    # --- moving cards --------------------------------------------------------------------------

    def drop_cards(
        self, item_ids: tuple[int, ...], column_id: int, after_id: int | None, before_id: int | None
    ) -> bool:
        """Move dropped cards to a column between two cards (the model calls this on a drop)."""
        ids = [i for i in item_ids if i in self.store.by_id]
        column = self._column(column_id)
        if not ids or column is None:
            return False

        def move() -> bool:
            command = MoveCardsCommand(
                self.ctx, ids, column_id=column_id, after_id=after_id, before_id=before_id,
                text=f"Move {self._describe(ids)} to {column.name}",
            )  # fmt: skip
            if not push(self.ctx, command):
                return False
            # Selected once the drag is over: the source view still acts on its selection when
            # QDrag.exec returns, and selecting now would lay both views out twice.
            QTimer.singleShot(0, lambda: self._select_dropped(column_id, ids))
            return True

        return gate_move(self.ctx, self._cards(ids), column, self.columns, move, self)

    def _cards(self, item_ids: Sequence[int]) -> list[Card]:
        """The cards of these ids the board holds, as it shows them."""
        return [self.store.by_id[i] for i in item_ids if i in self.store.by_id]

    def _select_dropped(self, column_id: int, ids: list[int]) -> None:
        card = self.store.by_id.get(ids[0]) if ids else None
        view = self._view_of(card) if card is not None else None
        if view is not None:
            view.select_ids(ids, self._ranks(ids))

    # --- swimlanes -----------------------------------------------------------------------------

    @property
    def lane_field(self) -> LaneField:
        """What the lanes group by (LaneField.NONE: no lanes)."""
        return LaneField(self.lanes_combo.currentData() or LaneField.NONE)

    def set_lanes(self, field: LaneField) -> None:
        """Show the board in lanes of ``field`` (NONE: as columns), as choosing it does."""
        self.lanes_combo.setCurrentIndex(self.lanes_combo.findData(field))

    def _restore_lanes(self, product: ProductInfo | None) -> None:
        """Show another product in the lanes chosen for it last time (none at first)."""
        field = remembered_field(self.ctx.db.url, product.id) if product else LaneField.NONE
        self.lanes_combo.blockSignals(True)
        self.lanes_combo.setCurrentIndex(max(0, self.lanes_combo.findData(field)))
        self.lanes_combo.blockSignals(False)
        self._active_view = None
        self.board_stack.setCurrentWidget(
            self.lane_scroll if self.lane_field else self.columns_scroll
        )

    def _lanes_chosen(self, _index: int) -> None:
        self._active_view = None
        if self.product is not None:
            remember_field(self.ctx.db.url, self.product.id, self.lane_field)
        if self.lane_field:
            self.board_stack.setCurrentWidget(self.lane_scroll)
            self._show_lanes()
        else:
            self.board_stack.setCurrentWidget(self.columns_scroll)
            self.show_board(self.store, self.sprint_list)

    def _lanes_collapsed(self) -> None:
        if self.product is not None and self.lane_field:
            collapsed = self.lane_board.collapsed
            remember_collapsed(self.ctx.db.url, self.product.id, self.lane_field, collapsed)

    def _show_lanes(self) -> None:
        """Read the lanes' titles, lay the lanes out and fill them."""
        field = self.lane_field
        known: LaneTitles
        if field == LaneField.KIND:
            known = [(kind, title, kind) for kind, title in kind_names().items()]
        elif self.product is not None:
            known = self.ctx.read(lane_titles, self.product.id, str(field))
        else:
            known = []
        self.lane_titles = {key: title for key, title, _value in known}
        self.lane_values = {key: value for key, _title, value in known}
        held = lane_keys(self.store.order, field)
        lanes = lanes_for(field, self.lane_titles, self.lane_values, held)
        collapsed = (
            remembered_collapsed(self.ctx.db.url, self.product.id, field) if self.product else None
        )
        self.lane_board.build(field, self.columns, lanes, collapsed)
        self._fill_lanes()

    def _fill_lanes(self) -> None:
        flt = self.shown_filter
        shown = {column.id: select(self.store, column.id, flt) for column in self.columns}
        self.lane_board.fill(shown, self.store.order)
        for view in self.lane_board.views():
            view.empty_text = ""  # the column's panel behind an empty cell says "drop here"
        self._update_counts()

    def _lane_drop(self, key: object) -> DropHandler:
        """The drop handler of a lane's cells: a drop there moves the cards into it."""

        def dropped(
            item_ids: tuple[int, ...], column_id: int, after_id: int | None, before_id: int | None
        ) -> bool:
            return self.drop_in_lane(key, item_ids, column_id, after_id, before_id)

        return dropped

    def drop_in_lane(
        self,
        key: object,
        item_ids: Sequence[int],
        column_id: int,
        after_id: int | None = None,
        before_id: int | None = None,
    ) -> bool:
        """Move cards to a column of a lane: the move and the lane's field in one undoable
        change (those already in the lane only move)."""
        ids = [i for i in item_ids if i in self.store.by_id]
        column = self._column(column_id)
        field = self.lane_field
        if not ids or column is None or not field:
            return False
        value = self.lane_values.get(key, key) if key is not None else None
        lane = self.lane_titles.get(key, NOBODY.get(field, str(key)))
        command = LaneMoveCommand(
            self.ctx, ids, {ITEM_FIELD[field]: value}, column_id=column_id, after_id=after_id,
            before_id=before_id, text=f"Move {self._describe(ids)} to {column.name}, {lane}",
        )  # fmt: skip
        if not push(self.ctx, command):
            return False
        QTimer.singleShot(0, lambda: self._select_dropped(column_id, ids))
        return True

    def move_to_column(self, step: int) -> bool:
        """Move the selected cards to the previous (-1) or next (+1) column, keeping their
        priority (their rank): no rank is rewritten, only the column."""
        ids = self.selected_ids()
        source = self.store.by_id[ids[0]].column_id if ids else None
        position = next((i for i, c in enumerate(self.columns) if c.id == source), None)
        if position is None or not 0 <= position + step < len(self.columns):
            return False
        target = self.columns[position + step]

        def move() -> bool:
            command = MoveCardsCommand(
                self.ctx, ids, column_id=target.id,
                keep_ranks={i: self.store.by_id[i].rank for i in ids},
                text=f"Move {self._describe(ids)} to {target.name}",
            )  # fmt: skip
            if not push(self.ctx, command):
                return False
            self.select_cards(ids)
            return True

        return gate_move(self.ctx, self._cards(ids), target, self.columns, move, self)

    def move_within_column(self, step: int) -> bool:
        """Move the selected cards one card up (-1) or down (+1) in their column."""
        view = self._active_view
        ids = self.selected_ids()
        if view is None or not ids:
            return False
        model = view.column_model()
        rows = [model.row_of(i, self.store.by_id[i].rank) for i in ids]
        after_id = before_id = None
        if step < 0 and min(rows) > 0:
            before_id = model.card(min(rows) - 1).id
        elif step > 0 and max(rows) + 1 < model.rowCount():
            after_id = model.card(max(rows) + 1).id
        else:
            return False
        command = MoveCardsCommand(
            self.ctx, ids, column_id=model.column_id, after_id=after_id, before_id=before_id,
            text=f"Move {self._describe(ids)} {'up' if step < 0 else 'down'}",
        )  # fmt: skip
        if not push(self.ctx, command):
            return False
        self.select_cards(ids)
        return True

    def _describe(self, ids: Sequence[int]) -> str:
        if len(ids) == 1 and ids[0] in self.store.by_id:
            return self.store.by_id[ids[0]].key
        return f"{len(ids)} cards"

    def _ranks(self, item_ids: Sequence[int]) -> dict[int, str]:
        cards = self.store.by_id
        return {i: cards[i].rank for i in item_ids if i in cards}

    def _column(self, column_id: int) -> ColumnInfo | None:
        return next((c for c in self.columns if c.id == column_id), None)

    # --- card actions --------------------------------------------------------------------------

    def open_editor(self, item_id: int) -> None:
        """Open the item editor on a card."""
        open_item_editor(self.ctx, item_id, self)

    def card_menu(self, item_ids: Sequence[int]) -> QMenu:
        """The context menu of the selected cards."""
        cards = [self.store.by_id[i] for i in item_ids if i in self.store.by_id]
        menu = QMenu(self)
        single = cards[0] if len(cards) == 1 else None
        edit = menu.addAction("Edit…")
        edit.setEnabled(single is not None)
        if single is not None:
            edit.triggered.connect(lambda: self.open_editor(single.id))
        move_menu = menu.addMenu("Move to")
        for column in self.columns:
            action = move_menu.addAction(column.name)
            action.setEnabled(any(c.column_id != column.id for c in cards))
            action.triggered.connect(lambda _=False, cid=column.id: self._move_to(cards, cid))
        if single is not None and single.blocked_reason:
            menu.addAction("Unblock").triggered.connect(lambda: self._set_blocked(single, None))
        else:
            block = menu.addAction("Block…")
            block.setEnabled(single is not None)
            if single is not None:
                block.triggered.connect(lambda: self.open_block_dialog(single))
        archive = menu.addAction("Archive" if len(cards) < 2 else f"Archive {len(cards)} cards")
        archive.triggered.connect(
            lambda: push(self.ctx, ArchiveItemsCommand(self.ctx, [c.id for c in cards]))
        )
        menu.addSeparator()
        ask = menu.addAction("Ask a question about this card…")
        ask.setEnabled(single is not None)
        if single is not None:
            ask.triggered.connect(
                lambda: ask_question_dialog(self.ctx, item_id=single.id, parent=self)
            )
        return menu

    def _show_card_menu(self, view: CardListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        if not view.selectionModel().isSelected(index):
            view.setCurrentIndex(index)
        self._active_view = view
        menu = self.card_menu(view.selected_ids())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(view.viewport().mapToGlobal(pos))

    def _move_to(self, cards: Sequence[Card], column_id: int) -> None:
        ids = [c.id for c in cards if c.column_id != column_id]
        column = self._column(column_id)
        if ids and column is not None:

            def move() -> bool:
                command = MoveCardsCommand(
                    self.ctx, ids, column_id=column_id, keep_ranks={c.id: c.rank for c in cards},
                    text=f"Move {self._describe(ids)} to {column.name}",
                )  # fmt: skip
                if push(self.ctx, command):
                    self.select_cards(ids)
                    return True
                return False

            gate_move(self.ctx, self._cards(ids), column, self.columns, move, self)

    def open_block_dialog(self, card: Card) -> QInputDialog:
        """Ask why a card is blocked (without blocking the window); OK blocks it."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(f"Block {card.key}")
        dialog.setLabelText(f"Why is {card.key} blocked?")
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.textValueSelected.connect(lambda reason: self._set_blocked(card, reason))
        return open_dialog(dialog)

    def _set_blocked(self, card: Card, reason: str | None) -> None:
        reason = (reason or "").strip() or None
        current = self.store.by_id.get(card.id, card)
        verb = f"Block {card.key}" if reason else f"Unblock {card.key}"
        push(
            self.ctx,
            EditItemCommand(
                self.ctx, card.id, current.version,
                before={"blocked_reason": current.blocked_reason},
                after={"blocked_reason": reason}, text=verb,
            ),
        )  # fmt: skip

    # --- columns -------------------------------------------------------------------------------

    def column_menu(self, column_id: int) -> QMenu:
        """The menu of a column header."""
        column = self._column(column_id)
        assert column is not None
        count = len(self.store.by_column.get(column.id, ()))
        return column_dialogs.column_menu(self, self.ctx, self.columns, column, count)

    def _show_column_menu(self, column_id: int, where: QPoint) -> None:
        menu = self.column_menu(column_id)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)

    def open_add_column_dialog(self) -> None:
        """Ask for a new column (placed before the first "done" column)."""
        if self.product is not None:
            column_dialogs.open_add_dialog(self, self.ctx, self.product.id)


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumContentsLength(8)
    return combo

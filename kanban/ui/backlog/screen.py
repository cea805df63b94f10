"""The Backlog screen: the product's items in priority order, to reorder, filter and plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ITEM_KINDS, Category, ItemKind, ScoreMethod, SprintState, plural
from kanban.services import estimation, links
from kanban.services.records import Card, ProductInfo, ReleaseInfo, SprintInfo
from kanban.ui.backlog.empty import EmptyBacklogHint
from kanban.ui.backlog.model import SCORE_COLUMNS, BacklogModel
from kanban.ui.backlog.sprint_bar import SprintBar
from kanban.ui.backlog.view import BacklogView
from kanban.ui.cards import CardStore, CardsUpdate
from kanban.ui.commands.items import AddItemCommand, ArchiveItemsCommand, DeleteItemsCommand, push
from kanban.ui.commands.moves import MoveCardsCommand
from kanban.ui.context import AppContext
from kanban.ui.forms import ElidedLabel, PopupComboBox, refill_combo
from kanban.ui.releases.menu import rank_by_score, release_menu
from kanban.ui.screen import CardsScreen

if TYPE_CHECKING:
    from kanban.ui.dialogs.item_editor import ItemEditor
    from kanban.ui.refinement.bulk_edit import BulkEditDialog
    from kanban.ui.scoring.matrix import MatrixDialog

ALL = ""
NO_RELEASE = -1
"""The Release filter's choice of the items in no release (release ids are positive)."""
READY, NOT_READY = "ready", "not_ready"
VELOCITY_SPRINTS = 3  # the "recent" in recent velocity: the last closed sprints averaged
SCORE_COLUMNS_SETTING = "backlog/score_columns"
"""The score columns shown (a view option, kept for every product and database)."""


def remembered_score_columns() -> set[str]:
    """The scoring methods whose column the backlog shows (none at first)."""
    value = QSettings().value(SCORE_COLUMNS_SETTING, "")
    return {m for m in str(value or "").split(",") if m in tuple(ScoreMethod)}


def parse_quick_add(text: str) -> tuple[str, str]:
    """``"bug: Crash on login"`` → ("bug", "Crash on login"); no known prefix: a story."""
    prefix, colon, rest = text.partition(":")
    if colon and prefix.strip().lower() in ITEM_KINDS and rest.strip():
        return prefix.strip().lower(), rest.strip()
    return "story", text.strip()


class BacklogScreen(CardsScreen):
    """The Backlog page: rank order, drag to reorder, quick add, filters, sprint planning."""

    title = "Backlog"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.column_names: dict[int, str] = {}
        self.done_columns: frozenset[int] = frozenset()
        self.active_sprint_id: int | None = None
        self.velocity: float | None = None
        self.velocity_sprints = 0
        self._totals_revision = -1  # the card store's revision the running totals were summed at
        self._shown_points = 0.0
        self.unestimated_above = 0  # items the running total counts as 0 above the line
        self._last_filter: tuple[object, str, list[Card]] = ((), "", [])
        self.editor: ItemEditor | None = None
        self.matrix: MatrixDialog | None = None
        self.score_methods = remembered_score_columns()
        self.score_sort: tuple[int, bool] | None = None  # (score column, highest first) or None
        self._scores_stale = True  # the model's scores are not the store's cards' any more

        self.model = BacklogModel(self._move, self)
        self.view = BacklogView()
        self.view.setModel(self.model)
        self.view.size_columns()
        self.view.show_scores(self.score_methods)
        header = self.view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionClicked.connect(self._header_clicked)
        self.view.doubleClicked.connect(self._open_index)
        self.view.selectionModel().selectionChanged.connect(self._update_summary)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.sprint_bar = SprintBar(ctx, self.selected_ids)
        self.sprint_bar.message.connect(self._say)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by key or title")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter")
        self.filter_edit.textChanged.connect(self.refresh)
        self.label_combo = QComboBox()
        self.label_combo.setAccessibleName("Label")
        self.label_combo.setMinimumWidth(140)
        self.label_combo.currentIndexChanged.connect(self.refresh)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind")
        self.kind_combo.addItem("All kinds", ALL)
        for kind in ITEM_KINDS:
            self.kind_combo.addItem(kind.capitalize(), kind)
        self.kind_combo.currentIndexChanged.connect(self.refresh)
        # A release's items (or those in none): planning a release means seeing what is in it.
        # Its releases are read when its list opens (the forecasts' modules load on first use,
        # not at start-up).
        self.release_combo = PopupComboBox()
        self.release_combo.setAccessibleName("Release")
        self.release_combo.addItem("All releases", ALL)
        self.release_combo.currentIndexChanged.connect(self.refresh)
        self.release_combo.popup_opening.connect(lambda: self._fill_releases(read=True))
        self._releases_read = False
        self.done_check = QCheckBox("Show done")
        self.done_check.toggled.connect(self.refresh)
        self.ready_combo = QComboBox()
        self.ready_combo.setAccessibleName("Ready")
        for text, data in (("Ready or not", ALL), ("Ready", READY), ("Not ready", NOT_READY)):
            self.ready_combo.addItem(text, data)
        self.ready_combo.currentIndexChanged.connect(self.refresh)
        self.dependency_check = QCheckBox("Blockers first")
        self.dependency_check.setToolTip(
            "Show every item after the items that block it (otherwise in priority order); "
            "drag and drop reorders the priority only in priority order"
        )
        self.dependency_check.toggled.connect(self._dependency_toggled)
        self._dependency_order: dict[int, int] = {}

        self.quick_add = QLineEdit()
        self.quick_add.setObjectName("quick_add")
        self.quick_add.setPlaceholderText(
            "Add to the bottom of the backlog: type a title and press Enter "
            "(“bug: …”, “task: …”, “spike: …” for other kinds)"
        )
        self.quick_add.returnPressed.connect(self.add_from_quick_line)
        self.summary = QLabel()
        self.summary.setObjectName("backlog_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        # A long note ("Sprint 4 closed; 6 unfinished items went to ...") must not widen the
        # window: it takes the room the summary leaves, cut at a word (whole in its tooltip).
        self.notice = ElidedLabel()
        self.notice.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._notice_index = -1  # the undo stack's index when the note was said
        ctx.undo_stack.indexChanged.connect(self._undo_moved)
        self.empty_hint = EmptyBacklogHint()
        self.empty_hint.hide()
        self.empty_hint.sample_requested.connect(lambda: self._window_does("load_sample"))
        self.empty_hint.import_requested.connect(lambda: self._window_does("ask_import"))

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(QLabel("Label"))
        filters.addWidget(self.label_combo)
        filters.addWidget(QLabel("Kind"))
        filters.addWidget(self.kind_combo)
        filters.addWidget(QLabel("Release"))
        filters.addWidget(self.release_combo)
        filters.addWidget(QLabel("Ready"))
        filters.addWidget(self.ready_combo)
        filters.addWidget(self.done_check)
        filters.addWidget(self.dependency_check)
        footer = QHBoxLayout()
        footer.addWidget(self.summary)
        footer.addWidget(self.notice, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.sprint_bar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addWidget(self.quick_add)
        layout.addLayout(footer)

        self._build_actions()
        events = ctx.events
        events.board_changed.connect(lambda _pid: self.refresh_soon())  # columns (the store's)
        events.sprints_changed.connect(lambda _pid: self.refresh_soon())
        events.people_changed.connect(self.reload)  # requesters' names
        events.releases_changed.connect(lambda _pid: self._fill_releases(self._releases_read))

    def _build_actions(self) -> None:
        def action(
            text: str, slot: object, *keys: QKeySequence | QKeySequence.StandardKey | str
        ) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.view.addAction(act)
            return act

        self.edit_action = action("Edit…", self.edit_current, "Return", "Enter")
        self.bulk_edit_action = action("Edit selected items…", self.edit_selected, "Ctrl+Shift+E")
        self.top_action = action("Move to top", self.move_to_top, "Ctrl+Home")
        self.bottom_action = action("Move to bottom", self.move_to_bottom, "Ctrl+End")
        self.add_to_sprint_action = action(
            "Add to sprint", self.sprint_bar.add_selected, "Ctrl+Shift+S"
        )
        self.remove_from_sprint_action = action(
            "Remove from sprint", self.sprint_bar.remove_selected
        )
        self.archive_action = action("Archive", self.archive_selected, "Ctrl+Shift+A")
        self.delete_action = action("Delete", self.delete_selected, QKeySequence.StandardKey.Delete)
        # The menu bar's Backlog menu has the context menu's Release ▸ too (see menu_actions).
        self.release_submenu = release_menu(self.ctx, self, self.selected_ids)
        self.rank_action = action("Rank by score…", lambda: rank_by_score(self.ctx, self))
        self.matrix_action = action("Value/effort matrix…", self.show_matrix, "Ctrl+Shift+M")
        self.score_actions: dict[str, QAction] = {}
        for method in ScoreMethod:
            act = action(f"Show {method.upper()} scores", self._score_columns_toggled)
            act.setCheckable(True)
            act.setChecked(method in self.score_methods)
            act.setData(method.value)
            self.score_actions[method] = act

    # --- loading -----------------------------------------------------------------------------

    def set_product(self, product: ProductInfo | None) -> None:
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.release_submenu.setEnabled(product is not None)
        super().set_product(product)

    def show_store(self, store: CardStore) -> None:
        """Show the store's cards with the columns' and sprints' names and the velocity."""
        self.column_names = {c.id: c.name for c in store.columns}
        self.done_columns = frozenset(c.id for c in store.columns if c.category == Category.DONE)
        self.sprint_bar.set_product(self.product.id if self.product else None)
        sprint_list = self.sprint_bar.sprints
        self.model.sprint_names = {s.id: s.name for s in sprint_list}
        self.model.column_names = self.column_names
        self.model.done_columns = self.done_columns
        self.active_sprint_id = next(
            (s.id for s in sprint_list if s.state == SprintState.ACTIVE), None
        )
        self._totals_revision = -1  # the active sprint may have changed
        if self.product is None:
            self.velocity, self.velocity_sprints = None, 0
            self.model.points_scale = ()
        else:
            self._read_velocity(sprint_list)
            self.model.points_scale = self.ctx.read(estimation.get_points_scale, self.product.id)
        self._fill_labels()
        self._fill_releases(self._releases_read)
        self._read_dependency_order()
        self._scores_stale = True
        self.refresh()

    def catch_up(self) -> None:
        self._fill_labels()
        self.refresh()

    def _read_velocity(self, sprint_list: Sequence[SprintInfo]) -> None:
        assert self.product is not None
        if not any(s.state == SprintState.CLOSED for s in sprint_list):
            self.velocity, self.velocity_sprints = None, 0  # velocity counts closed sprints only
            return
        # The flow model is large: load it once a sprint has closed.
        from kanban.metrics.sprints import velocity
        from kanban.services.figures import load_flow

        history = velocity(self.ctx.read(load_flow, self.product.id))
        recent = history[-VELOCITY_SPRINTS:]
        total = sum(v.points for v in recent)
        self.velocity = total / len(recent) if recent and total > 0 else None
        self.velocity_sprints = len(recent)

    def _fill_labels(self) -> None:
        names = {label for card in self.store.order for label in card.labels}
        labels = sorted(names, key=str.lower)
        refill_combo(self.label_combo, [("All labels", ALL), *((label, label) for label in labels)])

    def _fill_releases(self, read: bool) -> None:
        """The Release filter's choices: the product's releases when ``read`` (else only All
        and No release, until its list first opens)."""
        found: list[ReleaseInfo] = []
        if read and self.product is not None:
            from kanban.services import releases  # the forecasts' modules: on first use

            found = self.ctx.read(releases.list_releases, self.product.id)
            self._releases_read = True
        choices = [("All releases", ALL), ("No release", NO_RELEASE)]
        before = self.release_combo.currentData()
        refill_combo(self.release_combo, [*choices, *((r.name, r.id) for r in found)])
        if self.release_combo.currentData() != before:  # the chosen release is gone
            self.refresh()

    # --- events from elsewhere -----------------------------------------------------------------

    def show_update(self, update: CardsUpdate) -> None:
        if self.score_methods and not self._scores_stale and self.product is not None:
            changed = [new.id for _old, new in update.pairs if new is not None]
            if changed:  # an edit may have changed an input: read those items' again
                from kanban.services import scoring

                scores = self.ctx.read(scoring.item_scores, self.product.id, changed)
                for item_id in changed:  # an item left out has no input any more
                    self.model.scores.pop(item_id, None)
                self.model.scores.update(scores)
        self.refresh()
        labels = {label for _old, new in update.pairs if new for label in new.labels}
        if labels - {self.label_combo.itemData(i) for i in range(self.label_combo.count())}:
            self._fill_labels()

    # --- filtering and totals ----------------------------------------------------------------

    def visible_cards(self) -> list[Card]:
        """The cards the filters let through, in rank order."""
        text = self.filter_edit.text().strip().lower()
        label = self.label_combo.currentData() or ALL
        kind = self.kind_combo.currentData() or ALL
        ready = self.ready_combo.currentData() or ALL
        release = self.release_combo.currentData() or ALL
        base = (self.store.revision, self.done_check.isChecked(), kind, label, ready, release,
                self.dependency_check.isChecked(), self.score_sort)  # fmt: skip
        last_base, last_text, last_rows = self._last_filter
        if base == last_base and last_text and text.startswith(last_text):
            rows = last_rows  # typing on: only the rows that matched so far can match now
        else:
            rows = self.store.order
            # One pass per active filter, cheapest first: ~10 ms a pass at 100,000 cards.
            if not self.done_check.isChecked():
                done = self.done_columns
                rows = [c for c in rows if c.column_id not in done]
            if kind:
                rows = [c for c in rows if c.kind == kind]
            if label:
                rows = [c for c in rows if label in c.labels]
            if release:
                wanted_release = None if release == NO_RELEASE else release
                rows = [c for c in rows if c.release_id == wanted_release]
            if ready:
                wanted = ready == READY
                rows = [c for c in rows if c.ready is wanted]
            if self.dependency_check.isChecked():
                position = self._dependency_order
                rows = sorted(rows, key=lambda c: position.get(c.id, len(position)))
            if self.score_sort is not None:
                rows = self._sorted_by_score(rows, *self.score_sort)
        if text:
            rows = [c for c in rows if text in c.title.lower() or text in c.key.lower()]
        self._last_filter = (base, text, rows)
        return rows

    def _running_totals(self) -> dict[int, float]:
        """Points summed down the backlog: unfinished, non-epic work not in the running
        sprint, in priority order (what the next sprints would take, top first)."""
        done, active = self.done_columns, self.active_sprint_id
        counted = [
            c
            for c in self.store.order
            if c.column_id not in done
            and c.kind != ItemKind.EPIC
            and (active is None or c.sprint_id != active)
        ]
        sums = accumulate(c.points or 0.0 for c in counted)
        return dict(zip([c.id for c in counted], sums, strict=True))

    def _sorted_by_score(self, rows: list[Card], column: int, highest_first: bool) -> list[Card]:
        """The rows by a score column's score, items without one last (a view: ranks stay)."""
        method = SCORE_COLUMNS[column]
        scored = [(self.model.score_of(c, method), n, c) for n, c in enumerate(rows)]
        known = [x for x in scored if x[0] is not None]
        known.sort(key=lambda x: (-x[0] if highest_first else x[0], x[1]))  # type: ignore[operator]
        return [c for _, _, c in known] + [c for s, _, c in scored if s is None]

    def _read_scores(self) -> None:
        """Read every card's scoring inputs when a score column shows and they are stale."""
        if not self.score_methods or not self._scores_stale:
            return
        from kanban.services import scoring  # with kanban.metrics: once a score column shows

        self.model.scores = (
            self.ctx.read(scoring.item_scores, self.product.id) if self.product else {}
        )
        self._scores_stale = False
        self._last_filter = ((), "", [])  # a sort by score sorts again

    def refresh(self) -> None:
        """Apply the filters to the cards held and update the table, line and totals."""
        selected = set(self.selected_ids())
        self._read_scores()
        if self._totals_revision != self.store.revision:  # the cards changed since
            self.model.totals = self._running_totals()
            self._totals_revision = self.store.revision
        totals = self.model.totals
        rows = self.visible_cards()
        self._shown_points = sum(c.points or 0 for c in rows if c.kind != ItemKind.EPIC)
        self.model.set_rows(rows)
        self._select(selected)
        line = None
        if self.velocity is not None and self.score_sort is None:
            line = next(
                (r for r, c in enumerate(rows) if totals.get(c.id, 0) > self.velocity), None
            )
        text = f"next sprint at {round(self.velocity, 1):g} pts" if self.velocity else ""
        self.unestimated_above = self._unestimated_above(rows, line)
        if text and self.unestimated_above:
            text += f" · {self.unestimated_above} unestimated above"
        self.view.set_line(line, text)
        empty = self.product is not None and not len(self.store)
        self.empty_hint.setVisible(empty)
        self.view.setVisible(not empty)
        self._update_summary()
        self.sprint_bar.refresh()

    def _unestimated_above(self, rows: Sequence[Card], line: int | None) -> int:
        """How many items the running total counts as 0 points above the velocity line."""
        if line is None:
            return 0
        counted = self.model.totals
        return sum(1 for c in rows[:line] if c.id in counted and c.points is None)

    def _update_summary(self) -> None:
        parts = [plural(len(self.model.rows), "item"), f"{self._shown_points:g} points"]
        unestimated = sum(
            1 for c in self.model.rows if c.points is None and c.kind != ItemKind.EPIC
        )
        if unestimated:
            parts.append(f"{unestimated} not estimated")
        cards = self.store.by_id
        selected = [cards[i] for i in self.selected_ids() if i in cards]
        if len(selected) > 1:
            chosen = sum(c.points or 0 for c in selected)
            parts.append(f"selected: {plural(len(selected), 'item')}, {chosen:g} points")
        if self.velocity is not None:
            parts.append(
                f"velocity {round(self.velocity, 1):g} points per sprint "
                f"(last {plural(self.velocity_sprints, 'closed sprint')})"
            )
        else:
            parts.append("no velocity yet: close a sprint to see what fits in the next")
        if self.score_sort is not None:
            column, highest = self.score_sort
            order = "highest" if highest else "lowest"
            parts.append(f"sorted by {SCORE_COLUMNS[column].upper()}, {order} first (a view only)")
        self.summary.setText(" · ".join(parts))

    def _read_dependency_order(self) -> None:
        if self.dependency_check.isChecked() and self.product is not None:
            order = self.ctx.read(links.dependency_order, self.product.id)
            self._dependency_order = {item_id: n for n, item_id in enumerate(order)}
        else:
            self._dependency_order = {}

    def _dependency_toggled(self, on: bool) -> None:
        self._read_dependency_order()
        self._allow_drag()
        self.refresh()

    def _allow_drag(self) -> None:
        # A drop places by priority, not by another order the view is in.
        self.view.setDragEnabled(not self.dependency_check.isChecked() and self.score_sort is None)

    # --- score columns -----------------------------------------------------------------------

    def show_matrix(self) -> MatrixDialog | None:
        """Open the value/effort matrix of the product (beside the backlog)."""
        from kanban.ui.scoring.matrix import open_matrix  # loaded when first opened

        self.matrix = open_matrix(self.ctx, self)
        return self.matrix

    def show_score_columns(self, methods: Iterable[str]) -> None:
        """Show the score columns of these methods (remembered for next time)."""
        self.score_methods = {str(m) for m in methods}
        for method, act in self.score_actions.items():
            act.setChecked(method in self.score_methods)
        QSettings().setValue(
            SCORE_COLUMNS_SETTING, ",".join(m for m in ScoreMethod if m in self.score_methods)
        )
        self.view.show_scores(self.score_methods)
        sorted_by = SCORE_COLUMNS[self.score_sort[0]] if self.score_sort else None
        if sorted_by is not None and sorted_by not in self.score_methods:
            self.sort_by_score(None)
        self.refresh()

    def _score_columns_toggled(self) -> None:
        self.show_score_columns(m for m, act in self.score_actions.items() if act.isChecked())

    def sort_by_score(self, column: int | None, highest_first: bool = True) -> None:
        """Sort the view by a score column (None: back to the priority order). The ranks stay
        as they are: dragging is off while sorted."""
        self.score_sort = None if column is None else (column, highest_first)
        self.view.show_sorted(column, highest_first)
        self._allow_drag()
        self.refresh()

    def _header_clicked(self, section: int) -> None:
        # A score header sorts highest first, then lowest first, then back to rank order;
        # any other header goes back to rank order.
        if section not in SCORE_COLUMNS:
            if self.score_sort is not None:
                self.sort_by_score(None)
            return
        if self.score_sort is None or self.score_sort[0] != section:
            self.sort_by_score(section, True)
        elif self.score_sort[1]:
            self.sort_by_score(section, False)
        else:
            self.sort_by_score(None)

    def header_menu(self) -> QMenu:
        """The table header's context menu: the score columns to show, and the priority
        order back when the view is sorted by a score."""
        menu = QMenu(self)
        for act in self.score_actions.values():
            menu.addAction(act)
        if self.score_sort is not None:
            menu.addAction("Priority order", lambda: self.sort_by_score(None))
        return menu

    def _header_menu(self, pos: QPoint) -> None:
        self.header_menu().popup(self.view.horizontalHeader().mapToGlobal(pos))

    # --- selection ---------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected items, in rank order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.card_at(row).id for row in rows if row < self.model.rowCount()]

    def select_ids(self, item_ids: Iterable[int]) -> None:
        """Select these items (those visible), replacing the selection."""
        self._select(set(item_ids))

    def _select(self, item_ids: set[int]) -> None:
        if not item_ids and not self.view.selectionModel().hasSelection():
            return
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        rows = sorted(r for r in map(self.model.row_of, item_ids) if r is not None)
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        first_row = rows[0] if rows else None
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().select(selection, flags)
        if first_row is not None:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(first_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    # --- actions -----------------------------------------------------------------------------

    def _move(self, item_ids: Sequence[int], after_id: int | None, before_id: int | None) -> bool:
        cards = self.store.by_id
        ordered = sorted(item_ids, key=lambda i: cards[i].rank if i in cards else "")
        command = MoveCardsCommand(
            self.ctx, ordered, column_id=None, after_id=after_id, before_id=before_id,
            text=f"Reorder {plural(len(ordered), 'item')}",
        )  # fmt: skip
        done = push(self.ctx, command)
        if done:
            self._select(set(item_ids))
        return done

    def move_to_top(self) -> bool:
        """Put the selected items at the top of the product's priority order."""
        ids = self.selected_ids()
        first = next((c.id for c in self.store.order if c.id not in ids), None)
        return bool(ids) and first is not None and self._move(ids, None, first)

    def move_to_bottom(self) -> bool:
        """Put the selected items at the bottom of the product's priority order."""
        ids = self.selected_ids()
        last = next((c.id for c in reversed(self.store.order) if c.id not in ids), None)
        return bool(ids) and last is not None and self._move(ids, last, None)

    def add_from_quick_line(self) -> Card | None:
        """Add the quick-add line's text as a new item at the bottom (undoable)."""
        if self.product is None or not self.quick_add.text().strip():
            return None
        kind, title = parse_quick_add(self.quick_add.text())
        command = AddItemCommand(self.ctx, self.product.id, title, kind=kind)
        if not push(self.ctx, command):
            return None
        self.quick_add.clear()
        assert command.card is not None
        self._select({command.card.id})
        row = self.model.row_of(command.card.id)
        if row is not None:
            self.view.scrollTo(self.model.index(row, 0))
        self._say(f"Added {command.card.key}")
        return command.card

    def edit_current(self) -> ItemEditor | None:
        """Open the item editor on the current row."""
        index = self.view.currentIndex()
        return self._open_index(index) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> ItemEditor:
        from kanban.ui.dialogs.item_editor import open_item_editor  # load on first edit

        self.editor = open_item_editor(self.ctx, self.model.card_at(index.row()).id, self)
        return self.editor

    def edit_selected(self) -> BulkEditDialog | None:
        """Change points, labels, sprint, assignee or kind of every selected item at once."""
        from kanban.ui.refinement.bulk_edit import open_bulk_edit  # load on first use

        cards = [self.store.by_id[i] for i in self.selected_ids() if i in self.store.by_id]
        return open_bulk_edit(self.ctx, cards, self) if cards else None

    def archive_selected(self) -> bool:
        """Archive the selected items (undoable)."""
        ids = self.selected_ids()
        return bool(ids) and push(self.ctx, ArchiveItemsCommand(self.ctx, ids))

    def delete_selected(self) -> bool:
        """Delete the selected items (undoable: undo restores them)."""
        ids = self.selected_ids()
        if ids and push(self.ctx, DeleteItemsCommand(self.ctx, ids)):
            them = "it" if len(ids) == 1 else "them"
            self._say(f"Deleted {plural(len(ids), 'item')}; Ctrl+Z brings {them} back")
            return True
        return False

    def menu_actions(self) -> list[QAction]:
        """The screen's actions for the window's Backlog menu, with Sprint review ▸ and
        Release ▸ after the sprint's."""
        actions = super().menu_actions()
        at = actions.index(self.remove_from_sprint_action) + 1
        submenus = (self.sprint_bar.review_menu.menuAction(), self.release_submenu.menuAction())
        return [*actions[:at], *submenus, *actions[at:]]

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for act in (self.edit_action, self.bulk_edit_action, None, self.top_action,
                    self.bottom_action, None):  # fmt: skip
            menu.addSeparator() if act is None else menu.addAction(act)
        for act in (self.add_to_sprint_action, self.remove_from_sprint_action, None):
            menu.addSeparator() if act is None else menu.addAction(act)
        menu.addMenu(release_menu(self.ctx, menu, self.selected_ids))
        menu.addAction(self.rank_action)
        menu.addAction(self.matrix_action)
        menu.addAction(self.archive_action)
        menu.addAction(self.delete_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def _window_does(self, name: str) -> None:
        """Run one of the main window's actions (the hint's Load the sample, Import…)."""
        window = self.window()
        action = getattr(window, name, None)
        if callable(action):
            action()

    def _say(self, text: str) -> None:
        """A short note after an action ("Deleted 2 items; Ctrl+Z brings them back"); the
        next change on the undo stack (an undo, another action) takes it away."""
        self.notice.setText(text)
        self._notice_index = self.ctx.undo_stack.index()

    def _undo_moved(self, index: int) -> None:
        if self.notice.text() and index != self._notice_index:
            self.notice.clear()

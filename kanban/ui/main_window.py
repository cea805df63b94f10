"""The main window: product switcher, navigation between screens, menus, undo."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from kanban.services import products
from kanban.services.records import ProductInfo
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.board.screen import BoardScreen
from kanban.ui.context import AppContext
from kanban.ui.questions.screen import QuestionsScreen
from kanban.ui.screen import Screen
from kanban.ui.stakeholders.screen import StakeholdersScreen
from kanban.ui.status.screen import StatusScreen

SCREEN_TYPES: tuple[type[Screen], ...] = (
    BacklogScreen,
    BoardScreen,
    QuestionsScreen,
    StatusScreen,
    StakeholdersScreen,
)


class MainWindow(QMainWindow):
    """One window on one database file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.main_window = self
        self.setWindowTitle(self._title())
        self.resize(1280, 800)

        self.product_combo = QComboBox()
        self.product_combo.setMinimumWidth(220)
        self.product_combo.setAccessibleName("Product")
        self.product_combo.currentIndexChanged.connect(self._product_chosen)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.screens: list[Screen] = []
        for screen_type in SCREEN_TYPES:
            screen = screen_type(ctx)
            self.screens.append(screen)
            self.stack.addWidget(screen)
            self.nav.addItem(QListWidgetItem(screen.title))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(1)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        toolbar = QToolBar("Product")
        toolbar.setObjectName("product_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel("Product "))
        toolbar.addWidget(self.product_combo)
        self.addToolBar(toolbar)

        self._build_menus()
        ctx.events.products_changed.connect(self.refresh_products)
        ctx.events.external_change.connect(self.refresh_products)
        for signal in (
            ctx.events.questions_changed,
            ctx.events.cards_changed,
            ctx.events.external_change,
            ctx.events.product_selected,
        ):
            signal.connect(self.refresh_badges)
        self.statusBar().showMessage(str(ctx.db.path or ctx.db.url))
        self.refresh_products()
        self._restore_state()

    # --- products ----------------------------------------------------------------------------

    def refresh_products(self) -> None:
        """Fill the product switcher again, keeping the current product when it still exists."""
        current = self.ctx.product.id if self.ctx.product else self._saved_product_id()
        items = self.ctx.read(products.list_products)
        self.product_combo.blockSignals(True)
        self.product_combo.clear()
        for product in items:
            self.product_combo.addItem(f"{product.name} ({product.key})", product)
        index = next((i for i, p in enumerate(items) if p.id == current), 0)
        self.product_combo.setCurrentIndex(index if items else -1)
        self.product_combo.blockSignals(False)
        chosen = items[index] if items else None
        if chosen != self.ctx.product:
            self.ctx.select_product(chosen)

    def _product_chosen(self, index: int) -> None:
        product = self.product_combo.itemData(index) if index >= 0 else None
        self.ctx.select_product(product)

    def select_product(self, product: ProductInfo) -> None:
        """Switch to a product by record."""
        for index in range(self.product_combo.count()):
            if self.product_combo.itemData(index).id == product.id:
                self.product_combo.setCurrentIndex(index)
                return

    def refresh_badges(self, *_: object) -> None:
        """Update the navigation titles with each screen's badge (e.g. open questions)."""
        for row, screen in enumerate(self.screens):
            badge = screen.nav_badge()
            self.nav.item(row).setText(f"{screen.title}  ({badge})" if badge else screen.title)

    # --- menus -------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu.addAction(quit_action)

        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)

        self.view_menu = self.menuBar().addMenu("&View")
        for row, screen in enumerate(self.screens):
            action = QAction(screen.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _=False, r=row: self.nav.setCurrentRow(r))
            self.view_menu.addAction(action)

        self.help_menu = self.menuBar().addMenu("&Help")

    def show_screen(self, screen_type: type[Screen]) -> Screen:
        """Bring a screen to the front and return it."""
        row = next(i for i, s in enumerate(self.screens) if isinstance(s, screen_type))
        self.nav.setCurrentRow(row)
        return self.screens[row]

    # --- state ---------------------------------------------------------------------------------

    def _title(self) -> str:
        where = self.ctx.db.path.name if self.ctx.db.path else self.ctx.db.url
        return f"kanban — {where}"

    def _settings(self) -> QSettings:
        return QSettings()

    def _saved_product_id(self) -> int | None:
        value = self._settings().value(f"products/{self.ctx.db.url}")
        return int(value) if value not in (None, "") else None

    def _restore_state(self) -> None:
        geometry = self._settings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        row = self._settings().value("window/screen")
        if row not in (None, ""):
            self.nav.setCurrentRow(int(row))

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self._settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/screen", self.nav.currentRow())
        if self.ctx.product is not None:
            settings.setValue(f"products/{self.ctx.db.url}", self.ctx.product.id)
        self.ctx.close()
        super().closeEvent(event)

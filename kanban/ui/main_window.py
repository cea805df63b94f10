"""The main window: product switcher, navigation between screens, menus, undo."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QByteArray, QSettings, Qt, QThread
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from kanban import __version__
from kanban.domain import plural
from kanban.errors import CancelledError, KanbanError
from kanban.services import Database, open_database, products, questions
from kanban.services.records import ProductInfo
from kanban.ui.commands.items import push
from kanban.ui.commands.products import ArchiveProductCommand
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import open_dialog
from kanban.ui.refinement.commands import BlockedCardsWatcher
from kanban.ui.screen import Screen

if TYPE_CHECKING:
    from kanban.ui.dialogs.product_dialog import ProductDialog
    from kanban.ui.refinement.definitions import DefinitionsDialog

IMPORT_SOURCES = (
    ("trello", "&Trello board (JSON)…"),
    ("jira", "&Jira export (CSV or XML)…"),
    ("csv", "&Spreadsheet (CSV)…"),
)
"""File > Import: the formats besides our own JSON, as ``kanban import`` names them."""


def open_questions_badge(ctx: AppContext) -> str:
    """The current product's number of open questions, when there are any."""
    if ctx.product is None:
        return ""
    count = ctx.read(questions.open_question_count, ctx.product.id)
    return str(count) if count else ""


class Page(NamedTuple):
    """A navigation entry; its screen's module is imported when the page is first shown."""

    title: str
    screen: str  # "module:ClassName" of the Screen subclass
    badge: Callable[[AppContext], str] | None = None  # text beside the title, e.g. a count

    def screen_type(self) -> type[Screen]:
        """Import the page's screen class."""
        module, _, name = self.screen.partition(":")
        return getattr(import_module(module), name)  # type: ignore[no-any-return]


# Screens are built on first show, so start-up imports only the first page's module.
PAGES: tuple[Page, ...] = (
    Page("Backlog", "kanban.ui.backlog.screen:BacklogScreen"),
    Page("Board", "kanban.ui.board.screen:BoardScreen"),
    Page("Questions", "kanban.ui.questions.screen:QuestionsScreen", open_questions_badge),
    Page("Status", "kanban.ui.status.screen:StatusScreen"),
    Page("Charts", "kanban.ui.charts.screen:ChartsScreen"),
    Page("Stakeholders", "kanban.ui.stakeholders.screen:StakeholdersScreen"),
    Page("Roadmap", "kanban.ui.releases.roadmap:RoadmapScreen"),
    Page("Portfolio", "kanban.ui.portfolio.screen:PortfolioScreen"),
)
FIRST_PRODUCT = ("PROD", "My Product")
MAX_RECENT = 8
DB_FILTER = "kanban databases (*.db *.sqlite *.kanban);;All files (*)"


def ensure_first_product(db: Database) -> None:
    """A new database starts with one empty product and the default columns."""
    if not products.list_products(db, include_archived=True):
        products.create_product(db, *FIRST_PRODUCT)


class MainWindow(QMainWindow):
    """One window on one database file at a time; File ▸ Open reopens it on another file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resize(1280, 800)
        self.undo_group = QUndoGroup(self)
        self.dialog: QWidget | None = None  # the last non-blocking dialog opened (for tests)
        self.backup_thread: QThread | None = None  # the daily backup, while it is being made

        self.product_combo = QComboBox()
        self.product_combo.setMinimumWidth(240)
        self.product_combo.setAccessibleName("Product")
        self.product_combo.currentIndexChanged.connect(self._product_chosen)
        toolbar = QToolBar("Product")
        toolbar.setObjectName("product_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel("  Product  "))
        toolbar.addWidget(self.product_combo)
        self.addToolBar(toolbar)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(176)
        self.nav.setStyleSheet(
            "QListWidget#navigation { border: none; padding: 8px 6px; }"
            "QListWidget#navigation::item { padding: 7px 10px; border-radius: 5px; }"
            "QListWidget#navigation::item:selected {"
            " background: palette(highlight); color: palette(highlighted-text); }"
        )
        self.nav.currentRowChanged.connect(self._show_row)
        self.stack = QStackedWidget()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.where = QLabel()
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.where)

        self.screens: list[Screen | None] = []  # one per page; None until first shown
        self._build_menus()
        self._attach(ctx)
        geometry = self._settings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    # --- the database --------------------------------------------------------------------------

    def _attach(self, ctx: AppContext) -> None:
        """Show a context's database: fresh (unbuilt) screens, its undo stack, its products."""
        ctx.setParent(self)
        ctx.main_window = self
        self.ctx = ctx
        self.undo_group.addStack(ctx.undo_stack)
        self.undo_group.setActiveStack(ctx.undo_stack)

        old_stack, self.stack = self.stack, QStackedWidget()
        self.screens = [None] * len(PAGES)
        self.splitter.replaceWidget(1, self.stack)
        old_stack.deleteLater()
        self.nav.blockSignals(True)
        self.nav.clear()
        for page in PAGES:
            self.nav.addItem(QListWidgetItem(page.title))
        self.nav.blockSignals(False)

        ctx.events.products_changed.connect(self.refresh_products)
        ctx.events.external_change.connect(self.refresh_products)
        self.blocked_watcher = BlockedCardsWatcher(ctx)
        for signal in (
            ctx.events.questions_changed,
            ctx.events.items_changed,
            ctx.events.external_change,
            ctx.events.product_selected,
        ):
            signal.connect(self.refresh_badges)
        self.setWindowTitle(self._title())
        self.where.setText(str(ctx.db.path or ctx.db.url))
        self.refresh_products()  # before the first screen is built, so it reads the product once
        row = self._settings().value("window/screen")
        row = int(row) if row not in (None, "") else 0
        self.nav.setCurrentRow(row if 0 <= row < len(PAGES) else 0)

    def open_file(self, path: str | Path) -> bool:
        """Open another database file in this window (created when new); False if it cannot
        be opened, with the reason shown and the current file kept. The file already open
        stays open as it is (with its undo history)."""
        current = self.ctx.db.path
        with contextlib.suppress(OSError):
            if current is not None and Path(path).expanduser().samefile(current):
                self.statusBar().showMessage(f"{current} is already open", 5000)
                return True
        try:
            db = open_database(str(path))
            ensure_first_product(db)
        except KanbanError as error:
            self.dialog = show_error(self, error, "Cannot open the database")
            return False
        self._save_state()
        old = self.ctx
        old.close()
        self.wait_for_backup()
        self.undo_group.removeStack(old.undo_stack)
        self._attach(AppContext(db))
        old.deleteLater()
        old.db.close()
        self.remember_recent(db.path or Path(path))
        self.statusBar().showMessage(f"Opened {path}", 5000)
        self.start_daily_backup()
        return True

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open database", self._folder(), DB_FILTER)
        if path:
            self.open_file(path)

    def _ask_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "New database",
            str(Path(self._folder()) / "kanban.db"),
            DB_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.open_file(path)  # an existing kanban file is opened, never overwritten

    def _folder(self) -> str:
        return str(self.ctx.db.path.parent) if self.ctx.db.path else str(Path.home())

    def recent_files(self) -> list[str]:
        """Recently opened database files, newest first."""
        value = self._settings().value("recent/files")
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value or []]

    def remember_recent(self, path: str | Path) -> None:
        """Put a file at the top of the recent files."""
        path = str(Path(path).resolve())
        files = [path, *(f for f in self.recent_files() if f != path)][:MAX_RECENT]
        self._settings().setValue("recent/files", files)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for path in files:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def export_json(self, path: str | Path) -> bool:
        """Export the whole database to a JSON file (restorable by ``kanban import``)."""
        from kanban.services import transfer  # only an export needs the exporter: load on demand
        from kanban.ui.progress import progress_dialog

        try:
            label, cancelled = f"Exporting {Path(path).name}…", "Export cancelled."
            with progress_dialog(self, label, cancelled) as progress:
                self.ctx.read(transfer.write_export, Path(path), progress.report)
        except CancelledError:
            return False
        except OSError as error:
            failure = KanbanError(f"Cannot write {path}: {error.strerror or error}")
            self.dialog = show_error(self, failure, "Export failed")
            return False
        except KanbanError as error:
            self.dialog = show_error(self, error, "Export failed")
            return False
        from kanban.ui.exported import exported_box

        self.dialog = exported_box(self, Path(path), "Export JSON")
        return True

    def import_json(self, source: str | Path, target: str | Path) -> bool:
        """Restore a kanban export (``kanban export json``, File > Export JSON) into a new
        database file and open it in this window; a file that exists is never written to.
        False, with the reason shown and nothing left behind, when it cannot be done."""
        from kanban.services import transfer  # only an import needs the reader: load on demand
        from kanban.ui.progress import progress_dialog

        target = Path(target).expanduser()
        if target.exists():
            failure = KanbanError(f"{target} already exists; import into a new file")
            self.dialog = show_error(self, failure, "Import failed")
            return False
        try:
            label, cancelled = f"Importing {Path(source).name}…", "Import cancelled."
            with progress_dialog(self, label, cancelled) as progress:
                # A file this call created is removed again (with its journal) when it fails.
                transfer.restore_into(str(target), Path(source), progress.report)
        except CancelledError:
            return False
        except (KanbanError, OSError) as error:
            failure = error if isinstance(error, KanbanError) else KanbanError(str(error))
            self.dialog = show_error(self, failure, "Import failed")
            return False
        return self.open_file(target)

    def ask_import(self) -> None:
        """File > Import > kanban JSON export…: choose an export, then the new database file
        to restore it in."""
        source, _ = QFileDialog.getOpenFileName(
            self, "Import a kanban export", self._folder(), "kanban export (*.json);;All files (*)"
        )
        if not source:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, "New database for the import", str(Path(source).with_suffix(".db")), DB_FILTER
        )
        if target:
            self.import_json(source, target)

    def ask_import_from(self, source: str) -> None:
        """File > Import > Trello, Jira or spreadsheet: choose the file, then preview it."""
        from kanban.ui.dialogs.import_dialog import FILE_FILTERS, SOURCE_TITLES

        path, _ = QFileDialog.getOpenFileName(
            self, SOURCE_TITLES[source], self._folder(), FILE_FILTERS[source]
        )
        if path:
            self.import_file(source, Path(path))

    def import_file(self, source: str, path: Path) -> QWidget:
        """Open the import preview of a file (trello, jira or csv); once imported, show the
        product it went into."""
        from kanban.ui.dialogs.import_dialog import import_dialog  # loaded when used

        dialog = import_dialog(self.ctx, source, path, self)
        dialog.imported.connect(self._imported)
        self.dialog = dialog
        return dialog

    def _imported(self, result: object) -> None:
        from kanban.services.importing import ImportResult

        assert isinstance(result, ImportResult)
        self.refresh_products()
        self.select_product_id(result.product.id)
        self.statusBar().showMessage(
            f"Imported {plural(result.items, 'item')} into {result.product.name}", 8000
        )

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export JSON", str(Path(self._folder()) / "kanban-export.json"), "JSON (*.json)"
        )
        if path:
            self.export_json(path)

    def _backed_up(self, path: Path | None) -> None:
        if path is not None:  # None: today's backup exists, or backups are off
            self.statusBar().showMessage(f"Backed up to {path}", 5000)

    def start_daily_backup(self) -> QThread | None:
        """The backup on open: at most once a day, in a thread (see kanban.ui.backups).

        Only the app does it, not each `kanban` command: commands are short and frequent
        (a team may run dozens a minute), and a copy of a large file costs a second."""
        if self.ctx.db.path is None:
            return None
        from kanban.ui.backups import BackupThread  # loaded when used

        self.wait_for_backup()
        thread = BackupThread(self.ctx.db, parent=self)
        thread.made.connect(self._backed_up)
        thread.failed.connect(
            lambda reason: self.statusBar().showMessage(f"The daily backup failed: {reason}")
        )
        self.backup_thread = thread
        thread.start()
        return thread

    def wait_for_backup(self) -> None:
        """Let a backup being made finish (before its database closes)."""
        if self.backup_thread is not None:
            self.backup_thread.wait()
            self.backup_thread = None

    def show_backups(self) -> QWidget | None:
        """File > Backups: where the daily backups are, how many to keep, back up now."""
        if self.ctx.db.path is None:
            self.statusBar().showMessage("A PostgreSQL database is backed up on its server", 5000)
            return None
        from kanban.ui.backups import backups_dialog  # loaded when used

        self.dialog = backups_dialog(self.ctx.db, self)
        return self.dialog

    def check_database(self) -> QWidget:
        """File > Check database: check the open database in a dialog, with progress."""
        from kanban.ui.dialogs.check_dialog import check_database_dialog  # loaded when used

        self.dialog = check_database_dialog(self.ctx, self)
        return self.dialog

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
        has_product = chosen is not None
        self.rename_product_action.setEnabled(has_product)
        self.archive_product_action.setEnabled(has_product)

    def _product_chosen(self, index: int) -> None:
        product = self.product_combo.itemData(index) if index >= 0 else None
        self.ctx.select_product(product)

    def select_product(self, product: ProductInfo) -> None:
        """Switch to a product by record."""
        for index in range(self.product_combo.count()):
            if self.product_combo.itemData(index).id == product.id:
                self.product_combo.setCurrentIndex(index)
                return

    def new_product(self) -> ProductDialog:
        """Open the New product dialog (non-blocking); the new product is selected on save."""
        from kanban.ui.dialogs.product_dialog import ProductDialog  # loaded when first opened

        dialog = ProductDialog(self.ctx, None, self)
        dialog.accepted.connect(lambda: self.select_product(dialog.saved) if dialog.saved else None)
        self.dialog = open_dialog(dialog)
        return dialog

    def edit_product(self) -> ProductDialog | None:
        """Open the dialog that renames the current product and edits its vision."""
        if self.ctx.product is None:
            return None
        from kanban.ui.dialogs.product_dialog import ProductDialog  # loaded when first opened

        dialog = open_dialog(ProductDialog(self.ctx, self.ctx.product, self))
        self.dialog = dialog
        return dialog

    def edit_definitions(self) -> DefinitionsDialog | None:
        """Open the current product's Definitions of Ready and Done, templates and scale."""
        from kanban.ui.refinement.definitions import open_definitions_dialog

        if self.ctx.product is None:
            return None
        return open_definitions_dialog(self.ctx, self.ctx.product.id, self)

    def archive_product(self) -> bool:
        """Archive the current product (undoable); another product is shown."""
        if self.ctx.product is None:
            return False
        return push(self.ctx, ArchiveProductCommand(self.ctx, self.ctx.product))

    def load_sample(self) -> bool:
        """Add the sample products (with history) to this database and show the first."""
        try:
            from kanban.services import demo  # the sample's builder is large: load on demand

            created = self.ctx.write(demo.create_demo)
        except KanbanError as error:
            self.dialog = show_error(self, error, "Sample product")
            return False
        self.ctx.events.products_changed.emit()
        if created:
            self.select_product(created[0])
        self.statusBar().showMessage(
            "Sample products loaded: " + ", ".join(p.name for p in created), 5000
        )
        self.offer_to_archive_starter()
        return True

    def offer_to_archive_starter(self) -> QMessageBox | None:
        """After the sample is loaded: offer to archive the starter product of a new file
        ("My Product") while it is still empty (non-blocking; undoable)."""
        key, name = FIRST_PRODUCT
        starter = next(
            (p for p in self.ctx.read(products.list_products) if (p.key, p.name) == (key, name)),
            None,
        )
        if starter is None or not self.ctx.read(products.product_is_empty, starter.id):
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Sample products loaded")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Archive the empty starter product “{name}”?")
        box.setInformativeText(
            "It was made for this new file and holds nothing. Archived, it leaves the product "
            "list; Edit > Undo brings it back."
        )
        self.archive_starter_button = box.addButton(
            "&Archive it", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.archive_starter_button)
        self.archive_starter_button.clicked.connect(
            lambda: push(self.ctx, ArchiveProductCommand(self.ctx, starter))
        )
        self.dialog = open_dialog(box)
        return box

    def refresh_badges(self, *_: object) -> None:
        """Update the navigation titles with each page's badge (e.g. open questions)."""
        for row, page in enumerate(PAGES):
            badge = page.badge(self.ctx) if page.badge else ""
            self.nav.item(row).setText(f"{page.title}  ({badge})" if badge else page.title)

    # --- menus -------------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[..., object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        self._action(file_menu, "&New database…", self._ask_new)
        self._action(file_menu, "&Open database…", self._ask_open, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.import_menu = file_menu.addMenu("&Import")
        self.import_action = self._action(self.import_menu, "kanban &JSON export…", self.ask_import)
        self.import_action.setToolTip("Open a kanban export (JSON) as a new database file")
        self.import_menu.addSeparator()
        for source, text in IMPORT_SOURCES:
            self._action(self.import_menu, text, lambda _=False, s=source: self.ask_import_from(s))
        self._action(file_menu, "&Export JSON…", self._ask_export)
        self._action(file_menu, "&Check database…", self.check_database)
        self.backups_action = self._action(file_menu, "&Backups…", self.show_backups)
        file_menu.addSeparator()
        self._action(file_menu, "&Preferences…", self.preferences, QKeySequence("Ctrl+,"))
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.palette_action = self._action(
            self.edit_menu, "&Find and run…", self.command_palette, QKeySequence("Ctrl+K")
        )
        self.palette_action.setToolTip(
            "Find an item of any product, a question, a screen or an action (Ctrl+K)"
        )

        self.view_menu = self.menuBar().addMenu("&View")
        for row, page in enumerate(PAGES):
            self._action(
                self.view_menu,
                page.title,
                lambda _=False, r=row: self.nav.setCurrentRow(r),
                QKeySequence(f"Ctrl+{row + 1}"),
            )

        product_menu = self.menuBar().addMenu("&Product")
        self.product_menu = product_menu
        self._action(product_menu, "&New product…", self.new_product)
        self.rename_product_action = self._action(
            product_menu, "&Rename product…", self.edit_product
        )
        self.archive_product_action = self._action(
            product_menu, "&Archive product", self.archive_product
        )
        self.definitions_action = self._action(
            product_menu, "&Definitions of Ready and Done…", self.edit_definitions
        )

        # The current screen's own actions, each with its shortcut (filled when it shows).
        self.screen_menu = self.menuBar().addMenu("&Screen")

        self.help_menu = self.menuBar().addMenu("&Help")
        self._action(
            self.help_menu,
            "&Keyboard shortcuts",
            self.keyboard_shortcuts,
            QKeySequence(QKeySequence.StandardKey.HelpContents),
        )
        self._action(self.help_menu, "Load &sample product", self.load_sample)
        self._action(self.help_menu, "&About kanban", self.about)

    def command_palette(self) -> QDialog:
        """Open the command palette (Ctrl+K): find an item, a question, a screen or an action."""
        from kanban.ui.palette import CommandPalette  # built on first use: no cost at start-up

        palette = CommandPalette(self)
        palette.move(self.mapToGlobal(self.rect().center()) - palette.rect().center())
        palette.move(palette.x(), self.mapToGlobal(self.rect().topLeft()).y() + 80)
        self.dialog = open_dialog(palette)
        palette.edit.setFocus()
        return palette

    def keyboard_shortcuts(self) -> QDialog:
        """Open Help > Keyboard shortcuts (non-blocking)."""
        from kanban.ui.shortcuts import ShortcutsDialog

        self.dialog = open_dialog(ShortcutsDialog(self))
        return self.dialog

    def open_item(self, product_id: int, item_id: int) -> QDialog:
        """Show an item's product and open the item in its editor."""
        from kanban.ui.dialogs.item_editor import open_item_editor

        self.select_product_id(product_id)
        self.dialog = open_item_editor(self.ctx, item_id, self)
        return self.dialog

    def show_question(self, product_id: int, question_id: int) -> bool:
        """Show a question selected on the Questions screen (its filters cleared if they hide
        it); False when it is gone."""
        from kanban.ui.questions.screen import QuestionsScreen

        self.select_product_id(product_id)
        screen = self.show_screen(QuestionsScreen)
        assert isinstance(screen, QuestionsScreen)
        if screen.select_question(question_id):
            return True
        screen.clear_filters()
        return screen.select_question(question_id)

    def select_product_id(self, product_id: int) -> bool:
        """Switch to a product by id (reading the products again if the switcher does not
        know it yet: another window may have added it); False when there is no such product."""
        for attempt in range(2):
            for index in range(self.product_combo.count()):
                if self.product_combo.itemData(index).id == product_id:
                    self.product_combo.setCurrentIndex(index)
                    return True
            if attempt == 0:
                self.refresh_products()
        return False

    def preferences(self) -> QDialog:
        """Open File > Preferences (your name, the theme), non-blocking."""
        from kanban.ui.preferences import PreferencesDialog

        self.dialog = open_dialog(PreferencesDialog(self))
        return self.dialog

    def about(self) -> QMessageBox:
        """Show the About box (non-blocking)."""
        box = QMessageBox(self)
        box.setWindowTitle("About kanban")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"kanban {__version__}\n\nThe product owner's desktop tool: a prioritized backlog, "
            "a Kanban board, sprints, stakeholder status reports and the team's questions, "
            "in one local file."
        )
        box.setInformativeText(str(self.ctx.db.path or self.ctx.db.url))
        return open_dialog(box)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            screen = self._screen(row)
            self.stack.setCurrentWidget(screen)
            self._fill_screen_menu(screen)

    def _fill_screen_menu(self, screen: Screen) -> None:
        """The Screen menu: the shown screen's actions, titled after it."""
        self.screen_menu.clear()
        self.screen_menu.setTitle(f"&{screen.title}")
        actions = screen.menu_actions()
        for action in actions:
            self.screen_menu.addAction(action)
        self.screen_menu.menuAction().setVisible(bool(actions))

    def all_screens(self) -> list[Screen]:
        """Every page's screen, building those not shown yet (they read their data when
        shown): for what lists every screen's actions."""
        return [self._screen(row) for row in range(len(PAGES))]

    def _screen(self, row: int) -> Screen:
        """The page's screen, built (showing the current product) the first time it is asked for."""
        screen = self.screens[row]
        if screen is None:
            screen = PAGES[row].screen_type()(self.ctx)
            self.screens[row] = screen
            self.stack.addWidget(screen)
            screen.set_product(self.ctx.product)
        return screen

    def show_screen(self, screen_type: type[Screen]) -> Screen:
        """Bring a screen to the front (building it when first shown) and return it."""
        name = f"{screen_type.__module__}:{screen_type.__qualname__}"
        row = next(i for i, page in enumerate(PAGES) if page.screen == name)
        self.nav.setCurrentRow(row)
        return self._screen(row)

    # --- state ---------------------------------------------------------------------------------

    def _title(self) -> str:
        where = self.ctx.db.path.name if self.ctx.db.path else self.ctx.db.url
        return f"kanban — {where}"

    def _settings(self) -> QSettings:
        return QSettings()

    def _saved_product_id(self) -> int | None:
        value = self._settings().value(f"products/{self.ctx.db.url}")
        return int(value) if value not in (None, "") else None

    def _save_state(self) -> None:
        settings = self._settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/screen", self.nav.currentRow())
        if self.ctx.product is not None:
            settings.setValue(f"products/{self.ctx.db.url}", self.ctx.product.id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_state()
        self.ctx.close()
        self.wait_for_backup()
        super().closeEvent(event)

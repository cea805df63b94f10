"""File > Import: a Trello board, a Jira export or a spreadsheet, previewed before anything is
written, then imported in one transaction with progress and Cancel (cancel writes nothing).

The file is read in a thread (a large board takes a second or two); the preview lists the
product it makes (or the product chosen to import into), each column with its category (a
combo box: correct the guess before importing), the items, moves, people and labels, how far
back the history goes, earlier imports of the same file, and what is not imported and why.
The import runs in a thread too; its progress callback raises ``CancelledError`` once Cancel
is pressed, so the bulk writer rolls the whole transaction back.

An import is not an undo entry: it can write hundreds of thousands of rows and a product,
and the app has no way to delete a product (products are archived, and an archived
product's rows stay). The preview is the safeguard, and ``imports`` logs every import.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import COLUMN_CATEGORIES, plural
from kanban.errors import CancelledError, KanbanError
from kanban.services.importing import (
    ImportFile,
    ImportPreview,
    ImportResult,
    preview_import,
    read_import,
    run_import,
)
from kanban.services.products import list_products
from kanban.ui.context import AppContext
from kanban.ui.forms import open_dialog
from kanban.ui.questions.detail import plain_label

SOURCE_TITLES = {
    "trello": "Import a Trello board",
    "jira": "Import a Jira export",
    "csv": "Import a spreadsheet",
}
FILE_FILTERS = {
    "trello": "Trello board export (*.json);;All files (*)",
    "jira": "Jira export (*.csv *.xml);;All files (*)",
    "csv": "Spreadsheet (*.csv *.txt);;All files (*)",
}
_REF = Qt.ItemDataRole.UserRole + 1  # a column row's ref in the file
CATEGORY_NAMES = {"backlog": "Backlog", "todo": "To do", "doing": "In progress", "done": "Done"}


class _ReadThread(QThread):
    """Parses the file off the window's thread."""

    progressed = Signal(int, int)
    read = Signal(object)  # ImportFile
    failed = Signal(object)  # the exception

    def __init__(self, source: str, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.path = path

    def run(self) -> None:
        try:
            file = read_import(self.source, self.path, progress=self.progressed.emit)
        except (KanbanError, OSError) as error:
            self.failed.emit(error)
            return
        self.read.emit(file)


class _ImportThread(QThread):
    """Runs the import; Cancel sets ``cancelled``, and the next progress report stops it."""

    progressed = Signal(int, int)
    imported = Signal(object)  # ImportResult
    failed = Signal(object)  # the exception (CancelledError when cancelled)

    def __init__(
        self,
        ctx: AppContext,
        file: ImportFile,
        into: int | None,
        categories: dict[str, str],
        again: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = ctx.db
        self.file = file
        self.into = into
        self.categories = categories
        self.again = again
        self.cancelled = threading.Event()

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled.is_set():
            raise CancelledError("Import cancelled: nothing was written.")
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = run_import(
                self.db,
                self.file,
                into=self.into,
                categories=self.categories,
                again=self.again,
                progress=self._progress,
            )
        except (KanbanError, OSError) as error:
            self.failed.emit(error)
            return
        self.imported.emit(result)


class ImportDialog(QDialog):
    """Preview a file's import, correct the column categories, then import it."""

    imported = Signal(object)  # ImportResult, once written

    def __init__(
        self, ctx: AppContext, source: str, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.path = path
        self.file: ImportFile | None = None
        self.preview: ImportPreview | None = None
        self.outcome: ImportResult | None = None
        self.worker: _ImportThread | None = None
        self.setWindowTitle(SOURCE_TITLES[source])
        self.setMinimumSize(640, 560)

        self.headline = plain_label("headline")
        self.headline.setText(f"Reading {path.name}…")
        self.into = QComboBox()
        self.into.setAccessibleName("Import into")
        self.into.addItem("A new product", None)
        for product in ctx.read(list_products):
            self.into.addItem(f"{product.name} ({product.key})", product.id)
        self.into.currentIndexChanged.connect(self._refresh)
        self.again = QCheckBox("Import it again as another copy")
        self.again.setVisible(False)
        self.again.toggled.connect(self._update_buttons)
        self.columns = QTableWidget(0, 4)
        self.columns.setAccessibleName("Columns")
        self.columns.setHorizontalHeaderLabels(["Column", "Category", "Items", "Why"])
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary = plain_label("summary")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Notes and what is not imported")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFormat("%p%")
        self.status = plain_label("status")

        form = QFormLayout()
        form.addRow("Import into:", self.into)
        buttons = QDialogButtonBox()
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(form)
        layout.addWidget(self.again)
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.reader = _ReadThread(source, path, self)
        self.reader.progressed.connect(self._progressed)
        self.reader.read.connect(self._read)
        self.reader.failed.connect(self._failed_reading)
        self.reader.start()

    # --- the preview -------------------------------------------------------------------------

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def _read(self, file: ImportFile) -> None:
        self.file = file
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setVisible(False)
        self._refresh()

    def _failed_reading(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.headline.setText(f"{self.path.name} cannot be imported.")
        self.status.setText(str(error))

    def categories(self) -> dict[str, str]:
        """The category chosen for each column (by the column's ref in the file)."""
        chosen: dict[str, str] = {}
        for row in range(self.columns.rowCount()):
            box = self.columns.cellWidget(row, 1)
            name = self.columns.item(row, 0)
            if isinstance(box, QComboBox) and name is not None:
                chosen[str(name.data(_REF))] = str(box.currentData())
        return chosen

    def _refresh(self) -> None:
        if self.file is None:
            return
        keep = self.categories()
        try:
            preview = self.ctx.read(
                preview_import, self.file, into=self.into.currentData(), categories=keep
            )
        except KanbanError as error:
            self.status.setText(str(error))
            return
        self.preview = preview
        where = (
            f"into {preview.product} ({preview.key})"
            if preview.into
            else f"as a new product {preview.product} ({preview.key})"
        )
        self.headline.setText(f"{preview.file_name}: {plural(preview.items, 'item')} {where}")
        self._fill_columns(preview)
        people = ", ".join(preview.people) or "none"
        labels = ", ".join(preview.labels) or "none"
        lines = [
            f"{plural(preview.items, 'item')} ({preview.archived:,} archived), "
            f"{plural(preview.transitions, 'move')}, {plural(preview.comments, 'comment')}, "
            f"{plural(preview.criteria, 'acceptance criterion', 'acceptance criteria')}",
            f"People: {people}",
            f"Labels: {labels}",
        ]
        if preview.sprints:
            lines.append("Sprints: " + ", ".join(preview.sprints))
        if preview.existing:
            lines.append(
                f"Already in {preview.key}, not imported again: {plural(preview.existing, 'item')}"
            )
        self.summary.setText("\n".join(lines))
        notes = list(preview.notes)
        if preview.skipped:
            notes.append(f"Not imported ({len(preview.skipped):,}):")
            notes.extend(f"  {entry.what}: {entry.why}" for entry in preview.skipped)
        self.details.setPlainText("\n".join(notes))
        earlier = preview.previous and not preview.into
        self.again.setVisible(bool(earlier))
        if earlier:
            last = preview.previous[0]
            made = f" as {last.product}" if last.product else ""
            self.status.setText(
                f"This file was imported on {last.at:%Y-%m-%d %H:%M}{made}. Import it into that "
                "product to add only what is new, or again as another copy."
            )
        else:
            self.status.setText("")
        self._update_buttons()

    def _fill_columns(self, preview: ImportPreview) -> None:
        self.columns.setRowCount(len(preview.columns))
        for row, column in enumerate(preview.columns):
            name = QTableWidgetItem(column.name + (" (closed)" if column.archived else ""))
            name.setData(_REF, column.ref)
            self.columns.setItem(row, 0, name)
            box = self.columns.cellWidget(row, 1)
            if not isinstance(box, QComboBox):
                box = QComboBox()
                box.setAccessibleName(f"Category of {column.name}")
                for category in COLUMN_CATEGORIES:
                    box.addItem(CATEGORY_NAMES[category], category)
                box.currentIndexChanged.connect(self._refresh)
                self.columns.setCellWidget(row, 1, box)
            box.blockSignals(True)
            box.setCurrentIndex(COLUMN_CATEGORIES.index(column.category))
            box.setEnabled(self.worker is None)
            box.blockSignals(False)
            self.columns.setItem(row, 2, QTableWidgetItem(f"{column.items:,}"))
            self.columns.setItem(row, 3, QTableWidgetItem(column.reason))

    def _update_buttons(self) -> None:
        preview = self.preview
        blocked = preview is None or (
            bool(preview.previous) and not preview.into and not self.again.isChecked()
        )
        nothing = preview is not None and preview.items == 0
        self.import_button.setEnabled(not blocked and not nothing and self.worker is None)

    # --- the import --------------------------------------------------------------------------

    def start_import(self) -> None:
        """Write what the preview shows, in a thread, with progress."""
        if self.file is None or self.worker is not None:
            return
        self.worker = _ImportThread(
            self.ctx,
            self.file,
            self.into.currentData(),
            self.categories(),
            self.again.isChecked(),
            self,
        )
        self.worker.progressed.connect(self._progressed)
        self.worker.imported.connect(self._imported)
        self.worker.failed.connect(self._failed_import)
        for widget in (self.into, self.again, self.import_button):
            widget.setEnabled(False)
        for row in range(self.columns.rowCount()):
            cell = self.columns.cellWidget(row, 1)
            if cell is not None:
                cell.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText("Importing… Cancel stops it and writes nothing.")
        self.worker.start()

    def cancel(self) -> None:
        """Stop a running import (nothing is written), else close."""
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancelled.set()
            self.status.setText("Cancelling…")
            return
        self.reject()

    def _imported(self, result: ImportResult) -> None:
        self.worker = None
        self.outcome = result
        self.imported.emit(result)
        self.accept()

    def _failed_import(self, error: BaseException) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.into.setEnabled(True)
        self.again.setEnabled(True)
        for row in range(self.columns.rowCount()):
            cell = self.columns.cellWidget(row, 1)
            if cell is not None:
                cell.setEnabled(True)
        self.status.setText(str(error))
        self._update_buttons()

    def done(self, result: int) -> None:
        """Close only once the threads have stopped (they use the open database)."""
        if self.worker is not None:
            self.worker.cancelled.set()
            self.worker.wait()
        self.reader.wait()
        super().done(result)


def import_dialog(
    ctx: AppContext, source: str, path: Path, parent: QWidget | None = None
) -> ImportDialog:
    """Open File > Import's preview of ``path`` without blocking; it reads the file at once."""
    return open_dialog(ImportDialog(ctx, source, path, parent))

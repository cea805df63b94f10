"""The Status screen: a product's status updates, newest first, and the selected one's report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.metrics.history import DateHistory
from kanban.reports.model import build_status_report
from kanban.services.status_updates import list_status_updates
from kanban.services.targets import load_history
from kanban.ui.context import AppContext, show_error
from kanban.ui.exported import ExportedFile
from kanban.ui.forms import open_dialog
from kanban.ui.screen import Screen, heading_label
from kanban.ui.status.export_dialog import ReportExportDialog
from kanban.ui.status.health import HealthPillDelegate
from kanban.ui.status.mail import Written, email_report
from kanban.ui.status.model import (
    DATE_COLUMN,
    HEADLINE_COLUMN,
    HEALTH_COLUMN,
    StatusUpdateTableModel,
)
from kanban.ui.status.new_update import NewStatusUpdateDialog
from kanban.ui.status.preview import ReportBrowser
from kanban.ui.status.target import DateHistoryView, TargetDialog
from kanban.ui.table_model import RecordTableView


class StatusScreen(Screen):
    """The log of status updates on the left, the selected update's report on the right.

    Without any update, the preview shows today's report from the live data. Rendering a
    report reads the whole product, so the preview is only rendered while the screen shows.
    """

    title = "Status"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._preview_stale = True

        heading = heading_label("Status updates")
        self.new_button = QPushButton("&New status update…")
        self.new_button.clicked.connect(self.new_update)
        self.export_button = QPushButton("&Export…")
        self.export_button.setToolTip("Preview the report, then export it as PDF, HTML, ...")
        self.export_button.clicked.connect(self.export)
        self.target_button = QPushButton("Set &target…")
        self.target_button.setToolTip("The date promised to stakeholders, and why it moves")
        self.target_button.clicked.connect(self.set_target)
        self.history_view = DateHistoryView()
        self.history: DateHistory | None = None
        self.email_button = QPushButton("E&mail…")
        self.email_button.setToolTip(
            "The report as an e-mail to its recipients (PDF attached), opened in your mail "
            "program, ready to send"
        )
        self.email_button.clicked.connect(lambda: self.email())
        self.exported = ExportedFile()

        self.model = StatusUpdateTableModel(self)
        self.table = RecordTableView(self.model, "status_updates_table")
        self.table.setItemDelegateForColumn(HEALTH_COLUMN, HealthPillDelegate(self.table))
        self.table.setShowGrid(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DATE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HEALTH_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HEADLINE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.export())
        self.empty_label = QLabel(
            "No status update yet. The report on the right shows today's figures; "
            "write the first update with New status update…"
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)

        self.preview_caption = QLabel()
        self.preview_caption.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = ReportBrowser()
        self.preview.setAccessibleName("Report preview")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.history_view)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label)
        left_layout.addStretch(0)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_caption)
        right_layout.addWidget(self.preview, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([420, 620])

        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addStretch(1)
        bar.addWidget(self.target_button)
        bar.addWidget(self.email_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.exported)

        ctx.events.status_changed.connect(self._status_changed)
        # Recipients' names and the live figures appear in the report.
        ctx.events.people_changed.connect(self._mark_preview_stale)
        ctx.events.items_changed.connect(self._mark_preview_stale)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the product's status updates again, keeping the selected one."""
        selected = self.selected_update_id()
        rows = []
        self.history = None
        if self.product is not None:
            try:
                rows = self.ctx.read(list_status_updates, self.product.id)
                self.history = self.ctx.read(load_history, self.product.id)
            except KanbanError as error:
                show_error(self, error)
        self.model.set_rows(rows)
        has_product = self.product is not None
        self.history_view.setVisible(self.history is not None)
        if self.history is not None:
            self.history_view.show_history(self.history)
        self.new_button.setEnabled(has_product)
        self.export_button.setEnabled(has_product)
        self.target_button.setEnabled(has_product)
        self.email_button.setEnabled(has_product)
        self.empty_label.setVisible(has_product and not rows)
        self.table.setVisible(bool(rows))
        row = self.model.row_of(selected) if selected is not None else -1
        self._preview_stale = True
        if rows:
            self.table.selectRow(max(row, 0))  # renders, through _selection_changed
        if self._preview_stale:  # nothing rendered it yet (an empty log, or hidden)
            self._mark_preview_stale()

    def selected_update_id(self) -> int | None:
        """The id of the selected status update, if any."""
        update = self.table.selected_record()
        return update.id if update else None

    def select_update(self, update_id: int) -> bool:
        """Select a status update; False when it is not in the log."""
        return self.table.select_record(update_id)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._mark_preview_stale()

    def _status_changed(self, product_id: int) -> None:
        if self.product is not None and product_id == self.product.id:
            self.reload()

    def _mark_preview_stale(self, *_: object) -> None:
        self._preview_stale = True
        if self.isVisible():
            self.refresh_preview()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._preview_stale:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Render the selected update's report (or today's, without updates) into the preview."""
        self._preview_stale = False
        if self.product is None:
            self.preview_caption.setText("")
            self.preview.clear()
            return
        update = self.table.selected_record()
        if update is None:
            self.preview_caption.setText("Today's report from the live data (not saved)")
        else:
            self.preview_caption.setText(
                f"Report of the update of {update.created_at.date().isoformat()}, "
                "with the figures frozen when it was saved"
            )
        try:
            report = self.ctx.read(
                build_status_report, self.product.id, update.id if update else None, charts=True
            )
        except KanbanError as error:
            self.preview.setPlainText(str(error))
            return
        self.preview.show_report(report)

    # --- actions -------------------------------------------------------------------------------

    def new_update(self) -> NewStatusUpdateDialog | None:
        """Open the dialog that writes a new status update of the current product."""
        if self.product is None:
            return None
        try:
            dialog = NewStatusUpdateDialog(self.ctx, self.product, parent=self)
        except KanbanError as error:
            show_error(self, error)
            return None
        dialog.accepted.connect(lambda: self._select_saved(dialog))
        return open_dialog(dialog)

    def _select_saved(self, dialog: NewStatusUpdateDialog) -> None:
        if dialog.saved_update is not None:
            self.select_update(dialog.saved_update.id)

    def set_target(self) -> TargetDialog | None:
        """Open the dialog that sets (or moves, with a reason) the product's target date."""
        if self.product is None:
            return None
        current = self.history.target if self.history is not None else None
        return open_dialog(TargetDialog(self.ctx, self.product, current, parent=self))

    def email(self, folder: Path | None = None) -> Written | None:
        """Write the selected update's report (or today's) as an e-mail message and open it
        in the mail program; say to whom, and who has no address."""
        if self.product is None:
            return None
        try:
            written = email_report(self.ctx, self.product, self.selected_update_id(), folder)
        except KanbanError as error:
            show_error(self, error, "E-mail failed")
            return None
        self.exported.show_file(written.path, written.said())
        return written

    def export(self) -> ReportExportDialog | None:
        """Open the preview-and-export dialog for the selected update (or today's report)."""
        if self.product is None:
            return None
        dialog = ReportExportDialog(self.ctx, self.product, self.selected_update_id(), parent=self)
        return open_dialog(dialog)

"""Preview a status report, then export it as Markdown, HTML, PDF or CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.reports.export import write_report
from kanban.reports.model import build_status_report
from kanban.services.records import ProductInfo
from kanban.ui.context import AppContext, show_error
from kanban.ui.exported import ExportedFile
from kanban.ui.status.mail import Written, email_report
from kanban.ui.status.preview import ReportBrowser

# format, button text, file-dialog filter
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("pdf", "&PDF — to print or attach", "PDF document (*.pdf)"),
    ("html", "&HTML — one self-contained page", "HTML page (*.html)"),
    ("md", "&Markdown — for a wiki or an e-mail", "Markdown text (*.md)"),
    ("csv", "&CSV — the items, for a spreadsheet", "CSV table (*.csv)"),
)


class ReportExportDialog(QDialog):
    """The report as it will be exported, a choice of format, and Export….

    ``update_id`` None exports today's report from the live data instead of a saved update.
    """

    def __init__(
        self,
        ctx: AppContext,
        product: ProductInfo,
        update_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product = product
        self.update_id = update_id
        self.setWindowTitle(f"Export status report — {product.name}")
        self.resize(900, 700)
        self.last_written: Path | None = None

        self.preview = ReportBrowser()
        self.preview.setAccessibleName("Report preview")
        self.format_group = QButtonGroup(self)
        formats_box = QGroupBox("Format")
        formats_layout = QVBoxLayout(formats_box)
        for fmt, text, _filter in FORMATS:
            button = QRadioButton(text)
            button.setObjectName(f"format_{fmt}")
            button.setProperty("format", fmt)
            self.format_group.addButton(button)
            formats_layout.addWidget(button)
        self.format_group.buttons()[0].setChecked(True)
        formats_layout.addStretch(1)
        self.exported = ExportedFile()  # Open and Show in folder, once a file is written

        self.export_button = QPushButton("&Export…")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.choose_file_and_export)
        self.email_button = QPushButton("E&mail…")
        self.email_button.setToolTip(
            "Write the report as an e-mail (PDF attached, recipients filled in) and open it "
            "in your mail program"
        )
        self.email_button.clicked.connect(self.email)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.email_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(self.preview, 1)
        formats_box.setFixedWidth(280)
        body.addWidget(formats_box)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.exported)
        layout.addWidget(buttons)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Show the report in the preview (the same report, in the template made for Qt)."""
        try:
            report = self.ctx.read(
                build_status_report, self.product.id, self.update_id, charts=True
            )
        except KanbanError as error:
            self.preview.setPlainText(str(error))
            self.export_button.setEnabled(False)
            return
        self.preview.show_report(report)

    def chosen_format(self) -> str:
        """The format picked in the radio buttons: md, html, pdf or csv."""
        button = self.format_group.checkedButton()  # one of the group is always checked
        return str(button.property("format")) if button else FORMATS[0][0]

    def set_format(self, fmt: str) -> None:
        """Pick a format, as the user clicking its radio button."""
        for button in self.format_group.buttons():
            if button.property("format") == fmt:
                button.setChecked(True)

    def suggested_name(self, fmt: str) -> str:
        """A file name for the report: product key, what it shows, extension."""
        which = f"update-{self.update_id}" if self.update_id else "today"
        return f"{self.product.key}-status-{which}.{fmt}"

    def choose_file_and_export(self) -> Path | None:
        """Ask where to save (a native file dialog), then export there."""
        fmt = self.chosen_format()
        name_filter = next(f for key, _t, f in FORMATS if key == fmt)
        start = str(Path.home() / self.suggested_name(fmt))
        path, _chosen = QFileDialog.getSaveFileName(
            self, "Export status report", start, name_filter
        )
        if not path:
            return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(f".{fmt}")
        return self.export_to(target, fmt)

    def export_to(self, path: Path | str, fmt: str) -> Path | None:
        """Write the report in ``fmt`` to ``path``; an error is shown, not raised."""
        target = Path(path)
        try:
            self.ctx.read(write_report, self.product.id, fmt, target, update_id=self.update_id)
        except KanbanError as error:  # ExportError names the file and the reason
            show_error(self, error, "Export failed")
            return None
        self.last_written = target
        self.exported.show_file(target)
        return target

    def email(self, folder: Path | None = None) -> Written | None:
        """Write the report as an e-mail message and open it in the mail program."""
        try:
            written = email_report(self.ctx, self.product, self.update_id, folder)
        except KanbanError as error:
            show_error(self, error, "E-mail failed")
            return None
        self.last_written = written.path
        self.exported.show_file(written.path, written.said())
        return written

"""A read-only rich-text view for report HTML that never loads files or follows links."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from kanban.reports.chart_objects import chart_marks, place_charts
from kanban.reports.html import render_html
from kanban.reports.inert_document import InertDocument
from kanban.reports.model import StatusReport
from kanban.reports.pdf import QT_TEMPLATE
from kanban.reports.pictures import report_pictures

WRAP_MARGIN = 4
PAPER = QColor("#ffffff")
INK = QColor("#1d1d1f")


class ReportBrowser(QTextBrowser):
    """Shows a rendered report, read-only; links are neither followed nor opened.

    The report is shown as the stakeholders will read it, dark ink on white paper, in the
    light and the dark theme alike: the template's colours (table headers, bars, health) are
    made for paper, and would be unreadable on a dark base.

    The HTML comes from the autoescaping report template, so user strings arrive as text;
    the inert document makes sure no markup can pull a file from the disk either.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(InertDocument(self))
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.setLineWrapMode(QTextBrowser.LineWrapMode.FixedPixelWidth)
        paper = QPalette()  # only these roles are fixed; the rest follows the theme
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            paper.setColor(group, QPalette.ColorRole.Base, PAPER)
            paper.setColor(group, QPalette.ColorRole.Text, INK)
        self.setPalette(paper)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # WORKAROUND: the report's 100%-wide tables come out a pixel or two wider than the
        # text width (their borders), which shows a needless horizontal scroll bar.
        self.setLineWrapColumnOrWidth(max(200, self.viewport().width() - WRAP_MARGIN))
        super().resizeEvent(event)

    def show_report(self, report: StatusReport) -> None:
        """Show a report as it will print: the template made for Qt's rich text, with its
        charts (drawn once per width into images of the screen's density)."""
        pictures = {p.name: p for p in report_pictures(report)}
        self.setHtml(render_html(report, QT_TEMPLATE, chart_marks(pictures)))
        place_charts(self.document(), pictures, vector=False)

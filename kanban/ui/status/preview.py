"""A read-only rich-text view for report HTML that never loads files or follows links."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from kanban.reports.html import render_html
from kanban.reports.inert_document import InertDocument
from kanban.reports.model import StatusReport
from kanban.reports.pdf import QT_TEMPLATE

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


def report_html(report: StatusReport) -> str:
    """A report as the HTML the preview shows: the template made for Qt's rich text."""
    return render_html(report, QT_TEMPLATE)

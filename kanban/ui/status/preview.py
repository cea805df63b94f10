"""A read-only rich-text view for report HTML that never loads files or follows links."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from kanban.reports.html import render_html
from kanban.reports.inert_document import InertDocument
from kanban.reports.model import StatusReport
from kanban.reports.pdf import QT_TEMPLATE

WRAP_MARGIN = 4


class ReportBrowser(QTextBrowser):
    """Shows a rendered report, read-only; links are neither followed nor opened.

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

    def resizeEvent(self, event: QResizeEvent) -> None:
        # WORKAROUND: the report's 100%-wide tables come out a pixel or two wider than the
        # text width (their borders), which shows a needless horizontal scroll bar.
        self.setLineWrapColumnOrWidth(max(200, self.viewport().width() - WRAP_MARGIN))
        super().resizeEvent(event)


def report_html(report: StatusReport) -> str:
    """A report as the HTML the preview shows: the template made for Qt's rich text."""
    return render_html(report, QT_TEMPLATE)

"""Markdown rendered safely for a rich-text widget: user HTML is shown as text, never run."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from kanban.reports.safe_markdown import markdown_to_html

__all__ = ["MarkdownPreview", "markdown_to_html"]


class MarkdownPreview(QTextBrowser):
    """A read-only view of Markdown that loads no resources and follows no links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(10)

    def set_markdown(self, text: str) -> None:
        """Show ``text`` rendered."""
        self.setHtml(markdown_to_html(text))

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        # Belt and braces with the parser's settings: never read a file or URL for the document.
        return None

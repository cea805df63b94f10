"""Markdown rendered safely for a rich-text widget: user HTML is shown as text, never run."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

# Inline patterns that would pass user text through as HTML or make QTextDocument fetch a
# resource (an <img src> may name any local file).
_UNSAFE_INLINE = ("html", "image_link", "image_reference", "short_image_ref")


def markdown_to_html(text: str) -> str:
    """HTML for Markdown ``text`` in which the user's own HTML is escaped, not interpreted.

    Raw HTML is switched off in the parser itself (the ``html_block`` preprocessor and the
    ``html`` inline pattern are removed, so ``<b>`` and ``<script>`` come out as ``&lt;b&gt;``),
    and image syntax is removed so no file is loaded. Entities such as ``&amp;`` stay entities.
    """
    import markdown  # ~25 ms of import: paid when a preview is first shown, not at start-up

    parser = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"])
    parser.preprocessors.deregister("html_block")
    for name in _UNSAFE_INLINE:
        parser.inlinePatterns.deregister(name)
    return parser.convert(text)


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

    def loadResource(self, kind: int, name: QUrl) -> object:
        # Belt and braces with the parser's settings: never read a file or URL for the document.
        return None

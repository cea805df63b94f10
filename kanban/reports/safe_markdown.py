"""Markdown to HTML with the user's own HTML shown as text, never run (previews, notes)."""

from __future__ import annotations

# Inline patterns that would pass user text through as HTML or make a viewer fetch a resource
# (an <img src> may name any local file).
_UNSAFE_INLINE = ("html", "image_link", "image_reference", "short_image_ref")


def markdown_to_html(text: str) -> str:
    """HTML for Markdown ``text`` in which the user's own HTML is escaped, not interpreted.

    Raw HTML is switched off in the parser itself (the ``html_block`` preprocessor and the
    ``html`` inline pattern are removed, so ``<b>`` and ``<script>`` come out as ``&lt;b&gt;``),
    and image syntax is removed so no file is loaded. Entities such as ``&amp;`` stay entities.
    """
    import markdown  # ~25 ms of import: paid when first used, not at start-up

    parser = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"])
    parser.preprocessors.deregister("html_block")
    for name in _UNSAFE_INLINE:
        parser.inlinePatterns.deregister(name)
    return str(parser.convert(text))

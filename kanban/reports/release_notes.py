"""A release's notes as Markdown or as one self-contained HTML page."""

from __future__ import annotations

from html import escape

from kanban.reports.safe_markdown import markdown_to_html
from kanban.services.records import ReleaseNotes

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #1f2937; }}
h1 {{ font-size: 1.6em; }} h2 {{ font-size: 1.2em; margin-top: 1.5em; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""


def render_notes(notes: ReleaseNotes, fmt: str) -> str:
    """The notes as ``md`` or ``html`` (HTML: the Markdown rendered, the user's
    own HTML shown as text)."""
    if fmt == "md":
        return notes.markdown if notes.markdown.endswith("\n") else notes.markdown + "\n"
    title = f"{notes.product_name} {notes.release.name}"
    return _PAGE.format(title=escape(title), body=markdown_to_html(notes.markdown))

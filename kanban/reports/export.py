"""Render a status report in a format and write it atomically (temporary file, then rename)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kanban.errors import FileWriteError as ExportError
from kanban.errors import ValidationError
from kanban.files import write_atomically
from kanban.reports.csv import render_csv
from kanban.reports.html import render_html
from kanban.reports.markdown import render_markdown
from kanban.reports.model import StatusReport, build_status_report
from kanban.services import Database

__all__ = ["ExportError", "render", "render_report", "write_report"]

FORMATS = ("md", "html", "pdf", "csv")
TEXT_FORMATS = ("md", "html", "csv")


def render(report: StatusReport, fmt: str) -> bytes:
    """A built report in one of ``FORMATS``, as bytes (text formats in UTF-8)."""
    if fmt == "pdf":
        from kanban.reports.pdf import render_pdf  # Qt loads only when a PDF is asked for

        return render_pdf(report)
    renderers = {"md": render_markdown, "html": render_html, "csv": render_csv}
    if fmt not in renderers:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report).encode("utf-8")


def render_report(
    db: Database,
    product_ref: str | int,
    fmt: str,
    update_id: int | None = None,
    today: dt.date | None = None,
) -> bytes:
    """A product's status report (``update_id``, else the latest update) in a format."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render(build_status_report(db, product_ref, update_id, today), fmt)


def write_report(
    db: Database,
    product_ref: str | int,
    fmt: str,
    output: Path | None,
    update_id: int | None = None,
    today: dt.date | None = None,
) -> bytes:
    """Render a report and, when ``output`` is given, write it there atomically.

    Returns the bytes either way (the command line prints text formats without ``-o``).

    Raises:
        ValidationError: An unknown format, or a PDF without an output file.
        ExportError: The file cannot be written; no partial or temporary file is left.
    """
    if fmt == "pdf" and output is None:
        raise ValidationError("A PDF report needs an output file (-o FILE)")
    data = render_report(db, product_ref, fmt, update_id, today)
    if output is not None:
        write_atomically(Path(output), data)
    return data

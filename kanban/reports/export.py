"""Render a status report in a format and write it atomically (temporary file, then rename)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from kanban.errors import FileWriteError as ExportError
from kanban.errors import ValidationError
from kanban.files import write_atomically
from kanban.reports.csv import render_csv
from kanban.reports.eml import Recipient
from kanban.reports.html import render_html
from kanban.reports.markdown import render_markdown
from kanban.reports.model import StatusReport, build_draft_report, build_status_report
from kanban.services import Database
from kanban.services.status_updates import report_recipients

__all__ = ["ExportError", "build_report", "render", "render_report", "write_report"]

FORMATS = ("md", "html", "pdf", "csv", "eml")
TEXT_FORMATS = ("md", "html", "csv")


def render(report: StatusReport, fmt: str, recipients: Sequence[Recipient] = ()) -> bytes:
    """A built report in one of ``FORMATS``, as bytes (text formats in UTF-8); an ``eml``
    message goes to ``recipients`` (those with an address)."""
    if fmt in ("pdf", "eml"):
        from kanban.reports.pdf import render_pdf  # Qt loads only when a PDF is asked for

        pdf = render_pdf(report)
        if fmt == "pdf":
            return pdf
        from kanban.reports.eml import render_eml

        return render_eml(report, pdf, recipients)
    renderers = {"md": render_markdown, "html": render_html, "csv": render_csv}
    if fmt not in renderers:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report).encode("utf-8")


def build_report(
    db: Database,
    product_ref: str | int,
    update_id: int | None = None,
    today: dt.date | None = None,
    live: bool = False,
) -> StatusReport:
    """The report to export: ``live``, today's draft of the next update (the period since the
    last one); otherwise the update ``update_id``, else the latest (see
    :func:`~kanban.reports.model.build_status_report`)."""
    if live:
        return build_draft_report(db, product_ref, today=today)
    return build_status_report(db, product_ref, update_id, today)


def recipients_of(db: Database, product_ref: str | int, report: StatusReport) -> list[Recipient]:
    """Who an e-mailed report goes to: its update's recipients, or for a report of no saved
    update the stakeholders following the product; with or without an address."""
    update_id = report.update.id if report.update is not None else None
    return [Recipient(s.name, s.email) for s in report_recipients(db, product_ref, update_id)]


def render_report(
    db: Database,
    product_ref: str | int,
    fmt: str,
    update_id: int | None = None,
    today: dt.date | None = None,
    live: bool = False,
) -> bytes:
    """A product's status report (see :func:`build_report`) in a format."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    report = build_report(db, product_ref, update_id, today, live)
    recipients = recipients_of(db, product_ref, report) if fmt == "eml" else ()
    return render(report, fmt, recipients)


def write_report(
    db: Database,
    product_ref: str | int,
    fmt: str,
    output: Path | None,
    update_id: int | None = None,
    today: dt.date | None = None,
    live: bool = False,
) -> bytes:
    """Render a report and, when ``output`` is given, write it there atomically.

    Returns the bytes either way (the command line prints text formats without ``-o``).

    Raises:
        ValidationError: An unknown format, or a PDF without an output file.
        ExportError: The file cannot be written; no partial or temporary file is left.
    """
    if fmt == "pdf" and output is None:
        raise ValidationError("A PDF report needs an output file (-o FILE)")
    data = render_report(db, product_ref, fmt, update_id, today, live)
    if output is not None:
        write_atomically(Path(output), data)
    return data

"""Render a status report in a format and write it atomically (temporary file, then rename).

The pictures: HTML embeds the charts as inline SVG, PDF (and the e-mail's PDF) draws them as
vectors, Markdown links PNG files written beside it (``-o report.md`` writes
``report-cfd.png`` and the rest), and CSV gets the data behind them as rows of a second file
beside it (``report-figures.csv``). Written to stdout, Markdown and CSV come without them
(there is nowhere to put the files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from kanban.errors import FileWriteError as ExportError
from kanban.errors import ValidationError
from kanban.files import write_atomically
from kanban.reports.csv import render_csv, render_figures_csv
from kanban.reports.eml import Recipient
from kanban.reports.html import render_html
from kanban.reports.markdown import render_markdown
from kanban.reports.model import StatusReport, build_draft_report, build_status_report
from kanban.services import Database
from kanban.services.status_updates import report_recipients

__all__ = ["ExportError", "build_report", "render", "render_report", "write_report"]

FORMATS = ("md", "html", "pdf", "csv", "eml")
TEXT_FORMATS = ("md", "html", "csv")
INLINE_PICTURES = ("html", "pdf", "eml")
"""The formats that hold their charts themselves (Markdown and CSV put them beside)."""


def render(
    report: StatusReport,
    fmt: str,
    recipients: Sequence[Recipient] = (),
    images: Mapping[str, str] | None = None,
) -> bytes:
    """A built report in one of ``FORMATS``, as bytes (text formats in UTF-8), with the
    charts it carries; an ``eml`` message goes to ``recipients`` (those with an address);
    Markdown links ``images``, the names of the charts' PNG files beside it, by chart."""
    if fmt in ("pdf", "eml"):
        from kanban.reports.pdf import render_pdf  # Qt loads only when a PDF is asked for

        pdf = render_pdf(report)
        if fmt == "pdf":
            return pdf
        from kanban.reports.eml import render_eml

        return render_eml(report, pdf, recipients)
    if fmt == "html":
        from kanban.reports.pictures import inline_svg, report_pictures  # Qt: on use

        pictures = {p.name: inline_svg(p) for p in report_pictures(report)}
        return render_html(report, pictures=pictures).encode("utf-8")
    if fmt == "md":
        return render_markdown(report, images).encode("utf-8")
    if fmt == "csv":
        return render_csv(report).encode("utf-8")
    raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def beside(report: StatusReport, fmt: str, output: Path) -> dict[str, tuple[Path, bytes]]:
    """The files a report written to ``output`` brings beside it, by what they hold:
    Markdown's charts as PNG (``report-cfd.png``...), CSV's chart data
    (``report-figures.csv``); none for the other formats."""

    def named(name: str, suffix: str) -> Path:
        return output.with_name(f"{output.stem}-{name}{suffix}")

    if fmt == "csv":
        return {"figures": (named("figures", ".csv"), render_figures_csv(report).encode())}
    if fmt != "md":
        return {}
    from kanban.reports.pictures import png_files, report_pictures  # Qt: on use

    pngs = png_files(report_pictures(report))
    return {name: (named(name, ".png"), data) for name, data in pngs.items()}


def build_report(
    db: Database,
    product_ref: str | int,
    update_id: int | None = None,
    today: dt.date | None = None,
    live: bool = False,
    charts: bool = False,
) -> StatusReport:
    """The report to export: ``live``, today's draft of the next update (the period since the
    last one); otherwise the update ``update_id``, else the latest (see
    :func:`~kanban.reports.model.build_status_report`); with the data of its charts when
    asked."""
    if live:
        return build_draft_report(db, product_ref, today=today, charts=charts)
    return build_status_report(db, product_ref, update_id, today, charts)


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
    """A product's status report (see :func:`build_report`) in a format, as it goes to stdout
    (HTML, PDF and e-mail with their charts; Markdown and CSV without files beside)."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    report = build_report(db, product_ref, update_id, today, live, fmt in INLINE_PICTURES)
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
    """Render a report and, when ``output`` is given, write it there atomically, then the
    files it brings beside it (see :func:`beside`), each atomically.

    Returns the report's bytes either way (the command line prints text formats without
    ``-o``).

    Raises:
        ValidationError: An unknown format, or a PDF without an output file.
        ExportError: The file cannot be written; no partial or temporary file is left.
    """
    if fmt == "pdf" and output is None:
        raise ValidationError("A PDF report needs an output file (-o FILE)")
    if output is None:
        return render_report(db, product_ref, fmt, update_id, today, live)
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    report = build_report(db, product_ref, update_id, today, live, charts=True)
    output = Path(output)
    files = beside(report, fmt, output)
    images = {name: path.name for name, (path, _data) in files.items()}
    recipients = recipients_of(db, product_ref, report) if fmt == "eml" else ()
    data = render(report, fmt, recipients, images if fmt == "md" else None)
    write_atomically(output, data)  # first: a report that cannot be written leaves nothing
    for path, content in files.values():
        write_atomically(path, content)
    return data

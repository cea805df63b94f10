"""The portfolio report for a steering meeting: every product on one row (the rows of
``kanban.services.portfolio``, as ``kanban portfolio --json`` prints them), the late ones
named first; Markdown, HTML or PDF (A4 landscape), written atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kanban.domain import HEALTH_LABELS, Health, delay_text, plural, today_utc
from kanban.errors import ValidationError
from kanban.files import write_atomically
from kanban.reports import text
from kanban.reports.markdown import escape
from kanban.reports.templates import environment
from kanban.services import Database
from kanban.services.portfolio import portfolio
from kanban.services.records import PortfolioRow

PORTFOLIO_FORMATS = ("md", "html", "pdf")
TEMPLATE = "portfolio_report.html.j2"
HEADER = (
    "Product",
    "Health",
    "Target",
    "85% forecast",
    "Delay",
    "Done (4 weeks)",
    "In progress",
    "Blocked",
    "Open questions",
    "Next release",
)


@dataclass(frozen=True, slots=True)
class PortfolioReport:
    """The portfolio as of a day, ready for any renderer."""

    as_of: dt.date
    rows: tuple[PortfolioRow, ...]

    @property
    def late(self) -> tuple[PortfolioRow, ...]:
        """The products whose 85% forecast misses their target, the latest first."""
        late = [r for r in self.rows if r.late]
        return tuple(sorted(late, key=lambda r: -(r.delay_days or 0)))

    @property
    def late_releases(self) -> tuple[PortfolioRow, ...]:
        """The products whose next release's 85% forecast misses its target."""
        return tuple(r for r in self.rows if r.next_release is not None and r.next_release.late)

    def summary(self) -> str:
        """One sentence: how many products, which are late and by how much."""
        if not self.rows:
            return "No products yet."
        late = self.late
        if not late:
            sentence = f"{plural(len(self.rows), 'product')}; none is late against its target."
        else:
            named = ", ".join(f"{r.product.name} ({delay_text(r.delay_days)})" for r in late)
            sentence = (
                f"{plural(len(self.rows), 'product')}; {len(late)} late against "
                f"{'its' if len(late) == 1 else 'their'} target: {named}."
            )
        releases = [
            f"{r.product.name} {r.next_release.release.name} "
            f"({delay_text(r.next_release.late_days)})"
            for r in self.late_releases
            if r.next_release is not None
        ]
        if releases:
            sentence += f" Next release late: {', '.join(releases)}."
        return sentence


def health_text(row: PortfolioRow) -> str:
    """'On track (2026-11-30)', or 'no update yet'."""
    if row.health is None:
        return "no update yet"
    label = HEALTH_LABELS[Health(row.health)]
    return f"{label} ({text.day(row.health_date)})" if row.health_date else label


def wip_text(row: PortfolioRow) -> str:
    """'4', or '4 (over the limit: Review)'."""
    if not row.over_wip_columns:
        return str(row.in_progress)
    return f"{row.in_progress} (over the limit: {', '.join(row.over_wip_columns)})"


def questions_text(row: PortfolioRow) -> str:
    """'3 (oldest 6 days)', or '0'."""
    if not row.open_questions or row.oldest_question_days is None:
        return str(row.open_questions)
    return f"{row.open_questions} (oldest {plural(row.oldest_question_days, 'day')})"


def release_text(row: PortfolioRow) -> str:
    """'2.0, target 2027-01-15, 85% 2027-01-24 (9 days late)', or '–'."""
    outlook = row.next_release
    if outlook is None:
        return "–"
    parts = [outlook.release.name]
    if outlook.release.target_date:
        parts.append(f"target {text.day(outlook.release.target_date)}")
    if outlook.p85:
        parts.append(f"85% {text.day(outlook.p85)}")
    words = ", ".join(parts)
    if outlook.late_days is not None and outlook.release.target_date and outlook.p85:
        words += f" ({delay_text(outlook.late_days)})"
    return words


def cells(row: PortfolioRow) -> tuple[str, ...]:
    """A product's row as plain text, in ``HEADER``'s order."""
    return (
        f"{row.product.name} ({row.product.key})",
        health_text(row),
        text.day(row.target) or "none",
        text.day(row.forecast_p85) or "–",
        delay_text(row.delay_days),
        str(row.done_4_weeks),
        wip_text(row),
        str(row.blocked),
        questions_text(row),
        release_text(row),
    )


def notes(report: PortfolioReport) -> list[str]:
    """What the table cannot say: why a product has no forecast."""
    return [
        f"{r.product.name} ({r.product.key}) has no forecast: {r.forecast_reason}"
        for r in report.rows
        if r.forecast_p85 is None and r.forecast_reason
    ]


def build_portfolio_report(
    db: Database, as_of: dt.date | None = None, include_archived: bool = False
) -> PortfolioReport:
    """The portfolio report of every product (live ones, unless ``include_archived``)."""
    day = as_of or today_utc()
    rows = portfolio(db, as_of=day, include_archived=include_archived)
    return PortfolioReport(day, tuple(rows))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return [*lines, *("| " + " | ".join(row) + " |" for row in rows), ""]


def portfolio_markdown(report: PortfolioReport) -> str:
    """The report as Markdown, user text escaped; what is late in bold."""
    out = [f"# Portfolio, {text.day(report.as_of)}", "", escape(report.summary()), ""]
    rows = []
    for row in report.rows:
        line = [escape(cell) for cell in cells(row)]
        if row.late:
            line[3], line[4] = f"**{line[3]}**", f"**{line[4]}**"
        if row.next_release is not None and row.next_release.late:
            line[9] = f"**{line[9]}**"
        if row.over_wip_columns:
            line[6] = f"**{line[6]}**"
        rows.append(line)
    if rows:
        out += _table(HEADER, rows)
    out += [f"- {escape(note)}" for note in notes(report)]
    if notes(report):
        out.append("")
    out += [
        "_Health: the latest status update's. Forecasts: each product's backlog by Monte Carlo "
        "over its last 12 ISO weeks' throughput, the 85% date against the target. Done: work "
        "items finished in the 28 days to the report's day._"
    ]
    return "\n".join(out).rstrip() + "\n"


def portfolio_html(report: PortfolioReport, qt: bool = False) -> str:
    """The report as HTML: one self-contained page, or (``qt``) for QTextDocument."""
    return (
        environment()
        .get_template(TEMPLATE)
        .render(report=report, qt=qt, header=HEADER, cells=cells, notes=notes(report))
    )


def render_portfolio(report: PortfolioReport, fmt: str) -> bytes:
    """The report in ``md``, ``html`` or ``pdf`` (A4 landscape), as bytes."""
    if fmt == "md":
        return portfolio_markdown(report).encode("utf-8")
    if fmt == "html":
        return portfolio_html(report).encode("utf-8")
    if fmt == "pdf":
        from kanban.reports.pdf import LANDSCAPE, html_pdf  # Qt: on use

        return html_pdf(
            portfolio_html(report, qt=True),
            title=f"Portfolio, {text.day(report.as_of)}",
            footer=f"Portfolio of {text.day(report.as_of)}",
            orientation=LANDSCAPE,
        )
    raise ValidationError(
        f"Unknown portfolio format {fmt!r}; choose one of {', '.join(PORTFOLIO_FORMATS)}"
    )


def write_portfolio(
    db: Database,
    fmt: str,
    output: Path | None,
    include_archived: bool = False,
    as_of: dt.date | None = None,
) -> bytes:
    """Build the portfolio report and render it; with ``output``, write it there atomically.
    Returns the report's bytes.

    Raises:
        ValidationError: An unknown format, or a PDF without an output file.
        FileWriteError: The file cannot be written; nothing is left behind.
    """
    if fmt not in PORTFOLIO_FORMATS:
        raise ValidationError(
            f"Unknown portfolio format {fmt!r}; choose one of {', '.join(PORTFOLIO_FORMATS)}"
        )
    if fmt == "pdf" and output is None:
        raise ValidationError("A PDF portfolio needs an output file (-o FILE)")
    data = render_portfolio(build_portfolio_report(db, as_of, include_archived), fmt)
    if output is not None:
        write_atomically(Path(output), data)
    return data

"""The status report as one self-contained HTML file (Jinja2, autoescaped)."""

from __future__ import annotations

from kanban.reports import text
from kanban.reports.model import StatusReport
from kanban.reports.templates import environment

TEMPLATE = "status_report.html.j2"


def render_html(report: StatusReport, template: str = TEMPLATE) -> str:
    """The report as HTML; every user string is escaped by the template engine."""
    return environment().get_template(template).render(report=report, narrative=text.NARRATIVE)

"""The status report as one self-contained HTML file (Jinja2, autoescaped)."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from kanban.reports import text
from kanban.reports.model import StatusReport
from kanban.reports.templates import environment

TEMPLATE = "status_report.html.j2"


def render_html(
    report: StatusReport, template: str = TEMPLATE, pictures: Mapping[str, Markup] | None = None
) -> str:
    """The report as HTML; every user string is escaped by the template engine.

    ``pictures`` are the charts by name (``cfd``, ``throughput``, ``cycle-time``,
    ``forecast``, ``burndown``), as markup we made (``kanban.reports.pictures``); a chart
    without one is left out.
    """
    return (
        environment()
        .get_template(template)
        .render(report=report, narrative=text.NARRATIVE, pictures=pictures or {})
    )

"""The status report: one model, built from an update's frozen figures or from the live data.

The figures are computed by ``kanban.metrics.status`` from the records
``kanban.services.figures`` reads; this module only puts a report together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kanban.metrics import Flow
from kanban.metrics.charts import (
    CumulativeFlowChart,
    CycleTimeChart,
    cumulative_flow_chart,
    cycle_time_chart,
    default_range,
    sprint_burn_chart,
)
from kanban.metrics.history import DateHistory, with_now
from kanban.metrics.sprints import SprintBurn
from kanban.metrics.status import (
    Figures,
    ItemList,
    QuestionList,
    QuestionRow,
    Refinement,
    ReportItem,
    SprintProgress,
    live_rows,
    report_rows,
    status_figures,
)
from kanban.services import Database
from kanban.services.figures import (
    ReportSource,
    SavedUpdate,
    load_flow,
    next_period,
    report_source,
)
from kanban.services.records import RoadmapLine
from kanban.services.releases import roadmap_from

__all__ = [
    "HEALTH_UNKNOWN",
    "Figures",
    "ItemList",
    "QuestionList",
    "QuestionRow",
    "Refinement",
    "ReportCharts",
    "ReportItem",
    "SprintProgress",
    "StatusReport",
    "UpdateText",
    "build_draft_report",
    "build_status_report",
    "next_period",
    "report_of",
]

HEALTH_UNKNOWN = "unknown"
NO_HISTORY = DateHistory(None, ())


@dataclass(frozen=True, slots=True)
class UpdateText:
    """What the product owner wrote: health, headline and the narrative, and for whom."""

    health: str
    headline: str = ""
    progress: str = ""
    problems: str = ""
    schedule_outlook: str = ""
    next_steps: str = ""
    recipients: tuple[str, ...] = ()
    id: int | None = None
    """The saved update's id (None for a draft)."""
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportCharts:
    """The data of a report's charts that its figures do not hold (throughput and the
    forecast are in the figures): replayed from the recorded history as of the figures' day,
    over the forecast's window of ISO weeks."""

    cumulative_flow: CumulativeFlowChart
    cycle_time: CycleTimeChart
    sprint: SprintBurn | None
    """The burndown of the sprint running that day, if one was."""
    roadmap: tuple[RoadmapLine, ...] = ()
    """The product's releases, then its epics, each with its forecast as of the figures'
    day (the roadmap's lines; the releases and epics as they are now)."""


@dataclass(frozen=True, slots=True)
class StatusReport:
    """A status report of one product, ready for any renderer."""

    product_key: str
    product_name: str
    update: UpdateText | None
    figures: Figures
    items: Sequence[ReportItem]
    """Every live item in priority order (made when first used: only the CSV lists them);
    for a frozen update, the items its figures name."""
    frozen: bool
    """Whether the figures are those frozen into the update when it was saved."""
    note: str = ""
    history: DateHistory = NO_HISTORY
    """The target and the forecasts recorded against it, up to this report (today's forecast
    last, for a live report)."""
    charts: ReportCharts | None = None
    """The data of the pictures (None: a report without them)."""

    @property
    def health(self) -> str:
        """The update's health, or 'unknown' without an update."""
        return self.update.health if self.update else HEALTH_UNKNOWN


def _update_text(update: SavedUpdate) -> UpdateText:
    return UpdateText(
        health=update.health,
        headline=update.headline,
        progress=update.progress,
        problems=update.problems,
        schedule_outlook=update.schedule_outlook,
        next_steps=update.next_steps,
        recipients=update.recipients,
        id=update.id,
        created_at=update.created_at,
    )


def _named_items(figures: Figures) -> tuple[ReportItem, ...]:
    unique: dict[str, ReportItem] = {}
    for section in (
        figures.done,
        figures.in_progress,
        figures.blocked,
        figures.added,
        figures.removed,
    ):
        for item in section.items:
            unique.setdefault(item.key, item)
    return tuple(unique.values())


def report_of(source: ReportSource, text: UpdateText | None = None) -> StatusReport:
    """The report of what the services read: the frozen figures, else the live ones.

    ``text`` stands for the update's own words (a draft's); without it, the saved update's.
    """
    product, update = source.product, source.update
    text = text or (_update_text(update) if update else None)
    if update is not None and update.figures is not None:
        figures = update.figures
        return StatusReport(
            product.key,
            product.name,
            text,
            figures,
            _named_items(figures),
            frozen=True,
            history=source.history,
        )
    assert source.inputs is not None, "the services read the live data for a live report"
    note = ""
    if update is not None:
        note = (
            "This update was saved without frozen figures: the figures below are "
            f"computed from the data as of {source.today.isoformat()}."
        )
    rows = report_rows(source.inputs.flow, source.today)
    figures = status_figures(source.inputs, source.period, source.today, rows)
    items = live_rows(source.inputs.flow, rows, source.today)
    outlook = figures.forecast
    history = with_now(source.history, source.today, outlook.finish_50, outlook.finish_85)
    return StatusReport(
        product.key, product.name, text, figures, items, frozen=False, note=note, history=history
    )


def report_charts(flow: Flow, figures: Figures) -> ReportCharts:
    """The chart data of a report, from the product's flow as of the figures' day."""
    day = figures.as_of
    start = figures.throughput[0].week_start if figures.throughput else default_range(day)[0]
    sprint = figures.sprint
    running = next(
        (
            s
            for s in flow.sprints
            if sprint is not None and (s.name, s.start_date) == (sprint.name, sprint.start_date)
        ),
        None,
    )
    return ReportCharts(
        cumulative_flow_chart(flow, start, day),
        cycle_time_chart(flow, start, day),
        sprint_burn_chart(flow, running.id, day) if running is not None else None,
    )


def _with_charts(db: Database, report: StatusReport, source: ReportSource) -> StatusReport:
    """The report with its chart data; a frozen report's are replayed from the history."""
    flow = source.inputs.flow if source.inputs is not None else load_flow(db, source.product.id)
    charts = report_charts(flow, report.figures)
    lines = roadmap_from(db, source.product.id, flow, report.figures.as_of)
    return replace(report, charts=replace(charts, roadmap=tuple(lines)))


def build_status_report(
    db: Database,
    product_ref: str | int,
    update_id: int | None = None,
    today: dt.date | None = None,
    charts: bool = False,
) -> StatusReport:
    """The report of a status update (``update_id``, else the product's latest one), with
    the data of its charts when asked (``charts``: replaying the history costs a read of the
    product's flow for a saved update, and the cumulative flow's days).

    A saved update shows the figures frozen into it, what was true then. Without any
    update, the report covers the last 14 days from today's data, health unknown.
    """
    source = report_source(db, product_ref, update_id, today)
    report = report_of(source)
    return _with_charts(db, report, source) if charts else report


def build_draft_report(
    db: Database,
    product_ref: str | int,
    text: UpdateText | None = None,
    today: dt.date | None = None,
    charts: bool = False,
) -> StatusReport:
    """A report from today's data for the period since the last update, e.g. to preview a
    draft (with the data of its charts when asked)."""
    source = report_source(db, product_ref, today=today, draft=True)
    report = report_of(source, text)
    return _with_charts(db, report, source) if charts else report

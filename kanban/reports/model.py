"""The status report: one model, built from an update's frozen figures or from the live data.

The figures are computed by ``kanban.metrics.status`` from the records
``kanban.services.figures`` reads; this module only puts a report together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kanban.metrics.history import DateHistory, with_now
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
from kanban.services.figures import ReportSource, SavedUpdate, next_period, report_source

__all__ = [
    "HEALTH_UNKNOWN",
    "Figures",
    "ItemList",
    "QuestionList",
    "QuestionRow",
    "Refinement",
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
class StatusReport:
    """A status report of one product, ready for any renderer."""

    product_key: str
    product_name: str
    update: UpdateText | None
    figures: Figures
    items: tuple[ReportItem, ...]
    """Every live item in priority order; for a frozen update, the items its figures name."""
    frozen: bool
    """Whether the figures are those frozen into the update when it was saved."""
    note: str = ""
    history: DateHistory = NO_HISTORY
    """The target and the forecasts recorded against it, up to this report (today's forecast
    last, for a live report)."""

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


def build_status_report(
    db: Database,
    product_ref: str | int,
    update_id: int | None = None,
    today: dt.date | None = None,
) -> StatusReport:
    """The report of a status update (``update_id``, else the product's latest one).

    A saved update shows the figures frozen into it, what was true then. Without any
    update, the report covers the last 14 days from today's data, health unknown.
    """
    return report_of(report_source(db, product_ref, update_id, today))


def build_draft_report(
    db: Database,
    product_ref: str | int,
    text: UpdateText | None = None,
    today: dt.date | None = None,
) -> StatusReport:
    """A report from today's data for the period since the last update, e.g. to preview a draft."""
    return report_of(report_source(db, product_ref, today=today, draft=True), text)

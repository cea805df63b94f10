"""Words and number formats shared by every report format."""

from __future__ import annotations

import datetime as dt

from kanban import domain
from kanban.domain import Health
from kanban.metrics import Forecast

HEALTH_LABELS: dict[str, str] = {**domain.HEALTH_LABELS, "unknown": "Unknown"}
HEALTH_COLOURS = {
    Health.ON_TRACK: "#1b7f3b",
    Health.AT_RISK: "#a85d00",
    Health.OFF_TRACK: "#b3261e",
    "unknown": "#6b6b6b",
}
NARRATIVE = (
    ("progress", "Progress"),
    ("problems", "Problems slowing the project"),
    ("schedule_outlook", "Schedule outlook"),
    ("next_steps", "Next steps"),
)
"""The product owner's sections of an update: (field, heading)."""


def points(value: float | None) -> str:
    """Story points without a needless '.0'; empty for none."""
    if value is None:
        return ""
    return f"{value:g}"


def day(value: dt.date | None) -> str:
    """A date as ISO 8601 (unambiguous for every reader); empty for none."""
    return value.isoformat() if value is not None else ""


def plural(count: int, noun: str) -> str:
    """'1 item', '2 items'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def forecast_sentence(forecast: Forecast) -> str:
    """The outlook in one or two plain sentences, from the forecast's figures."""
    remaining = plural(forecast.remaining_items, "remaining item")
    weeks = len(forecast.weekly_throughput)
    if forecast.remaining_items == 0:
        return "Every work item in scope is done."
    if forecast.mean_per_week == 0:
        return (
            f"No item was finished in the last {plural(weeks, 'week')}, "
            f"so there is no forecast for the {remaining}."
        )
    pace = f"{forecast.mean_per_week:.1f} items a week over the last {plural(weeks, 'week')}"
    if forecast.finish_50 is None or forecast.finish_85 is None:
        return f"At the recent pace ({pace}) the {remaining} would take more than ten years."
    text = (
        f"At the recent pace ({pace}), the {remaining} should be done by "
        f"{day(forecast.finish_50)} (50% likely) and by {day(forecast.finish_85)} (85% likely)."
    )
    if forecast.target is not None and forecast.delay_days is not None:
        if forecast.delay_days > 0:
            text += (
                f" That is {plural(forecast.delay_days, 'day')} after the target date "
                f"{day(forecast.target)}."
            )
        else:
            text += f" That meets the target date {day(forecast.target)}."
    return text

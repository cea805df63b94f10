"""Words and number formats shared by every report format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kanban import domain
from kanban.domain import Health
from kanban.metrics.forecast import Forecast, Sampling
from kanban.metrics.history import DateHistory, RowKind
from kanban.metrics.records import PERCENTILES

HEALTH_LABELS: dict[str, str] = {str(k): v for k, v in domain.HEALTH_LABELS.items()}
HEALTH_LABELS["unknown"] = "Unknown"
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


def points_phrase(value: float) -> str:
    """'1 point', '2.5 points', '0 points'."""
    return f"{value:g} point" if value == 1 else f"{value:g} points"


def day(value: dt.date | None) -> str:
    """A date as ISO 8601 (unambiguous for every reader); empty for none."""
    return value.isoformat() if value is not None else ""


def plural(count: int, noun: str) -> str:
    """'1 item', '2 items'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


BEYOND = "beyond the horizon"
"""What a percentile whose run never finished within ten years says instead of a date."""


def finish(forecast: Forecast, share: int) -> str:
    """A percentile's date, 'beyond the horizon', or '–' without a forecast."""
    if forecast.when is None:
        return "–"
    value = forecast.when.at(share)
    if value is not None:
        return day(value)
    return BEYOND if forecast.when.beyond_horizon else "–"


def percentile_dates(forecast: Forecast) -> list[tuple[int, str]]:
    """(percentile, date or words) for each of 50, 70, 85, 95."""
    return [(share, finish(forecast, share)) for share in PERCENTILES]


def forecast_sentence(forecast: Forecast) -> str:
    """The outlook in one or two plain sentences, from the forecast's figures."""
    remaining = plural(forecast.remaining_items, "remaining item")
    if forecast.remaining_items == 0:
        # No date without any work item at all: the forecast says there is none yet.
        return forecast.reason if forecast.when is None else "Every work item in scope is done."
    if forecast.when is None:
        return f"There is no forecast for the {remaining}: {forecast.reason}"
    sample = forecast.sample
    pace = (
        f"{forecast.sample.mean_per_week:.1f} items a week over the "
        f"{plural(sample.weeks, 'ISO week')} to {day(sample.end)}"
    )
    (p50, first), *rest = percentile_dates(forecast)
    others = ", ".join(f"by {when} with {share}%" for share, when in rest[:-1])
    last_share, last = rest[-1]
    text = (
        f"At the recent pace ({pace}), the {remaining} should be done by {first} with "
        f"{p50}% likelihood, {others} and by {last} with {last_share}%."
    )
    if forecast.target is not None and forecast.delay_days is not None:
        if forecast.delay_days > 0:
            text += (
                f" The 85% date is {plural(forecast.delay_days, 'day')} after the target date "
                f"{day(forecast.target)}."
            )
        else:
            text += f" That meets the target date {day(forecast.target)}."
    return text


def forecast_check(forecast: Forecast) -> str:
    """How to check the forecast: the window, the sample drawn from, the runs and the seed."""
    sample = forecast.sample
    if sample.weeks == 0:
        return f"No whole ISO week of history before {day(forecast.as_of)} to draw from."
    weekly = ", ".join(str(n) for n in sample.weekly)
    per = "week" if sample.sampling == Sampling.WEEK else "day (of these weeks)"
    return (
        f"Monte Carlo of {forecast.runs:,} runs (seed {forecast.seed}) drawing the items "
        f"finished per {per} in the {plural(sample.weeks, 'ISO week')} from "
        f"{day(sample.start)} to {day(sample.end)}; per week: {weekly}. "
        "A date is the one by which that share of the runs finished (nearest rank)."
    )


HISTORY_HEADER = ("Date", "What", "Target", "50%", "85%", "85% vs target", "Reason")
HISTORY_KINDS = {
    RowKind.UPDATE: "status update",
    RowKind.TARGET: "target set",
    RowKind.NOW: "today (live)",
}


def history_rows(history: DateHistory) -> list[tuple[str, ...]]:
    """The date history as table rows (see ``HISTORY_HEADER``), oldest first."""
    rows: list[tuple[str, ...]] = []
    for row in history.rows:
        late = row.late_days
        if late is None:
            versus = ""
        elif late == 0:
            versus = "on target"
        else:
            versus = f"{plural(abs(late), 'day')} {'late' if late > 0 else 'early'}"
        forecast = row.kind != RowKind.TARGET
        rows.append(
            (
                day(row.day),
                HISTORY_KINDS.get(RowKind(row.kind), row.kind),
                day(row.target) or "none",
                (day(row.forecast_p50) or "–") if forecast else "",
                (day(row.forecast_p85) or "–") if forecast else "",
                versus,
                row.reason,
            )
        )
    return rows


def chain_sentence(
    keys: tuple[str, ...], titles: tuple[str, ...], escape: Callable[[str], str] = str
) -> str:
    """``WEB-23 Discount codes waits on WEB-36 Card payments, which waits on WEB-7 …``, each
    piece of user text passed through ``escape``."""
    parts = [f"{escape(key)} {escape(title)}" for key, title in zip(keys, titles, strict=True)]
    if len(parts) == 1:
        return parts[0]
    sentence = f"{parts[0]} waits on {parts[1]}"
    for part in parts[2:]:
        sentence += f", which waits on {part}"
    return sentence

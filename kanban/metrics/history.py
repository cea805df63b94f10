"""The history of a date: a product's target, each move of it (with the reason), and the
forecast every status update recorded, so a slip shows when it began, not only that it did.

``date_history`` merges the target changes and the updates into rows, oldest first;
``DateHistory.sentence`` says it in words ("Target 1 March 2027; the 85% forecast moved from
20 February 2027 to 2 May 2027 over 4 updates, past the target since the update of ...");
``DateHistory.points`` is the plain series the small chart draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kanban.domain import plural

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_day(day: dt.date) -> str:
    """A date in words, the same in every locale: '1 March 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class TargetChangeRecord:
    """The target moved (``target_changes``): from what, to what, why, by whom, when."""

    at: dt.datetime
    previous: dt.date | None
    target: dt.date | None
    """None: the target was cleared."""
    reason: str
    actor: str


@dataclass(frozen=True, slots=True)
class UpdateForecast:
    """What a status update recorded when it was saved: the target and the forecast then."""

    update_id: int
    at: dt.datetime
    target: dt.date | None
    p50: dt.date | None
    p85: dt.date | None
    health: str


class RowKind(StrEnum):
    """What a row of a date history is."""

    UPDATE = "update"
    """A status update: the target and the forecast it recorded."""
    TARGET = "target"
    """The target moved (or was set, or cleared)."""
    NOW = "now"
    """Today's forecast from the live data (a draft or a report without an update)."""


@dataclass(frozen=True, slots=True)
class DateHistoryRow:
    """One line of a date history."""

    day: dt.date
    kind: str
    """A :class:`RowKind` value."""
    target: dt.date | None
    """The target in effect after this row."""
    forecast_p50: dt.date | None
    forecast_p85: dt.date | None
    reason: str
    """Why the target moved (target rows), else ''."""
    update_id: int | None = None

    @property
    def late_days(self) -> int | None:
        """Days the 85% forecast lies past the target (negative: ahead of it)."""
        if self.forecast_p85 is None or self.target is None:
            return None
        return (self.forecast_p85 - self.target).days


@dataclass(frozen=True, slots=True)
class DateHistory:
    """A product's target and the forecasts recorded against it, oldest first."""

    target: dt.date | None
    """The target now (at the end of the history)."""
    rows: tuple[DateHistoryRow, ...]

    @property
    def forecasts(self) -> tuple[DateHistoryRow, ...]:
        """The rows that carry a forecast (updates, and today's)."""
        return tuple(r for r in self.rows if r.kind != RowKind.TARGET)

    def points(
        self,
    ) -> list[tuple[dt.date, dt.date | None, dt.date | None, dt.date | None, str]]:
        """(day, target, p50, p85, reason) per row: the series of the date-history chart (the
        rows themselves also have the shape ``kanban.charts.forecast.target_history_chart``
        draws)."""
        return [(r.day, r.target, r.forecast_p50, r.forecast_p85, r.reason) for r in self.rows]

    def late_since(self) -> DateHistoryRow | None:
        """The first of the latest unbroken run of forecasts past their target (the update
        the slip began with); None when the latest forecast is not late."""
        began = None
        for row in self.forecasts:
            late = row.late_days is not None and row.late_days > 0
            began = (began or row) if late else None
        return began

    def sentence(self) -> str:
        """The history in one sentence, for a report and the Status screen."""
        target = f"Target {long_day(self.target)}" if self.target else "No target date"
        moves = [r for r in self.rows if r.kind == RowKind.TARGET]
        if len(moves) > 1:
            target += f" (moved {plural(len(moves) - 1, 'time')})"
        updates = [r for r in self.forecasts if r.kind == RowKind.UPDATE]
        dated = [r for r in self.forecasts if r.forecast_p85 is not None]
        if not updates:
            now = dated[-1].forecast_p85 if dated else None
            tail = f"; the 85% forecast today is {long_day(now)}" if now else ""
            return f"{target}; no status update has recorded a forecast yet{tail}."
        counted = plural(len(updates), "update")
        if not dated:
            text = f"{target}; no forecast in {counted}"
        elif dated[0].forecast_p85 == dated[-1].forecast_p85 or len(dated) == 1:
            held = dated[-1].forecast_p85
            assert held is not None
            text = f"{target}; the 85% forecast stayed at {long_day(held)} over {counted}"
        else:
            first, last = dated[0].forecast_p85, dated[-1].forecast_p85
            assert first is not None and last is not None
            text = (
                f"{target}; the 85% forecast moved from {long_day(first)} to {long_day(last)} "
                f"over {counted}"
            )
        since = self.late_since()
        if since is not None:
            where = (
                f"the update of {long_day(since.day)}"
                if since.kind == RowKind.UPDATE
                else "today's forecast"
            )
            text += f", past the target since {where}"
        return text + "."


def target_on(
    changes: Iterable[TargetChangeRecord], current: dt.date | None, day: dt.date
) -> dt.date | None:
    """The target in effect at the end of ``day``: the last change made by then, else the one
    before the first later change, else the target as it is now."""
    ordered = sorted(changes, key=lambda c: c.at)
    made = [c for c in ordered if c.at.date() <= day]
    if made:
        return made[-1].target
    if ordered:
        return ordered[0].previous
    return current


def date_history(
    changes: Iterable[TargetChangeRecord],
    updates: Iterable[UpdateForecast],
    target: dt.date | None,
) -> DateHistory:
    """The rows of a date history, oldest first: each target change and each update
    (``target``: the target at the end)."""
    dated: list[tuple[dt.datetime, int, DateHistoryRow]] = []
    for change in changes:
        row = DateHistoryRow(change.at.date(), RowKind.TARGET, change.target, None, None,
                             change.reason)  # fmt: skip
        dated.append((change.at, 0, row))
    for update in updates:
        row = DateHistoryRow(update.at.date(), RowKind.UPDATE, update.target, update.p50,
                             update.p85, "", update.update_id)  # fmt: skip
        dated.append((update.at, 1, row))
    rows = [row for _at, _order, row in sorted(dated, key=lambda d: (d[0], d[1]))]
    return DateHistory(target, tuple(rows))


def with_now(
    history: DateHistory, day: dt.date, p50: dt.date | None, p85: dt.date | None
) -> DateHistory:
    """The history with today's forecast from the live data as its last row."""
    now = DateHistoryRow(day, RowKind.NOW, history.target, p50, p85, "")
    return DateHistory(history.target, (*history.rows, now))

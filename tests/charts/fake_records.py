"""Records shaped like kanban.metrics' chart records, for drawing charts whose data is known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CyclePoint:
    key: str
    title: str
    done: dt.date
    days: float


@dataclass(frozen=True)
class CycleTimes:
    start: dt.date
    end: dt.date
    points: tuple[CyclePoint, ...]
    p50: float | None
    p85: float | None
    p95: float | None


@dataclass(frozen=True)
class AgingPoint:
    key: str
    title: str
    started: dt.date
    age_days: int


@dataclass(frozen=True)
class AgingColumn:
    name: str
    items: tuple[AgingPoint, ...]


@dataclass(frozen=True)
class Aging:
    as_of: dt.date
    columns: tuple[AgingColumn, ...]
    p50: float | None
    p85: float | None
    p95: float | None


@dataclass(frozen=True)
class DateRuns:
    date: dt.date
    runs: int


@dataclass(frozen=True)
class Mark:
    percentile: int
    date: dt.date | None


@dataclass(frozen=True)
class Histogram:
    as_of: dt.date
    bars: tuple[DateRuns, ...]
    beyond_horizon: int
    runs: int
    markers: tuple[Mark, ...]
    reason: str = ""


@dataclass(frozen=True)
class TargetPoint:
    day: dt.date
    target: dt.date | None
    forecast_p50: dt.date | None
    forecast_p85: dt.date | None
    reason: str = ""

"""Records shaped like the chart records the figures do not have yet (the target history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TargetPoint:
    day: dt.date
    target: dt.date | None
    forecast_p50: dt.date | None
    forecast_p85: dt.date | None
    reason: str = ""

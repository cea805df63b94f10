"""Forecasts: when the unfinished work should be done, from recent throughput."""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from kanban.metrics.flow import finished_between
from kanban.metrics.records import Flow, percentile, points_of, unfinished

FORECAST_WEEKS = 8
FORECAST_RUNS = 1000
FORECAST_SEED = 20240101
MAX_FORECAST_WEEKS = 520  # beyond ten years a forecast says nothing useful


@dataclass(frozen=True, slots=True)
class Forecast:
    """When the unfinished work items should be done, from recent weekly throughput.

    The Monte Carlo draws weeks at random from the last weeks' throughput (fixed seed, so the
    same data gives the same dates); 50% and 85% of the simulated futures finish by the dates.
    """

    as_of: dt.date
    remaining_items: int
    remaining_points: float
    unestimated_items: int
    weekly_throughput: tuple[int, ...]
    """Items finished in each of the last 7-day windows, oldest first."""
    mean_per_week: float
    finish_at_mean: dt.date | None
    finish_50: dt.date | None
    finish_85: dt.date | None
    target: dt.date | None
    delay_days: int | None
    """Days the 85% date falls after the target (negative: ahead of it)."""


def weekly_sample(flow: Flow, today: dt.date, weeks: int = FORECAST_WEEKS) -> tuple[int, ...]:
    """Items finished in each of the last ``weeks`` 7-day windows ending today, oldest first.

    Windows before the product's first item are left out, so a young product is not
    judged by weeks in which nobody worked on it.
    """
    first = min((i.created.date() for i in flow.items if i.created.date() <= today), default=None)
    if first is None:
        return ()
    weeks = max(1, min(weeks, (today - first).days // 7 + 1))
    counts = [0] * weeks
    for _item, done in finished_between(flow, today - dt.timedelta(days=7 * weeks - 1), today):
        counts[weeks - 1 - (today - done.date()).days // 7] += 1
    return tuple(counts)


def _simulate(sample: tuple[int, ...], remaining: int, runs: int, seed: int) -> list[int]:
    """Weeks each simulated future needs to finish ``remaining`` items (capped), ascending."""
    rng = random.Random(seed)
    chunk = min(MAX_FORECAST_WEEKS, math.ceil(remaining / statistics.fmean(sample)) + 4)
    results = []
    for _ in range(runs):
        done = weeks = 0
        while weeks < MAX_FORECAST_WEEKS:
            totals = list(accumulate(rng.choices(sample, k=chunk), initial=done))[1:]
            reached = bisect_left(totals, remaining)
            if reached < chunk:
                weeks += reached + 1
                break
            done, weeks = totals[-1], weeks + chunk
        results.append(min(weeks, MAX_FORECAST_WEEKS + 1))
    return sorted(results)


def forecast(
    flow: Flow,
    today: dt.date,
    *,
    target: dt.date | None = None,
    weeks: int = FORECAST_WEEKS,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> Forecast:
    """Forecast, as of the end of ``today``, when the unfinished live work items will be done.

    ``finish_at_mean`` divides the remaining items by the mean weekly throughput;
    ``finish_50``/``finish_85`` come from a Monte Carlo over the last ``weeks`` weeks. Dates
    are None when nothing was finished in those weeks or the answer lies past ten years.
    """
    open_items = [i for i in flow.items if i.counts and not i.archived and unfinished(i, today)]
    remaining = len(open_items)
    sample = weekly_sample(flow, today, weeks)
    mean = statistics.fmean(sample) if sample else 0.0

    def after(weeks_needed: float) -> dt.date | None:
        if weeks_needed > MAX_FORECAST_WEEKS:
            return None
        return today + dt.timedelta(days=math.ceil(7 * weeks_needed))

    at_mean: dt.date | None
    p50: dt.date | None
    p85: dt.date | None
    if remaining == 0:
        at_mean = p50 = p85 = today
    elif mean == 0:
        at_mean = p50 = p85 = None
    else:
        at_mean = after(remaining / mean)
        futures = _simulate(sample, remaining, runs, seed)
        p50 = after(percentile(futures, 0.50))
        p85 = after(percentile(futures, 0.85))
    delay = (p85 - target).days if p85 is not None and target is not None else None
    return Forecast(
        as_of=today,
        remaining_items=remaining,
        remaining_points=points_of(open_items),
        unestimated_items=sum(1 for i in open_items if i.points is None),
        weekly_throughput=sample,
        mean_per_week=mean,
        finish_at_mean=at_mean,
        finish_50=p50,
        finish_85=p85,
        target=target,
        delay_days=delay,
    )

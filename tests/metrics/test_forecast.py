"""Forecasts on generated histories whose answers are known exactly, and their properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from generated import COLUMNS, flow_of, item, weekly
from hypothesis import given, settings
from hypothesis import strategies as st

from kanban.domain import Category
from kanban.metrics.forecast import (
    HORIZON_WEEKS,
    Forecast,
    Sampling,
    Scope,
    ScopeKind,
    forecast,
    throughput_sample,
)
from kanban.metrics.records import PERCENTILES, Flow
from kanban.metrics.simulation import simulate

LAST_SUNDAY = dt.date(2024, 6, 30)
RUNS = 400  # enough for properties; the exact answers hold for any number of runs


def dates(fc: Forecast) -> list[dt.date | None]:
    assert fc.when is not None
    return [fc.when.at(p) for p in PERCENTILES]


def later_or_same(a: dt.date | None, b: dt.date | None) -> bool:
    """Whether ``a`` is no earlier than ``b`` (None: beyond the horizon, latest of all)."""
    return a is None or (b is not None and a >= b)


@settings(max_examples=60, deadline=None)
@given(
    per_week=st.integers(1, 30),
    remaining=st.integers(1, 300),
    weeks=st.integers(1, 12),
    days_after=st.integers(0, 6),
)
def test_constant_throughput_gives_one_date_at_every_percentile(
    per_week: int, remaining: int, weeks: int, days_after: int
) -> None:
    flow = flow_of(weekly([per_week] * weeks, LAST_SUNDAY), remaining)
    as_of = LAST_SUNDAY + dt.timedelta(days=days_after)  # Sunday, or a day of the next week
    fc = forecast(flow, as_of, window_weeks=weeks, runs=RUNS)
    assert fc.sample.values == (per_week,) * weeks
    expected = LAST_SUNDAY + dt.timedelta(weeks=math.ceil(remaining / per_week))
    assert dates(fc) == [expected] * 4
    assert fc.when is not None
    assert [(bar.date, bar.runs) for bar in fc.when.distribution] == [(expected, RUNS)]


@settings(max_examples=40, deadline=None)
@given(per_day=st.integers(1, 5), remaining=st.integers(1, 200))
def test_constant_daily_throughput_sampled_per_day_finishes_on_the_day(
    per_day: int, remaining: int
) -> None:
    history = {LAST_SUNDAY - dt.timedelta(days=n): per_day for n in range(28)}
    fc = forecast(
        flow_of(history, remaining), LAST_SUNDAY, window_weeks=4, sampling=Sampling.DAY, runs=50
    )
    assert fc.sample.sampling == "day" and len(fc.sample.values) == 28
    expected = LAST_SUNDAY + dt.timedelta(days=math.ceil(remaining / per_day))
    assert dates(fc) == [expected] * 4


def test_zero_throughput_gives_no_forecast_and_says_why() -> None:
    # Work was finished long ago, but nothing in the twelve weeks of the window.
    flow = flow_of(weekly([3, 4], LAST_SUNDAY - dt.timedelta(weeks=20)), 10)
    fc = forecast(flow, LAST_SUNDAY)
    assert fc.sample.values == (0,) * 12
    assert fc.when is None and fc.finish_85 is None
    assert fc.reason == "No item was finished in the 12 weeks of the window."
    assert "No item was finished in the window" in fc.warnings[0]
    assert fc.how_many is None


def young(created: dt.datetime, done: list[dt.datetime], open_items: int) -> Flow:
    """A product whose every item was created at ``created``."""
    items = [
        item(n, [(created, Category.BACKLOG), (at, Category.DONE)]) for n, at in enumerate(done, 1)
    ]
    items += [item(100 + n, [(created, Category.BACKLOG)]) for n in range(open_items)]
    return Flow(1, "GEN", tuple(items), (), COLUMNS)


def test_a_product_without_a_whole_week_has_no_forecast() -> None:
    wednesday = dt.datetime.combine(LAST_SUNDAY + dt.timedelta(days=3), dt.time(9))
    flow = young(wednesday, [wednesday + dt.timedelta(hours=5)], 3)
    fc = forecast(flow, wednesday.date() + dt.timedelta(days=2))
    assert fc.sample.weeks == 0 and fc.when is None
    assert fc.reason == "Not one whole ISO week of history before the forecast's day."


def test_a_young_product_draws_from_the_weeks_it_has_and_says_so() -> None:
    created = dt.datetime.combine(LAST_SUNDAY - dt.timedelta(days=17), dt.time(9))  # Thursday
    done = [created + dt.timedelta(days=d) for d in (1, 5, 8, 9, 15)]
    fc = forecast(young(created, done, 4), LAST_SUNDAY, runs=50)
    assert (fc.sample.start, fc.sample.weeks) == (LAST_SUNDAY - dt.timedelta(days=20), 3)
    assert fc.sample.values == (1, 3, 1)  # Fri; Tue, Fri, Sat; Fri
    assert fc.warnings[0] == "The product's history covers only 3 whole weeks of the 12 asked for."


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 12), min_size=1, max_size=12).filter(any),
    remaining=st.integers(1, 150),
    seed=st.integers(0, 2**32),
)
def test_doubling_throughput_never_gives_a_later_date(
    counts: list[int], remaining: int, seed: int
) -> None:
    as_of = LAST_SUNDAY
    by = as_of + dt.timedelta(weeks=6)
    slow = forecast(flow_of(weekly(counts, as_of), remaining), as_of, by=by, runs=RUNS, seed=seed)
    doubled = [2 * n for n in counts]
    fast = forecast(flow_of(weekly(doubled, as_of), remaining), as_of, by=by, runs=RUNS, seed=seed)
    for a, b in zip(dates(slow), dates(fast), strict=True):
        assert later_or_same(a, b)
    assert slow.how_many is not None and fast.how_many is not None
    assert all(fast.how_many.at(p) >= slow.how_many.at(p) for p in PERCENTILES)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 12), min_size=1, max_size=12).filter(any),
    fewer=st.integers(1, 100),
    extra=st.integers(0, 100),
    seed=st.integers(0, 2**32),
)
def test_more_items_never_give_an_earlier_date(
    counts: list[int], fewer: int, extra: int, seed: int
) -> None:
    history = weekly(counts, LAST_SUNDAY)
    small = forecast(flow_of(history, fewer), LAST_SUNDAY, runs=RUNS, seed=seed)
    large = forecast(flow_of(history, fewer + extra), LAST_SUNDAY, runs=RUNS, seed=seed)
    for a, b in zip(dates(large), dates(small), strict=True):
        assert later_or_same(a, b)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 20), min_size=1, max_size=12).filter(any),
    remaining=st.integers(1, 200),
    weekday=st.integers(0, 6),
    sampling=st.sampled_from(list(Sampling)),
)
def test_percentiles_are_ordered_and_weekly_dates_end_iso_weeks(
    counts: list[int], remaining: int, weekday: int, sampling: str
) -> None:
    as_of = LAST_SUNDAY + dt.timedelta(days=weekday + 1)
    fc = forecast(
        flow_of(weekly(counts, LAST_SUNDAY), remaining), as_of, sampling=sampling, runs=RUNS
    )
    found = dates(fc)
    for a, b in zip(found[1:], found, strict=False):
        assert later_or_same(a, b)
    assert all(d is None or d > as_of for d in found)
    if sampling == Sampling.WEEK:
        assert all(d is None or d.weekday() == 6 for d in found)
    assert fc.when is not None
    assert sum(bar.runs for bar in fc.when.distribution) + fc.when.beyond_horizon == RUNS


def test_the_same_seed_gives_the_same_forecast() -> None:
    flow = flow_of(weekly([3, 0, 7, 1, 4, 9, 2, 0, 5, 6, 1, 3], LAST_SUNDAY), 80)
    first = forecast(flow, LAST_SUNDAY, seed=7, runs=2000)
    assert forecast(flow, LAST_SUNDAY, seed=7, runs=2000) == first
    assert first.seed == 7 and first.runs == 2000


def test_nearest_rank_reads_the_sorted_runs() -> None:
    # Three runs that finish in periods 0, 1 and 5 (values drawn: 0 or 10; 10 items).
    runs = simulate([0, 10], 10, 3, seed=1, periods=10)
    ranks = sorted(p for p, n in runs.finished.items() for _ in range(n))
    assert runs.finish_period(0.50) == ranks[1]  # ceil(0.5 * 3) = 2nd smallest
    assert runs.finish_period(0.70) == ranks[2]  # ceil(2.1) = 3rd
    assert runs.finish_period(0.34) == ranks[1]


def test_a_run_that_never_finishes_is_beyond_the_horizon_not_a_date() -> None:
    # One item a year on average: 200 items take longer than the ten-year horizon.
    counts = [1] + [0] * 11
    fc = forecast(flow_of(weekly(counts, LAST_SUNDAY), 200), LAST_SUNDAY, runs=20)
    assert fc.when is not None and fc.reason == ""
    assert dates(fc) == [None] * 4
    assert fc.when.beyond_horizon == 20 and fc.when.distribution == ()
    assert fc.horizon == LAST_SUNDAY + dt.timedelta(weeks=HORIZON_WEEKS)
    assert any("did not finish within the horizon" in w for w in fc.warnings)


def test_items_finished_this_week_count_against_this_weeks_draw() -> None:
    history = weekly([4] * 12, LAST_SUNDAY)
    history[LAST_SUNDAY + dt.timedelta(days=1)] = 4  # Monday: this week's 4 are done already
    wednesday = LAST_SUNDAY + dt.timedelta(days=3)
    fc = forecast(flow_of(history, 8), wednesday, runs=50)
    assert fc.sample.values == (4,) * 12  # the week in progress is not in the window
    # This week gives nothing more; then 4 a week: 8 items by the second Sunday after.
    assert dates(fc) == [LAST_SUNDAY + dt.timedelta(weeks=3)] * 4


def test_how_many_by_a_date_with_constant_throughput() -> None:
    flow = flow_of(weekly([5] * 12, LAST_SUNDAY), 100)
    fc = forecast(flow, LAST_SUNDAY, by=LAST_SUNDAY + dt.timedelta(weeks=3, days=3), runs=50)
    assert fc.how_many is not None
    assert fc.how_many.periods == 3  # the weeks that end by the date
    assert [fc.how_many.at(p) for p in PERCENTILES] == [15] * 4
    capped = forecast(flow_of(weekly([5] * 12, LAST_SUNDAY), 7), LAST_SUNDAY,
                      by=LAST_SUNDAY + dt.timedelta(weeks=3), runs=50)  # fmt: skip
    assert capped.how_many is not None and capped.how_many.p50 == 7  # no more than there are


def test_warnings_for_thin_and_unstable_samples() -> None:
    thin = forecast(flow_of(weekly([0] * 9 + [2, 0, 3], LAST_SUNDAY), 5), LAST_SUNDAY, runs=50)
    assert any("sample is thin" in w for w in thin.warnings)
    assert any("varies a lot" in w for w in thin.warnings)
    steady = flow_of(weekly([4, 5, 4, 6, 5, 4], LAST_SUNDAY), 5)
    assert forecast(steady, LAST_SUNDAY, window_weeks=6, runs=50).warnings == ()


def test_the_window_is_whole_iso_weeks_before_the_day() -> None:
    flow = flow_of(weekly([1] * 20, LAST_SUNDAY), 1)
    thursday = LAST_SUNDAY + dt.timedelta(days=4)
    sample = throughput_sample(flow, thursday, 12)
    assert (sample.start.weekday(), sample.end) == (0, LAST_SUNDAY)
    assert (sample.end - sample.start).days + 1 == 12 * 7
    assert throughput_sample(flow, LAST_SUNDAY, 12).end == LAST_SUNDAY


@pytest.mark.parametrize("kind", [ScopeKind.EPIC, ScopeKind.RELEASE, ScopeKind.SPRINT])
def test_a_scope_with_nothing_open_is_done_today(kind: str) -> None:
    flow = flow_of(weekly([3] * 12, LAST_SUNDAY), 5)
    fc = forecast(flow, LAST_SUNDAY, scope=Scope(kind, "nothing", ref=999), runs=10)
    assert fc.remaining_items == 0
    assert dates(fc) == [LAST_SUNDAY] * 4


def test_a_number_of_items_is_forecast_whatever_the_backlog() -> None:
    flow = flow_of(weekly([2] * 12, LAST_SUNDAY), 0)
    fc = forecast(flow, LAST_SUNDAY, scope=Scope(ScopeKind.ITEMS, "7 items", count=7), runs=10)
    assert fc.remaining_items == 7
    assert dates(fc) == [LAST_SUNDAY + dt.timedelta(weeks=4)] * 4


def test_a_sample_whose_odds_are_known_gives_the_geometric_answer() -> None:
    """One item left, a sample of weeks with 0, 1, 1, 1 done: each week finishes it with odds
    3/4, so 75% of runs are done in the first week, 93.75% by the second, 98.4% by the third:
    the 50% and 70% dates are the first Sunday, 85% the second, 95% the third."""
    flow = flow_of(weekly([0, 1, 1, 1], LAST_SUNDAY), 1)
    fc = forecast(flow, LAST_SUNDAY, window_weeks=4, runs=10_000)
    assert fc.sample.values == (0, 1, 1, 1)
    sundays = [LAST_SUNDAY + dt.timedelta(weeks=n) for n in (1, 1, 2, 3)]
    assert dates(fc) == sundays
    assert fc.when is not None
    first = fc.when.distribution[0]
    assert first.date == sundays[0]
    assert abs(first.runs - 7_500) < 4 * math.sqrt(10_000 * 0.75 * 0.25)  # within 4 sigma
    # And "how many by the second Sunday": at least 1 in 93.75% of runs, so p85 1 and p95 0.
    by = forecast(flow, LAST_SUNDAY, window_weeks=4, runs=10_000, by=sundays[2])
    assert by.how_many is not None
    assert [by.how_many.at(p) for p in PERCENTILES] == [1, 1, 1, 0]

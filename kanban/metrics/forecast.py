"""Monte Carlo forecasts a stakeholder can check: "when will these items be done?" and "how many
items by this date?", from a stated window of past throughput, with a stated seed.

**The sample.** The window is the last ``window_weeks`` whole ISO weeks before the forecast's
day (its own week counts only when the day is that week's Sunday), cut to start no earlier than
the week of the product's first item. The sample is the number of work items (no epics) that
entered 'done' in each week of the window (``Sampling.WEEK``) or on each of its days
(``Sampling.DAY``), the same count as the throughput table.

**A run** draws one sample value per future week (or day) with replacement, from a
``random.Random(seed)`` (all runs advance together: see ``kanban.metrics.simulation``), until the
items are done, or until the horizon (ten years): a run that has not finished by then is
*beyond the horizon*, never a date. With weekly sampling the first
simulated week is the forecast day's own ISO week, less what was already finished in it, and a
finish date is the Sunday ending the week it falls in; with daily sampling it is the day itself.

**The answer** reads the sorted runs with the app's one percentile rule, nearest rank: the p85
date is the finish of the ``ceil(0.85 * runs)``-th fastest run; the p85 count of "how many" is
the count the ``ceil(0.85 * runs)``-th most productive run reaches (85% of runs do at least that).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kanban.domain import plural
from kanban.metrics.flow import finished_between
from kanban.metrics.records import (
    PERCENTILES,
    Flow,
    FlowItem,
    percentile,
    points_of,
    unfinished,
    week_end,
    week_start,
)
from kanban.metrics.simulation import Runs, simulate_targets

WINDOW_WEEKS = 12
"""The default window: the last twelve whole ISO weeks."""
FORECAST_RUNS = 10_000
FORECAST_SEED = 20240101
HORIZON_WEEKS = 520
"""Ten years: a run not done by then is beyond the horizon."""
THIN_WEEKS = 5
"""A window with fewer weeks of finished work than this gives a thin sample."""
UNSTABLE_VARIATION = 1.0
"""Weekly throughput whose standard deviation exceeds its mean this many times is unstable."""


class Sampling(StrEnum):
    """What one draw of a run stands for."""

    WEEK = "week"
    DAY = "day"


class ScopeKind(StrEnum):
    """Which items a forecast is about."""

    BACKLOG = "backlog"
    """Every live, unfinished work item."""
    ITEMS = "items"
    """A number of items, whichever they are."""
    SPRINT = "sprint"
    EPIC = "epic"
    UNTIL = "until"
    """The backlog in rank order down to (and with) one item."""
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class Scope:
    """The items a forecast is about: a kind, the id it refers to, and its name in words."""

    kind: str
    """A :class:`ScopeKind` value."""
    label: str
    """e.g. 'the backlog', 'sprint Sprint 4', 'epic WEB-3', 'the backlog down to WEB-12'."""
    ref: int | None = None
    """The sprint, epic (item), item or release id the scope refers to."""
    count: int | None = None
    """For ``ScopeKind.ITEMS``: how many items."""


BACKLOG = Scope(ScopeKind.BACKLOG, "the backlog")


@dataclass(frozen=True, slots=True)
class ThroughputSample:
    """The window of past throughput a forecast draws from, and the values drawn."""

    start: dt.date
    """The Monday the window starts."""
    end: dt.date
    """The Sunday the window ends."""
    weeks: int
    sampling: str
    """A :class:`Sampling` value."""
    values: tuple[int, ...]
    """Items finished in each week (or day) of the window, oldest first: what runs draw."""
    weekly: tuple[int, ...]
    """Items finished in each ISO week of the window, oldest first (the throughput table)."""

    @property
    def weeks_with_data(self) -> int:
        """Weeks of the window in which at least one item was finished."""
        return sum(1 for n in self.weekly if n)

    @property
    def mean_per_week(self) -> float:
        """Mean items finished per week over the window (0 for an empty window)."""
        return statistics.fmean(self.weekly) if self.weekly else 0.0


@dataclass(frozen=True, slots=True)
class DateRuns:
    """How many runs finished on one date (a bar of the forecast histogram)."""

    date: dt.date
    runs: int


@dataclass(frozen=True, slots=True)
class When:
    """When the scope's remaining items are done: a date per percentile.

    A percentile is None when its run is beyond the horizon.
    """

    items: int
    p50: dt.date | None
    p70: dt.date | None
    p85: dt.date | None
    p95: dt.date | None
    beyond_horizon: int
    """Runs that had not finished at the horizon."""
    distribution: tuple[DateRuns, ...]
    """Finish dates and how many runs finished on each, in date order (the histogram)."""

    def at(self, share: int) -> dt.date | None:
        """The date of a percentile (50, 70, 85 or 95)."""
        value: dt.date | None = getattr(self, f"p{share}")
        return value


@dataclass(frozen=True, slots=True)
class CountRuns:
    """How many runs finished exactly this many items by the date."""

    items: int
    runs: int


@dataclass(frozen=True, slots=True)
class HowMany:
    """How many of the scope's items are done by a date: at least this many, per percentile."""

    by: dt.date
    periods: int
    """The weeks (or days) simulated up to the date."""
    p50: int
    p70: int
    p85: int
    p95: int
    distribution: tuple[CountRuns, ...]

    def at(self, share: int) -> int:
        """The count of a percentile (50, 70, 85 or 95)."""
        value: int = getattr(self, f"p{share}")
        return value


@dataclass(frozen=True, slots=True)
class Forecast:
    """A forecast and everything needed to check it: scope, window, sample, runs, seed."""

    as_of: dt.date
    scope: Scope
    sample: ThroughputSample
    runs: int
    seed: int
    horizon: dt.date
    """The last day simulated."""
    remaining_items: int
    remaining_points: float
    unestimated_items: int
    when: When | None
    reason: str
    """Why there is no ``when`` ('' when there is one)."""
    how_many: HowMany | None
    warnings: tuple[str, ...]
    target: dt.date | None

    @property
    def finish_50(self) -> dt.date | None:
        """The 50% date (None without a forecast or beyond the horizon)."""
        return self.when.p50 if self.when else None

    @property
    def finish_85(self) -> dt.date | None:
        """The 85% date (None without a forecast or beyond the horizon)."""
        return self.when.p85 if self.when else None

    @property
    def delay_days(self) -> int | None:
        """Days the 85% date falls after the target (negative: ahead of it)."""
        if self.target is None or self.finish_85 is None:
            return None
        return (self.finish_85 - self.target).days


# --- the window ----------------------------------------------------------------------------


def window_of(flow: Flow, as_of: dt.date, weeks: int) -> tuple[dt.date, dt.date, int]:
    """The window's first Monday, last Sunday and number of weeks (0: no whole week yet).

    The last whole ISO week before ``as_of`` (``as_of``'s own week when it is a Sunday) ends
    the window; it starts ``weeks`` weeks earlier, or at the week of the first item.
    """
    created = min((i.created.date() for i in flow.items if i.created.date() <= as_of), default=None)
    return _window(created, as_of, weeks)


def window_end(as_of: dt.date) -> dt.date:
    """The last day of the window before ``as_of``: the Sunday of the last whole ISO week."""
    return as_of if as_of.weekday() == 6 else week_start(as_of) - dt.timedelta(days=1)


def _window(created: dt.date | None, as_of: dt.date, weeks: int) -> tuple[dt.date, dt.date, int]:
    """:func:`window_of` for a product whose first item was made on ``created``."""
    last = window_end(as_of)
    first = week_start(last) - dt.timedelta(weeks=max(1, weeks) - 1)
    if created is not None and week_start(created) > first:
        first = week_start(created)
    count = max(0, ((last - first).days + 1) // 7) if created is not None else 0
    return first, last, count


def _sample(
    window: tuple[dt.date, dt.date, int], sampling: str, finished: Iterable[dt.date]
) -> ThroughputSample:
    """The sample of a window from the days its items were finished on."""
    start, end, count = window
    if count == 0:
        return ThroughputSample(start, end, 0, sampling, (), ())
    daily = [0] * (7 * count)
    for done in finished:
        day = (done - start).days
        if 0 <= day < len(daily):
            daily[day] += 1
    weekly = tuple(sum(daily[n : n + 7]) for n in range(0, len(daily), 7))
    values = tuple(daily) if sampling == Sampling.DAY else weekly
    return ThroughputSample(start, end, count, sampling, values, weekly)


def throughput_sample(
    flow: Flow,
    as_of: dt.date,
    weeks: int = WINDOW_WEEKS,
    sampling: str = Sampling.WEEK,
) -> ThroughputSample:
    """The throughput of the window before ``as_of``, per week or per day."""
    window = window_of(flow, as_of, weeks)
    start, end, _count = window
    done = (d.date() for _item, d in finished_between(flow, start, end))
    return _sample(window, sampling, done)


# --- the scope -----------------------------------------------------------------------------


def _in_sprint(flow: Flow, sprint_id: int, day: dt.date) -> set[int]:
    """The items in a sprint's scope at the end of ``day``: from its entries when it has any,
    else its current members."""
    entries = [e for e in flow.sprint_entries if e.sprint_id == sprint_id]
    if not entries:
        return {i.id for i in flow.items if i.sprint_id == sprint_id}
    return {
        e.item_id
        for e in entries
        if e.added_at.date() <= day and (e.removed_at is None or e.removed_at.date() > day)
    }


def scope_items(flow: Flow, scope: Scope, as_of: dt.date) -> list[FlowItem]:
    """The live work items of a scope that were unfinished at the end of ``as_of``."""
    open_items = [i for i in flow.items if i.counts and i.live_on(as_of) and unfinished(i, as_of)]
    if scope.kind == ScopeKind.SPRINT and scope.ref is not None:
        members = _in_sprint(flow, scope.ref, as_of)
        return [i for i in open_items if i.id in members]
    if scope.kind == ScopeKind.EPIC:
        return [i for i in open_items if i.epic_id == scope.ref]
    if scope.kind == ScopeKind.RELEASE:
        return [i for i in open_items if i.release_id == scope.ref]
    if scope.kind == ScopeKind.UNTIL:
        ranked = [i.id for i in flow.items]
        if scope.ref not in ranked:
            return []
        above = set(ranked[: ranked.index(scope.ref) + 1])
        return [i for i in open_items if i.id in above]
    return open_items


# --- the runs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Calendar:
    """The simulated periods: their count up to the horizon and the day each one ends."""

    first_end: dt.date
    step: int
    """Days per period (7 or 1)."""
    periods: int
    """Periods up to the horizon."""
    done_already: int
    """Items finished in the first period before it was simulated (week sampling)."""

    def end(self, period: int) -> dt.date:
        """The last day of a period (0 is the first one)."""
        return self.first_end + dt.timedelta(days=self.step * period)


def _calendar(as_of: dt.date, sampling: str, this_week: int) -> _Calendar:
    """The periods simulated after ``as_of``; ``this_week``: items already finished in its
    ISO week (the first period's head start, with week sampling)."""
    if sampling == Sampling.DAY:
        return _Calendar(as_of + dt.timedelta(days=1), 1, 7 * HORIZON_WEEKS, 0)
    if as_of.weekday() == 6:  # the week is over: simulate from the next one
        return _Calendar(as_of + dt.timedelta(days=7), 7, HORIZON_WEEKS, 0)
    return _Calendar(week_end(as_of), 7, HORIZON_WEEKS, this_week)


def _when(runs: Runs, calendar: _Calendar, remaining: int) -> When:
    def date_of(share: int) -> dt.date | None:
        period = runs.finish_period(share / 100)
        return calendar.end(period) if period is not None else None

    distribution = tuple(DateRuns(calendar.end(p), n) for p, n in sorted(runs.finished.items()))
    p50, p70, p85, p95 = (date_of(share) for share in PERCENTILES)
    return When(remaining, p50, p70, p85, p95, runs.beyond_horizon, distribution)


def _periods_by(calendar: _Calendar, by: dt.date) -> int:
    """How many simulated periods end by ``by``."""
    if by < calendar.first_end:
        return 0
    return min(calendar.periods, (by - calendar.first_end).days // calendar.step + 1)


def _how_many(runs: Runs, by: dt.date, periods: int, cap: int) -> HowMany:
    counts = [min(cap, n) for n in runs.counts] if periods else [0] * runs.runs
    p50, p70, p85, p95 = (int(percentile(counts, share / 100)) for share in PERCENTILES)
    distribution = tuple(CountRuns(n, r) for n, r in sorted(Counter(counts).items()))
    return HowMany(by, periods, p50, p70, p85, p95, distribution)


def _warnings(sample: ThroughputSample, window_weeks: int, when: When | None) -> list[str]:
    warnings = []
    if 0 < sample.weeks < window_weeks:
        warnings.append(
            f"The product's history covers only {plural(sample.weeks, 'whole week')} of the "
            f"{window_weeks} asked for."
        )
    if sample.weekly and not any(sample.weekly):
        warnings.append("No item was finished in the window: there is no throughput to draw.")
    elif sample.weeks and sample.weeks_with_data < THIN_WEEKS:
        warnings.append(
            f"Only {plural(sample.weeks_with_data, 'week')} of the window had finished work "
            f"(fewer than {THIN_WEEKS}): the sample is thin."
        )
    if len(sample.weekly) > 1 and sample.mean_per_week > 0:
        variation = statistics.pstdev(sample.weekly) / sample.mean_per_week
        if variation > UNSTABLE_VARIATION:
            warnings.append(
                f"Throughput varies a lot from week to week (standard deviation "
                f"{variation:.1f} times the mean): expect wide ranges."
            )
    if when is not None and when.beyond_horizon:
        warnings.append(
            f"{plural(when.beyond_horizon, 'run')} did not finish within the horizon "
            f"({HORIZON_WEEKS // 52} years)."
        )
    return warnings


NO_WORK_ITEMS = "There are no work items yet: add some to the backlog for a forecast."


def _any_work(flow: Flow, as_of: dt.date) -> bool:
    """Whether the product held any live work item (done or not) at the end of ``as_of``."""
    return any(i.counts and i.live_on(as_of) for i in flow.items)


@dataclass(frozen=True, slots=True)
class Work:
    """A scope's open work at the forecast's day: what its runs must finish."""

    items: int
    points: float = 0.0
    unestimated: int = 0
    """Open items without story points."""


Asked = tuple[Scope, dt.date | None]
"""A scope to forecast and the target it is measured against (None: no target)."""


def forecast(
    flow: Flow,
    as_of: dt.date,
    *,
    scope: Scope = BACKLOG,
    by: dt.date | None = None,
    target: dt.date | None = None,
    window_weeks: int = WINDOW_WEEKS,
    sampling: str = Sampling.WEEK,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> Forecast:
    """Forecast, as of the end of ``as_of``, when a scope's items will be done (and, with
    ``by``, how many of them by that date), from the throughput of the window before it.

    Without a whole week of history, or when nothing was finished in the window, ``when``
    is None and ``reason`` says why; the remaining figures are still given.
    """
    return forecasts(
        flow,
        as_of,
        [(scope, target)],
        by=by,
        window_weeks=window_weeks,
        sampling=sampling,
        runs=runs,
        seed=seed,
    )[0]


def forecasts(
    flow: Flow,
    as_of: dt.date,
    asked: Sequence[Asked],
    *,
    by: dt.date | None = None,
    window_weeks: int = WINDOW_WEEKS,
    sampling: str = Sampling.WEEK,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> list[Forecast]:
    """:func:`forecast` for several scopes of one product from one simulation: the same
    sample answers "when are N items done" for any N, so each scope's runs are exactly those
    a forecast of it alone makes."""
    sample = throughput_sample(flow, as_of, window_weeks, sampling)
    this_week = 0
    if sampling == Sampling.WEEK and as_of.weekday() != 6:
        this_week = len(finished_between(flow, week_start(as_of), as_of))
    work = []
    for scope, _target in asked:
        if scope.kind == ScopeKind.ITEMS:
            work.append(Work(max(0, scope.count or 0)))
            continue
        items = scope_items(flow, scope, as_of)
        unestimated = sum(1 for i in items if i.points is None)
        work.append(Work(len(items), points_of(items), unestimated))
    settings = _Settings(as_of, by, window_weeks, sampling, runs, seed)
    return _forecasts(settings, sample, this_week, asked, work, lambda: _any_work(flow, as_of))


@dataclass(frozen=True, slots=True)
class _Settings:
    as_of: dt.date
    by: dt.date | None
    window_weeks: int
    sampling: str
    runs: int
    seed: int


def _forecasts(
    settings: _Settings,
    sample: ThroughputSample,
    this_week: int,
    asked: Sequence[Asked],
    work: Sequence[Work],
    any_work: Callable[[], bool],
) -> list[Forecast]:
    """Each scope's forecast from one sample and one simulation of every scope's items."""
    as_of, by = settings.as_of, settings.by
    calendar = _calendar(as_of, settings.sampling, this_week)
    no_sample = ""
    if sample.weeks == 0:
        no_sample = "Not one whole ISO week of history before the forecast's day."
    elif not any(sample.values):
        no_sample = f"No item was finished in the {plural(sample.weeks, 'week')} of the window."
    count_periods = _periods_by(calendar, by) if by is not None else 0
    targets = sorted({w.items for w in work if w.items > 0}) if not no_sample else []
    simulated = dict(
        zip(
            targets,
            simulate_targets(
                sample.values,
                targets,
                settings.runs,
                settings.seed,
                calendar.periods,
                calendar.done_already,
                count_periods,
            ),
            strict=True,
        )
        if targets
        else ()
    )
    result = []
    for (scope, target), open_work in zip(asked, work, strict=True):
        remaining = open_work.items
        reason = no_sample
        when: When | None = None
        how_many: HowMany | None = None
        if remaining == 0 and scope.kind == ScopeKind.BACKLOG and not any_work():
            reason = NO_WORK_ITEMS  # nothing to be done, nor done: no date to give
        elif remaining == 0:
            when = When(0, as_of, as_of, as_of, as_of, 0, ())
            how_many = HowMany(by, 0, 0, 0, 0, 0, ()) if by is not None else None
            reason = ""
        elif not reason:
            runs = simulated[remaining]
            when = _when(runs, calendar, remaining)
            if by is not None:
                how_many = _how_many(runs, by, count_periods, remaining)
        result.append(
            Forecast(
                as_of=as_of,
                scope=scope,
                sample=sample,
                runs=settings.runs,
                seed=settings.seed,
                horizon=calendar.end(calendar.periods - 1),
                remaining_items=remaining,
                remaining_points=open_work.points,
                unestimated_items=open_work.unestimated,
                when=when,
                reason=reason,
                how_many=how_many,
                warnings=tuple(_warnings(sample, settings.window_weeks, when)),
                target=target,
            )
        )
    return result


# --- the forecast's inputs read without the flow -------------------------------------------


@dataclass(frozen=True, slots=True)
class ReleaseWork:
    """A release's open work items (release None: items in no release)."""

    release_id: int | None
    work: Work


@dataclass(frozen=True, slots=True)
class Pace:
    """What the backlog's and the releases' forecasts need of a product's history, as of the
    end of ``as_of``: the days its work items were finished on, and its open work by release.

    The services read it aggregated in SQL (``kanban.services.figures.read_pace``) instead of
    replaying every move of the flow; its forecasts are those of the flow's.
    """

    as_of: dt.date
    first_created: dt.date | None
    """The day the product's first item was made (up to ``as_of``)."""
    finished: tuple[dt.date, ...]
    """The day each work item done at the end of the window's last day (:func:`window_end`)
    had entered 'done' (its last run of 'done' moves), for those from ``finished_since`` on."""
    finished_since: dt.date
    recent: tuple[dt.date, ...]
    """The same as of the end of ``as_of``, for those from ``recent_since`` on."""
    recent_since: dt.date
    open_work: tuple[ReleaseWork, ...]
    any_work: bool
    """Whether the product held any live work item (done or not) at the end of ``as_of``."""

    def finished_from(self, first: dt.date) -> int:
        """Work items done at the end of ``as_of`` that entered 'done' from ``first`` on."""
        if first < self.recent_since:
            raise ValueError(f"Finished items are known from {self.recent_since} on")
        return sum(1 for day in self.recent if day >= first)


def pace_forecasts(
    pace: Pace,
    asked: Sequence[Asked],
    *,
    window_weeks: int = WINDOW_WEEKS,
    sampling: str = Sampling.WEEK,
    runs: int = FORECAST_RUNS,
    seed: int = FORECAST_SEED,
) -> list[Forecast]:
    """:func:`forecasts` of the backlog, releases or a number of items, from a :class:`Pace`."""
    window = _window(pace.first_created, pace.as_of, window_weeks)
    if window[2] and window[0] < pace.finished_since:
        raise ValueError(f"The window starts {window[0]}, the pace on {pace.finished_since}")
    sample = _sample(window, sampling, pace.finished)
    this_week = 0
    if sampling == Sampling.WEEK and pace.as_of.weekday() != 6:
        this_week = pace.finished_from(week_start(pace.as_of))
    work = []
    for scope, _target in asked:
        if scope.kind == ScopeKind.ITEMS:
            work.append(Work(max(0, scope.count or 0)))
        elif scope.kind == ScopeKind.BACKLOG:
            every = [r.work for r in pace.open_work]
            work.append(
                Work(
                    sum(w.items for w in every),
                    float(sum(w.points for w in every)),
                    sum(w.unestimated for w in every),
                )
            )
        elif scope.kind == ScopeKind.RELEASE:
            found = [r.work for r in pace.open_work if r.release_id == scope.ref]
            work.append(found[0] if found else Work(0))
        else:
            raise ValueError(f"A pace forecasts no {scope.kind} scope: read the flow")
    settings = _Settings(pace.as_of, None, window_weeks, sampling, runs, seed)
    return _forecasts(settings, sample, this_week, asked, work, lambda: pace.any_work)

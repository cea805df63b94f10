"""The chart data: cumulative flow, burn charts with scope changes, cycle time, throughput,
aging and the forecast histogram, on generated histories."""

from __future__ import annotations

import datetime as dt

from generated import COLUMNS, ORIGIN, flow_of, item, weekly

from kanban.domain import Category, SprintState
from kanban.metrics import charts
from kanban.metrics.flow import cumulative_flow
from kanban.metrics.forecast import forecast
from kanban.metrics.records import Flow, FlowColumn, FlowItem, FlowSprint, SprintEntry

MONDAY = dt.date(2024, 3, 4)


def changed(item: FlowItem, **fields: object) -> FlowItem:
    """A copy of an item with some fields changed."""
    return item._replace(**fields)


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour))


def test_an_archived_unfinished_item_counts_until_the_day_it_was_archived() -> None:
    dropped = changed(
        item(1, [(at(0), Category.BACKLOG), (at(2), Category.DOING)]),
        archived=True,
        archived_at=at(5),
    )
    kept = item(2, [(at(0), Category.BACKLOG), (at(3), Category.DONE)])
    flow = Flow(1, "GEN", (dropped, kept), (), COLUMNS)
    days = {d.day: d.counts for d in cumulative_flow(flow, MONDAY, MONDAY + dt.timedelta(days=7))}
    assert days[MONDAY] == (2, 0, 0, 0)
    assert days[MONDAY + dt.timedelta(days=2)] == (1, 0, 1, 0)
    assert days[MONDAY + dt.timedelta(days=4)] == (0, 0, 1, 1)  # still there the day before
    assert days[MONDAY + dt.timedelta(days=5)] == (0, 0, 0, 1)  # gone from the day it left
    # A range that starts after it left never shows it; one before it, always.
    later = cumulative_flow(flow, MONDAY + dt.timedelta(days=6), MONDAY + dt.timedelta(days=7))
    assert [d.counts for d in later] == [(0, 0, 0, 1)] * 2
    archived_done = changed(kept, archived=True, archived_at=at(4))
    flow = Flow(1, "GEN", (archived_done,), (), COLUMNS)
    assert cumulative_flow(flow, MONDAY, MONDAY + dt.timedelta(days=9))[-1].counts == (0, 0, 0, 1)


def test_cycle_time_scatter_with_nearest_rank_lines() -> None:
    history = {MONDAY + dt.timedelta(days=n): 1 for n in range(10)}
    items = [
        changed(
            i,
            started=i.done - dt.timedelta(days=n + 1),  # cycle times 1..10 days
            moves=(
                i.moves[0],
                i.moves[1]._replace(at=i.done - dt.timedelta(days=n + 1)),
                i.moves[2],
            ),
        )
        for n, i in enumerate(flow_of(history, 0).items)
    ]
    flow = Flow(1, "GEN", tuple(items), (), COLUMNS)
    chart = charts.cycle_time_chart(flow, MONDAY, MONDAY + dt.timedelta(days=20))
    assert [p.days for p in chart.points] == [float(n) for n in range(1, 11)]
    assert (chart.p50, chart.p85, chart.p95) == (5.0, 9.0, 10.0)  # 5th, 9th, 10th of 10


def test_throughput_per_iso_week_labels_and_empty_weeks() -> None:
    flow = flow_of(weekly([2, 0, 3], dt.date(2024, 3, 24)), 0)
    chart = charts.throughput_chart(flow, dt.date(2024, 3, 4), dt.date(2024, 3, 24))
    assert [(w.label, w.items) for w in chart.weeks] == [
        ("2024-W10", 2),
        ("2024-W11", 0),
        ("2024-W12", 3),
    ]
    assert all(w.week_start.weekday() == 0 for w in chart.weeks)


def test_aging_per_doing_column_against_the_cycle_time_bands() -> None:
    columns = (*COLUMNS, FlowColumn(5, "Review", Category.DOING, 5))
    review = item(1, [(at(0), Category.BACKLOG), (at(1), Category.DOING)])
    moved = review.moves[1]._replace(at=at(3), column_id=5)  # In Progress, then Review
    review = changed(review, moves=(*review.moves, moved), column_id=5, settled=at(3).date())
    building = item(2, [(at(0), Category.BACKLOG), (at(6), Category.DOING)])
    finished = flow_of({MONDAY + dt.timedelta(days=n): 1 for n in range(4)}, 0, cycle_days=3)
    flow = Flow(1, "GEN", (review, building, *(changed(i, id=10 + i.id,
                key=f"GEN-{10 + i.id}") for i in finished.items)), (), columns)  # fmt: skip
    chart = charts.aging_chart(flow, MONDAY + dt.timedelta(days=8))
    assert [(c.name, [(p.key, p.age_days) for p in c.items]) for c in chart.columns] == [
        ("In Progress", [("GEN-2", 2)]),
        ("Review", [("GEN-1", 7)]),
    ]
    assert (chart.p50, chart.p85, chart.p95) == (3.0, 3.0, 3.0)


def test_burnup_shows_scope_changes_from_the_sprint_entries() -> None:
    sprint = FlowSprint(7, "S7", "", MONDAY, MONDAY + dt.timedelta(days=9), SprintState.ACTIVE)
    a = changed(item(1, [(at(0), Category.BACKLOG), (at(2), Category.DONE)], points=3), sprint_id=7)
    b = changed(item(2, [(at(0), Category.BACKLOG)], points=5), sprint_id=7)
    c = changed(item(3, [(at(0), Category.BACKLOG)], points=2), sprint_id=7)
    entries = (
        SprintEntry(7, 1, at(0, 8), None),
        SprintEntry(7, 2, at(0, 8), at(3)),  # taken out on day 3
        SprintEntry(7, 3, at(2), None),  # came in on day 2
    )
    flow = Flow(1, "GEN", (a, b, c), (sprint,), COLUMNS, entries)
    burn = charts.sprint_burn_chart(flow, 7, MONDAY + dt.timedelta(days=4))
    assert burn.source == "entries"
    assert (burn.committed_points, burn.committed_items) == (8.0, 2)
    assert [(d.scope_points, d.done_points, d.remaining_points) for d in burn.days] == [
        (8.0, 0.0, 8.0),
        (8.0, 0.0, 8.0),
        (10.0, 3.0, 7.0),
        (5.0, 3.0, 2.0),
        (5.0, 3.0, 2.0),
    ]
    assert [(ch.day.day, ch.key, ch.added) for ch in burn.changes] == [
        (6, "GEN-3", True),
        (7, "GEN-2", False),
    ]


def test_a_closed_sprints_last_day_keeps_the_work_its_closing_carried_over() -> None:
    """The closing ends the unfinished items' entries (they go on to the next sprint or the
    backlog): on the burndown's last day they are still the work left undone, not gone."""
    end = MONDAY + dt.timedelta(days=4)  # closed early, on day 4: its end became that day
    sprint = FlowSprint(7, "S7", "", MONDAY, end, SprintState.CLOSED)
    done = changed(
        item(1, [(at(0), Category.BACKLOG), (at(2), Category.DONE)], points=3), sprint_id=7
    )
    left = changed(item(2, [(at(0), Category.BACKLOG), (at(1), Category.DOING)], points=5))
    out = changed(item(3, [(at(0), Category.BACKLOG)], points=2))
    entries = (
        SprintEntry(7, 1, at(0, 8), None),
        SprintEntry(7, 2, at(0, 8), at(4, 17)),  # carried over by the closing, day 4
        SprintEntry(7, 3, at(0, 8), at(2)),  # taken out on day 2, long before the closing
    )
    flow = Flow(1, "GEN", (done, left, out), (sprint,), COLUMNS, entries)
    burn = charts.sprint_burn_chart(flow, 7, end + dt.timedelta(days=10))
    assert [(d.scope_points, d.remaining_points) for d in burn.days] == [
        (10.0, 10.0), (10.0, 10.0), (8.0, 5.0), (8.0, 5.0), (8.0, 5.0),
    ]  # fmt: skip
    assert [(ch.day.day, ch.key, ch.added) for ch in burn.changes] == [(6, "GEN-3", False)]


def test_the_forecast_histogram_has_the_percentile_markers() -> None:
    flow = flow_of(weekly([1, 3, 2, 4, 0, 3, 2, 5, 1, 2, 3, 4], dt.date(2024, 6, 30)), 40)
    fc = forecast(flow, dt.date(2024, 6, 30), runs=1000)
    chart = charts.forecast_chart(fc)
    assert sum(bar.runs for bar in chart.bars) == 1000
    assert [m.percentile for m in chart.markers] == [50, 70, 85, 95]
    assert chart.markers[2].date == fc.finish_85
    assert "1,000 runs (seed 20240101)" in chart.caption and chart.reason == ""
    empty = charts.forecast_chart(forecast(flow_of({}, 3), dt.date(2024, 6, 30)))
    assert empty.bars == () and empty.reason


def test_a_forecast_held_against_a_target_counts_the_runs_done_by_then() -> None:
    flow = flow_of(weekly([1, 3, 2, 4, 0, 3, 2, 5, 1, 2, 3, 4], dt.date(2024, 6, 30)), 40)
    fc = forecast(flow, dt.date(2024, 6, 30), runs=1000, target=dt.date(2024, 10, 1))
    chart = charts.forecast_chart(fc)
    assert chart.target == dt.date(2024, 10, 1)
    assert chart.by_target == sum(b.runs for b in chart.bars if b.date <= chart.target)
    assert fc.finish_50 is not None and fc.finish_85 is not None
    assert (chart.by_target >= 500) == (fc.finish_50 <= chart.target)
    assert (chart.by_target >= 850) == (fc.finish_85 <= chart.target)
    assert charts.forecast_chart(forecast(flow, dt.date(2024, 6, 30), runs=1000)).target is None


def test_every_chart_survives_an_empty_product() -> None:
    flow = Flow(1, "GEN", (), (), COLUMNS)
    day = dt.date(2024, 6, 30)
    start, end = charts.default_range(day)
    assert start.weekday() == 0 and (end - start).days == 12 * 7 - 1
    assert charts.cumulative_flow_chart(flow, start, end).days[-1].counts == (0, 0, 0, 0)
    assert charts.cycle_time_chart(flow, start, end).points == ()
    assert len(charts.throughput_chart(flow, start, end).weeks) == 12
    assert charts.aging_chart(flow, day).p85 is None
    assert ORIGIN.weekday() == 0


def test_the_default_range_starts_with_a_young_products_first_item() -> None:
    young = item(1, [(at(2), Category.BACKLOG), (at(4), Category.DONE)])
    day = MONDAY + dt.timedelta(days=9)
    flow = Flow(1, "GEN", (young, item(2, [(at(5), Category.BACKLOG)])), (), COLUMNS)
    assert charts.first_day(flow) == at(2).date()
    assert charts.flow_range(flow, day) == (at(2).date(), day)
    assert charts.cumulative_flow_chart(flow, *charts.flow_range(flow, day)).days[0].counts == (
        1, 0, 0, 0,
    )  # fmt: skip
    # An old product keeps the twelve weeks; an empty one (or one born later) too.
    old = Flow(1, "GEN", (changed(young, created=at(-200)),), (), COLUMNS)
    assert charts.flow_range(old, day) == charts.default_range(day)
    empty = Flow(1, "GEN", (), (), COLUMNS)
    assert charts.flow_range(empty, day) == charts.default_range(day)
    assert charts.flow_range(flow, MONDAY) == charts.default_range(MONDAY)

"""Each chart from records whose answer is known: its series, axes, hover texts, empty state."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QAreaSeries,
    QBarSeries,
    QCategoryAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt

from kanban.charts.base import DayScale, KanbanChart, _ticks, nice_step, plain
from kanban.charts.flow import cumulative_flow_chart
from kanban.charts.palette import DARK, LIGHT
from kanban.charts.sprint import burndown_chart, burnup_chart
from kanban.charts.weekly import throughput_chart
from kanban.metrics import CATEGORIES, DataQuality, FlowDay, FlowSprint
from kanban.metrics.charts import CumulativeFlowChart, ThroughputChart, ThroughputWeek
from kanban.metrics.sprints import BurnDay, ScopeChange, ScopeSource, SprintBurn

MONDAY = dt.date(2026, 3, 2)


def days(*counts: tuple[int, int, int, int]) -> CumulativeFlowChart:
    flow_days = tuple(FlowDay(MONDAY + dt.timedelta(days=n), c) for n, c in enumerate(counts))
    end = MONDAY + dt.timedelta(days=max(0, len(counts) - 1))
    return CumulativeFlowChart(MONDAY, end, CATEGORIES, flow_days, DataQuality(0))


def weeks(*counts: int) -> ThroughputChart:
    mondays = [MONDAY + dt.timedelta(weeks=n) for n in range(len(counts))]
    rows = tuple(ThroughputWeek("", m, c, 2.5 * c) for m, c in zip(mondays, counts, strict=True))
    return ThroughputChart(rows, DataQuality(0))


def value_range(chart: KanbanChart, orientation: Qt.Orientation) -> tuple[float, float]:
    axis = chart.axes(orientation)[0]
    assert isinstance(axis, QValueAxis | QCategoryAxis)
    return axis.min(), axis.max()


def test_cumulative_flow_stacks_done_at_the_bottom_and_the_backlog_on_top() -> None:
    chart = cumulative_flow_chart(days((5, 1, 0, 0), (4, 1, 1, 0), (3, 1, 1, 2)), LIGHT)
    areas = chart.series_of(QAreaSeries)
    assert [a.name() for a in areas] == ["Done", "In progress", "To do", "Backlog"]
    tops = [[p.y() for p in a.upperSeries().points()] for a in areas]  # type: ignore[attr-defined]
    assert tops == [[0, 0, 2], [0, 1, 3], [1, 2, 4], [6, 6, 7]]
    bottoms = [[p.y() for p in a.lowerSeries().points()] for a in areas]  # type: ignore[attr-defined]
    assert bottoms[0] == [0, 0, 0] and bottoms[1:] == tops[:-1]
    assert value_range(chart, Qt.Orientation.Horizontal) == (0, 2)
    assert chart.axes(Qt.Orientation.Horizontal)[0].titleText() == "2026"  # the labels' year
    low, high = value_range(chart, Qt.Orientation.Vertical)
    assert low == 0 and 7 < high <= 10
    assert chart.empty_message is None


def test_cumulative_flow_hover_lists_the_day_nearest_the_pointer() -> None:
    chart = cumulative_flow_chart(days((5, 1, 0, 0), (4, 1, 1, 0), (3, 1, 1, 2)), LIGHT)
    _series, hover = chart.xy_hovers[0]
    assert hover(QPointF(1.8, 3)) == (
        "2026-03-04\nDone: 2\nIn progress: 1\nTo do: 1\nBacklog: 3\nTotal: 7"
    )


def test_a_single_day_is_a_band_across_the_day_not_an_invisible_point() -> None:
    chart = cumulative_flow_chart(days((2, 0, 1, 0)), LIGHT)  # a product born today
    areas = chart.series_of(QAreaSeries)
    tops = [[(p.x(), p.y()) for p in a.upperSeries().points()] for a in areas]  # type: ignore[attr-defined]
    assert tops == [[(0, 0), (1, 0)], [(0, 1), (1, 1)], [(0, 1), (1, 1)], [(0, 3), (1, 3)]]
    assert value_range(chart, Qt.Orientation.Horizontal) == (0, 1)
    _series, hover = chart.xy_hovers[0]
    assert hover(QPointF(0.9, 1)).startswith("2026-03-02\n")


def test_an_empty_range_says_so_instead_of_an_empty_plot() -> None:
    for records in (days(), days((0, 0, 0, 0), (0, 0, 0, 0))):
        chart = cumulative_flow_chart(records, DARK)
        assert chart.series() == [] and chart.axes() == []
        assert chart.empty_message == "No work items in this range yet"
    assert throughput_chart(weeks(0), LIGHT).empty_message == (
        "No work item finished in these weeks yet"
    )


def test_throughput_draws_one_bar_per_iso_week() -> None:
    chart = throughput_chart(weeks(0, 1, 2, 3), LIGHT)
    (series,) = chart.series_of(QBarSeries)
    assert isinstance(series, QBarSeries)
    bars = series.barSets()[0]
    assert [bars.at(n) for n in range(bars.count())] == [0, 1, 2, 3]
    assert chart.axes(Qt.Orientation.Horizontal)[0].categoriesLabels() == [  # type: ignore[attr-defined]
        "2 Mar", "9 Mar", "16 Mar", "23 Mar",
    ]  # fmt: skip
    _series, hover = chart.bar_hovers[0]
    assert hover(2, bars) == (
        "Week 12 of 2026: 2026-03-16 to 2026-03-22\n2 items finished, 5 points"
    )


def sprint(name: str = "Sprint 7") -> FlowSprint:
    return FlowSprint(7, name, "", MONDAY, MONDAY + dt.timedelta(days=13), "active")


def burn(*days: tuple[float, int, float, int], changes: tuple[ScopeChange, ...] = ()) -> SprintBurn:
    """A sprint burned from (scope points, scope items, done points, done items) per day."""
    rows = tuple(
        BurnDay(MONDAY + dt.timedelta(days=n), sp, si, dp, di, 0.0, 0.0)
        for n, (sp, si, dp, di) in enumerate(days)
    )
    first = days[0] if days else (0.0, 0, 0.0, 0)
    return SprintBurn(sprint(), first[0], first[1], rows, changes, ScopeSource.ENTRIES)


SCOPE_CREEP = ScopeChange(MONDAY + dt.timedelta(days=2), "WEB-9", "<b>Late</b> ask", 3.0, True)
FOUR_DAYS = ((20.0, 5, 0.0, 0), (20.0, 5, 0.0, 0), (23.0, 6, 11.0, 3), (23.0, 6, 13.5, 4))


def test_burndown_draws_the_ideal_line_over_the_whole_sprint_and_the_days_so_far() -> None:
    record = burn(*FOUR_DAYS, changes=(SCOPE_CREEP,))
    chart = burndown_chart(record, LIGHT)
    ideal, remaining = chart.series_of(QLineSeries)[:2]
    assert [(p.x(), p.y()) for p in ideal.points()] == [(0, 20), (13, 0)]  # type: ignore[attr-defined]
    assert [p.y() for p in remaining.points()] == [20, 20, 12, 9.5]  # type: ignore[attr-defined]
    assert chart.title() == "Burndown of Sprint 7 (points)"
    items = burndown_chart(record, LIGHT, "items")
    assert [p.y() for p in items.series_of(QLineSeries)[1].points()] == [5, 5, 3, 2]  # type: ignore[attr-defined]
    hover = chart.xy_hovers[1][1]
    assert hover(QPointF(2.2, 11)) == (
        "2026-03-04: 11 of 23 points and 3 of 6 items done; 12 points left"
    )


def test_a_scope_change_is_marked_on_the_line_with_what_came_in() -> None:
    record = burn(*FOUR_DAYS, changes=(SCOPE_CREEP,))
    for chart, height in ((burndown_chart(record, DARK), 12), (burnup_chart(record, DARK), 23)):
        (marks,) = chart.series_of(QScatterSeries)
        assert marks.name() == "1 item added"
        assert [(p.x(), p.y()) for p in marks.points()] == [(2, height)]  # type: ignore[attr-defined]
        hover = chart.xy_hovers[-1][1]
        assert (
            hover(QPointF(2, 0))
            == "2026-03-04: the scope changed\n+ WEB-9 <b>Late</b> ask (3 points)"
        )


def test_burnup_steps_the_scope_and_climbs_with_the_work_done() -> None:
    chart = burnup_chart(burn(*FOUR_DAYS), LIGHT)
    ideal, scope, done = chart.series_of(QLineSeries)
    assert [s.name() for s in (ideal, scope, done)] == ["Ideal", "Scope (points)", "Done (points)"]
    assert [(p.x(), p.y()) for p in scope.points()] == [(0, 20), (1, 20), (2, 20), (2, 23), (3, 23)]  # type: ignore[attr-defined]
    assert [p.y() for p in done.points()] == [0, 0, 11, 13.5]  # type: ignore[attr-defined]
    assert [(p.x(), p.y()) for p in ideal.points()] == [(0, 0), (13, 20)]  # type: ignore[attr-defined]


def test_a_sprint_without_scope_or_dates_says_so() -> None:
    assert burndown_chart(burn(), LIGHT).empty_message == "Nothing is planned into Sprint 7 yet"
    undated = SprintBurn(
        FlowSprint(7, "Later", "", None, None, "planned"), 3.0, 1, (), (), ScopeSource.ENTRIES
    )
    assert burnup_chart(undated, LIGHT).empty_message == (
        "This sprint has no start and end dates yet"
    )


def test_user_text_reaches_a_chart_escaped() -> None:
    record = SprintBurn(sprint("<b>Q3</b> & <img src=x>"), 0.0, 0, (), (), ScopeSource.ENTRIES)
    chart = burndown_chart(record, LIGHT)
    assert chart.title() == "Burndown of &lt;b&gt;Q3&lt;/b&gt; &amp; &lt;img src=x&gt; (points)"
    assert plain("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_day_axes_label_days_mondays_months_or_quarters_by_span() -> None:
    def labels(start: dt.date, span: int, most: int = 10) -> list[str]:
        return [label for _day, label in _ticks(start, start + dt.timedelta(days=span), most)]

    assert labels(MONDAY, 3) == ["2 Mar", "3 Mar", "4 Mar", "5 Mar"]
    assert labels(MONDAY, 13)[:3] == ["2 Mar", "4 Mar", "6 Mar"]
    assert labels(MONDAY - dt.timedelta(days=2), 20) == ["2 Mar", "9 Mar", "16 Mar"]
    assert labels(MONDAY, 50, most=4) == ["2 Mar", "16 Mar", "30 Mar", "13 Apr"]
    assert _ticks(MONDAY, MONDAY + dt.timedelta(days=1), 9, every_year=True)[1][1] == "3 Mar 2026"
    assert labels(dt.date(2026, 11, 15), 100, most=4) == ["Dec 2026", "Jan 2027", "Feb"]
    assert labels(dt.date(2026, 1, 1), 800)[:3] == ["Jan 2026", "Apr 2026", "Jul 2026"]
    assert labels(dt.date(2026, 1, 1), 3000) == [f"Jan {year}" for year in range(2026, 2035)]
    scale = DayScale(MONDAY)
    assert scale.x(MONDAY + dt.timedelta(days=9)) == 9 and scale.day(8.6) == dt.date(2026, 3, 11)


def test_value_axes_end_on_a_round_tick_above_the_peak() -> None:
    assert [nice_step(top) for top in (3, 7, 36, 420)] == [1, 2, 10, 100]
    assert nice_step(0.9, integer=False) == 0.2

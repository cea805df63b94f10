"""Cycle-time scatter, aging, forecast histogram and target history from known records."""

from __future__ import annotations

import datetime as dt

from pictures import blended, coloured, svg_texts
from PySide6.QtCharts import QAreaSeries, QBarSeries, QLineSeries, QScatterSeries
from PySide6.QtCore import QPointF, QSize, Qt

from kanban.charts.cycle import aging_chart, cycle_time_chart
from kanban.charts.forecast import forecast_chart, target_history_chart
from kanban.charts.palette import DARK, LIGHT
from kanban.charts.render import png_image, svg_bytes
from kanban.metrics import DataQuality
from kanban.metrics.charts import (
    AgingChart,
    AgingColumn,
    AgingPoint,
    CyclePoint,
    CycleTimeChart,
    ForecastChart,
    PercentileMark,
)
from kanban.metrics.forecast import DateRuns
from kanban.metrics.history import DateHistoryRow, RowKind

OK = DataQuality(0)

START = dt.date(2026, 3, 2)
END = dt.date(2026, 3, 29)


def xy(series: object) -> list[tuple[float, float]]:
    return [(p.x(), p.y()) for p in series.points()]  # type: ignore[attr-defined]


def cycle_times() -> CycleTimeChart:
    points = tuple(
        CyclePoint(f"WEB-{n}", f"Item {n}", START + dt.timedelta(days=n), float(n % 5 + 1))
        for n in range(10)
    )
    return CycleTimeChart(START, END, points, 3.0, 5.0, 5.0, OK)


def test_the_cycle_time_scatter_has_a_dot_per_item_and_a_line_per_percentile() -> None:
    chart = cycle_time_chart(cycle_times(), LIGHT)
    (dots,) = chart.series_of(QScatterSeries)
    assert xy(dots)[:3] == [(0, 1), (1, 2), (2, 3)]
    lines = [s for s in chart.series_of(QLineSeries) if not isinstance(s, QScatterSeries)]
    assert [s.name() for s in lines] == ["50%: 3 days", "85%: 5 days", "95%: 5 days"]
    assert xy(lines[1]) == [(0, 5), (27, 5)]
    _series, hover = chart.xy_hovers[0]
    assert hover(QPointF(3.1, 3.9)) == "WEB-3 Item 3\ndone 2026-03-05 after 4 days"
    empty = CycleTimeChart(START, END, (), None, None, None, OK)
    assert cycle_time_chart(empty, DARK).empty_message == "No work item finished in this range yet"


def aging() -> AgingChart:
    doing = AgingColumn(
        1, "In progress", tuple(AgingPoint(f"WEB-{n}", "<b>bold</b>", END, n) for n in (1, 4, 9))
    )
    review = AgingColumn(2, "Review", (AgingPoint("WEB-9", "Last", END, 2),))
    return AgingChart(END, (doing, review, AgingColumn(3, "Review", ())), 2.0, 5.0, 8.0, OK)


def test_aging_puts_each_column_on_the_axis_and_the_percentiles_as_four_bands() -> None:
    chart = aging_chart(aging(), LIGHT)
    bands = chart.series_of(QAreaSeries)
    assert [b.name() for b in bands] == [
        "under p50 (0–2 days)", "p50 to p85 (2–5 days)", "p85 to p95 (5–8 days)",
        "over p95 (over 8 days)",
    ]  # fmt: skip
    tops = [xy(b.upperSeries())[0][1] for b in bands]  # type: ignore[attr-defined]
    assert tops[:3] == [2, 5, 8] and tops[3] == chart.axes(Qt.Orientation.Vertical)[0].max()  # type: ignore[attr-defined]
    (dots,) = chart.series_of(QScatterSeries)
    assert [round(x) for x, _y in xy(dots)] == [0, 0, 0, 1]
    assert [y for _x, y in xy(dots)] == [1, 4, 9, 2]
    labels = chart.axes(Qt.Orientation.Horizontal)[0].categoriesLabels()  # type: ignore[attr-defined]
    assert [label.rstrip("\u200b") for label in labels] == ["In progress", "Review", "Review"]
    assert len(set(labels)) == 3  # two columns of one name both keep their place
    hover = chart.xy_hovers[-1][1]
    assert (
        hover(QPointF(0, 9.2))
        == "WEB-9 <b>bold</b>\nIn progress: 9 days in progress, since 2026-03-29"
    )


def test_aging_without_work_in_progress_says_so() -> None:
    nothing = AgingChart(END, (AgingColumn(1, "Doing", ()),), None, None, None, OK)
    assert aging_chart(nothing, LIGHT).empty_message == "Nothing was in progress on 2026-03-29"
    no_columns = AgingChart(END, (), None, None, None, OK)
    assert aging_chart(no_columns, LIGHT).empty_message == (
        "No column of this board holds work in progress"
    )
    unbanded = AgingChart(
        END, (AgingColumn(1, "Doing", (AgingPoint("W-1", "t", END, 3),)),), None, None, None, OK
    )
    assert aging_chart(unbanded, LIGHT).series_of(QAreaSeries) == []


def histogram() -> ForecastChart:
    sundays = [dt.date(2026, 4, 5) + dt.timedelta(weeks=n) for n in range(5)]
    bars = tuple(
        DateRuns(day, runs) for day, runs in zip(sundays, (10, 40, 30, 15, 3), strict=True)
    )
    marks = tuple(
        PercentileMark(p, d)
        for p, d in ((50, sundays[1]), (70, sundays[2]), (85, sundays[2]), (95, None))
    )
    return ForecastChart(END, bars, 2, 100, marks, "the backlog: 9 items; <i>caption</i>", "")


def test_the_forecast_histogram_has_a_bar_per_date_and_a_marker_per_percentile() -> None:
    chart = forecast_chart(histogram(), LIGHT)
    (bars,) = chart.series_of(QBarSeries)
    values = bars.barSets()[0]  # type: ignore[attr-defined]
    assert [values.at(n) for n in range(values.count())] == [10, 40, 30, 15, 3]
    markers = chart.series_of(QLineSeries)
    assert [m.name() for m in markers] == ["50%: 2026-04-12", "70% and 85%: 2026-04-19"]
    assert [x for x, _y in xy(markers[0])] == [1, 1]  # the 50% date's bar; 95% is past the horizon
    axis_x = chart.axes(Qt.Orientation.Horizontal)[0]
    assert axis_x.titleText() == "Finish date; 2 runs beyond the horizon"
    footnote = chart._footnote
    assert footnote is not None  # plain text: a name in the caption is never markup
    assert footnote.text() == "the backlog: 9 items\n<i>caption</i>"
    assert chart.caption == "the backlog: 9 items; <i>caption</i>"
    _series, hover = chart.bar_hovers[0]
    assert (
        hover(2, values)
        == "Done on 2026-04-19 in 30 of 100 runs\n80% of the runs were done by then"
    )


def test_the_target_is_a_dashed_line_where_its_day_falls_with_the_share_done_by_then() -> None:
    plain = histogram()
    wednesday = plain.bars[1].date + dt.timedelta(days=3)  # 3 days into the third bar's week
    shown = ForecastChart(*[getattr(plain, f) for f in plain.__slots__[:7]], wednesday, 50)
    chart = forecast_chart(shown, LIGHT)
    *_percentiles, target = chart.series_of(QLineSeries)
    assert target.name() == "Target 2026-04-15: 50% of the runs done by then"
    assert [x for x, _y in xy(target)] == [1 + 3 / 7, 1 + 3 / 7]
    assert target.pen().style() == Qt.PenStyle.DashLine
    assert chart.xy_hovers[-1][1](QPointF(1.4, 5)) == target.name()
    before = ForecastChart(*[getattr(plain, f) for f in plain.__slots__[:7]], START, 0)
    early = forecast_chart(before, LIGHT)
    assert [x for x, _y in xy(early.series_of(QLineSeries)[-1])] == [-0.5, -0.5]  # left end
    assert len(forecast_chart(plain, LIGHT).series_of(QLineSeries)) == 2  # no target, no line


def test_no_forecast_states_the_reason() -> None:
    none = ForecastChart(END, (), 0, 100, (), "", "No item was finished in the last 12 weeks")
    assert forecast_chart(none, LIGHT).empty_message == "No item was finished in the last 12 weeks"


def test_the_target_history_steps_the_target_and_draws_both_forecasts_on_date_axes() -> None:
    later = START + dt.timedelta(days=14)
    points = [
        DateHistoryRow(
            START,
            RowKind.UPDATE,
            dt.date(2026, 6, 1),
            dt.date(2026, 5, 20),
            dt.date(2026, 6, 3),
            "",
        ),
        DateHistoryRow(later, RowKind.TARGET, dt.date(2026, 7, 1), None, None, "scope grew"),
        DateHistoryRow(later, RowKind.NOW, dt.date(2026, 7, 1), None, dt.date(2026, 7, 9), ""),
    ]
    chart = target_history_chart(points, DARK)
    target, p50, p85 = chart.series_of(QLineSeries)
    assert [s.name() for s in (target, p50, p85)] == ["Target", "Forecast, 50%", "Forecast, 85%"]
    axis_y = chart.axes(Qt.Orientation.Vertical)[0]
    origin = axis_y.scale.origin  # type: ignore[attr-defined]
    june, july = ((dt.date(2026, m, 1) - origin).days for m in (6, 7))
    assert xy(target) == [(0, june), (14, june), (14, july)]  # the old target held until moved
    assert len(xy(p50)) == 1 and len(xy(p85)) == 2
    hover = chart.xy_hovers[0][1]
    assert hover(QPointF(13, 0)).splitlines() == [
        "Today, 2026-03-16", "target: 2026-07-01", "forecast, 50%: none",
        "forecast, 85%: 2026-07-09",
    ]  # fmt: skip
    assert hover(QPointF(1, 0)).splitlines()[0] == "Update of 2026-03-02"
    assert target_history_chart([], LIGHT).empty_message.startswith("No status update")  # type: ignore[union-attr]


def test_every_new_chart_draws_in_both_palettes_and_parses_as_svg() -> None:
    for palette in (LIGHT, DARK):
        charts = (
            cycle_time_chart(cycle_times(), palette),
            aging_chart(aging(), palette),
            forecast_chart(histogram(), palette),
        )
        for chart, colour in zip(
            charts,
            (palette.primary, blended(palette.bands[0], palette.background), palette.quiet),
            strict=True,
        ):
            assert coloured(png_image(chart, QSize(440, 260), scale=1), colour, 20) > 40
    words = svg_texts(svg_bytes(aging_chart(aging(), LIGHT)))
    assert "In progress" in words and "Aging work in progress" in words

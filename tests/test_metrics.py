"""Flow metrics on hand-built transitions whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kanban import metrics
from kanban.metrics.forecast import FORECAST_RUNS, forecast
from kanban.ranking import initial_ranks
from kanban.services import Database
from kanban.services.figures import load_flow
from kanban.services.items import add_item, delete_item, move_item, restore_item
from kanban.services.products import add_column
from kanban.services.records import ProductInfo
from kanban.storage.models import BoardColumn, Item, Sprint, Transition

TODAY = dt.date(2024, 3, 15)  # a Friday


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour)


# title: (kind, points, sprint, [(when, column), ...]); the last column is where it is now.
HISTORY = {
    "A": ("story", 3, "S0", [(at(1), "Backlog"), (at(4), "In Progress"), (at(6), "Done")]),
    "B": (
        "story",
        5,
        "S1",
        [(at(1), "Backlog"), (at(5), "In Progress"), (at(7), "Review"), (at(12), "Done")],
    ),
    "C": ("bug", 1, "S1", [(at(2), "Backlog"), (at(3), "To Do"), (at(13), "Done")]),
    "D": (
        "story",
        2,
        "S1",
        [(at(1), "Backlog"), (at(8), "In Progress"), (at(10), "Done"), (at(11), "Review")],
    ),
    "E": ("task", None, "S1", [(at(2), "Backlog"), (at(14), "In Progress")]),
    "F": ("epic", 40, None, [(at(1), "Backlog"), (at(12), "Done")]),
    "G": ("story", 8, "S0", [(at(1), "Backlog")]),
}


def build(db: Database, product: ProductInfo, history: dict) -> None:
    """Write items, transitions and sprints exactly as ``history`` says, timestamps included."""
    with db.write() as session:
        columns = {
            c.name: c
            for c in session.scalars(
                select(BoardColumn).where(BoardColumn.product_id == product.id)
            )
        }
        sprints = {
            "S0": Sprint(
                product_id=product.id,
                name="S0",
                state="closed",
                start_date=dt.date(2024, 2, 26),
                end_date=dt.date(2024, 3, 8),
            ),
            "S1": Sprint(
                product_id=product.id,
                name="S1",
                state="active",
                start_date=dt.date(2024, 3, 11),
                end_date=dt.date(2024, 3, 22),
            ),
        }
        session.add_all(sprints.values())
        session.flush()
        ranks = initial_ranks(len(history))
        for number, (title, (kind, points, sprint, moves)) in enumerate(history.items(), 1):
            now = columns[moves[-1][1]]
            item = Item(
                product_id=product.id,
                number=number,
                kind=kind,
                title=title,
                points=points,
                column_id=now.id,
                rank=ranks[number - 1],
                sprint_id=sprints[sprint].id if sprint else None,
                created_at=moves[0][0],
            )
            session.add(item)
            session.flush()
            previous = None
            for when, name in moves:
                column = columns[name]
                session.add(
                    Transition(
                        item_id=item.id,
                        from_column_id=previous.id if previous else None,
                        from_category=previous.category if previous else None,
                        to_column_id=column.id,
                        to_category=column.category,
                        at=when,
                    )
                )
                previous = column


@pytest.fixture
def flow(db: Database, product: ProductInfo) -> metrics.Flow:
    add_column(db, product.id, "Review", "doing")
    build(db, product, HISTORY)
    return load_flow(db, "web")


def test_flow_items_know_when_they_started_and_finished(flow: metrics.Flow) -> None:
    items = {i.title: i for i in flow.items}
    assert items["A"].key == "WEB-1"
    assert (items["A"].started, items["A"].done) == (at(4), at(6))
    # Moving between two 'doing' columns is not a new start; the path collapses it.
    assert [c for _, c in items["B"].path] == ["backlog", "doing", "done"]
    assert (items["C"].started, items["C"].done) == (None, at(13))
    # Reopened after done: started stays the first 'doing' entry, done is cleared.
    assert (items["D"].started, items["D"].done, items["D"].category) == (at(8), None, "doing")


def test_throughput_counts_finished_work_items_per_week(flow: metrics.Flow) -> None:
    weeks = metrics.throughput(flow, dt.date(2024, 3, 4), TODAY)
    assert weeks == (
        metrics.WeekCount(dt.date(2024, 3, 4), 1, 3.0),  # A
        metrics.WeekCount(dt.date(2024, 3, 11), 2, 6.0),  # B, C (the epic F does not count)
    )


def test_cycle_time_runs_from_first_doing_to_done(flow: metrics.Flow) -> None:
    # A: 2 days, B: 7 days; C skipped 'doing' and has no cycle time.
    # Nearest rank: of two values, the 50th percentile is the smaller, 85th and 95th the larger.
    assert metrics.cycle_times(flow, dt.date(2024, 3, 1), TODAY) == metrics.CycleTimes(
        2, 4.5, 2.0, 7.0, 7.0
    )
    assert metrics.cycle_times(flow, dt.date(2024, 3, 14), TODAY).count == 0


def test_aging_lists_work_in_progress_oldest_first(flow: metrics.Flow) -> None:
    wip = metrics.aging(flow, TODAY)
    assert [(a.title, a.age_days) for a in wip] == [("D", 7), ("E", 1)]


def test_cumulative_flow_counts_each_category_at_day_end(flow: metrics.Flow) -> None:
    days = {d.day.day: d.counts for d in metrics.cumulative_flow(flow, dt.date(2024, 3, 1), TODAY)}
    assert metrics.CATEGORIES == ("backlog", "todo", "doing", "done")
    assert days[1] == (4, 0, 0, 0)
    assert days[2] == (6, 0, 0, 0)
    assert days[3] == (5, 1, 0, 0)
    assert days[7] == (3, 1, 1, 1)  # B moved to Review: still 'doing'
    assert days[10] == (2, 1, 1, 2)  # D done...
    assert days[11] == (2, 1, 2, 1)  # ...and reopened
    assert days[15] == (1, 0, 2, 3)
    assert all(sum(counts) == 6 for day, counts in days.items() if day >= 2)


def test_cumulative_flow_starts_from_the_state_before_the_range(flow: metrics.Flow) -> None:
    days = metrics.cumulative_flow(flow, dt.date(2024, 3, 5), dt.date(2024, 3, 6))
    assert [d.counts for d in days] == [(3, 1, 2, 0), (3, 1, 1, 1)]


def test_burndown_and_burnup_of_the_active_sprint(flow: metrics.Flow) -> None:
    sprint = next(s for s in flow.sprints if s.name == "S1")
    chart = metrics.sprint_burn(flow, sprint.id, TODAY)
    assert (chart.committed_points, chart.committed_items) == (8.0, 4)
    assert [(d.day.day, d.remaining_points, d.remaining_items) for d in chart.days] == [
        (11, 8.0, 4),
        (12, 3.0, 3),
        (13, 2.0, 2),
        (14, 2.0, 2),
        (15, 2.0, 2),
    ]
    # The burnup: the scope stays 8 points (no entries recorded, nobody joined), done grows.
    assert [(d.scope_points, d.done_points) for d in chart.days][:3] == [
        (8.0, 0.0),
        (8.0, 5.0),
        (8.0, 6.0),
    ]
    assert (chart.changes, chart.source) == ((), "membership")
    assert chart.days[0].ideal_points == 8.0
    assert chart.days[1].ideal_points == pytest.approx(8 * 10 / 11)


def test_velocity_sums_the_done_points_of_closed_sprints(flow: metrics.Flow) -> None:
    # S0 held A (done, 3 points) and G (never done); S1 is still running.
    assert [(v.name, v.points, v.items) for v in metrics.velocity(flow)] == [("S0", 3.0, 1)]


def test_forecast_monte_carlo_matches_the_exact_distribution(flow: metrics.Flow) -> None:
    fc = forecast(flow, TODAY, target=dt.date(2024, 4, 12))
    # Left: D, E, G (E has no estimate); the epic F does not count.
    assert (fc.remaining_items, fc.remaining_points, fc.unestimated_items) == (3, 10.0, 1)
    # The window: whole ISO weeks before Friday 15 March, from the first item's week.
    assert (fc.sample.start, fc.sample.end, fc.sample.weeks) == (
        dt.date(2024, 2, 26),
        dt.date(2024, 3, 10),
        2,
    )
    assert fc.sample.values == (0, 2)  # A and D (done on the 10th, reopened on the 11th)
    assert (fc.runs, fc.seed) == (FORECAST_RUNS, 20240101)
    # This week (to Sunday the 17th) already saw B and C finished: a draw of 2 adds nothing.
    # From then on each week adds 0 or 2, so 3 items need the second 2: within k weeks with
    # probability 1 - (k + 1) / 2**k.
    assert fc.when is not None
    finished = 0
    for bar in fc.when.distribution:
        finished += bar.runs
        weeks = (bar.date - dt.date(2024, 3, 17)).days // 7
        assert bar.date.weekday() == 6  # every date ends an ISO week
        assert finished / fc.runs == pytest.approx(1 - (weeks + 1) / 2**weeks, abs=0.015)
    # 85%: 6 weeks after the 17th (P = 0.89 against 0.81 for 5); 95%: 8 (0.96 against 0.94).
    assert (fc.when.p85, fc.when.p95) == (dt.date(2024, 4, 28), dt.date(2024, 5, 12))
    assert fc.delay_days == 16
    assert fc.warnings == (
        "The product's history covers only 2 whole weeks of the 12 asked for.",
        "Only 1 week of the window had finished work (fewer than 5): the sample is thin.",
    )
    assert forecast(flow, TODAY) == forecast(flow, TODAY, target=None)


def test_forecast_without_recent_throughput_gives_no_dates(
    db: Database, product: ProductInfo
) -> None:
    add_item(db, "WEB", "Lonely")
    fc = forecast(load_flow(db, "WEB"), metrics.today_utc())
    assert fc.remaining_items == 1
    assert (fc.when, fc.finish_50, fc.finish_85, fc.delay_days) == (None,) * 4
    assert fc.reason


def test_metrics_follow_moves_made_through_the_services(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Checkout", points=2)
    add_item(db, "WEB", "Search", points=3)
    columns = {c.name: c.id for c in metrics_columns(db, product)}
    move_item(db, card.id, column_id=columns["In Progress"])
    flow = load_flow(db, "WEB")
    today = metrics.today_utc()
    assert [a.key for a in metrics.aging(flow, today)] == ["WEB-1"]
    move_item(db, card.id, column_id=columns["Done"])
    flow = load_flow(db, "WEB")
    assert metrics.throughput(flow, today, today)[0].items == 1
    assert metrics.cycle_times(flow, today, today).count == 1
    assert metrics.cumulative_flow(flow, today, today)[0].counts == (1, 0, 0, 1)


def test_an_item_without_transitions_falls_back_on_its_own_dates(
    db: Database, product: ProductInfo
) -> None:
    card = add_item(db, "WEB", "Checkout", points=2, column="Done")
    restore_item(db, delete_item(db, card.id))  # a restored item's moves are gone
    (item,) = load_flow(db, "WEB").items
    assert item.category == "done"
    assert item.done is not None and item.done == item.started
    assert len(item.path) == 1


def metrics_columns(db: Database, product: ProductInfo) -> list[BoardColumn]:
    with db.read() as session:
        return list(
            session.scalars(select(BoardColumn).where(BoardColumn.product_id == product.id))
        )


def test_metrics_as_of_an_earlier_day_replay_the_moves(flow: metrics.Flow) -> None:
    items = {i.title: i for i in flow.items}
    reopened = items["D"]
    assert reopened.finished_on(dt.date(2024, 3, 10)) == at(10)
    assert reopened.finished_on(TODAY) is None
    assert reopened.category_on(dt.date(2024, 2, 29)) is None
    assert items["B"].move_on(dt.date(2024, 3, 7)).category == "doing"
    # On Mar 9, B (in Review since the 7th, started the 5th) and D were in progress.
    assert [(a.title, a.age_days) for a in metrics.aging(flow, dt.date(2024, 3, 9))] == [
        ("B", 4),
        ("D", 1),
    ]
    fc = forecast(flow, dt.date(2024, 3, 10))
    assert fc.remaining_items == 4  # B, C, E, G; A and D were done, F is an epic
    assert fc.sample.values == (0, 2)  # Feb 26-Mar 3, Mar 4-10 (A, D)
    # D counted as finished in the week it was done, when asked about that week.
    weeks = metrics.throughput(flow, dt.date(2024, 3, 4), dt.date(2024, 3, 10))
    assert [(w.items, w.points) for w in weeks] == [(2, 5.0)]  # A and D

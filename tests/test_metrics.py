"""Flow metrics on hand-built transitions whose answers are worked out by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from kanban import metrics
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
    assert metrics.cycle_times(flow, dt.date(2024, 3, 1), TODAY) == metrics.CycleTimes(
        2, 4.5, 4.5, 7.0
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


def test_burndown_of_the_active_sprint(flow: metrics.Flow) -> None:
    sprint = next(s for s in flow.sprints if s.name == "S1")
    chart = metrics.burndown(flow, sprint.id, TODAY)
    assert (chart.total_points, chart.total_items) == (8.0, 4)
    assert [(d.day.day, d.remaining_points, d.remaining_items) for d in chart.days] == [
        (11, 8.0, 4),
        (12, 3.0, 3),
        (13, 2.0, 2),
        (14, 2.0, 2),
        (15, 2.0, 2),
    ]
    assert chart.days[0].ideal_points == 8.0
    assert chart.days[1].ideal_points == pytest.approx(8 * 10 / 11)


def test_velocity_sums_the_done_points_of_closed_sprints(flow: metrics.Flow) -> None:
    # S0 held A (done, 3 points) and G (never done); S1 is still running.
    assert [(v.name, v.points, v.items) for v in metrics.velocity(flow)] == [("S0", 3.0, 1)]


def test_forecast_monte_carlo_matches_the_exact_distribution(flow: metrics.Flow) -> None:
    fc = metrics.forecast(flow, TODAY, target=dt.date(2024, 4, 12))
    # Left: D, E, G (E has no estimate). Windows since the first item (Mar 1): 3.
    assert (fc.remaining_items, fc.remaining_points, fc.unestimated_items) == (3, 10.0, 1)
    assert fc.weekly_throughput == (0, 1, 2)  # Feb 24-Mar 1, Mar 2-8 (A), Mar 9-15 (B, C)
    assert fc.mean_per_week == 1.0
    assert fc.finish_at_mean == dt.date(2024, 4, 5)  # 3 weeks
    # Weeks drawn from {0, 1, 2} reach 3 items within n weeks with probability
    # 1/3 (n=2), 17/27 (n=3), 66/81 (n=4), 222/243 (n=5): median 3 weeks, 85% 5 weeks.
    assert fc.finish_50 == dt.date(2024, 4, 5)
    assert fc.finish_85 == dt.date(2024, 4, 19)
    assert fc.delay_days == 7
    assert metrics.forecast(flow, TODAY) == metrics.forecast(flow, TODAY, target=None)


def test_forecast_with_steady_throughput_is_exact(flow: metrics.Flow) -> None:
    finished = [
        metrics.FlowItem(
            id=100 + n,
            key=f"WEB-{100 + n}",
            title="x",
            kind="story",
            points=1.0,
            category="done",
            column_id=0,
            sprint_id=None,
            archived=False,
            created=dt.datetime(2024, 1, 1),
            started=None,
            done=dt.datetime(2024, 3, 15) - dt.timedelta(weeks=n % 4),
            moves=(metrics.Move(dt.datetime(2024, 3, 15) - dt.timedelta(weeks=n % 4), "done", 0),),
            settled=(dt.datetime(2024, 3, 15) - dt.timedelta(weeks=n % 4)).date(),
        )
        for n in range(8)  # two items in each of the last four windows
    ]
    unfinished = [i for i in flow.items if i.category != "done"]
    steady = dataclasses.replace(flow, items=(*finished, *unfinished))
    fc = metrics.forecast(steady, TODAY, weeks=4)
    assert fc.weekly_throughput == (2, 2, 2, 2)
    assert fc.remaining_items == 3
    # Every simulated future finishes 3 items in 2 whole weeks; the mean rate needs 1.5.
    assert fc.finish_50 == fc.finish_85 == dt.date(2024, 3, 29)
    assert fc.finish_at_mean == dt.date(2024, 3, 26)


def test_forecast_without_recent_throughput_gives_no_dates(
    db: Database, product: ProductInfo
) -> None:
    add_item(db, "WEB", "Lonely")
    fc = metrics.forecast(load_flow(db, "WEB"), metrics.today_utc())
    assert fc.remaining_items == 1
    assert (fc.finish_50, fc.finish_85, fc.finish_at_mean, fc.delay_days) == (None,) * 4


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
    fc = metrics.forecast(flow, dt.date(2024, 3, 8))
    assert fc.remaining_items == 5  # B, C, D, E, G; A was done, F is an epic
    assert fc.weekly_throughput == (0, 1)  # Feb 24-Mar 1, Mar 2-8 (A)
    # D counted as finished in the week it was done, when asked about that week.
    weeks = metrics.throughput(flow, dt.date(2024, 3, 4), dt.date(2024, 3, 10))
    assert [(w.items, w.points) for w in weeks] == [(2, 5.0)]  # A and D

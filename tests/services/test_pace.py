"""The portfolio's read of the forecasts' inputs (``figures.read_paces``: one pass over the
items, one scan of the moves) gives the forecasts and counts the flow's replay gives, on a
history with rework, moves between two 'done' columns, archived items, epics, releases,
items without recorded moves, and days asked about before later moves."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select

from kanban.domain import Category, ItemKind
from kanban.metrics.flow import finished_between
from kanban.metrics.forecast import BACKLOG, Sampling, Scope, ScopeKind, forecasts, pace_forecasts
from kanban.ranking import initial_ranks
from kanban.services import Database
from kanban.services.figures import read_flow, read_pace, read_paces
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.storage.models import Activity, BoardColumn, Item, Product, Release, Transition

START = dt.datetime(2024, 1, 1, 9)  # a Monday
PATHS = {
    "backlog": ("todo", "doing"),
    "todo": ("doing", "backlog"),
    "doing": ("done", "released", "todo"),
    "done": ("released", "doing", "done"),
    "released": ("doing",),
}


def _history(db: Database, product: ProductInfo, seed: int, count: int = 160) -> None:
    """Items made over 20 weeks, each walking the board (a second 'done' column, Released,
    after Done); some epics, archived items (before and after the days asked about), two
    releases, and two items without recorded moves."""
    rng = random.Random(seed)
    with db.write() as session:
        columns = {
            c.category: c
            for c in session.scalars(
                select(BoardColumn).where(BoardColumn.product_id == product.id)
            )
        }
        released = BoardColumn(
            product_id=product.id, name="Released", position=99, category=Category.DONE
        )
        session.add(released)
        releases = [Release(product_id=product.id, name=n, description="", state="planned",
                            notes="") for n in ("1.0", "2.0")]  # fmt: skip
        session.add_all([*releases, released])
        session.flush()
        by_name = {
            **{c: columns[c] for c in ("backlog", "todo", "doing", "done")},
            "released": released,
        }
        ranks = iter(initial_ranks(count + 2))
        for number in range(1, count + 1):
            at = START + dt.timedelta(hours=rng.uniform(0, 20 * 7 * 24))
            created, steps = at, ["backlog"]
            for _ in range(rng.randint(0, 7)):
                steps.append(rng.choice(PATHS[steps[-1]]))
            moves = []
            for step in steps:
                moves.append((at, step))
                at += dt.timedelta(hours=rng.uniform(0.5, 120))
            last = by_name[moves[-1][1]]
            item = Item(
                product_id=product.id, number=number, title=f"Item {number}",
                kind=ItemKind.EPIC if rng.random() < 0.08 else ItemKind.STORY,
                points=rng.choice((1, 2, 3, 5, None)), column_id=last.id, rank=next(ranks),
                release_id=rng.choice([None, releases[0].id, releases[1].id]),
                created_at=created, updated_at=moves[-1][0], column_since=moves[-1][0],
                archived=rng.random() < 0.1,
            )  # fmt: skip
            session.add(item)
            session.flush()
            previous = None
            for when, step in moves:
                column = by_name[step]
                session.add(Transition(
                    item_id=item.id, from_column_id=previous.id if previous else None,
                    from_category=previous.category if previous else None,
                    to_column_id=column.id, to_category=column.category, at=when,
                ))  # fmt: skip
                previous = column
            if item.archived:
                archived = moves[-1][0] + dt.timedelta(days=rng.uniform(0, 40))
                session.add(Activity(product_id=product.id, item_id=item.id, at=archived,
                                     actor="test", action="archived", detail=""))  # fmt: skip
        for number, column in ((count + 1, columns["done"]), (count + 2, columns["backlog"])):
            made = START + dt.timedelta(weeks=15)
            session.add(Item(
                product_id=product.id, number=number, title="Restored", kind=ItemKind.STORY,
                column_id=column.id, rank=next(ranks), created_at=made, updated_at=made,
                done_at=made + dt.timedelta(days=3) if column.category == "done" else None,
            ))  # fmt: skip
        stored = session.get(Product, product.id)
        assert stored is not None
        stored.next_number = count + 3


ASKED_ON = (
    dt.date(2024, 5, 19),  # a Sunday
    dt.date(2024, 5, 22),  # a Wednesday, with moves after it
    dt.date(2024, 3, 6),
    dt.date(2024, 8, 1),  # after every move
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_pace_forecasts_what_the_flow_forecasts(
    db: Database, product: ProductInfo, seed: int
) -> None:
    _history(db, product, seed)
    with db.read() as session:
        flow = read_flow(session, product.id, product.key)
        release_ids = session.scalars(select(Release.id).order_by(Release.id)).all()
        paces = {day: read_pace(session, product.id, day) for day in ASKED_ON}
    assert flow.quality.count == 0  # every history is sound: the two reads see the same items
    asked = [(BACKLOG, dt.date(2024, 7, 1))] + [
        (Scope(ScopeKind.RELEASE, f"release {r}", r), None) for r in release_ids
    ]
    asked.append((Scope(ScopeKind.ITEMS, "7 items", count=7), None))
    for day in ASKED_ON:
        pace = paces[day]
        for sampling in Sampling:
            assert pace_forecasts(pace, asked, runs=200, sampling=sampling) == forecasts(
                flow, day, asked, runs=200, sampling=sampling
            ), (day, sampling)
        this_week = day - dt.timedelta(days=day.weekday())
        assert pace.finished_from(this_week) == len(finished_between(flow, this_week, day))


def test_products_are_read_together_as_each_alone(db: Database, product: ProductInfo) -> None:
    _history(db, product, 4, count=60)
    other = create_product(db, "APP", "App")
    _history(db, other, 5, count=60)
    day = ASKED_ON[1]
    with db.read() as session:
        together = read_paces(session, [product.id, other.id], day).paces
        alone = [read_pace(session, p, day) for p in (product.id, other.id)]
    assert [together[product.id], together[other.id]] == alone
    assert alone[0] != alone[1]

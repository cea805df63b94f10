"""A product with a history written exactly as a test says: finished items per ISO week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from kanban.domain import Category, ItemKind
from kanban.ranking import initial_ranks
from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.storage.models import BoardColumn, Item, Product, Transition

ORIGIN = dt.datetime(2024, 1, 1, 9)  # a Monday


def write_history(
    db: Database,
    product: ProductInfo,
    done_per_week: list[int],
    last_sunday: dt.date,
    open_items: int,
    opened: Sequence[dt.datetime] = (),
    **open_fields: object,
) -> list[int]:
    """Items finished ``done_per_week[i]`` on the Wednesday of each ISO week up to
    ``last_sunday``, then ``open_items`` open in the backlog (with ``open_fields`` set, e.g.
    ``sprint_id``), all created at ``ORIGIN``, then one more open item created at each moment
    of ``opened``. Returns the open items' ids, in rank order."""
    with db.write() as session:
        columns = {
            c.category: c
            for c in session.scalars(
                select(BoardColumn).where(BoardColumn.product_id == product.id)
            )
        }
        first_monday = last_sunday - dt.timedelta(days=7 * len(done_per_week) - 1)
        plan = [
            dt.datetime.combine(first_monday + dt.timedelta(weeks=n, days=2), dt.time(15))
            for n, count in enumerate(done_per_week)
            for _ in range(count)
        ]
        later = [(None, at) for at in opened]
        every = [(done, ORIGIN) for done in plan] + [(None, ORIGIN)] * open_items + later
        ranks = iter(initial_ranks(len(every)))
        open_ids = []
        for n, (done, created) in enumerate(every, 1):
            category = Category.DONE if done else Category.BACKLOG
            fields = {} if done else open_fields
            row = Item(product_id=product.id, number=n, kind=ItemKind.STORY, title=f"Item {n}",
                       points=2, column_id=columns[category].id, rank=next(ranks),
                       created_at=created, done_at=done, **fields)  # fmt: skip
            session.add(row)
            session.flush()
            moves = [(created, Category.BACKLOG)]
            if done:
                moves += [(done - dt.timedelta(days=2), Category.DOING), (done, Category.DONE)]
            else:
                open_ids.append(row.id)
            for when, to in moves:
                session.add(Transition(item_id=row.id, to_column_id=columns[to].id,
                                       to_category=to, at=when))  # fmt: skip
        stored = session.get(Product, product.id)
        assert stored is not None
        stored.next_number = len(every) + 1
    return open_ids

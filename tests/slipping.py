"""A product whose date slips, written exactly: three status updates a week apart whose 85%
forecasts are known (throughput is three items every week; work keeps arriving)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from written_history import write_history

from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.services.status_updates import create_status_update
from kanban.services.targets import set_target
from kanban.storage.models import StatusUpdate, TargetChange

S0 = dt.date(2024, 6, 30)  # a Sunday
UPDATE_DAYS = (S0, S0 + dt.timedelta(weeks=1), S0 + dt.timedelta(weeks=2))
TARGET = S0 + dt.timedelta(days=30)
P85 = (
    S0 + dt.timedelta(weeks=4),  # 12 items left at 3 a week: two days early
    S0 + dt.timedelta(weeks=5),  # 12 left (3 more arrived): 5 days late
    S0 + dt.timedelta(weeks=7),  # 15 left (6 more arrived): 19 days late
)
SENTENCE = (
    "Target 30 July 2024; the 85% forecast moved from 28 July 2024 to 18 August 2024 over "
    "3 updates, past the target since the update of 7 July 2024."
)


def at(day: dt.date, hour: int = 17) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def write_slipping(db: Database, product: ProductInfo) -> list[int]:
    """Write the history, the target (set a month before) and the three updates; their ids."""
    write_history(
        db, product, [3] * 14, UPDATE_DAYS[-1], 6,
        opened=[at(S0 + dt.timedelta(days=2))] * 3 + [at(S0 + dt.timedelta(days=9))] * 6,
    )  # fmt: skip
    set_target(db, product.id, TARGET, "Agreed at the kick-off")
    with db.write() as session:  # the target was agreed before the first update
        session.execute(sa.update(TargetChange).values(at=at(S0 - dt.timedelta(days=30))))
    ids = []
    for day in UPDATE_DAYS:
        update = create_status_update(
            db, product.id, health="at_risk", period_start=day - dt.timedelta(days=6),
            period_end=day, headline=f"Week of {day}", as_of=day,
        )  # fmt: skip
        with db.write() as session:  # written on its day, as the product owner would have
            session.execute(
                sa.update(StatusUpdate)
                .where(StatusUpdate.id == update.id)
                .values(created_at=at(day))
            )
        ids.append(update.id)
    return ids

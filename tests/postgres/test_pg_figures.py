"""Forecasts and the history of a date on PostgreSQL: the driver hands back datetimes, not
text, and the answers are the same as on a file."""

from __future__ import annotations

import datetime as dt

from slipping import P85, SENTENCE, write_slipping
from written_history import write_history

from kanban.services import Database
from kanban.services.figures import product_forecast
from kanban.services.records import ProductInfo
from kanban.services.targets import load_history

SUNDAY = dt.date(2024, 6, 30)


def test_a_constant_throughput_forecast(db: Database, product: ProductInfo) -> None:
    write_history(db, product, [3] * 12, SUNDAY, 10)
    fc = product_forecast(db, "WEB", as_of=SUNDAY, runs=500).forecast
    assert fc.sample.values == (3,) * 12
    assert fc.when is not None and {fc.when.at(p) for p in (50, 70, 85, 95)} == {
        SUNDAY + dt.timedelta(weeks=4)
    }


def test_the_history_of_a_slipping_date(db: Database, product: ProductInfo) -> None:
    write_slipping(db, product)
    history = load_history(db, "WEB")
    assert [r.forecast_p85 for r in history.rows[1:]] == list(P85)
    assert history.sentence() == SENTENCE

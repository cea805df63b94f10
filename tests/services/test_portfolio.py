"""The portfolio (issue 13.3): one row per product, the same figures as each product's own
screens, through the service and `kanban portfolio` on a real file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from cli_runner import Run
from written_history import write_history

from kanban.services import Database
from kanban.services.figures import product_forecast
from kanban.services.items import add_item, edit_item
from kanban.services.portfolio import portfolio
from kanban.services.products import create_product, list_columns, set_wip_limit
from kanban.services.questions import ask_question
from kanban.services.records import ProductInfo
from kanban.services.releases import create_release, set_items_release
from kanban.services.status_updates import create_status_update
from kanban.services.targets import set_target
from kanban.storage.models import Question, StatusUpdate

SUNDAY = dt.date(2024, 6, 30)


def _web(db: Database, product: ProductInfo) -> None:
    """WEB: 3 items done a week for 12 weeks, 12 open (4 weeks' work), a target 3 weeks out,
    a release of 6 items, an update at risk, 2 open questions, 2 cards in progress (limit 1),
    one blocked."""
    open_ids = write_history(db, product, [3] * 12, SUNDAY, 12)
    set_target(db, product.id, SUNDAY + dt.timedelta(weeks=3))
    release = create_release(db, "WEB", "2.0", target=SUNDAY + dt.timedelta(weeks=2))
    set_items_release(db, dict.fromkeys(open_ids[:6], release.id))
    doing = next(c for c in list_columns(db, product.id) if c.category == "doing")
    set_wip_limit(db, doing.id, 1)
    for title in ("Checkout", "Search"):
        card = add_item(db, "WEB", title, column=doing.id)
    edit_item(db, card.id, card.version, blocked_reason="Waiting on the vendor")
    update = create_status_update(
        db, "WEB", health="at_risk", period_start=SUNDAY - dt.timedelta(days=13),
        period_end=SUNDAY, as_of=SUNDAY,
    )  # fmt: skip
    ask_question(db, "WEB", "Which payment provider?")
    ask_question(db, "WEB", "Guest checkout?")
    with db.write() as session:  # the update and the first question as of that Sunday
        session.execute(sa.update(StatusUpdate).values(created_at=dt.datetime(2024, 6, 30, 17)))
        session.execute(
            sa.update(Question).where(Question.id == 1).values(asked_at=dt.datetime(2024, 6, 24, 9))
        )
    assert update.id


def test_one_row_per_product_with_the_figures_of_its_screens(
    db: Database, product: ProductInfo
) -> None:
    _web(db, product)
    create_product(db, "APP", "App")
    rows = portfolio(db, as_of=SUNDAY)
    assert [r.product.key for r in rows] == ["APP", "WEB"]  # by name
    app, web = rows
    assert (app.health, app.target, app.delay_days, app.next_release) == (None, None, None, None)
    assert (app.open_questions, app.oldest_question_days, app.in_progress) == (0, None, 0)
    assert (web.health, web.health_date) == ("at_risk", SUNDAY)
    own = product_forecast(db, "WEB", as_of=SUNDAY).forecast
    assert (web.forecast_p50, web.forecast_p85) == (own.finish_50, own.finish_85)
    assert web.target == SUNDAY + dt.timedelta(weeks=3)
    assert web.delay_days == own.delay_days and web.late
    assert web.done_4_weeks == 12
    assert (web.in_progress, web.over_wip_columns, web.blocked) == (2, ("In Progress",), 1)
    assert (web.open_questions, web.oldest_question_days) == (2, 6)
    assert web.next_release is not None and web.next_release.release.name == "2.0"
    assert web.next_release.p85 == SUNDAY + dt.timedelta(weeks=2)


def test_kanban_portfolio_json_is_the_documented_shape(
    db: Database, product: ProductInfo, run: Run, db_path: Path
) -> None:
    _web(db, product)
    result = run("--db", db_path, "portfolio", "--json")
    assert result.code == 0, result.err
    (web,) = json.loads(result.out)
    assert set(web) == {
        "key", "name", "health", "health_date", "target", "forecast_p50", "forecast_p85",
        "delay_days", "late", "forecast_reason", "done_4_weeks", "in_progress",
        "over_wip_columns", "blocked", "open_questions", "oldest_question_days", "next_release",
    }  # fmt: skip
    assert (web["key"], web["health"], web["health_date"]) == ("WEB", "at_risk", "2024-06-30")
    assert web["over_wip_columns"] == ["In Progress"] and web["blocked"] == 1
    assert set(web["next_release"]) == {"name", "target", "p85", "late_days"}
    text = run("--db", db_path, "portfolio")
    assert text.code == 0, text.err
    header, line = text.out.splitlines()
    assert header.split()[:3] == ["KEY", "HEALTH", "TARGET"]
    assert line.startswith("WEB  At risk (2024-06-30)  2024-07-21")
    assert "In Progress over" in line and "2.0 2024-07-14" in line

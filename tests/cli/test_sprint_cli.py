"""`kanban sprint start|close` (issue 13.7): a sprint run from a terminal, on a real file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import Result, Run

from kanban.services import Database
from kanban.services.items import add_item, get_item
from kanban.services.products import list_columns
from kanban.services.records import ProductInfo
from kanban.services.sprints import create_sprint, list_sprints, set_sprint_items

Kanban = Callable[..., Result]
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@pytest.fixture
def kanban(run: Run, db_path: Path) -> Kanban:
    return lambda *args: run("--db", db_path, *args)


@pytest.fixture
def planned(db: Database, product: ProductInfo) -> dict[str, int]:
    """Sprint 1 planned from in three days with WEB-1 and WEB-2 (in the backlog), Sprint 2
    after it."""
    start = TODAY + 3 * DAY
    one = create_sprint(db, "WEB", "Sprint 1", start_date=start, end_date=start + 13 * DAY)
    two = create_sprint(
        db, "WEB", "Sprint 2", start_date=start + 14 * DAY, end_date=start + 27 * DAY
    )
    cards = [add_item(db, "WEB", title, points=3) for title in ("Checkout", "Search", "Later")]
    set_sprint_items(db, one.id, add=[cards[0].id, cards[1].id])
    return {"one": one.id, "two": two.id, "checkout": cards[0].id, "search": cards[1].id}


def test_start_the_next_sprint_keeps_its_length_and_says_what_moved(
    kanban: Kanban, db: Database, planned: dict[str, int]
) -> None:
    result = kanban("sprint", "start", "WEB")
    assert result.code == 0, result.err
    assert result.out == (
        f"Sprint 1 started: {TODAY} to {TODAY + 13 * DAY} (14 days)\n"
        "2 items moved to To Do: WEB-1, WEB-2\n"
    )
    assert get_item(db, planned["checkout"]).column_name == "To Do"


def test_a_start_into_another_sprint_needs_overlap(
    kanban: Kanban, db: Database, planned: dict[str, int]
) -> None:
    late = TODAY + 10 * DAY
    result = kanban("sprint", "start", "WEB", "Sprint 1", "--from", late.isoformat())
    assert result.code == 2 and "overlaps Sprint 2" in result.err
    assert list_sprints(db, "WEB")[0].state == "planned"
    result = kanban("sprint", "start", "WEB", "sprint 1", "--from", late.isoformat(), "--overlap")
    assert result.code == 0, result.err


def test_close_asks_where_unfinished_work_goes(
    kanban: Kanban, db: Database, planned: dict[str, int], product: ProductInfo
) -> None:
    kanban("sprint", "start", "WEB")
    done = next(c.id for c in list_columns(db, product.id) if c.name == "Done")
    kanban("move", "WEB-1", "Done")
    refused = kanban("sprint", "close", "WEB")
    assert refused.code == 2
    assert refused.err == (
        "kanban: Sprint 1 has 1 unfinished item: say where they go with --carry-to NAME "
        "(planned sprints: Sprint 2) or --carry-to backlog\n"
    )
    closed = kanban("sprint", "close", "WEB", "--carry-to", "Sprint 2", "--goal-met", "no")
    assert closed.code == 0, closed.err
    assert closed.out == "Sprint 1 closed; 1 unfinished item went to Sprint 2: WEB-2\n"
    assert get_item(db, planned["search"]).sprint_id == planned["two"]
    assert get_item(db, planned["checkout"]).column_id == done
    assert list_sprints(db, "WEB")[0].goal_met is False


def test_close_to_the_backlog(kanban: Kanban, db: Database, planned: dict[str, int]) -> None:
    kanban("sprint", "start", "WEB")
    closed = kanban("sprint", "close", "WEB", "--carry-to", "backlog")
    assert closed.out == "Sprint 1 closed; 2 unfinished items went to the backlog: WEB-1, WEB-2\n"
    assert get_item(db, planned["search"]).column_name == "Backlog"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sprint", "close", "WEB"), "No running sprint in WEB"),
        (("sprint", "start", "WEB", "Sprint 9"), "No sprint 'Sprint 9'; the sprints are: Sprint 1"),
    ],
)
def test_a_sprint_that_is_not_there_is_named(
    kanban: Kanban, planned: dict[str, int], args: tuple[str, ...], message: str
) -> None:
    result = kanban(*args)
    assert result.code == 2 and message in result.err

"""The team's command line (issue 14.11): products, items, the board, edits, blocks, sprints,
saved updates, live and saved reports, through the real command line on a real file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import Result, Run

from kanban.cli.common import width_of
from kanban.services import Database
from kanban.services.items import add_item, edit_item, get_item, move_item
from kanban.services.people import add_member, add_stakeholder, list_members
from kanban.services.products import create_product, list_columns, list_products, set_wip_limit
from kanban.services.sprints import create_sprint, set_items_sprint, start_sprint
from kanban.services.status_updates import create_status_update

Kanban = Callable[..., Result]


@pytest.fixture
def kanban(run: Run, db_path: Path) -> Kanban:
    """The command line on this test's database file."""
    return lambda *args: run("--db", db_path, *args)


@pytest.fixture
def shop(db: Database) -> Database:
    """WEB with five items: two in a running sprint, one blocked, one in progress, one done."""
    product = create_product(db, "WEB", "Web Shop")
    columns = {c.category: c.id for c in list_columns(db, product.id)}
    for name in ("Ana Silva", "Ben Carter"):
        add_member(db, name)
    checkout = add_item(db, "WEB", "Guest checkout", points=5)
    cards = add_item(db, "WEB", "Pay by card", points=8)
    add_item(db, "WEB", "Wish list", kind="story")
    paypal = add_item(db, "WEB", "Pay with PayPal", points=3)
    fix = add_item(db, "WEB", "Fix: cart total", kind="bug", points=1)
    sprint = create_sprint(db, "WEB", "Sprint 1", goal="Checkout", start_date=dt.date(2026, 5, 4),
                           end_date=dt.date(2026, 5, 17))  # fmt: skip
    set_items_sprint(db, {checkout.id: sprint.id, cards.id: sprint.id})
    start_sprint(db, sprint.id)
    move_item(db, checkout.id, column_id=columns["doing"])
    move_item(db, fix.id, column_id=columns["done"])
    ana = list_members(db)[0]
    edit_item(db, checkout.id, get_item(db, checkout.id).version, assignee_id=ana.id,
              labels=["frontend", "payments"])  # fmt: skip
    edit_item(db, paypal.id, get_item(db, paypal.id).version, blocked_reason="Merchant account")
    return db


# --- products ----------------------------------------------------------------------------------


def test_a_product_is_added_renamed_archived_and_restored_from_a_terminal(
    kanban: Kanban, db_path: Path
) -> None:
    assert not db_path.exists()
    added = kanban("product", "add", "shop", "Web Shop", "--vision", "Sell online")
    assert added == Result(0, "Added SHOP (Web Shop): Backlog, To Do, In Progress, Done\n", "")
    assert (
        kanban("product", "rename", "SHOP", "Online Shop").out == "SHOP: Web Shop → Online Shop\n"
    )
    assert kanban("product", "archive", "shop").code == 0
    listed = json.loads(kanban("products", "--json").out)
    assert listed == [
        {"key": "SHOP", "name": "Online Shop", "vision": "Sell online", "archived": True}
    ]
    assert kanban("product", "restore", "SHOP").out == "SHOP (Online Shop): restored\n"
    assert kanban("products").out == "SHOP  Online Shop\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("product", "add", "web", "Another"), "already exists"),
        (("product", "add", "9X", "Nine"), "must be 1 to 10 letters or digits"),
        (("product", "rename", "NOPE", "x"), "No product 'NOPE'"),
        (("product",), "kanban product add|rename|archive|restore"),
    ],
)
def test_product_mistakes_are_one_line_and_change_nothing(
    kanban: Kanban, shop: Database, args: tuple[str, ...], message: str
) -> None:
    before = list_products(shop, include_archived=True)
    result = kanban(*args)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1 and message in result.err
    assert list_products(shop, include_archived=True) == before


# --- items -------------------------------------------------------------------------------------


def keys(result: Result) -> list[str]:
    assert result.code == 0, result.err
    return [item["key"] for item in json.loads(result.out)]


def test_items_in_backlog_order_and_filtered(kanban: Kanban, shop: Database) -> None:
    assert keys(kanban("items", "WEB", "--json")) == ["WEB-1", "WEB-2", "WEB-3", "WEB-4", "WEB-5"]
    assert keys(kanban("items", "WEB", "--column", "in progress", "--json")) == ["WEB-1"]
    assert keys(kanban("items", "WEB", "--sprint", "sprint 1", "--json")) == ["WEB-1", "WEB-2"]
    assert keys(kanban("items", "WEB", "--sprint", "active", "--json")) == ["WEB-1", "WEB-2"]
    assert keys(kanban("items", "WEB", "--sprint", "none", "--json")) == ["WEB-3", "WEB-4", "WEB-5"]
    assert keys(kanban("items", "WEB", "--label", "PAYMENTS", "--json")) == ["WEB-1"]
    assert keys(kanban("items", "WEB", "--assignee", "ana", "--json")) == ["WEB-1"]
    assert keys(kanban("items", "WEB", "--assignee", "none", "--sprint", "1", "--json")) == [
        "WEB-2"
    ]


def test_items_json_is_the_documented_shape(kanban: Kanban, shop: Database) -> None:
    first, *_rest = json.loads(kanban("items", "WEB", "--json").out)
    since = first.pop("in_column_since")
    assert dt.datetime.fromisoformat(since).tzinfo is not None
    assert first == {
        "key": "WEB-1",
        "title": "Guest checkout",
        "kind": "story",
        "column": "In Progress",
        "category": "doing",
        "points": 5.0,
        "value": None,
        "sprint": "Sprint 1",
        "assignee": "Ana Silva",
        "requested_by": None,
        "labels": ["frontend", "payments"],
        "blocked": None,
        "open_questions": 0,
    }


def test_items_as_a_table(kanban: Kanban, shop: Database) -> None:
    header, *lines = kanban("items", "WEB").out.splitlines()
    assert header.split() == ["KEY", "KIND", "COLUMN", "POINTS", "ASSIGNEE", "SPRINT", "LABELS",
                              "TITLE"]  # fmt: skip
    assert lines[0].split() == ["WEB-1", "story", "In", "Progress", "5", "Ana", "Silva", "Sprint",
                                "1", "frontend,", "payments", "Guest", "checkout"]  # fmt: skip
    assert lines[3].endswith("Pay with PayPal  [blocked: Merchant account]")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--column", "Doing"), "No column 'Doing'; the columns are: Backlog, To Do, In Progress"),
        (("--sprint", "Sprint 9"), "No sprint 'Sprint 9'; the sprints are: Sprint 1"),
        (("--label", "ux"), "No label 'ux'; the labels are: frontend, payments"),
        (("--assignee", "Zoe"), "the team: Ana Silva, Ben Carter"),
    ],
)
def test_an_unknown_filter_name_lists_the_names_there_are(
    kanban: Kanban, shop: Database, args: tuple[str, ...], message: str
) -> None:
    result = kanban("items", "WEB", *args)
    assert (result.code, result.out) == (2, "")
    assert message in result.err


def test_edit_changes_what_is_given_and_says_so(kanban: Kanban, shop: Database) -> None:
    edited = kanban("edit", "web-3", "--title", "Wish lists", "--points", "13", "--assignee",
                    "ben", "--label", "ux", "mobile", "--kind", "epic")  # fmt: skip
    assert edited.code == 0, edited.err
    assert edited.out == (
        "WEB-3: title 'Wish lists', kind story → epic, points - → 13, assignee Ben Carter, "
        "labels mobile, ux\n"
    )
    item = get_item(shop, "WEB-3")
    assert (item.title, item.kind, item.points, item.labels) == (
        "Wish lists", "epic", 13.0, ("mobile", "ux"),
    )  # fmt: skip
    cleared = kanban("edit", "WEB-3", "--points", "none", "--assignee", "none", "--label")
    assert cleared.out == "WEB-3: points 13 → -, assignee nobody, labels none\n"
    item = get_item(shop, "WEB-3")
    assert (item.points, item.assignee_id, item.labels) == (None, None, ())
    assert kanban("edit", "WEB-3", "--title", "Wish lists").out == "WEB-3: nothing changed\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("edit", "WEB-3"), "Nothing to change: give --title, --points"),
        (("edit", "WEB-3", "--points", "lots"), "not a number: 'lots'"),
        (("edit", "WEB-3", "--points", "-2"), "points"),
        (("edit", "WEB-3", "--assignee", "Zoe"), "--new-member"),
        (("edit", "WEB-9", "--title", "x"), "No item WEB-9"),
        (("block", "WEB-3", "  "), "A reason is required"),
    ],
)
def test_edit_mistakes_are_one_line_and_change_nothing(
    kanban: Kanban, shop: Database, args: tuple[str, ...], message: str
) -> None:
    before = get_item(shop, "WEB-3")
    result = kanban(*args)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1 and message in result.err
    assert get_item(shop, "WEB-3") == before


def test_block_and_unblock(kanban: Kanban, shop: Database) -> None:
    assert kanban("block", "WEB-2", "Waiting for the bank").out == (
        "WEB-2: blocked (Waiting for the bank)\n"
    )
    assert get_item(shop, "WEB-2").blocked_reason == "Waiting for the bank"
    assert kanban("unblock", "WEB-2").out == "WEB-2: unblocked (was: Waiting for the bank)\n"
    assert get_item(shop, "WEB-2").blocked_reason is None
    assert kanban("unblock", "WEB-2").out == "WEB-2: was not blocked\n"


# --- the board ---------------------------------------------------------------------------------


def test_the_board_shows_columns_side_by_side_with_their_wip(
    kanban: Kanban, shop: Database
) -> None:
    doing = next(c for c in list_columns(shop, 1) if c.category == "doing")
    set_wip_limit(shop, doing.id, 1)
    move_item(shop, 2, column_id=doing.id)  # two cards where one is the limit
    result = kanban("board", "WEB", "--width", "120")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert all(width_of(line) <= 120 for line in lines)
    heads = [part.strip() for part in lines[0].split("  ") if part.strip()]
    assert heads == ["Backlog 2", "To Do 0", "In Progress 2/1 OVER", "Done 1"]
    column = lines[0].index("In Progress")
    assert lines[2][column:].startswith("WEB-1 5 Guest checkout")
    assert lines[3][column:].startswith("WEB-2 8 Pay by card")
    assert lines[2].startswith("WEB-3 Wish list")
    assert lines[3].startswith("WEB-4! 3 Pay with PayPal")  # ! blocked
    assert lines[2][lines[0].index("Done") :].startswith("WEB-5 1 Fix: cart total")
    assert lines[-1].startswith("! blocked")


def test_a_filtered_board_keeps_the_wip_counts_of_every_card(
    kanban: Kanban, shop: Database
) -> None:
    lines = kanban("board", "WEB", "--assignee", "ana", "--width", "80").out.splitlines()
    # Pay by card went to do when its sprint started.
    assert "In Progress 1" in lines[0] and "Backlog 2" in lines[0] and "To Do 1" in lines[0]
    assert sum("WEB-" in line for line in lines) == 1
    assert "1 of 5 cards shown" in lines[-1]


def test_a_long_title_is_cut_to_the_column_and_wide_characters_count_twice(
    kanban: Kanban, shop: Database
) -> None:
    add_item(shop, "WEB", "商品の写真をアップロードして切り抜く機能を管理画面に追加する")
    lines = kanban("board", "WEB", "--width", "80").out.splitlines()
    (row,) = [line for line in lines if "WEB-6" in line]
    assert width_of(row) <= 80
    assert row.rstrip().split("  ")[0].endswith("…")


# --- sprints, updates and reports --------------------------------------------------------------


def test_sprints_json(kanban: Kanban, shop: Database) -> None:
    create_sprint(shop, "WEB", "Sprint 2")
    listed = json.loads(kanban("sprints", "WEB", "--json").out)
    assert listed == [
        {"id": 1, "name": "Sprint 1", "state": "active", "goal": "Checkout",
         "start": "2026-05-04", "end": "2026-05-17", "items": 2, "points": 13.0,
         "done_items": 0, "done_points": 0.0},
        {"id": 2, "name": "Sprint 2", "state": "planned", "goal": "", "start": None,
         "end": None, "items": 0, "points": 0.0, "done_items": 0, "done_points": 0.0},
    ]  # fmt: skip
    header, first, _second = kanban("sprints", "WEB").out.splitlines()
    assert header.split()[:4] == ["ID", "NAME", "STATE", "DATES"]
    assert first.split() == ["1", "Sprint", "1", "active", "2026-05-04", "to", "2026-05-17",
                             "0/2", "0/13", "Checkout"]  # fmt: skip


def save(db: Database, headline: str, health: str = "on_track", **kwargs: object) -> int:
    today = dt.date.today()
    return create_status_update(
        db, "WEB", health=health, period_start=today - dt.timedelta(days=7), period_end=today,
        headline=headline, **kwargs,
    ).id  # fmt: skip


def test_updates_json_gives_the_ids_report_takes(kanban: Kanban, shop: Database) -> None:
    maria = add_stakeholder(shop, "Maria Keller", product_ids=[1], email="maria@example.com")
    first = save(shop, "Checkout slips", "at_risk")
    second = save(shop, "Back on track", recipient_ids=[maria.id])
    listed = json.loads(kanban("updates", "WEB", "--json").out)
    assert [u["id"] for u in listed] == [second, first]
    assert listed[0] | {"created_at": None} == {
        "id": second, "product": "WEB", "created_at": None,
        "period_start": (dt.date.today() - dt.timedelta(days=7)).isoformat(),
        "period_end": dt.date.today().isoformat(), "health": "on_track",
        "headline": "Back on track", "recipients": ["Maria Keller"],
    }  # fmt: skip
    table = kanban("updates", "WEB").out
    assert "On track  Back on track" in table and "At risk   Checkout slips" in table
    assert "kanban report WEB --update ID" in table


def test_report_is_live_by_default_latest_or_one_update_on_request(
    kanban: Kanban, shop: Database
) -> None:
    first = save(shop, "Checkout slips", "at_risk")
    save(shop, "Back on track")
    live = kanban("report", "WEB", "--format", "md").out
    assert "**Health:** Unknown" in live and "Back on track" not in live
    latest = kanban("report", "WEB", "--format", "md", "--update", "latest").out
    assert "**Health:** On track" in latest and "Back on track" in latest
    chosen = kanban("report", "WEB", "--format", "md", "--update", str(first)).out
    assert "Checkout slips" in chosen
    wrong = kanban("report", "WEB", "--format", "md", "--update", "newest")
    assert wrong.code == 2 and "not an update's id or 'latest'" in wrong.err


def test_report_latest_without_any_update_says_how_to_get_the_live_one(
    kanban: Kanban, shop: Database
) -> None:
    result = kanban("report", "WEB", "--format", "md", "--update", "latest")
    assert (result.code, result.out) == (2, "")
    assert "WEB has no saved status update yet" in result.err
    assert "kanban report WEB --format md" in result.err

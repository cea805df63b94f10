"""`kanban releases`, `kanban release`, `kanban release-notes` (issue 13.1, 13.7) on a real
file through the real command line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import Result, Run

from kanban.services import Database
from kanban.services.items import add_item, get_item
from kanban.services.products import list_columns
from kanban.services.records import ProductInfo
from kanban.services.releases import find_release

Kanban = Callable[..., Result]


@pytest.fixture
def kanban(run: Run, db_path: Path) -> Kanban:
    return lambda *args: run("--db", db_path, *args)


@pytest.fixture
def items(db: Database, product: ProductInfo) -> list[str]:
    done = next(c for c in list_columns(db, product.id) if c.category == "done")
    add_item(db, "WEB", "Checkout", points=3)
    add_item(db, "WEB", "Search", points=5)
    add_item(db, "WEB", "Crash <b>on</b> empty cart", kind="bug", points=1, column=done.id)
    return ["WEB-1", "WEB-2", "WEB-3"]


def test_release_creates_assigns_and_lists(kanban: Kanban, db: Database, items: list[str]) -> None:
    result = kanban("release", "WEB", "2.0", "--target", "2027-03-01", "--add", *items)
    assert result.code == 0, result.err
    assert result.out.splitlines()[:2] == [
        "Created release 2.0 in WEB",
        "Added to 2.0: WEB-1, WEB-2, WEB-3",
    ]
    assert get_item(db, "WEB-2").release_id == find_release(db, "WEB", "2.0").id
    listed = kanban("releases", "WEB", "--json")
    assert listed.code == 0, listed.err
    (shape,) = json.loads(listed.out)
    assert {k: shape[k] for k in ("name", "state", "target", "items", "done_items")} == {
        "name": "2.0", "state": "planned", "target": "2027-03-01", "items": 3, "done_items": 1,
    }  # fmt: skip
    assert shape["points"] == 9.0 and shape["done_points"] == 1.0
    assert shape["remaining"] == 2
    assert shape["p85"] is None and shape["reason"].startswith("Not one whole ISO week")
    assert set(shape) >= {"p50", "late_days", "late", "released_on", "description", "id"}
    text = kanban("releases", "WEB")
    assert text.out.splitlines()[0].split() == [
        "NAME", "STATE", "TARGET", "DONE", "POINTS", "DONE", "FORECAST",
    ]  # fmt: skip
    assert text.out.splitlines()[1].split()[:5] == ["2.0", "planned", "2027-03-01", "1/3", "1/9"]


def test_a_moved_target_needs_a_reason(kanban: Kanban, db: Database, items: list[str]) -> None:
    kanban("release", "WEB", "2.0", "--target", "2027-03-01")
    refused = kanban("release", "WEB", "2.0", "--target", "2027-04-01")
    assert refused.code == 2 and "needs a reason" in refused.err
    moved = kanban("release", "WEB", "2.0", "--target", "2027-04-01", "--reason", "Payments")
    assert moved.code == 0 and "Target of 2.0: 2027-04-01" in moved.out
    assert find_release(db, "WEB", "2.0").target_date == dt.date(2027, 4, 1)


def test_remove_released_and_json(kanban: Kanban, db: Database, items: list[str]) -> None:
    kanban("release", "WEB", "1.0", "--add", "WEB-1", "WEB-2")
    result = kanban(
        "release", "WEB", "1.0", "--remove", "WEB-2", "--released", "2026-11-02", "--json"
    )
    assert result.code == 0, result.err
    shape = json.loads(result.out)
    assert (shape["state"], shape["released_on"], shape["items"]) == ("released", "2026-11-02", 1)
    assert get_item(db, "WEB-2").release_id is None


def test_unknown_items_and_releases_are_refused_in_one_line(
    kanban: Kanban, items: list[str]
) -> None:
    result = kanban("release", "WEB", "2.0", "--add", "WEB-99")
    assert result.code == 2 and result.err.count("\n") == 1
    notes = kanban("release-notes", "WEB", "3.0")
    assert notes.code == 2 and "No release '3.0' in WEB" in notes.err


def test_release_notes_in_markdown_and_html(
    kanban: Kanban, items: list[str], tmp_path: Path
) -> None:
    kanban("release", "WEB", "2.0", "--add", *items)
    md = kanban("release-notes", "WEB", "2.0")
    assert md.code == 0, md.err
    assert md.out == "# Web shop 2.0\n\n## Fixed\n\n- Crash <b>on</b> empty cart (WEB-3)\n"
    out = tmp_path / "notes.html"
    html = kanban("release-notes", "WEB", "2.0", "--format", "html", "-o", out)
    assert html.code == 0 and html.out == f"Wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    assert "<h2>Fixed</h2>" in page and "&lt;b&gt;on&lt;/b&gt;" in page and "<b>" not in page


def test_a_bad_release_day_is_one_line(kanban: Kanban, items: list[str]) -> None:
    result = kanban("release", "WEB", "1.0", "--released", "soon")
    assert result.code == 2 and "--released takes a date (YYYY-MM-DD), not 'soon'" in result.err
    assert kanban("releases", "WEB", "--json").out == "[]\n"  # nothing was created


def test_remove_takes_out_only_the_items_of_that_release(
    kanban: Kanban, db: Database, items: list[str]
) -> None:
    """``--remove`` from one release leaves an item of another release where it is, and a
    mistyped release name is not created on the way: refused in one line, nothing changed."""
    kanban("release", "WEB", "1.0", "--add", "WEB-1")
    kanban("release", "WEB", "2.0", "--add", "WEB-2")
    refused = kanban("release", "WEB", "1.0", "--remove", "WEB-1", "WEB-2")
    assert refused.code == 2 and refused.err.count("\n") == 1
    assert "WEB-2 is not in 1.0 (it is in 2.0)" in refused.err
    assert get_item(db, "WEB-1").release_id == find_release(db, "WEB", "1.0").id
    assert get_item(db, "WEB-2").release_id == find_release(db, "WEB", "2.0").id
    typo = kanban("release", "WEB", "2.1", "--remove", "WEB-2")
    assert typo.code == 2 and "WEB-2 is not in 2.1 (it is in 2.0)" in typo.err
    assert [r["name"] for r in json.loads(kanban("releases", "WEB", "--json").out)] == [
        "1.0", "2.0",
    ]  # fmt: skip
    loose = kanban("release", "WEB", "1.0", "--remove", "WEB-3")
    assert loose.code == 2 and "WEB-3 is not in 1.0 (it is in no release)" in loose.err
    done = kanban("release", "WEB", "1.0", "--remove", "WEB-1")
    assert done.code == 0 and "Taken out of 1.0: WEB-1" in done.out
    assert get_item(db, "WEB-1").release_id is None


def test_the_forecast_says_early_in_words() -> None:
    from kanban.cli.releases import outlook_text
    from kanban.services.records import ReleaseInfo, ReleaseOutlook

    release = ReleaseInfo(1, 1, "2.0", "", dt.date(2027, 2, 1), "planned", None, "")
    early = ReleaseOutlook(release, 3, None, dt.date(2027, 1, 1), -31, "")
    assert outlook_text(early) == "85% by 2027-01-01, 31 days early"


def test_an_empty_release_has_no_forecast_and_says_why(
    kanban: Kanban, db: Database, items: list[str]
) -> None:
    """A release with no items was 'on time' with an 85% date of today (nothing to do is
    soon done): it has no forecast until items are assigned, and says so."""
    from kanban.charts.roadmap import note
    from kanban.services.releases import roadmap

    made = kanban("release", "WEB", "2.0", "--target", "2027-03-01")
    assert made.code == 0, made.err
    assert made.out.splitlines()[-1] == (
        "2.0 (planned): target 2027-03-01, 0/0 items done; No items in it yet"
    )
    (shape,) = json.loads(kanban("releases", "WEB", "--json").out)
    assert (shape["p85"], shape["late_days"], shape["late"]) == (None, None, False)
    assert shape["reason"] == "No items in it yet"
    (line,) = [x for x in roadmap(db, "WEB") if x.name == "2.0"]
    assert note(line) == "no items yet"
    kanban("release", "WEB", "2.0", "--add", "WEB-1")
    (again,) = json.loads(kanban("releases", "WEB", "--json").out)
    assert again["reason"] != "No items in it yet"

"""`kanban score` (issue 13.4, 13.7): inputs set, the proposal shown with its formula, applied
as one reorder that an undo (``scoring.set_ranks``) takes back exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import Result, Run

from kanban.services import Database
from kanban.services.items import add_item, item_history, load_board
from kanban.services.records import ProductInfo
from kanban.services.scoring import apply_proposal, score_proposal, set_ranks

Kanban = Callable[..., Result]


@pytest.fixture
def kanban(run: Run, db_path: Path) -> Kanban:
    return lambda *args: run("--db", db_path, *args)


@pytest.fixture
def four(db: Database, product: ProductInfo) -> list[str]:
    for title in ("Small win", "Unscored", "Big win", "Medium"):
        add_item(db, "WEB", title)
    return ["WEB-1", "WEB-2", "WEB-3", "WEB-4"]


def order(db: Database) -> list[str]:
    return [c.key for c in load_board(db, "WEB").cards]


def test_set_inputs_show_the_proposal_and_apply_it(
    kanban: Kanban, db: Database, four: list[str]
) -> None:
    result = kanban(
        "score", "WEB",
        "--set", "WEB-1", "business_value=1", "time_criticality=1", "risk_reduction=1",
        "job_size=3",
        "--set", "WEB-3", "business_value=9", "time_criticality=9", "risk_reduction=9",
        "job_size=3",
        "--set", "WEB-4", "business_value=2", "time_criticality=2", "risk_reduction=2",
        "job_size=3",
        "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    shape = json.loads(result.out)
    assert shape["formula"].startswith("WSJF = (business value + time criticality")
    assert (shape["method"], shape["moves"], shape["applied"]) == ("wsjf", 3, False)
    assert [i["key"] for i in shape["items"]] == ["WEB-3", "WEB-2", "WEB-4", "WEB-1"]
    assert shape["items"][0]["score"] == 9.0 and shape["items"][0]["place"] == 3
    assert shape["items"][1]["score"] is None and "Job size" in shape["items"][1]["missing"]
    assert order(db) == four  # shown, never applied by itself
    applied = kanban("score", "WEB", "--apply")
    assert applied.code == 0, applied.err
    assert "Applied: 3 items moved." in applied.out
    assert order(db) == ["WEB-3", "WEB-2", "WEB-4", "WEB-1"]
    assert any(h.action == "edited" for h in item_history(db, "WEB-3"))


def test_rice_and_bad_inputs(kanban: Kanban, four: list[str]) -> None:
    bad = kanban("score", "WEB", "--method", "rice", "--set", "WEB-1", "confidence=80")
    assert bad.code == 2 and "Confidence is a share from 0 to 1" in bad.err
    unknown = kanban("score", "WEB", "--set", "WEB-1", "charm=3")
    assert unknown.code == 2 and "NAME one of business_value" in unknown.err
    text = kanban("score", "WEB", "--method", "rice")
    assert text.out.startswith("RICE = reach × impact × confidence / effort\n")
    assert "The backlog is in score order already." in text.out


def test_an_applied_proposal_is_taken_back_exactly(db: Database, four: list[str]) -> None:
    from kanban.services.items import edit_item, get_item

    for key, value in (("WEB-1", 1), ("WEB-4", 5)):
        item = get_item(db, key)
        edit_item(db, item.id, item.version, business_value=value, time_criticality=0.0,
                  risk_reduction=0.0, job_size=1.0)  # fmt: skip
    before = order(db)
    assert score_proposal(db, "WEB", "wsjf").moves == 2
    done = apply_proposal(db, "WEB", "wsjf")
    assert order(db) == ["WEB-4", "WEB-2", "WEB-3", "WEB-1"]
    assert {c.key for c in done.change.cards} == {"WEB-1", "WEB-4"}
    set_ranks(db, dict(done.previous))
    assert order(db) == before
    assert apply_proposal(db, "WEB", "rice").previous == ()  # no RICE inputs: nothing moves

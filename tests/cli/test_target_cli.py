"""`kanban target` through the real command line: set, move with a reason, show the history."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import Run
from slipping import SENTENCE, write_slipping

from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.services.targets import load_history


def test_set_move_and_clear_the_target(
    run: Run, db_path: Path, product: ProductInfo, db: Database
) -> None:
    first = run("--db", db_path, "target", "WEB", "2027-03-01")
    assert first.code == 0
    assert first.out.startswith(
        "Target 1 March 2027; no status update has recorded a forecast yet."
    )
    refused = run("--db", db_path, "target", "WEB", "2027-05-02")
    assert (refused.code, refused.out) == (2, "")
    assert refused.err == (
        "kanban: A target that moves needs a reason: say why it moves from 1 March 2027 to "
        "2 May 2027\n"
    )
    moved = run(
        "--db", db_path, "target", "web", "2027-05-02", "--reason", "Bank API late", "--json"
    )
    data = json.loads(moved.out)
    assert (data["product"], data["target"]) == ("WEB", "2027-05-02")
    assert [(h["kind"], h["target"], h["reason"]) for h in data["history"]] == [
        ("target", "2027-03-01", ""),
        ("target", "2027-05-02", "Bank API late"),
    ]
    cleared = run("--db", db_path, "target", "WEB", "--clear", "--reason", "On hold")
    assert cleared.code == 0 and cleared.out.startswith("No target date (moved 2 times)")
    assert load_history(db, "WEB").target is None


def test_the_history_of_a_slipping_date(
    run: Run, db_path: Path, product: ProductInfo, db: Database
) -> None:
    write_slipping(db, product)
    shown = run("--db", db_path, "target", "WEB")
    assert shown.code == 0
    lines = shown.out.splitlines()
    assert lines[0] == SENTENCE
    assert lines[2].split() == [
        "Date",
        "What",
        "Target",
        "50%",
        "85%",
        "85%",
        "vs",
        "target",
        "Reason",
    ]
    assert lines[-1].split()[-3:] == ["19", "days", "late"]
    data = json.loads(run("--db", db_path, "target", "WEB", "--json").out)
    assert data["sentence"] == SENTENCE
    assert [h["p85"] for h in data["history"]] == [None, "2024-07-28", "2024-08-04", "2024-08-18"]


def test_mistakes_exit_2(run: Run, db_path: Path, product: ProductInfo) -> None:
    assert run("--db", db_path, "target", "NOPE", "2027-01-01").err == "kanban: No product 'NOPE'\n"
    bad = run("--db", db_path, "target", "WEB", "next week")
    assert bad.code == 2 and "is not a date (YYYY-MM-DD)" in bad.err
    both = run("--db", db_path, "target", "WEB", "2027-01-01", "--clear")
    assert both.code == 2 and "not allowed with" in both.err

"""`kanban import trello|jira|csv` on the real command line, on a real database file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cli_runner import Run

FILES = Path(__file__).parents[1] / "importers" / "files"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_trello_then_list_the_items(run: Run, db_target: str) -> None:
    result = run("--db", db_target, "import", "trello", FILES / "trello_board.json")
    assert result.code == 0, result.err
    assert result.out.startswith("Imported 7 items (16 moves, 2 comments) into WS (Web shop) from ")
    assert "Not imported (2):" in result.out
    listed = run("--db", db_target, "items", "WS", "--json")
    items = json.loads(listed.out)
    assert [item["title"] for item in items][:3] == ["Copied card", "Tidy CSS", "Write docs"]
    checkout = next(item for item in items if item["title"] == "Checkout page")
    assert (checkout["column"], checkout["category"], checkout["points"]) == ("Done", "done", 5.0)
    assert checkout["labels"] == ["api", "frontend"] or checkout["labels"] == ["frontend", "api"]


def test_dry_run_prints_the_preview_and_writes_nothing(
    run: Run, db_target: str, db_path: Path
) -> None:
    assert run("--db", db_target, "product", "add", "WEB", "Web").code == 0
    before = _digest(db_path)
    result = run(
        "--db", db_target, "import", "jira", FILES / "jira_export.csv", "--dry-run",
        "--category", "in review=done",
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        "jira_export.csv: 6 items as a new product SHOP (Web Shop), 9 moves, 2 comments, "
        "0 acceptance criteria"
    )
    assert '  In Review: done (Jira status category "In Progress"), 1 item' in lines
    assert "  line 7 (SHOP-5): end: before its creation: no move into 'done'" in lines
    assert _digest(db_path) == before


def test_a_second_import_asks_first_and_into_adds_only_what_is_new(
    run: Run, db_target: str
) -> None:
    assert run("--db", db_target, "import", "jira", FILES / "jira_export.xml").code == 0
    again = run("--db", db_target, "import", "jira", FILES / "jira_export.xml")
    assert again.code == 2
    assert again.err.startswith("kanban: jira_export.xml was imported on ")
    added = run("--db", db_target, "import", "jira", FILES / "jira_export.csv", "--into", "SHOP")
    assert added.code == 0, added.err
    assert "Imported 2 items" in added.out and "Already in SHOP, skipped: 4 items" in added.out
    copy = run("--db", db_target, "import", "jira", FILES / "jira_export.xml", "--again")
    assert copy.code == 0 and "into SHOP2 (Web Shop (2))" in copy.out


def test_csv_with_a_map(run: Run, db_target: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("What,Where,Size\nLogin,Doing,3\nShip,Live,1\n")
    result = run(
        "--db", db_target, "import", "csv", path, "--map", "title=What", "--map", "status=Where",
        "--map", "points=Size", "--key", "PLAN",
    )  # fmt: skip
    assert result.code == 0, result.err
    items = json.loads(run("--db", db_target, "items", "PLAN", "--json").out)
    assert [(i["title"], i["column"], i["category"], i["points"]) for i in items] == [
        ("Login", "Doing", "doing", 3.0),
        ("Ship", "Live", "done", 1.0),
    ]


def test_bad_input_is_one_line_and_exit_2(run: Run, db_target: str, tmp_path: Path) -> None:
    broken = tmp_path / "board.json"
    broken.write_text('{"name": "x", "cards": [')
    result = run("--db", db_target, "import", "trello", broken)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "is not valid JSON (line 1" in result.err
    assert not Path(db_target).exists()  # read before the database is opened
    wrong = run("--db", db_target, "import", "jira", FILES / "jira_export.csv", "--map", "a=b")
    assert wrong.code == 2 and "--map is for a spreadsheet" in wrong.err
    category = run(
        "--db", db_target, "import", "csv", FILES / "spreadsheet.csv", "--category", "Done=finished"
    )
    assert category.code == 2 and "no category 'finished'" in category.err


def test_progress_on_stderr(run: Run, db_target: str) -> None:
    result = run("--db", db_target, "import", "trello", FILES / "trello_board.json", "--progress")
    assert result.code == 0, result.err
    assert "Reading " in result.err and "Importing " in result.err and "100%" in result.err
    assert result.out.startswith("Imported 7 items")

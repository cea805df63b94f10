"""The command line, run in-process: every sub-command, --db and KANBAN_DB, errors, exit codes."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_runner import Result, Run
from sqlalchemy import text
from table_dump import SAMPLE_GAPS, dump, empty_tables

import kanban
from kanban.domain import question_age, today_utc
from kanban.services import Database, demo, open_database
from kanban.services.checklists import get_checklist
from kanban.services.items import get_item, load_board
from kanban.services.products import create_product, list_columns, set_wip_limit
from kanban.services.questions import (
    ask_question,
    get_question,
    list_questions,
    question_history,
)

REPO = Path(kanban.__file__).resolve().parent.parent


@pytest.fixture
def kanban_db(db_target: str, run: Run) -> Callable[..., Result]:
    """``kanban_db("add", ...)``: the command line on this test's database."""
    return lambda *args: run("--db", db_target, *args)


@contextlib.contextmanager
def opened(target: str | Path) -> Iterator[Database]:
    db = open_database(str(target))
    try:
        yield db
    finally:
        db.close()


def assert_one_line_error(result: Result, *fragments: str, code: int = 2) -> None:
    assert result.code == code
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("kanban: ")
    for fragment in fragments:
        assert fragment in lines[0]


# --- basics ----------------------------------------------------------------------------------


def test_version_is_the_project_version(run: Run) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    result = run("--version")
    assert result == Result(0, f"kanban {project['version']}\n", "")
    assert kanban.__version__ == project["version"]


def test_help_lists_every_command(run: Run) -> None:
    result = run("--help")
    assert result.code == 0
    for command in ("demo", "products", "add", "move", "ask", "answer", "questions", "report",
                    "export", "import"):  # fmt: skip
        assert f"    {command} " in result.out
    sub = run("move", "--help")
    assert sub.code == 0 and "KEY" in sub.out and "--db" in sub.out


def test_a_usage_mistake_is_one_line_and_exit_code_2(run: Run, tmp_path: Path) -> None:
    assert_one_line_error(run("add", "WEB"), "required: title", "kanban add --help")
    assert_one_line_error(run("frobnicate"), "invalid choice")
    assert_one_line_error(run("answer", "twelve", "text"), "invalid int value")
    assert_one_line_error(run("add", "WEB", "x", "--kind", "saga"), "invalid choice: 'saga'")
    assert not list(tmp_path.iterdir()), "no database was created"


# --- demo and the done-when check ----------------------------------------------------------------


def test_demo_then_open_questions_prints_the_real_open_questions(
    kanban_db: Run, db_target: str
) -> None:
    result = kanban_db("demo")
    assert result.code == 0, result.err
    assert "WEB (Web Shop) and APP (Mobile App)" in result.out
    listed = kanban_db("questions", "WEB", "--open")
    assert listed.code == 0 and listed.err == ""
    header, *lines = listed.out.splitlines()
    assert header.split() == ["ID", "STATE", "URGENCY", "AGE", "ASKED", "BY", "ITEM", "QUESTION"]
    with opened(db_target) as db:
        expected = list_questions(db, "WEB", state="open")
        answered = [q for q in list_questions(db, "WEB") if q.state != "open"]
    assert len(lines) == len(expected) >= 3
    for line, question in zip(lines, expected, strict=True):
        assert line.startswith(f"#{question.id} ")
        assert line.endswith(question.text)
        assert question.asked_by in line and (question.item_key or "-") in line
        age = question_age(question.asked_at, None, question.state, today_utc())
        assert f" {age}d " in line
    assert all(q.text not in listed.out for q in answered)


def test_demo_refuses_politely_when_the_sample_exists(kanban_db: Run, db_path: Path) -> None:
    assert kanban_db("demo").code == 0
    before = db_path.read_bytes()
    assert_one_line_error(kanban_db("demo"), "already", "WEB")
    assert db_path.read_bytes() == before


# --- items -----------------------------------------------------------------------------------


@pytest.fixture
def web(db_target: str) -> Iterator[Database]:
    """A database with the product WEB (default columns), open for checks."""
    with opened(db_target) as db:
        create_product(db, "WEB", "Web Shop")
        yield db


def test_add_prints_the_new_key(kanban_db: Run, web: Database) -> None:
    assert kanban_db("add", "WEB", "Guest checkout") == Result(0, "WEB-1\n", "")
    result = kanban_db("add", "Web Shop", "Crash on login", "--kind", "bug", "--points", "3",
                       "--column", "in progress")  # fmt: skip
    assert result == Result(0, "WEB-2\n", "")
    item = get_item(web, "WEB-2")
    assert (item.title, item.kind, item.points, item.column_name) == (
        "Crash on login", "bug", 3.0, "In Progress",
    )  # fmt: skip
    assert get_item(web, "WEB-1").column_name == "Backlog"


def test_add_refuses_bad_input(kanban_db: Run, web: Database) -> None:
    assert_one_line_error(kanban_db("add", "NOPE", "x"), "No product 'NOPE'")
    assert_one_line_error(kanban_db("add", "WEB", "  "), "title is required")
    assert_one_line_error(kanban_db("add", "WEB", "x", "--points", "-1"), "cannot be negative")
    assert_one_line_error(kanban_db("add", "WEB", "x", "--column", "Limbo"), "No column 'Limbo'")
    assert load_board(web, "WEB").cards == ()


def test_move_to_the_bottom_of_a_column(kanban_db: Run, web: Database) -> None:
    for title in ("one", "two", "three"):
        kanban_db("add", "WEB", title)
    assert kanban_db("move", "WEB-3", "In Progress").out == "WEB-3: Backlog → In Progress\n"
    result = kanban_db("move", "web-1", "in progress")
    assert result == Result(0, "WEB-1: Backlog → In Progress\n", "")
    board = load_board(web, "WEB")
    doing = next(c.id for c in board.columns if c.name == "In Progress")
    assert [c.key for c in board.cards if c.column_id == doing] == ["WEB-3", "WEB-1"]
    again = kanban_db("move", "WEB-3", "In Progress")
    assert again.out == "WEB-3: already in In Progress; moved to the bottom\n"
    board = load_board(web, "WEB")
    assert [c.key for c in board.cards if c.column_id == doing] == ["WEB-1", "WEB-3"]


def test_move_warns_past_the_wip_limit(kanban_db: Run, web: Database) -> None:
    doing = next(c for c in list_columns(web, 1) if c.name == "In Progress")
    set_wip_limit(web, doing.id, 1)
    kanban_db("add", "WEB", "one", "--column", "In Progress")
    kanban_db("add", "WEB", "two")
    result = kanban_db("move", "WEB-2", "In Progress")
    assert result.code == 0 and result.out == "WEB-2: Backlog → In Progress\n"
    assert result.err == "kanban: warning: In Progress now holds 2 items, over its WIP limit of 1\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("WEB-99", "Done"), "No item WEB-99"),
        (("NOPE-1", "Done"), "No item NOPE-1"),
        (("checkout", "Done"), "'checkout' is not an item key"),
        (("WEB-1", "Limbo"), "No column 'Limbo'; the columns are: Backlog, To Do, In Progress"),
    ],
)
def test_move_refuses_unknown_keys_and_columns(
    kanban_db: Run, web: Database, args: tuple[str, str], message: str
) -> None:
    kanban_db("add", "WEB", "one")
    assert_one_line_error(kanban_db("move", *args), message)
    assert get_item(web, "WEB-1").column_name == "Backlog"


# --- questions -------------------------------------------------------------------------------


def test_ask_and_answer(kanban_db: Run, web: Database) -> None:
    kanban_db("add", "WEB", "Guest checkout")
    asked = kanban_db("ask", "WEB", "Phone number required?", "--item", "WEB-1", "--by", "Ana",
                      "--new-member", "--urgency", "high")  # fmt: skip
    assert asked == Result(0, "Question #1 logged\n", "")
    plain = kanban_db("ask", "WEB", "Is IE11 supported?")
    assert plain == Result(0, "Question #2 logged\n", "")
    question = get_question(web, 1)
    assert (question.item_key, question.asked_by, question.urgency, question.state) == (
        "WEB-1", "Ana", "high", "open",
    )  # fmt: skip
    assert get_question(web, 2).asked_by is None
    answered = kanban_db("answer", "1", "Email only.", "--append-to-criteria")
    assert answered == Result(
        0, "Question #1 answered; added to the acceptance criteria of WEB-1\n", ""
    )
    question = get_question(web, 1)
    assert (question.state, question.answer, question.answered_by) == (
        "answered",
        "Email only.",
        "po",
    )
    assert get_checklist(web, "WEB-1")[-1].text == "Email only. (answer to question #1)"
    by = kanban_db("answer", "2", "No.", "--by", "Jordan")
    assert by.out == "Question #2 answered\n"
    assert get_question(web, 2).answered_by == "Jordan"


def test_ask_and_answer_refuse_bad_input(kanban_db: Run, web: Database) -> None:
    assert_one_line_error(kanban_db("ask", "NOPE", "Why?"), "No product 'NOPE'")
    assert_one_line_error(kanban_db("ask", "WEB", "Why?", "--item", "WEB-7"), "No item WEB-7")
    assert_one_line_error(kanban_db("answer", "42", "Because"), "No question with id 42")
    kanban_db("ask", "WEB", "Why?")
    assert_one_line_error(
        kanban_db("answer", "1", "x", "--append-to-criteria"), "not about an item"
    )
    assert get_question(web, 1).state == "open"


def test_answer_refuses_to_replace_an_answer_without_replace(kanban_db: Run, web: Database) -> None:
    kanban_db("ask", "WEB", "Which currency?")
    assert kanban_db("answer", "1", "Euro", "--by", "Jordan").code == 0
    refused = kanban_db("answer", "1", "Swiss franc")
    assert_one_line_error(
        refused, "#1 already has an answer ('Euro', by Jordan)", "nothing was changed", "--replace"
    )
    assert get_question(web, 1).answer == "Euro"
    replaced = kanban_db("answer", "1", "Swiss franc", "--replace")
    assert replaced == Result(0, "Question #1 answered\n", "")
    assert get_question(web, 1).answer == "Swiss franc"
    history = question_history(web, 1)
    assert [(e.action, e.text) for e in history][-2:] == [
        ("answer_replaced", "Euro"),
        ("answered", "Swiss franc"),
    ]


def test_questions_json_is_the_documented_shape(kanban_db: Run, web: Database) -> None:
    kanban_db("add", "WEB", "Guest checkout")
    ask_question(web, "WEB", "Phone number?", item_ref="WEB-1", asked_by="Ana", urgency="high")
    ask_question(web, "WEB", "IE11?")
    kanban_db("answer", "2", "No.")
    result = kanban_db("questions", "WEB", "--json")
    assert result.code == 0 and result.err == ""
    listed = json.loads(result.out)
    assert [q["id"] for q in listed] == [1, 2]
    first, second = listed
    assert set(first) == {"id", "product", "item", "text", "state", "urgency", "asked_by",
                          "asked_at", "answer", "answered_by", "answered_at"}  # fmt: skip
    assert {k: first[k] for k in ("product", "item", "text", "state", "urgency", "asked_by")} == {
        "product": "WEB", "item": "WEB-1", "text": "Phone number?", "state": "open",
        "urgency": "high", "asked_by": "Ana",
    }  # fmt: skip
    assert (first["answer"], first["answered_by"], first["answered_at"]) == (None, None, None)
    asked_at = dt.datetime.fromisoformat(first["asked_at"])
    assert asked_at.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - asked_at) < dt.timedelta(minutes=5)
    assert (second["item"], second["asked_by"], second["state"]) == (None, None, "answered")
    assert (second["answer"], second["answered_by"]) == ("No.", "po")
    assert dt.datetime.fromisoformat(second["answered_at"]) >= dt.datetime.fromisoformat(
        second["asked_at"]
    )
    only_open = json.loads(kanban_db("questions", "Web Shop", "--json", "--open").out)
    assert [q["id"] for q in only_open] == [1]
    assert only_open[0]["product"] == "WEB"


def test_questions_when_there_are_none(kanban_db: Run, web: Database) -> None:
    assert kanban_db("questions", "WEB", "--open") == Result(0, "No open questions for WEB.\n", "")
    assert kanban_db("questions", "WEB", "--json") == Result(0, "[]\n", "")
    assert_one_line_error(kanban_db("questions", "NOPE"), "No product 'NOPE'")


def test_products(kanban_db: Run) -> None:
    assert kanban_db("demo").code == 0
    assert kanban_db("products") == Result(0, "APP  Mobile App\nWEB  Web Shop\n", "")


# --- choosing the database -------------------------------------------------------------------


def test_db_before_or_after_the_command_and_from_the_environment(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = (tmp_path / f"{n}.db" for n in ("first", "second", "third"))
    assert run("--db", first, "demo").code == 0
    with opened(second) as db:
        create_product(db, "TWO", "Second")
    assert run("add", "TWO", "after", "--db", second).out == "TWO-1\n"
    monkeypatch.setenv("KANBAN_DB", str(second))
    assert run("add", "TWO", "from the environment").out == "TWO-2\n"
    assert run("products").out == "TWO  Second\n"
    assert run("--db", first, "products").out == "APP  Mobile App\nWEB  Web Shop\n"
    assert run("--db", f"sqlite:///{first}", "products").code == 0
    assert not third.exists()
    assert_one_line_error(run("--db", third, "products"), str(third), "no such database")
    assert not third.exists(), "a read-only command never creates a database"


def test_the_team_works_on_the_board_through_kanban_db(
    run: Run, db_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANBAN_DB", db_target)  # a file, or a URL of the team's server
    assert run("demo").code == 0
    added = run("add", "WEB", "Pay by invoice", "--points", "5")
    assert added.code == 0, added.err
    key = added.out.strip()
    assert run("move", key, "In Progress").code == 0
    asked = run("ask", "WEB", "Which invoice provider?", "--item", key, "--by", "Ana")
    assert asked.code == 0, asked.err

    listed = json.loads(run("questions", "WEB", "--json", "--open").out)

    mine = [q for q in listed if q["item"] == key]
    assert [(q["text"], q["asked_by"], q["state"]) for q in mine] == [
        ("Which invoice provider?", "Ana Silva", "open")  # the one member named Ana...
    ]
    with opened(db_target) as db:
        item = get_item(db, key)
    assert (item.title, item.points, item.column_name) == ("Pay by invoice", 5.0, "In Progress")


def test_a_file_that_is_not_a_database_is_named_and_left_unchanged(
    run: Run, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n- milk\n")
    before = notes.read_bytes()
    for args in (("demo",), ("add", "WEB", "x"), ("questions", "WEB"), ("products",)):
        assert_one_line_error(run("--db", notes, *args), str(notes), "not a kanban database")
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --- export and import -----------------------------------------------------------------------


@pytest.mark.usefixtures("reading")
def test_demo_export_import_round_trip(run: Run, tmp_path: Path) -> None:
    original, restored = tmp_path / "original.db", tmp_path / "restored.db"
    export = tmp_path / "backup.json"
    assert run("--db", original, "demo").code == 0
    result = run("--db", original, "export", "json", "-o", export)
    assert result.code == 0 and result.out.startswith("Exported 2 products, ")
    assert json.loads(export.read_text(encoding="utf-8"))["format"] == "kanban"
    result = run("--db", restored, "import", "json", export)
    assert result.code == 0 and result.out.startswith("Imported 2 products, ")
    before, after = dump(original), dump(restored)
    assert empty_tables(before) == SAMPLE_GAPS
    for table in before:
        assert after[table] == before[table], table
    refused = run("--db", restored, "import", "json", export)
    assert_one_line_error(refused, str(restored), "not empty")
    assert dump(restored) == before


@pytest.mark.usefixtures("reading")
def test_import_refuses_bad_files_without_creating_the_database(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    missing = tmp_path / "missing.json"
    assert_one_line_error(run("--db", target, "import", "json", missing), str(missing), "no such")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kanban", "version": 1,', encoding="utf-8")
    assert_one_line_error(run("--db", target, "import", "json", broken), "not valid JSON")
    other = tmp_path / "trello.json"
    other.write_text('{"name": "board", "cards": []}', encoding="utf-8")
    assert_one_line_error(run("--db", target, "import", "json", other), "not a kanban export")
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "kanban", "version": 9}', encoding="utf-8")
    assert_one_line_error(run("--db", target, "import", "json", newer), "newer kanban")
    assert not target.exists()


def test_export_failures(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    assert run("--db", db, "demo").code == 0
    assert_one_line_error(
        run("--db", db, "export", "json", "-o", tmp_path / "no" / "x.json"),
        "does not exist",
        code=1,
    )
    folder = tmp_path / "taken"
    folder.mkdir()
    failed = run("--db", db, "export", "json", "-o", folder)
    assert_one_line_error(failed, str(folder), code=1)
    assert sorted(p.name for p in tmp_path.iterdir() if "json" in p.name or "tmp" in p.name) == []


def test_interrupted_quietly(kanban_db: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "create_demo", interrupted)
    assert kanban_db("demo") == Result(130, "", "")


# --- check -----------------------------------------------------------------------------------


def test_check_says_sound_or_lists_the_damage_and_exits_1(
    kanban_db: Run, db_target: str, backend: str
) -> None:
    assert kanban_db("demo").code == 0
    checks = "references, ranks, item numbers, products"
    if backend == "sqlite":  # PostgreSQL checks its own pages
        checks = f"integrity, {checks}"
    sound = kanban_db("check")
    assert sound.code == 0 and sound.err == ""
    first, verdict = sound.out.splitlines()
    assert first.startswith("Checked ") and first.endswith(f": {checks}")
    assert verdict == "Sound: no problem found."
    with opened(db_target) as db, db.write() as session:
        session.execute(text("UPDATE items SET rank = 'a00' WHERE id = 3"))
        session.execute(text("UPDATE products SET next_number = 2 WHERE key = 'APP'"))
    damaged = kanban_db("check")
    assert damaged.code == 1 and damaged.err == ""
    lines = damaged.out.splitlines()
    assert lines[1].startswith("ranks: WEB-") and lines[1].endswith(" has an invalid rank 'a00'")
    assert lines[2].startswith("item numbers: APP's next item number is 2, but APP-")
    assert lines[-1] == "Damaged: 2 problem(s) found."
    report = json.loads(kanban_db("check", "--json").out)
    assert (report["sound"], len(report["findings"])) == (False, 2)
    assert report["findings"][0]["check"] == "ranks"
    assert ":kanban@" not in report["database"]  # never the password


def test_check_of_a_file_too_damaged_to_open_exits_1(kanban_db: Run, db_path: Path) -> None:
    assert kanban_db("demo").code == 0
    data = bytearray(db_path.read_bytes())
    data[8192:16384] = bytes(range(256)) * 32
    db_path.write_bytes(bytes(data))
    result = kanban_db("check")
    assert result.code == 1
    assert result.out.splitlines()[0] == f"Checked {db_path}: it cannot be opened"
    assert result.out.splitlines()[1].startswith("open: is damaged")
    report = json.loads(kanban_db("check", "--json").out)
    assert report["sound"] is False and report["findings"][0]["check"] == "open"


# --- backup and restore ------------------------------------------------------------------------


def test_backup_then_restore_with_replace_keeping_the_replaced_file(
    kanban_db: Run, db_path: Path, tmp_path: Path
) -> None:
    assert kanban_db("demo").code == 0
    made = kanban_db("backup")
    assert made.code == 0 and made.out.startswith(f"Backed up to {db_path.parent}/backups/kanban-")
    backup = Path(made.out.removeprefix("Backed up to ").strip())
    copy = tmp_path / "copy.db"
    assert kanban_db("backup", "-o", copy) == Result(0, f"Backed up to {copy}\n", "")
    assert_one_line_error(kanban_db("backup", "-o", copy), "exists", "--replace", code=1)
    assert_one_line_error(kanban_db("backup", "-o", db_path), "the database itself", code=1)
    listed = kanban_db("backup", "--list")
    assert listed.code == 0 and backup.name in listed.out

    before = dump(db_path)
    assert kanban_db("add", "WEB", "Lost by the restore").code == 0
    refused = kanban_db("restore", backup)
    assert_one_line_error(refused, "exists; add --replace", code=1)
    restored = kanban_db("restore", backup, "--replace")
    assert restored.code == 0, restored.err
    kept = Path(restored.out.splitlines()[0].removeprefix("The database as it was is kept in "))
    assert kept.parent == db_path.parent / "backups" and "-replaced-" in kept.name
    assert dump(db_path) == before
    assert "Lost by the restore" in str(dump(kept))
    assert kanban_db("check").code == 0

"""`python -m kanban` as a real process: the issue's done-when check, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import kanban
from kanban.services import open_database
from kanban.services.products import create_product
from kanban.services.questions import ask_question, list_questions

REPO = Path(kanban.__file__).resolve().parent.parent


def kanban_process(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kanban ARGS`` from the source tree; KANBAN_DB only if ``env`` sets it."""
    environment = {k: v for k, v in os.environ.items() if k != "KANBAN_DB"}
    environment.update(PYTHONPATH=str(REPO), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "kanban", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=environment,
        check=False,
    )


def test_demo_then_open_questions(tmp_path: Path) -> None:
    database = tmp_path / "x.db"
    demo = kanban_process("--db", database, "demo")
    assert demo.returncode == 0, demo.stderr
    listed = kanban_process("--db", database, "questions", "WEB", "--open")
    assert listed.returncode == 0, listed.stderr
    db = open_database(str(database))
    try:
        expected = list_questions(db, "WEB", state="open")
    finally:
        db.close()
    lines = listed.stdout.splitlines()[1:]
    assert [line.split()[0] for line in lines] == [f"#{q.id}" for q in expected]
    assert all(line.endswith(q.text) for line, q in zip(lines, expected, strict=True))


def test_environment_database_json_and_errors(tmp_path: Path) -> None:
    database = tmp_path / "env.db"
    db = open_database(str(database))
    try:
        create_product(db, "APP", "Mobile App")
        ask_question(db, "APP", "Opt-in on first launch?", asked_by="Eli", urgency="high")
    finally:
        db.close()
    env = {"KANBAN_DB": str(database)}
    listed = kanban_process("questions", "APP", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    [question] = json.loads(listed.stdout)
    assert (question["id"], question["text"], question["asked_by"]) == (
        1, "Opt-in on first launch?", "Eli",
    )  # fmt: skip
    failed = kanban_process("move", "APP-999", "Done", env=env)
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr == "kanban: No item APP-999\n"

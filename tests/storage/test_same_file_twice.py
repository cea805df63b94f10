"""A file opened twice in one process stays safe for every other process (issue 8.1).

POSIX advisory locks belong to the process: closing *any* descriptor of the database file drops
every SQLite lock the process holds on it. The second open must therefore never touch the file
outside SQLite; otherwise the next `kanban` command to exit believes it is the last connection
and deletes the -wal from under the window, and the file is soon corrupt.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import kanban
from kanban.services import open_database, questions
from kanban.services.items import add_item
from kanban.services.products import create_product

REPO = Path(kanban.__file__).resolve().parent.parent


def kanban_cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in another process, as a teammate runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kanban", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def test_a_second_open_in_one_process_keeps_the_wal_of_the_first(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    first = open_database(str(path))
    try:
        product = create_product(first, "WEB", "Web shop")
        add_item(first, product.id, "Guest checkout")
        second = open_database(str(path))  # File > Open Recent on the file already open
        second.close()
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()

        for round_ in range(6):
            result = kanban_cli(path, "ask", "WEB", f"Question {round_}?", "--item", "WEB-1")
            assert result.returncode == 0, result.stderr
            assert wal.exists(), f"the -wal was deleted under an open connection (round {round_})"
            add_item(first, product.id, f"Item {round_}")
        asked = [q.text for q in questions.list_questions(first, product.id)]
        assert sorted(asked) == [f"Question {n}?" for n in range(6)]
    finally:
        first.close()
    assert integrity(path) == "ok"


def test_a_window_reopening_its_file_keeps_seeing_the_terminal(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The way it broke: a window, File > Open Recent on its own file, then terminal writes."""
    from kanban.ui.app import create_window

    path = tmp_path / "window.db"
    db = open_database(str(path))
    product = create_product(db, "WEB", "Web shop")
    add_item(db, product.id, "Guest checkout")
    window = create_window(db)
    qtbot.addWidget(window)
    window.select_product(product)
    window.show()
    assert window.open_file(path)  # the current file, from Open Recent
    wal = path.with_name(path.name + "-wal")
    heard: list[bool] = []
    window.ctx.events.external_change.connect(lambda: heard.append(True))

    for round_ in range(3):
        result = kanban_cli(path, "ask", "WEB", f"Terminal question {round_}?")
        assert result.returncode == 0, result.stderr
        result = kanban_cli(path, "move", "WEB-1", "In Progress" if round_ % 2 else "Done")
        assert result.returncode == 0, result.stderr
        assert wal.exists()
        heard.clear()
        assert window.ctx.check_for_external_changes()
        add_item(window.ctx.db, product.id, f"Window item {round_}")
    texts = [q.text for q in questions.list_questions(window.ctx.db, product.id)]
    assert len(texts) == 3
    window.close()
    window.ctx.db.close()
    db.close()
    assert integrity(path) == "ok"


def test_nothing_opens_an_open_database_file_outside_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open again, export, report: no Python-level open() of the file while a connection lives."""
    from kanban.reports.export import write_report
    from kanban.services.transfer import write_export

    path = tmp_path / "guarded.db"
    db = open_database(str(path))
    product = create_product(db, "WEB", "Web shop")
    add_item(db, product.id, "Guest checkout")
    opened: list[str] = []
    real_open = io.open

    def watching_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, str | os.PathLike) and Path(file).name.startswith(path.name):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", watching_open)
    monkeypatch.setattr("builtins.open", watching_open)
    try:
        open_database(str(path)).close()
        open_database(str(tmp_path / "." / "guarded.db")).close()  # another name, same file
        write_export(db, tmp_path / "out.json")
        write_report(db, "WEB", "md", tmp_path / "out.md", None)
    finally:
        monkeypatch.undo()
        db.close()
    assert opened == []
    assert integrity(path) == "ok"

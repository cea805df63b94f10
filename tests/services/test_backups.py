"""Backups (issue 8.4): the app's daily copy, `kanban backup`, `kanban restore`, and a kill
during a backup (services.backups, storage.backup)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import kanban
from kanban.errors import CorruptDatabaseError, FileWriteError
from kanban.services import Database, open_database
from kanban.services.backups import (
    back_up,
    backup_folder,
    daily_backup,
    list_backups,
    restore_backup,
)
from kanban.services.items import add_item, load_board
from kanban.services.products import create_product

REPO = Path(kanban.__file__).resolve().parent.parent
DAY = dt.datetime(2026, 5, 4, 9, 30)


@pytest.fixture
def web(db: Database) -> Database:
    create_product(db, "WEB", "Web shop")
    add_item(db, "WEB", "Guest checkout")
    return db


def titles(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM items ORDER BY id")]
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_the_daily_backup_is_made_once_a_day_and_the_newest_seven_are_kept(
    web: Database, db_path: Path
) -> None:
    made = daily_backup(web, now=DAY)
    assert made is not None and made.parent == db_path.parent / "backups"
    assert made.name == "kanban-2026-05-04T093000.db"
    assert titles(made) == ["Guest checkout"]  # committed, even if still in the -wal
    assert daily_backup(web, now=DAY + dt.timedelta(hours=8)) is None  # once a day
    for day in range(1, 9):
        add_item(web, "WEB", f"Day {day}")
        assert daily_backup(web, now=DAY + dt.timedelta(days=day)) is not None
    backups = list_backups(db_path)
    assert [b.made_at.day for b in backups] == [12, 11, 10, 9, 8, 7, 6]  # newest 7
    assert titles(backups[0].path)[-1] == "Day 8"
    assert daily_backup(web, 3, now=DAY + dt.timedelta(days=9)) is not None
    assert len(list_backups(db_path)) == 3
    assert daily_backup(web, 0, now=DAY + dt.timedelta(days=10)) is None  # backups off
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", *_live(db_path)]


def _live(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_a_backup_never_replaces_the_database_or_an_existing_file(
    web: Database, db_path: Path, tmp_path: Path
) -> None:
    for target in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        with pytest.raises(FileWriteError, match="it is the database itself"):
            back_up(web, target)
    copy = back_up(web, tmp_path / "copy.db")
    add_item(web, "WEB", "Later")
    with pytest.raises(FileWriteError, match="exists"):
        back_up(web, copy)
    assert titles(copy) == ["Guest checkout"]
    back_up(web, copy, replace=True)
    assert titles(copy) == ["Guest checkout", "Later"]
    assert integrity(db_path) == "ok"


def test_restore_into_a_new_file_and_over_the_current_one_keeping_it_aside(
    web: Database, db_path: Path, tmp_path: Path
) -> None:
    backup = back_up(web, tmp_path / "monday.db")
    add_item(web, "WEB", "Tuesday's work")
    fresh = tmp_path / "elsewhere" / "restored.db"
    fresh.parent.mkdir()
    assert restore_backup(fresh, backup).kept_aside is None
    assert titles(fresh) == ["Guest checkout"]

    with pytest.raises(FileWriteError, match="it is open in this process"):
        restore_backup(db_path, backup, replace=True)
    web.close()
    with pytest.raises(FileWriteError, match="exists; add --replace"):
        restore_backup(db_path, backup)
    assert titles(db_path) == ["Guest checkout", "Tuesday's work"]
    result = restore_backup(db_path, backup, replace=True, now=DAY)
    assert result.kept_aside == backup_folder(db_path) / "kanban-replaced-2026-05-04T093000.db"
    assert titles(result.kept_aside) == ["Guest checkout", "Tuesday's work"]
    assert titles(db_path) == ["Guest checkout"]
    reopened = open_database(str(db_path))
    try:
        assert [c.title for c in load_board(reopened, "WEB").cards] == ["Guest checkout"]
    finally:
        reopened.close()
    assert integrity(db_path) == "ok"


def test_a_restore_is_seen_by_a_window_that_has_the_file_open(
    db_path: Path, tmp_path: Path
) -> None:
    """Another process (a window) keeps its connections: the backup's content is written
    into the file through SQLite, not by renaming another file over it."""
    script = (
        "import sys, time\n"
        "from kanban.services import open_database\n"
        "from kanban.services.items import load_board\n"
        "db = open_database(sys.argv[1]); seen = db.data_version()\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
        "print(db.data_version() != seen, [c.title for c in load_board(db, 'WEB').cards])\n"
        "db.close()\n"
    )
    db = open_database(str(db_path))
    create_product(db, "WEB", "Web shop")
    add_item(db, "WEB", "Kept")
    backup = back_up(db, tmp_path / "b.db")
    add_item(db, "WEB", "Lost by the restore")
    db.close()
    with subprocess.Popen(  # the context closes the pipes (filterwarnings = error)
        [sys.executable, "-c", script, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ) as window:
        assert window.stdout is not None and window.stdin is not None
        assert window.stdout.readline() == "open\n"
        restore_backup(db_path, backup, replace=True)
        window.stdin.write("\n")
        window.stdin.flush()
        assert window.stdout.readline() == "True ['Kept']\n"
        assert window.wait(30) == 0
    assert integrity(db_path) == "ok"


def test_a_damaged_backup_is_refused_and_nothing_changes(
    web: Database, db_path: Path, tmp_path: Path
) -> None:
    backup = back_up(web, tmp_path / "b.db")
    data = bytearray(backup.read_bytes())
    data[4096:8192] = bytes(range(256)) * 16
    backup.write_bytes(bytes(data))
    web.close()
    before = db_path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        restore_backup(db_path, backup, replace=True)
    assert db_path.read_bytes() == before and backup.read_bytes() == bytes(data)
    assert not backup_folder(db_path).exists()


def test_a_damaged_database_is_moved_aside_whole_and_replaced(
    web: Database, db_path: Path, tmp_path: Path
) -> None:
    backup = back_up(web, tmp_path / "b.db")
    web.close()
    damaged = b"SQLite format 3\x00" + os.urandom(8192)
    db_path.write_bytes(damaged)
    result = restore_backup(db_path, backup, replace=True)
    assert result.kept_aside is not None and result.kept_aside.read_bytes() == damaged
    assert "-damaged-" in result.kept_aside.name
    assert titles(db_path) == ["Guest checkout"]


# --- a kill during a backup ---------------------------------------------------------------------

BACKING_UP = """
import sys
from kanban.services import open_database
from kanban.services.backups import daily_backup
db = open_database(sys.argv[1])
def step(done, total):
    print(done, total, flush=True)
    sys.stdin.readline()  # the test says when to go on, or kills the process here
daily_backup(db, progress=step, pages=8)  # in steps, to be killed between two
print("made", flush=True)
"""


def test_a_kill_during_a_backup_leaves_no_half_backup_and_the_next_one_works(
    db_path: Path,
) -> None:
    db = open_database(str(db_path))
    create_product(db, "WEB", "Web shop")
    for n in range(600):
        add_item(db, "WEB", f"Story {n}", description="words " * 100)  # titles hold 500
    db.close()
    folder = backup_folder(db_path)
    for steps_before_kill in (1, 3, 6):
        with subprocess.Popen(  # the context closes the pipes (filterwarnings = error)
            [sys.executable, "-c", BACKING_UP, str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        ) as child:
            assert child.stdout is not None and child.stdin is not None
            for step in range(steps_before_kill):
                done, total = map(int, child.stdout.readline().split())
                assert 0 < done < total  # copying, not done
                if step < steps_before_kill - 1:
                    child.stdin.write("\n")
                    child.stdin.flush()
            child.send_signal(signal.SIGKILL)  # half way through the copy
            child.wait(30)
        assert integrity(db_path) == "ok"
        assert list_backups(db_path) == []  # nothing that looks like a backup
        leftovers = [p.name for p in folder.iterdir()]
        assert leftovers and all(n.startswith(".kanban-") and ".part" in n for n in leftovers)

    db = open_database(str(db_path))
    try:
        made = daily_backup(db)
    finally:
        db.close()
    assert made is not None and integrity(made) == "ok"
    assert len(titles(made)) == 600
    assert [p.name for p in folder.iterdir()] == [made.name]  # the dead copies are gone

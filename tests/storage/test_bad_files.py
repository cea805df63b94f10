"""Bad database files are refused with a clear message and left exactly as they were."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from kanban.domain import SCORE_FIELDS
from kanban.errors import (
    CorruptDatabaseError,
    DatabaseFileError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
)
from kanban.services import Database, open_database
from kanban.services.items import add_item, delete_item, get_item, load_board
from kanban.services.products import create_product, list_products
from kanban.services.records import Card
from kanban.storage.database import backup_sqlite_file, head_revision
from kanban.storage.tables import is_moment, metadata, read_moment

PAGE = 4096


@pytest.fixture(scope="module")
def kanban_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real kanban database of some 60 pages, closed (no -wal), as bytes."""
    path = tmp_path_factory.mktemp("real") / "kanban.db"
    db = open_database(str(path))
    create_product(db, "WEB", "Web shop")
    for number in range(25):
        add_item(db, "WEB", f"Story {number}", points=number % 8, description="words " * 200)
    db.close()
    data = path.read_bytes()
    assert len(data) > 40 * PAGE
    return data


def write_plain_text(path: Path, _real: bytes) -> None:
    path.write_text("Shopping list\n- milk\n- eggs\n" * 50)


def write_random_bytes(path: Path, _real: bytes) -> None:
    path.write_bytes(os.urandom(3 * PAGE))


def write_sqlite_header_then_noise(path: Path, real: bytes) -> None:
    path.write_bytes(real[:16] + os.urandom(3 * PAGE))


def write_header_only(path: Path, real: bytes) -> None:
    path.write_bytes(real[:60])


def write_truncated(path: Path, real: bytes) -> None:
    path.write_bytes(real[: len(real) // 2])


def write_corrupted(path: Path, real: bytes) -> None:
    middle = (len(real) // PAGE // 2) * PAGE
    damaged = bytearray(real)
    damaged[middle : middle + 4 * PAGE] = bytes(range(256)) * (4 * PAGE // 256)
    path.write_bytes(bytes(damaged))


def write_other_app(path: Path, _real: bytes) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts (name) VALUES ('Ada')")
    conn.commit()
    conn.close()


def write_no_schema_version(path: Path, real: bytes) -> None:
    path.write_bytes(real)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()


def write_newer(path: Path, real: bytes) -> None:
    path.write_bytes(real)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()


def write_read_only(path: Path, real: bytes) -> None:
    path.write_bytes(real)
    path.chmod(0o444)


def make_folder(path: Path, _real: bytes) -> None:
    path.mkdir()


CASES: dict[str, tuple[Callable[[Path, bytes], None], type[DatabaseFileError], str]] = {
    "plain text": (write_plain_text, NotADatabaseError, "not a SQLite file"),
    "random bytes": (write_random_bytes, NotADatabaseError, "not a SQLite file"),
    "SQLite header, then noise": (write_sqlite_header_then_noise, CorruptDatabaseError, "damaged"),
    "header only": (write_header_only, CorruptDatabaseError, "truncated"),
    "cut in half": (write_truncated, CorruptDatabaseError, "damaged"),
    "pages overwritten": (write_corrupted, CorruptDatabaseError, "damaged"),
    "another app's database": (write_other_app, NotADatabaseError, "not one made by kanban"),
    "no schema version": (write_no_schema_version, CorruptDatabaseError, "no schema version"),
    "newer schema": (write_newer, NewerDatabaseError, "newer version of kanban"),
    "read-only": (write_read_only, ReadOnlyDatabaseError, "read-only"),
    "a folder": (make_folder, NotADatabaseError, "folder"),
}


def fingerprint(path: Path) -> tuple[str | None, int]:
    """The file's sha256 (None for a folder) and its mode bits."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return digest, path.stat().st_mode


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_and_left_untouched(
    tmp_path: Path, kanban_bytes: bytes, case: str
) -> None:
    make, error, problem = CASES[case]
    path = tmp_path / "kanban.db"
    make(path, kanban_bytes)
    before = fingerprint(path)
    listing = sorted(tmp_path.iterdir())

    with pytest.raises(error) as caught:
        open_database(str(path))

    message = str(caught.value)
    assert message.startswith(f"{path}: ")  # names the file...
    assert problem in message  # ...and the problem
    assert "\n" not in message  # one line, fit for the command line's stderr
    assert fingerprint(path) == before  # byte-for-byte, and its permissions
    assert sorted(tmp_path.iterdir()) == listing  # no -wal, -shm, -journal or backup left


def test_a_newer_file_message_names_its_revision(tmp_path: Path, kanban_bytes: bytes) -> None:
    path = tmp_path / "kanban.db"
    write_newer(path, kanban_bytes)
    with pytest.raises(NewerDatabaseError, match="0099_from_the_future"):
        open_database(str(path))


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "kanban.db"
    path.touch()
    db = open_database(str(path))
    create_product(db, "WEB", "Web shop")
    db.close()
    assert path.stat().st_size > 0


def test_a_file_still_open_elsewhere_is_probed_without_harm(
    tmp_path: Path, kanban_bytes: bytes
) -> None:
    """With another window's -wal beside the file, opening a second time still works."""
    path = tmp_path / "kanban.db"
    path.write_bytes(kanban_bytes)
    first = open_database(str(path))
    add_item(first, "WEB", "Written by the first window")  # committed, maybe only in the -wal
    assert path.with_name("kanban.db-wal").exists()
    second = open_database(str(path))
    try:
        assert get_item(second, "WEB-26").title == "Written by the first window"
    finally:
        second.close()
        first.close()


# --- migrating an older file ---------------------------------------------------------------

FIRST_REVISION = "0001"


@pytest.fixture
def first_release(tmp_path: Path) -> str:
    """The app's migrations as the first release shipped them: an older app."""
    source = resources.files("kanban.storage") / "migrations"
    target = tmp_path / "first_release_migrations"
    shutil.copytree(str(source), target, ignore=shutil.ignore_patterns("__pycache__"))
    for script in (target / "versions").glob("*.py"):
        if not script.name.startswith(f"{FIRST_REVISION}_"):
            script.unlink()
    return str(target)


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in ("alembic_version", "sqlite_sequence")
        ]
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY {key(conn, t)}").fetchall() for t in tables
        }
    finally:
        conn.close()


def key(conn: sqlite3.Connection, table: str) -> str:
    """A table's primary key columns, in order (a link table has no rowid from 0006 on)."""
    columns = sorted(
        (pk, name)
        for _cid, name, _type, _nn, _default, pk in conn.execute(f'PRAGMA table_info("{table}")')
        if pk
    )
    return ", ".join(f'"{name}"' for _pk, name in columns) or "rowid"


def revision_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_REVISIONS = sorted(p.stem.removeprefix("schema_") for p in FIXTURES.glob("schema_*.sql"))
OLD_REVISIONS = [revision for revision in FIXTURE_REVISIONS if revision != head_revision()]
"""The fixtures a migration upgrades (the head's own fixture waits for the next revision)."""


def old_file(path: Path, revision: str) -> Path:
    """A database file as the app at ``revision`` left it (see fixtures/README.md)."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / f"schema_{revision}.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


def rows_by_column(path: Path) -> dict[str, list[dict[str, object]]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return {
            table: [
                moments_read(table, dict(row))
                for row in conn.execute(f"SELECT * FROM {table} ORDER BY {key(conn, table)}")
            ]
            for table in table_rows(path)
        }
    finally:
        conn.close()


def moments_read(table: str, row: dict[str, object]) -> dict[str, object]:
    """A row with its moments as datetimes: ISO text before revision 0006, Unix seconds
    after, the same moment either way."""
    columns = metadata.tables[table].c if table in metadata.tables else {}
    for name, value in row.items():
        if value is not None and name in columns and is_moment(columns[name]):
            row[name] = read_moment(value)
    return row


MOVED = {"items": {"acceptance_criteria", *SCORE_FIELDS}}
"""Columns a revision moved into another table (revision 0004: the criteria became checklist
lines, checked line by line in test_criteria_migration.py; 0008: the scoring inputs went to
item_scores, checked in test_smaller_file.py)."""


# The head revision of every release (0003 never shipped alone: it and 0004 came in one stop;
# 0007 and 0008 came in one stop too).
RELEASED = ("0001", "0002", "0004", "0005", "0006", "0008")


def test_every_released_revision_has_a_fixture() -> None:
    assert list(RELEASED) == FIXTURE_REVISIONS


@pytest.mark.parametrize("revision", OLD_REVISIONS)
def test_an_older_file_is_copied_aside_then_migrated_keeping_every_row(
    tmp_path: Path, revision: str
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = old_file(folder / "kanban.db", revision)
    original = tmp_path / "original.db"
    shutil.copyfile(path, original)
    titles = _titles(original)

    db = open_database(str(path))
    try:
        assert {card.key: card.title for card in _all_cards(db)} == titles
        newest = max(card.id for card in _all_cards(db))
        victim = _all_cards(db)[-1]
        delete_item(db, victim.id)
        assert add_item(db, "WEB", "New").id == newest + 1  # AUTOINCREMENT: ids not reused
    finally:
        db.close()

    assert db.backup is not None
    assert db.backup.parent == folder
    assert db.backup.name.startswith(f"kanban.db.before-{revision}-")
    assert dump(db.backup) == dump(original)  # the copy is the file as it was
    assert revision_of(path) == head_revision() != revision
    assert sorted(p.name for p in folder.iterdir()) == ["kanban.db", db.backup.name]


def _titles(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT p.key || '-' || i.number, i.title FROM items i JOIN products p "
            "ON p.id = i.product_id WHERE i.archived = 0"
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


def _all_cards(db: Database) -> list[Card]:
    return [card for p in list_products(db) for card in load_board(db, p.id).cards]


@pytest.mark.parametrize("revision", OLD_REVISIONS)
def test_migration_keeps_every_row_and_reference(tmp_path: Path, revision: str) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    before = rows_by_column(path)

    open_database(str(path)).close()

    after = rows_by_column(path)
    assert set(before) <= set(after)
    for table, rows in before.items():  # no cascade from rebuilding a table; new columns only
        old_columns = (set(rows[0]) if rows else set()) - MOVED.get(table, set())
        kept = [{k: v for k, v in row.items() if k in old_columns} for row in after[table]]
        assert kept == [{k: v for k, v in row.items() if k in old_columns} for row in rows], table
        assert not MOVED.get(table, set()) & set(after[table][0] if after[table] else ())
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_reopening_a_migrated_file_copies_nothing_more(tmp_path: Path, first_release: str) -> None:
    path = tmp_path / "kanban.db"
    Database.open(f"sqlite:///{path}", migrations=first_release).close()
    open_database(str(path)).close()
    backups = sorted(tmp_path.glob("kanban.db.before-*"))
    again = open_database(str(path))
    again.close()
    assert again.backup is None
    assert sorted(tmp_path.glob("kanban.db.before-*")) == backups


def test_the_older_app_refuses_a_file_this_app_migrated(tmp_path: Path, first_release: str) -> None:
    path = tmp_path / "kanban.db"
    open_database(str(path)).close()
    before = fingerprint(path)

    with pytest.raises(
        NewerDatabaseError, match=rf"newer version of kanban \(schema {head_revision()}\)"
    ):
        Database.open(f"sqlite:///{path}", migrations=first_release)

    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first_release_migrations", "kanban.db"]


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_backup_copies_a_live_database(db: Database) -> None:
    """The online backup sees what is committed, even while it sits in the -wal."""
    create_product(db, "WEB", "Web shop")
    add_item(db, "WEB", "Only in the write-ahead log so far")
    assert db.path is not None
    copy = backup_sqlite_file(db.path, "0001")
    assert copy.parent == db.path.parent
    conn = sqlite3.connect(copy)
    try:
        titles = conn.execute("SELECT title FROM items").fetchall()
    finally:
        conn.close()
    assert titles == [("Only in the write-ahead log so far",)]

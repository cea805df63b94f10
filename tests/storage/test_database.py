"""Opening a database file: schema, SQLite settings, write locking, constraints, change polling."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kanban.errors import DatabaseBusyError
from kanban.services import Database, open_database
from kanban.services.records import ProductInfo
from kanban.storage.database import SCHEMA_HEAD, ReferenceMissingError, head_revision
from kanban.storage.models import Base

SHORT_TIMEOUT_MS = 250


@pytest.fixture
def pair(db_path: Path) -> Iterator[tuple[Database, Database]]:
    """Two Database objects on one file (two windows, or a window and the command line)."""
    first = Database.open(f"sqlite:///{db_path}", busy_timeout_ms=SHORT_TIMEOUT_MS)
    second = Database.open(f"sqlite:///{db_path}", busy_timeout_ms=SHORT_TIMEOUT_MS)
    yield first, second
    first.close()
    second.close()


def count(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# --- a new file ----------------------------------------------------------------------------


def test_a_new_file_is_created_at_the_newest_schema(db_path: Path) -> None:
    assert not db_path.exists()
    db = open_database(str(db_path))
    try:
        assert db_path.is_file()
        assert db.backup is None  # nothing to copy aside for a new file
        with db.read() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            tables = set(
                session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table'")
                ).scalars()
            )
            # The migrations build exactly what the models describe.
            context = MigrationContext.configure(session.connection())
            assert compare_metadata(context, Base.metadata) == []
        assert version == head_revision()
        assert tables == set(Base.metadata.tables) | {"alembic_version", "sqlite_sequence"}
    finally:
        db.close()


def schema_of(path: Path) -> dict[str, object]:
    """Everything SQLite enforces, per table, in a form that ignores declaration order."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        inspector = inspect(engine)
        schema: dict[str, object] = {
            table: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
                inspector.get_pk_constraint(table)["constrained_columns"],
                sorted(
                    (f["name"], f["constrained_columns"], f["referred_table"], f["options"])
                    for f in inspector.get_foreign_keys(table)
                ),
                sorted(
                    (u["name"], u["column_names"]) for u in inspector.get_unique_constraints(table)
                ),
                sorted(
                    (c["name"], " ".join(c["sqltext"].split()))
                    for c in inspector.get_check_constraints(table)
                ),
            )
            for table in inspector.get_table_names()
        }
        with engine.connect() as conn:
            master = conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master").all()
    finally:
        engine.dispose()
    schema["indexes"] = sorted(
        (n, " ".join(sql.split())) for t, n, sql in master if t == "index" and sql
    )
    schema["autoincrement"] = sorted(n for t, n, sql in master if "AUTOINCREMENT" in (sql or ""))
    schema["without_rowid"] = sorted(
        n for t, n, sql in master if "WITHOUT ROWID" in " ".join((sql or "").upper().split())
    )
    return schema


def test_a_new_file_and_a_migrated_one_have_the_same_schema(tmp_path: Path) -> None:
    """New files are made from the models; older ones by the scripts: both must agree."""
    made = tmp_path / "made.db"
    migrated = tmp_path / "migrated.db"
    Database.open(f"sqlite:///{made}").close()
    scripts = str(resources.files("kanban.storage") / "migrations")
    Database.open(f"sqlite:///{migrated}", migrations=scripts).close()  # replays every script
    assert schema_of(migrated) == schema_of(made)
    assert schema_of(made)["autoincrement"] == ["board_columns", "items"]
    assert len(schema_of(made)["without_rowid"]) == 5  # type: ignore[arg-type]
    engine = create_engine(f"sqlite:///{migrated}")
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()
    assert version == head_revision()


def test_item_and_column_ids_are_never_reused(db: Database, product: ProductInfo) -> None:
    """A stale window or undo aimed at a deleted row must not hit a newer row with its id."""
    with db.write() as session:
        insert_item(session, product, number=1, rank="a1")
        insert_column(session, product)
    with db.write() as session:
        item_id, col_id = (
            session.execute(text(f"SELECT max(id) FROM {table}")).scalar_one()
            for table in ("items", "board_columns")
        )
        session.execute(text("DELETE FROM items"))
        session.execute(text("DELETE FROM board_columns WHERE id = :c"), {"c": col_id})
    with db.write() as session:
        insert_item(session, product, number=2, rank="a2")
        insert_column(session, product)
        assert session.execute(text("SELECT id FROM items")).scalar_one() == item_id + 1
        new_col = session.execute(text("SELECT max(id) FROM board_columns")).scalar_one()
        assert new_col == col_id + 1


def test_reopening_and_closing_leave_only_the_database_file(db_path: Path) -> None:
    open_database(str(db_path)).close()
    db = open_database(str(db_path))
    assert db.backup is None  # already at the newest schema: no copy
    db.close()
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_folder_that_does_not_exist_yet_is_made(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "kanban.db"
    db = open_database(str(path))
    db.close()
    assert path.is_file()


@pytest.mark.parametrize("folder", ["my files", "what?", "x%20y", "a#b", "50% done", "Ünïcödé"])
def test_the_file_is_made_exactly_where_the_path_says(tmp_path: Path, folder: str) -> None:
    """Characters that mean something in a URL must not send the database elsewhere."""
    path = tmp_path / folder / "kanban.db"
    path.parent.mkdir()
    db = open_database(str(path))
    db.close()
    assert db.path == path
    open_database(str(path)).close()  # and the checks of an existing file read it there
    assert sorted(p.name for p in path.parent.iterdir()) == ["kanban.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


# --- SQLite settings -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["read", "write"])
def test_pragmas_are_in_force_on_every_session(db: Database, mode: str) -> None:
    with getattr(db, mode)() as session:
        pragma = {
            name: session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,  # FULL: a committed move survives a crash
        "busy_timeout": 5000,
    }


def test_the_busy_timeout_can_be_lowered(pair: tuple[Database, Database]) -> None:
    with pair[0].write() as session:
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == SHORT_TIMEOUT_MS


# --- write locking -------------------------------------------------------------------------


def test_a_write_transaction_holds_the_lock_from_its_first_statement(
    pair: tuple[Database, Database],
) -> None:
    first, second = pair
    with first.write() as held:
        # Only a read so far: a deferred BEGIN would not lock yet; BEGIN IMMEDIATE does.
        assert count(held, "products") == 0
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError) as caught, second.write() as session:
            session.execute(
                text("INSERT INTO team_members (name, role, archived) VALUES ('a', '', 0)")
            )
        waited = time.monotonic() - started
        # Reads go on while the other window writes.
        with second.read() as session:
            assert count(session, "team_members") == 0
    assert waited >= SHORT_TIMEOUT_MS / 1000 * 0.9
    message = str(caught.value)
    assert str(second.path) in message
    assert "nothing was saved" in message
    with first.read() as session:
        assert count(session, "team_members") == 0  # the refused write left nothing behind


def test_a_writer_waits_for_the_other_to_commit(db_path: Path) -> None:
    first = open_database(str(db_path))
    second = open_database(str(db_path))  # the default timeout: seconds
    holding = threading.Event()

    def hold_the_lock() -> None:
        with first.write() as session:
            session.execute(
                text("INSERT INTO team_members (name, role, archived) VALUES ('a', '', 0)")
            )
            holding.set()
            time.sleep(0.2)

    thread = threading.Thread(target=hold_the_lock)
    thread.start()
    try:
        assert holding.wait(5)
        started = time.monotonic()
        with second.write() as session:
            # Inside the lock the other window's row is visible: this reads the latest data.
            assert count(session, "team_members") == 1
            session.execute(
                text("INSERT INTO team_members (name, role, archived) VALUES ('b', '', 0)")
            )
        assert time.monotonic() - started > 0.05
    finally:
        thread.join()
        first.close()
        second.close()
    check = open_database(str(db_path))
    with check.read() as session:
        assert count(session, "team_members") == 2
    check.close()


# --- constraints in the database itself ----------------------------------------------------


def insert_item(session: Session, product: ProductInfo, **values: Any) -> None:
    row = {
        "product_id": product.id,
        "number": 1,
        "kind": "story",
        "title": "A story",
        "points": None,
        "column_id": column_id(session, product),
        "rank": "a0",
        "version": 1,
    }
    row.update(values)
    session.execute(
        text(
            "INSERT INTO items (product_id, number, kind, title, description,"
            " points, column_id, rank, created_at, updated_at,"
            " column_since, archived, version) VALUES (:product_id, :number, :kind, :title, '',"
            " :points, :column_id, :rank, '2025-01-01 00:00:00', '2025-01-01 00:00:00',"
            " '2025-01-01 00:00:00', 0, :version)"
        ),
        row,
    )


def column_id(session: Session, product: ProductInfo) -> int:
    return int(
        session.execute(
            text("SELECT min(id) FROM board_columns WHERE product_id = :p"), {"p": product.id}
        ).scalar_one()
    )


def insert_column(session: Session, product: ProductInfo, **values: Any) -> None:
    row = {"name": "Review", "category": "doing", "wip_limit": None} | values
    session.execute(
        text(
            "INSERT INTO board_columns (product_id, name, position, wip_limit, category)"
            " VALUES (:product_id, :name, 9, :wip_limit, :category)"
        ),
        {"product_id": product.id, **row},
    )


def insert_sprint(session: Session, product: ProductInfo, name: str, state: str) -> None:
    session.execute(
        text("INSERT INTO sprints (product_id, name, goal, state) VALUES (:p, :name, '', :state)"),
        {"p": product.id, "name": name, "state": state},
    )


def insert_question(session: Session, product: ProductInfo, state: str) -> None:
    session.execute(
        text(
            "INSERT INTO questions (product_id, asked_at, text, urgency, state, answer,"
            " answered_by) VALUES (:p, '2025-01-01 00:00:00', 'Why?', 'normal', :state, '', '')"
        ),
        {"p": product.id, "state": state},
    )


REFUSED = {
    "duplicate item number": lambda s, p: (
        insert_item(s, p, number=1, rank="a1"),
        insert_item(s, p, number=1, rank="a2"),
    ),
    "duplicate rank": lambda s, p: (
        insert_item(s, p, number=1, rank="a1"),
        insert_item(s, p, number=2, rank="a1"),
    ),
    "negative points": lambda s, p: insert_item(s, p, points=-1),
    "blank title": lambda s, p: insert_item(s, p, title="   "),
    "unknown kind": lambda s, p: insert_item(s, p, kind="feature"),
    "version zero": lambda s, p: insert_item(s, p, version=0),
    "unknown column": lambda s, p: insert_item(s, p, column_id=9999),
    "unknown product": lambda s, p: insert_sprint(
        s, ProductInfo(9999, "X", "X", "", False), "S", "planned"
    ),
    "unknown category": lambda s, p: insert_column(s, p, category="blocked"),
    "WIP limit 0": lambda s, p: insert_column(s, p, wip_limit=0),
    "duplicate column name": lambda s, p: insert_column(s, p, name="Done"),
    "unknown sprint state": lambda s, p: insert_sprint(s, p, "S", "running"),
    "second active sprint": lambda s, p: (
        insert_sprint(s, p, "S1", "active"),
        insert_sprint(s, p, "S2", "active"),
    ),
    "unknown question state": lambda s, p: insert_question(s, p, "pending"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_the_database_itself_refuses(db: Database, product: ProductInfo, case: str) -> None:
    tables = ("items", "board_columns", "sprints", "questions")
    with db.read() as session:
        before = {table: count(session, table) for table in tables}
    with pytest.raises(IntegrityError), db.write() as session:
        REFUSED[case](session, product)
    with db.read() as session:
        assert {table: count(session, table) for table in tables} == before


def test_the_same_rows_are_accepted_when_valid(db: Database, product: ProductInfo) -> None:
    """The refusals above are the constraints at work, not malformed SQL."""
    with db.write() as session:
        insert_item(session, product, number=1, rank="a1", points=0)
        insert_item(session, product, number=2, rank="a2", kind="epic")
        insert_column(session, product, wip_limit=1)
        insert_sprint(session, product, "S1", "active")
        insert_sprint(session, product, "S2", "closed")
        insert_sprint(session, product, "S3", "planned")
        insert_question(session, product, "obsolete")
    with db.read() as session:
        assert count(session, "items") == 2


def test_deleting_a_column_that_holds_items_is_refused(db: Database, product: ProductInfo) -> None:
    with db.write() as session:
        insert_item(session, product)
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(
            text("DELETE FROM board_columns WHERE id = :c"), {"c": column_id(session, product)}
        )


# --- noticing other connections' commits ---------------------------------------------------


def test_data_version_changes_when_another_database_commits(
    pair: tuple[Database, Database],
) -> None:
    first, second = pair
    seen = second.data_version()
    assert second.data_version() == seen  # nothing happened
    with first.read() as session:
        count(session, "products")
    with first.write() as session:
        count(session, "products")  # a write transaction that writes nothing
    assert second.data_version() == seen
    with first.write() as session:
        session.execute(text("INSERT INTO team_members (name, role, archived) VALUES ('a', '', 0)"))
    changed = second.data_version()
    assert changed != seen
    assert second.data_version() == changed


def test_data_version_ignores_a_rolled_back_write(pair: tuple[Database, Database]) -> None:
    first, second = pair
    seen = second.data_version()
    with pytest.raises(RuntimeError), first.write() as session:
        session.execute(text("INSERT INTO team_members (name, role, archived) VALUES ('a', '', 0)"))
        raise RuntimeError("the user's action failed half way")
    assert second.data_version() == seen


def test_data_version_of_a_closed_file_says_it_is_closed(db_path: Path) -> None:
    # Not a PostgreSQL listener started on the file's path (what a late poll timer once got).
    database = open_database(str(db_path))
    database.close()
    database.close()  # twice is harmless
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        database.data_version()


def test_the_schema_head_constant_is_alembics_head() -> None:
    # Opening an up-to-date file trusts SCHEMA_HEAD instead of importing Alembic; a new
    # revision must move it.
    assert head_revision() == SCHEMA_HEAD


def test_opening_an_up_to_date_file_does_not_import_alembic(db_path: Path) -> None:
    open_database(str(db_path)).close()
    script = (
        "import sys; from kanban.services import open_database; "
        f"open_database({str(db_path)!r}).close(); "
        "print(sorted(m for m in sys.modules if m.startswith('alembic')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_bulk_write_checks_references_once_before_it_commits(db_path: Path) -> None:
    db = open_database(str(db_path))  # SQLite's: PostgreSQL checks each row (as write does)
    dangling = "INSERT INTO labels (product_id, name, color) VALUES (999, 'x', '#808080')"
    missing = "labels refers to a missing row of products"
    with pytest.raises(ReferenceMissingError, match=missing), db.bulk_write() as session:
        session.execute(text(dangling))  # not refused row by row in a bulk write
        assert count(session, "labels") == 1
    with db.read() as session:
        assert count(session, "labels") == 0  # nothing was written
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(text(dangling))  # the pooled connection checks each row again
    with db.bulk_write() as session:  # sound rows commit
        session.execute(text("INSERT INTO team_members (name, role, archived) VALUES ('A', '', 0)"))
    with db.read() as session:
        assert count(session, "team_members") == 1
    db.close()

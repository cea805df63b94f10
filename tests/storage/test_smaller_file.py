"""Revision 0005: the moves are indexed by item alone and the sprint and epic indexes hold only
the items in one; older files get the same indexes, keep every row, and the lookups that need
an index still find one."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from kanban.services import Database, items, open_database, sprints
from kanban.services.records import ProductInfo

FIXTURES = Path(__file__).parent / "fixtures"
MIGRATIONS = resources.files("kanban.storage") / "migrations"
NEW_INDEXES = {
    "ix_transitions_item_id": "CREATE INDEX ix_transitions_item_id ON transitions (item_id)",
    "ix_items_sprint_id": (
        "CREATE INDEX ix_items_sprint_id ON items (sprint_id) WHERE sprint_id IS NOT NULL"
    ),
    "ix_items_epic_id": (
        "CREATE INDEX ix_items_epic_id ON items (epic_id) WHERE epic_id IS NOT NULL"
    ),
}
OLD_INDEXES = {
    "ix_transitions_at": "CREATE INDEX ix_transitions_at ON transitions (at)",
    "ix_transitions_item_at": "CREATE INDEX ix_transitions_item_at ON transitions (item_id, at)",
    "ix_items_sprint_id": "CREATE INDEX ix_items_sprint_id ON items (sprint_id)",
    "ix_items_epic_id": "CREATE INDEX ix_items_epic_id ON items (epic_id)",
}


def indexes(path: Path, *tables: str) -> dict[str, str]:
    """The named indexes of these tables, each with its SQL (whitespace folded)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' for _ in tables)})",
            tables,
        ).fetchall()
    finally:
        conn.close()
    return {name: " ".join(sql.split()) for name, sql in rows}


def moves_indexes(path: Path) -> dict[str, str]:
    """The indexes revision 0005 changes."""
    found = indexes(path, "transitions", "items")
    return {n: s for n, s in found.items() if n in NEW_INDEXES or n in OLD_INDEXES}


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def old_file(path: Path, revision: str) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / f"schema_{revision}.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


def plan(db: Database, sql: str, *params: object) -> str:
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        return " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    finally:
        conn.close()


def test_a_new_file_has_the_smaller_indexes(db: Database) -> None:
    assert db.path is not None
    assert moves_indexes(db.path) == NEW_INDEXES


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_an_older_file_gets_them_and_keeps_every_row(tmp_path: Path, revision: str) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    assert moves_indexes(path) == OLD_INDEXES
    before = counts(path)
    assert before["transitions"] > 50, "the fixture holds the sample's moves"
    open_database(str(path)).close()
    assert moves_indexes(path) == NEW_INDEXES
    after = counts(path)
    assert {t: after[t] for t in ("items", "transitions", "activities", "sprints")} == {
        t: before[t] for t in ("items", "transitions", "activities", "sprints")
    }
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _alembic(path: Path, target: str, up: bool) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            with connection.begin():
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                (command.upgrade if up else command.downgrade)(config, target)
    finally:
        engine.dispose()


def test_downgrading_puts_the_old_indexes_back(tmp_path: Path) -> None:
    path = old_file(tmp_path / "kanban.db", "0002")
    _alembic(path, "0005", up=True)
    _alembic(path, "0004", up=False)
    assert moves_indexes(path) == OLD_INDEXES
    _alembic(path, "0005", up=True)
    assert moves_indexes(path) == NEW_INDEXES


def test_lookups_by_sprint_epic_and_item_use_an_index(db: Database, product: ProductInfo) -> None:
    epic = items.add_item(db, product.id, "Checkout", kind="epic")
    story = items.add_item(db, product.id, "Pay by card")
    items.edit_item(db, story.id, story.version, epic_id=epic.id)
    sprint = sprints.create_sprint(db, product.id, "Sprint 1")
    sprints.set_items_sprint(db, {story.id: sprint.id})
    items.move_item(db, story.id, column_id=items.load_board(db, product.id).columns[1].id)

    by_sprint = "SELECT id FROM items WHERE sprint_id = ?"
    assert "USING COVERING INDEX ix_items_sprint_id" in plan(db, by_sprint, sprint.id)
    assert "USING COVERING INDEX ix_items_epic_id" in plan(
        db, "SELECT id FROM items WHERE epic_id = ?", epic.id
    )
    assert "USING INDEX ix_transitions_item_id" in plan(
        db, "SELECT at FROM transitions WHERE item_id = ? ORDER BY at", story.id
    )
    # The rows the partial indexes hold are found through them.
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute(by_sprint, (sprint.id,)).fetchall() == [(story.id,)]
        assert conn.execute("SELECT id FROM items WHERE epic_id = ?", (epic.id,)).fetchall() == [
            (story.id,)
        ]
    finally:
        conn.close()

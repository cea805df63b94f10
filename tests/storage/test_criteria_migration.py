"""Revision 0004: Markdown acceptance criteria become checklist lines, nothing lost; the column
goes. Tested on real files of the older schemas (the sample's criteria) and on criteria as
product owners write them."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections import Counter
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine

from kanban.services import open_database
from kanban.services.checklists import criteria_lines, get_checklist
from kanban.storage.tables import read_moment

FIXTURES = Path(__file__).parent / "fixtures"
MIGRATIONS = resources.files("kanban.storage") / "migrations"

WRITTEN = """\
### Payment

- [ ] Visa and Mastercard with 3-D Secure 2
- [x] A declined card shows the bank's reason
  in plain words, never a code
* Amex is out of scope for now
+ Receipts go by email
1. Given a cart, when the customer pays, then the order is placed
2) The order number is shown
   - a nested point stays a point

---
Works on phones and tablets
[x] Checked off without a bullet
-
- [ ]
**Bold** is not a list
1.5 hours of downtime at most
"""
WRITTEN_LINES = [
    ("### Payment", False),
    ("Visa and Mastercard with 3-D Secure 2", False),
    ("A declined card shows the bank's reason in plain words, never a code", True),
    ("Amex is out of scope for now", False),
    ("Receipts go by email", False),
    ("Given a cart, when the customer pays, then the order is placed", False),
    ("The order number is shown", False),
    ("a nested point stays a point", False),
    ("Works on phones and tablets", False),
    ("Checked off without a bullet", True),
    ("**Bold** is not a list", False),
    ("1.5 hours of downtime at most", False),
]


def frozen_parser() -> ModuleType:
    """Revision 0004's own copy of the parser (a migration must not change with the app)."""
    path = Path(str(MIGRATIONS)) / "versions" / "0004_criteria_become_checklists.py"
    spec = importlib.util.spec_from_file_location("revision_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def old_file(path: Path, revision: str) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / f"schema_{revision}.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


def criteria_of(path: Path) -> dict[str, str]:
    """Item key -> its Markdown criteria, in a file of an older schema."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT p.key || '-' || i.number, i.acceptance_criteria FROM items i "
            "JOIN products p ON p.id = i.product_id"
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


def test_written_criteria_become_these_lines() -> None:
    assert criteria_lines(WRITTEN) == WRITTEN_LINES
    assert criteria_lines("") == criteria_lines("\n  \n---\n") == []


@given(st.text(alphabet=st.sampled_from(list("- *+1.)[]xX #ab\t\n")), max_size=80))
def test_the_migration_parses_as_the_app_does(text: str) -> None:
    assert frozen_parser().criteria_lines(text) == criteria_lines(text)


@given(st.text(max_size=200))
def test_every_word_of_the_criteria_is_kept(text: str) -> None:
    """Nothing lost: only list markers, task boxes, breaks and whitespace go."""
    kept = Counter(word for line, _ in criteria_lines(text) for word in line.split())
    markers = set("-*+_.)[]xX0123456789")
    words = Counter(word for word in text.split() if not set(word) <= markers)
    assert not words - kept


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_the_samples_criteria_become_checklists(tmp_path: Path, revision: str) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    before = criteria_of(path)
    assert sum(1 for text in before.values() if text) >= 5, "the fixture holds real criteria"

    db = open_database(str(path))
    try:
        for key, text in before.items():
            lines = [(line.text, line.done) for line in get_checklist(db, key)]
            assert lines == criteria_lines(text), key
            assert [line.number for line in get_checklist(db, key)] == list(
                range(1, len(lines) + 1)
            )
        search = next(k for k, t in before.items() if "Typing 'tent'" in t)
        assert [line.text for line in get_checklist(db, search)] == [
            "Typing 'tent' finds every product with 'tent' in its name",
            "Results appear within 300 ms",
            "A brand name finds that brand's products",
        ]
    finally:
        db.close()
    conn = sqlite3.connect(path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(items)")]
        assert "acceptance_criteria" not in columns
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_written_criteria_migrate_with_their_boxes_and_times(tmp_path: Path) -> None:
    path = old_file(tmp_path / "kanban.db", "0002")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE items SET acceptance_criteria = ? WHERE id = 3", (WRITTEN,))
        updated = conn.execute("SELECT updated_at FROM items WHERE id = 3").fetchone()[0]
    conn.close()

    open_database(str(path)).close()

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT position, text, done, done_at FROM checklist_items WHERE item_id = 3 "
            "ORDER BY position"
        ).fetchall()
    finally:
        conn.close()
    assert [(text, bool(done)) for _, text, done, _ in rows] == WRITTEN_LINES
    assert [position for position, *_ in rows] == list(range(len(WRITTEN_LINES)))
    # The same moment: ISO text at 0004, Unix seconds from 0006 on.
    assert {read_moment(done_at) for _, _, done, done_at in rows if done} == {read_moment(updated)}
    assert {done_at for _, _, done, done_at in rows if not done} == {None}


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


def test_downgrading_writes_the_lines_back_and_upgrading_again_keeps_them(
    tmp_path: Path,
) -> None:
    path = old_file(tmp_path / "kanban.db", "0002")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE items SET acceptance_criteria = ? WHERE id = 3", (WRITTEN,))
    conn.close()
    _alembic(path, "0004", up=True)
    _alembic(path, "0003", up=False)
    markdown = criteria_of(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM checklist_items").fetchone() == (0,)
        key = conn.execute(
            "SELECT p.key || '-' || i.number FROM items i JOIN products p "
            "ON p.id = i.product_id WHERE i.id = 3"
        ).fetchone()[0]
    finally:
        conn.close()
    assert criteria_lines(markdown[key]) == WRITTEN_LINES
    _alembic(path, "0004", up=True)
    db = open_database(str(path))
    try:
        assert [(line.text, line.done) for line in get_checklist(db, key)] == WRITTEN_LINES
    finally:
        db.close()

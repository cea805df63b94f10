"""Checking a whole database (services.check, for `kanban check` and File > Check database)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from kanban.errors import CorruptDatabaseError
from kanban.services import Database, open_database
from kanban.services.check import check_database
from kanban.services.demo import create_demo
from kanban.services.items import add_item
from kanban.services.products import create_product
from kanban.services.questions import ask_question


@pytest.fixture
def sample(db: Database) -> Database:
    create_demo(db)
    return db


def damage(db: Database, *statements: str) -> None:
    """Break the database's rules behind the services' back (the constraints allow it)."""
    with db.write() as session:
        for sql in statements:
            session.execute(text(sql))


def problems(db: Database) -> list[tuple[str, str]]:
    return [(f.check, f.problem) for f in check_database(db).findings]


def test_the_sample_is_sound_and_every_step_reports_progress(sample: Database) -> None:
    seen: list[tuple[int, int, str]] = []
    report = check_database(sample, lambda done, total, step: seen.append((done, total, step)))
    assert report.sound and report.findings == ()
    expected = ["references", "ranks", "item numbers", "products"]
    if sample.path is not None:
        expected.insert(0, "integrity")
    assert list(report.checks) == expected
    assert seen == [
        *((n, len(expected), step) for n, step in enumerate(expected)),
        (len(expected), len(expected), "done"),
    ]


def test_bad_and_shared_ranks_are_found(sample: Database) -> None:
    damage(
        sample,
        "UPDATE items SET rank = 'a00' WHERE number = 3 AND product_id = "
        "(SELECT id FROM products WHERE key = 'WEB')",
        "UPDATE items SET rank = '' WHERE number = 4 AND product_id = "
        "(SELECT id FROM products WHERE key = 'WEB')",
    )
    with sample.read() as session:
        rank = session.execute(
            text(
                "SELECT rank FROM items WHERE number = 1 AND product_id = "
                "(SELECT id FROM products WHERE key = 'APP')"
            )
        ).scalar_one()
    damage(  # the same rank in another product is fine; in the same one it is not
        sample,
        f"UPDATE items SET rank = '{rank}' WHERE number = 5 AND product_id = "
        "(SELECT id FROM products WHERE key = 'WEB')",
    )
    found = problems(sample)
    assert ("ranks", "WEB-3 has an invalid rank 'a00'") in found
    assert ("ranks", "WEB-4 has an invalid rank ''") in found
    assert all(check == "ranks" for check, _ in found)


def test_numbers_that_the_next_add_would_collide_with_are_found(sample: Database) -> None:
    damage(sample, "UPDATE products SET next_number = 3 WHERE key = 'APP'")
    [(check, problem)] = problems(sample)
    assert check == "item numbers"
    assert problem.startswith("APP's next item number is 3, but APP-")
    assert "collide" in problem


def test_references_into_another_product_are_found(sample: Database) -> None:
    damage(
        sample,
        "UPDATE questions SET item_id = (SELECT min(id) FROM items WHERE product_id = "
        "(SELECT id FROM products WHERE key = 'APP')) WHERE id = (SELECT min(id) FROM "
        "questions WHERE product_id = (SELECT id FROM products WHERE key = 'WEB'))",
        "UPDATE items SET column_id = (SELECT min(id) FROM board_columns WHERE product_id = "
        "(SELECT id FROM products WHERE key = 'APP')) WHERE number = 2 AND product_id = "
        "(SELECT id FROM products WHERE key = 'WEB')",
    )
    found = problems(sample)
    assert {check for check, _ in found} == {"products"}
    texts = [problem for _check, problem in found]
    assert any(t.startswith("1 question about an item of another product") for t in texts)
    assert any(t.startswith("1 item in a column of another product") for t in texts)


def test_references_to_missing_rows_and_sqlite_damage_are_found(
    db: Database, db_path: Path
) -> None:
    create_product(db, "WEB", "Web shop")
    for n in range(12):
        add_item(db, "WEB", f"Item {n}")
        ask_question(db, "WEB", f"Question {n}?", item_ref=f"WEB-{n + 1}")
    raw = sqlite3.connect(db_path)  # foreign keys off, as in any other SQLite tool
    raw.execute("UPDATE items SET sprint_id = 999 WHERE number = 2")
    raw.commit()
    raw.execute("PRAGMA writable_schema=ON")
    raw.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_questions_item_id ON questions "
        "(product_id)' WHERE name = 'ix_questions_item_id'"
    )
    raw.commit()
    raw.close()
    db.close()  # the schema changed under it: read it afresh
    with pytest.raises(CorruptDatabaseError, match="missing from index"):
        open_database(str(db_path))  # refused on open as well
    window = Database(f"sqlite:///{db_path}", db_path)  # as a window open before saw it
    try:
        found = problems(window)
    finally:
        window.close()
    assert ("references", "1 row(s) of items refer to missing sprints (items.sprint_id)") in found
    assert any(
        c == "integrity" and "missing from index ix_questions_item_id" in p for c, p in found
    )

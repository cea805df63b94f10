"""Checking a whole database: SQLite's integrity check, references, ranks, item numbers, and
references that leave their product. `kanban check` and File > Check database both run this."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, text

from kanban.ranking import is_valid_rank
from kanban.services.records import CheckFinding, DatabaseCheck
from kanban.storage.database import Database
from kanban.storage.tables import metadata

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Progress = Callable[[int, int, str], None]
"""``progress(done, total, step)``: called before each step and once at the end."""

MAX_FINDINGS = 20
"""Findings listed per check; the rest are counted."""

# References that must stay inside one product: (what, SQL selecting the offending rows'
# descriptions). Each joins a row to what it points at and compares the two products.
SAME_PRODUCT: tuple[tuple[str, str], ...] = (
    (
        "item in a column of another product",
        "SELECT i.id FROM items i JOIN board_columns c ON c.id = i.column_id "
        "WHERE c.product_id <> i.product_id",
    ),
    (
        "item in a sprint of another product",
        "SELECT i.id FROM items i JOIN sprints s ON s.id = i.sprint_id "
        "WHERE s.product_id <> i.product_id",
    ),
    (
        "item under an epic of another product",
        "SELECT i.id FROM items i JOIN items e ON e.id = i.epic_id "
        "WHERE e.product_id <> i.product_id",
    ),
    (
        "item in a release of another product",
        "SELECT i.id FROM items i JOIN releases r ON r.id = i.release_id "
        "WHERE r.product_id <> i.product_id",
    ),
    (
        "item with a label of another product",
        "SELECT i.id FROM item_labels il JOIN items i ON i.id = il.item_id "
        "JOIN labels l ON l.id = il.label_id WHERE l.product_id <> i.product_id",
    ),
    (
        "question about an item of another product",
        "SELECT q.id FROM questions q JOIN items i ON i.id = q.item_id "
        "WHERE i.product_id <> q.product_id",
    ),
    (
        "transition into a column of another product",
        "SELECT t.id FROM transitions t JOIN items i ON i.id = t.item_id "
        "JOIN board_columns c ON c.id = t.to_column_id WHERE c.product_id <> i.product_id",
    ),
    (
        "transition from a column of another product",
        "SELECT t.id FROM transitions t JOIN items i ON i.id = t.item_id "
        "JOIN board_columns c ON c.id = t.from_column_id WHERE c.product_id <> i.product_id",
    ),
    (
        "activity about an item of another product",
        "SELECT a.id FROM activities a JOIN items i ON i.id = a.item_id "
        "WHERE a.product_id IS NOT NULL AND i.product_id <> a.product_id",
    ),
    (
        "sprint entry of an item of another product",
        "SELECT e.id FROM sprint_entries e JOIN sprints s ON s.id = e.sprint_id "
        "JOIN items i ON i.id = e.item_id WHERE s.product_id <> i.product_id",
    ),
    (
        "target change of a release of another product",
        "SELECT t.id FROM target_changes t JOIN releases r ON r.id = t.release_id "
        "WHERE r.product_id <> t.product_id",
    ),
    (
        "readiness confirmation of a rule of another product",
        "SELECT c.item_id FROM rule_confirmations c JOIN readiness_rules r ON r.id = c.rule_id "
        "JOIN items i ON i.id = c.item_id WHERE r.product_id <> i.product_id",
    ),
)


def check_database(db: Database, progress: Progress | None = None) -> DatabaseCheck:
    """Check the whole database and say what is wrong (nothing is changed).

    Steps: SQLite's full ``integrity_check`` (SQLite files only: PostgreSQL checks its own
    pages); every reference points at an existing row; every rank is well formed and
    unique in its product; every item number is positive, unique in its product and below
    the product's next number; references stay inside their product (an item's column,
    sprint, epic, release and labels, a question's item, a transition's columns...).
    Reads one snapshot; on a large file the integrity check dominates (about 1 s at 100,000
    items), so ``progress`` is told before each step.
    """
    steps: list[tuple[str, Callable[[Session], Iterator[str]]]] = []
    if db.path is not None:
        steps.append(("integrity", _integrity))
    steps += [
        ("references", _references),
        ("ranks", _ranks),
        ("item numbers", _numbers),
        ("products", _same_product),
    ]
    findings: list[CheckFinding] = []
    with db.read() as session:
        for done, (name, step) in enumerate(steps):
            if progress is not None:
                progress(done, len(steps), name)
            problems = list(step(session))
            findings += [CheckFinding(name, p) for p in problems[:MAX_FINDINGS]]
            if len(problems) > MAX_FINDINGS:
                more = len(problems) - MAX_FINDINGS
                findings.append(CheckFinding(name, f"... and {more} more"))
    if progress is not None:
        progress(len(steps), len(steps), "done")
    return DatabaseCheck(
        database=str(db.path or db.url),
        checks=tuple(name for name, _ in steps),
        findings=tuple(findings),
    )


def _rows(session: Session, sql: str) -> list[Any]:
    return list(session.execute(text(sql)).all())


def _integrity(session: Session) -> Iterator[str]:
    for (line,) in _rows(session, "PRAGMA integrity_check(100)"):
        if line != "ok":
            yield str(line)


def _references(session: Session) -> Iterator[str]:
    """Rows whose foreign key names a row that does not exist (as the models declare them)."""
    for table in metadata.sorted_tables:
        for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
            column, target = key.parent.name, key.column
            parent: Table = target.table
            sql = (
                f"SELECT count(*) FROM {table.name} c WHERE c.{column} IS NOT NULL AND NOT "
                f"EXISTS (SELECT 1 FROM {parent.name} p WHERE p.{target.name} = c.{column})"
            )
            count = session.execute(text(sql)).scalar_one()
            if count:
                yield (
                    f"{count} row(s) of {table.name} refer to missing {parent.name} "
                    f"({table.name}.{column})"
                )


def _ranks(session: Session) -> Iterator[str]:
    rows = _rows(
        session,
        "SELECT p.key, i.number, i.rank FROM items i JOIN products p ON p.id = i.product_id "
        "ORDER BY p.key, i.number",
    )
    for key, number, rank in rows:
        if not isinstance(rank, str) or not is_valid_rank(rank):
            yield f"{key}-{number} has an invalid rank {str(rank)[:40]!r}"
    for key, rank, count in _rows(
        session,
        "SELECT p.key, i.rank, count(*) FROM items i JOIN products p ON p.id = i.product_id "
        "GROUP BY p.key, i.rank HAVING count(*) > 1 ORDER BY p.key, i.rank",
    ):
        yield f"{count} items of {key} share the rank {str(rank)[:40]!r}"


def _numbers(session: Session) -> Iterator[str]:
    for key, number in _rows(
        session,
        "SELECT p.key, i.number FROM items i JOIN products p ON p.id = i.product_id "
        "WHERE i.number IS NULL OR i.number < 1 ORDER BY p.key, i.number",
    ):
        yield f"{key} has an item numbered {number}"
    for key, number, count in _rows(
        session,
        "SELECT p.key, i.number, count(*) FROM items i JOIN products p ON p.id = i.product_id "
        "GROUP BY p.key, i.number HAVING count(*) > 1 ORDER BY p.key, i.number",
    ):
        yield f"{count} items are numbered {key}-{number}"
    for key, highest, next_number in _rows(
        session,
        "SELECT p.key, max(i.number), p.next_number FROM products p JOIN items i "
        "ON i.product_id = p.id GROUP BY p.id, p.key, p.next_number "
        "HAVING max(i.number) >= p.next_number ORDER BY p.key",
    ):
        yield (
            f"{key}'s next item number is {next_number}, but {key}-{highest} exists "
            "(the next item added would collide)"
        )


def _same_product(session: Session) -> Iterator[str]:
    for what, sql in SAME_PRODUCT:
        ids = [row[0] for row in _rows(session, sql)]
        if ids:
            shown = ", ".join(str(i) for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
            yield f"{len(ids)} {what} (ids {shown})"

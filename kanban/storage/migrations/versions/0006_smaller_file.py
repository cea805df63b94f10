"""a smaller file: moments as Unix seconds, link tables without rowid

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Where a file's bytes went (SQLite's ``dbstat``, 10,000 cards): the items' rows took 1.56 of
2.43 MB, 57 of their 147 bytes the three moments stored as ISO text (19 to 26 characters
each), and each link table two b-trees (its rows, and the index of its primary key).

On SQLite every moment becomes Unix time in seconds (``kanban.storage.tables.stored_moment``:
an integer when a whole second, 4 bytes; else a float, 8 bytes, exact to the microsecond), in
the same columns (declared ``DATETIME``: numeric affinity keeps a number a number), so no
table is rebuilt for it. The five link tables (``item_labels``, ``stakeholder_products``,
``status_update_recipients``, ``sprint_members``, ``rule_confirmations``) are rebuilt
``WITHOUT ROWID``: their primary key is then their only b-tree. Every row is kept; a moment
whose text does not read as ISO 8601 is left as it was (the readers still take text).

PostgreSQL keeps its ``timestamp`` columns and has no rowid: nothing changes there.

The conversion is a frozen copy of ``stored_moment`` as it was when this revision was written.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MOMENTS = {
    "products": ("created_at",),
    "sprints": ("started_at", "closed_at"),
    "items": ("created_at", "updated_at", "column_since", "started_at", "done_at"),
    "transitions": ("at",),
    "activities": ("at",),
    "questions": ("asked_at", "answered_at"),
    "status_updates": ("created_at",),
    "target_changes": ("at",),
    "checklist_items": ("done_at",),
    "comments": ("at", "edited_at"),
    "item_links": ("created_at",),
    "rule_confirmations": ("at",),
    "sprint_entries": ("added_at", "removed_at"),
    "imports": ("at",),
}
"""Every DATETIME column at revision 0005."""

LINK_TABLES = (
    "item_labels",
    "stakeholder_products",
    "status_update_recipients",
    "sprint_members",
    "rule_confirmations",
)
"""The tables whose primary key is all they are looked up by."""

_EPOCH = dt.datetime(1970, 1, 1)


def _seconds(value: Any) -> Any:
    """ISO text as Unix seconds (an int when a whole second); anything else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    delta = moment - _EPOCH
    seconds = delta.days * 86_400 + delta.seconds
    if not delta.microseconds:
        return seconds
    return (seconds * 1_000_000 + delta.microseconds) / 1_000_000


def _text(value: Any) -> Any:
    """Unix seconds as the ISO text SQLAlchemy's SQLite DATETIME writes; anything else
    unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return (_EPOCH + dt.timedelta(0, value)).isoformat(" ", "microseconds")


def _convert(function: Any, name: str, kinds: str) -> None:
    """Every moment of a storage class in ``kinds`` through ``function`` (registered as
    ``name``: a Python function is faster here than the SQL that does the same)."""
    raw: sqlite3.Connection = op.get_bind().connection.driver_connection  # type: ignore[assignment]
    raw.create_function(name, 1, function, deterministic=True)
    for table, columns in MOMENTS.items():
        changes = ", ".join(f"{column} = {name}({column})" for column in columns)
        where = " OR ".join(f"typeof({column}) IN ({kinds})" for column in columns)
        op.execute(f"UPDATE {table} SET {changes} WHERE {where}")


def _rebuild(with_rowid: bool) -> None:
    for table in LINK_TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        ):
            pass


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _convert(_seconds, "kanban_0006_seconds", "'text'")
    _rebuild(with_rowid=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(with_rowid=True)
    _convert(_text, "kanban_0006_text", "'integer', 'real'")

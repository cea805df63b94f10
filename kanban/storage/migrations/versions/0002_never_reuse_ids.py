"""never reuse item and column ids (SQLite AUTOINCREMENT)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Without AUTOINCREMENT SQLite gives a new row max(id) + 1, so deleting the newest item hands its
id to the next item: a stale edit or an undo aimed at the deleted item (same id, version 1)
would land on the newcomer. Rebuilding the tables keeps every row, id and constraint; the app
runs migrations with foreign keys off, so dropping the old tables cascades nowhere.

SQLite only: other databases (PostgreSQL's sequences) never hand out an id twice, and there the
rebuild would drop primary keys that other tables' foreign keys depend on.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("board_columns", "items")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass

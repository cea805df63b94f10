"""smaller indexes: transitions by item only, sprint and epic indexes partial

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Where a file's bytes went (``SELECT name, sum(pgsize) FROM dbstat GROUP BY name``, 10,000
items with 27,000 moves): the moves' two indexes took more room than the moves themselves.
``ix_transitions_at`` (the time alone) served no query, and the time in
``ix_transitions_item_at`` served none either: the flow read sorts a product's moves itself,
and an item's own moves are a handful. They become ``ix_transitions_item_id`` (the item alone,
which the foreign key's cascade needs). Most items are in no sprint and no epic, so
``ix_items_sprint_id`` and ``ix_items_epic_id`` keep only the items that are (SQLite and
PostgreSQL both use a partial index for ``sprint_id = ?``, which implies ``IS NOT NULL``).

Only indexes change: no row is read or written, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_PARTIAL = (("ix_items_sprint_id", "sprint_id"), ("ix_items_epic_id", "epic_id"))


def _where(column: str) -> dict[str, sa.TextClause]:
    condition = sa.text(f"{column} IS NOT NULL")
    return {"sqlite_where": condition, "postgresql_where": condition}


def upgrade() -> None:
    op.drop_index("ix_transitions_at", table_name="transitions")
    op.drop_index("ix_transitions_item_at", table_name="transitions")
    op.create_index("ix_transitions_item_id", "transitions", ["item_id"])
    for name, column in _PARTIAL:
        op.drop_index(name, table_name="items")
        op.create_index(name, "items", [column], **_where(column))


def downgrade() -> None:
    for name, column in _PARTIAL:
        op.drop_index(name, table_name="items")
        op.create_index(name, "items", [column])
    op.drop_index("ix_transitions_item_id", table_name="transitions")
    op.create_index("ix_transitions_item_at", "transitions", ["item_id", "at"])
    op.create_index("ix_transitions_at", "transitions", ["at"])

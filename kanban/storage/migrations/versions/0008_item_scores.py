"""the scoring inputs in a table of their own

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Where a file's bytes went (SQLite's ``dbstat``, 10,000 cards, 1.58 MB): the items' rows took
1.11 MB, 101 bytes each, 33 of them the header, a byte per column whatever it holds. Seven
columns are the scoring inputs besides the business value (time criticality, risk reduction,
job size, reach, impact, confidence, effort), which most items leave empty: they move to
``item_scores``, one row for each item that has any input, keyed by the item's id (SQLite's
rowid: no index of its own), with the confidence check. Every input is kept.

On SQLite the items table is rebuilt without the seven columns (every row, id and constraint
kept; the app runs migrations with foreign keys off and compacts the file afterwards). On
PostgreSQL the columns are dropped in place.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCORES = ("time_criticality", "risk_reduction", "job_size", "reach", "impact", "confidence",
          "effort")  # fmt: skip
"""The inputs at revision 0007 (``domain.SCORE_FIELDS`` then), in the items' column order."""
CONFIDENCE = "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)"


def _rebuild() -> dict[str, Any]:
    """How the items table is altered: rebuilt on SQLite (its ids never reused), in place
    elsewhere."""
    if op.get_bind().dialect.name == "sqlite":
        return {"recreate": "always", "table_kwargs": {"sqlite_autoincrement": True}}
    return {}


def upgrade() -> None:
    op.create_table(
        "item_scores",
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        *(sa.Column(name, sa.Float(), nullable=True) for name in SCORES),
        sa.CheckConstraint(CONFIDENCE, name=op.f("ck_item_scores_confidence_share")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_item_scores_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_scores")),
    )
    names = ", ".join(SCORES)
    scored = " OR ".join(f"{name} IS NOT NULL" for name in SCORES)
    op.execute(
        f"INSERT INTO item_scores (item_id, {names}) SELECT id, {names} FROM items WHERE {scored}"
    )
    with op.batch_alter_table("items", **_rebuild()) as batch:
        batch.drop_constraint(op.f("ck_items_confidence_share"), type_="check")
        for name in SCORES:
            batch.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("items", **_rebuild()) as batch:
        for name in SCORES:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))
        batch.create_check_constraint(op.f("ck_items_confidence_share"), CONFIDENCE)
    changes = ", ".join(
        f"{name} = (SELECT s.{name} FROM item_scores s WHERE s.item_id = items.id)"
        for name in SCORES
    )
    op.execute(f"UPDATE items SET {changes} WHERE id IN (SELECT item_id FROM item_scores)")
    op.drop_table("item_scores")

"""one index of ranks (the board's), no index of labels' links

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Where a file's bytes went (SQLite's ``dbstat``, 10,000 cards, 1.77 MB): after the items' own
rows (1.11 MB), their three indexes (0.44 MB), two of which hold every card's rank: the
board's (product, column, rank) and the unique (product, rank). A product has a handful of
columns, so a product-wide rank question (the next rank after a card's, the first and the
last, who holds a rank) is asked column by column of the board's index, one probe each; the
second index goes. The board's index becomes unique: the database refuses a rank taken in
the card's column, the services (writes run one at a time) keep a rank unique in its
product, and ``kanban check`` reports a duplicate. ``ix_item_labels_label_id`` goes too:
the links are read by item (their primary key), and a label's deletion finds its links in
one pass over the table.

On SQLite the items table is rebuilt (a table's UNIQUE constraint cannot be dropped in
place), every row, id and constraint kept; the app runs migrations with foreign keys off and
compacts the file afterwards. On PostgreSQL the constraint and the indexes change in place.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BOARD = ["product_id", "column_id", "rank"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_item_labels_label_id", table_name="item_labels")
    table_kwargs = {"sqlite_autoincrement": True} if sqlite else {}
    with op.batch_alter_table(
        "items", recreate="always" if sqlite else "auto", table_kwargs=table_kwargs
    ) as batch:
        batch.drop_constraint("uq_items_product_id_rank", type_="unique")
        batch.drop_index("ix_items_board")
        batch.create_index("ix_items_board", BOARD, unique=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    table_kwargs = {"sqlite_autoincrement": True} if sqlite else {}
    with op.batch_alter_table(
        "items", recreate="always" if sqlite else "auto", table_kwargs=table_kwargs
    ) as batch:
        batch.drop_index("ix_items_board")
        batch.create_index("ix_items_board", BOARD, unique=False)
        batch.create_unique_constraint("uq_items_product_id_rank", ["product_id", "rank"])
    op.create_index("ix_item_labels_label_id", "item_labels", ["label_id"])

"""Generate a large product fast (bulk inserts); generating data is not what is measured."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from kanban.ranking import initial_ranks
from kanban.services import open_database
from kanban.services.people import add_member
from kanban.services.products import create_product, list_columns
from kanban.storage.tables import stored_moment

PRODUCT_KEY = "BIG"
WORDS = (
    "checkout", "payment", "cart", "search", "login", "signup", "profile", "invoice", "export",
    "report", "shipping", "address", "coupon", "refund", "wishlist", "review", "rating",
    "catalog", "filter", "sort", "page", "mobile", "api", "cache", "timeout", "email",
    "notification", "password", "avatar", "settings", "dashboard", "chart", "upload",
)  # fmt: skip
LABELS = ("frontend", "backend", "ux", "security", "performance", "mobile", "api", "data")
MEMBERS = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov")
# Share of the items per column, left to right (Backlog, To Do, In Progress, Done).
COLUMN_SHARES = (0.55, 0.1, 0.05, 0.3)


def generate(path: Path, count: int, seed: int = 7) -> None:
    """Create a database file at ``path`` holding product BIG with ``count`` items."""
    db = open_database(str(path))
    product = create_product(db, PRODUCT_KEY, f"Big product ({count:,} items)")
    columns = list_columns(db, product.id)
    for name in MEMBERS:
        add_member(db, name)
    db.close()

    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        member_ids = [row[0] for row in conn.execute("SELECT id FROM team_members")]
        conn.executemany(
            "INSERT INTO labels (product_id, name, color) VALUES (?, ?, '#808080')",
            [(product.id, name) for name in LABELS],
        )
        label_ids = [row[0] for row in conn.execute("SELECT id FROM labels")]
        now = dt.datetime(2026, 11, 1, 12, 0)
        column_ids = rng.choices([c.id for c in columns], COLUMN_SHARES, k=count)
        rows = []
        for number, (rank, column_id) in enumerate(
            zip(initial_ranks(count), column_ids, strict=True), 1
        ):
            title = " ".join(rng.choices(WORDS, k=rng.randint(3, 9))).capitalize()
            since = now - dt.timedelta(hours=rng.randint(0, 24 * 60))
            rows.append(
                (
                    number, product.id, title, rng.choice((1, 2, 3, 5, 8, None)), column_id,
                    rank, rng.choice([*member_ids, None]), stored_moment(since),
                    stored_moment(since), "Waiting on the vendor" if number % 97 == 0 else None,
                )
            )  # fmt: skip
        conn.executemany(
            "INSERT INTO items (number, product_id, kind, title, description, "
            "points, column_id, rank, assignee_id, created_at, updated_at, "
            "column_since, blocked_reason, archived, version) "
            "VALUES (?1, ?2, 'story', ?3, '', ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, 0, 1)",
            rows,
        )
        conn.execute("UPDATE products SET next_number = ? WHERE id = ?", (count + 1, product.id))
        item_ids = [row[0] for row in conn.execute("SELECT id FROM items")]
        conn.executemany(
            "INSERT INTO item_labels (item_id, label_id) VALUES (?, ?)",
            [(i, rng.choice(label_ids)) for i in item_ids if rng.random() < 0.4],
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()

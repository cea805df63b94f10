"""The portfolio of 10 products x 10,000 items (27,000 moves each), computed under 1 s.

Measured as `kanban portfolio` does it: one read transaction for every product (one pass over
the items and one scan of the moves, aggregated in SQL: ``figures.read_paces``; the columns,
releases, questions and health), then per product one 10,000-run simulation that answers both
the backlog's forecast and the next release's. Beside it, the floor: a raw sqlite3 read of the
rows a forecast from the flow reads (items and transitions of every product), which the
portfolio no longer needs to read whole. Run: ``python -m benchmarks.bench_portfolio``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_forecast import AS_OF, FLOOR_SQL, ITEMS, add_history
from benchmarks.data import generate
from kanban.services import open_database
from kanban.services.portfolio import portfolio
from kanban.storage.tables import stored_moment

PRODUCTS = 10
BUDGET_S = 1.0
REPEAT = 5
OFFSET = 1_000_000
"""Copy k's rows take ids k * OFFSET + the original id."""


def replicate(path: Path, copies: int) -> None:
    """Copy product 1 (its columns, items and moves) ``copies - 1`` times, each with a
    release of half its open items, a target date and an open question."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        for k in range(copies):
            if k:
                o = k * OFFSET
                conn.execute(
                    "INSERT INTO products (id, key, name, vision, archived, next_number, "
                    "created_at, points_scale) SELECT ?, ?, ?, vision, archived, next_number, "
                    "created_at, points_scale FROM products WHERE id = 1",
                    (k + 1, f"P{k + 1}", f"Product {k + 1:02d}"),
                )
                conn.execute(
                    "INSERT INTO board_columns (id, product_id, name, position, wip_limit, "
                    "category) SELECT id + ?, ?, name, position, wip_limit, category "
                    "FROM board_columns WHERE product_id = 1",
                    (o, k + 1),
                )
                conn.execute(
                    "INSERT INTO items (id, product_id, number, kind, title, description, "
                    "points, column_id, rank, assignee_id, created_at, updated_at, "
                    "column_since, started_at, done_at, blocked_reason, archived, version) "
                    "SELECT id + ?1, ?2, number, kind, title, description, points, "
                    "column_id + ?1, rank, assignee_id, created_at, updated_at, column_since, "
                    "started_at, done_at, blocked_reason, archived, version "
                    "FROM items WHERE product_id = 1",
                    (o, k + 1),
                )
                conn.execute(
                    "INSERT INTO transitions (item_id, from_column_id, to_column_id, "
                    "from_category, to_category, at) SELECT item_id + ?1, from_column_id + ?1, "
                    "to_column_id + ?1, from_category, to_category, at FROM transitions t "
                    "WHERE item_id < ?2",
                    (o, OFFSET),
                )
            product = k + 1
            conn.execute(
                "UPDATE products SET target_date = ? WHERE id = ?",
                ((AS_OF + dt.timedelta(weeks=8 + k)).isoformat(), product),
            )
            release = conn.execute(
                "INSERT INTO releases (product_id, name, description, target_date, state, "
                "notes) VALUES (?, '1.0', '', ?, 'planned', '')",
                (product, (AS_OF + dt.timedelta(weeks=4)).isoformat()),
            ).lastrowid
            conn.execute(
                "UPDATE items SET release_id = ? WHERE product_id = ? AND id % 2 = 0 AND "
                "column_id IN (SELECT id FROM board_columns WHERE category = 'backlog')",
                (release, product),
            )
            conn.execute(
                "INSERT INTO questions (product_id, asked_at, text, urgency, state, answer, "
                "answered_by) VALUES (?, ?, 'Which payment provider?', 'normal', 'open', '', '')",
                (product, stored_moment(dt.datetime.combine(AS_OF, dt.time(9)))),
            )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def floor(path: Path) -> float:
    """A raw sqlite3 read of every product's items and transitions (the rows a forecast reads)."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        conn = sqlite3.connect(path)
        for product in range(1, PRODUCTS + 1):
            for sql in FLOOR_SQL:
                conn.execute(sql.replace("product_id = 1", f"product_id = {product}")).fetchall()
        conn.close()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        generate(path, ITEMS)
        add_history(path)
        replicate(path, PRODUCTS)
        base = floor(path)
        db = open_database(str(path))
        try:
            times = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                rows = portfolio(db, as_of=AS_OF)
                times.append(time.perf_counter() - start)
        finally:
            db.close()
    whole, best = statistics.median(times), min(times)
    verdict = "ok" if whole < BUDGET_S else "OVER BUDGET"
    late = sum(1 for r in rows if r.late)
    print(
        f"portfolio of {len(rows)} products x {ITEMS:,} items: {late} late, "
        f"p85 {rows[0].forecast_p85}, next release p85 "
        f"{rows[0].next_release.p85 if rows[0].next_release else None}"
    )
    print(
        f"{whole * 1000:.0f} ms median, {best * 1000:.0f} ms best; floor (raw sqlite3 read) "
        f"{base * 1000:.0f} ms, {whole / base:.1f}x   budget {BUDGET_S * 1000:.0f} ms   "
        f"{verdict}   (load average {os.getloadavg()[0]:.1f})"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())

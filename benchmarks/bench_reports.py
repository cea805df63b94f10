"""Status report of a 10,000-item product in each format, against a floor and the 1 s budget.

The floor is a raw sqlite3 read of the rows a report needs (items with their column,
assignee and blocked reason, and every transition). Run: ``python -m benchmarks.bench_reports``.

The reports here are built without their charts: what the figures and the text cost. The
report as a user writes it, charts and all, is ``benchmarks.bench_charts``' (budget 1.5 s).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.data import PRODUCT_KEY, generate
from kanban.reports.export import FORMATS, render
from kanban.reports.model import build_status_report
from kanban.services import open_database
from kanban.services.status_updates import create_status_update
from kanban.storage.tables import read_moment, stored_moment

ITEMS = 10_000
BUDGET_S = 1.0
REPEAT = 5
TODAY = dt.date(2026, 11, 1)  # the day benchmarks.data's history leads up to
FLOOR_SQL = (
    """SELECT i.id, i.number, i.title, i.kind, i.points, c.category, c.name, i.column_id,
              i.sprint_id, i.archived, i.created_at, i.started_at, i.done_at, m.name,
              i.blocked_reason
       FROM items i JOIN board_columns c ON c.id = i.column_id
       LEFT JOIN team_members m ON m.id = i.assignee_id
       WHERE i.product_id = 1 ORDER BY i.rank""",
    """SELECT t.item_id, t.at, t.to_category, t.to_column_id FROM transitions t
       JOIN items i ON i.id = t.item_id WHERE i.product_id = 1
       ORDER BY t.item_id, t.at, t.id""",
)


def add_history(path: Path, seed: int = 11) -> None:
    """Give every generated item the moves that led it to its column (transitions, dates)."""
    rng = random.Random(seed)
    now = dt.datetime.combine(TODAY, dt.time(12))
    conn = sqlite3.connect(path)
    with conn:
        columns = {cat: cid for cid, cat in conn.execute("SELECT id, category FROM board_columns")}
        order = ("backlog", "todo", "doing", "done")
        moves, stamps = [], []
        items = conn.execute(
            "SELECT i.id, c.category, i.created_at FROM items i "
            "JOIN board_columns c ON c.id = i.column_id"
        ).fetchall()
        for item_id, category, created in items:
            at = read_moment(created)
            started = done = None
            previous = None
            for step in order[: order.index(category) + 1]:
                if previous is not None:
                    at = min(now, at + dt.timedelta(hours=rng.randint(2, 120)))
                moves.append(
                    (
                        item_id,
                        columns.get(previous),
                        columns[step],
                        previous,
                        step,
                        stored_moment(at),
                    )
                )
                started = at if step == "doing" else started
                done = at if step == "done" else done
                previous = step
            stamps.append(
                (*(None if m is None else stored_moment(m) for m in (started, done, at)), item_id)
            )
        conn.executemany(
            "INSERT INTO transitions (item_id, from_column_id, to_column_id, from_category, "
            "to_category, at) VALUES (?, ?, ?, ?, ?, ?)",
            moves,
        )
        conn.executemany(
            "UPDATE items SET started_at = ?, done_at = ?, column_since = ? WHERE id = ?", stamps
        )
    conn.close()


def median_time(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(path: Path) -> float:
    """A raw sqlite3 read of the same rows, the least any report must spend."""

    def read() -> None:
        conn = sqlite3.connect(path)
        for sql in FLOOR_SQL:
            conn.execute(sql).fetchall()
        conn.close()

    return median_time(read)


def main() -> int:
    if "PySide6" not in sys.modules:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        generate(path, ITEMS)
        add_history(path)
        db = open_database(str(path))
        try:
            render(build_status_report(db, PRODUCT_KEY, today=TODAY), "pdf")  # Qt warm-up
            base = floor(path)
            # Live: no status update yet, so every figure is computed from the data.
            live = {
                fmt: median_time(
                    lambda f=fmt: render(build_status_report(db, PRODUCT_KEY, today=TODAY), f)
                )
                for fmt in FORMATS
            }
            # Frozen: the report of a saved update, from the figures frozen into it.
            start = TODAY - dt.timedelta(days=14)
            update = create_status_update(
                db, PRODUCT_KEY, health="at_risk", period_start=start, period_end=TODAY,
                headline="Benchmark", as_of=TODAY,
            )  # fmt: skip
            frozen = {
                fmt: median_time(
                    lambda f=fmt: render(build_status_report(db, PRODUCT_KEY, update.id), f)
                )
                for fmt in FORMATS
            }
        finally:
            db.close()
    print(f"status report of {ITEMS:,} items; floor (raw sqlite3 read) {base * 1000:.0f} ms")
    print(f"{'format':<8}{'live':>9}{'x floor':>9}{'frozen':>10}   budget {BUDGET_S:.1f} s each")
    over = False
    for fmt in FORMATS:
        verdict = "ok" if max(live[fmt], frozen[fmt]) < BUDGET_S else "OVER BUDGET"
        over |= verdict != "ok"
        print(
            f"{fmt:<8}{live[fmt] * 1000:>6.0f} ms{live[fmt] / base:>8.1f}x"
            f"{frozen[fmt] * 1000:>7.0f} ms   {verdict}"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

"""A 10,000-run forecast of a 10,000-item product with 27,000 transitions, under 300 ms.

Measured as `kanban forecast` does it: read the flow (one read transaction), then simulate.
Beside it, the floor: a raw sqlite3 read of the same rows (items and transitions). Run:
``python -m benchmarks.bench_forecast``.
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
from kanban.metrics.forecast import forecast
from kanban.services import open_database
from kanban.services.figures import load_flow, product_forecast
from kanban.storage.tables import stored_moment

ITEMS = 10_000
TRANSITIONS = 27_000
RUNS = 10_000
BUDGET_S = 0.300
REPEAT = 7
AS_OF = dt.date(2026, 11, 1)  # a Sunday: the history below leads up to it
ORDER = ("backlog", "todo", "doing", "done")
FLOOR_SQL = (
    """SELECT i.id, i.number, i.title, i.kind, i.points, c.category, i.column_id, i.sprint_id,
              i.archived, i.epic_id, i.release_id, i.created_at, i.started_at, i.done_at
       FROM items i JOIN board_columns c ON c.id = i.column_id
       WHERE i.product_id = 1 ORDER BY i.rank""",
    """SELECT t.item_id, t.at, t.to_category, t.to_column_id, t.id FROM transitions t
       JOIN items i ON i.id = t.item_id WHERE i.product_id = 1
       ORDER BY t.item_id, t.at, t.id""",
)


def add_history(path: Path, total: int = TRANSITIONS, seed: int = 5) -> int:
    """Give each item the moves to its column over the last 26 weeks, then send items in
    progress or done back a column and forward again until there are ``total`` moves."""
    rng = random.Random(seed)
    end = dt.datetime.combine(AS_OF, dt.time(18))
    conn = sqlite3.connect(path)
    with conn:
        columns = {cat: cid for cid, cat in conn.execute("SELECT id, category FROM board_columns")}
        items = conn.execute(
            "SELECT i.id, c.category FROM items i JOIN board_columns c ON c.id = i.column_id"
        ).fetchall()
        paths = {}
        for item_id, category in items:
            steps = list(ORDER[: ORDER.index(category) + 1])
            paths[item_id] = steps
        count = sum(len(p) for p in paths.values())
        movable = [i for i, p in paths.items() if len(p) >= 3]
        while count < total:  # rework: back a column, then forward again
            steps = paths[rng.choice(movable)]
            at = rng.randrange(2, len(steps))
            steps[at:at] = [steps[at], steps[at - 1]]
            count += 2
        moves, stamps = [], []
        for item_id, steps in paths.items():
            at = end - dt.timedelta(days=rng.uniform(7, 182))
            created, started, done, previous = at, None, None, None
            for step in steps:
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
                started = started or (at if step == "doing" else None)
                done = at if step == "done" else None
                previous = step
                at = min(end, at + dt.timedelta(hours=rng.uniform(1, 60)))
            stamps.append((*map(_stored, (created, started, done)), moves[-1][-1], item_id))
        conn.executemany(
            "INSERT INTO transitions (item_id, from_column_id, to_column_id, from_category, "
            "to_category, at) VALUES (?, ?, ?, ?, ?, ?)",
            moves,
        )
        conn.executemany(
            "UPDATE items SET created_at = ?, started_at = ?, done_at = ?, column_since = ? "
            "WHERE id = ?",
            stamps,
        )
    conn.close()
    return len(moves)


def _stored(moment: dt.datetime | None) -> float | None:
    return None if moment is None else stored_moment(moment)


def times_of(action: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def median_time(action: Callable[[], object]) -> float:
    return statistics.median(times_of(action))


def floor(path: Path) -> float:
    """A raw sqlite3 read of the rows a forecast reads."""

    def read() -> None:
        conn = sqlite3.connect(path)
        for sql in FLOOR_SQL:
            conn.execute(sql).fetchall()
        conn.close()

    return median_time(read)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        generate(path, ITEMS)
        moves = add_history(path)
        db = open_database(str(path))
        try:
            base = floor(path)
            wholes = times_of(lambda: product_forecast(db, PRODUCT_KEY, as_of=AS_OF, runs=RUNS))
            whole, best = statistics.median(wholes), min(wholes)
            read = median_time(lambda: load_flow(db, PRODUCT_KEY))
            flow = load_flow(db, PRODUCT_KEY)
            simulate = median_time(lambda: forecast(flow, AS_OF, runs=RUNS))
            result = forecast(flow, AS_OF, runs=RUNS)
        finally:
            db.close()
    verdict = "ok" if whole < BUDGET_S else "OVER BUDGET"
    print(
        f"forecast of {ITEMS:,} items, {moves:,} transitions: {result.remaining_items:,} left, "
        f"{result.sample.mean_per_week:.0f} a week, p85 {result.finish_85}"
    )
    print(
        f"{RUNS:,} runs: {whole * 1000:.0f} ms median, {best * 1000:.0f} ms best "
        f"(read {read * 1000:.0f} ms, simulate {simulate * 1000:.0f} ms); floor (raw sqlite3 "
        f"read) {base * 1000:.0f} ms, {whole / base:.1f}x   budget {BUDGET_S * 1000:.0f} ms   "
        f"{verdict}   (load average {os.getloadavg()[0]:.1f})"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())

"""Charts of a 10,000-item product with 27,000 transitions: the Charts screen painted (budget
1 s), each chart drawn and painted after a switch, and a status report with its charts
written in each format (budget 1.5 s each; Markdown with its PNG files, CSV with its figures).

The floor is a raw sqlite3 read of the rows a chart needs (items with their column, and every
transition). Run: ``python -m benchmarks.bench_charts``.
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
from typing import TYPE_CHECKING

from benchmarks.bench_reports import TODAY, add_history, floor
from benchmarks.data import PRODUCT_KEY, generate
from kanban.storage.tables import read_moment, stored_moment

if TYPE_CHECKING:
    from kanban.services import Database

ITEMS = 10_000
TRANSITIONS = 27_000
BUDGET_S = 1.0
REPORT_BUDGET_S = 1.5
REPEAT = 5
SPRINT_ITEMS = 60


def add_rework(path: Path, total: int = TRANSITIONS, seed: int = 13) -> int:
    """Send items back a column and forward again (two moves each: done to doing and back,
    doing to todo and back) until the product has ``total`` transitions; returns how many."""
    rng = random.Random(seed)
    now = dt.datetime.combine(TODAY, dt.time(12))
    conn = sqlite3.connect(path)
    with conn:
        columns = {cat: cid for cid, cat in conn.execute("SELECT id, category FROM board_columns")}
        count = conn.execute("SELECT count(*) FROM transitions").fetchone()[0]
        trips = []
        for here, back in (("done", "doing"), ("doing", "todo")):
            last = conn.execute(
                "SELECT t.item_id, max(t.at) FROM transitions t JOIN items i ON i.id = t.item_id "
                "JOIN board_columns c ON c.id = i.column_id WHERE c.category = ? "
                "GROUP BY t.item_id",
                (here,),
            ).fetchall()
            trips += [(item_id, at, here, back) for item_id, at in last]
        rng.shuffle(trips)
        moves = []
        for item_id, at, here, back in trips[: max(0, -(-(total - count) // 2))]:
            away = min(now, read_moment(at) + dt.timedelta(hours=rng.randint(1, 48)))
            again = min(now, away + dt.timedelta(hours=rng.randint(2, 72)))
            moves.append((item_id, columns[here], columns[back], here, back, stored_moment(away)))
            moves.append((item_id, columns[back], columns[here], back, here, stored_moment(again)))
        conn.executemany(
            "INSERT INTO transitions (item_id, from_column_id, to_column_id, from_category, "
            "to_category, at) VALUES (?, ?, ?, ?, ?, ?)",
            moves,
        )
        count = conn.execute("SELECT count(*) FROM transitions").fetchone()[0]
    conn.close()
    return int(count)


def add_sprint(path: Path) -> None:
    """A two-week sprint ending on the history's last day, with items of every column."""
    from kanban.services import open_database
    from kanban.services.sprints import create_sprint, set_sprint_items, start_sprint

    db = open_database(str(path))
    try:
        start = TODAY - dt.timedelta(days=13)
        sprint = create_sprint(db, PRODUCT_KEY, "Sprint 42", start_date=start, end_date=TODAY)
        conn = sqlite3.connect(path)
        ids = [row[0] for row in conn.execute("SELECT id FROM items ORDER BY rank")]
        conn.close()
        set_sprint_items(db, sprint.id, ids[:: len(ids) // SPRINT_ITEMS][:SPRINT_ITEMS])
        start_sprint(db, sprint.id, start)
    finally:
        db.close()


def report_times(db: Database, folder: Path) -> dict[str, tuple[float, float]]:
    """Seconds to write the report with its charts in each format, live (no status update
    yet: every figure from the data) and frozen (a saved update: the charts replayed)."""
    from kanban.reports.export import FORMATS, write_report
    from kanban.services.status_updates import create_status_update

    def write(fmt: str) -> None:
        write_report(db, PRODUCT_KEY, fmt, folder / f"report.{fmt}", today=TODAY)

    live = {fmt: median_time(lambda f=fmt: write(f)) for fmt in FORMATS}
    start = TODAY - dt.timedelta(days=14)
    create_status_update(
        db, PRODUCT_KEY, health="at_risk", period_start=start, period_end=TODAY,
        headline="Benchmark", as_of=TODAY,
    )  # fmt: skip
    frozen = {fmt: median_time(lambda f=fmt: write(f)) for fmt in FORMATS}
    return {fmt: (live[fmt], frozen[fmt]) for fmt in FORMATS}


def median_time(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        begin = time.perf_counter()
        action()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = folder  # the window's settings stay out of the user's
        path = Path(folder) / "bench.db"
        generate(path, ITEMS)
        add_history(path)
        transitions = add_rework(path)
        add_sprint(path)
        base = floor(path)

        from PySide6.QtWidgets import QApplication

        from kanban.charts import catalog
        from kanban.services import open_database
        from kanban.ui.app import application, create_window
        from kanban.ui.charts.screen import ChartsScreen

        app = application()
        db = open_database(str(path))
        window = create_window(db)
        window.resize(1280, 800)
        window.show()
        product = next(
            window.product_combo.itemData(i)
            for i in range(window.product_combo.count())
            if window.product_combo.itemData(i).key == PRODUCT_KEY
        )
        window.select_product(product)
        QApplication.processEvents()

        def first_paint() -> ChartsScreen:
            screen = window.show_screen(ChartsScreen)
            assert isinstance(screen, ChartsScreen)
            screen.view.grab()  # painted: the view renders the chart
            return screen

        begin = time.perf_counter()
        screen = first_paint()  # the first show imports Qt Charts and builds the screen
        cold = time.perf_counter() - begin

        def fresh_screen() -> None:
            screen = ChartsScreen(window.ctx)
            window.stack.addWidget(screen)
            screen.set_product(product)
            window.stack.setCurrentWidget(screen)
            screen.view.grab()
            window.stack.removeWidget(screen)
            screen.deleteLater()
            app.processEvents()

        warm = median_time(fresh_screen)
        reports = report_times(db, Path(folder))
        switches = {}
        for kind in catalog.KINDS:

            def switch(name: str = kind.name) -> None:
                screen.tabs.setCurrentIndex(0 if name != catalog.NAMES[0] else 1)
                screen.show_kind(name)
                screen.view.grab()

            switches[kind.name] = median_time(switch) / 2  # two draws per call
        window.close()
        db.close()
    print(
        f"Charts screen of {ITEMS:,} items, {transitions:,} transitions; "
        f"floor (raw sqlite3 read) {base * 1000:.0f} ms; budget {BUDGET_S:.1f} s"
    )
    over = False
    for label, seconds in (("first show (imports Qt Charts)", cold), ("screen painted", warm)):
        verdict = "ok" if seconds < BUDGET_S else "OVER BUDGET"
        over |= verdict != "ok"
        print(f"{label:<32}{seconds * 1000:>7.0f} ms {seconds / base:>6.1f}x   {verdict}")
    for name, seconds in switches.items():
        print(f"{'switch to ' + name:<32}{seconds * 1000:>7.0f} ms {seconds / base:>6.1f}x")
    print(f"status report with charts, to a file; budget {REPORT_BUDGET_S:.1f} s each")
    print(f"{'format':<8}{'live':>9}{'x floor':>9}{'frozen':>10}")
    for fmt, (live, frozen) in reports.items():
        verdict = "ok" if max(live, frozen) < REPORT_BUDGET_S else "OVER BUDGET"
        over |= verdict != "ok"
        times = f"{live * 1000:>6.0f} ms{live / base:>8.1f}x{frozen * 1000:>7.0f} ms"
        print(f"{fmt:<8}{times}   {verdict}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

"""Status updates saved by earlier releases (snapshot schema 1) still render, with what they
knew: a 50% and 85% date from rolling 7-day windows, and the median cycle time."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from report_helpers import Page

from kanban.metrics.snapshot import SNAPSHOT_SCHEMA, thaw
from kanban.reports.export import FORMATS, render
from kanban.reports.model import build_status_report
from kanban.services import open_database

FIXTURES = Path(__file__).parent.parent / "storage" / "fixtures"


@pytest.fixture
def old_updates(tmp_path: Path) -> list[tuple[int, dict[str, object]]]:
    """The status updates (id, schema-1 figures) of a file made by the app at revision 0002."""
    path = tmp_path / "kanban.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "schema_0002.sql").read_text(encoding="utf-8"))
    rows = conn.execute("SELECT id, snapshot FROM status_updates ORDER BY id").fetchall()
    conn.close()
    return [(row_id, json.loads(snapshot)) for row_id, snapshot in rows]


def test_schema_1_snapshots_thaw_into_todays_figures(
    old_updates: list[tuple[int, dict[str, object]]],
) -> None:
    assert old_updates and SNAPSHOT_SCHEMA > 1
    for _id, snapshot in old_updates:
        assert snapshot["schema"] == 1
        old = snapshot["figures"]
        assert isinstance(old, dict)
        figures = thaw(json.dumps(snapshot))
        assert figures is not None
        forecast = figures.forecast
        assert forecast.finish_85 is not None
        assert forecast.finish_85.isoformat() == old["forecast"]["finish_85"]
        assert forecast.sample.weekly == tuple(old["forecast"]["weekly_throughput"])
        assert (forecast.runs, forecast.seed) == (1000, 20240101)
        assert figures.cycle_time.p50_days == old["cycle_time"]["median_days"]
        assert figures.done.count == old["done"]["count"]


def test_an_old_file_reports_every_old_update_in_every_format(
    tmp_path: Path, old_updates: list[tuple[int, dict[str, object]]], qapp: object
) -> None:
    db = open_database(str(tmp_path / "kanban.db"))  # migrates the old file
    try:
        for update_id, snapshot in old_updates:
            report = build_status_report(db, "WEB", update_id)
            assert report.frozen
            old = snapshot["figures"]
            assert isinstance(old, dict)
            finish_85 = old["forecast"]["finish_85"]
            for fmt in FORMATS:
                assert render(report, fmt)
            page = Page(render(report, "html").decode())
            assert f"Finish, 85% likely {finish_85}" in page.text
            assert "Saved before forecasts stated their window" in page.text
    finally:
        db.close()

"""The status report's refinement: the sprint's items that are not Ready (and why), and the
chains of unfinished items waiting on each other; frozen into a saved update, absent from an
update saved before reports showed them; user text escaped in every format."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from report_helpers import Page

from kanban.metrics.snapshot import SNAPSHOT_SCHEMA, thaw
from kanban.reports.export import FORMATS, render
from kanban.reports.markdown import render_markdown
from kanban.reports.model import build_draft_report, build_status_report
from kanban.services import Database, checklists, items, links, open_database, sprints
from kanban.services.products import create_product
from kanban.services.status_updates import create_status_update

TODAY = dt.datetime.now(dt.UTC).date()
PERIOD = {"period_start": TODAY - dt.timedelta(days=14), "period_end": TODAY}


def refined(db: Database) -> None:
    create_product(db, "WEB", "Web shop")
    sprint = sprints.create_sprint(db, "WEB", "Sprint <1>")
    ready = items.add_item(db, "WEB", "Ready *one*", points=2)
    checklists.add_criteria(db, ready.id, "It works")
    rough = items.add_item(db, "WEB", "Rough <b>idea</b>")
    api = items.add_item(db, "WEB", "API", points=3)
    ui = items.add_item(db, "WEB", "UI", points=3)
    links.link_items(db, api.id, "blocks", ui.id)
    links.link_items(db, ui.id, "blocks", rough.id)
    sprints.set_sprint_items(db, sprint.id, add=[ready.id, rough.id, ui.id])


def test_the_report_lists_the_sprints_items_not_ready_and_the_chains(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "kanban.db"))
    try:
        refined(db)
        report = build_draft_report(db, "WEB")
        r = report.figures.refinement
        assert (r.sprint, r.not_ready_count, r.recorded) == ("Sprint <1>", 2, True)
        assert [(x.key, x.reasons) for x in r.not_ready] == [
            ("WEB-2", ("It has no story points.", "It has no acceptance criteria.",
                       "It is blocked by WEB-4, which is not done.")),
            ("WEB-4", ("It has no acceptance criteria.",
                       "It is blocked by WEB-3, which is not done.")),
        ]  # fmt: skip
        assert [c.keys for c in r.chains] == [("WEB-2", "WEB-4", "WEB-3")]

        markdown = render_markdown(report)
        assert "## Not Ready in Sprint &lt;1&gt; (2)" in markdown
        assert "| WEB-2 | Rough &lt;b&gt;idea&lt;/b&gt; | It has no story points." in markdown
        assert (
            "- WEB-2 Rough &lt;b&gt;idea&lt;/b&gt; waits on WEB-4 UI, which waits on WEB-3 API"
            in (markdown)
        )
        html = render(report, "html").decode()
        assert "<b>idea</b>" not in html and "Rough &lt;b&gt;idea&lt;/b&gt;" in html
        page = Page(html)
        assert "Not Ready in Sprint <1> (2)" in page.text
        assert "WEB-2 Rough <b>idea</b> waits on WEB-4 UI, which waits on WEB-3 API" in page.text
        for fmt in FORMATS:
            assert render(report, fmt)

        update = create_status_update(db, "WEB", health="on_track", headline="Week 1", **PERIOD)
        links.unlink_items(db, "WEB-3", "blocks", "WEB-4")  # later changes...
        frozen = build_status_report(db, "WEB", update.id)
        assert frozen.frozen and [c.keys for c in frozen.figures.refinement.chains] == [
            ("WEB-2", "WEB-4", "WEB-3")
        ]  # ...do not rewrite what the update said
    finally:
        db.close()


def test_an_update_saved_before_refinement_reports_says_nothing_of_it(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "kanban.db"))
    try:
        refined(db)
        update = create_status_update(db, "WEB", health="on_track", headline="Older", **PERIOD)
        snapshot = json.loads(json.dumps(items_snapshot(db, update.id)))
        assert snapshot["schema"] == SNAPSHOT_SCHEMA == 3
        del snapshot["figures"]["refinement"]
        snapshot["schema"] = 2  # as the release before this one wrote it
        figures = thaw(json.dumps(snapshot))
        assert figures is not None and not figures.refinement.recorded
        report = build_status_report(db, "WEB", update.id)
        assert report.figures.refinement.recorded
        old = replace(report, figures=figures)
        assert "Not Ready in" not in render_markdown(old)
        assert "Waiting on unfinished items" not in render_markdown(old)
        for fmt in FORMATS:
            assert render(old, fmt)
    finally:
        db.close()


def items_snapshot(db: Database, update_id: int) -> dict[str, object]:
    from kanban.services.status_updates import get_status_update

    return dict(get_status_update(db, update_id).snapshot)

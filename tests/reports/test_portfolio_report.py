"""The portfolio report (issue 13.3): the sample's two products, one of them late, from the
command line into real files (Markdown, HTML parsed back, PDF read back with pdftotext)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import Result, Run
from report_helpers import Page, plain

from kanban.services import open_database
from kanban.services.demo import create_demo
from kanban.services.products import update_product
from kanban.services.targets import set_target

Kanban = Callable[..., Result]
LATE_TARGET = dt.date(2026, 12, 15)  # the sample's APP backlog needs months more


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample (WEB and APP), APP with a target its forecast misses and a name with
    markup; built once, only read by the tests."""
    path = tmp_path_factory.mktemp("portfolio") / "kanban.db"
    db = open_database(str(path))
    create_demo(db)
    set_target(db, "APP", LATE_TARGET, "The launch campaign starts before Christmas")
    update_product(db, "APP", name="Mobile <b>App</b>")
    db.close()
    return path


@pytest.fixture
def kanban(run: Run, sample_file: Path) -> Kanban:
    return lambda *args: run("--db", sample_file, *args)


def _rows(kanban: Kanban) -> list[dict[str, object]]:
    result = kanban("portfolio", "--json")
    assert result.code == 0, result.err
    rows: list[dict[str, object]] = json.loads(result.out)
    return rows


def test_markdown_has_one_row_per_product_and_names_the_late_one(kanban: Kanban) -> None:
    rows = {r["key"]: r for r in _rows(kanban)}
    late = rows["APP"]
    assert late["late"] is True and isinstance(late["delay_days"], int)
    result = kanban("portfolio", "--format", "md")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("# Portfolio, ")
    delay = f"{late['delay_days']} days late"
    assert f"2 products; 1 late against its target: Mobile &lt;b&gt;App&lt;/b&gt; ({delay})." in out
    app_line = next(line for line in out.splitlines() if "(APP)" in line)
    assert f"| **{late['forecast_p85']}** | **{delay}** |" in app_line
    assert f"| {LATE_TARGET} |" in app_line
    web_line = next(line for line in out.splitlines() if "(WEB)" in line)
    assert f"| {rows['WEB']['done_4_weeks']} | {rows['WEB']['in_progress']}" in web_line
    assert "<b>" not in out


def test_html_tints_the_late_row_and_shows_no_user_markup(kanban: Kanban, tmp_path: Path) -> None:
    target = tmp_path / "portfolio.html"
    result = kanban("portfolio", "--format", "html", "-o", target)
    assert result.code == 0 and result.out == f"Wrote {target}\n"
    source = target.read_text(encoding="utf-8")
    page = Page(source)
    assert "b" not in {name for name, _attrs in page.tags}
    late_rows = [a for a in page.named("tr") if a.get("class") == "late-row"]
    assert len(late_rows) == 1
    rows = page.rows()
    assert rows[0][:4] == ["Product", "Health", "Target", "85% forecast"]
    app = next(r for r in rows if "(APP)" in r[0])
    assert app[0] == "Mobile <b>App</b> (APP)" and app[2] == str(LATE_TARGET)
    assert app[4].endswith("days late")
    assert "late against its target" in page.text


def test_pdf_is_a_landscape_page_with_the_rows(kanban: Kanban, tmp_path: Path) -> None:
    target = tmp_path / "portfolio.pdf"
    assert kanban("portfolio", "--format", "pdf", "-o", target).code == 0
    info = subprocess.run(
        ["pdfinfo", str(target)], check=True, capture_output=True, text=True
    ).stdout
    assert "842 x 595 pts (A4)" in info  # landscape
    text = plain(
        subprocess.run(
            ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    assert "Portfolio" in text and "Page 1 of 1" in text
    assert "Mobile <b>App</b>" in text
    assert "Web Shop" in text and "late against its target" in text


def test_json_is_unchanged_and_formats_are_checked(kanban: Kanban) -> None:
    rows = _rows(kanban)
    assert [r["key"] for r in rows] == ["APP", "WEB"]
    assert set(rows[0]) >= {"key", "name", "health", "health_date", "target", "forecast_p85",
                            "delay_days", "done_4_weeks", "in_progress", "over_wip_columns",
                            "blocked", "open_questions", "oldest_question_days",
                            "next_release"}  # fmt: skip
    both = kanban("portfolio", "--json", "--format", "md")
    assert both.code != 0 and "choose one" in both.err and both.err.count("\n") == 1
    pdf = kanban("portfolio", "--format", "pdf")
    assert pdf.code != 0 and "needs an output file" in pdf.err
    stray = kanban("portfolio", "-o", "x.md")
    assert stray.code != 0 and "give its --format" in stray.err

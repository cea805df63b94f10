"""`kanban report PRODUCT --format md|html|pdf|csv [-o FILE] [--update ID]`: output, exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from report_helpers import Page, Sample, plain

import kanban
from kanban import cli, metrics
from kanban.reports.export import render_report
from kanban.services.items import add_item
from kanban.services.status_updates import create_status_update

TODAY = metrics.today_utc()


def run(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes], *args: str | Path
) -> tuple[int, bytes, str]:
    """Run the command in-process; returns the exit code, stdout bytes and stderr text."""
    code = cli.main(["report", *map(str, args), "--db", str(sample.db.path)])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_text_formats_go_to_stdout(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes], fmt: str
) -> None:
    code, out, err = run(sample, capsysbinary, "WEB", "--format", fmt)
    assert (code, err) == (0, "")
    assert out == render_report(sample.db, "WEB", fmt)
    text = out.decode("utf-8")
    if fmt == "html":
        assert "Checkout page" in Page(text).text
    elif fmt == "csv":
        assert [r["title"] for r in csv.DictReader(io.StringIO(text))][1] == "Checkout page"
    else:
        assert "| Checkout page |" in text


def test_output_file_is_written_and_named(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    target = tmp_path / "status.html"
    code, out, err = run(sample, capsysbinary, "web", "--format", "html", "-o", target)
    assert (code, err) == (0, "")
    assert out.decode() == f"Wrote {target}\n"
    assert "Web shop" in Page(target.read_text("utf-8")).text


def test_pdf_to_a_file(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, qapp: object
) -> None:
    target = tmp_path / "status.pdf"
    code, _out, err = run(sample, capsysbinary, "WEB", "--format", "pdf", "--output", target)
    assert (code, err) == (0, "")
    first = pypdf.PdfReader(target).pages[0].extract_text()
    assert "Web shop (WEB)" in plain(first)


def test_update_option_renders_a_past_update_as_it_was(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    start = TODAY - dt.timedelta(days=14)
    update = create_status_update(
        sample.db,
        "WEB",
        health="at_risk",
        period_start=start,
        period_end=TODAY,
        headline="Frozen headline",
    )
    add_item(sample.db, "WEB", "Arrived after the update")
    create_status_update(sample.db, "WEB", health="on_track", period_start=TODAY, period_end=TODAY)
    code, out, _ = run(sample, capsysbinary, "WEB", "--format", "md", "--update", update.id)
    assert code == 0
    text = out.decode()
    assert "**Health:** At risk" in text and "Frozen headline" in text
    assert "Arrived after the update" not in text
    code, out, _ = run(sample, capsysbinary, "WEB", "--format", "md", "--update", "latest")
    assert "**Health:** On track" in out.decode()
    code, out, _ = run(sample, capsysbinary, "WEB", "--format", "md")
    assert "**Health:** Unknown" in out.decode()  # without --update: the live report
    assert "Arrived after the update" in out.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("WEB", "--format", "pdf"), "kanban: a PDF report needs an output file: -o FILE\n"),
        (("NOPE", "--format", "md"), "kanban: No product 'NOPE'\n"),
        (("WEB", "--format", "md", "--update", "999"), "kanban: No status update with id 999\n"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(sample, capsysbinary, *args)
    assert (code, out, err) == (2, b"", message)


def test_an_unknown_format_is_a_usage_error(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(sample, capsysbinary, "WEB", "--format", "docx")
    assert (code, out) == (2, b"")
    assert "invalid choice: 'docx'" in err and err.count("\n") == 1


def test_an_unwritable_output_exits_1_and_leaves_no_file(
    sample: Sample, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "status.md"
    code, out, err = run(sample, capsysbinary, "WEB", "--format", "md", "-o", target)
    assert (code, out) == (1, b"")  # an I/O failure, not a usage error
    assert err == f"kanban: Cannot write {target}: the folder {target.parent} does not exist\n"
    assert not target.parent.exists()


def test_a_missing_database_exits_2(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code = cli.main(["report", "WEB", "--format", "md", "--db", str(tmp_path / "none.db")])
    out, err = capsysbinary.readouterr()
    assert (code, out) == (2, b"")
    assert b"no such database" in err
    assert not (tmp_path / "none.db").exists()


def test_pdf_from_a_real_process_without_any_display(sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "status.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["PYTHONPATH"] = str(Path(kanban.__file__).resolve().parent.parent)
    command = ["report", "WEB", "--format", "pdf", "-o", str(target), "--db", str(sample.db.path)]
    done = subprocess.run(
        [sys.executable, "-m", "kanban", *command],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"Wrote {target}\n"
    reader = pypdf.PdfReader(target)
    assert "Page 1 of" in plain(reader.pages[0].extract_text())

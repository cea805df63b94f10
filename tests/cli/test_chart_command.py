"""`kanban chart PRODUCT KIND -o FILE.png|.svg`: real files from the sample data, and errors."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import Run
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kanban.services import Database, open_database
from kanban.services.demo import create_demo

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The sample products, built once: charts only read them."""
    db = open_database(str(tmp_path_factory.mktemp("charts") / "kanban.db"))
    create_demo(db, TODAY)
    yield db
    db.close()


def distinct_colours(image: QImage) -> int:
    return len(
        {image.pixel(x, y) for y in range(0, image.height(), 7) for x in range(0, image.width(), 7)}
    )


@pytest.mark.parametrize(
    "kind", ["cfd", "burndown", "burnup", "cycle-time", "throughput", "aging", "forecast"]
)
def test_each_chart_is_written_as_a_png_with_a_drawn_plot(
    run: Run, sample: Database, tmp_path: Path, qapp: QApplication, kind: str
) -> None:
    target = tmp_path / f"{kind}.png"
    result = run("chart", "WEB", kind, "-o", target, "--as-of", TODAY, "--db", sample.path)
    assert result == (0, f"Wrote {target}\n", "")
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1760, 880)
    assert distinct_colours(image) > 8  # bars, areas or lines and text, not a blank page


def test_svg_by_its_extension_with_a_range_the_dark_palette_and_a_named_sprint(
    run: Run, sample: Database, tmp_path: Path
) -> None:
    target = tmp_path / "sprint.SVG"
    args = ("--sprint", "sprint 2", "--unit", "items", "--dark", "--db", sample.path)
    assert run("chart", "WEB", "burndown", "-o", target, *args).code == 0
    root = ET.fromstring(target.read_bytes())
    words = [" ".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Burndown of Sprint 2 (items)" in words and "Remaining items" in words
    cfd = tmp_path / "cfd.svg"
    window = ("--from", "2026-11-02", "--to", "2026-11-08", "--db", sample.path)
    assert run("chart", "WEB", "cfd", "-o", cfd, *window).code == 0
    labels = [" ".join(t.itertext()).strip() for t in ET.fromstring(cfd.read_bytes()).iter()]
    assert "2 Nov" in labels and "8 Nov" in labels and "9 Nov" not in labels


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cfd", "-o", "chart.jpg"), "chart.jpg: the file must end in .png or .svg"),
        (
            ("burndown", "--sprint", "Nope", "-o", "x.png"),
            "No sprint 'Nope' in WEB (sprints: Sprint 1",
        ),
        (("cfd", "--from", "2026-11-20", "--to", "2026-11-01", "-o", "x.png"), "is after --to"),
        (("cfd", "--from", "2026-13-01", "-o", "x.png"), "not a date (YYYY-MM-DD): '2026-13-01'"),
        (("gantt", "-o", "x.png"), "invalid choice: 'gantt'"),
    ],
)
def test_a_mistake_is_one_line_and_writes_nothing(
    run: Run, sample: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...], message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, out, err = run("chart", "WEB", *args, "--db", sample.path)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.jpg"))


def test_an_unwritable_file_fails_with_exit_code_1(
    run: Run, sample: Database, tmp_path: Path
) -> None:
    code, _out, err = run(
        "chart", "WEB", "cfd", "-o", tmp_path / "missing" / "c.png", "--db", sample.path
    )
    assert code == 1 and "does not exist" in err


def test_the_command_offers_every_chart_of_the_catalog() -> None:
    from kanban.charts import catalog
    from kanban.cli import build_parser

    parser = build_parser()
    chart = parser._subparsers._group_actions[0].choices["chart"]  # type: ignore[union-attr]
    kind = next(a for a in chart._actions if a.dest == "kind")
    assert tuple(kind.choices) == catalog.NAMES

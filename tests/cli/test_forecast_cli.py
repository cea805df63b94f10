"""`kanban forecast` through the real command line: known answers from a written history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_runner import Run
from test_cli_subprocess import kanban_process
from written_history import write_history

from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.records import ProductInfo
from kanban.services.sprints import create_sprint
from kanban.storage.models import Item, Release, Transition

SUNDAY = dt.date(2024, 6, 30)


@pytest.fixture
def steady(db: Database, product: ProductInfo) -> list[int]:
    """WEB: three items finished every ISO week for twelve weeks, ten items still open."""
    return write_history(db, product, [3] * 12, SUNDAY, 10)


def forecast_json(run: Run, db_path: Path, *args: str) -> dict:
    result = run("--db", db_path, "forecast", "WEB", "--as-of", SUNDAY.isoformat(), "--json", *args)
    assert (result.code, result.err) == (0, "")
    data: dict = json.loads(result.out)
    return data


def test_constant_throughput_gives_one_date_and_says_how_it_was_drawn(
    run: Run, db_path: Path, steady: list[int]
) -> None:
    data = forecast_json(run, db_path, "--by", "2024-07-14")
    done = (SUNDAY + dt.timedelta(weeks=4)).isoformat()  # ten items at three a week
    assert data["when"] == {
        "items": 10, "p50": done, "p70": done, "p85": done, "p95": done,
        "beyond_horizon": 0, "distribution": [{"date": done, "runs": 10_000}],
    }  # fmt: skip
    assert (data["product"], data["as_of"], data["scope"]["kind"]) == (
        "WEB",
        "2024-06-30",
        "backlog",
    )
    assert data["window"] == {"from": "2024-04-08", "to": "2024-06-30", "weeks": 12}
    assert (data["sample"], data["sampling"]) == ([3] * 12, "week")
    assert (data["runs"], data["seed"], data["percentile"]) == (10_000, 20240101, "nearest rank")
    assert data["how_many"] == {"by": "2024-07-14", "p50": 6, "p70": 6, "p85": 6, "p95": 6}
    assert data["remaining"] == {"items": 10, "points": 20.0, "unestimated": 0}
    assert (data["reason"], data["warnings"], data["target"]) == (None, [], None)


def test_the_human_summary_states_window_sample_runs_and_seed(
    run: Run, db_path: Path, steady: list[int]
) -> None:
    result = run("--db", db_path, "forecast", "web", "--as-of", "2024-06-30", "--runs", "500",
                 "--seed", "42")  # fmt: skip
    assert result.code == 0
    assert "Window:  12 ISO weeks, 2024-04-08 to 2024-06-30" in result.out
    assert "items finished per week 3 3 3 3 3 3 3 3 3 3 3 3 (mean 3.0)" in result.out
    assert "Runs:    500, seed 42" in result.out
    assert "85%     2024-07-28" in result.out


def test_the_same_seed_gives_the_same_answer_and_the_day_sampling_says_so(
    db: Database, product: ProductInfo, run: Run, db_path: Path
) -> None:
    write_history(db, product, [1, 4, 0, 6, 2, 3, 5, 0, 2, 7, 1, 3], SUNDAY, 30)
    first = forecast_json(run, db_path, "--sample", "day", "--seed", "9", "--runs", "3000")
    assert first == forecast_json(run, db_path, "--sample", "day", "--seed", "9", "--runs", "3000")
    assert first["sampling"] == "day" and len(first["sample"]) == 84
    assert sum(first["sample"]) == sum(first["weekly"]) == 34
    when = first["when"]
    assert when["p50"] <= when["p70"] <= when["p85"] <= when["p95"]
    weekly = forecast_json(run, db_path, "--runs", "3000")
    assert {dt.date.fromisoformat(weekly["when"][f"p{p}"]).weekday() for p in (50, 85)} == {6}


def test_zero_throughput_is_no_forecast_with_a_reason(
    db: Database, product: ProductInfo, run: Run, db_path: Path
) -> None:
    write_history(db, product, [2, 2] + [0] * 12, SUNDAY, 4)
    data = forecast_json(run, db_path)
    assert data["when"] is None
    assert data["reason"] == "No item was finished in the 12 weeks of the window."
    human = run("--db", db_path, "forecast", "WEB", "--as-of", "2024-06-30")
    assert "No forecast: No item was finished" in human.out


def test_scopes_epic_until_sprint_release_and_a_number(
    db: Database, product: ProductInfo, run: Run, db_path: Path, steady: list[int]
) -> None:
    epic = add_item(db, "WEB", "Checkout", kind="epic")
    sprint = create_sprint(db, "WEB", "Sprint 9")
    with db.write() as session:
        release = Release(product_id=product.id, name="2.0", target_date=dt.date(2024, 7, 10))
        session.add(release)
        session.flush()
        for n, item_id in enumerate(steady):
            row = session.get(Item, item_id)
            assert row is not None
            row.epic_id = epic.id if n < 3 else None
            row.sprint_id = sprint.id if n < 6 else None
            row.release_id = release.id if n < 9 else None
    four_weeks = (SUNDAY + dt.timedelta(weeks=4)).isoformat()
    cases = {
        ("--epic", epic.key): (3, "epic", (SUNDAY + dt.timedelta(weeks=1)).isoformat()),
        ("--sprint", "sprint 9"): (6, "sprint", (SUNDAY + dt.timedelta(weeks=2)).isoformat()),
        ("--release", "2.0"): (9, "release", (SUNDAY + dt.timedelta(weeks=3)).isoformat()),
        ("--until", f"WEB-{36 + 4}"): (4, "until", (SUNDAY + dt.timedelta(weeks=2)).isoformat()),
        ("--items", "12"): (12, "items", four_weeks),
    }
    for args, (items, kind, p85) in cases.items():
        data = forecast_json(run, db_path, *args)
        assert (data["when"]["items"], data["scope"]["kind"], data["when"]["p85"]) == (
            items, kind, p85,
        ), args  # fmt: skip
    release_data = forecast_json(run, db_path, "--release", "2.0")
    assert (release_data["target"], release_data["late_days"]) == ("2024-07-10", 11)


def test_items_with_an_impossible_history_are_left_out_and_named(
    db: Database, run: Run, db_path: Path, steady: list[int]
) -> None:
    with db.write() as session:
        first = session.get(Item, 1)  # finished in the window's first week
        assert first is not None
        first.created_at = dt.datetime(2024, 7, 1, 9)  # after all its moves
        session.add(Transition(item_id=steady[0], to_column_id=first.column_id,
                               to_category="done", at=dt.datetime(2023, 12, 31)))  # fmt: skip
    data = forecast_json(run, db_path)
    assert data["sample"] == [2] + [3] * 11  # WEB-1's week lost it
    assert data["remaining"]["items"] == 9  # WEB-37 is in neither the sample nor the scope
    quality = data["data_quality"]
    assert (quality["checked"], quality["left_out"]) == (46, 2)
    assert [(i["key"], i["problem"]) for i in quality["items"]] == [
        ("WEB-1", "moved_before_created"),
        ("WEB-37", "out_of_order"),
    ]
    assert quality["note"].startswith("2 of 46 items are left out of the figures")
    human = run("--db", db_path, "forecast", "WEB", "--as-of", SUNDAY.isoformat(), "--runs", "50")
    assert human.out.splitlines()[-1] == f"Data quality: {quality['note']}"
    three = forecast_json(run, db_path, "--items", "3")["data_quality"]
    assert three["left_out"] == 2  # the note is the flow's, whatever the scope


def test_a_sound_history_has_an_empty_data_quality_note(
    run: Run, db_path: Path, steady: list[int]
) -> None:
    assert forecast_json(run, db_path)["data_quality"] == {
        "checked": 46, "left_out": 0, "note": None, "items": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("NOPE",), "kanban: No product 'NOPE'\n"),
        (("WEB", "--epic", "WEB-1"), "kanban: WEB-1 is not an epic (it is a story)\n"),
        (("WEB", "--sprint", "Never"), "kanban: No sprint 'Never' in WEB\n"),
        (("WEB", "--release", "9.9"), "kanban: No release '9.9' in WEB\n"),
        (("WEB", "--by", "2020-01-01", "--as-of", "2024-06-30"),
         "kanban: The date to forecast for must come after 2024-06-30\n"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line_and_exit_2(
    run: Run, db_path: Path, steady: list[int], args: tuple[str, ...], message: str
) -> None:
    result = run("--db", db_path, "forecast", *args)
    assert (result.code, result.out, result.err) == (2, "", message)


@pytest.mark.parametrize(
    "args",
    [("--epic", "WEB-1", "--sprint", "x"), ("--runs", "0"), ("--by", "someday"),
     ("--window-weeks", "-3"), ("--sample", "month")],
)  # fmt: skip
def test_usage_mistakes_exit_2(
    run: Run, db_path: Path, steady: list[int], args: tuple[str, ...]
) -> None:
    result = run("--db", db_path, "forecast", "WEB", *args)
    assert result.code == 2 and result.err.count("\n") == 1


def test_forecast_in_a_real_process_matches_the_in_process_answer(
    run: Run, db_path: Path, steady: list[int]
) -> None:
    process = kanban_process("--db", db_path, "forecast", "WEB", "--as-of", "2024-06-30",
                             "--runs", "2000", "--json")  # fmt: skip
    assert (process.returncode, process.stderr) == (0, "")
    assert json.loads(process.stdout) == forecast_json(run, db_path, "--runs", "2000")

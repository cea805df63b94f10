"""A short run of each part of `make torture` (benchmarks/torture): the same code, smaller,
and each part's check shown to see a loss when there is one."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from benchmarks.torture import kills, migrations, soak, writers
from benchmarks.torture.common import Figures
from kanban.services import open_database


def test_concurrent_writers_lose_nothing_and_the_check_would_see_a_loss(
    db_target: str, backend: str, tmp_path: Path
) -> None:
    figures = writers.run_writers(db_target, backend, tmp_path, writers=3, ops=25, seed=7)
    assert figures.ok and figures.busy == 0, figures.line()
    assert figures.acknowledged > 50

    # The verification is not vacuous: one item changed behind the log's back is one loss.
    db = open_database(db_target)
    try:
        with db.write() as session:
            session.execute(text("UPDATE items SET title = 'behind the log' WHERE number = 1"))
    finally:
        db.close()
    again = Figures("check")
    writers.verify(db_target, sorted(tmp_path.glob("writer-*.jsonl")), again)
    assert (again.lost, again.corrupt) == (1, 0)


def test_a_kanban_writer_killed_again_and_again_loses_no_acknowledged_change(
    db_target: str, backend: str
) -> None:
    figures = kills.run_master(db_target, backend, kills=10, seconds=120, seed=3)

    assert figures.ok, figures.line()
    assert figures.kills == 10 and figures.acknowledged > 0

    # The verification is not vacuous: an acknowledged question or item that is not there
    # is a loss, a change nobody made is a phantom.
    said = kills.verify(
        db_target,
        [
            {"ack": {"op": "ask", "token": "never asked"}},
            {"ack": {"op": "add", "token": "never added", "key": "KILL-999"}},
        ],
    )
    assert said["lost"] == 2
    assert said["phantoms"] == said["items"] + said["questions"] - 1  # all but the timing one


def test_the_window_and_the_terminal_lose_nothing_through_open_recent(
    qtbot: object, tmp_path: Path
) -> None:
    path, other = tmp_path / "soaked.db", tmp_path / "other.db"
    soak.setup(path, other)

    figures = soak.soak(path, other, seconds=6, writers=2)

    assert figures.ok, figures.line()
    counts = figures.counts
    assert counts["commands"] >= 2 and counts["refused"] == 0
    assert counts["reopens"] >= 1 and counts["window_writes"] >= 1
    assert counts["heard"] >= 1  # the window's own poll saw the terminal's writes
    assert counts["checks"] >= 2


@pytest.mark.parametrize("revision", migrations.revisions())
def test_a_migration_killed_at_any_moment_leaves_the_old_or_the_new_revision(
    revision: str, tmp_path: Path
) -> None:
    figures = migrations.torture_revision(
        revision, tmp_path, kills=2, seconds=120, rng=random.Random(revision)
    )

    assert figures.ok, figures.line()
    assert figures.kills >= 1
    assert figures.counts["old"] + figures.counts["new"] >= figures.kills


def test_the_migration_check_sees_half_a_migration_and_a_wrong_copy(tmp_path: Path) -> None:
    revision = migrations.revisions()[0]
    original = tmp_path / "original.db"
    migrations.make_old_file(original, revision)
    damaged = tmp_path / "half.db"
    damaged.write_bytes(original.read_bytes())
    conn = sqlite3.connect(damaged)
    conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
    conn.commit()
    conn.close()
    copy = damaged.with_name(f"{damaged.name}.before-{revision}-20260101-000000.bak")
    copy.write_bytes(original.read_bytes()[:-4096])
    figures = Figures("check")
    outcomes = {"old": 0, "new": 0, "copies": 0}

    migrations.check_after(
        damaged,
        revision,
        original.read_bytes(),
        migrations.dump(original),
        migrations.row_counts(original),
        figures,
        outcomes,
    )

    assert figures.corrupt == 2, figures.notes
    assert figures.notes[0] == "left at revision f00d: half a migration"
    assert figures.notes[1].startswith(f"{copy.name} is not the original")

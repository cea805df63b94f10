"""Concurrent writers (issue 8.7): N processes making random moves and edits on one product.

Every attempt must end committed, refused as a conflict (an edit of a version another writer
replaced), or as a no-op (a move to where the card already is). Each writer logs what each
commit returned; afterwards every item's versions must run 2, 3, ... without a gap or a
duplicate (no lost update, no two writers on one version), the item must be exactly as its
newest logged version left it (column, rank, title, points), and the ranks unique and valid.

``python -m benchmarks.torture.writers worker TARGET WRITER OPS SEED LOG [UNTIL]`` is one
writer (UNTIL: a ``time.time()`` it stops at, if it has not made its OPS attempts by then).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from benchmarks.torture.common import REPO, Figures, Timer, environment

PRODUCT = "LOAD"
ITEMS = 40


def setup(target: str, items: int = ITEMS) -> None:
    """A product LOAD with the default columns and ``items`` items, spread over them."""
    from kanban.services import open_database
    from kanban.services.items import add_item
    from kanban.services.products import create_product, list_columns

    db = open_database(target)
    try:
        product = create_product(db, PRODUCT, "Load test")
        columns = list_columns(db, product.id)
        for number in range(items):
            add_item(db, PRODUCT, f"Item {number}", column=columns[number % len(columns)].name)
    finally:
        db.close()


def worker(
    target: str, writer: int, ops: int, seed: int, log: Path, until: float = float("inf")
) -> None:
    """One writer: ``ops`` random moves and edits (fewer if ``until`` comes first), each
    outcome a JSON line in ``log``."""
    from kanban.errors import ConflictError, DatabaseBusyError
    from kanban.services import open_database
    from kanban.services.items import edit_item, get_item, load_board, move_item

    rng = random.Random(seed * 1000 + writer)
    db = open_database(target)
    board = load_board(db, PRODUCT)
    ids = [c.id for c in board.cards]
    columns = [c.id for c in board.columns]
    with log.open("w", encoding="utf-8") as out:

        def record(**entry: Any) -> None:
            out.write(json.dumps({"writer": writer, **entry}) + "\n")
            out.flush()

        for n in range(ops):
            if time.time() >= until:
                break
            item = rng.choice(ids)
            kind = rng.choice(("to column", "before", "after", "edit", "edit"))
            try:
                if kind == "edit":
                    seen = get_item(db, item)
                    title = f"w{writer} n{n}"
                    points = rng.choice((None, 1.0, 2.0, 3.0, 5.0, 8.0))
                    detail = edit_item(db, item, seen.version, title=title, points=points)
                    record(
                        op="edit", item=item, version=detail.version, column=detail.column_id,
                        rank=detail.rank, title=detail.title, points=detail.points,
                    )  # fmt: skip
                    continue
                other = rng.choice([i for i in ids if i != item])
                if kind == "to column":
                    change = move_item(db, item, column_id=rng.choice(columns))
                elif kind == "before":
                    change = move_item(db, item, before_id=other)
                else:
                    change = move_item(db, item, after_id=other)
                if not change.cards:
                    record(op="move", item=item, unchanged=True)
                    continue
                card = change.cards[0]
                record(
                    op="move", item=item, version=card.version, column=card.column_id,
                    rank=card.rank, title=card.title, points=card.points,
                )  # fmt: skip
            except ConflictError:
                record(op=kind, item=item, conflict=True)
            except DatabaseBusyError as error:
                record(op=kind, item=item, busy=str(error))
            except Exception:
                record(op=kind, item=item, traceback=traceback.format_exc())
    db.close()


def verify(target: str, logs: list[Path], figures: Figures) -> None:
    """Compare the database with the writers' logs (see the module docstring)."""
    from kanban.ranking import is_valid_rank
    from kanban.services import open_database
    from kanban.services.items import load_board

    entries = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    committed = [e for e in entries if "version" in e]
    conflicts = sum(1 for e in entries if e.get("conflict"))
    unchanged = sum(1 for e in entries if e.get("unchanged"))
    busy = [e for e in entries if "busy" in e]
    crashed = [e for e in entries if "traceback" in e]
    figures.acknowledged += len(committed)
    figures.tracebacks += len(crashed)
    figures.busy += len(busy)  # refused, nothing saved: not lost, but no commit or conflict
    for entry in crashed[:3]:
        figures.note(f"writer {entry['writer']}: {entry['traceback']}")
    if busy:
        figures.note(f"{len(busy)} refused as busy (waited past the busy timeout)")
    figures.note(
        f"{len(entries)} attempts: {len(committed)} committed, {conflicts} conflicts, "
        f"{unchanged} already in place, {len(busy)} busy"
    )

    db = open_database(target)
    try:
        board = load_board(db, PRODUCT)
    finally:
        db.close()
    by_item: dict[int, list[dict[str, Any]]] = {}
    for entry in committed:
        by_item.setdefault(entry["item"], []).append(entry)
    for card in board.cards:
        mine = sorted(by_item.pop(card.id, []), key=lambda e: e["version"])
        versions = [e["version"] for e in mine]
        if versions != list(range(2, 2 + len(versions))):
            figures.lost += max(0, len(versions) - len(set(versions)))
            figures.corrupt += 1
            figures.note(f"{card.key}: versions {versions[:12]}: a gap or a duplicate")
            continue
        if card.version != (versions[-1] if versions else 1):
            figures.lost += 1
            figures.note(f"{card.key}: version {card.version}, log ends at {versions[-1:]}")
            continue
        if mine:
            last = mine[-1]
            now = {"column": card.column_id, "rank": card.rank, "title": card.title,
                   "points": card.points}  # fmt: skip
            then = {k: last[k] for k in now}
            if now != then:
                figures.lost += 1
                figures.note(f"{card.key}: is {now}, its last commit said {then}")
    if by_item:
        figures.lost += sum(len(v) for v in by_item.values())
        figures.note(f"commits to items no longer on the board: {sorted(by_item)[:5]}")
    ranks = [c.rank for c in board.cards]
    if len(set(ranks)) != len(ranks) or not all(is_valid_rank(r) for r in ranks):
        figures.corrupt += 1
        figures.note("ranks not unique and valid")
    if ranks != sorted(ranks):
        figures.corrupt += 1
        figures.note("the board is not in rank order")


def run_writers(
    target: str,
    label: str,
    folder: Path,
    *,
    writers: int = 10,
    ops: int = 500,
    seed: int = 1,
    seconds: float = float("inf"),
) -> Figures:
    """Set up the product, run the writers at once (their logs in ``folder``), verify; the
    writers stop after ``seconds`` if they have not made their ``ops`` attempts by then."""
    import subprocess

    figures = Figures(f"concurrent writers, {label} ({writers} x {ops})")
    setup(target)
    until = time.time() + seconds
    with Timer(figures):
        logs = [folder / f"writer-{n}.jsonl" for n in range(writers)]
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.torture.writers",
                    "worker",
                    target,
                    str(n),
                    str(ops),
                    str(seed),
                    str(logs[n]),
                    str(until),
                ],
                cwd=REPO,
                env=environment(),
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(writers)
        ]
        for process in processes:
            _, err = process.communicate(timeout=1800)
            if process.returncode != 0:
                figures.tracebacks += 1
                figures.note(f"a writer exited {process.returncode}: {err.strip()[-300:]}")
        verify(target, [log for log in logs if log.exists()], figures)
    return figures


def run(*, seconds: float = float("inf"), short: bool = False, seed: int = 1) -> list[Figures]:
    """The writers on a SQLite file, and on PostgreSQL when a server is given (``seconds``
    shared between them)."""
    from benchmarks.torture.common import (
        drop_postgres_database,
        new_postgres_database,
        postgres_server,
    )

    writers, ops = (3, 40) if short else (10, 500)
    results = []
    server = postgres_server()
    share = seconds / 2 if server is not None else seconds
    with tempfile.TemporaryDirectory(prefix="kanban-writers-") as name:
        folder = Path(name)
        path = str(folder / "load.db")
        results.append(
            run_writers(path, "SQLite", folder, writers=writers, ops=ops, seed=seed, seconds=share)
        )
        if server is not None:
            url = new_postgres_database(server, "kanban_torture_writers")
            try:
                (folder / "pg").mkdir()
                results.append(
                    run_writers(
                        url,
                        "PostgreSQL",
                        folder / "pg",
                        writers=writers,
                        ops=ops,
                        seed=seed,
                        seconds=share,
                    )
                )
            finally:
                drop_postgres_database(server, url)
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        _, _, target, writer, ops, seed, log, *until = sys.argv
        worker(target, int(writer), int(ops), int(seed), Path(log), float(*until or ["inf"]))
    else:
        for result in run(short="--short" in sys.argv):
            print(result.line())

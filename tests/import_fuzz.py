"""Mutation fuzzing of `kanban import json` (issue 8, item 2).

Each input is a real export of the sample data, changed in one or a few hostile ways (a value
swapped for another node's or for a hostile one, a key or an element dropped or doubled, the
text cut short, a byte that is not UTF-8, lists nested 999 deep, a 4,301-digit number, NaN).
Each must end one of two ways:

* **refused**: a :class:`kanban.errors.KanbanError` of one line (at most 300 characters), and
  the database still empty;
* **accepted**: and then the app works on what was imported: every product's board, a new
  item, its status report, its questions, an export of the whole database.

Anything else (a traceback, a refusal of several lines, a half-written database, an accepted
file that breaks a later command) is a failure, reported with the input that caused it.

A short run is part of the normal suite (``tests/services/test_import_fuzz.py``); `make
torture` runs a long one::

    python tests/import_fuzz.py --count 2000 --seed 1     # prints the figures, exit 1 on failure

or, from Python, ``import_fuzz.fuzz(count, seed, folder)`` (with ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import json
import random
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 3, 12)

HOSTILE_VALUES: tuple[Any, ...] = (
    "", "ä0", "a00", "a", "Zz", "\ud800", "\udfff x", "nul\x00", "x" * 600, "   ",
    0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**30, 1.5, -0.0, 1e308,
    True, False, None, [], {}, [1, 2], {"a": 1},
    "2026-13-45", "2026-03-12T25:00:00", "2026-03-12T10:00:00+05:00", "yesterday",
    "doing", "done", "epic", "saga", "active", "ÄPP", "web", "WEB", "APP",
)  # fmt: skip


@dataclass
class FuzzResult:
    """What a run found."""

    inputs: int = 0
    accepted: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.inputs:,} mutated exports: {self.accepted:,} imported, {self.refused:,} "
            f"refused with one line, {len(self.failures)} failures (tracebacks or broken)"
        )


# --- the inputs ------------------------------------------------------------------------------


def sample_export(folder: Path) -> str:
    """The sample data's export, as text."""
    from kanban.services import open_database
    from kanban.services.demo import create_demo
    from kanban.services.transfer import write_export

    for old in folder.glob("sample.db*"):
        old.unlink()
    db = open_database(str(folder / "sample.db"))
    try:
        create_demo(db, TODAY)
        write_export(db, folder / "sample.json")
    finally:
        db.close()
    return (folder / "sample.json").read_text(encoding="utf-8")


def _nodes(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, obj
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from _nodes(value, (*path, index))


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def mutate_document(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One to three structural changes of a parsed export."""
    changed = copy.deepcopy(document)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        nodes = [(p, v) for p, v in _nodes(changed) if p]
        path, _value = rng.choice(nodes)
        parent = _parent(changed, path)
        operation = rng.random()
        if operation < 0.45:
            parent[path[-1]] = rng.choice(HOSTILE_VALUES)
        elif operation < 0.75:  # another node's value: ids of another product, wrong types
            parent[path[-1]] = copy.deepcopy(rng.choice(nodes)[1])
        elif operation < 0.85:
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))  # a doubled element
        else:
            parent[rng.choice(("extra", "id", "key", "items"))] = copy.deepcopy(parent[path[-1]])
    return changed


def mutate_text(text: str, rng: random.Random) -> bytes:
    """A change of the file's text itself: cut, nested, huge or non-numbers, bad bytes."""
    operation = rng.random()
    at = rng.randrange(len(text))
    if operation < 0.3:
        return text[:at].encode()
    if operation < 0.45:
        return (text[:at] + "[" * 999 + "]" * 999 + text[at:]).encode()
    if operation < 0.6:
        return text.replace(": 1,", ": " + "7" * 4301 + ",", 1).encode()
    if operation < 0.75:
        return text.replace(
            ": 5.0", ": " + rng.choice(("NaN", "Infinity", "-Infinity")), 1
        ).encode()
    if operation < 0.9:
        data = bytearray(text.encode())
        data[at] = rng.choice((0xFF, 0xC3, 0x80, 0x00))
        return bytes(data)
    return (text + rng.choice(("x", "{}", ",", "]"))).encode()


def mutants(text: str, count: int, seed: int) -> Iterator[bytes]:
    """``count`` hostile variants of an export (the same seed gives the same ones)."""
    rng = random.Random(seed)
    document = json.loads(text)
    for _ in range(count):
        if rng.random() < 0.75:
            yield json.dumps(mutate_document(document, rng)).encode()
        else:
            yield mutate_text(text, rng)


# --- one input -------------------------------------------------------------------------------


def _database_is_empty(path: Path) -> bool:
    import sqlite3

    from kanban.storage.models import Base

    with contextlib.closing(sqlite3.connect(path)) as conn:
        return all(
            conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0] == 0
            for table in Base.metadata.sorted_tables
        )


def _use(db: Any) -> None:
    """What a user does next with an imported database; any traceback is a failure."""
    from kanban.errors import KanbanError
    from kanban.reports.model import build_status_report
    from kanban.services.items import add_item, load_board
    from kanban.services.products import list_products
    from kanban.services.questions import list_questions
    from kanban.services.transfer import export_data

    for product in list_products(db, include_archived=True):
        load_board(db, product.id)
        list_questions(db, product.id)
        with contextlib.suppress(KanbanError):  # a product with no columns says so
            add_item(db, product.id, "After the import")
        build_status_report(db, product.id, today=TODAY)
    export_data(db)


def check(data: bytes, folder: Path, template: Path) -> str:
    """Import one input into a fresh database: ``accepted`` or ``refused``; raises
    AssertionError (with the reason) for anything else."""
    from kanban.errors import KanbanError
    from kanban.services import open_database
    from kanban.services.transfer import import_file

    source, target = folder / "input.json", folder / "target.db"
    source.write_bytes(data)
    for leftover in folder.glob("target.db*"):
        leftover.unlink()
    shutil.copyfile(template, target)
    db = open_database(str(target))
    try:
        try:
            import_file(db, source)
        except KanbanError as error:
            message = str(error)
            assert "\n" not in message, f"a refusal of several lines: {message!r}"
            assert len(message) <= 300, f"a refusal of {len(message)} characters: {message!r}"
            db.close()
            assert _database_is_empty(target), f"refused ({message}) but rows were written"
            return "refused"
        _use(db)
        return "accepted"
    finally:
        db.close()


def fuzz(
    count: int,
    seed: int,
    folder: Path,
    text: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> FuzzResult:
    """Import ``count`` mutants of the sample's export (or of ``text``); see the module
    docstring. ``folder`` holds the work files."""
    from kanban.services import open_database

    folder.mkdir(parents=True, exist_ok=True)
    text = text if text is not None else sample_export(folder)
    template = folder / "empty.db"
    if not template.exists():
        open_database(str(template)).close()
    result = FuzzResult()
    for index, data in enumerate(mutants(text, count, seed)):
        result.inputs += 1
        try:
            outcome = check(data, folder, template)
        except Exception as error:  # every failure is reported, with its input
            kept = folder / f"failure-{seed}-{index}.json"
            kept.write_bytes(data)
            last = traceback.format_exception(error)[-1].strip()
            result.failures.append(f"input {index} ({kept}): {last}")
            continue
        if outcome == "accepted":
            result.accepted += 1
        else:
            result.refused += 1
        if progress is not None:
            progress(index + 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="work files (default: a temporary one)")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        folder = args.folder or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        result = fuzz(args.count, args.seed, folder)
        print(result.line())
        for failure in result.failures:
            print("  " + failure)
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())

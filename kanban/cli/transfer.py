"""`kanban export json` and `kanban import json`: the whole database, restorable.

Both show their progress on stderr when it is a terminal (or with ``--progress``), and stay
quiet otherwise, so scripts and pipes see only the one-line result.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kanban.cli import importers
from kanban.cli.common import EXIT_OK, AddCommand, database, echo
from kanban.config import database_target
from kanban.domain import plural
from kanban.importers import SOURCES


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    export = add("export", _export, "export the whole database (restorable)")
    export.add_argument("format", choices=("json",))
    export.add_argument("-o", "--output", type=Path, metavar="FILE", required=True)
    export.add_argument("--progress", action="store_true", help="show progress on stderr")

    restore = add(
        "import",
        _import,
        "import an export into an empty database, or a Trello board, a Jira export or a "
        "spreadsheet into a product (see kanban.cli.importers)",
    )
    restore.add_argument("format", choices=("json", *SOURCES))
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--progress", action="store_true", help="show progress on stderr")
    importers.add_options(restore)


def _export(args: argparse.Namespace) -> int:
    from kanban.services.transfer import write_export

    with database(args, must_exist=True) as db, Progress("Exporting", args.progress) as shown:
        summary = write_export(db, args.output, shown.report)
    echo(
        f"Exported {plural(summary.products, 'product')}, {plural(summary.items, 'item')}, "
        f"{plural(summary.questions, 'question')} to {args.output}"
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    if args.format != "json":
        return importers.run(args)
    importers.refuse_options(args)
    from kanban.services.transfer import restore_into

    target = database_target(getattr(args, "db", None))
    with Progress(f"Importing {args.file}", args.progress) as shown:
        summary = restore_into(target, args.file, shown.report)
    echo(
        f"Imported {plural(len(summary.products), 'product')}, "
        f"{plural(summary.count('items'), 'item')}, "
        f"{plural(summary.count('questions'), 'question')} from {args.file}"
    )
    return EXIT_OK


class Progress:
    """``Importing shop.json  42%`` on one line of stderr, redrawn at most ten times a
    second; nothing unless stderr is a terminal or ``--progress`` asked for it."""

    def __init__(self, label: str, wanted: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.on = wanted or self.stream.isatty()
        self.shown_at = 0.0
        self.drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.drawn:
            self.stream.write("\r\033[K" if self.stream.isatty() else "\n")
            self.stream.flush()

    @property
    def report(self) -> Callable[[int, int], None] | None:
        return self._report if self.on else None

    def _report(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown_at < 0.1 and done < total:
            return
        self.shown_at = now
        share = f"{min(100, done * 100 // total):3d}%" if total else f"{done:,}"
        self.stream.write(f"\r{self.label}  {share}")
        self.stream.flush()
        self.drawn = True

"""`kanban export json` and `kanban import json`: the whole database, restorable."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kanban.cli.common import EXIT_OK, AddCommand, database, echo


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    export = add("export", _export, "export the whole database (restorable)")
    export.add_argument("format", choices=("json",))
    export.add_argument("-o", "--output", type=Path, metavar="FILE", required=True)

    restore = add("import", _import, "import an export into an empty database")
    restore.add_argument("format", choices=("json",))
    restore.add_argument("file", type=Path, metavar="FILE")


def _export(args: argparse.Namespace) -> int:
    from kanban.services.transfer import write_export

    with database(args, must_exist=True) as db:
        data = write_export(db, args.output)
    echo(f"Exported {_summary(data)} to {args.output}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from kanban.services.transfer import import_data, load_export

    data = load_export(args.file)  # checked before the database is created or touched
    with database(args) as db:
        import_data(db, data)
    echo(f"Imported {_summary(data)} from {args.file}")
    return EXIT_OK


def _summary(data: dict[str, Any]) -> str:
    products = data["products"]
    items = sum(len(p["items"]) for p in products)
    questions = sum(len(p["questions"]) for p in products)
    return f"{len(products)} product(s), {items} item(s), {questions} question(s)"

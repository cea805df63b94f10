"""`kanban import trello|jira|csv FILE`: bring a board, a Jira export or a spreadsheet in.

``kanban import`` is one command (its ``json`` format, the restore, is `kanban.cli.transfer`);
these are its other formats. The file is read and checked in full before the database is
opened, the import is one transaction, and ``--dry-run`` prints the preview (columns and their
categories, items, moves, people, what is skipped and why) without writing.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from kanban.cli.common import EXIT_OK, database, echo
from kanban.domain import COLUMN_CATEGORIES, plural
from kanban.errors import ValidationError

SHOWN_SKIPPED = 20
"""Lines of "not imported" printed after an import (the preview prints them all)."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``kanban import`` for the Trello, Jira and spreadsheet formats."""
    parser.add_argument(
        "--into", metavar="PRODUCT", help="add to this product (skipping what it already holds)"
    )
    parser.add_argument("--key", metavar="KEY", help="the new product's key (default: guessed)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="csv: the spreadsheet column of a field (title, type, points, status, labels, "
        "assignee, created, started, done, ...)",
    )
    parser.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="COLUMN=CATEGORY",
        help="correct a column's guessed category (" + ", ".join(COLUMN_CATEGORIES) + ")",
    )
    parser.add_argument(
        "--again", action="store_true", help="import a file imported before as another copy"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be imported; write nothing"
    )


def refuse_options(args: argparse.Namespace) -> None:
    """``kanban import json`` restores a whole export: these options have no meaning there."""
    given = [
        option
        for option, value in (
            ("--into", args.into),
            ("--key", args.key),
            ("--map", args.map),
            ("--category", args.category),
            ("--again", args.again),
            ("--dry-run", args.dry_run),
        )
        if value
    ]
    if given:
        raise ValidationError(f"{', '.join(given)}: for kanban import trello, jira or csv only")


def categories(pairs: Sequence[str], columns: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``--category NAME=CATEGORY`` as {column ref: category}, by column name (any case)."""
    by_name = {name.casefold(): ref for ref, name in columns}
    chosen: dict[str, str] = {}
    for pair in pairs:
        name, sep, category = pair.rpartition("=")
        category = category.strip().lower()
        if not sep or not name.strip():
            raise ValidationError(f"--category {pair!r}: write COLUMN=CATEGORY (e.g. Review=doing)")
        if category not in COLUMN_CATEGORIES:
            raise ValidationError(
                f"--category {pair!r}: no category {category!r}; there are "
                + ", ".join(COLUMN_CATEGORIES)
            )
        ref = by_name.get(name.strip().casefold())
        if ref is None:
            raise ValidationError(
                f"--category {pair!r}: the file has no column {name.strip()!r}; there are "
                + ", ".join(repr(shown) for _ref, shown in columns)
            )
        chosen[ref] = category
    return chosen


def run(args: argparse.Namespace) -> int:
    """Import ``args.file`` of ``args.format`` (trello, jira or csv)."""
    from kanban.cli.transfer import Progress
    from kanban.importers.spreadsheet import parse_mapping
    from kanban.services.importing import describe, preview_import, read_import, run_import

    if args.map and args.format != "csv":
        raise ValidationError("--map is for a spreadsheet (kanban import csv)")
    mapping = parse_mapping(args.map)
    with Progress(f"Reading {args.file}", args.progress) as shown:
        file = read_import(args.format, args.file, mapping, shown.report)
    chosen = categories(args.category, [(c.ref, c.name) for c in file.board.columns])
    with database(args) as db:
        if args.dry_run:
            preview = preview_import(db, file, into=args.into, categories=chosen, key=args.key)
            for line in describe(preview):
                echo(line)
            return EXIT_OK
        with Progress(f"Importing {args.file}", args.progress) as shown:
            result = run_import(
                db,
                file,
                into=args.into,
                categories=chosen,
                key=args.key,
                again=args.again,
                progress=shown.report,
            )
    product = result.product
    echo(
        f"Imported {plural(result.items, 'item')} ({plural(result.transitions, 'move')}, "
        f"{plural(result.comments, 'comment')}) into {product.key} ({product.name}) "
        f"from {args.file}"
    )
    if result.existing:
        echo(f"Already in {product.key}, skipped: {plural(result.existing, 'item')}")
    if result.skipped:
        echo(f"Not imported ({len(result.skipped):,}):")
        for entry in result.skipped[:SHOWN_SKIPPED]:
            echo(f"  {entry.what}: {entry.why}")
        if len(result.skipped) > SHOWN_SKIPPED:
            echo(f"  ... and {len(result.skipped) - SHOWN_SKIPPED:,} more (see --dry-run)")
    return EXIT_OK

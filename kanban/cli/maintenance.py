"""Looking after the database: `kanban check`, `kanban backup`, `kanban restore`.

``kanban check --json`` prints one object, a stable contract::

    {
      "database": "/home/po/.local/share/kanban/kanban.db",   # the file, or the URL
      "sound": true,
      "checks": ["integrity", "references", "ranks", "item numbers", "products"],
      "findings": [{"check": "ranks", "problem": "WEB-3 has an invalid rank 'a00'"}]
    }

Exit code 0 when sound, 1 when damaged (a file too damaged to open is one finding of the
check ``open``). New keys may be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kanban.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    AddCommand,
    database,
    echo,
    echo_json,
    table,
)
from kanban.config import database_target
from kanban.errors import CorruptDatabaseError, ValidationError


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    check = add(
        "check",
        _check,
        "check the database: integrity, references, ranks, item numbers; exit 1 if damaged",
    )
    check.add_argument("--json", action="store_true", help="print JSON (a stable shape)")

    backup = add(
        "backup",
        _backup,
        "copy the database now (SQLite's backup API), by default into the backups folder beside it",
    )
    backup.add_argument("-o", "--output", type=Path, metavar="FILE", help="copy to this file")
    backup.add_argument("--replace", action="store_true", help="replace FILE if it exists")
    backup.add_argument(
        "--list", action="store_true", help="list the backups beside the database, newest first"
    )

    restore = add(
        "restore",
        _restore,
        "put a backup's content into the database (the replaced one is kept in its backups folder)",
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="a backup file")
    restore.add_argument(
        "--replace", action="store_true", help="replace the existing database (kept aside)"
    )


def _check(args: argparse.Namespace) -> int:
    from kanban.services.check import check_database

    try:
        with database(args, must_exist=True) as db:
            report = check_database(db)
    except CorruptDatabaseError as error:
        if args.json:
            echo_json(
                {
                    "database": error.path,
                    "sound": False,
                    "checks": ["open"],
                    "findings": [{"check": "open", "problem": error.problem}],
                }
            )
        else:
            echo(f"Checked {error.path}: it cannot be opened")
            echo(f"open: {error.problem}")
            echo("Damaged. Restore a backup (see 'kanban restore --help').")
        return EXIT_FAILURE
    if args.json:
        echo_json(
            {
                "database": report.database,
                "sound": report.sound,
                "checks": list(report.checks),
                "findings": [{"check": f.check, "problem": f.problem} for f in report.findings],
            }
        )
        return EXIT_OK if report.sound else EXIT_FAILURE
    echo(f"Checked {report.database}: {', '.join(report.checks)}")
    for finding in report.findings:
        echo(f"{finding.check}: {finding.problem}")
    if report.sound:
        echo("Sound: no problem found.")
        return EXIT_OK
    echo(f"Damaged: {len(report.findings)} problem(s) found.")
    return EXIT_FAILURE


def _backup(args: argparse.Namespace) -> int:
    from kanban.services.backups import back_up, backup_folder, list_backups

    if args.list:
        target = Path(database_target(getattr(args, "db", None))).expanduser()
        backups = list_backups(target)
        if not backups:
            echo(f"No backups in {backup_folder(target)}")
        rows = [
            (f"{b.made_at:%Y-%m-%d %H:%M:%S}", f"{b.size / 1e6:.1f} MB", str(b.path))
            for b in backups
        ]
        if rows:
            echo(table(("MADE", "SIZE", "FILE"), rows))
        return EXIT_OK
    with database(args, must_exist=True) as db:
        made = back_up(db, args.output, replace=args.replace)
    echo(f"Backed up to {made}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from kanban.services.backups import restore_backup

    target = database_target(getattr(args, "db", None))
    if "://" in target:
        raise ValidationError(
            "a PostgreSQL database is restored on its server (pg_restore), or from an export "
            "with 'kanban import json FILE' into an empty database"
        )
    result = restore_backup(Path(target), args.backup, replace=args.replace)
    if result.kept_aside is not None:
        echo(f"The database as it was is kept in {result.kept_aside}")
    echo(f"Restored {args.backup} into {result.database}")
    return EXIT_OK

"""Looking after the database: `kanban check`.

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

from kanban.cli.common import EXIT_FAILURE, EXIT_OK, AddCommand, database, echo, echo_json
from kanban.errors import CorruptDatabaseError


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    check = add(
        "check",
        _check,
        "check the database: integrity, references, ranks, item numbers; exit 1 if damaged",
    )
    check.add_argument("--json", action="store_true", help="print JSON (a stable shape)")


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

"""The command line: `kanban` opens the app; sub-commands work on the database headless.

Every sub-command takes ``--db PATH_OR_URL`` (else ``$KANBAN_DB``, else the per-user default
file). Exit codes: 0 success; 2 a user's mistake (bad arguments, an unknown product, item,
column or question, a file that is not what it should be), with one line
``kanban: <message>`` on stderr; 1 any other failure (disk, database); 130 interrupted.

One module per group of sub-commands (``COMMAND_MODULES``), each with a ``register(add)``;
a module imports the services it needs inside its handlers, so a command loads only what it
uses. The ``--json`` shapes are documented in each module and in the README.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from kanban import __version__
from kanban.cli.common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    Handler,
    echo,
)
from kanban.config import DB_ENV, default_database_path
from kanban.errors import FileWriteError, KanbanError

# The sub-command groups, in the order `kanban --help` lists them.
COMMAND_MODULES = (
    "kanban.cli.products",
    "kanban.cli.items",
    "kanban.cli.board",
    "kanban.cli.sprints",
    "kanban.cli.refinement",
    "kanban.cli.questions",
    "kanban.cli.reports",
    "kanban.cli.forecast",
    "kanban.cli.targets",
    "kanban.cli.releases",
    "kanban.cli.portfolio",
    "kanban.cli.scoring",
    "kanban.cli.charts",
    "kanban.cli.transfer",
    "kanban.cli.maintenance",
    "kanban.cli.completion",
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    parser = build_parser()
    if not gc.get_freeze_count():
        # What the imports made (SQLAlchemy, the tables, the command modules: ~40,000 objects)
        # lives as long as the process: kept out of the cycle collector, a full collection (in
        # a long command, and several as the process exits) no longer walks it.
        gc.freeze()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already reported
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        if args.command is None:
            return _open_app(args.db)
        return int(args.handler(args))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except FileWriteError as error:  # the disk said no: an I/O failure, not a usage error
        return _fail(str(error), EXIT_FAILURE)
    except KanbanError as error:
        return _fail(str(error), EXIT_USAGE)
    except BrokenPipeError:  # the reader went away (kanban questions WEB | head)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or error}", EXIT_FAILURE)
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error  # a DBAPIError's driver error
        return _fail(f"database error: {cause}", EXIT_FAILURE)


def _fail(message: str, code: int) -> int:
    text = " ".join(line.strip() for line in message.splitlines() if line.strip())
    echo(f"kanban: {text}", err=True)
    return code


def version() -> str:
    """This app's version: the installed distribution's, else the source tree's."""
    from importlib import metadata  # ~70 ms to import: only for --version

    try:
        return metadata.version("kanban")
    except metadata.PackageNotFoundError:
        return __version__


class _VersionAction(argparse.Action):
    """``--version``: prints the version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version"
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        echo(f"kanban {version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"kanban: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every sub-command."""
    db_help = (
        "the database: a file path or a SQLAlchemy URL "
        f"(default: ${DB_ENV}, else {default_database_path()})"
    )
    parser = _Parser(
        prog="kanban",
        description="The product owner's backlog, board, sprints, status reports and the "
        "team's questions. Without a command, opens the app.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--db", metavar="PATH_OR_URL", help=db_help)
    # Sub-commands take --db too; SUPPRESS keeps `kanban --db x demo` from being reset.
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=db_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, parents=[common], help=text, description=text
        )
        sub.set_defaults(handler=handler)
        return sub

    for module in COMMAND_MODULES:
        import_module(module).register(add)
    return parser


def _open_app(db_target: str | None) -> int:
    from kanban.ui.app import run  # Qt is imported only when the app opens

    return run(db_target)

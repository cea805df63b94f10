"""The command line: `kanban` opens the app; sub-commands work on the database headless.

Every sub-command takes ``--db PATH_OR_URL`` (else ``$KANBAN_DB``, else the per-user default
file). Exit codes: 0 success; 2 a user's mistake (bad arguments, an unknown product, item,
column or question, a file that is not what it should be), with one line
``kanban: <message>`` on stderr; 1 any other failure (disk, database); 130 interrupted.

``kanban questions PRODUCT --json`` prints a JSON list, a stable contract; each object is::

    {
      "id": 12,                      # the question number used by `kanban answer`
      "product": "WEB",              # the product's key
      "item": "WEB-3" | null,        # the item the question is about, if any
      "text": "...",
      "state": "open" | "answered" | "obsolete",
      "urgency": "low" | "normal" | "high" | "critical",
      "asked_by": "Ana Silva" | null,
      "asked_at": "2026-05-01T09:30:00+00:00",      # ISO 8601, UTC
      "answer": "..." | null,                       # null until answered
      "answered_by": "..." | null,
      "answered_at": "2026-05-02T10:00:00+00:00" | null
    }

in the order of the Questions screen: most urgent first, then oldest first. New keys may be
added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from kanban import __version__
from kanban.config import DB_ENV, database_target, default_database_path
from kanban.errors import FileWriteError, KanbanError, NotFoundError, ValidationError
from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.items import add_item, get_item, load_board, move_item
from kanban.services.products import get_product, list_columns, list_products
from kanban.services.questions import answer_question, ask_question, list_questions
from kanban.services.records import QuestionInfo
from kanban.services.transfer import import_data, load_export, write_export
from kanban.storage.models import ITEM_KINDS, URGENCIES

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
REPORT_FORMATS = ("md", "html", "pdf", "csv")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
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
        cause = error.orig if getattr(error, "orig", None) else error
        return _fail(f"database error: {cause}", EXIT_FAILURE)


def _fail(message: str, code: int) -> int:
    text = " ".join(line.strip() for line in message.splitlines() if line.strip())
    print(f"kanban: {text}", file=sys.stderr)
    return code


def version() -> str:
    """This app's version: the installed distribution's, else the source tree's."""
    try:
        return metadata.version("kanban")
    except metadata.PackageNotFoundError:
        return __version__


# --- the parser --------------------------------------------------------------------------------


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
    parser.add_argument("--version", action="version", version=f"kanban {version()}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help=db_help)
    # Sub-commands take --db too; SUPPRESS keeps `kanban --db x demo` from being reset.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=db_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int], text: str) -> Any:
        sub = commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    command("demo", _demo, "create the sample products WEB and APP with eight weeks of history")
    command("products", _products, "list the products (key and name)")

    add = command("add", _add, "add an item to a product's backlog; prints its key")
    add.add_argument("product", metavar="PRODUCT", help="product key or name")
    add.add_argument("title")
    add.add_argument("--kind", choices=ITEM_KINDS, default="story")
    add.add_argument("--points", type=float, help="story points")
    add.add_argument("--column", metavar="NAME", help="start in this column (default: the first)")

    move = command("move", _move, "move an item to the bottom of a column")
    move.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    move.add_argument("column", metavar="COLUMN", help="column name, such as 'In Progress'")

    ask = command("ask", _ask, "log a question from the team; prints its number")
    ask.add_argument("product", metavar="PRODUCT", help="product key or name")
    ask.add_argument("text")
    ask.add_argument("--item", metavar="KEY", help="the item it is about, such as WEB-42")
    ask.add_argument("--by", metavar="NAME", help="who asks (a team member's name)")
    ask.add_argument("--urgency", choices=URGENCIES, default="normal")

    answer = command("answer", _answer, "answer a question")
    answer.add_argument("id", metavar="ID", type=int, help="the question's number")
    answer.add_argument("text")
    answer.add_argument("--by", metavar="NAME", help="who answers (default: you)")
    answer.add_argument(
        "--append-to-criteria",
        action="store_true",
        help="also append the answer to the item's acceptance criteria",
    )

    questions = command("questions", _questions, "list a product's questions")
    questions.add_argument("product", metavar="PRODUCT", help="product key or name")
    questions.add_argument("--open", action="store_true", help="only the unanswered ones")
    questions.add_argument("--json", action="store_true", help="print JSON (a stable shape)")

    report = command("report", _report, "write a status report")
    report.add_argument("product", metavar="PRODUCT", help="product key or name")
    report.add_argument("--format", choices=REPORT_FORMATS, required=True)
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    report.add_argument("--update", type=int, metavar="ID", help="a saved status update's id")

    export = command("export", _export, "export the whole database (restorable)")
    export.add_argument("format", choices=("json",))
    export.add_argument("-o", "--output", type=Path, metavar="FILE", required=True)

    restore = command("import", _import, "import an export into an empty database")
    restore.add_argument("format", choices=("json",))
    restore.add_argument("file", type=Path, metavar="FILE")
    return parser


# --- the commands ------------------------------------------------------------------------------


def _open_app(db_target: str | None) -> int:
    from kanban.ui.app import run  # Qt is imported only when the app opens

    return run(db_target)


@contextlib.contextmanager
def _database(args: argparse.Namespace, must_exist: bool = False) -> Iterator[Database]:
    """The database the user named; with ``must_exist``, a missing file is an error."""
    target = database_target(getattr(args, "db", None))
    if must_exist and "://" not in target and not Path(target).expanduser().exists():
        raise NotFoundError(
            f"{target}: no such database (create one with the app, 'kanban demo' or "
            "'kanban import json FILE')"
        )
    db = open_database(target)
    try:
        yield db
    finally:
        db.close()


def _demo(args: argparse.Namespace) -> int:
    with _database(args) as db:
        products = create_demo(db)
    names = " and ".join(f"{p.key} ({p.name})" for p in products)
    print(f"Created the sample products {names}.")
    print(f"Try: kanban questions {products[0].key} --open")
    return EXIT_OK


def _products(args: argparse.Namespace) -> int:
    with _database(args, must_exist=True) as db:
        products = list_products(db, include_archived=True)
    if not products:
        print("No products yet. Create the sample ones with: kanban demo")
    width = max((len(p.key) for p in products), default=0)
    for product in products:
        archived = "  (archived)" if product.archived else ""
        print(f"{product.key:<{width}}  {product.name}{archived}")
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    with _database(args) as db:
        card = add_item(
            db, args.product, args.title, kind=args.kind, points=args.points, column=args.column
        )
    print(card.key)
    return EXIT_OK


def _move(args: argparse.Namespace) -> int:
    with _database(args, must_exist=True) as db:
        item = get_item(db, args.key)
        columns = list_columns(db, item.product_id)
        wanted = args.column.strip().lower()
        target = next((c for c in columns if c.name.lower() == wanted), None)
        if target is None:
            names = ", ".join(c.name for c in columns)
            raise NotFoundError(f"No column {args.column!r}; the columns are: {names}")
        move_item(db, item.id, column_id=target.id)
        if target.wip_limit is not None:
            count = sum(
                1 for c in load_board(db, item.product_id).cards if c.column_id == target.id
            )
            if count > target.wip_limit:
                print(
                    f"kanban: warning: {target.name} now holds {count} items, over its WIP "
                    f"limit of {target.wip_limit}",
                    file=sys.stderr,
                )
    if target.id == item.column_id:
        print(f"{item.key}: already in {target.name}; moved to the bottom")
    else:
        print(f"{item.key}: {item.column_name} → {target.name}")
    return EXIT_OK


def _ask(args: argparse.Namespace) -> int:
    with _database(args, must_exist=True) as db:
        question = ask_question(
            db,
            args.product,
            args.text,
            item_ref=args.item,
            asked_by=args.by,
            urgency=args.urgency,
        )
    print(f"Question #{question.id} logged")
    return EXIT_OK


def _answer(args: argparse.Namespace) -> int:
    with _database(args, must_exist=True) as db:
        question = answer_question(
            db,
            args.id,
            args.text,
            answered_by=args.by,
            append_to_criteria=args.append_to_criteria,
        )
    added = f"; added to the acceptance criteria of {question.item_key}"
    print(f"Question #{question.id} answered{added if args.append_to_criteria else ''}")
    return EXIT_OK


def _questions(args: argparse.Namespace) -> int:
    with _database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        questions = list_questions(db, product.id, state="open" if args.open else None)
    if args.json:
        print(json.dumps([question_json(q, product.key) for q in questions], indent=2))
        return EXIT_OK
    if not questions:
        print(f"No {'open ' if args.open else ''}questions for {product.key}.")
        return EXIT_OK
    print(_table(questions))
    return EXIT_OK


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.replace(tzinfo=dt.UTC).isoformat() if moment else None


def question_json(question: QuestionInfo, product_key: str) -> dict[str, Any]:
    """One question in the stable `questions --json` shape (see the module docstring)."""
    return {
        "id": question.id,
        "product": product_key,
        "item": question.item_key,
        "text": question.text,
        "state": question.state,
        "urgency": question.urgency,
        "asked_by": question.asked_by,
        "asked_at": _iso(question.asked_at),
        "answer": question.answer or None,
        "answered_by": question.answered_by or None,
        "answered_at": _iso(question.answered_at),
    }


def _table(questions: Sequence[QuestionInfo]) -> str:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    header = ("ID", "STATE", "URGENCY", "AGE", "ASKED BY", "ITEM", "QUESTION")
    rows = [
        (
            f"#{q.id}",
            q.state,
            q.urgency,
            f"{max(0, (now - q.asked_at).days)}d",
            q.asked_by or "-",
            q.item_key or "-",
            " ".join(q.text.split()),
        )
        for q in questions
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    lines = []
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def _report(args: argparse.Namespace) -> int:
    if args.format == "pdf" and args.output is None:
        raise ValidationError("a PDF report needs an output file: -o FILE")
    from kanban.reports.export import write_report  # may need Qt (PDF): imported on use

    with _database(args, must_exist=True) as db:
        content = write_report(db, args.product, args.format, args.output, args.update)
    if args.output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        print(f"Wrote {args.output}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    with _database(args, must_exist=True) as db:
        data = write_export(db, args.output)
    print(f"Exported {_summary(data)} to {args.output}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    data = load_export(args.file)  # checked before the database is created or touched
    with _database(args) as db:
        import_data(db, data)
    print(f"Imported {_summary(data)} from {args.file}")
    return EXIT_OK


def _summary(data: dict[str, Any]) -> str:
    products = data["products"]
    items = sum(len(p["items"]) for p in products)
    questions = sum(len(p["questions"]) for p in products)
    return f"{len(products)} product(s), {items} item(s), {questions} question(s)"

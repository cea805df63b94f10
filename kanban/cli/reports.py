"""`kanban report`: a status report in one of the export formats."""

from __future__ import annotations

import argparse
from pathlib import Path

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, echo_document
from kanban.errors import ValidationError

REPORT_FORMATS = ("md", "html", "pdf", "csv")


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    report = add("report", _report, "write a status report")
    report.add_argument("product", metavar="PRODUCT", help="product key or name")
    report.add_argument("--format", choices=REPORT_FORMATS, required=True)
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    report.add_argument("--update", type=int, metavar="ID", help="a saved status update's id")


def _report(args: argparse.Namespace) -> int:
    if args.format == "pdf" and args.output is None:
        raise ValidationError("a PDF report needs an output file: -o FILE")
    from kanban.reports.export import write_report  # may need Qt (PDF): imported on use

    with database(args, must_exist=True) as db:
        content = write_report(db, args.product, args.format, args.output, args.update)
    if args.output is None:
        echo_document(content)
    else:
        echo(f"Wrote {args.output}")
    return EXIT_OK

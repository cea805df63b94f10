"""`kanban score`: a product's not-started items scored by WSJF or RICE, the order the scores
propose, and (with ``--apply``) that order applied as one reorder.

``kanban score PRODUCT --json`` prints one JSON object, a stable contract::

    {
      "product": "WEB", "method": "wsjf" | "rice",
      "formula": "WSJF = (business value + time criticality + risk reduction) / job size",
      "moves": 3,                            # items the proposal moves
      "applied": false,                      # true with --apply (then the order is the new one)
      "items": [                             # the proposed order
        {"key": "WEB-7", "title": "...", "score": 4.0 | null,
         "place": 3, "proposed_place": 1,    # 1-based, among the not-started items
         "inputs": {"business_value": 8, "time_criticality": 5, "risk_reduction": 3,
                    "job_size": 4},          # (RICE: reach, impact, confidence, effort)
         "missing": ["Job size"]}            # what a score still needs
      ]
    }

New keys may be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kanban.cli.common import EXIT_OK, AddCommand, JsonObject, database, echo, echo_json, table
from kanban.domain import SCORE_FIELDS, SCORE_METHODS, plural
from kanban.errors import ValidationError

if TYPE_CHECKING:
    from kanban.services.records import ScoreProposal
    from kanban.storage.database import Database


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    score = add(
        "score",
        _score,
        "score the not-started items (WSJF or RICE) and show, or --apply, the order proposed",
    )
    score.add_argument("product", metavar="PRODUCT", help="product key or name")
    score.add_argument("--method", choices=SCORE_METHODS, default="wsjf", help="default: wsjf")
    score.add_argument("--apply", action="store_true", help="reorder the backlog as proposed")
    score.add_argument(
        "--set",
        nargs="+",
        action="append",
        default=[],
        metavar="KEY NAME=VALUE",
        help="set an item's inputs first, e.g. --set WEB-3 job_size=3 time_criticality=5 "
        f"(names: business_value, {', '.join(SCORE_FIELDS)}; 'none' clears)",
    )
    score.add_argument("--json", action="store_true", help="print JSON (a stable shape)")


def proposal_json(proposal: ScoreProposal, applied: bool) -> JsonObject:
    """The documented ``--json`` object of a proposal."""
    from kanban.metrics.scoring import method_fields, missing

    return {
        "product": proposal.product_key,
        "method": proposal.method,
        "formula": proposal.formula,
        "moves": proposal.moves,
        "applied": applied,
        "items": [
            {
                "key": row.inputs.key,
                "title": row.inputs.title,
                "score": row.score,
                "place": row.place,
                "proposed_place": row.proposed_place,
                "inputs": {n: row.inputs.value(n) for n in method_fields(proposal.method)},
                "missing": list(missing(row.inputs, proposal.method)),
            }
            for row in proposal.rows
        ],
    }


def _set_inputs(db: Database, product: str, key: str, pairs: list[str]) -> None:
    from kanban.services.items import edit_item, get_item
    from kanban.services.products import get_product

    item = get_item(db, key)
    if item.product_id != get_product(db, product).id:
        raise ValidationError(f"{item.key} is not an item of {product}")
    changes: dict[str, float | int | None] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        name = name.strip()
        if name not in ("business_value", *SCORE_FIELDS) or not text:
            raise ValidationError(
                f"--set takes NAME=VALUE with NAME one of business_value, "
                f"{', '.join(SCORE_FIELDS)}; not {pair!r}"
            )
        try:
            value = None if text.strip().lower() == "none" else float(text)
        except ValueError:
            raise ValidationError(f"{name} must be a number, not {text!r}") from None
        if name == "business_value" and value is not None:
            if not value.is_integer():
                raise ValidationError(f"business_value is a whole number, not {text!r}")
            changes[name] = int(value)
        else:
            changes[name] = value
    if not changes:
        raise ValidationError(f"--set {key} needs at least one NAME=VALUE")
    edit_item(db, item.id, item.version, **changes)


def _score(args: argparse.Namespace) -> int:
    from kanban.services.scoring import apply_proposal, score_proposal

    with database(args, must_exist=True) as db:
        for key, *pairs in args.set:
            _set_inputs(db, args.product, key, pairs)
        proposal = score_proposal(db, args.product, args.method)
        moved = 0
        if args.apply:
            moved = len(apply_proposal(db, args.product, args.method).previous)
    if args.json:
        echo_json(proposal_json(proposal, args.apply))
        return EXIT_OK
    lines = [proposal.formula]
    if not proposal.rows:
        lines.append(f"No item of {proposal.product_key} waits to start.")
        echo("\n".join(lines))
        return EXIT_OK
    header = ("NOW", "PROPOSED", "KEY", "SCORE", "TITLE")
    rows = [
        (
            str(row.place),
            str(row.proposed_place),
            row.inputs.key,
            f"{row.score:.2f}" if row.score is not None else "-",
            " ".join(row.inputs.title.split()),
        )
        for row in proposal.rows
    ]
    lines += ["", table(header, rows), ""]
    if args.apply:
        lines.append(f"Applied: {plural(moved, 'item')} moved.")
    elif proposal.moves:
        lines.append(f"The proposal moves {plural(proposal.moves, 'item')}; --apply applies it.")
    else:
        lines.append("The backlog is in score order already.")
    echo("\n".join(lines))
    return EXIT_OK

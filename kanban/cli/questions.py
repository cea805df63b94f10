"""The team's questions from a terminal: `kanban ask`, `kanban answer`, `kanban questions`.

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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kanban.cli.common import (
    EXIT_OK,
    AddCommand,
    database,
    echo,
    echo_json,
    iso,
    new_member_hint,
    one_line,
    table,
)
from kanban.domain import URGENCIES, question_age, today_utc
from kanban.errors import ConflictError

if TYPE_CHECKING:
    from kanban.services.records import QuestionInfo


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    ask = add("ask", _ask, "log a question from the team; prints its number")
    ask.add_argument("product", metavar="PRODUCT", help="product key or name")
    ask.add_argument("text")
    ask.add_argument("--item", metavar="KEY", help="the item it is about, such as WEB-42")
    ask.add_argument(
        "--by",
        metavar="NAME",
        help="who asks: a team member's name, any case, or the start of it (Ana for Ana Silva)",
    )
    ask.add_argument("--new-member", action="store_true", help="NAME is new: add them to the team")
    ask.add_argument("--urgency", choices=URGENCIES, default="normal")

    answer = add("answer", _answer, "answer a question")
    answer.add_argument("id", metavar="ID", type=int, help="the question's number")
    answer.add_argument("text")
    answer.add_argument(
        "--by", metavar="NAME", help="who answers (default: $KANBAN_USER, else your login name)"
    )
    answer.add_argument(
        "--append-to-criteria",
        action="store_true",
        help="also append the answer to the item's acceptance criteria",
    )
    answer.add_argument(
        "--replace",
        action="store_true",
        help="replace an earlier answer (it stays in the question's history)",
    )

    questions = add("questions", _questions, "list a product's questions")
    questions.add_argument("product", metavar="PRODUCT", help="product key or name")
    questions.add_argument("--open", action="store_true", help="only the unanswered ones")
    questions.add_argument("--json", action="store_true", help="print JSON (a stable shape)")


def _ask(args: argparse.Namespace) -> int:
    from kanban.services.questions import ask_question

    with database(args, must_exist=True) as db, new_member_hint():
        question = ask_question(
            db,
            args.product,
            args.text,
            item_ref=args.item,
            asked_by=args.by,
            urgency=args.urgency,
            new_member=args.new_member,
        )
    echo(f"Question #{question.id} logged")
    return EXIT_OK


def _answer(args: argparse.Namespace) -> int:
    from kanban.services.questions import answer_question

    with database(args, must_exist=True) as db:
        try:
            question = answer_question(
                db,
                args.id,
                args.text,
                answered_by=args.by,
                append_to_criteria=args.append_to_criteria,
                replace=args.replace,
            )
        except ConflictError as error:
            if args.replace:
                raise
            raise ConflictError(
                f"{error}; add --replace to replace it (the earlier answer stays in the "
                "question's history)"
            ) from None
    added = f"; added to the acceptance criteria of {question.item_key}"
    echo(f"Question #{question.id} answered{added if args.append_to_criteria else ''}")
    return EXIT_OK


def _questions(args: argparse.Namespace) -> int:
    from kanban.services.products import get_product
    from kanban.services.questions import list_questions

    with database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        questions = list_questions(db, product.id, state="open" if args.open else None)
    if args.json:
        echo_json([question_json(q, product.key) for q in questions])
        return EXIT_OK
    if not questions:
        echo(f"No {'open ' if args.open else ''}questions for {product.key}.")
        return EXIT_OK
    echo(_table(questions))
    return EXIT_OK


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
        "asked_at": iso(question.asked_at),
        "answer": question.answer or None,
        "answered_by": question.answered_by or None,
        "answered_at": iso(question.answered_at),
    }


def _table(questions: Sequence[QuestionInfo]) -> str:
    today = today_utc()
    header = ("ID", "STATE", "URGENCY", "AGE", "ASKED BY", "ITEM", "QUESTION")
    rows = [
        (
            f"#{q.id}",
            q.state,
            q.urgency,
            f"{question_age(q.asked_at, q.answered_at, q.state, today)}d",
            q.asked_by or "-",
            q.item_key or "-",
            one_line(q.text),
        )
        for q in questions
    ]
    return table(header, rows)

"""The team's questions to the product owner: ask, answer, reopen, mark obsolete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Row, Select, case, func, select

from kanban.domain import URGENCIES, QuestionState
from kanban.errors import ConflictError, ValidationError
from kanban.services.checklists import insert_lines, withdraw_line
from kanban.services.common import (
    current_actor,
    find_item,
    find_product,
    get_row,
    item_key,
    log_activity,
    require_text,
)
from kanban.services.people import find_member
from kanban.services.records import QuestionEvent, QuestionInfo
from kanban.services.rules import check_question_state, check_urgency
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import (
    Activity,
    Item,
    Product,
    Question,
    TeamMember,
    utcnow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

URGENCY_ORDER = case(
    {u: i for i, u in enumerate(reversed(URGENCIES))}, value=tables.questions.c.urgency
)


def _query() -> Select[Question, str, str, int]:
    return (
        select(Question, TeamMember.name, Product.key, Item.number)
        .join(Product, Product.id == Question.product_id)
        .outerjoin(TeamMember, TeamMember.id == Question.asked_by_id)
        .outerjoin(Item, Item.id == Question.item_id)
    )


def _info(row: Row[Question, str, str, int]) -> QuestionInfo:
    question, asker, product_key, number = row
    return QuestionInfo(
        id=question.id,
        product_id=question.product_id,
        item_id=question.item_id,
        item_key=f"{product_key}-{number}" if number is not None else None,
        asked_by=asker,
        asked_at=question.asked_at,
        text=question.text,
        urgency=question.urgency,
        state=question.state,
        answer=question.answer,
        answered_by=question.answered_by,
        answered_at=question.answered_at,
    )


def _one(session: Session, question_id: int) -> QuestionInfo:
    return _info(session.execute(_query().where(Question.id == question_id)).one())


def item_open_questions(session: Session, item_id: int) -> tuple[QuestionInfo, ...]:
    """The open questions about an item, most urgent first, in the caller's session."""
    query = (
        _query()
        .where(Question.item_id == item_id, Question.state == QuestionState.OPEN)
        .order_by(URGENCY_ORDER, Question.asked_at, Question.id)
    )
    return tuple(_info(row) for row in session.execute(query))


def list_questions(
    db: Database,
    product_ref: str | int,
    *,
    state: str | None = None,
    item_id: int | None = None,
) -> list[QuestionInfo]:
    """A product's questions, most urgent first, then oldest first."""
    if state is not None:
        check_question_state(state)
    with db.read() as session:
        product = find_product(session, product_ref)
        query = _query().where(Question.product_id == product.id)
        if state is not None:
            query = query.where(Question.state == state)
        if item_id is not None:
            query = query.where(Question.item_id == item_id)
        query = query.order_by(URGENCY_ORDER, Question.asked_at, Question.id)
        return [_info(row) for row in session.execute(query)]


def get_question(db: Database, question_id: int) -> QuestionInfo:
    """One question by id."""
    with db.read() as session:
        get_row(session, Question, question_id, "question")
        return _one(session, question_id)


def open_question_count(db: Database, product_id: int) -> int:
    """How many of a product's questions wait for an answer."""
    question = tables.questions.c
    query = select(func.count()).where(
        question.product_id == product_id, question.state == QuestionState.OPEN
    )
    with db.connect() as connection:
        return int(connection.scalar(query) or 0)


def ask_question(
    db: Database,
    product_ref: str | int,
    text: str,
    *,
    item_ref: str | int | None = None,
    asked_by: str | None = None,
    urgency: str = "normal",
    new_member: bool = True,
) -> QuestionInfo:
    """Log a question from the team, asked by the member ``asked_by`` names
    (:func:`kanban.services.people.find_member`): with ``new_member`` (the app's editable
    list) a name not on the team joins it; without (the command line), a name is matched by
    a unique prefix and an unknown or ambiguous one is refused, listing the candidates."""
    text = require_text(text, "The question")
    check_urgency(urgency)
    with db.write() as session:
        product = find_product(session, product_ref)
        item_id = None
        if item_ref is not None:
            item = find_item(session, item_ref)
            if item.product_id != product.id:
                raise ValidationError(f"{item_ref} is not an item of {product.key}")
            item_id = item.id
        asker = (
            find_member(session, asked_by, new_member=new_member)
            if asked_by and asked_by.strip()
            else None
        )
        question = Question(
            product_id=product.id,
            item_id=item_id,
            asked_by_id=asker.id if asker else None,
            text=text,
            urgency=urgency,
        )
        session.add(question)
        session.flush()
        log_activity(session, product.id, "question_asked", f"#{question.id} {text}", item_id)
        return _one(session, question.id)


def criteria_line(question_id: int, answer: str) -> str:
    """The checklist line an answer becomes when it joins the item's acceptance criteria."""
    return " ".join(f"{answer} (answer to question #{question_id})".split())


def _shortened(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def answer_question(
    db: Database,
    question_id: int,
    answer: str,
    *,
    answered_by: str | None = None,
    append_to_criteria: bool = False,
    replace: bool = False,
    seen_answer: str | None = None,
) -> QuestionInfo:
    """Answer a question; optionally append the answer to the item's acceptance criteria.

    A question that already holds another answer is refused with ConflictError (nothing
    written) unless ``replace``; with ``seen_answer``, only if the answer on record is still
    the one the user saw (another window or a terminal may have changed it meanwhile). A
    replaced answer stays in the question's history (see :func:`question_history`).
    """
    answer = require_text(answer, "The answer")
    with db.write() as session:
        question = get_row(session, Question, question_id, "question")
        earlier = question.answer
        if earlier and earlier != answer:
            by = f", by {question.answered_by}" if question.answered_by else ""
            if not replace:
                raise ConflictError(
                    f"Question #{question.id} already has an answer "
                    f"({_shortened(earlier)!r}{by}); nothing was changed"
                )
            if seen_answer is not None and seen_answer != earlier:
                raise ConflictError(
                    f"The answer to question #{question.id} was changed meanwhile "
                    f"(now {_shortened(earlier)!r}{by}); nothing was changed"
                )
            log_activity(
                session,
                question.product_id,
                "question_answer_replaced",
                f"#{question.id} {earlier}",
                question.item_id,
            )
        question.answer = answer
        question.answered_by = answered_by or current_actor()
        question.answered_at = utcnow()
        question.state = QuestionState.ANSWERED
        if append_to_criteria:
            if question.item_id is None:
                raise ValidationError("This question is not about an item")
            item = get_row(session, Item, question.item_id, "item")
            line = criteria_line(question.id, answer)
            insert_lines(session, item, [(line, False)])
            log_activity(
                session, item.product_id, "criterion_added", f"{item_key(session, item)}: {line}",
                item.id,
            )  # fmt: skip
        log_activity(
            session,
            question.product_id,
            "question_answered",
            f"#{question.id} {answer}",
            question.item_id,
            actor=question.answered_by,
        )
        session.flush()
        return _one(session, question.id)


def set_question_state(db: Database, question_id: int, state: str) -> QuestionInfo:
    """Reopen a question (state 'open') or mark it obsolete."""
    if state not in ("open", "obsolete"):
        raise ValidationError("A question can be reopened or marked obsolete")
    with db.write() as session:
        question = get_row(session, Question, question_id, "question")
        question.state = state
        log_activity(
            session, question.product_id, f"question_{state}", f"#{question.id}", question.item_id
        )
        session.flush()
        return _one(session, question.id)


def restore_question(
    db: Database, previous: QuestionInfo, *, withdraw_from_criteria: bool = False
) -> QuestionInfo:
    """Put a question back as ``previous`` recorded it (state and answer): the undo of an
    answer, a reopening or an obsoleting. ``withdraw_from_criteria`` also takes the current
    answer's line back out of the item's acceptance criteria, if it is still there.
    """
    with db.write() as session:
        question = get_row(session, Question, previous.id, "question")
        if withdraw_from_criteria and question.item_id is not None:
            item = get_row(session, Item, question.item_id, "item")
            if withdraw_line(session, item, criteria_line(question.id, question.answer)):
                log_activity(
                    session, item.product_id, "criterion_removed",
                    f"{item_key(session, item)}: {criteria_line(question.id, question.answer)}",
                    item.id,
                )  # fmt: skip
        question.state = previous.state
        question.answer = previous.answer
        question.answered_by = previous.answered_by
        question.answered_at = previous.answered_at
        restored = f"#{question.id} {previous.answer}" if previous.answer else f"#{question.id}"
        log_activity(session, question.product_id, "question_restored", restored, question.item_id)
        session.flush()
        return _one(session, question.id)


# Activity actions of a question's life, and the name each has in its history.
_HISTORY_ACTIONS = {
    "question_asked": "asked",
    "question_answered": "answered",
    "question_answer_replaced": "answer_replaced",
    "question_open": "reopened",
    "question_obsolete": "obsolete",
    "question_restored": "restored",
}


def question_history(db: Database, question_id: int) -> list[QuestionEvent]:
    """A question's history from the activity log, oldest first: asked, every answer given
    (and each one replaced, with its text), reopened, obsoleted, restored by an undo."""
    tag = f"#{question_id}"
    with db.read() as session:
        question = get_row(session, Question, question_id, "question")
        rows = session.execute(
            select(Activity.at, Activity.actor, Activity.action, Activity.detail)
            .where(
                Activity.product_id == question.product_id,
                Activity.action.in_(_HISTORY_ACTIONS),
                (Activity.detail == tag) | Activity.detail.startswith(f"{tag} ", autoescape=True),
            )
            .order_by(Activity.at, Activity.id)
        )
        return [
            QuestionEvent(at, actor, _HISTORY_ACTIONS[action], detail[len(tag) + 1 :])
            for at, actor, action, detail in rows
        ]

"""The team's questions: ask, answer, reopen, mark obsolete, list (services.questions)."""

from __future__ import annotations

import datetime as dt

import pytest

from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.checklists import add_criteria, get_checklist
from kanban.services.items import add_item, edit_item
from kanban.services.people import add_member, list_members
from kanban.services.products import create_product
from kanban.services.questions import (
    answer_question,
    ask_question,
    get_question,
    list_questions,
    open_question_count,
    question_history,
    restore_question,
    set_question_state,
)
from kanban.services.records import ProductInfo
from kanban.storage.models import utcnow


def test_ask_about_the_product_without_an_asker(db: Database, product: ProductInfo, rows) -> None:
    started = utcnow()
    question = ask_question(db, "WEB", "  Who are the users?  ")
    assert (question.text, question.state, question.urgency) == (
        "Who are the users?",
        "open",
        "normal",
    )
    assert (question.item_id, question.item_key, question.asked_by) == (None, None, None)
    assert (question.answer, question.answered_by, question.answered_at) == ("", "", None)
    assert started <= question.asked_at <= utcnow()
    assert get_question(db, question.id) == question
    assert rows("activities")[-1]["action"] == "question_asked"


def test_ask_about_an_item_by_a_new_team_member(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Pay by card")
    question = ask_question(
        db, "WEB", "Which cards?", item_ref="web-1", asked_by=" Ada ", urgency="high"
    )
    assert (question.item_id, question.item_key) == (card.id, "WEB-1")
    assert (question.asked_by, question.urgency) == ("Ada", "high")
    assert [m.name for m in list_members(db)] == ["Ada"]  # joined the team on the fly


def test_a_known_asker_is_reused_whatever_the_case(db: Database, product: ProductInfo) -> None:
    ada = add_member(db, "Ada")
    assert ask_question(db, "WEB", "One?", asked_by="ADA").asked_by == "Ada"
    assert ask_question(db, "WEB", "Two?", asked_by="  ").asked_by is None
    assert list_members(db) == [ada]


@pytest.mark.parametrize(
    ("text", "options", "error", "message"),
    [
        ("  ", {}, ValidationError, "question is required"),
        ("Why?", {"urgency": "asap"}, ValidationError, "Urgency 'asap' must be one of low, normal"),
        ("Why?", {"item_ref": "APP-1"}, ValidationError, "APP-1 is not an item of WEB"),
        ("Why?", {"item_ref": "WEB-9"}, NotFoundError, "No item WEB-9"),
        ("Why?", {"item_ref": "nonsense"}, ValidationError, "not an item key"),
    ],
)
def test_a_bad_question_is_refused(
    db: Database,
    product: ProductInfo,
    snapshot,
    text: str,
    options: dict,
    error: type,
    message: str,
) -> None:
    create_product(db, "APP", "App")
    add_item(db, "APP", "Theirs")
    before = snapshot()
    with pytest.raises(error, match=message):
        ask_question(db, "WEB", text, asked_by="Newcomer", **options)
    assert snapshot() == before  # not even the asker was added


def test_answer_records_who_and_when(db: Database, product: ProductInfo) -> None:
    question = ask_question(db, "WEB", "Which cards?")
    started = utcnow()
    answered = answer_question(db, question.id, " Visa and Mastercard ", answered_by="Pat")
    assert (answered.state, answered.answer, answered.answered_by) == (
        "answered",
        "Visa and Mastercard",
        "Pat",
    )
    assert answered.answered_at is not None and started <= answered.answered_at <= utcnow()
    again = answer_question(db, question.id, "Visa only", replace=True)
    assert again.answered_by == "po"  # $KANBAN_USER


def test_an_empty_answer_is_refused(db: Database, product: ProductInfo, snapshot) -> None:
    question = ask_question(db, "WEB", "Which cards?")
    before = snapshot()
    with pytest.raises(ValidationError, match="answer is required"):
        answer_question(db, question.id, " ")
    with pytest.raises(NotFoundError, match="No question with id 999"):
        answer_question(db, 999, "Yes")
    assert snapshot() == before


def test_an_answer_can_join_the_items_acceptance_criteria(
    db: Database, product: ProductInfo
) -> None:
    card = add_item(db, "WEB", "Pay")
    add_criteria(db, card.key, "- Visa works\n")
    first = ask_question(db, "WEB", "Mastercard?", item_ref=card.key)
    second = ask_question(db, "WEB", "Amex?", item_ref=card.key)
    answer_question(db, first.id, "Yes,\nMastercard too", append_to_criteria=True)
    answer_question(db, second.id, "Not yet", append_to_criteria=True)
    assert [(line.number, line.text, line.done) for line in get_checklist(db, card.id)] == [
        (1, "Visa works", False),
        (2, f"Yes, Mastercard too (answer to question #{first.id})", False),
        (3, f"Not yet (answer to question #{second.id})", False),
    ]
    # A checklist line is not a field of the item: an editor open on version 1 saves fine.
    assert edit_item(db, card.id, 1, title="Pay by card").version == 2


def test_appending_needs_an_item_and_then_nothing_is_answered(
    db: Database, product: ProductInfo, snapshot
) -> None:
    question = ask_question(db, "WEB", "About the product")
    before = snapshot()
    with pytest.raises(ValidationError, match="not about an item"):
        answer_question(db, question.id, "Yes", append_to_criteria=True)
    assert snapshot() == before
    assert get_question(db, question.id).state == "open"


def test_reopen_and_mark_obsolete(db: Database, product: ProductInfo, snapshot) -> None:
    question = ask_question(db, "WEB", "Which cards?")
    answer_question(db, question.id, "Visa")
    reopened = set_question_state(db, question.id, "open")
    assert reopened.state == "open"
    assert reopened.answer == "Visa"  # the earlier answer stays visible for the next one
    assert set_question_state(db, question.id, "obsolete").state == "obsolete"
    before = snapshot()
    with pytest.raises(ValidationError, match="reopened or marked obsolete"):
        set_question_state(db, question.id, "answered")  # answering needs an answer
    assert snapshot() == before


def test_most_urgent_first_then_oldest_first(db: Database, product: ProductInfo) -> None:
    asked = [
        ask_question(db, "WEB", text, urgency=urgency)
        for text, urgency in [
            ("low", "low"),
            ("critical, older", "critical"),
            ("normal", "normal"),
            ("high", "high"),
            ("critical, newer", "critical"),
        ]
    ]
    assert [q.asked_at for q in asked] == sorted(q.asked_at for q in asked)
    assert [q.text for q in list_questions(db, "WEB")] == [
        "critical, older",
        "critical, newer",
        "high",
        "normal",
        "low",
    ]


def test_list_by_state_item_and_product(db: Database, product: ProductInfo) -> None:
    create_product(db, "APP", "App")
    card = add_item(db, "WEB", "Pay")
    about_card = ask_question(db, "WEB", "About the card?", item_ref=card.key)
    general = ask_question(db, "WEB", "General?")
    answered = ask_question(db, "WEB", "Answered?")
    answer_question(db, answered.id, "Yes")
    ask_question(db, "APP", "Another product?")

    assert [q.id for q in list_questions(db, "WEB")] == [about_card.id, general.id, answered.id]
    assert [q.id for q in list_questions(db, "WEB", state="open")] == [about_card.id, general.id]
    assert [q.id for q in list_questions(db, "WEB", state="answered")] == [answered.id]
    assert list_questions(db, "WEB", state="obsolete") == []
    assert [q.id for q in list_questions(db, "WEB", item_id=card.id)] == [about_card.id]
    assert open_question_count(db, product.id) == 2
    with pytest.raises(ValidationError, match="state 'pending' must be one of"):
        list_questions(db, "WEB", state="pending")


def test_asked_at_is_a_naive_utc_datetime(db: Database, product: ProductInfo) -> None:
    asked_at = ask_question(db, "WEB", "When?").asked_at
    assert asked_at.tzinfo is None
    assert abs(asked_at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)


# --- no silent overwrite (issue 8.6) ---------------------------------------------------------


def test_an_answered_question_keeps_its_answer_unless_replace_is_asked_for(
    db: Database, product: ProductInfo, snapshot
) -> None:
    question = ask_question(db, "WEB", "Which currency?")
    first = answer_question(db, question.id, "Euro", answered_by="Jordan")
    before = snapshot()
    with pytest.raises(ConflictError, match=r"#\d+ already has an answer \('Euro', by Jordan\)"):
        answer_question(db, question.id, "Swiss franc")
    reopened = set_question_state(db, question.id, "open")  # a reopened one keeps it too
    with pytest.raises(ConflictError, match="already has an answer"):
        answer_question(db, question.id, "Swiss franc")
    restore_question(db, first)
    assert snapshot() != before  # (the reopening and its undo are in the activity log)
    assert get_question(db, question.id) == first
    assert reopened.answer == "Euro"

    same = answer_question(db, question.id, "Euro", answered_by="Jordan")  # nothing is lost
    assert same.answer == "Euro"
    replaced = answer_question(db, question.id, "Euro and Swiss franc", replace=True)
    assert (replaced.answer, replaced.answered_by, replaced.state) == (
        "Euro and Swiss franc", "po", "answered",
    )  # fmt: skip


def test_a_replacement_of_an_answer_changed_meanwhile_is_refused(
    db: Database, product: ProductInfo, snapshot
) -> None:
    question = ask_question(db, "WEB", "Which currency?")
    answer_question(db, question.id, "Euro")
    answer_question(db, question.id, "Euro, from a terminal", replace=True)
    before = snapshot()
    with pytest.raises(ConflictError, match="changed meanwhile"):
        answer_question(db, question.id, "Pound", replace=True, seen_answer="Euro")
    assert snapshot() == before


def test_the_history_keeps_every_answer_and_each_replaced_one(
    db: Database, product: ProductInfo
) -> None:
    question = ask_question(db, "WEB", "Which currency?")
    answer_question(db, question.id, "Euro", answered_by="Jordan")
    previous = get_question(db, question.id)
    answer_question(db, question.id, "Swiss franc", replace=True)
    restore_question(db, previous)  # an undo
    ask_question(db, "WEB", "Unrelated?")  # another question's entries stay out
    other = ask_question(db, "WEB", f"#{question.id}0 look-alike?")
    answer_question(db, other.id, "No")

    history = question_history(db, question.id)

    assert [(e.action, e.text) for e in history] == [
        ("asked", "Which currency?"),
        ("answered", "Euro"),
        ("answer_replaced", "Euro"),
        ("answered", "Swiss franc"),
        ("restored", "Euro"),
    ]
    assert [e.actor for e in history] == ["po", "Jordan", "po", "po", "po"]
    assert [e.at for e in history] == sorted(e.at for e in history)

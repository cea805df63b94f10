"""A product with a closed sprint to review, built through the services: work committed at the
start, an item added after it, one archived while it ran, two finished, two carried over to the
next sprint, a question answered while it ran; the goal not met."""

from __future__ import annotations

from dataclasses import dataclass

from kanban.services import Database
from kanban.services.items import add_item, archive_item, move_item
from kanban.services.products import create_product, list_columns
from kanban.services.questions import answer_question, ask_question
from kanban.services.records import ProductInfo
from kanban.services.sprints import close_sprint, create_sprint, set_sprint_items, start_sprint

MARKUP_TITLE = "Search by brand <b>bold</b> *stars*"


@dataclass(frozen=True)
class ReviewSample:
    """The keys the review tests look for."""

    done: tuple[str, ...]
    carried: tuple[str, ...]
    added: str
    removed: str
    later: str
    """Not in the sprint at all."""


def build_review_sample(db: Database, product: ProductInfo | None = None) -> ReviewSample:
    """WEB (made here unless given) with Sprint 1 closed (carried over to Sprint 2, which
    is planned)."""
    product = product or create_product(db, "WEB", "Web shop")
    columns = {c.name: c.id for c in list_columns(db, product.id)}
    checkout = add_item(db, "WEB", "Checkout page", points=5)
    search = add_item(db, "WEB", MARKUP_TITLE, points=3)
    paypal = add_item(db, "WEB", "PayPal payments", points=8)
    loyalty = add_item(db, "WEB", "Loyalty programme", points=2)
    later = add_item(db, "WEB", "Wish lists", points=5)
    one = create_sprint(db, "WEB", "Sprint 1", goal="Take card payments")
    two = create_sprint(db, "WEB", "Sprint 2", goal="PayPal")
    set_sprint_items(db, one.id, add=[checkout.id, search.id, paypal.id, loyalty.id])
    start_sprint(db, one.id)
    hotfix = add_item(db, "WEB", "Hotfix: wrong prices", kind="bug", points=1)
    set_sprint_items(db, one.id, add=[hotfix.id])
    archive_item(db, loyalty.id)
    question = ask_question(db, "WEB", "Guest checkout too?", item_ref=checkout.key)
    answer_question(db, question.id, "Yes, guests <i>can</i>.", answered_by="Maria Keller")
    ask_question(db, "WEB", "Still open?")
    for card in (checkout, hotfix, search):
        move_item(db, card.id, column_id=columns["In Progress"])
    for card in (checkout, hotfix):
        move_item(db, card.id, column_id=columns["Done"])
    close_sprint(db, one.id, two.id, goal_met=False)
    return ReviewSample(
        done=(checkout.key, hotfix.key),
        carried=(search.key, paypal.key),
        added=hotfix.key,
        removed=loyalty.key,
        later=later.key,
    )

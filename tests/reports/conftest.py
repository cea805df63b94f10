"""A small, realistic product built through the services, for every report test."""

from __future__ import annotations

import pytest
from report_helpers import FORMULAS, SCRIPT, Sample

from kanban.services import Database
from kanban.services.items import add_item, archive_item, delete_item, edit_item, move_item
from kanban.services.people import add_member, add_stakeholder
from kanban.services.products import list_columns
from kanban.services.questions import answer_question, ask_question
from kanban.services.records import ProductInfo
from kanban.services.sprints import create_sprint, set_sprint_items, start_sprint


@pytest.fixture
def sample(db: Database, product: ProductInfo) -> Sample:
    """WEB with work done, in progress, blocked, archived and deleted, a running sprint, and
    questions open and answered, all written through the services."""
    columns = {c.name: c.id for c in list_columns(db, product.id)}
    ana = add_member(db, "Ana Silva", "Developer")
    add_member(db, "Ben Carter", "Developer")
    maria = add_stakeholder(db, "Maria Keller", role="Head of Sales", product_ids=[product.id])
    add_item(db, "WEB", "Payments", kind="epic")
    checkout = add_item(db, "WEB", "Checkout page", points=5, assignee_id=ana.id)
    search = add_item(db, "WEB", "Search by brand", points=3, assignee_id=ana.id)
    paypal = add_item(db, "WEB", "PayPal payments", points=8)
    script = add_item(db, "WEB", SCRIPT, kind="bug", points=1)
    for title in FORMULAS:
        add_item(db, "WEB", title, kind="task", points=2)
    old = add_item(db, "WEB", "Old loyalty programme", points=13)
    mistake = add_item(db, "WEB", "Duplicate of checkout", points=2)
    for card in (checkout, search, script):
        move_item(db, card.id, column_id=columns["In Progress"])
    move_item(db, checkout.id, column_id=columns["Done"])
    edit_item(db, paypal.id, paypal.version, blocked_reason="Waiting for the merchant account")
    move_item(db, paypal.id, column_id=columns["To Do"])
    archive_item(db, old.id)
    delete_item(db, mistake.id)
    sprint = create_sprint(db, "WEB", "Sprint 1", goal="Take payments")
    set_sprint_items(db, sprint.id, add=[checkout.id, search.id, paypal.id, script.id])
    start_sprint(db, sprint.id)
    first = ask_question(
        db, "WEB", "Guest checkout too?", item_ref=checkout.key, asked_by="Ana Silva"
    )
    ask_question(db, "WEB", "Which cards <b>exactly</b>?", asked_by="Ben Carter", urgency="high")
    answer_question(db, first.id, "Yes, guests can check out.", answered_by="po")
    return Sample(
        db=db,
        product=product,
        columns=columns,
        done=checkout.key,
        in_progress=(search.key, script.key),
        blocked=paypal.key,
        archived=old.key,
        deleted=mistake.key,
        stakeholder_id=maria.id,
    )

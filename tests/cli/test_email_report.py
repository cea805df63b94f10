"""A status report as a ready-to-send e-mail (issue 14.13): `kanban report --format eml`."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from cli_runner import Run

from kanban.errors import ValidationError
from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.people import add_stakeholder, list_stakeholders, update_stakeholder
from kanban.services.products import create_product
from kanban.services.status_updates import create_status_update


@pytest.fixture
def followed(db: Database) -> Database:
    """WEB followed by Maria (an address), Tom (an address) and Priya (none); APP by Lars."""
    web = create_product(db, "WEB", "Web Shop")
    app = create_product(db, "APP", "Mobile App")
    add_item(db, "WEB", "Guest checkout", points=5)
    add_stakeholder(db, "Maria Keller", product_ids=[web.id], email="maria@example.com")
    add_stakeholder(db, "Tom Okafor", product_ids=[web.id], email=" tom@example.com ")
    add_stakeholder(db, "Priya Raman", product_ids=[web.id])
    add_stakeholder(db, "Lars Nyberg", product_ids=[app.id], email="lars@example.com")
    return db


def read_message(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_live_report_goes_to_the_products_followers_with_an_address(
    followed: Database, db_target: str, run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "report.eml"
    result = run("--db", db_target, "report", "WEB", "--format", "eml", "-o", target)
    assert result.code == 0, result.err
    assert b"\r\n" in target.read_bytes()  # as mail travels
    message = read_message(target)
    assert message["To"] == "Maria Keller <maria@example.com>, Tom Okafor <tom@example.com>"
    assert message["X-Unsent"] == "1"  # opened as a draft, ready to send
    assert message["Subject"].startswith("Status report: Web Shop (WEB), ")
    html = message.get_body(preferencelist=("html",))
    assert html is not None and "Guest checkout" in html.get_content()
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None and plain.get_content().startswith("# Status report: Web Shop (WEB)")
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"WEB-status-{dt.date.today().isoformat()}.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_a_saved_update_goes_to_its_own_recipients(
    followed: Database, db_target: str, run: Run, tmp_path: Path
) -> None:
    people = {p.name: p.id for p in list_stakeholders(followed)}
    today = dt.date.today()
    create_status_update(
        followed, "WEB", health="at_risk", period_start=today, period_end=today,
        headline="Checkout\nslips a week",
        recipient_ids=[people["Tom Okafor"], people["Lars Nyberg"]],
    )  # fmt: skip
    target = tmp_path / "update.eml"
    result = run("--db", db_target, "report", "WEB", "--format", "eml", "--update", "latest",
                 "-o", target)  # fmt: skip
    assert result.code == 0, result.err
    message = read_message(target)
    assert message["To"] == "Lars Nyberg <lars@example.com>, Tom Okafor <tom@example.com>"
    assert message["Subject"] == (
        f"Status report: Web Shop (WEB), {today} to {today} — At risk: Checkout slips a week"
    )


def test_a_stakeholders_address_must_look_like_one(followed: Database) -> None:
    maria = next(p for p in list_stakeholders(followed) if p.name == "Maria Keller")
    for wrong in ("maria", "maria@example", "Maria Keller <maria@example.com>", "a b@c.de"):
        with pytest.raises(ValidationError, match="is not an e-mail address"):
            update_stakeholder(followed, maria.id, email=wrong)
    assert update_stakeholder(followed, maria.id, email="").email == ""
    assert update_stakeholder(followed, maria.id, email="m.keller@shop.example").email == (
        "m.keller@shop.example"
    )

"""A status report as a ready-to-send e-mail message (an ``.eml`` file, RFC 5322).

The message holds the report as its HTML body (with the Markdown as the plain-text
alternative), the PDF attached, and the recipients filled in; it is marked unsent
(``X-Unsent: 1``), so a mail program opens it as a draft to send. Built with Python's
``email`` package; kanban has no mail server of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import NamedTuple

from kanban.reports import text
from kanban.reports.html import render_html
from kanban.reports.markdown import render_markdown
from kanban.reports.model import StatusReport


class Recipient(NamedTuple):
    """Someone a report is sent to: a name and an e-mail address."""

    name: str
    email: str


def subject(report: StatusReport) -> str:
    """The message's subject: product and period, and a saved update's health and headline."""
    figures = report.figures
    parts = [
        f"Status report: {report.product_name} ({report.product_key}), "
        f"{text.day(figures.period_start)} to {text.day(figures.period_end)}"
    ]
    if report.update is not None:
        verdict = text.HEALTH_LABELS.get(report.health, report.health)
        headline = report.update.headline.strip()
        parts.append(f"{verdict}: {headline}" if headline else verdict)
    return " ".join(" — ".join(parts).split())  # one line: no header injection


def attachment_name(report: StatusReport) -> str:
    """The PDF's file name: product key and the period's last day."""
    return f"{report.product_key}-status-{text.day(report.figures.period_end)}.pdf"


def render_eml(
    report: StatusReport,
    pdf: bytes,
    recipients: Sequence[Recipient],
    sender: Recipient | None = None,
) -> bytes:
    """The report as an unsent e-mail message with the PDF attached, CRLF line endings.

    ``recipients`` without an address are left out (the caller says so to the user).
    """
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(report)
    addresses = [_address(r) for r in recipients if r.email.strip()]
    if addresses:
        message["To"] = addresses
    if sender is not None and sender.email.strip():
        message["From"] = _address(sender)
    message["X-Unsent"] = "1"  # Outlook and others open the file as a draft to send
    message.set_content(render_markdown(report))
    message.add_alternative(render_html(report), subtype="html")
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=attachment_name(report)
    )
    return message.as_bytes()


def _address(person: Recipient) -> Address:
    user, _, domain = person.email.strip().rpartition("@")
    return Address(display_name=" ".join(person.name.split()), username=user, domain=domain)

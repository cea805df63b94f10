"""The sample's refinement: Definitions of Ready and Done, checklist templates, acceptance
criteria that make some backlog items Ready, comments, links between items and to resources.

Written by the sample builder (:mod:`kanban.services.demo`) into its session, with past times
and their activity rows, so a new user sees refinement at work: Ready items next to items an
open question keeps from Ready, a card blocked by another, a comment thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kanban.domain import Definition, LinkType, ReadinessCheck
from kanban.readiness import BUILT_IN_CHECKS, DEFAULT_ON
from kanban.services.checklists import criteria_lines
from kanban.storage.models import (
    ChecklistItem,
    ChecklistTemplate,
    Comment,
    Item,
    ItemLink,
    Product,
    ReadinessRule,
    ResourceLink,
    RuleConfirmation,
)

Clock = Callable[[int, int], dt.datetime]
"""``at(days_ago, hour)``: a moment of the sample's past."""
Log = Callable[..., None]
"""The builder's ``log(at, action, detail, product_id, item_id, actor)``."""


@dataclass(frozen=True)
class _Refinement:
    ready_rules: tuple[str, ...]  # custom lines of the Definition of Ready
    done_rules: tuple[str, ...]  # custom lines of the Definition of Done
    templates: tuple[tuple[str | None, tuple[str, ...]], ...]
    criteria: tuple[tuple[str, str], ...]  # item title, Markdown criteria
    confirmed: tuple[str, ...]  # items that meet the custom Ready lines
    comments: tuple[tuple[str, str, int, str], ...]  # item title, author, days ago, text
    links: tuple[tuple[str, str, str], ...]  # source title, type, target title
    resources: tuple[tuple[str, str, str], ...]  # item title, title, target


SAMPLE = {
    "WEB": _Refinement(
        ready_rules=("UX has signed the designs off",),
        done_rules=("Deployed to staging and smoke-tested",),
        templates=(
            ("bug", ("Steps to reproduce", "Fix verified on staging")),
            ("story", ("Product owner accepted it in the review",)),
        ),
        criteria=(
            ("Keyboard navigation through the main menu",
             "- Tab reaches every menu entry in order\n- Enter opens, Escape closes a submenu"),
            ("Alt text for every product image",
             "- Every product image has alt text in the admin\n"
             "- Decorative images are marked as such"),
            ("Colour contrast fixes on buttons and links",
             "- Contrast of 4.5:1 or more on every button and link"),
            ("Discount codes at checkout",
             "- One code per order\n- The discount shows in the order summary"),
            ("Fix: search ignores accents ('cafe' does not find 'Café')",
             "- Steps to reproduce: search 'cafe'\n- 'Café' is found"),
        ),
        confirmed=(
            "Keyboard navigation through the main menu",
            "Alt text for every product image",
            "Colour contrast fixes on buttons and links",
            "Fix: search ignores accents ('cafe' does not find 'Café')",
        ),
        comments=(
            ("Guest checkout without an account", "Ana Silva", 3,
             "Finance wants the **VAT number** optional for guests. Do we still send an "
             "invoice?"),
            ("Guest checkout without an account", "Jordan Lee", 2,
             "Yes: the invoice goes to the email address. I'll add it to the criteria once "
             "the phone-number question is settled."),
            ("Card payments with 3-D Secure", "Fatima Rahman", 4,
             "The bank's sandbox only simulates Visa. Mastercard needs their test cards:\n\n"
             "- `5186 0010 0000 0003`\n- any future expiry date"),
            ("Pay with PayPal", "Ben Carter", 5,
             "Blocked until Finance opens the merchant account; I asked Tom for a date."),
        ),
        links=(
            ("Card payments with 3-D Secure", LinkType.BLOCKS, "Discount codes at checkout"),
            ("Checkout: save address for next time", LinkType.RELATES_TO,
             "Guest checkout without an account"),
            ("Fix: duplicate 'Add to cart' button on bundles", LinkType.DUPLICATES,
             "Fix: cart loses items after login"),
        ),
        resources=(
            ("Card payments with 3-D Secure", "3-D Secure 2 integration guide",
             "https://docs.example.com/payments/3ds2"),
            ("Guest checkout without an account", "Checkout flow (designs)",
             "~/Documents/checkout/guest-flow.pdf"),
        ),
    ),
    "APP": _Refinement(
        ready_rules=(),
        done_rules=("Tested on the oldest supported iPhone and Android phone",),
        templates=(("bug", ("Steps to reproduce", "Device and OS version")),),
        criteria=(
            ("Dark mode", "- Follows the system setting\n- Every screen readable in both"),
            ("Show which data is stale when offline",
             "- A banner says since when the data is offline"),
        ),
        confirmed=(),
        comments=(
            ("Sign in with Apple", "Eli Novak", 2,
             "IT says the renewal takes a week. Can we ship without it and add it later?"),
        ),
        links=(
            ("Cache the product catalogue for offline browsing", LinkType.BLOCKS,
             "Show which data is stale when offline"),
            ("Cache the product catalogue for offline browsing", LinkType.BLOCKS,
             "Queue orders placed offline and send them when back online"),
        ),
        resources=(
            ("Push notifications for order status", "Notification copy (shared doc)",
             "https://docs.example.com/app/notifications"),
        ),
    ),
}  # fmt: skip


def write_refinement(
    session: Session,
    product: Product,
    items: Mapping[str, Item],
    at: Clock,
    log: Log,
    owner: str,
) -> None:
    """Write the sample refinement of ``product`` (items by title), with its history."""
    sample = SAMPLE.get(product.key)
    if sample is None:
        return
    when = at(30, 10)
    custom_ready = _definition(session, product, Definition.READY, sample.ready_rules)
    _definition(session, product, Definition.DONE, sample.done_rules)
    log(when, "definition_changed", "Definition of Ready", product.id, None, owner)
    for kind, lines in sample.templates:
        session.add_all(
            ChecklistTemplate(product_id=product.id, kind=kind, position=n, text=text)
            for n, text in enumerate(lines)
        )
        log(when, "template_changed", f"{kind}: {len(lines)} lines", product.id, None, owner)
    for title, markdown in sample.criteria:
        item = items[title]
        moment = _after(item, at(6, 11))
        for position, (text, done) in enumerate(criteria_lines(markdown)):
            session.add(ChecklistItem(item_id=item.id, position=position, text=text,
                                      done=done, done_at=moment if done else None))  # fmt: skip
            log(moment, "criterion_added", f"{_key(product, item)}: {text}", product.id,
                item.id, owner)  # fmt: skip
    for title in sample.confirmed:
        item = items[title]
        for rule in custom_ready:
            moment = _after(item, at(5, 15))
            session.add(RuleConfirmation(item_id=item.id, rule_id=rule.id, at=moment,
                                         actor=owner))  # fmt: skip
            log(moment, "rule_confirmed", f"{_key(product, item)}: {rule.text}", product.id,
                item.id, owner)  # fmt: skip
    for title, author, days_ago, text in sample.comments:
        item = items[title]
        moment = _after(item, at(days_ago, 14))
        session.add(Comment(item_id=item.id, author=author, at=moment, text=text, deleted=False))
        log(moment, "commented", f"{_key(product, item)}: {text}", product.id, item.id, author)
    for source_title, kind, target_title in sample.links:
        source, target = items[source_title], items[target_title]
        moment = _after(source, _after(target, at(7, 10)))
        session.add(ItemLink(source_id=source.id, target_id=target.id, type=kind,
                             created_at=moment))  # fmt: skip
        sentence = f"{_key(product, source)} {kind.replace('_', ' ')} {_key(product, target)}"
        for item in (source, target):
            log(moment, "linked", sentence, product.id, item.id, owner)
    for title, name, where in sample.resources:
        item = items[title]
        session.add(ResourceLink(item_id=item.id, title=name, target=where))
        log(_after(item, at(8, 9)), "resource_added", f"{_key(product, item)}: {name} ({where})",
            product.id, item.id, owner)  # fmt: skip
    session.flush()


def _definition(
    session: Session, product: Product, definition: Definition, custom: tuple[str, ...]
) -> list[ReadinessRule]:
    """The built-in rules as the app switches them on, then the product owner's lines."""
    on = DEFAULT_ON[definition]
    rows = [
        ReadinessRule(product_id=product.id, definition=definition, rule=check, text="",
                      position=n, enabled=check in on)
        for n, check in enumerate(BUILT_IN_CHECKS)
    ] + [
        ReadinessRule(product_id=product.id, definition=definition, rule=ReadinessCheck.CUSTOM,
                      text=text, position=len(BUILT_IN_CHECKS) + n, enabled=True)
        for n, text in enumerate(custom)
    ]  # fmt: skip
    session.add_all(rows)
    session.flush()
    return rows[len(BUILT_IN_CHECKS) :]


def _after(item: Item, moment: dt.datetime) -> dt.datetime:
    """``moment``, or two hours after the item was created if that is later."""
    return max(moment, item.created_at + dt.timedelta(hours=2))


def _key(product: Product, item: Item) -> str:
    return f"{product.key}-{item.number}"

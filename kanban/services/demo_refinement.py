"""The sample's refinement: Definitions of Ready and Done, checklist templates, acceptance
criteria that make some backlog items Ready, comments, links between items and to resources.

Built as records for the bulk writer by the sample builder (:mod:`kanban.services.demo`), with
past times and their activity rows, so a new user sees refinement at work: Ready items next to
items an open question keeps from Ready, a card blocked by another, a comment thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kanban.domain import Definition, LinkType, ReadinessCheck
from kanban.readiness import BUILT_IN_CHECKS, DEFAULT_ON
from kanban.services.bulk import (
    ActivityRecord,
    ChecklistLineRecord,
    ChecklistTemplateRecord,
    CommentRecord,
    LinkRecord,
    ReadinessRuleRecord,
    ResourceLinkRecord,
    RuleConfirmationRecord,
)
from kanban.services.checklists import criteria_lines

Clock = Callable[[int, int], dt.datetime]
"""``at(days_ago, hour)``: a moment of the sample's past."""
Log = Callable[..., ActivityRecord]
"""The builder's ``log(at, action, detail, item, actor)``."""


@dataclass(frozen=True)
class SampleItem:
    """What the refinement needs of a sample item: its key and when it was created."""

    key: str
    created_at: dt.datetime


@dataclass
class ItemParts:
    """The refinement lists of one item (the builder adds them to its record)."""

    checklist: list[ChecklistLineRecord] = field(default_factory=list)
    confirmations: list[RuleConfirmationRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    resources: list[ResourceLinkRecord] = field(default_factory=list)


@dataclass
class Refinement:
    """A product's sample refinement as records; items are named by title (their refs)."""

    readiness_rules: list[ReadinessRuleRecord] = field(default_factory=list)
    checklist_templates: list[ChecklistTemplateRecord] = field(default_factory=list)
    items: dict[str, ItemParts] = field(default_factory=dict)
    activities: list[ActivityRecord] = field(default_factory=list)

    def parts(self, title: str) -> ItemParts:
        return self.items.setdefault(title, ItemParts())


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


def refinement(
    key: str, items: Mapping[str, SampleItem], at: Clock, log: Log, owner: str
) -> Refinement:
    """The sample refinement of the product ``key`` (``items`` by title), with its history."""
    built = Refinement()
    sample = SAMPLE.get(key)
    if sample is None:
        return built
    when = at(30, 10)
    custom_ready = _definition(built, Definition.READY, sample.ready_rules)
    _definition(built, Definition.DONE, sample.done_rules)
    built.activities.append(log(when, "definition_changed", "Definition of Ready", None, owner))
    for kind, lines in sample.templates:
        for position, text in enumerate(lines):
            built.checklist_templates.append(ChecklistTemplateRecord(text, kind, position))
        detail = f"{kind}: {len(lines)} lines"
        built.activities.append(log(when, "template_changed", detail, None, owner))
    for title, markdown in sample.criteria:
        item = items[title]
        moment = _after(item, at(6, 11))
        for position, (text, done) in enumerate(criteria_lines(markdown)):
            built.parts(title).checklist.append(
                ChecklistLineRecord(text, done, moment if done else None, position)
            )
            detail = f"{item.key}: {text}"
            built.activities.append(log(moment, "criterion_added", detail, title, owner))
    for title in sample.confirmed:
        item = items[title]
        for ref, text in custom_ready:
            moment = _after(item, at(5, 15))
            built.parts(title).confirmations.append(RuleConfirmationRecord(ref, moment, owner))
            detail = f"{item.key}: {text}"
            built.activities.append(log(moment, "rule_confirmed", detail, title, owner))
    for title, author, days_ago, text in sample.comments:
        item = items[title]
        moment = _after(item, at(days_ago, 14))
        built.parts(title).comments.append(CommentRecord(text, moment, author))
        detail = f"{item.key}: {text}"
        built.activities.append(log(moment, "commented", detail, title, author))
    for source_title, kind, target_title in sample.links:
        source, target = items[source_title], items[target_title]
        moment = _after(source, _after(target, at(7, 10)))
        built.parts(source_title).links.append(LinkRecord(target_title, kind, moment))
        sentence = f"{source.key} {kind.replace('_', ' ')} {target.key}"
        for title in (source_title, target_title):
            built.activities.append(log(moment, "linked", sentence, title, owner))
    for title, name, where in sample.resources:
        item = items[title]
        built.parts(title).resources.append(ResourceLinkRecord(where, name))
        detail = f"{item.key}: {name} ({where})"
        built.activities.append(log(_after(item, at(8, 9)), "resource_added", detail, title, owner))
    return built


def _definition(
    built: Refinement, definition: Definition, custom: tuple[str, ...]
) -> list[tuple[str, str]]:
    """The built-in rules as the app switches them on, then the product owner's lines (whose
    refs and texts are returned)."""
    on = DEFAULT_ON[definition]
    for n, check in enumerate(BUILT_IN_CHECKS):
        built.readiness_rules.append(
            ReadinessRuleRecord(f"{definition}:{check}", definition, check, "", check in on, n)
        )
    lines = []
    for n, text in enumerate(custom):
        ref = f"{definition}:custom:{n}"
        built.readiness_rules.append(
            ReadinessRuleRecord(
                ref, definition, ReadinessCheck.CUSTOM, text, True, len(BUILT_IN_CHECKS) + n
            )
        )
        lines.append((ref, text))
    return lines


def _after(item: SampleItem, moment: dt.datetime) -> dt.datetime:
    """``moment``, or two hours after the item was created if that is later."""
    return max(moment, item.created_at + dt.timedelta(hours=2))

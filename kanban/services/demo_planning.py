"""The sample's planning: releases with target dates (one shipped, one slipping), a product
target whose date moved, scoring inputs (WSJF and RICE) on the backlog, and sprint members
with their capacity.

Built as records for the bulk writer by the sample builder (:mod:`kanban.services.demo`), with
past times and their activity rows, so the Roadmap, the Portfolio, the release notes and the
backlog's scores have something true to show. Nothing here draws from the sample's random
generator: the rest of the sample stays as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from kanban.domain import SCORE_FIELDS, ReleaseState
from kanban.services.bulk import (
    ActivityRecord,
    ReleaseRecord,
    SprintMemberRecord,
    TargetChangeRecord,
)

Log = Callable[..., ActivityRecord]
"""The builder's ``log(at, action, detail, item, actor)``."""
SprintDates = Sequence[tuple[dt.date, dt.date]]
"""Each sprint's first and last day, sprint 1 first."""


@dataclass(frozen=True)
class _Release:
    name: str
    description: str
    items: tuple[str, ...]  # titles
    target: tuple[str, int, int]  # ("sprint", n, d): d days after sprint n's last day;
    # ("today", d, 0): d days after today
    first_target: tuple[str, int, int] | None = None  # moved from it, ``moved_days_ago``
    moved_days_ago: int = 0
    reason: str = ""
    created_sprint: int = 1  # made on this sprint's first day
    shipped: bool = False  # released the day after its target


@dataclass(frozen=True)
class _Planning:
    target_in_days: int
    first_target_in_days: int | None
    target_moved_days_ago: int
    target_reason: str
    releases: tuple[_Release, ...]
    scores: Mapping[str, tuple[float, ...]]  # title -> SCORE_FIELDS' values
    capacity: Mapping[str, float]  # member -> story points a sprint
    added_late: tuple[str, ...]  # items that joined their sprint after it started
    days_off: Mapping[tuple[int, str], float] = field(default_factory=dict)  # (sprint, member)


# fmt: off
WEB = _Planning(
    target_in_days=84, first_target_in_days=77, target_moved_days_ago=14,
    target_reason="Guest checkout spilled over from Sprint 3 and PayPal waits on the "
    "merchant account: checkout for everyone about one week later",
    releases=(
        _Release(
            "2026.1 Search and photos", "Search that finds what customers type, and product "
            "photos the team can upload themselves.",
            ("Product photos: upload and crop in the admin",
             "Fix: prices show without VAT on category pages",
             "Set up error monitoring for the shop", "Search products by name and brand",
             "Filter search results by size and colour",
             "Order confirmation email with order summary",
             "Fix: cart loses items after login"),
            target=("sprint", 2, 0), shipped=True,
        ),
        _Release(
            "2026.2 Checkout", "The one-page checkout with guest checkout and the payment "
            "methods customers ask for.",
            ("Cart page: edit quantities inline",
             "Checkout: one-page address and delivery form",
             "Checkout: save address for next time", "Guest checkout without an account",
             "Card payments with 3-D Secure", "Pay with PayPal", "Discount codes at checkout"),
            target=("sprint", 5, 7), first_target=("sprint", 4, 0), moved_days_ago=14,
            reason="Guest checkout spilled over from Sprint 3; PayPal waits on the merchant "
            "account", created_sprint=3,
        ),
        _Release(
            "2026.3 Accessibility", "WCAG 2.1 AA on every page a customer sees.",
            ("Keyboard navigation through the main menu", "Alt text for every product image",
             "Colour contrast fixes on buttons and links"),
            target=("today", 70, 0), created_sprint=4,
        ),
    ),
    scores={
        # time criticality, risk reduction, job size, reach, impact, confidence, effort
        "Card payments with 3-D Secure": (13, 13, 8, 5000, 3, 0.8, 3),
        "Pay with PayPal": (8, 3, 5, 2500, 2, 0.8, 2),
        "Keyboard navigation through the main menu": (5, 8, 2, 600, 1, 1.0, 0.5),
        "Discount codes at checkout": (8, 3, 5, 4000, 2, 0.8, 2),
        "Alt text for every product image": (5, 8, 3, 1200, 1, 1.0, 1),
        "Colour contrast fixes on buttons and links": (5, 8, 2, 1200, 0.5, 1.0, 0.5),
        "Product reviews and star ratings": (3, 2, 8, 6000, 1, 0.5, 4),
        "Fix: search ignores accents ('cafe' does not find 'Café')": (3, 2, 2, 900, 1, 0.8, 0.5),
        "Export orders to the warehouse as CSV": (13, 5, 3, 40, 3, 1.0, 1),
        "Wish list": (2, 1, 5, 3000, 0.5, 0.5, 2),
        "Spike: one-click reorder from the order history": (1, 3, 2, 800, 0.5, 0.5, 0.5),
    },
    capacity={"Ana Silva": 10, "Ben Carter": 10, "Chen Wei": 6, "Dara Okoye": 8,
              "Fatima Rahman": 6},
    added_late=("Fix: 500 error when a voucher code has a trailing space",),
    days_off={(4, "Chen Wei"): 2, (5, "Ana Silva"): 3},
)

APP = _Planning(
    target_in_days=120, first_target_in_days=None, target_moved_days_ago=0, target_reason="",
    releases=(
        _Release(
            "0.9 Beta", "The first build for testers: sign in, browse and fill the cart.",
            ("App skeleton with tab navigation", "Sign in with email and password",
             "Browse categories and products",
             "Fix: crash when rotating the product page on Android",
             "Product detail page with photo gallery", "Add to cart from the product page"),
            target=("sprint", 3, 0), shipped=True,
        ),
        _Release(
            "1.0 Launch", "In the stores: order from the app and follow the order.",
            ("Fix: cart total off by 0.01 after a discount", "App icon and splash screen",
             "Checkout in the app", "Push notifications for order status",
             "Sign in with Apple", "Track my order screen",
             "Fix: login screen hides the keyboard's Done button on iOS",
             "Biometric sign-in (Face ID, fingerprint)"),
            target=("today", 10, 0), first_target=("sprint", 4, 0), moved_days_ago=5,
            reason="Checkout in the app spilled over from Sprint 3", created_sprint=3,
        ),
    ),
    scores={
        "Track my order screen": (8, 3, 5, 6000, 2, 0.8, 2),
        "Cache the product catalogue for offline browsing": (5, 8, 5, 2000, 1, 0.8, 2),
        "Queue orders placed offline and send them when back online": (5, 8, 8, 2000, 2, 0.5, 3),
        "Show which data is stale when offline": (2, 5, 3, 2000, 0.5, 0.8, 1),
        "Biometric sign-in (Face ID, fingerprint)": (3, 3, 3, 5000, 1, 0.8, 1),
        "Barcode scanner to find products in a store": (2, 1, 8, 1500, 1, 0.5, 3),
        "Dark mode": (1, 1, 3, 8000, 0.25, 1.0, 1),
        "Fix: product images blurry on tablets": (3, 2, 2, 1000, 1, 1.0, 0.5),
    },
    capacity={"Eli Novak": 10, "Ben Carter": 5, "Dara Okoye": 3, "Fatima Rahman": 4,
              "Chen Wei": 3},
    added_late=("Fix: cart total off by 0.01 after a discount",),
    days_off={(4, "Eli Novak"): 1},
)
# fmt: on

PLANS = {"WEB": WEB, "APP": APP}


@dataclass
class Planning:
    """A product's sample planning as records; items are named by title (their refs)."""

    target: dt.date
    target_changes: list[TargetChangeRecord]
    releases: list[ReleaseRecord]
    release_of: dict[str, str]
    """Item title -> release name."""
    scores: dict[str, tuple[float, ...]]
    """Item title -> its scoring inputs (:data:`SCORE_FIELDS`' values)."""
    added_late: frozenset[str]
    """Items that joined their sprint when they entered To Do, after it started."""
    activities: list[ActivityRecord]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def _day(when: tuple[str, int, int], today: dt.date, sprints: SprintDates) -> dt.date:
    kind, number, days = when
    if kind == "sprint":
        return sprints[number - 1][1] + dt.timedelta(days=days)
    return today + dt.timedelta(days=number)


def planning(
    key: str,
    today: dt.date,
    sprints: SprintDates,
    created: Mapping[str, dt.datetime],
    log: Log,
    owner: str,
) -> Planning:
    """The planning of sample product ``key`` as of ``today`` (``created``: when each item
    was made; ``log``: the builder's activity rows; ``owner``: the product owner)."""
    plan = PLANS[key]
    origin = min(created.values())
    activities: list[ActivityRecord] = []
    changes: list[TargetChangeRecord] = []
    target = today + dt.timedelta(days=plan.target_in_days)
    first = target
    if plan.first_target_in_days is not None:
        first = today + dt.timedelta(days=plan.first_target_in_days)
    set_at = origin + dt.timedelta(hours=2)
    changes.append(TargetChangeRecord(set_at, None, first, "", owner))
    activities.append(log(set_at, "target_set", f"none → {first}"))
    if first != target:
        moved = _at(today - dt.timedelta(days=plan.target_moved_days_ago), 11)
        changes.append(TargetChangeRecord(moved, first, target, plan.target_reason, owner))
        activities.append(log(moved, "target_set", f"{first} → {target}: {plan.target_reason}"))
    releases, release_of = [], {}
    for release in plan.releases:
        made = _at(sprints[release.created_sprint - 1][0], 11)
        goal = _day(release.target, today, sprints)
        aimed = _day(release.first_target, today, sprints) if release.first_target else goal
        shipped = goal + dt.timedelta(days=1) if release.shipped else None
        releases.append(
            ReleaseRecord(
                release.name,
                release.name,
                release.description,
                goal,
                ReleaseState.RELEASED if shipped else ReleaseState.PLANNED,
                shipped,
            )
        )
        activities.append(log(made, "release_created", release.name))
        changes.append(TargetChangeRecord(made, None, aimed, "", owner, release.name))
        if aimed != goal:
            moved = _at(today - dt.timedelta(days=release.moved_days_ago), 11)
            changes.append(
                TargetChangeRecord(moved, aimed, goal, release.reason, owner, release.name)
            )
            detail = f"{release.name}: {aimed} → {goal}: {release.reason}"
            activities.append(log(moved, "release_target_set", detail))
        for title in release.items:
            release_of[title] = release.name
            assigned = max(made, created[title] + dt.timedelta(hours=1))
            activities.append(log(assigned, "release_set", f"none → {release.name}", title))
        if shipped is not None:
            activities.append(log(_at(shipped, 10), "release_edited", f"{release.name}: state"))
    scores = {}
    for title, values in plan.scores.items():
        scores[title] = tuple(float(v) for v in values)
        named = zip(SCORE_FIELDS, scores[title], strict=True)
        shown = ", ".join(f"{n.replace('_', ' ')} — → {v:g}" for n, v in named)
        scored = created[title] + dt.timedelta(hours=3)
        activities.append(log(scored, "edited", f"{', '.join(SCORE_FIELDS)}; {shown}", title))
    return Planning(
        target, changes, releases, release_of, scores, frozenset(plan.added_late), activities
    )


def sprint_members(key: str, number: int) -> tuple[SprintMemberRecord, ...]:
    """The team of sample product ``key`` in its sprint ``number``, with their capacity in
    story points and their days off."""
    plan = PLANS[key]
    return tuple(
        SprintMemberRecord(name, float(points), float(plan.days_off.get((number, name), 0)))
        for name, points in plan.capacity.items()
    )

"""The sample data behind `kanban demo` and Help > Sample data: two products with history.

The sample is built as plain records (:mod:`kanban.services.bulk`) with past dates (the move
service stamps "now"), from a seeded random generator, so the same ``today`` always gives the
same database, and written by the bulk writer every import uses, in one transaction: the
schema is written in one place. The status updates' figures are then frozen from the
written history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from kanban.domain import SCORE_FIELDS, Category, ItemKind, QuestionState, SprintState, plural
from kanban.errors import ValidationError
from kanban.ranking import initial_ranks
from kanban.services.bulk import (
    ActivityRecord,
    ChecklistLineRecord,
    ColumnRecord,
    ImportBatch,
    ItemRecord,
    LabelRecord,
    MemberRecord,
    ProductRecord,
    QuestionRecord,
    SprintEntryRecord,
    SprintRecord,
    StakeholderRecord,
    StatusUpdateRecord,
    TransitionRecord,
    write_batch,
)
from kanban.services.checklists import criteria_lines
from kanban.services.demo_planning import Planning, planning, sprint_members
from kanban.services.demo_refinement import ItemParts, SampleItem, refinement
from kanban.services.records import ProductInfo
from kanban.services.status_updates import freeze_update
from kanban.storage.database import Database
from kanban.storage.models import Product, StatusUpdate, TeamMember

SEED = 20240601
PRODUCT_OWNER = "Jordan Lee"
HISTORY_DAYS = 56  # eight weeks
SPRINT_DAYS = 14

MEMBERS = (
    ("Ana Silva", "Developer"),
    ("Ben Carter", "Developer"),
    ("Chen Wei", "QA engineer"),
    ("Dara Okoye", "UX designer"),
    ("Eli Novak", "Mobile developer"),
    ("Fatima Rahman", "Tech lead"),
)

# name, role, organization, products followed
STAKEHOLDERS = (
    ("Maria Keller", "Head of Sales", "Sales", ("WEB",)),
    ("Tom Okafor", "CFO", "Finance", ("WEB", "APP")),
    ("Priya Raman", "Customer Support Lead", "Support", ("WEB", "APP")),
    ("Lars Nyberg", "Marketing Manager", "Marketing", ("APP",)),
    ("Sofia Marin", "CTO", "Engineering", ("WEB", "APP")),
)


@dataclass(frozen=True)
class _Spec:
    """One sample item; ``state`` is where it ends up, ``sprint`` the sprint it belongs to."""

    title: str
    kind: str = "story"
    points: float | None = None
    value: int | None = None
    state: str = "backlog"  # backlog | todo | doing | review | done
    sprint: int | None = None  # 1-3 closed, 4 active, 5 planned
    labels: str = ""
    who: str | None = None
    by: str | None = None
    epic: str | None = None
    blocked: str | None = None
    criteria: str = ""
    description: str = ""
    due_in_days: int | None = None
    carried: bool = False  # came back from the previous sprint unfinished
    archived: bool = False


@dataclass(frozen=True)
class _QuestionSpec:
    text: str
    asker: str
    days_ago: int
    urgency: str = "normal"
    item: str | None = None
    answer: str = ""
    state: str = "open"


@dataclass(frozen=True)
class _ProductSpec:
    key: str
    name: str
    vision: str
    columns: tuple[tuple[str, str, int | None], ...]  # name, category, WIP limit
    labels: tuple[tuple[str, str], ...]
    goals: tuple[str, ...]  # sprints 1 to 5
    items: tuple[_Spec, ...]
    questions: tuple[_QuestionSpec, ...]
    status_updates: tuple[dict[str, str | int], ...] = ()


STATE_COLUMNS = {
    "backlog": "Backlog",
    "todo": "To Do",
    "doing": "In Progress",
    "review": "Review",
    "done": "Done",
}

CHECKOUT = "Checkout redesign"
A11Y = "Accessibility (WCAG 2.1 AA)"
OFFLINE = "Offline mode"

# fmt: off
# title, kind, points, business value, state, sprint, labels, assignee, requester
WEB_ITEMS = (
    _Spec(CHECKOUT, "epic", value=90, by="Maria Keller", due_in_days=84,
          description="Cut checkout abandonment from 68% to under 50%: one page, guest "
          "checkout, and the payment methods our customers ask for."),
    _Spec(A11Y, "epic", value=60, by="Sofia Marin",
          description="Meet WCAG 2.1 AA on every page a customer sees before the autumn "
          "campaign."),
    _Spec("Product photos: upload and crop in the admin", "story", 5, 40, "done", 1,
          "backend frontend", "Ana Silva", "Maria Keller"),
    _Spec("Fix: prices show without VAT on category pages", "bug", 2, 70, "done", 1,
          "frontend", "Ben Carter", "Priya Raman"),
    _Spec("Set up error monitoring for the shop", "task", 3, None, "done", 1, "backend",
          "Fatima Rahman"),
    _Spec("Spike: compare search engines (SQL full-text vs. a search service)", "spike", 3,
          None, "done", 1, "backend performance", "Fatima Rahman"),
    _Spec("Search products by name and brand", "story", 8, 80, "done", 2, "backend frontend",
          "Ben Carter", "Maria Keller",
          criteria="- Typing 'tent' finds every product with 'tent' in its name\n"
          "- Results appear within 300 ms\n- A brand name finds that brand's products"),
    _Spec("Filter search results by size and colour", "story", 5, 60, "done", 2, "frontend",
          "Ana Silva", "Maria Keller"),
    _Spec("Order confirmation email with order summary", "story", 3, 50, "done", 2, "backend",
          "Ben Carter", "Priya Raman"),
    _Spec("Fix: cart loses items after login", "bug", 3, 85, "done", 2, "backend", "Ana Silva",
          "Priya Raman"),
    _Spec("Cart page: edit quantities inline", "story", 3, 40, "done", 2, "frontend ux",
          "Dara Okoye", "Maria Keller", epic=CHECKOUT),
    _Spec("Checkout: one-page address and delivery form", "story", 8, 90, "done", 3,
          "frontend ux", "Dara Okoye", "Maria Keller", epic=CHECKOUT,
          criteria="- Address, delivery and payment on one page\n"
          "- Errors shown next to the field, never in a pop-up"),
    _Spec("Lazy-load product images on category pages", "task", 2, None, "done", 3,
          "frontend performance", "Ben Carter"),
    _Spec("Fix: 500 error when a voucher code has a trailing space", "bug", 1, 30, "done", 3,
          "backend", "Ben Carter", "Priya Raman"),
    _Spec("Password reset by email", "story", 3, 50, "done", 3, "backend security",
          "Ana Silva", "Priya Raman",
          criteria="- The link works once and expires after one hour\n"
          "- The email never says whether an address has an account"),
    _Spec("Show delivery date estimate on product page", "story", 3, 60, "done", 4,
          "frontend", "Ana Silva", "Maria Keller"),
    _Spec("Fix: sitemap.xml lists archived products", "bug", 1, 20, "done", 4, "backend seo",
          "Ben Carter", "Maria Keller"),
    _Spec("Rate-limit the login endpoint", "task", 2, None, "done", 4, "backend security",
          "Fatima Rahman", "Sofia Marin"),
    _Spec("Checkout: save address for next time", "story", 3, 50, "review", 4,
          "backend frontend", "Ana Silva", "Maria Keller", epic=CHECKOUT),
    _Spec("Fix: product page layout breaks on small phones", "bug", 2, 60, "review", 4,
          "frontend ux", "Dara Okoye", "Priya Raman"),
    _Spec("Guest checkout without an account", "story", 5, 85, "doing", 4, "backend frontend",
          "Ana Silva", "Maria Keller", epic=CHECKOUT, carried=True,
          criteria="- A customer can pay without creating an account\n"
          "- After paying, one click turns the order into an account"),
    _Spec("Order history page for customers", "story", 5, 55, "doing", 4, "frontend",
          "Ben Carter", "Priya Raman"),
    _Spec("Upgrade the web framework to the current LTS release", "task", 3, None, "doing", 4,
          "backend security", "Fatima Rahman", "Sofia Marin"),
    _Spec("Spike: measure checkout page load on a slow 3G connection", "spike", 2, None,
          "doing", 4, "performance", "Chen Wei"),
    _Spec("Card payments with 3-D Secure", "story", 8, 90, "todo", 4, "backend payments",
          "Fatima Rahman", "Tom Okafor", epic=CHECKOUT, due_in_days=10,
          criteria="- Visa and Mastercard with 3-D Secure 2\n"
          "- A declined card shows the bank's reason in plain words"),
    _Spec("Pay with PayPal", "story", 5, 75, "todo", 4, "backend payments", "Ben Carter",
          "Tom Okafor", epic=CHECKOUT,
          blocked="Waiting for the PayPal merchant account (Finance)"),
    _Spec("Keyboard navigation through the main menu", "story", 2, 40, "todo", 4,
          "frontend ux", "Dara Okoye", "Sofia Marin", epic=A11Y),
    _Spec("Fix: newsletter sign-up accepts invalid email addresses", "bug", 1, 25, "todo", 4,
          "frontend", "Chen Wei", "Priya Raman"),
    _Spec("Discount codes at checkout", "story", 5, 65, "backlog", 5, "frontend payments",
          by="Maria Keller", epic=CHECKOUT),
    _Spec("Alt text for every product image", "story", 3, 45, labels="frontend ux",
          by="Sofia Marin", epic=A11Y),
    _Spec("Colour contrast fixes on buttons and links", "task", 2, 35, labels="ux", epic=A11Y),
    _Spec("Product reviews and star ratings", "story", 8, 55, labels="backend frontend",
          by="Maria Keller"),
    _Spec("Fix: search ignores accents ('cafe' does not find 'Café')", "bug", 2, 35,
          labels="backend", by="Priya Raman"),
    _Spec("Export orders to the warehouse as CSV", "task", 3, 30, labels="backend",
          by="Tom Okafor", due_in_days=21),
    _Spec("Wish list", "story", 5, 40, labels="frontend", by="Priya Raman"),
    _Spec("Spike: one-click reorder from the order history", "spike", 2, 30),
    _Spec("Gift cards", "story", None, 50, by="Maria Keller"),
    _Spec("Fix: duplicate 'Add to cart' button on bundles", "bug", 1, 10, labels="frontend",
          archived=True, description="Duplicate of the cart fix; kept for the record."),
)

# text, asked by, days ago, urgency, item, answer, state
WEB_QUESTIONS = (
    _QuestionSpec("Should guest checkout ask for a phone number, or only an email address?",
                  "Ana Silva", 2, "high", "Guest checkout without an account"),
    _QuestionSpec("Which card brands must 3-D Secure cover at launch: Visa and Mastercard "
                  "only, or Amex too?", "Fatima Rahman", 1, "critical",
                  "Card payments with 3-D Secure"),
    _QuestionSpec("Do discount codes stack with the loyalty discount, or does the larger one "
                  "win?", "Ben Carter", 9, "normal", "Discount codes at checkout"),
    _QuestionSpec("Is Internet Explorer 11 still a supported browser?", "Dara Okoye", 30,
                  "low", None, "No. We support the last two versions of Chrome, Firefox, "
                  "Safari and Edge.", "answered"),
    _QuestionSpec("What is the largest photo the admin may upload?", "Chen Wei", 45, "normal",
                  "Product photos: upload and crop in the admin",
                  "10 MB, JPEG or PNG; bigger files are refused with a clear message.",
                  "answered"),
    _QuestionSpec("How long should a password reset link stay valid?", "Ana Silva", 22,
                  "high", "Password reset by email", "One hour, and it works only once.",
                  "answered"),
    _QuestionSpec("Should we keep the old mobile site running next to the app?", "Chen Wei",
                  20, "low", state="obsolete"),
)

APP_ITEMS = (
    _Spec(OFFLINE, "epic", value=70, by="Sofia Marin", due_in_days=120,
          description="Browse the catalogue and place orders without a connection; send them "
          "when back online."),
    _Spec("App skeleton with tab navigation", "task", 5, None, "done", 1, "android ios",
          "Eli Novak"),
    _Spec("Sign in with email and password", "story", 5, 70, "done", 1, "android api ios",
          "Eli Novak", "Sofia Marin"),
    _Spec("Browse categories and products", "story", 8, 80, "done", 2, "android api ios",
          "Eli Novak", "Lars Nyberg"),
    _Spec("Fix: crash when rotating the product page on Android", "bug", 2, 60, "done", 2,
          "android", "Eli Novak", "Priya Raman"),
    _Spec("Spike: push notification providers", "spike", 2, None, "done", 2, "api",
          "Fatima Rahman"),
    _Spec("Product detail page with photo gallery", "story", 5, 70, "done", 3,
          "android ios ux", "Dara Okoye", "Lars Nyberg"),
    _Spec("Add to cart from the product page", "story", 3, 75, "done", 3, "android ios",
          "Eli Novak", "Lars Nyberg"),
    _Spec("Fix: cart total off by 0.01 after a discount", "bug", 1, 65, "done", 4, "api",
          "Ben Carter", "Tom Okafor"),
    _Spec("App icon and splash screen", "task", 1, 20, "done", 4, "ux", "Dara Okoye",
          "Lars Nyberg"),
    _Spec("Push notifications for order status", "story", 5, 70, "doing", 4,
          "android api ios", "Eli Novak", "Priya Raman",
          criteria="- A notification when the order ships and when it is delivered\n"
          "- Tapping it opens the order"),
    _Spec("Sign in with Apple", "story", 3, 50, "doing", 4, "ios", "Eli Novak", "Sofia Marin",
          blocked="Apple developer account renewal pending (IT)"),
    _Spec("Checkout in the app", "story", 8, 85, "doing", 4, "android ios", "Ben Carter",
          "Lars Nyberg", carried=True),
    _Spec("Cache the product catalogue for offline browsing", "story", 5, 60, "todo", 4,
          "offline", "Fatima Rahman", "Sofia Marin", epic=OFFLINE),
    _Spec("Fix: login screen hides the keyboard's Done button on iOS", "bug", 1, 30, "todo",
          4, "ios", "Chen Wei", "Priya Raman"),
    _Spec("Track my order screen", "story", 5, 65, "todo", 4, "android api ios", "Eli Novak",
          "Priya Raman"),
    _Spec("Queue orders placed offline and send them when back online", "story", 8, 55,
          "backlog", 5, "api offline", by="Sofia Marin", epic=OFFLINE),
    _Spec("Show which data is stale when offline", "story", 3, 35, labels="offline ux",
          epic=OFFLINE),
    _Spec("Biometric sign-in (Face ID, fingerprint)", "story", 3, 40, labels="android ios",
          by="Sofia Marin"),
    _Spec("Barcode scanner to find products in a store", "story", 8, 45,
          labels="android ios", by="Lars Nyberg"),
    _Spec("Dark mode", "story", 3, 25, labels="ux", by="Lars Nyberg"),
    _Spec("Spike: native camera module or a cross-platform library", "spike", 3),
    _Spec("Fix: product images blurry on tablets", "bug", 2, 30, labels="android ux",
          by="Priya Raman"),
    _Spec("In-app customer support chat", "story", None, 45, by="Priya Raman"),
)

APP_QUESTIONS = (
    _QuestionSpec("Should push notifications be opt-in on first launch, or asked after the "
                  "first order?", "Eli Novak", 4, "high", "Push notifications for order status"),
    _QuestionSpec("How long may an order placed offline wait before we cancel it?",
                  "Fatima Rahman", 12, "normal",
                  "Queue orders placed offline and send them when back online"),
    _QuestionSpec("Do we need Sign in with Apple at all while we only offer email sign-in?",
                  "Eli Novak", 20, "low", "Sign in with Apple"),
    _QuestionSpec("Minimum supported iOS version: 16 or 17?", "Eli Novak", 45, "critical",
                  None, "iOS 16: it covers 96% of our customers' devices.", "answered"),
    _QuestionSpec("Can the app reuse the web shop's search API as it is?", "Ben Carter", 38,
                  "normal", "Browse categories and products",
                  "Yes, the v2 endpoints; ask Fatima for a key per environment.", "answered"),
)
# fmt: on

WEB_STATUS_UPDATES: tuple[dict[str, str | int], ...] = (
    {
        "days_ago": 14,
        "health": "at_risk",
        "headline": "Checkout redesign slips by about a week",
        "progress": "The one-page checkout form is done and live for 10% of visitors.",
        "problems": "Guest checkout spilled over from the last sprint; the PayPal merchant "
        "account is still not approved.",
        "schedule_outlook": "Checkout for everyone about one week later than planned.",
        "next_steps": "Finish guest checkout; start card payments with 3-D Secure.",
    },
    {
        "days_ago": 1,
        "health": "on_track",
        "headline": "Guest checkout in review next week; card payments started",
        "progress": "Delivery date estimates are live; login is rate-limited.",
        "problems": "PayPal is blocked on the merchant account (Finance is on it).",
        "schedule_outlook": "On track for the new date; PayPal may move to the next sprint.",
        "next_steps": "Answer the open questions on guest checkout and 3-D Secure.",
    },
)

WEB = _ProductSpec(
    key="WEB",
    name="Web Shop",
    vision="The easiest place to buy outdoor gear online: find it in seconds, pay in one step, "
    "get it tomorrow.",
    columns=(
        ("Backlog", "backlog", None),
        ("To Do", "todo", None),
        ("In Progress", "doing", 4),
        ("Review", "doing", 2),
        ("Done", "done", None),
    ),
    labels=(
        ("backend", "#2ca02c"),
        ("frontend", "#1f77b4"),
        ("payments", "#d62728"),
        ("performance", "#ff7f0e"),
        ("security", "#8c564b"),
        ("seo", "#17becf"),
        ("ux", "#9467bd"),
    ),
    goals=(
        "Customers find products and see correct prices",
        "Search that finds what customers type",
        "A faster, one-page checkout",
        "Guest checkout and card payments",
        "PayPal and discount codes",
    ),
    items=WEB_ITEMS,
    questions=WEB_QUESTIONS,
    status_updates=WEB_STATUS_UPDATES,
)

APP = _ProductSpec(
    key="APP",
    name="Mobile App",
    vision="Our shop in your pocket: browse, buy and track orders on iOS and Android, even on "
    "a poor connection.",
    columns=(
        ("Backlog", "backlog", None),
        ("To Do", "todo", None),
        ("In Progress", "doing", 3),
        ("Done", "done", None),
    ),
    labels=(
        ("android", "#3ddc84"),
        ("api", "#2ca02c"),
        ("ios", "#7f7f7f"),
        ("offline", "#bcbd22"),
        ("ux", "#9467bd"),
    ),
    goals=(
        "A signed-in user can open the app",
        "Browse the catalogue on both platforms",
        "Put products in the cart",
        "Order from the app and get notified",
        "Offline browsing",
    ),
    items=APP_ITEMS,
    questions=APP_QUESTIONS,
)

PRODUCTS = (WEB, APP)


@dataclass
class _Sprint:
    number: int
    start: dt.date
    end: dt.date
    state: str

    @property
    def name(self) -> str:
        return f"Sprint {self.number}"

    @property
    def started(self) -> dt.datetime:
        """When it was started: 9:00 on its first day."""
        return dt.datetime.combine(self.start, dt.time(9))

    @property
    def closed(self) -> dt.datetime:
        """When it was closed (if it is): 17:00 on its last day."""
        return dt.datetime.combine(self.end, dt.time(17))


@dataclass
class _Built:
    """An item being built: its moves (column name, when), its number and its rank."""

    spec: _Spec
    moves: list[tuple[str, dt.datetime]] = field(default_factory=list)
    number: int = 0
    rank: str = ""


def create_demo(db: Database, today: dt.date | None = None) -> list[ProductInfo]:
    """Create the sample products WEB (Web Shop) and APP (Mobile App) with eight weeks of history.

    Args:
        db: The database to fill.
        today: The day the history leads up to (default: today); the same day gives the
            same data.

    Returns:
        The two new products.

    Raises:
        ValidationError: If a product with one of the sample keys or names exists already.
    """
    today = today or dt.date.today()
    with db.read() as session:
        for spec in PRODUCTS:
            clash = session.scalar(
                select(Product).where(
                    (func.upper(Product.key) == spec.key) | (Product.name == spec.name)
                )
            )
            if clash is not None:
                raise ValidationError(
                    f"The sample data is there already: product {clash.key} ({clash.name}) exists"
                )
        members = set(session.scalars(select(func.lower(TeamMember.name))))
    builder = _Builder(random.Random(SEED), today)
    batch = builder.batch(members)
    products = list(write_batch(db, batch).products)
    _freeze_figures(db, [product.id for product in products])
    return products


def _freeze_figures(db: Database, product_ids: list[int]) -> None:
    """Freeze into each sample status update the report figures of its period, as of its day
    (with the target and forecast it records), once the history is written."""
    with db.write() as session:
        query = select(StatusUpdate).where(StatusUpdate.product_id.in_(product_ids))
        for update in session.scalars(query.order_by(StatusUpdate.id)):
            freeze_update(session, update, update.period_end)


class _Builder:
    """Builds the sample's records, with past dates drawn from ``rng``.

    Refs are names: a person's, a column's, a label's, a sprint's, an item's title; a
    question's ref is its place in the product's list.
    """

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.origin = self.at(HISTORY_DAYS + 1, 9)

    # --- time ----------------------------------------------------------------------------

    def at(self, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        return dt.datetime.combine(day, dt.time(hour, minute))

    def moments(self, after: dt.datetime, until: dt.datetime, count: int) -> list[dt.datetime]:
        """``count`` distinct working-hour moments in (after, until), in order."""
        slots = []
        day = after.date()
        while day <= until.date():
            if day.weekday() < 5:
                for hour in range(9, 18):
                    moment = dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)))
                    if after < moment < until:
                        slots.append(moment)
            day += dt.timedelta(days=1)
        if len(slots) < count:  # a short window: spread the moments evenly over it
            return [after + (until - after) * (i + 1) / (count + 1) for i in range(count)]
        return sorted(self.rng.sample(slots, count))

    def sprints(self) -> list[_Sprint]:
        """Sprints 1-3 closed, 4 active (started 6 to 12 days ago), 5 planned."""
        latest = self.today - dt.timedelta(days=6)
        active_start = latest - dt.timedelta(days=latest.weekday())
        sprints = []
        for number in range(1, 6):
            start = active_start + dt.timedelta(days=SPRINT_DAYS * (number - 4))
            state = (
                SprintState.CLOSED
                if number < 4
                else SprintState.ACTIVE
                if number == 4
                else SprintState.PLANNED
            )
            end = start + dt.timedelta(days=SPRINT_DAYS - 1)
            sprints.append(_Sprint(number, start, end, state))
        return sprints

    def log(
        self, at: dt.datetime, action: str, detail: str = "", item: str | None = None,
        actor: str = PRODUCT_OWNER, question: int | None = None,
    ) -> ActivityRecord:  # fmt: skip
        return ActivityRecord(at, action, actor, detail, item, question_id=question)

    # --- the batch -----------------------------------------------------------------------

    def batch(self, known_members: set[str]) -> ImportBatch:
        """Everything the sample writes; team members already there (``known_members``, in
        lower case) are used as they are."""
        people = [
            self.log(self.origin, "member_added", name)
            for name, _role in MEMBERS
            if name.lower() not in known_members
        ]
        people += [self.log(self.origin, "stakeholder_added", name) for name, *_ in STAKEHOLDERS]
        return ImportBatch(
            members=[MemberRecord(name, name, role) for name, role in MEMBERS],
            stakeholders=[
                StakeholderRecord(name, name, role, organization, contact=email, email=email)
                for name, role, organization, _products in STAKEHOLDERS
                for email in (name.lower().replace(" ", ".") + "@example.com",)
            ],
            products=[self.product(spec) for spec in PRODUCTS],
            activities=people,
        )

    def product(self, spec: _ProductSpec) -> ProductRecord:
        activities = [self.log(self.origin, "product_created", f"{spec.key} {spec.name}")]
        columns = {name: category for name, category, _wip in spec.columns}
        sprints = self.sprints()
        # A sprint's finished items are spread over it, so every week has some throughput.
        finished = Counter(item.sprint for item in spec.items if item.state == "done")
        seen: Counter[int | None] = Counter()
        built = []
        for item in spec.items:
            share = None
            if item.state == "done":
                share = (seen[item.sprint], finished[item.sprint])
                seen[item.sprint] += 1
            built.append(self.plan_moves(item, sprints, set(columns), share))
        self.number_and_rank(built)
        items = [self.item(spec.key, each, columns, sprints, activities) for each in built]
        activities += self.log_sprints(sprints, built)
        created = {each.spec.title: each.moves[0][1] for each in built}
        dates = [(sprint.start, sprint.end) for sprint in sprints]
        planned = planning(spec.key, self.today, dates, created, self.log, PRODUCT_OWNER)
        activities += planned.activities
        carried = {each.spec.title for each in built if each.spec.carried}
        items = [self.planned(item, planned, sprints, carried) for item in items]
        questions = self.questions(spec, created, activities)
        sample = {
            each.spec.title: SampleItem(f"{spec.key}-{each.number}", each.moves[0][1])
            for each in built
        }
        refined = refinement(spec.key, sample, self.at, self.log, PRODUCT_OWNER)
        activities += refined.activities
        items = [self.refined(item, refined.items.get(item.title)) for item in items]
        updates = self.status_updates(spec, activities)
        return ProductRecord(
            ref=spec.key,
            key=spec.key,
            name=spec.name,
            vision=spec.vision,
            created_at=self.origin,
            target_date=planned.target,
            followers=tuple(name for name, _r, _o, keys in STAKEHOLDERS if spec.key in keys),
            columns=tuple(
                ColumnRecord(name, name, category, wip, position)
                for position, (name, category, wip) in enumerate(spec.columns)
            ),
            labels=tuple(LabelRecord(name, name, color) for name, color in spec.labels),
            sprints=tuple(
                SprintRecord(
                    sprint.name,
                    sprint.name,
                    spec.goals[sprint.number - 1],
                    sprint.start,
                    sprint.end,
                    sprint.state,
                    started_at=None if sprint.state == SprintState.PLANNED else sprint.started,
                    closed_at=sprint.closed if sprint.state == SprintState.CLOSED else None,
                    goal_met=self.goal_met(spec, sprint, built),
                    members=sprint_members(spec.key, sprint.number),
                )
                for sprint in sprints
            ),
            releases=tuple(planned.releases),
            # Epics first: the ids of the product's items follow this order.
            readiness_rules=tuple(refined.readiness_rules),
            checklist_templates=tuple(refined.checklist_templates),
            items=sorted(items, key=lambda item: item.kind != ItemKind.EPIC),
            questions=questions,
            status_updates=updates,
            target_changes=planned.target_changes,
            activities=activities,
        )

    def plan_moves(
        self,
        spec: _Spec,
        sprints: list[_Sprint],
        columns: set[str],
        share: tuple[int, int] | None = None,
    ) -> _Built:
        """The columns an item went through, with when, ending in its state's column.

        A finished item given ``share`` (k, n) is done in the k-th of n equal parts of its
        sprint.
        """
        built = _Built(spec)
        yesterday = self.at(1, 18)
        if spec.sprint is None or spec.state == "backlog":
            built.moves.append(("Backlog", self.moments(self.origin, yesterday, 1)[0]))
            return built
        sprint = sprints[spec.sprint - 1]
        first = sprints[spec.sprint - 2] if spec.carried else sprint
        created = self.moments(self.origin, self.day_at(first.start, -1, 18), 1)[0]
        built.moves.append(("Backlog", created))
        planned = self.day_at(sprint.start, 0, 10)
        if spec.carried:  # planned in the previous sprint, carried over (in To Do) at its close
            built.moves.append(("To Do", self.day_at(first.start, 0, 10)))
        else:
            built.moves.append(("To Do", planned))
        steps = {"todo": [], "doing": ["In Progress"], "review": ["In Progress", "Review"]}.get(
            spec.state, ["In Progress", "Review", "Done"]
        )
        if spec.state == "done" and spec.kind in ("bug", "task") and self.rng.random() < 0.3:
            steps = ["In Progress", "Done"]  # small fixes skip review now and then
        steps = [name for name in steps if name in columns]
        end = min(self.day_at(sprint.end, 0, 17), yesterday)
        if share is None:
            moments = self.moments(planned, end, len(steps))
        else:
            part, parts = share
            span = end - planned
            done = self.moments(
                planned + span * part / parts, planned + span * (part + 1) / parts, 1
            )
            moments = [*self.moments(planned, done[0], len(steps) - 1), done[0]]
        for name, moment in zip(steps, moments, strict=True):
            built.moves.append((name, moment))
        return built

    def day_at(self, day: dt.date, offset: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(hour))

    @staticmethod
    def number_and_rank(built: list[_Built]) -> None:
        """Keys follow creation order; priority puts finished work first, then work in
        progress, then the backlog in the order it is listed (the product owner's ranking)."""
        state_order = ("done", "review", "doing", "todo")
        ranked = sorted(
            (b for b in built if b.spec.state != "backlog"),
            key=lambda b: (state_order.index(b.spec.state), b.moves[-1][1]),
        ) + [b for b in built if b.spec.state == "backlog"]
        for each, rank in zip(ranked, initial_ranks(len(built)), strict=True):
            each.rank = rank
        for number, each in enumerate(sorted(built, key=lambda b: b.moves[0][1]), start=1):
            each.number = number

    def item(
        self,
        key: str,
        built: _Built,
        columns: dict[str, str],
        sprints: list[_Sprint],
        activities: list[ActivityRecord],
    ) -> ItemRecord:
        """The item's record; its history goes into ``activities``."""
        spec = built.spec
        created, last = built.moves[0][1], built.moves[-1][1]
        doing = [at for name, at in built.moves if columns[name] in (Category.DOING, Category.DONE)]
        done = spec.state == "done"
        transitions = []
        previous: str | None = None
        actor = spec.who or PRODUCT_OWNER
        for name, at in built.moves:
            category = columns[name]
            transitions.append(
                TransitionRecord(
                    at, name, category, previous, None if previous is None else columns[previous]
                )
            )
            if previous is None:
                activities.append(self.log(at, "created", f"{key}-{built.number} {spec.title}",
                                           spec.title))  # fmt: skip
            else:
                mover = PRODUCT_OWNER if category in (Category.BACKLOG, Category.TODO) else actor
                detail = f"{key}-{built.number}: {previous} → {name}"
                activities.append(self.log(at, "moved", detail, spec.title, mover))
            previous = name
        if spec.archived:
            activities.append(self.log(last, "archived", "", spec.title))
        return ItemRecord(
            ref=spec.title,
            title=spec.title,
            column_id=STATE_COLUMNS[spec.state],
            kind=spec.kind,
            number=built.number,
            rank=built.rank,
            description=spec.description,
            points=spec.points,
            business_value=spec.value,
            sprint_id=sprints[spec.sprint - 1].name if spec.sprint else None,
            epic_id=spec.epic,
            assignee_id=spec.who,
            requested_by_id=spec.by,
            due_date=self.today + dt.timedelta(days=spec.due_in_days) if spec.due_in_days else None,
            blocked_reason=spec.blocked,
            created_at=created,
            updated_at=last,
            column_since=last,
            started_at=doing[0] if doing else None,
            done_at=last if done else None,
            archived=spec.archived,
            labels=tuple(spec.labels.split()),
            transitions=tuple(transitions),
            checklist=tuple(
                ChecklistLineRecord(text, done, last if done else None, position)
                for position, (text, _done) in enumerate(criteria_lines(spec.criteria))
            ),
        )

    @staticmethod
    def carried(sprint: _Sprint, built: list[_Built]) -> int:
        """How many unfinished items the closing of ``sprint`` carried to the next one."""
        return sum(1 for b in built if b.spec.carried and b.spec.sprint == sprint.number + 1)

    def goal_met(self, spec: _ProductSpec, sprint: _Sprint, built: list[_Built]) -> bool | None:
        """A closed sprint met its goal unless it carried checkout work of the Web Shop."""
        if sprint.state != SprintState.CLOSED:
            return None
        return not (spec.key == "WEB" and self.carried(sprint, built))

    def planned(
        self, item: ItemRecord, plan: Planning, sprints: list[_Sprint], carried_over: set[str]
    ) -> ItemRecord:
        """The item with its release, its scoring inputs and its time in each sprint's scope
        (planned three days before the sprint starts, or when made if later; an item added
        late when it entered To Do, after the start; an item the closing carried over left
        that sprint and joined the next one at the closing)."""
        entries = []
        if item.sprint_id is not None:
            number = next(s.number for s in sprints if s.name == item.sprint_id)
            carried = item.title in carried_over
            first = sprints[number - 2] if carried else sprints[number - 1]
            assert item.created_at is not None
            planning = min(self.day_at(first.start, -3, 15), self.at(1, 15))
            added = max(planning, item.created_at + dt.timedelta(hours=1))
            if item.title in plan.added_late:
                added = self.day_at(first.start, 0, 10)  # its move into To Do
            if carried:
                entries.append(SprintEntryRecord(first.name, added, first.closed))
                entries.append(SprintEntryRecord(item.sprint_id, first.closed, None, first.name))
            else:
                entries.append(SprintEntryRecord(item.sprint_id, added))
        scores = plan.scores.get(item.title, (None,) * len(SCORE_FIELDS))
        tc, rr, size, reach, impact, confidence, effort = scores
        return item._replace(
            release_id=plan.release_of.get(item.title),
            sprint_entries=tuple(entries),
            time_criticality=tc,
            risk_reduction=rr,
            job_size=size,
            reach=reach,
            impact=impact,
            confidence=confidence,
            effort=effort,
        )

    @staticmethod
    def refined(item: ItemRecord, parts: ItemParts | None) -> ItemRecord:
        """The item with its sample refinement (criteria, comments, links...) added."""
        if parts is None:
            return item
        return item._replace(
            checklist=(*item.checklist, *parts.checklist),
            confirmations=tuple(parts.confirmations),
            comments=tuple(parts.comments),
            links=tuple(parts.links),
            resources=tuple(parts.resources),
        )

    def log_sprints(self, sprints: list[_Sprint], built: list[_Built]) -> list[ActivityRecord]:
        logs = []
        for sprint in sprints:
            planned = min(self.day_at(sprint.start, -3, 15), self.at(1, 15))
            logs.append(self.log(planned, "sprint_created", sprint.name))
            if sprint.state == SprintState.PLANNED:
                continue
            logs.append(self.log(self.day_at(sprint.start, 0, 9), "sprint_started", sprint.name))
            if sprint.state == SprintState.CLOSED:
                carried = self.carried(sprint, built)
                where = f"Sprint {sprint.number + 1}" if carried else "the backlog"
                detail = f"{sprint.name}: {plural(carried, 'unfinished item')} to {where}"
                logs.append(self.log(sprint.closed, "sprint_closed", detail))
        return logs

    def questions(
        self,
        spec: _ProductSpec,
        created: dict[str, dt.datetime],
        activities: list[ActivityRecord],
    ) -> list[QuestionRecord]:
        """The product's questions (``created``: when each item was); their history goes into
        ``activities``, naming each question by its id as the services do (``#12 ...``)."""
        questions = []
        for ref, each in enumerate(spec.questions):
            asked = self.at(each.days_ago, self.rng.randrange(9, 17), self.rng.randrange(60))
            if each.item is not None:
                asked = max(asked, created[each.item] + dt.timedelta(hours=2))
            answered_at = None
            if each.answer:
                answered_at = asked + dt.timedelta(hours=self.rng.randrange(2, 30))
            questions.append(
                QuestionRecord(
                    each.text,
                    asked,
                    each.item,
                    each.asker,
                    each.urgency,
                    each.state,
                    each.answer,
                    PRODUCT_OWNER if each.answer else "",
                    answered_at,
                    ref,
                )
            )
            activities.append(
                self.log(asked, "question_asked", each.text, each.item, each.asker, ref)
            )
            if answered_at is not None:
                activities.append(
                    self.log(answered_at, "question_answered", "", each.item, question=ref)
                )
            elif each.state == QuestionState.OBSOLETE:
                at = asked + dt.timedelta(days=3)
                activities.append(self.log(at, "question_obsolete", "", each.item, question=ref))
        return questions

    def status_updates(
        self, spec: _ProductSpec, activities: list[ActivityRecord]
    ) -> list[StatusUpdateRecord]:
        followers = tuple(name for name, _r, _o, keys in STAKEHOLDERS if spec.key in keys)
        updates = []
        for each in spec.status_updates:
            created = self.at(int(each["days_ago"]), 16)
            health, headline = str(each["health"]), str(each["headline"])
            updates.append(
                StatusUpdateRecord(
                    created_at=created,
                    period_start=(created - dt.timedelta(days=14)).date(),
                    period_end=created.date(),
                    health=health,
                    headline=headline,
                    progress=str(each["progress"]),
                    problems=str(each["problems"]),
                    schedule_outlook=str(each["schedule_outlook"]),
                    next_steps=str(each["next_steps"]),
                    recipients=followers,
                )
            )
            activities.append(self.log(created, "status_update", f"{health}: {headline}"))
        return updates

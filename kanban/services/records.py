"""Plain, immutable records the services return: no live ORM objects leave a session.

Named tuples, not frozen dataclasses: the window and every command-line call import this
module, and a dataclass has its methods compiled in every process (~1.2 ms each; a named
tuple a quarter of that). A record is changed with ``_replace``; it compares by its values.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple


class ProductInfo(NamedTuple):
    id: int
    key: str
    name: str
    vision: str
    archived: bool


class ColumnInfo(NamedTuple):
    id: int
    product_id: int
    name: str
    position: int
    wip_limit: int | None
    category: str


class LabelInfo(NamedTuple):
    id: int
    product_id: int
    name: str
    color: str


_EPOCH = dt.datetime(1970, 1, 1)  # SQLite's moments count seconds from it (storage.tables)
_SECOND = dt.timedelta(seconds=1)

PLAIN_REFINEMENT: tuple[int, int, int, tuple[str, ...], bool | None, tuple[str, ...]] = (
    0, 0, 0, (), None, ()
)  # fmt: skip
"""A card's refinement when it has none: no checklist, no comment, blocked by nothing, Ready
not asked."""


class Card(NamedTuple):
    """One item as the board and the backlog show it (a named row: cheap at 100,000).

    The refinement fields (``checklist_done`` ... ``not_ready_because``) are read from one
    tuple, ``refinement``, which most cards share (five fields fewer in each card: 4 MiB at
    100,000); the board's read also shares the strings many cards repeat (kind, names, label
    sets). Give a card its refinement with ``_replace(refinement=(done, total, comments,
    blocked_by, ready, not_ready_because))``.

    ``since`` holds the moment the card came into its column as the database gave it (SQLite's
    Unix seconds, PostgreSQL's datetime); :attr:`column_since` is it as a datetime, made when
    read: making 100,000 of them took a tenth of the board's read, for the few cards on screen.
    """

    id: int
    product_id: int
    key: str
    kind: str
    title: str
    points: float | None
    business_value: int | None
    column_id: int
    rank: str
    sprint_id: int | None
    assignee: str | None
    requested_by: str | None
    blocked_reason: str | None
    since: int | float | dt.datetime
    version: int
    labels: tuple[str, ...] = ()
    open_questions: int = 0
    refinement: tuple[int, int, int, tuple[str, ...], bool | None, tuple[str, ...]] = (
        PLAIN_REFINEMENT
    )
    epic_id: int | None = None
    release_id: int | None = None
    """The epic and the release the item belongs to (the board's swimlanes)."""

    @property
    def column_since(self) -> dt.datetime:
        """When the card came into its column (naive UTC)."""
        since = self.since
        if isinstance(since, dt.datetime):
            return since
        if isinstance(since, int):  # whole seconds, as SQLite holds most moments
            return _EPOCH + _SECOND * since
        return _EPOCH + dt.timedelta(0, since)

    @property
    def checklist_done(self) -> int:
        """Checklist lines checked off."""
        return self.refinement[0]

    @property
    def checklist_total(self) -> int:
        """Checklist lines."""
        return self.refinement[1]

    @property
    def comments(self) -> int:
        """Comments (not deleted)."""
        return self.refinement[2]

    @property
    def blocked_by(self) -> tuple[str, ...]:
        """Keys of the unfinished items that block this one."""
        return self.refinement[3]

    @property
    def ready(self) -> bool | None:
        """Whether it meets its product's Definition of Ready; None when that is not asked of
        it (an epic, or an item already started)."""
        return self.refinement[4]

    @property
    def not_ready_because(self) -> tuple[str, ...]:
        """One sentence per unmet rule of the Definition of Ready."""
        return self.refinement[5]


class Board(NamedTuple):
    """A product's board: its columns in order and its cards in rank order."""

    product: ProductInfo
    columns: tuple[ColumnInfo, ...]
    cards: tuple[Card, ...]


class ItemDetail(NamedTuple):
    """Every field of one item, for the item editor."""

    id: int
    product_id: int
    key: str
    number: int
    kind: str
    title: str
    description: str
    points: float | None
    business_value: int | None
    column_id: int
    column_name: str
    rank: str
    sprint_id: int | None
    epic_id: int | None
    assignee_id: int | None
    requested_by_id: int | None
    due_date: dt.date | None
    blocked_reason: str | None
    labels: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    column_since: dt.datetime
    started_at: dt.datetime | None
    done_at: dt.datetime | None
    archived: bool
    version: int
    saved: tuple[tuple[str, tuple[dict[str, Any], ...]], ...] = ()
    """A deleted item's checklist, comments, links... as stored (undo brings them back)."""
    release_id: int | None = None
    """The release the item is planned into."""
    # The scoring inputs (``kanban.metrics.scoring``): WSJF's, then RICE's.
    time_criticality: float | None = None
    risk_reduction: float | None = None
    job_size: float | None = None
    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = None


class Moved(NamedTuple):
    """One card a move placed elsewhere: where it was before, to take the move back exactly.

    ``transition_id`` is the transition the move wrote (None when it stayed in its column);
    taking the move back deletes it, so the flow metrics never see a trip that was undone.
    A service that moves items inside its own transaction (a sprint's close) builds one from
    the item's fields before ``items.enter_column`` and the Transition it returns (its id once
    flushed), so ``items.revert_moves`` can take that move back too.
    """

    item_id: int
    from_column_id: int
    from_rank: str
    from_column_since: dt.datetime
    from_started_at: dt.datetime | None
    from_done_at: dt.datetime | None
    to_column_id: int
    to_rank: str
    transition_id: int | None


class Change(NamedTuple):
    """What one operation on items changed (one transaction), as a screen needs to show it.

    Every multi-item service of ``kanban.services.items`` returns one, and the UI hands it on
    as it is (``AppContext.publish``). All fields are optional; an operation fills those it
    touched:

    * ``cards``: live items added, edited, moved or restored, as they are now (operation order);
    * ``removed``: ids of items that are no longer live (archived or deleted);
    * ``moves``: for each card a move placed elsewhere, where it came from (``revert_moves``);
    * ``deleted``: deleted items' last full state (``restore_items`` re-creates them);
    * ``details``: edited items' every field as now (an editor shows them);
    * ``previous``: edited items' every field as before (an undo writes the old values back).
    """

    cards: tuple[Card, ...] = ()
    removed: tuple[int, ...] = ()
    moves: tuple[Moved, ...] = ()
    deleted: tuple[ItemDetail, ...] = ()
    details: tuple[ItemDetail, ...] = ()
    previous: tuple[ItemDetail, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the operation changed nothing (e.g. cards dropped on their own place)."""
        return not (self.cards or self.removed or self.deleted)


class HistoryEntry(NamedTuple):
    """One line of an item's history: a move between columns or an activity."""

    at: dt.datetime
    actor: str
    action: str
    detail: str


class SprintInfo(NamedTuple):
    id: int
    product_id: int
    name: str
    goal: str
    start_date: dt.date | None
    end_date: dt.date | None
    state: str
    started_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    goal_met: bool | None = None
    """The product owner's verdict at closing (None: not said)."""
    capacity_unit: str = "points"
    """A ``CapacityUnit``: what the members' capacities count."""

    @property
    def days(self) -> int | None:
        """The planned length in days, both ends counted (None without both dates)."""
        if self.start_date is None or self.end_date is None:
            return None
        return (self.end_date - self.start_date).days + 1


class SprintStep(NamedTuple):
    """A sprint started or closed (one transaction), with what it takes to undo it exactly.

    ``change`` holds the items the step moved or re-planned: ``cards`` as now, ``moves`` for
    those that changed columns (the start's Backlog → To Do, a closing's To Do → Backlog) and
    ``previous`` for those whose sprint changed (a closing's unfinished items).
    """

    sprint: SprintInfo
    """The sprint as the step left it."""
    before: SprintInfo
    """The sprint as it was."""
    change: Change
    carried_to: SprintInfo | None = None
    """A closing's target for the unfinished items (None: the backlog)."""
    entries_added: tuple[int, ...] = ()
    """The ``sprint_entries`` rows the step opened."""
    entries_ended: tuple[int, ...] = ()
    """The ``sprint_entries`` rows the step closed (items that left the sprint)."""

    @property
    def left(self) -> int:
        """How many items left the sprint (a closing's unfinished items)."""
        return len(self.change.previous)


class MemberCapacity(NamedTuple):
    """One team member's capacity in a sprint and their days off; ``available`` is the
    capacity less the share of the sprint's working days they are off."""

    member_id: int
    name: str
    capacity: float
    days_off: float
    available: float


class SprintCapacity(NamedTuple):
    """A sprint's capacity per member beside what is planned into it."""

    sprint_id: int
    unit: str
    """A ``CapacityUnit``: points, or person-days."""
    working_days: int
    """Monday to Friday days between the sprint's dates (0 without dates)."""
    members: tuple[MemberCapacity, ...]
    planned_points: float
    planned_items: int

    @property
    def total(self) -> float:
        """What the team can take on, days off counted."""
        return sum(m.available for m in self.members)


class MemberInfo(NamedTuple):
    id: int
    name: str
    role: str
    archived: bool


class StakeholderInfo(NamedTuple):
    id: int
    name: str
    role: str
    organization: str
    contact: str
    notes: str
    archived: bool
    product_ids: tuple[int, ...]
    email: str = ""
    """Where their status reports go (``kanban report --format eml``, Email… in the app)."""


class QuestionInfo(NamedTuple):
    id: int
    product_id: int
    item_id: int | None
    item_key: str | None
    asked_by: str | None
    asked_at: dt.datetime
    text: str
    urgency: str
    state: str
    answer: str
    answered_by: str
    answered_at: dt.datetime | None


class QuestionEvent(NamedTuple):
    """One line of a question's history (from the activity log)."""

    at: dt.datetime
    actor: str
    action: str
    """``asked``, ``answered``, ``answer_replaced``, ``reopened``, ``obsolete``, ``restored``."""
    text: str
    """The question asked, the answer given, replaced or restored ("" if not recorded)."""


class BackupInfo(NamedTuple):
    """One backup file in a database's backups folder."""

    path: Path
    made_at: dt.datetime
    """Local time, from the file's name."""
    size: int


class RestoreResult(NamedTuple):
    """What a restore did: the database it wrote and where the replaced one was kept."""

    database: Path
    kept_aside: Path | None
    """A copy of the database as it was before the restore (None if there was none)."""


class CheckFinding(NamedTuple):
    """One problem a database check found."""

    check: str
    """Which check: ``integrity``, ``references``, ``ranks``, ``item numbers``, ``products``."""
    problem: str


class DatabaseCheck(NamedTuple):
    """What a check of the whole database found (see ``services.check``)."""

    database: str
    checks: tuple[str, ...]
    findings: tuple[CheckFinding, ...]

    @property
    def sound(self) -> bool:
        """Whether every check passed."""
        return not self.findings


class StatusUpdateInfo(NamedTuple):
    id: int
    product_id: int
    created_at: dt.datetime
    period_start: dt.date
    period_end: dt.date
    health: str
    headline: str
    progress: str
    problems: str
    schedule_outlook: str
    next_steps: str
    recipient_ids: tuple[int, ...]
    snapshot: dict[str, object]
    target_date: dt.date | None = None
    """The product's target when the update was saved, and the forecast then (50%, 85%)."""
    forecast_p50: dt.date | None = None
    forecast_p85: dt.date | None = None


class ChecklistLine(NamedTuple):
    """One acceptance criterion of an item; ``number`` counts from 1 in the item's order."""

    id: int
    item_id: int
    number: int
    text: str
    done: bool
    done_at: dt.datetime | None


class TemplateLine(NamedTuple):
    """A line every new item of a product (of ``kind``, or of every kind) starts with."""

    id: int
    product_id: int
    kind: str | None
    position: int
    text: str


class CommentInfo(NamedTuple):
    id: int
    item_id: int
    author: str
    at: dt.datetime
    text: str
    edited_at: dt.datetime | None
    deleted: bool


class LinkInfo(NamedTuple):
    """A link between two items as one of them sees it: ``role`` is a ``LinkRole``
    (``A blocks B`` is seen from B as ``blocked_by``)."""

    id: int
    role: str
    other_id: int
    other_key: str
    other_title: str
    other_done: bool
    """The other item is finished (in a done column, or archived)."""


class ResourceInfo(NamedTuple):
    """A link from an item to a URL or a local path, with a title."""

    id: int
    item_id: int
    title: str
    target: str


class RuleInfo(NamedTuple):
    """One line of a product's Definition of Ready or Done (``id`` None: the built-in
    definition, not written yet)."""

    id: int | None
    product_id: int
    definition: str
    rule: str
    text: str
    enabled: bool
    label: str
    """The line as the definition reads (the built-in rule's wording, or the custom text)."""


class RuleCheck(NamedTuple):
    """One enabled rule of a definition, for one item: met, or why not."""

    rule: RuleInfo
    met: bool
    reason: str


class Readiness(NamedTuple):
    """An item against one definition: whether it meets it, and each enabled rule."""

    definition: str
    met: bool
    checks: tuple[RuleCheck, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why it does not meet the definition, one plain sentence a reason."""
        return tuple(c.reason for c in self.checks if not c.met)


class Refinement(NamedTuple):
    """Everything refinement knows about one item: the item editor's tabs, `kanban show`."""

    item_id: int
    key: str
    checklist: tuple[ChecklistLine, ...]
    comments: tuple[CommentInfo, ...]
    links: tuple[LinkInfo, ...]
    resources: tuple[ResourceInfo, ...]
    open_questions: tuple[QuestionInfo, ...]
    ready: Readiness
    done: Readiness


class PointsScale(NamedTuple):
    """A product's points scale and how its open work items stand against it."""

    product_id: int
    values: tuple[float, ...]
    off_scale: int
    """Open work items whose points are not on the scale."""
    unestimated: int
    """Open work items without points."""


class Found(NamedTuple):
    """One hit of a search across products (``kanban.services.search``): an item or a
    question, with what a list row shows of it."""

    kind: str
    """``item`` or ``question``."""
    id: int
    product_id: int
    product_key: str
    label: str
    """An item's key (``WEB-12``) or a question's number (``#5``)."""
    text: str
    """An item's title, a question's text."""
    where: str
    """An item's column, a question's state."""


class ReleaseInfo(NamedTuple):
    """A release (a version of a product) with what is assigned to it now: live work items
    (no epics), and those of them in a 'done' column."""

    id: int
    product_id: int
    name: str
    description: str
    target_date: dt.date | None
    state: str
    """A ``ReleaseState``."""
    released_on: dt.date | None
    notes: str
    """The release notes as edited (empty: drafted from the done items)."""
    items: int = 0
    done_items: int = 0
    points: float = 0.0
    done_points: float = 0.0


class ReleaseOutlook(NamedTuple):
    """A release and its own Monte Carlo forecast (``kanban.metrics.forecast``, the default
    window, runs and seed) against its target date."""

    release: ReleaseInfo
    remaining: int
    """Open work items the forecast is about."""
    p50: dt.date | None
    p85: dt.date | None
    late_days: int | None
    """Days the 85% date falls after the target (negative: before; None: no target or no
    forecast)."""
    reason: str
    """Why there is no forecast ('' when there is one, or the release is released)."""

    @property
    def late(self) -> bool:
        """Whether the 85% date misses the target."""
        return self.late_days is not None and self.late_days > 0


class ReleaseTargetMove(NamedTuple):
    """A release's target date moved (one ``target_changes`` row), for an exact undo."""

    release: ReleaseInfo
    change_id: int | None
    """The ``target_changes`` row written (None: the target was already that)."""
    previous: dt.date | None


class NoteLine(NamedTuple):
    """One done item of a release's notes."""

    key: str
    kind: str
    title: str


class ReleaseNotes(NamedTuple):
    """A release's notes: its done items grouped by kind, and the Markdown text (the edited
    notes, else drafted from those items)."""

    product_key: str
    product_name: str
    release: ReleaseInfo
    groups: tuple[tuple[str, tuple[NoteLine, ...]], ...]
    """``(kind, lines)`` in the order of ``ItemKind``, kinds without a done item left out."""
    markdown: str
    drafted: bool
    """True when ``markdown`` is the draft (no edited notes saved)."""


class PortfolioRow(NamedTuple):
    """One product of the portfolio: its latest health, its date against the forecast, its
    flow and what waits on the product owner (``kanban.services.portfolio``)."""

    product: ProductInfo
    health: str | None
    """The latest status update's ``Health`` (None: no update yet)."""
    health_date: dt.date | None
    target: dt.date | None
    forecast_p50: dt.date | None
    forecast_p85: dt.date | None
    """The backlog's forecast today (``kanban forecast PRODUCT``'s defaults)."""
    delay_days: int | None
    """Days the 85% date falls after the target (negative: before it)."""
    forecast_reason: str
    """Why there is no forecast ('' when there is)."""
    done_4_weeks: int
    """Work items finished in the last 28 days, today included."""
    in_progress: int
    """Live work items in 'doing' columns."""
    over_wip_columns: tuple[str, ...]
    """Columns holding more cards than their WIP limit."""
    blocked: int
    open_questions: int
    oldest_question_days: int | None
    next_release: ReleaseOutlook | None
    """The planned release with the earliest target (else the first planned one)."""

    @property
    def id(self) -> int:
        """The product's id (a row of the portfolio is a product)."""
        return self.product.id

    @property
    def late(self) -> bool:
        """Whether the 85% date misses the target."""
        return self.delay_days is not None and self.delay_days > 0


class RoadmapLine(NamedTuple):
    """One line of the roadmap: a release or an epic, its target date and its forecast."""

    kind: str
    """``release`` or ``epic``."""
    ref_id: int
    """The release's id, or the epic's item id."""
    name: str
    """A release's name; an epic's key and title."""
    target: dt.date | None
    """A release's target date, an epic's due date."""
    p50: dt.date | None
    p85: dt.date | None
    late_days: int | None
    remaining: int
    reason: str
    """Why there is no forecast ('' when there is one, or the line is finished)."""
    done: bool
    """A released release, an epic with nothing left to do."""

    @property
    def late(self) -> bool:
        """Whether the 85% date misses the target."""
        return self.late_days is not None and self.late_days > 0


class ImportInfo(NamedTuple):
    """A file imported earlier (the ``imports`` table): to ask before importing it again."""

    id: int
    product_id: int | None
    source: str
    file_name: str
    sha256: str
    at: dt.datetime
    summary: dict[str, Any]
    """``{"created": {table: rows}, "notes": [lines of the import's report]}``."""


class ScoreProposal(NamedTuple):
    """A product's not-started items scored by one method, in the proposed order
    (``kanban.metrics.scoring.propose``), with the formula that made it."""

    product_key: str
    method: str
    """A ``ScoreMethod``."""
    formula: str
    rows: tuple[Any, ...]
    """``kanban.metrics.scoring.Scored`` rows, in the proposed order."""

    @property
    def moves(self) -> int:
        """How many items the proposal moves."""
        return sum(1 for row in self.rows if row.proposed_rank != row.inputs.rank)


class Reordered(NamedTuple):
    """A reorder applied (one transaction): the cards as now, and each moved item's rank
    before (an undo passes ``previous`` to ``scoring.set_ranks``)."""

    change: Change
    previous: tuple[tuple[int, str], ...]

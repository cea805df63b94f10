"""Helpers of the report tests: the sample product, and reading HTML and PDF text back."""

from __future__ import annotations

import html.parser
import unicodedata
from dataclasses import dataclass

from kanban.services import Database
from kanban.services.items import add_item, archive_item, delete_item, edit_item, move_item
from kanban.services.people import add_member, add_stakeholder
from kanban.services.products import list_columns
from kanban.services.questions import answer_question, ask_question
from kanban.services.records import ProductInfo
from kanban.services.sprints import create_sprint, set_sprint_items, start_sprint

SCRIPT = "<script>alert(1)</script>"
FORMULAS = ('=HYPERLINK("http://evil.example","click")', "+1 for later", "-5 below", "@SUM(A1)")


@dataclass(frozen=True)
class Sample:
    """What the sample product holds, by the keys the tests look for."""

    db: Database
    product: ProductInfo
    columns: dict[str, int]
    done: str
    in_progress: tuple[str, ...]
    blocked: str
    archived: str
    deleted: str
    stakeholder_id: int


def build_sample(db: Database, product: ProductInfo) -> Sample:
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


def plain(text: str) -> str:
    """Text with ligatures unfolded and all runs of white space as one space (PDF extracts)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


class Page(html.parser.HTMLParser):
    """An HTML document as the browser sees it: its tags, attributes and visible text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.cells: list[list[str]] = []
        self._skip = 0
        self._in_cell = False
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1
        if tag == "tr":
            self.cells.append([])
        if tag in ("td", "th") and self.cells:
            self.cells[-1].append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1
        if tag in ("td", "th", "tr", "table"):
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.texts.append(data)
        if self._in_cell:
            self.cells[-1][-1] += data

    @property
    def text(self) -> str:
        return plain(" ".join(self.texts))

    def rows(self) -> list[list[str]]:
        """Every table row as its cells' plain text."""
        return [[plain(c) for c in row] for row in self.cells]

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

"""Helpers of the report tests: the sample's shape, and reading HTML and PDF text back."""

from __future__ import annotations

import html.parser
import unicodedata
from dataclasses import dataclass

from kanban.services import Database
from kanban.services.records import ProductInfo

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

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.texts.append(data)
        if self.cells and self.cells[-1]:
            self.cells[-1][-1] += data

    @property
    def text(self) -> str:
        return plain(" ".join(self.texts))

    def rows(self) -> list[list[str]]:
        """Every table row as its cells' plain text."""
        return [[plain(c) for c in row] for row in self.cells]

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

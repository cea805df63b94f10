"""Export injection (issue 8.8): hostile text in every field a report or an export shows.

Each round fills two databases the same way, one with hostile text (markup, script, formula
starts, template syntax, header injection, terminal controls, bidi overrides, in random
combinations) and one with plain text in the same places: a product's name and vision, item
titles, questions and who asked them, a stakeholder (name, e-mail address), a status update's
headline. Then, through the command line (``kanban.cli.main``): the report as HTML, as
Markdown (also turned into HTML, as a viewer would), as CSV and as an e-mail message, and
the JSON export imported into a new file. The hostile output must have the plain one's
structure exactly: the same HTML elements and attributes in the same order (no element,
no ``on...`` attribute, no ``javascript:`` link of its own), the same CSV shape with no cell
a spreadsheet runs as a formula, the same e-mail headers; and the import must give back
every text byte for byte.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import email
import email.policy
import io
import json
import random
import tempfile
import time
import traceback
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from benchmarks.torture.common import Figures

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<a href='javascript:alert(1)'>click</a>",
    "[click](javascript:alert(1))",
    "![x](http://evil.example/x.png)",
    "<style>*{display:none}</style>",
    "<!-- ",
    "]]>",
    "{{ 7*7 }}",
    "{% for x in range(9) %}",
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "x\r\nBcc: evil@example.com",
    "\x1b]0;pwned\x07",
    "\u202egnp.exe",
    "&amp;&lt;",
    "' OR 1=1 --",
    "| a | b |",
    "# heading",
    "\\",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Structure(HTMLParser):
    """The elements and attribute names of an HTML document, in order; the dangerous ones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[str] = []
        self.dangers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append(f"<{tag} {' '.join(sorted(name for name, _ in attrs))}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.dangers.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "iframe", "object", "embed"):
            self.dangers.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.shape.append(f"</{tag}>")


def structure(text: str) -> _Structure:
    parser = _Structure()
    parser.feed(text)
    parser.close()
    return parser


def run_cli(*args: str) -> tuple[int, str, str]:
    from kanban import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except BaseException:
            code = -1
            err.write(traceback.format_exc())
    return code, out.getvalue(), err.getvalue()


def fill(path: Path, texts: list[str]) -> None:
    """A product whose every user-written field holds one of ``texts`` (in order)."""
    from kanban.services import open_database
    from kanban.services.items import add_item
    from kanban.services.people import add_stakeholder
    from kanban.services.products import create_product
    from kanban.services.questions import ask_question
    from kanban.services.status_updates import create_status_update

    it = iter(texts)
    db = open_database(str(path))
    try:
        product = create_product(db, "WEB", f"Shop {next(it)}", vision=next(it))
        for _ in range(4):
            add_item(db, "WEB", f"Story {next(it)}")
        for number in range(1, 4):
            ask_question(db, "WEB", f"Q {next(it)}", item_ref=f"WEB-{number}", asked_by=next(it))
        add_stakeholder(db, f"Boss {next(it)}", product_ids=[product.id], email="boss@example.com")
        today = dt.date.today()
        create_status_update(
            db, "WEB", health="at_risk", period_start=today - dt.timedelta(days=14),
            period_end=today, headline=next(it), problems=next(it),
        )  # fmt: skip
    finally:
        db.close()


FIELDS = 15
"""How many texts :func:`fill` takes."""


def _outputs(folder: Path, db: Path) -> dict[str, str]:
    """The report in each text format, through the command line."""
    import markdown

    outputs: dict[str, str] = {}
    for fmt in ("html", "md", "csv", "eml"):
        out = folder / f"{db.stem}.{fmt}"
        code, _, err = run_cli("--db", str(db), "report", "WEB", "--format", fmt, "-o", str(out))
        if code != 0:
            raise RuntimeError(f"report --format {fmt} exited {code}: {err.strip()[-300:]}")
        outputs[fmt] = out.read_bytes().decode("utf-8")
    outputs["md as html"] = markdown.markdown(outputs["md"], extensions=["tables"])
    return outputs


def _texts(export: dict[str, Any]) -> list[str]:
    """Every string in a JSON export's data, in document order (not the export's own
    top-level strings: when it was made)."""
    found: list[str] = []
    export = {key: value for key, value in export.items() if not isinstance(value, str)}

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(export)
    return found


def one_round(folder: Path, rng: random.Random, figures: Figures) -> None:
    """One hostile database against its plain twin (see the module docstring)."""
    hostile = []
    for _ in range(FIELDS):
        text = rng.choice(HOSTILE)
        if rng.random() < 0.4:
            text = f"{text} {rng.choice(HOSTILE)}"
        hostile.append(text)
    plain = [f"plain {n}" for n in range(FIELDS)]
    paths = {"hostile": folder / "hostile.db", "plain": folder / "plain.db"}
    fill(paths["hostile"], hostile)
    fill(paths["plain"], plain)
    bad, good = _outputs(folder, paths["hostile"]), _outputs(folder, paths["plain"])
    for fmt in ("html", "md as html"):
        mine, theirs = structure(bad[fmt]), structure(good[fmt])
        if mine.dangers or mine.shape != theirs.shape:
            figures.corrupt += 1
            extra = [t for t in mine.shape if t not in theirs.shape][:3]
            figures.note(f"{fmt}: {mine.dangers[:3] or extra} from {hostile}")
    rows, plain_rows = (
        list(csv.reader(io.StringIO(bad["csv"]))),
        list(csv.reader(io.StringIO(good["csv"]))),
    )
    formulas = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    if formulas or [len(r) for r in rows] != [len(r) for r in plain_rows]:
        figures.corrupt += 1
        figures.note(f"csv: {formulas[:3] or 'another shape'}")
    message = email.message_from_string(bad["eml"], policy=email.policy.default)
    twin = email.message_from_string(good["eml"], policy=email.policy.default)
    if sorted(message.keys()) != sorted(twin.keys()) or message.defects:
        figures.corrupt += 1
        figures.note(f"eml headers: {sorted(message.keys())} ({message.defects})")

    exported, copy = folder / "export.json", folder / "copy.db"
    code, _, err = run_cli("--db", str(paths["hostile"]), "export", "json", "-o", str(exported))
    again = folder / "again.json"
    if code == 0:
        code, _, err = run_cli("--db", str(copy), "import", "json", str(exported))
    if code == 0:
        code, _, err = run_cli("--db", str(copy), "export", "json", "-o", str(again))
    if code != 0:
        figures.tracebacks += int(code == -1 or "Traceback" in err)
        figures.corrupt += 1
        figures.note(f"json round trip exited {code}: {err.strip()[-200:]}")
    else:
        before, after = (
            _texts(json.loads(path.read_text(encoding="utf-8"))) for path in (exported, again)
        )
        changed = sorted(set(before) ^ set(after))
        if changed or sorted(before) != sorted(after):
            figures.lost += 1
            figures.note(f"json round trip changed the text: {changed[:3]}")
    figures.acknowledged += FIELDS


def torture(folder: Path, rounds: int, seconds: float, seed: int = 1) -> Figures:
    """``rounds`` rounds (fewer if ``seconds`` run out first); the figures."""
    figures = Figures("export injection (html, md, csv, eml, json)")
    start = time.perf_counter()
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    n = 0
    while n < rounds and time.monotonic() < deadline:
        n += 1
        place = folder / f"round-{n}"
        place.mkdir()
        try:
            one_round(place, rng, figures)
        except Exception:
            figures.tracebacks += 1
            figures.note(traceback.format_exc()[-400:])
    figures.counts["rounds"] = n
    figures.note(f"{n} rounds of {FIELDS} hostile fields each, 5 outputs per round")
    figures.seconds = time.perf_counter() - start
    return figures


def run(*, seconds: float = 60, rounds: int = 200, seed: int = 1) -> list[Figures]:
    """The rounds, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kanban-exports-") as name:
        return [torture(Path(name), rounds, seconds, seed)]

"""The sprint review pack as Markdown, HTML or PDF, written atomically.

HTML embeds the burndown as inline SVG, the PDF draws it as vectors, Markdown written to a file
(``-o review.md``) links ``review-burndown.png`` written beside it; Markdown to stdout has no
picture (there is nowhere to put it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from kanban.errors import ValidationError
from kanban.files import write_atomically
from kanban.reports import text
from kanban.reports.markdown import escape, escape_line
from kanban.reports.review import ReviewItem, SprintReview, build_review, points
from kanban.reports.templates import environment
from kanban.services import Database

REVIEW_FORMATS = ("md", "html", "pdf")
TEMPLATE = "sprint_review.html.j2"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return [*lines, *("| " + " | ".join(row) + " |" for row in rows), ""]


def _items(rows: Sequence[ReviewItem], header: Sequence[str], empty: str) -> list[str]:
    if not rows:
        return [f"_{empty}_", ""]
    cells: dict[str, Callable[[ReviewItem], str]] = {
        "Key": lambda i: escape(i.key),
        "Title": lambda i: escape(i.title),
        "Kind": lambda i: i.kind,
        "Points": lambda i: text.points(i.points),
        "Column": lambda i: escape(i.column),
        "Done": lambda i: text.day(i.done),
        "Came in": lambda i: text.day(i.joined),
        "Taken out": lambda i: text.day(i.left),
        "Went to": lambda i: escape(i.carried_to or "the backlog"),
    }
    return _table(header, [[cells[h](i) for h in header] for i in rows])


def review_markdown(review: SprintReview, images: Mapping[str, str] | None = None) -> str:
    """The review as Markdown, user text escaped; ``images`` the burndown's PNG file name
    beside it (by picture name), when written to a file."""
    s, pts = review.sprint, text.points
    committed_done = review.committed_done
    out = [
        f"# {escape(s.name)}: sprint review",
        "",
        f"**Product:** {escape(review.product_name)} ({escape(review.product_key)})  ",
        f"**Dates:** {text.day(s.start_date)} to {text.day(s.end_date)}, "
        f"closed {text.day(review.closed_on)}  ",
        f"**Sprint goal:** {escape(s.goal) or '_none was set_'}  ",
        f"**Goal:** {review.goal_verdict}",
        "",
        "## Committed against done",
        "",
    ]
    out += _table(
        ("", "Items", "Points"),
        [
            ("Committed at the start", str(len(review.committed)), pts(review.committed_points)),
            ("Added after the start", str(len(review.added)), pts(points(review.added))),
            (
                "Taken out before the closing",
                str(len(review.removed)),
                pts(points(review.removed)),
            ),
            ("**Done by the closing**", str(len(review.done)), pts(review.done_points)),
            ("Of the committed, done", str(len(committed_done)), pts(points(committed_done))),
            ("Carried over", str(len(review.carried)), pts(points(review.carried))),
        ],
    )
    if not review.recorded:
        out += [
            "_This sprint's scope over time was not recorded (it ran before the app kept "
            "sprint entries): committed is its items now, and where unfinished items went is "
            "not known._",
            "",
        ]
    out += ["## Burndown", ""]
    if images and "burndown" in images:
        out += [f"![Burndown of {escape(s.name)}]({quote(images['burndown'])})", ""]
    if review.burn.days:
        last = review.burn.days[-1]
        out += [
            f"At the closing, {pts(last.remaining_points)} of {pts(last.scope_points)} points "
            f"({text.plural(last.remaining_items, 'item')}) were not done; the ideal line runs "
            f"from the {pts(review.burn.committed_points)} points in scope at the end of the "
            f"first day to zero on {text.day(s.end_date)}.",
            "",
        ]
    else:
        out += ["_The sprint has no dates: there is no burndown._", ""]
    out += [f"## Done ({len(review.done)}, {text.points_phrase(review.done_points)})", ""]
    out += _items(review.done, ("Key", "Title", "Kind", "Points", "Done"), "Nothing was finished.")
    out += [
        f"## Carried over ({len(review.carried)}, {text.points_phrase(points(review.carried))})",
        "",
    ]
    out += _items(
        review.carried,
        ("Key", "Title", "Points", "Column", "Went to"),
        "Nothing was left unfinished." if review.recorded else "Not recorded for this sprint.",
    )
    added = text.points_phrase(points(review.added))
    out += [f"## Added after the start ({len(review.added)}, {added})", ""]
    out += _items(
        review.added,
        ("Key", "Title", "Kind", "Points", "Came in"),
        "No item came in after the start.",
    )
    if review.removed:
        out += [f"## Taken out before the closing ({len(review.removed)})", ""]
        out += _items(review.removed, ("Key", "Title", "Points", "Taken out"), "")
    out += [
        f"## Committed at the start ({len(review.committed)}, "
        f"{text.points_phrase(review.committed_points)})",
        "",
    ]
    if review.committed:
        out += _table(
            ("Key", "Title", "Points", "Outcome"),
            [
                (escape(i.key), escape(i.title), pts(i.points), escape(review.outcome(i)))
                for i in review.committed
            ],
        )
    else:
        out += ["_Nothing was in the sprint when it started._", ""]
    out += [f"## Questions answered in the sprint ({len(review.questions)})", ""]
    if review.questions:
        out += _table(
            ("#", "Question", "Item", "Answer", "By", "Answered"),
            [
                (
                    str(q.id),
                    escape(q.text),
                    escape(q.item_key or ""),
                    escape(q.answer),
                    escape(q.answered_by),
                    text.day(q.answered_on),
                )
                for q in review.questions
            ],
        )
    else:
        out += ["_No question was answered while the sprint ran._", ""]
    out += [
        escape_line(
            "Committed: in the sprint when it started; carried over: unfinished at the "
            "closing, sent to the next sprint or the backlog. Dates are UTC days."
        )
    ]
    return "\n".join(out).rstrip() + "\n"


def review_html(
    review: SprintReview, qt: bool = False, pictures: Mapping[str, object] | None = None
) -> str:
    """The review as HTML: for a browser, or (``qt``) for QTextDocument; ``pictures`` the
    burndown's markup by name (inline SVG, or the PDF's chart mark)."""
    return (
        environment()
        .get_template(TEMPLATE)
        .render(review=review, qt=qt, pictures=pictures or {}, points=points)
    )


def render_review(review: SprintReview, fmt: str, images: Mapping[str, str] | None = None) -> bytes:
    """A built review in ``md``, ``html`` or ``pdf``, as bytes (text in UTF-8)."""
    if fmt == "md":
        return review_markdown(review, images).encode("utf-8")
    if fmt not in REVIEW_FORMATS:
        raise ValidationError(
            f"Unknown review format {fmt!r}; choose one of {', '.join(REVIEW_FORMATS)}"
        )
    from kanban.reports.pictures import burndown_pictures, inline_svg  # Qt: on use

    pictures = {p.name: p for p in burndown_pictures(review.burn)}
    if fmt == "html":
        svg = {name: inline_svg(p) for name, p in pictures.items()}
        return review_html(review, pictures=svg).encode("utf-8")
    from kanban.reports.chart_objects import chart_marks
    from kanban.reports.pdf import html_pdf

    return html_pdf(
        review_html(review, qt=True, pictures=chart_marks(pictures)),
        pictures,
        title=review.title,
        footer=f"{review.product_name} ({review.product_key}): review of {review.sprint.name}",
    )


def write_review(
    db: Database,
    product_ref: str | int,
    sprint: str | int | None,
    fmt: str,
    output: Path | None,
) -> bytes:
    """Build a closed sprint's review (default: the one closed last) and render it; with
    ``output``, write it there atomically (Markdown: its burndown PNG beside it, named
    ``STEM-burndown.png``). Returns the review's bytes.

    Raises:
        NotFoundError: No such product or sprint, or no closed sprint.
        ValidationError: The sprint is not closed, an unknown format, or a PDF without a file.
        FileWriteError: The file cannot be written; nothing is left behind.
    """
    if fmt not in REVIEW_FORMATS:
        raise ValidationError(
            f"Unknown review format {fmt!r}; choose one of {', '.join(REVIEW_FORMATS)}"
        )
    if fmt == "pdf" and output is None:
        raise ValidationError("A PDF review needs an output file (-o FILE)")
    review = build_review(db, product_ref, sprint)
    if output is None:
        return render_review(review, fmt)
    output = Path(output)
    beside: dict[str, tuple[Path, bytes]] = {}
    if fmt == "md":
        from kanban.reports.pictures import burndown_pictures, png_files  # Qt: on use

        for name, data in png_files(burndown_pictures(review.burn)).items():
            beside[name] = (output.with_name(f"{output.stem}-{name}.png"), data)
    images = {name: path.name for name, (path, _data) in beside.items()}
    data = render_review(review, fmt, images)
    write_atomically(output, data)  # first: a review that cannot be written leaves nothing
    for path, content in beside.values():
        write_atomically(path, content)
    return data

"""The status report as Markdown (GitHub-flavoured tables), user text escaped."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote

from kanban.metrics.records import week_label
from kanban.reports import text
from kanban.reports.model import ItemList, QuestionList, Refinement, ReportItem, StatusReport

# Characters that make Markdown out of plain text; parentheses and '!' need no escape, since
# no '[' can open a link or an image. HTML's < > & become entities: every Markdown dialect
# shows those as text, while some leave a backslash-escaped '<' open to raw HTML.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_HEADING = re.compile(r"^(\s*)#")


def escape_line(line: str) -> str:
    """One line of plain text that Markdown shows as it is (no heading, markup or HTML)."""
    return _HEADING.sub(r"\1\\#", _SPECIAL.sub(r"\\\1", line).translate(_ENTITIES))


def escape(value: str) -> str:
    """Plain text that Markdown shows as it is: specials backslash-escaped, lines joined."""
    return escape_line(" ".join(value.split()))


def _paragraphs(value: str) -> str:
    """Multi-line user text: each line escaped, line breaks kept."""
    return "  \n".join(escape_line(line) for line in value.strip().splitlines())


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _items(
    section: ItemList,
    header: Sequence[str],
    cells: Callable[[ReportItem], Sequence[str]],
    empty: str,
) -> list[str]:
    if not section.items:
        return [f"_{empty}_", ""]
    lines = _table(header, [cells(i) for i in section.items])
    if section.more:
        lines += [f"_… and {section.more} more._", ""]
    return lines


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _questions(section: QuestionList, answered: bool, empty: str) -> list[str]:
    if not section.items:
        return [f"_{empty}_", ""]
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    if answered:
        header = ("#", "Question", "Answer", "By", "Answered")
        rows = [
            (
                str(q.id),
                escape(q.text),
                escape(q.answer),
                escape(q.answered_by),
                text.day(q.answered_on),
            )
            for q in section.items
        ]
    else:
        header = ("#", "Question", "Item", "Asked by", "Urgency", "Days open")
        rows = [
            (
                str(q.id),
                escape(q.text),
                q.item_key or "",
                escape(q.asked_by or ""),
                q.urgency,
                str(q.days_open),
            )
            for q in section.items
        ]
    lines = _table(header, rows)
    if section.more:
        lines += [f"_… and {section.more} more._", ""]
    return lines


def _key_title(item: ReportItem) -> tuple[str, str]:
    return escape(item.key), escape(item.title)


def _refinement(r: Refinement) -> list[str]:
    """The sprint's items that are not Ready, and the chains of items waiting on others."""
    if not r.recorded:
        return []
    out: list[str] = []
    if r.sprint is not None:
        out += [f"## Not Ready in {escape(r.sprint)} ({r.not_ready_count})", ""]
        if r.not_ready:
            out += _table(
                ("Key", "Title", "Why not"),
                [
                    (escape(x.key), escape(x.title), escape(" ".join(x.reasons)))
                    for x in r.not_ready
                ],
            )
            more = r.not_ready_count - len(r.not_ready)
            if more:
                out += [f"_…and {more} more._", ""]
        else:
            out += ["_Every item of the sprint not started yet is Ready._", ""]
    out += [f"## Waiting on unfinished items ({len(r.chains)})", ""]
    if r.chains:
        out += [f"- {text.chain_sentence(chain.keys, chain.titles, escape)}" for chain in r.chains]
        out.append("")
    else:
        out += ["_No unfinished item waits on another._", ""]
    return out


CHART_TITLES = {
    "forecast": "Forecast: when will it be done?",
    "target-history": "Target date and forecast over time",
    "roadmap": "Roadmap: releases and epics against their targets",
    "burndown": "Burndown of the current sprint",
    "throughput": "Throughput per ISO week",
    "cycle-time": "Cycle time",
    "cfd": "Cumulative flow",
}
"""The alt text of each chart's image."""


def _image(images: Mapping[str, str], name: str) -> list[str]:
    """A chart's image line, linking the PNG file written beside the report."""
    if name not in images:
        return []
    return [f"![{CHART_TITLES[name]}]({quote(images[name])})", ""]


def render_markdown(report: StatusReport, images: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; ``images`` are the charts' PNG files by chart name (file names
    beside the report, linked relatively), when the report is written to a file."""
    images = images or {}
    f = report.figures
    u = report.update
    pts = text.points
    out = [
        f"# Status report: {escape(report.product_name)} ({escape(report.product_key)})",
        "",
        f"**Period:** {text.day(f.period_start)} to {text.day(f.period_end)}  ",
        f"**Health:** {text.HEALTH_LABELS[report.health]}  ",
    ]
    if u and u.created_at:
        out.append(f"**Written:** {text.day(u.created_at.date())}  ")
    if not report.frozen:
        out.append(f"**Figures as of:** {text.day(f.as_of)}  ")
    if u and u.recipients:
        out.append(f"**For:** {escape(', '.join(u.recipients))}  ")
    out.append("")
    if u and u.headline:
        out += [f"**{escape(u.headline)}**", ""]
    if report.note:
        out += [f"_{escape(report.note)}_", ""]
    out += ["## Key figures", ""]
    facts = [
        ("Done", f"{text.plural(f.done.count, 'item')}, {pts(f.done.points) or 0} points"),
        ("In progress", str(f.in_progress.count)),
        ("Blocked", str(f.blocked.count)),
        ("Scope", f"+{f.added.count} added, −{f.removed.count} removed"),
        ("Open questions", str(f.open_questions.count)),
    ]
    if f.open_questions.oldest_days is not None:
        facts.append(("Oldest open question", text.plural(f.open_questions.oldest_days, "day")))
    if f.sprint:
        s = f.sprint
        left = f", {text.plural(s.days_left, 'day')} left" if s.days_left is not None else ""
        facts.append(
            (
                f"Current sprint: {escape(s.name)}",
                f"{pts(s.done_points) or 0} of {pts(s.total_points) or 0} points done{left}",
            )
        )
    facts.append(("Forecast finish (85%)", text.finish(f.forecast, 85)))
    out += _table(("Figure", "Value"), facts)
    if u:
        for field, heading in text.NARRATIVE:
            value = getattr(u, field)
            if value.strip():
                out += [f"## {heading}", "", _paragraphs(value), ""]
    out += ["## Outlook", "", escape(text.forecast_sentence(f.forecast)), ""]
    if f.forecast.when is not None:
        out += _table(
            ("Likely", "Finish"),
            [(f"{share}%", when) for share, when in text.percentile_dates(f.forecast)],
        )
    out += [f"_{escape(text.forecast_check(f.forecast))}_", ""]
    out += [f"**Warning:** {escape(w)}  " for w in f.forecast.warnings]
    if f.forecast.warnings:
        out.append("")
    out += _image(images, "forecast")
    out += ["### Target date", "", escape(report.history.sentence()), ""]
    if report.history.rows:
        rows = [tuple(escape(cell) for cell in row) for row in text.history_rows(report.history)]
        out += _table(text.HISTORY_HEADER, rows)
    out += _image(images, "target-history") + _image(images, "roadmap")
    out += _image(images, "burndown")
    weeks = [
        (week_label(w.week_start), text.day(w.week_start), str(w.items), pts(w.points))
        for w in f.throughput
    ]
    out += _table(("ISO week", "Monday", "Items done", "Points"), weeks)
    out += _image(images, "throughput")
    c = f.cycle_time
    if c.count and c.p50_days is not None and c.p85_days is not None:
        p95 = f", 95% within {c.p95_days:.1f}" if c.p95_days is not None else ""
        out += [
            f"Cycle time over the same weeks ({text.plural(c.count, 'item')}): "
            f"50% within {c.p50_days:.1f} days, 85% within {c.p85_days:.1f}{p95} days.",
            "",
        ]
    out += _image(images, "cycle-time") + _image(images, "cfd")
    out += [f"## Done in the period ({f.done.count}, {pts(f.done.points) or 0} points)", ""]
    out += _items(
        f.done,
        ("Key", "Title", "Kind", "Points", "Done", "Cycle days"),
        lambda i: (*_key_title(i), i.kind, pts(i.points), text.day(i.done), _num(i.cycle_days)),
        "Nothing was finished in the period.",
    )
    out += [f"## In progress ({f.in_progress.count})", ""]
    out += _items(
        f.in_progress,
        ("Key", "Title", "Column", "Assignee", "Days in progress"),
        lambda i: (*_key_title(i), escape(i.column), escape(i.assignee or ""), _num(i.age_days)),
        "Nothing is in progress.",
    )
    out += [f"## Blocked ({f.blocked.count})", ""]
    out += _items(
        f.blocked,
        ("Key", "Title", "Column", "Reason"),
        lambda i: (*_key_title(i), escape(i.column), escape(i.blocked_reason or "")),
        "Nothing is blocked.",
    )
    out += _refinement(f.refinement)
    out += [
        "## Scope changes",
        "",
        f"### Added ({f.added.count}, {pts(f.added.points) or 0} points)",
        "",
    ]
    out += _items(
        f.added,
        ("Key", "Title", "Kind", "Points", "Added"),
        lambda i: (*_key_title(i), i.kind, pts(i.points), text.day(i.created)),
        "No item was added.",
    )
    out += [f"### Removed ({f.removed.count}, {pts(f.removed.points) or 0} points)", ""]
    out += _items(
        f.removed,
        ("Key", "Title", "Kind", "Points", "Was in"),
        lambda i: (*_key_title(i), i.kind, pts(i.points), escape(i.column)),
        "No item was removed.",
    )
    out += [
        "## Questions from the team",
        "",
        f"### Open ({f.open_questions.count}), oldest first",
        "",
    ]
    out += _questions(f.open_questions, False, "No question is waiting for an answer.")
    out += [f"### Answered in the period ({f.answered_questions.count})", ""]
    out += _questions(f.answered_questions, True, "No question was answered in the period.")
    if f.quality.issues:
        out += ["## Data quality", "", escape(f.quality.note()), ""]
        out += _table(
            ("Key", "Title", "Problem"),
            [(escape(i.key), escape(i.title), escape(i.detail)) for i in f.quality.issues[:50]],
        )
    return "\n".join(out).rstrip() + "\n"

"""The figures of a status report as a read-only tree: one section per kind of figure."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from kanban.reports.model import Figures, ItemList, ReportItem
from kanban.reports.text import (
    day,
    forecast_check,
    forecast_sentence,
    percentile_dates,
    plural,
    points,
)

HEADERS = ("Key", "Title", "Points", "Detail")


def _points_phrase(value: float) -> str:
    return f"{points(value) or 0} points" if value != 1 else "1 point"


class FiguresView(QTreeWidget):
    """Shows :class:`Figures` as sections (done, in progress, blocked, scope, questions,
    sprint, outlook), each a bold summary line with its items below. Plain text only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(HEADERS))
        self.setHeaderLabels(HEADERS)
        self.setRootIsDecorated(True)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 200)
        self.sections: dict[str, QTreeWidgetItem] = {}

    def show_figures(self, figures: Figures) -> None:
        """Replace what is shown by these figures."""
        self.clear()
        self.sections.clear()
        self._items_section(
            "done",
            f"Done in the period: {plural(figures.done.count, 'item')}, "
            f"{_points_phrase(figures.done.points)}",
            figures.done,
            lambda i: f"done {day(i.done)}",
            expanded=True,
        )
        self._items_section(
            "in_progress",
            f"In progress: {plural(figures.in_progress.count, 'item')}",
            figures.in_progress,
            lambda i: ", ".join(
                part
                for part in (
                    i.assignee or "",
                    plural(i.age_days, "day") if i.age_days is not None else "",
                    "blocked" if i.blocked_reason else "",
                )
                if part
            ),
        )
        self._items_section(
            "blocked",
            f"Blocked: {plural(figures.blocked.count, 'item')}",
            figures.blocked,
            lambda i: i.blocked_reason or "",
            expanded=True,
        )
        self._items_section(
            "added",
            f"Scope added: {plural(figures.added.count, 'item')}, "
            f"{_points_phrase(figures.added.points)}",
            figures.added,
            lambda i: f"added {day(i.created)}",
        )
        self._items_section(
            "removed",
            f"Scope removed: {plural(figures.removed.count, 'item')}, "
            f"{_points_phrase(figures.removed.points)}",
            figures.removed,
            lambda i: f"was in {i.column}",
        )
        self._questions(figures)
        self._sprint(figures)
        self._outlook(figures)

    def section_text(self, name: str) -> str:
        """The summary line of a section (``done``, ``blocked``, ``outlook``...)."""
        return self.sections[name].text(0)

    def section_rows(self, name: str) -> list[tuple[str, ...]]:
        """The rows under a section, as tuples of their cells' text."""
        section = self.sections[name]
        children = (section.child(r) for r in range(section.childCount()))
        return [tuple(child.text(c) for c in range(len(HEADERS))) for child in children if child]

    # --- sections ------------------------------------------------------------------------------

    def _section(self, name: str, text: str, expanded: bool = False) -> QTreeWidgetItem:
        section = QTreeWidgetItem(self, [text])
        font = section.font(0)
        font.setBold(True)
        section.setFont(0, font)
        section.setToolTip(0, text)
        section.setFirstColumnSpanned(True)
        self.sections[name] = section
        section.setExpanded(expanded)
        return section

    def _row(self, section: QTreeWidgetItem, cells: Iterable[str]) -> QTreeWidgetItem:
        row = QTreeWidgetItem(section, list(cells))
        for column in range(len(HEADERS)):
            if row.text(column):
                row.setToolTip(column, row.text(column))
        return row

    def _line(self, section: QTreeWidgetItem, text: str) -> QTreeWidgetItem:
        """A row of plain words across every column (no item behind it)."""
        row = QTreeWidgetItem(section, [text])
        row.setToolTip(0, text)
        row.setFirstColumnSpanned(True)
        return row

    def _items_section(
        self,
        name: str,
        text: str,
        section_items: ItemList,
        detail: Callable[[ReportItem], str],
        expanded: bool = False,
    ) -> None:
        section = self._section(name, text, expanded and section_items.count > 0)
        for item in section_items.items:
            self._item_row(section, item, detail(item))
        if section_items.more:
            self._line(section, f"… and {section_items.more} more")

    def _item_row(self, section: QTreeWidgetItem, item: ReportItem, detail: str) -> None:
        self._row(section, (item.key, item.title, points(item.points), detail))

    def _questions(self, figures: Figures) -> None:
        questions = figures.open_questions
        text = f"Open questions: {questions.count}"
        if questions.oldest_days is not None:
            text += f", the oldest waiting {plural(questions.oldest_days, 'day')}"
        section = self._section("questions", text)
        for question in questions.items:
            who = f"{question.asked_by}, " if question.asked_by else ""
            self._row(
                section,
                (
                    question.item_key or "",
                    question.text,
                    "",
                    f"{who}{plural(question.days_open, 'day')} open",
                ),
            )
        if questions.more:
            self._line(section, f"… and {questions.more} more")

    def _sprint(self, figures: Figures) -> None:
        sprint = figures.sprint
        if sprint is None:
            self._section("sprint", "Current sprint: none running")
            return
        text = (
            f"Current sprint, {sprint.name}: {points(sprint.done_points) or 0} of "
            f"{_points_phrase(sprint.total_points)} done, "
            f"{sprint.done_items} of {plural(sprint.total_items, 'item')}"
        )
        if sprint.days_left is not None:
            text += f", {plural(sprint.days_left, 'day')} left"
        section = self._section("sprint", text, expanded=bool(sprint.goal))
        if sprint.goal:
            self._line(section, f"Goal: {sprint.goal}")
        self._line(section, f"{day(sprint.start_date)} to {day(sprint.end_date)}")

    def _outlook(self, figures: Figures) -> None:
        forecast = figures.forecast
        late = forecast.delay_days is not None and forecast.delay_days > 0
        title = "Outlook from recent throughput"
        if late:
            title += f": {plural(forecast.delay_days or 0, 'day')} late"
        section = self._section("outlook", title, expanded=True)
        section.setToolTip(0, forecast_sentence(forecast))
        sample = forecast.sample
        weekly = ", ".join(str(n) for n in sample.weekly) or "none"
        self._line(
            section,
            f"Pace: {sample.mean_per_week:.1f} items a week over "
            f"{plural(sample.weeks, 'ISO week')} (per week, oldest first: {weekly})",
        )
        remaining = f"Remaining: {plural(forecast.remaining_items, 'item')}, "
        remaining += _points_phrase(forecast.remaining_points)
        if forecast.unestimated_items:
            remaining += f" (+{forecast.unestimated_items} unestimated)"
        self._line(section, remaining)
        if forecast.when is None:
            self._line(section, f"No forecast: {forecast.reason}")
        else:
            for share, when in percentile_dates(forecast):
                self._line(section, f"Finish, {share}% likely: {when}")
        if forecast.target is not None:
            self._line(section, f"Target date: {day(forecast.target)}")
        self._line(section, forecast_check(forecast))
        for warning in forecast.warnings:
            self._line(section, f"Warning: {warning}")
        cycle = figures.cycle_time
        if cycle.count and cycle.p50_days is not None and cycle.p85_days is not None:
            self._line(
                section,
                f"Cycle time: 50% within {cycle.p50_days:.1f} days, 85% within "
                f"{cycle.p85_days:.1f} ({cycle.count} items)",
            )
        if figures.quality.issues:
            self._line(section, figures.quality.note())

"""The colours of a chart, light and dark; plain hex strings, no Qt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kanban.domain import Category

CATEGORY_LABELS: Mapping[str, str] = {
    Category.BACKLOG: "Backlog",
    Category.TODO: "To do",
    Category.DOING: "In progress",
    Category.DONE: "Done",
}
"""How a chart names a column category (legends, tooltips)."""


@dataclass(frozen=True, slots=True)
class ChartPalette:
    """Every colour a chart uses; ``dark`` says which background it was made for."""

    dark: bool
    background: str
    text: str
    muted: str
    """Axis labels and secondary text."""
    grid: str
    axis: str
    categories: Mapping[str, str]
    """One fill per column category."""
    primary: str
    secondary: str
    quiet: str
    """Bars that other marks are drawn over (the forecast's histogram)."""
    ideal: str
    """The straight line of a burndown, the target of a date history."""
    percentiles: Mapping[int, str]
    """Lines and markers of the 50th, 70th, 85th and 95th percentiles."""
    bands: tuple[str, ...]
    """Fills of the aging bands, below p50, p50-p85, p85-p95 and above p95 (#AARRGGBB)."""


LIGHT = ChartPalette(
    dark=False,
    background="#ffffff",
    text="#111827",
    muted="#4b5563",
    grid="#e5e7eb",
    axis="#9ca3af",
    categories={
        Category.BACKLOG: "#cbd5e1",
        Category.TODO: "#93c5fd",
        Category.DOING: "#fbbf24",
        Category.DONE: "#22a559",
    },
    primary="#2563eb",
    secondary="#ea580c",
    quiet="#a5c0ea",
    ideal="#6b7280",
    percentiles={50: "#16a34a", 70: "#7c3aed", 85: "#d97706", 95: "#dc2626"},
    bands=("#2616a34a", "#26eab308", "#30f97316", "#30dc2626"),
)
DARK = ChartPalette(
    dark=True,
    background="#16181b",
    text="#e5e7eb",
    muted="#9ca3af",
    grid="#2e3339",
    axis="#6b7280",
    categories={
        Category.BACKLOG: "#64748b",
        Category.TODO: "#3b82f6",
        Category.DOING: "#f59e0b",
        Category.DONE: "#22c55e",
    },
    primary="#60a5fa",
    secondary="#fb923c",
    quiet="#3d5a87",
    ideal="#9ca3af",
    percentiles={50: "#4ade80", 70: "#c084fc", 85: "#fbbf24", 95: "#f87171"},
    bands=("#3322c55e", "#33eab308", "#3af97316", "#40ef4444"),
)


def palette_for(dark: bool) -> ChartPalette:
    """The dark or the light palette."""
    return DARK if dark else LIGHT

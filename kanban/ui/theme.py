"""Fusion style with a light or dark palette that follows the system's colour scheme.

The start-up path pays for no style object of ours: :func:`kanban.ui.app.application` starts
Qt on Fusion (``-style Fusion``), and the proxy style that fixes the dark palette's check boxes
(:mod:`kanban.ui.style`) is only installed once a dark palette is used. Wrapping a ``QStyle``
in Python costs ~10 ms of PySide's type set-up, and a style overridden in Python has every
primitive it paints handed through Python (another ~10 ms to the first paint).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from kanban.domain import ItemKind

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

ACCENT = QColor("#2563eb")
KIND_COLORS: dict[str, QColor] = {  # keyed by ItemKind, read with a card's str kind
    ItemKind.STORY: QColor("#3b82f6"),
    ItemKind.BUG: QColor("#dc2626"),
    ItemKind.TASK: QColor("#64748b"),
    ItemKind.SPIKE: QColor("#9333ea"),
    ItemKind.EPIC: QColor("#d97706"),
}
"""One colour per item kind: the backlog's kind cell and the card's stripe."""
DARK_ACCENT = QColor("#3b82f6")
FUSION_SET = "kanban_fusion_set"
"""The application property saying its style is Fusion (or the proxy on Fusion) already."""


def light_palette() -> QPalette:
    """A quiet light palette: near-white bases, soft grey window, blue highlight."""
    return _palette(
        window="#f3f4f6",
        base="#ffffff",
        alternate="#f8fafc",
        text="#111827",
        button="#f9fafb",
        mid="#d1d5db",
        disabled="#9ca3af",
        accent=ACCENT,
        link="#1d4ed8",
    )


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for small text."""
    return _palette(
        window="#1f2226",
        base="#16181b",
        alternate="#1d2024",
        text="#e5e7eb",
        button="#2a2e33",
        mid="#3f444a",
        disabled="#6b7280",
        accent=DARK_ACCENT,
        link="#93c5fd",
    )


def _palette(
    *,
    window: str,
    base: str,
    alternate: str,
    text: str,
    button: str,
    mid: str,
    disabled: str,
    accent: QColor,
    link: str,
) -> QPalette:
    palette = QPalette()
    colors = {
        Role.Window: window,
        Role.WindowText: text,
        Role.Base: base,
        Role.AlternateBase: alternate,
        Role.Text: text,
        Role.Button: button,
        Role.ButtonText: text,
        Role.ToolTipBase: base,
        Role.ToolTipText: text,
        Role.PlaceholderText: disabled,
        Role.BrightText: "#ffffff",
        Role.Light: base,
        Role.Midlight: alternate,
        Role.Mid: mid,
        Role.Dark: mid,
        Role.Shadow: "#000000",
        Role.Link: link,
        Role.LinkVisited: link,
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    palette.setColor(Role.Highlight, accent)
    palette.setColor(Role.HighlightedText, QColor("#ffffff"))
    palette.setColor(Role.Accent, accent)
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(disabled))
    return palette


def is_dark(app: QApplication) -> bool:
    """Whether the system asks for a dark colour scheme."""
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Use Fusion and the palette for ``dark`` (None: the system's scheme); while following
    the system, switch again whenever the system's scheme changes."""
    use_dark = is_dark(app) if dark is None else dark
    if use_dark:
        from kanban.ui.style import KanbanStyle  # only a dark palette needs it

        if not isinstance(app.style(), KanbanStyle):
            app.setStyle(KanbanStyle())
    elif not app.property(FUSION_SET):
        app.setStyle("Fusion")  # a light palette draws the same on the proxy, if it is there
    app.setProperty(FUSION_SET, True)
    app.setPalette(dark_palette() if use_dark else light_palette())
    for widget in app.allWidgets():
        # WORKAROUND: Qt resolves palette(...) in a widget's style sheet once, when the sheet
        # is set; set it again so the navigation list (and the like) follow a live switch.
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())
    app.setProperty("kanban_follows_scheme", dark is None)
    if not app.property("kanban_watches_scheme"):
        app.setProperty("kanban_watches_scheme", True)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _scheme_changed(app))


def _scheme_changed(app: QApplication) -> None:
    if app.property("kanban_follows_scheme"):
        apply_theme(app, None)

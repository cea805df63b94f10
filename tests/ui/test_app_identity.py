"""The app's identity on a desktop: its icon on every window, and its freedesktop entry."""

from __future__ import annotations

import configparser

from PySide6.QtGui import QImage

from kanban.resources_path import resource
from kanban.ui.app import app_icon, application
from kanban.ui.main_window import MainWindow


def test_every_window_carries_the_app_icon(window: MainWindow) -> None:
    app = application()
    assert not app.windowIcon().isNull()
    image = (
        window.windowIcon().pixmap(64, 64).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    )
    assert image.width() == 64
    blue = image.pixelColor(32, 4)  # the board's blue, not a blank or a missing-icon square
    assert (blue.red(), blue.green(), blue.blue()) == (0x25, 0x63, 0xEB)
    assert app_icon().availableSizes() or not app_icon().pixmap(16, 16).isNull()


def test_the_desktop_entry_starts_the_installed_command_with_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read_string(resource("kanban.desktop").read_text(encoding="utf-8"))
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] == desktop["TryExec"] == "kanban"
    assert desktop["Icon"] == "kanban"
    assert resource("icons", f"{desktop['Icon']}.svg").is_file()
    assert desktop["Categories"].endswith(";")

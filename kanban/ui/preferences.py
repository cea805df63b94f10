"""The user's preferences, in one place: "your name" and the theme (File > Preferences).

Stored with QSettings; every other module asks here. "Your name" is who answered a question,
wrote a comment and did each change in the activity log: the app hands it to the services
(:func:`kanban.services.common.use_name`); without one, the services use ``$KANBAN_USER``,
else the login name, as the command line does.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kanban.services.common import USER_ENV, login_name, use_name
from kanban.ui.forms import ok_cancel
from kanban.ui.theme import apply_theme

NAME_KEY = "preferences/your_name"
THEME_KEY = "preferences/theme"


class Theme(StrEnum):
    """The app's colours: the system's scheme (the default), or always light or dark."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


THEME_LABELS = {Theme.SYSTEM: "System", Theme.LIGHT: "Light", Theme.DARK: "Dark"}


def chosen_name() -> str:
    """The name set in Preferences ("" when none is)."""
    value = QSettings().value(NAME_KEY, "")
    return value.strip() if isinstance(value, str) else ""


def your_name() -> str:
    """Who you are in the app: the name set in Preferences, else $KANBAN_USER, else the login
    name."""
    return chosen_name() or login_name()


def theme() -> Theme:
    """The theme chosen in Preferences (System unless another was chosen)."""
    value = QSettings().value(THEME_KEY, Theme.SYSTEM)
    return Theme(value) if isinstance(value, str) and value in tuple(Theme) else Theme.SYSTEM


def apply_preferences(app: QApplication) -> None:
    """Put the stored preferences into effect: the services' current user, the palette."""
    use_name(chosen_name() or None)
    choice = theme()
    apply_theme(app, None if choice == Theme.SYSTEM else choice == Theme.DARK)


def save_preferences(name: str, choice: Theme) -> None:
    """Store the preferences and put them into effect at once."""
    settings = QSettings()
    settings.setValue(NAME_KEY, name.strip())
    settings.setValue(THEME_KEY, str(choice))
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_preferences(app)
    else:
        use_name(name.strip() or None)


class PreferencesDialog(QDialog):
    """File > Preferences: your name and the theme; OK applies them at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(460)
        self.name = QLineEdit(chosen_name())
        self.name.setPlaceholderText(login_name())
        self.name.setAccessibleName("Your name")
        self.name.setClearButtonEnabled(True)
        name_hint = QLabel(
            "Shown as who answered a question, wrote a comment and made each change. "
            f"Empty: {login_name()}. In a terminal, set ${USER_ENV}."
        )
        name_hint.setTextFormat(Qt.TextFormat.PlainText)
        name_hint.setWordWrap(True)
        name_hint.setEnabled(False)  # greyed: a hint, not an input
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for choice, label in THEME_LABELS.items():
            self.theme.addItem(label, choice)
        self.theme.setCurrentIndex(self.theme.findData(theme()))

        form = QFormLayout()
        form.addRow("Your &name", self.name)
        form.addRow("", name_hint)
        form.addRow("&Theme", self.theme)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self))

    def accept(self) -> None:
        """Store and apply the choices."""
        save_preferences(self.name.text(), Theme(self.theme.currentData()))
        super().accept()

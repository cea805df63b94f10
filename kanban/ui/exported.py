"""After an export: where the file went, with Open and Show in folder.

Opening goes through ``QDesktopServices`` (the desktop's handler for the file type: a PDF
viewer, the mail program for an ``.eml``). Show in folder asks the desktop's file manager to
show the file selected (``org.freedesktop.FileManager1`` over D-Bus, as Firefox and Qt
Creator do), else opens the folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)


def open_file(path: Path) -> bool:
    """Open a file with the desktop's program for its type; False when none would."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Show a file in the file manager, selected where the desktop supports it."""
    from PySide6.QtDBus import QDBusConnection, QDBusInterface  # only when asked for

    bus = QDBusConnection.sessionBus()
    if bus.isConnected():
        manager = QDBusInterface(
            "org.freedesktop.FileManager1",
            "/org/freedesktop/FileManager1",
            "org.freedesktop.FileManager1",
            bus,
        )
        if manager.isValid():
            uri = QUrl.fromLocalFile(str(path)).toString()
            reply = manager.call("ShowItems", [uri], "")
            if not reply.errorName():
                return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ExportedFile(QWidget):
    """ "Saved PATH" with Open and Show in folder; hidden until a file was written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Open the file with the desktop's program for it")
        self.open_button.clicked.connect(self.open)
        self.folder_button = QPushButton("Show in &folder")
        self.folder_button.clicked.connect(self.show_folder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.folder_button)
        self.hide()

    def show_file(self, path: Path, said: str = "") -> None:
        """Say where a file was written (``said``: a sentence instead of "Saved PATH")."""
        self.path = path
        self.label.setText(said or f"Saved {path}")
        self.setToolTip(str(path))
        self.show()

    def open(self) -> bool:
        """Open the file last written."""
        return self.path is not None and open_file(self.path)

    def show_folder(self) -> bool:
        """Show the file last written in its folder."""
        return self.path is not None and show_in_folder(self.path)


def exported_box(parent: QWidget, path: Path, title: str) -> QMessageBox:
    """A non-blocking message "Exported to PATH" with Open, Show in folder and Close."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Exported to {path}")
    opener = box.addButton("&Open", QMessageBox.ButtonRole.ActionRole)
    folder = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    # Action buttons close the box too: the file is opened, the job is done.
    opener.clicked.connect(lambda: open_file(path))
    folder.clicked.connect(lambda: show_in_folder(path))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box

"""Email…: a status report as a ready-to-send message, opened in the user's mail program.

The message is an ``.eml`` file (``kanban.reports.eml``): the report as its HTML body, the
PDF attached, the recipients with an address filled in. It is written to a folder of its own
under the system's temporary folder and opened with the desktop's program for e-mail
messages, which shows it ready to send; kanban sends nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from kanban.errors import FileWriteError
from kanban.files import write_atomically
from kanban.reports.export import build_report, recipients_of, render
from kanban.services.records import ProductInfo
from kanban.ui.context import AppContext
from kanban.ui.exported import open_file

FOLDER = "kanban-mail"


@dataclass(frozen=True)
class Written:
    """A message written: where, to whom, and who was left out for want of an address."""

    path: Path
    to: tuple[str, ...]
    without_address: tuple[str, ...]
    opened: bool

    def said(self) -> str:
        """One or two sentences for the user."""
        if self.to:
            text = f"The e-mail to {_names(self.to)} is ready to send: {self.path}"
        else:
            text = f"The e-mail is ready; no recipient has an address yet: {self.path}"
        if self.without_address:
            text += (
                f". No e-mail address for {_names(self.without_address)} "
                "(add it on the Stakeholders screen)"
            )
        if not self.opened:
            text += ". No mail program opened it: open the file with yours"
        return text


def _names(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def mail_folder() -> Path:
    """Where the messages go: a folder of kanban's under the system's temporary folder."""
    temp = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
    return Path(temp) / FOLDER


def email_report(
    ctx: AppContext, product: ProductInfo, update_id: int | None, folder: Path | None = None
) -> Written:
    """Write the report (the update ``update_id``, else the latest or today's, as the Status
    screen shows it) as an e-mail message and open it in the mail program.

    Raises:
        KanbanError: The report cannot be built or the file written (FileWriteError).
    """
    report = ctx.read(build_report, product.id, update_id, charts=True)
    recipients = ctx.read(recipients_of, product.id, report)
    data = render(report, "eml", recipients)
    which = f"update-{report.update.id}" if report.update and report.update.id else "today"
    path = (folder or mail_folder()) / f"{product.key}-status-{which}.eml"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileWriteError(f"Cannot write {path}: {error.strerror or error}") from None
    write_atomically(path, data)
    opened = open_file(path)
    return Written(
        path,
        tuple(r.name for r in recipients if r.email),
        tuple(r.name for r in recipients if not r.email),
        opened,
    )

"""The errors a user can meet: each carries a message fit to show as it is."""

from __future__ import annotations


class KanbanError(Exception):
    """Base of every error the app reports to the user in plain words."""


class DatabaseFileError(KanbanError):
    """A database file that cannot be used; the file is left untouched."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotADatabaseError(DatabaseFileError):
    """The file is not a SQLite database, or not one made by kanban."""


class CorruptDatabaseError(DatabaseFileError):
    """The file is a damaged or truncated SQLite database."""


class NewerDatabaseError(DatabaseFileError):
    """The file was written by a newer version of kanban."""


class ReadOnlyDatabaseError(DatabaseFileError):
    """The file (or its folder) cannot be written."""


class DatabaseBusyError(KanbanError):
    """Another connection kept the database locked for writing too long; nothing was written."""


class FileWriteError(KanbanError):
    """An export file could not be written; nothing was left behind."""


class ValidationError(KanbanError):
    """A user's input breaks a rule of the domain (empty title, negative points...)."""


class UnknownNameError(ValidationError):
    """A typed person's name that matches no one, or more than one person; ``unknown`` when it
    matched no one (so a caller can offer to add them)."""

    def __init__(self, message: str, unknown: bool) -> None:
        super().__init__(message)
        self.unknown = unknown


class OverlapError(ValidationError):
    """A sprint's dates overlap those of other sprints of its product; the caller may ask the
    user and try again, allowing the overlap."""

    def __init__(self, message: str, others: tuple[str, ...]) -> None:
        super().__init__(message)
        self.others = others


class NotFoundError(KanbanError):
    """A product, item, column or other record named by the user does not exist."""


class CancelledError(KanbanError):
    """The user stopped a long import or export; nothing was written."""


class ConflictError(KanbanError):
    """An edit was based on a stale version of a record; nothing was written."""

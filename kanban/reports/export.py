"""Render a status report in a format and write it atomically (temporary file, then rename)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import tempfile
from pathlib import Path

from kanban.errors import KanbanError, ValidationError
from kanban.reports.csv import render_csv
from kanban.reports.html import render_html
from kanban.reports.markdown import render_markdown
from kanban.reports.model import StatusReport, build_status_report
from kanban.storage.database import Database

FORMATS = ("md", "html", "pdf", "csv")
TEXT_FORMATS = ("md", "html", "csv")


class ExportError(KanbanError):
    """An export file could not be written; nothing was left behind."""


def render(report: StatusReport, fmt: str) -> bytes:
    """A built report in one of ``FORMATS``, as bytes (text formats in UTF-8)."""
    if fmt == "pdf":
        from kanban.reports.pdf import render_pdf  # Qt loads only when a PDF is asked for

        return render_pdf(report)
    renderers = {"md": render_markdown, "html": render_html, "csv": render_csv}
    if fmt not in renderers:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report).encode("utf-8")


def render_report(
    db: Database,
    product_ref: str | int,
    fmt: str,
    update_id: int | None = None,
    today: dt.date | None = None,
) -> bytes:
    """A product's status report (``update_id``, else the latest update) in a format."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render(build_status_report(db, product_ref, update_id, today), fmt)


def write_report(
    db: Database,
    product_ref: str | int,
    fmt: str,
    output: Path | None,
    update_id: int | None = None,
    today: dt.date | None = None,
) -> bytes:
    """Render a report and, when ``output`` is given, write it there atomically.

    Returns the bytes either way (the command line prints text formats without ``-o``).

    Raises:
        ValidationError: An unknown format, or a PDF without an output file.
        ExportError: The file cannot be written; no partial or temporary file is left.
    """
    if fmt == "pdf" and output is None:
        raise ValidationError("A PDF report needs an output file (-o FILE)")
    data = render_report(db, product_ref, fmt, update_id, today)
    if output is not None:
        write_atomically(Path(output), data)
    return data


def _reason(error: OSError, path: Path) -> str:
    if error.errno == errno.ENOENT and path.parent.is_dir():
        return f"no file can be created in {path.parent}"
    reasons = {
        errno.ENOENT: f"the folder {path.parent} does not exist",
        errno.ENOTDIR: f"{path.parent} is not a folder",
        errno.EISDIR: "it is a folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "the disk is full",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so readers see the old file or the whole new one, never a part.

    Raises:
        ExportError: Naming the file and the reason; no temporary file is left behind.
    """
    path = path.expanduser()
    if path.is_dir():
        raise ExportError(f"Cannot write {path}: it is a folder")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {_reason(exc, path)}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; exports are not
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise ExportError(f"Cannot write {path}: {_reason(exc, path)}") from None
        raise

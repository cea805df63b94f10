"""Find files under ``resources/``: packaged as ``kanban/resources`` in the wheel, or at the
root of the source checkout (editable install)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    """A file or folder under ``resources/``, e.g. ``resource("templates", "x.j2")``."""
    packaged = resources.files("kanban") / "resources"
    base = packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "resources"
    for part in parts:
        base = base / part
    return base

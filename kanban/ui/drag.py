"""The drag payload of backlog rows and board cards: item ids as JSON in our own MIME type."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QMimeData

MIME_TYPE = "application/x-kanban-item-ids"


def encode_ids(item_ids: Sequence[int]) -> QMimeData:
    """Drag payload: the item ids as JSON, in the custom MIME type (never pickle or rows)."""
    mime = QMimeData()
    mime.setData(MIME_TYPE, json.dumps([int(i) for i in item_ids]).encode())
    return mime


def decode_ids(mime: QMimeData | None) -> tuple[int, ...]:
    """The item ids a drag carries, each once; empty when it carries none of ours (or garbage)."""
    if mime is None or not mime.hasFormat(MIME_TYPE):
        return ()
    try:
        ids = json.loads(bytes(mime.data(MIME_TYPE).data()).decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ()
    if not isinstance(ids, list) or not all(type(i) is int for i in ids):
        return ()
    return tuple(dict.fromkeys(ids))

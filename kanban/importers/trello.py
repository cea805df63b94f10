"""A Trello board's JSON export (Board menu > Print, export and share > Export as JSON).

The file is one object: the board's ``name``, then lists of ``actions`` (newest first,
capped by Trello, often at 1,000), ``cards``, ``labels``, ``lists``, ``members``,
``checklists`` and ``customFields``. It is read piece by piece (:class:`JsonReader`): each
action and card is decoded alone and kept as a few plain values, so a 100 MB board needs
memory for its records, not for its JSON.

What becomes what: lists are columns (ordered by ``pos``; a closed list is kept as a column
for its history, its cards archived), cards items in their list's order by ``pos`` (equal
``pos`` values, which real exports have, fall back on the card's id: the older card first),
``updateCard`` actions with ``listBefore``/``listAfter`` moves at their date, ``createCard``
(or ``copyCard``, ``convertToCardFromCheckItem``, ``moveCardToBoard``) the creation and its
list; without one, the time in the card's id (its first 8 hex digits are a Unix time).
``commentCard`` actions are comments with their author and date, checklists acceptance
criteria, the first member the assignee, a number custom field named like an estimate the
points, other custom fields text fields.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from kanban.domain import ItemKind
from kanban.errors import ValidationError
from kanban.importers.common import ESTIMATE_NAMES, check_size, guess_category
from kanban.importers.jsonstream import JsonReader
from kanban.importers.records import (
    ImportFileError,
    Skipped,
    SourceBoard,
    SourceCheck,
    SourceColumn,
    SourceComment,
    SourceField,
    SourceItem,
    SourceMove,
)

TRELLO_ACTION_CAP = 1000
"""The number of actions Trello's export stops at by default: a file holding exactly this many
has lost its older history."""

_CREATIONS = frozenset({"createCard", "copyCard", "convertToCardFromCheckItem", "moveCardToBoard"})
_LABEL_COLORS = {
    "green": "#61bd4f",
    "yellow": "#f2d600",
    "orange": "#ff9f1a",
    "red": "#eb5a46",
    "purple": "#c377e0",
    "blue": "#0079bf",
    "sky": "#00c2e0",
    "lime": "#51e898",
    "pink": "#ff78cb",
    "black": "#344563",
}


class _Card(NamedTuple):
    id: str
    name: str
    desc: str
    list_id: str
    pos: float
    closed: bool
    short_link: str
    due: dt.date | None
    last_activity: dt.datetime | None
    member_ids: tuple[str, ...]
    label_ids: tuple[str, ...]
    custom: tuple[tuple[str, Any], ...]
    where: str


class _List(NamedTuple):
    id: str
    name: str
    pos: float
    closed: bool


class _Field(NamedTuple):
    name: str
    type: str
    options: dict[str, str]


class _Parts:
    """What the file holds, gathered as it is read (actions come before the cards)."""

    def __init__(self) -> None:
        self.name = ""
        self.actions = 0
        self.oldest: dt.datetime | None = None
        self.created: dict[str, tuple[dt.datetime, str | None]] = {}
        self.moves: defaultdict[str, list[tuple[dt.datetime, str, str]]] = defaultdict(list)
        self.comments: defaultdict[str, list[SourceComment]] = defaultdict(list)
        self.closed_at: dict[str, dt.datetime] = {}
        self.cards: list[_Card] = []
        self.lists: list[_List] = []
        self.labels: dict[str, tuple[str, str]] = {}
        self.members: dict[str, str] = {}
        self.checklists: defaultdict[str, list[tuple[float, str, list[SourceCheck]]]] = defaultdict(
            list
        )
        self.fields: dict[str, _Field] = {}


def read_trello(path: Path, progress: Callable[[int, int], None] | None = None) -> SourceBoard:
    """Read a Trello board export into a :class:`SourceBoard`.

    Raises:
        ImportFileError: The file is not a Trello board export, or a part of it is not what
            Trello writes; the message names the place (line and column, card, field).
    """
    size = check_size(path)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
        reader = JsonReader(text, raw, "a Trello export")
        parts = _Parts()
        try:
            _read(reader, parts, size, progress)
        except ImportFileError as exc:
            raise ImportFileError(f"{path}: {exc}") from None
        except ValidationError as exc:  # the reader's: "is not valid JSON (line 3, ...)"
            raise ImportFileError(f"{path} {exc}") from None
    try:
        return _board(parts)
    except ImportFileError as exc:
        raise ImportFileError(f"{path}: {exc}") from None


def _read(
    reader: JsonReader, parts: _Parts, size: int, progress: Callable[[int, int], None] | None
) -> None:
    if reader.peek() != "{":
        raise ImportFileError("not a Trello board export (the file is not one JSON object)")
    seen: set[str] = set()
    for key in reader.keys():  # noqa: SIM118 (a reader, not a dict)
        readers: dict[str, Callable[[int, Any], None]] = {
            "actions": lambda index, value: _action(parts, index, value),
            "cards": lambda index, value: _card(parts, index, value),
            "lists": lambda index, value: _list(parts, index, value),
            "labels": lambda index, value: _label(parts, index, value),
            "members": lambda index, value: _member(parts, index, value),
            "checklists": lambda index, value: _checklist(parts, index, value),
            "customFields": lambda index, value: _custom_field(parts, index, value),
        }
        if key == "name":
            name = reader.value()
            if not isinstance(name, str):
                raise ImportFileError(f"the board's name is {_kind(name)}, not a text")
            parts.name = name
        elif key in readers:
            seen.add(key)
            if reader.peek() != "[":
                raise ImportFileError(f'"{key}" is {_kind(reader.value())}, not a list')
            read_one = readers[key]
            for index in reader.elements():
                read_one(index, reader.value())
                if progress is not None and index % 2000 == 0:
                    progress(reader.bytes_read(), size)
        else:
            reader.skip()
    reader.end()
    missing = {"cards", "lists"} - seen
    if missing:
        raise ImportFileError(
            "not a Trello board export (it has no " + " and no ".join(sorted(missing)) + ")"
        )
    if progress is not None:
        progress(size, size)


# --- the parts of the file -------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportFileError(f"{where} is {_kind(value)}, not an object")
    return value


def _text(obj: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = obj.get(key, default)
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        shown = "missing" if key not in obj else _kind(value)
        raise ImportFileError(f'{where}: "{key}" is {shown}, not a text')
    return value


def _flag(obj: dict[str, Any], key: str, where: str) -> bool:
    value = obj.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ImportFileError(f'{where}: "{key}" is {_kind(value)}, not true or false')
    return value


def _pos(obj: dict[str, Any], where: str) -> float:
    value = obj.get("pos", 0)
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ImportFileError(f'{where}: "pos" is {_kind(value)}, not a number')
    try:
        return float(value)
    except ValueError:
        raise ImportFileError(f'{where}: "pos" {value!r} is not a number') from None


def _moment(obj: dict[str, Any], key: str, where: str) -> dt.datetime:
    text = _text(obj, key, where)
    if text[-1:] == "Z" and len(text) > 19:  # Trello's own form, in UTC: the fast way
        try:
            return dt.datetime.fromisoformat(text[:-1])
        except ValueError:
            pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ImportFileError(f'{where}: "{key}" {text[:40]!r} is not a date and time') from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _ids(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(one, str) for one in value):
        raise ImportFileError(f'{where}: "{key}" is not a list of ids')
    return tuple(value)


def _ref(obj: dict[str, Any], key: str, where: str) -> str | None:
    """The ``id`` of the object under ``key`` (``data.listAfter.id``), None when absent."""
    value = obj.get(key)
    if value is None:
        return None
    if type(value) is dict and type(found := value.get("id")) is str:
        return found
    part = _object(value, f'{where}: "{key}"')
    return _text(part, "id", f"{where}: {key}")


def _action(parts: _Parts, index: int, value: Any) -> None:
    where = f"action {index + 1}"
    action = _object(value, where)
    kind = _text(action, "type", where)
    at = _moment(action, "date", where)
    parts.actions += 1
    if parts.oldest is None or at < parts.oldest:
        parts.oldest = at
    data = action.get("data")
    if kind not in _CREATIONS and kind not in ("updateCard", "commentCard"):
        return
    data = _object(data, f"{where} ({kind}): data")
    card_id = _ref(data, "card", f"{where} ({kind}): data")
    if card_id is None:
        return
    if kind in _CREATIONS:
        known = parts.created.get(card_id)
        if known is None or at < known[0]:
            parts.created[card_id] = (at, _ref(data, "list", f"{where} ({kind}): data"))
    elif kind == "updateCard":
        before = _ref(data, "listBefore", f"{where} (updateCard): data")
        after = _ref(data, "listAfter", f"{where} (updateCard): data")
        if before is not None and after is not None and before != after:
            parts.moves[card_id].append((at, before, after))
        old = data.get("old")
        if isinstance(old, dict) and old.get("closed") is False:  # the card was archived
            parts.closed_at[card_id] = max(at, parts.closed_at.get(card_id, at))
    else:
        text = _text(data, "text", f"{where} (commentCard): data", "")
        creator = action.get("memberCreator")
        author = ""
        if isinstance(creator, dict):
            author = str(creator.get("fullName") or creator.get("username") or "")
        if text.strip():
            parts.comments[card_id].append(SourceComment(text, at, author))


def _card(parts: _Parts, index: int, value: Any) -> None:
    where = f"card {index + 1}"
    card = _object(value, where)
    card_id = _text(card, "id", where)
    name = _text(card, "name", where)
    where = f'card {index + 1} "{name[:40]}"'
    due_text = card.get("due")
    due = None
    if due_text is not None:
        due = _moment(card, "due", where).date()
    custom: list[tuple[str, Any]] = []
    items = card.get("customFieldItems") or []
    if not isinstance(items, list):
        raise ImportFileError(f'{where}: "customFieldItems" is {_kind(items)}, not a list')
    for number, item in enumerate(items):
        entry = _object(item, f"{where}: custom field {number + 1}")
        field_id = _text(entry, "idCustomField", f"{where}: custom field {number + 1}")
        custom.append((field_id, entry.get("idValue") or entry.get("value")))
    parts.cards.append(
        _Card(
            id=card_id,
            name=name,
            desc=_text(card, "desc", where, ""),
            list_id=_text(card, "idList", where),
            pos=_pos(card, where),
            closed=_flag(card, "closed", where),
            short_link=_text(card, "shortLink", where, ""),
            due=due,
            last_activity=None
            if card.get("dateLastActivity") is None
            else _moment(card, "dateLastActivity", where),
            member_ids=_ids(card, "idMembers", where),
            label_ids=_ids(card, "idLabels", where),
            custom=tuple(custom),
            where=where,
        )
    )


def _list(parts: _Parts, index: int, value: Any) -> None:
    where = f"list {index + 1}"
    entry = _object(value, where)
    parts.lists.append(
        _List(
            id=_text(entry, "id", where),
            name=_text(entry, "name", where),
            pos=_pos(entry, where),
            closed=_flag(entry, "closed", where),
        )
    )


def _label(parts: _Parts, index: int, value: Any) -> None:
    where = f"label {index + 1}"
    entry = _object(value, where)
    color = entry.get("color")
    color_name = color if isinstance(color, str) else ""
    name = _text(entry, "name", where, "").strip() or color_name or "label"
    parts.labels[_text(entry, "id", where)] = (name, _LABEL_COLORS.get(color_name, ""))


def _member(parts: _Parts, index: int, value: Any) -> None:
    where = f"member {index + 1}"
    entry = _object(value, where)
    name = _text(entry, "fullName", where, "").strip() or _text(entry, "username", where, "")
    if name.strip():
        parts.members[_text(entry, "id", where)] = name.strip()


def _checklist(parts: _Parts, index: int, value: Any) -> None:
    where = f"checklist {index + 1}"
    entry = _object(value, where)
    lines: list[tuple[float, str, bool]] = []
    items = entry.get("checkItems") or []
    if not isinstance(items, list):
        raise ImportFileError(f'{where}: "checkItems" is {_kind(items)}, not a list')
    for number, item in enumerate(items):
        line = _object(item, f"{where}: item {number + 1}")
        text = _text(line, "name", f"{where}: item {number + 1}")
        state = _text(line, "state", f"{where}: item {number + 1}", "incomplete")
        lines.append((_pos(line, f"{where}: item {number + 1}"), text, state == "complete"))
    lines.sort(key=lambda line: line[0])
    checks = [SourceCheck(text, done) for _pos_, text, done in lines if text.strip()]
    card_id = _text(entry, "idCard", where)
    parts.checklists[card_id].append((_pos(entry, where), _text(entry, "name", where, ""), checks))


def _custom_field(parts: _Parts, index: int, value: Any) -> None:
    where = f"custom field {index + 1}"
    entry = _object(value, where)
    options: dict[str, str] = {}
    for option in entry.get("options") or []:
        if isinstance(option, dict) and isinstance(option.get("id"), str):
            shown = option.get("value")
            text = shown.get("text") if isinstance(shown, dict) else None
            options[option["id"]] = str(text or "")
    parts.fields[_text(entry, "id", where)] = _Field(
        _text(entry, "name", where), _text(entry, "type", where, "text"), options
    )


# --- the board -------------------------------------------------------------------------------


def _id_time(card_id: str) -> dt.datetime | None:
    """The creation time in a Trello id (its first 8 hex digits: seconds since 1970)."""
    try:
        seconds = int(card_id[:8], 16)
    except ValueError:
        return None
    if len(card_id) != 24 or seconds <= 0:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def _custom_value(field: _Field, value: Any) -> str:
    if isinstance(value, str):  # a list field's option id
        return field.options.get(value, value)
    if not isinstance(value, dict):
        return ""
    for key in ("number", "text", "date"):
        if isinstance(value.get(key), str):
            return str(value[key])
    if "checked" in value:
        return "yes" if str(value["checked"]).lower() == "true" else "no"
    return ""


def _board(parts: _Parts) -> SourceBoard:
    skipped: list[Skipped] = []
    notes: list[str] = []
    lists = sorted(parts.lists, key=lambda one: (one.pos, one.id))
    known = {one.id for one in lists}
    closed_lists = {one.id for one in lists if one.closed}
    used = {card.list_id for card in parts.cards}
    for moves in parts.moves.values():
        for _at, before, after in moves:
            used.update((before, after))
    for _created, list_id in parts.created.values():
        if list_id is not None:
            used.add(list_id)
    columns: list[SourceColumn] = []
    for one in lists:
        if one.closed and one.id not in used:
            skipped.append(Skipped(f'list "{one.name}"', "closed, with no card and no move"))
            continue
        category, reason = guess_category(one.name)
        columns.append(SourceColumn(one.id, one.name, category, reason, one.closed))
    kept = {column.ref for column in columns}
    order = {column.ref: index for index, column in enumerate(columns)}

    for card in parts.cards:
        if card.list_id not in known:
            raise ImportFileError(f"{card.where}: its list {card.list_id!r} is not on the board")
    # A card's list is always kept (it is used); equal positions fall back on the id.
    cards = sorted(parts.cards, key=lambda card: (order[card.list_id], card.pos, card.id))

    items: list[SourceItem] = []
    several = 0
    gaps = 0
    for card in cards:
        item, dropped, gap = _item(parts, card, kept, closed_lists)
        items.append(item)
        several += len(card.member_ids) > 1
        gaps += gap
        skipped.extend(dropped)
    if several:
        notes.append(
            f"Cards with several members: {several:,}. The first member is the assignee; "
            'all are kept in the field "Trello members".'
        )
    if gaps:
        notes.append(
            f"Cards with gaps in their moves (actions missing from the export): {gaps:,}. "
            "The moves recorded are kept as they are."
        )
    if parts.oldest is not None:
        capped = parts.actions >= TRELLO_ACTION_CAP and parts.actions % TRELLO_ACTION_CAP == 0
        reach = f"The history goes back to {parts.oldest:%Y-%m-%d} ({parts.actions:,} actions)"
        if capped:
            reach += (
                f"; Trello stops an export at {parts.actions:,} actions, so older moves are "
                "missing: cards created before then start in the list they first left"
            )
        notes.append(reach + ".")
    else:
        notes.append("The file holds no actions: no moves; each card starts where it is.")
    labels = sorted({name: color for name, color in parts.labels.values() if color}.items())
    return SourceBoard(
        source="trello",
        name=parts.name.strip() or "Trello board",
        columns=tuple(columns),
        items=tuple(items),
        label_colors=tuple(labels),
        skipped=tuple(skipped),
        notes=tuple(notes),
        history_from=parts.oldest,
    )


def _item(
    parts: _Parts, card: _Card, kept: set[str], closed_lists: set[str]
) -> tuple[SourceItem, list[Skipped], bool]:
    skipped: list[Skipped] = []
    label = f'card "{card.name[:40]}" ({card.short_link or card.id})'
    created = parts.created.get(card.id)
    raw_moves = sorted(parts.moves.get(card.id, ()), key=lambda move: move[0])
    created_at: dt.datetime | None
    first_list: str | None
    if created is not None:
        created_at, first_list = created
    else:
        created_at = _id_time(card.id) or (raw_moves[0][0] if raw_moves else None)
        first_list = None
    if first_list is None or first_list not in kept:
        first_list = raw_moves[0][1] if raw_moves else card.list_id
    if first_list not in kept:
        first_list = card.list_id
    moves: list[SourceMove] = []
    if created_at is not None:
        moves.append(SourceMove(created_at, first_list))
    current = first_list
    gap = False
    for at, before, after in raw_moves:
        if created_at is not None and at < created_at:
            skipped.append(
                Skipped(f"{label}: move at {at:%Y-%m-%d %H:%M}", "earlier than the card's creation")
            )
            continue
        if after not in kept:
            continue
        gap = gap or before != current
        moves.append(SourceMove(at, after))
        current = after
    gap = gap or current != card.list_id
    fields: list[SourceField] = []
    points: float | None = None
    for field_id, value in card.custom:
        field = parts.fields.get(field_id)
        if field is None:
            continue
        shown = _custom_value(field, value)
        if field.type == "number" and ESTIMATE_NAMES.match(field.name) and points is None:
            try:
                points = float(shown)
            except ValueError:
                skipped.append(Skipped(f'{label}: "{field.name}"', f"{shown!r} is not a number"))
            else:
                if not 0 <= points < 1e9:
                    skipped.append(Skipped(f'{label}: "{field.name}"', f"{shown!r} is no estimate"))
                    points = None
            continue
        if shown:
            fields.append(SourceField(field.name, shown))
    members = [parts.members[one] for one in card.member_ids if one in parts.members]
    if len(members) > 1:
        fields.append(SourceField("Trello members", ", ".join(members)))
    checks: list[SourceCheck] = []
    for _at, name, lines in sorted(parts.checklists.get(card.id, ()), key=lambda c: c[0]):
        several = len(parts.checklists[card.id]) > 1
        checks.extend(
            SourceCheck(f"{name}: {line.text}" if several and name else line.text, line.done)
            for line in lines
        )
    comments = sorted(parts.comments.get(card.id, ()), key=lambda comment: comment.at)
    names = (parts.labels[one][0] for one in card.label_ids if one in parts.labels)
    labels = tuple(dict.fromkeys(names))
    item = SourceItem(
        ref=card.id,
        title=card.name,
        column=card.list_id,
        kind=ItemKind.STORY,
        external_key=card.short_link or card.id,
        description=card.desc,
        points=points,
        labels=labels,
        assignee=members[0] if members else None,
        created_at=created_at,
        due_date=card.due,
        updated_at=parts.closed_at.get(card.id, card.last_activity),
        archived=card.closed or card.list_id in closed_lists,
        moves=tuple(moves),
        comments=tuple(comments),
        checklist=tuple(checks),
        fields=tuple(fields),
        origin=label,
    )
    return item, skipped, gap

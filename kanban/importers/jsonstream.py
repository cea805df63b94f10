"""Reading a large JSON document piece by piece, in bounded memory.

The outer structure (the document's object, a list of products, a product's lists) is walked
by hand; each record inside (an item, a transition list, a question) is decoded whole by the
standard library's C scanner (``JSONDecoder.raw_decode``), from a buffer refilled as the file
is read. Memory holds one chunk of the file and the record being read, whatever the size of
the file. Hostile input gets a :class:`ValidationError` naming the line and column: invalid
JSON, ``NaN``, numbers of thousands of digits, records nested too deeply, a key given twice
in one object, text that is not UTF-8 (the first bad byte named), a record larger than
:data:`MAX_RECORD_CHARS`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, NoReturn, TextIO

from kanban.errors import ValidationError

CHUNK_CHARS = 1 << 18
MAX_RECORD_CHARS = 1 << 26
"""The largest single record read whole (64 Mi characters): a longer one is refused."""
_MARGIN = 32  # a value ending this close to the buffer's end may be cut: read on first
_SPACE = re.compile(r"[ \t\n\r]*")


def shown(value: Any, limit: int = 40) -> str:
    """A value quoted for a message, shortened to about ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the record being decoded; a key given twice is refused (which value
    counts would be a guess)."""
    obj = dict(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"the key {shown(key)} comes twice in one object")
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(parse_constant=_no_constant, object_pairs_hook=_object)


def _not_utf8(raw: BinaryIO | None, what: str) -> str:
    """Why the file is not UTF-8 text, with the first bad byte's offset when it can be read."""
    if raw is None:
        return "is not UTF-8 text"
    raw.seek(0)
    head = raw.read(2)
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return f"is UTF-16 text; {what} is UTF-8"
    raw.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while chunk := raw.read(1 << 20):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return (
                f"is not UTF-8 text (byte {offset - pending + exc.start:,} is "
                f"0x{exc.object[exc.start]:02X}); {what} is UTF-8"
            )
        offset += len(chunk)
    return "is not UTF-8 text"


class JsonReader:
    """A pull reader over one JSON text (see the module docstring).

    Args:
        stream: The text, read in chunks.
        raw: The binary file under ``stream``, whose position tells :meth:`bytes_read`.
        what: What the file should be, for the message when it is not UTF-8.
    """

    def __init__(
        self, stream: TextIO, raw: BinaryIO | None = None, what: str = "a kanban export"
    ) -> None:
        self._stream = stream
        self._raw = raw
        self._what = what
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._lines = 0  # newlines before the buffer
        self._column = 0  # characters after the last newline before the buffer

    # --- position and errors -------------------------------------------------------------

    def bytes_read(self) -> int:
        """How far into the file the reader is, in bytes (for progress)."""
        return self._raw.tell() if self._raw is not None else 0

    def _where(self, pos: int) -> str:
        line = self._lines + self._buf.count("\n", 0, pos) + 1
        newline = self._buf.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._column + pos + 1
        return f"line {line}, column {column}"

    def error(self, message: str, pos: int | None = None) -> ValidationError:
        """An error naming the place being read (the caller adds the file's name)."""
        where = self._where(self._pos if pos is None else pos)
        return ValidationError(f"is not valid JSON ({where}: {message})")

    # --- the buffer ----------------------------------------------------------------------

    def _fill(self, wanted: int = CHUNK_CHARS) -> bool:
        """Read more of the file into the buffer; False at the end of the file."""
        if self._eof:
            return False
        dropped = self._buf[: self._pos]
        newlines = dropped.count("\n")
        if newlines:
            self._lines += newlines
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        try:
            more = self._stream.read(max(wanted, CHUNK_CHARS))
        except UnicodeDecodeError:
            raise ValidationError(_not_utf8(self._raw, self._what)) from None
        self._buf = self._buf[self._pos :] + more
        self._pos = 0
        if not more:
            self._eof = True
        return bool(more)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the text)."""
        while True:
            match = _SPACE.match(self._buf, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def _take(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            shown = f"{found!r}" if found else "the end of the file"
            raise self.error(f"expected {what}, found {shown}")
        self._pos += 1

    def value(self) -> Any:
        """The next value, decoded whole."""
        self.peek()
        while True:
            start = self._pos
            try:
                value, end = _DECODER.raw_decode(self._buf, start)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self._buf) - 8 or exc.msg.startswith("Unterminated")
                if cut and self._more(start):
                    continue
                raise self.error(exc.msg.removesuffix(" at"), exc.pos) from None
            except RecursionError:
                raise self.error("the data is nested too deeply", start) from None
            except ValueError as exc:  # a number of over 4,300 digits, NaN, Infinity
                raise self.error(str(exc).split(";")[0], start) from None
            if _too_deep(value, self._buf, start, end):
                raise self.error("the data is nested too deeply", start)
            if end + _MARGIN > len(self._buf) and self._more(start):
                continue  # the value may go on past the buffer (a cut number)
            self._pos = end
            return value

    def _more(self, start: int) -> bool:
        """Read on when the value starting at ``start`` may be cut by the buffer's end."""
        if self._eof:
            return False
        if len(self._buf) - start > MAX_RECORD_CHARS:
            raise self.error(f"a record is larger than {MAX_RECORD_CHARS:,} characters", start)
        self._pos = start
        self._fill(len(self._buf) - start)
        return True

    def skip(self) -> None:
        """Skip the next value; a list is read element by element (bounded memory)."""
        if self.peek() == "[":
            for _ in self.elements():
                self.skip()
        else:
            self.value()

    # --- structure -----------------------------------------------------------------------

    def keys(self) -> Iterator[str]:
        """The keys of the object that comes next; the caller reads each key's value."""
        self._take("{", "an object")
        if self.peek() == "}":
            self._pos += 1
            return
        seen: set[str] = set()
        while True:
            if self.peek() != '"':
                raise self.error("expected a key in double quotes")
            start = self._pos
            key = self.value()
            if key in seen:
                raise self.error(f"the key {shown(key)} comes twice in one object", start)
            seen.add(key)
            self._take(":", "':'")
            yield key
            found = self.peek()
            self._pos += 1
            if found == "}":
                return
            if found != ",":
                raise self.error("expected ',' or '}' after a value", self._pos - 1)

    def elements(self) -> Iterator[int]:
        """Indices of the elements of the list that comes next; the caller reads each one."""
        self._take("[", "a list")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            found = self.peek()
            self._pos += 1
            if found == "]":
                return
            if found != ",":
                raise self.error("expected ',' or ']' after a value", self._pos - 1)

    def values(self) -> Iterator[Any]:
        """The elements of the list that comes next, each decoded whole (:meth:`elements`
        and :meth:`value` in one loop: the hot path of a large file)."""
        self._take("[", "a list")
        if self.peek() == "]":
            self._pos += 1
            return
        value, peek = self.value, self.peek
        while True:
            yield value()
            found = peek()
            self._pos += 1
            if found == "]":
                return
            if found != ",":
                raise self.error("expected ',' or ']' after a value", self._pos - 1)

    def end(self) -> None:
        """Check that nothing but white space follows the document."""
        if self.peek():
            raise self.error("extra data after the document")


MAX_DEPTH = 64
"""Deeper than any record of a kanban export or an importer's source (a few levels)."""


def _too_deep(value: Any, text: str, start: int, end: int) -> bool:
    """Whether lists and objects nest more than :data:`MAX_DEPTH` levels inside ``value``,
    decoded from ``text[start:end]`` (Python 3.13's decoder no longer stops at its recursion
    limit). A text with fewer opening brackets than that cannot nest so deep: counting them
    in C spares the walk for every ordinary record."""
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH:
        return False
    level: list[Any] = [value]
    for _ in range(MAX_DEPTH + 1):
        inner: list[Any] = []
        for node in level:
            if isinstance(node, dict):
                inner.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                inner.extend(v for v in node if isinstance(v, (dict, list)))
        if not inner:
            return False
        level = inner
    return True

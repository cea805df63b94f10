"""Reading a spreadsheet's CSV file row by row, whatever program wrote it.

UTF-8 with or without a byte order mark (Excel writes one), UTF-16 with one (Excel's "Unicode
text"), or Windows-1252 (Excel's plain "CSV" on Windows) when no line is UTF-8; a file that
mixes UTF-8 and another encoding is refused at the first line that breaks the pattern. The
separator is the one of comma, semicolon (Excel in most of Europe) and tab that the header
line uses most.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from kanban.importers.common import check_size
from kanban.importers.records import ImportFileError

MAX_CELL_CHARS = 8 * 1024 * 1024
"""The longest cell read (a description of 8 Mi characters)."""


class Row(NamedTuple):
    line: int
    """The file's line the row starts on (1 is the header)."""
    cells: list[str]


class Table:
    """A CSV file's header and an iterator over its rows (read as it is consumed).

    A context manager: leaving it closes the file, whether the rows were read or not.
    """

    def __init__(
        self,
        header: list[str],
        rows: Iterator[Row],
        delimiter: str,
        lines: _Lines | None,
        raw: BinaryIO,
    ) -> None:
        self.header = header
        self.rows = rows
        self.delimiter = delimiter
        self._lines = lines
        self._raw = raw

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()

    @property
    def encoding(self) -> str:
        """``UTF-8``, ``UTF-16`` or ``Windows-1252``: what the rows read so far were."""
        if self._lines is None:
            return "UTF-16"
        return self._lines.encoding or "UTF-8"


class _Lines:
    """The file's lines as text, choosing the encoding as they come (see the module)."""

    def __init__(self, raw: BinaryIO, path: Path) -> None:
        self.raw = raw
        self.path = path
        self.number = 0
        self.encoding = ""  # decided by the first line that is not ASCII

    def __iter__(self) -> Iterator[str]:
        first = True
        for data in self.raw:
            self.number += 1
            if first:
                first = False
                if data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8) :]
                    self.encoding = "UTF-8"
            if data.isascii():
                yield data.decode("ascii")
                continue
            yield self._decode(data)

    def _decode(self, data: bytes) -> str:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.encoding == "UTF-8":
                raise ImportFileError(
                    f"{self.path}: line {self.number}: not UTF-8 text (byte 0x{data[exc.start]:02x}"
                    f" at column {exc.start + 1}) while earlier lines are: the file mixes "
                    "encodings; save it again as UTF-8"
                ) from None
            self.encoding = "Windows-1252"
            return data.decode("cp1252", errors="replace")
        if self.encoding == "Windows-1252":
            raise ImportFileError(
                f"{self.path}: line {self.number}: UTF-8 text while earlier lines are not: the "
                "file mixes encodings; save it again as UTF-8"
            )
        self.encoding = "UTF-8"
        return text


def _delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table(path: Path) -> Table:
    """Open a CSV file: its header, then its rows as they are read.

    Raises:
        ImportFileError: The file is too large, empty, has no header, or (as the rows are
            read) a line is broken or in another encoding; the message names the line.
    """
    size = check_size(path)
    raw = path.open("rb")
    head = raw.read(4)
    raw.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.read(size).decode("utf-16", errors="replace")
        raw.close()
        lines: Iterator[str] = iter(text.splitlines(keepends=True))
        decoded = None
    else:
        decoded = _Lines(raw, path)
        lines = iter(decoded)
    try:
        first = next(lines, "")
    except ImportFileError:
        raw.close()
        raise
    if not first.strip():
        raw.close()
        raise ImportFileError(f"{path}: the file is empty: the first line must name the columns")
    delimiter = _delimiter(first)
    csv.field_size_limit(MAX_CELL_CHARS)

    def chained() -> Iterator[str]:
        yield first
        yield from lines

    reader = csv.reader(chained(), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except csv.Error as exc:
        raw.close()
        raise ImportFileError(f"{path}: line 1: {exc}") from None

    def rows() -> Iterator[Row]:
        try:
            start = reader.line_num + 1
            for cells in reader:
                if any("\x00" in cell for cell in cells):
                    raise ImportFileError(
                        f"{path}: line {start}: a NUL character: the file is not text"
                    )
                if any(cell.strip() for cell in cells):
                    yield Row(start, cells)
                start = reader.line_num + 1
        except csv.Error as exc:
            raise ImportFileError(f"{path}: line {reader.line_num}: {exc}") from None
        finally:
            raw.close()

    return Table(header, rows(), delimiter, decoded, raw)

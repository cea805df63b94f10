"""Reading a large export file in a second process while this one writes it (a pipeline).

A restore spends as long reading the file (decoding JSON, checking and converting each value
into a record) as writing it (the writer's rules and SQLite's inserts). For a large file,
:func:`read_ahead` runs the reading in a child process (``python -m
kanban.services.readahead FILE CHUNK``) that walks the batch in the order the writer takes it and
sends its records down a pipe, pickled in chunks. This process unpickles them into an
:class:`~kanban.services.bulk.ImportBatch` of the same records: the writer and its rules are
unchanged, and the two halves run on two cores.

Memory stays bounded: the pipe holds a chunk or two, and the child waits until the writer
takes more. An error the child meets (a malformed file) comes in its place in the stream,
after the records before it, and is raised there, as reading in one process raises it. When
the writer stops first (a rule broken, a cancel), the child is stopped. A child that cannot
start, or stops before its first message, leaves the reading to this process.

The stream, one pickle after another: ``("people", members, stakeholders, read)``; for each
product ``("product", record, read)`` (its lazy lists empty), then for each of
:data:`PRODUCT_STREAMS` its records as ``("rows", name, records, read)`` and ``("end", name,
read)``; ``("products_done", read)``; the same for :data:`BATCH_STREAMS`; last ``("done",
read)``. ``read`` is how many bytes of the file the child has read. A failure is ``("error",
kind, message)``. The child is this version of the app, so the stream is no file format.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kanban.errors import KanbanError, NotFoundError, ValidationError
from kanban.services.bulk import ImportBatch, ProductRecord

READ_AHEAD_BYTES = 32 * 2**20
"""Files from this size (some 25,000 items with their history, ~4 s to import in one process)
are read by a second process; starting it costs ~0.3 s."""
CHUNK = 500
"""Records a message holds (some 150 KB of items)."""
PIPE_BYTES = 2**20
"""What the pipe may hold, where the system lets it be set."""
PRODUCT_STREAMS = ("items", "questions", "status_updates", "target_changes", "activities")
"""A product's lazy lists, in the order the writer takes them (as ``_Receiver.products``
gives them)."""
BATCH_STREAMS = ("activities", "imports")
"""The batch's lists after the products, in the order the writer takes them."""
_ERRORS: dict[str, type[Exception]] = {
    "ValidationError": ValidationError,
    "NotFoundError": NotFoundError,
}


class ReadAheadError(KanbanError):
    """The reading process stopped without saying why (killed, out of memory), or out of
    step with the writer; nothing was written."""


# --- the child: read and send ----------------------------------------------------------------


def send_batch(
    batch: ImportBatch, out: IO[bytes], bytes_read: Callable[[], int], chunk_size: int = CHUNK
) -> None:
    """Walk ``batch`` in the writer's order, sending its records to ``out`` in messages of
    ``chunk_size`` records."""

    def send(message: tuple[Any, ...]) -> None:
        pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)

    def stream(name: str, records: Iterable[Any]) -> None:
        chunk: list[Any] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= chunk_size:
                send(("rows", name, chunk, bytes_read()))
                chunk = []
        if chunk:
            send(("rows", name, chunk, bytes_read()))
        send(("end", name, bytes_read()))

    send(("people", list(batch.members), list(batch.stakeholders), bytes_read()))
    for product in batch.products:
        head = product._replace(
            items=(), questions=(), status_updates=(), target_changes=(), activities=()
        )
        send(("product", head, bytes_read()))
        for name in PRODUCT_STREAMS:
            stream(name, getattr(product, name))
    send(("products_done", bytes_read()))
    for name in BATCH_STREAMS:
        stream(name, getattr(batch, name))
    send(("done", bytes_read()))


def main(argv: list[str] | None = None) -> int:
    """The child: read the export file ``argv[0]`` and send its batch to stdout, ``argv[1]``
    records a message."""
    from kanban.services.transfer import open_document

    gc.disable()  # a short life, records without cycles: nothing for the collector to find
    name, chunk_size = argv if argv is not None else sys.argv[1:]
    path = Path(name)
    out = sys.stdout.buffer
    try:
        with open_document(path) as (batch, bytes_read):
            send_batch(batch, out, bytes_read, int(chunk_size))
    except (ValidationError, NotFoundError) as exc:
        pickle.dump(("error", type(exc).__name__, str(exc)), out)
    except BrokenPipeError:  # the writer stopped first
        return 1
    with contextlib.suppress(BrokenPipeError):
        out.flush()
    return 0


# --- the parent: receive ---------------------------------------------------------------------


class _Receiver:
    """The records the child sends, handed out as the writer asks for them."""

    def __init__(self, pipe: IO[bytes], failure: Callable[[], str]) -> None:
        self._pipe = pipe
        self._failure = failure
        self.bytes_read = 0
        self.done = False
        """Whether the child has sent everything."""

    def next(self, *kinds: str) -> tuple[Any, ...]:
        try:
            message: tuple[Any, ...] = pickle.load(self._pipe)
        except (EOFError, pickle.UnpicklingError):
            raise ReadAheadError(f"the file's reader stopped: {self._failure()}") from None
        if message[0] == "error":
            raise _ERRORS.get(message[1], ValidationError)(message[2])
        if message[0] not in kinds:
            raise ReadAheadError(f"the file's reader sent {message[0]!r}, not one of {kinds}")
        self.bytes_read = message[-1]
        return message

    def stream(self, name: str) -> Iterator[Any]:
        while True:
            message = self.next("rows", "end")
            if message[1] != name:
                raise ReadAheadError(f"the file's reader sent {message[1]!r}, not {name!r}")
            if message[0] == "end":
                return
            yield from message[2]

    def products(self) -> Iterator[ProductRecord]:
        while (message := self.next("product", "products_done"))[0] == "product":
            record: ProductRecord = message[1]
            yield record._replace(
                items=self.stream("items"),
                questions=self.stream("questions"),
                status_updates=self.stream("status_updates"),
                target_changes=self.stream("target_changes"),
                activities=self.stream("activities"),
            )

    def batch(self, people: tuple[Any, ...]) -> ImportBatch:
        _kind, members, stakeholders, _read = people
        return ImportBatch(
            members=members,
            stakeholders=stakeholders,
            products=self.products(),
            activities=self.stream("activities"),
            imports=self._last("imports"),
        )

    def _last(self, name: str) -> Iterator[Any]:
        yield from self.stream(name)
        self.next("done")
        self.done = True


def _widen(pipe: IO[bytes]) -> None:
    """Let the pipe hold a few messages (Linux: 1 MiB, from 64 KiB), so that either process
    can run a little ahead of the other."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


@contextlib.contextmanager
def read_ahead(path: Path) -> Iterator[tuple[ImportBatch, Callable[[], int]] | None]:
    """The batch of the export file ``path`` as a second process reads it, and how many of
    the file's bytes it has read; None when no second process could start or it stopped
    before its first message (read the file here then). The process is stopped when the
    block ends."""
    if getattr(sys, "frozen", False) or not sys.executable:  # no Python to run it with
        yield None
        return
    with tempfile.TemporaryFile() as errors:
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "kanban.services.readahead", str(path), str(CHUNK)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                # This process's own modules, whatever the folder or the installation.
                env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))},
            )
        except OSError:
            yield None
            return
        assert child.stdout is not None
        _widen(child.stdout)

        def failure() -> str:
            child.wait()
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            return lines[-1] if lines else f"exit status {child.returncode}"

        receiver = _Receiver(child.stdout, failure)
        try:
            try:
                people = receiver.next("people")
            except ReadAheadError:
                yield None
                return
            yield receiver.batch(people), lambda: receiver.bytes_read
        finally:
            if receiver.done:  # it has only to exit
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(5)
            if child.poll() is None:
                child.kill()
            child.stdout.close()
            child.wait()


if __name__ == "__main__":
    sys.exit(main())

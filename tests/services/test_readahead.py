"""A large export file read by a second process while this one writes it
(kanban.services.readahead): the same rows as reading it here, a cancel that stops the
reader and writes nothing, and reading here when no second process can start. The hostile
files of test_import_hostile and the round trip of test_transfer run both ways too."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from table_dump import dump

from kanban.errors import CancelledError, KanbanError
from kanban.services import Database, bulk, readahead
from kanban.services.transfer import import_file


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every reader process started, with files of any size read ahead."""
    monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", 0)
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        child = real(*args, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(readahead.subprocess, "Popen", popen)
    return started


def test_records_sent_in_many_small_messages_restore_every_row(
    sample_export: tuple[Path, Path],
    db: Database,
    db_path: Path,
    children: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample, document = sample_export
    monkeypatch.setattr(readahead, "CHUNK", 3)  # many messages a list
    summary = import_file(db, document)
    assert len(children) == 1 and children[0].returncode == 0
    assert summary.counts["items"] > 3
    original, restored = dump(sample), dump(db_path)
    for name in original:
        assert restored[name] == original[name], name


def test_a_cancel_stops_the_reader_and_writes_nothing(
    sample_export: tuple[Path, Path],
    db: Database,
    snapshot: Any,
    children: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readahead, "CHUNK", 3)
    monkeypatch.setattr(readahead, "PIPE_BYTES", 4096)  # the reader waits on a full pipe
    monkeypatch.setattr(bulk, "FLUSH_ROWS", 10)  # progress told (and cancelled) early
    before = snapshot()
    told: list[tuple[int, int]] = []

    def cancel(done: int, total: int) -> None:
        told.append((done, total))
        raise CancelledError("Cancelled; nothing was imported")

    with pytest.raises(CancelledError):
        import_file(db, sample_export[1], cancel)
    assert told and told[0][1] == sample_export[1].stat().st_size
    assert snapshot() == before
    assert len(children) == 1 and children[0].returncode == -signal.SIGKILL  # stopped, reaped


def test_without_a_second_process_the_file_is_read_here(
    sample_export: tuple[Path, Path], db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", 0)
    monkeypatch.setattr(sys, "executable", str(Path(sys.executable).parent / "no-such-python"))
    import_file(db, sample_export[1])
    assert dump(db_path)["items"] == dump(sample_export[0])["items"]


def test_a_reader_that_dies_half_way_is_a_clear_error_and_writes_nothing(
    sample_export: tuple[Path, Path],
    db: Database,
    snapshot: Any,
    children: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readahead, "CHUNK", 3)
    monkeypatch.setattr(readahead, "PIPE_BYTES", 4096)  # the child cannot run far ahead
    real_next = readahead._Receiver.next

    def next_then_kill(self: Any, *kinds: str) -> tuple[Any, ...]:
        message = real_next(self, *kinds)
        if message[0] == "rows" and children[0].poll() is None:
            children[0].kill()  # as the system would an out-of-memory process
        return message

    monkeypatch.setattr(readahead._Receiver, "next", next_then_kill)
    before = snapshot()
    with pytest.raises(readahead.ReadAheadError, match="the file's reader stopped: exit status -9"):
        import_file(db, sample_export[1])
    assert isinstance(readahead.ReadAheadError("x"), KanbanError)  # shown as one line
    assert snapshot() == before

"""The append-only journal: every change as a checksummed line, fsync'd before it counts.

A line is ``<crc32:8 hex> <n> <search text of n bytes>\\t<json>\\n``. The JSON is one operation
(``{"tx": 7, "t": "questions", "id": 3, "doc": {...}}`` or ``..."del": true``); the last line of a
transaction carries ``"end": <ops in it>``, so a transaction torn by a crash is recognised and
ignored (it was never acknowledged). The search text (lower-cased words of a question) sits in
front of the JSON so a text query reads just those bytes and never parses the record.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import DatabaseError
from .files import PRIVATE


class JournalMissing(DatabaseError):
    """The snapshot names a journal file that is not there."""


@dataclass(frozen=True)
class Location:
    """Where a record's line and its search text sit in the journal."""

    offset: int
    length: int
    search_start: int
    search_length: int

    def as_list(self) -> list[int]:
        return [self.offset, self.length, self.search_start, self.search_length]


@dataclass
class Op:
    table: str
    key: int
    doc: dict[str, Any] | None  # None: deleted
    location: Location


def encode(op: dict[str, Any], search: bytes = b"") -> bytes:
    body = b"%d %s\t%s" % (len(search), search, orjson.dumps(op))
    return b"%08x %s\n" % (zlib.crc32(body), body)


def _decode(line: bytes, offset: int) -> tuple[dict[str, Any], Location] | None:
    """Parse one line (without its newline); None when its checksum or shape is wrong."""
    if len(line) < 12 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        space = body.index(b" ")
        search_length = int(body[:space])
        json_start = space + 1 + search_length
        if body[json_start : json_start + 1] != b"\t":
            return None
        record = orjson.loads(body[json_start + 1 :])
    except ValueError:
        return None
    search_start = offset + 9 + space + 1
    return record, Location(offset, len(line) + 1, search_start, search_length)


class Journal:
    """One generation of the journal file, opened for reading and (under the lock) appending."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError as error:
            raise JournalMissing(f"{path} is missing: the database cannot be read") from error
        self._append_fd: int | None = None
        self.identity = _identity(os.fstat(self._fd))

    def close(self) -> None:
        for fd in (self._fd, self._append_fd):
            if fd is not None:
                os.close(fd)
        self._append_fd = None

    def size(self) -> int:
        return os.fstat(self._fd).st_size

    def is_current(self) -> bool:
        """False once another process replaced or removed this generation's file."""
        try:
            return _identity(os.stat(self.path)) == self.identity
        except FileNotFoundError:
            return False

    def append(self, lines: list[bytes]) -> int:
        """Write whole transactions and make them durable; returns the offset they start at."""
        if self._append_fd is None:
            self._append_fd = os.open(self.path, os.O_WRONLY | os.O_APPEND, PRIVATE)
        start = os.lseek(self._append_fd, 0, os.SEEK_END)
        data = memoryview(b"".join(lines))
        while data:
            data = data[os.write(self._append_fd, data) :]
        os.fdatasync(self._append_fd)
        return start

    def truncate(self, size: int) -> None:
        """Drop a torn, never-acknowledged tail (only under the writers' lock)."""
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self, location: Location) -> dict[str, Any]:
        line = os.pread(self._fd, location.length, location.offset)
        decoded = _decode(line[:-1], location.offset)
        if decoded is None:
            raise DatabaseError(f"{self.path}: damaged record at byte {location.offset}")
        return decoded[0]

    def raw(self, location: Location) -> bytes:
        return os.pread(self._fd, location.length, location.offset)

    def search_text(self, location: Location) -> bytes:
        """The record's lower-cased search text."""
        return os.pread(self._fd, location.search_length, location.search_start)

    def read_at(self, start: int, length: int) -> bytes:
        return os.pread(self._fd, length, start)

    def containing(self, entries: list[dict[str, Any]], needle: bytes) -> list[dict[str, Any]]:
        """The question summaries whose search text (located by their "_loc") holds `needle`.

        One pread each, not a memory map: a map would be a few ms faster on a warm query, but
        every page a search touches (64 KB around each, by fault-around) then counts in the
        app's resident memory, which grew by 180 MB for one query at 50k questions.
        """
        pread, fd = os.pread, self._fd
        return [e for e in entries if needle in pread(fd, e["_loc"][3], e["_loc"][2])]

    def scan(self, start: int) -> tuple[list[list[Op]], int, bool]:
        """Committed transactions from `start` on.

        Returns them, the offset just past the last one, and whether bytes follow it (a torn
        transaction, or one being written right now by another process). A damaged line that
        is followed by good ones means the file was corrupted, not torn: that raises.
        """
        size = self.size()
        data = os.pread(self._fd, size - start, start) if size > start else b""
        committed: list[list[Op]] = []
        pending: list[Op] = []
        pending_tx = None
        end = start
        for line_start, line in _lines(data):
            offset = start + line_start
            decoded = _decode(line, offset)
            if decoded is None:
                if _has_valid_line_after(data, line_start + len(line) + 1, start):
                    raise DatabaseError(
                        f"{self.path} is damaged at byte {offset}; it was left as it is "
                        "(restore it from a backup, or move it away to start afresh)"
                    )
                break
            record, location = decoded
            tx = record.get("tx")
            if pending and tx != pending_tx:
                pending = []  # a transaction cut short by a crash, never acknowledged
            pending_tx = tx
            pending.append(
                Op(
                    record["t"],
                    record["id"],
                    None if record.get("del") else record["doc"],
                    location,
                )
            )
            position = line_start + len(line) + 1
            if "end" in record:
                if record["end"] == len(pending):
                    committed.append(pending)
                    end = start + position
                pending = []
        return committed, end, size > end


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Complete lines with their start; an unterminated last line (torn, or still being
    written by another process) is left out: the caller sees it as bytes past the end."""
    position = 0
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            return
        yield position, data[position:newline]
        position = newline + 1


def _has_valid_line_after(data: bytes, position: int, base: int) -> bool:
    for line_start, line in _lines(data[position:]):
        if _decode(line, base + position + line_start) is not None:
            return True
    return False

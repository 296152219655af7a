"""One generation of the append-only journal: its header, appends, reads and scans.

The file starts with a J record naming the database and the generation, then holds
transactions of records (see records.py). Appending happens only under the writers' lock;
reading never changes the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from ..errors import Damaged, DatabaseError, why
from . import records
from .documents import blocks_containing
from .files import open_regular, problem, write_all
from .records import Record, Scan
from .schema import Summary

FORMAT = "qa-queue journal"
VERSION = 2
_FIRST_READ = 64 * 1024  # the J record is a few hundred bytes


class JournalMissing(DatabaseError):
    """The snapshot names a journal file that is not there."""


def header_payload(database: str, generation: int, origin: dict[str, Any] | None) -> bytes:
    """The J record's payload: which database and generation the file is, and what it was
    made from (a compaction, migration or repair), so a leftover can be proved ours."""
    return orjson.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "database": database,
            "generation": generation,
            "from": origin,
        }
    )


def read_header(path: Path, fd: int) -> tuple[dict[str, Any], int]:
    """The J record of an open journal and the offset just past it; DatabaseError (naming
    the file) if the file does not start with one."""
    try:
        data = os.pread(fd, _FIRST_READ, 0)
    except OSError as error:
        raise problem(path, error, "read it") from error
    found = records.read_one(data, 0, 0)
    if isinstance(found, records.Damage) or (found is not None and found.kind != "J"):
        raise DatabaseError(f"{path} is not a qa-queue journal; it was left untouched")
    if found is None:
        what = "empty" if not data else "cut short before its header was written"
        raise DatabaseError(f"{path} is {what}: not a journal qa-queue finished; left untouched")
    try:
        header = orjson.loads(found.payload)
    except orjson.JSONDecodeError:
        header = None
    if not (isinstance(header, dict) and header.get("format") == FORMAT):
        raise DatabaseError(f"{path} is not a qa-queue journal; it was left untouched")
    version = header.get("version")
    if isinstance(version, int) and version > VERSION:
        raise DatabaseError(
            f"{path} was written by a newer qa-queue (journal version {version}, this one "
            f"knows {VERSION}): upgrade qa-queue to open it; it was left untouched"
        )
    if version != VERSION:
        raise DatabaseError(
            f"{path} was written by another version of qa-queue (journal version "
            f"{header.get('version')!r}); it was left untouched"
        )
    return header, found.end


class Journal:
    """One generation of the journal file, opened for reading and (under the lock) appending."""

    def __init__(self, path: Path, *, database: str | None = None, generation: int | None = None):
        self.path = path
        try:
            self._fd = open_regular(path, os.O_RDONLY, "read it")
        except FileNotFoundError as error:
            raise JournalMissing(f"{path} is missing: the database cannot be read") from error
        self._append_fd: int | None = None
        try:
            self.identity = _identity(os.fstat(self._fd))
            self.header, self.start = read_header(path, self._fd)
            if database is not None and self.header.get("database") != database:
                snapshot = path.name.split(".journal")[0]
                raise DatabaseError(
                    f"{path} belongs to another qa-queue database than the {snapshot} beside "
                    "it (was one of them copied from elsewhere?); both were left untouched"
                )
            if generation is not None and self.header.get("generation") != generation:
                raise DatabaseError(
                    f"{path} says it is generation {self.header.get('generation')!r}, not "
                    f"{generation} as its name says; it was left untouched"
                )
        except BaseException:
            os.close(self._fd)
            raise

    @property
    def database(self) -> str:
        return str(self.header.get("database"))

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
            return _identity(os.stat(self.path, follow_symlinks=False)) == self.identity
        except FileNotFoundError:
            return False

    # -- writing (under the writers' lock) -----------------------------------------------------

    def append(self, data: bytes, at: int) -> None:
        """Write whole transactions at offset `at` (the end of what is committed) and make
        them durable. On failure the bytes written are taken back, and DatabaseError says
        that nothing was changed."""
        fd = self._writable()
        try:
            write_all(fd, data)
            os.fdatasync(fd)
        except OSError as error:
            self._take_back(at)
            raise DatabaseError(
                f"{self.path}: cannot save the change ({why(error)}); nothing was changed"
            ) from error

    def truncate_torn(self, size: int) -> None:
        """Drop a torn, never-acknowledged tail that scan() proved is one (under the lock)."""
        fd = self._writable()
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        except OSError as error:
            raise problem(self.path, error, "write to it") from error

    def _writable(self) -> int:
        if self._append_fd is None:
            try:
                fd = open_regular(self.path, os.O_WRONLY | os.O_APPEND, "write to it")
            except FileNotFoundError as error:
                raise JournalMissing(f"{self.path} is missing") from error
            if _identity(os.fstat(fd)) != self.identity:
                os.close(fd)
                raise DatabaseError(
                    f"{self.path} was replaced while qa-queue had it open; try again"
                )
            self._append_fd = fd
        return self._append_fd

    def _take_back(self, size: int) -> None:
        """Cut what this process just appended and was not acknowledged (a write or fdatasync
        failed): those bytes are ours. If even that fails, the next writer sees a torn tail."""
        try:
            if self._append_fd is not None and os.fstat(self._append_fd).st_size > size:
                os.ftruncate(self._append_fd, size)
        except OSError:
            pass

    # -- reading ------------------------------------------------------------------------------

    def record(self, offset: int, length: int) -> Record:
        """The record at `offset`, checked; Damaged (naming the file and offset) if it is not
        intact."""
        try:
            data = os.pread(self._fd, length, offset)
        except OSError as error:
            raise problem(self.path, error, "read it") from error
        found = records.read_one(data, 0, offset)
        if isinstance(found, records.Damage):
            raise Damaged(self.path, found.offset, found.why)
        if found is None or found.length != length:
            raise Damaged(self.path, offset, "a record is missing or cut short there")
        return found

    def read_at(self, start: int, length: int) -> bytes:
        return os.pread(self._fd, length, start)

    def scan(self, start: int) -> Scan:
        """Committed transactions from `start` to the end of the file (see records.scan)."""
        size = self.size()
        try:
            data = os.pread(self._fd, size - start, start) if size > start else b""
        except OSError as error:
            raise problem(self.path, error, "read it") from error
        return records.scan(data, start)

    def containing(self, entries: list[Summary], needle: bytes) -> list[Summary]:
        """The question summaries whose text block (located by their "_loc") holds `needle`.

        One pread each, not a memory map: a map would be a few ms faster on a warm query, but
        every page a search touches (64 KB around each, by fault-around) then counts in the
        app's resident memory, which grew by 180 MB for one query at 50k questions.
        """
        pread, fd = os.pread, self._fd
        blocks = ((e, pread(fd, e["_loc"][3], e["_loc"][2])) for e in entries)
        return blocks_containing(blocks, needle)


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino

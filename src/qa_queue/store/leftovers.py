"""Files a crash leaves beside a database, the proofs that let a writer remove them, and the
quarantine file where damaged parts are set aside.

A file is removed only by a writer holding the lock, and only when it is provably the store's
own and superseded (docs/STORAGE.md):

- a snapshot's temporary file (``q.json.tmp-<pid>``) that is empty or starts with a snapshot
  header of this database: a snapshot write that never finished;
- a journal generation whose header names this database and whose every committed byte is
  in the current generation: the one a finished compaction, migration or repair copied
  (its "from" in the current generation's header, checked byte for byte), or a new one a
  crash left before the snapshot named it (its "from" is the current one, and it holds
  nothing but the copy).

Anything else (a file of another database, one that cannot be read, a generation with changes
of its own) is left as it is and reported by `qa-queue doctor`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from ..errors import DatabaseError
from . import records, shred
from .files import PRIVATE, open_regular, problem, write_all
from .generation import generation_numbers, journal_path
from .journal import Journal
from .snapshot import header_of


def temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.tmp-*"))


def named(path: Path, generation: int) -> bool:
    """Whether files that may be leftovers are there (by name only: cheap, on every open)."""
    return bool(temp_files(path)) or any(g != generation for g in generation_numbers(path))


@dataclass
class Leftover:
    path: Path
    what: str
    removable: bool
    ours: bool = False  # this database's, with changes the current generation lacks


def examine(path: Path, current: Journal) -> list[Leftover]:
    """Every temporary file and other-generation journal beside the database, and whether
    it is proved to be a superseded file of ours."""
    found = [_temp(tmp, current.database) for tmp in temp_files(path)]
    generation = current.header.get("generation")
    for number in generation_numbers(path):
        if number != generation:
            found.append(_generation(journal_path(path, number), number, current))
    return found


def remove_proved(path: Path, generation: int, current: Journal) -> list[str]:
    """Remove the leftovers proved ours and superseded (call under the writers' lock).

    While the current generation is an erasure's (erase.py), a leftover may hold what was
    erased (the erasure was killed before it removed the old files): its bytes are zeroed
    before it goes."""
    erasing = (current.header.get("from") or {}).get("kind") == "erasure"
    removed = []
    for leftover in examine(path, current):
        if leftover.removable:
            if erasing:
                shred.shred(leftover.path)
            else:
                with contextlib.suppress(FileNotFoundError):
                    leftover.path.unlink()
            removed.append(leftover.path.name)
    return removed


def _temp(tmp: Path, database: str) -> Leftover:
    try:
        info = os.lstat(tmp)
        if not stat.S_ISREG(info.st_mode):
            return Leftover(tmp, "not a regular file", False)
        if info.st_size == 0:
            return Leftover(tmp, "an empty temporary file", True)
        with tmp.open("rb") as file:
            head = file.read(4096)
    except OSError as error:
        return Leftover(tmp, f"cannot be read ({error.strerror})", False)
    header = header_of(head)
    ours = b'"database":"%s"' % database.encode()
    if (header is not None and header.get("database") in (database, None)) or (
        head.startswith(b'{"format":"qa-queue","schema":') and ours in head
    ):  # whole header, or cut short after it named this database
        return Leftover(tmp, "a snapshot write that did not finish", True)
    return Leftover(tmp, "not recognised as a snapshot of this database", False)


def _generation(candidate: Path, number: int, current: Journal) -> Leftover:
    origin = current.header.get("from") or {}
    if origin.get("kind") == "migration" and origin.get("generation") == number:
        return _migrated_from(candidate, origin)
    try:
        other = Journal(candidate)
    except DatabaseError as error:
        if _unfinished_header(candidate):
            return Leftover(candidate, "a new generation whose header was never finished", True)
        return Leftover(candidate, str(error).split(": ", 1)[-1], False)
    try:
        theirs = other.header.get("from") or {}
        if theirs and theirs == origin and _only_its_copy(other):
            # made from the very bytes the current generation was made from, never used:
            # an upgrade or repair interrupted and done again
            return Leftover(candidate, "a copy an interrupted upgrade or repair left", True)
        if other.database != current.database:
            return Leftover(candidate, "a journal of another database", False)
        if origin.get("generation") == number and _holds(other, origin, nothing_after=True):
            return Leftover(candidate, f"superseded by {current.path.name}", True)
        scan = other.scan(other.start)
        if scan.damage is None and not scan.transactions:
            # nothing committed but its header: a copy stopped before it was finished, or a
            # generation nobody wrote to
            return Leftover(candidate, "a generation that holds no change", True)
        derived = theirs.get("generation") == current.header.get("generation") and _holds(
            current, theirs, nothing_after=False
        )
        if derived and _only_its_copy(other):
            return Leftover(candidate, "a new generation a crash left unfinished", True)
        if _earlier_copy(theirs, current) and _only_its_copy(other):
            return Leftover(candidate, "an earlier copy of what the current one holds", True)
        return Leftover(candidate, "a generation with changes not in the current one", False, True)
    finally:
        other.close()


def _earlier_copy(theirs: dict[str, Any], current: Journal) -> bool:
    """Whether a generation was copied from a generation the current one descends from, at or
    before the place the current one's line copied it: then all it holds is in the current
    one (history entries are never dropped) or superseded by it (older question versions).
    The line is in each generation's header ("lineage": [generation, end] of each source)."""
    source, end = theirs.get("generation"), theirs.get("end")
    if not isinstance(end, int):
        return False
    lineage = (current.header.get("from") or {}).get("lineage") or []
    return any(
        isinstance(step, list) and step[:1] == [source] and step[1] >= end for step in lineage
    )


def lineage(header: dict[str, Any], generation: int, end: int) -> list[list[int]]:
    """The line of a new generation copied from one with `header`, up to `end` of it."""
    before = (header.get("from") or {}).get("lineage") or []
    return [*before[-50:], [generation, end]]  # a few dozen steps are plenty to recognise


def _unfinished_header(candidate: Path) -> bool:
    """Empty, or a J record cut short and nothing else: a generation that a crash stopped
    while its first record was being written (it holds no data)."""
    try:
        data = candidate.read_bytes()[: 64 * 1024]
    except OSError:
        return False
    if not data:
        return True
    if len(data) < records.HEADER:
        return data[:2] == records.MAGIC[: len(data[:2])] and data[2:3] in (b"", b"J")
    header = records.parse_header(data[: records.HEADER])
    return (
        not isinstance(header, str)
        and header.kind == "J"
        and records.HEADER + header.length > len(data)
        and data[records.HEADER :].startswith(
            b'{"format":"qa-queue journal"'[: len(data) - records.HEADER]
        )
    )


def _holds(journal: Journal, origin: dict[str, Any], *, nothing_after: bool) -> bool:
    """Whether `journal` still holds, byte for byte, what a new generation copied from it
    (and, with `nothing_after`, no change committed after the copy was made)."""
    end = origin.get("end")
    if not isinstance(end, int) or journal.size() < end:
        return False
    if "crc" in origin:  # a repair's source: its unread parts went to the quarantine file
        return bool(zlib.crc32(journal.read_at(0, end)) == origin["crc"])
    last = origin.get("last")
    if not (isinstance(last, list) and len(last) == 2):
        return False
    try:
        record = journal.record(last[0], end - last[0])
    except DatabaseError:
        return False
    if record.header_crc != last[1]:
        return False
    if not nothing_after:
        return True
    after = journal.scan(end)
    return not after.transactions and after.damage is None


def _only_its_copy(journal: Journal) -> bool:
    """A new generation that was never used: at most the one transaction of its copy."""
    scan = journal.scan(journal.start)
    return scan.damage is None and len(scan.transactions) <= 1


def _migrated_from(candidate: Path, origin: dict[str, Any]) -> Leftover:
    """The first-format journal a finished migration read (its unread tail was quarantined)."""
    try:
        fd = open_regular(candidate, os.O_RDONLY, "read it")
    except (OSError, DatabaseError):
        return Leftover(candidate, "cannot be read", False)
    try:
        data = os.pread(fd, origin.get("end", 0), 0)
    finally:
        os.close(fd)
    if zlib.crc32(data) == origin.get("crc") and len(data) == origin.get("end"):
        return Leftover(candidate, "the journal of the first format, migrated", True)
    return Leftover(candidate, "a first-format journal that does not match the migration", False)


# -- the quarantine file ----------------------------------------------------------------------


def quarantine_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.quarantine")


def quarantine(path: Path, parts: list[tuple[Path, int, bytes, str]]) -> Path:
    """Append damaged or unread parts (file, offset, bytes, why) to the quarantine file next
    to the database, durably, before anything that held them changes. Each part is a line
    of JSON saying where it came from, then its bytes as they were, then a newline."""
    target = quarantine_path(path)
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    chunks = []
    for source, offset, data, why in parts:
        head = {"at": at, "file": source.name, "offset": offset, "length": len(data), "why": why}
        chunks.append(b"%s\n%s\n" % (orjson.dumps(head), data))
    try:
        fd = open_regular(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, "write to it", PRIVATE)
    except FileNotFoundError as error:
        raise problem(target, error, "create it") from error
    try:
        write_all(fd, b"".join(chunks))
        os.fsync(fd)
    except OSError as error:
        raise problem(target, error, "write to it") from error
    finally:
        os.close(fd)
    return target


def quarantined_parts(path: Path) -> list[dict[str, Any]]:
    """The headers of the parts in the quarantine file (for doctor's report)."""
    target = quarantine_path(path)
    try:
        data = target.read_bytes()
    except OSError:
        return []
    parts, position = [], 0
    while position < len(data):
        newline = data.find(b"\n", position)
        if newline < 0:
            break
        try:
            head = orjson.loads(data[position:newline])
        except orjson.JSONDecodeError:
            break
        parts.append(head)
        position = newline + 1 + int(head.get("length", 0)) + 1
    return parts

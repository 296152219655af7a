"""Reading a database of the first format (schema 1), to migrate it.

Its journal was one line per operation, ``<crc32:8 hex> <n> <search text>\\t<json>\\n``, the
last line of a transaction carrying ``"end"``; each question version carried its whole
history. That format could not tell a torn tail from a damaged last line, which is why it
was replaced (see docs/STORAGE.md); migration keeps any bytes past the last committed line
in the quarantine file rather than guessing.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import Damaged, DatabaseError
from .encoding import renumbered
from .files import open_regular, problem
from .generation import QuestionCopy
from .schema import EPISODES, QUESTIONS, SETTINGS
from .snapshot import Snapshot


def decode_line(line: bytes) -> dict[str, Any] | None:
    """One line (without its newline) as the operation it holds; None if it is not intact."""
    if len(line) < 12 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        space = body.index(b" ")
        json_start = space + 1 + int(body[:space])
        if body[json_start : json_start + 1] != b"\t":
            return None
        record = orjson.loads(body[json_start + 1 :])
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def encode_line(op: dict[str, Any], search: bytes = b"") -> bytes:
    """A line of the first format (for tests that build such a database)."""
    body = b"%d %s\t%s" % (len(search), search, orjson.dumps(op))
    return b"%08x %s\n" % (zlib.crc32(body), body)


@dataclass
class Legacy:
    """What a first-format database holds, read without changing a byte of it."""

    journal: Path
    data: bytes
    end: int  # just past the last committed line
    tables: dict[str, dict[str, Any]]
    tail: dict[int, dict[str, Any] | None] = field(default_factory=dict)  # replayed versions
    damage: list[tuple[int, int, str]] = field(default_factory=list)  # (offset, length, why)

    def question_ids(self) -> list[int]:
        ids = {int(key) for key in self.tables[QUESTIONS]} | set(self.tail)
        return sorted(i for i in ids if self.tail.get(i, True) is not None)

    def questions(self) -> Iterator[tuple[int, dict[str, Any] | None]]:
        """(id, whole document with history) of every question; None where it is damaged."""
        for question_id in self.question_ids():
            if question_id in self.tail:
                yield question_id, self.tail[question_id]
                continue
            offset, length = self.tables[QUESTIONS][str(question_id)]["_loc"][:2]
            record = decode_line(self.data[offset : offset + length - 1])
            yield question_id, (record or {}).get("doc")

    @property
    def unread(self) -> tuple[int, bytes]:
        """Bytes past the last committed line: a torn tail, or a damaged last line."""
        return self.end, self.data[self.end :]


def read(path: Path, snapshot: Snapshot, *, strict: bool = True) -> Legacy:
    """The first-format database whose snapshot is `snapshot`. With `strict`, a damaged line
    that good lines follow raises Damaged; without, it is noted in `damage` and skipped."""
    journal = path.with_name(f"{path.name}.journal.{snapshot.generation}")
    try:
        fd = open_regular(journal, os.O_RDONLY, "read it")
    except FileNotFoundError:
        raise DatabaseError(f"{journal} is missing: the database cannot be read") from None
    try:
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0)
    except OSError as error:
        raise problem(journal, error, "read it") from error
    finally:
        os.close(fd)
    if len(data) < snapshot.covered:
        raise Damaged(
            journal, len(data), f"it ends before byte {snapshot.covered}, which {path.name} covers"
        )
    tables = {
        name: dict(snapshot.tables.get(name) or {}) for name in (QUESTIONS, EPISODES, SETTINGS)
    }
    legacy = Legacy(journal, data, snapshot.covered, tables)
    _replay(legacy, strict)
    return legacy


def _replay(legacy: Legacy, strict: bool) -> None:
    data, position = legacy.data, legacy.end
    pending: list[dict[str, Any]] = []
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            return
        record = decode_line(data[position:newline])
        if record is None:
            if strict and _intact_line_after(data, newline + 1):
                raise Damaged(legacy.journal, position, "a line whose checksum does not match")
            legacy.damage.append((position, newline + 1 - position, "a damaged line"))
            if strict:
                return
            pending = []
            position = newline + 1
            continue
        if pending and record.get("tx") != pending[-1].get("tx"):
            pending = []  # a transaction cut short by a crash
        pending.append(record)
        position = newline + 1
        if "end" in record:
            if record["end"] == len(pending):
                for op in pending:
                    _apply(legacy, op)
                legacy.end = position
            pending = []


def _apply(legacy: Legacy, op: dict[str, Any]) -> None:
    table, key, doc = op["t"], int(op["id"]), None if op.get("del") else op["doc"]
    if table == QUESTIONS:
        legacy.tail[key] = doc
    elif doc is None:
        legacy.tables[table].pop(str(key), None)
    else:
        legacy.tables[table][str(key)] = doc


def _intact_line_after(data: bytes, position: int) -> bool:
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            return False
        if decode_line(data[position:newline]) is not None:
            return True
        position = newline + 1


def copies(
    old: Legacy, lost: Callable[[int, dict[str, Any]], QuestionCopy]
) -> Iterator[QuestionCopy]:
    """Every question as a copy for a new generation, its history split off and numbered;
    one that cannot be read is whatever `lost` makes of its id and index entry."""
    for question_id, doc in old.questions():
        if doc is None:
            yield lost(question_id, old.tables[QUESTIONS].get(str(question_id), {}))
            continue
        doc = orjson.loads(orjson.dumps(doc))
        history = renumbered(list(doc.pop("history", None) or []))
        updated_at = history[-1].get("at", "") if history else doc.get("received_at", "")
        yield QuestionCopy(question_id, doc, history, updated_at)


def build(
    path: Path,
    questions: list[dict[str, Any]],
    *,
    settings: dict[str, Any] | None = None,
    episodes: Iterable[dict[str, Any]] = (),
    checkpointed: bool = True,
) -> None:
    """Write a first-format database (for the tests and benchmarks of migration): one
    transaction per question (documents with their whole history), then the settings and
    episodes; with `checkpointed`, a snapshot that indexes all of it, else one that indexes
    nothing (everything in the journal's tail)."""
    lines: list[bytes] = []
    summaries: dict[str, Any] = {}
    offset = 0
    for tx, doc in enumerate(questions, 1):
        op = {"tx": tx, "t": QUESTIONS, "id": doc["id"], "doc": doc, "end": 1}
        line = encode_line(op, doc.get("title", "").lower().encode())
        history = doc.get("history") or []
        summaries[str(doc["id"])] = {
            "id": doc["id"],
            "title": doc.get("title", ""),
            "status": doc.get("status", "new"),
            "tags": doc.get("tags") or [],
            "revision": doc.get("revision", 1),
            "updated_at": history[-1]["at"] if history else doc.get("received_at", ""),
            "_loc": [offset, len(line), 0, 0],
        }
        lines.append(line)
        offset += len(line)
    tables: dict[str, Any] = {QUESTIONS: summaries, EPISODES: {}, SETTINGS: {}}
    if settings is not None:
        tables[SETTINGS]["1"] = settings
    for episode in episodes:
        tables[EPISODES][str(episode["number"])] = episode
    journal = path.with_name(f"{path.name}.journal.1")
    journal.write_bytes(b"".join(lines))
    os.chmod(journal, 0o600)
    covered = offset if checkpointed else 0
    if not checkpointed:
        tables = {QUESTIONS: {}, EPISODES: tables[EPISODES], SETTINGS: tables[SETTINGS]}
    document = {"format": "qa-queue", "schema": 1, "generation": 1, "covered": covered}
    path.write_bytes(orjson.dumps({**document, "tables": tables}))
    os.chmod(path, 0o600)

"""Reading a whole journal file, damage and all: what doctor reports and a repair keeps.

Unlike opening, which stops at the first damaged byte, this steps over damage to the next
intact record and notes each stretch it could not read. A transaction counts when its
commit record is intact; its intact records are kept even when another of its records is
damaged (the commit proves it was acknowledged). Records after the last commit were never
acknowledged: they are set aside, not applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from . import records
from .documents import decode_question
from .encoding import read_entry, read_other, read_question
from .files import open_regular, problem
from .journal import read_header
from .records import Damage, Record
from .schema import EPISODES, SETTINGS


@dataclass
class Part:
    """A stretch of a file that a repair sets aside: where, how long, why, what it held."""

    offset: int
    length: int
    why: str
    held: str = ""  # what it was, as far as can be told ("question #12's version 7")


@dataclass
class Rebuilt:
    """Everything intact and committed in one journal file."""

    path: Path
    size: int
    header: dict[str, Any] | None  # the J record, None if damaged
    committed_end: int = 0
    last: list[int] | None = None
    questions: dict[int, dict[str, Any]] = field(default_factory=dict)  # latest intact version
    versions: dict[int, int] = field(default_factory=dict)  # id -> offset of that version
    deleted: set[int] = field(default_factory=set)
    history: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)  # id -> seq -> e
    updated_at: dict[int, str] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=lambda: {EPISODES: {}, SETTINGS: {}})
    damaged: list[Part] = field(default_factory=list)
    unacknowledged: Part | None = None
    records: int = 0

    def set_aside(self) -> list[Part]:
        return [*self.damaged, *([self.unacknowledged] if self.unacknowledged else [])]


def read_file(path: Path) -> tuple[bytes, dict[str, Any] | None]:
    """The journal's bytes and its header (None when the header is not intact)."""
    fd = open_regular(path, os.O_RDONLY, "read it")
    try:
        data = os.pread(fd, os.fstat(fd).st_size, 0)
        try:
            header, _start = read_header(path, fd)
        except Exception:  # a damaged header: the records after it may still be intact
            header = None
    except OSError as error:
        raise problem(path, error, "read it") from error
    finally:
        os.close(fd)
    return data, header


def rebuild(path: Path, data: bytes, header: dict[str, Any] | None) -> Rebuilt:
    result = Rebuilt(path, len(data), header)
    group: list[Record] = []
    group_start = 0
    for found in records.records_from(data):
        if isinstance(found, Damage):
            end = _damage_end(data, found.offset)
            result.damaged.append(
                Part(found.offset, end - found.offset, found.why, _held(data, found))
            )
            continue
        if not group:
            group_start = found.offset
        group.append(found)
        result.records += 1
        if found.commit:
            for record in group:
                _apply(result, record)
            result.committed_end = found.end
            result.last = [found.offset, found.header_crc]
            group = []
    if group:  # records after the last commit, and whatever follows them
        result.damaged = [p for p in result.damaged if p.offset < group_start]
        result.unacknowledged = Part(
            group_start, len(data) - group_start, "changes never acknowledged"
        )
    elif result.damaged and result.damaged[-1].why == "cut short":
        cut = result.damaged.pop()
        result.unacknowledged = Part(cut.offset, cut.length, "changes never acknowledged")
    return result


def _damage_end(data: bytes, offset: int) -> int:
    return records.resync(data, offset + 1) if offset < len(data) else offset


def _apply(result: Rebuilt, record: Record) -> None:
    try:
        if record.kind == "Q":
            version = read_question(record)
            if version.doc is None:
                result.questions.pop(version.question_id, None)
                result.deleted.add(version.question_id)
            else:
                result.questions[version.question_id] = version.doc
                result.versions[version.question_id] = record.offset
                result.updated_at[version.question_id] = version.updated_at
                result.deleted.discard(version.question_id)
        elif record.kind == "H":
            question_id, _prev, entry = read_entry(record)
            result.history.setdefault(question_id, {})[int(entry.get("seq") or 0)] = entry
        elif record.kind in "ES":
            table, key, doc = read_other(record)
            if doc is None:
                result.tables[table].pop(str(key), None)
            else:
                result.tables[table][str(key)] = doc
    except (ValueError, KeyError, TypeError) as error:
        result.damaged.append(
            Part(record.offset, record.length, f"a record qa-queue cannot read: {error}")
        )


def _held(data: bytes, damage: Damage) -> str:
    """What a damaged record was, when its header is intact and its text still parses."""
    header = records.parse_header(data[damage.offset : damage.offset + records.HEADER])
    if isinstance(header, str):
        return ""
    payload = data[damage.offset + records.HEADER : damage.offset + records.HEADER + header.length]
    try:
        if header.kind == "Q":
            doc = decode_question(payload)
            return f"a version of question #{doc.get('id')} (revision {doc.get('revision')})"
        if header.kind == "H":
            body = orjson.loads(payload)
            entry = body.get("e") or {}
            return (
                f"history entry {entry.get('seq')} of question #{body.get('q')} "
                f"({entry.get('action')} by {entry.get('host')}, {entry.get('at')})"
            )
    except (ValueError, TypeError, AttributeError):
        pass
    names = {
        "Q": "a question version",
        "H": "a history entry",
        "E": "an episode",
        "S": "the settings",
    }
    return names.get(header.kind, "")

"""Reading a whole journal file, damage and all: what doctor reports and a repair keeps.

Unlike opening, which stops at the first damaged byte, this steps over damage to the next
intact record and notes each stretch it could not read. A transaction counts when its
commit record is intact; its intact records are kept even when another of its records is
damaged (the commit proves it was acknowledged). Records after the last commit were never
acknowledged: they are set aside, not applied.
"""

from __future__ import annotations

import os
import re
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
    readable: dict[int, dict[str, Any]] = field(default_factory=dict)  # damaged but readable
    damaged_versions: dict[int, int] = field(default_factory=dict)  # id -> damaged revision

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
    readable: list[dict[str, Any]] = []  # damaged question versions of the group that read
    group_start: int | None = None  # where what follows the last commit starts
    group_damaged = False
    for found in records.records_from(data):
        if isinstance(found, Damage):
            end = _damage_end(data, found.offset)
            saved = records.salvage(data, found.offset, end) if found.why != "cut short" else None
            if saved is not None:  # only its header was hit: the record itself is intact
                result.damaged.append(Part(found.offset, saved.length, found.why, KEPT_WHOLE))
                found = saved
            else:
                result.damaged.append(
                    Part(found.offset, end - found.offset, found.why, _held(data, found))
                )
                if found.why != "cut short":
                    readable.extend(_readable(data, found))
                    group_start = found.offset if group_start is None else group_start
                    group_damaged = True
                if _closes_a_transaction(data, found):
                    _commit(result, group, end, readable)  # the commit proves it was acknowledged
                    group, readable, group_start, group_damaged = [], [], None, False
                continue
        group_start = found.offset if group_start is None else group_start
        group.append(found)
        result.records += 1
        if found.commit:
            _commit(result, group, found.end, readable)
            result.last = [found.offset, found.header_crc]
            group, readable, group_start, group_damaged = [], [], None, False
    if group and not group_damaged:  # intact records, no commit: a crash's torn tail
        assert group_start is not None
        result.damaged = [p for p in result.damaged if p.offset < group_start]
        result.unacknowledged = Part(
            group_start, len(data) - group_start, "changes never acknowledged"
        )
    elif not group and result.damaged and result.damaged[-1].why == "cut short":
        cut = result.damaged.pop()
        result.unacknowledged = Part(cut.offset, cut.length, "changes never acknowledged")
    return result


KEPT_WHOLE = "its contents were intact and are kept"


def _readable(data: bytes, damage: Damage) -> list[dict[str, Any]]:
    """A damaged question version whose text still reads. Kept, if its transaction was
    committed, for a question that has no intact version at all (better a version that may
    hold a wrong character, said so in its notes, than no question)."""
    header = records.parse_header(data[damage.offset : damage.offset + records.HEADER])
    if isinstance(header, str) or header.kind != "Q":
        return []
    start = damage.offset + records.HEADER
    try:
        doc = decode_question(data[start : start + header.length], lenient=True)
    except (ValueError, TypeError):
        return []
    if not isinstance(doc.get("id"), int) or doc.get("_del"):
        return []
    doc.pop("_h", None)
    doc.pop("_at", None)
    return [doc]


def _commit(result: Rebuilt, group: list[Record], end: int, readable: list[dict[str, Any]]) -> None:
    for record in group:
        _apply(result, record)
    for doc in readable:
        result.readable[doc["id"]] = doc
        revision = doc.get("revision")
        result.damaged_versions[doc["id"]] = revision if isinstance(revision, int) else 0
    result.committed_end = end


def _closes_a_transaction(data: bytes, damage: Damage) -> bool:
    """A record whose header is intact says it ended a transaction, though its payload is
    damaged: the transaction was acknowledged, so its other records count."""
    header = records.parse_header(data[damage.offset : damage.offset + records.HEADER])
    return not isinstance(header, str) and header.commit


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
            doc = decode_question(payload, lenient=True)
            return f"a version of question #{doc.get('id')} (revision {doc.get('revision')})"
        if header.kind == "H":
            body = orjson.loads(payload)
            entry = body.get("e") or {}
            return (
                f"history entry {entry.get('seq')} of question #{body.get('q')} "
                f"({entry.get('action')} by {entry.get('host')}, {entry.get('at')})"
            )
    except (ValueError, TypeError, AttributeError):
        named = re.search(rb'"(?:id|q)":(\d+)', payload)
        if named:  # its JSON does not read, but it still says which question it was
            what = "a version" if header.kind == "Q" else "a history entry"
            return f"{what} of question #{int(named.group(1))} (its contents do not read)"
    names = {
        "Q": "a question version",
        "H": "a history entry",
        "E": "an episode",
        "S": "the settings",
    }
    return names.get(header.kind, "")

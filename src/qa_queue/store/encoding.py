"""Records for what the store writes: a question version and its new history entries, an
episode, the settings; and their reading back.

A question's history is a chain of H records, each naming the one before it, so an edit
writes its own entry and the question's current state only: its cost does not grow with
the question's past. The question version (a Q record) names the newest entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from . import records
from .documents import block_place, decode_question, encode_question
from .records import HEADER, Record
from .schema import EPISODES, SETTINGS, SETTINGS_ID

# [offset, length, entries, bytes] of a question's newest history record; offset None: none
NO_HISTORY: list[Any] = [None, 0, 0, 0]


@dataclass
class Written:
    """One question version as encoded: its bytes and what the index needs to know of it."""

    question_id: int
    doc: dict[str, Any] | None  # None: the question was deleted
    data: list[bytes]
    loc: list[int]  # [offset, length, text start, text length]
    history: list[Any]  # see NO_HISTORY
    updated_at: str
    block: bytes = b""


@dataclass
class Encoder:
    """Lays records one after another from `offset`, keeping each question's history chain."""

    offset: int
    data: list[bytes] = field(default_factory=list)

    def _add(self, record: bytes) -> int:
        at = self.offset
        self.data.append(record)
        self.offset += len(record)
        return at

    def question(
        self,
        question_id: int,
        doc: dict[str, Any],
        entries: list[dict[str, Any]],
        history: list[Any],
        updated_at: str,
    ) -> Written:
        """Records for `entries` (new history, seq already set) and the version `doc`;
        `history` is the chain so far (NO_HISTORY for a new question)."""
        start = len(self.data)
        head = list(history)
        for entry in entries:
            prev = None if head[0] is None else [head[0], head[1]]
            record = records.encode("H", orjson.dumps({"q": question_id, "prev": prev, "e": entry}))
            head = [self._add(record), len(record), head[2] + 1, head[3] + len(record)]
            updated_at = entry.get("at") or updated_at
        payload, text_start, text_length = encode_question(doc, {"_h": head, "_at": updated_at})
        record = records.encode("Q", payload)
        at = self._add(record)
        block = payload[text_start : text_start + text_length]
        loc = [at, len(record), at + HEADER + text_start, text_length]
        return Written(question_id, doc, self.data[start:], loc, head, updated_at, block)

    def deleted(self, question_id: int) -> None:
        self._add(records.encode("Q", encode_question({"id": question_id}, {"_del": True})[0]))

    def episode(self, number: int, doc: dict[str, Any] | None) -> None:
        body = (
            {"number": number, "doc": doc} if doc is not None else {"number": number, "del": True}
        )
        self._add(records.encode("E", orjson.dumps(body)))

    def settings(self, doc: dict[str, Any]) -> None:
        self._add(records.encode("S", orjson.dumps({"doc": doc})))

    def commit(self) -> bytes:
        """Everything laid so far as one transaction (the last record carries COMMIT)."""
        if self.data:
            self.data[-1] = records.set_commit(self.data[-1])
        return b"".join(self.data)


def renumbered(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A whole history (of a new question, or one rebuilt) numbered 1, 2, 3…; an undo's
    reference to the entry it undid follows the renumbering."""
    new_seq = {e.get("seq"): n for n, e in enumerate(entries, 1) if e.get("seq")}
    numbered = []
    for n, entry in enumerate(entries, 1):
        entry = {**entry, "seq": n}
        if entry.get("undoes"):
            entry["undoes"] = new_seq.get(entry["undoes"], 0)
        numbered.append(entry)
    return numbered


# -- reading back ---------------------------------------------------------------------------


@dataclass
class QuestionVersion:
    question_id: int
    doc: dict[str, Any] | None  # without history; None: deleted
    history: list[Any]
    updated_at: str
    loc: list[int]
    block: bytes


def read_question(record: Record) -> QuestionVersion:
    """A Q record's question version; ValueError if its payload is not one."""
    doc = decode_question(record.payload)
    question_id = doc.get("id")
    if not isinstance(question_id, int):
        raise ValueError("a question record without an id")
    if doc.pop("_del", False):
        return QuestionVersion(question_id, None, NO_HISTORY, "", [], b"")
    history = doc.pop("_h", NO_HISTORY)
    updated_at = doc.pop("_at", "") or doc.get("received_at", "")
    text_start, text_length = block_place(record.payload)
    block = record.payload[text_start : text_start + text_length]
    loc = [record.offset, record.length, record.offset + HEADER + text_start, text_length]
    return QuestionVersion(question_id, doc, history, updated_at, loc, block)


def read_entry(record: Record) -> tuple[int, list[int] | None, dict[str, Any]]:
    """An H record: (question id, [offset, length] of the entry before it, the entry)."""
    body = orjson.loads(record.payload)
    return body["q"], body["prev"], body["e"]


def read_other(record: Record) -> tuple[str, int, dict[str, Any] | None]:
    """An E or S record: (table, key, document or None for deleted)."""
    body = orjson.loads(record.payload)
    if record.kind == "E":
        return EPISODES, int(body["number"]), None if body.get("del") else body["doc"]
    return SETTINGS, SETTINGS_ID, body["doc"]

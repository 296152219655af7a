"""`qa-queue doctor --repair`: set damaged parts aside and leave a database that opens.

Under the writers' lock it appends every damaged, unread or replaced part to the quarantine
file next to the database (nothing is deleted that is not also there or in the new files),
writes a new journal generation from everything intact, switches the snapshot to it, and
checks that the database opens.
"""

from __future__ import annotations

import contextlib
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import DatabaseError
from ..text import counted
from . import leftovers, legacy, saved, schema, snapshot
from .diagnosis import diagnose
from .encoding import renumbered
from .files import WriterLock
from .findings import Check, Diagnosis, no_check
from .generation import (
    QuestionCopy,
    journal_path,
    next_generation,
    write_generation,
)
from .journal import Journal
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID
from .snapshot import Snapshot


@dataclass
class Repair:
    diagnosis: Diagnosis
    done: list[str] = field(default_factory=list)


def repair(
    path: Path,
    unreadable: Check = no_check,
    lock_timeout: float = 15.0,
    *,
    accept_losses: bool = False,
) -> Repair:
    """Repair the database at `path` (see the module's docstring); DatabaseError if it
    cannot be, with nothing changed. One that would lose more than it keeps (a journal
    missing: it may be in a backup) is done only with `accept_losses`."""
    path = Path(path).expanduser().absolute()
    lock = WriterLock(path.with_name(f"{path.name}.lock"), lock_timeout)
    if not lock.acquire():
        raise DatabaseError(f"{path} is busy: another qa-queue holds its lock; try again")
    try:
        found = diagnose(path, unreadable)
        result = Repair(found)
        if found.healthy:
            result.done.extend(_clean(found))
            return result
        if found.blocked.endswith("written by a newer qa-queue"):
            raise DatabaseError(
                f"{found.blocked}: upgrade qa-queue to open it; a repair by this version "
                "would rewrite it in an older format, so nothing was changed"
            )
        if found.blocked:
            raise DatabaseError(
                f"{found.blocked}: doctor --repair does not work around it (the database may "
                "be there); move it away or put the journal itself in its place; nothing "
                "was changed"
            )
        if not found.repairable:
            raise DatabaseError(
                f"{found.problems[0].line()}: doctor --repair only repairs qa-queue's own "
                "files; nothing was changed"
            )
        if found.drastic and not accept_losses:
            raise DatabaseError(
                f"{found.path}: {found.drastic}; nothing was changed (`qa-queue doctor "
                "--repair --yes` repairs with what is left)"
            )
        _rewrite(found, result, lock)
        return result
    finally:
        lock.release()
        lock.close()


def _clean(found: Diagnosis) -> list[str]:
    if found.base_generation is None:
        return []
    journal = Journal(journal_path(found.path, found.base_generation))
    try:
        return [
            f"removed {name}"
            for name in leftovers.remove_proved(found.path, found.base_generation, journal)
        ]
    finally:
        journal.close()


def _rewrite(found: Diagnosis, result: Repair, lock: WriterLock) -> None:
    path = found.path
    parts: list[tuple[Path, int, bytes, str]] = []
    origin: dict[str, Any] | None
    if found.old is not None:
        copies = list(legacy.copies(found.old, _index_copy))
        source, data = found.old.journal, found.old.data
        for offset, length, why in found.old.damage:
            if offset < found.old.end:
                parts.append((source, offset, data[offset : offset + length], why))
        unread_at, unread = found.old.unread
        if unread:
            parts.append((source, unread_at, unread, "bytes past the last saved change"))
        tables = found.old.tables
        # a legacy database is found through its snapshot (diagnosis._look_at_legacy)
        assert found.snapshot is not None
        old_generation = found.snapshot.generation
        settings, episodes = tables[SETTINGS].get(str(SETTINGS_ID)), tables[EPISODES]
        origin = {
            "kind": "migration",
            "generation": old_generation,
            "end": len(data),
            "crc": zlib.crc32(data),
        }
        source_path: Path | None = source
    else:
        copies = list(_copies(found))
        base = found.base
        source_path = base.path if base is not None else None
        if base is not None:
            for part in base.set_aside():
                what = f"{part.why}; {part.held}" if part.held else part.why
                parts.append(
                    (
                        base.path,
                        part.offset,
                        found.base_data[part.offset : part.offset + part.length],
                        what,
                    )
                )
        index = found.snapshot.tables if found.snapshot is not None else {}
        rebuilt = base.tables if base is not None else {EPISODES: {}, SETTINGS: {}}
        settings = rebuilt[SETTINGS].get(str(SETTINGS_ID)) or (index.get(SETTINGS) or {}).get(
            str(SETTINGS_ID)
        )
        episodes = rebuilt[EPISODES] or dict(index.get(EPISODES) or {})
        origin = (
            {
                "kind": "repair",
                "generation": found.base_generation,
                "end": len(found.base_data),
                "crc": zlib.crc32(found.base_data),
                "lineage": leftovers.lineage(
                    base.header or {}, found.base_generation or 0, len(found.base_data)
                ),
            }
            if base is not None
            else None
        )
    if found.snapshot_bytes and found.snapshot_state != "ok":
        parts.append((path, 0, found.snapshot_bytes, "the index, replaced by one rebuilt"))
    if parts:
        target = leftovers.quarantine(path, parts)
        size = sum(len(p[2]) for p in parts)
        result.done.append(f"set aside {len(parts)} part(s), {size} bytes, in {target.name}")
    database = found.database or uuid.uuid4().hex
    current = found.snapshot.generation if found.snapshot is not None else 0
    generation = next_generation(path, current)
    new = write_generation(
        path,
        database=database,
        generation=generation,
        origin=origin,
        settings=settings,
        episodes=episodes,
        questions=copies,
    )
    snapshot.write(
        path, Snapshot(schema.SCHEMA, database, generation, new.end, new.last, new.tables)
    )
    if new.last is not None:  # the new generation's last saved change, for the next open
        with contextlib.suppress(OSError):
            lock.note(saved.Saved(generation, new.last[0], new.end, new.last[1]).encode())
    count = len(copies)
    result.done.append(
        f"wrote {new.path.name} with {counted(count, 'question')} and a new {path.name}"
    )
    if source_path is not None and source_path.exists():
        source_path.unlink()
        result.done.append(f"removed {source_path.name} (all of it is now in the files above)")
    from .store import Store

    with Store(path, create=False):
        pass
    result.done.append("the database opens")


def _copies(found: Diagnosis) -> Iterator[QuestionCopy]:
    """Every question the journal or the index knows of, as well as they can be kept."""
    base = found.base
    index = found.snapshot.tables[QUESTIONS] if found.snapshot is not None else {}
    ids = {int(k) for k in index if base is None or int(k) not in base.deleted}
    if base is not None:  # a question known only by its history entries is kept too
        ids |= set(base.questions) | set(base.readable) | set(base.history)
        ids -= base.deleted - set(base.questions)
    for question_id in sorted(ids):
        entries = []
        if base is not None:
            entries = [e for _seq, e in sorted(base.history.get(question_id, {}).items())]
        doc = base.questions.get(question_id) if base is not None else None
        summary = index.get(str(question_id)) or {}
        notes = []
        if doc is None and base is not None and question_id in base.readable:
            doc = dict(base.readable[question_id])  # only a damaged copy: kept as it reads
            notes.append(_SALVAGED)
        if doc is None:
            doc = _from_index(question_id, summary)
            notes.append(_FROM_INDEX if summary else _FROM_HISTORY)
        bad = found.unreadable(doc)
        if bad:
            times = _times(entries, base.updated_at.get(question_id) if base else None)
            doc, how = _reset(question_id, doc, bad, found.unreadable, summary, times)
            notes.append(f"qa-queue doctor --repair: reset what could not be read: {how}")
        for note in notes:
            doc["notes"] = f"{doc.get('notes') or ''}\n\n{note}".strip()
        if notes:  # one repair, one entry in its history
            entries.append(_repair_entry(" ".join(notes)))
        at = (base.updated_at.get(question_id) if base is not None else None) or entries[-1]["at"]
        yield QuestionCopy(question_id, doc, renumbered(entries), at)


_FROM_INDEX = (
    "qa-queue doctor --repair: this question's record was lost; its title, status, tags and "
    "listener come from the index; its text could not be kept (its history, as far as it "
    "was intact, is kept)"
)
_FROM_HISTORY = (
    "qa-queue doctor --repair: this question's record was lost; only its history was "
    "intact: see the quarantine file for the damaged bytes"
)


def _times(entries: list[dict[str, Any]], updated_at: str | None) -> list[tuple[Any, str]]:
    """When a question whose time of arrival is lost may have come, best first."""
    received = [e.get("at") for e in entries if e.get("action") == "received"]
    return [
        *((at, "its history") for at in received[:1]),
        (updated_at, "the journal"),
        (_repair_entry("")["at"], "the time of this repair"),
    ]


_ABSENT = object()  # the field left out: the model's default


def _reset(
    question_id: int,
    doc: dict[str, Any],
    bad: list[str],
    check: Check,
    summary: dict[str, Any],
    times: list[tuple[Any, str]],
) -> tuple[dict[str, Any], str]:
    """The question with each field the model cannot take replaced by the first value it can:
    its index entry's, then (a time) its history's or the journal's, then what a new question
    has. Says what each came from."""
    kept = {k: v for k, v in doc.items() if k not in bad}
    said = []
    for name in bad:
        candidates: list[tuple[Any, str]] = [(summary.get(name, _ABSENT), "its index entry")]
        if name == "listener":
            listener = {"name": summary.get("listener") or "", "contact": ""}
            candidates = [(listener, "its index entry")]
        if name == "received_at":
            candidates += times
        if name == "id":
            candidates = [(question_id, "its record")]
        candidates += [
            (_ABSENT, "left out"),
            (f"Question #{doc.get('id')}" if name == "title" else "", "emptied"),
        ]
        for value, where in candidates:
            if value is _ABSENT and where != "left out":
                continue
            trial = {k: v for k, v in kept.items() if k != name}
            if value is not _ABSENT:
                trial[name] = value
            if name not in check(trial):
                kept = trial
                said.append(f"{name} ({where}: {value!r})" if value is not _ABSENT else name)
                break
    return kept, ", ".join(said)


_SALVAGED = (
    "qa-queue doctor --repair: the only copy of this question was damaged; it was kept as it "
    "reads (a character may be wrong; the damaged bytes are in the quarantine file)"
)


def _repair_entry(note: str) -> dict[str, Any]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # when the repair happened
    return {"at": now, "host": "doctor", "action": "repair", "changes": {}, "note": note}


def _index_copy(question_id: int, summary: dict[str, Any]) -> QuestionCopy:
    """A first-format question that cannot be read, kept from its index entry."""
    doc = _from_index(question_id, summary)
    doc["notes"] = _FROM_INDEX
    entry = _repair_entry(_FROM_INDEX)
    return QuestionCopy(question_id, doc, renumbered([entry]), entry["at"])


def _from_index(question_id: int, summary: dict[str, Any]) -> dict[str, Any]:
    """A question whose record is lost, from what its index entry still says (nothing, if
    it has none). Its answer is lost with the record: one that was ready or answered goes
    back to triaged, so that it is not published without one."""
    status = summary.get("status") or "new"
    if status in ("drafting", "ready", "answered"):
        status = "triaged"
    return {
        "id": question_id,
        "title": summary.get("title") or f"Question #{question_id}",
        "body": "",
        "received_at": summary.get("received_at") or "",
        "source": {"kind": summary.get("source") or "manual", "ref": None},
        "listener": {"name": summary.get("listener") or "", "contact": "", "credit": "first"},
        "status": status,
        "host": summary.get("host"),
        "priority": summary.get("priority") or 0,
        "tags": list(summary.get("tags") or []),
        "episode": summary.get("episode"),
        "timestamp": summary.get("timestamp"),
        "duplicate_of": summary.get("duplicate_of"),
        "asked_count": summary.get("asked_count") or 1,
        "snoozed_until": summary.get("snoozed_until"),
        "revision": summary.get("revision") or 0,
        "import_key": summary.get("import_key"),
        "notes": "",
    }

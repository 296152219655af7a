"""`qa-queue doctor`: what is wrong with a database, where, and what a repair would lose;
`doctor --repair`: set damaged parts aside and leave a database that opens.

Diagnosing only reads. Repairing takes the writers' lock, appends every damaged, unreadable
or replaced part to the quarantine file next to the database (nothing is deleted that is not
also there or in the new files), writes a new journal generation from everything intact,
switches the snapshot to it, and checks that the database opens.
"""

from __future__ import annotations

import os
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import Damaged, DatabaseError
from . import leftovers, legacy, records, schema, snapshot
from .encoding import renumbered
from .files import WriterLock, read_regular
from .generation import (
    QuestionCopy,
    generation_numbers,
    journal_path,
    next_generation,
    write_generation,
)
from .journal import Journal
from .rebuild import KEPT_WHOLE, Rebuilt, read_file, rebuild
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID
from .snapshot import NotOurs, Snapshot

# What the model cannot take in a stored question: the names of those fields. The store does
# not know the model; the command line hands doctor the model's own check.
Check = Callable[[dict[str, Any]], list[str]]


def _none(_doc: dict[str, Any]) -> list[str]:
    return []


@dataclass
class Problem:
    file: Path
    offset: int | None
    what: str
    affects: str = ""  # what is lost or falls back because of it
    repair: str = ""  # what --repair does about it

    def line(self) -> str:
        where = f" at byte {self.offset}" if self.offset is not None else ""
        return f"{self.file.name}{where}: {self.what}"


@dataclass
class Diagnosis:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)  # what a repair cannot bring back
    described: set[int] = field(default_factory=set)  # questions a loss already names
    snapshot: Snapshot | None = None
    snapshot_bytes: bytes = b""
    snapshot_state: str = "missing"  # ok, legacy, damaged, foreign, newer, missing
    base: Rebuilt | None = None
    base_data: bytes = b""
    base_generation: int | None = None
    database: str | None = None
    old: legacy.Legacy | None = None
    unreadable: Check = _none

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> bool:
        return self.snapshot_state not in ("foreign", "newer") and (
            self.base is not None or self.snapshot is not None or self.old is not None
        )


def diagnose(path: Path, unreadable: Check = _none) -> Diagnosis:
    """Read everything beside the database and say what is wrong; changes nothing.
    `unreadable` names the fields of a question the model cannot take (model/question.py)."""
    path = Path(path).expanduser().absolute()
    found = Diagnosis(path, unreadable=unreadable)
    _look_at_snapshot(found)
    if found.snapshot_state in ("foreign", "newer"):
        return found
    if found.snapshot is not None and found.snapshot.legacy:
        _look_at_legacy(found)
        return found
    _look_at_journals(found)
    _look_at_values(found)
    _compare(found)
    _look_at_leftovers(found)
    if found.healthy and found.base is not None and found.snapshot is not None:
        base = found.base
        found.notes.insert(
            0,
            f"{len(base.questions)} questions, {len(base.tables[EPISODES])} episodes; "
            f"{base.path.name}: {base.size} bytes, {base.records} records, "
            f"{len(found.snapshot.tables[QUESTIONS])} indexed in {path.name}",
        )
    parts = leftovers.quarantined_parts(path)
    if parts:
        size = sum(int(p.get("length", 0)) for p in parts)
        found.notes.append(
            f"{leftovers.quarantine_path(path).name} holds {len(parts)} part(s) set aside "
            f"earlier ({size} bytes); qa-queue never reads or removes it"
        )
    return found


def _look_at_snapshot(found: Diagnosis) -> None:
    path = found.path
    if not os.path.lexists(path):
        if generation_numbers(path):
            found.problems.append(
                Problem(path, None, "is missing", repair="rebuilt from the journal")
            )
        else:
            found.problems.append(Problem(path, None, "there is no database here"))
            found.snapshot_state = "foreign"
        return
    try:
        found.snapshot_bytes = read_regular(path)
        found.snapshot = snapshot.read(path)
    except NotOurs as error:
        database = _database_named_in(found.snapshot_bytes, path)
        if database is None:
            found.snapshot_state = "foreign"
            found.problems.append(Problem(path, None, str(error).replace(f"{path} ", "", 1)))
            return
        # it names the database of the journal beside it: ours, damaged where it says
        # what it is
        found.snapshot_state, found.database = "damaged", database
        found.problems.append(
            Problem(
                path,
                None,
                "is damaged (it names this database, but not as qa-queue writes it)",
                affects="only the index, which the journal can rebuild",
                repair="rebuilt from the journal; the damaged file goes to the quarantine file",
            )
        )
        return
    except Damaged as error:
        found.snapshot_state = "damaged"
        found.problems.append(
            Problem(
                path,
                error.offset,
                f"is damaged ({error.why})",
                affects="only the index, which the journal can rebuild",
                repair="rebuilt from the journal; the damaged file goes to the quarantine file",
            )
        )
        return
    except DatabaseError as error:
        message = str(error)
        state = "newer" if "newer qa-queue" in message else "foreign"
        if "not a file qa-queue wrote" in message or state == "newer":
            found.snapshot_state = state
            found.problems.append(Problem(path, None, message.replace(f"{path} ", "", 1)))
            return
        found.snapshot_state = "damaged"
        found.problems.append(
            Problem(
                path,
                None,
                message.replace(f"{path} ", "", 1),
                affects="only the index, which the journal can rebuild",
                repair="rebuilt from the journal; the old file goes to the quarantine file",
            )
        )
        return
    found.snapshot_state = "legacy" if found.snapshot.legacy else "ok"
    found.database = found.snapshot.database


def _database_named_in(data: bytes, path: Path) -> str | None:
    """The id of a journal's database beside `path` that the bytes of a snapshot name."""
    head = data[: snapshot.HEADER_BYTES]
    for generation in generation_numbers(path):
        try:
            journal = Journal(journal_path(path, generation))
        except DatabaseError:
            continue
        journal.close()
        if journal.database and f'"database":"{journal.database}"'.encode() in head:
            return journal.database
    return None


def _look_at_legacy(found: Diagnosis) -> None:
    assert found.snapshot is not None
    found.notes.append(
        f"{found.path.name} is in qa-queue's first format: the next change upgrades it"
    )
    try:
        old = legacy.read(found.path, found.snapshot, strict=False)
    except DatabaseError as error:
        found.problems.append(Problem(found.path, None, str(error)))
        return
    found.old = old
    for offset, length, why in old.damage:
        if offset < old.end:
            found.problems.append(
                Problem(old.journal, offset, why, f"{length} bytes", "set aside in quarantine")
            )
    unread_at, unread = old.unread
    if unread:
        found.notes.append(
            f"{old.journal.name} has {len(unread)} bytes past its last saved change at byte "
            f"{unread_at} (a crash's torn tail, or a damaged last change): the upgrade keeps "
            "them in the quarantine file"
        )
    for question_id, doc in old.questions():
        if doc is None:
            found.problems.append(
                Problem(
                    old.journal,
                    old.tables[QUESTIONS].get(str(question_id), {}).get("_loc", [None])[0],
                    f"question #{question_id} cannot be read",
                    repair="kept from its index entry; the damaged line goes to quarantine",
                )
            )
            found.losses.append(f"#{question_id}: its text (only its index entry is left)")


def _journal_of(path: Path, generation: int) -> tuple[dict[str, Any] | None, str]:
    """The header of a journal file and how it stands: ours, other, damaged-header, foreign."""
    try:
        journal = Journal(journal_path(path, generation))
    except DatabaseError as error:
        try:
            data, header = read_file(journal_path(path, generation))
        except DatabaseError:
            return None, str(error)
        if header is None and rebuild(journal_path(path, generation), data, None).records:
            return None, "damaged-header"
        return None, str(error)
    journal.close()
    return journal.header, "journal"


def _look_at_journals(found: Diagnosis) -> None:
    path, snap = found.path, found.snapshot
    usable: dict[int, dict[str, Any] | None] = {}
    for generation in generation_numbers(path):
        header, state = _journal_of(path, generation)
        name = journal_path(path, generation).name
        if state == "journal" and header is not None:
            if found.database and header.get("database") != found.database:
                found.notes.append(f"{name} belongs to another database: left alone")
                continue
            usable[generation] = header
        elif state == "damaged-header":
            usable[generation] = None
            found.problems.append(
                Problem(
                    journal_path(path, generation),
                    0,
                    "its header record is damaged (its other records are intact)",
                    repair="its intact records are copied into a new generation",
                )
            )
        else:
            found.notes.append(f"{name}: {state.split(': ', 1)[-1]}")
    if snap is not None and snap.generation in usable:
        found.base_generation = snap.generation
    elif usable:
        found.base_generation = max(usable)
        if snap is not None:
            found.problems.append(
                Problem(
                    path,
                    None,
                    f"names journal generation {snap.generation}, which is missing, while "
                    f"{journal_path(path, found.base_generation).name} is there ({path.name} "
                    "may be a copy restored from an older backup)",
                    repair=f"the index is rebuilt from "
                    f"{journal_path(path, found.base_generation).name}; the old one goes to "
                    "the quarantine file",
                )
            )
            found.snapshot_state = "damaged"
    elif snap is not None:
        found.problems.append(
            Problem(
                journal_path(path, snap.generation),
                None,
                "is missing: only the index is left",
                affects="the questions' texts, drafts, answers and histories",
                repair="questions are kept from their index entries",
            )
        )
    if found.base_generation is None:
        return
    base_path = journal_path(path, found.base_generation)
    data, header = read_file(base_path)
    found.base_data = data
    found.base = rebuild(base_path, data, header)
    if found.database is None:
        found.database = (header or usable.get(found.base_generation) or {}).get("database")
    for part in found.base.damaged:
        kept = part.held == KEPT_WHOLE
        found.problems.append(
            Problem(
                base_path,
                part.offset,
                f"is damaged ({part.why}, {part.length} bytes)",
                affects="" if kept else part.held,
                repair="the record is kept (only its header was hit); its bytes as they are go "
                "to the quarantine file"
                if kept
                else "set aside in the quarantine file",
            )
        )
        if not kept and not part.held.startswith("a version of question"):
            found.losses.append(part.held or f"{part.length} bytes that cannot be read")
    for question_id, revision in sorted(found.base.damaged_versions.items()):
        kept_version = found.base.questions.get(question_id)
        if kept_version is not None and kept_version.get("revision", 0) >= revision:
            continue  # an old version, superseded anyway
        if kept_version is not None:
            found.losses.append(
                f"#{question_id}: falls back to revision {kept_version.get('revision')} (its "
                f"revision {revision} is damaged; the damaged bytes are kept in quarantine)"
            )
        elif question_id in found.base.readable:
            found.losses.append(
                f"#{question_id}: only a damaged copy is left; the repair keeps it as it reads "
                "and says so in its notes (check its text)"
            )
        found.described.add(question_id)
    if found.base.unacknowledged is not None:
        cut = found.base.unacknowledged
        found.notes.append(
            f"{base_path.name} ends with {cut.length} bytes of a change that was never "
            f"acknowledged (from byte {cut.offset}; a crash's torn tail): the next change "
            "removes them, a repair sets them aside"
        )


def _look_at_values(found: Diagnosis) -> None:
    """Questions whose records are intact but hold values the model cannot take (a journal
    written by hand, or damaged in a way its checksum cannot see)."""
    if found.base is None:
        return
    for question_id, doc in sorted(found.base.readable.items()):
        bad = found.unreadable(doc) if question_id not in found.base.questions else []
        if bad:
            found.losses.append(
                f"#{question_id}: {', '.join(bad)} cannot be read in the damaged copy and are "
                "reset (from its index entry where it has them)"
            )
    for question_id, doc in sorted(found.base.questions.items()):
        bad = found.unreadable(doc)
        if bad:
            found.problems.append(
                Problem(
                    found.base.path,
                    found.base.versions.get(question_id),
                    f"question #{question_id} holds values qa-queue cannot read ({', '.join(bad)})",
                    repair="those fields are reset (from its index entry where it has them)",
                )
            )


def _compare(found: Diagnosis) -> None:
    """The index against the journal: what the index has that the journal lost."""
    snap, base = found.snapshot, found.base
    if snap is None or base is None or snap.legacy:
        return
    if found.base_generation == snap.generation:
        if base.size < snap.covered:
            found.problems.append(
                Problem(
                    base.path,
                    base.size,
                    f"ends {snap.covered - base.size} bytes before the end of what "
                    f"{found.path.name} indexes (restored from an older backup, or cut short?)",
                    repair="the index is rebuilt from what the journal holds",
                )
            )
            found.snapshot_state = "damaged"
        elif snap.last is not None and not _holds_last(found, snap):
            found.problems.append(
                Problem(
                    base.path,
                    snap.last[0],
                    f"does not hold the record {found.path.name} names there: it is not the "
                    "journal this index was made from",
                    repair="the index is rebuilt from what the journal holds",
                )
            )
            found.snapshot_state = "damaged"
    for key, summary in snap.tables[QUESTIONS].items():
        question_id = int(key)
        kept = base.questions.get(question_id)
        if question_id in found.described:
            continue
        if kept is None and question_id in base.readable:
            continue
        if kept is None and question_id not in base.deleted:
            found.losses.append(
                f"#{question_id} {summary.get('title', '')!r}: its text, drafts and history "
                "(the repair keeps its index entry: title, status, tags, listener)"
            )
        elif kept is not None and kept.get("revision", 0) < summary.get("revision", 0):
            found.losses.append(
                f"#{question_id}: falls back from revision {summary.get('revision')} to "
                f"{kept.get('revision')}"
            )


def _holds_last(found: Diagnosis, snap: Snapshot) -> bool:
    """Whether the journal has, ending where the index stops, the record the index names."""
    assert snap.last is not None
    offset, crc = snap.last
    record = records.read_one(found.base_data[offset : snap.covered], 0, offset)
    return (
        isinstance(record, records.Record)
        and record.header_crc == crc
        and record.end == snap.covered
    )


def _look_at_leftovers(found: Diagnosis) -> None:
    if found.base_generation is None or found.snapshot_state != "ok" or found.problems:
        return
    try:
        journal = Journal(journal_path(found.path, found.base_generation))
    except DatabaseError:
        return
    try:
        for leftover in leftovers.examine(found.path, journal):
            if leftover.removable:
                found.notes.append(
                    f"{leftover.path.name}: {leftover.what}; the next change removes it"
                )
            else:
                found.notes.append(
                    f"{leftover.path.name}: {leftover.what}; qa-queue leaves it alone"
                )
    finally:
        journal.close()


# -- repairing ------------------------------------------------------------------------------


@dataclass
class Repair:
    diagnosis: Diagnosis
    done: list[str] = field(default_factory=list)


def repair(path: Path, unreadable: Check = _none, lock_timeout: float = 15.0) -> Repair:
    """Repair the database at `path` (see the module's docstring); DatabaseError if it
    cannot be, with nothing changed."""
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
        if not found.repairable:
            raise DatabaseError(
                f"{found.problems[0].line()}: doctor --repair only repairs qa-queue's own "
                "files; nothing was changed"
            )
        _rewrite(found, result)
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


def _rewrite(found: Diagnosis, result: Repair) -> None:
    path = found.path
    parts: list[tuple[Path, int, bytes, str]] = []
    if found.old is not None:
        copies = list(legacy.copies(found.old, _from_index))
        source, data = found.old.journal, found.old.data
        for offset, length, why in found.old.damage:
            if offset < found.old.end:
                parts.append((source, offset, data[offset : offset + length], why))
        unread_at, unread = found.old.unread
        if unread:
            parts.append((source, unread_at, unread, "bytes past the last saved change"))
        tables = found.old.tables
        settings, episodes = tables[SETTINGS].get(str(SETTINGS_ID)), tables[EPISODES]
        origin = {
            "kind": "migration",
            "generation": found.snapshot.generation,  # type: ignore[union-attr]
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
    result.done.append(
        f"wrote {new.path.name} with {len(copies)} question(s) and a new {path.name}"
    )
    if source_path is not None and source_path.exists():
        source_path.unlink()
        result.done.append(f"removed {source_path.name} (all of it is now in the files above)")
    from .store import Store

    with Store(path, create=False):
        pass
    result.done.append("the database opens")


def _copies(found: Diagnosis) -> Iterator[QuestionCopy]:
    base = found.base
    index = found.snapshot.tables[QUESTIONS] if found.snapshot is not None else {}
    ids = set(base.questions) | set(base.readable) if base is not None else set()
    ids |= {int(k) for k in index if base is None or int(k) not in base.deleted}
    for question_id in sorted(ids):
        if base is None or (question_id not in base.questions and question_id not in base.readable):
            yield _from_index(question_id, index[str(question_id)])
            continue
        at = base.updated_at.get(question_id, "")
        entries = [e for _seq, e in sorted(base.history.get(question_id, {}).items())]
        doc = base.questions.get(question_id)
        notes = []
        if doc is None:  # only a damaged copy: kept as it reads, and said so
            doc = dict(base.readable[question_id])
            notes.append(_SALVAGED)
        bad = found.unreadable(doc)
        if bad:
            doc = _reset(doc, bad, index.get(str(question_id)) or {})
            notes.append(
                f"qa-queue doctor --repair: reset what could not be read: {', '.join(bad)}"
            )
        for note in notes:
            doc["notes"] = f"{doc.get('notes') or ''}\n\n{note}".strip()
            entries.append(_repair_entry(at, note))
        yield QuestionCopy(question_id, doc, renumbered(entries), at)


def _reset(doc: dict[str, Any], bad: list[str], summary: dict[str, Any]) -> dict[str, Any]:
    """The question without the fields the model cannot take: those its index entry has
    come from there, the rest go back to what a new question has."""
    kept = {k: v for k, v in doc.items() if k not in bad}
    from_index = {
        "title": "title",
        "status": "status",
        "host": "host",
        "priority": "priority",
        "tags": "tags",
        "received_at": "received_at",
        "episode": "episode",
        "timestamp": "timestamp",
        "revision": "revision",
    }
    for name in bad:
        if name in from_index and from_index[name] in summary:
            kept[name] = summary[from_index[name]]
        elif name == "listener":
            kept[name] = {"name": summary.get("listener") or "", "contact": ""}
    for name, default in (
        ("title", f"Question #{doc.get('id')}"),
        ("body", ""),
        ("received_at", ""),
    ):
        if not isinstance(kept.get(name), str):
            kept[name] = default
    return kept


_SALVAGED = (
    "qa-queue doctor --repair: the only copy of this question was damaged; it was kept as it "
    "reads (a character may be wrong; the damaged bytes are in the quarantine file)"
)


def _repair_entry(_at: str, note: str) -> dict[str, Any]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # when the repair happened
    return {"at": now, "host": "doctor", "action": "repair", "changes": {}, "note": note}


def _from_index(question_id: int, summary: dict[str, Any]) -> QuestionCopy:
    """A question whose record is lost, kept from what its index entry still says."""
    at = summary.get("updated_at") or summary.get("received_at") or ""
    doc = {
        "id": question_id,
        "title": summary.get("title") or f"Question #{question_id}",
        "body": "",
        "received_at": summary.get("received_at") or at,
        "source": {"kind": summary.get("source") or "manual", "ref": None},
        "listener": {"name": summary.get("listener") or "", "contact": "", "credit": "first"},
        "status": summary.get("status") or "new",
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
        "notes": (
            "qa-queue doctor --repair: this question's record was lost; its title, status, "
            "tags and listener come from the index, its text and history could not be kept"
        ),
    }
    entry = {
        "at": at,
        "host": "doctor",
        "action": "repair",
        "changes": {},
        "note": "kept from the index",
    }
    return QuestionCopy(question_id, doc, renumbered([entry]), at)

"""`qa-queue doctor`: what is wrong with a database, where, and what a repair would lose.

Diagnosing only reads: the snapshot, every journal generation beside it (the one in use read
whole, stepping over damage: rebuild.py), the leftovers and the quarantine file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Damaged, DatabaseError
from ..text import counted
from . import leftovers, legacy, records, saved, snapshot
from .files import read_regular
from .generation import (
    generation_numbers,
    journal_path,
)
from .journal import Journal
from .rebuild import KEPT_WHOLE, Rebuilt, read_file, rebuild
from .schema import EPISODES, QUESTIONS
from .snapshot import NotOurs, Snapshot

# What the model cannot take in a stored question: the names of those fields. The store does
# not know the model; the command line hands doctor the model's own check.
Check = Callable[[dict[str, Any]], list[str]]


def no_check(_doc: dict[str, Any]) -> list[str]:
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
    unreadable: Check = no_check
    blocked: str = ""  # why a repair cannot go on (a file it must not work around)

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> bool:
        return (
            not self.blocked
            and self.snapshot_state not in ("foreign", "newer")
            and (self.base is not None or self.snapshot is not None or self.old is not None)
        )


def diagnose(path: Path, unreadable: Check = no_check) -> Diagnosis:
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
            f"{_count(len(base.questions), 'question')} and "
            f"{_count(len(base.tables[EPISODES]), 'episode')}, all readable, in "
            f"{base.path.name} ({base.size:,} bytes)",
        )
    parts = leftovers.quarantined_parts(path)
    if parts:
        size = sum(int(p.get("length", 0)) for p in parts)
        found.notes.append(
            f"{leftovers.quarantine_path(path).name} holds {len(parts)} part(s) set aside "
            f"earlier ({size} bytes); qa-queue never reads it, and removes it only when "
            "asked (`forget --delete-quarantine`)"
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
        ours_beside = _a_journal_beside(path)
        if database is None and ours_beside and not found.snapshot_bytes.strip():
            # empty where the index should be, beside a journal of ours: no bytes to keep
            found.snapshot_state = "damaged"
            found.problems.append(
                Problem(path, None, "is empty", repair=f"rebuilt from {ours_beside}")
            )
            return
        if database is None:
            found.snapshot_state = "foreign"
            what = str(error).replace(f"{path} ", "", 1)
            if ours_beside:
                what += (
                    f"; {ours_beside} beside it is a qa-queue journal: if {path.name} is not "
                    "yours, move it away and run `qa-queue doctor --repair` to rebuild the "
                    "index from the journal"
                )
            found.problems.append(Problem(path, None, what))
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


def _a_journal_beside(path: Path) -> str:
    """The name of a journal of qa-queue's beside `path` (the newest), or ""."""
    for generation in reversed(generation_numbers(path)):
        try:
            Journal(journal_path(path, generation)).close()
        except DatabaseError:
            continue
        return journal_path(path, generation).name
    return ""


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


def _count(number: int, what: str) -> str:
    return counted(number, what)


def _not_a_file(candidate: Path) -> bool:
    """A symbolic link, folder, FIFO or device where a journal should be, or a file that
    cannot be read."""
    try:
        mode = os.lstat(candidate).st_mode
    except OSError:
        return True
    if not stat.S_ISREG(mode):
        return True
    return not os.access(candidate, os.R_OK)


def _look_at_journals(found: Diagnosis) -> None:
    path, snap = found.path, found.snapshot
    usable: dict[int, dict[str, Any] | None] = {}
    for generation in generation_numbers(path):
        header, state = _journal_of(path, generation)
        name = journal_path(path, generation).name
        if state == "journal" and header is not None:
            if found.database and header.get("database") != found.database:
                if snap is not None and generation == snap.generation:
                    found.blocked = f"{name} belongs to another database than {path.name}"
                    found.problems.append(
                        Problem(
                            journal_path(path, generation),
                            None,
                            f"belongs to another database than {path.name} (copied from "
                            "elsewhere?)",
                            repair="none: put this database's own journal back, or move "
                            f"{path.name} away to rebuild from the journal",
                        )
                    )
                else:
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
        elif _not_a_file(journal_path(path, generation)) or (
            snap is not None and generation == snap.generation
        ):
            # what it points to, or what it holds, may be the database itself: a repair
            # that went on without it would lose it
            what = state.replace(f"{journal_path(path, generation)} ", "", 1)
            found.blocked = f"{name}: {what}"
            found.problems.append(
                Problem(
                    journal_path(path, generation),
                    None,
                    what,
                    repair="none: move it away, or put the journal itself in its place, and "
                    "run doctor again",
                )
            )
        else:
            found.notes.append(f"{name}: {state.split(': ', 1)[-1]}")
    if found.blocked:
        return
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
                f"has a damaged record header ({part.why}); the record itself is intact"
                if kept
                else f"is damaged ({part.why}, {part.length} bytes)",
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
    index = found.snapshot.tables[QUESTIONS] if found.snapshot is not None else {}
    for question_id in sorted(set(found.base.history) - set(found.base.questions)):
        if question_id in found.base.readable or question_id in found.base.deleted:
            continue
        where = "its index entry and its history" if str(question_id) in index else "its history"
        found.losses.append(
            f"#{question_id}: its record cannot be read; the repair keeps {where}, not its text"
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
                    repair="those fields are reset (from its index entry, or a time from its "
                    "history or the journal, where they have one that reads), and said so",
                )
            )


def _compare(found: Diagnosis) -> None:
    """The index, and the lock file's note of the last saved change, against the journal:
    what they know of that the journal lost."""
    snap, base = found.snapshot, found.base
    note = saved.read(found.path.with_name(f"{found.path.name}.lock"))
    if (
        base is not None
        and note is not None
        and note.generation == found.base_generation
        and base.committed_end < note.end
    ):
        found.problems.append(
            Problem(
                base.path,
                base.committed_end,
                f"ends before the last change saved in it (which ended at byte {note.end}, as "
                "the lock file notes): cut short, or restored from an older copy",
                affects="the changes saved after that byte",
                repair="what is left is kept; questions the index knows are kept from it",
            )
        )
        found.losses.append(
            f"the changes saved in {base.path.name} after byte {base.committed_end}"
        )
        if found.snapshot_state == "ok":
            found.snapshot_state = "damaged"
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

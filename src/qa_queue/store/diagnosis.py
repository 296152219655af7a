"""`qa-queue doctor`: what is wrong with a database, where, and what a repair would lose.

Diagnosing only reads: the snapshot, every journal generation beside it (the one in use read
whole, stepping over damage: rebuild.py), the leftovers and the quarantine file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import orjson

from ..errors import DatabaseError
from ..text import counted
from . import leftovers, records, saved
from .doctor_snapshot import look_at_legacy, look_at_snapshot
from .findings import Check, Diagnosis, Problem, no_check
from .generation import (
    generation_numbers,
    journal_path,
)
from .journal import FORMAT as JOURNAL_FORMAT
from .journal import VERSION as JOURNAL_VERSION
from .journal import Journal
from .rebuild import KEPT_WHOLE, read_file, rebuild
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID
from .snapshot import Snapshot


def diagnose(path: Path, unreadable: Check = no_check) -> Diagnosis:
    """Read everything beside the database and say what is wrong; changes nothing.
    `unreadable` names the fields of a question the model cannot take (model/question.py)."""
    path = Path(path).expanduser().absolute()
    found = Diagnosis(path, unreadable=unreadable)
    look_at_snapshot(found)
    if found.snapshot_state in ("foreign", "newer"):
        return found
    if found.snapshot is not None and found.snapshot.legacy:
        look_at_legacy(found)
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


def _newer(path: Path) -> int | None:
    """The journal version a newer qa-queue wrote into this file's header, or None."""
    try:
        with open(path, "rb") as handle:
            found = records.read_one(handle.read(64 * 1024), 0, 0)
        header = orjson.loads(found.payload) if isinstance(found, records.Record) else None
    except (OSError, orjson.JSONDecodeError, AttributeError):
        return None
    if not isinstance(header, dict) or header.get("format") != JOURNAL_FORMAT:
        return None
    version = header.get("version")
    return version if isinstance(version, int) and version > JOURNAL_VERSION else None


def _journal_of(path: Path, generation: int) -> tuple[dict[str, Any] | None, str]:
    """The header of a journal file and how it stands: ours, other, damaged-header, newer,
    foreign."""
    try:
        journal = Journal(journal_path(path, generation))
    except DatabaseError as error:
        if _newer(journal_path(path, generation)) is not None:
            return None, "newer"
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
        elif state == "newer":
            # its records may hold what this version cannot read: never rewritten by it
            found.blocked = f"{name} was written by a newer qa-queue"
            found.problems.append(
                Problem(
                    journal_path(path, generation),
                    None,
                    "was written by a newer qa-queue (journal version "
                    f"{_newer(journal_path(path, generation))}, this one knows {JOURNAL_VERSION})",
                    repair="none: upgrade qa-queue to open it",
                )
            )
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
        _journal_missing(found, snap)
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


def _journal_missing(found: Diagnosis, snap: Snapshot) -> None:
    """Only the index is left: say how little a repair would keep, and that it waits for a
    yes (the journal may be in a backup)."""
    name = journal_path(found.path, snap.generation).name
    questions = len(snap.tables[QUESTIONS])
    hosts = len((snap.tables[SETTINGS].get(str(SETTINGS_ID)) or {}).get("hosts") or [])
    note = saved.read(found.path.with_name(f"{found.path.name}.lock"))
    after = ""
    if note is not None and note.generation == snap.generation and note.end > snap.covered:
        after = (
            f", and every change saved after the index was written (the lock file notes "
            f"changes up to byte {note.end:,} of {name}; the index covers {snap.covered:,})"
        )
    found.drastic = (
        f"a repair keeps {_count(questions, 'question')} and {_count(hosts, 'host')}: only what "
        f"{found.path.name} indexes, without texts, drafts, answers or histories{after}, "
        f"because {name} is missing: put {name} back from a backup first"
    )
    found.problems.append(
        Problem(
            journal_path(found.path, snap.generation),
            None,
            "is missing: only the index is left",
            affects="the questions' texts, drafts, answers and histories",
            repair=f"{found.drastic}; --repair does it only with --yes",
        )
    )
    found.losses.append(f"everything {name} held but the index{after}")


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
            elif leftover.ours:  # put back from a backup, say: it may be all a host has
                found.notes.append(
                    f"{leftover.path.name}: {leftover.what} (put back from a backup?); "
                    f"qa-queue leaves it alone. To go back to it, move {found.path.name} and "
                    f"{journal.path.name} somewhere else and run `qa-queue doctor --repair`, "
                    f"which rebuilds the database from it (changes made in {journal.path.name} "
                    "are not carried over)"
                )
            else:
                found.notes.append(
                    f"{leftover.path.name}: {leftover.what}; qa-queue leaves it alone"
                )
    finally:
        journal.close()

"""Doctor's look at the snapshot (`queue.json`): ours, damaged, foreign, newer, missing, or
in the first format (then its journal is read by legacy.py). Only reads."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Damaged, DatabaseError
from . import legacy, snapshot
from .files import read_regular
from .findings import Diagnosis, Problem
from .generation import generation_numbers, journal_path
from .journal import Journal
from .schema import QUESTIONS
from .snapshot import NotOurs


def look_at_snapshot(found: Diagnosis) -> None:
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


def look_at_legacy(found: Diagnosis) -> None:
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

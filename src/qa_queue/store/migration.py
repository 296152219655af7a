"""Upgrading a database of the first format (schema 1) to this one, once, under the lock.

A new generation is written beside the old files and made durable, then the snapshot is
switched to it; the old journal goes only after that, and bytes of it that were not read (a
torn or damaged tail, which the first format could not tell apart) go to the quarantine file
first. A question that cannot be read stops the upgrade with nothing changed: doctor says
more, and `doctor --repair` upgrades what is intact.
"""

from __future__ import annotations

import uuid
import zlib
from pathlib import Path
from typing import Any

from ..errors import Damaged
from . import leftovers, legacy, schema, snapshot
from .generation import QuestionCopy, next_generation, write_generation
from .schema import EPISODES, SETTINGS, SETTINGS_ID
from .snapshot import Snapshot


def upgrade(path: Path) -> None:
    """Upgrade the database at `path` if it is of the first format (call with the writers'
    lock held); nothing if someone did it meanwhile."""
    current = snapshot.read(path)
    if not current.legacy:
        return
    old = legacy.read(path, current)
    origin = {
        "kind": "migration",
        "generation": current.generation,
        "end": old.end,
        "crc": zlib.crc32(old.data[: old.end]),
    }
    # named after what it is made from: an upgrade interrupted and done again names the same
    # database, so what the first attempt left is provably ours
    database = uuid.uuid5(uuid.NAMESPACE_URL, f"qa-queue:{path.name}:{origin}").hex
    generation = next_generation(path, current.generation)
    new = write_generation(
        path,
        database=database,
        generation=generation,
        origin=origin,
        settings=old.tables[SETTINGS].get(str(SETTINGS_ID)),
        episodes=old.tables[EPISODES],
        questions=legacy.copies(old, lambda i, entry: _unreadable(old, i, entry)),
    )
    offset, rest = old.unread
    if rest:
        leftovers.quarantine(
            path, [(old.journal, offset, rest, "bytes past the last saved change")]
        )
    snapshot.write(
        path, Snapshot(schema.SCHEMA, database, generation, new.end, new.last, new.tables)
    )
    old.journal.unlink()


def _unreadable(old: legacy.Legacy, question_id: int, entry: dict[str, Any]) -> QuestionCopy:
    raise Damaged(
        old.journal, (entry.get("_loc") or [0])[0], f"question #{question_id} cannot be read"
    )

"""Maintenance: checkpoints, compactions and removing leftovers, after a change and under the
writers' lock, never inside a change ("done" means on disk; a failure here is its own).

A checkpoint writes a new snapshot once the journal's tail passes `checkpoint_bytes`, so that
opening replays little. A compaction copies the live question versions and their whole
histories into a new generation once the journal is over COMPACT_MIN_BYTES and superseded
versions outweigh the live data; the snapshot then switches to it and the old generation,
every committed byte of it copied, is removed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from . import leftovers, schema, shred, snapshot
from .generation import QuestionCopy, next_generation, write_generation
from .journal import Journal
from .position import Position
from .snapshot import Snapshot

COMPACT_MIN_BYTES = 64 * 1024 * 1024
# Compact once superseded question versions outweigh the live data (versions and histories):
# the rewrite then at least halves the journal.
COMPACT_RATIO = 2


class Maintained(Protocol):
    """What maintenance needs of the store it is handed."""

    path: Path
    database: str
    checkpoint_bytes: int
    leftovers_seen: bool

    @property
    def position(self) -> Position: ...

    @property
    def journal(self) -> Journal: ...

    def locked(self, doing: str = "") -> AbstractContextManager[None]: ...

    def refresh(self) -> set[int]: ...

    def install(self, current: Snapshot) -> None: ...

    def note_saved(self) -> None: ...

    def tables(self) -> dict[str, dict[str, Any]]: ...

    def live_bytes(self) -> int: ...

    def settings(self) -> dict[str, Any]: ...

    def episodes(self) -> list[dict[str, Any]]: ...

    def summaries(self) -> Any: ...

    def get(self, question_id: int, *, history: bool = True) -> dict[str, Any]: ...


class Maintenance:
    def __init__(self, store: Maintained):
        self._store = store

    def due(self) -> bool:
        """Whether `run` has work: a long journal tail to fold into the snapshot, or files a
        crash left beside the database."""
        return self._tail_long() or self._store.leftovers_seen

    def _tail_long(self) -> bool:
        position = self._store.position
        return position.read_to - position.covered > self._store.checkpoint_bytes

    def run(self, *, catch_up: bool = True) -> list[str]:
        """Checkpoint (and compact) if due, and remove leftovers proved to be the store's own
        and superseded. Call it after a change was acknowledged: its failure is its own (a
        DatabaseError saying what), never the change's. Returns what it did.

        `catch_up=False` (an app calling it from a worker thread while its own thread reads
        the index) leaves the index as it is: the snapshot then covers what this store has
        read, and compaction, which must copy everything, waits until there is nothing
        more to read."""
        store = self._store
        done: list[str] = []
        with store.locked():
            if catch_up:
                store.refresh()
            elif not store.journal.is_current():
                return done  # another process compacted: the app's next look re-reads
            if self._tail_long():
                behind = store.journal.size() > store.position.read_to
                done.append(self._checkpoint(compact=not behind))
            if store.leftovers_seen:
                removed = leftovers.remove_proved(
                    store.path, store.position.generation, store.journal
                )
                done.extend(f"removed {name}" for name in removed)
                store.leftovers_seen = False
        return done

    def checkpoint(self) -> str:
        """Fold the journal's tail into the snapshot now (compacting it if it is mostly
        superseded versions); `run` does it on its own each `checkpoint_bytes`."""
        with self._store.locked():
            self._store.refresh()
            return self._checkpoint()

    def compact(self) -> str:
        """Rewrite the live questions and their histories into a new generation now."""
        with self._store.locked():
            self._store.refresh()
            return self.rewrite()

    def _checkpoint(self, compact: bool = True) -> str:
        store, position = self._store, self._store.position
        if (
            compact
            and position.read_to > COMPACT_MIN_BYTES
            and position.read_to > COMPACT_RATIO * store.live_bytes()
        ):
            return self.rewrite()
        snapshot.write(
            store.path,
            Snapshot(
                schema.SCHEMA,
                store.database,
                position.generation,
                position.read_to,
                position.last,
                store.tables(),
            ),
        )
        position.covered = position.read_to
        return f"checkpoint at byte {position.read_to}"

    def rewrite(
        self,
        kind: str = "compaction",
        change: Callable[[QuestionCopy], QuestionCopy] | None = None,
        *,
        shred_old: bool = False,
    ) -> str:
        """Copy the live question versions and their histories into a new generation, then
        switch the snapshot to it; the old generation is then superseded and removed.

        An erasure (erase.py) passes `change`, which sees each question's copy and may
        return another, and `shred_old`: the old snapshot's and journal's bytes are zeroed
        before they go. A crash at any point leaves the old generation in charge, or the new
        one with the old a leftover proved superseded (leftovers.py)."""
        store, position = self._store, self._store.position
        old = store.journal
        generation = next_generation(store.path, position.generation)
        origin = {
            "kind": kind,
            "generation": position.generation,
            "end": position.read_to,
            "last": position.last,
            "lineage": leftovers.lineage(old.header, position.generation, position.read_to),
        }
        copies = self._copies()
        new = write_generation(
            store.path,
            database=store.database,
            generation=generation,
            origin=origin,
            settings=store.settings() or None,
            episodes={str(e["number"]): e for e in store.episodes()},
            questions=copies if change is None else map(change, copies),
        )
        tables = new.tables
        replaced = shred.open_for_zeroing(store.path) if shred_old else None
        try:
            snapshot.write(
                store.path,
                Snapshot(schema.SCHEMA, store.database, generation, new.end, new.last, tables),
            )
        except BaseException as error:
            if replaced is not None:
                os.close(replaced)
            if isinstance(error, Exception):  # an error, not the process stopped
                self._drop_unnamed(generation, new.path)
            raise
        shred.zero_and_close(replaced)  # the old snapshot, now without a name
        store.install(snapshot.read(store.path))
        store.note_saved()
        if shred_old:
            shred.shred(old.path)
        else:
            old.path.unlink(missing_ok=True)
        return f"compacted into {new.path.name}"

    def _drop_unnamed(self, generation: int, path: Path) -> None:
        """The new generation's file, when the snapshot could not be switched to it (a full
        disk): no snapshot names it, so it goes now rather than fill the disk for every
        later change. Kept if the snapshot does name it, or cannot be read to tell."""
        header = snapshot.read_header(self._store.path)
        if header is not None and header.get("generation") != generation:
            path.unlink(missing_ok=True)

    def _copies(self) -> Iterator[QuestionCopy]:
        for summary in list(self._store.summaries()):
            doc = self._store.get(summary["id"])
            history = doc.pop("history")
            yield QuestionCopy(summary["id"], doc, history, summary["updated_at"])

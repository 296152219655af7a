"""The question store: the only code that touches TinyDB and the database files.

On disk, a database ``q.json`` is three files beside each other:

- ``q.json``: the snapshot, an atomically replaced JSON file with the schema version and the
  TinyDB index tables (question summaries, episodes, settings) as of a journal offset;
- ``q.json.journal.<generation>``: the append-only journal holding every question version;
- ``q.json.lock``: the writers' lock (a separate file, since the snapshot's inode changes).

A change takes the lock, catches up with what other processes appended, checks the question's
revision, appends one transaction and fdatasyncs it: a few hundred microseconds whatever the
size of the queue. Opening reads the snapshot and replays the journal's tail. The snapshot is
refreshed when the tail grows past a few MB, and the journal is compacted into a new
generation when most of it is superseded versions.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from ..errors import DatabaseError, NotFound
from ..gc_pause import gc_paused
from . import schema
from .compaction import Compaction
from .files import WriterLock, atomic_write, create_private
from .indexes import QuestionIndexes
from .journal import Journal, JournalMissing, Location, Op, encode
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID
from .storage import IndexDB, IndexStorage, IndexTable
from .texts import SearchTexts
from .transaction import Transaction

CHECKPOINT_BYTES = 8 * 1024 * 1024
COMPACT_MIN_BYTES = 64 * 1024 * 1024
# The snapshot's header: the small fields written before "tables", readable without parsing it.
HEADER_BYTES = 4096


class Store(SearchTexts, Compaction):
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        lock_timeout: float = 15.0,
        checkpoint_bytes: int = CHECKPOINT_BYTES,
    ):
        self.path = Path(path).expanduser().absolute()
        self.checkpoint_bytes = checkpoint_bytes
        self._lock = WriterLock(self.path.with_name(f"{self.path.name}.lock"), lock_timeout)
        self._journal: Journal | None = None
        self._noting: list[set[int]] = []  # see noting_changes
        if not self.path.exists():
            if not create:
                raise DatabaseError(f"there is no database at {self.path}")
            self._create()
        self._cleanup_if_idle()
        self._load()

    # -- opening ---------------------------------------------------------------------------

    def _journal_path(self, generation: int) -> Path:
        return self.path.with_name(f"{self.path.name}.journal.{generation}")

    def _create(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._locked():
                if self.path.exists():
                    return  # another process created it while we waited
                leftovers = sorted(self.path.parent.glob(f"{self.path.name}.journal.*"))
                if leftovers:
                    raise DatabaseError(
                        f"{leftovers[0]} exists but {self.path} does not; refusing to start a "
                        "new database over it (restore the snapshot or move the journal away)"
                    )
                create_private(self._journal_path(1))
                self._write_snapshot(1, 0, {QUESTIONS: {}, EPISODES: {}, SETTINGS: {}})
        except OSError as error:
            raise DatabaseError(f"cannot create a database at {self.path}: {error}") from error

    def _read_snapshot(self) -> dict[str, Any]:
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise DatabaseError(f"cannot read {self.path}: {error.strerror}") from error
        what = None
        try:
            with gc_paused():
                snapshot = orjson.loads(data)
        except orjson.JSONDecodeError:
            what = "it is empty" if not data.strip() else "it is not readable JSON"
            snapshot = None
        if what is None and not (
            isinstance(snapshot, dict) and snapshot.get("format") == "qa-queue"
        ):
            what = (
                "it is a plain TinyDB file"
                if isinstance(snapshot, dict) and "_default" in snapshot
                else "it is JSON of another kind"
            )
        if what:
            raise DatabaseError(
                f"{self.path} is not a qa-queue database ({what}); it was left untouched"
            )
        assert isinstance(snapshot, dict)
        version = snapshot.get("schema")
        if not isinstance(version, int) or version < 1:
            raise DatabaseError(f"{self.path} has no valid schema version; it was left untouched")
        if version > schema.SCHEMA:
            raise DatabaseError(
                f"{self.path} was written by a newer qa-queue (schema {version}, this one knows "
                f"{schema.SCHEMA}): upgrade qa-queue to open it"
            )
        return snapshot

    def _load(self) -> None:
        """Read the snapshot and replay its journal's tail, migrating an older schema first.

        Reading the snapshot and opening its journal are two steps without the lock: if
        another process compacted in between, the journal named is gone; read again.
        """
        for _attempt in range(5):
            snapshot = self._read_snapshot()
            try:
                if snapshot["schema"] < schema.SCHEMA:
                    self._migrate()
                else:
                    self._install(snapshot)
                return
            except JournalMissing:
                generation = snapshot["generation"]
                if self._snapshot_header().get("generation", generation) == generation:
                    raise  # not a compaction: the journal really is missing
        raise DatabaseError(f"{self.path} keeps changing generation under us; try again")

    def _migrate(self) -> None:
        with self._locked():
            snapshot = self._read_snapshot()
            self._install(snapshot)
            if snapshot["schema"] < schema.SCHEMA:  # unless someone did it while we waited
                self._rewrite(from_schema=snapshot["schema"])

    def _snapshot_header(self) -> dict[str, Any]:
        """The snapshot's small fields (generation…) without parsing its tables: they are
        written first (see _write_snapshot). Empty if the file is not one of ours."""
        try:
            with self.path.open("rb") as file:
                head = file.read(HEADER_BYTES)
            header = orjson.loads(head[: head.index(b',"tables":')] + b"}")
        except (OSError, ValueError):
            return {}
        return header if isinstance(header, dict) else {}

    def _install(self, snapshot: dict[str, Any]) -> None:
        journal = Journal(self._journal_path(snapshot["generation"]))  # first: it may be gone
        if self._journal is not None:
            self._journal.close()
        self._journal = journal
        self._generation = snapshot["generation"]
        self._covered = snapshot["covered"]
        self._schema = snapshot["schema"]
        tables = snapshot["tables"]
        for name in (QUESTIONS, EPISODES, SETTINGS):
            tables.setdefault(name, {})
        self._db = IndexDB(tables, storage=IndexStorage)
        self._questions: IndexTable = self._db.table(QUESTIONS, cache_size=0)  # type: ignore[assignment]
        self._episodes: IndexTable = self._db.table(EPISODES, cache_size=0)  # type: ignore[assignment]
        self._settings: IndexTable = self._db.table(SETTINGS, cache_size=0)  # type: ignore[assignment]
        self.indexes = QuestionIndexes(self._questions.raw)
        self._texts: dict[int, bytes] | None = None  # see keep_texts
        self._read_to = self._covered
        self._catch_up()

    def _cleanup_if_idle(self) -> None:
        """Remove what a crash left behind if nobody writes: temp files of snapshot writes, and
        journals of other generations (a newer one is a compaction that crashed before its
        snapshot was installed, an older one a compaction that crashed before removing it)."""
        try:
            if not self._lock.acquire(timeout=0):
                return
        except OSError:
            return  # a folder we cannot write to: reading still works, writing will say why
        try:
            generation = self._snapshot_header().get("generation")
            if not isinstance(generation, int):
                return  # not one of ours (or damaged): _load reports it, nothing is touched
            for tmp in self.path.parent.glob(f"{self.path.name}.tmp-*"):
                tmp.unlink(missing_ok=True)
            for journal in self.path.parent.glob(f"{self.path.name}.journal.*"):
                suffix = journal.name.rsplit(".", 1)[-1]
                if suffix.isdigit() and int(suffix) != generation:
                    journal.unlink()
        finally:
            self._lock.release()

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self._lock.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- keeping up with other processes ------------------------------------------------------

    def _catch_up(self) -> set[int]:
        assert self._journal is not None
        transactions, end, _ = self._journal.scan(self._read_to)
        changed: set[int] = set()
        for transaction in transactions:
            for op in transaction:
                self._apply(op)
                if op.table == QUESTIONS:
                    changed.add(op.key)
        self._read_to = end
        return changed

    def refresh(self) -> set[int]:
        """Pick up other processes' changes; returns the ids of questions that changed.

        Cheap when nothing happened (two stat calls), so an open app can call it every second.
        """
        assert self._journal is not None
        if not self._journal.is_current():
            before = set(self._questions.raw())
            self._load()
            return {int(key) for key in before | set(self._questions.raw())}
        if self._journal.size() <= self._read_to:
            return set()
        return self._catch_up()

    @contextlib.contextmanager
    def noting_changes(self) -> Iterator[set[int]]:
        """The ids of the questions changed while inside (ours, or others' read by refresh):
        what a screen showing a long list needs to look at again, and nothing else."""
        noted: set[int] = set()
        self._noting.append(noted)
        try:
            yield noted
        finally:
            self._noting.remove(noted)

    def _apply(self, op: Op) -> None:
        if op.table == QUESTIONS:
            for noted in self._noting:
                noted.add(op.key)
            old = self._questions.raw().get(str(op.key))
            if op.doc is None:
                self._follow_text(old, None)
                self._questions.remove(doc_ids=[op.key])
                self.indexes.changed(op.key, old, None)
                return
            entry = schema.summary(op.doc)
            entry["_loc"] = op.location.as_list()
            self._questions.replace(op.key, entry)
            self._follow_text(old, entry)
            self.indexes.changed(op.key, old, entry)
        else:
            table = self._episodes if op.table == EPISODES else self._settings
            if op.doc is None:
                table.remove(doc_ids=[op.key])
            else:
                table.replace(op.key, op.doc)

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._questions.raw())

    def summaries(self) -> Iterable[dict[str, Any]]:
        """Every question's summary (id, status, host, tags…); read-only, not copied."""
        return self._questions.raw().values()

    def summary(self, question_id: int) -> dict[str, Any]:
        entry = self._questions.raw().get(str(question_id))
        if entry is None:
            raise NotFound(f"there is no question #{question_id}")
        return entry

    def get(self, question_id: int) -> dict[str, Any]:
        """The whole question document, read from the journal."""
        assert self._journal is not None
        location = Location(*self.summary(question_id)["_loc"])
        return self._journal.read(location)["doc"]

    def id_for_import_key(self, key: str) -> int | None:
        return self.indexes.id_for_import_key(key)

    def ids_where(self, narrow: Iterable[tuple[str, set[Any]]]) -> set[int] | None:
        """Candidates for a query by status / tag / host (see QuestionIndexes.ids_where)."""
        return self.indexes.ids_where(narrow)

    def episodes(self) -> list[dict[str, Any]]:
        return sorted(self._episodes.raw().values(), key=lambda e: e["number"])

    def episode(self, number: int) -> dict[str, Any] | None:
        return self._episodes.raw().get(str(number))

    def settings(self) -> dict[str, Any]:
        return dict(self._settings.raw().get(str(SETTINGS_ID)) or {})

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            locked = self._lock.acquire()
        except OSError as error:
            raise DatabaseError(
                f"cannot lock {self.path} for writing ({error.strerror}): is its folder "
                "writable for you?"
            ) from error
        if not locked:
            raise DatabaseError(
                f"{self.path} is busy: another qa-queue has held its lock for "
                f"{self._lock.timeout:.0f}s; try again"
            )
        try:
            yield
        finally:
            self._lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, catch up, and commit everything put in the block as one durable transaction."""
        with self._locked():
            self.refresh()
            assert self._journal is not None
            if self._journal.size() > self._read_to:
                self._journal.truncate(self._read_to)  # torn by a crash, never acknowledged
            transaction = Transaction(self)
            yield transaction
            if transaction.ops:
                self._commit(transaction.ops)

    def _commit(self, ops: list[tuple[str, int, dict[str, Any] | None]]) -> None:
        assert self._journal is not None
        tx = self._read_to  # unique and increasing: the offset the transaction starts at
        lines = []
        for index, (table, key, doc) in enumerate(ops):
            record: dict[str, Any] = {"tx": tx, "t": table, "id": key}
            if doc is None:
                record["del"] = True
            else:
                record["doc"] = doc
            if index == len(ops) - 1:
                record["end"] = len(ops)
            search = schema.search_text(doc) if table == QUESTIONS and doc else b""
            lines.append(encode(record, search))
        start = self._journal.append(lines)
        offset = start
        for (table, key, doc), line in zip(ops, lines, strict=True):
            header = line.index(b" ", 9)
            search_length = int(line[9:header])
            location = Location(offset, len(line), offset + header + 1, search_length)
            self._apply(Op(table, key, doc, location))
            offset += len(line)
        self._read_to = offset
        if self._read_to - self._covered > self.checkpoint_bytes:
            self._checkpoint()

    def checkpoint(self) -> None:
        """Fold the journal's tail into the snapshot now; changes do it on their own each
        `checkpoint_bytes` of journal."""
        with self._locked():
            self.refresh()
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Fold the journal's tail into the snapshot (and compact the journal if it is mostly
        superseded versions), so that opening stays fast. Call with the lock held."""
        live = sum(entry["_loc"][1] for entry in self._questions.raw().values())
        if self._read_to > COMPACT_MIN_BYTES and self._read_to > 3 * live:
            self._rewrite()
        else:
            self._write_snapshot(self._generation, self._read_to, self._db.storage.read())
            self._covered = self._read_to

    def _write_snapshot(self, generation: int, covered: int, tables: dict[str, Any]) -> None:
        # "tables" last: the fields before it are the header _snapshot_header reads
        snapshot = {
            "format": schema.FORMAT,
            "schema": schema.SCHEMA,
            "generation": generation,
            "covered": covered,
            "tables": tables,
        }
        atomic_write(self.path, orjson.dumps(snapshot))

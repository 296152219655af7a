"""The question store: the only code that touches TinyDB and the database files.

On disk, a database ``q.json`` is three files beside each other (docs/STORAGE.md):

- ``q.json``: the snapshot, an atomically replaced JSON file with the TinyDB index tables
  (question summaries, episodes, settings) as of a place in the journal;
- ``q.json.journal.<generation>``: the append-only journal of checksummed records holding
  every question version and history entry;
- ``q.json.lock``: the writers' lock (a separate file, since the snapshot's inode changes).

A change takes the lock, catches up with what other processes appended, checks the question's
revision, appends one transaction and fdatasyncs it: a few hundred microseconds whatever the
size of the queue. Opening reads the snapshot and replays the journal's tail, and never
changes a file. Checkpoints, compactions and cleaning up leftovers happen in `maintain()`,
after a change has been acknowledged, never inside one.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Damaged, DatabaseError, NotFound
from . import leftovers, saved, schema, snapshot
from .encoding import NO_HISTORY, Encoder, read_entry, read_other, read_question
from .files import WriterLock, make_private_folder, problem
from .generation import generation_numbers, journal_path, next_generation, write_generation
from .index import Index
from .journal import Journal, JournalMissing
from .maintenance import Maintenance
from .migration import upgrade
from .position import Position
from .records import Record
from .schema import EPISODES, Summary
from .snapshot import Snapshot
from .texts import SearchTexts
from .transaction import QuestionPut, Transaction

CHECKPOINT_BYTES = 8 * 1024 * 1024


class Store:
    position: Position  # set by _load, as every switch to a new generation does

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        lock_timeout: float = 15.0,
        checkpoint_bytes: int | None = None,
    ):
        self.path = self.resolve(path)
        self.checkpoint_bytes = CHECKPOINT_BYTES if checkpoint_bytes is None else checkpoint_bytes
        self._lock = WriterLock(self.path.with_name(f"{self.path.name}.lock"), lock_timeout)
        # the transaction a change of several steps is gathering, and the thread gathering it
        self._open: tuple[int, Transaction] | None = None
        self._journal: Journal | None = None
        self._retired: Journal | None = None
        self._noting: list[set[int]] = []  # see noting_changes
        self.texts = SearchTexts(self)
        self.maintenance = Maintenance(self)
        self.wrote = False  # whether this store committed a change (see maintain)
        self.database = ""
        if not os.path.lexists(self.path):
            if generation_numbers(self.path):  # the snapshot is lost, not the database
                raise self._snapshot_missing()
            if not create:
                raise DatabaseError(f"there is no database at {self.path}")
            self._create()
        self._load()
        self.leftovers_seen = leftovers.named(self.path, self.position.generation)

    @staticmethod
    def resolve(path: str | os.PathLike[str]) -> Path:
        """The path a store opened on `path` has."""
        return Path(path).expanduser().absolute()

    # -- opening ---------------------------------------------------------------------------

    def _create(self) -> None:
        try:
            make_private_folder(self.path.parent)
        except OSError as error:
            raise problem(self.path.parent, error, "create the database's folder") from error
        with self.locked():
            if os.path.lexists(self.path):
                return  # another process created it while we waited
            if generation_numbers(self.path):
                raise self._snapshot_missing()
            database = uuid.uuid4().hex
            generation = next_generation(self.path, 0)
            new = write_generation(
                self.path,
                database=database,
                generation=generation,
                origin=None,
                settings=None,
                episodes={},
                questions=(),
            )
            snapshot.write(
                self.path,
                Snapshot(schema.SCHEMA, database, generation, new.end, new.last, new.tables),
            )

    def _snapshot_missing(self) -> DatabaseError:
        first = journal_path(self.path, generation_numbers(self.path)[0])
        return DatabaseError(
            f"{self.path} (the database's index) is missing, but its journal {first.name} is "
            "there; nothing was changed: run `qa-queue doctor` (`--repair` rebuilds the index "
            "from the journal)"
        )

    def _load(self) -> None:
        """Read the snapshot and replay its journal's tail, migrating an older format first.

        Reading the snapshot and opening its journal are two steps without the lock: if
        another process compacted in between, the journal named is gone; read again.
        """
        for _attempt in range(5):
            try:
                current = snapshot.read(self.path)
            except FileNotFoundError:
                raise DatabaseError(f"{self.path} is missing (moved while opening?)") from None
            try:
                if current.legacy:
                    self._migrate()
                else:
                    self.install(current)
                return
            except JournalMissing:
                header = snapshot.read_header(self.path) or {}
                if header.get("generation") == current.generation:
                    raise self._missing_journal(current) from None
        raise DatabaseError(f"{self.path} keeps changing generation under us; try again")

    def _missing_journal(self, current: Snapshot) -> DatabaseError:
        others = [g for g in generation_numbers(self.path) if g != current.generation]
        where = journal_path(self.path, current.generation)
        if others:
            return DatabaseError(
                f"{where} is missing but {journal_path(self.path, others[-1]).name} is there: "
                f"{self.path.name} may be a copy restored from an older backup; nothing was "
                "changed: run `qa-queue doctor`"
            )
        return DatabaseError(f"{where} is missing: the database cannot be read")

    def install(self, current: Snapshot) -> None:
        journal = Journal(
            journal_path(self.path, current.generation),
            database=current.database,
            generation=current.generation,
        )
        try:
            self._check_covered(journal, current)
            try:
                self._check_saved(journal, current.generation)
            except Damaged as error:  # name where the damage starts, as doctor does
                scan = journal.scan(max(current.covered, journal.start))
                if scan.damage is not None and scan.damage.offset < error.offset:
                    raise Damaged(journal.path, scan.damage.offset, scan.damage.why) from None
                raise
        except BaseException:
            journal.close()
            raise
        if self._retired is not None:
            self._retired.close()
        # The replaced journal is closed at the next switch, not now: a reader on another
        # thread (the app searching while a worker compacts) may still be using it.
        self._retired, self._journal = self._journal, journal
        self.database = journal.database
        self.position = Position(
            current.generation, current.covered, max(current.covered, journal.start), current.last
        )
        self.index = Index(current.tables, self.texts, self._noting)
        self.indexes = self.index.lookups
        self.texts.forget()
        self._catch_up()

    def _check_covered(self, journal: Journal, current: Snapshot) -> None:
        """The journal must still hold what the snapshot indexes, byte for byte where it
        matters: as long as it says, and ending with the very record it names."""
        size = journal.size()
        if size < current.covered:
            raise Damaged(
                journal.path,
                size,
                f"it ends {current.covered - size} bytes before the end of what "
                f"{self.path.name} indexes: saved changes are missing (restored from an older "
                "backup?)",
            )
        if current.last is None:
            return
        offset, crc = current.last
        try:
            found = journal.record(offset, current.covered - offset)
        except Damaged:
            found = None
        if found is None or found.header_crc != crc:
            raise Damaged(
                journal.path,
                offset,
                f"it does not hold the record {self.path.name} says is there: it is not the "
                "journal this index was made from",
            )

    def _check_saved(self, journal: Journal, generation: int, end: int | None = None) -> None:
        """The journal must hold the last saved change the lock file notes (saved.py):
        cut short or restored from an older copy, it is damaged, not torn. With `end`, only
        a note past it counts (a writer about to cut a torn tail there)."""
        note = saved.read(self._lock.path)
        if note is None or note.generation != generation:
            return
        size = journal.size() if end is None else end
        if note.end > size:
            raise Damaged(
                journal.path,
                size,
                f"it ends {note.end - size} bytes before the last change saved in it (which "
                f"ends at byte {note.end}, as {self._lock.path.name} notes): cut short, or "
                "restored from an older copy",
            )
        if end is not None:
            return
        found = journal.record(note.last, note.end - note.last)  # Damaged says how, if it is
        if found.header_crc != note.last_crc:
            raise Damaged(
                journal.path,
                note.last,
                f"it does not hold the last change saved in it where {self._lock.path.name} "
                "notes it: restored from an older copy, or replaced",
            )

    def note_saved(self) -> None:
        """Note in the lock file where the last saved change ends (after it is durable; held
        lock). A note that cannot be written is no loss: the check only weakens."""
        position = self.position
        if position.last is None:
            return
        note = saved.Saved(
            position.generation, position.last[0], position.read_to, position.last[1]
        )
        with contextlib.suppress(OSError):
            self._lock.note(note.encode())

    def _migrate(self) -> None:
        """A first-format database is upgraded (migration.py) before it is read."""
        with self.locked(doing="have its files upgraded once for this qa-queue"):
            upgrade(self.path)
            self.install(snapshot.read(self.path))
            self.note_saved()

    def close(self) -> None:
        for journal in (self._journal, self._retired):
            if journal is not None:
                journal.close()
        self._journal = self._retired = None
        self._lock.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def journal(self) -> Journal:
        assert self._journal is not None, "the store is closed"
        return self._journal

    # -- keeping up with other processes ------------------------------------------------------

    def _catch_up(self) -> set[int]:
        scan = self.journal.scan(self.position.read_to)
        if scan.damage is not None:
            raise Damaged(self.journal.path, scan.damage.offset, scan.damage.why)
        changed: set[int] = set()
        for transaction in scan.transactions:
            for record in transaction:
                changed |= self._replay(record)
            self.position.last = [transaction[-1].offset, transaction[-1].header_crc]
        self.position.read_to = scan.end
        self.position.torn = scan.torn
        return changed

    def _replay(self, record: Record) -> set[int]:
        try:
            if record.kind == "Q":
                version = read_question(record)
                if version.doc is None:
                    self.index.remove_question(version.question_id)
                else:
                    self.index.put_question(
                        version.question_id,
                        version.doc,
                        version.loc,
                        version.history,
                        version.updated_at,
                        version.block,
                    )
                return {version.question_id}
            if record.kind in "ES":
                table, key, doc = read_other(record)
                self.index.put_other(table, key, doc)
        except (ValueError, KeyError, TypeError) as error:
            raise Damaged(
                self.journal.path, record.offset, f"a record qa-queue cannot read: {error}"
            ) from None
        return set()

    def refresh(self) -> set[int]:
        """Pick up other processes' changes; returns the ids of questions that changed.

        Cheap when nothing happened (two stat calls), so an open app can call it every second.
        """
        if not self.journal.is_current():
            before = {s["id"] for s in self.summaries()}
            self._load()
            return before | {s["id"] for s in self.summaries()}
        if self.journal.size() <= self.position.read_to:
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

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.index)

    def summaries(self) -> Iterable[Summary]:
        """Every question's summary (id, status, host, tags…); read-only, not copied."""
        return self.index.summaries()

    def summaries_of(self, ids: Iterable[int]) -> list[Summary]:
        """The summaries of these questions (ids from ids_where: all of them exist)."""
        return self.index.summaries_of(ids)

    def summary(self, question_id: int) -> Summary:
        return self.index.summary(question_id)

    def get(self, question_id: int, *, history: bool = True) -> dict[str, Any]:
        """The question document, read from the journal, with its whole history (oldest
        first, each entry numbered by "seq") unless `history` is False (then [])."""
        offset, length = self.summary(question_id)["_loc"][:2]
        record = self.journal.record(offset, length)
        try:
            version = read_question(record)
        except (ValueError, KeyError, TypeError) as error:
            raise Damaged(
                self.journal.path, offset, f"a record qa-queue cannot read: {error}"
            ) from None
        if version.doc is None or version.question_id != question_id:
            raise Damaged(self.journal.path, offset, f"it is not question #{question_id}'s")
        doc = version.doc
        doc["history"] = self._history(question_id, version.history) if history else []
        return doc

    def history(self, question_id: int) -> list[dict[str, Any]]:
        """The question's history entries, oldest first."""
        return self._history(question_id, self.summary(question_id)["_h"])

    def last_change(self, question_id: int) -> dict[str, Any] | None:
        """The newest history entry (one read, whatever the length of the history)."""
        head = self.summary(question_id)["_h"]
        if head[0] is None:
            return None
        return read_entry(self.journal.record(head[0], head[1]))[2]

    def _history(self, question_id: int, head: list[Any]) -> list[dict[str, Any]]:
        entries = []
        place = head[:2] if head[0] is not None else None
        while place is not None:
            record = self.journal.record(*place)
            try:
                owner, place, entry = read_entry(record)
            except (ValueError, KeyError, TypeError) as error:
                raise Damaged(
                    self.journal.path, record.offset, f"a history record: {error}"
                ) from None
            if record.kind != "H" or owner != question_id:
                raise Damaged(self.journal.path, record.offset, "a history chain goes astray")
            entries.append(entry)
        entries.reverse()
        return entries

    def id_for_import_key(self, key: str) -> int | None:
        return self.indexes.id_for_import_key(key)

    def ids_where(self, narrow: Iterable[tuple[str, set[Any]]]) -> set[int] | None:
        """Candidates for a query by status / tag / host (see QuestionIndexes.ids_where)."""
        return self.indexes.ids_where(narrow)

    def episodes(self) -> list[dict[str, Any]]:
        return self.index.episodes()

    def episode(self, number: int) -> dict[str, Any] | None:
        return self.index.episode(number)

    def settings(self) -> dict[str, Any]:
        return self.index.settings()

    # search texts (see texts.py)
    def containing(self, entries: list[Summary], needle: bytes) -> list[Summary]:
        return self.texts.containing(entries, needle)

    def keep_texts(self) -> None:
        self.texts.keep()

    @property
    def texts_kept(self) -> bool:
        return self.texts.kept

    def text(self, question_id: int, limit: int = 2000) -> str:
        return self.texts.text(question_id, limit)

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self, doing: str = "") -> Iterator[None]:
        try:
            locked = self._lock.acquire()
        except DatabaseError as error:
            if not doing:
                raise
            raise DatabaseError(f"{self.path} needs to {doing}: {error}") from error
        if not locked:
            raise DatabaseError(
                f"{self.path} is busy: another qa-queue has held its lock for "
                f"{self._lock.timeout:.0f}s; try again"
            )
        try:
            yield
        finally:
            self._lock.release()

    @property
    def gathering(self) -> bool:
        """Whether this thread is inside a transaction not committed yet."""
        return self._open is not None and self._open[0] == threading.get_ident()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, catch up, and commit everything put in the block as one durable transaction.

        A transaction opened inside another on the same thread joins it: a change made of
        several steps (`update 8 --episode 213 --status answered`) is committed whole at the
        end of the outer one, or, when a step is refused, not at all.
        """
        me = threading.get_ident()
        if self._open is not None and self._open[0] == me:
            yield self._open[1]
            return
        with self.locked():
            self.refresh()
            transaction = Transaction(self)
            self._open = (me, transaction)
            try:
                yield transaction
            finally:
                self._open = None
            if transaction.ops:
                self._commit(transaction.ops)

    def _commit(self, ops: list[Any]) -> None:
        journal = self.journal
        size = journal.size()
        if self.position.torn and size > self.position.read_to:
            # proved torn by the scan just made under the lock, and no saved change ends in
            # it (the lock file's note): never acknowledged
            self._check_saved(journal, self.position.generation, self.position.read_to)
            journal.truncate_torn(self.position.read_to)
            self.position.torn, size = False, self.position.read_to
        if size != self.position.read_to:
            raise DatabaseError(f"{journal.path} changed unexpectedly; nothing was changed")
        encoder = Encoder(self.position.read_to)
        written: list[Any] = []
        chains: dict[int, Any] = {}  # a question put twice in one transaction: its latest
        for op in ops:
            if isinstance(op, QuestionPut):
                before = chains.get(op.question_id)
                if before is None:
                    try:
                        current = self.summary(op.question_id)
                        before = (current["_h"], current["updated_at"])
                    except NotFound:
                        before = (NO_HISTORY, "")
                done = encoder.question(op.question_id, op.doc, op.entries, *before)
                chains[op.question_id] = (done.history, done.updated_at)
                written.append(done)
            elif op[0] == EPISODES:
                encoder.episode(op[1], op[2])
                written.append(op)
            else:
                encoder.settings(op[2])
                written.append(op)
        data = encoder.commit()
        journal.append(data, self.position.read_to)
        self.wrote = True
        last = encoder.data[-1]
        self.position.last = [encoder.offset - len(last), int.from_bytes(last[12:16], "big")]
        self.position.read_to = encoder.offset
        self.note_saved()
        for done in written:
            if isinstance(done, tuple):
                self.index.put_other(*done)
            else:
                assert done.doc is not None
                self.index.put_question(
                    done.question_id, done.doc, done.loc, done.history, done.updated_at, done.block
                )

    # -- maintenance (after changes, under the lock: see maintenance.py) ----------------------

    def maintenance_due(self) -> bool:
        """Whether `maintain` has work: a long journal tail to fold into the snapshot, or
        files a crash left beside the database."""
        return self.maintenance.due()

    def maintain(self, *, catch_up: bool = True) -> list[str]:
        """Checkpoint (and compact) if due, and remove leftovers proved ours and superseded;
        after a change, never inside it (see Maintenance.run)."""
        return self.maintenance.run(catch_up=catch_up)

    def checkpoint(self) -> str:
        """Fold the journal's tail into the snapshot now."""
        return self.maintenance.checkpoint()

    def compact(self) -> str:
        """Rewrite the live questions and their histories into a new generation now."""
        return self.maintenance.compact()

    def tables(self) -> dict[str, dict[str, Any]]:
        return self.index.tables()

    def live_bytes(self) -> int:
        return self.index.live_bytes()

"""Compaction: the live question versions copied into a new journal generation.

The journal keeps every version of every question; when most of it is superseded versions, a
checkpoint rewrites the live ones into a fresh journal (migrating them too when the schema is
newer) and switches the snapshot over, so opening and disk use follow the live data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import schema
from .files import PRIVATE, fsync_dir
from .journal import Journal, Location, encode
from .schema import QUESTIONS
from .storage import IndexDB, IndexTable


class Compaction:
    """Mixed into Store, which provides the files, the tables and how to install a snapshot."""

    path: Path
    _generation: int
    _journal: Journal | None
    _questions: IndexTable
    _db: IndexDB
    _journal_path: Any
    _write_snapshot: Any
    _install: Any
    _read_snapshot: Any

    def _rewrite(self, from_schema: int | None = None) -> None:
        """Copy the live question versions into a new journal generation (migrating them when
        `from_schema` is older), then switch the snapshot to it. A crash part-way leaves the
        old generation in charge; the half-written new one is removed on the next open."""
        assert self._journal is not None
        generation = self._generation + 1
        path = self._journal_path(generation)
        questions: dict[str, dict[str, Any]] = {}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
        try:
            offset = 0
            chunk: list[bytes] = []
            for key, entry in self._questions.raw().items():
                old = Location(*entry["_loc"])
                if from_schema is None:
                    line = self._journal.raw(old)
                    new_entry = dict(entry)
                    search_offset = old.search_start - old.offset
                    search_length = old.search_length
                else:
                    doc = schema.migrate(self._journal.read(old)["doc"], from_schema)
                    record = {"tx": 0, "t": QUESTIONS, "id": int(key), "doc": doc, "end": 1}
                    search = schema.search_text(doc)
                    line = encode(record, search)
                    new_entry = schema.summary(doc)
                    search_offset = line.index(b" ", 9) + 1
                    search_length = len(search)
                new_entry["_loc"] = [offset, len(line), offset + search_offset, search_length]
                questions[key] = new_entry
                chunk.append(line)
                offset += len(line)
                if len(chunk) >= 1024:
                    os.write(fd, b"".join(chunk))
                    chunk = []
            os.write(fd, b"".join(chunk))
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_dir(self.path.parent)
        tables = dict(self._db.storage.read())
        tables[QUESTIONS] = questions
        self._write_snapshot(generation, offset, tables)
        old_path = self._journal.path
        self._install(self._read_snapshot())
        old_path.unlink(missing_ok=True)
        fsync_dir(self.path.parent)

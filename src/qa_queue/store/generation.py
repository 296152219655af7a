"""Writing a whole new journal generation: what compaction, migration and repair share.

A new generation gets a number no file beside the database has had, is created exclusively,
written, fsync'd with its folder, and only then named by a new snapshot. Until that
snapshot replaces the old one the old generation stays in charge, untouched; the new file is
then a leftover that its header proves is ours and derived (see leftovers.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import records, schema
from .encoding import NO_HISTORY, Encoder
from .files import PRIVATE, fsync_dir, problem, write_all
from .journal import header_payload
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID, Summary

_FLUSH = 4 * 1024 * 1024


def journal_path(path: Path, generation: int) -> Path:
    return path.with_name(f"{path.name}.journal.{generation}")


def generation_numbers(path: Path) -> list[int]:
    """The generation numbers of every journal-named file beside the database."""
    prefix = f"{path.name}.journal."
    numbers = []
    for candidate in path.parent.glob(f"{path.name}.journal.*"):
        suffix = candidate.name[len(prefix) :]
        if suffix.isdigit():
            numbers.append(int(suffix))
    return sorted(numbers)


def next_generation(path: Path, current: int) -> int:
    """A number above the current generation and above every file already there, so a new
    generation never overwrites anything (not even a leftover that could not be proved)."""
    return max([current, *generation_numbers(path)]) + 1


@dataclass
class QuestionCopy:
    """One question for a new generation: its document (no history) and its whole history."""

    question_id: int
    doc: dict[str, Any]
    history: list[dict[str, Any]]
    updated_at: str


@dataclass
class NewGeneration:
    generation: int
    path: Path
    tables: dict[str, Any]
    end: int
    last: list[int] | None


def write_generation(
    path: Path,
    *,
    database: str,
    generation: int,
    origin: dict[str, Any] | None,
    settings: dict[str, Any] | None,
    episodes: dict[str, dict[str, Any]],
    questions: Iterable[QuestionCopy],
) -> NewGeneration:
    """Write generation `generation` of the database at `path` and make it durable.

    The J record is its own transaction; everything else is one more. Returns the index
    tables for the new snapshot. A failure removes the half-written file (it is ours: we
    just created it) and raises DatabaseError naming it.
    """
    target = journal_path(path, generation)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE)
    except OSError as error:
        raise problem(target, error, "create a new generation of the journal") from error
    try:
        head = records.encode("J", header_payload(database, generation, origin), commit=True)
        write_all(fd, head)
        encoder = Encoder(len(head))
        if settings is not None:
            encoder.settings(settings)
        for key, episode in episodes.items():
            encoder.episode(int(key), episode)
        summaries: dict[str, Summary] = {}
        written = 0
        for question in questions:
            done = encoder.question(
                question.question_id,
                question.doc,
                question.history,
                NO_HISTORY,
                question.updated_at,
            )
            entry = schema.summary(question.doc, done.updated_at)
            entry["_loc"], entry["_h"] = done.loc, done.history
            summaries[str(question.question_id)] = entry
            if encoder.offset - written > _FLUSH and len(encoder.data) > 1:
                # flush all but the last record: commit() marks the last one
                write_all(fd, b"".join(encoder.data[:-1]))
                written = encoder.offset - len(encoder.data[-1])
                encoder.data = encoder.data[-1:]
        last = None
        if encoder.data:
            tail = encoder.commit()
            write_all(fd, tail)
            final = encoder.data[-1]
            last = [encoder.offset - len(final), records.header_crc(final)]
        else:
            last = [0, records.header_crc(head)]
        os.fsync(fd)
    except BaseException as error:
        os.close(fd)
        os.unlink(target)
        if isinstance(error, OSError):
            raise problem(target, error, "write a new generation of the journal") from error
        raise
    os.close(fd)
    fsync_dir(path.parent)
    tables = {
        QUESTIONS: summaries,
        EPISODES: dict(episodes),
        SETTINGS: {} if settings is None else {str(SETTINGS_ID): settings},
    }
    return NewGeneration(generation, target, tables, encoder.offset, last)

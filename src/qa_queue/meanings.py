"""The questions' meanings (meaning.py's vectors), kept in a file beside the database, and the
questions whose meaning is nearest a new one's.

The file (``<database>.meanings``) is derived: it holds, for each question read, its id, a
digest of the words read and its vector, and nothing else. Anything wrong with it (cut,
garbage, another version, another model) only means reading the questions again; it is never
needed to open the database, is written whole to a temporary file and renamed over the old
one, and is deleted when a listener is forgotten (a vector is made of their words).

Reading one question's meaning takes ~7-20 ms (docs/LOOKALIKES.md), so an import reads its
new questions' meanings only when it and the questions not yet read are few enough
(INLINE); `qa-queue lookalikes` and the app (in the background) read the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .meaning import DIMENSIONS, MODEL_FILES, NoModel, encoder

if TYPE_CHECKING:
    pass

# A meaning this alike (cosine, 0-1) makes a look-alike; with meanings, a title's words alone
# must be this alike (0-100). Both were chosen on the labelled pairs' dev half
# (benchmarks/lookalikes.py --sweep).
ALIKE = 0.60
WORDS_ALONE = 90
# An import reads meanings itself up to this many questions (new ones and older ones not yet
# read): ~1-3 s. Beyond, its look-alikes are by words, and the report says what to run.
INLINE = 150
BODY_CHARS = 600
# which model made the vectors: a file made by another one is read again
MODEL = MODEL_FILES["model.safetensors"][:16]


def meaning_text(title: str, body: str) -> str:
    """What is read of a question: its title and the start of the listener's words (the
    title is often their first line: then not twice)."""
    body = " ".join(body[:BODY_CHARS].split())
    title = " ".join(title.split())
    if not title or body.startswith(title.rstrip("?.!… ")):
        return body or title
    return f"{title}. {body}" if body else title


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def meanings_path(database: Path) -> Path:
    return database.with_name(f"{database.name}.meanings")


class Meanings:
    """Vectors by question id, read from and saved to the file beside the database (or kept
    in memory only, `path` None: a test's, the benchmark's)."""

    def __init__(self, path: Path | None = None) -> None:
        import numpy as np

        self._np = np
        self.path = path
        self._row: dict[int, int] = {}  # question id -> row of _vectors
        self._digests: list[int] = []
        self._ids: list[int] = []
        self._vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._dirty = False
        if path is not None:
            self._load(path)

    def __len__(self) -> int:
        return len(self._row)

    # -- the file --------------------------------------------------------------------------

    def _load(self, path: Path) -> None:
        np = self._np
        try:
            with np.load(path, allow_pickle=False) as data:
                model = str(data["model"])
                ids = data["ids"].astype(np.int64)
                digests = data["digests"].astype(np.uint64)
                vectors = data["vectors"].astype(np.float32)
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return  # damaged: read again
        count = len(ids)
        if (
            model != MODEL
            or vectors.shape != (count, DIMENSIONS)
            or digests.shape != (count,)
            or not np.isfinite(vectors).all()
        ):
            return
        self._vectors = vectors
        self._ids = [int(i) for i in ids]
        self._digests = [int(d) for d in digests]
        self._row = {question_id: row for row, question_id in enumerate(self._ids)}

    def save(self) -> None:
        """Write the file anew when something changed (a failure only costs a later read)."""
        if self.path is None or not self._dirty:
            return
        np = self._np
        temporary = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                np.savez(
                    out,
                    model=np.array(MODEL),
                    ids=np.array(self._ids, dtype=np.int64),
                    digests=np.array(self._digests, dtype=np.uint64),
                    vectors=self._vectors.astype(np.float16),
                )
            os.replace(temporary, self.path)
            self._dirty = False
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    # -- reading ---------------------------------------------------------------------------

    def unread(self, texts: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        """Those of (id, text) whose meaning is not here, or was read from other words."""
        row, digests = self._row, self._digests
        return [
            (question_id, text)
            for question_id, text in texts
            if (at := row.get(question_id)) is None or digests[at] != _digest(text)
        ]

    def read(
        self,
        texts: list[tuple[int, str]],
        progress: Callable[[int], None] | None = None,
        batch: int = 64,
    ) -> None:
        """Read these questions' meanings (the model is loaded on first use)."""
        model = encoder()
        for start in range(0, len(texts), batch):
            part = texts[start : start + batch]
            self.put([(i, t) for i, t in part], model.encode([text for _, text in part]))
            if progress is not None:
                progress(len(part))

    def put(self, texts: list[tuple[int, str]], vectors: Any) -> None:
        np = self._np
        fresh = []
        for (question_id, text), vector in zip(texts, vectors, strict=True):
            row = self._row.get(question_id)
            if row is None:
                fresh.append((question_id, text, vector))
            else:
                self._vectors[row] = vector
                self._digests[row] = _digest(text)
        if fresh:
            start = len(self._ids)
            self._vectors = np.concatenate(
                [self._vectors, np.array([v for _, _, v in fresh], dtype=np.float32)]
            )
            for offset, (question_id, text, _) in enumerate(fresh):
                self._ids.append(question_id)
                self._digests.append(_digest(text))
                self._row[question_id] = start + offset
        self._dirty = True

    def vector(self, question_id: int) -> Any:
        row = self._row.get(question_id)
        return None if row is None else self._vectors[row]

    def keep_only(self, ids: set[int]) -> None:
        """Drop the vectors of questions no longer in the database."""
        gone = [i for i in self._ids if i not in ids]
        if not gone:
            return
        keep = [row for row, i in enumerate(self._ids) if i in ids]
        self._vectors = self._vectors[keep]
        self._ids = [self._ids[row] for row in keep]
        self._digests = [self._digests[row] for row in keep]
        self._row = {question_id: row for row, question_id in enumerate(self._ids)}
        self._dirty = True

    def nearest(
        self,
        vector: Any,
        *,
        among: int | None = None,
        exclude: int | None = None,
        limit: int = 3,
        alike: float = ALIKE,
    ) -> list[tuple[int, int]]:
        """(id, score 0-100) of the questions whose meaning is nearest, best first: those at
        least `alike`, among the first `among` rows (the questions before one in an import)."""
        np = self._np
        vectors = self._vectors if among is None else self._vectors[:among]
        if not len(vectors):
            return []
        scores = vectors @ vector
        if (
            exclude is not None
            and (row := self._row.get(exclude)) is not None
            and row < len(scores)
        ):
            scores[row] = -1.0
        count = min(limit, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        found = [
            (self._ids[row], round(float(scores[row]) * 100))
            for row in best
            if scores[row] >= alike
        ]
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found

    def row_of(self, question_id: int) -> int | None:
        return self._row.get(question_id)


def forget_file(database: Path) -> None:
    """Delete the meanings file (a forgotten listener's words are in its vectors)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(meanings_path(database))


def available() -> bool:
    """Whether the model can be loaded (its package installed, its files the published ones)."""
    try:
        encoder()
    except NoModel:
        return False
    return True

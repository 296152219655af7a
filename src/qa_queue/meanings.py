"""The questions' meanings (meaning.py's vectors), kept in a file beside the database, and the
questions whose meaning is nearest a new one's.

The file (``<database>.meanings``) is derived: it holds, for each question read, its id, a
digest of the words read and its vector, and nothing else. Anything wrong with it (cut,
garbage, another version, another model) only means reading the questions again; it is never
needed to open the database. Meanings read are appended to it (one question added costs a
record, not the whole file: 39 MB at 50k), and it is written whole, to a temporary file
renamed over it, when it is new, damaged or shrinks. It is deleted when a listener is
forgotten (a vector is made of their words).

Reading one question's meaning takes ~7-20 ms (docs/LOOKALIKES.md), so an import reads its
new questions' meanings only when it and the questions not yet read are few enough
(INLINE); `qa-queue lookalikes` and the app (in the background) read the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .meaning import DIMENSIONS, MODEL_FILES, encoder

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
# the file: this line, then one record per question read (its id, a digest of the words
# read, its vector as float16), appended as questions are read; a later record of an id
# replaces an earlier one
HEADER = b"qa-queue meanings 1 " + MODEL.encode() + b"\n"


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
        self._pending: list[int] = []  # ids put since the file was last written
        self._fresh: list[Any] = []  # vectors _set added, not yet under _vectors
        self._whole = True  # the file must be written whole (none yet, damaged, or shrunk)
        self.unsaved = ""  # why the last save failed: the meanings are then read again later
        if path is not None:
            self._load(path)

    def __len__(self) -> int:
        return len(self._row)

    # -- the file --------------------------------------------------------------------------

    def _record(self) -> Any:
        np = self._np
        return np.dtype([("id", "<i8"), ("digest", "<u8"), ("vector", "<f2", (DIMENSIONS,))])

    def _load(self, path: Path) -> None:
        np = self._np
        try:
            with path.open("rb") as file:
                data = file.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return
        except OSError:
            return  # unreadable: read the meanings again (and try to write the file anew)
        record = self._record()
        if not data.startswith(HEADER):
            return
        body = data[len(HEADER) :]
        whole = len(body) - len(body) % record.itemsize  # a cut last record is left out
        records = np.frombuffer(body[:whole], dtype=record)
        vectors = records["vector"].astype(np.float32)
        if not np.isfinite(vectors).all() or (len(records) and records["id"].min() < 1):
            return
        # a later record of an id replaces an earlier one
        _, last = np.unique(records["id"][::-1], return_index=True)
        keep = np.sort(len(records) - 1 - last)
        self._vectors = vectors[keep]
        self._ids = records["id"][keep].tolist()
        self._digests = records["digest"][keep].tolist()
        self._row = {question_id: row for row, question_id in enumerate(self._ids)}
        # appending is safe only onto whole records, and worth it while few are replaced
        self._whole = whole != len(body) or len(records) > 2 * len(self._ids) + 64

    def save(self) -> None:
        """Write what changed: appended to the file, or the file anew (a failure only costs
        reading those meanings again later)."""
        if self.path is None or not (self._pending or self._whole):
            return
        np = self._np
        ids = list(self._row) if self._whole else list(dict.fromkeys(self._pending))
        records = np.zeros(len(ids), dtype=self._record())
        rows = [self._row[i] for i in ids]
        records["id"] = ids
        records["digest"] = [self._digests[row] for row in rows]
        records["vector"] = self._vectors[rows].astype(np.float16)
        try:
            if self._whole:
                self._write_whole(HEADER + records.tobytes())
            else:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                with os.fdopen(fd, "wb") as out:
                    out.write(records.tobytes())
            self._pending.clear()
            self._whole = False
            self.unsaved = ""
        except OSError as error:
            self._whole = True
            self.unsaved = f"cannot write {self.path}: {error.strerror or error}"

    def _write_whole(self, data: bytes) -> None:
        assert self.path is not None
        temporary = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

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
        for (question_id, text), vector in zip(texts, vectors, strict=True):
            self._set(question_id, _digest(text), vector)
            self._pending.append(question_id)
        self._stack()

    def _set(self, question_id: int, digest: int, vector: Any) -> None:
        row = self._row.get(question_id)
        if row is None:
            self._row[question_id] = len(self._ids)
            self._ids.append(question_id)
            self._digests.append(digest)
            self._fresh.append(vector)
        elif row < len(self._vectors):
            self._vectors[row] = vector
            self._digests[row] = digest
        else:
            self._fresh[row - len(self._vectors)] = vector
            self._digests[row] = digest

    def _stack(self) -> None:
        """The vectors _set added, put under the others in one step."""
        if self._fresh:
            np = self._np
            fresh = np.array(self._fresh, dtype=np.float32).reshape(-1, DIMENSIONS)
            self._vectors = np.concatenate([self._vectors, fresh])
            self._fresh = []

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
        self._whole = True

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
    """Delete the meanings file (a forgotten listener's words are in its vectors). A folder of
    that name is not ours and stays; a file that cannot be deleted is an error to report."""
    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
        os.unlink(meanings_path(database))

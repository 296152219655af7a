"""Which questions look alike, by their words (similarity.py) and by their meaning
(meanings.py), for imports and the "duplicate of…" picker.

Words find a reworded title ("LDN for fibro?" / "low-dose naltrexone for fibromyalgia"),
meanings find what shares no telling word ("overpay the house" / "pay off my mortgage
early"). With meanings, a look-alike is a question whose meaning is at least meanings.ALIKE
near, or whose words alone are at least WORDS_ALONE alike: on the labelled pairs that is
recall 0.81 at precision 0.91, where words alone give 0.39 at 0.78 (docs/LOOKALIKES.md).
Without the model (not installed, or not the published files), look-alikes are by words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import meanings as meaning_files
from .meaning import NoModel, installed, loaded
from .meanings import INLINE, WORDS_ALONE, Meanings, meaning_text, meanings_path
from .similarity import SimilarityIndex
from .store import Store

Found = list[tuple[int, int]]


def merged(by_words: Found, by_meaning: Found, limit: int, alone: int = WORDS_ALONE) -> Found:
    """The look-alikes of both kinds, each once with its better score, best first: a word
    match counts alone only when it is `alone` alike."""
    best: dict[int, int] = {}
    for question_id, score in by_meaning:
        best[question_id] = max(score, best.get(question_id, 0))
    for question_id, score in by_words:
        if score >= alone or question_id in best:
            best[question_id] = max(score, best.get(question_id, 0))
    return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


class MeaningCheck:
    """One import's meanings: its new questions' vectors, read in one batch before they are
    stored, each compared with the questions before it and then added under its id."""

    def __init__(self, meanings: Meanings, vectors: dict[int, tuple[str, Any]]) -> None:
        self.meanings = meanings
        self._vectors = vectors  # id() of a new question -> (its text, its vector)

    def found(self, question: object) -> Found | None:
        entry = self._vectors.get(id(question))
        return None if entry is None else self.meanings.nearest(entry[1])

    def stored(self, question: object, question_id: int) -> None:
        entry = self._vectors.get(id(question))
        if entry is not None:
            self.meanings.put([(question_id, entry[0])], [entry[1]])


class LookAlikes:
    """The questions' word index and their meanings, made when first needed and kept while no
    one else adds questions: the index is built again when the store holds another number."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: SimilarityIndex | None = None
        self._built_for = -1  # how many questions the store held when the index matched it
        self._meanings: Meanings | None = None
        self._no_model = False
        self.unread_skipped = 0  # the last import's new questions whose meanings it left unread

    def index(self) -> SimilarityIndex:
        if self._index is None or self._built_for != len(self.store):
            self._index = SimilarityIndex.of(self.store.summaries(), self.store.text)
            self._built_for = len(self.store)
        return self._index

    def caught_up(self) -> None:
        """The questions just added went into the index too: it matches the store again."""
        self._built_for = len(self.store)

    def forget(self) -> None:
        """Build both anew when next needed (a listener's words were taken out)."""
        self._index = None
        self._meanings = None
        meaning_files.forget_file(self.store.path)

    def drop_meanings(self) -> None:
        self._meanings = None

    # -- meanings ---------------------------------------------------------------------------

    def meanings(self) -> Meanings | None:
        """The meanings read so far (None when the model cannot be loaded)."""
        if self._no_model:
            return None
        if self._meanings is None:
            if not installed():
                self._no_model = True
                return None
            self._meanings = Meanings(meanings_path(self.store.path))
        return self._meanings

    def text_of(self, question_id: int) -> str:
        question = self.store.get(question_id, history=False)
        return meaning_text(str(question.get("title") or ""), str(question.get("body") or ""))

    def unread_ids(self) -> list[int]:
        meanings = self.meanings()
        if meanings is None:
            return []
        return [s["id"] for s in self.store.summaries() if meanings.row_of(s["id"]) is None]

    def check_import(self, adding: list[Any], quick: bool = False) -> MeaningCheck | None:
        """Read the meanings an import needs (its new questions', and the older ones' not yet
        read) when they are few enough; None when they are not, or there is no model.
        `quick`: only if the model is loaded and nothing else is to be read (a question a
        host types in the app: the key that adds it must not wait ~0.4 s for the model)."""
        self.unread_skipped = 0
        if not adding or self._no_model or not installed() or (quick and not loaded()):
            return None
        if len(adding) > INLINE:  # decided before numpy and the file are loaded
            self.unread_skipped = len(adding)
            return None
        meanings = self.meanings()
        if meanings is None:
            return None
        unread = self.unread_ids()
        if len(unread) + len(adding) > INLINE or (quick and unread):
            self.unread_skipped = len(adding)
            return None
        texts = [meaning_text(q.title, q.body) for q in adding]
        try:
            meanings.read([(i, self.text_of(i)) for i in unread])
            vectors = meaning_files.encoder().encode(texts)
        except NoModel:
            self._no_model, self._meanings = True, None
            return None
        return MeaningCheck(
            meanings, {id(q): (t, v) for q, t, v in zip(adding, texts, vectors, strict=True)}
        )

    def imported(self, committed: bool) -> None:
        """After an import: keep what it read when it was stored; forget it when it was not
        (its ids were never given)."""
        if self._meanings is None:
            return
        if committed:
            self._meanings.save()
        else:
            self._meanings = None

    def read_all(self, progress: Callable[[int], None] | None = None) -> int:
        """Read every question's meaning not read yet, or read from words since changed;
        save as it goes. The number read."""
        meanings = self.meanings()
        if meanings is None:
            return 0
        here = {s["id"] for s in self.store.summaries()}
        meanings.keep_only(here)
        todo = meanings.unread((i, self.text_of(i)) for i in sorted(here))
        done = 0
        for start in range(0, len(todo), 256):
            part = todo[start : start + 256]
            meanings.read(part, progress)
            meanings.save()
            done += len(part)
        meanings.save()
        return done

    def similar(
        self, title: str, body: str, question_id: int, limit: int, threshold: float
    ) -> Found:
        """The questions most like one already stored (the "duplicate of…" picker)."""
        by_words = self.index().similar(
            title, body, exclude=question_id, limit=limit, threshold=threshold
        )
        meanings = self.meanings()
        if meanings is None:
            return by_words
        # what was read only: the picker opens at a key press, and reading (or loading the
        # model) takes longer than a key may; imports and `lookalikes` read
        vector = meanings.vector(question_id)
        if vector is None:
            return by_words
        by_meaning = meanings.nearest(vector, exclude=question_id, limit=limit)
        # a picker: every candidate of both kinds, the nearest first
        return merged(by_words, by_meaning, limit, alone=0)

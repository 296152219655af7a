"""Which questions look alike: near-duplicate suggestions, scored with rapidfuzz.

A word index over titles narrows 50k questions to the few dozen that share a telling word;
rapidfuzz then scores those on title and on the start of the listener's words. Suggestions are
only suggestions: a host confirms a duplicate, nothing is merged automatically.
"""

from __future__ import annotations

import os
import pickle
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz

from .store.schema import Summary

_WORD = re.compile(r"[^\W_]{3,}")
# Words that say nothing about what a question is about.
_COMMON = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "was",
        "with",
        "you",
        "your",
        "have",
        "has",
        "this",
        "that",
        "what",
        "when",
        "how",
        "why",
        "does",
        "can",
        "should",
        "about",
        "from",
        "any",
        "but",
        "not",
        "just",
        "been",
        "into",
        "more",
        "some",
        "than",
        "then",
        "they",
        "them",
        "its",
        "would",
        "could",
        "there",
        "their",
        "will",
        "which",
        "who",
        "whom",
        "also",
        "very",
        "much",
        "really",
        "know",
        "think",
        "want",
        "need",
        "get",
        "got",
        "like",
        "question",
        "questions",
        "thanks",
        "thank",
        "hey",
        "hello",
        "guys",
        "crew",
        "podcast",
        "episode",
    ]
)
CANDIDATES = 8
BODY_CHECKS = 2
RARE_WORDS = 4
MAX_POSTING = 100
BODY_CHARS = 400


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())).difference(_COMMON)


def _alike(one: str, other: str) -> float:
    """How alike two texts' telling words (sorted, joined by one space) are, 0–100. A word set
    inside the other counts as alike (word order and extra words do not matter), but not a
    single word: "Zone 2?" is not 100% like every question that says "zone"."""
    if " " in one and " " in other:
        return fuzz.token_set_ratio(one, other)
    return fuzz.token_sort_ratio(one, other)


def _telling(text: str) -> str:
    return " ".join(sorted(words(text)))


class SimilarityIndex:
    """Titles by telling word, so a new question is compared only with likely matches."""

    def __init__(self, text_of: Callable[[int], str] | None = None):
        self._titles: dict[int, str] = {}  # the title's telling words, sorted
        self._texts: dict[int, str] = {}  # questions added since the store was read
        self._bodies: dict[int, str] = {}
        self._last_title: tuple[str, set[str]] = ("", set())
        self._by_word: defaultdict[str, list[int]] = defaultdict(list)
        self._text_of = text_of  # the start of a question's text, for the body score

    @classmethod
    def of(
        cls, summaries: Iterable[Summary], text_of: Callable[[int], str] | None = None
    ) -> SimilarityIndex:
        index = cls(text_of)
        for summary in summaries:
            index.add(summary["id"], summary["title"])
        return index

    def add(self, question_id: int, title: str, text: str | None = None) -> None:
        # an import asks similar() and then adds the same title: reuse its words
        telling = self._last_title[1] if self._last_title[0] == title else words(title)
        self._titles[question_id] = " ".join(sorted(telling))
        if text is not None:
            self._texts[question_id] = text
        for word in telling:
            self._by_word[word].append(question_id)

    def _body(self, question_id: int) -> str:
        """A question's telling words from the start of its text, worked out once."""
        telling = self._bodies.get(question_id)
        if telling is None:
            text = self._texts.get(question_id)
            if text is None and self._text_of is not None:
                text = self._text_of(question_id)
            telling = self._bodies[question_id] = _telling((text or "")[:BODY_CHARS])
        return telling

    def similar(
        self,
        title: str,
        body: str = "",
        *,
        exclude: int | None = None,
        limit: int = 3,
        threshold: float = 60.0,
    ) -> list[tuple[int, int]]:
        """(id, score 0–100) of the questions most like this one, best first."""
        # Count shared words only over the rarest few: a rare word ("naltrexone") tells more
        # than a common one, and a long posting list would cost more than it tells.
        title_words, body_words = words(title), words(body[:BODY_CHARS])
        self._last_title = (title, title_words)
        by_word = self._by_word
        # words in sorted order, so equal lengths tie by word: a set's order changes from run
        # to run, and the suggestions must not
        postings = [
            ids
            for word in sorted(title_words.union(body_words))
            if (ids := by_word.get(word)) and len(ids) <= MAX_POSTING
        ]
        postings.sort(key=len)
        shared: Counter[int] = Counter()
        for ids in postings[:RARE_WORDS]:
            shared.update(ids)
        if exclude is not None:
            shared.pop(exclude, None)
        if not shared:
            return []
        # Scored on their telling words only: "how", "does", "my" made unrelated titles alike.
        own_title, own_body = " ".join(sorted(title_words)), " ".join(sorted(body_words))
        scored = []
        for rank, (candidate, _) in enumerate(shared.most_common(CANDIDATES)):
            score = _alike(own_title, self._titles[candidate])
            if own_body and rank < BODY_CHECKS:
                other = self._body(candidate)
                # the body weighs more: "LDN for fibro?" shares no title words with the
                # long title, but its body says the same thing
                score = max(score, 0.4 * score + 0.6 * _alike(own_body, other))
            if score >= threshold:
                scored.append((candidate, round(score)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]


# -- many questions at once --------------------------------------------------------------------

# From this many new questions, a second process works out the later half's look-alikes.
AHEAD_FROM = 2000
Asked = tuple[int, str, str, str]  # the id it will get, its title, its words, title and words


def similar_in_order(index: SimilarityIndex, asked: list[Asked]) -> list[list[tuple[int, int]]]:
    """index.similar() of each new question in turn, each then added to the index under the id
    it will get, as an import does one by one, with the same results.

    A question's look-alikes depend only on the ones before it, so with two CPUs a forked copy
    of this process adds the first half without scoring it and scores the second half while
    this one scores the first (the import of 10k rows: ~0.7 s less of ~3 s). The fork writes
    nothing but its answer to a pipe; if it fails, this process scores the second half too.
    """
    half = len(asked) // 2
    child = _fork_scorer(index, asked, half) if _may_fork(len(asked)) else None
    if child is None:
        half = len(asked)
    found = [_score_then_add(index, entry) for entry in asked[:half]]
    later = _answer(*child) if child is not None else None
    if later is None or len(later) != len(asked) - half:
        later = [_score_then_add(index, entry) for entry in asked[half:]]
    else:
        for question_id, title, _body, text in asked[half:]:
            index.add(question_id, title, text)
    return found + later


def _score_then_add(index: SimilarityIndex, entry: Asked) -> list[tuple[int, int]]:
    question_id, title, body, text = entry
    found = index.similar(title, body)
    index.add(question_id, title, text)
    return found


def _may_fork(count: int) -> bool:
    # only a process with one thread forks: a lock another thread held would stay held
    return (
        count >= AHEAD_FROM
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


def _fork_scorer(index: SimilarityIndex, asked: list[Asked], half: int) -> tuple[int, int] | None:
    """(pid, read end) of a fork scoring asked[half:]; None when it could not be started."""
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the fork: score, write, and leave without cleaning up what is the parent's
        code = 1
        try:
            os.close(read_end)
            for question_id, title, _body, text in asked[:half]:
                index.add(question_id, title, text)
            answer = pickle.dumps([_score_then_add(index, entry) for entry in asked[half:]])
            with os.fdopen(write_end, "wb") as out:
                out.write(answer)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _answer(pid: int, read_end: int) -> list[list[tuple[int, int]]] | None:
    with os.fdopen(read_end, "rb") as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        later: list[list[tuple[int, int]]] = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
    return later

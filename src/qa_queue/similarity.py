"""Which questions look alike: near-duplicate suggestions, scored with rapidfuzz.

A word index over titles narrows 50k questions to the few dozen that share a telling word;
rapidfuzz then scores those on title and on the start of the listener's words. Suggestions are
only suggestions: a host confirms a duplicate, nothing is merged automatically.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

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
CANDIDATES = 40
BODY_CHARS = 600


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _COMMON}


class SimilarityIndex:
    """Titles by telling word, so a new question is compared only with likely matches."""

    def __init__(self, text_of: Callable[[int], str] | None = None):
        self._titles: dict[int, str] = {}
        self._texts: dict[int, str] = {}  # questions added since the store was read
        self._by_word: defaultdict[str, list[int]] = defaultdict(list)
        self._text_of = text_of  # the start of a question's text, for the body score

    @classmethod
    def of(
        cls, summaries: Iterable[dict[str, Any]], text_of: Callable[[int], str] | None = None
    ) -> SimilarityIndex:
        index = cls(text_of)
        for summary in summaries:
            index.add(summary["id"], summary["title"])
        return index

    def add(self, question_id: int, title: str, text: str | None = None) -> None:
        self._titles[question_id] = title
        if text is not None:
            self._texts[question_id] = text
        for word in words(title):
            self._by_word[word].append(question_id)

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
        shared: Counter[int] = Counter()
        for word in words(f"{title} {body[:BODY_CHARS]}"):
            ids = self._by_word.get(word, ())
            if len(ids) > 2000:
                continue  # a word in thousands of titles tells nothing apart
            shared.update(ids)
        shared.pop(exclude, None)  # type: ignore[arg-type]
        scored = []
        clean_title = default_process(title)
        clean_body = default_process(body[:BODY_CHARS]) if body else ""
        for candidate, _ in shared.most_common(CANDIDATES):
            score = fuzz.token_set_ratio(clean_title, default_process(self._titles[candidate]))
            if clean_body and (candidate in self._texts or self._text_of is not None):
                text = self._texts.get(candidate)
                if text is None and self._text_of is not None:
                    text = self._text_of(candidate)
                other = default_process((text or "")[:BODY_CHARS])
                score = max(score, 0.5 * score + 0.5 * fuzz.token_set_ratio(clean_body, other))
            if score >= threshold:
                scored.append((candidate, round(score)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]

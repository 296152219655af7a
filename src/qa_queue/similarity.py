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

from rapidfuzz import fuzz, process
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
CANDIDATES = 12
BODY_CHECKS = 3
RARE_WORDS = 5
MAX_POSTING = 400
BODY_CHARS = 400


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
        # Count shared words only over the rarest few: a rare word ("naltrexone") tells more
        # than a common one, and a long posting list would cost more than it tells.
        postings = sorted(
            (
                ids
                for word in words(f"{title} {body[:BODY_CHARS]}")
                if (ids := self._by_word.get(word))
            ),
            key=len,
        )
        shared: Counter[int] = Counter()
        for ids in postings[:RARE_WORDS]:
            if len(ids) > MAX_POSTING:
                break
            shared.update(ids)
        shared.pop(exclude, None)  # type: ignore[arg-type]
        candidates = [candidate for candidate, _ in shared.most_common(CANDIDATES)]
        if not candidates:
            return []
        # Titles first, in one rapidfuzz call; the (costlier) body comparison only for the few
        # whose titles are already close.
        by_title = process.extract(
            title,
            {candidate: self._titles[candidate] for candidate in candidates},
            scorer=fuzz.WRatio,
            processor=default_process,
            limit=BODY_CHECKS,
        )
        clean_body = default_process(body[:BODY_CHARS]) if body else ""
        scored = []
        for _, title_score, candidate in by_title:
            score = title_score
            text = self._texts.get(candidate)
            if clean_body and text is None and self._text_of is not None:
                text = self._text_of(candidate)
            if clean_body and text and title_score >= threshold / 2:
                body_score = fuzz.token_set_ratio(clean_body, default_process(text[:BODY_CHARS]))
                score = max(score, 0.5 * score + 0.5 * body_score)
            if score >= threshold:
                scored.append((candidate, round(score)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]

"""Which questions look like a given one: ranking candidates for "duplicate of…".

Plain token overlap on titles for now (Jaccard over words of three letters or more, minus
common words); good enough to put "LDN for fibro?" next to "Low-dose naltrexone fibromyalgia".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_WORD = re.compile(r"[^\W_]{3,}")
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
        "it's",
    ]
)


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _COMMON)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def most_similar(
    question: dict[str, Any], candidates: Iterable[dict[str, Any]], limit: int = 30
) -> list[tuple[float, dict[str, Any]]]:
    """The candidates most like `question` by title, best first (ties: the older question).

    A question cannot duplicate itself or a question that is itself a duplicate.
    """
    mine = words(question["title"])
    scored = [
        (overlap(mine, words(c["title"])), c)
        for c in candidates
        if c["id"] != question["id"] and c.get("duplicate_of") is None
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]["received_at"]))
    return scored[:limit]

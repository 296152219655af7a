"""Tags as typed in the app: completion of the word being typed, and turning input into changes."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester


class TagSuggester(Suggester):
    """Completes the last word of a tag list ("pain sl" → "pain sleep") from known tags."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._tags = sorted(set(tags))

    async def get_suggestion(self, value: str) -> str | None:
        _, _, last = value.rpartition(" ")
        word = last.lstrip("+-").lower()
        if not word:
            return None
        for tag in self._tags:
            if tag.startswith(word) and tag != word:
                return value + tag[len(word) :]
        return None


def words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if w.strip("+-")]


def edit_whole(old: Iterable[str], typed: str) -> tuple[list[str], list[str]]:
    """One question: what was typed is its whole tag list; returns (add, remove)."""
    before = list(old)
    after = [w.lstrip("+").lower() for w in words(typed) if not w.startswith("-")]
    return [t for t in after if t not in before], [t for t in before if t not in after]


def edit_many(typed: str) -> tuple[list[str], list[str]]:
    """Several questions: plain words are added, words with a leading '-' removed."""
    add = [w.lstrip("+").lower() for w in words(typed) if not w.startswith("-")]
    remove = [w[1:].lower() for w in words(typed) if w.startswith("-")]
    return add, remove

"""How long an answer takes to say on air: word counts at about 150 spoken words a minute."""

from __future__ import annotations

WORDS_PER_MINUTE = 150  # a relaxed conversational pace (docs/COSTS.md)


def word_count(text: str | None) -> int:
    return len(text.split()) if text else 0


def spoken_seconds(words: int) -> int:
    return round(words * 60 / WORDS_PER_MINUTE)


def clock(seconds: int) -> str:
    """2:05, or 1:02:03 past an hour."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def length_line(text: str | None) -> str:
    """ "312 words · about 2:05 spoken"."""
    words = word_count(text)
    noun = "word" if words == 1 else "words"
    return f"{words} {noun} · about {clock(spoken_seconds(words))} spoken"

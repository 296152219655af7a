"""The domain model: questions, listeners, drafts, answers, episodes and their rules."""

from .question import (
    Answer,
    Credit,
    Draft,
    Episode,
    HistoryEntry,
    Host,
    Listener,
    Question,
    Reference,
    Reply,
    Source,
    Status,
)

__all__ = [
    "Answer",
    "Credit",
    "Draft",
    "Episode",
    "HistoryEntry",
    "Host",
    "Listener",
    "Question",
    "Reference",
    "Reply",
    "Source",
    "Status",
]

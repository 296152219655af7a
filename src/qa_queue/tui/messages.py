"""Messages every screen may hear, in one place (a screen's own messages stay with it)."""

from __future__ import annotations

from textual.message import Message


class QuestionsChanged(Message):
    """Questions changed on disk (another host, or this app): the queue should be re-read."""

    def __init__(self, question_ids: set[int] | None = None) -> None:
        super().__init__()
        self.question_ids = question_ids or set()

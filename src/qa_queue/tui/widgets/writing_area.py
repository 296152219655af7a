"""The text area hosts write in (drafts, notes, a new question's words).

Textual's TextArea inserts only the keys whose character Python calls printable, and the
joiners are not: typed one by one, 👨‍👩‍👧 lost its zero-width joiners and became 👨👩👧,
🏃‍♀️ became 🏃♀️, and Persian and Hindi words lost the non-joiner that shapes them. A paste kept
them; typing now does too.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

JOINERS = frozenset("\u200d\u200c")  # zero-width joiner, zero-width non-joiner


class WritingArea(TextArea):
    async def _on_key(self, event: events.Key) -> None:
        if event.character in JOINERS and not self.read_only:
            event.stop()
            event.prevent_default()
            self.replace(event.character, *self.selection)  # typed over a selection, too
            return
        await super()._on_key(event)

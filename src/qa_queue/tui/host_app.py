"""What screens and dialogs may ask of the app, typed, without importing it.

`QaQueueApp` (app.py) is the one app and the only module that imports the screens. Screens and
dialogs declare `app: HostApp`: they reach the app through these methods and through
messages, so no screen imports app.py and no import goes round in a circle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import App
from textual.notifications import SeverityLevel

from ..queue import QuestionQueue
from .text import one_line


class HostApp(App[None]):
    """The app as its screens see it; QaQueueApp fills in the navigation."""

    queue: QuestionQueue
    refresh_interval: float
    store_busy: bool  # an import or maintenance has the store (workers): others wait
    quitting: bool  # q was pressed: keys already typed must not open dialogs
    served: bool  # in a browser (qa-queue serve): exports are downloads, no server files read

    def tell(self, message: str, severity: SeverityLevel = "information") -> None:
        """A one-line notice; never markup, since messages quote what people typed."""
        timeout = 8 if severity == "error" else None
        self.notify(one_line(message), severity=severity, markup=False, timeout=timeout)

    def ask_who_i_am(self, then: Callable[[], object]) -> None:
        raise NotImplementedError

    def open_draft_editor(self, question_id: int) -> None:
        raise NotImplementedError

    def close_draft_editor(self, question_id: int, changed: bool = True) -> None:
        raise NotImplementedError

    def keep_unsaved_draft(self, question_id: int, text: str) -> None:
        raise NotImplementedError

    def open_episodes(self) -> None:
        raise NotImplementedError

    def open_episode(self, number: int) -> None:
        raise NotImplementedError

    def open_saved_replies(self) -> None:
        raise NotImplementedError

    def open_export(self, question_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def open_export_episode(self, number: int) -> None:
        raise NotImplementedError

    def questions_imported(self, question_ids: set[int], first: int | None) -> None:
        """An import added questions (a batch, or the whole file when `first` is given)."""
        raise NotImplementedError

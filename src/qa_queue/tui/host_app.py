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
    _latest_notice: tuple[str, SeverityLevel] | None = None  # on a short terminal: see tell
    # the export dialog's last choices (format, full answers, ready too): the next export
    # starts from them, as a host exporting episode after episode expects
    export_choices: tuple[str, bool, bool] | None = None

    def tell(self, message: str, severity: SeverityLevel = "information") -> None:
        """A one-line notice; never markup, since messages quote what people typed."""
        if self.size.height < 30:
            # on a short terminal stacked notices covered half the screen: the latest only,
            # shown once the notices before it (still on their way as messages) are in
            if self._latest_notice is None:
                self.call_after_refresh(self._show_latest_notice)
            self._latest_notice = (message, severity)
            return
        self._notice(message, severity)

    def _show_latest_notice(self) -> None:
        latest, self._latest_notice = self._latest_notice, None
        if latest is not None:
            self.clear_notifications()
            self._notice(*latest)

    def _notice(self, message: str, severity: SeverityLevel) -> None:
        timeout = 8 if severity == "error" else None
        self.notify(one_line(message), severity=severity, markup=False, timeout=timeout)

    # The navigation QaQueueApp provides (app.py), declared so screens call it typed.
    ask_who_i_am: Callable[[Callable[[], object]], None]  # then carry on
    open_draft_editor: Callable[[int], None]
    close_draft_editor: Callable[[int, bool], None]  # (question id, whether it changed)
    keep_unsaved_draft: Callable[[int, str], None]
    open_episodes: Callable[[], None]
    open_episode: Callable[[int], None]
    open_saved_replies: Callable[[], None]
    open_export: Callable[[Sequence[int]], None]
    open_export_episode: Callable[[int], None]
    # an import added questions (a batch; or the whole file, its first id given)
    questions_imported: Callable[[set[int], int | None], None]

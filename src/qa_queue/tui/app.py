"""The Textual app: `QaQueueApp(queue)` is the one factory the CLI and the tests build it with.

The app only talks to QuestionQueue, plus two read-only calls on its store: `refresh()` to
notice other hosts' changes and `summaries()` to count views and list tags and duplicate
candidates. It never opens the database's files itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..errors import QaQueueError
from ..queue import QuestionQueue
from .commands import QueueCommands
from .keys import described
from .screens.help import Help
from .screens.pick import Choice, Pick
from .screens.queue import QuestionsChanged, QueueScreen
from .text import one_line
from .widgets.queue_table import QueueTable


class QaQueueApp(App[None]):
    """A podcast's listener-question queue, for the host at this keyboard."""

    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
    ]
    COMMANDS = App.COMMANDS | {QueueCommands}
    # The detail pane sits under the table, and beside it once there is room for both.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (100, "-normal"),
        (170, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]

    def __init__(self, queue: QuestionQueue, *, refresh_interval: float = 1.0) -> None:
        """`refresh_interval`: seconds between looks for other hosts' changes (0: never)."""
        super().__init__()
        self.queue = queue
        self.refresh_interval = refresh_interval
        self.quitting = False
        self._refresh_failing = False
        self.title = queue.podcast() or "qa-queue"
        self.sub_title = "listener questions"

    def get_default_screen(self) -> Screen:
        return QueueScreen(self.queue)

    @property
    def queue_screen(self) -> QueueScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, QueueScreen)
        return screen

    def on_mount(self) -> None:
        if self.refresh_interval > 0:
            self.set_interval(self.refresh_interval, self.refresh_from_disk)

    async def action_quit(self) -> None:
        # keys already typed after q (a fast typist, a paste) must not open dialogs on the way out
        self.quitting = True
        self.exit()

    # -- other hosts ------------------------------------------------------------------------------

    def refresh_from_disk(self) -> set[int]:
        """Pick up other processes' changes; the queue screen re-reads when questions changed.

        Runs on the app's thread: when nothing changed it is two stat calls, and the store is
        not safe to read from a worker thread while an action writes it.
        """
        try:
            changed = self.queue.store.refresh()
        except (QaQueueError, OSError) as error:
            # say it once, not every second; the next successful look clears it
            if not self._refresh_failing:
                self.tell(f"Cannot see other hosts' changes: {error}", "error")
            self._refresh_failing = True
            return set()
        self._refresh_failing = False
        if changed:
            self.queue_screen.post_message(QuestionsChanged(changed))
        return changed

    # -- what every screen needs ------------------------------------------------------------------

    def tell(self, message: str, severity: str = "information") -> None:
        """A one-line notice; never markup, since messages quote what people typed."""
        timeout = 8 if severity == "error" else None
        self.notify(one_line(message), severity=severity, markup=False, timeout=timeout)  # type: ignore[arg-type]

    def ask_who_i_am(self, then: Callable[[], None]) -> None:
        """Ask which host is at the keyboard, remember it for the session, then carry on."""
        hosts = self.queue.hosts()
        if not hosts:
            self.tell("There are no hosts yet: add one with 'qa-queue hosts add'", "error")
            return
        choices = [Choice(h.name, h.id, hint=h.id) for h in hosts]

        def chosen(host: str | None) -> None:
            if host is None:
                return
            self.queue.me = host
            self.queue_screen.show_info()
            self.tell(f"You are {self.queue.host_name(host)} for this session")
            then()

        note = "Asked once per session; start with --as HOST to skip this."
        self.push_screen(Pick("Which host are you?", choices, note=note), chosen)

    def action_help(self) -> None:
        if isinstance(self.screen, Help):
            return
        queue_keys = described(self, self.queue_screen.BINDINGS)
        moving = described(self, QueueTable.BINDINGS)

        def keys(found: list, views: bool) -> list[tuple[str, str]]:
            return [(k.keys, k.description) for k in found if ("view" in k.action) == views]

        left = [
            ("Moving and selecting", keys(moving, False)),
            ("Views", keys(queue_keys, True)),
            ("Anywhere", [("?", "This help"), ("ctrl+p", "Command palette: any action by name")]),
        ]
        self.push_screen(Help([left, [("The question", keys(queue_keys, False))]]))

    # -- hooks for the screens still to come (draft editor, export dialog) -------------------------

    def open_draft_editor(self, question_id: int) -> None:
        """Open my draft of a question beside it (issue 3, the draft editor)."""
        self.tell(f"The draft editor is not built yet (#{question_id})", "warning")

    def open_export(self, question_ids: Sequence[int]) -> None:
        """Export show notes for the selected questions or an episode (the export dialog)."""
        self.tell("Export from the app is not built yet: use 'qa-queue export'", "warning")


__all__ = ["QaQueueApp"]

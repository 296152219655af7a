"""The Textual app: `QaQueueApp(queue)` is the one factory the CLI and the tests build it with.

The app only talks to QuestionQueue, plus two read-only calls on its store: `refresh()` to
notice other hosts' changes and `summaries()` to count views and list duplicate candidates.
It never opens the database's files itself. Screens: the queue (always at the bottom), the
draft editor, episodes, one episode, and the export dialog over any of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker

from .. import config
from ..errors import QaQueueError
from ..exporters import ShowNotes
from ..queue import QuestionQueue
from . import parsed_css
from .commands import ScreenCommands
from .dialogs.export import ExportDialog
from .dialogs.help import Help
from .dialogs.pick import HoldsTyping, confirm
from .dialogs.saved_replies import SavedReplies
from .dialogs.who_am_i import WhoAmI
from .host_app import HostApp
from .keys import described
from .messages import QuestionsChanged
from .screens.draft import DraftEditor
from .screens.episode import EpisodeScreen
from .screens.episodes import EpisodesScreen
from .screens.queue import QueueScreen
from .screens.triage import TriagePanes
from .widgets.queue_table import QueueTable


class QaQueueApp(HostApp):
    """A podcast's listener-question queue, for the host at this keyboard."""

    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # f1 as well: in the draft editor ? is a character of the draft
        Binding("question_mark,f1", "help", "Help"),
    ]
    COMMANDS = App.COMMANDS | {ScreenCommands}

    def __init__(
        self,
        queue: QuestionQueue,
        *,
        refresh_interval: float = 1.0,
        remember_host: Callable[[str], object] = config.remember_host,
        served: bool = False,
    ) -> None:
        """`refresh_interval`: seconds between looks for other hosts' changes (0: never);
        `remember_host`: keeps the host chosen in the picker for the next start (tests pass
        their own, so they never write the user's config); `served`: the app runs in a
        browser for a signed-in host (`qa-queue serve`): that host it stays, exports are
        downloads, and files on the server are neither written nor imported."""
        super().__init__()
        self.served = served
        # The detail pane sits under the table, and beside it once there is room for both.
        # (Textual reads the breakpoints from the app instance; it declares them per instance.)
        self.HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (170, "-wide")]
        self.VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
        self.queue = queue
        self.refresh_interval = refresh_interval
        self.remember_host = remember_host
        self._unsaved_drafts: dict[int, str] = {}
        self._texts_worker: Worker[None] | None = None
        self._draft_editor: DraftEditor | None = None  # built once, reused for each question
        self.quitting = False
        # a thread worker (an import) is writing the store: this thread leaves it alone meanwhile
        self.store_busy = False
        self._refresh_failing = False
        self.title = queue.podcast() or "qa-queue"
        self.sub_title = "listener questions"
        parsed_css.reuse(self)  # forked by `qa-queue serve`: its CSS is parsed already

    def get_default_screen(self) -> Screen:
        return QueueScreen(self.queue)

    @property
    def queue_screen(self) -> QueueScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, QueueScreen)
        return screen

    def on_mount(self) -> None:
        if not self.served:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(signum, self.hung_up)
        if self.refresh_interval > 0:
            self.set_interval(self.refresh_interval, self.refresh_from_disk)
        self.call_after_refresh(self.settle_memory)
        self.keep_texts()

    def keep_texts(self) -> None:
        """Read the search texts into memory in a worker, unless they are there or on the
        way: a host's filter then scans memory instead of reading 50k texts from disk."""
        worker = self._texts_worker
        if self.queue.store.texts_kept or (worker is not None and not worker.is_finished):
            return
        self._texts_worker = self.run_worker(
            self.queue.store.keep_texts, thread=True, name="keep texts"
        )

    @staticmethod
    def settle_memory() -> None:
        """Leave the questions read so far out of the garbage collector's full passes.

        They live as long as the app: at 50k questions, a full pass walking them stalled a
        key press now and then by 100-200 ms (benchmarks/tui.py).
        """
        gc.freeze()

    async def action_quit(self) -> None:
        lost = self._would_lose()
        if lost and not self.quitting:
            # what could not be saved, or was typed in a dialog and never saved: ask first
            def answer(quit_anyway: bool | None) -> None:
                if quit_anyway:
                    self.quitting = True
                    self.exit()

            self.push_screen(
                confirm(f"Quit and lose {' and '.join(lost)}?", "Quit anyway", "Keep working"),
                answer,
            )
            return
        # keys already typed after q (a fast typist, a paste) must not open dialogs on the way out
        self.quitting = True
        self.exit()

    def _would_lose(self) -> list[str]:
        """What quitting now would lose: drafts saved first, what cannot be saved is named, and
        what dialogs hold typed ("the new question you typed")."""
        lost = []
        for screen in self.screen_stack:
            if isinstance(screen, DraftEditor) and not screen.flush():
                lost.append(f"your draft of #{screen.question_id} (it could not be saved)")
            elif isinstance(screen, HoldsTyping) and (typed := screen.typed_work()):
                lost.append(typed)
        editors = [screen for screen in self.screen_stack if isinstance(screen, DraftEditor)]
        shown = {editor.question_id for editor in editors}
        lost += [
            f"your draft of #{question_id} (it could not be saved)"
            for question_id in self._unsaved_drafts
            if question_id not in shown
        ]
        return lost

    def hung_up(self) -> None:
        """The terminal closed (SIGHUP) or the system asks the app to stop (SIGTERM): save
        what can be saved and go, asking nothing (no one is there to answer)."""
        self.quitting = True
        for screen in self.screen_stack:
            if isinstance(screen, DraftEditor):
                screen.flush()
        self.exit()

    # -- other hosts ------------------------------------------------------------------------------

    def refresh_from_disk(self) -> set[int]:
        """Pick up other processes' changes; the queue screen re-reads when questions changed.

        Runs on the app's thread: when nothing changed it is two stat calls, and the store is
        not safe to read from a worker thread while an action writes it; for the same reason it
        waits while an import writes from its worker (the next look catches up).
        """
        if self.store_busy:
            return set()
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
            # every open screen: the queue re-reads, the editor and episodes show the news
            for screen in self.screen_stack:
                screen.post_message(QuestionsChanged(changed))
            self.call_after_refresh(self.settle_memory)
            self.keep_texts()  # the store keeps them up to date, unless it was rewritten
        self.maintain_store()
        return changed

    def maintain_store(self) -> None:
        """After this host's changes, fold the journal into the snapshot (and compact it)
        when it is due, in a worker: at 50k questions that takes longer than a key press may.
        The store is left to the worker meanwhile, as during an import."""
        store = self.queue.store
        if self.store_busy or not store.wrote or not store.maintenance_due():
            return
        self.store_busy = True
        self.run_worker(self._maintain, thread=True, name="maintain the database")

    def _maintain(self) -> None:
        store = self.queue.store
        try:
            store.maintain(catch_up=False)  # the app's own thread reads the index
        except QaQueueError as error:
            store.wrote = False  # not again every second: after the next change
            self.call_from_thread(
                self.tell,
                f"Your changes are saved, but tidying the database failed: {error}",
                "warning",
            )
        finally:
            self.store_busy = False

    # -- what every screen needs ------------------------------------------------------------------

    def ask_who_i_am(self, then: Callable[[], object]) -> None:
        """Ask which host is at the keyboard, remember it (here and in the user's config so
        the next start knows), then carry on (who_am_i.py)."""
        WhoAmI(self, self.remember_host, self.queue_screen.show_info).ask(then)

    def action_help(self) -> None:
        if isinstance(self.screen, Help):
            return

        def keys(
            bindings: Iterable[BindingType], views: bool | None = None
        ) -> list[tuple[str, str]]:
            return [
                (k.keys, k.description)
                for k in described(self, bindings)
                if views is None or ("view" in k.action) == views
            ]

        anywhere = [
            ("?/f1", "This help"),
            ("ctrl+p", "Command palette: any action by name"),
            ("ctrl+q", "Quit (drafts are saved first)"),
        ]
        left = [
            ("Moving and selecting", keys(QueueTable.BINDINGS)),
            ("Views", keys(QueueScreen.BINDINGS, True)),
            ("Anywhere", anywhere),
            ("Draft editor (r)", keys(DraftEditor.BINDINGS)),
            ("Saved replies (ctrl+p: Saved replies)", keys(SavedReplies.BINDINGS)),
        ]
        right = [
            ("The question", keys(QueueScreen.BINDINGS, False) + keys(TriagePanes.BINDINGS)),
            ("Episodes (E)", keys(EpisodesScreen.BINDINGS)),
            ("One episode", keys(EpisodeScreen.BINDINGS)),
            ("Export (X)", keys(ExportDialog.BINDINGS)),
        ]
        self.push_screen(Help([left, right]))

    # -- the draft editor, episodes and export ----------------------------------------------------

    def open_draft_editor(self, question_id: int) -> None:
        """Open my draft of a question beside it; asks who I am first if the app does not know."""
        if not self.queue.me:
            self.ask_who_i_am(lambda: self.open_draft_editor(question_id))
            return
        try:
            question = self.queue.get(question_id)
        except QaQueueError as error:
            self.tell(str(error), "error")
            return
        editor = self._draft_editor
        if editor is None:
            editor = self._draft_editor = DraftEditor(self.queue)
            self.install_screen(editor, "draft-editor")  # kept when popped, to be reused
        if editor in self.screen_stack:
            return
        editor.load(question, self._unsaved_drafts.pop(question_id, None))
        self.push_screen(editor)

    def close_draft_editor(self, question_id: int, changed: bool = True) -> None:
        """Back to where the editor was opened, the queue's cursor on the question; the queue
        shows the question again when the editor changed it."""
        self.pop_screen()
        back_on_queue = self.screen is self.queue_screen
        if changed:
            keep = question_id if back_on_queue else None
            self.queue_screen.update_rows({question_id}, keep=keep)
        if back_on_queue:
            try:
                status = self.queue.get(question_id).status.value
            except QaQueueError:
                return
            self.queue_screen.say_where_it_went(question_id, f"is {status} now")

    def keep_unsaved_draft(self, question_id: int, text: str) -> None:
        """A draft that could not be saved stays with the app; r on the question brings it back."""
        self._unsaved_drafts[question_id] = text
        self.tell(
            f"Your draft of #{question_id} could not be saved; it is kept while the app runs "
            "(r on the question brings it back)",
            "error",
        )

    def questions_imported(self, question_ids: set[int], first: int | None) -> None:
        if first is None:
            self.queue_screen.update_rows(question_ids)
        else:
            self.queue_screen.show_imported(first)

    def open_episodes(self) -> None:
        if not isinstance(self.screen, EpisodesScreen):
            self.push_screen(EpisodesScreen(self.queue))

    def open_saved_replies(self) -> None:
        if not isinstance(self.screen, SavedReplies):
            self.push_screen(SavedReplies(self.queue))

    def open_episode(self, number: int) -> None:
        self.push_screen(EpisodeScreen(self.queue, number))

    def _show_notes(self, questions: list, episode=None) -> ShowNotes:
        return ShowNotes(
            podcast=self.queue.podcast(),
            questions=questions,
            episode=episode,
            hosts={h.id: h.name for h in self.queue.hosts()},
            include_private=False,  # the app never exports contacts or internal notes
        )

    def open_export(self, question_ids: Sequence[int]) -> None:
        """Export show notes for the selected questions (or the one under the cursor)."""
        if not question_ids:
            self.tell("No question here to export", "warning")
            return
        try:
            questions = [self.queue.get(i) for i in question_ids]
        except QaQueueError as error:
            self.tell(str(error), "error")
            return
        what = f"#{questions[0].id}" if len(questions) == 1 else f"{len(questions)} questions"
        self.push_screen(ExportDialog(self._show_notes(questions), what))

    def open_export_episode(self, number: int) -> None:
        """Export one episode's show notes, its questions in air order."""
        try:
            episode = self.queue.episode(number)
            questions = [self.queue.get(i) for i in episode.question_ids]
        except QaQueueError as error:
            self.tell(str(error), "error")
            return
        self.push_screen(ExportDialog(self._show_notes(questions, episode), f"episode {number}"))


__all__ = ["QaQueueApp"]

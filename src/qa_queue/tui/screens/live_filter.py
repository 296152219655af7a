"""The queue screen's filter, searched as the host types.

A word is looked for in every question's text (0.1-0.3 s at 50k questions), so a pause in typing
starts a search in a worker thread, among the rows shown when the host typed on, else among the
view's; both are in sort order, so the first matches are shown while the rest are searched.
Mixed into QueueScreen, which owns what is looked at (view, filter, sort) and the table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label
from textual.worker import get_current_worker

from ...errors import QaQueueError
from ...query import SORTS, parse
from ...store.schema import Summary
from ..host_app import HostApp
from ..text import one_line
from ..views import narrows, view_query

if TYPE_CHECKING:
    from ...queue import QuestionQueue
    from ..widgets.queue_table import QueueTable

FILTER_PAUSE = 0.25  # seconds of quiet typing before a live filter runs (text search scans)
FIRST_ROWS = 100  # a search shows this many matches (more than a screenful) before it ends
SHOW_FIRST_ROWS_WITHIN = 0.2  # seconds a search waits for its first rows to be painted


class FilterSearched(Message):
    """What was typed in the filter was searched (in a worker thread), or could not be;
    `complete` False: the first rows found, while the search goes on."""

    def __init__(
        self,
        text: str,
        generation: int,
        rows: list[Summary],
        error: str = "",
        shown: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self.text, self.generation, self.rows, self.error = text, generation, rows, error
        self.shown = shown  # first rows: set once they are on the screen

    @property
    def complete(self) -> bool:
        return self.shown is None


class LiveFilter:
    """The filter's keys, searches and results; QueueScreen provides the state they use."""

    app: HostApp
    queue: QuestionQueue
    view: str
    sort: str
    filter_text: str
    filter_problem: str
    _filter_timer: Timer | None
    _generation: int
    _view_rows: list[Summary] | None
    _rows_complete: bool
    reload: Callable[..., bool]
    show_info: Callable[[], None]
    show_current: Callable[[], None]
    query_one: Callable[..., Any]
    focused: Any
    set_focus: Callable[..., Any]
    set_timer: Callable[..., Timer]
    post_message: Callable[[Message], bool]

    if TYPE_CHECKING:  # QueueScreen's property

        @property
        def table(self) -> QueueTable: ...

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if self.focused is field:
            field.insert_text_at_cursor("/")  # a "/" typed in the filter is a character
            return
        field.display = True
        self.set_focus(field)  # at once: focus() waits until after this key

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_PAUSE, lambda: self.search_as_typed(event.value))

    def search_as_typed(self, text: str) -> None:
        """Search for what is typed without holding up the keyboard: in a worker, among the
        questions shown when the host typed on, else among the view's (a text search over 50k
        questions takes ~0.1-0.3 s; among the last result, a fraction of that). Both are in
        sort order, so the first matches are shown while the search goes on."""
        if narrows(self.filter_text, text) and not self.filter_problem and self._rows_complete:
            within, ordered = list(self.table.rows), True
        elif self._view_rows is not None:
            within, ordered = self._view_rows, True  # never changed, only replaced
        else:
            within, ordered = list(self.queue.store.summaries()), False
        query = view_query(self.view, text)
        self._search(query, text, self.sort, within, self._generation, ordered)

    # a description, or Textual writes one with repr() of every argument: 0.3 s for 50k rows
    @work(thread=True, exclusive=True, group="filter", description="searching the queue")
    def _search(
        self, query: str, text: str, sort: str, within: list, generation: int, ordered: bool
    ) -> None:
        worker = get_current_worker()
        rows: list[Summary] = []
        try:
            for hits in self.queue.find_in_steps(query, sort, within, ordered=ordered):
                if worker.is_cancelled:
                    return  # the host typed on: a newer search runs
                first = len(rows) < FIRST_ROWS
                rows.extend(hits)
                if first and len(rows) >= FIRST_ROWS:
                    shown = threading.Event()
                    self.post_message(FilterSearched(text, generation, rows[:], shown=shown))
                    # Searching holds the GIL: the screen would take several switches (5 ms
                    # each) to show the first rows. Let it, then search on.
                    shown.wait(SHOW_FIRST_ROWS_WITHIN)
        except QaQueueError as problem:
            self.post_message(FilterSearched(text, generation, [], str(problem)))
            return
        except OSError:
            return  # the database was rewritten meanwhile: the re-read that follows searches again
        if not worker.is_cancelled:
            self.post_message(FilterSearched(text, generation, rows))

    def on_filter_searched(self, event: FilterSearched) -> None:
        typed = self.query_one("#filter", Input).value
        stale = event.generation != self._generation
        if stale or event.error:
            if event.shown is not None:
                event.shown.set()  # nothing to paint: let its worker go on
            if not stale:
                self._show_filter_problem(event.error)
            elif event.complete and event.text == typed:  # the list was re-read: search it
                self.search_as_typed(typed)
            return
        self.filter_text = event.text
        self._show_filter_problem("")
        # the cursor stays on its question if the first rows hold it, then stays where it is
        self.table.set_rows(event.rows, order=SORTS[self.sort])
        self._rows_complete = event.complete
        self.show_info()
        self.show_current()
        if event.shown is not None:
            self.table.when_painted(event.shown.set)

    def _apply_filter(self, text: str) -> bool:
        self.filter_text = text
        return self.reload(recount=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if self._apply_filter(event.value):
            self.table.focus()
        else:
            self.app.tell(self.filter_problem, "error")

    def _show_filter_problem(self, problem: str) -> None:
        if one_line(problem) == self.filter_problem:
            return  # a new text would lay the screen out again
        self.filter_problem = one_line(problem)
        error = self.query_one("#filter-error", Label)
        error.update(Text(self.filter_problem))
        error.display = bool(problem)

    def _searches_text(self, query: str) -> bool:
        try:
            return bool(
                parse(query, me=self.queue.me, now=self.queue.now(), zone=self.queue.zone).words
            )
        except QaQueueError:
            return False

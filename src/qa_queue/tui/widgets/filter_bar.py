"""The queue's filter line, searched as the host types.

A word is looked for in every question's text (0.1-0.3 s at 50k questions), so a pause in typing
starts a search in a worker thread. The bar owns the pause's timer, the worker and a generation
counter that makes a search started before a re-read out of date; the screen hands it a
`plan` (what to search, given what was typed: the view's query, the sort, the rows to search
among) and hears the result as a `FilterBar.Searched` message: the first rows found, then the
whole result. The rows are in sort order, so the first matches are shown while the rest are
searched.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label
from textual.worker import get_current_worker

from ...errors import QaQueueError
from ...queue import QuestionQueue
from ...store.schema import Summary
from ..text import one_line

FILTER_PAUSE = 0.25  # seconds of quiet typing before a live filter runs (text search scans)
FIRST_ROWS = 100  # a search shows this many matches (more than a screenful) before it ends
SHOW_FIRST_ROWS_WITHIN = 0.2  # seconds a search waits for its first rows to be painted
PLACEHOLDER = "filter, e.g. tag:pain priority:>=2 naltrexone  (enter: done, esc: clear)"


class SearchPlan(NamedTuple):
    """What a search for the typed text looks at: the whole query (the view's fields and what
    was typed), the sort, the rows to search among, and whether they are in sort order."""

    query: str
    sort: str
    within: list[Summary]
    ordered: bool


class FilterBar(Vertical):
    """The filter's input and its one-line problem; searches run in its worker."""

    class Searched(Message):
        """What was typed was searched (in a worker thread), or could not be; `complete`
        False: the first rows found, while the search goes on."""

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

    def __init__(
        self, queue: QuestionQueue, plan: Callable[[str], SearchPlan], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.queue = queue
        self._plan = plan
        self.generation = 0  # one more at each re-read: a search started before is out of date
        self.problem = ""  # why what was typed cannot be a filter ("" when it can)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="filter")
        yield Label(id="filter-error")

    @property
    def field(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self.field.display = False

    def open(self) -> None:
        """Show the filter and type in it; a "/" typed in the filter is a character."""
        field = self.field
        if self.screen.focused is field:
            field.insert_text_at_cursor("/")
            return
        field.display = True
        self.screen.set_focus(field)  # at once: focus() waits until after this key

    def clear(self) -> None:
        self.stop_typing()
        self.field.value = ""
        self.field.display = False

    def invalidate(self) -> int:
        """The rows were read again: searches under way found the versions before."""
        self.generation += 1
        return self.generation

    def stop_typing(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def show_problem(self, problem: str) -> None:
        if one_line(problem) == self.problem:
            return  # a new text would lay the screen out again
        self.problem = one_line(problem)
        error = self.query_one("#filter-error", Label)
        error.update(Text(self.problem))
        error.display = bool(problem)

    @on(Input.Changed, "#filter")
    def typed(self, event: Input.Changed) -> None:
        self.stop_typing()
        self._timer = self.set_timer(FILTER_PAUSE, lambda: self.search_as_typed(event.value))

    def search_as_typed(self, text: str) -> None:
        """Search for what is typed without holding up the keyboard, as the screen plans it."""
        self._timer = None
        plan = self._plan(text)
        self.search(plan.query, text, plan.sort, plan.within, self.generation, plan.ordered)

    # a description, or Textual writes one with repr() of every argument: 0.3 s for 50k rows
    @work(thread=True, exclusive=True, group="filter", description="searching the queue")
    def search(
        self,
        query: str,
        text: str,
        sort: str,
        within: list[Summary],
        generation: int,
        ordered: bool,
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
                    self.post_message(self.Searched(text, generation, rows[:], shown=shown))
                    # Searching holds the GIL: the screen would take several switches (5 ms
                    # each) to show the first rows. Let it, then search on.
                    shown.wait(SHOW_FIRST_ROWS_WITHIN)
        except QaQueueError as problem:
            self.post_message(self.Searched(text, generation, [], str(problem)))
            return
        except OSError:
            return  # the database was rewritten meanwhile: the re-read that follows searches again
        if not worker.is_cancelled:
            self.post_message(self.Searched(text, generation, rows))

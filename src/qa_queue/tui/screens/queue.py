"""The queue screen: saved views with counts, a filter, the queue table and the detail pane.

It owns what is being looked at (view, filter, sort) and keeps the table in step with the store:
after each of our own changes, and whenever the app reports that other hosts changed questions.
The filter line is a part of its own (widgets/filter_bar.py: its timer, worker and generation);
the screen plans each search and shows its result. The triage keys are in `TriagePanes`
(screens/triage.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import get_current_worker

from ...errors import DatabaseError, QaQueueError
from ...query import SORTS, parse
from ...queue import QuestionQueue
from ...store.schema import Summary
from ...views import (
    VIEW_NAMES,
    Counts,
    co_host_moved,
    narrows,
    view_counter,
    view_holding,
    view_query,
)
from ..dialogs.import_file import ImportFile
from ..host_app import HostApp
from ..messages import QuestionsChanged
from ..widgets.filter_bar import FilterBar, SearchPlan
from ..widgets.footer import KeysFooter
from ..widgets.question_detail import QuestionDetail
from ..widgets.queue_table import QueueTable
from ..widgets.title_bar import TitleBar
from ..widgets.views_bar import ViewsBar
from .triage import TriagePanes

SORT_CYCLE = ("age", "priority", "asked")
FEW_CHANGES = 200  # more changed questions than this: the view is searched again whole
COUNTED_AT_ONCE = 5000  # questions whose views are counted on the keyboard's thread (~13 ms)


class ViewsCounted(Message):
    """The views' counts were worked out (in a worker thread)."""

    def __init__(self, counts: Counts) -> None:
        super().__init__()
        self.counts = counts


def _view_binding(number: int, view: str) -> Binding:
    return Binding(str(number), f"show_view({view!r})", f"View: {view}", show=False)


class QueueScreen(Screen[None]):
    """The main screen of the app."""

    REACHES_EPISODES = True  # E opens them: the palette need not offer it again

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [
        # space is the screen's, not the table's, so the footer shows the same keys whether
        # the table or the detail pane has the focus (a footer rebuild costs ~30 ms)
        Binding("space", "toggle_mark", "Select", tooltip="Select for a bulk action", show=False),
        Binding("enter", "open", "Open"),
        # the question opened full screen: the footer says how to go back (only then)
        Binding("escape", "back_to_list", "Back", tooltip="Back to the list"),
        Binding("escape", "back", "Back / clear filter", show=False),
        # a priority key: the filter takes the focus before the next key is routed, so that
        # "/naltrexone" typed fast or pasted lands in it ("n" would open a new question)
        Binding("slash", "filter", "Filter", priority=True),
        Binding("o", "cycle_sort", "Sort", show=False),
        Binding("I", "import_file", "Import", tooltip="Import questions from a file", show=False),
        *(_view_binding(n, view) for n, view in enumerate(VIEW_NAMES, start=1)),
        Binding("right_square_bracket", "next_view(1)", "Next view", show=False),
        Binding("left_square_bracket", "next_view(-1)", "Previous view", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    # Textual repaints the whole screen when the focus moves (~40 ms at 160×50); the table and
    # the detail pane repaint themselves when their focus styles change, which is all that shows.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, queue: QuestionQueue) -> None:
        super().__init__(id="queue-screen")
        self.queue = queue
        self.view = VIEW_NAMES[0]
        self.filter_text = ""
        self.sort = SORT_CYCLE[0]
        self.follow: int | None = None  # a question that left the view: the next view keeps it
        # the view's rows with no filter, in sort order: what a new filter searches first
        self._view_rows: list[Summary] | None = None
        self._rows_complete = True  # False while the table shows a search's first rows

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield ViewsBar(VIEW_NAMES, id="views")
        yield FilterBar(self.queue, self.plan_search, id="filter-bar")
        with TriagePanes(self.queue, self.update_rows, id="panes"):
            yield QueueTable(
                now=self.queue.now,
                host_name=self.queue.short_host_name,  # a column of 8 cells
                on_highlight=lambda _question_id: self.show_current(),
                id="table",
            )
            yield QuestionDetail(now=self.queue.now, host_name=self.queue.host_name, id="detail")
        yield KeysFooter()

    # the footer's order, as hosts learnt it: the panes' keys (triage.py) sit among the screen's
    FOOTER_ORDER = ("escape", "enter", "slash", "a", "s", "t", "E", "q")
    ESCAPE_TO_MINIMIZE = False  # esc is action_back's: it minimizes and gives the list the keys

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys in effect (Textual lists the focused part's first), in FOOTER_ORDER; the
        order only decides how the footer, help and the palette list them."""
        found = super().active_bindings
        rank = {key: index for index, key in enumerate(self.FOOTER_ORDER)}
        ordered = sorted(found, key=lambda key: rank.get(key, len(rank)))
        return {key: found[key] for key in ordered}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_to_list":  # esc's other binding ("back") acts when this one is off
            return self.maximized is not None and not self.app.quitting
        if action == "open" and self.maximized is not None:
            return False  # open already: "Back" takes its place in the footer
        return not self.app.quitting

    @property
    def table(self) -> QueueTable:
        return self.query_one("#table", QueueTable)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def filter_problem(self) -> str:
        return self.filter_bar.problem

    @property
    def detail(self) -> QuestionDetail:
        return self.query_one("#detail", QuestionDetail)

    def on_mount(self) -> None:
        self.query_one(ViewsBar).show_active(self.view)
        self.reload()
        self.table.focus()

    # -- keeping in step with the store -------------------------------------------------------

    def reload(self, keep: int | None = None, *, recount: bool = True) -> bool:
        """Re-run the view's query (and the counts, when questions may have changed); the cursor
        stays on its question (or on `keep`). Returns False (showing why) on a bad filter.
        """
        self.filter_bar.invalidate()
        try:
            rows = self.queue.find(view_query(self.view, self.filter_text), self.sort)
        except QaQueueError as problem:
            self.filter_bar.show_problem(str(problem))
            return False
        self.filter_bar.show_problem("")
        self._view_rows = None if self.filter_text else rows
        self._rows_complete = True
        self.table.set_rows(rows, keep, order=SORTS[self.sort])
        if recount:
            self.recount()
        self.show_info()
        self.show_current()
        return True

    def update_rows(self, question_ids: Collection[int], keep: int | None = None) -> bool:
        """After changes to a few known questions (the host's own, or a co-host's that a
        refresh read): check just those against the view and the filter and put each where the
        sort now puts it. A reload searches every question: at 50k with a word filter, ~0.2 s
        on the keyboard's thread."""
        if not self._rows_complete or self.filter_problem or len(question_ids) > FEW_CHANGES:
            return self.reload(keep)
        self.filter_bar.invalidate()  # a search under way found the versions before
        query, key = view_query(self.view, self.filter_text), SORTS[self.sort]
        rows = list(self.table.rows)
        old = (self.table.position_of(question_id) for question_id in question_ids)
        for position in sorted((p for p in old if p is not None), reverse=True):
            del rows[position]
        for question_id in question_ids:
            try:
                summary = self.queue.store.summary(question_id)
                if self.queue.find(query, self.sort, within=[summary]):
                    bisect.insort(rows, summary, key=key)
            except QaQueueError:
                continue  # gone (an undone import), or unreadable: a reload will say
        self._view_rows = None if self.filter_text else rows
        self.table.set_rows(rows, keep, order=SORTS[self.sort])
        self.recount()
        self.show_info()
        self.show_current()
        return True

    def recount(self) -> None:
        """Count the views again. Up to COUNTED_AT_ONCE questions that is done here, in the
        same frame (~2.5 ms a thousand): the first screen shows its counts, not "?" redrawn a
        moment later. More are counted in a thread once the screen shows the change: counting
        50k questions in a thread still holds the GIL in turns, which would delay that paint."""
        if len(self.queue.store) <= COUNTED_AT_ONCE:
            self.query_one(ViewsBar).show_counts(view_counter(self.queue)())
            return
        self.call_after_refresh(lambda: self._count_views(view_counter(self.queue)))

    @work(thread=True, exclusive=True, group="view-counts")
    def _count_views(self, count: Callable[[], Counts]) -> None:
        counts = count()  # a snapshot: no store or widget is touched from this thread
        if not get_current_worker().is_cancelled:
            self.post_message(ViewsCounted(counts))

    @on(ViewsCounted)
    def views_counted(self, event: ViewsCounted) -> None:
        self.query_one(ViewsBar).show_counts(event.counts)

    def show_current(self) -> None:
        summary, shown = self.table.current, self.detail.question
        if summary and shown and (shown.id, shown.revision) == (summary["id"], summary["revision"]):
            return  # already there, as it is now (a new list keeping the cursor on it)
        question_id = self.table.current_id
        try:
            question = None if question_id is None else self.queue.get(question_id)
        except DatabaseError as error:
            # its record is damaged: say so where the question would be, not "no question"
            self.detail.show(None, empty=f"#{question_id} cannot be shown: {error}")
            return
        except QaQueueError:
            question = None  # gone between the listing and now; the next refresh drops it
        self.detail.show(question, empty=self._empty_hint())

    def _empty_hint(self) -> str:
        if next(iter(self.queue.store.summaries()), None) is None:
            return (
                "The queue is empty. Press n to add a question, I to import a file of them "
                "(a form's CSV or sheet, mail, a thread), or run 'qa-queue import FILE…'."
            )
        if self.filter_text:
            return "No question matches the filter here: esc clears it."
        key = VIEW_NAMES.index("All") + 1
        return f"No question in {self.view}: {key} shows all of them."

    def show_info(self) -> None:
        """What the table shows, in the header: view, how many, sort, selection, who I am."""
        shown = len(self.table.rows)
        count = f"{shown} shown" if self._rows_complete else f"{shown}+ shown, searching…"
        parts = [self.view, count, f"sort: {self.sort}"]
        if self.table.marked:
            parts.append(f"{len(self.table.marked)} selected")
        parts.append(f"you: {self.queue.me}" if self.queue.me else "you: ?")
        self.query_one(TitleBar).show(" · ".join(parts))

    @on(QuestionsChanged)
    def questions_changed(self, event: QuestionsChanged) -> None:
        # The filter input is not touched, so whatever is being typed there survives.
        changed = event.question_ids
        current = self.table.current_id
        if changed and len(changed) <= FEW_CHANGES and self._rows_complete:
            self.update_rows(changed)  # a co-host's few changes: only those are looked at
            self._say_if_it_left(current, changed)
            return
        query = view_query(self.view, self.filter_text)
        if not self.filter_problem and self._searches_text(query):
            # A word filter scans every question's text (~0.25 s at 50k): re-run it in the
            # filter's worker, as typing does; the table keeps its rows until the result.
            generation = self.filter_bar.invalidate()
            self._view_rows = None
            within = list(self.queue.store.summaries())
            self.filter_bar.search(query, self.filter_text, self.sort, within, generation, False)
            self.recount()
            self.show_current()  # the question under the cursor may be one that changed
            return
        self.reload()
        self._say_if_it_left(current, changed)

    def _say_if_it_left(self, question_id: int | None, changed: set[int]) -> None:
        """A co-host's change took the question under my cursor out of this view: say what
        changed, who changed it and which view shows it now, instead of a silent jump."""
        if question_id is None or question_id not in changed:
            return
        if self.table.position_of(question_id) is not None:
            return
        notice = co_host_moved(self.queue, question_id, self.view, self.filter_text)
        if notice:
            self.app.tell(notice, "warning")

    @on(QueueTable.MarksChanged)
    def marks_changed(self, _event: QueueTable.MarksChanged) -> None:
        self.show_info()

    @on(QueueTable.Opened)
    def opened(self, _event: QueueTable.Opened) -> None:
        self.action_open()

    # -- views, filter, sort -----------------------------------------------------------------

    def view_needs_me(self, view: str) -> bool:
        return "host:me" in view_query(view, "")

    def action_show_view(self, view: str) -> None:
        if self.view_needs_me(view) and not self.queue.me:
            self.app.ask_who_i_am(lambda: self.action_show_view(view))
            return
        self.view = view
        self.query_one(ViewsBar).show_active(view)
        keep, self.follow = self.follow, None
        self.reload(keep, recount=self.view_needs_me(view))  # "Mine" changes once I am known

    def say_where_it_went(self, question_id: int, what: str) -> None:
        """A question the host just worked on left the view: say which view shows it, and
        keep the cursor on it there."""
        if self.table.move_to(question_id):
            return
        view = view_holding(self.queue, question_id, self.filter_text)
        if view:
            key = VIEW_NAMES.index(view) + 1
            self.follow = question_id
            self.app.tell(f"#{question_id} {what}, so it left {self.view}: {key} shows {view}")

    def action_next_view(self, step: int) -> None:
        index = (VIEW_NAMES.index(self.view) + step) % len(VIEW_NAMES)
        self.action_show_view(VIEW_NAMES[index])

    @on(ViewsBar.ViewChosen)
    def view_chosen(self, event: ViewsBar.ViewChosen) -> None:
        self.action_show_view(event.view)

    def action_filter(self) -> None:
        self.filter_bar.open()

    def plan_search(self, text: str) -> SearchPlan:
        """What a search for typed text looks among: the rows shown when the host typed on,
        else the view's (both in sort order, so the first matches can be shown at once), else
        every question (a text search over 50k takes ~0.1-0.3 s; among the last result, a
        fraction of that)."""
        if narrows(self.filter_text, text) and not self.filter_problem and self._rows_complete:
            within, ordered = list(self.table.rows), True
        elif self._view_rows is not None:
            within, ordered = self._view_rows, True  # never changed, only replaced
        else:
            within, ordered = list(self.queue.store.summaries()), False
        return SearchPlan(view_query(self.view, text), self.sort, within, ordered)

    @on(FilterBar.Searched)
    def filter_searched(self, event: FilterBar.Searched) -> None:
        bar = self.filter_bar
        stale = event.generation != bar.generation
        if stale or event.error:
            if event.shown is not None:
                event.shown.set()  # nothing to paint: let its worker go on
            if not stale:
                bar.show_problem(event.error)
            elif event.complete and event.text == bar.field.value:  # re-read: search it
                bar.search_as_typed(event.text)
            return
        self.filter_text = event.text
        bar.show_problem("")
        # the cursor stays on its question if the first rows hold it, then stays where it is
        self.table.set_rows(event.rows, order=SORTS[self.sort])
        self._rows_complete = event.complete
        self.show_info()
        self.show_current()
        if event.shown is not None:
            self.table.when_painted(event.shown.set)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.filter_bar.stop_typing()
        self.filter_text = event.value
        if self.reload(recount=False):
            self.table.focus()
        else:
            self.app.tell(self.filter_problem, "error")

    def _searches_text(self, query: str) -> bool:
        try:
            parsed = parse(query, me=self.queue.me, now=self.queue.now(), zone=self.queue.zone)
        except QaQueueError:
            return False
        return bool(parsed.words)

    def action_cycle_sort(self) -> None:
        self.sort = SORT_CYCLE[(SORT_CYCLE.index(self.sort) + 1) % len(SORT_CYCLE)]
        assert self.sort in SORTS
        self.reload(recount=False)

    def action_back_to_list(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
            self.call_after_refresh(self.table.focus)  # shown again only after this refresh
            self.refresh_bindings()
        elif self.detail.has_focus_within:
            self.table.focus()
        elif self.filter_bar.field.display or self.filter_text:
            self.filter_bar.clear()
            self.filter_text = ""
            self.reload(recount=False)
            self.table.focus()
        elif self.table.marked:
            self.table.clear_marks()

    def action_toggle_mark(self) -> None:
        self.table.action_toggle_mark()

    # -- import --------------------------------------------------------------------------------

    def action_import_file(self) -> None:
        if self.app.served:
            # the file would be one on the server, which a browser's host does not see
            self.app.tell(
                "Importing reads a file on the server: run 'qa-queue import FILE' there", "warning"
            )
            return
        hosts = [h.name for h in self.queue.hosts()]
        self.app.push_screen(ImportFile(self.queue, hosts))

    def show_imported(self, first: int) -> None:
        """Questions were imported: read the queue again, the cursor on the first new one."""
        self.reload(keep=first)
        self.say_where_it_went(first, "is new")

    def action_open(self) -> None:
        """The question under the cursor, whole: its pane fills the screen (its keys scroll
        it; the queue's keys still act on it); esc goes back to the list."""
        if self.table.current_id is not None:
            self.detail.focus()
            self.maximize(self.detail, container=False)
            self.refresh_bindings()

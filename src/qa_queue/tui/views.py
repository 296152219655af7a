"""The queue screen's saved views (from query.VIEWS) and how many questions each one holds."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import BadInput
from ..model.dates import to_iso
from ..query import VIEWS, parse
from ..queue import QuestionQueue

VIEW_NAMES: tuple[str, ...] = tuple(VIEWS)

Counts = dict[str, int | None]


def view_counter(queue: QuestionQueue) -> Callable[[], Counts]:
    """A function counting each view's questions, safe to run in a worker thread.

    Counting 50k questions for eight views takes ~0.3 s, too long to block the keyboard: the
    filters and a snapshot of the summaries are taken here, on the app's thread, and the
    returned function touches nothing else. A view that cannot run yet ("Mine" before the app
    knows which host you are) counts as None.
    """
    now = queue.now()
    filters = {}
    counts: Counts = {}
    for name, text in VIEWS.items():
        try:
            filters[name] = parse(text, me=queue.me, now=now, zone=queue.zone)
        except BadInput:
            counts[name] = None
    summaries = list(queue.store.summaries())  # the store replaces summaries, never edits them
    now_iso = to_iso(now)

    def count() -> Counts:
        # Views are field checks only (no words), so find()'s text scan is not needed.
        tallies = dict.fromkeys(filters, 0)
        for summary in summaries:
            for name, view in filters.items():
                if view.matches(summary, now_iso):
                    tallies[name] += 1
        return {name: counts.get(name, tallies.get(name)) for name in VIEWS}

    return count


def view_counts(queue: QuestionQueue) -> Counts:
    """Each view's count, now (on this thread)."""
    return view_counter(queue)()


def view_query(view: str, filter_text: str) -> str:
    """The query the table runs: the view's own fields, narrowed by what the host typed."""
    return " ".join(part for part in (VIEWS[view], filter_text.strip()) if part)

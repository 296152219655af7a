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


def view_query(view: str, filter_text: str) -> str:
    """The query the table runs: the view's own fields, narrowed by what the host typed."""
    return " ".join(part for part in (VIEWS[view], filter_text.strip()) if part)


def narrows(old: str, new: str) -> bool:
    """Whether every question `new` matches also matches `old`, so `new` can be searched among
    `old`'s result: the host typed on, growing the last word or adding terms (terms AND; a
    word matches wherever it appears, so a longer word matches fewer). Fields, quotes and a
    first filter are never taken as narrowing."""
    if not old.strip() or not new.startswith(old) or '"' in new:
        return False
    old_terms, new_terms = old.split(), new.split()
    last = len(old_terms) - 1
    if new_terms[:last] != old_terms[:last]:
        return False
    before, after = old_terms[last], new_terms[last]
    if before == after:
        return True
    return not old[-1].isspace() and ":" not in after and after.startswith(before)

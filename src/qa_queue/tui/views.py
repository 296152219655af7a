"""The queue screen's saved views (from query.VIEWS) and how many questions each one holds."""

from __future__ import annotations

from ..errors import BadInput
from ..model.dates import to_iso
from ..query import VIEWS, parse
from ..queue import QuestionQueue

VIEW_NAMES: tuple[str, ...] = tuple(VIEWS)


def view_counts(queue: QuestionQueue) -> dict[str, int | None]:
    """Each view's count in one pass over the summaries; None when a view cannot be run yet
    ("Mine" before the app knows which host you are)."""
    now = queue.now()
    filters = {}
    counts: dict[str, int | None] = {}
    for name, text in VIEWS.items():
        try:
            filters[name] = parse(text, me=queue.me, now=now, zone=queue.zone)
        except BadInput:
            counts[name] = None
    # Views are field checks only (no words), so the text scan that find() may do is not needed.
    now_iso = to_iso(now)
    tallies = dict.fromkeys(filters, 0)
    for summary in queue.store.summaries():
        for name, view in filters.items():
            if view.matches(summary, now_iso):
                tallies[name] += 1
    return {name: counts.get(name, tallies.get(name)) for name in VIEWS}


def view_query(view: str, filter_text: str) -> str:
    """The query the table runs: the view's own fields, narrowed by what the host typed."""
    return " ".join(part for part in (VIEWS[view], filter_text.strip()) if part)

"""The queue screen's saved views (from query.VIEWS) and how many questions each one holds."""

from __future__ import annotations

from collections.abc import Callable

from .errors import BadInput, QaQueueError
from .model import changes
from .model.dates import to_iso
from .query import VIEWS, parse
from .queue import QuestionQueue
from .text import one_line

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


def view_holding(queue: QuestionQueue, question_id: int, filter_text: str = "") -> str | None:
    """The view that says most about where a question is now (its status's view; Mine and All
    hold a lot besides), or None."""
    try:
        found = queue.store.summary(question_id)
    except QaQueueError:
        return None
    holding = [
        view for view in VIEW_NAMES if queue.find(view_query(view, filter_text), within=[found])
    ]
    return min(holding, key=lambda v: (v in ("Mine", "All"), v == "All"), default=None)


def co_host_moved(queue: QuestionQueue, question_id: int, view: str, filter_text: str) -> str:
    """What to tell a host whose question a co-host's change took out of `view` ("" when the
    last change was the host's own): what changed, who changed it, which view shows it now."""
    try:
        question = queue.get(question_id)
    except QaQueueError:
        return ""
    last = question.history[-1] if question.history else None
    if last is None or last.host == queue.me:
        return ""
    who = one_line(queue.host_name(last.host)) or one_line(last.host)
    now_in = view_holding(queue, question_id, filter_text)
    where = f"{VIEW_NAMES.index(now_in) + 1} shows {now_in}" if now_in else "no view shows it"
    what = changes.summary(last, queue.host_name)
    return f"{who} changed #{question_id} ({what}), so it left {view}: {where}"

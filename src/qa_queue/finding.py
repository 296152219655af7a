"""Reading the queue: one question, the questions a filter matches, the tags in use."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from . import query
from .errors import BadInput, NotFound
from .importers.common import Known
from .query import Summary
from .queue_base import QueueBase


class QuestionFinding(QueueBase):
    """Reading the queue (one question is QueueBase.get); a part of QuestionQueue."""

    def known(self) -> Known:
        """What a file being imported may name: the show's hosts and the questions here."""

        def has_question(question_id: int) -> bool:
            try:
                self.store.summary(question_id)
            except NotFound:
                return False
            return True

        return Known(hosts=frozenset(h.id for h in self.hosts()), has_question=has_question)

    def find(
        self, text: str = "", sort: str = "age", within: Iterable[Summary] | None = None
    ) -> list[Summary]:
        """Summaries matching a filter-language query, sorted (age, priority, asked, id).

        `within`: look only among these summaries, e.g. the last result when a host types on
        (the app also searches a copy of the summaries from a worker thread this way).
        """
        parsed = self._parse(text, sort)
        hits = query.run(self._pool(parsed, within), parsed, self.now(), self.store.containing)
        return sorted(hits, key=query.SORTS[sort])

    def find_in_steps(
        self,
        text: str = "",
        sort: str = "age",
        within: Iterable[Summary] | None = None,
        *,
        step: int = 2000,
        first_step: int = 250,
        ordered: bool = False,
    ) -> Iterator[list[Summary]]:
        """`find`, a step at a time: the matches among the first `first_step` questions, then
        among twice as many each step up to `step`, in sort order, so that the first of them
        can be shown while the rest are searched (a word is looked for in every question's
        text, ~0.1-0.3 s at 50k). `ordered`: `within` is in this sort's order already (the rows
        a host is looking at). A bad query raises at the first step."""
        parsed = self._parse(text, sort)
        pool = list(self._pool(parsed, within))
        if not ordered:
            pool.sort(key=query.SORTS[sort])
        now = self.now()
        start, size = 0, min(first_step, step)  # small first: the first matches come soonest
        while start < len(pool):
            yield query.run(pool[start : start + size], parsed, now, self.store.containing)
            start, size = start + size, min(size * 2, step)

    def _parse(self, text: str, sort: str) -> query.Filter:
        if sort not in query.SORTS:
            raise BadInput(f"unknown sort {sort!r}; sorts are: {', '.join(query.SORTS)}")
        return query.parse(text, me=self.me, now=self.now(), zone=self.zone)

    def _pool(self, parsed: query.Filter, within: Iterable[Summary] | None) -> Iterable[Summary]:
        if within is not None:
            return within
        ids = self.store.ids_where(parsed.narrow)
        return self.store.summaries() if ids is None else self.store.summaries_of(ids)

    def tags(self) -> list[str]:
        """Every tag in use, most used first: completion for tagging."""
        counts = Counter(tag for s in self.store.summaries() for tag in s["tags"])
        return [tag for tag, _ in counts.most_common()]

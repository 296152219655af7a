"""The questions' search texts, searched for the words of a filter.

Each question version's texts sit once in its journal record, in a block of their own (see
documents.py). A search reads those blocks with one tight loop of reads; an app whose host
types a filter keeps them all in memory, their bytes lower-cased (≈3 KB a question), read
once by a worker and then kept current as questions change. (Kept as bytes.lower() rather
than as the searchable text: building that for 50k questions took the worker over a second
of the app's first paint; matching a word in the lowered bytes is as exact, see matcher.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .documents import matcher, odd, searchable
from .schema import Summary

if TYPE_CHECKING:
    from .journal import Journal


class Source(Protocol):
    """What the texts are read from: the store's current journal and summaries."""

    @property
    def journal(self) -> Journal: ...

    def summary(self, question_id: int) -> Summary: ...

    def summaries(self) -> Any: ...


class SearchTexts:
    def __init__(self, source: Source):
        self._source = source
        self._kept: dict[int, bytes] | None = None  # by where the block is; None: not kept
        self._odd: set[int] = set()  # the kept blocks for which odd() is true

    def forget(self) -> None:
        """The journal was replaced (another generation): the places are no longer valid."""
        self._kept = None

    @property
    def kept(self) -> bool:
        """Whether the search texts are in memory (kept up to date as questions change)."""
        return self._kept is not None

    def containing(self, entries: list[Summary], needle: bytes) -> list[Summary]:
        """The entries whose text holds `needle` (lower case): from the texts kept in memory,
        else one tight loop of reads from the journal."""
        kept = self._kept
        journal = self._source.journal
        if kept is None:
            return journal.containing(entries, needle)
        matches, odd_ones, hits, unread = matcher(needle), self._odd, [], []
        for entry in entries:
            start = entry["_loc"][2]
            lowered = kept.get(start)  # keyed by where the block is: a newer version misses
            if lowered is None:
                unread.append(entry)
            elif matches(lowered, start in odd_ones):
                hits.append(entry)
        if unread:  # changed since the texts were read: from the journal
            hits += journal.containing(unread, needle)
            order = {id(entry): n for n, entry in enumerate(entries)}
            hits.sort(key=lambda entry: order[id(entry)])
        return hits

    def keep(self) -> None:
        """Read every question's text into memory, lower-cased, for an app whose host types a
        filter: a scan of 50k texts in memory takes a fraction of 50k reads. Safe to call
        from a worker thread: it only reads the journal and swaps in a finished dict."""
        journal = self._source.journal
        entries = list(self._source.summaries())
        kept, odd_ones = {}, set()
        for entry in entries:
            start, length = entry["_loc"][2], entry["_loc"][3]
            block = journal.read_at(start, length)
            kept[start] = block.lower()
            if odd(block):
                odd_ones.add(start)
        if journal is self._source.journal:  # not replaced by a compaction meanwhile
            self._kept, self._odd = kept, odd_ones

    def text(self, question_id: int, limit: int = 2000) -> str:
        """The start of a question's text as searched (title, then the listener's words)."""
        _offset, _length, start, length = self._source.summary(question_id)["_loc"]
        block = self._source.journal.read_at(start, min(length, limit * 4))
        return searchable(block).decode("utf-8", "ignore")[:limit]

    def follow(self, old: Summary | None, new: Summary | None, block: bytes) -> None:
        """A question changed (or went): a kept text follows it; the old one goes."""
        kept = self._kept
        if kept is None:
            return
        if old is not None:
            kept.pop(old["_loc"][2], None)
            self._odd.discard(old["_loc"][2])
        if new is not None:
            kept[new["_loc"][2]] = block.lower()
            if odd(block):
                self._odd.add(new["_loc"][2])

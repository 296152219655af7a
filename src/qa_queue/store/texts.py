"""The questions' search texts, searched for the words of a filter.

Each question version's lower-cased search text (title, listener's words, drafts, answer…)
sits in the journal beside it. A search reads them with one tight loop of reads; an app whose
host types a filter keeps them all in memory (≈2-3 KB a question), read once by a worker and
then kept current as questions change.
"""

from __future__ import annotations

from typing import Any

from .journal import Journal, Location
from .storage import IndexTable


class SearchTexts:
    """Mixed into Store, which provides the journal and the questions' table."""

    _journal: Journal | None
    _questions: IndexTable
    _texts: dict[int, bytes] | None  # by where the text is in the journal; None: not kept
    summary: Any

    def containing(self, entries: list[dict[str, Any]], needle: bytes) -> list[dict[str, Any]]:
        """The entries whose lower-cased text holds `needle`: from the texts kept in memory
        (see keep_texts), else one tight loop of reads from the journal."""
        assert self._journal is not None
        texts = self._texts
        if texts is None:
            return self._journal.containing(entries, needle)
        read_at, hits = self._journal.read_at, []
        for entry in entries:
            _offset, _length, start, length = entry["_loc"]
            kept = texts.get(start)  # keyed by where the text is: a newer version misses
            if needle in (read_at(start, length) if kept is None else kept):
                hits.append(entry)
        return hits

    def keep_texts(self) -> None:
        """Read every question's search text into memory (≈2 KB each), for an app whose host
        types a filter: a scan of 50k texts in memory takes a fraction of 50k reads. Safe to
        call from a worker thread: it only reads the journal and swaps in a finished dict."""
        assert self._journal is not None
        journal = self._journal
        entries = list(self._questions.raw().values())
        kept = {}
        for entry in entries:
            start, length = entry["_loc"][2], entry["_loc"][3]
            kept[start] = journal.read_at(start, length)
        if journal is self._journal:  # not replaced by a compaction meanwhile
            self._texts = kept

    @property
    def texts_kept(self) -> bool:
        """Whether the search texts are in memory (kept up to date as questions change)."""
        return self._texts is not None

    def text(self, question_id: int, limit: int = 2000) -> str:
        """The start of a question's lower-cased search text (title, then the listener's words)."""
        assert self._journal is not None
        text = self._journal.search_text(Location(*self.summary(question_id)["_loc"]))
        return text[:limit].decode("utf-8", "ignore")

    def _follow_text(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        """A question changed (or went): a kept text follows it, one read; the old one goes."""
        texts = self._texts
        if texts is None:
            return
        if old is not None:
            texts.pop(old["_loc"][2], None)
        if new is not None:
            assert self._journal is not None
            start, length = new["_loc"][2:]
            texts[start] = self._journal.read_at(start, length)

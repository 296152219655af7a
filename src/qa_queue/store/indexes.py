"""Lookups over the question summaries: import keys, the highest id, status / tag / host.

Each is built the first time something needs it and kept up to date from then on, so an app
that only reads and changes questions never pays for them on opening (some 40 ms at 50k).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .schema import Summary

FIELDS = ("status", "tag", "host")


class QuestionIndexes:
    def __init__(self, summaries: Callable[[], dict[str, Summary]]):
        self._summaries = summaries  # the live table, by string id
        self._import_keys: dict[str, int] | None = None
        self._max_id = 0
        self._fields: dict[str, dict[Any, set[int]]] | None = None

    def changed(self, question_id: int, old: Summary | None, new: Summary | None) -> None:
        """Keep the built indexes in step with one question's new summary (None: deleted)."""
        if self._fields is not None:
            self._index_fields(question_id, old, new)
        keys = self._import_keys
        if keys is None:
            return
        if old and (gone := old.get("import_key")):
            keys.pop(gone, None)
        if new is not None:
            if key := new.get("import_key"):
                keys[key] = question_id
            self._max_id = max(self._max_id, question_id)

    def id_for_import_key(self, key: str) -> int | None:
        return self._keys().get(key)

    def max_id(self) -> int:
        self._keys()
        return self._max_id

    def _keys(self) -> dict[str, int]:
        if self._import_keys is None:
            raw = self._summaries()
            self._import_keys = {
                key: int(k) for k, s in raw.items() if (key := s.get("import_key"))
            }
            self._max_id = max(map(int, raw), default=0)
        return self._import_keys

    def ids_where(self, narrow: Iterable[tuple[str, set[Any]]]) -> set[int] | None:
        """The ids whose status / tag / host is among the values, for each (field, values);
        None when there is nothing to narrow by (every question is a candidate)."""
        narrow = list(narrow)
        if not narrow:
            return None
        if self._fields is None:
            self._fields = {name: {} for name in FIELDS}
            for key, entry in self._summaries().items():
                self._index_fields(int(key), None, entry)
        result: set[int] | None = None
        for name, values in sorted(narrow, key=lambda pair: len(pair[1])):
            field = self._fields[name]
            ids: set[int] = set().union(*(field.get(value, ()) for value in values))
            result = ids if result is None else result & ids
            if not result:
                break
        return result

    def _index_fields(self, question_id: int, old: Summary | None, new: Summary | None) -> None:
        assert self._fields is not None
        for entry, add in ((old, False), (new, True)):
            if entry is None:
                continue
            pairs = [("status", entry.get("status")), ("host", entry.get("host"))]
            pairs += [("tag", tag) for tag in entry.get("tags") or ()]
            for name, value in pairs:
                ids = self._fields[name].setdefault(value, set())
                if add:
                    ids.add(question_id)
                else:
                    ids.discard(question_id)

"""One locked write: the questions (revision-checked), episodes and settings it puts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from ..errors import NotFound, StaleRevision
from .encoding import renumbered
from .schema import EPISODES, SETTINGS, SETTINGS_ID, Summary


class Reader(Protocol):
    """What a transaction reads: the store as it is under the lock."""

    def summary(self, question_id: int) -> Summary: ...

    def get(self, question_id: int, *, history: bool = True) -> dict[str, Any]: ...

    def history(self, question_id: int) -> list[dict[str, Any]]: ...

    def last_change(self, question_id: int) -> dict[str, Any] | None: ...

    def settings(self) -> dict[str, Any]: ...

    def id_for_import_key(self, key: str) -> int | None: ...

    @property
    def indexes(self) -> Any: ...


@dataclass
class QuestionPut:
    question_id: int
    doc: dict[str, Any]  # without history
    entries: list[dict[str, Any]]  # new history entries, numbered


class Transaction:
    """What one locked write puts: questions (revision-checked), episodes and settings."""

    def __init__(self, store: Reader):
        self._store = store
        self.ops: list[Any] = []
        self._pending: dict[int, tuple[dict[str, Any], int]] = {}  # id -> (doc, entries)
        self._next_id = store.indexes.max_id() + 1
        self._new_keys: dict[str, int] = {}

    def get(self, question_id: int, *, history: bool = False) -> dict[str, Any]:
        """The question as this transaction sees it; its history only if asked for (an edit
        appends entries without reading the ones before: its cost stays flat)."""
        if question_id in self._pending:
            doc: dict[str, Any] = orjson.loads(orjson.dumps(self._pending[question_id][0]))
            doc["history"] = self.history(question_id) if history else []
            return doc
        return self._store.get(question_id, history=history)

    def history(self, question_id: int) -> list[dict[str, Any]]:
        entries = self._store.history(question_id) if self._stored(question_id) else []
        for op in self.ops:
            if isinstance(op, QuestionPut) and op.question_id == question_id:
                entries.extend(op.entries)
        return entries

    def _stored(self, question_id: int) -> bool:
        try:
            self._store.summary(question_id)
        except NotFound:
            return False
        return True

    def next_id(self) -> int:
        """The id the next new question put will get (ids are given in order)."""
        return int(self._next_id)

    def id_for_import_key(self, key: str) -> int | None:
        return self._new_keys.get(key) or self._store.id_for_import_key(key)

    def put_question(self, doc: dict[str, Any], expected_revision: int | None = None) -> int:
        """Store a new version; refuses if someone changed the question since `expected_revision`.

        A doc without an id is a new question and gets the next id; all of its history is
        stored. For a question already there, only the history entries without a "seq" are
        new and appended (numbered on from the stored ones). Returns the id.
        """
        question_id = int(doc.get("id") or 0)
        history = list(doc.get("history") or [])
        if question_id:
            if question_id in self._pending:
                pending, count = self._pending[question_id]
                revision = pending["revision"]
            else:
                current = self._store.summary(question_id)
                revision, count = current["revision"], current["_h"][2]
            if expected_revision is not None and expected_revision != revision:
                last = self._store.last_change(question_id) or {}
                who = last.get("host") or "someone"
                names = {
                    h.get("id"): h.get("name") for h in self._store.settings().get("hosts", [])
                }
                raise StaleRevision(
                    f"question #{question_id} was changed by {names.get(who) or who} "
                    f"({last.get('action') or 'an edit'}) since you read it; nothing was "
                    "overwritten: look at the fresh version and try again"
                )
            new = [e for e in history if not e.get("seq")]
            entries = [{**entry, "seq": count + n} for n, entry in enumerate(new, 1)]
        else:
            question_id = self._next_id
            self._next_id += 1
            revision, count = 0, 0
            entries = renumbered(history)
        stored = {k: v for k, v in doc.items() if k != "history"}
        stored.update(id=question_id, revision=revision + 1)
        if stored.get("import_key"):
            self._new_keys[stored["import_key"]] = question_id
        self._pending[question_id] = (stored, count + len(entries))
        self.ops.append(QuestionPut(question_id, stored, entries))
        return question_id

    def put_episode(self, episode: dict[str, Any]) -> None:
        self.ops.append((EPISODES, int(episode["number"]), episode))

    def delete_episode(self, number: int) -> None:
        self.ops.append((EPISODES, number, None))

    def put_settings(self, settings: dict[str, Any]) -> None:
        self.ops.append((SETTINGS, SETTINGS_ID, settings))

"""One locked write: the questions (revision-checked), episodes and settings it puts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from ..errors import StaleRevision
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID

if TYPE_CHECKING:
    from .store import Store


class Transaction:
    """What one locked write puts: questions (revision-checked), episodes and settings."""

    def __init__(self, store: Store):
        self._store = store
        self.ops: list[tuple[str, int, dict[str, Any] | None]] = []
        self._pending: dict[int, dict[str, Any]] = {}
        self._next_id = store.indexes.max_id() + 1
        self._new_keys: dict[str, int] = {}

    def get(self, question_id: int) -> dict[str, Any]:
        if question_id in self._pending:
            return orjson.loads(orjson.dumps(self._pending[question_id]))
        return self._store.get(question_id)

    def id_for_import_key(self, key: str) -> int | None:
        return self._new_keys.get(key) or self._store.id_for_import_key(key)

    def put_question(self, doc: dict[str, Any], expected_revision: int | None = None) -> int:
        """Store a new version; refuses if someone changed the question since `expected_revision`.

        A doc without an id is a new question and gets the next id. Returns the id.
        """
        question_id = int(doc.get("id") or 0)
        if question_id:
            current = self._pending.get(question_id) or self._store.summary(question_id)
            revision = current["revision"]
            if expected_revision is not None and expected_revision != revision:
                latest = self.get(question_id)
                last = (latest.get("history") or [{}])[-1]
                raise StaleRevision(
                    f"question #{question_id} was changed by {last.get('host') or 'someone'} "
                    f"({last.get('action') or 'an edit'}) since you read it; nothing was "
                    "overwritten: look at the fresh version and try again"
                )
        else:
            question_id = self._next_id
            self._next_id += 1
            revision = 0
        doc = {**doc, "id": question_id, "revision": revision + 1}
        if doc.get("import_key"):
            self._new_keys[doc["import_key"]] = question_id
        self._pending[question_id] = doc
        self.ops.append((QUESTIONS, question_id, doc))
        return question_id

    def put_episode(self, episode: dict[str, Any]) -> None:
        self.ops.append((EPISODES, int(episode["number"]), episode))

    def delete_episode(self, number: int) -> None:
        self.ops.append((EPISODES, number, None))

    def put_settings(self, settings: dict[str, Any]) -> None:
        self.ops.append((SETTINGS, SETTINGS_ID, settings))

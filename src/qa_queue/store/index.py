"""The index: TinyDB tables of question summaries, episodes and settings, held in memory.

What a snapshot stores and opening reads back; kept current as records are applied (ours as
we commit them, other processes' as we catch up). It never touches a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from ..errors import NotFound
from . import schema
from .indexes import QuestionIndexes
from .schema import EPISODES, QUESTIONS, SETTINGS, SETTINGS_ID, Summary
from .storage import IndexDB
from .texts import SearchTexts


class Index:
    def __init__(
        self, tables: dict[str, dict[str, Any]], texts: SearchTexts, noting: list[set[int]]
    ):
        self._db = IndexDB(tables)
        self._questions = self._db.table(QUESTIONS, cache_size=0)
        self._episodes = self._db.table(EPISODES, cache_size=0)
        self._settings = self._db.table(SETTINGS, cache_size=0)
        self.lookups = QuestionIndexes(self._rows)
        self._texts = texts
        self._noting = noting  # the sets of Store.noting_changes that are open

    def _rows(self) -> dict[str, Summary]:
        # the summaries table as TinyDB holds it: schema.summary wrote every row of it
        return cast(dict[str, Summary], self._questions.raw())

    # -- applying records ------------------------------------------------------------------------

    def put_question(
        self,
        question_id: int,
        doc: dict[str, Any],
        loc: list[int],
        history: list[Any],
        updated_at: str,
        block: bytes,
    ) -> None:
        """A question's new version: its summary, with where its record and history are."""
        for noted in self._noting:
            noted.add(question_id)
        old = self._rows().get(str(question_id))
        entry = schema.summary(doc, updated_at)
        entry["_loc"], entry["_h"] = loc, history
        self._questions.replace(question_id, entry)
        self._texts.follow(old, entry, block)
        self.lookups.changed(question_id, old, entry)

    def remove_question(self, question_id: int) -> None:
        for noted in self._noting:
            noted.add(question_id)
        old = self._rows().get(str(question_id))
        if old is None:
            return
        self._texts.follow(old, None, b"")
        self._questions.remove(doc_ids=[question_id])
        self.lookups.changed(question_id, old, None)

    def put_other(self, table_name: str, key: int, doc: dict[str, Any] | None) -> None:
        """An episode or the settings (None: deleted)."""
        table = self._episodes if table_name == EPISODES else self._settings
        if doc is None:
            if str(key) in table.raw():
                table.remove(doc_ids=[key])
        else:
            table.replace(key, doc)

    # -- reading ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._questions.raw())

    def summaries(self) -> Iterable[Summary]:
        return self._rows().values()

    def summaries_of(self, ids: Iterable[int]) -> list[Summary]:
        raw = self._rows()
        return [raw[str(question_id)] for question_id in ids]

    def summary(self, question_id: int) -> Summary:
        entry = self._rows().get(str(question_id))
        if entry is None:
            raise NotFound(f"there is no question #{question_id}")
        return entry

    def episodes(self) -> list[dict[str, Any]]:
        return sorted(self._episodes.raw().values(), key=lambda e: e["number"])

    def episode(self, number: int) -> dict[str, Any] | None:
        return self._episodes.raw().get(str(number))

    def settings(self) -> dict[str, Any]:
        return dict(self._settings.raw().get(str(SETTINGS_ID)) or {})

    def tables(self) -> dict[str, dict[str, Any]]:
        """The tables as they are (for a snapshot); not copied."""
        return self._db.storage.read()

    def live_bytes(self) -> int:
        """The journal bytes still in use: each question's version and its history."""
        return sum(e["_loc"][1] + e["_h"][3] for e in self._rows().values())

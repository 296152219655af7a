"""Episodes: which answered questions air in which episode, at what time, in what order."""

from __future__ import annotations

from typing import Any

from .errors import BadInput, NotFound, RuleViolation
from .model import history
from .model.dates import format_timestamp, parse_timestamp, parse_when
from .model.question import Episode, Question
from .queue_base import QueueBase
from .store import Transaction


class EpisodePlanning(QueueBase):
    """Episode operations; a part of QuestionQueue (a question goes in and out of an episode
    through QueueBase._update, like any change to it)."""

    def episodes(self) -> list[Episode]:
        return [Episode.from_dict(e) for e in self.store.episodes()]

    def episode(self, number: int) -> Episode:
        found = self.store.episode(number)
        if found is None:
            raise NotFound(f"there is no episode {number} (add it with 'qa-queue episodes add')")
        return Episode.from_dict(found)

    def add_to_episode(
        self,
        question_id: int,
        number: int,
        timestamp: str | None = None,
        expected_revision: int | None = None,
    ) -> Question:
        """Put a question into an episode, at a time in it (kept in air order). Without a
        time, a question already in that episode keeps the time it has."""
        given = format_timestamp(parse_timestamp(timestamp)) if timestamp else None
        self.episode(number)

        def apply(q: Question, tx: Transaction) -> Question:
            stamp = given if given or q.episode != number else q.timestamp
            self._place(tx, q.id, q.episode, None, None)
            self._place(tx, q.id, number, stamp, q.id)
            return history.change(
                q,
                "episode",
                self._by(),
                self._at(),
                episode=number,
                timestamp=stamp,
                answered_on="air",
            )

        return self._update(question_id, expected_revision, apply)

    def sharing_time(self, question_id: int) -> str:
        """ "#1 and #11 are both at 00:41:05 in episode 212": a question placed at a time
        another of its episode has (a slip, most likely: the notes list them at one time, and
        chapters start both there), or ""."""
        question = self.store.summary(question_id)
        number, stamp = question.get("episode"), question.get("timestamp")
        found = self.store.episode(number) if number and stamp else None
        if found is None:
            return ""
        others = [
            i
            for i in Episode.from_dict(found).question_ids
            if i != question_id and self.store.summary(i).get("timestamp") == stamp
        ]
        if not others:
            return ""
        ids = ", ".join(f"#{i}" for i in [question_id, *others][:-1])
        both = "both" if len(others) == 1 else "all"
        return f"{ids} and #{others[-1]} are {both} at {stamp} in episode {number}"

    def remove_from_episode(
        self, question_id: int, expected_revision: int | None = None
    ) -> Question:
        """Take a question out of its episode (undo puts it back at its time)."""

        def apply(q: Question, tx: Transaction) -> Question:
            if q.episode is None:
                raise RuleViolation(f"question #{q.id} is in no episode")
            self._place(tx, q.id, q.episode, None, None)
            fields: dict[str, Any] = {"episode": None, "timestamp": None}
            if q.answered_on == "air":
                fields["answered_on"] = None
            # the action is "episode", so undo re-places it like any other episode change
            return history.change(q, "episode", self._by(), self._at(), **fields)

        return self._update(question_id, expected_revision, apply)

    def _place(
        self,
        tx: Transaction,
        question_id: int,
        number: int | None,
        stamp: str | None,
        add: int | None,
    ) -> None:
        """Remove a question from episode `number`'s order, or (with `add`) insert it by time."""
        if number is None:
            return
        found = self.store.episode(number)
        if found is None:
            return
        episode = Episode.from_dict(found)
        ids = [i for i in episode.question_ids if i != question_id]
        if add is not None:
            position = len(ids)
            if stamp:
                seconds = parse_timestamp(stamp)
                for index, other in enumerate(ids):
                    other_stamp = self.store.summary(other).get("timestamp")
                    if other_stamp and parse_timestamp(other_stamp) > seconds:
                        position = index
                        break
            ids.insert(position, add)
        episode.question_ids = ids
        tx.put_episode(episode.to_dict())

    def save_episode(
        self, number: int, title: str | None = None, air_date: str | None = None
    ) -> Episode:
        """Add an episode or change its title and air date (a person's date is fine)."""
        if number <= 0:
            raise BadInput(f"an episode number is a positive whole number, not {number}")
        day = parse_when(air_date, self.now(), self.zone).date().isoformat() if air_date else None
        with self.store.transaction() as tx:
            # read under the lock: a co-host may just have put a question into this episode
            found = self.store.episode(number)
            episode = Episode.from_dict(found) if found else Episode(number=number)
            if title is not None:
                episode.title = title.strip()
            if day:
                episode.air_date = day
            tx.put_episode(episode.to_dict())
        return episode

    def move_in_episode(self, number: int, question_id: int, offset: int) -> Episode:
        """Move a question `offset` places up (negative) or down in its episode's air order.

        Episodes keep no history, so this is a plain update of the order under the lock.
        """
        with self.store.transaction() as tx:
            found = self.store.episode(number)  # read under the lock: a co-host may have moved one
            if found is None:
                raise NotFound(f"there is no episode {number}")
            episode = Episode.from_dict(found)
            if question_id not in episode.question_ids:
                raise NotFound(f"question #{question_id} is not in episode {number}")
            ids = episode.question_ids
            old = ids.index(question_id)
            new = max(0, min(len(ids) - 1, old + offset))
            if new != old:
                ids.insert(new, ids.pop(old))
                tx.put_episode(episode.to_dict())
        return episode

"""Which questions an export holds, in what order, and which it leaves out and why.

Show notes, chapters and the data formats alike hold answered questions only (ready ones too in
a preview), so a file never credits an answer that has not aired. Chapters also need a time in
the episode; the notes list an answered question without one where the episode's running order
puts it (after the timed ones when there is no episode).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from ..model.question import Question, Status
from .common import ShowNotes, seconds_or_none


@dataclass(frozen=True)
class LeftOut:
    """A question of the episode or selection that the export does not hold."""

    id: int
    why: str  # "drafting, not answered", "no timestamp"

    def __str__(self) -> str:
        return f"#{self.id} ({self.why})"


@dataclass
class Selection:
    questions: list[Question]  # in air order
    left_out: list[LeftOut]

    @property
    def previews(self) -> list[int]:
        """The ready questions a preview holds: not answered yet."""
        return [q.id for q in self.questions if Status(q.status) is not Status.ANSWERED]


def left_out_line(left_out: list[LeftOut]) -> str:
    """'left out #7 (drafting, not answered), #9 (no timestamp)', or '' for none."""
    return "left out " + ", ".join(map(str, left_out)) if left_out else ""


def select(notes: ShowNotes, *, timed_only: bool = False) -> Selection:
    """The questions the export holds in air order, and the rest with the reason."""
    shown = (Status.ANSWERED, Status.READY) if notes.include_ready else (Status.ANSWERED,)
    kept: list[Question] = []
    left_out: list[LeftOut] = []
    for question in notes.questions:
        if Status(question.status) not in shown:
            left_out.append(LeftOut(question.id, f"{Status(question.status)}, not answered"))
        elif timed_only and seconds_or_none(question) is None:
            left_out.append(LeftOut(question.id, "no timestamp"))
        else:
            kept.append(question)
    ordered = in_air_order(kept, notes, planned=not timed_only)
    return Selection(ordered, sorted(left_out, key=lambda q: q.id))


def in_air_order(
    questions: list[Question], notes: ShowNotes, *, planned: bool = False
) -> list[Question]:
    """By episode, then time in it; questions without a time after the timed ones, and
    questions in no episode (answered on the forum) last. `planned`: one episode's questions
    in its running order, as the host set it on the episode screen (timed ones are kept in
    time order there; an untimed one stays where the host put it); chapters need times
    ascending, so they never follow it."""
    order = notes.episode.question_ids if notes.episode else []
    position = {qid: index for index, qid in enumerate(order)}

    def air_key(question: Question) -> tuple[bool, int, float, int, int]:
        episode = question.episode if notes.episode is None else notes.episode.number
        start = seconds_or_none(question)
        return (
            episode is None,
            episode or 0,
            math.inf if start is None else start,
            position.get(question.id, len(position)),
            question.id,
        )

    by_time = sorted(questions, key=air_key)
    if not (planned and notes.episode and _keeps_time_order(by_time, position)):
        return by_time
    return sorted(by_time, key=lambda question: position.get(question.id, len(position)))


def _keeps_time_order(questions: list[Question], position: dict[int, int]) -> bool:
    """Whether the running order puts the timed questions in time order, as the app keeps it
    (a database changed by hand may not): only then may it order the notes."""
    timed = [q for q in questions if seconds_or_none(q) is not None and q.id in position]
    return all(position[a.id] < position[b.id] for a, b in itertools.pairwise(timed))

"""Which questions an export holds, in what order, and which it leaves out and why.

Show notes, chapters and the data formats alike hold answered questions only (ready ones too in
a preview), so a file never credits an answer that has not aired. Chapters also need a time in
the episode; the notes list an answered question without one after the timed ones.
"""

from __future__ import annotations

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
    return Selection(in_air_order(kept, notes), sorted(left_out, key=lambda q: q.id))


def in_air_order(questions: list[Question], notes: ShowNotes) -> list[Question]:
    """By episode, then time in it; questions without a time after the timed ones (in the
    episode's planned order), and questions in no episode (answered on the forum) last."""
    planned = notes.episode.question_ids if notes.episode else []
    position = {qid: index for index, qid in enumerate(planned)}

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

    return sorted(questions, key=air_key)

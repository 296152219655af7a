"""Exporting show notes and question data: markdown, html, json, csv and Podcasting 2.0 chapters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import BadInput
from ..model.question import Question
from . import chapters, csv, html, json, markdown
from .common import (
    ShowNotes,
    public_dict,
    reference_url,
    without_contacts_in,
    without_controls_anywhere,
)
from .selection import LeftOut, left_out_line, select

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Exported",
    "LeftOut",
    "ShowNotes",
    "export",
    "exported",
    "left_out_line",
    "public_dict",
    "reference_url",
]

RENDERERS: dict[str, Callable[[ShowNotes], str]] = {
    "markdown": markdown.render,
    "html": html.render,
    "json": json.render,
    "csv": csv.render,
    "chapters": chapters.render,
}
FORMATS = tuple(RENDERERS)
# the file name ending the CLI may suggest for each format
EXTENSIONS = {
    "markdown": ".md",
    "html": ".html",
    "json": ".json",
    "csv": ".csv",
    "chapters": ".chapters.json",
}
ALIASES = {"md": "markdown", "htm": "html"}
TIMED_ONLY = {"chapters"}  # a chapter is a time in the episode
# JSON escapes control characters instead of dropping them, so that an export (with
# --include-private, a backup) imports back exactly as it was.
LOSSLESS = {"json"}


@dataclass
class Exported:
    """An export's text and what it holds: how many questions, which it left out and why."""

    text: str
    count: int
    left_out: list[LeftOut]
    previews: list[int]  # ready questions in a preview (include_ready): not answered yet

    @property
    def left_out_line(self) -> str:
        return left_out_line(self.left_out)


def exported(fmt: str, notes: ShowNotes) -> Exported:
    """The export and what it holds; BadInput for an unknown format or a question that
    cannot be placed.

    CSV starts with a byte order mark and uses CRLF rows: write it with newline="".
    """
    name = ALIASES.get(fmt.lower(), fmt.lower())
    render = RENDERERS.get(name)
    if render is None:
        raise BadInput(f"unknown export format {fmt!r}; formats are: {', '.join(FORMATS)}")
    if name in TIMED_ONLY:
        chapters.need_episode(notes)  # before the questions' times are looked at
    chosen = select(notes, timed_only=name in TIMED_ONLY)
    questions = chosen.questions
    if not notes.include_private:  # a title made of a listener's words: no way to reach them
        questions = [_with_title(q, without_contacts_in(q.title)) for q in questions]
    held = replace(notes, questions=questions)
    text = render(held if name in LOSSLESS else without_controls_anywhere(held))
    return Exported(text, len(chosen.questions), chosen.left_out, chosen.previews)


def _with_title(question: Question, title: str) -> Question:
    return question if title == question.title else replace(question, title=title)


def export(fmt: str, notes: ShowNotes) -> str:
    """The export as text (see `exported`)."""
    return exported(fmt, notes).text

"""Podcasting 2.0 JSON chapters for one episode: a chapter at each question's timestamp.

Spec: https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md
"""

from __future__ import annotations

from typing import Any

import orjson

from ..errors import BadInput
from .common import ShowNotes, first_url, seconds_or_none

VERSION = "1.2.0"


def chapters(notes: ShowNotes) -> list[dict[str, Any]]:
    """One chapter per question; the export chose the timed ones, in ascending startTime."""
    found = []
    for question in notes.questions:
        start = seconds_or_none(question)
        assert start is not None, "chapters are chosen with timed_only"
        chapter: dict[str, Any] = {
            "startTime": float(start),
            "title": " ".join(question.title.split()),
        }
        url = first_url(question.references)
        if url:
            chapter["url"] = url
        found.append(chapter)
    return found


def need_episode(notes: ShowNotes) -> None:
    if notes.episode is None:
        raise BadInput("chapters belong to one episode: choose it (export --episode N)")


def render(notes: ShowNotes) -> str:
    need_episode(notes)
    assert notes.episode is not None
    document: dict[str, Any] = {"version": VERSION}
    if notes.episode.title:
        document["title"] = notes.episode.title
    if notes.podcast:
        document["podcastName"] = notes.podcast
    document["chapters"] = chapters(notes)
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"

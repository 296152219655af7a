"""The show notes as JSON for scripts: podcast, episode and the questions' public fields."""

from __future__ import annotations

import orjson

from .common import ShowNotes, public_dict


def render(notes: ShowNotes) -> str:
    """{"podcast", "episode", "questions"}; the full records only with include_private."""
    questions = [
        question.to_dict() if notes.include_private else public_dict(question)
        for question in notes.in_air_order()
    ]
    document = {
        "podcast": notes.podcast,
        "episode": notes.episode.to_dict() if notes.episode else None,
        "questions": questions,
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
